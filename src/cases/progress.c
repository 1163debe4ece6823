/*
 * Public progress (GET /api/v1/progress?serial=…&name=… | &phone4=NNNN): anyone holding the
 * serial number and the applicant's name, or the last four digits of their mobile, may see how
 * far a case is — the state and the steps with their times, never a name, a number, a form
 * value or a reason. The name and the four digits are compared by keyed hash (stored at
 * submission), so the table holds neither. A wrong serial and a wrong name answer alike, and
 * each address may ask 20 times a minute, so the endpoint cannot be used to guess.
 */
#include <string.h>

#include "cases/internal.h"

static const yw_rate_rule progress_ip = { "progress-ip", 20, (yw_ms)60 * 1000 };

static yw_err not_found(yw_req *r)
{
	return yw_fail(r, YW_E_PROGRESS_NOT_FOUND, "未找到该办件，或姓名、手机号后四位与办件不符");
}

yw_err yw_cases_progress(yw_req *r)
{
	if (!r->app->store)
		return yw_fail(r, YW_E_UNAVAILABLE, "未配置数据库");
	const char *serial = yw_req_query(r, "serial"), *name = yw_req_query(r, "name"),
		   *phone4 = yw_req_query(r, "phone4");
	/* What a person types into a form: blanks around any of them are not theirs to count. */
	size_t len;
	const char *typed;
	if (serial && (typed = yw_str_trimmed(serial, &len)))
		serial = yw_strndup(r->arena, typed, len);
	if (name && (typed = yw_str_trimmed(name, &len)))
		name = yw_strndup(r->arena, typed, len);
	if (phone4 && (typed = yw_str_trimmed(phone4, &len)))
		phone4 = yw_strndup(r->arena, typed, len);
	const yw_rate_rule *rules[] = { &progress_ip };
	const char *keys[] = { r->client_ip };
	int retry = 0;
	if (!yw_rate_limit(rules, keys, 1, yw_now_ms(), &retry)) {
		yw_reply_header(r, "Retry-After", yw_sprintf(r->arena, "%d", retry));
		return yw_fail(r, YW_E_RATE_LIMITED, "查询过于频繁，请 %d 秒后再试", retry);
	}
	if (!serial || !serial[0])
		return yw_fail(r, YW_E_BAD_PARAMETER, "请输入办件编号");
	if ((!name || !name[0]) && (!phone4 || !phone4[0]))
		return yw_fail(r, YW_E_BAD_PARAMETER, "请输入申请人姓名或手机号后四位");
	if (phone4 && phone4[0] && (strlen(phone4) != 4 || !yw_str_all_digits(phone4, 4)))
		return yw_fail(r, YW_E_BAD_PARAMETER, "手机号后四位应为 4 位数字");
	char up[YW_CASE_SERIAL_LEN + 1];
	if (!yw_case_serial_read(serial, up))
		return yw_fail(r, YW_E_BAD_PARAMETER, "办件编号格式不正确或校验位不符，请核对");
	yw_case_row c;
	yw_err e = yw_casedb_by_serial(yw_store_reader(r->app->store), r->arena, up, &c);
	if (e == YW_E_NOT_FOUND)
		return not_found(r);
	if (e)
		return yw_fail(r, e, "读取办件失败");
	/* Either one proves enough; whatever is given must match (a right name with a wrong phone
	 * is a wrong answer, not half a right one). */
	char h[65];
	bool ok = true;
	if (name && name[0]) {
		yw_lookup_hash(r->app->keys, "case-name", name, h);
		ok = yw_str_eq(h, c.name_hash);
	}
	if (ok && phone4 && phone4[0]) {
		yw_lookup_hash(r->app->keys, "case-phone4", phone4, h);
		ok = yw_str_eq(h, c.phone4_hash);
	}
	if (!ok)
		return not_found(r);
	yw_rows *trail;
	if ((e = yw_casedb_trail(yw_store_reader(r->app->store), r->arena, c.id, &trail)))
		return yw_fail(r, e, "读取办件失败");
	json_t *steps = json_array();
	for (int i = 0; i < yw_rows_count(trail); i++) {
		const char *act = yw_rows_text(trail, i, 3);
		yw_case_transition t;
		if (!yw_case_transition_from_name(act, &t))
			continue;
		json_array_append_new(steps, json_pack("{s:s, s:s, s:I}", "action", act, "name",
		                                       yw_case_transition_get(t)->zh, "at",
		                                       (json_int_t)yw_rows_int(trail, i, 1)));
	}
	json_t *children = yw_case_theme_public(r, &c);   /* a theme's: its state from them */
	const char *dept = yw_case_department_name(r, c.department_id);
	const char *completed = c.state == YW_CS_COMPLETED && c.closed_at
		? yw_case_day_str(r->arena, yw_case_ymd(yw_cst_date(c.closed_at))) : NULL;
	const char *decided = c.decided_at ? yw_case_day_str(r->arena, yw_case_ymd(yw_cst_date(c.decided_at)))
	                                   : NULL;
#define DAY(s) ((s) ? json_string(s) : json_null())
	json_t *j = json_pack("{s:s, s:s, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "serial",
	                      c.serial, "item_name", c.item_name, "department", DAY(dept), "state",
	                      yw_case_state_name(c.state), "state_name", yw_case_state_zh(c.state),
	                      "submitted_on", DAY(yw_case_day_str(r->arena, c.submitted_on)),
	                      "accepted_on", DAY(yw_case_day_str(r->arena, c.accepted_on)), "due_on",
	                      DAY(yw_case_day_str(r->arena, c.due_on)), "decided_on", DAY(decided),
	                      "completed_on", DAY(completed), "steps", steps);
#undef DAY
	if (j && children)
		json_object_set_new(j, "children", children);
	yw_reply_header(r, "Cache-Control", "no-store");
	return yw_reply_json(r, 200, j);
}
