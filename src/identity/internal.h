/*
 * Shared between the files of identity only (not part of its public API): the person and
 * session records and the SQL of db.c.
 */
#ifndef YW_IDENTITY_INTERNAL_H
#define YW_IDENTITY_INTERNAL_H

#include "http/http.h"
#include "identity/identity.h"
#include "store/store.h"

#define YW_SESSION_COOKIE "yw_session"

typedef struct {
	const char *id, *name, *id_enc, *mobile_enc, *gender, *birth_date, *address, *password_hash;
	yw_lockout lock;
	yw_ms created_at;
} yw_idn_person;

typedef struct {
	const char *id_hash, *subject_kind, *subject_id, *subject_name, *csrf;
	yw_ms created_at, last_seen, expires_at;
} yw_idn_session;

typedef struct {
	const char *code_hash;
	yw_ms expires_at;
	int attempts;
	bool used;
} yw_idn_code;

/* db.c: every statement on persons, sessions and sms_codes. Finders answer NOT_FOUND. */
yw_err yw_idn_person_by(yw_db *db, yw_arena *a, const char *column, const char *value,
                        yw_idn_person *out);   /* column: "id", "id_hash", "mobile_hash" */
yw_err yw_idn_person_insert(yw_db *tx, const yw_idn_person *p, const char *id_hash,
                            const char *mobile_hash);
yw_err yw_idn_person_set_lock(yw_db *tx, const char *id, yw_lockout l);
/* A failed password, counted atomically (R-ID-003); *out gets the stored result. */
yw_err yw_idn_person_fail(yw_db *tx, yw_arena *a, const char *id, yw_ms now, yw_lockout *out);
yw_err yw_idn_person_set_password(yw_db *tx, const char *id, const char *hash);

yw_err yw_idn_session_insert(yw_db *tx, const yw_idn_session *s);
yw_err yw_idn_session_get(yw_db *db, yw_arena *a, const char *id_hash, yw_idn_session *out);
yw_err yw_idn_session_delete(yw_db *tx, const char *id_hash);
/* Ends the sessions of one subject ("person" or "staff"): all of them, or only the dead ones. */
yw_err yw_idn_session_delete_subject(yw_db *tx, const char *kind, const char *subject_id,
                                     yw_ms older_than_idle, yw_ms now, bool all);
yw_err yw_idn_session_touch(yw_db *tx, const char *id_hash, yw_ms now);

yw_err yw_idn_code_insert(yw_db *tx, const char *mobile_hash, const char *purpose,
                          const char *code_hash, yw_ms now);
yw_err yw_idn_code_current(yw_db *tx, yw_arena *a, const char *mobile_hash, const char *purpose,
                           yw_idn_code *out);
/* Spend a matching live code in one statement (*ok), else count a try on the live one. */
yw_err yw_idn_code_consume(yw_db *tx, const char *mobile_hash, const char *purpose,
                           const char *code_hash, yw_ms now, bool *ok);
/* Count one wrong try on the live code, if any. */
yw_err yw_idn_code_try(yw_db *tx, const char *mobile_hash, const char *purpose, yw_ms now);

/* staffdb.c: the caller record of a staff member for the hook (roles, password state);
 * NOT_FOUND when there is no such staff member or they are disabled. */
yw_err yw_idn_staff_caller(yw_db *db, yw_arena *a, const char *staff_id, yw_ms now, yw_caller *out);
/* Whether department dept is ancestor_or_self or lies under it (*yes). */
yw_err yw_idn_dept_within(yw_db *db, yw_arena *a, const char *dept, const char *ancestor_or_self,
                          bool *yes);

/* agent.c: whether person may act today for the owner (owner_kind "person": as an agent the
 * owner authorized; "org": as its legal representative or an authorized handler), for
 * item_code (NULL: an action not tied to one item, allowed only by an all-items authorization). */
yw_err yw_idn_acts_for(yw_db *db, yw_arena *a, const char *person, const char *owner_kind,
                       const char *owner_id, const char *item_code, yw_ms now, bool *yes);

/* Route tables of the identity files that serve HTTP; yw_identity_routes calls each. */
void yw_idn_staff_routes(yw_router *rt);   /* staff_api.c: staff login, TOTP, own password */
void yw_idn_admin_routes(yw_router *rt);   /* admin_api.c: departments, staff, roles */
void yw_idn_org_routes(yw_router *rt);     /* org_api.c: organisations, handlers, agents */

/* password.c: a uniformly random 6-digit code; 0 ok. */
int yw_idn_code6(char out[7]);

/* session.c */
/* A new session for a subject ("person" or "staff") inside tx, from the cookie value and CSRF
 * token the caller made outside the transaction (so that a re-run uses the same ones). */
yw_err yw_idn_session_start(yw_db *tx, const char *kind, const char *subject_id, const char *token,
                            const char *csrf, yw_ms now);
/* The Set-Cookie header value for a token (NULL: the cookie that deletes it). */
const char *yw_idn_cookie(yw_req *r, const char *token);

#endif
