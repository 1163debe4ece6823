/* JSON helpers over jansson. Every parsed document is owned by the request's arena. */
#include "base.h"

#include <string.h>

yw_err yw_json_parse_object(yw_arena *a, const char *body, size_t len, json_t **out,
                            const char **why)
{
	json_error_t jerr;
	*out = NULL;
	if (!body || len == 0) {
		*why = "请求体为空";
		return YW_E_BAD_JSON;
	}
	/* JSON_REJECT_DUPLICATES: two values for one key is ambiguous, and the two backends of a
	 * department system might pick different ones. Without JSON_ALLOW_NUL a \u0000 is refused,
	 * which keeps every string safe to hand to C and SQL as a C string. */
	json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!j) {
		*why = yw_sprintf(a, "第 %d 行第 %d 列：%s", jerr.line, jerr.column, jerr.text);
		if (!*why)
			*why = "JSON 语法错误";
		return YW_E_BAD_JSON;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		*why = "请求体应为 JSON 对象";
		return YW_E_BAD_JSON;
	}
	if (!yw_arena_json(a, j))
		return YW_E_NO_MEMORY;
	*out = j;
	return YW_E_OK;
}

bool yw_json_str(const json_t *obj, const char *key, const char **out)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_string(v))
		return false;
	*out = json_string_value(v);
	return true;
}

bool yw_json_int(const json_t *obj, const char *key, long long *out)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_integer(v))
		return false;
	*out = json_integer_value(v);
	return true;
}

bool yw_json_bool(const json_t *obj, const char *key, bool *out)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_boolean(v))
		return false;
	*out = json_is_true(v);
	return true;
}

char *yw_json_dump(yw_arena *a, const json_t *j, size_t *len)
{
	size_t n = json_dumpb(j, NULL, 0, JSON_COMPACT);
	if (n == 0)
		return NULL;
	char *p = yw_alloc(a, n + 1);
	if (!p)
		return NULL;
	json_dumpb(j, p, n, JSON_COMPACT);
	p[n] = '\0';
	if (len)
		*len = n;
	return p;
}
