/* The error table, expanded three ways from errors.def so that code, status and title can never
 * drift apart. */
#include "base.h"

static const struct {
	const char *code;
	int status;
	const char *title;
} errors[] = {
#define YW_ERROR(code, status, title) { #code, status, title },
#include "errors.def"
#undef YW_ERROR
};

static unsigned index_of(yw_err e)
{
	return (unsigned)e < YW_E__COUNT ? (unsigned)e : YW_E_INTERNAL;
}

const char *yw_err_code(yw_err e) { return errors[index_of(e)].code; }
int yw_err_status(yw_err e) { return errors[index_of(e)].status; }
const char *yw_err_title(yw_err e) { return errors[index_of(e)].title; }
