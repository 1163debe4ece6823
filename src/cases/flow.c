/*
 * The item's process run as tasks (cases.h R-CASE-030 … R-CASE-032). Pure and stateless: the
 * flow is the process graph with the built-in steps filled in, and every call is given the
 * tasks the case has, so what to open next is worked out from them alone — there is no hidden
 * position to get out of step with the database when a write is retried.
 *
 * Why a join is judged by evaluating its branches rather than by counting arrivals: a branch is
 * a series of steps and nested splits, and it has passed, failed or is still running according
 * to the verdicts of its tasks, so the same evaluation answers "is this join met?", "can it still
 * be met?" and, before the ended task is counted, "was it already settled?" — the last keeps a
 * join from firing twice.
 *
 * Decisions where the header leaves room:
 * - A denial on the main line (outside every split), and a failed join on the main line, skip
 *   the remaining review steps: the flow goes to the first step of stage decide or later, with
 *   `failed` set, since the decision can only be a denial and further review is wasted work.
 * - A failed join nested in a branch fails that branch; the outer join then judges it like any
 *   other failed branch (an outer "any" may still be met by another branch).
 * - decide, make_license and deliver steps go on to their next step whatever `passed` says: a
 *   denial is decided, written up and delivered too.
 * - A join's limit_days opens no task (a join is the meeting of branches, nobody works on it).
 * - Built-in steps are inserted where their stage belongs: after the last main-line step (or
 *   split) of an earlier stage. A process whose start is not a pre_review or accept step gets
 *   the built-in pre-review in front, since every case is pre-reviewed and accepted.
 * - The pre-review task is given stage "pre_review" even when the process's first step says
 *   accept: it stands for the whole run, and the inbox and the actions know one intake stage.
 * - reached_stage: this call opened a step of a stage a transition ends (decide, make_license,
 *   deliver), so the review part, if there was one, is over.
 */
#include <string.h>

#include "cases/cases.h"
#include "catalog/catalog.h"

#define MAX_NODES 210      /* the catalog's 200 steps, the built-in ones and room to spare */
#define MAX_BRANCHES 20

enum { K_TASK, K_SPLIT, K_JOIN, K_END };
enum { J_ALL, J_ANY, J_AT_LEAST };
enum { R_PENDING, R_PASSED, R_FAILED };
enum { S_NONE, S_OPEN, S_PASS, S_FAIL };

/* Ranks of the stages in the order the law runs them. */
enum { RANK_INTAKE, RANK_REVIEW, RANK_DECIDE, RANK_RESULT, RANK_DELIVER };

#define REASON_MET "并联环节已满足汇合条件，本环节无须再办"
#define REASON_FAILED "并联审查已不能满足汇合条件，本环节无须再办"

typedef struct {
	yw_case_step st;            /* tasks: what is opened; st.id is every node's id */
	int kind, rule, k;
	int next[MAX_BRANCHES], nnext;
	int owner;                  /* the innermost split whose branch holds it, -1 on the main line */
	int pair;                   /* split: its join; join: its split */
	bool intake;                /* one of the pre-review steps at the start (R-CASE-032) */
} node;

struct yw_case_flow {
	node *n;
	int count, cap, start;
	int after_intake;           /* where accepting leads */
};

static int rank_of(const char *stage)
{
	static const char *const order[] = { "review", "decide", "make_license", "deliver" };
	for (int i = 0; i < 4; i++)
		if (yw_str_eq(stage, order[i]))
			return RANK_REVIEW + i;
	return RANK_INTAKE;
}

static int index_of(const yw_case_flow *f, const char *id)
{
	for (int i = 0; id && i < f->count; i++)
		if (!strcmp(f->n[i].st.id, id))
			return i;
	return -1;
}

static node *add_node(yw_case_flow *f, yw_arena *a, const char *id, const char *name, int kind)
{
	if (f->count == f->cap)
		return NULL;
	node *x = &f->n[f->count++];
	*x = (node){ .kind = kind, .owner = -1, .pair = -1 };
	x->st.id = yw_strdup(a, id);
	x->st.name = yw_strdup(a, name);
	x->st.limit_days = -1;
	return x->st.id && x->st.name ? x : NULL;
}

static node *add_builtin(yw_case_flow *f, yw_arena *a, const char *id, const char *name,
                         const char *stage, const char *role, int limit, const char *dept,
                         const char **why)
{
	if (index_of(f, id) >= 0) {
		*why = yw_sprintf(a, "环节 id %s 与系统内置环节重名，无法补全办理流程", id);
		return NULL;
	}
	node *x = add_node(f, a, id, name, K_TASK);
	if (x) {
		x->st.stage = stage;
		x->st.role = role;
		x->st.limit_days = limit;
		x->st.department_id = dept;
	}
	return x;
}

/* A process that yw_cat_process_check has passed: its shape is known good, so only the copy is
 * made here. Strings are copied into the arena so the flow does not hang on the JSON. */
static yw_err parse(yw_case_flow *f, yw_arena *a, json_t *process, const char *item_dept)
{
	json_t *steps = json_object_get(process, "steps");
	size_t ns = json_array_size(steps);
	for (size_t i = 0; i < ns; i++) {
		json_t *o = json_array_get(steps, i);
		const char *kind = json_string_value(json_object_get(o, "kind"));
		int k = yw_str_eq(kind, "task") ? K_TASK : yw_str_eq(kind, "split") ? K_SPLIT
		      : yw_str_eq(kind, "join") ? K_JOIN : K_END;
		node *x = add_node(f, a, json_string_value(json_object_get(o, "id")),
		                   json_string_value(json_object_get(o, "name")), k);
		if (!x)
			return YW_E_NO_MEMORY;
		if (k == K_TASK) {
			x->st.stage = yw_strdup(a, json_string_value(json_object_get(o, "stage")));
			x->st.role = yw_strdup(a, json_string_value(json_object_get(o, "role")));
			const char *dept = json_string_value(json_object_get(o, "department_id"));
			x->st.department_id = dept ? yw_strdup(a, dept) : item_dept;
			x->st.limit_days = (int)json_integer_value(json_object_get(o, "limit_days"));
		} else if (k == K_JOIN) {
			const char *rule = json_string_value(json_object_get(o, "join"));
			x->rule = yw_str_eq(rule, "all") ? J_ALL : yw_str_eq(rule, "any") ? J_ANY : J_AT_LEAST;
			x->k = (int)json_integer_value(json_object_get(o, "k"));
		}
	}
	for (size_t i = 0; i < ns; i++) {
		json_t *next = json_object_get(json_array_get(steps, i), "next");
		node *x = &f->n[i];
		for (size_t j = 0; j < json_array_size(next) && j < MAX_BRANCHES; j++)
			x->next[x->nnext++] = index_of(f, json_string_value(json_array_get(next, j)));
	}
	f->start = index_of(f, json_string_value(json_object_get(process, "start")));
	return f->start >= 0 ? YW_E_OK : YW_E_BAD_PROCESS;
}

/* Marks who owns each node and pairs splits with joins, from i to the join or end that ends
 * the series it is in; returns that node. The process is series-parallel (process.c). */
static int structure(yw_case_flow *f, int i, int owner)
{
	for (int guard = 0; guard < MAX_NODES; guard++) {
		node *x = &f->n[i];
		if (x->kind == K_JOIN || x->kind == K_END)
			return i;
		x->owner = owner;
		if (x->kind == K_TASK) {
			i = x->next[0];
			continue;
		}
		int j = -1;
		for (int b = 0; b < x->nnext; b++)
			j = structure(f, x->next[b], i);
		if (j < 0 || f->n[j].kind != K_JOIN)
			return -1;
		x->pair = j;
		f->n[j].pair = i;
		f->n[j].owner = owner;
		i = f->n[j].next[0];
	}
	return -1;
}

/* The step a main-line element hands on to: a task's next, a split's join's next. */
static int *out_of(yw_case_flow *f, int i)
{
	node *x = &f->n[i];
	return x->kind == K_SPLIT ? &f->n[x->pair].next[0] : &x->next[0];
}

/* The highest stage inside a split's region, which is where the split sits in the law's order. */
static int element_rank(const yw_case_flow *f, int i)
{
	if (f->n[i].kind == K_TASK)
		return rank_of(f->n[i].st.stage);
	int r = RANK_INTAKE;
	for (int k = 0; k < f->count; k++) {
		int o = f->n[k].owner;
		while (o >= 0 && o != i)
			o = f->n[o].owner;
		if (o == i && f->n[k].kind == K_TASK && rank_of(f->n[k].st.stage) > r)
			r = rank_of(f->n[k].st.stage);
	}
	return r;
}

/* R-CASE-032: the built-in decide, make_license and deliver steps, where the process lacks them,
 * each after the last main-line element of an earlier stage. */
static yw_err fill(yw_case_flow *f, yw_arena *a, const char *item_dept, const char **why)
{
	static const struct {
		const char *id, *name, *stage, *role;
		int limit, rank;
	} builtin[] = {
		{ "_decide", "作出决定", "decide", "approver", -1, RANK_DECIDE },
		{ "_result", "制作办理结果", "make_license", "approver", YW_CASE_RESULT_DAYS, RANK_RESULT },
		{ "_deliver", "送达", "deliver", "window_clerk", YW_CASE_RESULT_DAYS, RANK_DELIVER },
	};
	for (size_t b = 0; b < sizeof builtin / sizeof builtin[0]; b++) {
		bool have = false;
		for (int i = 0; i < f->count; i++)
			have |= f->n[i].kind == K_TASK && yw_str_eq(f->n[i].st.stage, builtin[b].stage);
		if (have)
			continue;
		int last = -1;
		for (int i = f->start, guard = 0; guard < MAX_NODES && f->n[i].kind != K_END; guard++) {
			if (element_rank(f, i) < builtin[b].rank)
				last = i;
			i = *out_of(f, i);
		}
		if (last < 0)
			last = f->start;
		node *x = add_builtin(f, a, builtin[b].id, builtin[b].name, builtin[b].stage,
		                      builtin[b].role, builtin[b].limit, item_dept, why);
		if (!x)
			return *why ? YW_E_BAD_PROCESS : YW_E_NO_MEMORY;
		int *out = out_of(f, last);
		x->next[0] = *out;
		x->nnext = 1;
		*out = f->count - 1;
	}
	return YW_E_OK;
}

yw_err yw_case_flow_new(yw_arena *a, json_t *process, const char *item_dept, yw_case_flow **out,
                        const char **why)
{
	*why = NULL;
	if (process && json_is_null(process))
		process = NULL;
	yw_err e;
	if (process && (e = yw_cat_process_check(a, process, why)))
		return e;
	/* The process's steps, and room for the built-in ones and the built-in end. */
	size_t cap = (process ? json_array_size(json_object_get(process, "steps")) : 0) + 6;
	if (cap > MAX_NODES)
		return YW_E_BAD_PROCESS;
	yw_case_flow *f = yw_zalloc(a, sizeof *f);
	if (!f || !(f->n = yw_zalloc(a, sizeof *f->n * cap)))
		return YW_E_NO_MEMORY;
	f->cap = (int)cap;
	if (process) {
		if ((e = parse(f, a, process, item_dept))) {
			if (e == YW_E_BAD_PROCESS)
				*why = "办理流程无法执行";
			return e;
		}
	} else {
		/* The built-in process: pre-review, then review on the case's own clock, then what
		 * fill() adds. */
		node *r = add_builtin(f, a, "_review", "审查", "review", "approver", -1, item_dept, why);
		node *end = add_node(f, a, "_end", "办结", K_END);
		if (!r || !end)
			return YW_E_NO_MEMORY;
		r->next[0] = 1;
		r->nnext = 1;
		f->start = 0;
	}
	/* R-CASE-032: the pre-review is the run of pre_review and accept steps at the start. */
	node *s = &f->n[f->start];
	if (s->kind != K_TASK || rank_of(s->st.stage) != RANK_INTAKE) {
		node *x = add_builtin(f, a, "_prereview", "预审", "pre_review", "window_clerk",
		                      YW_CASE_PREREVIEW_DAYS, item_dept, why);
		if (!x)
			return *why ? YW_E_BAD_PROCESS : YW_E_NO_MEMORY;
		x->next[0] = f->start;
		x->nnext = 1;
		f->start = f->count - 1;
	}
	int i = f->start;
	while (f->n[i].kind == K_TASK && rank_of(f->n[i].st.stage) == RANK_INTAKE) {
		f->n[i].intake = true;
		i = f->n[i].next[0];
	}
	/* The one task stands for the whole run, whether the process called its first step
	 * pre_review or accept: the inbox and the actions know one pre-review stage. */
	f->n[f->start].st.stage = "pre_review";
	if (structure(f, f->start, -1) < 0) {
		*why = "办理流程的并联与汇合结构无法执行";
		return YW_E_BAD_PROCESS;
	}
	if ((e = fill(f, a, item_dept, why)))
		return e;
	/* Where accepting leads, now that fill() may have put a built-in step right after the
	 * pre-review. */
	for (i = f->start; f->n[i].intake;)
		i = f->n[i].next[0];
	f->after_intake = i;
	*out = f;
	return YW_E_OK;
}

/* ---- running it ------------------------------------------------------------------------------ */

typedef struct {
	const yw_case_flow *f;
	const yw_case_task_ref *tasks;
	int ntasks;
	int ended;                  /* the step that just ended */
	int ended_state;            /* S_PASS or S_FAIL */
	bool closing[MAX_NODES];    /* closed by this call */
	bool before;                /* evaluate as things stood before `ended` ended */
	yw_case_flow_step *out;
	yw_err err;
} run;

/* A step's standing from its tasks: running when one is open, else the latest verdict. */
static int task_state(const run *r, int i)
{
	if (i == r->ended)
		return r->before ? S_OPEN : r->ended_state;
	if (!r->before && r->closing[i])
		return S_FAIL;
	int s = S_NONE;
	for (int t = 0; t < r->ntasks; t++) {
		if (!yw_str_eq(r->tasks[t].step_id, r->f->n[i].st.id))
			continue;
		const char *v = r->tasks[t].state;
		if (yw_str_eq(v, "open"))
			return S_OPEN;
		s = yw_str_eq(v, "approved") || yw_str_eq(v, "done") ? S_PASS : S_FAIL;
	}
	return s;
}

static int join_eval(const run *r, int split);

/* A branch from node i up to its join: a task not yet passed holds it, a failed one or a failed
 * nested join fails it. */
static int branch_eval(const run *r, int i)
{
	const yw_case_flow *f = r->f;
	for (int guard = 0; guard < MAX_NODES; guard++) {
		const node *x = &f->n[i];
		if (x->kind == K_JOIN || x->kind == K_END)
			return R_PASSED;
		if (x->kind == K_TASK) {
			int s = task_state(r, i);
			if (s == S_FAIL)
				return R_FAILED;
			if (s != S_PASS)
				return R_PENDING;
			i = x->next[0];
			continue;
		}
		int j = join_eval(r, i);
		if (j != R_PASSED)
			return j;
		i = f->n[x->pair].next[0];
	}
	return R_PENDING;
}

/* R-CASE-030, R-CASE-031: all / any / at least k, met, still possible, or not any more. */
static int join_eval(const run *r, int split)
{
	const node *s = &r->f->n[split];
	const node *j = &r->f->n[s->pair];
	int passed = 0, pending = 0;
	for (int b = 0; b < s->nnext; b++) {
		int v = branch_eval(r, s->next[b]);
		passed += v == R_PASSED;
		pending += v == R_PENDING;
	}
	int need = j->rule == J_ALL ? s->nnext : j->rule == J_ANY ? 1 : j->k;
	if (passed >= need)
		return R_PASSED;
	return passed + pending < need ? R_FAILED : R_PENDING;
}

static bool within(const yw_case_flow *f, int i, int split)
{
	for (int o = f->n[i].owner; o >= 0; o = f->n[o].owner)
		if (o == split)
			return true;
	return false;
}

static void open_step(run *r, int i)
{
	if (task_state(r, i) != S_NONE)
		return;
	yw_case_flow_step *o = r->out;
	for (int k = 0; k < o->nopen; k++)
		if (!strcmp(o->open[k].id, r->f->n[i].st.id))
			return;
	if (o->nopen == YW_CASE_FLOW_MAX) {
		r->err = YW_E_BAD_PROCESS;
		return;
	}
	const node *x = &r->f->n[i];
	yw_case_step st = x->st;
	st.split_id = x->owner >= 0 ? r->f->n[x->owner].st.id : NULL;
	o->open[o->nopen++] = st;
	if (rank_of(st.stage) >= RANK_DECIDE)
		o->reached_stage = true;
}

/* The open tasks of a settled split's region are not needed any more. */
static void close_region(run *r, int split, const char *reason)
{
	yw_case_flow_step *o = r->out;
	for (int i = 0; i < r->f->count; i++) {
		if (!within(r->f, i, split) || r->f->n[i].kind != K_TASK || task_state(r, i) != S_OPEN)
			continue;
		if (o->nclose == YW_CASE_FLOW_MAX) {
			r->err = YW_E_BAD_PROCESS;
			return;
		}
		o->close[o->nclose++] = r->f->n[i].st.id;
		o->close_reason = reason;
		r->closing[i] = true;
	}
}

/* The main line after a failure: straight to the decision. */
static void skip_to_decision(run *r, int i)
{
	const yw_case_flow *f = r->f;
	r->out->failed = true;
	for (int guard = 0; guard < MAX_NODES; guard++) {
		const node *x = &f->n[i];
		if (x->kind == K_END || x->kind == K_JOIN)
			return;
		if (x->kind == K_TASK && rank_of(x->st.stage) >= RANK_DECIDE) {
			open_step(r, i);
			return;
		}
		i = x->kind == K_SPLIT ? f->n[x->pair].next[0] : x->next[0];
	}
}

static void reach(run *r, int i);

/* A join may have changed: go on past it when this call met or failed it. */
static void settle(run *r, int split)
{
	const yw_case_flow *f = r->f;
	r->before = true;
	int was = join_eval(r, split);
	r->before = false;
	if (was != R_PENDING)
		return;          /* settled by an earlier task: its consequences happened then */
	int now = join_eval(r, split);
	if (now == R_PENDING)
		return;
	int join = f->n[split].pair;
	if (now == R_PASSED) {
		close_region(r, split, REASON_MET);
		reach(r, f->n[join].next[0]);
		return;
	}
	close_region(r, split, REASON_FAILED);
	if (f->n[split].owner < 0)
		skip_to_decision(r, f->n[join].next[0]);
	else
		settle(r, f->n[split].owner);
}

static void reach(run *r, int i)
{
	const node *x = &r->f->n[i];
	switch (x->kind) {
	case K_TASK:
		open_step(r, i);
		break;
	case K_SPLIT:
		for (int b = 0; b < x->nnext; b++)
			reach(r, x->next[b]);
		break;
	case K_JOIN:
		settle(r, x->pair);
		break;
	default:
		break;
	}
}

bool yw_case_flow_failed(const yw_case_flow *f, const yw_case_task_ref *tasks, int ntasks)
{
	run r = { .f = f, .tasks = tasks, .ntasks = ntasks, .ended = -1 };
	int i = f->after_intake;
	for (int guard = 0; guard < MAX_NODES; guard++) {
		const node *x = &f->n[i];
		if (x->kind == K_TASK) {
			if (rank_of(x->st.stage) >= RANK_DECIDE)
				return false;
			if (task_state(&r, i) == S_FAIL)
				return true;
			i = x->next[0];
		} else if (x->kind == K_SPLIT) {
			if (join_eval(&r, i) == R_FAILED)
				return true;
			i = f->n[x->pair].next[0];
		} else {
			return false;
		}
	}
	return false;
}

yw_err yw_case_flow_start(const yw_case_flow *f, yw_case_flow_step *out)
{
	memset(out, 0, sizeof *out);
	out->open[out->nopen++] = f->n[f->start].st;
	return YW_E_OK;
}

yw_err yw_case_flow_after(const yw_case_flow *f, const yw_case_task_ref *tasks, int ntasks,
                          const char *step_id, bool passed, yw_case_flow_step *out)
{
	memset(out, 0, sizeof *out);
	int i = index_of(f, step_id);
	if (i < 0 || f->n[i].kind != K_TASK)
		return YW_E_NOT_FOUND;
	const node *x = &f->n[i];
	int rank = rank_of(x->st.stage);
	if (rank >= RANK_DECIDE && x->owner < 0)
		passed = true;  /* a denial is decided, written up and delivered like an approval */
	run r = { .f = f, .tasks = tasks, .ntasks = ntasks, .ended = i,
	          .ended_state = passed ? S_PASS : S_FAIL, .out = out };
	if (x->intake) {
		/* R-CASE-032: accepting passes every pre-review step; not accepting ends the case. */
		if (passed)
			reach(&r, f->after_intake);
	} else if (passed) {
		reach(&r, x->next[0]);
	} else if (x->owner >= 0) {
		settle(&r, x->owner);
	} else {
		skip_to_decision(&r, x->next[0]);
	}
	return r.err;
}
