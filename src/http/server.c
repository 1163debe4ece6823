/*
 * The libmicrohttpd adapter: the only file that knows libmicrohttpd.
 *
 * libmicrohttpd calls the access handler several times per request. The first call only sees
 * the headers: that is where the limits are enforced, so an oversized body is refused with 413
 * before a byte of it is read. Further calls hand over the body in pieces; the last call (no
 * data left) runs the handler and queues the answer. libmicrohttpd closes the connection after
 * any answer queued on the first call, so we answer there only to refuse (and in one case where
 * waiting is broken, see expects_continue_without_body).
 *
 * The connection timeout counts idle time only: a client trickling bytes keeps its slot. Run
 * behind a reverse proxy (which buffers requests) where slow clients are a concern.
 *
 * Each request gets its state (and its arena) in the URI-log callback, the earliest point
 * libmicrohttpd offers, which also hands us the raw request target with its query string, so
 * that path decoding and query parsing are ours and the same code the fuzzer drives.
 */
#include "http.h"
#include "static.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

struct yw_server {
	struct MHD_Daemon *daemon;
	const yw_app *app;
	yw_static *web;
	char rid_prefix[12];
	atomic_ullong rid_counter;
	int port;
};

typedef struct {
	yw_req req;
	uint64_t started_us;
	yw_buf body;
	bool headers_seen;
	bool too_large;
	bool no_memory;
	size_t drained;              /* bytes of a refused body read and thrown away */
	size_t max_body;             /* this request's limit: max-body, or max-upload for a file */
	const char *log_method;
} conn_state;

/* ---- request state ---------------------------------------------------------------------- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)c;
	(void)cls;
	conn_state *cs = calloc(1, sizeof(*cs));
	if (!cs)
		return NULL;
	cs->started_us = yw_now_us_mono();
	cs->req.arena = yw_arena_new(4096);
	cs->req.route = "-";
	/* a NULL target is caught when the handler runs, as a 400 */
	cs->req.path = cs->req.arena ? yw_strdup(cs->req.arena, uri) : NULL;
	return cs;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	conn_state *cs = *req_cls;
	if (!cs)
		return;
	int status = toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? cs->req.status : 499;
	if (cs->req.request_id[0])
		yw_log_request(cs->req.request_id, cs->log_method, cs->req.route, status,
		               yw_now_us_mono() - cs->started_us);
	yw_buf_free(&cs->body);
	yw_arena_free(cs->req.arena);
	free(cs);
	*req_cls = NULL;
}

static const char *mhd_header(void *ctx, const char *name)
{
	return MHD_lookup_connection_value(ctx, MHD_HEADER_KIND, name);
}

static bool request_id_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 36)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      ch == '-' || ch == '_' || ch == '.'))
			return false;
	}
	return true;
}

/* Rate limits key on this text. An IPv6 client controls a whole /64, so IPv6 addresses are cut
 * to their /64; otherwise one attacker would have 2^64 keys. */
static void format_client(int family, const void *addr, char *out, size_t len)
{
	if (family == AF_INET6) {
		unsigned char net[16] = { 0 };
		memcpy(net, addr, 8);
		inet_ntop(AF_INET6, net, out, (socklen_t)len);
		strncat(out, "/64", len - strlen(out) - 1);
	} else {
		inet_ntop(AF_INET, addr, out, (socklen_t)len);
	}
}

/* The client's address: the TCP peer, unless the peer is the configured reverse proxy, in which
 * case the proxy's X-Real-IP header (one address) is believed. Anyone else's header is ignored. */
static void note_client_ip(yw_server *s, conn_state *cs, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	char *out = cs->req.client_ip;
	size_t len = sizeof(cs->req.client_ip);
	char peer[INET6_ADDRSTRLEN] = "";
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, peer, sizeof(peer));
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, peer, sizeof(peer));
	const char *proxy = s->app->config->trusted_proxy;
	const char *real = proxy[0] && !strcmp(peer, proxy)
	                           ? MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Real-IP")
	                           : NULL;
	unsigned char addr[16];
	if (real && inet_pton(AF_INET, real, addr) == 1)
		format_client(AF_INET, addr, out, len);
	else if (real && inet_pton(AF_INET6, real, addr) == 1)
		format_client(AF_INET6, addr, out, len);
	else if (sa && sa->sa_family == AF_INET)
		format_client(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, len);
	else if (sa && sa->sa_family == AF_INET6)
		format_client(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, len);
}

static void assign_request_id(yw_server *s, conn_state *cs, struct MHD_Connection *c)
{
	const char *given = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Request-Id");
	if (request_id_ok(given)) {
		snprintf(cs->req.request_id, sizeof(cs->req.request_id), "%s", given);
		return;
	}
	unsigned long long n = atomic_fetch_add_explicit(&s->rid_counter, 1, memory_order_relaxed);
	snprintf(cs->req.request_id, sizeof(cs->req.request_id), "%s-%llx", s->rid_prefix, n);
}

/* ---- answering -------------------------------------------------------------------------- */

static bool handler_set(const yw_req *r, const char *name)
{
	for (int i = 0; i < r->nheaders; i++)
		if (!strcasecmp(r->resp_header_name[i], name))
			return true;
	return false;
}

static enum MHD_Result send_response(struct MHD_Connection *c, conn_state *cs, const char *body,
                                     size_t len, const yw_static_file *f, bool gz)
{
	yw_req *r = &cs->req;
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	if (r->content_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
	MHD_add_response_header(resp, "X-Request-Id", r->request_id);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	/* No page of ours is meant to be framed by another site (clickjacking of login forms). A
	 * handler that sets its own (a material shown inside our case page) says so in full. */
	if (!handler_set(r, "X-Frame-Options"))
		MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	if (!handler_set(r, "Content-Security-Policy"))
		MHD_add_response_header(resp, "Content-Security-Policy", "frame-ancestors 'none'");
	if (f) {
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, f->etag);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, f->cache_control);
		if (f->gz)
			MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
		if (gz)
			MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	} else if (!handler_set(r, MHD_HTTP_HEADER_CACHE_CONTROL)) {
		/* Answers are personal unless their handler says otherwise. */
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	}
	for (int i = 0; i < r->nheaders; i++)
		MHD_add_response_header(resp, r->resp_header_name[i], r->resp_header_value[i]);
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result send_problem(struct MHD_Connection *c, conn_state *cs, yw_err e,
                                    const char *detail)
{
	yw_problem(&cs->req, e, detail);
	return send_response(c, cs, cs->req.resp_body, cs->req.resp_len, NULL, false);
}

static bool accepts_gzip(struct MHD_Connection *c)
{
	const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
	return ae && strstr(ae, "gzip");
}

static enum MHD_Result serve_static(struct MHD_Connection *c, conn_state *cs, const yw_static_file *f)
{
	yw_req *r = &cs->req;
	r->route = "static";
	const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (inm && (strstr(inm, f->etag) || !strcmp(inm, "*"))) {
		r->status = 304;
		r->content_type = NULL;
		return send_response(c, cs, "", 0, f, false);
	}
	bool gz = f->gz && accepts_gzip(c);
	r->status = 200;
	r->content_type = f->content_type;
	return gz ? send_response(c, cs, f->gz, f->gz_len, f, true)
	          : send_response(c, cs, f->data, f->len, f, false);
}

static bool is_read_method(const char *m) { return !strcmp(m, "GET") || !strcmp(m, "HEAD"); }

static enum MHD_Result refuse_body(yw_server *s, struct MHD_Connection *c, conn_state *cs)
{
	(void)s;
	return send_problem(c, cs, YW_E_BODY_TOO_LARGE,
	                    yw_sprintf(cs->req.arena, "请求体不能超过 %zu 字节", cs->max_body));
}

/* The routes that take a file as their body: POST /api/v1/materials and
 * POST /api/v1/cases/{id}/materials. They get max-upload; every other route keeps the small
 * max-body, so a large body is refused before it is read wherever no file is expected. The raw
 * target is matched (before decoding), which is safe: a target that decodes to one of these
 * paths from escapes is not one of them here and gets the small limit. */
static bool takes_file(const char *method, const char *target)
{
	if (strcmp(method, "POST"))
		return false;
	size_t n = strcspn(target, "?");
	static const char mat[] = "/api/v1/materials", cases[] = "/api/v1/cases/",
	                  tail[] = "/materials";
	if (n == sizeof mat - 1 && !strncmp(target, mat, n))
		return true;
	if (n <= sizeof cases - 1 + sizeof tail - 1 || strncmp(target, cases, sizeof cases - 1) ||
	    strncmp(target + n - (sizeof tail - 1), tail, sizeof tail - 1))
		return false;
	/* exactly one segment between: the case id */
	const char *id = target + sizeof cases - 1;
	size_t idlen = n - (sizeof cases - 1) - (sizeof tail - 1);
	return memchr(id, '/', idlen) == NULL;
}

static enum MHD_Result handle(yw_server *s, struct MHD_Connection *c, conn_state *cs)
{
	yw_req *r = &cs->req;
	if (cs->no_memory)
		return send_problem(c, cs, YW_E_NO_MEMORY, NULL);
	if (cs->too_large)
		return refuse_body(s, c, cs);
	yw_err e = yw_req_set_target(r, r->path);
	if (e)
		return send_problem(c, cs, e, r->problem_detail);
	if (is_read_method(r->method) && !yw_str_has_prefix(r->path, "/api/")) {
		const yw_static_file *f = yw_static_find(s->web, r->path);
		if (f)
			return serve_static(c, cs, f);
	}
	r->body = cs->body.data ? cs->body.data : "";
	r->body_len = cs->body.len;
	yw_http_dispatch(s->app, r);
	return send_response(c, cs, r->resp_body, r->resp_len, NULL, false);
}

/* A declared body length over the limit, or one that is not a plain decimal number (which
 * libmicrohttpd might still accept, e.g. values past 2^62), is refused before reading. */
static bool declared_too_large(const char *cl, size_t max)
{
	size_t n = 0;
	for (const char *p = cl; *p; p++) {
		if (*p < '0' || *p > '9' || n > (SIZE_MAX - 9) / 10)
			return true;
		n = n * 10 + (size_t)(*p - '0');
	}
	return !*cl || n > max;
}

/* libmicrohttpd 0.9.75 sends "100 Continue" for a request that declares no body and then cannot
 * queue the answer on a later call, dropping the connection unanswered. Such a request has
 * nothing to wait for, so it is answered at once. */
static bool expects_continue_without_body(struct MHD_Connection *c, const char *cl)
{
	if (!MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT))
		return false;
	if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING))
		return false;
	return !cl || !strcmp(cl, "0");
}

/* First call: headers only. Enforce the limits before any body is read. */
static enum MHD_Result on_headers(yw_server *s, struct MHD_Connection *c, conn_state *cs)
{
	const yw_config *cfg = s->app->config;
	if (!cs->req.arena || !cs->req.path)
		return send_problem(c, cs, YW_E_NO_MEMORY, NULL);
	int nheaders = MHD_get_connection_values(c, MHD_HEADER_KIND, NULL, NULL);
	if (nheaders > cfg->max_headers)
		return send_problem(c, cs, YW_E_HEADERS_TOO_LARGE,
		                    yw_sprintf(cs->req.arena, "请求头不能超过 %d 个", cfg->max_headers));
	cs->max_body = takes_file(cs->req.method, cs->req.path) ? cfg->max_upload : cfg->max_body;
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && declared_too_large(cl, cs->max_body))
		return refuse_body(s, c, cs);
	if (expects_continue_without_body(c, cl))
		return handle(s, c, cs);
	return MHD_YES;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *c, const char *url,
                                 const char *method, const char *version, const char *upload_data,
                                 size_t *upload_data_size, void **req_cls)
{
	(void)url;
	(void)version;
	yw_server *s = cls;
	conn_state *cs = *req_cls;
	if (!cs)
		return MHD_NO;   /* no memory for the state: drop the connection */
	if (!cs->headers_seen) {
		cs->headers_seen = true;
		cs->log_method = method;
		cs->req.method = method;
		cs->req.header_fn = mhd_header;
		cs->req.header_ctx = c;
		assign_request_id(s, cs, c);
		note_client_ip(s, cs, c);
		return on_headers(s, c, cs);
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (cs->too_large || cs->no_memory) {
			/* Keep draining so the answer can be read, but not forever: a client that goes
			 * on sending far past the limit loses its connection. */
			cs->drained += n;
			return cs->drained > 2 * cs->max_body ? MHD_NO : MHD_YES;
		}
		if (cs->body.len + n > cs->max_body) {
			cs->too_large = true;   /* a chunked body with no Content-Length grew too big */
			yw_buf_free(&cs->body);
		} else if (yw_buf_append(&cs->body, upload_data, n)) {
			cs->no_memory = true;
			yw_buf_free(&cs->body);
		}
		return MHD_YES;
	}
	return handle(s, c, cs);
}

/* ---- start and stop --------------------------------------------------------------------- */

/* libmicrohttpd's own messages quote the request path (`/api/…'), which may hold an ID number;
 * the quoted part is blanked before the message joins our log. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n <= 0)
		return;
	for (char *open = strchr(msg, '`'); open; open = strchr(open + 1, '`')) {
		char *close = strchr(open + 1, '\'');
		if (!close)
			break;
		memset(open + 1, '*', (size_t)(close - open - 1));
		open = close;
	}
	size_t len = strlen(msg);
	while (len && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
		msg[--len] = '\0';
	yw_log(YW_LOG_WARN, "libmicrohttpd: %s", msg);
}

static int resolve(const char *host, int port, struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
	                          .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res = NULL;
	char ports[8];
	snprintf(ports, sizeof(ports), "%d", port);
	if (getaddrinfo(host, ports, &hints, &res) || !res)
		return -1;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

yw_err yw_server_start(const yw_app *app, yw_server **out, char *err, size_t errlen)
{
	const yw_config *cfg = app->config;
	yw_server *s = calloc(1, sizeof(*s));
	if (!s)
		return YW_E_NO_MEMORY;
	s->app = app;
	unsigned int rnd = 0;
	if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
		rnd = (unsigned int)yw_now_us_mono();
	snprintf(s->rid_prefix, sizeof(s->rid_prefix), "%08x", rnd);

	s->web = yw_static_load(cfg->web_dir);
	if (!s->web) {
		snprintf(err, errlen, "无法读取网页目录 %s", cfg->web_dir);
		free(s);
		return YW_E_IO;
	}
	if (yw_static_count(s->web) == 0)
		yw_log(YW_LOG_WARN, "web app not found in %s: only the API is served (run `make web`)",
		       cfg->web_dir);

	struct sockaddr_storage ss;
	socklen_t sslen;
	if (resolve(cfg->listen_host, cfg->listen_port, &ss, &sslen)) {
		snprintf(err, errlen, "无法解析监听地址 %s", cfg->listen_host);
		yw_static_free(s->web);
		free(s);
		return YW_E_CONFIG;
	}
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
	                     MHD_USE_TURBO;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->daemon = MHD_start_daemon(
		flags, (uint16_t)cfg->listen_port, NULL, NULL, on_access, s,
		/* first, so that libmicrohttpd's complaints about the options below reach our log */
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)cfg->threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cfg->max_connections,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cfg->timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_END);
	if (!s->daemon) {
		snprintf(err, errlen, "无法在 %s:%d 上监听（端口被占用或无权限？）", cfg->listen_host,
		         cfg->listen_port);
		yw_static_free(s->web);
		free(s);
		return YW_E_UNAVAILABLE;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : cfg->listen_port;
	*out = s;
	return YW_E_OK;
}

int yw_server_port(const yw_server *s) { return s->port; }

void yw_server_stop(yw_server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->daemon);
	yw_static_free(s->web);
	free(s);
}
