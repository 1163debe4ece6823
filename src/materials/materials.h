/*
 * materials — the files applicants upload for their applications: PDF, JPEG, PNG and OFD, the
 * type told by the content and never by the name; stored once by their SHA-256 under the data
 * folder; held in the applicant's own material space (a person's, or an organisation's), from
 * which the next application can pick them again. docs/cases.md "Materials" is the account.
 *
 * It owns the tables material_blobs and materials (012) and the folder <data>/materials.
 * Files: sniff.c (the pure rules), store.c (the files on disk), db.c (SQL), api.c (routes and
 * the functions below for the cases module); internal.h between them.
 *
 * Data flows: POST /api/v1/materials carries the file as the raw body (its Content-Type is the
 * type the client claims, checked against what the bytes are). The bytes are hashed, written to
 * a temporary file in the same folder, fsync'd and renamed to their hash (a file of that name
 * is already the same bytes: deduplication), and only then is the row written, so that a
 * material acknowledged to a client is on disk. A case refers to materials by id; the cases
 * module asks here whether they are the applicant's (yw_materials_owned) and how large they are.
 * Reading a material's bytes needs the right to its owner's space, or to a case filed with it
 * (the cases module answers that one and then calls yw_materials_send).
 */
#ifndef YW_MATERIALS_H
#define YW_MATERIALS_H

#include "base/base.h"

struct yw_router;
struct yw_req;
struct yw_store;
struct yw_db;

/* Rule ids (docs/cases.md "Materials", tests/unit/test_materials.c):
 *   R-MAT-001 limits · R-MAT-002 type by content · R-MAT-003 the claimed type ·
 *   R-MAT-004 content-addressed, durable storage · R-MAT-005 the material space (owner, dedup,
 *   delete hides) · R-MAT-006 serving a file safely · R-MAT-007 a day's uploads per space */

/* R-MAT-001: limits. */
#define YW_MAT_MAX_FILE ((size_t)10 * 1024 * 1024)       /* one file */
#define YW_MAT_MAX_CASE ((long long)50 * 1024 * 1024)    /* all files of one case */
#define YW_MAT_MAX_TITLE 100                            /* characters of a title */

/* R-MAT-002: the type of a file by its content: "application/pdf" (%PDF-x.y within the first
 * 1024 bytes, %%EOF last but for white space), "image/jpeg" (FF D8 FF … FF D9, NUL padding
 * after it allowed), "image/png" (the 8-byte signature, a valid IHDR chunk first, IEND last),
 * "application/ofd" (a zip archive whose central directory lists OFD.xml at its root,
 * GB/T 33190); NULL for anything else. Judged by the signature the bytes start with only. */
const char *yw_mat_sniff(const void *data, size_t n);
/* R-MAT-003: the type a Content-Type header claims: one of the four (with the aliases image/jpg,
 * image/pjpeg, application/x-pdf; parameters and case ignored), YW_MAT_ANY for
 * application/octet-stream (the client does not know: the bytes decide), NULL for anything else
 * or no header (refused). */
#define YW_MAT_ANY "*"
const char *yw_mat_claim(const char *content_type);
/* ".pdf", ".jpg", ".png", ".ofd"; "" for another type. */
const char *yw_mat_ext(const char *media_type);
/* "PDF 文档" …, for messages. */
const char *yw_mat_type_zh(const char *media_type);
/* Whether s is 64 lower-case hex digits. */
bool yw_mat_sha256_ok(const char *s);
/* R-MAT-004: <data_dir>/materials/ab/cd/<sha256>; NULL for a malformed hash. */
char *yw_mat_blob_path(yw_arena *a, const char *data_dir, const char *sha256);
/* R-MAT-006: the Content-Disposition of a material served: inline, an ASCII filename= of our
 * own and filename*=UTF-8''<title + extension, percent-encoded> (RFC 8187), so that nothing in
 * a title can end the header or name a path. */
char *yw_mat_disposition(yw_arena *a, const char *title, const char *media_type);

typedef struct {
	const char *id;             /* "m_…" */
	const char *owner_kind;     /* "person", "org" */
	const char *owner_id;
	const char *sha256;
	const char *media_type;
	const char *title;
	long long size;
	yw_ms created_at;
	bool deleted;
} yw_material;

/* One material by id (deleted ones too: a case keeps what it was filed with); NOT_FOUND. */
yw_err yw_materials_get(struct yw_db *db, yw_arena *a, const char *id, yw_material *out);
/* Whether every one of ids[0..n) is a live material of the owner: NOT_FOUND naming the first
 * that is not (*bad), so that another applicant's id is refused like a missing one. *total gets
 * the sum of their sizes, each file counted once. */
yw_err yw_materials_owned(struct yw_db *db, yw_arena *a, const char *owner_kind,
                          const char *owner_id, const char *const *ids, int n, long long *total,
                          const char **bad);
/* Store r's body as a material of the owner, titled title, recorded as uploaded by actor (the
 * caller has been authorized for that space). The R-MAT checks: BAD_MATERIAL_TYPE when the bytes
 * are none of the four types or not the type r's Content-Type claims, MATERIAL_TOO_LARGE,
 * BAD_PARAMETER for a bad title; each recorded on r. The same bytes already live in that space
 * give that material and *created false. The row and its audit entry are one write, after the
 * file is durable on disk. */
yw_err yw_materials_put(struct yw_req *r, const char *owner_kind, const char *owner_id,
                        const char *title, const char *actor, yw_material *out, bool *created);
/* The material as JSON for lists and cases: {id, title, media_type, size, sha256, created_at}. */
json_t *yw_material_json(const yw_material *m);
/* Answer r with the material's bytes (its stored type, Content-Disposition inline with a safe
 * file name, X-Content-Type-Options nosniff, Cache-Control private). The caller has authorized. */
yw_err yw_materials_send(struct yw_req *r, const yw_material *m);

void yw_materials_routes(struct yw_router *rt);

#endif
