/*
 * Topics (life events and enterprise stages) and themes (一件事). (Being written: issue 5,
 * second step.)
 */
#include <string.h>

#include "catalog/internal.h"

const char *yw_cat_topic_name(const char *key)
{
	return NULL;
}

void yw_cat_theme_routes(yw_router *rt)
{
}
