/*
 * store.c — the common front: picks the backend from the configuration, checks every call the
 * same way whichever backend answers it, and keeps the per-thread connection registry that both
 * backends use for their readers.
 */
#include <stdio.h>
#include <string.h>

#include "backend.h"

/* What the calling thread is running, whichever store and backend: a write function runs on the
 * thread that runs it (SQLite's writer thread, the caller's on PostgreSQL), so a mark per thread,
 * not per connection, sees every nesting. A write or read from inside a write function would
 * wait for SQLite's one writer, which is busy running it, or commit apart from the write on
 * PostgreSQL; a write from inside a read would not see the read's snapshot. */
static _Thread_local bool running_write, running_read;
/* Whether this thread pinned its reads (yw_store_pin): only then has a write anything to end,
 * and a thread that never reads (the webhook sender, a tool) opens no read connection for it. */
static _Thread_local bool pin_asked;

void yw_store_msg(char *dst, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!dst || len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(dst, len, fmt, ap);
	va_end(ap);
}

yw_err yw_store_open(const yw_config *c, yw_store **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!c->db[0] || strcmp(c->db, "sqlite") == 0)
		return yw_sqlite_open(c, out, err, errlen);
	if (yw_config_db_is_postgres(c->db))
		return yw_pg_open(c, out, err, errlen);
	yw_store_msg(err, errlen, "不支持的数据库设置 db=%s：应为 sqlite 或 postgres:// 开头的连接串",
	             c->db);
	return YW_E_CONFIG;
}

void yw_store_close(yw_store *s)
{
	if (s)
		s->be->close(s);
}

const char *yw_store_backend(const yw_store *s)
{
	return s->be->name;
}

yw_db *yw_store_reader(yw_store *s)
{
	return s->be->reader(s);
}

void yw_store_pin(yw_store *s)
{
	yw_db *db = s->be->unpin && !running_write && !running_read ? s->be->reader(s) : NULL;
	if (db)
		db->pin_wanted = pin_asked = true;
}

/* Ends the pinned transaction, if one is open; keep says whether later reads pin again. */
static void unpin(yw_store *s, bool keep)
{
	yw_db *db = pin_asked && s->be->unpin ? s->be->reader(s) : NULL;
	if (!db)
		return;
	if (db->pinned)
		s->be->unpin(db);
	db->pin_wanted = pin_asked = keep && db->pin_wanted;
}

void yw_store_unpin(yw_store *s)
{
	unpin(s, false);
}

/* The one place that refuses nesting, for both backends. */
yw_err yw_store_write(yw_store *s, yw_write_fn fn, void *arg)
{
	if (!fn || running_write || running_read)
		return YW_E_INTERNAL;
	unpin(s, true);     /* so that the caller's next read sees this write */
	return s->be->write(s, fn, arg);
}

yw_err yw_store_read(yw_store *s, yw_write_fn fn, void *arg)
{
	yw_db *db;
	bool outer = running_read;
	yw_err r;

	if (!fn || running_write)
		return YW_E_INTERNAL;
	db = s->be->reader(s);
	if (!db)
		return YW_E_DB_UNREACHABLE;
	/* Already inside a snapshot on this connection: the outer one is the one to keep. */
	if (db->in_snapshot)
		return fn(db, arg);
	db->in_snapshot = running_read = true;
	r = db->pinned ? fn(db, arg) : s->be->snapshot(s, db, fn, arg);
	db->in_snapshot = false;
	running_read = outer;
	return r;
}

void yw_store_count(yw_store *s, long long writes, long long batches, long long failed_commits)
{
	__atomic_fetch_add(&s->stats.writes, writes, __ATOMIC_RELAXED);
	__atomic_fetch_add(&s->stats.batches, batches, __ATOMIC_RELAXED);
	__atomic_fetch_add(&s->stats.failed_commits, failed_commits, __ATOMIC_RELAXED);
}

void yw_store_get_stats(yw_store *s, yw_store_stats *out)
{
	out->writes = __atomic_load_n(&s->stats.writes, __ATOMIC_RELAXED);
	out->batches = __atomic_load_n(&s->stats.batches, __ATOMIC_RELAXED);
	out->failed_commits = __atomic_load_n(&s->stats.failed_commits, __ATOMIC_RELAXED);
}

/* ---- statements -------------------------------------------------------------------------- */

static yw_err check_call(yw_db *db, const char *sql, const yw_val *params, int nparams)
{
	if (!db)
		return YW_E_DB_UNREACHABLE;
	if (!sql || nparams < 0 || (nparams > 0 && !params))
		return YW_E_INTERNAL;
	/* PostgreSQL refuses every statement after a failed one until rollback; so do we. */
	if (db->in_write && db->write_err)
		return YW_E_DB_ERROR;
	return YW_E_OK;
}

static yw_err note_result(yw_db *db, yw_err r)
{
	if (r && db->in_write && !db->write_err)
		db->write_err = r;
	return r;
}

yw_err yw_db_exec(yw_db *db, const char *sql, const yw_val *params, int nparams, long long *changes)
{
	yw_err r = check_call(db, sql, params, nparams);

	if (changes)
		*changes = 0;
	if (r)
		return r;
	return note_result(db, db->be->exec(db, sql, params, nparams, changes));
}

yw_err yw_db_query(yw_db *db, yw_arena *a, yw_rows **out, const char *sql, const yw_val *params,
                   int nparams)
{
	yw_err r = check_call(db, sql, params, nparams);

	*out = NULL;
	if (r)
		return r;
	if (!a)
		return YW_E_INTERNAL;
	return note_result(db, db->be->query(db, a, out, sql, params, nparams));
}

const char *yw_db_errmsg(yw_db *db)
{
	if (!db)
		return "no database connection";
	return db->be->errmsg(db);
}

yw_err yw_db_run_write(yw_db *tx, yw_write_fn fn, void *arg)
{
	yw_err r;

	tx->in_write = running_write = true;
	tx->write_err = YW_E_OK;
	r = fn(tx, arg);
	if (r == YW_E_OK && tx->write_err)
		r = tx->write_err;
	tx->in_write = running_write = false;
	tx->write_err = YW_E_OK;
	return r;
}

/* ---- one connection per thread ----------------------------------------------------------- */

static void unlink_conn(yw_tls *t, yw_db *db)
{
	if (db->prev)
		db->prev->next = db->next;
	else
		t->list = db->next;
	if (db->next)
		db->next->prev = db->prev;
	db->prev = db->next = NULL;
}

/* Runs when a thread that used the store ends. */
static void thread_gone(void *p)
{
	yw_db *db = p;
	yw_tls *t = db->tls;

	pthread_mutex_lock(&t->mu);
	unlink_conn(t, db);
	pthread_mutex_unlock(&t->mu);
	t->close_conn(db);
}

int yw_tls_init(yw_tls *t, void (*close_conn)(yw_db *db))
{
	memset(t, 0, sizeof(*t));
	t->close_conn = close_conn;
	if (pthread_key_create(&t->key, thread_gone) != 0)
		return -1;
	pthread_mutex_init(&t->mu, NULL);
	t->ready = true;
	return 0;
}

yw_db *yw_tls_get(yw_tls *t)
{
	return pthread_getspecific(t->key);
}

int yw_tls_put(yw_tls *t, yw_db *db)
{
	if (pthread_setspecific(t->key, db) != 0)
		return -1;
	db->tls = t;
	pthread_mutex_lock(&t->mu);
	db->prev = NULL;
	db->next = t->list;
	if (t->list)
		t->list->prev = db;
	t->list = db;
	pthread_mutex_unlock(&t->mu);
	return 0;
}

void yw_tls_destroy(yw_tls *t)
{
	yw_db *db;

	if (!t->ready)
		return;
	/* Deleted first so that no thread ending from now on runs thread_gone on this registry.
	 * glibc versions keys, so a later key with the same number never sees our stale values. */
	pthread_key_delete(t->key);
	pthread_mutex_lock(&t->mu);
	while ((db = t->list) != NULL) {
		unlink_conn(t, db);
		t->close_conn(db);
	}
	pthread_mutex_unlock(&t->mu);
	pthread_mutex_destroy(&t->mu);
	t->ready = false;
}
