/* Form and process definitions of the catalog (src/catalog/form.c, process.c): every rule of
 * docs/catalog.md "Forms" and "Processes", each with a definition that passes and one that
 * breaks it, and the values an applicant fills into a form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "catalog/internal.h"

static yw_arena *A;

/* JSON written with ' for ", so that the definitions below stay readable. */
static json_t *J(const char *text)
{
	char *s = yw_strdup(A, text);
	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	json_error_t err;
	json_t *j = json_loads(s, JSON_REJECT_DUPLICATES, &err);
	if (!j)
		fail_msg("bad test JSON at %d: %s\n%s", err.position, err.text, s);
	return yw_arena_json(A, j);
}

static int setup(void **state)
{
	A = yw_arena_new(1 << 16);
	return A ? 0 : -1;
}

static int teardown(void **state)
{
	yw_arena_free(A);
	return 0;
}

/* ---- forms --------------------------------------------------------------------------------- */

static const char GOOD_FORM[] =
	"{'fields': ["
	" {'name': 'applicant_name', 'label': '申请人姓名', 'type': 'text', 'required': true,"
	"  'min_length': 2, 'max_length': 20, 'prefill': 'person.name', 'help': '与身份证一致'},"
	" {'name': 'id_no', 'label': '身份证号', 'type': 'id_number', 'required': true, 'prefill': 'person.id_number'},"
	" {'name': 'phone', 'label': '手机', 'type': 'mobile', 'prefill': 'person.mobile'},"
	" {'name': 'org_code', 'label': '信用代码', 'type': 'uscc', 'prefill': 'org.uscc'},"
	" {'name': 'area', 'label': '面积', 'type': 'number', 'min': 0, 'max': 10000.5},"
	" {'name': 'start_on', 'label': '开业日期', 'type': 'date'},"
	" {'name': 'kind', 'label': '类型', 'type': 'select', 'required': true,"
	"  'options': [{'value': 'shop', 'label': '门店'}, {'value': 'online', 'label': '网店'}, {'value': 'other', 'label': '其他'}]},"
	" {'name': 'kind_other', 'label': '其他类型', 'type': 'text', 'required': true,"
	"  'visible_when': {'field': 'kind', 'equals': 'other'}},"
	" {'name': 'address', 'label': '经营地址', 'type': 'textarea', 'required': true,"
	"  'visible_when': {'field': 'kind', 'in': ['shop', 'other']}},"
	" {'name': 'place', 'label': '所在区县', 'type': 'division'},"
	" {'name': 'delivery', 'label': '领取方式', 'type': 'radio',"
	"  'options': [{'value': 'post', 'label': '邮寄'}, {'value': 'window', 'label': '窗口'}]},"
	" {'name': 'extras', 'label': '附加', 'type': 'checkbox',"
	"  'options': [{'value': 'a', 'label': '甲'}, {'value': 'b', 'label': '乙'}]},"
	" {'name': 'extra_b_note', 'label': '乙说明', 'type': 'text', 'visible_when': {'field': 'extras', 'equals': 'b'}},"
	" {'name': 'note_of_note', 'label': '再说明', 'type': 'text', 'visible_when': {'field': 'extra_b_note', 'equals': 'x'}}"
	"]}";

static void form_valid(void **state)
{
	const char *why = "unset";
	assert_int_equal(yw_cat_form_check(A, J(GOOD_FORM), &why), YW_E_OK);
	assert_null(why);
	/* the smallest form */
	assert_int_equal(yw_cat_form_check(A, J("{'fields': [{'name': 'a', 'label': '甲', 'type': 'text'}]}"), &why),
	                 YW_E_OK);
	/* org prefills and textarea with a name prefill */
	assert_int_equal(yw_cat_form_check(A, J("{'fields': [{'name': 'o', 'label': '单位', 'type': 'text', 'prefill': 'org.name'},"
	                                        "{'name': 'l', 'label': '法人', 'type': 'textarea', 'prefill': 'org.legal_representative'}]}"), &why),
	                 YW_E_OK);
}

/* A form with one field made of `member` (JSON members, without braces), checked: BAD_FORM with
 * `expect` in the reason, or OK when expect is NULL. */
static void one_field(const char *members, const char *expect)
{
	char buf[2048];
	snprintf(buf, sizeof buf,
	         "{'fields': [{'name': 'k', 'label': '选', 'type': 'select', 'options': [{'value': 'x', 'label': 'X'}, {'value': 'y', 'label': 'Y'}]},"
	         "{%s}]}", members);
	const char *why = NULL;
	yw_err e = yw_cat_form_check(A, J(buf), &why);
	if (!expect) {
		if (e)
			fail_msg("%s: refused: %s", members, why);
		return;
	}
	if (e != YW_E_BAD_FORM)
		fail_msg("%s: accepted, expected %s", members, expect);
	if (!why || !strstr(why, expect))
		fail_msg("%s: reason '%s' lacks '%s'", members, why ? why : "(null)", expect);
}

static void form_refusals(void **state)
{
	const char *why = NULL;
	/* the form itself */
	assert_int_equal(yw_cat_form_check(A, J("[]"), &why), YW_E_BAD_FORM);
	assert_int_equal(yw_cat_form_check(A, J("{'fields': []}"), &why), YW_E_BAD_FORM);
	assert_non_null(strstr(why, "fields"));
	assert_int_equal(yw_cat_form_check(A, J("{'fields': {}}"), &why), YW_E_BAD_FORM);
	assert_int_equal(yw_cat_form_check(A, J("{'fields': [{'name': 'a', 'label': '甲', 'type': 'text'}], 'title': 'x'}"), &why),
	                 YW_E_BAD_FORM);
	assert_non_null(strstr(why, "title"));
	assert_int_equal(yw_cat_form_check(A, J("{'fields': ['a']}"), &why), YW_E_BAD_FORM);
	assert_non_null(strstr(why, "第 1 个字段"));
	/* duplicate names, named */
	assert_int_equal(yw_cat_form_check(A, J("{'fields': [{'name': 'same', 'label': '甲', 'type': 'text'},"
	                                        "{'name': 'same', 'label': '乙', 'type': 'date'}]}"), &why),
	                 YW_E_BAD_FORM);
	assert_non_null(strstr(why, "same"));
	assert_non_null(strstr(why, "重复"));

	/* names, labels, types, members */
	one_field("'name': 'Bad', 'label': '甲', 'type': 'text'", "name");
	one_field("'name': '1a', 'label': '甲', 'type': 'text'", "name");
	one_field("'name': 'a-b', 'label': '甲', 'type': 'text'", "name");
	one_field("'name': 'a2345678901234567890123456789012345678901', 'label': '甲', 'type': 'text'", "name");   /* 41 */
	one_field("'name': 'a234567890123456789012345678901234567890', 'label': '甲', 'type': 'text'", NULL);     /* 40 */
	one_field("'name': 'f', 'type': 'text'", "字段 f 的 label");
	one_field("'name': 'f', 'label': '', 'type': 'text'", "label");
	one_field("'name': 'f', 'label': '一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一', 'type': 'text'", "label");
	one_field("'name': 'f', 'label': '甲', 'type': 'email'", "字段 f 的类型");
	one_field("'name': 'f', 'label': '甲'", "类型");
	one_field("'name': 'f', 'label': '甲', 'type': 'text', 'requried': true", "requried");
	one_field("'name': 'f', 'label': '甲', 'type': 'text', 'required': 'yes'", "required");
	one_field("'name': 'f', 'label': '甲', 'type': 'text', 'help': ''", "help");
	/* bounds */
	one_field("'name': 'f', 'label': '甲', 'type': 'text', 'min_length': 0, 'max_length': 1", NULL);
	one_field("'name': 'f', 'label': '甲', 'type': 'number', 'min_length': 1", "min_length");
	one_field("'name': 'f', 'label': '甲', 'type': 'text', 'min': 1", "min");
	one_field("'name': 'f', 'label': '甲', 'type': 'date', 'max': 1", "number");
	one_field("'name': 'f', 'label': '甲', 'type': 'text', 'min_length': 5, 'max_length': 4", "min_length 大于");
	one_field("'name': 'f', 'label': '甲', 'type': 'text', 'max_length': 0", "max_length");
	one_field("'name': 'f', 'label': '甲', 'type': 'textarea', 'min_length': -1", "min_length");
	one_field("'name': 'f', 'label': '甲', 'type': 'textarea', 'max_length': 5001", "max_length");
	one_field("'name': 'f', 'label': '甲', 'type': 'textarea', 'max_length': 1.5", "max_length");
	one_field("'name': 'f', 'label': '甲', 'type': 'number', 'min': 5, 'max': 4", "min 大于 max");
	one_field("'name': 'f', 'label': '甲', 'type': 'number', 'min': '1'", "数字");
	one_field("'name': 'f', 'label': '甲', 'type': 'number', 'min': -3.5, 'max': -3.5", NULL);
	/* options */
	one_field("'name': 'f', 'label': '甲', 'type': 'select'", "options");
	one_field("'name': 'f', 'label': '甲', 'type': 'radio', 'options': []", "options");
	one_field("'name': 'f', 'label': '甲', 'type': 'checkbox', 'options': [{'value': 'a', 'label': 'A'}, {'value': 'a', 'label': 'B'}]",
	          "选项值 a 重复");
	one_field("'name': 'f', 'label': '甲', 'type': 'select', 'options': [{'value': 'a'}]", "第 1 个选项");
	one_field("'name': 'f', 'label': '甲', 'type': 'select', 'options': [{'value': 'a', 'label': 'A', 'x': 1}]", "第 1 个选项");
	one_field("'name': 'f', 'label': '甲', 'type': 'select', 'options': [{'value': 1, 'label': 'A'}]", "第 1 个选项");
	one_field("'name': 'f', 'label': '甲', 'type': 'text', 'options': [{'value': 'a', 'label': 'A'}]", "options");
	/* visible_when */
	one_field("'name': 'f', 'label': '甲', 'type': 'text', 'visible_when': {'field': 'k', 'equals': 'x'}", NULL);
	one_field("'name': 'f', 'label': '甲', 'type': 'text', 'visible_when': {'field': 'k', 'in': ['x', 'y']}", NULL);
	one_field("'name': 'f', 'label': '甲', 'type': 'text', 'visible_when': {'field': 'nope', 'equals': 'x'}", "不存在的字段 nope");
	one_field("'name': 'f', 'label': '甲', 'type': 'text', 'visible_when': {'field': 'f', 'equals': 'x'}", "应排在它之前");
	one_field("'name': 'f', 'label': '甲', 'type': 'text', 'visible_when': {'field': 'k', 'equals': 'z'}", "不是字段 k 的选项");
	one_field("'name': 'f', 'label': '甲', 'type': 'text', 'visible_when': {'field': 'k', 'in': ['x', 'z']}", "不是字段 k 的选项");
	one_field("'name': 'f', 'label': '甲', 'type': 'text', 'visible_when': {'field': 'k', 'in': []}", "in");
	one_field("'name': 'f', 'label': '甲', 'type': 'text', 'visible_when': {'field': 'k', 'equals': 'x', 'in': ['y']}", "两者之一");
	one_field("'name': 'f', 'label': '甲', 'type': 'text', 'visible_when': {'field': 'k'}", "两者之一");
	one_field("'name': 'f', 'label': '甲', 'type': 'text', 'visible_when': {'field': 'k', 'equals': ['x']}", "equals");
	one_field("'name': 'f', 'label': '甲', 'type': 'text', 'visible_when': {'field': 'k', 'equals': 'x', 'not': 1}", "not");
	one_field("'name': 'f', 'label': '甲', 'type': 'text', 'visible_when': 'k'", "visible_when");
	/* prefill */
	one_field("'name': 'f', 'label': '甲', 'type': 'text', 'prefill': 'person.email'", "prefill");
	one_field("'name': 'f', 'label': '甲', 'type': 'text', 'prefill': 'person.id_number'", "id_number");
	one_field("'name': 'f', 'label': '甲', 'type': 'text', 'prefill': 'org.uscc'", "uscc");
	one_field("'name': 'f', 'label': '甲', 'type': 'mobile', 'prefill': 'person.name'", "text");
	/* a later field sees a duplicate name of an earlier one even after others */
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", GOOD_FORM);
	strcpy(strrchr(buf, ']'), ", {'name': 'phone', 'label': '重复', 'type': 'text'}]}");
	assert_int_equal(yw_cat_form_check(A, J(buf), &why), YW_E_BAD_FORM);
	assert_non_null(strstr(why, "phone"));
}

/* A citizen ID with a right check character (GB 11643), born 1990-03-07 in 埇桥区. */
static const char *an_id(void)
{
	static char id[19] = "34130219900307123";
	id[17] = yw_id_check_char(id);
	id[18] = '\0';
	return id;
}

/* The reason values gives for field, or NULL when it has none. */
static const char *reason_for(json_t *fields, const char *field)
{
	size_t i;
	json_t *f;
	json_array_foreach(fields, i, f)
		if (!strcmp(json_string_value(json_object_get(f, "field")), field))
			return json_string_value(json_object_get(f, "reason"));
	return NULL;
}

/* Check values against GOOD_FORM: the field errors. */
static json_t *check(const char *values)
{
	json_t *fields = yw_arena_json(A, json_array());
	yw_err e = yw_cat_form_values_check(A, J(GOOD_FORM), J(values), fields);
	assert_int_equal(e, json_array_size(fields) ? YW_E_BAD_PARAMETER : YW_E_OK);
	return fields;
}

static void values_good(void **state)
{
	char v[1024];
	snprintf(v, sizeof v,
	         "{'applicant_name': '张三丰', 'id_no': '%s', 'phone': '13912345678', 'org_code': '113413022422071002',"
	         " 'area': 12.5, 'start_on': '2026-02-28', 'kind': 'shop', 'address': '宿州市埇桥区\\n淮海路 1 号',"
	         " 'place': '341302', 'delivery': 'post', 'extras': ['a', 'b'], 'extra_b_note': 'x', 'note_of_note': '好'}",
	         an_id());
	json_t *fields = check(v);
	assert_int_equal(json_array_size(fields), 0);
	/* only the required ones, the hidden ones absent (kind_other hidden, address shown) */
	snprintf(v, sizeof v, "{'applicant_name': '张三', 'id_no': '%s', 'kind': 'shop', 'address': '某地'}", an_id());
	assert_int_equal(json_array_size(check(v)), 0);
	/* null and '' count as not filled */
	snprintf(v, sizeof v, "{'applicant_name': '张三', 'id_no': '%s', 'kind': 'online', 'phone': null, 'area': null,"
	         " 'kind_other': '', 'extras': []}", an_id());
	assert_int_equal(json_array_size(check(v)), 0);
	/* a 15-digit first-generation ID is accepted (upgraded by yw_id_check) */
	assert_int_equal(json_array_size(check("{'applicant_name': '张三', 'id_no': '341302900307123', 'kind': 'online'}")), 0);
}

static void values_bad(void **state)
{
	char v[1024];
	json_t *f = check("{}");
	assert_string_equal(reason_for(f, "applicant_name"), "必填");
	assert_string_equal(reason_for(f, "id_no"), "必填");
	assert_string_equal(reason_for(f, "kind"), "必填");
	assert_null(reason_for(f, "address"));              /* hidden while kind is empty */
	assert_null(reason_for(f, "phone"));                /* not required */
	/* blanks only, the full-width space too, are not an answer to a required field; an optional
	 * field of blanks is checked as its value (a radio of " " is no option) */
	f = check("{'applicant_name': ' \u3000 ', 'kind': 'online'}");
	assert_string_equal(reason_for(f, "applicant_name"), "必填");
	f = check("{'applicant_name': '张三', 'kind': ' ', 'delivery': ' ', 'start_on': ' '}");
	assert_string_equal(reason_for(f, "kind"), "必填");
	assert_string_equal(reason_for(f, "delivery"), "应为所列选项之一");
	assert_string_equal(reason_for(f, "start_on"), "应为真实日期 YYYY-MM-DD");

	char bad_id[19];
	memcpy(bad_id, an_id(), 19);
	bad_id[17] = bad_id[17] == '1' ? '2' : '1';
	snprintf(v, sizeof v,
	         "{'applicant_name': '张', 'id_no': '%s', 'phone': '1391234567', 'org_code': '113413022422071003',"
	         " 'area': 10001, 'start_on': '2026-02-30', 'kind': 'boat', 'place': '999999', 'delivery': 'pigeon',"
	         " 'extras': ['a', 'a'], 'unknown': 1}",
	         bad_id);
	f = check(v);
	assert_non_null(strstr(reason_for(f, "applicant_name"), "至少 2"));
	assert_non_null(strstr(reason_for(f, "id_no"), "公民身份号码"));
	assert_non_null(strstr(reason_for(f, "phone"), "手机"));
	assert_non_null(strstr(reason_for(f, "org_code"), "统一社会信用代码"));
	assert_non_null(strstr(reason_for(f, "area"), "不能大于"));
	assert_non_null(strstr(reason_for(f, "start_on"), "日期"));
	assert_non_null(strstr(reason_for(f, "kind"), "选项"));
	assert_non_null(strstr(reason_for(f, "place"), "行政区划"));
	assert_non_null(strstr(reason_for(f, "delivery"), "选项"));
	assert_non_null(strstr(reason_for(f, "extras"), "重复"));
	assert_non_null(strstr(reason_for(f, "unknown"), "没有该字段"));
	/* kind was wrong: whether address shows is unknown, so it gets no second error */
	assert_null(reason_for(f, "address"));
	assert_null(reason_for(f, "kind_other"));
	/* the reasons never repeat the number they refuse */
	const char *dump = yw_json_dump(A, f, NULL);
	assert_null(strstr(dump, bad_id));

	/* types */
	snprintf(v, sizeof v, "{'applicant_name': 12, 'id_no': '%s', 'kind': 'other', 'kind_other': '甲\\n乙',"
	         " 'address': 'a', 'area': '12', 'extras': 'a', 'start_on': '2026-1-1'}", an_id());
	f = check(v);
	assert_non_null(strstr(reason_for(f, "applicant_name"), "文字"));
	assert_non_null(strstr(reason_for(f, "kind_other"), "控制字符"));   /* a line break in a text field */
	assert_null(reason_for(f, "address"));                               /* allowed in a textarea */
	assert_non_null(strstr(reason_for(f, "area"), "数字"));
	assert_non_null(strstr(reason_for(f, "extras"), "数组"));
	assert_non_null(strstr(reason_for(f, "start_on"), "日期"));
	/* bounds */
	snprintf(v, sizeof v, "{'applicant_name': '一二三四五六七八九十一二三四五六七八九十一', 'id_no': '%s', 'kind': 'online',"
	         " 'area': -0.5}", an_id());
	f = check(v);
	assert_non_null(strstr(reason_for(f, "applicant_name"), "至多 20"));
	assert_non_null(strstr(reason_for(f, "area"), "不能小于"));
}

static void values_visibility(void **state)
{
	char v[1024];
	/* a hidden field must be absent, even when it is not required */
	snprintf(v, sizeof v, "{'applicant_name': '张三', 'id_no': '%s', 'kind': 'online', 'kind_other': '别的',"
	         " 'address': '某地', 'extras': ['a'], 'extra_b_note': 'x'}", an_id());
	json_t *f = check(v);
	assert_non_null(strstr(reason_for(f, "kind_other"), "不显示"));
	assert_non_null(strstr(reason_for(f, "address"), "不显示"));
	assert_non_null(strstr(reason_for(f, "extra_b_note"), "不显示"));   /* b is not checked */
	assert_int_equal(json_array_size(f), 3);
	/* a shown required field is required: kind other → kind_other and address */
	snprintf(v, sizeof v, "{'applicant_name': '张三', 'id_no': '%s', 'kind': 'other'}", an_id());
	f = check(v);
	assert_string_equal(reason_for(f, "kind_other"), "必填");
	assert_string_equal(reason_for(f, "address"), "必填");
	/* a chain: note_of_note shows only while extra_b_note shows and equals x; hiding the
	 * middle one hides the last one too */
	snprintf(v, sizeof v, "{'applicant_name': '张三', 'id_no': '%s', 'kind': 'online', 'extras': ['a'],"
	         " 'note_of_note': '好'}", an_id());
	f = check(v);
	assert_non_null(strstr(reason_for(f, "note_of_note"), "不显示"));
	snprintf(v, sizeof v, "{'applicant_name': '张三', 'id_no': '%s', 'kind': 'online', 'extras': ['b', 'a'],"
	         " 'extra_b_note': 'x', 'note_of_note': '好'}", an_id());
	assert_int_equal(json_array_size(check(v)), 0);
	/* not an object */
	json_t *fields = yw_arena_json(A, json_array());
	assert_int_equal(yw_cat_form_values_check(A, J(GOOD_FORM), J("[]"), fields), YW_E_BAD_PARAMETER);
}

/* ---- processes ----------------------------------------------------------------------------- */

/* The example of docs/catalog.md: accept, two review branches in parallel (5 days each), join
 * all, decide, end. */
static const char GOOD_PROCESS[] =
	"{'start': 's1', 'steps': ["
	" {'id': 's1', 'name': '受理', 'kind': 'task', 'stage': 'accept', 'role': 'window_clerk', 'limit_days': 1, 'next': ['p1']},"
	" {'id': 'p1', 'name': '并联审查', 'kind': 'split', 'next': ['b1', 'b2']},"
	" {'id': 'b1', 'name': '消防审查', 'kind': 'task', 'stage': 'review', 'role': 'approver', 'department_id': 'd_Xy-9_abc', 'limit_days': 5, 'next': ['j1']},"
	" {'id': 'b2', 'name': '环评审查', 'kind': 'task', 'stage': 'review', 'role': 'approver', 'department_id': null, 'limit_days': 5, 'next': ['j1']},"
	" {'id': 'j1', 'name': '汇总', 'kind': 'join', 'join': 'all', 'next': ['s3']},"
	" {'id': 's3', 'name': '决定', 'kind': 'task', 'stage': 'decide', 'role': 'approver', 'limit_days': 3, 'next': ['end']},"
	" {'id': 'end', 'name': '办结', 'kind': 'end', 'next': []}"
	"]}";

/* Check a process given as text: OK (and its days when days >= 0), or BAD_PROCESS with expect
 * in the reason. */
static void proc(const char *text, const char *expect, long long days)
{
	const char *why = NULL;
	long long d = -1;
	yw_err e = yw_cat_process_days(A, J(text), &d, &why);
	if (!expect) {
		if (e)
			fail_msg("refused: %s\n%s", why, text);
		if (days >= 0 && d != days)
			fail_msg("%lld days, expected %lld\n%s", d, days, text);
		assert_int_equal(yw_cat_process_check(A, J(text), &why), YW_E_OK);
		return;
	}
	if (e != YW_E_BAD_PROCESS)
		fail_msg("accepted, expected '%s'\n%s", expect, text);
	if (!why || !strstr(why, expect))
		fail_msg("reason '%s' lacks '%s'\n%s", why ? why : "(null)", expect, text);
	assert_int_equal(yw_cat_process_check(A, J(text), &why), YW_E_BAD_PROCESS);
}

/* GOOD_PROCESS with one replacement made, for the variants below. */
static const char *with(const char *from, const char *to)
{
	const char *at = strstr(GOOD_PROCESS, from);
	if (!at)
		fail_msg("'%s' is not in the good process", from);
	return yw_sprintf(A, "%.*s%s%s", (int)(at - GOOD_PROCESS), GOOD_PROCESS, to, at + strlen(from));
}

#define T(id, next) "{'id': '" id "', 'name': '步', 'kind': 'task', 'stage': 'review', 'role': 'approver', 'limit_days': 1, 'next': [" next "]}"
#define TD(id, days, next) "{'id': '" id "', 'name': '步', 'kind': 'task', 'stage': 'review', 'role': 'approver', 'limit_days': " #days ", 'next': [" next "]}"
#define END "{'id': 'end', 'name': '办结', 'kind': 'end'}"

static void process_valid(void **state)
{
	proc(GOOD_PROCESS, NULL, 9);            /* 1 + max(5, 5) + 3 */
	/* the smallest: one task and the end (next of the end may be left out) */
	proc("{'start': 'a', 'steps': [" T("a", "'end'") ", " END "]}", NULL, 1);
	/* any: the first branch to finish; at_least 2 of 3: the second */
	proc("{'start': 'p', 'steps': [{'id': 'p', 'name': '拆', 'kind': 'split', 'next': ['a', 'b']},"
	     TD("a", 5, "'j'") ", " TD("b", 2, "'j'") ", {'id': 'j', 'name': '合', 'kind': 'join', 'join': 'any', 'next': ['end']}, " END "]}",
	     NULL, 2);
	proc("{'start': 'p', 'steps': [{'id': 'p', 'name': '拆', 'kind': 'split', 'next': ['a', 'b', 'c']},"
	     TD("a", 1, "'j'") ", " TD("b", 6, "'j'") ", " TD("c", 4, "'j'") ","
	     "{'id': 'j', 'name': '合', 'kind': 'join', 'join': 'at_least', 'k': 2, 'limit_days': 1, 'next': ['end']}, " END "]}",
	     NULL, 5);                           /* the 2nd arrival at 4, the join's own day */
	/* nested: a branch that splits again, joined inside the branch */
	proc("{'start': 'p', 'steps': [{'id': 'p', 'name': '拆', 'kind': 'split', 'next': ['a', 'q']},"
	     TD("a", 2, "'j'") ", {'id': 'q', 'name': '再拆', 'kind': 'split', 'next': ['c', 'd']},"
	     TD("c", 3, "'jq'") ", " TD("d", 4, "'e'") ", " TD("e", 1, "'jq'") ","
	     "{'id': 'jq', 'name': '内合', 'kind': 'join', 'join': 'all', 'next': ['f']}, " TD("f", 1, "'j'") ","
	     "{'id': 'j', 'name': '合', 'kind': 'join', 'join': 'all', 'next': ['end']}, " END "]}",
	     NULL, 6);                           /* max(2, max(3, 4 + 1) + 1) */
	/* steps in any order; zero-day steps */
	proc("{'start': 'a', 'steps': [" END ", " TD("b", 0, "'end'") ", " TD("a", 0, "'b'") "]}", NULL, 0);
	/* every stage, by each role that can end it (R-CASE-012): 制证 by the window or the approver */
	const struct { const char *stage, *role; } can[] = {
		{ "pre_review", "window_clerk" }, { "accept", "window_clerk" }, { "review", "approver" },
		{ "decide", "approver" }, { "make_license", "approver" }, { "make_license", "window_clerk" },
		{ "deliver", "window_clerk" },
	};
	for (size_t i = 0; i < sizeof can / sizeof can[0]; i++)
		proc(yw_sprintf(A, "{'start': 'a', 'steps': [{'id': 'a', 'name': '步', 'kind': 'task', 'stage': '%s',"
		                   " 'role': '%s', 'limit_days': 1, 'next': ['end']}, " END "]}", can[i].stage,
		                can[i].role),
		     NULL, 1);
}

static void process_refusals(void **state)
{
	/* the document */
	proc("[]", "JSON 对象", -1);
	proc("{'start': 'a', 'steps': [" END "]}", "steps", -1);
	proc("{'start': 'a', 'steps': {}}", "steps", -1);
	proc("{'start': 'a', 'steps': [" T("a", "'end'") ", " END "], 'layout': {}}", "layout", -1);
	proc(with("'start': 's1'", "'start': 'zz'"), "起始环节", -1);
	proc(with("'start': 's1'", "'begin': 's1'"), "begin", -1);
	proc("{'start': 'end', 'steps': [" T("a", "'end'") ", " END "]}", "起始环节 end", -1);
	/* ids and members */
	proc(with("'id': 'b2'", "'id': 'b1'"), "id b1 重复", -1);
	proc(with("'id': 's1'", "'id': 'S1'"), "id", -1);
	proc(with("'id': 's1'", "'id': 'a23456789012345678901'"), "id", -1);
	proc(with("'name': '受理', ", ""), "环节 s1 的名称", -1);
	proc(with("'kind': 'end'", "'kind': 'finish'"), "kind", -1);
	proc(with("'limit_days': 1, 'next': ['p1']", "'limit_days': 1, 'owner': 'x', 'next': ['p1']"), "owner", -1);
	/* tasks */
	proc(with("'stage': 'accept', ", ""), "stage", -1);
	proc(with("'stage': 'accept'", "'stage': 'approve'"), "stage", -1);
	proc(with("'role': 'window_clerk'", "'role': 'janitor'"), "role", -1);
	proc(with("'role': 'window_clerk'", "'role': 'applicant'"), "工作人员", -1);
	/* a staff role that cannot end the step's stage: it would wait in an inbox for ever */
	proc(with("'stage': 'decide', 'role': 'approver'", "'stage': 'decide', 'role': 'dept_admin'"),
	     "环节 s3 的阶段 decide 须由有“case.review”权限的角色办理（approver），dept_admin 没有该权限", -1);
	proc(with("'role': 'window_clerk'", "'role': 'approver'"), "case.accept", -1);
	proc(with("'stage': 'review', 'role': 'approver', 'department_id'",
	          "'stage': 'review', 'role': 'window_clerk', 'department_id'"), "approver", -1);
	proc(with("'stage': 'decide', 'role': 'approver'", "'stage': 'decide', 'role': 'supervisor'"), "supervisor", -1);
	proc(with("'department_id': 'd_Xy-9_abc'", "'department_id': '消防'"), "department_id", -1);
	proc(with("'department_id': 'd_Xy-9_abc'", "'department_id': 'd_'"), "department_id", -1);
	proc(with("'limit_days': 1, ", ""), "limit_days", -1);
	proc(with("'limit_days': 1", "'limit_days': -1"), "limit_days", -1);
	proc(with("'limit_days': 1", "'limit_days': 366"), "limit_days", -1);
	proc(with("'limit_days': 1", "'limit_days': 1.5"), "limit_days", -1);
	/* what other kinds may not have */
	proc(with("'kind': 'split',", "'kind': 'split', 'role': 'approver',"), "split 类型的环节 p1 不应有 role", -1);
	proc(with("'join': 'all'", "'join': 'all', 'stage': 'review'"), "stage", -1);
	proc(with("'kind': 'end'", "'kind': 'end', 'limit_days': 1"), "limit_days", -1);
	/* next */
	proc(with("'next': ['p1']", "'next': ['p1', 's3']"), "恰有一个下一环节", -1);
	proc(with("'next': ['p1']", "'next': []"), "恰有一个下一环节", -1);
	proc(with("'next': ['b1', 'b2']", "'next': ['b1']"), "2 到 20 个分支", -1);
	proc(with("'next': ['b1', 'b2']", "'next': ['b1', 'b1']"), "重复", -1);
	proc(with("'next': ['s3']", "'next': ['s4']"), "下一环节 s4 不存在", -1);
	proc(with("'kind': 'end', 'next': []", "'kind': 'end', 'next': ['s1']"), "办结环节 end 不应有下一环节", -1);
	proc(with("'next': ['p1']", "'next': 'p1'"), "next", -1);
	/* joins */
	proc(with("'join': 'all'", "'join': 'most'"), "join", -1);
	proc(with("'join': 'all'", "'join': 'all', 'k': 1"), "不应有 k", -1);
	proc(with("'join': 'all'", "'join': 'at_least'"), "整数 k", -1);
	proc(with("'join': 'all'", "'join': 'at_least', 'k': 3"), "k 应在 1 到 2", -1);
	proc(with("'join': 'all'", "'join': 'at_least', 'k': 0"), "k 应在 1 到 2", -1);
	proc(with("'join': 'all'", "'join': 'at_least', 'k': 2"), NULL, 9);
	/* ends */
	proc("{'start': 'a', 'steps': [" T("a", "'b'") ", " T("b", "'a'") "]}", "办结环节", -1);
	proc(with("{'id': 'end'", "{'id': 'end2', 'name': '另一办结', 'kind': 'end'}, {'id': 'end'"), "恰有一个办结环节", -1);
	/* reachability and cycles */
	proc(with("{'id': 'end'", T("lost", "'end'") ", {'id': 'end'"), "环节 lost 从起始环节无法到达", -1);
	proc(with("'next': ['end']", "'next': ['s1']"), "循环", -1);
	proc("{'start': 'a', 'steps': [" T("a", "'b'") ", " T("b", "'c'") ", " T("c", "'b'") ", " END "]}", "循环", -1);
}

static void process_branches(void **state)
{
	/* a branch that never joins: it runs into the end */
	proc(with("'next': ['j1']}, {'id': 'b2'", "'next': ['end']}, {'id': 'b2'"), "没有汇合", -1);
	/* the branches meet at two different joins */
	proc("{'start': 'p', 'steps': [{'id': 'p', 'name': '拆', 'kind': 'split', 'next': ['a', 'b', 'c']},"
	     T("a", "'j1'") ", " T("b", "'j1'") ", " T("c", "'j2'") ","
	     "{'id': 'j1', 'name': '合一', 'kind': 'join', 'join': 'all', 'next': ['j2']},"
	     "{'id': 'j2', 'name': '合二', 'kind': 'join', 'join': 'all', 'next': ['end']}, " END "]}",
	     "应汇入同一个汇合环节", -1);
	/* a join receiving more than its split's branches */
	proc("{'start': 's', 'steps': [{'id': 's', 'name': '拆前', 'kind': 'split', 'next': ['p', 'x']},"
	     "{'id': 'p', 'name': '拆', 'kind': 'split', 'next': ['a', 'b']}, " T("a", "'j'") ", " T("b", "'j'") ", " T("x", "'j'") ","
	     "{'id': 'j', 'name': '合', 'kind': 'join', 'join': 'all', 'next': ['end']}, " END "]}",
	     "应恰好汇合并联环节 p 的 2 个分支", -1);
	/* branches that merge at a task instead of a join */
	proc("{'start': 'p', 'steps': [{'id': 'p', 'name': '拆', 'kind': 'split', 'next': ['a', 'b']},"
	     T("a", "'m'") ", " T("b", "'m'") ", " T("m", "'end'") ", " END "]}",
	     "环节 m 有多个上一环节", -1);
	/* a join with one incoming path */
	proc("{'start': 'a', 'steps': [" T("a", "'j'") ", {'id': 'j', 'name': '合', 'kind': 'join', 'join': 'all', 'next': ['end']}, " END "]}",
	     "至少两个分支", -1);
	/* a branch straight to the join */
	proc(with("'next': ['b1', 'b2']", "'next': ['b1', 'b2', 'j1']"), "不能直接指向汇合环节 j1", -1);
	proc(with("'next': ['b1', 'b2']", "'next': ['b1', 'b2', 'end']"), "没有汇合", -1);
}

static void process_nested_escape(void **state)
{
	/* c → jq, d → j (the outer join): the inner split's branches meet at two joins */
	proc("{'start': 'p', 'steps': [{'id': 'p', 'name': '拆', 'kind': 'split', 'next': ['a', 'q']},"
	     T("a", "'j'") ", {'id': 'q', 'name': '再拆', 'kind': 'split', 'next': ['c', 'd']},"
	     T("c", "'jq'") ", " T("d", "'j'") ", " T("f", "'jq'") ", " T("g", "'f'") ","
	     "{'id': 'jq', 'name': '内合', 'kind': 'join', 'join': 'all', 'next': ['j']},"
	     "{'id': 'j', 'name': '合', 'kind': 'join', 'join': 'all', 'next': ['end']}, " END "]}",
	     "无法到达", -1);
	proc("{'start': 'p', 'steps': [{'id': 'p', 'name': '拆', 'kind': 'split', 'next': ['a', 'q']},"
	     T("a", "'j'") ", {'id': 'q', 'name': '再拆', 'kind': 'split', 'next': ['c', 'd']},"
	     T("c", "'jq'") ", " T("d", "'j'") ","
	     "{'id': 'jq', 'name': '内合', 'kind': 'join', 'join': 'all', 'next': ['j']},"
	     "{'id': 'j', 'name': '合', 'kind': 'join', 'join': 'all', 'next': ['end']}, " END "]}",
	     "汇合至少两个分支", -1);             /* jq gets only c */
	/* a join at the top with no split: two tasks merge into it from a split's branch and
	 * the split's join is elsewhere */
	proc("{'start': 'p', 'steps': [{'id': 'p', 'name': '拆', 'kind': 'split', 'next': ['a', 'b']},"
	     T("a", "'j'") ", " T("b", "'j'") ","
	     "{'id': 'j', 'name': '合', 'kind': 'join', 'join': 'all', 'next': ['x']}, " T("x", "'j2'") ","
	     "{'id': 'j2', 'name': '孤合', 'kind': 'join', 'join': 'any', 'next': ['end']}, " END "]}",
	     "至少两个分支", -1);
}

static void process_fits_statute(void **state)
{
	const char *why = NULL;
	json_t *p = J(GOOD_PROCESS);
	assert_int_equal(yw_cat_process_fits(A, p, 9, &why), YW_E_OK);
	assert_int_equal(yw_cat_process_fits(A, p, 20, &why), YW_E_OK);
	assert_int_equal(yw_cat_process_fits(A, p, YW_CAT_NONE, &why), YW_E_OK);
	assert_int_equal(yw_cat_process_fits(A, p, 8, &why), YW_E_BAD_PROCESS);
	assert_non_null(strstr(why, "9 个工作日"));
	assert_non_null(strstr(why, "法定办结时限 8"));
	/* an invalid process is refused for what is wrong with it, whatever the limit */
	assert_int_equal(yw_cat_process_fits(A, J("{}"), YW_CAT_NONE, &why), YW_E_BAD_PROCESS);
}

/* ---- topics ------------------------------------------------------------------------------- */

static void topic_names(void **state)
{
	assert_string_equal(yw_cat_topic_name("birth"), "出生");
	assert_string_equal(yw_cat_topic_name("social_security"), "社保");
	assert_string_equal(yw_cat_topic_name("startup"), "开办");
	assert_string_equal(yw_cat_topic_name("construction"), "投资建设");
	assert_string_equal(yw_cat_topic_name("closing"), "注销");
	assert_null(yw_cat_topic_name("Birth"));
	assert_null(yw_cat_topic_name(""));
	assert_null(yw_cat_topic_name(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(form_valid),          cmocka_unit_test(form_refusals),
		cmocka_unit_test(values_good),         cmocka_unit_test(values_bad),
		cmocka_unit_test(values_visibility),   cmocka_unit_test(process_valid),
		cmocka_unit_test(process_refusals),    cmocka_unit_test(process_branches),
		cmocka_unit_test(process_nested_escape), cmocka_unit_test(process_fits_statute),
		cmocka_unit_test(topic_names),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
