/*
 * http — the HTTP front door: libmicrohttpd underneath, a router, and the reply helpers that
 * every module's api.c uses.
 *
 * A request flows: libmicrohttpd accepts and parses it on one of its pool threads → the adapter
 * (server.c) enforces the limits (header count, body size before reading, time), reads the body
 * with the two-call pattern and fills a yw_req with a fresh arena → yw_http_dispatch matches the
 * route and calls the module's handler → the handler answers with yw_reply_json, or returns an
 * error that becomes RFC 9457 problem+json → the adapter queues the response, logs one line and
 * frees the arena. The dispatch half knows nothing of libmicrohttpd, so the fuzzer drives it
 * directly with arbitrary bytes.
 */
#ifndef YW_HTTP_H
#define YW_HTTP_H

#include "../base/base.h"

struct yw_store;
typedef struct yw_router yw_router;
typedef struct yw_req yw_req;

/* Who is calling, as established by the authentication hook (identity module) from the session
 * cookie or a bearer token. Handlers read it; only the hook fills it. */
typedef struct {
	const char *kind;           /* "person", "staff", "client"; NULL when anonymous */
	const char *id;             /* the account's id */
	const char *name;           /* display name */
	const char *session_id;     /* the session's stored id (a hash), NULL for tokens */
	const char *csrf;           /* the session's CSRF token */
	void *ext;                  /* the identity module's own record of the caller */
} yw_principal;

/* Runs before every routed handler: may establish r->principal and refuse the request (CSRF,
 * an expired session). Returns YW_E_OK to go on, or an error recorded with yw_fail. */
typedef yw_err (*yw_before_fn)(yw_req *r);

/* What a handler may know of the running service. Owned by main; read-only after start. */
typedef struct {
	const yw_config *config;
	struct yw_store *store;     /* NULL when a handler needs no database (fuzzing) */
	struct yw_keys *keys;       /* field-encryption keys (base.h); NULL when none are needed */
	yw_router *router;
	yw_before_fn before;        /* authentication hook; NULL runs every handler anonymously */
} yw_app;

typedef yw_err (*yw_handler_fn)(yw_req *r);

#define YW_MAX_PATH_PARAMS 8
#define YW_MAX_RESP_HEADERS 8

struct yw_req {
	yw_arena *arena;
	const yw_app *app;
	const char *method;         /* "GET" */
	const char *path;           /* decoded path without the query string */
	const char *query;          /* raw query string without '?', or "" */
	const char *route;          /* the matched pattern, for the log; "-" when none */
	char request_id[40];
	const char *body;           /* NUL-terminated; body_len excludes the NUL */
	size_t body_len;
	char client_ip[48];         /* the client's address for rate limits: the peer, or X-Real-IP
	                             * when the peer is the trusted proxy; IPv6 cut to its /64 */
	yw_principal principal;     /* kind == NULL: anonymous */

	/* header lookup, supplied by whoever built the request (the server or the fuzzer) */
	const char *(*header_fn)(void *ctx, const char *name);
	void *header_ctx;

	int nparams;
	const char *param_name[YW_MAX_PATH_PARAMS];
	const char *param_value[YW_MAX_PATH_PARAMS];

	/* the answer, filled by a reply helper */
	int status;
	const char *content_type;
	const char *resp_body;
	size_t resp_len;
	int nheaders;
	const char *resp_header_name[YW_MAX_RESP_HEADERS];
	const char *resp_header_value[YW_MAX_RESP_HEADERS];
	const char *problem_detail;  /* set by yw_fail */
	json_t *problem_extra;       /* extra members for the problem document (e.g. "fields") */
};

/* ---- routing ---------------------------------------------------------------------------- */

yw_router *yw_router_new(void);
void yw_router_free(yw_router *rt);
/* Register `pattern` such as "/api/v1/divisions/{code}" (a {name} segment matches one
 * non-empty path segment). Returns 0, or -1 on a malformed pattern or no memory. */
int yw_route(yw_router *rt, const char *method, const char *pattern, yw_handler_fn fn);

/* Visit every registered route in registration order (`yiwang routes`, the route matrix test). */
typedef void (*yw_route_visit_fn)(void *ctx, const char *method, const char *pattern);
void yw_router_each(const yw_router *rt, yw_route_visit_fn fn, void *ctx);

/* Each module that serves HTTP exports one function that registers its routes. */
void yw_ref_routes(yw_router *rt);
void yw_health_routes(yw_router *rt);
void yw_identity_routes(yw_router *rt);
void yw_notify_routes(yw_router *rt);
void yw_catalog_routes(yw_router *rt);
yw_err yw_identity_before(yw_req *r);

/* Route, call the handler, and leave the answer (or the problem document) in r. Never fails:
 * a missing route is a 404, a wrong method a 405 with Allow. */
void yw_http_dispatch(const yw_app *app, yw_req *r);

/* ---- inside a handler ------------------------------------------------------------------- */

const char *yw_req_param(const yw_req *r, const char *name);     /* path parameter */
/* The first value of a query parameter, percent-decoded into the arena, or NULL. */
const char *yw_req_query(yw_req *r, const char *name);
const char *yw_req_header(const yw_req *r, const char *name);
/* The value of one cookie from the Cookie header, copied into the arena, or NULL. */
const char *yw_req_cookie(yw_req *r, const char *name);
/* The body as a JSON object, or BAD_JSON / UNSUPPORTED_MEDIA_TYPE already recorded on r. */
yw_err yw_req_json(yw_req *r, json_t **out);

/* Field errors, collected into one `fields: [{field, reason}]` array so that a form shows every
 * mistake at once rather than one per round trip. */
void yw_field_error(json_t *fields, const char *field, const char *reason);
/* A required non-empty string member of body; when it is missing, records "必填" and gives NULL. */
const char *yw_req_field(json_t *body, const char *key, json_t *fields);
/* BAD_PARAMETER with the collected fields as the problem's "fields" member. */
yw_err yw_fail_fields(yw_req *r, json_t *fields);

/* Answer with JSON (takes the reference to body). Returns YW_E_OK so a handler can
 * `return yw_reply_json(r, 200, obj);`. */
yw_err yw_reply_json(yw_req *r, int status, json_t *body);
yw_err yw_reply_raw(yw_req *r, int status, const char *content_type, const char *body, size_t len);
void yw_reply_header(yw_req *r, const char *name, const char *value);
/* Record a Chinese detail for the problem document and return e, so that a handler can
 * `return yw_fail(r, YW_E_BAD_DATE, "from 应为 YYYY-MM-DD，收到 %s", s);`. */
yw_err yw_fail(yw_req *r, yw_err e, const char *detail_fmt, ...) __attribute__((format(printf, 3, 4)));

/* Build the problem+json body for e into r (used by dispatch and by the server for 413/431). */
void yw_problem(yw_req *r, yw_err e, const char *detail);

/* Split a raw request target ("/api/v1/x%20y?a=1") into r->path (percent-decoded) and
 * r->query (raw). Refuses, with a problem recorded on r, a target that is not an origin-form
 * path or that decodes to a NUL or a "." / ".." segment. */
yw_err yw_req_set_target(yw_req *r, const char *target);

/* Percent-decode src[0..n) into the arena ('+' stays '+' in paths; in queries it is a space).
 * Returns NULL on a malformed escape, an embedded NUL, or a result that is not UTF-8. */
char *yw_url_decode(yw_arena *a, const char *src, size_t n, bool plus_is_space);

/* ---- the server ------------------------------------------------------------------------- */

typedef struct yw_server yw_server;
/* Start listening (libmicrohttpd thread pool on epoll). On failure, writes a message to err. */
yw_err yw_server_start(const yw_app *app, yw_server **out, char *err, size_t errlen);
int yw_server_port(const yw_server *s);     /* the bound port (useful with port 0) */
void yw_server_stop(yw_server *s);

#endif
