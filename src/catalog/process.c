/*
 * Process definitions (catalog.h): steps, parallel branches and their joins, and the checks that
 * every step is reachable and every branch joins. (Being written: issue 5, second step.)
 */
#include "catalog/internal.h"

yw_err yw_cat_process_check(yw_arena *a, json_t *process, const char **why)
{
	if (!json_is_object(process)) {
		*why = "办理流程应为 JSON 对象";
		return YW_E_BAD_PROCESS;
	}
	return YW_E_OK;
}
