/*
 * Items and themes in bulk, for loaders (catalog.h "loaders"; `yiwang demo`). The same checks and
 * writes as the API — yw_cat_new_prepare, yw_cat_new_write, yw_cat_theme_put — without a request:
 * every body is checked before the write, codes that exist already are left alone (so a loader
 * run twice writes nothing the second time), and a whole batch is one write: one commit for a
 * few hundred items rather than one each, which is what `demo --scale` needs.
 */
#include <string.h>

#include "catalog/internal.h"

typedef struct {
	yw_arena *a;
	yw_cat_new *news;
	yw_cat_load_item *items;
	int n;
	const char *actor;
	yw_ms now;
	bool publish;
	/* results */
	int bad;
	const char *why;
} load_arg;

static yw_err load_write(yw_db *tx, void *arg)
{
	load_arg *w = arg;
	w->bad = -1;
	w->why = NULL;
	for (int i = 0; i < w->n; i++) {
		if (!w->items[i].created)
			continue;
		yw_err e = yw_cat_new_write(tx, w->a, &w->news[i], w->actor, w->now, w->publish, &w->why);
		if (e) {
			w->bad = i;
			return e;
		}
	}
	return YW_E_OK;
}

/* Topic keys the catalog knows, in a copy of the body when some are not. */
static json_t *known_topics(yw_arena *a, json_t *body, int *dropped)
{
	json_t *topics = json_object_get(body, "topics");
	if (!json_is_array(topics))
		return body;
	json_t *keep = json_array();
	size_t i;
	json_t *k;
	json_array_foreach(topics, i, k) {
		if (json_is_string(k) && yw_cat_topic_name(json_string_value(k)))
			json_array_append(keep, k);
		else
			(*dropped)++;
	}
	if (json_array_size(keep) == json_array_size(topics)) {
		json_decref(keep);
		return body;
	}
	json_t *copy = yw_arena_json(a, json_copy(body));
	if (copy)
		json_object_set_new(copy, "topics", keep);
	else
		json_decref(keep);
	return copy;
}

yw_err yw_catalog_load_items(yw_store *st, yw_arena *a, yw_cat_load_item *items, int n,
                             const char *actor, bool publish, int *bad, int *dropped_topics,
                             const char **why)
{
	int dropped = 0;
	*bad = -1;
	*why = NULL;
	yw_cat_new *news = yw_zalloc(a, sizeof *news * (size_t)(n ? n : 1));
	if (!news)
		return YW_E_NO_MEMORY;
	int fresh = 0;
	for (int i = 0; i < n; i++) {
		yw_cat_load_item *li = &items[i];
		li->code = NULL;
		li->created = false;
		json_t *fields = yw_arena_json(a, json_array()),
		       *body = known_topics(a, li->body, &dropped);
		if (!fields || !body)
			return YW_E_NO_MEMORY;
		yw_err e = yw_cat_new_prepare(st, a, body, &news[i], fields, why);
		if (e == YW_E_BAD_PARAMETER && json_array_size(fields)) {
			json_t *fe = json_array_get(fields, 0);
			*why = yw_sprintf(a, "%s：%s", json_string_value(json_object_get(fe, "field")),
			                  json_string_value(json_object_get(fe, "reason")));
		}
		if (e) {
			*bad = i;
			return e;
		}
		li->code = news[i].it.code;
		/* Written with the item, so that the publish indexes it with its rank. */
		news[i].it.popularity = li->popularity;
		yw_cat_item have;
		e = yw_cat_item_load(yw_store_reader(st), a, li->code, &have);
		if (e && e != YW_E_NOT_FOUND)
			return e;
		li->created = e == YW_E_NOT_FOUND;
		/* Two bodies of one batch naming one code: the second is the same item, left alone. */
		for (int k = 0; li->created && k < i; k++)
			if (items[k].created && !strcmp(items[k].code, li->code))
				li->created = false;
		fresh += li->created;
	}
	if (dropped_topics)
		*dropped_topics = dropped;
	if (!fresh)
		return YW_E_OK;
	load_arg w = { .a = a, .news = news, .items = items, .n = n, .actor = actor,
	               .now = yw_now_ms(), .publish = publish };
	yw_err e = yw_store_write(st, load_write, &w);
	if (e) {
		*bad = w.bad;
		*why = w.why;
		for (int i = 0; i < n; i++)
			items[i].created = false;
	}
	return e;
}

/* ---- themes ------------------------------------------------------------------------------ */

typedef struct {
	yw_arena *a;
	json_t *body, *fields;
	const char *actor, *why, *id;
	yw_ms now;
	bool created;
} theme_arg;

/* Inside the write, so that the look and the put see the same rows. */
static yw_err theme_write(yw_db *tx, void *arg)
{
	theme_arg *w = arg;
	w->why = NULL;
	w->created = false;
	json_array_clear(w->fields);
	yw_rows *rows;
	const char *name = json_string_value(json_object_get(w->body, "name")),
		   *div = json_string_value(json_object_get(w->body, "division_code"));
	/* The themes' table belongs to themes.c; this one look at it keeps a second run a no-op
	 * where yw_cat_theme_put would rewrite the theme. */
	yw_err e = yw_db_query(tx, w->a, &rows,
	                       "SELECT id FROM catalog_themes WHERE name = $1 AND division_code = $2",
	                       YW_PARAMS(YW_VTEXT(name), YW_VTEXT(div)));
	if (e || yw_rows_count(rows))
		return e;
	if ((e = yw_cat_theme_put(tx, w->a, w->body, w->actor, w->now, &w->id, w->fields, &w->why)))
		return e;
	w->created = true;
	return YW_E_OK;
}

yw_err yw_catalog_load_theme(yw_store *st, yw_arena *a, json_t *body, const char *actor,
                             bool *created, const char **why)
{
	int dropped = 0;
	theme_arg w = { .a = a, .body = known_topics(a, body, &dropped),
	                .fields = yw_arena_json(a, json_array()), .actor = actor, .now = yw_now_ms() };
	*created = false;
	*why = NULL;
	if (!w.fields || !w.body)
		return YW_E_NO_MEMORY;
	yw_err e = yw_store_write(st, theme_write, &w);
	if (e == YW_E_BAD_PARAMETER && json_array_size(w.fields)) {
		json_t *fe = json_array_get(w.fields, 0);
		w.why = yw_sprintf(a, "%s：%s", json_string_value(json_object_get(fe, "field")),
		                   json_string_value(json_object_get(fe, "reason")));
	}
	*created = !e && w.created;
	*why = w.why;
	return e;
}
