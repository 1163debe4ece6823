/* Not yet built. */
#include "identity/internal.h"

void yw_idn_org_routes(yw_router *rt)
{
	(void)rt;
}
