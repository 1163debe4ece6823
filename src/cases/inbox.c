/*
 * Lists: the staff inbox (open tasks in the caller's reach, most urgent first) and GET
 * /api/v1/cases (an applicant's own cases, or the cases in a staff member's reach).
 *
 * Reach is not asked of each row: yw_authz_reach turns the caller's role assignments into a
 * filter (role, departments, division prefix) that the query carries, so that one indexed read
 * answers over a million tasks. The inbox asks it twice: pre-review and delivery are a window
 * clerk's (case.accept), review, decision and the result an approver's (case.review); the task's
 * own role must be the assignment's role. Paging is by keyset: the cursor is the last row's sort
 * key, so pages neither skip nor repeat rows while cases move.
 */
#include <stdarg.h>
#include <string.h>

#include "cases/internal.h"

/* A query being built with its parameters. The parameters grow in the arena: a reach may name
 * every department of a province. */
#define QB_MAX_PARAMS 20000     /* under SQLite's 32766 and PostgreSQL's 65535 */
typedef struct {
	yw_arena *a;
	const char *sql;
	yw_val *p;
	int n, cap;
	bool full;
} qb;

static const char *P(qb *q, yw_val v)
{
	if (q->n == q->cap) {
		int cap = q->cap ? q->cap * 2 : 64;
		yw_val *p = cap <= QB_MAX_PARAMS ? yw_alloc(q->a, sizeof *p * (size_t)cap) : NULL;
		if (!p) {
			q->full = true;
			return "NULL";
		}
		if (q->n)
			memcpy(p, q->p, sizeof *p * (size_t)q->n);
		q->p = p;
		q->cap = cap;
	}
	q->p[q->n++] = v;
	return yw_sprintf(q->a, "$%d", q->n);
}

/* A department id as a parameter, bound once however often the query names it: the same
 * department reached by several roles, and by both halves of the inbox's filter, would otherwise
 * multiply the parameters. */
static const char *D(qb *q, const char *dept)
{
	for (int i = 0; i < q->n; i++)
		if (q->p[i].type == YW_V_TEXT && !strcmp(q->p[i].s, dept))
			return yw_sprintf(q->a, "$%d", i + 1);
	return P(q, YW_VTEXT(dept));
}

static void add(qb *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(qb *q, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *s = yw_vsprintf(q->a, fmt, ap);
	va_end(ap);
	q->sql = q->sql && s ? yw_sprintf(q->a, "%s%s", q->sql, s) : NULL;
}

/* The reach as SQL over rows with department_id, division_code (and role, for tasks). */
static void reach_sql(qb *q, const yw_reach *rc, bool with_role)
{
	if (rc->platform) {
		add(q, "1 = 1");
		return;
	}
	if (!rc->nparts) {
		add(q, "1 = 0");
		return;
	}
	add(q, "(");
	for (int i = 0; i < rc->nparts; i++) {
		const yw_reach_part *p = &rc->parts[i];
		add(q, "%s(division_code LIKE %s", i ? " OR " : "",
		    P(q, YW_VTEXT(yw_sprintf(q->a, "%s%%", p->division_prefix ? p->division_prefix : ""))));
		if (with_role)
			add(q, " AND role = %s", P(q, YW_VTEXT(yw_role_name(p->role))));
		if (p->dept_ids) {
			add(q, " AND department_id IN (");
			for (int k = 0; k < p->ndepts; k++)
				add(q, "%s%s", k ? ", " : "", D(q, p->dept_ids[k]));
			if (!p->ndepts)
				add(q, "NULL");
			add(q, ")");
		}
		add(q, ")");
	}
	add(q, ")");
}

/* epoch ms of 00:00 China Standard Time on a YYYY-MM-DD day (plus days). */
static bool day_ms(const char *s, int plus, yw_ms *out)
{
	yw_date d;
	if (!yw_date_parse(s, &d))
		return false;
	*out = ((yw_ms)yw_date_to_days(d) + plus) * 86400000 - (yw_ms)8 * 3600000;
	return true;
}

static yw_err common_filters(yw_req *r, qb *q, bool tasks, bool with_state)
{
	const char *item = yw_req_query(r, "item"), *state = yw_req_query(r, "state"),
		   *channel = yw_req_query(r, "channel"), *from = yw_req_query(r, "from"),
		   *to = yw_req_query(r, "to"), *stage = yw_req_query(r, "stage");
	yw_case_state st;
	yw_ms ms;
	if (item && item[0])
		add(q, " AND item_code = %s", P(q, YW_VTEXT(item)));
	if (state && state[0]) {
		if (!yw_case_state_from_name(state, &st))
			return yw_fail(r, YW_E_BAD_PARAMETER, "state 不是办件状态：%s", state);
		if (with_state)
			add(q, " AND %s = %s", tasks ? "case_state" : "state", P(q, YW_VTEXT(state)));
	}
	if (channel && channel[0]) {
		if (strcmp(channel, "online") && strcmp(channel, "window"))
			return yw_fail(r, YW_E_BAD_PARAMETER, "channel 应为 online 或 window");
		add(q, " AND channel = %s", P(q, YW_VTEXT(channel)));
	}
	if (stage && stage[0]) {
		static const char *const stages[] = { "pre_review", "review", "decide", "make_license", "deliver" };
		bool ok = false;
		for (size_t i = 0; i < 5; i++)
			ok = ok || !strcmp(stage, stages[i]);
		if (!ok)
			return yw_fail(r, YW_E_BAD_PARAMETER, "stage 应为 pre_review、review、decide、make_license 或 deliver");
		/* the tasks of that stage; for a list of cases, the cases with one open */
		if (tasks)
			add(q, " AND stage = %s", P(q, YW_VTEXT(stage)));
		else
			add(q, " AND EXISTS (SELECT 1 FROM case_tasks WHERE case_tasks.case_id = cases.id AND "
			       "case_tasks.state = 'open' AND case_tasks.stage = %s)", P(q, YW_VTEXT(stage)));
	}
	if (from && from[0]) {
		if (!day_ms(from, 0, &ms))
			return yw_fail(r, YW_E_BAD_DATE, "from 应为 YYYY-MM-DD，收到 %s", from);
		add(q, " AND submitted_at >= %s", P(q, YW_VINT(ms)));
	}
	if (to && to[0]) {
		if (!day_ms(to, 1, &ms))
			return yw_fail(r, YW_E_BAD_DATE, "to 应为 YYYY-MM-DD，收到 %s", to);
		add(q, " AND submitted_at < %s", P(q, YW_VINT(ms)));
	}
	return YW_E_OK;
}

static yw_err limit_of(yw_req *r, long long *limit)
{
	const char *l = yw_req_query(r, "limit");
	*limit = 20;
	if (l && !yw_parse_int(l, 1, 100, limit))
		return yw_fail(r, YW_E_BAD_PARAMETER, "limit 应为 1 到 100 的整数");
	return YW_E_OK;
}

/* A cursor is base64url of "a|b|…"; parts come back in out. */
static int cursor_parts(yw_req *r, const char *c, const char **out, int max)
{
	size_t n;
	unsigned char *raw = c ? yw_b64url_decode(r->arena, c, strlen(c), &n) : NULL;
	if (!raw || n > 200)
		return -1;
	/* only what we put in: numbers, ids and the separator (a forged cursor of other bytes
	 * would reach the database as text) */
	for (size_t i = 0; i < n; i++)
		if (!yw_b64url_char((char)raw[i]) && raw[i] != '|')
			return -1;
	int k = 0;
	char *p = (char *)raw;
	while (k < max) {
		char *bar = strchr(p, '|');
		out[k++] = p;
		if (!bar)
			break;
		*bar = 0;
		p = bar + 1;
	}
	return k;
}

static const char *cursor_make(yw_req *r, const char *s)
{
	return yw_b64url_encode(r->arena, s, strlen(s));
}

static bool is_int(const char *s, long long *v)
{
	return s && yw_parse_int(s, -9000000000000000000LL, 9000000000000000000LL, v);
}

/* ---- the inbox ------------------------------------------------------------------------------- */

/* The stages each action works (R-CASE-012, catalog's yw_cat_stage_action): an inbox shows a
 * task when one of the caller's assignments of the task's role reaches its department with the
 * action of its stage. */
static const struct {
	yw_action action;
	const char *stages;
} inbox_stages[] = {
	{ YW_ACT_CASE_ACCEPT, "'pre_review', 'deliver'" },
	{ YW_ACT_CASE_REVIEW, "'review', 'decide'" },
	{ YW_ACT_CASE_RESULT, "'make_license'" },
};
#define NREACH (sizeof inbox_stages / sizeof inbox_stages[0])

static yw_err inbox_where(yw_req *r, qb *q, const yw_reach *reach, bool with_state)
{
	add(q, " WHERE state = 'open'");
	/* When every assignment is a department's, the departments also stand alone in the WHERE:
	 * then the planner searches case_tasks_inbox by department rather than scanning it. */
	bool all_dept = true, any = false;
	for (size_t k = 0; k < NREACH; k++) {
		all_dept = all_dept && !reach[k].platform;
		any = any || reach[k].nparts;
		for (int i = 0; i < reach[k].nparts; i++)
			all_dept = all_dept && reach[k].parts[i].dept_ids && reach[k].parts[i].ndepts;
	}
	if (all_dept && any) {
		add(q, " AND department_id IN (");
		int n = 0;
		for (size_t k = 0; k < NREACH; k++)
			for (int i = 0; i < reach[k].nparts; i++)
				for (int j = 0; j < reach[k].parts[i].ndepts; j++)
					add(q, "%s%s", n++ ? ", " : "", D(q, reach[k].parts[i].dept_ids[j]));
		/* The roles of the reach and the stages also stand alone, so that the planner walks
		 * case_tasks_inbox by department, role and stage instead of filtering its rows. */
		add(q, ") AND role IN (");
		n = 0;
		for (size_t k = 0; k < NREACH; k++)
			for (int i = 0; i < reach[k].nparts; i++)
				add(q, "%s%s", n++ ? ", " : "", D(q, yw_role_name(reach[k].parts[i].role)));
		add(q, ") AND stage IN ('pre_review', 'deliver', 'review', 'decide', 'make_license')");
	}
	for (size_t k = 0; k < NREACH; k++) {
		add(q, "%s(stage IN (%s) AND ", k ? " OR " : " AND (", inbox_stages[k].stages);
		reach_sql(q, &reach[k], true);
		add(q, ")");
	}
	add(q, ")");
	return common_filters(r, q, true, with_state);
}

yw_err yw_cases_inbox(yw_req *r)
{
	if (!r->app->store)
		return yw_fail(r, YW_E_UNAVAILABLE, "未配置数据库");
	if (!r->principal.kind)
		return yw_fail(r, YW_E_UNAUTHENTICATED, "请先登录");
	if (!yw_str_eq(r->principal.kind, "staff"))
		return yw_fail(r, YW_E_FORBIDDEN, "待办事项只对工作人员开放");
	yw_reach reach[NREACH];
	yw_err e = YW_E_OK;
	for (size_t k = 0; k < NREACH && !e; k++)
		e = yw_authz_reach(r, inbox_stages[k].action, &reach[k]);
	if (e)
		return e == YW_E_FORBIDDEN || e == YW_E_UNAUTHENTICATED || e == YW_E_PASSWORD_CHANGE_REQUIRED
			? e : yw_fail(r, e, "读取权限失败");
	long long limit;
	if ((e = limit_of(r, &limit)))
		return e;
	yw_db *db = yw_store_reader(r->app->store);

	qb cq = { .a = r->arena, .sql = "SELECT case_state, COUNT(*) FROM case_tasks" };
	if ((e = inbox_where(r, &cq, reach, false)))
		return e;
	add(&cq, " GROUP BY case_state");

	/* The page is read as ids from the index alone; its rows and their cases then come in one
	 * read each, not one per row. */
	qb q = { .a = r->arena, .sql = "SELECT id, due_on FROM case_tasks" };
	if ((e = inbox_where(r, &q, reach, true)))
		return e;
	const char *cur = yw_req_query(r, "cursor");
	if (cur && cur[0]) {
		const char *parts[2];
		long long due = 0;
		if (cursor_parts(r, cur, parts, 2) != 2 || (parts[0][0] && !is_int(parts[0], &due)))
			return yw_fail(r, YW_E_BAD_PARAMETER, "cursor 不正确");
		if (parts[0][0])
			add(&q, " AND ((due_on IS NOT NULL AND (due_on > %s OR (due_on = %s AND id > %s))) "
			        "OR due_on IS NULL)",
			    P(&q, YW_VINT(due)), P(&q, YW_VINT(due)), P(&q, YW_VTEXT(parts[1])));
		else
			add(&q, " AND due_on IS NULL AND id > %s", P(&q, YW_VTEXT(parts[1])));
	}
	add(&q, " ORDER BY (due_on IS NULL), due_on, id LIMIT %s", P(&q, YW_VINT(limit + 1)));
	if (!q.sql || !cq.sql || q.full || cq.full)
		return yw_fail(r, YW_E_NO_MEMORY, "查询过大");

	yw_rows *page, *rows, *counts, *crows;
	if ((e = yw_db_query(db, r->arena, &counts, cq.sql, cq.p, cq.n)) ||
	    (e = yw_db_query(db, r->arena, &page, q.sql, q.p, q.n)))
		return yw_fail(r, e, "读取待办失败");
	int n = yw_rows_count(page), shown = n > limit ? (int)limit : n;
	qb tq = { .a = r->arena, .sql = "SELECT id, case_id, step_id, name, stage, role, department_id, "
	                                "due_on, started_on, case_state FROM case_tasks WHERE id IN (NULL" };
	qb kq = { .a = r->arena, .sql = yw_sprintf(r->arena, "SELECT %s FROM cases WHERE id IN (NULL",
	                                           yw_case_cols) };
	for (int i = 0; i < shown; i++)
		add(&tq, ", %s", P(&tq, YW_VTEXT(yw_rows_text(page, i, 0))));
	add(&tq, ")");
	if (!tq.sql || tq.full || (e = yw_db_query(db, r->arena, &rows, tq.sql, tq.p, tq.n)))
		return yw_fail(r, e ? e : YW_E_NO_MEMORY, "读取待办失败");
	for (int i = 0; i < yw_rows_count(rows); i++)
		add(&kq, ", %s", D(&kq, yw_rows_text(rows, i, 1)));
	add(&kq, ")");
	if (!kq.sql || kq.full || (e = yw_db_query(db, r->arena, &crows, kq.sql, kq.p, kq.n)))
		return yw_fail(r, e ? e : YW_E_NO_MEMORY, "读取待办失败");
	json_t *cnt = json_object();
	for (int i = 0; i < YW_CS__COUNT; i++)
		if (i != YW_CS_DRAFT && !yw_case_state_final((yw_case_state)i))
			json_object_set_new(cnt, yw_case_state_name((yw_case_state)i), json_integer(0));
	for (int i = 0; i < yw_rows_count(counts); i++)
		json_object_set_new(cnt, yw_rows_text(counts, i, 0), json_integer(yw_rows_int(counts, i, 1)));
	int ncases = yw_rows_count(crows);
	yw_case_row *cs = yw_zalloc(r->arena, sizeof *cs * (size_t)(ncases + 1));
	if (!cs)
		return yw_fail(r, YW_E_NO_MEMORY, "内存不足");
	for (int j = 0; j < ncases; j++)
		yw_case_row_from(r->arena, crows, j, 0, &cs[j]);
	json_t *items = json_array();
	int today = yw_case_today();
	for (int k = 0; k < shown; k++) {
		/* in the page's order */
		int i = 0;
		while (i < yw_rows_count(rows) && !yw_str_eq(yw_rows_text(rows, i, 0), yw_rows_text(page, k, 0)))
			i++;
		if (i == yw_rows_count(rows))
			continue;      /* ended between the two reads */
		int due = (int)yw_rows_int(rows, i, 7), left = 0;
		bool has = due && !yw_case_days_left(due, today, &left);
		json_t *brief = json_null();
		for (int j = 0; j < ncases; j++)
			if (yw_str_eq(cs[j].id, yw_rows_text(rows, i, 1))) {
				brief = yw_case_brief(r, &cs[j], true);
				break;
			}
		const char *dept = yw_rows_text(rows, i, 6), *dname = yw_case_department_name(r, dept);
		json_array_append_new(
			items,
			json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:o}, s:o, s:o, s:o, s:s, s:s, s:o}",
			          "id", yw_rows_text(rows, i, 0), "case_id", yw_rows_text(rows, i, 1),
			          "step_id", yw_rows_text(rows, i, 2), "name", yw_rows_text(rows, i, 3),
			          "stage", yw_rows_text(rows, i, 4), "role", yw_rows_text(rows, i, 5),
			          "department", "id", dept, "name", dname ? json_string(dname) : json_null(),
			          "started_on", json_string(yw_case_day_str(r->arena, (int)yw_rows_int(rows, i, 8))),
			          "due_on", due ? json_string(yw_case_day_str(r->arena, due)) : json_null(),
			          "days_left", has ? json_integer(left) : json_null(), "urgency",
			          yw_case_urgency_name(yw_case_urgency_of(has, left)), "case_state",
			          yw_rows_text(rows, i, 9), "case", brief));
	}
	json_t *next = json_null();
	if (n > limit && shown > 0) {
		const char *c = yw_sprintf(r->arena, "%s|%s",
		                           yw_rows_is_null(page, shown - 1, 1) ? "" : yw_rows_text(page, shown - 1, 1),
		                           yw_rows_text(page, shown - 1, 0));
		next = json_string(cursor_make(r, c));
	}
	yw_reply_header(r, "Cache-Control", "no-store");
	return yw_reply_json(r, 200, json_pack("{s:o, s:o, s:o}", "items", items, "counts", cnt,
	                                       "next_cursor", next));
}

/* ---- GET /api/v1/cases ----------------------------------------------------------------------- */

/* The rows after a cursor "<at>|<id>" in the order (col DESC, id DESC). */
static yw_err keyset_after(yw_req *r, qb *q, const char *col, const char **parts, int np)
{
	long long at;
	if (!np)
		return YW_E_OK;
	if (np != 2 || !is_int(parts[0], &at))
		return yw_fail(r, YW_E_BAD_PARAMETER, "cursor 不正确");
	add(q, " AND (%s < %s OR (%s = %s AND id < %s))", col, P(q, YW_VINT(at)), col,
	    P(q, YW_VINT(at)), P(q, YW_VTEXT(parts[1])));
	return YW_E_OK;
}

/* ?serial=: the one case of a serial number, as a clerk or supervisor types or scans it (blanks
 * around it and a lower-case check character forgiven, as the public progress query does). */
static yw_err serial_filter(yw_req *r, qb *q)
{
	const char *s = yw_req_query(r, "serial");
	size_t len;
	const char *typed = s ? yw_str_trimmed(s, &len) : NULL;
	if (!typed || !len)
		return YW_E_OK;
	char up[YW_CASE_SERIAL_LEN + 1];
	if (!yw_case_serial_read(yw_strndup(r->arena, typed, len), up))
		return yw_fail(r, YW_E_BAD_PARAMETER, "办件编号格式不正确或校验位不符，请核对");
	add(q, " AND serial = %s", P(q, YW_VTEXT(yw_strdup(r->arena, up))));
	return YW_E_OK;
}

/* What a case asks of its applicant comes first (yw_case_brief's needs_me): a supplement, then a
 * result to collect at the window or a delivery to confirm. The delivery is JSON text written
 * compactly (yw_json_dump), so its method reads the same on both backends without JSON SQL. */
#define RANK "(CASE WHEN state = 'supplement' THEN 0 WHEN state = 'delivered' OR " \
	"(state = 'result_made' AND delivery LIKE '%\"method\":\"pickup\"%') THEN 1 ELSE 2 END)"

yw_err yw_cases_list(yw_req *r)
{
	if (!r->app->store)
		return yw_fail(r, YW_E_UNAVAILABLE, "未配置数据库");
	if (!r->principal.kind)
		return yw_fail(r, YW_E_UNAUTHENTICATED, "请先登录");
	long long limit;
	yw_err e = limit_of(r, &limit);
	if (e)
		return e;
	bool staff = yw_str_eq(r->principal.kind, "staff"), filter = false;
	/* R-CASE-002: a clerk's own window drafts, newest first, for the window page to resume */
	bool drafts = staff && yw_str_eq(yw_req_query(r, "state"), "draft");
	const char *cur = yw_req_query(r, "cursor");
	const char *parts[3];
	int np = cur && cur[0] ? cursor_parts(r, cur, parts, 3) : 0;
	qb q = { .a = r->arena };
	q.sql = yw_sprintf(r->arena, "SELECT %s, %s FROM cases", yw_case_cols, RANK);
	if (drafts) {
		yw_reach rc;
		if ((e = yw_authz_reach(r, YW_ACT_CASE_APPLY, &rc)))
			return e;
		add(&q, " WHERE state = 'draft' AND channel = 'window' AND filed_by = %s AND (",
		    P(&q, YW_VTEXT(yw_sprintf(r->arena, "staff:%s", r->principal.id))));
		reach_sql(&q, &rc, false);
		add(&q, ")");
		if ((e = keyset_after(r, &q, "updated_at", parts, np)))
			return e;
		add(&q, " ORDER BY updated_at DESC, id DESC");
	} else if (staff) {
		yw_reach rc;
		if ((e = yw_authz_reach(r, YW_ACT_CASE_READ, &rc)))
			return e;
		/* the cases of the departments in reach, and those with a task there (a parallel
		 * branch's department reads the case it works on) */
		/* staff work a theme's item cases, not its parent (it has no item) */
		add(&q, " WHERE state <> 'draft' AND item_code IS NOT NULL AND (");
		reach_sql(&q, &rc, false);
		add(&q, " OR EXISTS (SELECT 1 FROM case_tasks WHERE case_tasks.case_id = cases.id AND ");
		reach_sql(&q, &rc, false);
		add(&q, "))");
		if ((e = common_filters(r, &q, false, true)) || (e = serial_filter(r, &q)) ||
		    (e = keyset_after(r, &q, "submitted_at", parts, np)))
			return e;
		add(&q, " ORDER BY submitted_at DESC, id DESC");
	} else {
		const char *kind = "person", *id = r->principal.id, *f = yw_req_query(r, "for");
		if (f && f[0]) {
			const char *colon = strchr(f, ':');
			if (!colon || (strncmp(f, "person:", 7) && strncmp(f, "org:", 4)) || strlen(f) > 80)
				return yw_fail(r, YW_E_BAD_PARAMETER, "for 应为 person:<id> 或 org:<id>");
			kind = yw_strndup(r->arena, f, (size_t)(colon - f));
			id = colon + 1;
		}
		yw_object o = { .type = "case", .owner_kind = kind, .owner_id = id };
		/* An agent limited to some items sees the principal's cases of those items: asked of
		 * each row below. Who acts for the owner on no item at all sees an empty list. */
		filter = !yw_authz_allows(r, YW_ACT_CASE_READ, &o);
		/* a theme's cases are listed as its parent (their own list is the parent's children) */
		/* a draft a clerk is preparing at the window is the clerk's until it is submitted */
		add(&q, " WHERE applicant_kind = %s AND applicant_id = %s AND parent_id IS NULL"
		        " AND NOT (state = 'draft' AND channel = 'window')",
		    P(&q, YW_VTEXT(kind)), P(&q, YW_VTEXT(id)));
		const char *state = yw_req_query(r, "state");
		yw_case_state st;
		if (state && state[0]) {
			if (!yw_case_state_from_name(state, &st))
				return yw_fail(r, YW_E_BAD_PARAMETER, "state 不是办件状态：%s", state);
			add(&q, " AND state = %s", P(&q, YW_VTEXT(state)));
		}
		if (np) {
			long long rank, at;
			if (np != 3 || !is_int(parts[0], &rank) || !is_int(parts[1], &at))
				return yw_fail(r, YW_E_BAD_PARAMETER, "cursor 不正确");
			add(&q, " AND (%s > %s OR (%s = %s AND (updated_at < %s OR "
			        "(updated_at = %s AND id < %s))))",
			    RANK, P(&q, YW_VINT(rank)), RANK, P(&q, YW_VINT(rank)), P(&q, YW_VINT(at)),
			    P(&q, YW_VINT(at)), P(&q, YW_VTEXT(parts[2])));
		}
		add(&q, " ORDER BY %s, updated_at DESC, id DESC", RANK);
	}
	if (np < 0)
		return yw_fail(r, YW_E_BAD_PARAMETER, "cursor 不正确");
	add(&q, " LIMIT %s", P(&q, YW_VINT(limit + 1)));
	if (!q.sql || q.full)
		return yw_fail(r, YW_E_NO_MEMORY, "查询过大");
	yw_rows *rows;
	if ((e = yw_db_query(yw_store_reader(r->app->store), r->arena, &rows, q.sql, q.p, q.n)))
		return yw_fail(r, e, "读取办件失败");
	int n = yw_rows_count(rows), shown = n > limit ? (int)limit : n;
	json_t *items = json_array();
	/* The cursor is made from the last row shown: a row filtered out (a case of an item the
	 * agent is not authorized for) must not reach the caller, not even inside a cursor. */
	yw_case_row c = { 0 }, last = { 0 };
	long long last_rank = 0;
	for (int i = 0; i < shown; i++) {
		yw_case_row_from(r->arena, rows, i, 0, &c);
		yw_object o = yw_case_object(&c);
		if (filter && !yw_authz_allows(r, YW_ACT_CASE_READ, &o))
			continue;
		json_array_append_new(items, yw_case_brief(r, &c, staff));
		last = c;
		last_rank = yw_rows_int(rows, i, 41);
	}
	json_t *next = json_null();
	if (n > limit && last.id) {
		const char *s = staff
			? yw_sprintf(r->arena, "%lld|%s",
			             (long long)(drafts ? last.updated_at : last.submitted_at), last.id)
			: yw_sprintf(r->arena, "%lld|%lld|%s", last_rank, (long long)last.updated_at, last.id);
		next = json_string(cursor_make(r, s));
	}
	yw_reply_header(r, "Cache-Control", "no-store");
	return yw_reply_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}
