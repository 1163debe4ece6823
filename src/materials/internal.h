/*
 * Shared between the files of materials only: the stored files (store.c) and the SQL (db.c)
 * that api.c puts together.
 */
#ifndef YW_MATERIALS_INTERNAL_H
#define YW_MATERIALS_INTERNAL_H

#include "http/http.h"
#include "materials/materials.h"
#include "store/store.h"

/* ---- files (store.c), R-MAT-004 ---------------------------------------------------------- */
/* Make the file of these bytes durable at yw_mat_blob_path: written to a temporary file in its
 * folder, fsync'd, renamed to its hash and the folder fsync'd, so that once this returns the
 * file is on disk under its name whatever happens next. A file of that name and size there
 * already is the same bytes (it was renamed into place only once whole): nothing is written.
 * IO, with the reason logged (never the path's owner or title). */
yw_err yw_mat_blob_write(yw_arena *a, const char *data_dir, const char *sha256, const void *data,
                         size_t n);
/* The whole file into the arena; IO when it is missing or not of the expected size. */
yw_err yw_mat_blob_read(yw_arena *a, const char *data_dir, const char *sha256, long long size,
                        const char **out);

/* ---- SQL (db.c) -------------------------------------------------------------------------- */
/* The live material of the owner over that file; NOT_FOUND when none. */
yw_err yw_mat_live_by_sha(yw_db *db, yw_arena *a, const char *owner_kind, const char *owner_id,
                          const char *sha256, yw_material *out);
/* Inside a write: the blob row (kept if there) and the material row. *inserted false when a
 * live material of the owner over that file appeared meanwhile (nothing written then). */
yw_err yw_mat_insert(yw_db *tx, const yw_material *m, const char *uploaded_by, bool *inserted);
/* The owner's live materials, newest first. */
yw_err yw_mat_list(yw_db *db, yw_arena *a, const char *owner_kind, const char *owner_id,
                   yw_material **out, int *n);
/* Inside a write: hide a live material; *done false when it was hidden already. */
yw_err yw_mat_hide(yw_db *tx, const char *id, yw_ms now, bool *done);

/* R-MAT-007: the bytes a space took in since then, deleted materials included. */
yw_err yw_mat_recent_bytes(yw_db *db, yw_arena *a, const char *owner_kind, const char *owner_id,
                           yw_ms since, long long *bytes);

#endif
