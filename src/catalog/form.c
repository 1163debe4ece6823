/*
 * Form definitions (catalog.h): the checks of a definition and of the values filled into it.
 * (Being written: issue 5, second step.)
 */
#include "catalog/internal.h"

yw_err yw_cat_form_check(yw_arena *a, json_t *form, const char **why)
{
	if (!json_is_object(form)) {
		*why = "表单定义应为 JSON 对象";
		return YW_E_BAD_FORM;
	}
	return YW_E_OK;
}

yw_err yw_cat_form_values_check(yw_arena *a, json_t *form, json_t *values, json_t *fields)
{
	return json_is_object(values) ? YW_E_OK : YW_E_BAD_PARAMETER;
}
