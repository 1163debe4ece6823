/*
 * Process definitions (catalog.h, docs/catalog.md "Processes"): the steps a case of an item goes
 * through, with parallel branches across departments that meet again at a join (all / any / at
 * least k). Pure: the cases module will execute what passes here, so every rule that would make
 * a case hang or run forever is refused before it is saved — an unreachable step, a branch that
 * never joins, a join waiting for more branches than it has, a cycle.
 *
 * Why the split/join rule is structural: a split's branches must all meet at one join, and that
 * join must receive exactly those branches. So the process is a series-parallel graph: the
 * executor can count arrivals at a join without asking which split they came from, and the
 * admin page can draw it as nested lanes. Nested splits inside a branch are allowed.
 *
 * The check walks the graph once from the start, following each split's branches to the join
 * they meet at; the same walk adds up the limits, so that the longest a case can take (each
 * step using its whole limit, a join waiting for the branches its rule needs) can be compared
 * with the item's statutory limit.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog/internal.h"
#include "identity/identity.h"

#define MAX_STEPS 200
#define MAX_BRANCHES 20
#define MAX_LIMIT_DAYS 365
#define MAX_ID 20
#define MAX_STEP_NAME 50

enum { K_TASK, K_SPLIT, K_JOIN, K_END };
enum { J_ALL, J_ANY, J_AT_LEAST };

static const char *const kinds[] = { "task", "split", "join", "end" };
static const char *const stages[] = { "pre_review", "accept", "review", "decide", "make_license",
	                              "deliver" };
/* In the order of stages[]. */
static const yw_action stage_actions[] = { YW_ACT_CASE_ACCEPT, YW_ACT_CASE_ACCEPT, YW_ACT_CASE_REVIEW,
	                                   YW_ACT_CASE_REVIEW, YW_ACT_CASE_RESULT, YW_ACT_CASE_ACCEPT };
static const char *const members[] = { "id", "name", "kind", "stage", "role", "department_id",
	                               "limit_days", "next", "join", "k" };

typedef struct {
	const char *id;
	int kind, rule;
	long long k, limit;
	int next[MAX_BRANCHES], nnext;
	int npred;
	int split;          /* join: the split whose branches it receives, -1 while unknown */
	int mark;           /* cycle search: 0 new, 1 on the path, 2 done */
} step;

typedef struct {
	yw_arena *a;
	step *s;
	int n;
	const char **why;
	int visits;         /* bounds the walk whatever the graph */
} proc;

static yw_err bad(const char **why, const char *text)
{
	*why = text;
	return YW_E_BAD_PROCESS;
}

static int find(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (!strcmp(list[i], s))
			return (int)i;
	return -1;
}

#define FIND(list, s) find(list, sizeof list / sizeof list[0], s)

yw_action yw_cat_stage_action(const char *stage)
{
	int i = FIND(stages, stage);
	return i < 0 ? YW_ACT__COUNT : stage_actions[i];
}

/* The staff roles that could take a step needing action a, for the refusal's text. */
static const char *roles_granting(yw_arena *a, yw_action act)
{
	const char *list = "";
	for (int r = 0; r < YW_ROLE__COUNT; r++)
		if (yw_role_scope((yw_role)r) != YW_SCOPE_OWN && yw_role_grants((yw_role)r, act))
			list = yw_sprintf(a, "%s%s%s", list, *list ? "、" : "", yw_role_name((yw_role)r));
	return list;
}

static bool id_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > MAX_ID)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* An identity department id as identity makes them ("d_" and base64url). Whether it exists is
 * not asked here: the check is pure, and the department may be made after the item. */
bool yw_cat_dept_id_plausible(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 3 || n > 66 || s[0] != 'd' || s[1] != '_')
		return false;
	for (size_t i = 2; i < n; i++)
		if (!yw_b64url_char(s[i]))
			return false;
	return true;
}

static int index_of(const proc *p, const char *id)
{
	for (int i = 0; id && i < p->n; i++)
		if (!strcmp(p->s[i].id, id))
			return i;
	return -1;
}

/* One step's members, by its kind. The ids in next are resolved afterwards. */
static yw_err step_parse(proc *p, json_t *o, int i)
{
	yw_arena *a = p->a;
	const char **why = p->why;
	if (!json_is_object(o))
		return bad(why, yw_sprintf(a, "第 %d 个环节应为对象", i + 1));
	const char *id = json_string_value(json_object_get(o, "id"));
	if (!id_ok(id))
		return bad(why, yw_sprintf(a, "第 %d 个环节的 id 应为 1 到 %d 个小写字母、数字或 _", i + 1, MAX_ID));
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v)
		if (FIND(members, key) < 0)
			return bad(why, yw_sprintf(a, "环节 %s 含有未知属性 %s", id, key));
	for (int k = 0; k < i; k++)
		if (!strcmp(p->s[k].id, id))
			return bad(why, yw_sprintf(a, "环节 id %s 重复", id));
	step *s = &p->s[i];
	*s = (step){ .id = id, .split = -1 };
	v = json_object_get(o, "name");
	if (!json_is_string(v) || !yw_text_ok(json_string_value(v), MAX_STEP_NAME))
		return bad(why, yw_sprintf(a, "环节 %s 的名称 name 应为 1 到 %d 个字符", id, MAX_STEP_NAME));
	s->kind = FIND(kinds, json_string_value(json_object_get(o, "kind")));
	if (s->kind < 0)
		return bad(why, yw_sprintf(a, "环节 %s 的类型 kind 应为 task、split、join、end 之一", id));
	/* What each kind may and must have. */
	bool task = s->kind == K_TASK, join = s->kind == K_JOIN;
	for (size_t m = 0; m < sizeof members / sizeof members[0]; m++) {
		const char *k = members[m];
		bool present = json_object_get(o, k) && !json_is_null(json_object_get(o, k));
		bool allowed = !strcmp(k, "id") || !strcmp(k, "name") || !strcmp(k, "kind") ||
		               !strcmp(k, "next") ||
		               (task && (!strcmp(k, "stage") || !strcmp(k, "role") ||
		                         !strcmp(k, "department_id") || !strcmp(k, "limit_days"))) ||
		               (join && (!strcmp(k, "join") || !strcmp(k, "k") || !strcmp(k, "limit_days")));
		if (present && !allowed)
			return bad(why, yw_sprintf(a, "%s 类型的环节 %s 不应有 %s", kinds[s->kind], id, k));
	}
	if (task) {
		if (FIND(stages, json_string_value(json_object_get(o, "stage"))) < 0)
			return bad(why, yw_sprintf(a, "环节 %s 的阶段 stage 应为 pre_review、accept、review、decide、"
			                              "make_license、deliver 之一", id));
		yw_role role;
		if (!yw_role_from_name(json_string_value(json_object_get(o, "role")), &role))
			return bad(why, yw_sprintf(a, "环节 %s 的办理角色 role 不存在（应为 roles.def 中的角色名）", id));
		if (yw_role_scope(role) == YW_SCOPE_OWN)
			return bad(why, yw_sprintf(a, "环节 %s 应由工作人员角色办理，不能是 %s", id, yw_role_name(role)));
		const char *stage = json_string_value(json_object_get(o, "stage"));
		if (!yw_role_grants(role, yw_cat_stage_action(stage)))
			return bad(why, yw_sprintf(a, "环节 %s 的阶段 %s 须由有“%s”权限的角色办理（%s），%s 没有该权限",
			                           id, stage, yw_action_name(yw_cat_stage_action(stage)),
			                           roles_granting(a, yw_cat_stage_action(stage)),
			                           yw_role_name(role)));
		v = json_object_get(o, "department_id");
		if (v && !json_is_null(v) && !yw_cat_dept_id_plausible(json_string_value(v)))
			return bad(why, yw_sprintf(a, "环节 %s 的部门 department_id 不是部门 id", id));
		if (!json_object_get(o, "limit_days"))
			return bad(why, yw_sprintf(a, "环节 %s 缺少时限 limit_days（工作日）", id));
	}
	if ((v = json_object_get(o, "limit_days"))) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > MAX_LIMIT_DAYS)
			return bad(why, yw_sprintf(a, "环节 %s 的时限 limit_days 应为 0 到 %d 的整数（工作日）", id,
			                           MAX_LIMIT_DAYS));
		s->limit = json_integer_value(v);
	}
	if (join) {
		const char *rule = json_string_value(json_object_get(o, "join"));
		s->rule = yw_str_eq(rule, "all") ? J_ALL : yw_str_eq(rule, "any") ? J_ANY
		        : yw_str_eq(rule, "at_least") ? J_AT_LEAST : -1;
		if (s->rule < 0)
			return bad(why, yw_sprintf(a, "汇合环节 %s 的汇合规则 join 应为 all、any、at_least 之一", id));
		v = json_object_get(o, "k");
		if (s->rule == J_AT_LEAST && !json_is_integer(v))
			return bad(why, yw_sprintf(a, "汇合环节 %s 的规则为 at_least，应给出整数 k", id));
		if (s->rule != J_AT_LEAST && v)
			return bad(why, yw_sprintf(a, "汇合环节 %s 的规则为 %s，不应有 k", id, rule));
		s->k = json_integer_value(v);
	}
	v = json_object_get(o, "next");
	size_t nn = json_array_size(v);
	if (v && !json_is_array(v))
		return bad(why, yw_sprintf(a, "环节 %s 的 next 应为环节 id 的数组", id));
	if (s->kind == K_END && nn)
		return bad(why, yw_sprintf(a, "办结环节 %s 不应有下一环节", id));
	if ((task || join) && nn != 1)
		return bad(why, yw_sprintf(a, "环节 %s 应恰有一个下一环节", id));
	if (s->kind == K_SPLIT && (nn < 2 || nn > MAX_BRANCHES))
		return bad(why, yw_sprintf(a, "并联环节 %s 应有 2 到 %d 个分支", id, MAX_BRANCHES));
	return YW_E_OK;
}

static yw_err next_resolve(proc *p, json_t *steps)
{
	for (int i = 0; i < p->n; i++) {
		step *s = &p->s[i];
		json_t *next = json_object_get(json_array_get(steps, (size_t)i), "next");
		for (size_t j = 0; j < json_array_size(next); j++) {
			const char *to = json_string_value(json_array_get(next, j));
			int t = index_of(p, to);
			if (t < 0)
				return bad(p->why, yw_sprintf(p->a, "环节 %s 的下一环节 %s 不存在", s->id, to ? to : "（非文字）"));
			for (int k = 0; k < s->nnext; k++)
				if (s->next[k] == t)
					return bad(p->why, yw_sprintf(p->a, "环节 %s 的下一环节 %s 重复", s->id, to));
			s->next[s->nnext++] = t;
			p->s[t].npred++;
		}
	}
	return YW_E_OK;
}

/* Depth-first: a step met again while still on the path closes a cycle. */
static int cycle_from(proc *p, int i)
{
	step *s = &p->s[i];
	if (s->mark == 1)
		return i;
	if (s->mark == 2)
		return -1;
	s->mark = 1;
	for (int j = 0; j < s->nnext; j++) {
		int c = cycle_from(p, s->next[j]);
		if (c >= 0)
			return c;
	}
	s->mark = 2;
	return -1;
}

static int cmp_ll(const void *x, const void *y)
{
	long long a = *(const long long *)x, b = *(const long long *)y;
	return a < b ? -1 : a > b;
}

/* Follow the process from step i, reached at day *t, until a join or the end; returns that
 * step (with *t the day it is reached) or -1 with *why. Each split met on the way is followed
 * down every branch to its join, which must be one and the same, and must receive nothing else. */
static int walk(proc *p, int i, long long *t)
{
	for (;;) {
		if (++p->visits > 4 * MAX_STEPS) {
			bad(p->why, "流程结构过于复杂");
			return -1;
		}
		step *s = &p->s[i];
		if (s->kind == K_JOIN || s->kind == K_END)
			return i;
		if (s->kind == K_TASK) {
			*t += s->limit;
			i = s->next[0];
			continue;
		}
		int j = -1;
		long long arrive[MAX_BRANCHES];
		for (int b = 0; b < s->nnext; b++) {
			int first = s->next[b];
			if (p->s[first].kind == K_JOIN || p->s[first].kind == K_END) {
				bad(p->why, yw_sprintf(p->a, "并联环节 %s 的分支不能直接指向%s环节 %s", s->id,
				                       p->s[first].kind == K_JOIN ? "汇合" : "办结", p->s[first].id));
				return -1;
			}
			arrive[b] = *t;
			int r = walk(p, first, &arrive[b]);
			if (r < 0)
				return -1;
			if (p->s[r].kind == K_END) {
				bad(p->why, yw_sprintf(p->a, "并联环节 %s 的分支 %s 没有汇合就到达了办结环节", s->id,
				                       p->s[first].id));
				return -1;
			}
			if (j >= 0 && r != j) {
				bad(p->why, yw_sprintf(p->a, "并联环节 %s 的分支分别汇入 %s 和 %s，应汇入同一个汇合环节",
				                       s->id, p->s[j].id, p->s[r].id));
				return -1;
			}
			j = r;
		}
		step *js = &p->s[j];
		if (js->npred != s->nnext || js->split >= 0) {
			bad(p->why, yw_sprintf(p->a, "汇合环节 %s 应恰好汇合并联环节 %s 的 %d 个分支，不能有其他环节汇入",
			                       js->id, s->id, s->nnext));
			return -1;
		}
		js->split = i;
		if (js->rule == J_AT_LEAST && (js->k < 1 || js->k > s->nnext)) {
			bad(p->why, yw_sprintf(p->a, "汇合环节 %s 的 k 应在 1 到 %d（分支数）之间", js->id, s->nnext));
			return -1;
		}
		/* The join goes on once the branches its rule needs have arrived: the last of all, the
		 * first of any, the k-th of at least k. */
		qsort(arrive, (size_t)s->nnext, sizeof arrive[0], cmp_ll);
		long long need = js->rule == J_ALL ? s->nnext : js->rule == J_ANY ? 1 : js->k;
		*t = arrive[need - 1] + js->limit;
		i = js->next[0];
	}
}

yw_err yw_cat_process_days(yw_arena *a, json_t *process, long long *days, const char **why)
{
	if (!json_is_object(process))
		return bad(why, "办理流程应为 JSON 对象 {start, steps}");
	const char *key;
	json_t *v;
	json_object_foreach(process, key, v)
		if (strcmp(key, "start") && strcmp(key, "steps"))
			return bad(why, yw_sprintf(a, "办理流程含有未知属性 %s，只应有 start 和 steps", key));
	json_t *steps = json_object_get(process, "steps");
	if (!json_is_array(steps) || json_array_size(steps) < 2 || json_array_size(steps) > MAX_STEPS)
		return bad(why, yw_sprintf(a, "办理流程的 steps 应为 2 到 %d 个环节的数组", MAX_STEPS));
	proc p = { .a = a, .n = (int)json_array_size(steps), .why = why };
	if (!(p.s = yw_zalloc(a, sizeof *p.s * (size_t)p.n)))
		return YW_E_NO_MEMORY;
	yw_err e;
	for (int i = 0; i < p.n; i++)
		if ((e = step_parse(&p, json_array_get(steps, (size_t)i), i)))
			return e;
	if ((e = next_resolve(&p, steps)))
		return e;
	int start = index_of(&p, json_string_value(json_object_get(process, "start")));
	if (start < 0)
		return bad(why, "办理流程的起始环节 start 不存在");
	if (p.s[start].kind == K_JOIN || p.s[start].kind == K_END)
		return bad(why, yw_sprintf(a, "起始环节 %s 应为办理环节或并联环节", p.s[start].id));
	int ends = 0;
	for (int i = 0; i < p.n; i++)
		ends += p.s[i].kind == K_END;
	if (ends != 1)
		return bad(why, yw_sprintf(a, "办理流程应恰有一个办结环节（kind 为 end），现有 %d 个", ends));
	int c = cycle_from(&p, start);
	if (c >= 0)
		return bad(why, yw_sprintf(a, "办理流程有循环：环节 %s 会再次回到自身", p.s[c].id));
	for (int i = 0; i < p.n; i++)
		if (!p.s[i].mark)
			return bad(why, yw_sprintf(a, "环节 %s 从起始环节无法到达", p.s[i].id));
	/* A second way into the end is a branch that reached it without meeting the others. */
	for (int i = 0; i < p.n; i++)
		if (p.s[i].kind == K_END && p.s[i].npred > 1)
			return bad(why, yw_sprintf(a, "有分支没有汇合就到达了办结环节 %s（办结环节只能有一个上一环节）",
			                           p.s[i].id));
	for (int i = 0; i < p.n; i++) {
		const step *s = &p.s[i];
		if (s->kind == K_JOIN && s->npred < 2)
			return bad(why, yw_sprintf(a, "汇合环节 %s 应汇合至少两个分支", s->id));
		if (s->kind != K_JOIN && s->npred > 1)
			return bad(why, yw_sprintf(a, "环节 %s 有多个上一环节：只有汇合环节（join）可以汇合多个分支", s->id));
	}
	long long t = 0;
	int stop = walk(&p, start, &t);
	if (stop < 0)
		return YW_E_BAD_PROCESS;
	if (p.s[stop].kind == K_JOIN)
		return bad(why, yw_sprintf(a, "汇合环节 %s 没有对应的并联环节", p.s[stop].id));
	*days = t;
	*why = NULL;
	return YW_E_OK;
}

yw_err yw_cat_process_check(yw_arena *a, json_t *process, const char **why)
{
	long long days;
	return yw_cat_process_days(a, process, &days, why);
}

yw_err yw_cat_process_fits(yw_arena *a, json_t *process, long long statutory, const char **why)
{
	long long days = 0;
	yw_err e = yw_cat_process_days(a, process, &days, why);
	if (e || statutory == YW_CAT_NONE)
		return e;
	if (days > statutory)
		return bad(why, yw_sprintf(a, "办理流程各环节时限累计最长 %lld 个工作日，超过法定办结时限 %lld 个工作日",
		                           days, statutory));
	return YW_E_OK;
}
