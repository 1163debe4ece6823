/*
 * Webhook subscriptions of department systems (events.h, docs/cases.md "Events for department
 * systems"):
 *   POST   /api/v1/webhooks {url, events, department_id?} → 201 subscription + secret (shown once)
 *   GET    /api/v1/webhooks                    → {items: [subscription…]}  the caller's own
 *   DELETE /api/v1/webhooks/{id}               → 204, the subscription inactive, its pending
 *                                                deliveries cancelled
 *   GET    /api/v1/webhooks/{id}/deliveries    → {items: [delivery…]}  the last 100
 * Each needs WEBHOOK_SUBSCRIBE: a system admin, or a department system whose client-credentials
 * token holds the webhook.subscribe scope. A subscription belongs to whoever made it ("staff:<id>"
 * or "client:<client_id>"); to anyone else it does not exist (404), so one system cannot read
 * or stop another's feed. Each change and its audit entry commit in one write.
 */
#include <string.h>

#include "audit/audit.h"
#include "events/events.h"
#include "http/http.h"
#include "identity/identity.h"
#include "store/store.h"

#define SUB_COLS "id, owner, url, events, department_id, active, created_at, updated_at"

typedef struct {
	const char *id, *owner, *url, *department_id;
	json_t *events;
	bool active;
	yw_ms created_at, updated_at;
} sub;

static yw_err need_store(yw_req *r)
{
	if (!r->app->store || !r->app->keys)
		return yw_fail(r, YW_E_UNAVAILABLE, "未配置数据库或密钥");
	return YW_E_OK;
}

/* Who owns what the caller makes: a staff member or a department system, never a session id. */
static const char *owner_of(yw_req *r)
{
	return yw_sprintf(r->arena, "%s:%s", r->principal.kind ? r->principal.kind : "anonymous",
	                  r->principal.id ? r->principal.id : "-");
}

static json_t *sub_json(const sub *s)
{
	return json_pack("{s:s, s:s, s:O, s:s?, s:b, s:I, s:I}", "id", s->id, "url", s->url, "events",
	                 s->events, "department_id", s->department_id, "active", s->active, "created_at",
	                 (json_int_t)s->created_at, "updated_at", (json_int_t)s->updated_at);
}

static void sub_from_row(yw_arena *a, yw_rows *rows, int i, sub *s)
{
	const char *ev = yw_rows_text(rows, i, 3);
	json_t *events = ev ? json_loads(ev, 0, NULL) : NULL;
	if (!json_is_array(events)) {
		json_decref(events);
		events = json_array();
	}
	*s = (sub){
		.id = yw_rows_text(rows, i, 0),
		.owner = yw_rows_text(rows, i, 1),
		.url = yw_rows_text(rows, i, 2),
		.events = yw_arena_json(a, events),
		.department_id = yw_rows_text(rows, i, 4),
		.active = yw_rows_int(rows, i, 5) != 0,
		.created_at = yw_rows_int(rows, i, 6),
		.updated_at = yw_rows_int(rows, i, 7),
	};
}

static yw_object sub_object(const char *department_id)
{
	return (yw_object){ .type = "webhook", .department_id = department_id };
}

/* ---- validation -------------------------------------------------------------------------- */

/* The event list: known types, each once, or ["*"] alone. */
static json_t *events_field(yw_req *r, json_t *body, json_t *fields)
{
	json_t *v = json_object_get(body, "events");
	if (!v) {
		yw_field_error(fields, "events", "必填");
		return NULL;
	}
	if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > yw_event_types_n) {
		yw_field_error(fields, "events", "应为事件类型的数组（至少一项），或 [\"*\"] 表示全部");
		return NULL;
	}
	size_t i;
	json_t *t;
	json_array_foreach(v, i, t) {
		const char *s = json_string_value(t);
		const char *why = NULL;
		if (!s || (!yw_event_type_known(s) && strcmp(s, "*")))
			why = "不是已知的事件类型（如 case.submitted）";
		else if (!strcmp(s, "*") && json_array_size(v) > 1)
			why = "\"*\" 表示全部事件，应单独使用";
		for (size_t k = 0; !why && k < i; k++)
			if (!strcmp(json_string_value(json_array_get(v, k)), s))
				why = "重复";
		if (why) {
			yw_field_error(fields, yw_sprintf(r->arena, "events[%zu]", i), why);
			return NULL;
		}
	}
	return v;
}

/* An identity department id as identity makes them: "d_" and base64url. */
static bool dept_id_plausible(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 3 || n > 66 || s[0] != 'd' || s[1] != '_')
		return false;
	for (size_t i = 2; i < n; i++)
		if (!yw_b64url_char(s[i]))
			return false;
	return true;
}

static bool sub_id_plausible(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 4 || n > 66 || strncmp(s, "wh_", 3))
		return false;
	for (size_t i = 3; i < n; i++)
		if (!yw_b64url_char(s[i]))
			return false;
	return true;
}

/* ---- writes ------------------------------------------------------------------------------ */

typedef struct {
	yw_arena *a;
	const char *actor;
	const sub *s;
	const char *secret_sealed;
} subscribe_arg;

static yw_err subscribe_write(yw_db *tx, void *arg)
{
	subscribe_arg *sa = arg;
	const sub *s = sa->s;
	size_t n;
	const char *events = yw_json_dump(sa->a, s->events, &n);
	if (!events)
		return YW_E_NO_MEMORY;
	yw_err e = yw_db_exec(tx, "INSERT INTO webhook_subscriptions (" SUB_COLS ", secret) VALUES "
	                          "($1, $2, $3, $4, $5, 1, $6, $6, $7)",
	                      YW_PARAMS(YW_VTEXT(s->id), YW_VTEXT(s->owner), YW_VTEXT(s->url),
	                                YW_VTEXT(events), YW_VTEXT(s->department_id),
	                                YW_VINT(s->created_at), YW_VTEXT(sa->secret_sealed)),
	                      NULL);
	if (e)
		return e;
	return yw_audit_add(tx, sa->actor, "webhook.subscribe", "webhook", s->id, NULL, sub_json(s));
}

typedef struct {
	const char *actor;
	sub *s;                 /* in: the subscription; out: as it is now */
	yw_ms now;
	bool changed;
} unsubscribe_arg;

/* The pending deliveries go with the subscription: the owner said stop, and a row left pending
 * would be tried against a URL nobody answers for any more. */
static yw_err unsubscribe_write(yw_db *tx, void *arg)
{
	unsubscribe_arg *ua = arg;
	long long changed = 0;
	ua->changed = false;
	yw_err e = yw_db_exec(tx, "UPDATE webhook_subscriptions SET active = 0, updated_at = $2 "
	                          "WHERE id = $1 AND active = 1",
	                      YW_PARAMS(YW_VTEXT(ua->s->id), YW_VINT(ua->now)), &changed);
	if (e || changed == 0)
		return e;
	long long cancelled = 0;
	e = yw_db_exec(tx, "UPDATE event_outbox SET state = 'cancelled' WHERE subscription_id = $1 "
	                   "AND state = 'pending'",
	               YW_PARAMS(YW_VTEXT(ua->s->id)), &cancelled);
	if (e)
		return e;
	ua->changed = true;
	sub after = *ua->s;
	after.active = false;
	after.updated_at = ua->now;
	json_t *nv = sub_json(&after);
	if (nv)
		json_object_set_new(nv, "cancelled_deliveries", json_integer(cancelled));
	return yw_audit_add(tx, ua->actor, "webhook.unsubscribe", "webhook", ua->s->id, sub_json(ua->s), nv);
}

/* ---- handlers ---------------------------------------------------------------------------- */

static yw_err subscribe(yw_req *r)
{
	json_t *body;
	yw_object any = sub_object(NULL);
	yw_err e = need_store(r);
	if (e || (e = yw_authz(r, YW_ACT_WEBHOOK_SUBSCRIBE, &any)) || (e = yw_req_json(r, &body)))
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	json_t *uv = json_object_get(body, "url");
	const char *url = json_string_value(uv);
	if (uv && !url)
		yw_field_error(fields, "url", "应为字符串");
	else if (url) {
		const char *why = yw_webhook_url_problem(url);
		if (why)
			return yw_fail(r, YW_E_BAD_WEBHOOK_URL, "回调地址不可用：%s", why);
	} else
		yw_field_error(fields, "url", "必填");
	json_t *events = events_field(r, body, fields);
	const char *dept = NULL;
	json_t *dv = json_object_get(body, "department_id");
	if (dv && !json_is_null(dv)) {
		dept = json_string_value(dv);
		yw_department d;
		if (!dept_id_plausible(dept)) {
			yw_field_error(fields, "department_id", "应为部门 id（d_ 开头）");
		} else if ((e = yw_identity_department(r->app->store, r->arena, dept, &d))) {
			if (e != YW_E_NOT_FOUND)
				return yw_fail(r, e, "读取部门失败");
			yw_field_error(fields, "department_id", "部门不存在");
		}
	}
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	yw_object obj = sub_object(dept);
	if ((e = yw_authz(r, YW_ACT_WEBHOOK_SUBSCRIBE, &obj)))
		return e;

	/* the random values and the sealing before the write, which may run twice */
	const char *rnd = yw_random_token(r->arena, 12);
	const char *secret = yw_random_token(r->arena, YW_WEBHOOK_SECRET_BYTES);
	const char *sealed = secret ? yw_seal(r->app->keys, r->arena, secret) : NULL;
	yw_ms now = yw_now_ms();
	sub s = { .id = rnd ? yw_sprintf(r->arena, "wh_%s", rnd) : NULL, .owner = owner_of(r), .url = url,
	          .department_id = dept, .events = events, .active = true, .created_at = now,
	          .updated_at = now };
	if (!s.id || !sealed || !s.owner)
		return YW_E_NO_MEMORY;
	subscribe_arg sa = { r->arena, owner_of(r), &s, sealed };
	if ((e = yw_store_write(r->app->store, subscribe_write, &sa)))
		return yw_fail(r, e, "保存订阅失败");
	json_t *out = sub_json(&s);
	if (out)
		json_object_set_new(out, "secret", json_string(secret));
	yw_reply_header(r, "Cache-Control", "no-store");
	return yw_reply_json(r, 201, out);
}

static yw_err list(yw_req *r)
{
	yw_object any = sub_object(NULL);
	yw_err e = need_store(r);
	if (e || (e = yw_authz(r, YW_ACT_WEBHOOK_SUBSCRIBE, &any)))
		return e;
	yw_rows *rows = NULL;
	e = yw_db_query(yw_store_reader(r->app->store), r->arena, &rows,
	                "SELECT " SUB_COLS " FROM webhook_subscriptions WHERE owner = $1 "
	                "ORDER BY created_at DESC, id",
	                YW_PARAMS(YW_VTEXT(owner_of(r))));
	if (e)
		return yw_fail(r, e, "读取订阅失败");
	json_t *items = json_array();
	for (int i = 0; items && i < yw_rows_count(rows); i++) {
		sub s;
		sub_from_row(r->arena, rows, i, &s);
		json_array_append_new(items, sub_json(&s));
	}
	return yw_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* The caller's subscription named by the path. Someone else's answers as a missing one. */
static yw_err load(yw_req *r, sub *s)
{
	yw_object any = sub_object(NULL);
	yw_err e = need_store(r);
	if (e || (e = yw_authz(r, YW_ACT_WEBHOOK_SUBSCRIBE, &any)))
		return e;
	const char *id = yw_req_param(r, "id");
	if (!sub_id_plausible(id))
		return yw_fail(r, YW_E_NOT_FOUND, "订阅不存在");
	yw_rows *rows = NULL;
	e = yw_db_query(yw_store_reader(r->app->store), r->arena, &rows,
	                "SELECT " SUB_COLS " FROM webhook_subscriptions WHERE id = $1", YW_PARAMS(YW_VTEXT(id)));
	if (e)
		return yw_fail(r, e, "读取订阅失败");
	if (yw_rows_count(rows) == 0)
		return yw_fail(r, YW_E_NOT_FOUND, "订阅不存在");
	sub_from_row(r->arena, rows, 0, s);
	if (!yw_str_eq(s->owner, owner_of(r)))
		return yw_fail(r, YW_E_NOT_FOUND, "订阅不存在");
	yw_object obj = sub_object(s->department_id);
	return yw_authz(r, YW_ACT_WEBHOOK_SUBSCRIBE, &obj);
}

static yw_err unsubscribe(yw_req *r)
{
	sub s;
	yw_err e = load(r, &s);
	if (e)
		return e;
	/* stopping a stopped subscription changes nothing and says so the same way */
	if (s.active) {
		unsubscribe_arg ua = { owner_of(r), &s, yw_now_ms(), false };
		if ((e = yw_store_write(r->app->store, unsubscribe_write, &ua)))
			return yw_fail(r, e, "停用订阅失败");
	}
	return yw_reply_raw(r, 204, NULL, "", 0);
}

static yw_err deliveries(yw_req *r)
{
	sub s;
	yw_err e = load(r, &s);
	if (e)
		return e;
	yw_rows *rows = NULL;
	e = yw_db_query(yw_store_reader(r->app->store), r->arena, &rows,
	                "SELECT id, event_type, state, attempts, last_status, last_error, next_at, "
	                "created_at, delivered_at FROM event_outbox WHERE subscription_id = $1 "
	                "ORDER BY created_at DESC, id DESC LIMIT 100",
	                YW_PARAMS(YW_VTEXT(s.id)));
	if (e)
		return yw_fail(r, e, "读取投递记录失败");
	json_t *items = json_array();
	for (int i = 0; items && i < yw_rows_count(rows); i++) {
		json_t *d = json_pack("{s:s, s:s, s:s, s:I, s:o, s:s?, s:o, s:I, s:o}",
		                      "id", yw_rows_text(rows, i, 0), "type", yw_rows_text(rows, i, 1),
		                      "state", yw_rows_text(rows, i, 2),
		                      "attempts", (json_int_t)yw_rows_int(rows, i, 3),
		                      "last_status", yw_rows_is_null(rows, i, 4) ? json_null()
		                                     : json_integer(yw_rows_int(rows, i, 4)),
		                      "last_error", yw_rows_text(rows, i, 5),
		                      /* when the next attempt is due; none once it is settled */
		                      "next_at", strcmp(yw_rows_text(rows, i, 2), "pending") ? json_null()
		                                 : json_integer(yw_rows_int(rows, i, 6)),
		                      "created_at", (json_int_t)yw_rows_int(rows, i, 7),
		                      "delivered_at", yw_rows_is_null(rows, i, 8) ? json_null()
		                                      : json_integer(yw_rows_int(rows, i, 8)));
		json_array_append_new(items, d);
	}
	return yw_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

void yw_events_routes(yw_router *rt)
{
	yw_route(rt, "POST", "/api/v1/webhooks", subscribe);
	yw_route(rt, "GET", "/api/v1/webhooks", list);
	yw_route(rt, "DELETE", "/api/v1/webhooks/{id}", unsubscribe);
	yw_route(rt, "GET", "/api/v1/webhooks/{id}/deliveries", deliveries);
}
