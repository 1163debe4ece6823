/*
 * bench_store_write — durable writes through the store from many threads: each thread calls
 * yw_store_write in a loop, each write one row, each answered only once on disk. On SQLite
 * this measures group commit against bench_sqlite_fsync's one-fsync-per-insert ceiling.
 *
 *   bench_store_write [DIR [SECONDS [THREADS]]]     prints writes_per_sec=<n>
 *
 * DIR (created if missing, default a temporary directory removed afterwards) holds the SQLite
 * database; with YW_BENCH_DB=postgresql://… the same runs on PostgreSQL instead. SECONDS
 * defaults to 5, THREADS to 64. Also prints writes_per_transaction=<x>.
 */
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

typedef struct {
	yw_store *s;
	int thread;
	long long done;
	volatile bool *stop;
	yw_err failed;
} worker;

typedef struct {
	const char *id;
	long long n;
} row;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static yw_err create_table(yw_db *tx, void *arg)
{
	yw_err r = yw_db_exec(tx, "DROP TABLE IF EXISTS bench_write", YW_NOPARAMS, NULL);

	if (r == YW_E_OK)
		r = yw_db_exec(tx, "CREATE TABLE bench_write (id TEXT PRIMARY KEY, n BIGINT NOT NULL, "
		                   "note TEXT NOT NULL, at BIGINT NOT NULL)", YW_NOPARAMS, NULL);
	return r;
}

static yw_err insert_row(yw_db *tx, void *arg)
{
	const row *w = arg;

	return yw_db_exec(tx, "INSERT INTO bench_write (id, n, note, at) VALUES ($1, $2, $3, $4)",
	                  YW_PARAMS(YW_VTEXT(w->id), YW_VINT(w->n), YW_VTEXT("申请材料已受理"),
	                            YW_VINT(yw_now_ms())), NULL);
}

static void *work(void *arg)
{
	worker *w = arg;
	char id[48];

	while (!*w->stop && !w->failed) {
		row r = {id, w->done};

		snprintf(id, sizeof(id), "%d-%lld", w->thread, w->done);
		w->failed = yw_store_write(w->s, insert_row, &r);
		if (!w->failed)
			w->done++;
	}
	return NULL;
}

static yw_err open_store(const char *dir, yw_store **s)
{
	yw_config c;
	char err[512] = "";
	yw_err r;

	yw_config_defaults(&c);
	yw_log_set_level(YW_LOG_WARN);
	snprintf(c.data_dir, sizeof(c.data_dir), "%s", dir);
	if (getenv("YW_BENCH_DB"))
		snprintf(c.db, sizeof(c.db), "%s", getenv("YW_BENCH_DB"));
	r = yw_store_open(&c, s, err, sizeof(err));
	if (r == YW_E_OK && (r = yw_store_write(*s, create_table, NULL)) != YW_E_OK)
		yw_store_close(*s);
	if (r)
		fprintf(stderr, "bench_store_write: %s %s\n", yw_err_code(r), err);
	return r;
}

/* Runs the workers for `seconds`; returns writes per second, or -1 if anything failed. */
static double run(yw_store *s, int threads, double seconds)
{
	worker *w = calloc((size_t)threads, sizeof(*w));
	pthread_t *th = calloc((size_t)threads, sizeof(*th));
	volatile bool stop = false;
	bool ok = w && th;
	long long total = 0;
	double rate = -1;
	uint64_t t0 = yw_now_us_mono();
	int started = 0;

	for (; ok && started < threads; started++) {
		w[started] = (worker){.s = s, .thread = started, .stop = &stop};
		ok = pthread_create(&th[started], NULL, work, &w[started]) == 0;
	}
	if (ok)
		usleep((useconds_t)(seconds * 1e6));
	stop = true;
	for (int i = 0; i < started; i++) {
		pthread_join(th[i], NULL);
		total += w[i].done;
		if (w[i].failed) {
			fprintf(stderr, "bench_store_write: a write failed: %s\n", yw_err_code(w[i].failed));
			ok = false;
		}
	}
	if (ok)
		rate = (double)total / ((double)(yw_now_us_mono() - t0) / 1e6);
	free(w);
	free(th);
	return rate;
}

int main(int argc, char **argv)
{
	char tmp[] = "/tmp/yw-bench-XXXXXX";
	const char *dir = argc > 1 ? argv[1] : mkdtemp(tmp);
	double seconds = argc > 2 ? atof(argv[2]) : 5, rate;
	int threads = argc > 3 ? atoi(argv[3]) : 64;
	yw_store_stats st;
	yw_store *s;

	if (argc > 4 || seconds <= 0 || threads < 1 || !dir) {
		fprintf(stderr, "usage: bench_store_write [DIR [SECONDS [THREADS]]]\n");
		return 2;
	}
	if (open_store(dir, &s) != YW_E_OK)
		return 1;
	rate = run(s, threads, seconds);
	yw_store_get_stats(s, &st);
	yw_store_close(s);
	if (dir == tmp)
		nftw(tmp, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	if (rate < 0)
		return 1;
	printf("writes_per_sec=%.0f\n", rate);
	printf("writes_per_transaction=%.1f\n", st.batches ? (double)st.writes / (double)st.batches : 0.0);
	return 0;
}
