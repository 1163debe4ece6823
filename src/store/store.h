/*
 * store — one database API over two backends: SQLite (embedded, the default) and PostgreSQL.
 *
 * Modules never see a backend handle. They read through the calling thread's own connection
 * (yw_store_reader) and write by handing a function to yw_store_write, which runs it inside a
 * transaction and returns only once that transaction is durable. On SQLite a single writer
 * thread runs queued write functions in batches — each in its own savepoint, so one failure rolls
 * back alone — and commits the batch with one fsync (group commit, synchronous=FULL); a batch
 * that fails to commit is run again one write per transaction, so that only the guilty write
 * fails. On PostgreSQL the calling thread writes in its own transaction on its own connection.
 *
 * SQL is written once in the dialect both accept: $1, $2 … parameters, RETURNING, ON CONFLICT.
 * Results are copied into the caller's arena, so they outlive the statement.
 * Schema changes are numbered migrations (src/store/schema/NNN_name.sql), embedded at build time.
 */
#ifndef YW_STORE_H
#define YW_STORE_H

#include "../base/base.h"

typedef struct yw_store yw_store;
typedef struct yw_db yw_db;          /* a connection, possibly inside a write transaction */
typedef struct yw_rows yw_rows;      /* a result set copied into an arena */

typedef enum { YW_V_NULL, YW_V_INT, YW_V_TEXT, YW_V_BLOB } yw_val_type;
typedef struct {
	yw_val_type type;
	long long i;
	const char *s;     /* TEXT: NUL-terminated; BLOB: n bytes */
	size_t n;
} yw_val;

#define YW_VNULL ((yw_val){.type = YW_V_NULL})
#define YW_VINT(x) ((yw_val){.type = YW_V_INT, .i = (long long)(x)})
/* A function, not a bare conditional, so that a char array argument does not trip -Waddress. */
static inline yw_val yw_vtext(const char *s)
{
	return (yw_val){.type = s ? YW_V_TEXT : YW_V_NULL, .s = s};
}
#define YW_VTEXT(x) yw_vtext(x)
#define YW_VBLOB(p, len) ((yw_val){.type = YW_V_BLOB, .s = (const char *)(p), .n = (len)})
/* yw_db_exec(db, sql, YW_PARAMS(YW_VTEXT(a), YW_VINT(b)), NULL) */
#define YW_PARAMS(...) (const yw_val[]){__VA_ARGS__}, \
	(int)(sizeof((const yw_val[]){__VA_ARGS__}) / sizeof(yw_val))
#define YW_NOPARAMS NULL, 0

/* Open (and create, for SQLite under <data>/yiwang.db) without migrating. */
yw_err yw_store_open(const yw_config *c, yw_store **out, char *err, size_t errlen);
void yw_store_close(yw_store *s);
const char *yw_store_backend(const yw_store *s);              /* "sqlite" or "postgres" */

/* Run pending migrations; *applied gets how many ran. Refuses (SCHEMA_TOO_NEW) when the
 * database has a migration this binary does not know. */
yw_err yw_store_migrate(yw_store *s, int *applied, char *err, size_t errlen);
/* Current schema version in the database and the newest this binary embeds. */
yw_err yw_store_schema_version(yw_store *s, int *in_db, int *in_binary);

/* The calling thread's read connection (opened on first use, closed when the thread ends). */
yw_db *yw_store_reader(yw_store *s);

typedef yw_err (*yw_write_fn)(yw_db *tx, void *arg);
/* Run fn inside a durable transaction. Returns fn's error (its changes rolled back) or a
 * store error; YW_E_OK means the changes are on disk. */
yw_err yw_store_write(yw_store *s, yw_write_fn fn, void *arg);
/* The rules for fn, the same on both backends:
 * - A statement error spoils the write: later statements fail too, and the write fails with the
 *   first error even if fn returns YW_E_OK. Use ON CONFLICT rather than catching a failed insert.
 * - fn reads through tx, which sees its own changes, never through yw_store_reader.
 * - fn must not call yw_store_write or yw_store_read, on this store or any other (SQLite would
 *   deadlock, PostgreSQL would commit apart from tx); that is refused with YW_E_INTERNAL.
 * - fn may run more than once, each time in a fresh transaction with the last one's changes
 *   gone: on SQLite when its batch could not commit (every job of the batch then runs again
 *   alone), on PostgreSQL after a deadlock (up to 3 times in all). So it must have no effect
 *   outside tx other than setting results in arg, and set them afresh each time.
 * - Outside fn the connections are read-only: writing through yw_store_reader fails. */

/* Run fn on the calling thread's read connection inside one read-only transaction, so that all
 * its queries see the same snapshot (a list and its total, a chain walked page by page). */
yw_err yw_store_read(yw_store *s, yw_write_fn fn, void *arg);

/* One snapshot for a request's reads. Between yw_store_pin and yw_store_unpin, the calling
 * thread's reads share one read transaction, begun by the first of them, instead of one each.
 * On SQLite each new read transaction after any write pays to find the change (the WAL index
 * read again under a lock, the connection's page cache dropped), and a request makes a dozen
 * reads while the writer commits hundreds of times a second; pinned, it pays once. A write ends
 * the pinned transaction first (yw_store_write), so what the request reads after its own write
 * includes it. The HTTP layer pins around every handler; other threads never pin, so their
 * reads stay as fresh as each statement. Nothing on PostgreSQL, whose reads carry no such cost. */
void yw_store_pin(yw_store *s);
void yw_store_unpin(yw_store *s);

/* Counters since open, for benchmarks and health pages. On PostgreSQL every write is its own
 * batch. */
typedef struct {
	long long writes;          /* write functions run */
	long long batches;         /* transactions committed or attempted */
	long long failed_commits;
} yw_store_stats;
void yw_store_get_stats(yw_store *s, yw_store_stats *out);

/* Statements, one per call. $n may appear several times and in any order; a $n with no value
 * is an error. `changes` (may be NULL) gets the number of rows changed (returned, for a query).
 * Columns for bytes are declared BYTEA, which SQLite accepts as well. */
yw_err yw_db_exec(yw_db *db, const char *sql, const yw_val *params, int nparams, long long *changes);
yw_err yw_db_query(yw_db *db, yw_arena *a, yw_rows **out, const char *sql, const yw_val *params,
                   int nparams);

int yw_rows_count(const yw_rows *r);
int yw_rows_columns(const yw_rows *r);
bool yw_rows_is_null(const yw_rows *r, int row, int col);
const char *yw_rows_text(const yw_rows *r, int row, int col);  /* NULL for SQL NULL */
long long yw_rows_int(const yw_rows *r, int row, int col);     /* 0 for NULL */
/* TEXT cells too, with their true length: SQLite text may hold a NUL that the C string hides. */
const void *yw_rows_blob(const yw_rows *r, int row, int col, size_t *len);
/* YW_V_NULL out of range. On SQLite a cell's type is the value's, whatever the column says. */
yw_val_type yw_rows_type(const yw_rows *r, int row, int col);

/* The last backend error message on this connection (for logs, never for clients). */
const char *yw_db_errmsg(yw_db *db);

#endif
