/*
 * crash_writer — the victim and the judge of tests/crash/run.sh.
 *
 *   crash_writer [--threads N] [--db URI] DATA_DIR
 *       Writes until killed: each write inserts a row into crash_probe and appends an audit
 *       entry in the same transaction; its id is printed on stdout only once yw_store_write has
 *       acknowledged it, one line each, flushed at once.
 *   crash_writer --check [--db URI] DATA_DIR ACKED_FILE
 *       After the kill: every id in ACKED_FILE must be in crash_probe, every row must have its
 *       audit entry (the two commit together or not at all), and the audit chain must verify.
 *       A last line cut short by the kill was never acknowledged and is ignored.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "store/store.h"

typedef struct {
	yw_store *s;
	int thread;
} writer;

typedef struct {
	const char *id;
	yw_ms at;
} probe;

static yw_err create_probe_table(yw_db *tx, void *arg)
{
	return yw_db_exec(tx, "CREATE TABLE IF NOT EXISTS crash_probe (id TEXT PRIMARY KEY, at BIGINT NOT NULL)",
	                  YW_NOPARAMS, NULL);
}

static yw_err write_probe(yw_db *tx, void *arg)
{
	const probe *p = arg;
	json_t *value = json_pack("{s:s, s:I}", "id", p->id, "at", (json_int_t)p->at);
	yw_audit_entry e = {.actor = "system", .action = "crash.probe", .object_type = "crash_probe",
	                    .object_id = p->id, .new_value = value};
	yw_err r = YW_E_NO_MEMORY;

	if (!value)
		return r;
	r = yw_db_exec(tx, "INSERT INTO crash_probe (id, at) VALUES ($1, $2)",
	               YW_PARAMS(YW_VTEXT(p->id), YW_VINT(p->at)), NULL);
	if (r == YW_E_OK)
		r = yw_audit_append(tx, &e, NULL);
	json_decref(value);
	return r;
}

static void *write_forever(void *arg)
{
	writer *w = arg;
	char id[64];

	for (long n = 0;; n++) {
		probe p = {.id = id, .at = yw_now_ms()};
		yw_err r;

		snprintf(id, sizeof(id), "%d-%d-%ld", (int)getpid(), w->thread, n);
		r = yw_store_write(w->s, write_probe, &p);
		if (r) {
			fprintf(stderr, "crash_writer: write %s failed: %s\n", id, yw_err_code(r));
			exit(1);
		}
		/* One call per line: the stream's lock keeps lines whole across threads. */
		printf("%s\n", id);
		fflush(stdout);
	}
	return NULL;
}

static yw_err open_store(const char *dir, const char *db, yw_store **s)
{
	yw_config c;
	char err[512] = "";
	yw_err r;

	yw_config_defaults(&c);
	yw_log_set_level(YW_LOG_WARN);
	snprintf(c.data_dir, sizeof(c.data_dir), "%s", dir);
	snprintf(c.db, sizeof(c.db), "%s", db);
	r = yw_store_open(&c, s, err, sizeof(err));
	if (r == YW_E_OK) {
		r = yw_store_migrate(*s, NULL, err, sizeof(err));
		if (r == YW_E_OK)
			r = yw_store_write(*s, create_probe_table, NULL);
		if (r) {
			yw_store_close(*s);
			*s = NULL;
		}
	}
	if (r)
		fprintf(stderr, "crash_writer: %s: %s %s\n", dir, yw_err_code(r), err);
	return r;
}

static int run_writers(const char *dir, const char *db, int threads)
{
	yw_store *s;
	pthread_t th;
	writer *ws;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (open_store(dir, db, &s) != YW_E_OK)
		return 1;
	ws = calloc((size_t)threads, sizeof(*ws));
	if (!ws)
		return 1;
	for (int i = 0; i < threads; i++) {
		ws[i] = (writer){.s = s, .thread = i};
		if (pthread_create(&th, NULL, write_forever, &ws[i]) != 0)
			return 1;
	}
	/* Nothing ends this process but the kill. */
	for (;;)
		pause();
}

/* ---- check ------------------------------------------------------------------------------- */

static long long count(yw_store *s, yw_arena *a, const char *sql, const yw_val *p, int n)
{
	yw_rows *rows;
	yw_db *db = yw_store_reader(s);

	if (yw_db_query(db, a, &rows, sql, p, n) != YW_E_OK) {
		fprintf(stderr, "crash_writer: %s: %s\n", sql, yw_db_errmsg(db));
		return -1;
	}
	return yw_rows_int(rows, 0, 0);
}

/* Looks up every complete line of the acknowledgement file; returns how many are missing. */
static long long missing_acks(yw_store *s, FILE *f, long long *acked)
{
	char line[128];
	long long missing = 0;
	yw_arena *a = NULL;

	*acked = 0;
	while (fgets(line, sizeof(line), f)) {
		size_t n = strlen(line);

		if (n == 0 || line[n - 1] != '\n')
			break;
		line[n - 1] = '\0';
		if (*acked % 1000 == 0) {
			yw_arena_free(a);
			a = yw_arena_new(4096);
		}
		(*acked)++;
		if (count(s, a, "SELECT count(*) FROM crash_probe WHERE id = $1", YW_PARAMS(YW_VTEXT(line))) != 1) {
			if (missing++ < 10)
				fprintf(stderr, "crash_writer: acknowledged %s is missing\n", line);
		}
	}
	yw_arena_free(a);
	return missing;
}

static int check(const char *dir, const char *db, const char *acked_file)
{
	yw_store *s;
	yw_audit_report rep;
	yw_arena *a = NULL;
	long long acked = 0, missing, rows, entries;
	FILE *f = fopen(acked_file, "r");
	int bad = 1;
	yw_err r;

	if (!f) {
		perror(acked_file);
		return 1;
	}
	if (open_store(dir, db, &s) != YW_E_OK)
		goto out_file;
	a = yw_arena_new(1024);
	missing = missing_acks(s, f, &acked);
	rows = count(s, a, "SELECT count(*) FROM crash_probe", YW_NOPARAMS);
	entries = count(s, a, "SELECT count(*) FROM audit_log WHERE object_type = 'crash_probe'", YW_NOPARAMS);
	r = yw_audit_verify(s, &rep);
	printf("acked=%lld missing=%lld rows=%lld audit_entries=%lld chain=%s%s%s\n", acked, missing, rows,
	       entries, r == YW_E_OK ? "ok" : yw_err_code(r), r == YW_E_OK ? "" : " ",
	       r == YW_E_OK ? "" : rep.reason);
	bad = missing != 0 || rows < acked || rows != entries || r != YW_E_OK;
	yw_arena_free(a);
	yw_store_close(s);
out_file:
	fclose(f);
	return bad;
}

static int usage(void)
{
	fprintf(stderr, "usage: crash_writer [--threads N] [--db URI] DATA_DIR\n"
	                "       crash_writer --check [--db URI] DATA_DIR ACKED_FILE\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *db = "sqlite";
	bool checking = false;
	int threads = 8, i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--check") == 0)
			checking = true;
		else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
			threads = atoi(argv[++i]);
		else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else
			return usage();
	}
	if (checking)
		return argc - i == 2 ? check(argv[i], db, argv[i + 1]) : usage();
	if (argc - i != 1 || threads < 1 || threads > 256)
		return usage();
	return run_writers(argv[i], db, threads);
}
