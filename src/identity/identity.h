/*
 * identity — who is who and who may do what. Applicants (persons, 自然人): registration,
 * password and SMS-code login, recovery. Organisations (法人) with their legal representative
 * and handlers (经办人), and agents (代办/委托). Departments bound to divisions, staff with
 * roles scoped to a department and a division, staff passwords and TOTP. Server-side sessions
 * for persons and staff, CSRF, lockout, rate limits. And the one authorization decision,
 * yw_authz, with its table roles.def.
 *
 * It owns the tables persons, sessions, sms_codes (002), departments, staff, staff_roles (004),
 * staff_login_tickets (005), orgs, org_handlers, agent_authorizations (006). A person's ID and
 * mobile numbers are stored sealed (AES-256-GCM, yw_seal) and found by their keyed lookup hash
 * (yw_lookup_hash "id" / "mobile"); only the owner's own GET /api/v1/me shows them in full,
 * everything else shows masked forms. Passwords are hashed with argon2id (libsodium,
 * crypto_pwhash_str_alg, ALG_ARGON2ID13) at t = 2 passes, m = 19 MiB, p = 1: OWASP's minimum
 * for argon2id.
 *
 * Files: api.c (applicants), staff_api.c (staff login, TOTP enrolment, own password),
 * admin_api.c (departments, staff, roles), org_api.c (organisations, handlers, agents), their
 * SQL in db.c, staffdb.c, admindb.c, orgdb.c; pure rules in rules.c, staff_rules.c, totp.c,
 * authz.c, agent.c; handler.c the request helpers they share; session.c the hook; claims.c what
 * the OIDC provider may learn of a subject; deptinfo.c what other modules (the catalog) may know
 * of a department.
 *
 * Data flows: an SMS code request (api.c) is rate-limited in memory (ratelimit.c), stored
 * hashed (db.c) and sent through notify (yw_notify_sms) in the same write transaction (for a
 * login/recover number nobody registered it is stored but not sent, so nothing tells the two
 * apart). Codes are spent and lockouts counted by single statements, safe under PostgreSQL's
 * READ COMMITTED. Register first needs a live matching code (read-only check); register
 * and login validate input with the pure rules (rules.c), hash or verify the password outside
 * any transaction (argon2id is slow, and SQLite has one writer), then make their change, the
 * session row and the audit entry in one yw_store_write. The session cookie carries 32 random
 * bytes; only their SHA-256 is stored. yw_identity_before, the HTTP hook, turns the cookie into
 * r->principal and checks the CSRF header of every state-changing request (session.c); for a
 * staff session it also loads the member's role assignments (staffdb.c) into the yw_caller at
 * r->principal.ext, on which every handler's yw_authz call decides. Staff log in in two steps:
 * the password gives a single-use ticket, the TOTP code (or the enrolment of a new secret)
 * spends it and starts the session.
 *
 * Rule ids (cited in rules.c, tests/unit/test_identity.c and docs/identity.md):
 *   R-ID-001 password length in code points · R-ID-002 common passwords · R-ID-003 lockout ·
 *   R-ID-004 session expiry · R-ID-005 SMS codes · R-ID-006 masking · R-ID-007 rate limits ·
 *   R-ID-008 CSRF · R-ID-009 authorization · R-ID-010 staff passwords · R-ID-011 TOTP ·
 *   R-ID-012 organisations, handlers, agents
 */
#ifndef YW_IDENTITY_H
#define YW_IDENTITY_H

#include "../base/base.h"

/* ---- R-ID-001, R-ID-002: applicant passwords (OWASP ASVS 2.1) ----------------------------- */
#define YW_PW_MIN_CHARS 8
#define YW_PW_MAX_CHARS 128
typedef enum {
	YW_PW_OK,
	YW_PW_NOT_UTF8,
	YW_PW_TOO_SHORT,
	YW_PW_TOO_LONG,
	YW_PW_COMMON,
} yw_pw_verdict;
/* Number of Unicode code points of a UTF-8 string, or -1 if it is not valid UTF-8. */
long yw_utf8_count(const char *s);
/* A name-like text (person, department, organisation, OIDC client): 1 to max characters of valid
 * UTF-8 and no control characters, which would garble lists, logs and the audit trail. */
bool yw_text_ok(const char *s, long max);
bool yw_pw_is_common(const char *pw);        /* among the 3000 most common, case-insensitive */
yw_pw_verdict yw_pw_check(const char *pw);
const char *yw_pw_verdict_text(yw_pw_verdict v);   /* Chinese reason */

/* The generated table (scripts/gen-passwords.mjs): lower-case, sorted bytewise. */
extern const size_t yw_common_passwords_n;
extern const char *const yw_common_passwords[];

/* argon2id parameters (OWASP Password Storage Cheat Sheet minimum). */
#define YW_PW_OPSLIMIT 2ULL
#define YW_PW_MEMLIMIT ((size_t)19 * 1024 * 1024)
/* Hash into out (crypto_pwhash_STRBYTES = 128 bytes); 0 ok, -1 out of memory. */
int yw_pw_hash(const char *pw, char out[128]);
/* true when pw matches the stored hash. A NULL hash still spends the time of one verification,
 * so an unknown account answers as slowly as a wrong password. */
bool yw_pw_verify(const char *stored, const char *pw);

/* ---- R-ID-003: lockout ------------------------------------------------------------------ */
#define YW_LOCK_AFTER 5
#define YW_LOCK_MS ((yw_ms)30 * 60 * 1000)
typedef struct {
	int failed;          /* consecutive failed password attempts */
	yw_ms locked_until;  /* 0 or the end of the lock */
} yw_lockout;
bool yw_lockout_is_locked(const yw_lockout *l, yw_ms now);
/* After a failed attempt: counts it, and locks for 30 minutes on the 5th (the count restarts). */
yw_lockout yw_lockout_fail(yw_lockout l, yw_ms now);
/* After a success: everything reset. */
yw_lockout yw_lockout_success(void);

/* ---- R-ID-004: sessions ----------------------------------------------------------------- */
#define YW_SESSION_IDLE_MS ((yw_ms)30 * 60 * 1000)
#define YW_SESSION_ABSOLUTE_MS ((yw_ms)12 * 3600 * 1000)
#define YW_SESSION_TOUCH_MS ((yw_ms)60 * 1000)
/* expires_at = created_at + 12 h; a session lives while now < expires_at and now − last_seen
 * < 30 min. */
bool yw_session_alive(yw_ms last_seen, yw_ms expires_at, yw_ms now);
/* last_seen is refreshed (a write) at most once a minute. */
bool yw_session_needs_touch(yw_ms last_seen, yw_ms now);

/* ---- R-ID-005: SMS codes ---------------------------------------------------------------- */
#define YW_SMS_CODE_MS ((yw_ms)5 * 60 * 1000)
#define YW_SMS_MAX_TRIES 5
typedef enum { YW_CODE_OK, YW_CODE_WRONG, YW_CODE_EXPIRED, YW_CODE_USED, YW_CODE_EXHAUSTED } yw_code_verdict;
/* Decide on a stored code: `matches` is whether the hash of the given code equals it. */
yw_code_verdict yw_sms_code_check(bool matches, yw_ms expires_at, int attempts, bool used, yw_ms now);
bool yw_sms_purpose_valid(const char *purpose);     /* "register", "login", "recover" */

/* ---- R-ID-006: masking ------------------------------------------------------------------ */
/* Whether a viewer sees a person's full ID and mobile numbers: only the person themselves. */
bool yw_show_full_numbers(const char *viewer_person_id, const char *owner_person_id);

/* ---- R-ID-007: rate limits (in memory, per process) ------------------------------------- */
typedef struct {
	const char *name;
	int limit;          /* events allowed … */
	yw_ms window_ms;    /* … per fixed window */
} yw_rate_rule;
extern const yw_rate_rule yw_rate_sms_mobile_min, yw_rate_sms_mobile_hour, yw_rate_sms_ip_hour,
	yw_rate_login_account, yw_rate_login_ip, yw_rate_register_mobile, yw_rate_register_ip;
typedef struct {
	yw_ms window_start;
	int count;
} yw_rate_counter;
/* Count one event if the rule allows it: true, or false with *retry_after_s (≥ 1) set. */
bool yw_rate_take(const yw_rate_rule *rule, yw_rate_counter *c, yw_ms now, int *retry_after_s);
/* The shared table: a fixed number of slots keyed by a hash of (rule, key), under a mutex.
 * Several rules are taken together or not at all. */
bool yw_rate_limit(const yw_rate_rule *const *rules, const char *const *keys, int n, yw_ms now,
                   int *retry_after_s);
void yw_rate_reset_all(void);     /* for tests */

/* ---- R-ID-008: CSRF --------------------------------------------------------------------- */
/* Whether a request passes: safe methods always; with a session the header must equal its
 * token; without one it must be present and non-empty. */
bool yw_csrf_ok(const char *method, bool has_session, const char *session_csrf, const char *header);

/* ---- R-ID-009: authorization ------------------------------------------------------------ */
/*
 * One place decides who may do what to which object: yw_authz. Every handler that touches an
 * object calls it with the action and the object itself (not just the route), after loading
 * the object and before answering anything about it. The table of actions, roles and grants is
 * roles.def; the scope of a role says which objects an assignment reaches.
 */
typedef enum {
#define YW_ACTION(id, name, zh) YW_ACT_##id,
#include "identity/roles.def"
#undef YW_ACTION
	YW_ACT__COUNT
} yw_action;

typedef enum {
#define YW_ROLE(id, name, zh, scope) YW_ROLE_##id,
#include "identity/roles.def"
#undef YW_ROLE
	YW_ROLE__COUNT
} yw_role;

typedef enum { YW_SCOPE_OWN, YW_SCOPE_DEPT, YW_SCOPE_DIVISION, YW_SCOPE_PLATFORM } yw_scope;

const char *yw_action_name(yw_action a);          /* "staff.manage" */
const char *yw_action_zh(yw_action a);
const char *yw_role_name(yw_role r);              /* "window_clerk" */
const char *yw_role_zh(yw_role r);                /* "窗口人员" */
yw_scope yw_role_scope(yw_role r);
const char *yw_scope_name(yw_scope s);            /* "own", "dept", "division", "platform" */
bool yw_role_from_name(const char *name, yw_role *out);
bool yw_role_grants(yw_role r, yw_action a);
/* Whether an agent or handler may do the action for whoever authorized them (YW_DELEGABLE). */
bool yw_action_delegable(yw_action a);
/* Whether a department system may hold the action as a client-credentials scope. */
bool yw_action_client_grantable(yw_action a);

/* One role assignment of a staff member (a row of staff_roles). */
typedef struct {
	yw_role role;
	const char *department_id;
	const char *division_code;
} yw_role_grant;

#define YW_MAX_ROLES 16
/* The caller as the authentication hook established it (r->principal.ext). */
typedef struct {
	const char *kind;                 /* "person", "staff" or "client"; NULL: anonymous */
	const char *id;
	const char *department_id;        /* staff: their own department */
	bool password_change_required;    /* staff: first login, reset or expired (R-ID-010) */
	int nroles;
	yw_role_grant roles[YW_MAX_ROLES];
	const char *const *scopes;        /* client: the OAuth scopes its token was granted */
	int nscopes;
} yw_caller;

/* What yw_authz needs to know of an object. Unknown fields stay NULL. */
typedef struct {
	const char *type;                 /* "department", "staff", "oidc_client", "org", … */
	const char *owner_kind;           /* applicant-owned objects: "person" or "org" … */
	const char *owner_id;             /* … and whose */
	const char *item_code;            /* the item the object is for (agents may be limited) */
	const char *department_id;        /* the department the object belongs to */
	const char *division_code;        /* where the object is */
} yw_object;

/* The facts the pure decision needs from the database, as callbacks so that the unit tests
 * can answer them from a table. */
typedef struct {
	/* true when dept is ancestor_or_self or one of its sub-departments */
	bool (*dept_within)(void *ctx, const char *dept, const char *ancestor_or_self);
	/* true when person may act for the owner (owner_kind, owner_id) on item_code, today:
	 * as their agent (代办) or as the organisation's handler (经办人) or legal representative */
	bool (*acts_for)(void *ctx, const char *person, const char *owner_kind, const char *owner_id,
	                 const char *item_code);
	void *ctx;
} yw_authz_env;

/* The decision, pure: may caller do action to obj? */
bool yw_authz_decide(const yw_caller *caller, yw_action action, const yw_object *obj,
                     const yw_authz_env *env);

/* The decision for a request: YW_E_OK, or UNAUTHENTICATED (anonymous), PASSWORD_CHANGE_REQUIRED
 * (a staff member who must change their password first) or FORBIDDEN, recorded on r with a
 * Chinese detail. Reads the database for department trees and agent authorizations. */
struct yw_req;
yw_err yw_authz(struct yw_req *r, yw_action action, const yw_object *obj);
/* Like yw_authz but without recording a problem: for filtering lists. */
bool yw_authz_allows(struct yw_req *r, yw_action action, const yw_object *obj);
/* yw_authz_allows counting only the caller's assignments of one role: for a step a process
 * gives to a role (a 制证 step for the window clerks), so that holding the action through another
 * role, or the role in another department, is not enough. */
bool yw_authz_allows_as(struct yw_req *r, yw_role role, yw_action action, const yw_object *obj);

/* What a staff caller's assignments reach for an action, for lists too long to ask yw_authz of
 * each row (an inbox over a million cases): the same table and scopes, turned into a filter.
 * platform: every object. Otherwise one part per assignment whose role grants the action: a DEPT
 * assignment reaches the objects of its department and every sub-department (dept_ids, all of
 * them) inside its division; a DIVISION assignment those of any department inside its division
 * (dept_ids NULL). A division is reached with its descendants: division_prefix is the code
 * without its trailing zero pairs ("3413" for 341300), a prefix of every code inside it. A caller
 * that is not staff, or holds no such role, gets nparts 0. */
typedef struct {
	yw_role role;
	const char *division_code;
	const char *division_prefix;
	const char **dept_ids;
	int ndepts;
} yw_reach_part;
typedef struct {
	bool platform;
	int nparts;
	yw_reach_part parts[YW_MAX_ROLES];
} yw_reach;
yw_err yw_authz_reach(struct yw_req *r, yw_action action, yw_reach *out);

/* ---- R-ID-010: staff passwords (GB/T 22239-2019 level 3) ---------------------------------- */
/*
 * Staff log in with a user name, a password and a TOTP code (staff_api.c; the tables staff of
 * 004 and staff_login_tickets of 005). A staff password has at least 10 characters of at least
 * 3 of the 4 classes upper case, lower case, digit, other; it is not among the common passwords
 * (R-ID-002) and does not contain the user name. It must be changed on first login, after a
 * reset, and once it is older than the configured period (staff-password-max-age-days, 90 by
 * default; 0 makes every password expired at once, for drills and tests).
 */
#define YW_STAFF_PW_MIN_CHARS 10
#define YW_STAFF_PW_MIN_CLASSES 3
#define YW_STAFF_PW_MAX_AGE_DAYS 90
typedef enum {
	YW_SPW_OK,
	YW_SPW_NOT_UTF8,
	YW_SPW_TOO_SHORT,
	YW_SPW_TOO_LONG,
	YW_SPW_FEW_CLASSES,
	YW_SPW_COMMON,
	YW_SPW_HAS_USERNAME,
} yw_staff_pw_verdict;
yw_staff_pw_verdict yw_staff_pw_check(const char *pw, const char *username);
const char *yw_staff_pw_verdict_text(yw_staff_pw_verdict v);      /* Chinese reason */
/* A user name staff log in with: 3 to 32 of A-Z a-z 0-9 . _ - */
bool yw_staff_username_ok(const char *s);
/* When a password set at changed_at expires. */
yw_ms yw_staff_pw_expires_at(yw_ms changed_at, int max_age_days);
/* Whether the staff member must change the password before doing anything else. */
bool yw_staff_pw_change_required(bool must_change, yw_ms changed_at, int max_age_days, yw_ms now);
/* The period the running process applies: set once at start, before any thread serves. */
void yw_staff_pw_set_max_age_days(int days);
int yw_staff_pw_max_age_days(void);

/* ---- R-ID-011: TOTP (RFC 6238) --------------------------------------------------------------- */
/*
 * HMAC-SHA1, 30-second steps, 6 digits, a code of the step before or after also accepted
 * (clock drift), and no step accepted twice for one staff member (staff.totp_last_step, moved
 * forward by one statement). Secrets are 20 random bytes, shown base32 (RFC 4648) and as an
 * otpauth:// URI in a QR code (libqrencode, drawn here as SVG), stored sealed.
 */
#define YW_TOTP_STEP_S 30
#define YW_TOTP_DIGITS 6
#define YW_TOTP_SECRET_BYTES 20
#define YW_TOTP_DRIFT 1
#define YW_TOTP_ISSUER "一网通办"
/* RFC 4226 HOTP value of counter with `digits` digits (6 or 8). */
uint32_t yw_hotp(const unsigned char *key, size_t keylen, uint64_t counter, int digits);
int64_t yw_totp_step(yw_ms now);
/* The step code matches (digits characters, within ±YW_TOTP_DRIFT of now's step and later
 * than last_step), or -1. */
int64_t yw_totp_match(const unsigned char *key, size_t keylen, const char *code, int digits,
                      yw_ms now, int64_t last_step);
/* RFC 4648 base32. Encode writes NUL-terminated text (with '=' padding when pad) and returns its
 * length, or 0 when out is too small. Decode accepts either case and ignores padding and spaces;
 * returns the byte count or -1. */
size_t yw_base32_encode(const unsigned char *in, size_t n, bool pad, char *out, size_t cap);
long yw_base32_decode(const char *in, unsigned char *out, size_t cap);
/* otpauth://totp/<issuer>:<account>?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30 */
char *yw_totp_uri(yw_arena *a, const char *secret_b32, const char *account);
/* The QR code of text as an SVG document (dark modules as one path, a 4-module quiet zone);
 * *modules (may be NULL) gets the symbol's width. NULL on failure. */
char *yw_qr_svg(yw_arena *a, const char *text, int *modules);

/* `yiwang staff bootstrap`: the first department, the first staff member and a system_admin
 * role over both, with an initial password to be changed at first login. A department with that
 * USCC, name and division made before (by `yiwang demo`) is joined rather than made; one with
 * that USCC and another name or division is refused (DB_CONSTRAINT). Refuses (CONFLICT) when any
 * staff member exists. err gets a Chinese message. */
struct yw_store;
typedef struct {
	const char *username, *name, *password, *department_name, *department_uscc, *division;
} yw_staff_bootstrap_args;
yw_err yw_staff_bootstrap(struct yw_store *s, const yw_staff_bootstrap_args *a, char *err,
                          size_t errlen);


/* ---- R-ID-012: organisations, handlers and agents ---------------------------------------- */
/*
 * A person registers an organisation (法人) and becomes its legal representative; they
 * authorize handlers (经办人), and any person authorizes agents (代办/委托). Both kinds of
 * authorization ("delegations") name the items they cover (all, or a list of item codes) and a
 * last day, valid_until, a civil date in China Standard Time, inclusive: the authorization
 * lapses at 00:00 Beijing time on the day after. The tables are 006_orgs.sql (orgdb.c); the
 * routes are org_api.c; yw_idn_acts_for (agent.c) answers yw_authz from them.
 */
/* Organisation types offered at registration, grouped after USCC's registration categories. */
typedef struct {
	const char *key;      /* the API's value: "enterprise", … */
	const char *zh;       /* "企业", … */
} yw_org_type;
extern const yw_org_type yw_org_types[];
extern const size_t yw_org_types_n;
const char *yw_org_type_zh(const char *key);     /* NULL: not a type of the list */

#define YW_DELEG_MAX_YEARS 5      /* valid_until at most 5 years after today */
#define YW_DELEG_MAX_ITEMS 50
/* An item code in one of the shapes of STANDARDS.md §5: 基本编码 (12 digits, SS TT MMMMM sss),
 * 实施编码 (31: an implementing body's USCC, a level 1–7, a 基本编码) or 业务办理项编码 (33: a
 * 实施编码 and a 2-digit number from 01). */
bool yw_item_code_valid(const char *code);
/* Whether stored items ("*": all; else codes joined by ',') cover item_code. A NULL item_code
 * (an action tied to no item) is covered only by "*". A listed 基本编码 also covers the 实施编码
 * and 办理项编码 built on it (they carry it at positions 20–31). */
bool yw_items_cover(const char *items, const char *item_code);
typedef enum { YW_VU_OK, YW_VU_BAD, YW_VU_PAST, YW_VU_TOO_FAR } yw_vu_verdict;
/* A requested valid_until: a real YYYY-MM-DD date, today or later, at most 5 years ahead (the
 * same day 5 years on; 29 February falls back to the 28th). */
yw_vu_verdict yw_valid_until_check(const char *s, yw_date today);
/* Today in China Standard Time at instant now: the day that valid_until is compared with. */
yw_date yw_cst_date(yw_ms now);
typedef enum { YW_DELEG_LIVE, YW_DELEG_REVOKED, YW_DELEG_EXPIRED, YW_DELEG_NOT_COVERED } yw_deleg_verdict;
/* The pure decision on one stored authorization: revoked? past its last day? covers item? */
yw_deleg_verdict yw_deleg_check(const char *items, const char *valid_until, bool revoked,
                                yw_date today, const char *item_code);

/* The audit actor of an action done by caller for an owner: "person:B for person:A",
 * "person:B for org:O", "staff:S for person:A"; just "person:A" when the caller acts for
 * themselves, "anonymous" without a caller. Every action by an agent or handler records both. */
const char *yw_actor_for(yw_arena *a, const yw_caller *caller, const char *owner_kind,
                         const char *owner_id);

/* ---- for other modules: a department as they may know it (deptinfo.c) --------------------- */
/* The catalog names an item's implementing department and builds the item's code from the
 * department's USCC; it asks here rather than reading identity's tables. */
typedef struct {
	const char *id;
	const char *parent_id;          /* NULL for a top department */
	const char *name;
	const char *uscc;               /* 18 characters, checked when the department was made */
	const char *division_code;      /* presented form: "341302" */
} yw_department;
struct yw_store;
/* NOT_FOUND when there is no such department. Strings are in a. */
yw_err yw_identity_department(struct yw_store *s, yw_arena *a, const char *id, yw_department *out);
/* The department registered with that USCC; NOT_FOUND when none. */
yw_err yw_identity_department_by_uscc(struct yw_store *s, yw_arena *a, const char *uscc,
                                      yw_department *out);

/* ---- for loaders: departments made in bulk (provision.c; `yiwang demo`) -------------------- */
/* A new department id, made before the write (a write may run twice). */
const char *yw_identity_department_id_new(yw_arena *a);
/* Inside the caller's write: department d (its id from yw_identity_department_id_new, parent_id
 * that of a department already made) with the rules of POST /api/v1/departments and its audit
 * entry by actor. When its USCC is registered already, nothing is written: *id_out is that
 * department's id and *created false. Else a code (BAD_USCC, DIVISION_NOT_FOUND,
 * UNKNOWN_DEPARTMENT, DIVISION_OUTSIDE_PARENT, BAD_PARAMETER) with *why in Chinese. */
struct yw_db;
yw_err yw_identity_department_provision(struct yw_db *tx, yw_arena *a, const yw_department *d,
                                        const char *actor, yw_ms now, const char **id_out,
                                        bool *created, const char **why);

/* ---- for the cases module: who an application is filed for (applicant.c) ---------------- */
/* A person or an organisation as a case records them. For a person, number is the full ID
 * number and mobile the full 11 digits; for an organisation, number is its USCC, mobile that of
 * its legal representative, legal_rep the representative's name. */
typedef struct {
	const char *kind;           /* "person", "org" */
	const char *id;
	const char *name;
	const char *number;
	const char *mobile;
	const char *legal_rep;      /* org only */
	const char *legal_rep_id;   /* org only: the representative's person id */
	const char *division_code;  /* org only: where it is registered */
} yw_applicant;
/* NOT_FOUND when there is no such person or organisation. */
yw_err yw_identity_applicant(struct yw_store *s, yw_keys *k, yw_arena *a, const char *kind,
                             const char *id, yw_applicant *out);
/* The registered person with this ID number and name (a window clerk files for them):
 * BAD_ID_NUMBER, or PERSON_NOT_FOUND when none matches both. */
yw_err yw_identity_person_find(struct yw_store *s, yw_keys *k, yw_arena *a, const char *id_number,
                               const char *name, const char **person_id);

/* The registered organisation with this USCC and name (a window clerk files for it): BAD_USCC,
 * or ORG_NOT_FOUND when none matches both. */
yw_err yw_identity_org_find(struct yw_store *s, yw_arena *a, const char *uscc, const char *name,
                            const char **org_id);

/* Whether the holder of an ID number (18 characters, checked) may collect the result of a case
 * of item_code filed for (owner_kind, owner_id), today: the person themselves, or a person who
 * acts for the owner — their agent for the item, or an organisation's legal representative or a
 * handler authorized for the item. The number is looked up by keyed hash and not kept. */
yw_err yw_identity_may_collect(struct yw_store *s, yw_keys *k, yw_arena *a, const char *id18,
                               const char *owner_kind, const char *owner_id, const char *item_code,
                               bool *yes);

/* ---- for the OIDC provider (claims.c) ----------------------------------------------------- */
/* What a person or a staff member may be described by to a department system they signed in
 * to. The OIDC module hands on only what the granted scopes allow. */
typedef struct {
	const char *name;
	const char *mobile;       /* persons: the full 11 digits; NULL for staff */
	const char *id_number;    /* persons: the full 18 characters; NULL for staff */
} yw_subject_claims;
struct yw_store;
/* NOT_FOUND when there is no such subject (or a disabled staff member). */
yw_err yw_identity_claims(struct yw_store *s, yw_keys *k, yw_arena *a, const char *kind,
                          const char *id, yw_subject_claims *out);
/* Ends the session the request came with (r->principal.session_id), with its audit entry
 * naming why (NULL: our own logout, nothing to name); YW_E_OK and nothing done when it has none. */
yw_err yw_identity_end_session(struct yw_req *r, const char *why);
/* The Set-Cookie value that deletes the session cookie. */
const char *yw_identity_cookie_clear(struct yw_req *r);

#endif
