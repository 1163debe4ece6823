/*
 * bench_sqlite_fsync — the ceiling for durable writes on this machine: raw SQLite, WAL,
 * synchronous=FULL, one INSERT per transaction (so one fsync each), from one thread, for a
 * number of seconds. yiwang's own write figures are read as a ratio to this one.
 *
 *   bench_sqlite_fsync [DIR [SECONDS]]        prints inserts_per_sec=<n>
 *
 * DIR is created if missing; without it the database goes to a temporary directory that is
 * removed afterwards. SECONDS defaults to 5.
 */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <sqlite3.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

/* A directory that may hold other things: take away only our own files. */
static void remove_db(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm"};
	char f[4200];

	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(f, sizeof(f), "%s%s", path, suffix[i]);
		remove(f);
	}
}

static int fail(sqlite3 *db, const char *what)
{
	fprintf(stderr, "bench_sqlite_fsync: %s: %s\n", what, db ? sqlite3_errmsg(db) : "out of memory");
	return 1;
}

/* One autocommit INSERT after another until the time is up; *n gets how many. */
static int insert_for(sqlite3 *db, double seconds, long long *n)
{
	sqlite3_stmt *st = NULL;
	double end = now_s() + seconds;
	char note[64];
	int rc = 0;

	*n = 0;
	if (sqlite3_prepare_v2(db, "INSERT INTO bench (id, note, at) VALUES (?1, ?2, ?3)", -1, &st, NULL))
		return fail(db, "prepare");
	while (now_s() < end) {
		snprintf(note, sizeof(note), "申请 %lld", *n);
		sqlite3_bind_int64(st, 1, *n);
		sqlite3_bind_text(st, 2, note, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL) * 1000);
		if (sqlite3_step(st) != SQLITE_DONE) {
			rc = fail(db, "insert");
			break;
		}
		sqlite3_reset(st);
		(*n)++;
	}
	sqlite3_finalize(st);
	return rc;
}

static const char setup_sql[] =
	"PRAGMA synchronous=FULL;"
	"DROP TABLE IF EXISTS bench;"
	"CREATE TABLE bench (id INTEGER PRIMARY KEY, note TEXT NOT NULL, at BIGINT NOT NULL);";

int main(int argc, char **argv)
{
	double seconds = 5, t0;
	char tmp[] = "/tmp/yw-bench-XXXXXX", path[4096];
	const char *dir;
	sqlite3 *db = NULL;
	long long n = 0;
	int rc = 1;

	if (argc > 3 || (argc == 3 && (seconds = atof(argv[2])) <= 0)) {
		fprintf(stderr, "usage: bench_sqlite_fsync [DIR [SECONDS]]\n");
		return 2;
	}
	dir = argc > 1 ? argv[1] : mkdtemp(tmp);
	if (!dir || (mkdir(dir, 0700) != 0 && errno != EEXIST)) {
		perror(dir ? dir : "mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/bench_sqlite_fsync.db", dir);
	if (sqlite3_open(path, &db) != SQLITE_OK) {
		rc = fail(db, path);
		goto out;
	}
	if (sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, setup_sql, NULL, NULL, NULL) != SQLITE_OK) {
		rc = fail(db, "setup");
		goto out;
	}
	t0 = now_s();
	rc = insert_for(db, seconds, &n);
	if (rc == 0)
		printf("inserts_per_sec=%.0f\n", (double)n / (now_s() - t0));
out:
	sqlite3_close(db);
	if (dir == tmp)
		nftw(tmp, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	else
		remove_db(path);
	return rc;
}
