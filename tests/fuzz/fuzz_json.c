/*
 * Fuzz JSON request bodies: the parser rules (objects only, no duplicate keys, no NUL) and a
 * handler that reads fields from the body. Invariant: no crash, no leak, no answer of 500 or
 * more, and a parse either yields an object or a BAD_JSON with a reason.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

static yw_app app;
static yw_config cfg;

static const char *content_type_json(void *ctx, const char *name)
{
	(void)ctx;
	return !strcmp(name, "Content-Type") ? "application/json; charset=utf-8" : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!app.router) {
		yw_config_defaults(&cfg);
		yw_router *rt = yw_router_new();
		yw_ref_routes(rt);
		app = (yw_app){ .config = &cfg, .router = rt };
		yw_log_set_level(YW_LOG_ERROR);
	}
	yw_arena *a = yw_arena_new(1024);
	json_t *obj = NULL;
	const char *why = NULL;
	yw_err e = yw_json_parse_object(a, (const char *)data, size, &obj, &why);
	if ((e == YW_E_OK) != (obj != NULL) || (e != YW_E_OK && (e != YW_E_BAD_JSON || !why)))
		abort();
	if (obj && !json_is_object(obj))
		abort();

	yw_req *r = yw_zalloc(a, sizeof(*r));
	r->arena = a;
	r->method = "POST";
	r->route = "-";
	r->header_fn = content_type_json;
	r->body = yw_strndup(a, (const char *)data, size);
	r->body_len = size;
	strcpy(r->request_id, "fuzz");
	if (yw_req_set_target(r, "/api/v1/calendar/workdays") != YW_E_OK)
		abort();
	yw_http_dispatch(&app, r);
	if (r->status < 200 || r->status >= 500) {
		fprintf(stderr, "status %d\n", r->status);
		abort();
	}
	yw_arena_free(a);
	return 0;
}
