// The one way the app talks to the server: JSON over fetch, and every failure turned into an
// ApiError that carries the server's RFC 9457 problem document (or a Chinese stand-in for a
// failure that never reached the server), so a page can always show a title and a detail.

import { csrfHeader } from '../lib/session.js';

export class ApiError extends Error {
  constructor({ title, detail = '', status = 0, code = 'CLIENT', type = 'about:blank', fields = [], retryAfter = 0 }) {
    super(detail ? `${title}：${detail}` : title);
    this.name = 'ApiError';
    this.title = title;
    this.detail = detail;
    this.status = status;
    this.code = code;
    this.type = type;
    this.fields = fields; // [{ name, detail }] for a form field the server rejected
    this.retryAfter = retryAfter; // seconds, from Retry-After (429, 423)
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
  return request(url, { headers: { Accept: 'application/json' }, signal });
}

/**
 * POST `body` as JSON to `path`; resolves to the JSON answer, or null for an empty one (204).
 * Every POST carries X-CSRF-Token: the session's token once signed in, else a placeholder the
 * server accepts from anonymous callers.
 */
export async function postJSON(path, body = {}, { signal, headers = {} } = {}) {
  return request(path, {
    method: 'POST',
    headers: {
      Accept: 'application/json',
      'Content-Type': 'application/json',
      'X-CSRF-Token': csrfHeader(),
      ...headers,
    },
    body: JSON.stringify(body ?? {}),
    signal,
  }, { emptyOk: true });
}

/**
 * POST the raw bytes of `blob` (a File) to `path` with `query`, as Content-Type `type`: an upload
 * whose content the server checks itself. Resolves to the JSON answer.
 */
export async function postBytes(path, query, blob, type, { signal } = {}) {
  const qs = new URLSearchParams(
    Object.entries(query || {}).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  ).toString();
  return request(qs ? `${path}?${qs}` : path, {
    method: 'POST',
    headers: {
      Accept: 'application/json',
      'Content-Type': type || 'application/octet-stream',
      'X-CSRF-Token': csrfHeader(),
    },
    body: blob,
    signal,
  });
}

/** PATCH and DELETE, with the same headers and answers as postJSON (null for 204). */
export function patchJSON(path, body = {}, opts = {}) {
  return sendJSON('PATCH', path, body, opts);
}

export function deleteJSON(path, { signal } = {}) {
  return sendJSON('DELETE', path, undefined, { signal });
}

function sendJSON(method, path, body, { signal } = {}) {
  const headers = { Accept: 'application/json', 'X-CSRF-Token': csrfHeader() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return request(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  }, { emptyOk: true });
}

async function request(url, init, { emptyOk = false } = {}) {
  let res;
  try {
    res = await fetch(url, { credentials: 'same-origin', ...init });
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
    const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
    if (body && typeof body === 'object' && body.title) {
      throw new ApiError({
        title: String(body.title),
        detail: body.detail ? String(body.detail) : '',
        status: Number(body.status) || res.status,
        code: body.code ? String(body.code) : `HTTP_${res.status}`,
        type: body.type ? String(body.type) : 'about:blank',
        fields: Array.isArray(body.fields) ? body.fields : [],
        retryAfter,
      });
    }
    throw new ApiError({
      title: res.status >= 500 ? '服务暂不可用，请稍后重试' : '请求未能完成',
      detail: `服务器返回 HTTP ${res.status}。`,
      status: res.status,
      code: `HTTP_${res.status}`,
      retryAfter,
    });
  }
  if (body === null) {
    if (emptyOk && (res.status === 204 || !type)) return null;
    throw new ApiError({
      title: '服务器返回了无法识别的内容',
      detail: '应答不是 JSON，请稍后重试。',
      status: res.status,
      code: 'BAD_RESPONSE',
    });
  }
  return body;
}

/** Retry-After as whole seconds (delta-seconds or an HTTP date), or 0. */
function parseRetryAfter(value) {
  if (!value) return 0;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const t = Date.parse(value);
  return Number.isNaN(t) ? 0 : Math.max(0, Math.ceil((t - Date.now()) / 1000));
}

/** A problem-shaped object for any thrown value, for display. */
export function toProblem(err) {
  if (err instanceof ApiError) return err;
  return new ApiError({ title: '页面出现错误', detail: String(err?.message || err) });
}
