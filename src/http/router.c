/*
 * The router. Routes are few (tens, not thousands) and the path is split once, so a linear scan
 * over pre-split patterns beats any tree on both speed and clarity. When two patterns match one
 * path, the one whose first differing segment is literal wins: /calendar/workdays over
 * /calendar/{year}, whatever order they were registered in.
 */
#include "http.h"
#include "../store/store.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SEGMENTS 16

typedef struct {
	char method[8];
	char *pattern;                  /* owned copy, for the log */
	int nseg;
	char *seg[MAX_SEGMENTS];        /* literal text, or the parameter name when is_param */
	bool is_param[MAX_SEGMENTS];
	yw_handler_fn fn;
} route;

struct yw_router {
	route *routes;
	int n, cap;
};

yw_router *yw_router_new(void) { return calloc(1, sizeof(yw_router)); }

void yw_router_free(yw_router *rt)
{
	if (!rt)
		return;
	for (int i = 0; i < rt->n; i++) {
		free(rt->routes[i].pattern);
		for (int s = 0; s < rt->routes[i].nseg; s++)
			free(rt->routes[i].seg[s]);
	}
	free(rt->routes);
	free(rt);
}

static int split_pattern(route *r, const char *pattern)
{
	const char *p = pattern;
	if (*p != '/')
		return -1;
	while (*p == '/') {
		p++;
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == 0 || r->nseg == MAX_SEGMENTS)
			return -1;
		bool param = p[0] == '{';
		if (param && (len < 3 || p[len - 1] != '}'))
			return -1;
		char *s = param ? strndup(p + 1, len - 2) : strndup(p, len);
		if (!s)
			return -1;
		r->is_param[r->nseg] = param;
		r->seg[r->nseg++] = s;
		p += len;
	}
	return *p == '\0' ? 0 : -1;
}

int yw_route(yw_router *rt, const char *method, const char *pattern, yw_handler_fn fn)
{
	if (!rt || strlen(method) >= sizeof(((route *)0)->method))
		return -1;
	if (rt->n == rt->cap) {
		int cap = rt->cap ? rt->cap * 2 : 16;
		route *nr = realloc(rt->routes, (size_t)cap * sizeof(route));
		if (!nr)
			return -1;
		rt->routes = nr;
		rt->cap = cap;
	}
	route *r = &rt->routes[rt->n];
	memset(r, 0, sizeof(*r));
	strcpy(r->method, method);
	r->fn = fn;
	r->pattern = strdup(pattern);
	if (!r->pattern || split_pattern(r, pattern)) {
		free(r->pattern);
		for (int s = 0; s < r->nseg; s++)
			free(r->seg[s]);
		return -1;
	}
	rt->n++;
	return 0;
}

void yw_router_each(const yw_router *rt, yw_route_visit_fn fn, void *ctx)
{
	for (int i = 0; rt && i < rt->n; i++)
		fn(ctx, rt->routes[i].method, rt->routes[i].pattern);
}

/* Split a decoded path into segments pointing into a writable copy. */
static int split_path(char *path, char **seg)
{
	int n = 0;
	char *p = path;
	if (*p != '/')
		return -1;
	while (*p == '/') {
		*p++ = '\0';
		char *end = strchr(p, '/');
		if (end == p || *p == '\0')
			return -1;   /* "//" or a trailing slash: no route has empty segments */
		if (n == MAX_SEGMENTS)
			return -1;
		seg[n++] = p;
		if (!end)
			break;
		p = end;
	}
	return n;
}

/* A bitmask of which segments matched literally; a higher mask at the first difference wins.
 * Literal segments earlier in the path weigh more. */
static int match(const route *r, char **seg, int nseg)
{
	if (r->nseg != nseg)
		return -1;
	int score = 0;
	for (int i = 0; i < nseg; i++) {
		score <<= 1;
		if (r->is_param[i])
			continue;
		if (strcmp(r->seg[i], seg[i]))
			return -1;
		score |= 1;
	}
	return score;
}

static bool method_matches(const char *route_method, const char *method)
{
	/* HEAD is GET without the body; libmicrohttpd drops the body for us. */
	return !strcmp(route_method, method) || (!strcmp(method, "HEAD") && !strcmp(route_method, "GET"));
}

static yw_err route_request(const yw_router *rt, yw_req *r, const route **found)
{
	char *copy = yw_strdup(r->arena, r->path);
	char *seg[MAX_SEGMENTS];
	if (!copy)
		return YW_E_NO_MEMORY;
	int nseg = split_path(copy, seg);
	const route *best = NULL;
	int best_score = -1;
	char allow[128] = "";
	for (int i = 0; nseg >= 0 && i < rt->n; i++) {
		int score = match(&rt->routes[i], seg, nseg);
		if (score < 0)
			continue;
		if (!method_matches(rt->routes[i].method, r->method)) {
			if (!strstr(allow, rt->routes[i].method) && strlen(allow) + 10 < sizeof(allow)) {
				if (*allow)
					strcat(allow, ", ");
				strcat(allow, rt->routes[i].method);
			}
			continue;
		}
		if (score > best_score) {
			best = &rt->routes[i];
			best_score = score;
		}
	}
	if (!best) {
		if (*allow) {
			yw_reply_header(r, "Allow", yw_strdup(r->arena, allow));
			return YW_E_METHOD_NOT_ALLOWED;
		}
		return YW_E_NOT_FOUND;
	}
	r->nparams = 0;
	for (int i = 0; i < nseg && r->nparams < YW_MAX_PATH_PARAMS; i++) {
		if (!best->is_param[i])
			continue;
		r->param_name[r->nparams] = best->seg[i];
		r->param_value[r->nparams++] = seg[i];
	}
	r->route = best->pattern;
	*found = best;
	return YW_E_OK;
}

void yw_http_dispatch(const yw_app *app, yw_req *r)
{
	const route *rt = NULL;
	r->app = app;
	yw_err e = route_request(app->router, r, &rt);
	if (e == YW_E_NOT_FOUND) {
		yw_problem(r, e, yw_sprintf(r->arena, "没有路径为 %s 的接口", r->path));
		return;
	}
	if (e == YW_E_METHOD_NOT_ALLOWED) {
		yw_problem(r, e, yw_sprintf(r->arena, "该路径不支持 %s 方法", r->method));
		return;
	}
	/* The request's reads share one snapshot (store.h, yw_store_pin), its answer included. */
	if (app->store)
		yw_store_pin(app->store);
	if (e == YW_E_OK && app->before)
		e = app->before(r);
	if (e == YW_E_OK)
		e = rt->fn(r);
	if (app->store)
		yw_store_unpin(app->store);
	if (e != YW_E_OK)
		yw_problem(r, e, r->problem_detail);
	else if (r->status == 0)
		yw_problem(r, YW_E_INTERNAL, "处理程序没有给出应答");
}
