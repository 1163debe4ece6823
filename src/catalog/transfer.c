/*
 * Import and export of items (JSON and xlsx in the national sync layout). (Being written:
 * issue 5, second step.)
 */
#include "catalog/internal.h"

void yw_cat_transfer_routes(yw_router *rt)
{
}
