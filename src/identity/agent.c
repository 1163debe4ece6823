/*
 * Agents (代办/委托) and organisation handlers (经办人): who may act for whom.
 * Not yet built: nobody acts for anybody else.
 */
#include "identity/internal.h"

yw_err yw_idn_acts_for(yw_db *db, yw_arena *a, const char *person, const char *owner_kind,
                       const char *owner_id, const char *item_code, yw_ms now, bool *yes)
{
	(void)db, (void)a, (void)person, (void)owner_kind, (void)owner_id, (void)item_code, (void)now;
	*yes = false;
	return YW_E_OK;
}
