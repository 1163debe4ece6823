/* http: router matching and precedence, path decoding, query parameters, problem documents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "http/http.h"

static yw_err h_literal(yw_req *r) { return yw_reply_raw(r, 200, "text/plain", "literal", 7); }
static yw_err h_param(yw_req *r)
{
	const char *v = yw_req_param(r, "year");
	return yw_reply_raw(r, 200, "text/plain", v, strlen(v));
}
static yw_err h_two(yw_req *r)
{
	const char *s = yw_sprintf(r->arena, "%s/%s", yw_req_param(r, "a"), yw_req_param(r, "b"));
	return yw_reply_raw(r, 201, "text/plain", s, strlen(s));
}
static yw_err h_fail(yw_req *r) { return yw_fail(r, YW_E_BAD_DATE, "from 应为日期，收到 %s", "x"); }
static yw_err h_silent(yw_req *r) { (void)r; return YW_E_OK; }

static yw_router *rt;
static yw_config cfg;
static yw_app app;

static int setup(void **state)
{
	(void)state;
	rt = yw_router_new();
	yw_config_defaults(&cfg);
	assert_int_equal(yw_route(rt, "GET", "/api/v1/calendar/{year}", h_param), 0);
	assert_int_equal(yw_route(rt, "GET", "/api/v1/calendar/workdays", h_literal), 0);
	assert_int_equal(yw_route(rt, "POST", "/api/v1/calendar/workdays", h_literal), 0);
	assert_int_equal(yw_route(rt, "PUT", "/x/{a}/y/{b}", h_two), 0);
	assert_int_equal(yw_route(rt, "GET", "/fail", h_fail), 0);
	assert_int_equal(yw_route(rt, "GET", "/silent", h_silent), 0);
	assert_int_equal(yw_route(rt, "GET", "no-slash", h_fail), -1);
	assert_int_equal(yw_route(rt, "GET", "/a//b", h_fail), -1);
	assert_int_equal(yw_route(rt, "GET", "/a/{}", h_fail), -1);
	app = (yw_app){ .config = &cfg, .router = rt };
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	yw_router_free(rt);
	return 0;
}

/* Run one request through the same path the server takes and return the request. */
static yw_req *run(yw_arena *a, const char *method, const char *target)
{
	yw_req *r = yw_zalloc(a, sizeof(*r));
	r->arena = a;
	r->method = method;
	r->route = "-";
	strcpy(r->request_id, "t-1");
	if (yw_req_set_target(r, target) != YW_E_OK) {
		yw_problem(r, YW_E_BAD_REQUEST, r->problem_detail);
		return r;
	}
	yw_http_dispatch(&app, r);
	return r;
}

static void body_is(const yw_req *r, const char *want)
{
	assert_int_equal(r->resp_len, strlen(want));
	assert_memory_equal(r->resp_body, want, r->resp_len);
}

static void literal_segment_beats_parameter(void **state)
{
	(void)state;
	yw_arena *a = yw_arena_new(0);
	yw_req *r = run(a, "GET", "/api/v1/calendar/workdays?from=2026-09-30");
	assert_int_equal(r->status, 200);
	body_is(r, "literal");
	assert_string_equal(r->route, "/api/v1/calendar/workdays");
	r = run(a, "GET", "/api/v1/calendar/2026");
	body_is(r, "2026");
	assert_string_equal(r->route, "/api/v1/calendar/{year}");
	r = run(a, "PUT", "/x/%E5%AE%BF/y/2");
	assert_int_equal(r->status, 201);
	body_is(r, "宿/2");
	yw_arena_free(a);
}

static void misses_are_404_and_wrong_methods_405(void **state)
{
	(void)state;
	yw_arena *a = yw_arena_new(0);
	const char *missing[] = { "/", "/api", "/api/v1/calendar", "/api/v1/calendar/2026/x",
	                          "/api/v1/calendar/", "/api//v1/calendar/2026" };
	for (size_t i = 0; i < sizeof(missing) / sizeof(*missing); i++) {
		yw_req *r = run(a, "GET", missing[i]);
		assert_int_equal(r->status, 404);
		assert_string_equal(r->content_type, "application/problem+json");
	}
	yw_req *r = run(a, "DELETE", "/api/v1/calendar/workdays");
	assert_int_equal(r->status, 405);
	assert_int_equal(r->nheaders, 1);
	assert_string_equal(r->resp_header_name[0], "Allow");
	assert_string_equal(r->resp_header_value[0], "GET, POST");
	r = run(a, "HEAD", "/api/v1/calendar/2026");   /* HEAD is served by GET routes */
	assert_int_equal(r->status, 200);
	yw_arena_free(a);
}

static void handler_errors_become_problems(void **state)
{
	(void)state;
	yw_arena *a = yw_arena_new(0);
	yw_req *r = run(a, "GET", "/fail");
	assert_int_equal(r->status, 400);
	json_error_t err;
	json_t *p = json_loadb(r->resp_body, r->resp_len, 0, &err);
	assert_non_null(p);
	assert_string_equal(json_string_value(json_object_get(p, "code")), "BAD_DATE");
	assert_string_equal(json_string_value(json_object_get(p, "detail")), "from 应为日期，收到 x");
	assert_string_equal(json_string_value(json_object_get(p, "instance")), "urn:yiwang:request:t-1");
	assert_int_equal(json_integer_value(json_object_get(p, "status")), 400);
	json_decref(p);
	r = run(a, "GET", "/silent");   /* a handler that forgot to answer is our bug: a 500 */
	assert_int_equal(r->status, 500);
	yw_arena_free(a);
}

static void targets_and_queries(void **state)
{
	(void)state;
	yw_arena *a = yw_arena_new(0);
	yw_req r = { .arena = a };
	assert_int_equal(yw_req_set_target(&r, "/a%20b/c?x=1&y=%E5%AE%BF+%E5%B7%9E&z&x=2"), YW_E_OK);
	assert_string_equal(r.path, "/a b/c");
	assert_string_equal(yw_req_query(&r, "x"), "1");              /* the first value */
	assert_string_equal(yw_req_query(&r, "y"), "宿 州");
	assert_string_equal(yw_req_query(&r, "z"), "");
	assert_null(yw_req_query(&r, "w"));
	assert_null(yw_req_query(&r, "xx"));
	/* a query parameter that does not decode refuses the request: ignoring it would widen an
	 * answer the client meant to narrow */
	assert_int_equal(yw_req_set_target(&r, "/bad?x=%zz"), YW_E_BAD_REQUEST);
	assert_int_equal(yw_req_set_target(&r, "/bad?item=%FF"), YW_E_BAD_REQUEST);
	assert_int_equal(yw_req_set_target(&r, "/ok?a=1&&b=%E5%AE%BF"), YW_E_OK);

	const char *bad[] = { "", "x", "/a%2", "/a%zz", "/a%00b", "/../etc/passwd", "/a/./b", "/a/.." };
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_not_equal(yw_req_set_target(&r, bad[i]), YW_E_OK);
	assert_int_equal(yw_req_set_target(&r, "/a/..b/.c"), YW_E_OK);  /* dots inside names are fine */
	assert_null(yw_url_decode(a, "%", 1, false));
	assert_string_equal(yw_url_decode(a, "a+b", 3, false), "a+b");
	assert_string_equal(yw_url_decode(a, "a+b", 3, true), "a b");
	/* Only UTF-8 comes out: a lone byte, an overlong form, a surrogate are the client's error. */
	assert_string_equal(yw_url_decode(a, "%E6%88%B7", 9, false), "户");
	assert_null(yw_url_decode(a, "%FF", 3, false));
	assert_null(yw_url_decode(a, "%C3", 3, false));
	assert_null(yw_url_decode(a, "%C0%AF", 6, false));
	assert_null(yw_url_decode(a, "%ED%A0%80", 9, false));
	assert_null(yw_url_decode(a, "%F4%90%80%80", 12, false));
	yw_arena_free(a);
}

static const char *cookie_header(void *ctx, const char *name)
{
	return !strcmp(name, "Cookie") ? ctx : NULL;
}

static void cookies(void **state)
{
	(void)state;
	yw_arena *a = yw_arena_new(0);
	yw_req r = { .arena = a, .header_fn = cookie_header,
	             .header_ctx = (void *)"theme=dark; yw_session=abc-123;x=; yw_sessionx=no" };
	assert_string_equal(yw_req_cookie(&r, "yw_session"), "abc-123");
	assert_string_equal(yw_req_cookie(&r, "theme"), "dark");
	assert_string_equal(yw_req_cookie(&r, "x"), "");
	assert_null(yw_req_cookie(&r, "yw"));
	assert_null(yw_req_cookie(&r, "missing"));
	r.header_ctx = NULL;
	assert_null(yw_req_cookie(&r, "yw_session"));
	yw_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(literal_segment_beats_parameter),
		cmocka_unit_test(misses_are_404_and_wrong_methods_405),
		cmocka_unit_test(handler_errors_become_problems),
		cmocka_unit_test(targets_and_queries),
		cmocka_unit_test(cookies),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
