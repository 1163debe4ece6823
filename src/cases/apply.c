/*
 * Applying (R-CASE-001..): drafts saved as the applicant goes, the submission with its checks,
 * its serial number and its first task, Idempotency-Key, window applications, and the case's
 * materials. Everything is checked before the write; the write re-reads the case and checks its
 * version, so what was checked is what commits.
 */
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "cases/internal.h"
#include "materials/materials.h"

typedef struct {
	json_t *form;          /* NULL: unchanged */
	json_t *delivery;      /* NULL: unchanged; json null: cleared */
	bool has_mats;
	yw_case_mat *mats;
	int nmats;
} input;

static bool is_staff(yw_req *r)
{
	return yw_str_eq(r->principal.kind, "staff");
}

/* A number the courier can call: a mobile, or a landline of 7 to 20 digits with an area code,
 * +86, hyphens, spaces or parentheses between them. A draft may hold it half-typed; a submission
 * may not. */
static bool phone_ok(const char *s)
{
	char m11[12];
	if (strlen(s) <= 16 && !yw_mobile_check(s, m11))
		return true;
	int digits = 0;
	for (const char *p = *s == '+' ? s + 1 : s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (!strchr("- ()", *p))
			return false;
	}
	return digits >= 7 && digits <= 20;
}

/* form / materials / delivery members of a body, shape only. */
static yw_err read_input(yw_req *r, json_t *body, size_t nslots, input *in, json_t *fields)
{
	*in = (input){ 0 };
	json_t *f = json_object_get(body, "form"), *m = json_object_get(body, "materials"),
	       *d = json_object_get(body, "delivery");
	if (f && !json_is_object(f))
		yw_field_error(fields, "form", "应为对象");
	else
		in->form = f;
	if (d && !json_is_object(d) && !json_is_null(d))
		yw_field_error(fields, "delivery", "应为对象");
	else if (d) {
		const char *method = NULL;
		if (json_is_object(d) && (!yw_json_str(d, "method", &method) ||
		                          (strcmp(method, "pickup") && strcmp(method, "post") &&
		                           strcmp(method, "electronic"))))
			yw_field_error(fields, "delivery.method", "应为 pickup（窗口领取）、post（邮寄）或 electronic（电子送达）");
		/* A draft holds what has been typed so far, an empty box included; submitting asks for
		 * all three when the method is post (yw_case_submit_check). */
		for (const char *const *k = (const char *const[]){ "address", "recipient", "phone", NULL }; *k; k++) {
			json_t *v = json_object_get(d, *k);
			if (v && !json_is_null(v) &&
			    (!json_is_string(v) || (json_string_length(v) && !yw_text_ok(json_string_value(v), 200))))
				yw_field_error(fields, yw_sprintf(r->arena, "delivery.%s", *k),
				               "应为文字（至多 200 字，不含换行等控制字符）");
		}
		const char *key;
		json_t *v;
		json_object_foreach(json_is_object(d) ? d : NULL, key, v)
			if (strcmp(key, "method") && strcmp(key, "address") && strcmp(key, "recipient") &&
			    strcmp(key, "phone"))
				yw_field_error(fields, yw_sprintf(r->arena, "delivery.%s", key),
				               "送达方式只有 method、address、recipient、phone 四项");
		in->delivery = d;
	}
	if (m) {
		if (!json_is_array(m) || json_array_size(m) > 200) {
			yw_field_error(fields, "materials", "应为至多 200 项的数组");
		} else {
			in->has_mats = true;
			in->mats = yw_zalloc(r->arena, sizeof *in->mats * (json_array_size(m) + 1));
			if (!in->mats)
				return YW_E_NO_MEMORY;
			for (size_t i = 0; i < json_array_size(m); i++) {
				json_t *e = json_array_get(m, i);
				long long slot;
				const char *mid;
				if (!yw_json_int(e, "slot", &slot) || slot < 0 || (size_t)slot >= nslots)
					yw_field_error(fields, yw_sprintf(r->arena, "materials[%zu].slot", i),
					               yw_sprintf(r->arena, "应为 0 到 %zu 之间的材料序号", nslots ? nslots - 1 : 0));
				else if (!yw_json_str(e, "material_id", &mid) || strlen(mid) > 64)
					yw_field_error(fields, yw_sprintf(r->arena, "materials[%zu].material_id", i), "必填");
				else
					in->mats[in->nmats++] = (yw_case_mat){ (int)slot, mid };
			}
		}
	}
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	return YW_E_OK;
}

/* Sizes as the pages state them (MiB, which they call MB) */
#define MB(bytes) ((double)(bytes) / (1024.0 * 1024.0))

/* Whether m[i] names a file an earlier entry named already (one file in two slots). */
static bool named_before(const yw_case_mat *m, int i)
{
	for (int k = 0; k < i; k++)
		if (yw_str_eq(m[k].material_id, m[i].material_id))
			return true;
	return false;
}

/* The applicant owns every material (else 404) and together they fit (else 413). A material
 * the case already holds stays good even when the applicant has since deleted it from their
 * space (deleting hides it there, never from a case), so a resubmission keeps it. */
/* Materials of the applicant's space, or held by the case already. On submitting, a file the
 * applicant has since deleted from their space is not filed: they removed it, so they are asked
 * to choose again rather than have it go out behind their back. */
static yw_err check_owned(yw_req *r, const yw_case_row *c, const yw_case_mat *m, int n, bool submitting)
{
	if (!n)
		return YW_E_OK;
	const char **ids = yw_zalloc(r->arena, sizeof *ids * (size_t)n);
	if (!ids)
		return YW_E_NO_MEMORY;
	yw_db *db = yw_store_reader(r->app->store);
	/* A material not yet this case's comes from the owner's space, which an agent or handler
	 * limited to some items does not reach as a whole (docs/cases.md "Whose space"): they give
	 * the case its files by uploading through it. A window clerk, with the applicant at the
	 * counter, files what the applicant hands over from their space. */
	yw_object space = { .type = "material", .owner_kind = c->applicant_kind,
	                    .owner_id = c->applicant_id };
	bool whole = !yw_str_eq(r->principal.kind, "person") ||
	             yw_authz_allows(r, YW_ACT_CASE_APPLY, &space);
	long long total = 0, held = 0;
	int nnew = 0;
	for (int i = 0; i < n; i++) {
		if (named_before(m, i))    /* one file in two slots is one file (R-MAT-001) */
			continue;
		yw_material had;
		if (yw_casedb_has_material(db, r->arena, c->id, m[i].material_id) &&
		    !yw_materials_get(db, r->arena, m[i].material_id, &had)) {
			if (submitting && had.deleted) {
				json_t *fields = yw_arena_json(r->arena, json_array());
				yw_field_error(fields, yw_sprintf(r->arena, "materials[%d]", m[i].slot),
				               yw_sprintf(r->arena, "文件“%s”已从“我的材料”中删除，请重新上传或选择",
				                          had.title ? had.title : m[i].material_id));
				return yw_fail_fields(r, fields);
			}
			held += had.size;
		} else if (!whole) {
			return yw_fail(r, YW_E_NOT_FOUND, "材料 %s 不存在", m[i].material_id);
		} else {
			ids[nnew++] = m[i].material_id;
		}
	}
	const char *bad = NULL;
	yw_err e = nnew ? yw_materials_owned(db, r->arena, c->applicant_kind, c->applicant_id, ids,
	                                     nnew, &total, &bad)
	                : YW_E_OK;
	total += held;
	if (e == YW_E_NOT_FOUND)
		return yw_fail(r, e, "材料 %s 不存在", bad ? bad : "");
	if (e)
		return yw_fail(r, e, "读取材料失败");
	if (total > YW_MAT_MAX_CASE)
		return yw_fail(r, YW_E_CASE_MATERIALS_TOO_LARGE, "本件材料合计 %.1f MB，超过 %lld MB 的上限",
		               MB(total), YW_MAT_MAX_CASE >> 20);
	return YW_E_OK;
}

/* What a submission must satisfy (R-CASE-001..): the form, the required materials, their owner
 * and size, the delivery. */
/* The item says whom it serves (A.4): a person applies for 自然人 (1), an organisation for any of
 * the 法人 and 其他组织 codes (2–6). An item that says nothing serves anyone. Asked when a draft
 * is made, so nobody fills a form they cannot file, and again on submitting. */
static yw_err served(yw_req *r, const yw_cat_published *item, const char *applicant_kind)
{
	bool person = yw_str_eq(applicant_kind, "person");
	/* bit k is A.4 code k: 1 for a person, 2–6 (0x7c) for an organisation */
	if (!item->service_objects || (item->service_objects & (person ? 1u << 1 : 0x7cu)))
		return YW_E_OK;
	return yw_fail(r, YW_E_APPLICANT_NOT_SERVED, person
	               ? "该事项只受理法人或其他组织的申请，请以单位身份办理（选择所代表的单位）"
	               : "该事项只受理自然人（个人）的申请");
}

yw_err yw_case_submit_check(yw_req *r, const yw_case_row *c, const yw_cat_published *item,
                           const yw_case_mat *m, int n)
{
	yw_err se = served(r, item, c->applicant_kind);
	if (se)
		return se;
	json_t *fields = yw_arena_json(r->arena, json_array());
	/* Checked in clear: the stored numbers are sealed (pii.c). */
	json_t *form = c->form ? yw_case_pii_show(r, item->form, c->form, true) : NULL,
	       *delivery = c->delivery ? yw_case_pii_show(r, yw_case_delivery_def(r->arena), c->delivery, true)
	                               : NULL;
	if ((c->form && !form) || (c->delivery && !delivery))
		return yw_fail(r, YW_E_NO_MEMORY, "内存不足");
	if (item->form) {
		yw_err e = yw_cat_form_values_check(r->arena, item->form, form ? form : json_object(),
		                                    fields);
		if (e == YW_E_BAD_PARAMETER || json_array_size(fields))
			return yw_fail_fields(r, fields);
		if (e)
			return yw_fail(r, e, "表单校验失败");
	}
	for (size_t s = 0; s < json_array_size(item->materials); s++) {
		json_t *def = json_array_get(item->materials, s);
		if (!json_is_true(json_object_get(def, "required")))
			continue;
		int have = 0;
		for (int i = 0; i < n; i++)
			have += m[i].slot == (int)s;
		if (!have)
			yw_field_error(fields, yw_sprintf(r->arena, "materials[%zu]", s),
			               yw_sprintf(r->arena, "缺少必需材料：%s",
			                          json_string_value(json_object_get(def, "name"))));
	}
	if (json_array_size(fields)) {
		r->problem_extra = yw_arena_json(r->arena, json_pack("{s:O}", "fields", fields));
		return yw_fail(r, YW_E_MATERIAL_REQUIRED, "缺少 %zu 项必需的申请材料", json_array_size(fields));
	}
	for (int i = 0; i < n; i++)
		if (m[i].slot < 0 || (size_t)m[i].slot >= json_array_size(item->materials))
			return yw_fail(r, YW_E_BAD_PARAMETER, "材料序号 %d 超出本事项的材料清单", m[i].slot);
	yw_err e = check_owned(r, c, m, n, c->state == YW_CS_DRAFT);
	if (e)
		return e;
	const char *method = NULL;
	if (!delivery || !yw_json_str(delivery, "method", &method))
		yw_field_error(fields, "delivery.method", "请选择结果送达方式");
	else if (!strcmp(method, "post"))
		for (const char *const *k = (const char *const[]){ "address", "recipient", "phone", NULL }; *k; k++) {
			const char *v;
			size_t len = 0;
			if (yw_json_str(delivery, *k, &v))
				yw_str_trimmed(v, &len);
			if (!len)
				yw_field_error(fields, yw_sprintf(r->arena, "delivery.%s", *k), "邮寄送达时必填");
			else if (!strcmp(*k, "phone") && !phone_ok(yw_strndup(r->arena, yw_str_trimmed(v, &len), len)))
				yw_field_error(fields, "delivery.phone", "应为手机号码（11 位）或固定电话（如 0557-3021234）");
		}
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	return YW_E_OK;
}

typedef struct {
	const yw_cat_published *item;
	const yw_case_flow *flow;
	const char *name_hash, *phone4_hash;
	json_t *form, *delivery;
} submit_arg;

/* Inside the write: the case's serial and its submission (a theme's parent gets them too). */
yw_err yw_case_submit_stamp(yw_case_change *ch)
{
	yw_case_row *c = &ch->c;
	const char *county = yw_strndup(ch->a, c->division_code, 6);
	long long seq = 0;
	char serial[YW_CASE_SERIAL_LEN + 1];
	yw_err e = yw_casedb_serial_next(ch->tx, ch->a, county, ch->today, &seq);
	if (e)
		return e;
	if (!yw_case_serial_make(county, ch->today, seq, serial)) {
		ch->detail = "今日办件编号已用尽";
		return YW_E_INTERNAL;
	}
	c->serial = yw_strdup(ch->a, serial);
	c->state = YW_CS_SUBMITTED;
	c->submitted_on = ch->today;
	c->submitted_at = ch->now;
	return YW_E_OK;
}

static yw_err submit_mutate(yw_case_change *ch)
{
	submit_arg *s = ch->arg;
	yw_case_row *c = &ch->c;
	if (!ch->insert && c->state != YW_CS_DRAFT) {
		ch->detail = yw_sprintf(ch->a, "办件已是“%s”状态，不能再提交", yw_case_state_zh(c->state));
		return YW_E_CASE_STATE_CONFLICT;
	}
	yw_err e = yw_case_submit_stamp(ch);
	if (e)
		return e;
	c->item_version = s->item->version;
	c->item_name = s->item->name;
	c->project_type = (int)s->item->project_type;
	c->limit_days = (int)(s->item->promised >= 0 ? s->item->promised : s->item->statutory);
	c->name_hash = s->name_hash;
	c->phone4_hash = s->phone4_hash;
	if (s->form)
		c->form = s->form;
	if (s->delivery)
		c->delivery = json_is_null(s->delivery) ? NULL : s->delivery;
	yw_case_flow_step first;
	if ((e = yw_case_flow_start(s->flow, &first)))
		return e;
	for (int i = 0; i < first.nopen; i++)
		if (!yw_case_task_open(ch, &first.open[i]))
			return YW_E_INTERNAL;
	return YW_E_OK;
}

static yw_err noop_mutate(yw_case_change *ch)
{
	(void)ch;
	return YW_E_OK;
}

/* ---- Idempotency-Key -------------------------------------------------------------------------- */

const char *yw_case_idem_key(yw_req *r, bool *bad)
{
	const char *k = yw_req_header(r, "Idempotency-Key");
	*bad = false;
	if (!k)
		return NULL;
	size_t n = strlen(k);
	*bad = n < 1 || n > 200;
	for (size_t i = 0; i < n && !*bad; i++)
		*bad = (unsigned char)k[i] < 0x21 || (unsigned char)k[i] > 0x7e;
	return k;
}

const char *yw_case_idem_caller(yw_req *r)
{
	return yw_sprintf(r->arena, "%s:%s", r->principal.kind, r->principal.id);
}

yw_err yw_case_reply(yw_req *r, int status, const char *id)
{
	yw_case_row c;
	yw_case_task_row *t = NULL;
	int nt = 0;
	yw_db *db = yw_store_reader(r->app->store);
	yw_err e = yw_casedb_load(db, r->arena, id, &c);
	if (!e)
		e = yw_casedb_tasks(db, r->arena, id, &t, &nt);
	if (e)
		return yw_fail(r, e, "读取办件失败");
	yw_reply_header(r, "Cache-Control", "no-store");
	return yw_reply_json(r, status, yw_case_json(r, &c, t, nt));
}

static int task_order(const void *x, const void *y)
{
	const yw_case_task_row *a = x, *b = y;
	if (a->created_at != b->created_at)
		return a->created_at < b->created_at ? -1 : 1;
	return strcmp(a->id, b->id);
}

/* The answer to a change that has just been written, from what the write held: the case row as
 * it went to disk and all its tasks (the write loaded the old ones and made the new), in the
 * order yw_casedb_tasks reads them. Reading them back would answer the same at twice the cost. */
yw_err yw_case_reply_change(yw_req *r, int status, const yw_case_change *ch)
{
	yw_case_task_row *t = NULL;
	if (ch->ntasks > 0) {
		if (!(t = yw_alloc(r->arena, sizeof *t * (size_t)ch->ntasks)))
			return yw_fail(r, YW_E_NO_MEMORY, "内存不足");
		memcpy(t, ch->tasks, sizeof *t * (size_t)ch->ntasks);
		qsort(t, (size_t)ch->ntasks, sizeof *t, task_order);
	}
	yw_reply_header(r, "Cache-Control", "no-store");
	return yw_reply_json(r, status, yw_case_json(r, &ch->c, t, ch->ntasks));
}

/* A key seen before: the same body gives the case it made, another body is refused. */
yw_err yw_case_idem_replay(yw_req *r, const char *key, const char *hash, bool *done)
{
	const char *old_hash, *case_id;
	*done = false;
	yw_err e = yw_casedb_idem_get(yw_store_reader(r->app->store), r->arena, yw_case_idem_caller(r), key,
	                              &old_hash, &case_id);
	if (e == YW_E_NOT_FOUND)
		return YW_E_OK;
	if (e)
		return yw_fail(r, e, "读取提交记录失败");
	*done = true;
	if (!yw_str_eq(old_hash, hash))
		return yw_fail(r, YW_E_IDEMPOTENCY_KEY_REUSED, "该 Idempotency-Key 已用于另一份内容不同的申请，请换一个新的");
	yw_reply_header(r, "Idempotent-Replayed", "true");
	return yw_case_reply(r, 200, case_id);
}


const char *yw_case_body_hash(yw_req *r, const char *prefix)
{
	char h[65];
	/* Keyed: a window application's body holds an ID number, and a plain hash of it could be
	 * matched against the few hundred million plausible numbers by whoever copies the database. */
	const char *s = yw_sprintf(r->arena, "%s\n%.*s", prefix, (int)r->body_len, r->body ? r->body : "");
	yw_lookup_hash(r->app->keys, "idempotency", s, h);
	return yw_strdup(r->arena, h);
}

static void applicant_hashes(yw_req *r, const yw_applicant *ap, submit_arg *s)
{
	char h[65];
	yw_lookup_hash(r->app->keys, "case-name", ap->name, h);
	s->name_hash = yw_strdup(r->arena, h);
	size_t n = ap->mobile ? strlen(ap->mobile) : 0;
	if (n >= 4) {
		yw_lookup_hash(r->app->keys, "case-phone4", ap->mobile + n - 4, h);
		s->phone4_hash = yw_strdup(r->arena, h);
	}
}

/* Outside the write: the checks of a submission of c and what its write needs (the item's
 * version and flow, the applicant's lookup hashes); ch is then set to submit c. A theme's
 * application prepares each of its cases so (theme.c). */
yw_err yw_case_submit_prepare(yw_req *r, yw_case_change *ch, yw_case_row *c, const yw_case_mat *m,
                              int nm)
{
	yw_cat_published *item = yw_zalloc(r->arena, sizeof *item);
	submit_arg *s = yw_zalloc(r->arena, sizeof *s);
	yw_case_flow *flow;
	if (!item || !s)
		return yw_fail(r, YW_E_NO_MEMORY, "内存不足");
	yw_err e = yw_case_flow_of(r, ch, c, item, &flow);
	if (e || (e = yw_case_submit_check(r, c, item, m, nm)))
		return e;
	/* Stored sealed under the item version it is submitted under (a draft may have been saved
	 * under an older one); written by submit_mutate. */
	s->form = c->form ? yw_case_pii_seal(r, item->form, yw_case_pii_show(r, item->form, c->form, true), NULL)
	                  : NULL;
	s->delivery = c->delivery ? yw_case_pii_seal(r, yw_case_delivery_def(r->arena),
	                                             yw_case_pii_show(r, yw_case_delivery_def(r->arena),
	                                                              c->delivery, true), NULL)
	                          : NULL;
	if ((c->form && !s->form) || (c->delivery && !s->delivery))
		return yw_fail(r, YW_E_NO_MEMORY, "内存不足");
	c->form = s->form;
	c->delivery = s->delivery;
	yw_applicant ap;
	if ((e = yw_identity_applicant(r->app->store, r->app->keys, r->arena, c->applicant_kind,
	                               c->applicant_id, &ap)))
		return yw_fail(r, e == YW_E_NOT_FOUND ? YW_E_NOT_FOUND : e, "申请人不存在");
	s->item = item;
	s->flow = flow;
	applicant_hashes(r, &ap, s);
	c->name_hash = s->name_hash;
	c->phone4_hash = s->phone4_hash;
	ch->mutate = submit_mutate;
	ch->arg = s;
	ch->action = "submit";
	ch->event = "case.submitted";
	return YW_E_OK;
}

/* Submit: the checks, then the one write (ch is ready but for the mutate). */
static yw_err submit_now(yw_req *r, yw_case_change *ch, yw_case_row *c, const yw_case_mat *m,
                         int nm, const char *key, const char *hash, int status)
{
	yw_err e = yw_case_submit_prepare(r, ch, c, m, nm);
	if (e)
		return e;
	if (key) {
		ch->idem_caller = yw_case_idem_caller(r);
		ch->idem_key = key;
		ch->idem_hash = hash;
	}
	e = yw_case_change_run(r, ch);
	if (e == YW_E_CONFLICT) {
		bool done;
		yw_err e2 = yw_case_idem_replay(r, key, hash, &done);
		return done ? e2 : yw_fail(r, YW_E_INTERNAL, "提交记录丢失");
	}
	return e ? e : yw_case_reply_change(r, status, ch);
}

yw_err yw_cases_create(yw_req *r)
{
	if (!r->app->store)
		return yw_fail(r, YW_E_UNAVAILABLE, "未配置数据库");
	if (!r->principal.kind)
		return yw_fail(r, YW_E_UNAUTHENTICATED, "请先登录");
	if (!yw_str_eq(r->principal.kind, "person") && !is_staff(r))
		return yw_fail(r, YW_E_FORBIDDEN, "只有申请人或窗口工作人员可以申请办件");
	json_t *body;
	yw_err e = yw_req_json(r, &body);
	if (e)
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	const char *code = yw_req_field(body, "item_code", fields);
	json_t *sb = json_object_get(body, "submit");
	if (sb && !json_is_boolean(sb))
		yw_field_error(fields, "submit", "应为 true 或 false");
	bool submit = json_is_true(sb);
	const char *id_number = NULL, *uscc = NULL, *name = NULL, *for_kind = NULL, *for_id = NULL;
	if (is_staff(r)) {
		/* A person by ID number and name, or an organisation by USCC and name: both registered. */
		json_t *ap = json_object_get(body, "applicant");
		const char *ak = "person";
		if (json_is_object(ap) && json_object_get(ap, "kind") && !yw_json_str(ap, "kind", &ak))
			ak = "";
		bool org = yw_str_eq(ak, "org");
		if (!json_is_object(ap) || (!org && !yw_str_eq(ak, "person")) ||
		    !yw_json_str(ap, org ? "uscc" : "id_number", org ? &uscc : &id_number) ||
		    !yw_json_str(ap, "name", &name))
			yw_field_error(fields, "applicant", "窗口代为申请时须给出申请人：个人为 id_number 和 name，"
			                                    "单位为 kind: \"org\"、uscc 和 name");
	} else if (json_object_get(body, "for")) {
		json_t *fo = json_object_get(body, "for");
		if (!yw_json_str(fo, "kind", &for_kind) || !yw_json_str(fo, "id", &for_id) ||
		    (strcmp(for_kind, "person") && strcmp(for_kind, "org")) || strlen(for_id) > 64)
			yw_field_error(fields, "for", "应为 {\"kind\": \"person\"|\"org\", \"id\": …}");
	}
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	bool badkey;
	const char *key = yw_case_idem_key(r, &badkey);
	if (badkey)
		return yw_fail(r, YW_E_BAD_PARAMETER, "Idempotency-Key 应为 1 到 200 个可见 ASCII 字符");
	const char *hash = yw_case_body_hash(r, "create");
	if (submit && key) {
		bool done;
		if ((e = yw_case_idem_replay(r, key, hash, &done)) || done)
			return e;
	}
	yw_cat_published item;
	if (strlen(code) > 40 || (e = yw_catalog_published(r->app->store, r->arena, code, 0, &item))) {
		if (e == YW_E_ITEM_NOT_APPLICABLE)
			return yw_fail(r, e, "事项 %s 尚未发布，暂不受理申请", code);
		if (e && e != YW_E_NOT_FOUND)
			return yw_fail(r, e, "读取事项失败");
		return yw_fail(r, YW_E_NOT_FOUND, "没有已发布的事项 %s", code);
	}
	const char *kind = "person", *aid = r->principal.id, *channel = "online";
	if (is_staff(r)) {
		channel = "window";
		/* Asked first on the item alone: whether an ID number and a name belong to a registered
		 * person is told only to a clerk who may file for this item's department. */
		yw_object where = { .type = "case", .item_code = item.code, .department_id = item.department_id,
		                    .division_code = item.division_code };
		if ((e = yw_authz(r, YW_ACT_CASE_APPLY, &where)))
			return e;
		if (uscc) {
			kind = "org";
			if ((e = yw_identity_org_find(r->app->store, r->arena, uscc, name, &aid)))
				return yw_fail(r, e, e == YW_E_BAD_USCC ? "申请单位的统一社会信用代码不正确"
				                     : e == YW_E_ORG_NOT_FOUND ? "没有与该统一社会信用代码和名称相符的已注册单位，"
				                                                 "请单位的法定代表人先在网上登记"
				                                               : "读取单位信息失败");
		} else if ((e = yw_identity_person_find(r->app->store, r->app->keys, r->arena, id_number,
		                                        name, &aid))) {
			return yw_fail(r, e, e == YW_E_BAD_ID_NUMBER ? "申请人的公民身份号码不正确"
			                                              : "没有与该身份证号码和姓名相符的注册用户，请申请人先注册");
		}
	} else if (for_kind) {
		kind = for_kind;
		aid = for_id;
		/* Asked before the owner is looked up, so that an id nobody authorized the caller for
		 * answers alike whether or not it exists. */
		yw_object owner = { .type = "case", .owner_kind = kind, .owner_id = aid, .item_code = item.code,
		                    .department_id = item.department_id, .division_code = item.division_code };
		if ((e = yw_authz(r, YW_ACT_CASE_APPLY, &owner)))
			return e;
	}
	yw_applicant ap;
	if ((e = yw_identity_applicant(r->app->store, r->app->keys, r->arena, kind, aid, &ap)))
		return yw_fail(r, e == YW_E_NOT_FOUND ? YW_E_NOT_FOUND : e, "申请人不存在");
	if ((e = served(r, &item, kind)))
		return e;
	yw_ms now = yw_now_ms();
	yw_case_row c = { .id = yw_case_id_new(r->arena, "c_"), .item_code = item.code,
	                  .item_version = item.version, .item_name = item.name,
	                  .department_id = item.department_id, .division_code = item.division_code,
	                  .applicant_kind = kind, .applicant_id = ap.id, .applicant_name = ap.name,
	                  .channel = channel, .state = YW_CS_DRAFT, .state_before = YW_CS__COUNT,
	                  .form = yw_arena_json(r->arena, json_object()),
	                  .project_type = (int)item.project_type,
	                  .limit_days = (int)(item.promised >= 0 ? item.promised : item.statutory),
	                  .created_at = now, .updated_at = now, .version = 0 };
	yw_object obj = yw_case_object(&c);
	if ((e = yw_authz(r, YW_ACT_CASE_APPLY, &obj)))
		return e;
	input in;
	if ((e = read_input(r, body, json_array_size(item.materials), &in, fields)))
		return e;
	if (in.form)
		c.form = in.form;
	if (in.delivery && !json_is_null(in.delivery))
		c.delivery = in.delivery;
	if (!(c.form = yw_case_pii_seal(r, item.form, c.form, NULL)) ||
	    (c.delivery && !(c.delivery = yw_case_pii_seal(r, yw_case_delivery_def(r->arena), c.delivery, NULL))))
		return yw_fail(r, YW_E_NO_MEMORY, "内存不足");
	if ((e = check_owned(r, &c, in.mats, in.nmats, false)))
		return e;
	yw_case_change ch;
	yw_case_change_init(&ch, r, &c, "create");
	c.filed_by = ch.actor;
	ch.version = 0;
	ch.insert = &c;
	ch.set_mats = in.has_mats;
	ch.mats = in.mats;
	ch.nmats = in.nmats;
	if (submit)
		return submit_now(r, &ch, &c, in.mats, in.nmats, key, hash, 201);
	ch.mutate = noop_mutate;
	if ((e = yw_case_change_run(r, &ch)))
		return e;
	return yw_case_reply_change(r, 201, &ch);
}

yw_err yw_cases_get(yw_req *r)
{
	yw_case_row c;
	yw_case_task_row *t;
	int nt;
	yw_err e = yw_case_path(r, &c, &t, &nt);
	if (e)
		return e;
	yw_reply_header(r, "Cache-Control", "no-store");
	return yw_reply_json(r, 200, yw_case_json(r, &c, t, nt));
}

/* The applicant's side of a case they may read: 403 when the caller may not act for them. */
static yw_err applicant_may(yw_req *r, const yw_case_row *c, yw_case_transition t)
{
	if (yw_case_may(r, c, t))
		return YW_E_OK;
	yw_object o = yw_case_object(c);
	yw_err e = yw_authz(r, YW_ACT_CASE_APPLY, &o);
	return e ? e : yw_fail(r, YW_E_FORBIDDEN, "只有申请人可以修改网上申请的办件");
}

typedef struct {
	input in;
} patch_arg;

static yw_err patch_mutate(yw_case_change *ch)
{
	patch_arg *p = ch->arg;
	if (ch->c.state != YW_CS_DRAFT && ch->c.state != YW_CS_SUPPLEMENT) {
		ch->detail = "只有草稿或待补正的办件可以修改";
		return YW_E_CASE_STATE_CONFLICT;
	}
	if (p->in.form)
		ch->c.form = p->in.form;
	if (p->in.delivery)
		ch->c.delivery = json_is_null(p->in.delivery) ? NULL : p->in.delivery;
	return YW_E_OK;
}

static yw_err item_slots(yw_req *r, const yw_case_row *c, size_t *n, json_t **form_def)
{
	yw_cat_published item;
	yw_err e = yw_catalog_published(r->app->store, r->arena, c->item_code, c->item_version, &item);
	if (e)
		return yw_fail(r, e == YW_E_NOT_FOUND ? YW_E_ITEM_NOT_APPLICABLE : e, "读取事项失败");
	*n = json_array_size(item.materials);
	if (form_def)
		*form_def = item.form;
	return YW_E_OK;
}

yw_err yw_cases_patch(yw_req *r)
{
	yw_case_row c;
	json_t *body;
	yw_err e = yw_case_path(r, &c, NULL, NULL);
	if (e || (e = applicant_may(r, &c, YW_CT_SUBMIT)) || (e = yw_req_json(r, &body)))
		return e;
	if (c.state != YW_CS_DRAFT && c.state != YW_CS_SUPPLEMENT)
		return yw_fail(r, YW_E_CASE_STATE_CONFLICT, "只有草稿或待补正的办件可以修改，本件为“%s”",
		               yw_case_state_zh(c.state));
	if ((e = yw_case_version_check(r, body, &c)))
		return e;
	size_t nslots;
	json_t *fields = yw_arena_json(r->arena, json_array());
	patch_arg p;
	json_t *def = NULL;
	if ((e = item_slots(r, &c, &nslots, &def)) || (e = read_input(r, body, nslots, &p.in, fields)) ||
	    (e = check_owned(r, &c, p.in.mats, p.in.nmats, false)))
		return e;
	/* Sealed before the write. A clerk reads the masks (a window draft reloaded): a mask sent
	 * back unchanged keeps the number stored, rather than replacing it with stars. */
	bool full = yw_case_pii_full(r, &c);
	if ((p.in.form && !(p.in.form = yw_case_pii_seal(r, def, p.in.form, full ? NULL : c.form))) ||
	    (json_is_object(p.in.delivery) &&
	     !(p.in.delivery = yw_case_pii_seal(r, yw_case_delivery_def(r->arena), p.in.delivery,
	                                        full ? NULL : c.delivery))))
		return yw_fail(r, YW_E_NO_MEMORY, "内存不足");
	yw_case_change ch;
	yw_case_change_init(&ch, r, &c, "update");
	ch.mutate = patch_mutate;
	ch.arg = &p;
	ch.no_trail = true;
	ch.set_mats = p.in.has_mats;
	ch.mats = p.in.mats;
	ch.nmats = p.in.nmats;
	if ((e = yw_case_change_run(r, &ch)))
		return e;
	return yw_case_reply_change(r, 200, &ch);
}

typedef struct {
	const char *id, *actor;
	long long version;
} delete_arg;

static yw_err delete_write(yw_db *tx, void *arg)
{
	delete_arg *d = arg;
	yw_arena *a = yw_arena_new(1024);
	yw_case_row c;
	if (!a)
		return YW_E_NO_MEMORY;
	long long changed = 0;
	yw_err e = yw_casedb_load(tx, a, d->id, &c);
	if (!e && c.version != d->version)
		e = YW_E_CASE_STALE;
	if (!e && c.state != YW_CS_DRAFT)
		e = YW_E_CASE_STATE_CONFLICT;
	/* Claim the row before deleting what hangs on it: under READ COMMITTED the load above took
	 * no lock, and a submit committing meanwhile must not lose its materials and trail. */
	if (!e && !(e = yw_casedb_touch_open(tx, d->id, d->version, yw_now_ms(), &changed)) && !changed)
		e = YW_E_CASE_STALE;
	if (!e)
		e = yw_casedb_delete(tx, d->id);
	if (!e)
		e = yw_audit_add(tx, d->actor, "case.delete", "case", d->id,
		                 json_pack("{s:s, s:s}", "state", "draft", "item_code", c.item_code), json_object());
	yw_arena_free(a);
	return e;
}

yw_err yw_cases_delete(yw_req *r)
{
	yw_case_row c;
	yw_err e = yw_case_path(r, &c, NULL, NULL);
	if (e || (e = applicant_may(r, &c, YW_CT_SUBMIT)))
		return e;
	if (c.state != YW_CS_DRAFT)
		return yw_fail(r, YW_E_CASE_STATE_CONFLICT, "只有草稿可以删除；已提交的办件可以撤回");
	delete_arg d = { c.id, yw_case_actor(r, &c), c.version };
	e = yw_store_write(r->app->store, delete_write, &d);
	if (e)
		return yw_fail(r, e, e == YW_E_CASE_STALE ? "草稿已被修改，请刷新后重试" : "删除草稿失败");
	return yw_reply_raw(r, 204, NULL, "", 0);
}

yw_err yw_cases_submit(yw_req *r)
{
	yw_case_row c;
	yw_err e = yw_case_path(r, &c, NULL, NULL);
	if (e || (e = applicant_may(r, &c, YW_CT_SUBMIT)))
		return e;
	bool badkey;
	const char *key = yw_case_idem_key(r, &badkey);
	if (badkey)
		return yw_fail(r, YW_E_BAD_PARAMETER, "Idempotency-Key 应为 1 到 200 个可见 ASCII 字符");
	const char *hash = yw_case_body_hash(r, yw_sprintf(r->arena, "submit %s", c.id));
	if (key) {
		bool done;
		if ((e = yw_case_idem_replay(r, key, hash, &done)) || done)
			return e;
	}
	if (c.state != YW_CS_DRAFT)
		return yw_fail(r, YW_E_CASE_STATE_CONFLICT, "办件已是“%s”状态，不能再提交",
		               yw_case_state_zh(c.state));
	json_t *body = NULL;
	if (r->body_len && (e = yw_req_json(r, &body)))
		return e;
	if ((e = yw_case_version_check(r, body, &c)))
		return e;
	/* A draft is submitted under the item's current published version. */
	yw_cat_published cur;
	if ((e = yw_catalog_published(r->app->store, r->arena, c.item_code, 0, &cur)))
		return yw_fail(r, e == YW_E_NOT_FOUND ? YW_E_ITEM_NOT_APPLICABLE : e, "事项已不再受理申请");
	c.item_version = cur.version;
	yw_case_mat *m;
	int nm;
	if ((e = yw_casedb_materials(yw_store_reader(r->app->store), r->arena, c.id, &m, &nm)))
		return yw_fail(r, e, "读取材料失败");
	yw_case_change ch;
	yw_case_change_init(&ch, r, &c, "submit");
	return submit_now(r, &ch, &c, m, nm, key, hash, 200);
}

/* ---- the case's materials ------------------------------------------------------------------ */

typedef struct {
	const char *case_id, *material_id, *actor;
	int slot;
} attach_arg;

static yw_err attach_write(yw_db *tx, void *arg)
{
	attach_arg *w = arg;
	/* The state is asked again inside the write: the upload took time, and the case may have
	 * been resubmitted meanwhile. */
	long long changed = 0;
	yw_err e = yw_casedb_touch_open(tx, w->case_id, -1, yw_now_ms(), &changed);
	if (!e && !changed)
		e = YW_E_CASE_STATE_CONFLICT;
	if (!e)
		e = yw_casedb_material_add(tx, w->case_id, w->slot, w->material_id);
	return e ? e : yw_audit_add(tx, w->actor, "case.material_add", "case", w->case_id, NULL,
	                            json_pack("{s:i, s:s}", "slot", w->slot, "material_id", w->material_id));
}

/* The bytes of the case's files with one more (R-MAT-001), each file counted once. Read before
 * the upload is attached: two uploads at once may pass together, and the submission, which
 * counts again, refuses what is over. */
static yw_err case_bytes(yw_req *r, const yw_case_row *c, const yw_material *extra, long long *total)
{
	yw_db *db = yw_store_reader(r->app->store);
	yw_case_mat *m;
	int n;
	yw_err e = yw_casedb_materials(db, r->arena, c->id, &m, &n);
	bool extra_in = false;
	*total = 0;
	for (int i = 0; !e && i < n; i++) {
		yw_material had;
		if (named_before(m, i) || yw_materials_get(db, r->arena, m[i].material_id, &had))
			continue;
		*total += had.size;
		extra_in = extra_in || yw_str_eq(had.id, extra->id);
	}
	if (!extra_in)
		*total += extra->size;
	return e;
}

yw_err yw_cases_upload(yw_req *r)
{
	yw_case_row c;
	yw_err e = yw_case_path(r, &c, NULL, NULL);
	if (e || (e = applicant_may(r, &c, YW_CT_SUBMIT)))
		return e;
	if (c.state != YW_CS_DRAFT && c.state != YW_CS_SUPPLEMENT)
		return yw_fail(r, YW_E_CASE_STATE_CONFLICT, "只有草稿或待补正的办件可以上传材料");
	const char *title = yw_req_query(r, "title"), *sq = yw_req_query(r, "slot");
	size_t nslots;
	long long slot;
	if ((e = item_slots(r, &c, &nslots, NULL)))
		return e;
	if (!sq || !yw_parse_int(sq, 0, nslots ? (long long)nslots - 1 : -1, &slot))
		return yw_fail(r, YW_E_BAD_PARAMETER, "slot 应为本事项材料清单的序号（0 到 %zu）",
		               nslots ? nslots - 1 : 0);
	yw_material m;
	bool created;
	const char *actor = yw_case_actor(r, &c);
	if ((e = yw_materials_put(r, c.applicant_kind, c.applicant_id, title, actor, &m, &created)))
		return e;
	long long total;
	if ((e = case_bytes(r, &c, &m, &total)))
		return yw_fail(r, e, "读取材料失败");
	if (total > YW_MAT_MAX_CASE)
		return yw_fail(r, YW_E_CASE_MATERIALS_TOO_LARGE,
		               "本件材料合计将达 %.1f MB，超过 %lld MB 的上限；文件已存入“我的材料”，未附到本件",
		               MB(total), YW_MAT_MAX_CASE >> 20);
	attach_arg w = { c.id, m.id, actor, (int)slot };
	if ((e = yw_store_write(r->app->store, attach_write, &w)))
		return yw_fail(r, e, e == YW_E_CASE_STATE_CONFLICT
		               ? "办件已不在草稿或待补正状态，材料已存入“我的材料”，未附到本件" : "保存材料失败");
	return yw_reply_json(r, 201, yw_material_json(&m));
}

yw_err yw_cases_material(yw_req *r)
{
	yw_case_row c;
	yw_err e = yw_case_path(r, &c, NULL, NULL);
	if (e)
		return e;
	const char *mid = yw_req_param(r, "material_id");
	yw_material m;
	if (!yw_casedb_has_material(yw_store_reader(r->app->store), r->arena, c.id, mid) ||
	    yw_materials_get(yw_store_reader(r->app->store), r->arena, mid, &m))
		return yw_fail(r, YW_E_NOT_FOUND, "本办件没有该材料");
	return yw_materials_send(r, &m);
}

/* ---- for theme.c ------------------------------------------------------------------------- */

yw_err yw_case_read_form_delivery(yw_req *r, json_t *body, json_t **form, json_t **delivery)
{
	json_t *fields = yw_arena_json(r->arena, json_array()),
	       *b = yw_arena_json(r->arena, json_object());
	if (!fields || !b)
		return yw_fail(r, YW_E_NO_MEMORY, "内存不足");
	if (json_object_get(body, "form"))
		json_object_set(b, "form", json_object_get(body, "form"));
	if (json_object_get(body, "delivery"))
		json_object_set(b, "delivery", json_object_get(body, "delivery"));
	input in;
	yw_err e = read_input(r, b, 0, &in, fields);
	*form = in.form;
	*delivery = in.delivery && !json_is_null(in.delivery) ? in.delivery : NULL;
	return e;
}
