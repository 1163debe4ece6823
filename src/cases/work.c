/*
 * Handling a case (R-CASE-011, R-CASE-020..032): the transitions of POST
 * /api/v1/cases/{id}/actions/{name}, a review task's verdict, and the notices.
 *
 * Order of the answers: a caller who may not read the case gets 404 (yw_case_path); one who may
 * read it but not take the step 403; then the state (409 CASE_STATE_CONFLICT), the version
 * (409 CASE_STALE), and the body. So neither a case's existence nor its state leaks to those
 * without the right. The write re-checks the state and the version on what it reads.
 */
#include <string.h>

#include "cases/internal.h"
#include "materials/materials.h"

typedef struct {
	yw_case_transition t;
	const char *reason, *legal_basis, *note, *decision, *method, *tracking;
	json_t *missing;
	size_t nslots;                 /* request_supplement: the item's material slots */
	long long days;
	const yw_case_flow *flow;
	const yw_cat_published *item;
	const char *task_id, *verdict;          /* a review task's verdict */
	bool any_version;              /* the body named no version */
} work_arg;

static yw_case_task_row *open_of_stage(yw_case_change *ch, const char *stage)
{
	for (int i = 0; i < ch->ntasks; i++)
		if (yw_str_eq(ch->tasks[i].state, "open") && yw_str_eq(ch->tasks[i].stage, stage))
			return &ch->tasks[i];
	return NULL;
}

static void end_all_open(yw_case_change *ch, const char *state, const char *reason)
{
	for (int i = 0; i < ch->ntasks; i++)
		if (yw_str_eq(ch->tasks[i].state, "open"))
			yw_case_task_end(ch, &ch->tasks[i], state, reason);
}

/* End the open task of a stage as done and let the flow go on. */
static yw_err pass_stage(yw_case_change *ch, const yw_case_flow *f, const char *stage)
{
	yw_case_task_row *t;
	yw_err e = YW_E_OK;
	while (!e && (t = open_of_stage(ch, stage))) {
		yw_case_task_end(ch, t, "done", NULL);
		e = yw_case_flow_advance(ch, f, t, true, NULL);
	}
	return e;
}

/* 即办件: accepted and decided at once; what the flow opens up to making the result is passed. */
static yw_err instant(yw_case_change *ch, const yw_case_flow *f)
{
	yw_err e = pass_stage(ch, f, "pre_review");
	for (int round = 0; !e && round < 16; round++) {
		yw_case_task_row *t = open_of_stage(ch, "review");
		if (!t)
			t = open_of_stage(ch, "decide");
		if (!t)
			break;
		yw_case_task_end(ch, t, "done", "即办件当场决定");
		e = yw_case_flow_advance(ch, f, t, true, NULL);
	}
	return e;
}

static yw_err work_mutate(yw_case_change *ch)
{
	work_arg *w = ch->arg;
	yw_case_row *c = &ch->c;
	yw_case_transition t = w->t;
	if (!yw_case_can(t, c->state)) {
		ch->detail = yw_sprintf(ch->a, "办件处于“%s”状态，不能%s", yw_case_state_zh(c->state),
		                        yw_case_transition_get(t)->zh);
		return YW_E_CASE_STATE_CONFLICT;
	}
	yw_case_state to = yw_case_next_state(t, c->state, c->state_before, c->project_type);
	if (to >= YW_CS__COUNT)
		return YW_E_CASE_STATE_CONFLICT;
	yw_err e = YW_E_OK;
	ch->note = w->note ? w->note : w->reason;
	switch (t) {
	case YW_CT_CLAIM:
		break;
	case YW_CT_REVIEW_TASK: {
		yw_case_task_row *tk = NULL;
		for (int i = 0; i < ch->ntasks && !tk; i++)
			if (yw_str_eq(ch->tasks[i].id, w->task_id))
				tk = &ch->tasks[i];
		if (!tk || !yw_str_eq(tk->state, "open")) {
			ch->detail = "该环节已办结";
			return YW_E_CASE_STATE_CONFLICT;
		}
		bool passed = !strcmp(w->verdict, "approve"), failed = false;
		yw_case_task_end(ch, tk, passed ? "approved" : "denied", w->note);
		ch->task_id = tk->id;
		ch->note = yw_sprintf(ch->a, "%s：%s%s%s", tk->name, passed ? "同意" : "不同意",
		                      w->note ? "，" : "", w->note ? w->note : "");
		ch->event_extra = yw_arena_json(ch->a, json_pack("{s:s}", "verdict", w->verdict));
		if ((e = yw_case_flow_advance(ch, w->flow, tk, passed, &failed)))
			return e;
		if (failed)
			ch->note = yw_sprintf(ch->a, "%s（并联审查未通过，其余并联环节已关闭）", ch->note);
		break;
	}
	case YW_CT_ACCEPT:
		c->accepted_on = ch->today;
		if (to == YW_CS_DECIDED) {
			ch->event2 = "case.decided";
			ch->event_extra = yw_arena_json(ch->a, json_pack("{s:s}", "decision", "approve"));
			c->decision = "approve";
			c->decided_at = ch->now;
			c->decision_basis = w->legal_basis;
			e = instant(ch, w->flow);
		} else {
			e = pass_stage(ch, w->flow, "pre_review");
		}
		break;
	case YW_CT_REJECT:
		end_all_open(ch, "closed", "不予受理");
		c->decision_reasons = w->reason;
		c->decision_basis = w->legal_basis;
		c->close_reason = w->reason;
		c->closed_at = ch->now;
		break;
	case YW_CT_REQUEST_SUPPLEMENT: {
		end_all_open(ch, "closed", "一次性告知补正");
		json_t *s = yw_arena_json(ch->a, json_pack("{s:O, s:o}", "missing", w->missing, "note",
		                                           w->note ? json_string(w->note) : json_null()));
		if (!s)
			return YW_E_NO_MEMORY;
		c->supplement = s;
		c->paused_since = ch->today;
		c->pause_kind = "supplement";
		ch->note = yw_sprintf(ch->a, "需补正 %zu 项材料", json_array_size(w->missing));
		break;
	}
	case YW_CT_RESUBMIT: {
		/* Pre-review starts again: a fresh 5 working days from today (R-CASE-022). */
		c->paused_since = 0;
		c->pause_kind = NULL;
		yw_case_flow_step first;
		if ((e = yw_case_flow_start(w->flow, &first)))
			return e;
		for (int i = 0; i < first.nopen; i++)
			if (!yw_case_task_open(ch, &first.open[i]))
				return YW_E_INTERNAL;
		break;
	}
	case YW_CT_SUSPEND:
		c->state_before = c->state;
		c->paused_since = ch->today;
		c->pause_kind = "suspension";
		break;
	case YW_CT_RESUME: {
		yw_case_clock k = { .limit_days = c->limit_days, .extension_days = c->extension_days,
		                    .paused_workdays = c->paused_workdays, .started_on = c->accepted_on,
		                    .paused_since = c->paused_since };
		/* R-CASE-023: the paused working days are added to the limit. When the calendar does
		 * not reach today they cannot be counted, and resuming anyway would lose them for good
		 * (the due day would come too early once the calendar is updated): refused instead. */
		if ((e = yw_case_clock_resume(&k, ch->today))) {
			if (e == YW_E_CALENDAR_OUT_OF_RANGE)
				ch->detail = "节假日日历尚未覆盖今天，无法计算中止期间的工作日；请先更新节假日日历再恢复办理";
			return e;
		}
		for (int i = 0; i < ch->ntasks; i++) {
			yw_case_task_row *tk = &ch->tasks[i];
			if (!yw_str_eq(tk->state, "open"))
				continue;
			yw_case_clock tc = { .limit_days = tk->limit_days, .paused_workdays = tk->paused_workdays,
			                     .started_on = tk->started_on, .paused_since = c->paused_since };
			if ((e = yw_case_clock_resume(&tc, ch->today)))
				return e;
			tk->paused_workdays = tc.paused_workdays;
			tk->dirty = true;
		}
		c->paused_workdays = k.paused_workdays;
		c->paused_since = 0;
		c->pause_kind = NULL;
		c->state_before = YW_CS__COUNT;
		break;
	}
	case YW_CT_EXTEND:
		if (c->extension_days) {
			ch->detail = yw_sprintf(ch->a, "本件已延长过 %d 个工作日，不能再次延长", c->extension_days);
			return YW_E_EXTENSION_USED;
		}
		c->extension_days = (int)w->days;
		ch->note = yw_sprintf(ch->a, "延长 %lld 个工作日：%s", w->days, w->reason);
		break;
	case YW_CT_DECIDE:
		if (open_of_stage(ch, "review")) {
			ch->detail = "尚有未办结的审查环节（含并联环节），请待其办结后再作决定";
			return YW_E_CASE_TASKS_OPEN;
		}
		if (!strcmp(w->decision, "approve") && yw_case_review_failed(ch, w->flow)) {
			ch->detail = "审查未通过（有审查环节不同意，或并联审查已不能满足汇合条件），只能作出不予许可的决定";
			return YW_E_REVIEW_NOT_PASSED;
		}
		c->decision = w->decision;
		c->decision_reasons = w->reason;
		c->decision_basis = w->legal_basis;
		c->decided_at = ch->now;
		ch->event_extra = yw_arena_json(ch->a, json_pack("{s:s}", "decision", w->decision));
		e = pass_stage(ch, w->flow, "decide");
		break;
	case YW_CT_MAKE_RESULT:
		e = pass_stage(ch, w->flow, "make_license");
		break;
	case YW_CT_DELIVER: {
		json_t *rec = yw_arena_json(ch->a, json_pack("{s:s, s:I}", "method", w->method, "at",
		                                             (json_int_t)ch->now));
		if (!rec)
			return YW_E_NO_MEMORY;
		if (w->tracking)
			json_object_set_new(rec, "tracking_number", json_string(w->tracking));
		if (w->note)
			json_object_set_new(rec, "note", json_string(w->note));
		c->delivery_record = rec;
		e = pass_stage(ch, w->flow, "deliver");
		break;
	}
	case YW_CT_COMPLETE:
		end_all_open(ch, "done", NULL);
		c->closed_at = ch->now;
		break;
	case YW_CT_WITHDRAW:
		end_all_open(ch, "closed", "申请人撤回申请");
		c->close_reason = w->reason ? w->reason : "申请人撤回申请";
		c->paused_since = 0;
		c->closed_at = ch->now;
		break;
	case YW_CT_TERMINATE:
		end_all_open(ch, "closed", w->reason);
		c->close_reason = w->reason;
		c->paused_since = 0;
		c->closed_at = ch->now;
		break;
	default:
		return YW_E_CASE_STATE_CONFLICT;
	}
	if (!e)
		c->state = to;
	return e;
}

/* A free text a step records and a notice prints (a reason, an opinion, a legal basis): trimmed
 * of surrounding blanks (ASCII and the full-width space), 1 to max characters, line breaks kept
 * (a notice prints one paragraph per line) and no other control character. NULL when absent;
 * when wrong, NULL with the member's field error, which then stands alone: a caller asking for a
 * required member adds its own error only when the member has none (field_named). */
static const char *text_at(yw_req *r, json_t *obj, const char *key, const char *field, long max,
                           json_t *fields)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return NULL;
	const char *s = json_string_value(v);
	bool ok = s != NULL;
	if (ok) {
		size_t len;
		const char *t = yw_str_trimmed(s, &len);
		s = yw_strndup(r->arena, t, len);
		long n = s ? yw_utf8_count(s) : -1;
		ok = n >= 1 && n <= max;
		for (const unsigned char *p = (const unsigned char *)s; ok && *p; p++)
			ok = !((*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') || *p == 0x7f);
	}
	if (!ok) {
		yw_field_error(fields, field, yw_sprintf(r->arena, "应为 1 到 %ld 字的文字（不能只有空白）", max));
		return NULL;
	}
	return s;
}

static const char *text_member(yw_req *r, json_t *body, const char *key, long max, json_t *fields)
{
	return text_at(r, body, key, key, max, fields);
}

static bool field_named(json_t *fields, const char *key)
{
	size_t i;
	json_t *f;
	json_array_foreach(fields, i, f)
		if (yw_str_eq(json_string_value(json_object_get(f, "field")), key))
			return true;
	return false;
}

/* Whether the collector (their ID number, 18 characters) may take the result: the applicant in
 * person, whoever acts for the applicant today (their agent, an organisation's legal
 * representative or handler for this item: identity decides), or the person who filed the case
 * for them. The number is compared and forgotten: only the method and the time are recorded. */
static bool collector_ok(yw_req *r, const yw_case_row *c, const char *id18)
{
	bool yes = false;
	if (!yw_identity_may_collect(r->app->store, r->app->keys, r->arena, id18, c->applicant_kind,
	                             c->applicant_id, c->item_code, &yes) && yes)
		return true;
	if (c->filed_by && yw_str_has_prefix(c->filed_by, "person:")) {
		const char *id = c->filed_by + 7, *sp = strchr(id, ' ');
		yw_applicant ap;
		if (!yw_identity_applicant(r->app->store, r->app->keys, r->arena, "person",
		                           sp ? yw_strndup(r->arena, id, (size_t)(sp - id)) : id, &ap) &&
		    ap.number && !strcmp(ap.number, id18))
			return true;
	}
	return false;
}

/* The body of a transition, checked for what t needs. */
static yw_err read_body(yw_req *r, const yw_case_row *c, json_t *body, work_arg *w)
{
	json_t *fields = yw_arena_json(r->arena, json_array());
	w->reason = text_member(r, body, "reason", 1000, fields);
	w->legal_basis = text_member(r, body, "legal_basis", 500, fields);
	w->note = text_member(r, body, "note", 1000, fields);
	bool need_reason = w->t == YW_CT_REJECT || w->t == YW_CT_SUSPEND || w->t == YW_CT_EXTEND ||
	                   w->t == YW_CT_TERMINATE;
	switch (w->t) {
	case YW_CT_REQUEST_SUPPLEMENT: {
		json_t *m = json_object_get(body, "missing");
		if (!json_is_array(m) || !json_array_size(m) || json_array_size(m) > 100) {
			yw_field_error(fields, "missing", "应列出全部需补正的材料（1 到 100 项），一次告知");
			break;
		}
		json_t *clean = yw_arena_json(r->arena, json_array());
		for (size_t i = 0; i < json_array_size(m); i++) {
			json_t *e = json_array_get(m, i), *slot = json_object_get(e, "slot");
			const char *nf = yw_sprintf(r->arena, "missing[%zu].name", i),
				   *name = json_is_object(e) ? text_at(r, e, "name", nf, 200, fields) : NULL;
			if (name && strpbrk(name, "\r\n")) {
				yw_field_error(fields, nf, "材料名称应为一行文字");
				continue;
			}
			if (!name) {
				if (!field_named(fields, nf))
					yw_field_error(fields, nf, "必填，至多 200 字");
				continue;
			}
			if (slot && !json_is_null(slot) &&
			    (!json_is_integer(slot) || json_integer_value(slot) < 0 ||
			     (size_t)json_integer_value(slot) >= w->nslots))
				yw_field_error(fields, yw_sprintf(r->arena, "missing[%zu].slot", i),
				               w->nslots ? yw_sprintf(r->arena, "应为本事项的材料序号（0 到 %zu）", w->nslots - 1)
				                         : "本事项没有材料清单，请不填 slot，只写明需补正的内容");
			const char *reason = text_at(r, e, "reason", yw_sprintf(r->arena, "missing[%zu].reason", i),
			                             500, fields);
			json_array_append_new(clean, json_pack("{s:O, s:s, s:o}", "slot",
			                                       slot && json_is_integer(slot) ? slot : json_null(),
			                                       "name", name, "reason",
			                                       reason ? json_string(reason) : json_null()));
		}
		w->missing = clean;
		break;
	}
	case YW_CT_EXTEND: {
		json_t *d = json_object_get(body, "days");
		if (!json_is_integer(d) || json_integer_value(d) < 1 ||
		    json_integer_value(d) > YW_CASE_MAX_EXTENSION)
			yw_field_error(fields, "days", "延长的工作日数应为 1 到 30");
		else
			w->days = json_integer_value(d);
		break;
	}
	case YW_CT_DECIDE:
		if (!yw_json_str(body, "decision", &w->decision) ||
		    (strcmp(w->decision, "approve") && strcmp(w->decision, "deny")))
			yw_field_error(fields, "decision", "应为 approve（准予许可）或 deny（不予许可）");
		else if (!strcmp(w->decision, "deny"))
			need_reason = true;
		break;
	case YW_CT_DELIVER: {
		w->method = NULL;
		if (!yw_json_str(body, "method", &w->method) && c->delivery)
			yw_json_str(c->delivery, "method", &w->method);
		if (!w->method || (strcmp(w->method, "pickup") && strcmp(w->method, "post") &&
		                   strcmp(w->method, "electronic"))) {
			yw_field_error(fields, "method", "应为 pickup、post 或 electronic");
			break;
		}
		if (!strcmp(w->method, "post")) {
			w->tracking = text_member(r, body, "tracking_number", 64, fields);
			if (w->tracking && strpbrk(w->tracking, "\r\n\t"))
				yw_field_error(fields, "tracking_number", "运单号应为一行文字");
			else if (!w->tracking && !field_named(fields, "tracking_number"))
				yw_field_error(fields, "tracking_number", "邮寄送达须填写运单号");
		}
		if (!strcmp(w->method, "pickup")) {
			const char *idn = NULL;
			if (!yw_json_str(body, "id_number", &idn)) {
				yw_field_error(fields, "id_number", "窗口领取须核验领取人的公民身份号码");
				break;
			}
			char id18[19];
			if (yw_id_check(idn, id18))
				return yw_fail(r, YW_E_BAD_ID_NUMBER, "领取人的公民身份号码不正确");
			if (!collector_ok(r, c, id18))
				return yw_fail(r, YW_E_COLLECTOR_NOT_APPLICANT,
				               "领取人的身份证号码与申请人不符，也不是其代办人、法定代表人或经办人，请由本人持身份证领取");
		}
		break;
	}
	default:
		break;
	}
	if (need_reason && !w->reason && !field_named(fields, "reason"))
		yw_field_error(fields, "reason", "必填：请写明理由");
	return json_array_size(fields) ? yw_fail_fields(r, fields) : YW_E_OK;
}

static yw_err body_of(yw_req *r, json_t **body)
{
	if (!r->body_len) {
		*body = yw_arena_json(r->arena, json_object());
		return *body ? YW_E_OK : YW_E_NO_MEMORY;
	}
	return yw_req_json(r, body);
}

static yw_err run_work(yw_req *r, const yw_case_row *c, work_arg *w, const char *action,
                       const char *event)
{
	yw_case_change ch;
	yw_case_change_init(&ch, r, c, action);
	yw_cat_published item;
	yw_case_flow *flow = NULL;
	yw_err e = yw_case_flow_of(r, &ch, c, &item, &flow);
	if (e)
		return e;
	w->flow = flow;
	w->item = &item;
	ch.mutate = work_mutate;
	ch.arg = w;
	ch.event = event;
	ch.any_version = w->any_version;
	if ((e = yw_case_change_run(r, &ch)))
		return e;
	return yw_case_reply_change(r, 200, &ch);
}

/* The children of a theme that a withdrawal of the whole would withdraw: those not yet decided.
 * *mine false when one of them is not the caller's to withdraw (a clerk outside its department's
 * reach), which refuses the whole. */
static yw_err theme_withdrawable(yw_req *r, const yw_case_row *parent, yw_case_row **out, int *n,
                                 bool *mine)
{
	yw_case_row *k;
	int nk, m = 0;
	yw_err e = yw_case_theme_children(r, parent->id, &k, &nk);
	*mine = true;
	for (int i = 0; !e && i < nk; i++) {
		if (!yw_case_can(YW_CT_WITHDRAW, k[i].state))
			continue;
		yw_case_task_row *t;
		int nt;
		if ((e = yw_casedb_tasks(yw_store_reader(r->app->store), r->arena, k[i].id, &t, &nt)))
			break;
		*mine = *mine && yw_case_may_task(r, &k[i], t, nt, YW_CT_WITHDRAW);
		k[m++] = k[i];
	}
	*out = k;
	*n = m;
	return e;
}

bool yw_case_theme_may_withdraw(yw_req *r, const yw_case_row *parent)
{
	yw_case_row *k;
	int n;
	bool mine;
	yw_object o = yw_case_object(parent);
	return yw_authz_allows(r, YW_ACT_CASE_APPLY, &o) &&
	       !theme_withdrawable(r, parent, &k, &n, &mine) && n && mine;
}

/* The theme's own record of its withdrawal, written after its children's in the same write: its
 * trail goes from the state it showed to the one the children now give it (their changes stored
 * it, yw_case_theme_sync), and its version moves on. */
typedef struct {
	yw_case_state shown;
	const char *reason;
} whole_arg;

static yw_err whole_withdrawn(yw_case_change *ch)
{
	const whole_arg *wa = ch->arg;
	ch->from = wa->shown;
	ch->note = wa->reason;
	return YW_E_OK;
}

/* R-CASE-065: a theme withdrawn as a whole. Each child not yet decided is withdrawn, in one
 * write, exactly as when withdrawn on its own (its trail, audit entry and case.withdrawn event);
 * a child already decided goes on, since its result is the applicant's. */
static yw_err withdraw_theme(yw_req *r, const yw_case_row *parent, work_arg *w)
{
	yw_object o = yw_case_object(parent);
	yw_err e = yw_authz(r, YW_ACT_CASE_APPLY, &o);
	if (e)
		return e;
	json_t *body;
	if ((e = body_of(r, &body)) || (e = yw_case_version_check(r, body, parent)) ||
	    (e = read_body(r, parent, body, w)))
		return e;
	yw_case_row *k;
	int n;
	bool mine;
	if ((e = theme_withdrawable(r, parent, &k, &n, &mine)))
		return yw_fail(r, e, "读取主题的办件失败");
	if (!n)
		return yw_fail(r, YW_E_CASE_STATE_CONFLICT, "本主题的事项都已作出决定或已终结，没有可撤回的办件");
	if (!mine)
		return yw_fail(r, YW_E_FORBIDDEN, "本主题中有事项的办件不能由当前账号撤回");
	yw_case_change *chs = yw_zalloc(r->arena, sizeof *chs * (size_t)(n + 1));
	yw_case_change **list = yw_zalloc(r->arena, sizeof *list * (size_t)(n + 1));
	if (!chs || !list)
		return yw_fail(r, YW_E_NO_MEMORY, "内存不足");
	if (!w->reason)
		w->reason = "申请人撤回主题（一件事）申请";
	for (int i = 0; i < n; i++) {
		yw_case_change_init(&chs[i], r, &k[i], yw_case_transition_get(YW_CT_WITHDRAW)->name);
		chs[i].mutate = work_mutate;
		chs[i].arg = w;
		chs[i].event = yw_case_transition_get(YW_CT_WITHDRAW)->event;
		chs[i].any_version = true;     /* the client saw the parent's version, not each child's */
		chs[i].lock_first = true;
		list[i] = &chs[i];
	}
	whole_arg wa = { .shown = parent->state, .reason = w->reason };
	yw_case_change_init(&chs[n], r, parent, yw_case_transition_get(YW_CT_WITHDRAW)->name);
	chs[n].mutate = whole_withdrawn;
	chs[n].arg = &wa;
	chs[n].any_version = true;
	list[n] = &chs[n];
	if ((e = yw_case_changes_run(r, list, n + 1)))
		return e;
	return yw_case_reply(r, 200, parent->id);
}

yw_err yw_cases_action(yw_req *r)
{
	yw_case_row c;
	yw_case_task_row *tasks;
	int nt;
	yw_err e = yw_case_path(r, &c, &tasks, &nt);
	if (e)
		return e;
	work_arg w = { 0 };
	const char *name = yw_req_param(r, "name");
	if (!yw_case_transition_from_name(name, &w.t) || w.t == YW_CT_SUBMIT || w.t == YW_CT_REVIEW_TASK)
		return yw_fail(r, YW_E_NOT_FOUND, "没有名为 %s 的办理操作", name);
	if (yw_case_is_theme_parent(&c))
		return w.t == YW_CT_WITHDRAW ? withdraw_theme(r, &c, &w)
		                             : yw_fail(r, YW_E_CASE_STATE_CONFLICT,
		                                       "主题（一件事）的总件不能直接办理，请办理其下各事项的办件");
	const yw_case_transition_def *d = yw_case_transition_get(w.t);
	if (!yw_case_may_task(r, &c, tasks, nt, w.t)) {
		yw_object o = yw_case_object(&c);
		if ((e = yw_authz(r, d->action, &o)))
			return e;
		if (d->action == YW_ACT_CASE_APPLY)
			return yw_fail(r, YW_E_FORBIDDEN, "网上申请的办件，此操作只能由申请人本人或其代办人办理");
		return yw_fail(r, YW_E_FORBIDDEN, "当前环节由流程指定的角色办理，当前账号不能%s", d->zh);
	}
	if (!yw_case_can(w.t, c.state))
		return yw_fail(r, YW_E_CASE_STATE_CONFLICT, "办件处于“%s”状态，不能%s",
		               yw_case_state_zh(c.state), d->zh);
	json_t *body;
	if ((e = body_of(r, &body)))
		return e;
	if ((e = yw_case_version_check(r, body, &c)))
		return e;
	/* The item's version, for what the step checks against it: the slots a supplement list may
	 * name, and the application a resubmission must make complete. */
	yw_cat_published item;
	if ((w.t == YW_CT_REQUEST_SUPPLEMENT || w.t == YW_CT_RESUBMIT) &&
	    yw_catalog_published(r->app->store, r->arena, c.item_code, c.item_version, &item))
		return yw_fail(r, YW_E_ITEM_NOT_APPLICABLE, "办件所依据的事项版本无法读取");
	if (w.t == YW_CT_REQUEST_SUPPLEMENT)
		w.nslots = json_array_size(item.materials);
	if ((e = read_body(r, &c, body, &w)))
		return e;
	if (w.t == YW_CT_EXTEND && c.extension_days)
		return yw_fail(r, YW_E_EXTENSION_USED, "本件已延长过 %d 个工作日，不能再次延长", c.extension_days);
	const yw_case_task_row *review = w.t == YW_CT_DECIDE ? yw_case_open_review(tasks, nt) : NULL;
	if (review)
		return yw_fail(r, YW_E_CASE_TASKS_OPEN, "审查环节“%s”尚未办结，暂不能作出决定", review->name);
	if (w.t == YW_CT_RESUBMIT) {
		/* Checked again as on submit: the supplement must make the application complete. */
		yw_case_mat *m;
		int nm;
		if ((e = yw_casedb_materials(yw_store_reader(r->app->store), r->arena, c.id, &m, &nm)))
			return yw_fail(r, e, "读取材料失败");
		if ((e = yw_case_submit_check(r, &c, &item, m, nm)))
			return e;
	}
	return run_work(r, &c, &w, d->name, d->event);
}

yw_err yw_cases_task(yw_req *r)
{
	yw_case_row c;
	yw_case_task_row *tasks;
	int nt;
	yw_err e = yw_case_path(r, &c, &tasks, &nt);
	if (e)
		return e;
	const char *tid = yw_req_param(r, "task_id");
	yw_case_task_row *t = NULL;
	for (int i = 0; i < nt && !t; i++)
		if (yw_str_eq(tasks[i].id, tid))
			t = &tasks[i];
	if (!t)
		return yw_fail(r, YW_E_NOT_FOUND, "本办件没有该环节");
	yw_object o = yw_case_object(&c);
	o.department_id = t->department_id;
	o.division_code = t->division_code;
	if ((e = yw_authz(r, YW_ACT_CASE_REVIEW, &o)))
		return e;
	/* R-CASE-012: a branch is its own department's: its role there, not the case's department. */
	yw_role role;
	if (!yw_case_may_review(r, &c, t))
		return yw_fail(r, YW_E_FORBIDDEN, "该环节须由本部门的%s办理",
		               yw_role_from_name(t->role, &role) ? yw_role_zh(role) : "指定角色");
	if (!yw_str_eq(t->stage, "review"))
		return yw_fail(r, YW_E_CASE_STATE_CONFLICT, "“%s”不是审查环节，请使用相应的办理操作", t->name);
	if (!yw_str_eq(t->state, "open") || !yw_case_can(YW_CT_REVIEW_TASK, c.state))
		return yw_fail(r, YW_E_CASE_STATE_CONFLICT, "该环节已办结或办件当前不在审查中");
	json_t *body;
	if ((e = body_of(r, &body)))
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	work_arg w = { .t = YW_CT_REVIEW_TASK, .task_id = t->id, .any_version = !yw_case_version_given(body) };
	if ((e = yw_case_version_check(r, body, &c)))
		return e;
	if (!yw_json_str(body, "verdict", &w.verdict) ||
	    (strcmp(w.verdict, "approve") && strcmp(w.verdict, "deny")))
		yw_field_error(fields, "verdict", "应为 approve（同意）或 deny（不同意）");
	w.note = text_member(r, body, "opinion", 1000, fields);
	if (w.verdict && !strcmp(w.verdict, "deny") && !w.note && !field_named(fields, "opinion"))
		yw_field_error(fields, "opinion", "不同意时须写明审查意见");
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	return run_work(r, &c, &w, yw_case_transition_get(YW_CT_REVIEW_TASK)->name, "case.task_done");
}

/* ---- notices (R-CASE-040) ------------------------------------------------------------------- */

static const char *cn_date(yw_arena *a, yw_ms at)
{
	yw_date d = yw_cst_date(at);
	char buf[11];
	yw_date_format(d, buf);
	return yw_strdup(a, buf);
}

yw_err yw_cases_notice(yw_req *r)
{
	yw_case_row c;
	yw_err e = yw_case_path(r, &c, NULL, NULL);
	if (e)
		return e;
	yw_notice n = { 0 };
	const char *kind = yw_req_param(r, "kind");
	if (!yw_notice_kind_from_name(kind, &n.kind))
		return yw_fail(r, YW_E_NOT_FOUND, "没有名为 %s 的通知书", kind);
	/* 事项类型 is in the basic code, the last 12 characters of the implementation code:
	 * SS TT MMMMM sss, TT 01 行政许可 (STANDARDS.md) */
	size_t cl = c.item_code ? strlen(c.item_code) : 0;
	n.not_licence = cl >= 12 && strncmp(c.item_code + cl - 10, "01", 2) != 0;
	const char *act = n.kind == YW_NOTICE_ACCEPT ? "accept"
	                  : n.kind == YW_NOTICE_REJECT ? "reject"
	                  : n.kind == YW_NOTICE_SUPPLEMENT ? "request_supplement"
	                                                   : NULL;
	yw_ms at = 0;
	if (act) {
		yw_rows *trail;
		if ((e = yw_casedb_trail(yw_store_reader(r->app->store), r->arena, c.id, &trail)))
			return yw_fail(r, e, "读取办件失败");
		for (int i = 0; i < yw_rows_count(trail); i++)
			if (yw_str_eq(yw_rows_text(trail, i, 3), act))
				at = yw_rows_int(trail, i, 1);   /* the latest such act */
	} else if (c.decided_at &&
	           yw_str_eq(c.decision, n.kind == YW_NOTICE_APPROVE ? "approve" : "deny")) {
		at = c.decided_at;
	}
	if (!at)
		return yw_fail(r, YW_E_CASE_STATE_CONFLICT, "本办件还没有%s", yw_notice_title(&n));
	const char *base = r->app->config->public_url[0]
		? r->app->config->public_url
		: yw_sprintf(r->arena, "http://%s:%d", r->app->config->listen_host, r->app->config->listen_port);
	size_t bl = strlen(base);
	n.department = yw_case_department_name(r, c.department_id);
	n.serial = c.serial;
	n.date = cn_date(r->arena, at);
	n.applicant = c.applicant_name;
	n.item_name = c.item_name;
	if (n.kind == YW_NOTICE_REJECT || n.kind == YW_NOTICE_DENY)
		n.reason = c.decision_reasons;
	if (n.kind != YW_NOTICE_ACCEPT && n.kind != YW_NOTICE_SUPPLEMENT)
		n.legal_basis = c.decision_basis;
	if (n.kind == YW_NOTICE_ACCEPT) {
		/* The day promised when the notice was issued: the limit from the day of acceptance,
		 * whatever suspensions and extensions came later (they have their own records). */
		yw_case_clock k = { .limit_days = c.limit_days, .started_on = c.accepted_on };
		int due = 0;
		if (!yw_case_clock_due(&k, &due) && due)
			n.due = yw_case_day_str(r->arena, due);
	}
	if (n.kind == YW_NOTICE_SUPPLEMENT) {
		json_t *m = json_object_get(c.supplement, "missing");
		const char **list = yw_zalloc(r->arena, sizeof *list * (json_array_size(m) + 1));
		for (size_t i = 0; list && i < json_array_size(m); i++) {
			json_t *e1 = json_array_get(m, i);
			const char *nm = json_string_value(json_object_get(e1, "name")),
				   *why = json_string_value(json_object_get(e1, "reason"));
			list[n.nmissing++] = why ? yw_sprintf(r->arena, "%s：%s", nm, why) : nm;
		}
		n.missing = list;
	}
	n.progress_url = yw_sprintf(r->arena, "%.*s/progress?serial=%s",
	                            (int)(bl && base[bl - 1] == '/' ? bl - 1 : bl), base,
	                            c.serial ? c.serial : "");
	const char *pdf;
	size_t len;
	if ((e = yw_notice_pdf(r->arena, &n, &pdf, &len)))
		return yw_fail(r, e, "生成通知书失败");
	yw_reply_header(r, "Cache-Control", "no-store");
	yw_reply_header(r, "Content-Disposition",
	                yw_sprintf(r->arena, "inline; filename=\"notice-%s.pdf\"", kind));
	return yw_reply_raw(r, 200, "application/pdf", pdf, len);
}
