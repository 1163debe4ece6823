/*
 * The SQL of materials (012_materials.sql): the only place that touches material_blobs and
 * materials. The statements run on SQLite and PostgreSQL alike.
 */
#include <string.h>

#include "materials/internal.h"

#define COLS "id, owner_kind, owner_id, sha256, media_type, title, size, created_at, deleted_at"

static void row(const yw_rows *rows, int i, yw_material *m)
{
	*m = (yw_material){ .id = yw_rows_text(rows, i, 0), .owner_kind = yw_rows_text(rows, i, 1),
	                    .owner_id = yw_rows_text(rows, i, 2), .sha256 = yw_rows_text(rows, i, 3),
	                    .media_type = yw_rows_text(rows, i, 4), .title = yw_rows_text(rows, i, 5),
	                    .size = yw_rows_int(rows, i, 6), .created_at = yw_rows_int(rows, i, 7),
	                    .deleted = !yw_rows_is_null(rows, i, 8) };
}

static yw_err one(yw_rows *rows, yw_material *out)
{
	if (yw_rows_count(rows) == 0)
		return YW_E_NOT_FOUND;
	row(rows, 0, out);
	return YW_E_OK;
}

yw_err yw_materials_get(yw_db *db, yw_arena *a, const char *id, yw_material *out)
{
	yw_rows *rows;
	if (!id)
		return YW_E_NOT_FOUND;
	yw_err e = yw_db_query(db, a, &rows, "SELECT " COLS " FROM materials WHERE id = $1",
	                       YW_PARAMS(YW_VTEXT(id)));
	return e ? e : one(rows, out);
}

yw_err yw_mat_live_by_sha(yw_db *db, yw_arena *a, const char *owner_kind, const char *owner_id,
                          const char *sha256, yw_material *out)
{
	yw_rows *rows;
	yw_err e = yw_db_query(db, a, &rows,
	                       "SELECT " COLS " FROM materials WHERE owner_kind = $1 AND owner_id = $2 "
	                       "AND sha256 = $3 AND deleted_at IS NULL",
	                       YW_PARAMS(YW_VTEXT(owner_kind), YW_VTEXT(owner_id), YW_VTEXT(sha256)));
	return e ? e : one(rows, out);
}

yw_err yw_mat_insert(yw_db *tx, const yw_material *m, const char *uploaded_by, bool *inserted)
{
	long long n = 0;
	*inserted = false;
	yw_err e = yw_db_exec(tx,
	                      "INSERT INTO material_blobs (sha256, size, media_type, created_at) "
	                      "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
	                      YW_PARAMS(YW_VTEXT(m->sha256), YW_VINT(m->size), YW_VTEXT(m->media_type),
	                                YW_VINT(m->created_at)),
	                      NULL);
	if (e)
		return e;
	/* The partial unique index (owner, file) among live rows: a twin upload that committed
	 * first makes this a no-op rather than a failed write. */
	e = yw_db_exec(tx,
	               "INSERT INTO materials (id, owner_kind, owner_id, sha256, media_type, size, title, "
	               "uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
	               "ON CONFLICT DO NOTHING",
	               YW_PARAMS(YW_VTEXT(m->id), YW_VTEXT(m->owner_kind), YW_VTEXT(m->owner_id),
	                         YW_VTEXT(m->sha256), YW_VTEXT(m->media_type), YW_VINT(m->size),
	                         YW_VTEXT(m->title), YW_VTEXT(uploaded_by), YW_VINT(m->created_at)),
	               &n);
	if (e)
		return e;
	*inserted = n == 1;
	return YW_E_OK;
}

yw_err yw_mat_list(yw_db *db, yw_arena *a, const char *owner_kind, const char *owner_id,
                   yw_material **out, int *n)
{
	yw_rows *rows;
	*n = 0;
	yw_err e = yw_db_query(db, a, &rows,
	                       "SELECT " COLS " FROM materials WHERE owner_kind = $1 AND owner_id = $2 "
	                       "AND deleted_at IS NULL ORDER BY created_at DESC, id DESC",
	                       YW_PARAMS(YW_VTEXT(owner_kind), YW_VTEXT(owner_id)));
	if (e)
		return e;
	int k = yw_rows_count(rows);
	*out = yw_zalloc(a, sizeof **out * (size_t)(k ? k : 1));
	if (!*out)
		return YW_E_NO_MEMORY;
	for (int i = 0; i < k; i++)
		row(rows, i, &(*out)[i]);
	*n = k;
	return YW_E_OK;
}

yw_err yw_mat_hide(yw_db *tx, const char *id, yw_ms now, bool *done)
{
	long long n = 0;
	yw_err e = yw_db_exec(tx, "UPDATE materials SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL",
	                      YW_PARAMS(YW_VTEXT(id), YW_VINT(now)), &n);
	*done = !e && n == 1;
	return e;
}

yw_err yw_materials_owned(yw_db *db, yw_arena *a, const char *owner_kind, const char *owner_id,
                          const char *const *ids, int n, long long *total, const char **bad)
{
	*total = 0;
	if (bad)
		*bad = NULL;
	for (int i = 0; i < n; i++) {
		bool seen = false;
		for (int j = 0; j < i && !seen; j++)
			seen = yw_str_eq(ids[i], ids[j]);
		if (seen)
			continue;
		yw_material m;
		yw_err e = yw_materials_get(db, a, ids[i], &m);
		if (e == YW_E_OK && (m.deleted || !yw_str_eq(m.owner_kind, owner_kind) ||
		                     !yw_str_eq(m.owner_id, owner_id)))
			e = YW_E_NOT_FOUND;
		if (e) {
			if (bad)
				*bad = ids[i];
			*total = 0;
			return e;
		}
		*total += m.size;
	}
	return YW_E_OK;
}

yw_err yw_mat_recent_bytes(yw_db *db, yw_arena *a, const char *owner_kind, const char *owner_id,
                           yw_ms since, long long *bytes)
{
	yw_rows *rows;
	yw_err e = yw_db_query(db, a, &rows,
	                       "SELECT COALESCE(SUM(size), 0) FROM materials "
	                       "WHERE owner_kind = $1 AND owner_id = $2 AND created_at >= $3",
	                       YW_PARAMS(YW_VTEXT(owner_kind), YW_VTEXT(owner_id), YW_VINT(since)));
	if (e)
		return e;
	*bytes = yw_rows_int(rows, 0, 0);
	return YW_E_OK;
}
