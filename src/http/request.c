/*
 * What a handler sees of a request and how it answers: path and query parameters, headers, the
 * JSON body, replies and RFC 9457 problem documents. Everything allocates from the request's
 * arena, so handlers never free.
 */
#include "http.h"

#include <stdio.h>
#include <string.h>

const char *yw_req_param(const yw_req *r, const char *name)
{
	for (int i = 0; i < r->nparams; i++)
		if (!strcmp(r->param_name[i], name))
			return r->param_value[i];
	return NULL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Whether s[0..n) is well-formed UTF-8 (no overlong forms, no surrogates, nothing past
 * U+10FFFF). Every text we keep is UTF-8, and PostgreSQL refuses a query parameter that is not:
 * a stray %FF in a path or a query must be the client's 400, not our 500. */
static bool utf8_ok(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
		if (!len || i + len > n)
			return false;
		uint32_t cp = len == 1 ? c : c & (0x7F >> len);
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		static const uint32_t least[] = { 0, 0, 0x80, 0x800, 0x10000 };
		if (cp < least[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += len;
	}
	return true;
}

char *yw_url_decode(yw_arena *a, const char *src, size_t n, bool plus_is_space)
{
	char *out = yw_alloc(a, n + 1);
	if (!out)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		char c = src[i];
		if (c == '%') {
			if (n - i < 3)
				return NULL;
			int hi = hexval(src[i + 1]);
			int lo = hexval(src[i + 2]);
			if (hi < 0 || lo < 0)
				return NULL;
			c = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		}
		if (c == '\0')
			return NULL;   /* a NUL would cut the string short somewhere downstream */
		out[k++] = c;
	}
	out[k] = '\0';
	return utf8_ok((const unsigned char *)out, k) ? out : NULL;
}

const char *yw_req_query(yw_req *r, const char *name)
{
	size_t nlen = strlen(name);
	const char *p = r->query ? r->query : "";
	while (*p) {
		const char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		size_t klen = eq ? (size_t)(eq - p) : len;
		/* Parameter names are plain ASCII in our API; compare them undecoded. */
		if (klen == nlen && !memcmp(p, name, nlen)) {
			if (!eq)
				return "";
			return yw_url_decode(r->arena, eq + 1, len - klen - 1, true);
		}
		p += len;
		if (*p == '&')
			p++;
	}
	return NULL;
}

const char *yw_req_header(const yw_req *r, const char *name)
{
	return r->header_fn ? r->header_fn(r->header_ctx, name) : NULL;
}

const char *yw_req_cookie(yw_req *r, const char *name)
{
	const char *h = yw_req_header(r, "Cookie");
	size_t nlen = strlen(name);
	while (h && *h) {
		while (*h == ' ' || *h == ';')
			h++;
		size_t len = strcspn(h, ";");
		if (len > nlen && h[nlen] == '=' && !strncmp(h, name, nlen))
			return yw_strndup(r->arena, h + nlen + 1, len - nlen - 1);
		h += len;
	}
	return NULL;
}

yw_err yw_req_json(yw_req *r, json_t **out)
{
	const char *ct = yw_req_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] != '\0' && ct[16] != ';' && ct[16] != ' '))
		return yw_fail(r, YW_E_UNSUPPORTED_MEDIA_TYPE, "Content-Type 应为 application/json，收到 %s",
		               ct ? ct : "（无）");
	const char *why = NULL;
	yw_err e = yw_json_parse_object(r->arena, r->body, r->body_len, out, &why);
	if (e)
		return yw_fail(r, e, "%s", why ? why : "请求体不是合法的 JSON");
	return YW_E_OK;
}

void yw_field_error(json_t *fields, const char *field, const char *reason)
{
	json_array_append_new(fields, json_pack("{s:s, s:s}", "field", field, "reason", reason));
}

const char *yw_req_field(json_t *body, const char *key, json_t *fields)
{
	const char *s = NULL;
	if (!yw_json_str(body, key, &s) || !s[0]) {
		yw_field_error(fields, key, "必填");
		return NULL;
	}
	return s;
}

yw_err yw_fail_fields(yw_req *r, json_t *fields)
{
	r->problem_extra = yw_arena_json(r->arena, json_pack("{s:O}", "fields", fields));
	return yw_fail(r, YW_E_BAD_PARAMETER, "请检查标出的字段");
}

yw_err yw_reply_raw(yw_req *r, int status, const char *content_type, const char *body, size_t len)
{
	r->status = status;
	r->content_type = content_type;
	r->resp_body = body;
	r->resp_len = len;
	return YW_E_OK;
}

yw_err yw_reply_json(yw_req *r, int status, json_t *body)
{
	if (!body || !yw_arena_json(r->arena, body))
		return YW_E_NO_MEMORY;
	size_t len = 0;
	char *text = yw_json_dump(r->arena, body, &len);
	if (!text)
		return YW_E_NO_MEMORY;
	return yw_reply_raw(r, status, "application/json", text, len);
}

void yw_reply_header(yw_req *r, const char *name, const char *value)
{
	if (r->nheaders == YW_MAX_RESP_HEADERS || !value)
		return;
	r->resp_header_name[r->nheaders] = name;
	r->resp_header_value[r->nheaders++] = value;
}

yw_err yw_fail(yw_req *r, yw_err e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	r->problem_detail = yw_vsprintf(r->arena, fmt, ap);
	va_end(ap);
	return e;
}

/* The fallback when even the problem document cannot be built: a fixed body, no allocation. */
static const char no_memory_body[] =
	"{\"type\":\"urn:yiwang:problem:NO_MEMORY\",\"title\":\"服务器资源不足，请稍后重试\","
	"\"status\":503,\"code\":\"NO_MEMORY\"}";

void yw_problem(yw_req *r, yw_err e, const char *detail)
{
	int status = yw_err_status(e);
	if (e == YW_E_INTERNAL || e == YW_E_DB_ERROR)
		yw_log(YW_LOG_ERROR, "req %s %s %s: %s %s", r->request_id, r->method, r->route,
		       yw_err_code(e), detail ? detail : "");
	json_t *p = json_pack("{s:s, s:s, s:i, s:s}",
	                      "type", yw_sprintf(r->arena, "urn:yiwang:problem:%s", yw_err_code(e)),
	                      "title", yw_err_title(e), "status", status, "code", yw_err_code(e));
	if (p && detail)
		json_object_set_new(p, "detail", json_string(detail));
	if (p && r->request_id[0])
		json_object_set_new(p, "instance", json_string(yw_sprintf(r->arena, "urn:yiwang:request:%s",
		                                                             r->request_id)));
	if (p && r->problem_extra)
		json_object_update(p, r->problem_extra);
	size_t len = 0;
	char *text = p && yw_arena_json(r->arena, p) ? yw_json_dump(r->arena, p, &len) : NULL;
	r->status = text ? status : 503;
	r->content_type = "application/problem+json";
	r->resp_body = text ? text : no_memory_body;
	r->resp_len = text ? len : sizeof(no_memory_body) - 1;
}

/* Dot segments are refused rather than resolved: no API path has them, and a static file path
 * with ".." must never walk out of the web folder. */
static bool has_dot_segment(const char *path)
{
	for (const char *p = path; (p = strchr(p, '/')); p++) {
		if (p[1] == '.' && (p[2] == '/' || p[2] == '\0'))
			return true;
		if (p[1] == '.' && p[2] == '.' && (p[3] == '/' || p[3] == '\0'))
			return true;
	}
	return false;
}

yw_err yw_req_set_target(yw_req *r, const char *target)
{
	if (!target || target[0] != '/')
		return yw_fail(r, YW_E_BAD_REQUEST, "请求路径应以 / 开头");
	const char *q = strchr(target, '?');
	size_t plen = q ? (size_t)(q - target) : strlen(target);
	char *path = yw_url_decode(r->arena, target, plen, false);
	if (!path)
		return yw_fail(r, YW_E_BAD_REQUEST, "请求路径中的百分号编码不正确");
	if (has_dot_segment(path))
		return yw_fail(r, YW_E_BAD_REQUEST, "请求路径不能包含 . 或 .. 段");
	r->path = path;
	r->query = q ? q + 1 : "";
	/* Every query parameter must decode, here and once: yw_req_query answers NULL for one
	 * that does not, and a filter silently dropped would widen an answer the client narrowed. */
	for (const char *p = r->query; *p;) {
		size_t n = strcspn(p, "&");
		if (n && !yw_url_decode(r->arena, p, n, true))
			return yw_fail(r, YW_E_BAD_REQUEST, "查询参数的百分号编码不正确或不是 UTF-8 文本");
		p += n;
		if (*p == '&')
			p++;
	}
	return YW_E_OK;
}
