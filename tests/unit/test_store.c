/*
 * The store on both backends: values survive the round trip, one failed write in a group commit
 * fails alone (even when the failure only shows at COMMIT), migrations are idempotent and refuse a
 * newer database, under many concurrent writers every acknowledged write is there after
 * reopening, and a pinned thread's reads share one snapshot until its own write.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <unistd.h>

#include "store_fixture.h"
#include "store/backend.h"

/* ---- round trip -------------------------------------------------------------------------- */

static const char chinese[] = "一网通办·只进一扇门，最多跑一次";
static const unsigned char blob[] = {0x00, 0xff, 0x5c, 0x78, 0x00, 0x27, 0x01};

static yw_err insert_samples(yw_db *tx, void *arg)
{
	static const char sql[] = "INSERT INTO t_rt (id, n, note, data) VALUES ($1, $2, $3, $4)";
	yw_err r;

	r = yw_db_exec(tx, sql, YW_PARAMS(YW_VTEXT("a"), YW_VINT(LLONG_MAX), YW_VTEXT(chinese),
	                                  YW_VBLOB(blob, sizeof(blob))), NULL);
	if (r == YW_E_OK)
		r = yw_db_exec(tx, sql, YW_PARAMS(YW_VTEXT("b"), YW_VINT(LLONG_MIN), YW_VNULL, YW_VBLOB("", 0)),
		               NULL);
	if (r == YW_E_OK)
		r = yw_db_exec(tx, sql, YW_PARAMS(YW_VTEXT("c"), YW_VINT(-42), YW_VTEXT(""), YW_VNULL), NULL);
	return r;
}

static void test_roundtrip(void **state)
{
	store_env *e = *state;
	yw_store *s = env_open(e);
	yw_arena *a = yw_arena_new(4096);
	yw_db *db = yw_store_reader(s);
	yw_rows *rows;
	size_t len;
	const void *p;

	sql_write(s, "DROP TABLE IF EXISTS t_rt",
	          "CREATE TABLE t_rt (id TEXT PRIMARY KEY, n BIGINT, note TEXT, data BYTEA)", NULL);
	assert_int_equal(yw_store_write(s, insert_samples, NULL), YW_E_OK);

	assert_int_equal(yw_db_query(db, a, &rows, "SELECT id, n, note, data FROM t_rt ORDER BY id",
	                             YW_NOPARAMS), YW_E_OK);
	assert_int_equal(yw_rows_count(rows), 3);
	assert_int_equal(yw_rows_columns(rows), 4);
	assert_string_equal(yw_rows_text(rows, 0, 0), "a");
	assert_true(yw_rows_int(rows, 0, 1) == LLONG_MAX);
	assert_string_equal(yw_rows_text(rows, 0, 1), "9223372036854775807");
	assert_string_equal(yw_rows_text(rows, 0, 2), chinese);
	p = yw_rows_blob(rows, 0, 3, &len);
	assert_int_equal(len, sizeof(blob));
	assert_memory_equal(p, blob, sizeof(blob));

	assert_true(yw_rows_int(rows, 1, 1) == LLONG_MIN);
	assert_true(yw_rows_is_null(rows, 1, 2));
	assert_null(yw_rows_text(rows, 1, 2));
	assert_int_equal(yw_rows_int(rows, 1, 2), 0);
	p = yw_rows_blob(rows, 1, 3, &len);
	assert_non_null(p);
	assert_int_equal(len, 0);
	assert_false(yw_rows_is_null(rows, 1, 3));

	assert_int_equal(yw_rows_int(rows, 2, 1), -42);
	assert_string_equal(yw_rows_text(rows, 2, 2), "");
	assert_false(yw_rows_is_null(rows, 2, 2));
	assert_true(yw_rows_is_null(rows, 2, 3));
	/* out of range reads as NULL rather than crashing */
	assert_true(yw_rows_is_null(rows, 3, 0));
	assert_null(yw_rows_text(rows, 0, 4));
	assert_int_equal(yw_rows_type(rows, 0, 4), YW_V_NULL);
	/* each cell's type; text read as bytes has its true length */
	assert_int_equal(yw_rows_type(rows, 0, 0), YW_V_TEXT);
	assert_int_equal(yw_rows_type(rows, 0, 1), YW_V_INT);
	assert_int_equal(yw_rows_type(rows, 0, 3), YW_V_BLOB);
	assert_int_equal(yw_rows_type(rows, 1, 2), YW_V_NULL);
	p = yw_rows_blob(rows, 0, 2, &len);
	assert_int_equal(len, strlen(chinese));
	assert_memory_equal(p, chinese, len);

	/* $n may repeat and come in any order */
	assert_int_equal(yw_db_query(db, a, &rows,
	                             "SELECT id FROM t_rt WHERE (n = $2 OR n = $1) AND note IS NOT NULL "
	                             "AND n <> $3 AND $3 = $3 ORDER BY id",
	                             YW_PARAMS(YW_VINT(-42), YW_VINT(LLONG_MAX), YW_VINT(7))), YW_E_OK);
	assert_int_equal(yw_rows_count(rows), 2);
	assert_string_equal(yw_rows_text(rows, 0, 0), "a");
	assert_string_equal(yw_rows_text(rows, 1, 0), "c");
	/* a Chinese parameter matches Chinese text; count(*) is an integer on both backends */
	assert_int_equal(read_int(s, "SELECT count(*) FROM t_rt WHERE note = $1",
	                          YW_PARAMS(YW_VTEXT(chinese))), 1);
	/* a parameter with no value is an error, not a silent NULL */
	assert_int_not_equal(yw_db_query(db, a, &rows, "SELECT id FROM t_rt WHERE id = $2",
	                                 YW_PARAMS(YW_VTEXT("a"))), YW_E_OK);
	/* outside yw_store_write the connection is read-only */
	assert_int_not_equal(yw_db_exec(db, "DELETE FROM t_rt", YW_NOPARAMS, NULL), YW_E_OK);
	assert_int_equal(read_int(s, "SELECT count(*) FROM t_rt", YW_NOPARAMS), 3);

	yw_arena_free(a);
	yw_store_close(s);
}

static yw_err update_all(yw_db *tx, void *arg)
{
	return yw_db_exec(tx, "UPDATE t_rt SET note = $1", YW_PARAMS(YW_VTEXT("改")), arg);
}

static yw_err insert_duplicate(yw_db *tx, void *arg)
{
	return yw_db_exec(tx, "INSERT INTO t_rt (id, n) VALUES ('a', 1)", YW_NOPARAMS, NULL);
}

static void test_changes_and_constraint(void **state)
{
	store_env *e = *state;
	yw_store *s = env_open(e);
	long long changes = -1;

	assert_int_equal(yw_store_write(s, update_all, &changes), YW_E_OK);
	assert_int_equal(changes, 3);
	assert_int_equal(yw_store_write(s, insert_duplicate, NULL), YW_E_DB_CONSTRAINT);
	assert_int_equal(read_int(s, "SELECT count(*) FROM t_rt WHERE note = '改'", YW_NOPARAMS), 3);
	yw_store_close(s);
}

/* ---- one failed write fails alone -------------------------------------------------------- */

typedef struct {
	yw_store *s;
	int i;
	yw_err result;
} batch_job;

/* Holds the writer (or, on PostgreSQL, just its own transaction) while the others queue. */
static yw_err slow_write(yw_db *tx, void *arg)
{
	usleep(300 * 1000);
	return yw_db_exec(tx, "INSERT INTO t_batch (id) VALUES ('slow')", YW_NOPARAMS, NULL);
}

/* i % 3 == 0 fails by its own verdict, 1 by a failed statement it ignores, 2 succeeds. */
static yw_err batch_write(yw_db *tx, void *arg)
{
	batch_job *j = arg;
	char id[16];
	yw_err r;

	snprintf(id, sizeof(id), "k%d", j->i);
	r = yw_db_exec(tx, "INSERT INTO t_batch (id) VALUES ($1)", YW_PARAMS(YW_VTEXT(id)), NULL);
	if (r)
		return r;
	if (j->i % 3 == 0)
		return YW_E_CONFLICT;
	if (j->i % 3 == 1)
		(void)yw_db_exec(tx, "INSERT INTO t_batch (id) VALUES ($1)", YW_PARAMS(YW_VTEXT(id)), NULL);
	return YW_E_OK;
}

static void *batch_thread(void *arg)
{
	batch_job *j = arg;

	j->result = j->i < 0 ? yw_store_write(j->s, slow_write, NULL)
	                     : yw_store_write(j->s, batch_write, j);
	return NULL;
}

enum { BATCH_JOBS = 12 };

static void test_failed_write_fails_alone(void **state)
{
	store_env *e = *state;
	yw_store *s = env_open(e);
	pthread_t th[BATCH_JOBS + 1];
	batch_job jobs[BATCH_JOBS + 1];
	yw_store_stats before, after;
	char id[16];

	sql_write(s, "DROP TABLE IF EXISTS t_batch", "CREATE TABLE t_batch (id TEXT PRIMARY KEY)", NULL);
	yw_store_get_stats(s, &before);
	jobs[0] = (batch_job){.s = s, .i = -1};
	assert_int_equal(pthread_create(&th[0], NULL, batch_thread, &jobs[0]), 0);
	usleep(50 * 1000);
	for (int i = 1; i <= BATCH_JOBS; i++) {
		jobs[i] = (batch_job){.s = s, .i = i};
		assert_int_equal(pthread_create(&th[i], NULL, batch_thread, &jobs[i]), 0);
	}
	for (int i = 0; i <= BATCH_JOBS; i++)
		pthread_join(th[i], NULL);
	yw_store_get_stats(s, &after);

	assert_int_equal(jobs[0].result, YW_E_OK);
	for (int i = 1; i <= BATCH_JOBS; i++) {
		yw_err want = i % 3 == 0 ? YW_E_CONFLICT : i % 3 == 1 ? YW_E_DB_CONSTRAINT : YW_E_OK;

		snprintf(id, sizeof(id), "k%d", i);
		assert_int_equal(jobs[i].result, want);
		assert_int_equal(read_int(s, "SELECT count(*) FROM t_batch WHERE id = $1",
		                          YW_PARAMS(YW_VTEXT(id))), want == YW_E_OK ? 1 : 0);
	}
	assert_int_equal(after.writes - before.writes, BATCH_JOBS + 1);
	/* On SQLite the twelve queued behind the slow one shared one or two transactions, so the
	 * failures above were rolled back inside a batch whose other jobs committed. */
	if (!e->pg)
		assert_true(after.batches - before.batches <= 3);
	yw_store_close(s);
}

enum { MAX_BEHIND_SLOW = 16 };

/* Starts the slow write, then each job on its own thread a little apart, so that on SQLite
 * they all queue behind it in order and meet in one batch; then waits for all of them. */
static void run_behind_slow(yw_store *s, batch_job *jobs, int n, void *(*body)(void *))
{
	pthread_t th[MAX_BEHIND_SLOW + 1];
	batch_job slow = {.s = s, .i = -1};

	assert_true(n <= MAX_BEHIND_SLOW);
	assert_int_equal(pthread_create(&th[0], NULL, batch_thread, &slow), 0);
	usleep(50 * 1000);
	for (int i = 0; i < n; i++) {
		jobs[i].s = s;
		assert_int_equal(pthread_create(&th[i + 1], NULL, body, &jobs[i]), 0);
		usleep(5 * 1000);
	}
	for (int i = 0; i <= n; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(slow.result, YW_E_OK);
}

/* ---- a failure that only COMMIT finds ---------------------------------------------------- */

/* A deferred foreign key is checked at COMMIT, once every savepoint of the batch has been
 * released, so one job's orphan fails the batch's single COMMIT. Job GUILTY writes the orphan
 * (under parent p<GUILTY>, which it creates, and child c<GUILTY>, which points nowhere);
 * job SEES_GUILTY creates the same parent p<GUILTY> and so, inside the batch, fails on the
 * guilty job's uncommitted row; job REFUSES fails by its own verdict; the rest succeed. */
enum { DEFERRED_JOBS = 8, GUILTY = 4, SEES_GUILTY = 6, REFUSES = 7 };

static yw_err deferred_write(yw_db *tx, void *arg)
{
	batch_job *j = arg;
	char parent[16], child[16];
	yw_err r;

	snprintf(parent, sizeof(parent), "p%d", j->i == SEES_GUILTY ? GUILTY : j->i);
	snprintf(child, sizeof(child), "c%d", j->i);
	r = yw_db_exec(tx, "INSERT INTO t_parent (id) VALUES ($1)", YW_PARAMS(YW_VTEXT(parent)), NULL);
	if (r == YW_E_OK)
		r = yw_db_exec(tx, "INSERT INTO t_child (id, parent) VALUES ($1, $2)",
		               YW_PARAMS(YW_VTEXT(child), YW_VTEXT(j->i == GUILTY ? "nobody" : parent)),
		               NULL);
	if (r == YW_E_OK && j->i == REFUSES)
		return YW_E_CONFLICT;
	return r;
}

static void *deferred_thread(void *arg)
{
	batch_job *j = arg;

	j->result = yw_store_write(j->s, deferred_write, j);
	return NULL;
}

static void test_commit_failure_fails_alone(void **state)
{
	store_env *e = *state;
	yw_store *s = env_open(e);
	batch_job jobs[DEFERRED_JOBS];
	yw_store_stats before, after;
	char id[16];

	sql_write(s, "DROP TABLE IF EXISTS t_child", "DROP TABLE IF EXISTS t_parent",
	          "DROP TABLE IF EXISTS t_batch", "CREATE TABLE t_batch (id TEXT PRIMARY KEY)",
	          "CREATE TABLE t_parent (id TEXT PRIMARY KEY)",
	          "CREATE TABLE t_child (id TEXT PRIMARY KEY, parent TEXT NOT NULL "
	          "REFERENCES t_parent (id) DEFERRABLE INITIALLY DEFERRED)", NULL);
	for (int i = 0; i < DEFERRED_JOBS; i++)
		jobs[i] = (batch_job){.i = i + 1};
	yw_store_get_stats(s, &before);
	run_behind_slow(s, jobs, DEFERRED_JOBS, deferred_thread);
	yw_store_get_stats(s, &after);

	for (int i = 0; i < DEFERRED_JOBS; i++) {
		int k = jobs[i].i;
		yw_err want = k == GUILTY ? YW_E_DB_CONSTRAINT : k == REFUSES ? YW_E_CONFLICT : YW_E_OK;

		if (jobs[i].result != want)
			fail_msg("job %d: want %s, got %s", k, yw_err_code(want), yw_err_code(jobs[i].result));
		snprintf(id, sizeof(id), "c%d", k);
		assert_int_equal(read_int(s, "SELECT count(*) FROM t_child WHERE id = $1",
		                          YW_PARAMS(YW_VTEXT(id))), want == YW_E_OK ? 1 : 0);
	}
	assert_int_equal(read_int(s, "SELECT count(*) FROM t_child", YW_NOPARAMS), DEFERRED_JOBS - 2);
	assert_int_equal(read_int(s, "SELECT count(*) FROM t_parent", YW_NOPARAMS), DEFERRED_JOBS - 2);
	/* On SQLite the jobs did meet in one batch and its COMMIT did fail: the path was taken. */
	if (!e->pg)
		assert_true(after.failed_commits - before.failed_commits >= 1);
	yw_store_close(s);
}

/* ---- a savepoint that cannot be undone --------------------------------------------------- */

/* The one way to make undoing a job's savepoint fail on demand: the job releases the writer's
 * savepoint (named w) itself, then fails. Its insert must not survive in the batch. On
 * PostgreSQL the RELEASE simply fails and spoils the write. */
enum { UNDO_JOBS = 6, UNRULY = 3 };

static yw_err unruly_write(yw_db *tx, void *arg)
{
	batch_job *j = arg;
	char id[16];

	snprintf(id, sizeof(id), "k%d", j->i);
	(void)yw_db_exec(tx, "INSERT INTO t_batch (id) VALUES ($1)", YW_PARAMS(YW_VTEXT(id)), NULL);
	if (j->i != UNRULY)
		return YW_E_OK;
	(void)yw_db_exec(tx, "RELEASE w", YW_NOPARAMS, NULL);
	return YW_E_CONFLICT;
}

static void *unruly_thread(void *arg)
{
	batch_job *j = arg;

	j->result = yw_store_write(j->s, unruly_write, j);
	return NULL;
}

static void test_savepoint_undo_failure(void **state)
{
	store_env *e = *state;
	yw_store *s = env_open(e);
	batch_job jobs[UNDO_JOBS];
	char id[16];

	sql_write(s, "DROP TABLE IF EXISTS t_batch", "CREATE TABLE t_batch (id TEXT PRIMARY KEY)", NULL);
	for (int i = 0; i < UNDO_JOBS; i++)
		jobs[i] = (batch_job){.i = i + 1};
	run_behind_slow(s, jobs, UNDO_JOBS, unruly_thread);

	for (int i = 0; i < UNDO_JOBS; i++) {
		int k = jobs[i].i;
		yw_err want = k == UNRULY ? YW_E_CONFLICT : YW_E_OK;

		assert_int_equal(jobs[i].result, want);
		snprintf(id, sizeof(id), "k%d", k);
		assert_int_equal(read_int(s, "SELECT count(*) FROM t_batch WHERE id = $1",
		                          YW_PARAMS(YW_VTEXT(id))), want == YW_E_OK ? 1 : 0);
	}
	assert_int_equal(read_int(s, "SELECT count(*) FROM t_batch WHERE id <> 'slow'", YW_NOPARAMS),
	                 UNDO_JOBS - 1);
	yw_store_close(s);
}

/* ---- SQLite result codes ----------------------------------------------------------------- */

/* Extended codes (on for every connection) carry the primary code in their low byte. A busy or
 * locked database is worth retrying whichever variant says so; a row that conflicts with
 * another is a constraint error as on PostgreSQL (23505, 23503); a row that breaks its own
 * table's rules (NOT NULL, CHECK) is a plain database error there too. */
static void test_sqlite_error_codes(void **state)
{
	static const struct {
		int code;
		yw_err want;
	} cases[] = {
		{SQLITE_BUSY, YW_E_UNAVAILABLE},
		{SQLITE_BUSY_RECOVERY, YW_E_UNAVAILABLE},
		{SQLITE_BUSY_SNAPSHOT, YW_E_UNAVAILABLE},
		{SQLITE_BUSY_TIMEOUT, YW_E_UNAVAILABLE},
		{SQLITE_LOCKED, YW_E_UNAVAILABLE},
		{SQLITE_LOCKED_SHAREDCACHE, YW_E_UNAVAILABLE},
		{SQLITE_LOCKED_VTAB, YW_E_UNAVAILABLE},
		{SQLITE_CONSTRAINT_UNIQUE, YW_E_DB_CONSTRAINT},
		{SQLITE_CONSTRAINT_PRIMARYKEY, YW_E_DB_CONSTRAINT},
		{SQLITE_CONSTRAINT_FOREIGNKEY, YW_E_DB_CONSTRAINT},
		{SQLITE_CONSTRAINT_ROWID, YW_E_DB_CONSTRAINT},
		{SQLITE_CONSTRAINT_NOTNULL, YW_E_DB_ERROR},
		{SQLITE_CONSTRAINT_CHECK, YW_E_DB_ERROR},
		{SQLITE_NOMEM, YW_E_NO_MEMORY},
		{SQLITE_IOERR_FSYNC, YW_E_DB_ERROR},
		{SQLITE_FULL, YW_E_DB_ERROR},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (yw_sqlite_error(cases[i].code) != cases[i].want)
			fail_msg("SQLite code %d: want %s, got %s", cases[i].code, yw_err_code(cases[i].want),
			         yw_err_code(yw_sqlite_error(cases[i].code)));
}

/* ---- nesting is refused ------------------------------------------------------------------ */

static yw_err nested_write(yw_db *tx, void *arg)
{
	return yw_store_write(arg, nested_write, arg) == YW_E_INTERNAL ? YW_E_OK : YW_E_INTERNAL;
}

/* A read inside a read simply joins the outer snapshot. */
static yw_err snapshot_counts_inner(yw_db *db, void *arg)
{
	return YW_E_OK;
}

static yw_err write_in_read(yw_db *db, void *arg)
{
	return yw_store_write(arg, nested_write, arg);
}

typedef struct {
	yw_store *s;
	long long head_rows, log_rows;
} snapshot_args;

/* Two queries, one snapshot; and a write from inside it would not see that snapshot. */
static yw_err snapshot_counts(yw_db *db, void *arg)
{
	snapshot_args *sa = arg;
	yw_arena *a = yw_arena_new(512);
	yw_rows *head, *log;
	yw_err r = yw_db_query(db, a, &head, "SELECT count(*) FROM audit_head", YW_NOPARAMS);

	if (r == YW_E_OK)
		r = yw_db_query(db, a, &log, "SELECT count(*) FROM audit_log", YW_NOPARAMS);
	if (r == YW_E_OK) {
		sa->head_rows = yw_rows_int(head, 0, 0);
		sa->log_rows = yw_rows_int(log, 0, 0);
		if (yw_store_read(sa->s, snapshot_counts_inner, NULL) != YW_E_OK)
			r = YW_E_INTERNAL;
	}
	yw_arena_free(a);
	return r;
}

static void test_nesting_refused(void **state)
{
	store_env *e = *state;
	yw_store *s = env_open(e);
	snapshot_args sa = {.s = s, .head_rows = -1, .log_rows = -1};

	assert_int_equal(yw_store_write(s, nested_write, s), YW_E_OK);
	assert_int_equal(yw_store_read(s, write_in_read, s), YW_E_INTERNAL);
	assert_int_equal(yw_store_read(s, snapshot_counts, &sa), YW_E_OK);
	assert_int_equal(sa.head_rows, 1);
	assert_true(sa.log_rows >= 0);
	yw_store_close(s);
}

/* The rule holds across stores too: a write function that writes or reads through another
 * store would commit apart from its own transaction (and on the same database wait for it). A
 * read inside a read is still fine. */
typedef struct {
	yw_store *other;
	yw_err write, read;
} cross_args;

static yw_err touch(yw_db *tx, void *arg)
{
	return yw_db_exec(tx, "SELECT 1", YW_NOPARAMS, NULL);
}

static yw_err use_other_store(yw_db *db, void *arg)
{
	cross_args *ca = arg;

	ca->write = yw_store_write(ca->other, touch, NULL);
	ca->read = yw_store_read(ca->other, touch, NULL);
	return YW_E_OK;
}

static void test_nesting_refused_across_stores(void **state)
{
	store_env *e = *state;
	store_env second = *e;
	yw_store *s = env_open(e), *other;
	cross_args in_write = {0}, in_read = {0};

	if (!e->pg)
		snprintf(second.cfg.data_dir, sizeof(second.cfg.data_dir), "%s/second", e->dir);
	other = env_open(&second);
	in_write.other = in_read.other = other;
	assert_int_equal(yw_store_write(s, use_other_store, &in_write), YW_E_OK);
	assert_int_equal(yw_store_read(s, use_other_store, &in_read), YW_E_OK);
	yw_store_close(other);
	yw_store_close(s);

	assert_int_equal(in_write.write, YW_E_INTERNAL);
	assert_int_equal(in_write.read, YW_E_INTERNAL);
	assert_int_equal(in_read.write, YW_E_INTERNAL);
	assert_int_equal(in_read.read, YW_E_OK);
}

/* ---- durability settings ----------------------------------------------------------------- */

typedef struct {
	bool pg;
	char value[16];
} durability;

/* What the write connection does at COMMIT: PRAGMA synchronous 2 is FULL, an fsync per commit;
 * synchronous_commit on waits for the WAL to reach the disk. */
static yw_err read_durability(yw_db *tx, void *arg)
{
	durability *d = arg;
	yw_arena *a = yw_arena_new(512);
	yw_rows *rows;
	yw_err r = YW_E_NO_MEMORY;

	if (!a)
		return r;
	r = yw_db_query(tx, a, &rows, d->pg ? "SELECT current_setting('synchronous_commit')"
	                                    : "PRAGMA synchronous", YW_NOPARAMS);
	if (r == YW_E_OK && yw_rows_count(rows) == 1)
		snprintf(d->value, sizeof(d->value), "%s", yw_rows_text(rows, 0, 0));
	yw_arena_free(a);
	return r;
}

/* A write is acknowledged only once durable, whatever the server's default: even when the
 * role's default is synchronous_commit = off (commits acknowledged before the WAL is flushed),
 * the store's sessions commit synchronously. */
static void test_commit_is_durable(void **state)
{
	store_env *e = *state;
	yw_store *s = env_open(e);
	durability d = {.pg = e->pg};
	yw_err r;

	if (e->pg) {
		sql_write(s, "ALTER ROLE CURRENT_USER SET synchronous_commit = off", NULL);
		yw_store_close(s);
		s = env_open(e);   /* new sessions, which start with the role's default */
	}
	r = yw_store_write(s, read_durability, &d);
	if (e->pg)
		sql_write(s, "ALTER ROLE CURRENT_USER RESET synchronous_commit", NULL);
	yw_store_close(s);
	assert_int_equal(r, YW_E_OK);
	assert_string_equal(d.value, e->pg ? "on" : "2");
}

/* ---- migrations -------------------------------------------------------------------------- */

static long long count_objects(yw_store *s, bool pg)
{
	return read_int(s, pg ? "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'"
	                      : "SELECT count(*) FROM sqlite_master", YW_NOPARAMS);
}

static void test_migrate_twice(void **state)
{
	store_env *e = *state;
	store_env fresh = *e;
	yw_store *s = NULL;
	int applied = -1, in_db = -1, in_binary = -1;
	long long objects, recorded;
	char err[512];

	/* On SQLite a brand-new database, to see the first run apply everything. */
	if (!e->pg)
		snprintf(fresh.cfg.data_dir, sizeof(fresh.cfg.data_dir), "%s/fresh", e->dir);
	assert_int_equal(yw_store_open(&fresh.cfg, &s, err, sizeof(err)), YW_E_OK);
	assert_string_equal(yw_store_backend(s), e->pg ? "postgres" : "sqlite");
	assert_int_equal(yw_store_migrate(s, &applied, err, sizeof(err)), YW_E_OK);
	assert_int_equal(yw_store_schema_version(s, &in_db, &in_binary), YW_E_OK);
	assert_true(in_binary >= 1);
	assert_int_equal(in_db, in_binary);
	if (!e->pg)
		assert_int_equal(applied, in_binary);
	assert_int_equal(read_int(s, "SELECT count(*) FROM audit_head", YW_NOPARAMS), 1);

	objects = count_objects(s, e->pg);
	recorded = read_int(s, "SELECT count(*) FROM schema_migrations", YW_NOPARAMS);
	assert_int_equal(yw_store_migrate(s, &applied, err, sizeof(err)), YW_E_OK);
	assert_int_equal(applied, 0);
	yw_store_close(s);

	assert_int_equal(yw_store_open(&fresh.cfg, &s, err, sizeof(err)), YW_E_OK);
	assert_int_equal(yw_store_migrate(s, &applied, err, sizeof(err)), YW_E_OK);
	assert_int_equal(applied, 0);
	assert_int_equal(count_objects(s, e->pg), objects);
	assert_int_equal(read_int(s, "SELECT count(*) FROM schema_migrations", YW_NOPARAMS), recorded);
	assert_int_equal(read_int(s, "SELECT count(*) FROM audit_head", YW_NOPARAMS), 1);
	yw_store_close(s);
}

static yw_err record_future(yw_db *tx, void *arg)
{
	return yw_db_exec(tx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, 0)",
	                  YW_PARAMS(YW_VINT(*(int *)arg), YW_VTEXT("from_the_future")), NULL);
}

static yw_err forget_future(yw_db *tx, void *arg)
{
	return yw_db_exec(tx, "DELETE FROM schema_migrations WHERE version = $1",
	                  YW_PARAMS(YW_VINT(*(int *)arg)), NULL);
}

static void test_schema_too_new(void **state)
{
	store_env *e = *state;
	yw_store *s = env_open(e);
	int in_db, in_binary, future, applied = -1;
	char err[512] = "", want[32];

	assert_int_equal(yw_store_schema_version(s, &in_db, &in_binary), YW_E_OK);
	future = in_binary + 1;
	assert_int_equal(yw_store_write(s, record_future, &future), YW_E_OK);
	assert_int_equal(yw_store_migrate(s, &applied, err, sizeof(err)), YW_E_SCHEMA_TOO_NEW);
	assert_int_equal(applied, 0);
	snprintf(want, sizeof(want), "%d", future);
	if (!strstr(err, want) || !strstr(err, "高于"))
		fail_msg("unclear message: %s", err);
	assert_int_equal(yw_store_schema_version(s, &in_db, &in_binary), YW_E_OK);
	assert_int_equal(in_db, future);

	assert_int_equal(yw_store_write(s, forget_future, &future), YW_E_OK);
	assert_int_equal(yw_store_migrate(s, &applied, err, sizeof(err)), YW_E_OK);
	yw_store_close(s);
}

/* ---- opening --------------------------------------------------------------------------- */

static void test_open_errors(void **state)
{
	store_env *e = *state;
	yw_config c = e->cfg;
	yw_store *s = NULL;
	char err[512] = "";

	snprintf(c.db, sizeof(c.db), "mysql://localhost/x");
	assert_int_equal(yw_store_open(&c, &s, err, sizeof(err)), YW_E_CONFIG);
	assert_null(s);
	snprintf(c.db, sizeof(c.db), "postgresql:///nowhere?host=%s/no-such-dir&connect_timeout=2", e->dir);
	err[0] = '\0';
	assert_int_equal(yw_store_open(&c, &s, err, sizeof(err)), YW_E_DB_UNREACHABLE);
	assert_null(s);
	assert_non_null(strstr(err, "PostgreSQL"));
}

/* ---- group commit under load ------------------------------------------------------------- */

enum { LOAD_THREADS = 40, READERS = 4 };

typedef struct {
	yw_store *s;
	int thread, writes;
	long long acked;
	volatile bool *stop;
	bool readers_ok;
} load_job;

typedef struct {
	int thread, k;
} load_row;

static yw_err load_write(yw_db *tx, void *arg)
{
	const load_row *row = arg;
	char id[32];

	snprintf(id, sizeof(id), "%d-%d", row->thread, row->k);
	return yw_db_exec(tx, "INSERT INTO t_load (id, th, k) VALUES ($1, $2, $3)",
	                  YW_PARAMS(YW_VTEXT(id), YW_VINT(row->thread), YW_VINT(row->k)), NULL);
}

static void *load_writer(void *arg)
{
	load_job *j = arg;

	for (int k = 0; k < j->writes; k++) {
		load_row row = {j->thread, k};

		if (yw_store_write(j->s, load_write, &row) == YW_E_OK)
			j->acked++;
	}
	return NULL;
}

/* Readers on their own connections see the count only grow while the writers run. */
static void *load_reader(void *arg)
{
	load_job *j = arg;
	yw_arena *a = yw_arena_new(512);
	yw_db *db = yw_store_reader(j->s);
	long long last = 0;

	j->readers_ok = a && db;
	while (j->readers_ok && !*j->stop) {
		yw_rows *rows;

		if (yw_db_query(db, a, &rows, "SELECT count(*) FROM t_load", YW_NOPARAMS) != YW_E_OK ||
		    yw_rows_int(rows, 0, 0) < last)
			j->readers_ok = false;
		else
			last = yw_rows_int(rows, 0, 0);
		usleep(2000);
	}
	yw_arena_free(a);
	return NULL;
}

static void test_group_commit_load(void **state)
{
	store_env *e = *state;
	yw_store *s = env_open(e);
	int writes = e->pg ? 60 : 150;
	pthread_t th[LOAD_THREADS + READERS];
	load_job jobs[LOAD_THREADS + READERS];
	volatile bool stop = false;
	yw_store_stats st;
	long long acked = 0;
	uint64_t t0;

	sql_write(s, "DROP TABLE IF EXISTS t_load",
	          "CREATE TABLE t_load (id TEXT PRIMARY KEY, th BIGINT NOT NULL, k BIGINT NOT NULL)", NULL);
	t0 = yw_now_us_mono();
	for (int i = 0; i < LOAD_THREADS + READERS; i++) {
		jobs[i] = (load_job){.s = s, .thread = i, .writes = writes, .stop = &stop};
		assert_int_equal(pthread_create(&th[i], NULL, i < LOAD_THREADS ? load_writer : load_reader,
		                                &jobs[i]), 0);
	}
	for (int i = 0; i < LOAD_THREADS; i++) {
		pthread_join(th[i], NULL);
		acked += jobs[i].acked;
	}
	stop = true;
	for (int i = LOAD_THREADS; i < LOAD_THREADS + READERS; i++) {
		pthread_join(th[i], NULL);
		assert_true(jobs[i].readers_ok);
	}
	yw_store_get_stats(s, &st);
	print_message("%s: %lld writes by %d threads in %.2f s, %.1f writes per transaction\n",
	              yw_store_backend(s), acked, LOAD_THREADS, (double)(yw_now_us_mono() - t0) / 1e6,
	              st.batches ? (double)st.writes / (double)st.batches : 0.0);
	assert_int_equal(acked, (long long)LOAD_THREADS * writes);
	yw_store_close(s);

	/* Acknowledged means on disk: a new store on the same database finds every one. */
	s = env_open(e);
	assert_int_equal(read_int(s, "SELECT count(*) FROM t_load", YW_NOPARAMS), acked);
	assert_int_equal(read_int(s, "SELECT count(DISTINCT th) FROM t_load", YW_NOPARAMS), LOAD_THREADS);
	assert_int_equal(read_int(s, "SELECT max(k) FROM t_load", YW_NOPARAMS), writes - 1);
	yw_store_close(s);
}

/* ---- a request's reads share one snapshot (yw_store_pin) ---------------------------------------- */

static yw_err insert_pin_row(yw_db *tx, void *arg)
{
	return yw_db_exec(tx, "INSERT INTO t_pin (id) VALUES ($1)", YW_PARAMS(YW_VTEXT(arg)), NULL);
}

static void *write_elsewhere(void *p)
{
	const char *id = ((void **)p)[1];
	yw_err *r = ((void **)p)[2];
	*r = yw_store_write(((void **)p)[0], insert_pin_row, (void *)id);
	return NULL;
}

/* A write by another thread, waited for. */
static void other_thread_writes(yw_store *s, const char *id)
{
	pthread_t th;
	yw_err r = YW_E_INTERNAL;
	void *args[] = { s, (void *)id, &r };
	assert_int_equal(pthread_create(&th, NULL, write_elsewhere, args), 0);
	pthread_join(th, NULL);
	assert_int_equal(r, YW_E_OK);
}

static yw_err count_in_snapshot(yw_db *db, void *arg)
{
	yw_arena *a = yw_arena_new(1024);
	yw_rows *rows = NULL;
	yw_err r = yw_db_query(db, a, &rows, "SELECT count(*) FROM t_pin", YW_NOPARAMS);
	if (r == YW_E_OK)
		*(long long *)arg = yw_rows_int(rows, 0, 0);
	yw_arena_free(a);
	return r;
}

static void test_pinned_snapshot(void **state)
{
	store_env *e = *state;
	yw_store *s = env_open(e);
	static const char count[] = "SELECT count(*) FROM t_pin";
	long long n = -1;

	sql_write(s, "DROP TABLE IF EXISTS t_pin", "CREATE TABLE t_pin (id TEXT PRIMARY KEY)", NULL);
	yw_store_pin(s);
	assert_int_equal(read_int(s, count, YW_NOPARAMS), 0);
	/* On SQLite the pinned reads keep the snapshot of the first; PostgreSQL does not pin. */
	other_thread_writes(s, "other");
	assert_int_equal(read_int(s, count, YW_NOPARAMS), e->pg ? 1 : 0);
	/* The thread's own write ends the snapshot, so its next read sees that write (and all). */
	assert_int_equal(yw_store_write(s, insert_pin_row, "mine"), YW_E_OK);
	assert_int_equal(read_int(s, count, YW_NOPARAMS), 2);
	/* … and the reads after it pin again. */
	other_thread_writes(s, "third");
	assert_int_equal(read_int(s, count, YW_NOPARAMS), e->pg ? 3 : 2);
	/* A read transaction asked for inside runs in the pinned snapshot. */
	assert_int_equal(yw_store_read(s, count_in_snapshot, &n), YW_E_OK);
	assert_int_equal(n, e->pg ? 3 : 2);
	/* Unpinned, every read is fresh again. */
	yw_store_unpin(s);
	assert_int_equal(read_int(s, count, YW_NOPARAMS), 3);
	other_thread_writes(s, "fourth");
	assert_int_equal(read_int(s, count, YW_NOPARAMS), 4);
	assert_int_equal(yw_store_read(s, count_in_snapshot, &n), YW_E_OK);
	assert_int_equal(n, 4);
	yw_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_changes_and_constraint),
		cmocka_unit_test(test_failed_write_fails_alone),
		cmocka_unit_test(test_commit_failure_fails_alone),
		cmocka_unit_test(test_savepoint_undo_failure),
		cmocka_unit_test(test_sqlite_error_codes),
		cmocka_unit_test(test_nesting_refused),
		cmocka_unit_test(test_nesting_refused_across_stores),
		cmocka_unit_test(test_commit_is_durable),
		cmocka_unit_test(test_migrate_twice),
		cmocka_unit_test(test_schema_too_new),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_group_commit_load),
		cmocka_unit_test(test_pinned_snapshot),
	};

	return run_on_backends("store", tests, sizeof(tests) / sizeof(tests[0]));
}
