/*
 * Due days the calendar could not count when they were set (R-CASE-026).
 *
 * The holiday calendar is compiled in and reaches the end of the last year the State Council has
 * published. A limit that runs past it has no due day yet (the case and its tasks store NULL and
 * say so, docs/cases.md "The calendar's end"); each change of the case recomputes its clocks, but
 * a case waiting in review for weeks has no change. So when the server starts — which is when a
 * new calendar arrives, with a new build — the running cases and open tasks without a due day are
 * recomputed with the calendar they now have: one write per case whose clock the calendar now
 * reaches, no trail entry (nothing happened to the application), an audit entry `case.recompute`
 * by `system:calendar`. A case whose due day still cannot be counted is not touched, so a
 * restart without a new calendar writes nothing.
 */
#include "cases/internal.h"

/* The running cases without a due day, and those with an open task without one (a branch with a
 * limit of its own), that no pause holds (a pause has no due day on purpose). */
static const char candidates_sql[] =
	"SELECT id FROM cases WHERE state IN ('accepted', 'review') AND due_on IS NULL "
	"AND limit_days >= 0 AND accepted_on IS NOT NULL AND paused_since IS NULL "
	"UNION SELECT case_id FROM case_tasks WHERE state = 'open' AND due_on IS NULL "
	"AND limit_days >= 0 AND started_on IS NOT NULL "
	"AND case_state NOT IN ('suspended', 'supplement')";

static yw_err nothing_to_change(yw_case_change *ch)
{
	(void)ch;     /* the write recomputes the clocks of every change (yw_case_recompute) */
	return YW_E_OK;
}

/* Whether the calendar now counts a due day this case or one of its open tasks lacks. */
static bool countable_now(const yw_case_row *c, yw_case_task_row *t, int nt)
{
	yw_case_row copy = *c;
	bool out = false;
	yw_case_recompute(&copy, t, nt, &out);
	if (copy.due_on != c->due_on)
		return true;
	for (int i = 0; i < nt; i++)
		if (t[i].dirty)
			return true;
	return false;
}

static yw_err catch_up_one(yw_store *st, const char *id, bool *written)
{
	yw_arena *a = yw_arena_new(64 << 10);
	if (!a)
		return YW_E_NO_MEMORY;
	yw_db *db = yw_store_reader(st);
	yw_case_row c;
	yw_case_task_row *t;
	int nt;
	yw_err e = yw_casedb_load(db, a, id, &c);
	if (!e)
		e = yw_casedb_tasks(db, a, id, &t, &nt);
	*written = false;
	if (!e && countable_now(&c, t, nt)) {
		yw_case_change ch = { .a = a, .case_id = c.id, .version = c.version,
		                      .actor = "system:calendar", .action = "recompute",
		                      .now = yw_now_ms(), .today = yw_case_today(),
		                      .mutate = nothing_to_change, .no_trail = true };
		e = yw_case_change_store(st, &ch);
		/* a clerk's step came first: it recomputed the clocks itself */
		if (e == YW_E_CASE_STALE)
			e = YW_E_OK;
		else
			*written = !e;
	}
	yw_arena_free(a);
	return e;
}

yw_err yw_cases_catch_up_clocks(yw_store *st, int *updated)
{
	*updated = 0;
	yw_arena *a = yw_arena_new(64 << 10);
	if (!a)
		return YW_E_NO_MEMORY;
	yw_rows *rows;
	yw_err e = yw_db_query(yw_store_reader(st), a, &rows, candidates_sql, YW_NOPARAMS);
	for (int i = 0; !e && i < yw_rows_count(rows); i++) {
		bool written;
		e = catch_up_one(st, yw_rows_text(rows, i, 0), &written);
		*updated += written;
	}
	yw_arena_free(a);
	return e;
}
