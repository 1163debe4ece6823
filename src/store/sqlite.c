/*
 * sqlite.c — the embedded backend.
 *
 * One database file, <data>/yiwang.db, in WAL mode so that readers never wait for the writer.
 * Every thread that reads gets its own read-only connection. All writes go through one writer
 * thread that owns the only writing connection: callers queue a (fn, arg) job and sleep; the
 * writer takes everything queued (up to BATCH_MAX), runs each job in its own savepoint inside
 * one transaction, commits with synchronous=FULL — one fsync for the whole batch — and only then
 * wakes the callers. A single writer never meets SQLITE_BUSY from another writer, and the fsync,
 * which is what a durable write costs, is shared by everyone who queued while the last one ran.
 *
 * A batch whose transaction is lost — its COMMIT refused (a deferred constraint is checked only
 * then), a savepoint that would not roll back — falls back to what group commit stands in for:
 * each of its jobs runs again alone, in queue order, in a transaction of its own, so that only a
 * job that fails by itself fails. That happens only when SQLite has certainly left nothing of
 * the batch on disk, or a job could be applied twice.
 */
#include <errno.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sqlite3.h>

#include "backend.h"

enum {
	CACHE_SLOTS = 512,         /* prepared statements kept per connection (64 thrashed: a
	                            * submission alone runs some 60 different statements) */
	BATCH_MAX = 256,           /* jobs per transaction: bounds how long a batch holds callers */
	BUSY_MS = 5000,            /* waiting for a checkpoint or another process */
};

typedef struct {
	char *sql;
	uint64_t hash;
	sqlite3_stmt *st;
} stmt_slot;

typedef struct {
	yw_db db;
	sqlite3 *h;
	char msg[256];             /* our own message, when the error is not SQLite's */
	stmt_slot cache[CACHE_SLOTS];
} sq_conn;

/* Lives on the caller's stack until the writer has answered it. The answer is a semaphore
 * rather than a condition variable on the queue's mutex: a woken caller then needs no lock, so
 * waking a batch of callers does not make them queue up behind the writer again. */
typedef struct job {
	yw_write_fn fn;
	void *arg;
	yw_err result;
	sem_t answered;
	struct job *next;
} job;

typedef struct {
	yw_store base;
	char path[1024];
	yw_tls readers;
	sq_conn *writer;
	pthread_t thread;
	bool running;
	pthread_mutex_t mu;        /* guards the queue and `stopping` */
	pthread_cond_t wake;       /* the writer sleeps on it while the queue is empty */
	job *head, *tail;
	bool stopping;
	/* How the writer's current transaction ended, from SQLite's commit and rollback hooks;
	 * touched by the writer thread only. */
	bool commit_began, rolled_back;
} sq_store;

static const yw_backend sqlite_backend;

/* ---- connections ------------------------------------------------------------------------- */

static void conn_close(yw_db *db)
{
	sq_conn *c = (sq_conn *)db;

	if (!c)
		return;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		sqlite3_finalize(c->cache[i].st);
		free(c->cache[i].sql);
	}
	sqlite3_close_v2(c->h);
	free(c);
}

/* PRAGMA journal_mode answers with the mode it ended up in, which is not always the one asked. */
static int want_wal(sqlite3 *h)
{
	sqlite3_stmt *st = NULL;
	int ok = 0;

	if (sqlite3_prepare_v2(h, "PRAGMA journal_mode=WAL", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		ok = sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
	sqlite3_finalize(st);
	return ok ? 0 : -1;
}

/* temp_store=MEMORY keeps each job's savepoint sub-journal in memory: past 64 KiB SQLite would
 * spill it to a new temporary file, created and deleted again for every job of every batch. */
static const char writer_pragmas[] =
	"PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;";
/* query_only makes a write outside yw_store_write fail at once instead of racing the writer.
 * Readers do not map the database file. They did, for the catalog's search (its index is larger
 * than a connection's page cache, and mapped pages are the kernel's, shared by every thread), but
 * SQLite unmaps and maps the whole file again at every read transaction that follows a commit,
 * and under a stream of submissions that munmap, with its TLB flush on every core, cost more than
 * all the rest of a request: 1.4 ms of CPU per submission against 0.55 ms without (bench/RESULTS.md,
 * 2026-11-29). A larger private cache per reader keeps the search's hot pages instead. 64 MiB holds
 * the postings of 100,000 items; 8 MiB held those of 31,350 and halved the search's rate at 100,000
 * (bench/RESULTS.md, 2026-11-30). The pages are allocated as they are read, so a small region pays
 * for what it has. A request's reads share one transaction (yw_store_pin), so the cache is dropped
 * at most once per request when the database has changed, not once per statement. */
static const char reader_pragmas[] =
	"PRAGMA foreign_keys=ON; PRAGMA query_only=ON; PRAGMA cache_size=-65536;";

static yw_err conn_open(const char *path, bool writer, sq_conn **out, char *err, size_t errlen)
{
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (writer ? SQLITE_OPEN_CREATE : 0);
	sq_conn *c = calloc(1, sizeof(*c));
	yw_err r = YW_E_NO_MEMORY;

	*out = NULL;
	if (!c)
		goto out;
	c->db.be = &sqlite_backend;
	r = YW_E_DB_UNREACHABLE;
	if (sqlite3_open_v2(path, &c->h, flags, NULL) != SQLITE_OK) {
		yw_store_msg(err, errlen, "无法打开数据库文件 %s：%s", path,
		             c->h ? sqlite3_errmsg(c->h) : "out of memory");
		goto out;
	}
	sqlite3_extended_result_codes(c->h, 1);
	sqlite3_busy_timeout(c->h, BUSY_MS);
	if (writer && want_wal(c->h) != 0) {
		yw_store_msg(err, errlen, "无法把数据库 %s 切换到 WAL 模式：%s", path, sqlite3_errmsg(c->h));
		goto out;
	}
	if (sqlite3_exec(c->h, writer ? writer_pragmas : reader_pragmas, NULL, NULL, NULL) != SQLITE_OK) {
		yw_store_msg(err, errlen, "无法设置数据库 %s：%s", path, sqlite3_errmsg(c->h));
		goto out;
	}
	*out = c;
	c = NULL;
	r = YW_E_OK;
out:
	conn_close((yw_db *)c);
	return r;
}

/* ---- statements -------------------------------------------------------------------------- */

/* A row that conflicts with another row, as PostgreSQL's 23505 and 23503 say in pg.c. One that
 * breaks its own table's rules (NOT NULL, CHECK) is a plain database error there, so here too. */
static bool is_conflict(int code)
{
	return code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY ||
	       code == SQLITE_CONSTRAINT_FOREIGNKEY || code == SQLITE_CONSTRAINT_ROWID;
}

/* Connections report extended codes (SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED_SHAREDCACHE …), whose
 * low byte is the primary code: classify by that, so that no variant falls through to
 * DB_ERROR. */
yw_err yw_sqlite_error(int code)
{
	switch (code & 0xff) {
	case SQLITE_CONSTRAINT:
		return is_conflict(code) ? YW_E_DB_CONSTRAINT : YW_E_DB_ERROR;
	case SQLITE_NOMEM:
		return YW_E_NO_MEMORY;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return YW_E_UNAVAILABLE;
	default:
		return YW_E_DB_ERROR;
	}
}

static yw_err map_error(sq_conn *c)
{
	return yw_sqlite_error(sqlite3_extended_errcode(c->h));
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static bool only_blanks(const char *s)
{
	for (; *s; s++)
		if (*s != ';' && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

/* Statements are cached per connection by their text, so the same SQL from a module is parsed
 * once per thread; a slot that another SQL text hashes to is simply replaced. */
static yw_err prepare(sq_conn *c, const char *sql, sqlite3_stmt **out)
{
	uint64_t h = fnv1a(sql);
	stmt_slot *sl = &c->cache[h % CACHE_SLOTS];
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	char *key;

	*out = NULL;
	if (sl->st && sl->hash == h && strcmp(sl->sql, sql) == 0) {
		*out = sl->st;
		return YW_E_OK;
	}
	if (sqlite3_prepare_v3(c->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, &tail) != SQLITE_OK)
		return map_error(c);
	if (!st || (tail && !only_blanks(tail))) {
		sqlite3_finalize(st);
		yw_store_msg(c->msg, sizeof(c->msg), "exactly one SQL statement per call expected");
		return YW_E_INTERNAL;
	}
	key = strdup(sql);
	if (!key) {
		sqlite3_finalize(st);
		return YW_E_NO_MEMORY;
	}
	sqlite3_finalize(sl->st);
	free(sl->sql);
	*sl = (stmt_slot){.sql = key, .hash = h, .st = st};
	*out = st;
	return YW_E_OK;
}

/* "$12" → 12; anything else (?, :name, $0, $01) → 0. */
static int param_number(const char *name)
{
	int k = 0;

	if (!name || name[0] != '$' || name[1] < '1' || name[1] > '9')
		return 0;
	for (const char *p = name + 1; *p; p++) {
		if (*p < '0' || *p > '9' || k > 100000)
			return 0;
		k = k * 10 + (*p - '0');
	}
	return k;
}

static int bind_one(sqlite3_stmt *st, int idx, const yw_val *v)
{
	switch (v->type) {
	case YW_V_NULL:
		return sqlite3_bind_null(st, idx);
	case YW_V_INT:
		return sqlite3_bind_int64(st, idx, v->i);
	case YW_V_TEXT:
		return v->s ? sqlite3_bind_text(st, idx, v->s, -1, SQLITE_STATIC)
		            : sqlite3_bind_null(st, idx);
	case YW_V_BLOB:
		return sqlite3_bind_blob64(st, idx, v->s ? v->s : "", v->n, SQLITE_STATIC);
	}
	return SQLITE_MISUSE;
}

/* $1, $2 … are named parameters to SQLite, so one index may stand for a number used several
 * times and the numbers may come in any order: walk the statement's names, not the values. */
static yw_err bind_all(sq_conn *c, sqlite3_stmt *st, const yw_val *p, int n)
{
	int count = sqlite3_bind_parameter_count(st);

	for (int j = 1; j <= count; j++) {
		const char *name = sqlite3_bind_parameter_name(st, j);
		int k = param_number(name);

		if (k < 1 || k > n) {
			yw_store_msg(c->msg, sizeof(c->msg), "SQL parameter %s has no value (%d given)",
			             name ? name : "?", n);
			return YW_E_DB_ERROR;
		}
		if (bind_one(st, j, &p[k - 1]) != SQLITE_OK)
			return map_error(c);
	}
	return YW_E_OK;
}

static yw_err simple(sq_conn *c, const char *sql);

/* A pinned reader's first statement begins the transaction its later ones share (store.h,
 * yw_store_pin). Marked first: BEGIN is itself a statement that comes through here. */
static void pin_begin(sq_conn *c)
{
	if (c->db.pin_wanted && !c->db.pinned && !c->db.in_snapshot && !c->db.in_write &&
	    sqlite3_get_autocommit(c->h)) {
		c->db.pinned = true;
		if (simple(c, "BEGIN"))
			c->db.pinned = c->db.pin_wanted = false;     /* read unpinned, as before */
	}
}

static void sq_unpin(yw_db *db)
{
	sq_conn *c = (sq_conn *)db;

	c->db.pinned = false;
	if (!sqlite3_get_autocommit(c->h) && simple(c, "COMMIT"))
		simple(c, "ROLLBACK");
}

static yw_err start(sq_conn *c, const char *sql, const yw_val *p, int n, sqlite3_stmt **out)
{
	yw_err r;

	pin_begin(c);
	c->msg[0] = '\0';
	r = prepare(c, sql, out);
	if (r == YW_E_OK)
		r = bind_all(c, *out, p, n);
	if (r && *out)
		sqlite3_reset(*out);
	return r;
}

static yw_err sq_exec(yw_db *db, const char *sql, const yw_val *p, int n, long long *changes)
{
	sq_conn *c = (sq_conn *)db;
	sqlite3_stmt *st;
	long long rows = 0;
	yw_err r = start(c, sql, p, n, &st);
	int rc;

	if (r)
		return r;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		rows++;
	if (rc != SQLITE_DONE)
		r = map_error(c);
	/* Like PostgreSQL's command tag: rows changed, or rows returned by a query. */
	else if (changes)
		*changes = sqlite3_stmt_readonly(st) ? rows : sqlite3_changes64(c->h);
	/* Resetting at once also ends a reader's implicit transaction, so no snapshot is held. */
	sqlite3_reset(st);
	return r;
}

static yw_val column_val(sqlite3_stmt *st, int col)
{
	switch (sqlite3_column_type(st, col)) {
	case SQLITE_INTEGER:
		return YW_VINT(sqlite3_column_int64(st, col));
	case SQLITE_BLOB:
		return (yw_val){.type = YW_V_BLOB, .s = sqlite3_column_blob(st, col),
		                .n = (size_t)sqlite3_column_bytes(st, col)};
	case SQLITE_NULL:
		return YW_VNULL;
	default:  /* text, and floats as their text so that both backends agree */
		return (yw_val){.type = YW_V_TEXT, .s = (const char *)sqlite3_column_text(st, col),
		                .n = (size_t)sqlite3_column_bytes(st, col)};
	}
}

static yw_err sq_query(yw_db *db, yw_arena *a, yw_rows **out, const char *sql, const yw_val *p,
                       int n)
{
	sq_conn *c = (sq_conn *)db;
	sqlite3_stmt *st;
	yw_rowbuf b;
	yw_err r = start(c, sql, p, n, &st);
	int rc = SQLITE_DONE;

	if (r)
		return r;
	yw_rowbuf_init(&b, a, sqlite3_column_count(st));
	while (r == YW_E_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		for (int col = 0; col < b.ncols && r == YW_E_OK; col++)
			r = yw_rowbuf_push(&b, column_val(st, col));
	if (r == YW_E_OK && rc != SQLITE_DONE)
		r = map_error(c);
	sqlite3_reset(st);
	if (r) {
		yw_rowbuf_discard(&b);
		return r;
	}
	return yw_rowbuf_finish(&b, out);
}

static yw_err sq_script(yw_db *db, const char *sql)
{
	sq_conn *c = (sq_conn *)db;
	char *msg = NULL;

	c->msg[0] = '\0';
	if (sqlite3_exec(c->h, sql, NULL, NULL, &msg) == SQLITE_OK)
		return YW_E_OK;
	yw_store_msg(c->msg, sizeof(c->msg), "%s", msg ? msg : sqlite3_errmsg(c->h));
	sqlite3_free(msg);
	return map_error(c);
}

static const char *sq_errmsg(yw_db *db)
{
	sq_conn *c = (sq_conn *)db;

	return c->msg[0] ? c->msg : sqlite3_errmsg(c->h);
}

static yw_err sq_has_table(yw_db *db, const char *name, bool *out)
{
	long long n = 0;
	yw_err r = sq_exec(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1",
	                   YW_PARAMS(YW_VTEXT(name)), &n);

	*out = n > 0;
	return r;
}

static yw_err simple(sq_conn *c, const char *sql)
{
	return sq_exec(&c->db, sql, YW_NOPARAMS, NULL);
}

/* ---- the writer -------------------------------------------------------------------------- */

/* SQLite calls this as a COMMIT starts writing, after deferred constraints have passed. */
static int on_commit(void *p)
{
	((sq_store *)p)->commit_began = true;
	return 0;   /* go on with the commit */
}

static void on_rollback(void *p)
{
	((sq_store *)p)->rolled_back = true;
}

static yw_err begin(sq_store *s)
{
	s->commit_began = s->rolled_back = false;
	return simple(s->writer, "BEGIN IMMEDIATE");
}

/* One job in its own savepoint: its failure undoes its changes and nobody else's. *undone is
 * false when a failed job's changes could not be undone: they are still in the transaction,
 * which then must not commit. */
static yw_err run_job(sq_conn *w, job *j, bool *undone)
{
	yw_err r = simple(w, "SAVEPOINT w");

	*undone = true;
	if (r)
		return r;
	r = yw_db_run_write(&w->db, j->fn, j->arg);
	if (r == YW_E_OK) {
		r = simple(w, "RELEASE w");
		if (r == YW_E_OK)
			return YW_E_OK;
	}
	*undone = simple(w, "ROLLBACK TO w") == YW_E_OK && simple(w, "RELEASE w") == YW_E_OK;
	return r;
}

/* Ends a transaction that must not commit, or that failed to; true when nothing of it can be on
 * disk. A transaction still open never committed, so rolling it back settles it. One that SQLite
 * ended by itself rolled back, unless a COMMIT had begun writing (from the batch, or from a job
 * that ran COMMIT itself): after a failed fsync its pages may sit in the WAL and come back on the
 * next open, so it may have happened. */
static bool rolled_back(sq_store *s)
{
	sq_conn *w = s->writer;
	bool gone;

	if (!sqlite3_get_autocommit(w->h))
		gone = simple(w, "ROLLBACK") == YW_E_OK;
	else
		gone = s->rolled_back;
	return gone && !s->commit_began;
}

static int run_segment(sq_store *s, job **jobs, int from, int n, bool alone);

/* jobs[from…to) ran in a transaction that is now gone. If it left nothing behind, each runs
 * again alone, the failed ones too: what they saw of the others' changes is gone as well. If it
 * may have left something, a job run again could be applied twice, so those that had succeeded
 * fail with `r`. A job already alone is never run again: its failure is its own. */
static void settle(sq_store *s, job **jobs, int from, int to, bool alone, yw_err r)
{
	bool gone = rolled_back(s);   /* first, and always: it ends the transaction */
	bool again = gone && !alone;

	for (int i = from; i < to; i++)
		if (again)
			run_segment(s, jobs, i, i + 1, true);
		else if (jobs[i]->result == YW_E_OK)
			jobs[i]->result = r;
}

/* Runs jobs[from…n) in one transaction and returns the index of the first job it did not
 * settle. That is n, unless the transaction was lost under a job (disk full, I/O error, a
 * savepoint that would not roll back): the jobs so far are then settled, and the rest start
 * again in a fresh transaction. */
static int run_segment(sq_store *s, job **jobs, int from, int n, bool alone)
{
	sq_conn *w = s->writer;
	yw_err r = begin(s);
	bool undone;

	if (r) {
		yw_log(YW_LOG_ERROR, "sqlite writer: BEGIN failed: %s", sq_errmsg(&w->db));
		for (int i = from; i < n; i++)
			jobs[i]->result = r;
		yw_store_count(&s->base, n - from, 1, 1);
		return n;
	}
	for (int i = from; i < n; i++) {
		jobs[i]->result = run_job(w, jobs[i], &undone);
		if (!undone || sqlite3_get_autocommit(w->h)) {
			yw_log(YW_LOG_ERROR, "sqlite writer: transaction given up under a write: %s",
			       sq_errmsg(&w->db));
			yw_store_count(&s->base, i + 1 - from, 1, 1);
			settle(s, jobs, from, i + 1, alone, YW_E_DB_ERROR);
			return i + 1;
		}
	}
	r = simple(w, "COMMIT");
	yw_store_count(&s->base, n - from, 1, r ? 1 : 0);
	if (r) {
		if (!alone)
			yw_log(YW_LOG_WARN, "sqlite writer: COMMIT of %d writes failed (%s); running each "
			       "alone", n - from, sq_errmsg(&w->db));
		settle(s, jobs, from, n, alone, alone ? r : YW_E_DB_ERROR);
	}
	return n;
}

static int take_batch(sq_store *s, job **batch)
{
	int n = 0;

	while (s->head && n < BATCH_MAX) {
		batch[n++] = s->head;
		s->head = s->head->next;
	}
	if (!s->head)
		s->tail = NULL;
	return n;
}

static void *writer_main(void *p)
{
	sq_store *s = p;
	job *batch[BATCH_MAX];
	int n, i;

	for (;;) {
		pthread_mutex_lock(&s->mu);
		while (!s->head && !s->stopping)
			pthread_cond_wait(&s->wake, &s->mu);
		n = take_batch(s, batch);
		pthread_mutex_unlock(&s->mu);
		if (n == 0)
			break;
		for (i = 0; i < n;)
			i = run_segment(s, batch, i, n, false);
		/* Only now is every job's result final (committed, or failed for good). After
		 * sem_post the caller may return at once: its job is gone, never touch it. */
		for (i = 0; i < n; i++)
			sem_post(&batch[i]->answered);
	}
	return NULL;
}

/* Nesting (a write from inside a write function, on this writer thread) is refused before this
 * by the common front, store.c. */
static yw_err sq_write(yw_store *st, yw_write_fn fn, void *arg)
{
	sq_store *s = (sq_store *)st;
	job j = {.fn = fn, .arg = arg};
	bool queued = false;

	sem_init(&j.answered, 0, 0);
	pthread_mutex_lock(&s->mu);
	if (!s->stopping) {
		if (s->tail)
			s->tail->next = &j;
		else
			s->head = &j;
		s->tail = &j;
		queued = true;
		pthread_cond_signal(&s->wake);
	}
	pthread_mutex_unlock(&s->mu);
	if (!queued)
		j.result = YW_E_UNAVAILABLE;
	else
		while (sem_wait(&j.answered) != 0)
			;   /* EINTR: a signal handler ran; the answer is still to come */
	sem_destroy(&j.answered);
	return j.result;
}

/* ---- readers ----------------------------------------------------------------------------- */

static yw_db *sq_reader(yw_store *st)
{
	sq_store *s = (sq_store *)st;
	yw_db *db = yw_tls_get(&s->readers);
	sq_conn *c;
	char err[512];

	if (db)
		return db;
	if (conn_open(s->path, false, &c, err, sizeof(err)) != YW_E_OK) {
		yw_log(YW_LOG_ERROR, "sqlite reader: %s", err);
		return NULL;
	}
	if (yw_tls_put(&s->readers, &c->db) != 0) {
		conn_close(&c->db);
		return NULL;
	}
	return &c->db;
}

static yw_err sq_snapshot(yw_store *st, yw_db *db, yw_write_fn fn, void *arg)
{
	yw_err r, end;

	r = simple((sq_conn *)db, "BEGIN");
	if (r)
		return r;
	r = fn(db, arg);
	end = simple((sq_conn *)db, "COMMIT");
	if (end)
		simple((sq_conn *)db, "ROLLBACK");
	return r ? r : end;
}

/* ---- open and close ---------------------------------------------------------------------- */

static void destroy(sq_store *s)
{
	if (s->running) {
		pthread_mutex_lock(&s->mu);
		s->stopping = true;
		pthread_cond_signal(&s->wake);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->thread, NULL);
	}
	conn_close((yw_db *)s->writer);
	yw_tls_destroy(&s->readers);
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

static void sq_close(yw_store *st)
{
	destroy((sq_store *)st);
}

static yw_err make_path(sq_store *s, const char *dir, char *err, size_t errlen)
{
	if (!dir[0])
		dir = ".";
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		yw_store_msg(err, errlen, "无法创建数据目录 %s：%s", dir, strerror(errno));
		return YW_E_IO;
	}
	if ((size_t)snprintf(s->path, sizeof(s->path), "%s/yiwang.db", dir) >= sizeof(s->path)) {
		yw_store_msg(err, errlen, "数据目录路径过长：%s", dir);
		return YW_E_CONFIG;
	}
	return YW_E_OK;
}

yw_err yw_sqlite_open(const yw_config *c, yw_store **out, char *err, size_t errlen)
{
	sq_store *s = calloc(1, sizeof(*s));
	yw_err r = YW_E_NO_MEMORY;

	*out = NULL;
	if (!s)
		return r;
	s->base.be = &sqlite_backend;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->wake, NULL);
	r = make_path(s, c->data_dir, err, errlen);
	if (r)
		goto out;
	r = YW_E_NO_MEMORY;
	if (yw_tls_init(&s->readers, conn_close) != 0)
		goto out;
	r = conn_open(s->path, true, &s->writer, err, errlen);
	if (r)
		goto out;
	sqlite3_commit_hook(s->writer->h, on_commit, s);
	sqlite3_rollback_hook(s->writer->h, on_rollback, s);
	r = YW_E_INTERNAL;
	if (pthread_create(&s->thread, NULL, writer_main, s) != 0) {
		yw_store_msg(err, errlen, "无法启动数据库写线程");
		goto out;
	}
	s->running = true;
	pthread_setname_np(s->thread, "yw-sqlite-write");
	*out = &s->base;
	s = NULL;
	r = YW_E_OK;
out:
	if (s)
		destroy(s);
	return r;
}

static const yw_backend sqlite_backend = {
	.name = "sqlite",
	.close = sq_close,
	.reader = sq_reader,
	.write = sq_write,
	.snapshot = sq_snapshot,
	.unpin = sq_unpin,
	.exec = sq_exec,
	.query = sq_query,
	.script = sq_script,
	.errmsg = sq_errmsg,
	.migrate_lock = NULL,
	.has_table = sq_has_table,
};
