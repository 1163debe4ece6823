/*
 * `yiwang demo`: the region of demo.h loaded through the modules' own functions — identity for
 * the departments, the catalog for the items and the themes — never their tables.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cases/cases.h"
#include "catalog/catalog.h"
#include "demo/demo.h"
#include "identity/identity.h"
#include "ref/ref.h"
#include "store/store.h"

#define BATCH 250                 /* items per write: one commit each, a few MB of arena */

/* ---- pure parts -------------------------------------------------------------------------- */

void yw_demo_scale_basic(long long k, const char tt[2], char out[13])
{
	char buf[48];
	snprintf(buf, sizeof buf, "34%c%c%05lld%03lld", tt[0], tt[1], (60000 + (k - 1) / 1000) % 100000,
	         (k - 1) % 1000);
	memcpy(out, buf, 12);
	out[12] = '\0';
}

/* How real lists split one item into several (承诺制, 延续, 分支机构 …). */
static const char *const ways[] = {
	"告知承诺制", "延续", "变更", "注销", "补证", "换证", "首次申请", "网上办理", "容缺受理", "跨省通办",
	"分支机构", "个人", "企业", "农村地区", "城镇地区", "港澳台居民", "外籍人员", "军人军属",
	"老年人绿色通道", "残疾人帮办", "预约办理", "邮寄送达", "自助终端", "即来即办",
};
#define NWAYS (sizeof ways / sizeof ways[0])

json_t *yw_demo_scale_body(yw_arena *a, json_t *tmpl, long long k, const char *place)
{
	const char *name = json_string_value(json_object_get(tmpl, "name")),
		   *basic = json_string_value(json_object_get(tmpl, "basic_code"));
	if (!name || !basic || strlen(basic) != 12)
		return NULL;
	char code[13];
	yw_demo_scale_basic(k, basic + 2, code);
	json_t *b = yw_arena_json(a, json_copy(tmpl));
	const char *n = yw_sprintf(a, "%s%s（%s）", place ? place : "", name, ways[(k - 1) % NWAYS]);
	if (!b || !n)
		return NULL;
	json_object_set_new(b, "basic_code", json_string(code));
	json_object_set_new(b, "basic_name", json_string(n));
	json_object_set_new(b, "name", json_string(n));
	/* The guide's own facts only: hours, procedure, FAQ and the like read the same for every
	 * item, and would only make every search posting list as long as the catalog. */
	json_t *g = json_object_get(tmpl, "guide"), *keep = json_object();
	static const char *const own[] = { "legal_basis", "conditions", "place", "consult_phone",
		                           "complaint_phone", "result_name", "fees" };
	for (size_t i = 0; keep && i < sizeof own / sizeof own[0]; i++)
		if (json_object_get(g, own[i]))
			json_object_set(keep, own[i], json_object_get(g, own[i]));
	if (!keep)
		return NULL;
	json_object_set_new(b, "guide", keep);
	json_object_del(b, "form");
	json_object_del(b, "process");
	json_object_del(b, "business_items");
	json_object_del(b, "popularity");
	json_object_del(b, "department");
	return b;
}

/* ---- loading ----------------------------------------------------------------------------- */

typedef struct {
	const char *key, *id;
	yw_department d;       /* as the data says it */
	bool created;
} dept;

typedef struct {
	yw_arena *a;
	dept *depts;
	int n;
	yw_ms now;
	/* results */
	int bad;
	const char *why;
} dept_arg;

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static const dept *dept_by_key(const dept *ds, int n, const char *key)
{
	for (int i = 0; key && i < n; i++)
		if (!strcmp(ds[i].key, key))
			return &ds[i];
	return NULL;
}

/* Parents come before their children in the data, so one pass makes the tree. */
static yw_err depts_write(yw_db *tx, void *arg)
{
	dept_arg *w = arg;
	w->bad = -1;
	w->why = NULL;
	for (int i = 0; i < w->n; i++) {
		dept *d = &w->depts[i];
		d->created = false;
		d->id = NULL;
	}
	for (int i = 0; i < w->n; i++) {
		dept *d = &w->depts[i];
		yw_department row = d->d;
		if (row.parent_id) {
			const dept *p = dept_by_key(w->depts, i, row.parent_id);
			if (!p || !p->id) {
				w->why = yw_sprintf(w->a, "部门「%s」的上级 %s 不在它之前", row.name, row.parent_id);
				w->bad = i;
				return YW_E_BAD_PARAMETER;
			}
			row.parent_id = p->id;
		}
		yw_err e = yw_identity_department_provision(tx, w->a, &row, YW_DEMO_ACTOR, w->now, &d->id,
		                                            &d->created, &w->why);
		if (e) {
			w->bad = i;
			return e;
		}
	}
	return YW_E_OK;
}

static yw_err load_depts(yw_store *st, yw_arena *a, json_t *data, dept **out, int *nout,
                         yw_demo_report *rep, char *err, size_t errlen)
{
	json_t *arr = json_object_get(data, "departments");
	int n = (int)json_array_size(arr);
	dept *ds = yw_zalloc(a, sizeof *ds * (size_t)(n + 1));
	if (!ds)
		return YW_E_NO_MEMORY;
	for (int i = 0; i < n; i++) {
		json_t *o = json_array_get(arr, (size_t)i);
		ds[i].key = json_string_value(json_object_get(o, "key"));
		ds[i].d = (yw_department){ .id = yw_identity_department_id_new(a),
		                           .parent_id = json_string_value(json_object_get(o, "parent")),
		                           .name = json_string_value(json_object_get(o, "name")),
		                           .uscc = json_string_value(json_object_get(o, "uscc")),
		                           .division_code = json_string_value(json_object_get(o, "division_code")) };
		if (!ds[i].key || !ds[i].d.id) {
			snprintf(err, errlen, "演示数据第 %d 个部门缺少 key", i + 1);
			return YW_E_BAD_PARAMETER;
		}
	}
	dept_arg w = { .a = a, .depts = ds, .n = n, .now = yw_now_ms() };
	yw_err e = yw_store_write(st, depts_write, &w);
	if (e) {
		snprintf(err, errlen, "部门%s%s未能写入：%s（%s）", w.bad >= 0 ? "「" : "",
		         w.bad >= 0 ? yw_sprintf(a, "%s」", ds[w.bad].d.name) : "", w.why ? w.why : "",
		         yw_err_code(e));
		return e;
	}
	for (int i = 0; i < n; i++) {
		rep->depts_new += ds[i].created;
		rep->depts_had += !ds[i].created;
	}
	*out = ds;
	*nout = n;
	return YW_E_OK;
}

/* An item of the data as the catalog takes it: the department key made an id, in the body and in
 * each process step that names another department. */
static json_t *item_body(yw_arena *a, json_t *src, const dept *ds, int nd, long long *popularity,
                         const char **why)
{
	const char *key = json_string_value(json_object_get(src, "department"));
	const dept *d = dept_by_key(ds, nd, key);
	if (!d) {
		*why = yw_sprintf(a, "部门 %s 不在演示数据中", key ? key : "（无）");
		return NULL;
	}
	json_t *b = yw_arena_json(a, json_deep_copy(src));
	if (!b)
		return NULL;
	*popularity = json_integer_value(json_object_get(b, "popularity"));
	json_object_del(b, "department");
	json_object_del(b, "popularity");
	json_object_set_new(b, "department_id", json_string(d->id));
	size_t i;
	json_t *step;
	json_array_foreach(json_object_get(json_object_get(b, "process"), "steps"), i, step) {
		const char *sk = json_string_value(json_object_get(step, "department_key"));
		if (!sk)
			continue;
		const dept *sd = dept_by_key(ds, nd, sk);
		if (!sd) {
			*why = yw_sprintf(a, "流程步骤的部门 %s 不在演示数据中", sk);
			return NULL;
		}
		json_object_del(step, "department_key");
		json_object_set_new(step, "department_id", json_string(sd->id));
	}
	return b;
}

/* One batch through the catalog; the report counts what was new. */
static yw_err load_batch(yw_store *st, yw_arena *a, yw_cat_load_item *li, int n, int *made,
                         int *had, yw_demo_report *rep, char *err, size_t errlen)
{
	int bad = -1, dropped = 0;
	const char *why = NULL;
	yw_err e = yw_catalog_load_items(st, a, li, n, YW_DEMO_ACTOR, true, &bad, &dropped, &why);
	if (e) {
		const char *name = bad >= 0 ? json_string_value(json_object_get(li[bad].body, "name")) : NULL;
		snprintf(err, errlen, "事项%s%s%s未能写入：%s（%s）", name ? "「" : "", name ? name : "",
		         name ? "」" : "", why ? why : yw_err_title(e), yw_err_code(e));
		return e;
	}
	rep->topics_dropped += dropped;
	for (int i = 0; i < n; i++) {
		*made += li[i].created;
		*had += !li[i].created;
	}
	return YW_E_OK;
}

/* The implementation code of the data's item (department key, basic code), once loaded. */
typedef struct {
	const char *dept, *basic, *code;
} code_of;

static yw_err load_items(yw_store *st, json_t *data, const dept *ds, int nd, code_of **codes,
                         int *ncodes, yw_arena *keep, yw_demo_report *rep, char *err, size_t errlen)
{
	json_t *arr = json_object_get(data, "items");
	int n = (int)json_array_size(arr);
	code_of *co = yw_zalloc(keep, sizeof *co * (size_t)(n + 1));
	if (!co)
		return YW_E_NO_MEMORY;
	for (int start = 0; start < n; start += BATCH) {
		int m = n - start < BATCH ? n - start : BATCH;
		yw_arena *a = yw_arena_new(1 << 20);
		yw_cat_load_item *li = a ? yw_zalloc(a, sizeof *li * (size_t)m) : NULL;
		yw_err e = li ? YW_E_OK : YW_E_NO_MEMORY;
		for (int i = 0; !e && i < m; i++) {
			json_t *src = json_array_get(arr, (size_t)(start + i));
			const char *why = NULL;
			if (!(li[i].body = item_body(a, src, ds, nd, &li[i].popularity, &why))) {
				snprintf(err, errlen, "事项「%s」：%s", json_string_value(json_object_get(src, "name")),
				         why ? why : "内存不足");
				e = why ? YW_E_BAD_PARAMETER : YW_E_NO_MEMORY;
			}
		}
		if (!e)
			e = load_batch(st, a, li, m, &rep->items_new, &rep->items_had, rep, err, errlen);
		for (int i = 0; !e && i < m; i++) {
			json_t *src = json_array_get(arr, (size_t)(start + i));
			co[start + i] = (code_of){ json_string_value(json_object_get(src, "department")),
			                           json_string_value(json_object_get(src, "basic_code")),
			                           yw_strdup(keep, li[i].code) };
		}
		yw_arena_free(a);
		if (e)
			return e;
	}
	*codes = co;
	*ncodes = n;
	return YW_E_OK;
}

static yw_err load_themes(yw_store *st, yw_arena *a, json_t *data, const dept *ds, int nd,
                          const code_of *co, int nco, yw_demo_report *rep, char *err,
                          size_t errlen)
{
	json_t *arr = json_object_get(data, "themes");
	size_t i;
	json_t *th;
	const dept *owner = nd ? &ds[0] : NULL;    /* the region's 政务服务管理局 looks after them */
	json_array_foreach(arr, i, th) {
		json_t *items = json_array();
		size_t k;
		json_t *ref;
		json_array_foreach(json_object_get(th, "items"), k, ref) {
			const char *dk = json_string_value(json_object_get(ref, "department")),
				   *bc = json_string_value(json_object_get(ref, "basic_code"));
			for (int c = 0; c < nco; c++)
				if (yw_str_eq(co[c].dept, dk) && yw_str_eq(co[c].basic, bc)) {
					json_array_append_new(items, json_string(co[c].code));
					break;
				}
		}
		json_t *body = yw_arena_json(
			a, json_pack("{s:O, s:O, s:O, s:O, s:s?, s:O, s:o}", "name", json_object_get(th, "name"),
			             "summary", json_object_get(th, "summary"), "audience",
			             json_object_get(th, "audience"), "division_code",
			             json_object_get(th, "division_code"), "department_id",
			             owner ? owner->id : NULL, "topics", json_object_get(th, "topics"), "items", items));
		if (!body)
			return YW_E_NO_MEMORY;
		bool created = false;
		const char *why = NULL;
		yw_err e = yw_catalog_load_theme(st, a, body, YW_DEMO_ACTOR, &created, &why);
		if (e) {
			snprintf(err, errlen, "主题「%s」未能写入：%s（%s）",
			         json_string_value(json_object_get(th, "name")), why ? why : yw_err_title(e),
			         yw_err_code(e));
			return e;
		}
		rep->themes_new += created;
		rep->themes_had += !created;
	}
	return YW_E_OK;
}

/* The places synthetic items are named after: the children of the department's division (the
 * districts of the city, the townships of a county). */
static const char *place_of(yw_arena *a, const char *division, long long k)
{
	const yw_division *d, *first;
	if (!division || yw_division_find(division, &d))
		return "";
	size_t n = yw_division_children(d, &first);
	if (!n)
		return "";
	const yw_division *c = &first[(size_t)(k / 7) % n];
	const char *name = yw_division_name(c);
	/* 经济技术开发区 and the like make poor place names for an item: the division itself then. */
	return strstr(name, "园区") || strstr(name, "开发区") ? yw_division_name(d) : yw_strdup(a, name);
}

static yw_err load_scale(yw_store *st, json_t *data, const dept *ds, int nd, long long scale,
                         void (*progress)(long long, long long), yw_demo_report *rep, char *err,
                         size_t errlen)
{
	json_t *arr = json_object_get(data, "items");
	long long nt = (long long)json_array_size(arr);
	if (!nt)
		return YW_E_OK;
	for (long long start = 1; start <= scale; start += BATCH) {
		int m = (int)(scale - start + 1 < BATCH ? scale - start + 1 : BATCH);
		yw_arena *a = yw_arena_new(1 << 20);
		yw_cat_load_item *li = a ? yw_zalloc(a, sizeof *li * (size_t)m) : NULL;
		yw_err e = li ? YW_E_OK : YW_E_NO_MEMORY;
		for (int i = 0; !e && i < m; i++) {
			long long k = start + i;
			/* A stride that is prime to the template count walks all of them in any order. */
			json_t *src = json_array_get(arr, (size_t)((k * 7919) % nt));
			const char *why = NULL;
			json_t *b = item_body(a, src, ds, nd, &li[i].popularity, &why);
			const dept *d = dept_by_key(ds, nd, json_string_value(json_object_get(src, "department")));
			li[i].body = b ? yw_demo_scale_body(a, b, k, place_of(a, d ? d->d.division_code : NULL, k)) : NULL;
			li[i].popularity = li[i].popularity / (1 + k % 50);
			if (!li[i].body) {
				snprintf(err, errlen, "合成事项 %lld：%s", k, why ? why : "内存不足");
				e = why ? YW_E_BAD_PARAMETER : YW_E_NO_MEMORY;
			}
		}
		int made = 0, had = 0;
		if (!e)
			e = load_batch(st, a, li, m, &made, &had, rep, err, errlen);
		rep->scale_new += made;
		rep->scale_had += had;
		yw_arena_free(a);
		if (e)
			return e;
		if (progress)
			progress(start + m - 1, scale);
	}
	return YW_E_OK;
}

/* The cases are filed against the region's real items only: the synthetic ones of --scale
 * share their departments and processes, and would only spread the same load thinner. */
static yw_err load_cases(yw_store *st, yw_arena *a, const code_of *co, int nco, long long cases,
                         void (*progress)(long long, long long), yw_demo_report *rep, char *err,
                         size_t errlen)
{
	const char **codes = yw_zalloc(a, sizeof *codes * (size_t)(nco + 1));
	if (!codes)
		return YW_E_NO_MEMORY;
	int n = 0;
	for (int i = 0; i < nco; i++)
		if (co[i].code)
			codes[n++] = co[i].code;
	const char *why = NULL;
	yw_err e = yw_cases_load(st, a, codes, n, cases, YW_DEMO_CASES_SEED, YW_DEMO_ACTOR, progress,
	                         &rep->cases_new, &rep->cases_had, &why);
	if (e)
		snprintf(err, errlen, "演示办件未能写入：%s（%s）", why ? why : yw_err_title(e), yw_err_code(e));
	return e;
}

yw_err yw_demo_load(yw_store *st, long long scale, long long cases, yw_demo_report *rep,
                    void (*progress)(long long done, long long total),
                    void (*case_progress)(long long done, long long total), char *err, size_t errlen)
{
	*rep = (yw_demo_report){ 0 };
	err[0] = '\0';
	if (scale < 0 || scale > YW_DEMO_SCALE_MAX) {
		snprintf(err, errlen, "--scale 应为 0 到 %lld", YW_DEMO_SCALE_MAX);
		return YW_E_BAD_PARAMETER;
	}
	if (cases < 0 || cases > YW_DEMO_CASES_MAX) {
		snprintf(err, errlen, "--cases 应为 0 到 %lld", YW_DEMO_CASES_MAX);
		return YW_E_BAD_PARAMETER;
	}
	json_error_t jerr;
	json_t *depts = json_loads(yw_demo_departments_json, 0, &jerr),
	       *items = json_loads(yw_demo_items_json, 0, &jerr),
	       *themes = json_loads(yw_demo_themes_json, 0, &jerr);
	yw_arena *a = yw_arena_new(1 << 16);
	yw_err e = YW_E_OK;
	if (!depts || !items || !themes || !a) {
		snprintf(err, errlen, "内嵌的演示数据无法读取：%s", jerr.text);
		e = YW_E_INTERNAL;
		goto out;
	}
	dept *ds = NULL;
	int nd = 0, nco = 0;
	code_of *co = NULL;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((e = load_depts(st, a, depts, &ds, &nd, rep, err, errlen)) ||
	    (e = load_items(st, items, ds, nd, &co, &nco, a, rep, err, errlen)) ||
	    (e = load_themes(st, a, themes, ds, nd, co, nco, rep, err, errlen)))
		goto out;
	rep->seconds_items = seconds_since(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (scale && (e = load_scale(st, items, ds, nd, scale, progress, rep, err, errlen)))
		goto out;
	rep->seconds_scale = seconds_since(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (cases && (e = load_cases(st, a, co, nco, cases, case_progress, rep, err, errlen)))
		goto out;
	rep->seconds_cases = seconds_since(&t0);
out:
	json_decref(depts);
	json_decref(items);
	json_decref(themes);
	yw_arena_free(a);
	return e;
}
