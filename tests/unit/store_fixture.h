/*
 * The fixture that test_store.c and test_audit.c share: every group of tests runs once on
 * SQLite in a fresh temporary directory and once more on PostgreSQL when YW_TEST_PG names a
 * database (scripts/with-postgres.sh sets it up). Include after cmocka.h.
 */
#ifndef YW_TEST_STORE_FIXTURE_H
#define YW_TEST_STORE_FIXTURE_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

typedef struct {
	yw_config cfg;
	char dir[256];
	bool pg;
} store_env;

static int setup_env(void **state, bool pg)
{
	store_env *e = calloc(1, sizeof(*e));

	if (!e)
		return -1;
	snprintf(e->dir, sizeof(e->dir), "%s/yw-test-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(e->dir)) {
		free(e);
		return -1;
	}
	yw_config_defaults(&e->cfg);
	yw_log_set_level(YW_LOG_WARN);
	snprintf(e->cfg.data_dir, sizeof(e->cfg.data_dir), "%s", e->dir);
	snprintf(e->cfg.db, sizeof(e->cfg.db), "%s", pg ? getenv("YW_TEST_PG") : "sqlite");
	e->pg = pg;
	*state = e;
	return 0;
}

static int setup_sqlite(void **state)
{
	return setup_env(state, false);
}

static int setup_pg(void **state)
{
	return setup_env(state, true);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown_env(void **state)
{
	store_env *e = *state;

	nftw(e->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(e);
	return 0;
}

/* Open and migrate, or fail the test with the store's own message. */
static yw_store *env_open(const store_env *e)
{
	yw_store *s = NULL;
	char err[512] = "";
	yw_err r = yw_store_open(&e->cfg, &s, err, sizeof(err));

	if (r)
		fail_msg("open %s: %s (%s)", e->cfg.db, yw_err_code(r), err);
	r = yw_store_migrate(s, NULL, err, sizeof(err));
	if (r)
		fail_msg("migrate: %s (%s)", yw_err_code(r), err);
	return s;
}

static yw_err exec_all(yw_db *tx, void *arg)
{
	yw_err r = YW_E_OK;

	for (const char *const *sql = arg; *sql && r == YW_E_OK; sql++) {
		r = yw_db_exec(tx, *sql, YW_NOPARAMS, NULL);
		if (r)
			print_error("%s: %s\n", *sql, yw_db_errmsg(tx));
	}
	return r;
}

/* Statements in one write transaction: sql_write(s, "DROP …", "CREATE …", NULL). */
#define sql_write(s, ...) \
	assert_int_equal(yw_store_write((s), exec_all, (void *)(const char *const[]){__VA_ARGS__}), \
	                 YW_E_OK)

/* A single integer read through the calling thread's connection. */
static long long read_int(yw_store *s, const char *sql, const yw_val *p, int n)
{
	yw_arena *a = yw_arena_new(1024);
	yw_rows *rows = NULL;
	yw_db *db = yw_store_reader(s);
	long long x;

	assert_non_null(a);
	assert_non_null(db);
	if (yw_db_query(db, a, &rows, sql, p, n) != YW_E_OK)
		fail_msg("%s: %s", sql, yw_db_errmsg(db));
	assert_int_equal(yw_rows_count(rows), 1);
	x = yw_rows_int(rows, 0, 0);
	yw_arena_free(a);
	return x;
}

static int run_on_backends(const char *name, const struct CMUnitTest *tests, size_t n)
{
	char group[64];
	int failed;

	snprintf(group, sizeof(group), "%s/sqlite", name);
	failed = _cmocka_run_group_tests(group, tests, n, setup_sqlite, teardown_env);
	if (getenv("YW_TEST_PG") && getenv("YW_TEST_PG")[0]) {
		snprintf(group, sizeof(group), "%s/postgres", name);
		failed += _cmocka_run_group_tests(group, tests, n, setup_pg, teardown_env);
	} else {
		fprintf(stderr, "note: %s/postgres not run: YW_TEST_PG is not set (scripts/with-postgres.sh sets it)\n",
		       name);
	}
	return failed;
}

#endif
