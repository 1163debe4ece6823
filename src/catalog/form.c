/*
 * Form definitions (catalog.h, docs/catalog.md "Forms"): the check of a definition an editor
 * saves, and the check of the values an applicant fills into it. Pure: no I/O, so that
 * tests/unit/test_forms.c can state every rule.
 *
 * The definition is checked strictly, member by member, and an unknown member is refused rather
 * than kept: the one generic form component of the web app renders exactly what is stored, so a
 * misspelt "requried" must fail when the editor saves, not silently make a field optional. Each
 * refusal names the field (by its name when it has a usable one, else by its position) in
 * Chinese, since the editor shows it as it is.
 *
 * Values are checked against a definition that passed the first check; each wrong value becomes
 * a {field, reason} of its own, so that the form marks every mistake at once. A field hidden by
 * its visible_when is neither required nor allowed a value: what the applicant could not see must
 * not reach a case.
 */
#include <string.h>

#include "catalog/internal.h"
#include "identity/identity.h"
#include "ref/ref.h"

#define MAX_FIELDS 100
#define MAX_OPTIONS 100
#define MAX_NAME 40
#define MAX_LABEL 50
#define MAX_HELP 500
#define MAX_OPTION_TEXT 50
#define MAX_TEXT_LENGTH 5000      /* the largest max_length an editor may set */
#define TEXT_DEFAULT_MAX 200      /* when the definition sets none */
#define TEXTAREA_DEFAULT_MAX 2000

typedef enum {
	T_TEXT, T_TEXTAREA, T_NUMBER, T_DATE, T_SELECT, T_RADIO, T_CHECKBOX, T_ID_NUMBER, T_USCC,
	T_MOBILE, T_DIVISION, T__COUNT
} ftype;

static const char *const type_names[T__COUNT] = {
	"text", "textarea", "number", "date", "select", "radio", "checkbox", "id_number", "uscc",
	"mobile", "division",
};

/* A prefill source and the one type of field it can fill: an ID number put into a free text
 * field would escape the ID check and the masking that an id_number field gets. */
static const struct {
	const char *key;
	ftype type;
} prefills[] = {
	{ "person.name", T_TEXT },          { "person.id_number", T_ID_NUMBER },
	{ "person.mobile", T_MOBILE },      { "org.name", T_TEXT },
	{ "org.uscc", T_USCC },             { "org.legal_representative", T_TEXT },
};

static const char *const field_members[] = {
	"name", "label", "type", "required", "min_length", "max_length", "min", "max",
	"options", "visible_when", "prefill", "help",
};

static int type_of(const char *s)
{
	for (int i = 0; s && i < T__COUNT; i++)
		if (!strcmp(type_names[i], s))
			return i;
	return -1;
}

static bool has_options(ftype t)
{
	return t == T_SELECT || t == T_RADIO || t == T_CHECKBOX;
}

static bool name_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > MAX_NAME || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

static bool text_member(json_t *o, const char *key, long max)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) && yw_text_ok(json_string_value(v), max);
}

/* The field at index i of the form: named when its name is usable, else by position. */
static const char *label_of(yw_arena *a, json_t *f, size_t i)
{
	const char *n = json_string_value(json_object_get(f, "name"));
	return name_ok(n) ? yw_sprintf(a, "字段 %s", n) : yw_sprintf(a, "第 %zu 个字段", i + 1);
}

static yw_err bad(const char **why, const char *text)
{
	*why = text;
	return YW_E_BAD_FORM;
}

/* The index of the field named `name` among fields[0 .. upto), or -1. */
static int index_of(json_t *fields, size_t upto, const char *name)
{
	for (size_t k = 0; name && k < upto; k++)
		if (yw_str_eq(json_string_value(json_object_get(json_array_get(fields, k), "name")), name))
			return (int)k;
	return -1;
}

static bool option_has(json_t *options, json_t *value)
{
	size_t i;
	json_t *o;
	json_array_foreach(options, i, o)
		if (json_equal(json_object_get(o, "value"), value))
			return true;
	return false;
}

static bool scalar(json_t *v)
{
	return json_is_string(v) || json_is_number(v) || json_is_boolean(v);
}

/* visible_when: {field, equals} or {field, in: [...]}, naming a field earlier in the form; when
 * that field has options, the values compared with must be among them, or the field could never
 * show. */
static yw_err visible_when_check(yw_arena *a, json_t *fields, size_t i, const char *at, json_t *vw,
                                 const char **why)
{
	if (!json_is_object(vw))
		return bad(why, yw_sprintf(a, "%s 的 visible_when 应为对象 {field, equals} 或 {field, in}", at));
	const char *key;
	json_t *v;
	json_object_foreach(vw, key, v)
		if (strcmp(key, "field") && strcmp(key, "equals") && strcmp(key, "in"))
			return bad(why, yw_sprintf(a, "%s 的 visible_when 含有未知属性 %s", at, key));
	const char *target = json_string_value(json_object_get(vw, "field"));
	if (!target)
		return bad(why, yw_sprintf(a, "%s 的 visible_when 缺少 field", at));
	int k = index_of(fields, i, target);
	if (k < 0)
		return bad(why, index_of(fields, json_array_size(fields), target) >= 0
		                    ? yw_sprintf(a, "%s 的 visible_when 引用的字段 %s 应排在它之前", at, target)
		                    : yw_sprintf(a, "%s 的 visible_when 引用了不存在的字段 %s", at, target));
	json_t *eq = json_object_get(vw, "equals"), *in = json_object_get(vw, "in");
	if (!!eq == !!in)
		return bad(why, yw_sprintf(a, "%s 的 visible_when 应有 equals 或 in 两者之一", at));
	if (eq && !scalar(eq))
		return bad(why, yw_sprintf(a, "%s 的 visible_when.equals 应为文字、数字或布尔值", at));
	if (in && (!json_is_array(in) || !json_array_size(in) || json_array_size(in) > MAX_OPTIONS))
		return bad(why, yw_sprintf(a, "%s 的 visible_when.in 应为非空数组", at));
	json_t *tf = json_array_get(fields, (size_t)k), *opts = json_object_get(tf, "options");
	bool choice = has_options((ftype)type_of(json_string_value(json_object_get(tf, "type"))));
	size_t n = in ? json_array_size(in) : 1;
	for (size_t j = 0; j < n; j++) {
		json_t *x = in ? json_array_get(in, j) : eq;
		if (!scalar(x))
			return bad(why, yw_sprintf(a, "%s 的 visible_when.in 的值应为文字、数字或布尔值", at));
		if (choice && !option_has(opts, x))
			return bad(why, yw_sprintf(a, "%s 的 visible_when 比较的值不是字段 %s 的选项", at, target));
	}
	return YW_E_OK;
}

static yw_err options_check(yw_arena *a, json_t *opts, const char *at, const char **why)
{
	if (!json_is_array(opts) || !json_array_size(opts) || json_array_size(opts) > MAX_OPTIONS)
		return bad(why, yw_sprintf(a, "%s 应有 1 到 %d 个选项 options", at, MAX_OPTIONS));
	for (size_t j = 0; j < json_array_size(opts); j++) {
		json_t *o = json_array_get(opts, j);
		if (!json_is_object(o) || json_object_size(o) != 2 ||
		    !text_member(o, "value", MAX_OPTION_TEXT) || !text_member(o, "label", MAX_OPTION_TEXT))
			return bad(why, yw_sprintf(a, "%s 的第 %zu 个选项应为 {value, label}，各为 1 到 %d 个字符",
			                           at, j + 1, MAX_OPTION_TEXT));
		for (size_t k = 0; k < j; k++)
			if (json_equal(json_object_get(json_array_get(opts, k), "value"), json_object_get(o, "value")))
				return bad(why, yw_sprintf(a, "%s 的选项值 %s 重复", at,
				                           json_string_value(json_object_get(o, "value"))));
	}
	return YW_E_OK;
}

/* Bounds: only on the types they mean something for, of the right kind, and min ≤ max. */
static yw_err bounds_check(yw_arena *a, json_t *f, ftype t, const char *at, const char **why)
{
	json_t *minl = json_object_get(f, "min_length"), *maxl = json_object_get(f, "max_length"),
	       *min = json_object_get(f, "min"), *max = json_object_get(f, "max");
	bool text = t == T_TEXT || t == T_TEXTAREA;
	if ((minl || maxl) && !text)
		return bad(why, yw_sprintf(a, "%s：只有 text、textarea 类型可设 min_length、max_length", at));
	if ((min || max) && t != T_NUMBER)
		return bad(why, yw_sprintf(a, "%s：只有 number 类型可设 min、max", at));
	for (int j = 0; j < 2; j++) {
		json_t *v = j ? maxl : minl;
		if (v && (!json_is_integer(v) || json_integer_value(v) < 0 ||
		          json_integer_value(v) > MAX_TEXT_LENGTH))
			return bad(why, yw_sprintf(a, "%s 的 %s 应为 0 到 %d 的整数", at,
			                           j ? "max_length" : "min_length", MAX_TEXT_LENGTH));
	}
	if (maxl && json_integer_value(maxl) < 1)
		return bad(why, yw_sprintf(a, "%s 的 max_length 至少为 1", at));
	if (minl && maxl && json_integer_value(minl) > json_integer_value(maxl))
		return bad(why, yw_sprintf(a, "%s 的 min_length 大于 max_length", at));
	if ((min && !json_is_number(min)) || (max && !json_is_number(max)))
		return bad(why, yw_sprintf(a, "%s 的 min、max 应为数字", at));
	if (min && max && json_number_value(min) > json_number_value(max))
		return bad(why, yw_sprintf(a, "%s 的 min 大于 max", at));
	return YW_E_OK;
}

static yw_err field_check(yw_arena *a, json_t *fields, size_t i, const char **why)
{
	json_t *f = json_array_get(fields, i);
	const char *at = label_of(a, f, i);
	if (!json_is_object(f))
		return bad(why, yw_sprintf(a, "第 %zu 个字段应为对象", i + 1));
	const char *key;
	json_t *v;
	json_object_foreach(f, key, v) {
		bool known = false;
		for (size_t k = 0; k < sizeof field_members / sizeof field_members[0]; k++)
			known |= !strcmp(field_members[k], key);
		if (!known)
			return bad(why, yw_sprintf(a, "%s 含有未知属性 %s", at, key));
	}
	const char *name = json_string_value(json_object_get(f, "name"));
	if (!name_ok(name))
		return bad(why, yw_sprintf(a, "%s 的 name 应为小写英文字母开头、由小写字母、数字和 _ 组成的 1 到 %d 个字符",
		                           at, MAX_NAME));
	if (index_of(fields, i, name) >= 0)
		return bad(why, yw_sprintf(a, "字段名 %s 重复", name));
	if (!text_member(f, "label", MAX_LABEL))
		return bad(why, yw_sprintf(a, "%s 的 label 应为 1 到 %d 个字符", at, MAX_LABEL));
	int t = type_of(json_string_value(json_object_get(f, "type")));
	if (t < 0)
		return bad(why, yw_sprintf(a, "%s 的类型 type 未知，应为 text、textarea、number、date、select、radio、"
		                              "checkbox、id_number、uscc、mobile、division 之一", at));
	if ((v = json_object_get(f, "required")) && !json_is_boolean(v))
		return bad(why, yw_sprintf(a, "%s 的 required 应为 true 或 false", at));
	yw_err e = bounds_check(a, f, (ftype)t, at, why);
	if (e)
		return e;
	json_t *opts = json_object_get(f, "options");
	if (has_options((ftype)t) && (e = options_check(a, opts, at, why)))
		return e;
	if (!has_options((ftype)t) && opts)
		return bad(why, yw_sprintf(a, "%s：只有 select、radio、checkbox 类型可设 options", at));
	if ((v = json_object_get(f, "visible_when")) && (e = visible_when_check(a, fields, i, at, v, why)))
		return e;
	if ((v = json_object_get(f, "prefill"))) {
		const char *p = json_string_value(v);
		size_t k = 0, n = sizeof prefills / sizeof prefills[0];
		while (k < n && !yw_str_eq(prefills[k].key, p))
			k++;
		if (k == n)
			return bad(why, yw_sprintf(a, "%s 的预填来源 prefill 未知，应为 person.name、person.id_number、"
			                              "person.mobile、org.name、org.uscc、org.legal_representative 之一", at));
		if (prefills[k].type != (ftype)t && !(prefills[k].type == T_TEXT && t == T_TEXTAREA))
			return bad(why, yw_sprintf(a, "%s：预填来源 %s 只能用于 %s 类型的字段", at, p,
			                           type_names[prefills[k].type]));
	}
	if ((v = json_object_get(f, "help")) && !text_member(f, "help", MAX_HELP))
		return bad(why, yw_sprintf(a, "%s 的说明 help 应为 1 到 %d 个字符", at, MAX_HELP));
	return YW_E_OK;
}

yw_err yw_cat_form_check(yw_arena *a, json_t *form, const char **why)
{
	if (!json_is_object(form))
		return bad(why, "表单定义应为 JSON 对象 {fields: [...]}");
	const char *key;
	json_t *v;
	json_object_foreach(form, key, v)
		if (strcmp(key, "fields"))
			return bad(why, yw_sprintf(a, "表单定义含有未知属性 %s，只应有 fields", key));
	json_t *fields = json_object_get(form, "fields");
	if (!json_is_array(fields) || !json_array_size(fields) || json_array_size(fields) > MAX_FIELDS)
		return bad(why, yw_sprintf(a, "表单的 fields 应为 1 到 %d 个字段的数组", MAX_FIELDS));
	for (size_t i = 0; i < json_array_size(fields); i++) {
		yw_err e = field_check(a, fields, i, why);
		if (e)
			return e;
	}
	*why = NULL;
	return YW_E_OK;
}

/* ---- values ------------------------------------------------------------------------------ */

/* Absent, null, "" and [] all mean "not filled". */
static bool empty(json_t *v)
{
	return !v || json_is_null(v) || (json_is_string(v) && !json_string_length(v)) ||
	       (json_is_array(v) && !json_array_size(v));
}

/* Blanks only: no answer to a required field (a 店铺名称 of "   " is not given). An optional
 * field of blanks is checked as any other value (a radio of " " is no option). */
static bool blank(json_t *v)
{
	size_t len = 1;
	if (json_is_string(v))
		yw_str_trimmed(json_string_value(v), &len);
	return !len;
}

/* Whether the field shows, given the values of the fields before it: a field whose controlling
 * field is hidden is hidden too, since that field's value is then absent. A checkbox controls
 * by any of its checked values. */
static bool visible(json_t *f, json_t *values)
{
	json_t *vw = json_object_get(f, "visible_when");
	if (!vw)
		return true;
	json_t *cur = json_object_get(values, json_string_value(json_object_get(vw, "field")));
	if (empty(cur))
		return false;
	json_t *eq = json_object_get(vw, "equals"), *in = json_object_get(vw, "in");
	size_t nc = json_is_array(cur) ? json_array_size(cur) : 1;
	for (size_t c = 0; c < nc; c++) {
		json_t *x = json_is_array(cur) ? json_array_get(cur, c) : cur;
		if (eq && json_equal(eq, x))
			return true;
		for (size_t j = 0; in && j < json_array_size(in); j++)
			if (json_equal(json_array_get(in, j), x))
				return true;
	}
	return false;
}

/* Free text: valid UTF-8, no control characters but the line breaks and tabs of a textarea. */
static bool text_chars_ok(const char *s, bool multiline)
{
	if (yw_utf8_count(s) < 0)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && !(multiline && (*p == '\n' || *p == '\r' || *p == '\t'))) || *p == 0x7f)
			return false;
	return true;
}

/* The reason a filled value is wrong for its field, or NULL when it is right. */
static const char *value_reason(yw_arena *a, json_t *f, ftype t, json_t *v)
{
	const char *s = json_string_value(v);
	json_t *opts = json_object_get(f, "options");
	switch (t) {
	case T_TEXT:
	case T_TEXTAREA: {
		if (!s || !text_chars_ok(s, t == T_TEXTAREA))
			return "应为文字（不含控制字符）";
		long n = yw_utf8_count(s);
		json_t *minl = json_object_get(f, "min_length"), *maxl = json_object_get(f, "max_length");
		long long lo = minl ? json_integer_value(minl) : 0,
			  hi = maxl ? json_integer_value(maxl)
			            : t == T_TEXT ? TEXT_DEFAULT_MAX : TEXTAREA_DEFAULT_MAX;
		if (n < lo)
			return yw_sprintf(a, "至少 %lld 个字符", lo);
		if (n > hi)
			return yw_sprintf(a, "至多 %lld 个字符", hi);
		return NULL;
	}
	case T_NUMBER: {
		if (!json_is_number(v))
			return "应为数字";
		json_t *min = json_object_get(f, "min"), *max = json_object_get(f, "max");
		double x = json_number_value(v);
		if (min && x < json_number_value(min))
			return yw_sprintf(a, "不能小于 %g", json_number_value(min));
		if (max && x > json_number_value(max))
			return yw_sprintf(a, "不能大于 %g", json_number_value(max));
		return NULL;
	}
	case T_DATE: {
		yw_date d;
		return s && yw_date_parse(s, &d) ? NULL : "应为真实日期 YYYY-MM-DD";
	}
	case T_SELECT:
	case T_RADIO:
		return json_is_string(v) && option_has(opts, v) ? NULL : "应为所列选项之一";
	case T_CHECKBOX:
		if (!json_is_array(v))
			return "应为所选选项的数组";
		for (size_t i = 0; i < json_array_size(v); i++) {
			json_t *x = json_array_get(v, i);
			if (!json_is_string(x) || !option_has(opts, x))
				return "应为所列选项";
			for (size_t k = 0; k < i; k++)
				if (json_equal(x, json_array_get(v, k)))
					return "选项重复";
		}
		return NULL;
	case T_ID_NUMBER: {
		char id[19];
		return s && strlen(s) <= 18 && yw_id_check(s, id) == YW_E_OK ? NULL
		                                                            : "公民身份号码不正确（应为 18 位，校验码正确）";
	}
	case T_USCC:
		return s && yw_uscc_check(s) == YW_E_OK ? NULL : "统一社会信用代码不正确（应为 18 位，校验码正确）";
	case T_MOBILE: {
		char m[12];
		return s && strlen(s) <= 16 && yw_mobile_check(s, m) == YW_E_OK ? NULL
		                                                               : "手机号码不正确（应为 11 位）";
	}
	case T_DIVISION: {
		const yw_division *d;
		return s && yw_division_find(s, &d) == YW_E_OK ? NULL : "行政区划代码不正确或不存在";
	}
	case T__COUNT:
		break;
	}
	return "字段类型未知";
}

yw_err yw_cat_form_values_check(yw_arena *a, json_t *form, json_t *values, json_t *fields)
{
	size_t before = json_array_size(fields);
	json_t *defs = json_object_get(form, "fields");
	if (!json_is_object(values)) {
		yw_field_error(fields, "values", "填写的内容应为对象 {字段名: 值}");
		return YW_E_BAD_PARAMETER;
	}
	/* Hidden fields are checked as absent and then treated as absent, so that a field they
	 * control is hidden too, as the page shows it. */
	json_t *seen = yw_arena_json(a, json_object()), *unsure = yw_arena_json(a, json_object());
	if (!seen || !unsure)
		return YW_E_NO_MEMORY;
	size_t i;
	json_t *f;
	json_array_foreach(defs, i, f) {
		const char *name = json_string_value(json_object_get(f, "name"));
		int t = type_of(json_string_value(json_object_get(f, "type")));
		json_t *v = json_object_get(values, name);
		if (!name || t < 0)
			continue;        /* not a checked definition: nothing sensible to say */
		/* Whether it shows depends on a value already marked wrong: one error is enough. */
		const char *ctl = json_string_value(json_object_get(json_object_get(f, "visible_when"), "field"));
		if (ctl && json_object_get(unsure, ctl)) {
			json_object_set_new(unsure, name, json_true());
			continue;
		}
		if (!visible(f, seen)) {
			if (!empty(v))
				yw_field_error(fields, name, "该项在当前填写情况下不显示，不应填写");
			continue;
		}
		bool required = json_is_true(json_object_get(f, "required"));
		if (empty(v) || (required && blank(v))) {
			if (required)
				yw_field_error(fields, name, "必填");
			continue;
		}
		const char *why = value_reason(a, f, (ftype)t, v);
		if (why) {
			yw_field_error(fields, name, why);
			json_object_set_new(unsure, name, json_true());
		} else
			json_object_set(seen, name, v);
	}
	const char *key;
	json_t *v;
	json_object_foreach(values, key, v)
		if (index_of(defs, json_array_size(defs), key) < 0)
			yw_field_error(fields, key, "表单中没有该字段");
	return json_array_size(fields) > before ? YW_E_BAD_PARAMETER : YW_E_OK;
}
