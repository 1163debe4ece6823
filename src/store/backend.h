/*
 * backend — the seam between the store's common front (store.c) and its two backends
 * (sqlite.c, pg.c). Private to src/store/: other modules include store.h only.
 *
 * store.c owns what both backends must do the same way: parameter checks, the "one failed
 * statement spoils the whole write" rule, result copying into arenas, the per-thread connection
 * registry and the migrations. A backend supplies connections, statements and transactions.
 */
#ifndef YW_STORE_BACKEND_H
#define YW_STORE_BACKEND_H

#include <pthread.h>
#include "store.h"

typedef struct yw_backend yw_backend;
typedef struct yw_tls yw_tls;

/* The head of every backend's connection struct. */
struct yw_db {
	const yw_backend *be;
	yw_tls *tls;               /* the registry that owns this connection, NULL if none */
	yw_db *prev, *next;        /* in that registry */
	bool in_write;             /* running a write function */
	bool in_snapshot;          /* inside yw_store_read */
	bool pin_wanted;           /* yw_store_pin: the next read begins a transaction that stays */
	bool pinned;               /* that transaction is open */
	yw_err write_err;          /* first statement error of the running write function */
};

/* The head of every backend's store struct. */
struct yw_store {
	const yw_backend *be;
	yw_store_stats stats;      /* updated with __atomic builtins */
};

struct yw_backend {
	const char *name;
	void (*close)(yw_store *s);
	yw_db *(*reader)(yw_store *s);
	yw_err (*write)(yw_store *s, yw_write_fn fn, void *arg);
	yw_err (*snapshot)(yw_store *s, yw_db *db, yw_write_fn fn, void *arg);
	/* Ends a reader's pinned transaction (db->pinned); NULL when the backend does not pin. */
	void (*unpin)(yw_db *db);
	yw_err (*exec)(yw_db *db, const char *sql, const yw_val *p, int n, long long *changes);
	yw_err (*query)(yw_db *db, yw_arena *a, yw_rows **out, const char *sql, const yw_val *p,
	                int n);
	/* Several statements, no parameters: a migration file. */
	yw_err (*script)(yw_db *db, const char *sql);
	const char *(*errmsg)(yw_db *db);
	/* Keeps two processes from migrating at once; NULL when the backend needs nothing. */
	yw_err (*migrate_lock)(yw_store *s, bool take);
	yw_err (*has_table)(yw_db *db, const char *name, bool *out);
};

/* Backends' constructors, called by yw_store_open. */
yw_err yw_sqlite_open(const yw_config *c, yw_store **out, char *err, size_t errlen);
yw_err yw_pg_open(const yw_config *c, yw_store **out, char *err, size_t errlen);
/* The yw_err for an SQLite result code, primary or extended (public for its unit test). */
yw_err yw_sqlite_error(int code);

/* Run a write function on tx with the spoiling rule applied: if a statement failed, the job
 * fails with that statement's error even when fn ignored it, so that a write behaves the same
 * on SQLite (which would carry on) and PostgreSQL (which aborts the transaction). */
yw_err yw_db_run_write(yw_db *tx, yw_write_fn fn, void *arg);

/* Count a write or a batch in the store's stats. */
void yw_store_count(yw_store *s, long long writes, long long batches, long long failed_commits);

/* ---- one connection per thread ----------------------------------------------------------- */

/* A pthread key whose values are connections, plus the list of all of them, so that a thread's
 * connection is closed when it ends and the rest when the store closes. */
struct yw_tls {
	pthread_key_t key;
	pthread_mutex_t mu;
	yw_db *list;
	void (*close_conn)(yw_db *db);
	bool ready;
};

int yw_tls_init(yw_tls *t, void (*close_conn)(yw_db *db));
yw_db *yw_tls_get(yw_tls *t);
int yw_tls_put(yw_tls *t, yw_db *db);   /* register as the calling thread's connection */
/* Close every registered connection. Call only once no other thread uses the store. */
void yw_tls_destroy(yw_tls *t);

/* ---- result sets ------------------------------------------------------------------------- */

/* Builds a yw_rows cell by cell. Text and blobs are copied into the arena at once; the cell
 * array grows on the heap and moves into the arena when finished. */
typedef struct {
	yw_arena *a;
	int ncols;
	size_t n, cap;
	yw_val *cells;
} yw_rowbuf;

void yw_rowbuf_init(yw_rowbuf *b, yw_arena *a, int ncols);
yw_err yw_rowbuf_push(yw_rowbuf *b, yw_val v);
yw_err yw_rowbuf_finish(yw_rowbuf *b, yw_rows **out);  /* frees the heap part either way */
void yw_rowbuf_discard(yw_rowbuf *b);

/* Copy a message into a fixed buffer, never overflowing, always terminated. */
void yw_store_msg(char *dst, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
