/*
 * The catalog's records to and from JSON (internal.h): what the API answers, and the checks of
 * what it is sent. One place, so that the API, the import and the demo loader read an item the
 * same way and answer it the same way. Pure except for the names of departments, which are
 * asked of identity.
 */
#include <string.h>

#include "catalog/internal.h"
#include "http/http.h"
#include "identity/identity.h"
#include "ref/ref.h"

#define MAX_MATERIALS 100
#define MAX_GUIDE_BYTES 65536
#define MAX_ALIASES 10
#define MAX_BUSINESS_ITEMS 99
#define NONE YW_CAT_NONE        /* a time limit the item does not have */

/* ---- the model --------------------------------------------------------------------------- */

/* The records are shared with db.c (internal.h); the handlers keep their short names. */
typedef yw_cat_material material;
typedef yw_cat_guide guide;
typedef yw_cat_version version;
typedef yw_cat_item item;

static const struct {
	const char *key, *zh;
} reuse_classes[] = {
	{ "always", "可永久复用" },
	{ "within_validity", "有效期内可复用" },
	{ "selective", "可选择性复用" },
	{ "never", "不可复用" },
};

static const char *reuse_zh(const char *key)
{
	for (size_t i = 0; key && i < sizeof reuse_classes / sizeof reuse_classes[0]; i++)
		if (!strcmp(reuse_classes[i].key, key))
			return reuse_classes[i].zh;
	return NULL;
}

static const char *const depth_zh[] = { NULL, "一级（事项公开）", "二级（在线预审）", "三级（在线申办）",
	                                "四级（全程网办）" };

static const char *project_type_zh(long long t)
{
	return t == 1 ? "即办件" : t == 2 ? "承诺件" : "其他";
}

/* ---- JSON out ---------------------------------------------------------------------------- */

json_t *yw_cat_codes_json(const char *text)
{
	json_t *arr = json_array();
	for (const char *p = text; arr && p && *p;) {
		long long v = 0;
		while (*p >= '0' && *p <= '9')
			v = v * 10 + (*p++ - '0');
		json_array_append_new(arr, json_integer(v));
		if (*p == ',')
			p++;
		else
			break;
	}
	return arr;
}

json_t *yw_cat_limit_json(long long v)
{
	return v == NONE ? json_null() : json_integer(v);
}

json_t *yw_cat_division_name(const char *code)
{
	const yw_division *d;
	return code && yw_division_find(code, &d) == YW_E_OK ? json_string(yw_division_name(d))
	                                                     : json_null();
}

json_t *yw_cat_department_json(yw_store *st, yw_arena *a, const char *id)
{
	yw_ms now = yw_now_ms();
	const char *kept = id ? yw_cat_dept_cache_get(a, id, now) : NULL;
	json_t *j = kept ? json_loads(kept, 0, NULL) : NULL;
	if (j)
		return j;
	yw_department d;
	if (!st || !id || yw_identity_department(st, a, id, &d) != YW_E_OK)
		return json_pack("{s:s?, s:n, s:n}", "id", id, "name", "uscc");
	j = json_pack("{s:s, s:s, s:s}", "id", d.id, "name", d.name, "uscc", d.uscc);
	const char *text = j ? yw_json_dump(a, j, NULL) : NULL;
	if (text)
		yw_cat_dept_cache_put(id, now, text);
	return j;
}

static json_t *materials_json(const guide *g)
{
	json_t *arr = json_array();
	for (int i = 0; arr && i < g->nmats; i++) {
		const material *m = &g->mats[i];
		json_array_append_new(
			arr, json_pack("{s:s, s:s, s:s?, s:I, s:I, s:b, s:s?, s:s, s:s?}", "name", m->name,
			               "source", m->source, "issuer", m->issuer, "originals",
			               (json_int_t)m->originals, "copies", (json_int_t)m->copies, "required",
			               m->required, "condition", m->required_when, "reuse", m->reuse,
			               "reuse_name", reuse_zh(m->reuse)));
	}
	return arr;
}

/* Topics with their names, for the page that shows them. */
static json_t *topics_json(json_t *keys)
{
	json_t *arr = json_array();
	size_t i;
	json_t *k;
	json_array_foreach(keys, i, k) {
		const char *name = yw_cat_topic_name(json_string_value(k));
		json_array_append_new(arr, json_pack("{s:s?, s:s?}", "key", json_string_value(k), "name", name));
	}
	return arr;
}

/* The 业务办理项 with their 33-character codes: the item's code and the two-digit number. */
static json_t *business_items_json(const char *code, json_t *items)
{
	json_t *arr = json_array();
	size_t i;
	json_t *b;
	json_array_foreach(items, i, b) {
		json_int_t seq = json_integer_value(json_object_get(b, "seq"));
		char bcode[40];
		snprintf(bcode, sizeof bcode, "%s%02d", code, (int)seq);
		json_array_append_new(arr, json_pack("{s:I, s:s, s:O}", "seq", seq, "code", bcode, "name",
		                                     json_object_get(b, "name")));
	}
	return arr;
}

json_t *yw_cat_item_json(yw_store *st, yw_arena *a, const item *it, const version *v)
{
	const guide *g = &v->g;
	json_t *j = json_pack(
		"{s:s, s:s, s:s, s:I, s:o, s:s, s:o, s:I, s:s, s:o, s:o, s:o, s:s, s:I, s:s?, s:I, s:s?, "
		"s:b, s:I, s:s, s:o, s:b, s:b, s:O, s:o}",
		"code", it->code, "basic_code", it->basic_code, "item_type", g->item_type, "level",
		(json_int_t)it->level, "department", yw_cat_department_json(st, a, it->department_id),
		"division_code", it->division_code, "division_name", yw_cat_division_name(it->division_code),
		"version", (json_int_t)v->version, "name", g->name, "service_objects",
		yw_cat_codes_json(g->service_objects), "statutory_limit", yw_cat_limit_json(g->statutory),
		"promised_limit", yw_cat_limit_json(g->promised), "limit_unit", "工作日", "online_depth",
		(json_int_t)g->online_depth, "online_depth_name",
		g->online_depth >= 1 && g->online_depth <= 4 ? depth_zh[g->online_depth] : NULL, "visits",
		(json_int_t)g->visits, "visits_reason", g->visits_reason, "at_most_once", g->visits <= 1,
		"project_type", (json_int_t)g->project_type, "project_type_name",
		project_type_zh(g->project_type), "handling_forms", yw_cat_codes_json(g->handling_forms),
		"charged", g->charged, "in_hall", g->in_hall, "guide", g->guide, "materials",
		materials_json(g));
	if (j) {
		json_object_set_new(j, "status", json_string(v->version == it->current ? "published"
		                                              : v->version == it->draft ? "draft"
		                                                                        : "superseded"));
		json_object_set_new(j, "published_at",
		                    v->published_at ? json_integer(v->published_at) : json_null());
		json_object_set_new(j, "updated_at", json_integer(v->updated_at));
		json_object_set_new(j, "popularity", json_integer(it->popularity));
		json_object_set_new(j, "aliases", g->aliases ? json_incref(g->aliases) : json_array());
		json_object_set_new(j, "topics", topics_json(g->topics));
		json_object_set(j, "form", g->form ? g->form : json_null());
		json_object_set(j, "process", g->process ? g->process : json_null());
		json_object_set_new(j, "business_items", business_items_json(it->code, g->business_items));
	}
	return j;
}

json_t *yw_cat_item_brief_json(yw_store *st, yw_arena *a, const item *it, const version *v)
{
	const guide *g = &v->g;
	return json_pack("{s:s, s:s, s:I, s:o, s:s, s:o, s:I, s:I, s:b, s:I, s:o, s:o, s:o, s:I}",
	                 "code", it->code, "name", g->name, "version", (json_int_t)v->version,
	                 "department", yw_cat_department_json(st, a, it->department_id),
	                 "division_code", it->division_code, "division_name",
	                 yw_cat_division_name(it->division_code), "online_depth",
	                 (json_int_t)g->online_depth, "visits", (json_int_t)g->visits, "at_most_once",
	                 g->visits <= 1, "project_type", (json_int_t)g->project_type, "statutory_limit",
	                 yw_cat_limit_json(g->statutory), "promised_limit",
	                 yw_cat_limit_json(g->promised), "service_objects",
	                 yw_cat_codes_json(g->service_objects), "popularity", (json_int_t)it->popularity);
}

/* ---- JSON in ----------------------------------------------------------------------------- */

bool yw_cat_present(json_t *body, const char *key)
{
	json_t *v = json_object_get(body, key);
	return v && !json_is_null(v);
}

/* An integer member within [min, max]; false (with the field error) when wrong. */
bool yw_cat_int_field(json_t *body, const char *key, long long min, long long max, long long *out,
                      json_t *fields, const char *reason)
{
	json_t *v = json_object_get(body, key);
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		yw_field_error(fields, key, reason);
		return false;
	}
	*out = json_integer_value(v);
	return true;
}

/* An array of code numbers out of `allowed`, stored as "1,2,3" in the order given. */
static const char *codes_field(yw_arena *a, json_t *body, const char *key, const int *allowed, int nallowed,
                               bool nonempty, json_t *fields, const char *reason)
{
	json_t *v = json_object_get(body, key);
	size_t n = json_array_size(v);
	if (!json_is_array(v) || (nonempty && n == 0) || n > 10) {
		yw_field_error(fields, key, reason);
		return NULL;
	}
	char buf[64] = "";
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *c = json_array_get(v, i);
		bool ok = false;
		for (int k = 0; json_is_integer(c) && k < nallowed; k++)
			ok |= json_integer_value(c) == allowed[k];
		if (!ok) {
			yw_field_error(fields, key, reason);
			return NULL;
		}
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%lld", i ? "," : "",
		                        (long long)json_integer_value(c));
	}
	return yw_strdup(a, buf);
}

const char *yw_cat_text_field(yw_arena *a, json_t *body, const char *key, int max, json_t *fields)
{
	json_t *v = json_object_get(body, key);
	if (!json_is_string(v) || !yw_text_ok(json_string_value(v), max)) {
		yw_field_error(fields, key, yw_sprintf(a, "应为 1 到 %d 个字符的文字", max));
		return NULL;
	}
	return json_string_value(v);
}

static void materials_field(yw_arena *a, json_t *arr, guide *g, json_t *fields)
{
	if (!json_is_array(arr) || json_array_size(arr) > MAX_MATERIALS) {
		yw_field_error(fields, "materials", "应为材料的数组，至多 100 项");
		return;
	}
	int n = (int)json_array_size(arr);
	material *m = yw_zalloc(a, sizeof *m * (size_t)(n + 1));
	if (!m)
		return;
	for (int i = 0; i < n; i++) {
		json_t *o = json_array_get(arr, (size_t)i);
		const char *at = yw_sprintf(a, "materials[%d]", i);
		if (!json_is_object(o)) {
			yw_field_error(fields, at, "应为对象");
			continue;
		}
		json_t *f = yw_arena_json(a, json_array());   /* collected, then renamed by index */
		m[i] = (material){ .originals = 1, .copies = 0, .required = true };
		m[i].name = yw_cat_text_field(a, o, "name", 200, f);
		json_t *src = json_object_get(o, "source");
		if (!json_is_string(src) || (strcmp(json_string_value(src), "applicant") &&
		                             strcmp(json_string_value(src), "department")))
			yw_field_error(f, "source", "应为 applicant（申请人提供）或 department（部门核发）");
		else
			m[i].source = json_string_value(src);
		if (yw_cat_present(o, "issuer"))
			m[i].issuer = yw_cat_text_field(a, o, "issuer", 100, f);
		if (yw_cat_present(o, "originals"))
			yw_cat_int_field(o, "originals", 0, 99, &m[i].originals, f, "原件份数应为 0 到 99");
		if (yw_cat_present(o, "copies"))
			yw_cat_int_field(o, "copies", 0, 99, &m[i].copies, f, "复印件份数应为 0 到 99");
		json_t *req = json_object_get(o, "required");
		if (req && !json_is_boolean(req))
			yw_field_error(f, "required", "应为 true 或 false");
		else if (req)
			m[i].required = json_is_true(req);
		if (yw_cat_present(o, "condition"))
			m[i].required_when = yw_cat_text_field(a, o, "condition", 500, f);
		if (!m[i].required && !m[i].required_when)
			yw_field_error(f, "condition", "非必备的材料须写明在什么情形下提交");
		json_t *reuse = json_object_get(o, "reuse");
		if (!json_is_string(reuse) || !reuse_zh(json_string_value(reuse)))
			yw_field_error(f, "reuse", "复用类别应为 always、within_validity、selective、never 之一");
		else
			m[i].reuse = json_string_value(reuse);
		for (size_t k = 0; k < json_array_size(f); k++) {
			json_t *fe = json_array_get(f, k);
			yw_field_error(fields,
			               yw_sprintf(a, "%s.%s", at, json_string_value(json_object_get(fe, "field"))),
			               json_string_value(json_object_get(fe, "reason")));
		}
	}
	g->mats = m;
	g->nmats = n;
}

/* The members of the guide document (GB/T 39046 Table 4, beyond the columns): one list, so
 * that the editor, the guide page, the import and the demo all mean the same by a key. */
typedef enum { G_TEXT, G_TEXTS, G_BOOL, G_FAQ } guide_kind;
static const struct {
	const char *key;
	guide_kind kind;
	int max;                    /* characters of each text */
} guide_members[] = {
	{ "legal_basis", G_TEXT, 5000 },       /* 设定依据 */
	{ "content", G_TEXT, 2000 },           /* 行使内容 */
	{ "conditions", G_TEXTS, 5000 },       /* 受理条件: a text, or one per condition */
	{ "quantity_limit", G_TEXT, 500 },     /* 数量限制 */
	{ "intermediary", G_TEXT, 1000 },      /* 中介服务 */
	{ "joint_departments", G_TEXT, 500 },  /* 共同实施部门 */
	{ "handling_office", G_TEXT, 200 },    /* 承办机构 */
	{ "jurisdiction", G_TEXT, 1000 },      /* 行政管辖 */
	{ "special_procedure", G_TEXT, 1000 }, /* 特别程序 */
	{ "procedure", G_TEXTS, 2000 },        /* 办理流程: a text, or its steps */
	{ "statutory_limit_note", G_TEXT, 500 },
	{ "promised_limit_note", G_TEXT, 500 },
	{ "fees", G_TEXT, 2000 },              /* 收费项目及标准 */
	{ "fee_basis", G_TEXT, 2000 },         /* 收费依据 */
	{ "online_payment", G_BOOL, 0 },       /* 是否支持网上支付 */
	{ "place", G_TEXT, 500 },              /* 办理地点 */
	{ "hours", G_TEXT, 500 },              /* 办理时间 */
	{ "scope", G_TEXT, 200 },              /* 通办范围 */
	{ "appointment", G_BOOL, 0 },          /* 是否支持预约办理 */
	{ "delivery", G_BOOL, 0 },             /* 是否支持物流快递 */
	{ "online_url", G_TEXT, 500 },         /* 网上办理地址 */
	{ "consult_phone", G_TEXT, 100 },      /* 咨询电话 */
	{ "complaint_phone", G_TEXT, 100 },    /* 监督投诉电话 */
	{ "result_name", G_TEXT, 200 },        /* 结果名称 */
	{ "result_sample", G_TEXT, 500 },      /* 结果样本 (a file's address) */
	{ "faq", G_FAQ, 2000 },                /* 常见问题: [{question, answer}] */
};

/* Text of a guide: 1–max characters, line breaks allowed (a legal basis runs over lines), no
 * other control characters. */
static bool prose_ok(json_t *v, int max)
{
	if (!json_is_string(v))
		return false;
	const char *s = json_string_value(v);
	long n = yw_utf8_count(s);
	if (n < 1 || n > max)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') || *p == 0x7f)
			return false;
	return true;
}

/* Whether the texts of an array (each 1–max characters, at most 50) are all good. */
static bool texts_ok(json_t *v, int max)
{
	size_t i;
	json_t *s;
	if (!json_is_array(v) || json_array_size(v) > 50)
		return false;
	json_array_foreach(v, i, s)
		if (!prose_ok(s, max))
			return false;
	return true;
}

static bool faq_ok(json_t *v, int max)
{
	size_t i;
	json_t *o;
	if (!json_is_array(v) || json_array_size(v) > 50)
		return false;
	json_array_foreach(v, i, o) {
		json_t *q = json_object_get(o, "question"), *ans = json_object_get(o, "answer");
		if (json_object_size(o) != 2 || !prose_ok(q, max) || !prose_ok(ans, max))
			return false;
	}
	return true;
}

/* Every member of the guide document is one of guide_members, of its kind; an unknown one is
 * refused rather than kept, so that a misspelt key fails on save instead of vanishing from the
 * guide page. */
static bool guide_document_ok(yw_arena *a, json_t *doc, json_t *fields)
{
	const char *key;
	json_t *v;
	bool ok = true;
	json_object_foreach(doc, key, v) {
		size_t k = 0, n = sizeof guide_members / sizeof guide_members[0];
		while (k < n && strcmp(guide_members[k].key, key))
			k++;
		const char *at = yw_sprintf(a, "guide.%s", key);
		if (k == n) {
			yw_field_error(fields, at, "办事指南没有这一要素（要素见 docs/catalog.md）");
			ok = false;
			continue;
		}
		int max = guide_members[k].max;
		bool good = false;
		switch (guide_members[k].kind) {
		case G_TEXT: good = prose_ok(v, max); break;
		case G_TEXTS: good = prose_ok(v, max) || texts_ok(v, max); break;
		case G_BOOL: good = json_is_boolean(v); break;
		case G_FAQ: good = faq_ok(v, max); break;
		}
		if (!good) {
			yw_field_error(fields, at,
			               guide_members[k].kind == G_BOOL ? "应为 true 或 false"
			               : guide_members[k].kind == G_FAQ
			                       ? "应为 [{question, answer}] 的数组，各为非空文字"
			                       : yw_sprintf(a, "应为 1 到 %d 个字符的文字", max));
			ok = false;
		}
	}
	return ok;
}

/* Other names: distinct short texts, at most MAX_ALIASES. */
static json_t *aliases_field(yw_arena *a, json_t *v, json_t *fields)
{
	const char *reason = "别名应为至多 10 个、各 1 到 50 字且互不相同的文字";
	if (!json_is_array(v) || json_array_size(v) > MAX_ALIASES) {
		yw_field_error(fields, "aliases", reason);
		return NULL;
	}
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *s = json_array_get(v, i);
		bool ok = json_is_string(s) && yw_text_ok(json_string_value(s), 50);
		for (size_t k = 0; ok && k < i; k++)
			ok = !json_equal(s, json_array_get(v, k));
		if (!ok) {
			yw_field_error(fields, yw_sprintf(a, "aliases[%zu]", i), reason);
			return NULL;
		}
	}
	return v;
}

/* Topic keys, each known to yw_cat_topic_name, none twice. */
static json_t *topics_field(yw_arena *a, json_t *v, json_t *fields)
{
	if (!json_is_array(v) || json_array_size(v) > 20) {
		yw_field_error(fields, "topics", "主题分类应为至多 20 个分类代码的数组");
		return NULL;
	}
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *s = json_array_get(v, i);
		bool ok = json_is_string(s) && yw_cat_topic_name(json_string_value(s));
		for (size_t k = 0; ok && k < i; k++)
			ok = !json_equal(s, json_array_get(v, k));
		if (!ok) {
			yw_field_error(fields, yw_sprintf(a, "topics[%zu]", i),
			               "未知或重复的主题分类（见 GET /api/v1/topics）");
			return NULL;
		}
	}
	return v;
}

/* The 业务办理项: [{seq 1–99, name}], numbers distinct; stored as sent, in the order sent. */
static json_t *business_items_field(yw_arena *a, json_t *v, json_t *fields)
{
	if (!json_is_array(v) || json_array_size(v) > MAX_BUSINESS_ITEMS) {
		yw_field_error(fields, "business_items", "业务办理项应为至多 99 项的数组");
		return NULL;
	}
	json_t *out = yw_arena_json(a, json_array());
	for (size_t i = 0; out && i < json_array_size(v); i++) {
		json_t *o = json_array_get(v, i), *f = yw_arena_json(a, json_array());
		const char *at = yw_sprintf(a, "business_items[%zu]", i);
		long long seq = 0;
		const char *name = NULL;
		if (!json_is_object(o)) {
			yw_field_error(fields, at, "应为对象 {seq, name}");
			return NULL;
		}
		if (yw_cat_int_field(o, "seq", 1, 99, &seq, f, "办理项序号应为 1 到 99"))
			for (size_t k = 0; k < i; k++)
				if (json_integer_value(json_object_get(json_array_get(v, k), "seq")) == seq)
					yw_field_error(f, "seq", "办理项序号重复");
		name = yw_cat_text_field(a, o, "name", 200, f);
		if (json_array_size(f)) {
			json_t *fe = json_array_get(f, 0);
			yw_field_error(fields,
			               yw_sprintf(a, "%s.%s", at, json_string_value(json_object_get(fe, "field"))),
			               json_string_value(json_object_get(fe, "reason")));
			return NULL;
		}
		json_array_append_new(out, json_pack("{s:I, s:s}", "seq", (json_int_t)seq, "name", name));
	}
	return out;
}

/* Apply the guide members present in body onto g. On create every required member must be
 * there. Pure: the draft edit runs it again inside the write on what the write reads. Time
 * limits are checked by the caller, on the result. */
void yw_cat_guide_fields(yw_arena *a, json_t *body, guide *g, bool create, json_t *fields)
{
	static const int objects[] = { 1, 2, 3, 4, 5, 6 }, forms[] = { 1, 2, 3, 4, 9 },
			 ptypes[] = { 1, 2, 9 };
	if (create || yw_cat_present(body, "name"))
		g->name = yw_cat_text_field(a, body, "name", 200, fields);
	if (create || yw_cat_present(body, "online_depth"))
		yw_cat_int_field(body, "online_depth", 1, 4, &g->online_depth, fields,
		          "网上办理深度应为 1 到 4（一级…四级）");
	if (create || yw_cat_present(body, "visits"))
		yw_cat_int_field(body, "visits", 0, 99, &g->visits, fields, "到办事现场次数应为 0 到 99");
	if (create || yw_cat_present(body, "project_type")) {
		json_t *v = json_object_get(body, "project_type");
		bool ok = false;
		for (int k = 0; json_is_integer(v) && k < 3; k++)
			ok |= json_integer_value(v) == ptypes[k];
		if (ok)
			g->project_type = json_integer_value(v);
		else
			yw_field_error(fields, "project_type", "办件类型应为 1（即办件）、2（承诺件）或 9（其他）");
	}
	if (create || yw_cat_present(body, "handling_forms"))
		g->handling_forms = codes_field(a, body, "handling_forms", forms, 5, true, fields,
		                                "办理形式应为 1 窗口、2 电脑端、3 移动端、4 快递、9 其他 的非空数组");
	if (yw_cat_present(body, "service_objects"))
		g->service_objects = codes_field(a, body, "service_objects", objects, 6, false, fields,
		                                 "服务对象应为 GB/T 39046 A.4 代码（1 到 6）的数组");
	json_t *v;
	/* Limits: an integer (negative ones are refused by the limit rule, with its own code), or
	 * null for none. */
	for (int k = 0; k < 2; k++) {
		const char *key = k ? "promised_limit" : "statutory_limit";
		long long *dst = k ? &g->promised : &g->statutory;
		if (!(v = json_object_get(body, key)))
			continue;
		if (json_is_null(v))
			*dst = NONE;
		else if (json_is_integer(v) && json_integer_value(v) > -100000 &&
		         json_integer_value(v) < 100000)
			*dst = json_integer_value(v);
		else
			yw_field_error(fields, key, "应为工作日数（整数），或 null 表示无");
	}
	if ((v = json_object_get(body, "visits_reason")))
		g->visits_reason = json_is_null(v) ? NULL : yw_cat_text_field(a, body, "visits_reason", 500, fields);
	for (int k = 0; k < 2; k++) {
		const char *key = k ? "in_hall" : "charged";
		if (!(v = json_object_get(body, key)))
			continue;
		if (!json_is_boolean(v))
			yw_field_error(fields, key, "应为 true 或 false");
		else if (k)
			g->in_hall = json_is_true(v);
		else
			g->charged = json_is_true(v);
	}
	if ((v = json_object_get(body, "guide"))) {
		size_t len = 0;
		if (!json_is_object(v) || !yw_json_dump(a, v, &len) || len > MAX_GUIDE_BYTES)
			yw_field_error(fields, "guide", "办事指南的其他要素应为 JSON 对象，不超过 64 KiB");
		else if (guide_document_ok(a, v, fields))
			g->guide = v;
	}
	if ((v = json_object_get(body, "materials")))
		materials_field(a, v, g, fields);
	if ((v = json_object_get(body, "aliases")))
		g->aliases = aliases_field(a, v, fields);
	if ((v = json_object_get(body, "topics")))
		g->topics = topics_field(a, v, fields);
	if ((v = json_object_get(body, "business_items")))
		g->business_items = business_items_field(a, v, fields);
	/* Checked apart, with codes of their own (yw_cat_definitions_check). */
	if ((v = json_object_get(body, "form")))
		g->form = json_is_null(v) ? NULL : v;
	if ((v = json_object_get(body, "process")))
		g->process = json_is_null(v) ? NULL : v;
}

yw_err yw_cat_definitions_check(yw_arena *a, json_t *body, const char **why)
{
	json_t *v = json_object_get(body, "form");
	yw_err e;
	if (v && !json_is_null(v) && (e = yw_cat_form_check(a, v, why)))
		return e;
	v = json_object_get(body, "process");
	if (v && !json_is_null(v) && (e = yw_cat_process_check(a, v, why)))
		return e;
	return YW_E_OK;
}

/* The limit rule on a guide, with its detail. */
yw_err yw_cat_guide_limits(yw_arena *a, const guide *g, const char **why)
{
	yw_err e = yw_cat_limits_check(g->statutory == NONE ? NULL : &g->statutory,
	                               g->promised == NONE ? NULL : &g->promised, why);
	/* The process must fit in the statutory limit it serves: checked on the whole version, since
	 * an edit may change either one. */
	if (!e && g->process)
		e = yw_cat_process_fits(a, g->process, g->statutory, why);
	return e;
}

