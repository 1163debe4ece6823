/*
 * HTTP handlers of organisations (法人), their handlers (经办人) and personal agents (代办/委托),
 * R-ID-012:
 *   POST /api/v1/orgs                          {name, uscc, type, division_code}  → 201 {org}
 *   GET  /api/v1/orgs                          the ones I represent or handle for  → 200 {orgs}
 *   GET  /api/v1/orgs/{id}                                                         → 200 {org}
 *   POST /api/v1/orgs/{id}/handlers            {name, id_number, items, valid_until} → 201 {handler}
 *   GET  /api/v1/orgs/{id}/handlers                                                → 200 {handlers}
 *   POST /api/v1/orgs/{id}/handlers/{hid}/revoke                                   → 200 {handler}
 *   POST /api/v1/me/agents                     {name, id_number, items, valid_until} → 201 {agent}
 *   GET  /api/v1/me/agents                     whom I authorized                   → 200 {agents}
 *   GET  /api/v1/me/principals                 who authorized me, live ones        → 200 {principals}
 *   POST /api/v1/me/agents/{id}/revoke                                             → 200 {agent}
 *
 * An organisation is seen only by its legal representative and its live handlers; to anybody
 * else it does not exist (404), so ids cannot be probed. Managing it is ORG_MANAGE on the
 * object {owner: the legal representative}; agents are AGENT_MANAGE on {owner: the principal}.
 * Persons in every answer appear by name and masked ID number only. A person to authorize is
 * found by the lookup hash of the ID number and must carry the given name; either wrong gets
 * one answer, PERSON_NOT_FOUND, so the form tells nothing that name and number do not already.
 */
#include <string.h>

#include "audit/audit.h"
#include "identity/internal.h"
#include "ref/ref.h"

/* ---- helpers ----------------------------------------------------------------------------- */

/* Whether the caller is a person; an anonymous caller gets 401, anybody else 403. */
static yw_err need_person(yw_req *r)
{
	const yw_caller *c = yw_idn_caller(r);
	if (!c || !c->kind)
		return yw_fail(r, YW_E_UNAUTHENTICATED, "请先登录");
	if (strcmp(c->kind, "person"))
		return yw_fail(r, YW_E_FORBIDDEN, "仅个人用户可以办理单位和代办授权");
	return YW_E_OK;
}

/* {name, id_number_masked} of a person from their sealed ID number; NULL if it cannot be read. */
static json_t *person_brief(yw_req *r, const char *name, const char *id_enc)
{
	const char *id18 = id_enc ? yw_unseal(r->app->keys, r->arena, id_enc) : NULL;
	if (!id18 || strlen(id18) != 18)
		return NULL;
	char m[19];
	yw_mask_id(id18, m);
	return json_pack("{s:s, s:s}", "name", name ? name : "", "id_number_masked", m);
}

static json_t *items_json(const char *items)
{
	if (!items || !strcmp(items, "*"))
		return json_string("all");
	json_t *arr = json_array();
	for (const char *p = items; arr && *p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		json_array_append_new(arr, json_stringn(p, n));
		p += n + (end ? 1 : 0);
	}
	return arr;
}

static const char *deleg_status(const yw_idn_deleg *d, yw_date today)
{
	switch (yw_deleg_check("*", d->valid_until, d->revoked_at != 0, today, NULL)) {
	case YW_DELEG_REVOKED:
		return "revoked";
	case YW_DELEG_EXPIRED:
		return "expired";
	default:
		return "active";
	}
}

/* One delegation as the API shows it; `who` names the shown person's member. */
static json_t *deleg_json(yw_req *r, const yw_idn_deleg *d, const char *who)
{
	json_t *p = person_brief(r, d->shown_name, d->shown_id_enc);
	if (!p)
		return NULL;
	/* An agent files for the person who authorized them by that person's id ("for" of an
	 * application), so the list of principals names it; the other lists need not. */
	if (!strcmp(who, "principal"))
		json_object_set_new(p, "id", json_string(d->owner_id));
	json_t *j = json_pack("{s:s, s:o, s:o, s:s, s:I, s:s}", "id", d->id, who, p, "items",
	                      items_json(d->items), "valid_until", d->valid_until, "created_at",
	                      (json_int_t)d->created_at, "status",
	                      deleg_status(d, yw_cst_date(yw_now_ms())));
	if (j)
		json_object_set_new(j, "revoked_at", d->revoked_at ? json_integer(d->revoked_at) : json_null());
	return j;
}

static json_t *org_json(yw_req *r, const yw_idn_org *o, const char *viewer)
{
	json_t *rep = person_brief(r, o->rep_name, o->rep_id_enc);
	if (!rep)
		return NULL;
	const yw_division *d = NULL;
	const char *dname = yw_division_find(o->division_code, &d) == YW_E_OK ? yw_division_name(d) : "";
	const char *tz = yw_org_type_zh(o->type);
	/* verified: nothing checks the claim against the market-regulation register yet. */
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:o, s:s, s:I}", "id", o->id,
	                 "name", o->name, "uscc", o->uscc, "type", o->type, "type_name", tz ? tz : "其他",
	                 "division_code", o->division_code, "division_name", dname, "verified",
	                 o->verified, "verification", o->verified ? "已核验" : "未核验",
	                 "legal_representative", rep, "my_role",
	                 yw_str_eq(viewer, o->legal_rep_id) ? "legal_representative" : "handler",
	                 "created_at", (json_int_t)o->created_at);
}

/* ---- the authorization form: who, which items, until when --------------------------------- */

typedef struct {
	const char *person_id;   /* the person found */
	const char *id_masked;
	char items[YW_DELEG_MAX_ITEMS * 34 + 2];
	char valid_until[11];
} deleg_input;

/* items: "all", or an array of 1–50 item codes (duplicates dropped). */
static yw_err parse_items(yw_req *r, json_t *body, char *out, size_t outlen)
{
	json_t *it = json_object_get(body, "items");
	if (json_is_string(it) && !strcmp(json_string_value(it), "all")) {
		strcpy(out, "*");
		return YW_E_OK;
	}
	if (!json_is_array(it) || json_array_size(it) == 0 || json_array_size(it) > YW_DELEG_MAX_ITEMS) {
		json_t *fields = yw_arena_json(r->arena, json_array());
		yw_field_error(fields, "items", "应为 \"all\" 或 1 到 50 个事项编码的列表");
		return yw_fail_fields(r, fields);
	}
	size_t len = 0;
	out[0] = '\0';
	size_t i;
	json_t *v;
	json_array_foreach(it, i, v) {
		const char *c = json_is_string(v) ? json_string_value(v) : NULL;
		if (!yw_item_code_valid(c))
			return yw_fail(r, YW_E_BAD_ITEM_CODE,
			               "第 %zu 个事项编码格式不正确：应为 12 位基本编码、31 位实施编码或 33 位业务办理项编码",
			               i + 1);
		bool dup = false;
		for (const char *p = out; *p && !dup;) {
			const char *end = strchr(p, ',');
			size_t n = end ? (size_t)(end - p) : strlen(p);
			dup = n == strlen(c) && !memcmp(p, c, n);
			p += n + (end ? 1 : 0);
		}
		if (dup)
			continue;
		size_t cl = strlen(c);
		if (len + cl + 2 > outlen)
			return yw_fail(r, YW_E_BAD_ITEM_CODE, "事项编码过多");
		if (len)
			out[len++] = ',';
		memcpy(out + len, c, cl + 1);
		len += cl;
	}
	return YW_E_OK;
}

/* Person lookups by name and ID number (R-ID-007 style, in memory, per process). */
static const yw_rate_rule lookup_per_person = { "deleg-lookup/person/hour", 30, 3600 * 1000 };
static const yw_rate_rule lookup_per_ip = { "deleg-lookup/ip/hour", 100, 3600 * 1000 };

/* Validates the form and finds the person. The name must match the registered one exactly. */
static yw_err read_deleg_input(yw_req *r, deleg_input *in)
{
	json_t *body;
	yw_err e = yw_req_json(r, &body);
	if (e)
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	const char *name = yw_req_field(body, "name", fields), *idn = yw_req_field(body, "id_number", fields),
		   *vu = yw_req_field(body, "valid_until", fields);
	if (!json_object_get(body, "items"))
		yw_field_error(fields, "items", "必填");
	if (name && !yw_text_ok(name, 50))
		yw_field_error(fields, "name", "姓名应为 1 到 50 个字符");
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	if ((e = parse_items(r, body, in->items, sizeof in->items)))
		return e;
	switch (yw_valid_until_check(vu, yw_cst_date(yw_now_ms()))) {
	case YW_VU_OK:
		break;
	case YW_VU_PAST:
		return yw_fail(r, YW_E_AUTHORIZATION_EXPIRED, "授权截止日期 %s 已过（按北京时间），应为今天或以后", vu);
	case YW_VU_TOO_FAR:
		return yw_fail(r, YW_E_BAD_VALID_UNTIL, "授权截止日期最远为 %d 年后的今天", YW_DELEG_MAX_YEARS);
	case YW_VU_BAD:
		return yw_fail(r, YW_E_BAD_VALID_UNTIL, "授权截止日期应为 YYYY-MM-DD 格式的真实日期");
	}
	memcpy(in->valid_until, vu, 10);
	in->valid_until[10] = '\0';
	char id18[19], h[65];
	if (yw_id_check(idn, id18))
		return yw_fail(r, YW_E_BAD_ID_NUMBER, "公民身份号码校验未通过（校验码、出生日期或长度有误）");
	/* Each lookup tells whether a name and number belong to a registered user: few per caller. */
	const yw_rate_rule *rules[] = { &lookup_per_person, &lookup_per_ip };
	const char *keys[] = { r->principal.id, r->client_ip };
	if ((e = yw_idn_limit(r, rules, keys, 2, "授权操作")))
		return e;
	yw_lookup_hash(r->app->keys, "id", id18, h);
	yw_idn_person p;
	e = yw_idn_person_by(yw_store_reader(r->app->store), r->arena, "id_hash", h, &p);
	if (e && e != YW_E_NOT_FOUND)
		return yw_fail(r, e, "查询用户失败");
	/* One answer for an unknown number and for a wrong name. */
	if (e == YW_E_NOT_FOUND || strcmp(p.name, name))
		return yw_fail(r, YW_E_PERSON_NOT_FOUND, "未找到该身份证号码和姓名对应的注册用户，请核对，或请对方先注册");
	char m[19];
	yw_mask_id(id18, m);
	in->person_id = p.id;
	in->id_masked = yw_strdup(r->arena, m);
	return in->id_masked ? YW_E_OK : YW_E_NO_MEMORY;
}

/* ---- organisations ----------------------------------------------------------------------- */

/* The organisation, if the caller may see it (legal representative or live handler);
 * NOT_FOUND, recorded on r, for everyone else. */
static yw_err visible_org(yw_req *r, yw_idn_org *o)
{
	yw_db *db = yw_store_reader(r->app->store);
	yw_err e = yw_idn_org_get(db, r->arena, yw_req_param(r, "id"), o);
	if (e == YW_E_OK && strcmp(o->legal_rep_id, r->principal.id)) {
		yw_idn_deleg *d;
		int n = 0;
		e = yw_idn_handlers_live(db, r->arena, o->id, r->principal.id,
		                         yw_idn_today(r->arena, yw_now_ms()), &d, &n);
		if (!e && n == 0)
			e = YW_E_NOT_FOUND;
	}
	if (e == YW_E_NOT_FOUND)
		return yw_fail(r, e, "单位不存在");
	if (e)
		return yw_fail(r, e, "读取单位失败");
	return YW_E_OK;
}

typedef struct {
	yw_arena *a;
	const yw_caller *caller;
	yw_idn_org o;
	bool duplicate;
} org_arg;

static yw_err reply_org(yw_req *r, int status, const yw_idn_org *o)
{
	json_t *j = org_json(r, o, r->principal.id);
	if (!j)
		return yw_fail(r, YW_E_INTERNAL, "无法解密法定代表人资料");
	return yw_reply_json(r, status, json_pack("{s:o}", "org", j));
}

static yw_err org_write(yw_db *tx, void *arg)
{
	org_arg *g = arg;
	yw_idn_org other;
	g->duplicate = false;
	yw_err e = yw_idn_org_by_uscc(tx, g->a, g->o.uscc, &other);
	if (e == YW_E_OK) {
		g->duplicate = true;
		return YW_E_ORG_ALREADY_REGISTERED;
	}
	if (e != YW_E_NOT_FOUND)
		return e;
	g->o.created_at = yw_now_ms();
	if ((e = yw_idn_org_insert(tx, &g->o)))
		return e;
	return yw_audit_add(tx, yw_actor_for(g->a, g->caller, "person", g->caller->id), "org.register", "org",
	                    g->o.id, NULL,
	                    json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "name", g->o.name, "uscc", g->o.uscc,
	                              "type", g->o.type, "division_code", g->o.division_code,
	                              "legal_rep_id", g->o.legal_rep_id, "verified", false));
}

static yw_err org_register(yw_req *r)
{
	json_t *body;
	yw_err e = yw_idn_need_store(r);
	if (e || (e = need_person(r)))
		return e;
	yw_object self = { .type = "org", .owner_kind = "person", .owner_id = r->principal.id };
	if ((e = yw_authz(r, YW_ACT_ORG_MANAGE, &self)) || (e = yw_req_json(r, &body)))
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	const char *name = yw_req_field(body, "name", fields), *uscc = yw_req_field(body, "uscc", fields),
		   *type = yw_req_field(body, "type", fields),
		   *div = yw_req_field(body, "division_code", fields);
	if (name && !yw_text_ok(name, 100))
		yw_field_error(fields, "name", "单位名称应为 1 到 100 个字符");
	/* The Chinese name of a type is accepted for its key: 企业 → enterprise. */
	for (size_t i = 0; type && i < yw_org_types_n; i++)
		if (!strcmp(type, yw_org_types[i].zh))
			type = yw_org_types[i].key;
	if (type && !yw_org_type_zh(type))
		yw_field_error(fields, "type", "应为 enterprise（企业）、individual_business（个体工商户）、"
		                          "public_institution（事业单位）、social_organization（社会组织）、"
		                          "government_agency（机关）或 other（其他）");
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	char u[19] = { 0 };
	for (size_t i = 0; uscc[i] && i < 18; i++)
		u[i] = (uscc[i] >= 'a' && uscc[i] <= 'z') ? (char)(uscc[i] - 32) : uscc[i];
	if (strlen(uscc) != 18 || yw_uscc_check(u))
		return yw_fail(r, YW_E_BAD_USCC, "统一社会信用代码校验未通过（应为 18 位，校验码或组织机构代码有误）");
	const char *code;
	if ((e = yw_idn_division_arg(r, div, &code)))
		return e;
	const char *id = yw_idn_new_id(r, "o");
	if (!id)
		return YW_E_NO_MEMORY;
	org_arg g = { .a = r->arena, .caller = yw_idn_caller(r),
	              .o = { .id = id, .name = name,
	                     .uscc = yw_strdup(r->arena, u), .type = type,
	                     .legal_rep_id = r->principal.id, .division_code = code,
	                     .verified = false } };
	e = yw_store_write(r->app->store, org_write, &g);
	if (e == YW_E_ORG_ALREADY_REGISTERED || e == YW_E_DB_CONSTRAINT)
		return yw_fail(r, YW_E_ORG_ALREADY_REGISTERED, "统一社会信用代码 %s 的单位已登记；如需成为其法定代表人或经办人，请联系已登记的法定代表人", u);
	if (e)
		return yw_fail(r, e, "登记单位失败");
	yw_idn_org o;
	if ((e = yw_idn_org_get(yw_store_reader(r->app->store), r->arena, g.o.id, &o)))
		return yw_fail(r, e, "读取单位失败");
	return reply_org(r, 201, &o);
}

static yw_err org_list(yw_req *r)
{
	yw_err e = yw_idn_need_store(r);
	if (e || (e = need_person(r)))
		return e;
	yw_idn_org *os;
	int n;
	if ((e = yw_idn_orgs_of(yw_store_reader(r->app->store), r->arena, r->principal.id,
	                        yw_idn_today(r->arena, yw_now_ms()), &os, &n)))
		return yw_fail(r, e, "读取单位失败");
	json_t *arr = json_array();
	for (int i = 0; arr && i < n; i++) {
		json_t *j = org_json(r, &os[i], r->principal.id);
		if (!j) {
			json_decref(arr);
			return yw_fail(r, YW_E_INTERNAL, "无法解密法定代表人资料");
		}
		json_array_append_new(arr, j);
	}
	return yw_reply_json(r, 200, json_pack("{s:o}", "orgs", arr));
}

static yw_err org_get(yw_req *r)
{
	yw_idn_org o;
	yw_err e = yw_idn_need_store(r);
	if (e || (e = need_person(r)) || (e = visible_org(r, &o)))
		return e;
	return reply_org(r, 200, &o);
}

/* The organisation for a management call: seen (else 404), then ORG_MANAGE (else 403). */
static yw_err managed_org(yw_req *r, yw_idn_org *o)
{
	yw_err e = yw_idn_need_store(r);
	if (e || (e = need_person(r)) || (e = visible_org(r, o)))
		return e;
	yw_object obj = { .type = "org", .owner_kind = "person", .owner_id = o->legal_rep_id };
	/* ORG_MANAGE is not delegable (roles.def): only the representative in person passes. */
	return yw_authz(r, YW_ACT_ORG_MANAGE, &obj);
}

/* ---- handlers ---------------------------------------------------------------------------- */

typedef struct {
	yw_arena *a;
	const yw_caller *caller;
	yw_idn_deleg d;
	const char *id_masked, *today;
	bool agent;      /* an agent authorization, else a handler one */
	bool exists;
} deleg_arg;

static json_t *deleg_audit_value(deleg_arg *g)
{
	return json_pack("{s:s, s:s, s:s, s:o, s:s}", "id", g->d.id, "person_id", g->d.person_id,
	                 "id_number", g->id_masked, "items", items_json(g->d.items), "valid_until",
	                 g->d.valid_until);
}

/* A new handler or agent authorization, unless a live one for the same person exists already:
 * checked inside the write, so that two grants racing cannot both pass. */
static yw_err deleg_write(yw_db *tx, void *arg)
{
	deleg_arg *g = arg;
	yw_idn_deleg *live;
	int n = 0;
	g->exists = false;
	yw_err e = (g->agent ? yw_idn_agents_live : yw_idn_handlers_live)(tx, g->a, g->d.owner_id,
	                                                                  g->d.person_id, g->today,
	                                                                  &live, &n);
	if (e)
		return e;
	if (n) {
		g->exists = true;
		return YW_E_AUTHORIZATION_EXISTS;
	}
	g->d.created_at = yw_now_ms();
	if ((e = (g->agent ? yw_idn_agent_insert : yw_idn_handler_insert)(tx, &g->d)))
		return e;
	const char *actor = yw_actor_for(g->a, g->caller, g->agent ? "person" : "org", g->d.owner_id);
	return g->agent ? yw_audit_add(tx, actor, "agent.authorize", "agent_authorization", g->d.id, NULL,
	                               deleg_audit_value(g))
	                : yw_audit_add(tx, actor, "org.handler_grant", "org", g->d.owner_id, NULL,
	                               deleg_audit_value(g));
}

/* One delegation as the answer; `noun` names the shown person in the error. */
static yw_err reply_deleg(yw_req *r, int status, const char *key, const char *who,
                          const yw_idn_deleg *d, const char *noun)
{
	json_t *j = deleg_json(r, d, who);
	if (!j)
		return yw_fail(r, YW_E_INTERNAL, "无法解密%s资料", noun);
	return yw_reply_json(r, status, json_pack("{s:o}", key, j));
}

/* A list of delegations as the answer; `noun` names the shown persons in the error. */
static yw_err reply_list(yw_req *r, const char *key, const char *who, yw_idn_deleg *d, int n,
                         const char *noun)
{
	json_t *arr = json_array();
	for (int i = 0; arr && i < n; i++) {
		json_t *j = deleg_json(r, &d[i], who);
		if (!j) {
			json_decref(arr);
			return yw_fail(r, YW_E_INTERNAL, "无法解密%s资料", noun);
		}
		json_array_append_new(arr, j);
	}
	return yw_reply_json(r, 200, json_pack("{s:o}", key, arr));
}

static yw_err handler_add(yw_req *r)
{
	yw_idn_org o;
	yw_err e = managed_org(r, &o);
	if (e)
		return e;
	deleg_input in;
	if ((e = read_deleg_input(r, &in)))
		return e;
	if (!strcmp(in.person_id, o.legal_rep_id))
		return yw_fail(r, YW_E_SELF_AUTHORIZATION, "法定代表人本人无需授权为经办人");
	const char *id = yw_idn_new_id(r, "h");
	if (!id)
		return YW_E_NO_MEMORY;
	deleg_arg g = { .a = r->arena, .caller = yw_idn_caller(r), .id_masked = in.id_masked,
	                .today = yw_idn_today(r->arena, yw_now_ms()),
	                .d = { .id = id, .owner_id = o.id,
	                       .person_id = in.person_id, .items = in.items,
	                       .valid_until = in.valid_until } };
	e = yw_store_write(r->app->store, deleg_write, &g);
	if (e == YW_E_AUTHORIZATION_EXISTS)
		return yw_fail(r, e, "%s 已是本单位的有效经办人；如需变更事项或期限，请先撤销原授权", in.id_masked);
	if (e)
		return yw_fail(r, e, "授权经办人失败");
	yw_idn_deleg d;
	if ((e = yw_idn_handler_get(yw_store_reader(r->app->store), r->arena, o.id, g.d.id, &d)))
		return yw_fail(r, e, "读取授权失败");
	return reply_deleg(r, 201, "handler", "person", &d, "经办人");
}

static yw_err handler_list(yw_req *r)
{
	yw_idn_org o;
	yw_err e = managed_org(r, &o);
	if (e)
		return e;
	yw_idn_deleg *d;
	int n;
	if ((e = yw_idn_handlers_of(yw_store_reader(r->app->store), r->arena, o.id, &d, &n)))
		return yw_fail(r, e, "读取经办人失败");
	return reply_list(r, "handlers", "person", d, n, "经办人");
}

typedef struct {
	yw_arena *a;
	const yw_caller *caller;
	const char *owner_id, *id, *action, *object_type, *object_id;
	bool agent;      /* an agent authorization, else a handler one */
	bool done;
} revoke_arg;

static yw_err revoke_write(yw_db *tx, void *arg)
{
	revoke_arg *g = arg;
	yw_ms now = yw_now_ms();
	yw_err e = g->agent ? yw_idn_agent_revoke(tx, g->owner_id, g->id, now, &g->done)
	                    : yw_idn_handler_revoke(tx, g->owner_id, g->id, now, &g->done);
	if (e || !g->done)
		return e;
	return yw_audit_add(tx, yw_actor_for(g->a, g->caller, g->agent ? "person" : "org", g->owner_id),
	                    g->action, g->object_type, g->object_id, NULL,
	                    json_pack("{s:s, s:I}", "id", g->id, "revoked_at", (json_int_t)now));
}

static yw_err handler_revoke(yw_req *r)
{
	yw_idn_org o;
	yw_err e = managed_org(r, &o);
	if (e)
		return e;
	yw_db *db = yw_store_reader(r->app->store);
	yw_idn_deleg d;
	e = yw_idn_handler_get(db, r->arena, o.id, yw_req_param(r, "handler_id"), &d);
	if (e == YW_E_NOT_FOUND)
		return yw_fail(r, e, "该经办人授权不存在");
	if (e)
		return yw_fail(r, e, "读取授权失败");
	revoke_arg g = { .a = r->arena, .caller = yw_idn_caller(r), .owner_id = o.id, .id = d.id,
	                 .action = "org.handler_revoke", .object_type = "org", .object_id = o.id };
	if ((e = yw_store_write(r->app->store, revoke_write, &g)))
		return yw_fail(r, e, "撤销授权失败");
	if (!g.done)
		return yw_fail(r, YW_E_AUTHORIZATION_REVOKED, "该经办人授权已撤销");
	if ((e = yw_idn_handler_get(db, r->arena, o.id, d.id, &d)))
		return yw_fail(r, e, "读取授权失败");
	return reply_deleg(r, 200, "handler", "person", &d, "经办人");
}

/* ---- agents ------------------------------------------------------------------------------ */

/* AGENT_MANAGE on the caller's own authorizations. */
static yw_err my_agents_authz(yw_req *r)
{
	yw_err e = yw_idn_need_store(r);
	if (e || (e = need_person(r)))
		return e;
	yw_object mine = { .type = "agent_authorization", .owner_kind = "person",
	                   .owner_id = r->principal.id };
	return yw_authz(r, YW_ACT_AGENT_MANAGE, &mine);
}

static yw_err agent_add(yw_req *r)
{
	yw_err e = my_agents_authz(r);
	if (e)
		return e;
	deleg_input in;
	if ((e = read_deleg_input(r, &in)))
		return e;
	if (!strcmp(in.person_id, r->principal.id))
		return yw_fail(r, YW_E_SELF_AUTHORIZATION, "不能委托自己为代办人");
	const char *id = yw_idn_new_id(r, "a");
	if (!id)
		return YW_E_NO_MEMORY;
	deleg_arg g = { .a = r->arena, .caller = yw_idn_caller(r), .id_masked = in.id_masked,
	                .today = yw_idn_today(r->arena, yw_now_ms()),
	                .agent = true, .d = { .id = id, .owner_id = r->principal.id,
	                       .person_id = in.person_id, .items = in.items,
	                       .valid_until = in.valid_until } };
	e = yw_store_write(r->app->store, deleg_write, &g);
	if (e == YW_E_AUTHORIZATION_EXISTS)
		return yw_fail(r, e, "已委托 %s 代办且仍有效；如需变更事项或期限，请先撤销原委托", in.id_masked);
	if (e)
		return yw_fail(r, e, "委托代办人失败");
	yw_idn_deleg d;
	if ((e = yw_idn_agent_get(yw_store_reader(r->app->store), r->arena, r->principal.id, g.d.id, &d)))
		return yw_fail(r, e, "读取委托失败");
	return reply_deleg(r, 201, "agent", "agent", &d, "代办人");
}

static yw_err agent_list(yw_req *r)
{
	yw_err e = my_agents_authz(r);
	if (e)
		return e;
	yw_idn_deleg *d;
	int n;
	if ((e = yw_idn_agents_of(yw_store_reader(r->app->store), r->arena, r->principal.id, &d, &n)))
		return yw_fail(r, e, "读取代办人失败");
	return reply_list(r, "agents", "agent", d, n, "用户");
}

static yw_err principal_list(yw_req *r)
{
	yw_err e = my_agents_authz(r);
	if (e)
		return e;
	yw_idn_deleg *d;
	int n;
	if ((e = yw_idn_principals_of(yw_store_reader(r->app->store), r->arena, r->principal.id,
	                              yw_idn_today(r->arena, yw_now_ms()), &d, &n)))
		return yw_fail(r, e, "读取委托人失败");
	return reply_list(r, "principals", "principal", d, n, "用户");
}

static yw_err agent_revoke(yw_req *r)
{
	yw_err e = yw_idn_need_store(r);
	if (e || (e = need_person(r)))
		return e;
	yw_db *db = yw_store_reader(r->app->store);
	yw_idn_deleg d;
	/* Found only among the caller's own authorizations: anybody else's id is a 404. */
	e = yw_idn_agent_get(db, r->arena, r->principal.id, yw_req_param(r, "id"), &d);
	if (e == YW_E_NOT_FOUND)
		return yw_fail(r, e, "该委托不存在");
	if (e)
		return yw_fail(r, e, "读取委托失败");
	yw_object obj = { .type = "agent_authorization", .owner_kind = "person", .owner_id = d.owner_id };
	if ((e = yw_authz(r, YW_ACT_AGENT_MANAGE, &obj)))
		return e;
	revoke_arg g = { .a = r->arena, .caller = yw_idn_caller(r), .owner_id = d.owner_id, .id = d.id,
	                 .action = "agent.revoke", .object_type = "agent_authorization",
	                 .object_id = d.id, .agent = true };
	if ((e = yw_store_write(r->app->store, revoke_write, &g)))
		return yw_fail(r, e, "撤销委托失败");
	if (!g.done)
		return yw_fail(r, YW_E_AUTHORIZATION_REVOKED, "该委托已撤销");
	if ((e = yw_idn_agent_get(db, r->arena, r->principal.id, d.id, &d)))
		return yw_fail(r, e, "读取委托失败");
	return reply_deleg(r, 200, "agent", "agent", &d, "代办人");
}

void yw_idn_org_routes(yw_router *rt)
{
	yw_route(rt, "POST", "/api/v1/orgs", org_register);
	yw_route(rt, "GET", "/api/v1/orgs", org_list);
	yw_route(rt, "GET", "/api/v1/orgs/{id}", org_get);
	yw_route(rt, "POST", "/api/v1/orgs/{id}/handlers", handler_add);
	yw_route(rt, "GET", "/api/v1/orgs/{id}/handlers", handler_list);
	yw_route(rt, "POST", "/api/v1/orgs/{id}/handlers/{handler_id}/revoke", handler_revoke);
	yw_route(rt, "POST", "/api/v1/me/agents", agent_add);
	yw_route(rt, "GET", "/api/v1/me/agents", agent_list);
	yw_route(rt, "GET", "/api/v1/me/principals", principal_list);
	yw_route(rt, "POST", "/api/v1/me/agents/{id}/revoke", agent_revoke);
}
