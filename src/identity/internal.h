/*
 * Shared between the files of identity only (not part of its public API): the records and SQL
 * of db.c, orgdb.c, admindb.c and staffdb.c, and the request helpers of handler.c.
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

/* db.c: reading query results into records, for every SQL file of identity. fn fills one record
 * from row i. read_rows gives an array of *n records of `size` bytes (never NULL on success, so
 * an empty list is not an error), or NULL with *e set; read_row the first row, NOT_FOUND when
 * there is none. */
typedef void (*yw_idn_row_fn)(const yw_rows *rows, int i, void *record);
void *yw_idn_read_rows(yw_db *db, yw_arena *a, const char *sql, const yw_val *params, int np,
                       size_t size, yw_idn_row_fn fn, int *n, yw_err *e);
yw_err yw_idn_read_row(yw_db *db, yw_arena *a, const char *sql, const yw_val *params, int np,
                       yw_idn_row_fn fn, void *record);

/* db.c: every statement on persons, sessions and sms_codes. Finders answer NOT_FOUND. */
yw_err yw_idn_person_by(yw_db *db, yw_arena *a, const char *column, const char *value,
                        yw_idn_person *out);   /* column: "id", "id_hash", "mobile_hash" */
yw_err yw_idn_person_insert(yw_db *tx, const yw_idn_person *p, const char *id_hash,
                            const char *mobile_hash);
yw_err yw_idn_person_set_lock(yw_db *tx, const char *id, yw_lockout l);
/* A failed password (or TOTP code) counted atomically (R-ID-003) on a row of table "persons" or
 * "staff"; *out gets the stored result. */
yw_err yw_idn_login_fail(yw_db *tx, yw_arena *a, const char *table, const char *id, yw_ms now,
                         yw_lockout *out);
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

/* The department and every department under it, however deep (32 levels at most). */
yw_err yw_idn_dept_subtree(yw_db *db, yw_arena *a, const char *dept, const char ***ids, int *n);

/* agent.c: whether person may act today for the owner (owner_kind "person": as an agent the
 * owner authorized; "org": as its legal representative or an authorized handler), for
 * item_code (NULL: an action not tied to one item, allowed only by an all-items authorization). */
yw_err yw_idn_acts_for(yw_db *db, yw_arena *a, const char *person, const char *owner_kind,
                       const char *owner_id, const char *item_code, yw_ms now, bool *yes);

/* orgdb.c: every statement on orgs, org_handlers and agent_authorizations (006_orgs.sql).
 * Finders answer NOT_FOUND. `today` is a CST date "YYYY-MM-DD" (yw_cst_date). */
typedef struct {
	const char *id, *name, *uscc, *type, *legal_rep_id, *division_code;
	bool verified;
	yw_ms created_at;
	const char *rep_name, *rep_id_enc;     /* the legal representative, joined */
} yw_idn_org;

/* A handler authorization (owner_id: the organisation, person_id: the handler) or an agent
 * authorization (owner_id: the principal, person_id: the agent). */
typedef struct {
	const char *id, *owner_id, *person_id, *items, *valid_until;
	yw_ms created_at, revoked_at;          /* revoked_at 0: not revoked */
	const char *shown_name, *shown_id_enc; /* the person the list is about, joined */
} yw_idn_deleg;

yw_err yw_idn_org_insert(yw_db *tx, const yw_idn_org *o);
yw_err yw_idn_org_get(yw_db *db, yw_arena *a, const char *id, yw_idn_org *out);
yw_err yw_idn_org_by_uscc(yw_db *db, yw_arena *a, const char *uscc, yw_idn_org *out);
/* The organisations person represents or is a live handler of (today), oldest first. */
yw_err yw_idn_orgs_of(yw_db *db, yw_arena *a, const char *person, const char *today,
                      yw_idn_org **out, int *n);
yw_err yw_idn_handler_insert(yw_db *tx, const yw_idn_deleg *d);
/* All handler authorizations of an organisation (shown: the handler), newest first. */
yw_err yw_idn_handlers_of(yw_db *db, yw_arena *a, const char *org_id, yw_idn_deleg **out, int *n);
/* The live (not revoked, valid_until >= today) handler authorizations of person for org. */
yw_err yw_idn_handlers_live(yw_db *db, yw_arena *a, const char *org_id, const char *person,
                            const char *today, yw_idn_deleg **out, int *n);
/* Revoke one handler authorization of org_id; *done false when none was live to revoke. */
yw_err yw_idn_handler_revoke(yw_db *tx, const char *org_id, const char *id, yw_ms now, bool *done);
yw_err yw_idn_handler_get(yw_db *db, yw_arena *a, const char *org_id, const char *id,
                          yw_idn_deleg *out);
yw_err yw_idn_agent_insert(yw_db *tx, const yw_idn_deleg *d);
/* The authorizations principal made (shown: the agent), newest first. */
yw_err yw_idn_agents_of(yw_db *db, yw_arena *a, const char *principal, yw_idn_deleg **out, int *n);
/* The live authorizations naming agent (shown: the principal), newest first. */
yw_err yw_idn_principals_of(yw_db *db, yw_arena *a, const char *agent, const char *today,
                            yw_idn_deleg **out, int *n);
yw_err yw_idn_agents_live(yw_db *db, yw_arena *a, const char *principal, const char *agent,
                          const char *today, yw_idn_deleg **out, int *n);
/* One authorization made by principal (NOT_FOUND for anybody else's). */
yw_err yw_idn_agent_get(yw_db *db, yw_arena *a, const char *principal, const char *id,
                        yw_idn_deleg *out);
yw_err yw_idn_agent_revoke(yw_db *tx, const char *principal, const char *id, yw_ms now, bool *done);

/* admindb.c: departments, staff and role rows as the admin API (admin_api.c) shows and changes
 * them. Records never carry a password hash or a TOTP secret. */
typedef struct {
	const char *id, *parent_id, *name, *uscc, *division_code;
	yw_ms created_at;
} yw_idn_adm_dept;

typedef struct {
	const char *id, *username, *name, *department_id, *department_name;
	const char *division_code;        /* the department's */
	yw_ms password_changed_at, locked_until, created_at;
	bool must_change_password, has_totp, disabled;
} yw_idn_adm_staff;

typedef struct {
	const char *staff_id, *role, *department_id, *department_name, *division_code;
	yw_ms granted_at;
} yw_idn_adm_role;

yw_err yw_idn_adm_dept_list(yw_db *db, yw_arena *a, yw_idn_adm_dept **out, int *n);
yw_err yw_idn_adm_dept_get(yw_db *db, yw_arena *a, const char *id, yw_idn_adm_dept *out);
yw_err yw_idn_adm_dept_insert(yw_db *tx, const yw_idn_adm_dept *d, bool *uscc_taken);
yw_err yw_idn_adm_dept_update(yw_db *tx, const yw_idn_adm_dept *d);   /* parent, name, division */
yw_err yw_idn_adm_staff_list(yw_db *db, yw_arena *a, yw_idn_adm_staff **out, int *n);
yw_err yw_idn_adm_staff_get(yw_db *db, yw_arena *a, const char *id, yw_idn_adm_staff *out);
/* must_change_password = 1, no TOTP yet. */
yw_err yw_idn_adm_staff_insert(yw_db *tx, const yw_idn_adm_staff *s, const char *password_hash,
                               bool *username_taken);
yw_err yw_idn_adm_staff_set_disabled(yw_db *tx, const char *id, bool disabled);
/* New initial password, must change, TOTP cleared, lock lifted. */
yw_err yw_idn_adm_staff_reset(yw_db *tx, const char *id, const char *password_hash, yw_ms now);
/* One member's role rows (staff_id NULL: everybody's, grouped by member). */
yw_err yw_idn_adm_roles(yw_db *db, yw_arena *a, const char *staff_id, yw_idn_adm_role **out, int *n);
yw_err yw_idn_adm_role_insert(yw_db *tx, const yw_idn_adm_role *g, bool *existed);
yw_err yw_idn_adm_role_delete(yw_db *tx, const char *staff_id, const char *role,
                              const char *department_id, bool *found);

/* admin_api.c, pure rules (tests/unit/test_admin.c); user names and passwords are
 * yw_staff_username_ok and yw_staff_pw_check (R-ID-010). */
/* Whether putting dept under new_parent would close a loop: new_parent is dept or lies below it.
 * parent_of answers a department's parent (NULL for a root); a chain longer than 64 counts as a
 * loop. */
bool yw_idn_dept_would_cycle(const char *dept, const char *new_parent,
                             const char *(*parent_of)(void *ctx, const char *id), void *ctx);
/* The action that granting or revoking role needs (roles.def YW_GRANT_NEEDS, else ROLE_GRANT). */
yw_action yw_idn_grant_action(yw_role role);

/* handler.c: what every identity file serving HTTP needs, kept once so that the applicant and
 * the staff side refuse, limit, lock and name things alike. */
/* UNAVAILABLE unless a database and the field keys are configured (the fuzzer runs without). */
yw_err yw_idn_need_store(yw_req *r);
/* The hook's record of the caller (r->principal.ext), typed; NULL when anonymous. */
const yw_caller *yw_idn_caller(const yw_req *r);
/* R-ID-007: RATE_LIMITED with Retry-After when any rule is spent; `what` names the thing done
 * too often in the detail ("请求", "授权操作"). */
yw_err yw_idn_limit(yw_req *r, const yw_rate_rule *const *rules, const char *const *keys, int n,
                    const char *what);
/* R-ID-003: ACCOUNT_LOCKED naming the Beijing time the lock ends, and locked_until for clients;
 * `what` names what was typed wrong ("密码", "密码或动态口令"). */
yw_err yw_idn_locked(yw_req *r, yw_ms until, const char *what);
/* Today in China Standard Time as "YYYY-MM-DD", the form valid_until compares against in SQL. */
const char *yw_idn_today(yw_arena *a, yw_ms now);
/* A division code from a request, normalised to its presented form; the problem recorded. */
yw_err yw_idn_division_arg(yw_req *r, const char *code, const char **out);
/* The SHA-256 hex of a token in the arena: tokens and tickets are stored only as hashes. */
const char *yw_idn_token_hash(yw_arena *a, const char *token);
/* The hash of the session cookie the request came with, so that a login ends it (rotation). */
const char *yw_idn_old_session(yw_req *r);
/* The cookie token and CSRF token of a new session, made before the write so a re-run of the
 * write uses the same ones. */
yw_err yw_idn_new_tokens(yw_req *r, const char **token, const char **csrf);
/* R-ID-003 inside tx: one wrong password or code of kind "person" or "staff" counted in one
 * statement and audited, as "<kind>.lock" when this one locked the account (*locked_now), else
 * as failed_action; step (NULL: none) tells the audit reader which secret was wrong. */
yw_err yw_idn_count_failure(yw_db *tx, yw_arena *a, const char *kind, const char *id,
                            const char *actor, const char *failed_action, const char *step,
                            yw_ms now, yw_lockout *lock, bool *locked_now);
/* A new random row id "<prefix>_<16 base64url characters>". */
const char *yw_idn_new_id(yw_req *r, const char *prefix);

/* staff_api.c: ends every session and every half-done login of a staff member (reset, disable,
 * a lock reached while logged in). */
yw_err yw_idn_staff_sign_out(yw_db *tx, const char *staff_id);

/* Route tables of the identity files that serve HTTP; yw_identity_routes calls each. */
void yw_idn_staff_routes(yw_router *rt);   /* staff_api.c: staff login, TOTP, own password */
/* staff_api.c: GET /api/v1/me for a staff session (api.c's me() hands staff callers over). */
yw_err yw_idn_staff_me(yw_req *r);
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
