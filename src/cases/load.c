/*
 * Synthetic cases in bulk (`yiwang demo --cases N`), so that the inbox can be measured over a
 * database the size of a city's year: cases.h "loaders".
 *
 * Each case is what the module's own transitions would have left behind, written through db.c
 * (case, open tasks, trail, serial) rather than replayed request by request: a million
 * submissions through the HTTP path would take hours, and the point is the shape of the tables
 * the inbox reads, not the path that filled them. Items come from the catalog
 * (yw_catalog_published), tasks from the item's process (flow.c), due days from the clock
 * (limits.c), so a loaded case reads like any other.
 *
 * The applicants are synthetic and say so ("演示申请人<k>", p_demo_<k>): there are no such persons
 * in identity, which is fine for a load test — nothing here logs in as them, and no ID or mobile
 * number is made up to be sealed.
 *
 * Audit: one entry per batch ("case.load": how many, the first and the last id), not one per
 * case. The chain then stays whole and verifiable, and says exactly what the loader wrote,
 * without a million entries that would make `yiwang audit verify` and the audit page measure
 * the loader instead of the platform.
 */
#include <stdint.h>
#include <string.h>

#include "audit/audit.h"
#include "cases/internal.h"
#include "ref/ref.h"

#define BATCH 2000            /* cases per write: one commit each; a few MB of arena */
#define OPEN_WINDOW 40        /* open cases were submitted in the last 40 days */
#define YEAR_WINDOW 365

/* ---- the pure part: a case's draw ------------------------------------------------------------ */

static uint64_t mix64(uint64_t x)
{
	/* splitmix64's finaliser: every bit of the input reaches every bit of the output, so
	 * consecutive k give unrelated draws. */
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

typedef struct {
	uint64_t s;
} rng;

static uint64_t next(rng *g)
{
	g->s += 0x9e3779b97f4a7c15ULL;
	return mix64(g->s);
}

/* Uniform in [0, n). */
static unsigned below(rng *g, unsigned n)
{
	return (unsigned)(next(g) % n);
}

static rng rng_of(unsigned seed, long long k)
{
	return (rng){ mix64(((uint64_t)seed << 40) ^ (uint64_t)k) };
}

yw_case_state yw_cases_load_state(unsigned seed, long long k)
{
	rng g = rng_of(seed, k);
	unsigned p = below(&g, 1000);
	/* 80% completed, 6% submitted, 5% + 5% accepted and in review, 3% supplement, 1% suspended. */
	return p < 800 ? YW_CS_COMPLETED
	     : p < 860 ? YW_CS_SUBMITTED
	     : p < 910 ? YW_CS_ACCEPTED
	     : p < 960 ? YW_CS_REVIEW
	     : p < 990 ? YW_CS_SUPPLEMENT
	               : YW_CS_SUSPENDED;
}

/* ---- items as the loader needs them ---------------------------------------------------------- */

typedef struct {
	yw_case_step step;
	const char *division;
} step_at;

typedef struct {
	const char *code, *name, *department_id, *division_code;
	long long version;
	int project_type, limit_days;
	step_at pre;                       /* the pre-review task */
	int nopen;
	step_at open[YW_CASE_FLOW_MAX];    /* the tasks open once accepted (branches of a split) */
} item_info;

static const char *division_of(yw_store *st, yw_arena *a, const item_info *it, const char *dept)
{
	if (!dept || yw_str_eq(dept, it->department_id))
		return it->division_code;
	yw_department d;
	return yw_identity_department(st, a, dept, &d) ? NULL : d.division_code;
}

/* The tasks open after acceptance: the pre-review stage passed as work.c's accept passes it. */
static yw_err accepted_tasks(const yw_case_flow *f, const yw_case_step *first, item_info *it,
                             const char **why)
{
	yw_case_task_ref refs[YW_CASE_FLOW_MAX * 2];
	yw_case_step open[YW_CASE_FLOW_MAX * 2];
	int nrefs = 0, nopen = 1;
	open[0] = *first;
	for (int round = 0; round < 16; round++) {
		int i = 0;
		while (i < nopen && !yw_str_eq(open[i].stage, "pre_review"))
			i++;
		if (i == nopen)
			break;
		yw_case_step done = open[i];
		open[i] = open[--nopen];
		nrefs = 0;
		refs[nrefs++] = (yw_case_task_ref){ done.id, "done" };
		for (int j = 0; j < nopen; j++)
			refs[nrefs++] = (yw_case_task_ref){ open[j].id, "open" };
		yw_case_flow_step out;
		yw_err e = yw_case_flow_after(f, refs, nrefs, done.id, true, &out);
		if (e) {
			*why = "流程无法推进到受理之后";
			return e;
		}
		for (int j = 0; j < out.nopen && nopen < YW_CASE_FLOW_MAX; j++)
			open[nopen++] = out.open[j];
	}
	it->nopen = 0;
	for (int j = 0; j < nopen && j < YW_CASE_FLOW_MAX; j++)
		it->open[it->nopen++].step = open[j];
	return YW_E_OK;
}

static yw_err item_prepare(yw_store *st, yw_arena *a, const char *code, item_info *it, bool *usable,
                           const char **why)
{
	yw_cat_published p;
	*usable = false;
	yw_err e = yw_catalog_published(st, a, code, 0, &p);
	if (e == YW_E_NOT_FOUND || e == YW_E_ITEM_NOT_APPLICABLE)
		return YW_E_OK;          /* not published: nothing is filed against it */
	if (e) {
		*why = yw_sprintf(a, "读取事项 %s 失败", code);
		return e;
	}
	*it = (item_info){ .code = p.code, .name = p.name, .department_id = p.department_id,
	                   .division_code = p.division_code, .version = p.version,
	                   .project_type = (int)p.project_type,
	                   .limit_days = (int)(p.promised >= 0 ? p.promised : p.statutory) };
	yw_case_flow *f;
	yw_case_flow_step s;
	if ((e = yw_case_flow_new(a, p.process, p.department_id, &f, why)) ||
	    (e = yw_case_flow_start(f, &s)) || !s.nopen) {
		*why = yw_sprintf(a, "事项 %s 的流程无法开始：%s", code, *why ? *why : "");
		return e ? e : YW_E_BAD_PROCESS;
	}
	it->pre.step = s.open[0];
	if ((e = accepted_tasks(f, &s.open[0], it, why)))
		return e;
	it->pre.division = division_of(st, a, it, it->pre.step.department_id);
	for (int i = 0; i < it->nopen; i++)
		it->open[i].division = division_of(st, a, it, it->open[i].step.department_id);
	bool ok = it->pre.division && it->nopen;
	for (int i = 0; i < it->nopen; i++)
		ok = ok && it->open[i].division;
	*usable = ok;
	return YW_E_OK;
}

/* ---- one case -------------------------------------------------------------------------------- */

typedef struct {
	yw_case_row c;
	yw_case_task_row t[YW_CASE_FLOW_MAX];
	int nt;
} made_case;

/* 20 characters of base64url from the draw: the shape of yw_case_id_new's ids, but the same for
 * the same seed and k, so that a run is repeatable. */
static const char *id_of(yw_arena *a, const char *prefix, rng *g)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	char s[21];
	uint64_t x = next(g), y = next(g);
	for (int i = 0; i < 10; i++, x >>= 6, y >>= 6) {
		s[i] = b64[x & 63];
		s[10 + i] = b64[y & 63];
	}
	s[20] = '\0';
	return yw_sprintf(a, "%s%s", prefix, s);
}

static int add_days(int ymd, int n)
{
	return yw_case_ymd(yw_days_to_date(yw_date_to_days(yw_case_date(ymd)) + n));
}

/* epoch ms of hh:mm on a CST day. */
static yw_ms at_of(int ymd, int minute)
{
	return ((yw_ms)yw_date_to_days(yw_case_date(ymd)) * 1440 + minute - 8 * 60) * 60000;
}

/* The due day of a clock; a due day past the calendar is stored as none, as case.c does. */
static int due(int limit, int started, int paused_since)
{
	yw_case_clock k = { .limit_days = limit, .started_on = started, .paused_since = paused_since };
	int d = 0;
	return yw_case_clock_due(&k, &d) ? 0 : d;
}

static void task_of(made_case *m, yw_arena *a, rng *g, const step_at *s, int started,
                    yw_ms created, int case_due, bool paused)
{
	yw_case_task_row *t = &m->t[m->nt++];
	*t = (yw_case_task_row){
		.id = id_of(a, "t_", g), .case_id = m->c.id, .step_id = s->step.id, .name = s->step.name,
		.stage = s->step.stage, .role = s->step.role,
		.department_id = s->step.department_id ? s->step.department_id : m->c.department_id,
		.division_code = s->division, .split_id = s->step.split_id, .state = "open",
		.limit_days = s->step.limit_days, .started_on = started, .created_at = created
	};
	if (!paused)
		t->due_on = t->limit_days < 0 ? case_due : due(t->limit_days, started, 0);
}

static void make_case(made_case *m, yw_arena *a, unsigned seed, long long k, const item_info *items,
                      int nitems, const int *deferred, int ndeferred, int today, int first_day)
{
	yw_case_state st = yw_cases_load_state(seed, k);
	rng g = rng_of(seed, k);
	next(&g);    /* the draw of the state */
	bool open = st != YW_CS_COMPLETED;
	/* Accepted cases need a limit that runs: items handled on the spot (即办件) go straight to a
	 * decision, so those come from the other items. */
	bool need_deferred = (st == YW_CS_ACCEPTED || st == YW_CS_REVIEW || st == YW_CS_SUSPENDED) && ndeferred;
	const item_info *it = need_deferred ? &items[deferred[below(&g, (unsigned)ndeferred)]]
	                                    : &items[below(&g, (unsigned)nitems)];
	if (!ndeferred && (st == YW_CS_ACCEPTED || st == YW_CS_REVIEW || st == YW_CS_SUSPENDED))
		st = YW_CS_SUBMITTED;
	int span = open ? OPEN_WINDOW : YEAR_WINDOW;
	int back = (int)below(&g, (unsigned)span);
	int sub = add_days(today, -back);
	if (sub < first_day)
		sub = first_day;
	int minute = 8 * 60 + 30 + (int)below(&g, 9 * 60);
	long long n = k;
	m->nt = 0;
	yw_case_row *c = &m->c;
	*c = (yw_case_row){
		.id = id_of(a, "c_", &g), .item_code = it->code, .item_version = it->version,
		.item_name = it->name, .department_id = it->department_id,
		.division_code = it->division_code, .applicant_kind = "person",
		.applicant_id = yw_sprintf(a, "p_demo_%lld", n),
		.applicant_name = yw_sprintf(a, "演示申请人%lld", n), .filed_by = "system:demo",
		.channel = below(&g, 10) < 7 ? "online" : "window", .state = st,
		.state_before = YW_CS__COUNT, .form = yw_arena_json(a, json_object()),
		.project_type = it->project_type, .limit_days = it->limit_days,
		.submitted_on = sub, .submitted_at = at_of(sub, minute),
		.version = 1
	};
	c->created_at = c->submitted_at - 60000 * (yw_ms)(1 + below(&g, 120));
	c->updated_at = c->submitted_at;
	/* Acceptance one to three days after submission, never after today. */
	int acc = add_days(sub, 1 + (int)below(&g, 3));
	if (acc > today)
		acc = today;
	if (acc < sub)
		acc = sub;
	switch (st) {
	case YW_CS_COMPLETED: {
		c->accepted_on = it->project_type == 1 ? sub : acc;
		c->due_on = it->limit_days >= 0 ? due(it->limit_days, c->accepted_on, 0) : 0;
		int decided = add_days(c->accepted_on, (int)below(&g, 8));
		if (decided > today)
			decided = today;
		c->decision = "approve";
		c->decided_at = at_of(decided, minute + 30);
		if (c->decided_at < c->submitted_at)
			c->decided_at = c->submitted_at + 60000;
		c->closed_at = c->decided_at + 3600000 * (yw_ms)(1 + below(&g, 48));
		c->updated_at = c->closed_at;
		c->version = 6;
		break;
	}
	case YW_CS_SUBMITTED:
		task_of(m, a, &g, &it->pre, sub, c->submitted_at, 0, false);
		break;
	case YW_CS_SUPPLEMENT: {
		/* Pre-review asked for the one complete list; the clock waits for the applicant. */
		c->paused_since = acc;
		c->pause_kind = "supplement";
		c->supplement = yw_arena_json(
			a, json_pack("{s:[{s:s, s:s}], s:n}", "missing", "name", "申请书", "reason",
			             "演示数据：缺少申请人签字", "note"));
		c->updated_at = at_of(acc, minute);
		c->version = 2;
		break;
	}
	case YW_CS_ACCEPTED:
	case YW_CS_REVIEW:
	case YW_CS_SUSPENDED: {
		c->accepted_on = acc;
		c->updated_at = at_of(acc, minute);
		c->version = st == YW_CS_ACCEPTED ? 2 : 3;
		bool paused = st == YW_CS_SUSPENDED;
		if (paused) {
			c->state_before = YW_CS_REVIEW;
			c->paused_since = add_days(acc, 1) > today ? today : add_days(acc, 1);
			c->pause_kind = "suspension";
		} else {
			c->due_on = it->limit_days >= 0 ? due(it->limit_days, acc, 0) : 0;
		}
		for (int i = 0; i < it->nopen; i++)
			task_of(m, a, &g, &it->open[i], acc, c->updated_at, c->due_on, paused);
		break;
	}
	default:
		break;
	}
}

/* ---- the writes ------------------------------------------------------------------------------ */

typedef struct {
	yw_arena *a;
	made_case *m;
	int n;
	const char *actor;
} batch;

static yw_err write_batch(yw_db *tx, void *arg)
{
	batch *b = arg;
	yw_err e = YW_E_OK;
	for (int i = 0; !e && i < b->n; i++) {
		yw_case_row *c = &b->m[i].c;
		/* The serial of the county-level division's day, as a submission gets it (apply.c). */
		const char *county = yw_strndup(b->a, c->division_code, 6);
		char serial[YW_CASE_SERIAL_LEN + 1];
		long long seq = 0;
		if ((e = yw_casedb_serial_next(tx, b->a, county, c->submitted_on, &seq)))
			break;
		if (!yw_case_serial_make(county, c->submitted_on, seq, serial))
			return YW_E_INTERNAL;
		c->serial = yw_strdup(b->a, serial);
		if (!c->serial)
			return YW_E_NO_MEMORY;
		if ((e = yw_casedb_insert(tx, b->a, c)))
			break;
		for (int j = 0; !e && j < b->m[i].nt; j++)
			e = yw_casedb_task_insert(tx, &b->m[i].t[j], c);
		if (!e)
			e = yw_casedb_trail_add(tx, c->id, c->updated_at, c->filed_by, "load", NULL,
			                        yw_case_state_name(c->state), NULL, "演示数据：合成办件");
	}
	if (e)
		return e;
	return yw_audit_add(tx, b->actor, "case.load", "case", b->m[0].c.id, NULL,
	                    json_pack("{s:i, s:s, s:s}", "cases", b->n, "first", b->m[0].c.id,
	                              "last", b->m[b->n - 1].c.id));
}

static yw_err loaded_count(yw_store *st, yw_arena *a, long long *n)
{
	yw_rows *rows;
	yw_err e = yw_db_query(yw_store_reader(st), a, &rows,
	                       "SELECT COUNT(*) FROM cases WHERE filed_by = $1",
	                       YW_PARAMS(YW_VTEXT("system:demo")));
	if (e)
		return e;
	*n = yw_rows_int(rows, 0, 0);
	return YW_E_OK;
}

/* The last day the calendar covers, on or before today. */
static int last_covered(int today)
{
	for (int back = 0; back < 4 * 366; back++) {
		int d = add_days(today, -back);
		if (yw_calendar_covers(yw_case_date(d)))
			return d;
	}
	return 0;
}

yw_err yw_cases_load(struct yw_store *st, yw_arena *a, const char *const *item_codes, int nitems,
                     long long n, unsigned seed, const char *actor,
                     void (*progress)(long long done, long long total), long long *made,
                     long long *had, const char **why)
{
	*made = 0;
	*had = 0;
	*why = NULL;
	long long have = 0;
	yw_err e = loaded_count(st, a, &have);
	if (e) {
		*why = "无法统计已有的演示办件";
		return e;
	}
	*had = have;
	if (have >= n)
		return YW_E_OK;
	item_info *items = yw_zalloc(a, sizeof *items * (size_t)(nitems + 1));
	int *deferred = yw_zalloc(a, sizeof *deferred * (size_t)(nitems + 1));
	if (!items || !deferred)
		return YW_E_NO_MEMORY;
	int ni = 0, nd = 0;
	for (int i = 0; i < nitems; i++) {
		bool usable;
		if ((e = item_prepare(st, a, item_codes[i], &items[ni], &usable, why)))
			return e;
		if (!usable)
			continue;
		if (items[ni].project_type != 1 && items[ni].limit_days >= 0)
			deferred[nd++] = ni;
		ni++;
	}
	if (!ni) {
		*why = "没有可受理申请的已发布事项";
		return YW_E_ITEM_NOT_APPLICABLE;
	}
	int today = last_covered(yw_case_today());
	if (!today) {
		*why = "节假日日历不覆盖近年的日期";
		return YW_E_CALENDAR_OUT_OF_RANGE;
	}
	int first_day = add_days(today, -(YEAR_WINDOW - 1));
	while (first_day < today && !yw_calendar_covers(yw_case_date(first_day)))
		first_day = add_days(first_day, 1);
	for (long long k = have + 1; k <= n; k += BATCH) {
		int m = (int)(n - k + 1 < BATCH ? n - k + 1 : BATCH);
		yw_arena *ba = yw_arena_new(4 << 20);
		batch b = { .a = ba, .n = m, .actor = actor };
		b.m = ba ? yw_zalloc(ba, sizeof *b.m * (size_t)m) : NULL;
		if (!b.m) {
			yw_arena_free(ba);
			return YW_E_NO_MEMORY;
		}
		for (int i = 0; i < m; i++)
			make_case(&b.m[i], ba, seed, k + i, items, ni, deferred, nd, today, first_day);
		e = yw_store_write(st, write_batch, &b);
		yw_arena_free(ba);
		if (e) {
			*why = yw_sprintf(a, "第 %lld 至 %lld 个演示办件未能写入", k, k + m - 1);
			return e;
		}
		*made += m;
		if (progress)
			progress(k + m - 1, n);
	}
	return YW_E_OK;
}
