/* Not yet built. */
#include "identity/internal.h"

void yw_idn_admin_routes(yw_router *rt)
{
	(void)rt;
}
