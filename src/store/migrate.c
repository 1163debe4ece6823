/*
 * migrate.c — brings the database schema up to the newest migration embedded in the binary.
 *
 * Each pending migration runs in its own write transaction together with the row that records
 * it, so a migration is either wholly applied and recorded or not at all. The transaction looks
 * again whether its version is recorded, so two processes racing on SQLite (whose writes are
 * serialised anyway) apply it once; on PostgreSQL, where DDL under READ COMMITTED could still
 * interleave, an advisory lock keeps a second migrator waiting for the first.
 */
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "migrations.h"

static const char create_sql[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	"version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

static int newest_embedded(void)
{
	return yw_migrations_count ? yw_migrations[yw_migrations_count - 1].version : 0;
}

static yw_err create_table(yw_db *tx, void *arg)
{
	return yw_db_exec(tx, create_sql, YW_NOPARAMS, NULL);
}

/* The versions recorded in the database, ascending; *rows stays NULL when there is no table. */
static yw_err recorded_versions(yw_store *s, yw_arena *a, yw_rows **rows)
{
	yw_db *db = yw_store_reader(s);
	bool has = false;
	yw_err r;

	*rows = NULL;
	if (!db)
		return YW_E_DB_UNREACHABLE;
	r = db->be->has_table(db, "schema_migrations", &has);
	if (r || !has)
		return r;
	return yw_db_query(db, a, rows, "SELECT version FROM schema_migrations ORDER BY version",
	                   YW_NOPARAMS);
}

static bool is_recorded(const yw_rows *rows, int version)
{
	for (int i = 0; i < yw_rows_count(rows); i++)
		if (yw_rows_int(rows, i, 0) == version)
			return true;
	return false;
}

static int newest_recorded(const yw_rows *rows)
{
	int n = yw_rows_count(rows);

	return n ? (int)yw_rows_int(rows, n - 1, 0) : 0;
}

yw_err yw_store_schema_version(yw_store *s, int *in_db, int *in_binary)
{
	yw_arena *a = yw_arena_new(1024);
	yw_rows *rows;
	yw_err r;

	*in_db = 0;
	*in_binary = newest_embedded();
	if (!a)
		return YW_E_NO_MEMORY;
	r = recorded_versions(s, a, &rows);
	if (r == YW_E_OK)
		*in_db = newest_recorded(rows);
	yw_arena_free(a);
	return r;
}

typedef struct {
	const yw_migration *m;
	bool ran;
	char msg[512];
} apply_job;

static yw_err apply_one(yw_db *tx, void *arg)
{
	apply_job *j = arg;
	yw_arena *a = yw_arena_new(512);
	yw_rows *rows;
	yw_err r = YW_E_NO_MEMORY;

	if (!a)
		goto out;
	r = yw_db_query(tx, a, &rows, "SELECT 1 FROM schema_migrations WHERE version = $1",
	                YW_PARAMS(YW_VINT(j->m->version)));
	if (r || yw_rows_count(rows) > 0)
		goto out;
	r = tx->be->script(tx, j->m->sql);
	if (r)
		goto out;
	r = yw_db_exec(tx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
	               YW_PARAMS(YW_VINT(j->m->version), YW_VTEXT(j->m->name), YW_VINT(yw_now_ms())),
	               NULL);
	j->ran = r == YW_E_OK;
out:
	if (r)
		yw_store_msg(j->msg, sizeof(j->msg), "%s", yw_db_errmsg(tx));
	yw_arena_free(a);
	return r;
}

static yw_err apply_pending(yw_store *s, const yw_rows *done, int *applied, char *err, size_t errlen)
{
	for (int i = 0; i < yw_migrations_count; i++) {
		apply_job j = {.m = &yw_migrations[i]};
		yw_err r;

		if (is_recorded(done, j.m->version))
			continue;
		r = yw_store_write(s, apply_one, &j);
		if (r) {
			yw_store_msg(err, errlen, "数据库迁移 %03d_%s 失败：%s", j.m->version, j.m->name,
			             j.msg[0] ? j.msg : yw_err_title(r));
			return r;
		}
		if (j.ran) {
			(*applied)++;
			yw_log(YW_LOG_INFO, "migration %03d_%s applied", j.m->version, j.m->name);
		}
	}
	return YW_E_OK;
}

static yw_err migrate_locked(yw_store *s, int *applied, char *err, size_t errlen)
{
	yw_arena *a = yw_arena_new(1024);
	yw_rows *done;
	yw_err r = YW_E_NO_MEMORY;

	if (!a)
		goto out;
	r = yw_store_write(s, create_table, NULL);
	if (r) {
		yw_store_msg(err, errlen, "无法创建 schema_migrations 表：%s", yw_err_title(r));
		goto out;
	}
	r = recorded_versions(s, a, &done);
	if (r) {
		yw_store_msg(err, errlen, "无法读取数据库结构版本：%s",
		             yw_db_errmsg(yw_store_reader(s)));
		goto out;
	}
	if (newest_recorded(done) > newest_embedded()) {
		yw_store_msg(err, errlen,
		             "数据库结构版本为 %d，高于本程序所知的最新版本 %d：请使用更新版本的程序，"
		             "不要用旧程序打开新数据库",
		             newest_recorded(done), newest_embedded());
		r = YW_E_SCHEMA_TOO_NEW;
		goto out;
	}
	r = apply_pending(s, done, applied, err, errlen);
out:
	yw_arena_free(a);
	return r;
}

yw_err yw_store_migrate(yw_store *s, int *applied, char *err, size_t errlen)
{
	yw_err r;
	int n = 0;

	if (!applied)
		applied = &n;
	*applied = 0;
	if (s->be->migrate_lock) {
		r = s->be->migrate_lock(s, true);
		if (r) {
			yw_store_msg(err, errlen, "无法获取数据库迁移锁：%s", yw_db_errmsg(yw_store_reader(s)));
			return r;
		}
	}
	r = migrate_locked(s, applied, err, errlen);
	if (s->be->migrate_lock)
		s->be->migrate_lock(s, false);
	return r;
}
