/*
 * The catalog's SQL (catalog.h): the only place that touches its tables. The statements run
 * on SQLite and PostgreSQL alike; the write functions of api.c call the writes below inside
 * their yw_store_write, next to the audit entry.
 */
#include <string.h>

#include "catalog/internal.h"

#define ITEM_COLS "i.code, i.basic_code, i.department_id, i.division_code, i.level, " \
	"i.current_version, i.draft_version, i.latest_version, i.created_at, i.updated_at, " \
	"i.popularity"
#define VERSION_COLS "v.version, v.name, v.item_type, v.service_objects, v.statutory_limit, " \
	"v.promised_limit, v.online_depth, v.visits, v.visits_reason, v.project_type, " \
	"v.handling_forms, v.charged, v.in_hall, v.guide, v.created_at, v.created_by, v.updated_at, " \
	"v.published_at, v.published_by, v.aliases, v.topics, v.form, v.process, v.business_items"

const char YW_CAT_ITEM_COLS[] = ITEM_COLS, YW_CAT_VERSION_COLS[] = VERSION_COLS;

static long long opt_int(const yw_rows *rows, int i, int col, long long none)
{
	return yw_rows_is_null(rows, i, col) ? none : yw_rows_int(rows, i, col);
}

void yw_cat_item_row(const yw_rows *rows, int i, yw_cat_item *it)
{
	*it = (yw_cat_item){ .code = yw_rows_text(rows, i, 0), .basic_code = yw_rows_text(rows, i, 1),
	              .department_id = yw_rows_text(rows, i, 2),
	              .division_code = yw_rows_text(rows, i, 3), .level = yw_rows_int(rows, i, 4),
	              .current = opt_int(rows, i, 5, 0), .draft = opt_int(rows, i, 6, 0),
	              .latest = yw_rows_int(rows, i, 7), .created_at = yw_rows_int(rows, i, 8),
	              .updated_at = yw_rows_int(rows, i, 9), .popularity = yw_rows_int(rows, i, 10) };
}

/* A JSON column, owned by the arena: what it holds when that is of the wanted kind; else an
 * empty array for an array column, NULL for an object (an absent form or process). */
static json_t *json_col(yw_arena *a, const yw_rows *rows, int i, int col, json_type kind)
{
	const char *text = yw_rows_text(rows, i, col);
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;
	if (j && json_typeof(j) != kind) {
		json_decref(j);
		j = NULL;
	}
	if (!j && kind == JSON_ARRAY)
		j = json_array();
	return j ? yw_arena_json(a, j) : NULL;
}

void yw_cat_version_row(yw_arena *a, const yw_rows *rows, int i, int c, yw_cat_version *v)
{
	json_t *gj = json_col(a, rows, i, c + 13, JSON_OBJECT);
	if (!gj)
		gj = yw_arena_json(a, json_object());
	*v = (yw_cat_version){ .version = yw_rows_int(rows, i, c), .created_at = yw_rows_int(rows, i, c + 14),
	                .created_by = yw_rows_text(rows, i, c + 15),
	                .updated_at = yw_rows_int(rows, i, c + 16),
	                .published_at = opt_int(rows, i, c + 17, 0),
	                .published_by = yw_rows_text(rows, i, c + 18) };
	v->g = (yw_cat_guide){ .name = yw_rows_text(rows, i, c + 1), .item_type = yw_rows_text(rows, i, c + 2),
	                .service_objects = yw_rows_text(rows, i, c + 3),
	                .statutory = opt_int(rows, i, c + 4, YW_CAT_NONE), .promised = opt_int(rows, i, c + 5, YW_CAT_NONE),
	                .online_depth = yw_rows_int(rows, i, c + 6), .visits = yw_rows_int(rows, i, c + 7),
	                .visits_reason = yw_rows_text(rows, i, c + 8),
	                .project_type = yw_rows_int(rows, i, c + 9),
	                .handling_forms = yw_rows_text(rows, i, c + 10),
	                .charged = yw_rows_int(rows, i, c + 11) != 0,
	                .in_hall = yw_rows_int(rows, i, c + 12) != 0, .guide = gj,
	                .aliases = json_col(a, rows, i, c + 19, JSON_ARRAY),
	                .topics = json_col(a, rows, i, c + 20, JSON_ARRAY),
	                .form = json_col(a, rows, i, c + 21, JSON_OBJECT),
	                .process = json_col(a, rows, i, c + 22, JSON_OBJECT),
	                .business_items = json_col(a, rows, i, c + 23, JSON_ARRAY) };
}

yw_err yw_cat_item_load(yw_db *db, yw_arena *a, const char *code, yw_cat_item *out)
{
	yw_rows *rows;
	yw_err e = yw_db_query(db, a, &rows, "SELECT " ITEM_COLS " FROM catalog_items i WHERE i.code = $1",
	                       YW_PARAMS(YW_VTEXT(code)));
	if (e)
		return e;
	if (!yw_rows_count(rows))
		return YW_E_NOT_FOUND;
	yw_cat_item_row(rows, 0, out);
	return YW_E_OK;
}

static yw_err materials_load(yw_db *db, yw_arena *a, const char *code, long long ver, yw_cat_guide *g)
{
	yw_rows *rows;
	yw_err e = yw_db_query(db, a, &rows,
	                       "SELECT name, source, issuer, originals, copies, required, required_when, "
	                       "reuse FROM catalog_materials WHERE item_code = $1 AND version = $2 "
	                       "ORDER BY seq",
	                       YW_PARAMS(YW_VTEXT(code), YW_VINT(ver)));
	if (e)
		return e;
	g->nmats = yw_rows_count(rows);
	g->mats = yw_zalloc(a, sizeof *g->mats * (size_t)(g->nmats + 1));
	if (!g->mats)
		return YW_E_NO_MEMORY;
	for (int i = 0; i < g->nmats; i++)
		g->mats[i] = (yw_cat_material){ .name = yw_rows_text(rows, i, 0), .source = yw_rows_text(rows, i, 1),
		                         .issuer = yw_rows_text(rows, i, 2),
		                         .originals = yw_rows_int(rows, i, 3),
		                         .copies = yw_rows_int(rows, i, 4),
		                         .required = yw_rows_int(rows, i, 5) != 0,
		                         .required_when = yw_rows_text(rows, i, 6),
		                         .reuse = yw_rows_text(rows, i, 7) };
	return YW_E_OK;
}

yw_err yw_cat_version_load(yw_db *db, yw_arena *a, const char *code, long long ver, yw_cat_version *out)
{
	yw_rows *rows;
	yw_err e = yw_db_query(db, a, &rows,
	                       "SELECT " VERSION_COLS " FROM catalog_item_versions v "
	                       "WHERE v.item_code = $1 AND v.version = $2",
	                       YW_PARAMS(YW_VTEXT(code), YW_VINT(ver)));
	if (e)
		return e;
	if (!yw_rows_count(rows))
		return YW_E_NOT_FOUND;
	yw_cat_version_row(a, rows, 0, 0, out);
	return materials_load(db, a, code, ver, &out->g);
}

yw_err yw_cat_version_insert(yw_db *tx, yw_arena *a, const char *code, long long ver,
                             const yw_cat_guide *g, const char *actor, yw_ms now)
{
	const char *gtext = yw_json_dump(a, g->guide, NULL),
		   *aliases = g->aliases ? yw_json_dump(a, g->aliases, NULL) : "[]",
		   *topics = g->topics ? yw_json_dump(a, g->topics, NULL) : "[]",
		   *form = g->form ? yw_json_dump(a, g->form, NULL) : NULL,
		   *process = g->process ? yw_json_dump(a, g->process, NULL) : NULL,
		   *business = g->business_items ? yw_json_dump(a, g->business_items, NULL) : "[]";
	if (!gtext || !aliases || !topics || (g->form && !form) || (g->process && !process) || !business)
		return YW_E_NO_MEMORY;
	yw_err e = yw_db_exec(
		tx,
		"INSERT INTO catalog_item_versions (item_code, version, name, item_type, service_objects, "
		"statutory_limit, statutory_unit, promised_limit, promised_unit, online_depth, visits, "
		"visits_reason, at_most_once, project_type, handling_forms, charged, in_hall, guide, "
		"created_at, created_by, updated_at, aliases, topics, form, process, business_items) "
		"VALUES ($1, $2, $3, $4, $5, $6, 1, $7, 1, $8, $9, $10, "
		"$11, $12, $13, $14, $15, $16, $17, $18, $17, $19, $20, $21, $22, $23)",
		YW_PARAMS(YW_VTEXT(code), YW_VINT(ver), YW_VTEXT(g->name), YW_VTEXT(g->item_type),
		          YW_VTEXT(g->service_objects), g->statutory == YW_CAT_NONE ? YW_VNULL
		                                                       : YW_VINT(g->statutory),
		          g->promised == YW_CAT_NONE ? YW_VNULL : YW_VINT(g->promised), YW_VINT(g->online_depth),
		          YW_VINT(g->visits), YW_VTEXT(g->visits_reason), YW_VINT(g->visits <= 1),
		          YW_VINT(g->project_type), YW_VTEXT(g->handling_forms), YW_VINT(g->charged),
		          YW_VINT(g->in_hall), YW_VTEXT(gtext), YW_VINT(now), YW_VTEXT(actor),
		          YW_VTEXT(aliases), YW_VTEXT(topics), YW_VTEXT(form), YW_VTEXT(process),
		          YW_VTEXT(business)),
		NULL);
	for (int i = 0; !e && i < g->nmats; i++) {
		const yw_cat_material *m = &g->mats[i];
		e = yw_db_exec(tx,
		               "INSERT INTO catalog_materials (item_code, version, seq, name, source, issuer, "
		               "originals, copies, required, required_when, reuse) "
		               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
		               YW_PARAMS(YW_VTEXT(code), YW_VINT(ver), YW_VINT(i + 1), YW_VTEXT(m->name),
		                         YW_VTEXT(m->source), YW_VTEXT(m->issuer), YW_VINT(m->originals),
		                         YW_VINT(m->copies), YW_VINT(m->required), YW_VTEXT(m->required_when),
		                         YW_VTEXT(m->reuse)),
		               NULL);
	}
	return e;
}

yw_err yw_cat_version_replace(yw_db *tx, yw_arena *a, const char *code, long long ver,
                              const yw_cat_guide *g, yw_ms now, yw_ms created_at,
                              const char *created_by)
{
	yw_err e = yw_db_exec(tx, "DELETE FROM catalog_materials WHERE item_code = $1 AND version = $2",
	                      YW_PARAMS(YW_VTEXT(code), YW_VINT(ver)), NULL);
	if (!e)
		e = yw_db_exec(tx, "DELETE FROM catalog_item_versions WHERE item_code = $1 AND version = $2",
		               YW_PARAMS(YW_VTEXT(code), YW_VINT(ver)), NULL);
	if (!e)
		e = yw_cat_version_insert(tx, a, code, ver, g, created_by, created_at);
	if (!e)
		e = yw_db_exec(tx, "UPDATE catalog_item_versions SET updated_at = $3 WHERE item_code = $1 "
		                   "AND version = $2",
		               YW_PARAMS(YW_VTEXT(code), YW_VINT(ver), YW_VINT(now)), NULL);
	return e;
}

const char *yw_cat_like_pattern(yw_arena *a, const char *q)
{
	char *esc = yw_alloc(a, 2 * strlen(q) + 3), *o = esc;
	if (!esc)
		return NULL;
	*o++ = '%';
	for (const char *p = q; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			*o++ = '\\';
		*o++ = *p;
	}
	*o++ = '%';
	*o = '\0';
	return esc;
}

yw_err yw_cat_managed_query(yw_db *db, yw_arena *a, const char *cursor, const char *dept,
                            const char *like, const char *status, long long limit, yw_rows **rows)
{
	return yw_db_query(db, a, rows,
	                   "SELECT " ITEM_COLS ", " VERSION_COLS " FROM catalog_items i "
	                   "JOIN catalog_item_versions v ON v.item_code = i.code "
	                   "AND v.version = COALESCE(i.draft_version, i.current_version) "
	                   "WHERE i.code > $1 AND ($2 = '' OR i.department_id = $2) "
	                   "AND ($3 = '' OR v.name LIKE $3 ESCAPE '\\') "
	                   "AND ($4 = 'all' OR ($4 = 'draft' AND i.draft_version IS NOT NULL) "
	                   "OR ($4 = 'published' AND i.current_version IS NOT NULL)) "
	                   "ORDER BY i.code LIMIT $5",
	                   YW_PARAMS(YW_VTEXT(cursor), YW_VTEXT(dept), YW_VTEXT(like), YW_VTEXT(status),
	                             YW_VINT(limit)));
}

yw_err yw_cat_versions_query(yw_db *db, yw_arena *a, const char *code, yw_rows **rows)
{
	return yw_db_query(db, a, rows,
	                   "SELECT " VERSION_COLS " FROM catalog_item_versions v WHERE v.item_code = $1 "
	                   "ORDER BY v.version DESC",
	                   YW_PARAMS(YW_VTEXT(code)));
}

yw_err yw_cat_item_insert(yw_db *tx, yw_arena *a, const yw_cat_item *it, const char *basic_name,
                          const yw_cat_guide *g, const char *actor, yw_ms now, bool *taken)
{
	*taken = false;
	yw_err e = yw_db_exec(tx,
	                      "INSERT INTO catalog_basic_items (code, name, item_type, created_at) "
	                      "VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING",
	                      YW_PARAMS(YW_VTEXT(it->basic_code), YW_VTEXT(basic_name),
	                                YW_VTEXT(g->item_type), YW_VINT(now)),
	                      NULL);
	long long changed = 0;
	if (!e)
		e = yw_db_exec(tx,
		               "INSERT INTO catalog_items (code, basic_code, department_id, division_code, "
		               "level, current_version, draft_version, latest_version, created_at, "
		               "updated_at, popularity) VALUES ($1, $2, $3, $4, $5, NULL, 1, 1, $6, $6, $7) "
		               "ON CONFLICT (code) DO NOTHING",
		               YW_PARAMS(YW_VTEXT(it->code), YW_VTEXT(it->basic_code),
		                         YW_VTEXT(it->department_id), YW_VTEXT(it->division_code),
		                         YW_VINT(it->level), YW_VINT(now), YW_VINT(it->popularity)),
		               &changed);
	if (e)
		return e;
	if (!changed) {
		*taken = true;
		return YW_E_OK;
	}
	return yw_cat_version_insert(tx, a, it->code, 1, g, actor, now);
}

yw_err yw_cat_item_lock(yw_db *tx, const char *code, yw_ms now)
{
	return yw_db_exec(tx, "UPDATE catalog_items SET updated_at = $2 WHERE code = $1",
	                  YW_PARAMS(YW_VTEXT(code), YW_VINT(now)), NULL);
}

yw_err yw_cat_draft_open(yw_db *tx, const char *code, long long ver, long long latest, yw_ms now,
                         long long *changed)
{
	return yw_db_exec(tx,
	                  "UPDATE catalog_items SET draft_version = $2, latest_version = $2, "
	                  "updated_at = $3 WHERE code = $1 AND latest_version = $4",
	                  YW_PARAMS(YW_VTEXT(code), YW_VINT(ver), YW_VINT(now), YW_VINT(latest)),
	                  changed);
}

yw_err yw_cat_publish_flip(yw_db *tx, const char *code, long long ver, yw_ms now,
                           long long *changed)
{
	return yw_db_exec(tx,
	                  "UPDATE catalog_items SET current_version = draft_version, draft_version = NULL, "
	                  "updated_at = $3 WHERE code = $1 AND draft_version = $2",
	                  YW_PARAMS(YW_VTEXT(code), YW_VINT(ver), YW_VINT(now)), changed);
}

yw_err yw_cat_version_mark_published(yw_db *tx, const char *code, long long ver, yw_ms now,
                                     const char *actor)
{
	return yw_db_exec(tx,
	                  "UPDATE catalog_item_versions SET published_at = $3, published_by = $4 "
	                  "WHERE item_code = $1 AND version = $2",
	                  YW_PARAMS(YW_VTEXT(code), YW_VINT(ver), YW_VINT(now), YW_VTEXT(actor)),
	                  NULL);
}
