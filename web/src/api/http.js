// The one way the app talks to the server: JSON over fetch, and every failure turned into an
// ApiError that carries the server's RFC 9457 problem document (or a Chinese stand-in for a
// failure that never reached the server), so a page can always show a title and a detail.

export class ApiError extends Error {
  constructor({ title, detail = '', status = 0, code = 'CLIENT', type = 'about:blank' }) {
    super(detail ? `${title}：${detail}` : title);
    this.name = 'ApiError';
    this.title = title;
    this.detail = detail;
    this.status = status;
    this.code = code;
    this.type = type;
  }
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

/** GET `path` (starting with /api/) with optional query parameters; resolves to the JSON body. */
export async function getJSON(path, query, { signal } = {}) {
  let url = path;
  if (query) {
    const qs = new URLSearchParams(
      Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ''),
    ).toString();
    if (qs) url += `?${qs}`;
  }

  let res;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json' }, signal });
  } catch (err) {
    if (err?.name === 'AbortError') throw err;
    throw new ApiError({
      title: '无法连接服务器',
      detail: '请检查网络连接后重试。',
      code: 'NETWORK',
    });
  }

  const type = res.headers.get('content-type') || '';
  let body = null;
  if (JSON_TYPE.test(type)) {
    try {
      body = await res.json();
    } catch {
      body = null;
    }
  }

  if (!res.ok) {
    if (body && typeof body === 'object' && body.title) {
      throw new ApiError({
        title: String(body.title),
        detail: body.detail ? String(body.detail) : '',
        status: Number(body.status) || res.status,
        code: body.code ? String(body.code) : `HTTP_${res.status}`,
        type: body.type ? String(body.type) : 'about:blank',
      });
    }
    throw new ApiError({
      title: res.status >= 500 ? '服务暂不可用，请稍后重试' : '请求未能完成',
      detail: `服务器返回 HTTP ${res.status}。`,
      status: res.status,
      code: `HTTP_${res.status}`,
    });
  }
  if (body === null) {
    throw new ApiError({
      title: '服务器返回了无法识别的内容',
      detail: '应答不是 JSON，请稍后重试。',
      status: res.status,
      code: 'BAD_RESPONSE',
    });
  }
  return body;
}

/** A problem-shaped object for any thrown value, for display. */
export function toProblem(err) {
  if (err instanceof ApiError) return err;
  return new ApiError({ title: '页面出现错误', detail: String(err?.message || err) });
}
