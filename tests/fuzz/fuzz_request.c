/*
 * Fuzz the request path that is ours: target splitting, percent-decoding, query parsing, the
 * router and every registered handler, with the real routes. The first byte picks the method,
 * the bytes up to the first newline are the request target, the rest is the body.
 * Invariant: whatever a client sends, the answer is a well-formed response below 500.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "oidc/oidc.h"
#include "store/store.h"

static yw_app app;
static yw_config cfg;

static const char *no_header(void *ctx, const char *name)
{
	(void)ctx;
	if (!strcmp(name, "X-CSRF-Token"))
		return "1";
	return !strcmp(name, "Content-Type") ? "application/json" : NULL;
}

/* The real routes with the real hook, over a throwaway SQLite store and key file in /dev/shm:
 * on tmpfs the store's fsyncs cost nothing, so the fuzzer keeps its pace through write routes. */
static void init(void)
{
	if (app.router)
		return;
	yw_config_defaults(&cfg);
	yw_log_set_level(YW_LOG_ERROR);
	char dir[] = "/dev/shm/yw-fuzz-XXXXXX";
	char err[512];
	yw_store *store = NULL;
	yw_keys *keys = NULL;
	if (!mkdtemp(dir))
		abort();
	snprintf(cfg.data_dir, sizeof(cfg.data_dir), "%s", dir);
	cfg.sandbox = true;
	if (yw_store_open(&cfg, &store, err, sizeof(err)) || yw_store_migrate(store, NULL, err, sizeof(err)) ||
	    yw_keys_open(dir, &keys, err, sizeof(err))) {
		fprintf(stderr, "fuzz_request: %s\n", err);
		abort();
	}
	yw_router *rt = yw_router_new();
	yw_health_routes(rt);
	yw_ref_routes(rt);
	yw_identity_routes(rt);
	yw_notify_routes(rt);
	yw_oidc_routes(rt);
	yw_catalog_routes(rt);
	app = (yw_app){ .config = &cfg, .store = store, .keys = keys, .router = rt,
	                .before = yw_oidc_before };   /* the server's composed hook */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *methods[] = { "GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS" };
	init();
	if (size == 0)
		return 0;
	yw_arena *a = yw_arena_new(1024);
	yw_req *r = yw_zalloc(a, sizeof(*r));
	r->arena = a;
	r->method = methods[data[0] % 7];
	r->route = "-";
	r->header_fn = no_header;
	strcpy(r->request_id, "fuzz");
	const char *rest = (const char *)data + 1;
	size_t n = size - 1;
	const char *nl = memchr(rest, '\n', n);
	size_t tlen = nl ? (size_t)(nl - rest) : n;
	char *target = yw_strndup(a, rest, tlen);
	/* libmicrohttpd never hands over a target with a NUL in it */
	if (strlen(target) == tlen) {
		r->body = nl ? yw_strndup(a, nl + 1, n - tlen - 1) : "";
		r->body_len = nl ? n - tlen - 1 : 0;
		if (yw_req_set_target(r, target) == YW_E_OK)
			yw_http_dispatch(&app, r);
		else
			yw_problem(r, YW_E_BAD_REQUEST, r->problem_detail);
		if (r->status < 200 || r->status >= 500 || !r->resp_body) {
			fprintf(stderr, "status %d for %s %s\n", r->status, r->method, target);
			abort();
		}
	}
	yw_arena_free(a);
	return 0;
}
