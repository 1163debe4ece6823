/*
 * pg.c — the PostgreSQL backend, over libpq.
 *
 * Every thread gets its own connection, opened on first use and closed when the thread ends.
 * A write runs on the caller's own connection in BEGIN … COMMIT (READ COMMITTED): PostgreSQL
 * does its own group commit across connections, so there is no writer thread here. Outside a
 * write the session is read-only, as SQLite's readers are, so that a write that bypasses
 * yw_store_write fails on both backends alike.
 *
 * Parameters go as text (integers printed, type int8) or binary (blobs, type bytea); results
 * come back as text and are typed by their column's type: integers and booleans become INT
 * cells, bytea becomes a BLOB, everything else stays TEXT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>

#include "backend.h"

/* Type OIDs from pg_type.h, which libpq does not install. */
enum { OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_OID = 26 };

enum { WRITE_ATTEMPTS = 3 };

/* Any 64-bit number will do, as long as nothing else in the database locks it. */
#define MIGRATE_LOCK_KEY 0x79776d6967726174LL   /* "ywmigrat" */

typedef struct {
	yw_db db;
	PGconn *c;
	char msg[512];
	char sqlstate[6];
} pg_conn;

typedef struct {
	yw_store base;
	char *uri;
	yw_tls conns;
} pg_store;

static const yw_backend pg_backend;

/* ---- connections ------------------------------------------------------------------------- */

static void conn_close(yw_db *db)
{
	pg_conn *c = (pg_conn *)db;

	if (!c)
		return;
	PQfinish(c->c);
	free(c);
}

/* NOTICEs (such as "relation already exists, skipping") are for people at a psql prompt. */
static void quiet(void *arg, const char *message)
{
	yw_log(YW_LOG_DEBUG, "postgres: %s", message);
}

static void copy_msg(char *dst, size_t len, const char *m)
{
	size_t n;

	yw_store_msg(dst, len, "%s", m ? m : "");
	n = strlen(dst);
	while (n && (dst[n - 1] == '\n' || dst[n - 1] == ' '))
		dst[--n] = '\0';
}

/* Read-only outside a write, as SQLite's readers are. And synchronous_commit on, whatever the
 * server, database or role default says: with off, COMMIT returns before the WAL reaches the
 * disk, and a crash could lose a write that yw_store_write had already acknowledged. */
static const char *const session_settings[] = {
	"SET default_transaction_read_only = on",
	"SET synchronous_commit = on",
};

static int session_setup(PGconn *pc)
{
	PGresult *res;
	int ok = 1;

	PQsetNoticeProcessor(pc, quiet, NULL);
	for (size_t i = 0; ok && i < sizeof(session_settings) / sizeof(session_settings[0]); i++) {
		res = PQexec(pc, session_settings[i]);
		ok = PQresultStatus(res) == PGRES_COMMAND_OK;
		PQclear(res);
	}
	return ok ? 0 : -1;
}

static yw_err conn_open(const char *uri, pg_conn **out, char *err, size_t errlen)
{
	/* Ours come first so that the same settings in the URI win. */
	const char *keys[] = {"connect_timeout", "application_name", "client_encoding", "dbname", NULL};
	const char *vals[] = {"10", "yiwang", "UTF8", uri, NULL};
	pg_conn *c = calloc(1, sizeof(*c));
	char m[512];
	yw_err r = YW_E_NO_MEMORY;

	*out = NULL;
	if (!c)
		goto out;
	c->db.be = &pg_backend;
	r = YW_E_DB_UNREACHABLE;
	c->c = PQconnectdbParams(keys, vals, 1);
	if (!c->c || PQstatus(c->c) != CONNECTION_OK) {
		copy_msg(m, sizeof(m), c->c ? PQerrorMessage(c->c) : "out of memory");
		yw_store_msg(err, errlen, "无法连接 PostgreSQL 数据库：%s", m);
		goto out;
	}
	if (session_setup(c->c) != 0) {
		copy_msg(m, sizeof(m), PQerrorMessage(c->c));
		yw_store_msg(err, errlen, "无法设置 PostgreSQL 会话：%s", m);
		goto out;
	}
	*out = c;
	c = NULL;
	r = YW_E_OK;
out:
	conn_close((yw_db *)c);
	return r;
}

/* A connection that broke (server restarted) is reopened when its thread next asks for it. */
static void revive(pg_conn *c)
{
	if (PQstatus(c->c) == CONNECTION_OK)
		return;
	PQreset(c->c);
	if (PQstatus(c->c) == CONNECTION_OK && session_setup(c->c) != 0)
		yw_log(YW_LOG_WARN, "postgres: session setup after reconnect failed");
}

static yw_db *pg_reader(yw_store *st)
{
	pg_store *s = (pg_store *)st;
	pg_conn *c = (pg_conn *)yw_tls_get(&s->conns);
	char err[512];

	if (c) {
		if (!c->db.in_write && !c->db.in_snapshot)
			revive(c);
		return &c->db;
	}
	if (conn_open(s->uri, &c, err, sizeof(err)) != YW_E_OK) {
		yw_log(YW_LOG_ERROR, "postgres reader: %s", err);
		return NULL;
	}
	if (yw_tls_put(&s->conns, &c->db) != 0) {
		conn_close(&c->db);
		return NULL;
	}
	return &c->db;
}

/* ---- statements -------------------------------------------------------------------------- */

typedef struct {
	const char **values;
	int *lengths;
	int *formats;
	Oid *types;
	char (*nums)[24];
} pg_params;

/* One allocation for the five arrays libpq wants; pointers first for alignment. */
static int params_build(pg_params *pp, const yw_val *p, int n)
{
	size_t each = sizeof(char *) + 2 * sizeof(int) + sizeof(Oid) + 24;
	char *m;

	memset(pp, 0, sizeof(*pp));
	if (n == 0)
		return 0;
	m = calloc((size_t)n, each);
	if (!m)
		return -1;
	pp->values = (const char **)(void *)m;
	pp->lengths = (int *)(void *)(m + n * sizeof(char *));
	pp->formats = pp->lengths + n;
	pp->types = (Oid *)(void *)(pp->formats + n);
	pp->nums = (char (*)[24])(void *)(pp->types + n);
	for (int i = 0; i < n; i++) {
		switch (p[i].type) {
		case YW_V_NULL:
			break;
		case YW_V_INT:
			snprintf(pp->nums[i], sizeof(pp->nums[i]), "%lld", p[i].i);
			pp->values[i] = pp->nums[i];
			pp->types[i] = OID_INT8;
			break;
		case YW_V_TEXT:
			pp->values[i] = p[i].s;   /* type left to the server to infer from the SQL */
			break;
		case YW_V_BLOB:
			pp->values[i] = p[i].s ? p[i].s : "";
			pp->lengths[i] = (int)p[i].n;
			pp->formats[i] = 1;
			pp->types[i] = OID_BYTEA;
			break;
		}
	}
	return 0;
}

static yw_err map_failure(pg_conn *c, PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	copy_msg(c->msg, sizeof(c->msg), res ? PQresultErrorMessage(res) : PQerrorMessage(c->c));
	if (!c->msg[0])
		copy_msg(c->msg, sizeof(c->msg), PQerrorMessage(c->c));
	yw_store_msg(c->sqlstate, sizeof(c->sqlstate), "%s", state ? state : "");
	if (PQstatus(c->c) != CONNECTION_OK)
		return YW_E_DB_UNREACHABLE;
	/* 23505 unique, 23503 foreign key: the row conflicts with one that exists (or not). */
	if (strcmp(c->sqlstate, "23505") == 0 || strcmp(c->sqlstate, "23503") == 0)
		return YW_E_DB_CONSTRAINT;
	return YW_E_DB_ERROR;
}

static yw_err run(pg_conn *c, const char *sql, const yw_val *p, int n, PGresult **out)
{
	pg_params pp;
	PGresult *res;
	ExecStatusType st;
	yw_err r;

	*out = NULL;
	c->msg[0] = c->sqlstate[0] = '\0';
	if (params_build(&pp, p, n) != 0)
		return YW_E_NO_MEMORY;
	res = PQexecParams(c->c, sql, n, pp.types, pp.values, pp.lengths, pp.formats, 0);
	free(pp.values);
	st = PQresultStatus(res);
	if (res && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)) {
		*out = res;
		return YW_E_OK;
	}
	r = map_failure(c, res);
	PQclear(res);
	return r;
}

static yw_err pg_exec(yw_db *db, const char *sql, const yw_val *p, int n, long long *changes)
{
	PGresult *res;
	yw_err r = run((pg_conn *)db, sql, p, n, &res);

	if (r)
		return r;
	if (changes)
		*changes = strtoll(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return YW_E_OK;
}

static bool is_int_type(Oid t)
{
	return t == OID_INT2 || t == OID_INT4 || t == OID_INT8 || t == OID_OID;
}

static yw_err push_cell(yw_rowbuf *b, const PGresult *res, int row, int col)
{
	const char *s = PQgetvalue(res, row, col);
	Oid t = PQftype(res, col);
	unsigned char *bin;
	size_t n;
	yw_err r;

	if (PQgetisnull(res, row, col))
		return yw_rowbuf_push(b, YW_VNULL);
	if (is_int_type(t))
		return yw_rowbuf_push(b, YW_VINT(strtoll(s, NULL, 10)));
	if (t == OID_BOOL)
		return yw_rowbuf_push(b, YW_VINT(s[0] == 't'));
	if (t != OID_BYTEA)
		return yw_rowbuf_push(b, (yw_val){.type = YW_V_TEXT, .s = s,
		                                  .n = (size_t)PQgetlength(res, row, col)});
	bin = PQunescapeBytea((const unsigned char *)s, &n);
	if (!bin)
		return YW_E_NO_MEMORY;
	r = yw_rowbuf_push(b, YW_VBLOB(bin, n));
	PQfreemem(bin);
	return r;
}

static yw_err pg_query(yw_db *db, yw_arena *a, yw_rows **out, const char *sql, const yw_val *p,
                       int n)
{
	PGresult *res;
	yw_rowbuf b;
	yw_err r = run((pg_conn *)db, sql, p, n, &res);
	int rows;

	if (r)
		return r;
	yw_rowbuf_init(&b, a, PQnfields(res));
	rows = PQntuples(res);
	for (int i = 0; i < rows && r == YW_E_OK; i++)
		for (int col = 0; col < b.ncols && r == YW_E_OK; col++)
			r = push_cell(&b, res, i, col);
	PQclear(res);
	if (r) {
		yw_rowbuf_discard(&b);
		return r;
	}
	return yw_rowbuf_finish(&b, out);
}

static yw_err pg_script(yw_db *db, const char *sql)
{
	pg_conn *c = (pg_conn *)db;
	PGresult *res;
	ExecStatusType st;
	yw_err r = YW_E_OK;

	c->msg[0] = c->sqlstate[0] = '\0';
	res = PQexec(c->c, sql);
	st = PQresultStatus(res);
	if (!res || (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK))
		r = map_failure(c, res);
	PQclear(res);
	return r;
}

static const char *pg_errmsg(yw_db *db)
{
	pg_conn *c = (pg_conn *)db;

	return c->msg[0] ? c->msg : PQerrorMessage(c->c);
}

static yw_err simple(pg_conn *c, const char *sql)
{
	return pg_exec(&c->db, sql, YW_NOPARAMS, NULL);
}

static yw_err pg_has_table(yw_db *db, const char *name, bool *out)
{
	PGresult *res;
	yw_err r = run((pg_conn *)db, "SELECT to_regclass($1) IS NOT NULL", YW_PARAMS(YW_VTEXT(name)),
	               &res);

	*out = false;
	if (r)
		return r;
	*out = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return YW_E_OK;
}

/* ---- transactions ------------------------------------------------------------------------ */

/* A COMMIT of a transaction that had already failed answers "ROLLBACK", not an error. */
static yw_err commit(pg_conn *c)
{
	PGresult *res;
	yw_err r = run(c, "COMMIT", YW_NOPARAMS, &res);

	if (r)
		return r;
	if (strcmp(PQcmdStatus(res), "COMMIT") != 0) {
		copy_msg(c->msg, sizeof(c->msg), "transaction was rolled back at commit");
		r = YW_E_DB_ERROR;
	}
	PQclear(res);
	return r;
}

/* Deadlocks and serialisation failures are the server's choice of victim, not the write's
 * fault: the same write usually succeeds at once when run again. */
static bool retryable(const pg_conn *c)
{
	return strcmp(c->sqlstate, "40P01") == 0 || strcmp(c->sqlstate, "40001") == 0;
}

static yw_err write_once(pg_store *s, pg_conn *c, yw_write_fn fn, void *arg, bool *retry)
{
	yw_err r = simple(c, "BEGIN READ WRITE");

	*retry = false;
	if (r)
		goto out;
	r = yw_db_run_write(&c->db, fn, arg);
	if (r) {
		*retry = retryable(c);
		simple(c, "ROLLBACK");
		goto out;
	}
	r = commit(c);
	*retry = r && retryable(c);
out:
	yw_store_count(&s->base, 1, 1, r ? 1 : 0);
	return r;
}

static yw_err pg_write(yw_store *st, yw_write_fn fn, void *arg)
{
	pg_store *s = (pg_store *)st;
	pg_conn *c = (pg_conn *)pg_reader(st);
	bool retry = false;
	yw_err r;

	if (!c)
		return YW_E_DB_UNREACHABLE;
	for (int attempt = 1;; attempt++) {
		r = write_once(s, c, fn, arg, &retry);
		if (!retry || attempt == WRITE_ATTEMPTS)
			break;
		yw_log(YW_LOG_INFO, "postgres: write retried after %s", c->sqlstate);
	}
	return r;
}

static yw_err pg_snapshot(yw_store *st, yw_db *db, yw_write_fn fn, void *arg)
{
	pg_conn *c = (pg_conn *)db;
	yw_err r = simple(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	yw_err end;

	if (r)
		return r;
	r = fn(db, arg);
	end = simple(c, r ? "ROLLBACK" : "COMMIT");
	return r ? r : end;
}

/* A session lock on this thread's connection, held across the migrations' transactions. */
static yw_err pg_migrate_lock(yw_store *st, bool take)
{
	pg_conn *c = (pg_conn *)pg_reader(st);

	if (!c)
		return YW_E_DB_UNREACHABLE;
	return pg_exec(&c->db, take ? "SELECT pg_advisory_lock($1)" : "SELECT pg_advisory_unlock($1)",
	               YW_PARAMS(YW_VINT(MIGRATE_LOCK_KEY)), NULL);
}

/* ---- open and close ---------------------------------------------------------------------- */

static void destroy(pg_store *s)
{
	yw_tls_destroy(&s->conns);
	free(s->uri);
	free(s);
}

static void pg_close(yw_store *st)
{
	destroy((pg_store *)st);
}

yw_err yw_pg_open(const yw_config *cfg, yw_store **out, char *err, size_t errlen)
{
	pg_store *s = calloc(1, sizeof(*s));
	pg_conn *c = NULL;
	yw_err r = YW_E_NO_MEMORY;

	*out = NULL;
	if (!s)
		return r;
	s->base.be = &pg_backend;
	s->uri = strdup(cfg->db);
	if (!s->uri || yw_tls_init(&s->conns, conn_close) != 0)
		goto out;
	/* Connecting now makes a wrong URI or a server that is down fail at start, not later. */
	r = conn_open(s->uri, &c, err, errlen);
	if (r)
		goto out;
	r = YW_E_NO_MEMORY;
	if (yw_tls_put(&s->conns, &c->db) != 0)
		goto out;
	c = NULL;
	*out = &s->base;
	s = NULL;
	r = YW_E_OK;
out:
	conn_close((yw_db *)c);
	if (s)
		destroy(s);
	return r;
}

static const yw_backend pg_backend = {
	.name = "postgres",
	.close = pg_close,
	.reader = pg_reader,
	.write = pg_write,
	.snapshot = pg_snapshot,
	.exec = pg_exec,
	.query = pg_query,
	.script = pg_script,
	.errmsg = pg_errmsg,
	.migrate_lock = pg_migrate_lock,
	.has_table = pg_has_table,
};
