/*
 * The audit chain on both backends: a chain appended by the API verifies, and each kind of
 * tampering done behind its back with plain SQL — an edited field, a deleted entry in the
 * middle or at the end, a forged entry slipped in, two entries swapped, bytes hidden behind a NUL
 * — is found, at the right sequence number, with the right kind of reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>

#include "audit/audit.h"
#include "store_fixture.h"

enum { CHAIN = 10 };

typedef struct {
	int from, count;
	long long last_seq;
} append_args;

static yw_err append_some(yw_db *tx, void *arg)
{
	append_args *aa = arg;
	yw_err r = YW_E_OK;

	for (int i = aa->from; i < aa->from + aa->count && r == YW_E_OK; i++) {
		char id[32];
		json_t *old = i % 2 ? json_pack("{s:s, s:i}", "状态", "受理", "步骤", i) : NULL;
		json_t *new = json_pack("{s:s, s:i, s:{s:b, s:n}, s:[i, s]}", "状态", "办结", "步骤", i + 1,
		                        "细节", "加急", i % 3 == 0, "备注", "列表", i, "一网通办");
		yw_audit_entry e = {
			.actor = i % 4 ? "staff:42" : "system",
			.action = "case.accept",
			.object_type = "case",
			.object_id = id,
			.old_value = old,
			.new_value = new,
		};

		snprintf(id, sizeof(id), "320100-%06d", i);
		r = yw_audit_append(tx, &e, &aa->last_seq);
		json_decref(old);
		json_decref(new);
	}
	return r;
}

static void append_entries(yw_store *s, int from, int count)
{
	append_args aa = {from, count, 0};

	assert_int_equal(yw_store_write(s, append_some, &aa), YW_E_OK);
	assert_int_equal(aa.last_seq, from + count - 1);
}

/* A fresh chain of `n` entries (the log is shared by every test of the group). */
static yw_store *fresh_chain(const store_env *e, int n)
{
	yw_store *s = env_open(e);

	sql_write(s, "DELETE FROM audit_log",
	          "UPDATE audit_head SET seq = 0, hash = "
	          "'0000000000000000000000000000000000000000000000000000000000000000'",
	          NULL);
	if (n)
		append_entries(s, 1, n);
	return s;
}

static void expect_ok(yw_store *s, long long entries)
{
	yw_audit_report rep;
	yw_err r = yw_audit_verify(s, &rep);

	if (r)
		fail_msg("verify: %s at %lld: %s", yw_err_code(r), rep.first_bad, rep.reason);
	assert_int_equal(rep.checked, entries);
	assert_int_equal(rep.first_bad, 0);
}

static void expect_broken(yw_store *s, long long seq, const char *word)
{
	yw_audit_report rep;
	yw_err r = yw_audit_verify(s, &rep);

	print_message("      %s\n", rep.reason);
	assert_int_equal(r, YW_E_AUDIT_BROKEN);
	if (rep.first_bad != seq || !strstr(rep.reason, word))
		fail_msg("want seq %lld with \"%s\", got %lld: %s", seq, word, rep.first_bad, rep.reason);
}

static void test_chain_verifies(void **state)
{
	yw_store *s = fresh_chain(*state, 0);

	expect_ok(s, 0);
	append_entries(s, 1, CHAIN);
	expect_ok(s, CHAIN);
	append_entries(s, CHAIN + 1, 1);
	expect_ok(s, CHAIN + 1);
	/* stored JSON is canonical: compact, keys sorted, Chinese unescaped */
	assert_int_equal(read_int(s, "SELECT count(*) FROM audit_log WHERE new_value LIKE '{\"备注\":%'",
	                          YW_NOPARAMS), 0);
	assert_int_equal(read_int(s, "SELECT count(*) FROM audit_log WHERE new_value LIKE '{\"列表\":[%'",
	                          YW_NOPARAMS), CHAIN + 1);
	assert_int_equal(read_int(s, "SELECT count(*) FROM audit_log WHERE old_value IS NULL",
	                          YW_NOPARAMS), (CHAIN + 1) / 2);
	yw_store_close(s);
}

static yw_err append_incomplete(yw_db *tx, void *arg)
{
	yw_audit_entry e = {.actor = "system", .action = "x.y", .object_type = "case"};

	return yw_audit_append(tx, &e, NULL);
}

static void test_incomplete_entry_refused(void **state)
{
	yw_store *s = fresh_chain(*state, 3);

	assert_int_not_equal(yw_store_write(s, append_incomplete, NULL), YW_E_OK);
	expect_ok(s, 3);
	yw_store_close(s);
}

static void test_edited_field(void **state)
{
	yw_store *s = fresh_chain(*state, CHAIN);

	sql_write(s, "UPDATE audit_log SET actor = 'staff:666' WHERE seq = 4", NULL);
	expect_broken(s, 4, "被修改");
	yw_store_close(s);
}

static void test_edited_json(void **state)
{
	yw_store *s = fresh_chain(*state, CHAIN);

	/* the same value, merely spelled with a space: still a change to what was recorded */
	sql_write(s, "UPDATE audit_log SET new_value = replace(new_value, ':', ': ') WHERE seq = 7", NULL);
	expect_broken(s, 7, "被修改");
	yw_store_close(s);
}

static void test_edited_hash(void **state)
{
	yw_store *s = fresh_chain(*state, CHAIN);

	sql_write(s, "UPDATE audit_log SET hash = prev_hash WHERE seq = 2", NULL);
	expect_broken(s, 2, "被修改");
	yw_store_close(s);
}

/* SQLite text may hold a NUL; whatever follows it is invisible to C string functions, so it must
 * not be invisible to the hash. (PostgreSQL text cannot hold a NUL at all.) */
static void test_edited_behind_nul(void **state)
{
	store_env *e = *state;
	yw_store *s;

	s = fresh_chain(e, CHAIN);
	sql_write(s, "UPDATE audit_log SET actor = actor || char(0) || 'forged' WHERE seq = 1", NULL);
	/* the forged bytes are really stored, behind the NUL */
	assert_int_equal(read_int(s, "SELECT count(*) FROM audit_log WHERE seq = 1 AND "
	                          "CAST(actor AS BLOB) = CAST('staff:42' || char(0) || 'forged' AS BLOB)",
	                          YW_NOPARAMS), 1);
	expect_broken(s, 1, "第 1 条被修改");
	yw_store_close(s);
}

/* The same bytes stored as a blob instead of text, a stored hash or the head's hash with bytes
 * behind a NUL: none of it is what the API writes, so each is an edit. */
static void test_cells_not_plain_text(void **state)
{
	store_env *e = *state;
	yw_store *s;

	s = fresh_chain(e, CHAIN);
	sql_write(s, "UPDATE audit_log SET actor = CAST(actor AS BLOB) WHERE seq = 3", NULL);
	assert_int_equal(read_int(s, "SELECT count(*) FROM audit_log WHERE typeof(actor) = 'blob'",
	                          YW_NOPARAMS), 1);
	expect_broken(s, 3, "第 3 条被修改");
	yw_store_close(s);

	s = fresh_chain(e, CHAIN);
	sql_write(s, "UPDATE audit_log SET hash = hash || char(0) || 'x' WHERE seq = 5", NULL);
	expect_broken(s, 5, "第 5 条被修改");
	yw_store_close(s);

	s = fresh_chain(e, CHAIN);
	sql_write(s, "UPDATE audit_head SET hash = hash || char(0) || 'x'", NULL);
	expect_broken(s, CHAIN, "与链头记录的哈希不符");
	yw_store_close(s);
}

/* The head vouches for the last hash as a whole: one character more is not the same hash. */
static void test_head_hash_lengthened(void **state)
{
	yw_store *s = fresh_chain(*state, CHAIN);

	sql_write(s, "UPDATE audit_head SET hash = hash || '0'", NULL);
	expect_broken(s, CHAIN, "与链头记录的哈希不符");
	yw_store_close(s);
}

static void test_deleted_middle(void **state)
{
	yw_store *s = fresh_chain(*state, CHAIN);

	sql_write(s, "DELETE FROM audit_log WHERE seq = 5", NULL);
	expect_broken(s, 5, "缺失");
	sql_write(s, "DELETE FROM audit_log WHERE seq = 6", NULL);
	expect_broken(s, 5, "第 5 条至第 6 条缺失");
	yw_store_close(s);
}

static void test_deleted_first(void **state)
{
	yw_store *s = fresh_chain(*state, CHAIN);

	sql_write(s, "DELETE FROM audit_log WHERE seq = 1", NULL);
	expect_broken(s, 1, "缺失");
	yw_store_close(s);
}

static void test_deleted_last(void **state)
{
	yw_store *s = fresh_chain(*state, CHAIN);

	sql_write(s, "DELETE FROM audit_log WHERE seq = 10", NULL);
	expect_broken(s, 10, "缺失");
	sql_write(s, "DELETE FROM audit_log", NULL);
	expect_broken(s, 1, "缺失");
	yw_store_close(s);
}

/* Make room at 4 by renumbering (in two steps, so that no primary key collides on the way),
 * then put a forged entry there that claims to follow entry 3. */
static void test_inserted_middle(void **state)
{
	yw_store *s = fresh_chain(*state, CHAIN);

	sql_write(s, "UPDATE audit_log SET seq = -(seq + 1) WHERE seq >= 4",
	          "UPDATE audit_log SET seq = -seq WHERE seq < 0",
	          "INSERT INTO audit_log (seq, at, actor, action, object_type, object_id, old_value, "
	          "new_value, prev_hash, hash) SELECT 4, at + 1, 'staff:666', 'case.decide', 'case', "
	          "'320100-999999', NULL, '{\"结果\":\"准予\"}', hash, "
	          "'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff' "
	          "FROM audit_log WHERE seq = 3",
	          "UPDATE audit_head SET seq = seq + 1",
	          NULL);
	expect_broken(s, 4, "插入");
	yw_store_close(s);
}

static void test_inserted_after_head(void **state)
{
	yw_store *s = fresh_chain(*state, CHAIN);

	sql_write(s, "INSERT INTO audit_log (seq, at, actor, action, object_type, object_id, old_value, "
	          "new_value, prev_hash, hash) SELECT 11, at, actor, action, object_type, object_id, "
	          "old_value, new_value, hash, hash FROM audit_log WHERE seq = 10",
	          NULL);
	expect_broken(s, 11, "插入");
	yw_store_close(s);
}

static void test_inserted_before_start(void **state)
{
	yw_store *s = fresh_chain(*state, CHAIN);

	sql_write(s, "INSERT INTO audit_log (seq, at, actor, action, object_type, object_id, old_value, "
	          "new_value, prev_hash, hash) SELECT 0, at, actor, action, object_type, object_id, "
	          "old_value, new_value, prev_hash, hash FROM audit_log WHERE seq = 1",
	          NULL);
	expect_broken(s, 0, "插入");
	yw_store_close(s);
}

static void swap(yw_store *s, int a, int b)
{
	char s1[96], s2[96], s3[96];

	snprintf(s1, sizeof(s1), "UPDATE audit_log SET seq = -1 WHERE seq = %d", a);
	snprintf(s2, sizeof(s2), "UPDATE audit_log SET seq = %d WHERE seq = %d", a, b);
	snprintf(s3, sizeof(s3), "UPDATE audit_log SET seq = %d WHERE seq = -1", b);
	sql_write(s, s1, s2, s3, NULL);
}

static void test_swapped_adjacent(void **state)
{
	yw_store *s = fresh_chain(*state, CHAIN);

	swap(s, 3, 4);
	expect_broken(s, 3, "顺序错乱");
	yw_store_close(s);
}

static void test_swapped_apart(void **state)
{
	yw_store *s = fresh_chain(*state, CHAIN);

	swap(s, 2, 8);
	expect_broken(s, 2, "顺序错乱");
	yw_store_close(s);
}

static void test_swapped_at_end(void **state)
{
	yw_store *s = fresh_chain(*state, CHAIN);

	swap(s, 9, 10);
	expect_broken(s, 9, "顺序错乱");
	yw_store_close(s);
}

/* More entries than one page of the walk, broken on a later page. */
static void test_long_chain(void **state)
{
	yw_store *s = fresh_chain(*state, 0);

	for (int i = 0; i < 12; i++)
		append_entries(s, 1 + i * 100, 100);
	expect_ok(s, 1200);
	sql_write(s, "UPDATE audit_log SET object_id = 'x' WHERE seq = 1100", NULL);
	expect_broken(s, 1100, "被修改");
	yw_store_close(s);
}

/* Appenders in many threads at once (on PostgreSQL, many transactions racing for the head row)
 * still make one unbroken chain. */
enum { APPENDERS = 16, APPENDS = 15 };

static void *appender(void *arg)
{
	yw_store *s = arg;

	for (int i = 0; i < APPENDS; i++) {
		append_args aa = {1, 2, 0};

		if (yw_store_write(s, append_some, &aa) != YW_E_OK)
			return (void *)1;
	}
	return NULL;
}

static void test_concurrent_appends(void **state)
{
	yw_store *s = fresh_chain(*state, 0);
	pthread_t th[APPENDERS];
	void *failed;

	for (int i = 0; i < APPENDERS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, appender, s), 0);
	for (int i = 0; i < APPENDERS; i++) {
		pthread_join(th[i], &failed);
		assert_null(failed);
	}
	expect_ok(s, APPENDERS * APPENDS * 2);
	yw_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_verifies),
		cmocka_unit_test(test_incomplete_entry_refused),
		cmocka_unit_test(test_edited_field),
		cmocka_unit_test(test_edited_json),
		cmocka_unit_test(test_edited_hash),
		cmocka_unit_test(test_head_hash_lengthened),
		cmocka_unit_test(test_deleted_middle),
		cmocka_unit_test(test_deleted_first),
		cmocka_unit_test(test_deleted_last),
		cmocka_unit_test(test_inserted_middle),
		cmocka_unit_test(test_inserted_after_head),
		cmocka_unit_test(test_inserted_before_start),
		cmocka_unit_test(test_swapped_adjacent),
		cmocka_unit_test(test_swapped_apart),
		cmocka_unit_test(test_swapped_at_end),
		cmocka_unit_test(test_long_chain),
		cmocka_unit_test(test_concurrent_appends),
	};

	/* Only SQLite text can hold a NUL or change type under a column, so these run there alone. */
	const struct CMUnitTest sqlite_only[] = {
		cmocka_unit_test(test_edited_behind_nul),
		cmocka_unit_test(test_cells_not_plain_text),
	};

	int failed = run_on_backends("audit", tests, sizeof(tests) / sizeof(tests[0]));
	failed += _cmocka_run_group_tests("audit/sqlite-text", sqlite_only,
	                                  sizeof(sqlite_only) / sizeof(sqlite_only[0]), setup_sqlite,
	                                  teardown_env);
	return failed;
}
