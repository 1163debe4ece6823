/*
 * The SQL of identity: the only place that touches persons, sessions and sms_codes, and the
 * result readers that every SQL file of identity shares. Written in the dialect SQLite and
 * PostgreSQL both accept.
 */
#include <string.h>

#include "identity/internal.h"

void *yw_idn_read_rows(yw_db *db, yw_arena *a, const char *sql, const yw_val *params, int np,
                       size_t size, yw_idn_row_fn fn, int *n, yw_err *e)
{
	yw_rows *rows = NULL;
	*n = 0;
	if ((*e = yw_db_query(db, a, &rows, sql, params, np)))
		return NULL;
	int count = yw_rows_count(rows);
	char *out = yw_zalloc(a, size * (size_t)(count ? count : 1));
	if (!out) {
		*e = YW_E_NO_MEMORY;
		return NULL;
	}
	for (int i = 0; i < count; i++)
		fn(rows, i, out + size * (size_t)i);
	*n = count;
	return out;
}

yw_err yw_idn_read_row(yw_db *db, yw_arena *a, const char *sql, const yw_val *params, int np,
                       yw_idn_row_fn fn, void *record)
{
	yw_rows *rows = NULL;
	yw_err e = yw_db_query(db, a, &rows, sql, params, np);
	if (e)
		return e;
	if (yw_rows_count(rows) == 0)
		return YW_E_NOT_FOUND;
	fn(rows, 0, record);
	return YW_E_OK;
}

#define PERSON_COLS "id, name, id_enc, mobile_enc, gender, birth_date, address, password_hash, " \
	"failed_logins, locked_until, created_at"

static void person_row(const yw_rows *rows, int i, void *record)
{
	yw_idn_person *p = record;
	*p = (yw_idn_person){
		.id = yw_rows_text(rows, i, 0),
		.name = yw_rows_text(rows, i, 1),
		.id_enc = yw_rows_text(rows, i, 2),
		.mobile_enc = yw_rows_text(rows, i, 3),
		.gender = yw_rows_text(rows, i, 4),
		.birth_date = yw_rows_text(rows, i, 5),
		.address = yw_rows_text(rows, i, 6),
		.password_hash = yw_rows_text(rows, i, 7),
		.lock = { (int)yw_rows_int(rows, i, 8), yw_rows_int(rows, i, 9) },
		.created_at = yw_rows_int(rows, i, 10),
	};
}

yw_err yw_idn_person_by(yw_db *db, yw_arena *a, const char *column, const char *value,
                        yw_idn_person *out)
{
	const char *sql;
	if (!strcmp(column, "id"))
		sql = "SELECT " PERSON_COLS " FROM persons WHERE id = $1";
	else if (!strcmp(column, "id_hash"))
		sql = "SELECT " PERSON_COLS " FROM persons WHERE id_hash = $1";
	else if (!strcmp(column, "mobile_hash"))
		sql = "SELECT " PERSON_COLS " FROM persons WHERE mobile_hash = $1";
	else
		return YW_E_INTERNAL;
	return yw_idn_read_row(db, a, sql, YW_PARAMS(YW_VTEXT(value)), person_row, out);
}

yw_err yw_idn_person_insert(yw_db *tx, const yw_idn_person *p, const char *id_hash,
                            const char *mobile_hash)
{
	return yw_db_exec(tx,
	                  "INSERT INTO persons (id, name, id_enc, id_hash, mobile_enc, mobile_hash, gender, "
	                  "birth_date, address, password_hash, failed_logins, locked_until, created_at) "
	                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, 0, $11)",
	                  YW_PARAMS(YW_VTEXT(p->id), YW_VTEXT(p->name), YW_VTEXT(p->id_enc),
	                            YW_VTEXT(id_hash), YW_VTEXT(p->mobile_enc), YW_VTEXT(mobile_hash),
	                            YW_VTEXT(p->gender), YW_VTEXT(p->birth_date), YW_VTEXT(p->address),
	                            YW_VTEXT(p->password_hash), YW_VINT(p->created_at)),
	                  NULL);
}

yw_err yw_idn_person_set_lock(yw_db *tx, const char *id, yw_lockout l)
{
	return yw_db_exec(tx, "UPDATE persons SET failed_logins = $2, locked_until = $3 WHERE id = $1",
	                  YW_PARAMS(YW_VTEXT(id), YW_VINT(l.failed), YW_VINT(l.locked_until)), NULL);
}

/* R-ID-003 in one statement: yw_lockout_fail written in SQL, so that concurrent wrong passwords
 * cannot overwrite each other's count (PostgreSQL runs READ COMMITTED: a read-then-write would
 * lose updates). The right-hand sides see the row as it was before this statement. A lock still
 * running is left as it is. $3 is now + YW_LOCK_MS. Persons and staff keep the same two columns,
 * so one statement serves both; the table is chosen from a fixed list, never spliced from input. */
#define BASE "(CASE WHEN locked_until > 0 THEN 0 ELSE failed_logins END)"
#define LOGIN_FAIL_SQL(table) \
	"UPDATE " table " SET " \
	"failed_logins = CASE WHEN locked_until > $2 THEN failed_logins " \
	"WHEN " BASE " + 1 >= $4 THEN 0 ELSE " BASE " + 1 END, " \
	"locked_until = CASE WHEN locked_until > $2 THEN locked_until " \
	"WHEN " BASE " + 1 >= $4 THEN $3 ELSE 0 END " \
	"WHERE id = $1 RETURNING failed_logins, locked_until"

yw_err yw_idn_login_fail(yw_db *tx, yw_arena *a, const char *table, const char *id, yw_ms now,
                         yw_lockout *out)
{
	const char *sql = !strcmp(table, "persons") ? LOGIN_FAIL_SQL("persons")
	                : !strcmp(table, "staff")   ? LOGIN_FAIL_SQL("staff")
	                                            : NULL;
	if (!sql)
		return YW_E_INTERNAL;
	yw_rows *rows = NULL;
	yw_err e = yw_db_query(tx, a, &rows, sql,
	                       YW_PARAMS(YW_VTEXT(id), YW_VINT(now), YW_VINT(now + YW_LOCK_MS),
	                                 YW_VINT(YW_LOCK_AFTER)));
	if (e)
		return e;
	if (yw_rows_count(rows) == 0)
		return YW_E_NOT_FOUND;
	*out = (yw_lockout){ (int)yw_rows_int(rows, 0, 0), yw_rows_int(rows, 0, 1) };
	return YW_E_OK;
}
#undef LOGIN_FAIL_SQL
#undef BASE

yw_err yw_idn_person_set_password(yw_db *tx, const char *id, const char *hash)
{
	return yw_db_exec(tx, "UPDATE persons SET password_hash = $2, failed_logins = 0, locked_until = 0 "
	                      "WHERE id = $1",
	                  YW_PARAMS(YW_VTEXT(id), YW_VTEXT(hash)), NULL);
}

yw_err yw_idn_session_insert(yw_db *tx, const yw_idn_session *s)
{
	return yw_db_exec(tx, "INSERT INTO sessions (id_hash, subject_kind, subject_id, csrf, created_at, "
	                      "last_seen, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
	                  YW_PARAMS(YW_VTEXT(s->id_hash), YW_VTEXT(s->subject_kind),
	                            YW_VTEXT(s->subject_id), YW_VTEXT(s->csrf),
	                            YW_VINT(s->created_at), YW_VINT(s->last_seen), YW_VINT(s->expires_at)),
	                  NULL);
}

static void session_row(const yw_rows *rows, int i, void *record)
{
	yw_idn_session *s = record;
	*s = (yw_idn_session){
		.id_hash = yw_rows_text(rows, i, 0),
		.subject_kind = yw_rows_text(rows, i, 1),
		.subject_id = yw_rows_text(rows, i, 2),
		.subject_name = yw_rows_text(rows, i, 3),
		.csrf = yw_rows_text(rows, i, 4),
		.created_at = yw_rows_int(rows, i, 5),
		.last_seen = yw_rows_int(rows, i, 6),
		.expires_at = yw_rows_int(rows, i, 7),
	};
}

yw_err yw_idn_session_get(yw_db *db, yw_arena *a, const char *id_hash, yw_idn_session *out)
{
	return yw_idn_read_row(db, a,
	                       "SELECT s.id_hash, s.subject_kind, s.subject_id, COALESCE(p.name, st.name), "
	                       "s.csrf, s.created_at, s.last_seen, s.expires_at FROM sessions s "
	                       "LEFT JOIN persons p ON s.subject_kind = 'person' AND p.id = s.subject_id "
	                       "LEFT JOIN staff st ON s.subject_kind = 'staff' AND st.id = s.subject_id "
	                       "WHERE s.id_hash = $1",
	                       YW_PARAMS(YW_VTEXT(id_hash)), session_row, out);
}

yw_err yw_idn_session_delete(yw_db *tx, const char *id_hash)
{
	return yw_db_exec(tx, "DELETE FROM sessions WHERE id_hash = $1", YW_PARAMS(YW_VTEXT(id_hash)),
	                  NULL);
}

/* all: every session of the subject; else only those already dead (R-ID-004). */
yw_err yw_idn_session_delete_subject(yw_db *tx, const char *kind, const char *subject_id,
                                     yw_ms idle_ms, yw_ms now, bool all)
{
	if (all)
		return yw_db_exec(tx, "DELETE FROM sessions WHERE subject_kind = $1 AND subject_id = $2",
		                  YW_PARAMS(YW_VTEXT(kind), YW_VTEXT(subject_id)), NULL);
	return yw_db_exec(tx, "DELETE FROM sessions WHERE subject_kind = $1 AND subject_id = $2 AND "
	                      "(expires_at <= $3 OR last_seen <= $4)",
	                  YW_PARAMS(YW_VTEXT(kind), YW_VTEXT(subject_id), YW_VINT(now),
	                            YW_VINT(now - idle_ms)),
	                  NULL);
}

yw_err yw_idn_session_touch(yw_db *tx, const char *id_hash, yw_ms now)
{
	return yw_db_exec(tx, "UPDATE sessions SET last_seen = $2 WHERE id_hash = $1 AND last_seen < $2",
	                  YW_PARAMS(YW_VTEXT(id_hash), YW_VINT(now)), NULL);
}

/* A new code replaces any earlier unused one: at most one live code per mobile and purpose. */
yw_err yw_idn_code_insert(yw_db *tx, const char *mobile_hash, const char *purpose,
                          const char *code_hash, yw_ms now)
{
	yw_err e = yw_db_exec(tx, "UPDATE sms_codes SET used = 1 WHERE mobile_hash = $1 AND purpose = $2 "
	                          "AND used = 0",
	                      YW_PARAMS(YW_VTEXT(mobile_hash), YW_VTEXT(purpose)), NULL);
	if (e)
		return e;
	/* Codes long dead are of no use to anyone. */
	e = yw_db_exec(tx, "DELETE FROM sms_codes WHERE mobile_hash = $1 AND expires_at < $2",
	               YW_PARAMS(YW_VTEXT(mobile_hash), YW_VINT(now - 24LL * 3600 * 1000)), NULL);
	if (e)
		return e;
	return yw_db_exec(tx, "INSERT INTO sms_codes (mobile_hash, purpose, code_hash, expires_at, "
	                      "attempts, used, created_at) VALUES ($1, $2, $3, $4, 0, 0, $5)",
	                  YW_PARAMS(YW_VTEXT(mobile_hash), YW_VTEXT(purpose), YW_VTEXT(code_hash),
	                            YW_VINT(now + YW_SMS_CODE_MS), YW_VINT(now)),
	                  NULL);
}

static void code_row(const yw_rows *rows, int i, void *record)
{
	yw_idn_code *c = record;
	*c = (yw_idn_code){
		.code_hash = yw_rows_text(rows, i, 0),
		.expires_at = yw_rows_int(rows, i, 1),
		.attempts = (int)yw_rows_int(rows, i, 2),
		.used = yw_rows_int(rows, i, 3) != 0,
	};
}

yw_err yw_idn_code_current(yw_db *tx, yw_arena *a, const char *mobile_hash, const char *purpose,
                           yw_idn_code *out)
{
	return yw_idn_read_row(tx, a,
	                       "SELECT code_hash, expires_at, attempts, used FROM sms_codes "
	                       "WHERE mobile_hash = $1 AND purpose = $2 AND used = 0 "
	                       "ORDER BY created_at DESC LIMIT 1",
	                       YW_PARAMS(YW_VTEXT(mobile_hash), YW_VTEXT(purpose)), code_row, out);
}

/* R-ID-005: spend the code in one statement, so that two requests with the same code cannot
 * both see it unused (PostgreSQL READ COMMITTED re-checks the WHERE of a row another transaction
 * just changed). *ok: it was live, unused, under the try limit and matched. Otherwise one try is
 * counted on the live code, if there is one, also in one statement. */
yw_err yw_idn_code_consume(yw_db *tx, const char *mobile_hash, const char *purpose,
                           const char *code_hash, yw_ms now, bool *ok)
{
	long long n = 0;
	*ok = false;
	yw_err e = yw_db_exec(tx, "UPDATE sms_codes SET used = 1 WHERE mobile_hash = $1 AND purpose = $2 "
	                          "AND used = 0 AND code_hash = $3 AND expires_at > $4 AND attempts < $5",
	                      YW_PARAMS(YW_VTEXT(mobile_hash), YW_VTEXT(purpose), YW_VTEXT(code_hash),
	                                YW_VINT(now), YW_VINT(YW_SMS_MAX_TRIES)),
	                      &n);
	if (e)
		return e;
	if (n > 0) {
		*ok = true;
		return YW_E_OK;
	}
	return yw_idn_code_try(tx, mobile_hash, purpose, now);
}

yw_err yw_idn_code_try(yw_db *tx, const char *mobile_hash, const char *purpose, yw_ms now)
{
	return yw_db_exec(tx, "UPDATE sms_codes SET attempts = attempts + 1 WHERE mobile_hash = $1 AND "
	                      "purpose = $2 AND used = 0 AND expires_at > $3 AND attempts < $4",
	                  YW_PARAMS(YW_VTEXT(mobile_hash), YW_VTEXT(purpose), YW_VINT(now),
	                            YW_VINT(YW_SMS_MAX_TRIES)),
	                  NULL);
}
