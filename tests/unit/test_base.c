/* base: arena, strings, JSON helpers, dates, configuration, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"

static int cleanups_run;
static int cleanup_order[4];
static void note_cleanup(void *p) { cleanup_order[cleanups_run++] = (int)(intptr_t)p; }

static void arena_allocates_aligned_and_grows(void **state)
{
	(void)state;
	yw_arena *a = yw_arena_new(256);
	assert_non_null(a);
	for (int i = 0; i < 10000; i++) {
		char *p = yw_alloc(a, (size_t)(i % 97) + 1);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		memset(p, 0xab, (size_t)(i % 97) + 1);   /* ASan catches an overlap or overrun */
	}
	char *big = yw_alloc(a, 3 << 20);           /* bigger than any block */
	assert_non_null(big);
	memset(big, 1, 3 << 20);
	assert_true(yw_arena_used(a) >= (3u << 20));
	yw_arena_free(a);
}

static void arena_strings(void **state)
{
	(void)state;
	yw_arena *a = yw_arena_new(0);
	assert_string_equal(yw_strdup(a, "一网通办"), "一网通办");
	assert_string_equal(yw_strndup(a, "abcdef", 3), "abc");
	assert_string_equal(yw_sprintf(a, "%s-%04d", "YW", 42), "YW-0042");
	char *z = yw_zalloc(a, 64);
	for (int i = 0; i < 64; i++)
		assert_int_equal(z[i], 0);
	assert_null(yw_strdup(a, NULL));
	yw_arena_free(a);
}

static void arena_cleanups_run_newest_first(void **state)
{
	(void)state;
	cleanups_run = 0;
	yw_arena *a = yw_arena_new(0);
	yw_arena_defer(a, note_cleanup, (void *)1);
	yw_arena_defer(a, note_cleanup, (void *)2);
	yw_arena_defer(a, note_cleanup, (void *)3);
	json_t *j = yw_arena_json(a, json_object());   /* freed with the arena; LSan would see a leak */
	assert_non_null(j);
	assert_int_equal(cleanups_run, 0);
	yw_arena_free(a);
	assert_int_equal(cleanups_run, 3);
	assert_int_equal(cleanup_order[0], 3);
	assert_int_equal(cleanup_order[2], 1);
}

static void buffers_and_numbers(void **state)
{
	(void)state;
	yw_buf b = { 0 };
	for (int i = 0; i < 1000; i++)
		assert_int_equal(yw_buf_printf(&b, "%d,", i), 0);
	assert_int_equal(strncmp(b.data, "0,1,2,", 6), 0);
	assert_int_equal(b.data[b.len], '\0');
	yw_buf_free(&b);

	long long v;
	assert_true(yw_parse_int("366", 1, 366, &v));
	assert_int_equal(v, 366);
	assert_false(yw_parse_int("367", 1, 366, &v));
	assert_false(yw_parse_int("0", 1, 366, &v));
	assert_false(yw_parse_int(" 3", 1, 366, &v));
	assert_false(yw_parse_int("+3", 1, 366, &v));
	assert_false(yw_parse_int("3x", 1, 366, &v));
	assert_false(yw_parse_int("", 1, 366, &v));
	assert_false(yw_parse_int("99999999999999999999", 1, 366, &v));
	assert_true(yw_parse_int("-5", -10, 10, &v));
	assert_int_equal(v, -5);
	assert_true(yw_str_all_digits("0123", 4));
	assert_false(yw_str_all_digits("01a3", 4));
}

static void json_parse_rules(void **state)
{
	(void)state;
	yw_arena *a = yw_arena_new(0);
	json_t *j = NULL;
	const char *why = NULL;
	const char *ok = "{\"name\":\"埇桥区\",\"days\":3,\"urgent\":true}";
	assert_int_equal(yw_json_parse_object(a, ok, strlen(ok), &j, &why), YW_E_OK);
	const char *s;
	long long n;
	bool flag;
	assert_true(yw_json_str(j, "name", &s));
	assert_string_equal(s, "埇桥区");
	assert_true(yw_json_int(j, "days", &n));
	assert_int_equal(n, 3);
	assert_true(yw_json_bool(j, "urgent", &flag));
	assert_true(flag);
	assert_false(yw_json_int(j, "name", &n));     /* wrong type */
	assert_false(yw_json_str(j, "missing", &s));

	const char *bad[] = { "", "[1,2]", "\"x\"", "{\"a\":1,\"a\":2}", "{\"a\":\"\\u0000\"}", "{\"a\":" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		assert_int_equal(yw_json_parse_object(a, bad[i], strlen(bad[i]), &j, &why), YW_E_BAD_JSON);
		assert_non_null(why);
	}
	json_t *out = yw_arena_json(a, json_pack("{s:s}", "名称", "宿州市"));
	size_t len;
	char *text = yw_json_dump(a, out, &len);
	assert_string_equal(text, "{\"名称\":\"宿州市\"}");
	assert_int_equal(len, strlen(text));
	yw_arena_free(a);
}

static void dates(void **state)
{
	(void)state;
	yw_date d;
	assert_true(yw_date_parse("2024-02-29", &d));
	assert_false(yw_date_parse("2025-02-29", &d));
	assert_false(yw_date_parse("2026-13-01", &d));
	assert_false(yw_date_parse("2026-1-01", &d));
	assert_false(yw_date_parse("2026-01-011", &d));
	assert_false(yw_date_parse("2026/01/01", &d));
	assert_true(yw_date_parse("1970-01-01", &d));
	assert_int_equal(yw_date_to_days(d), 0);
	assert_int_equal(yw_date_weekday(d), 4);  /* a Thursday */
	assert_true(yw_date_parse("2026-10-10", &d));
	assert_int_equal(yw_date_weekday(d), 6);  /* a Saturday */
	for (int64_t day = -700000; day < 700000; day += 997) {
		yw_date back = yw_days_to_date(day);
		assert_true(yw_date_valid(back));
		assert_int_equal(yw_date_to_days(back), day);
	}
	char out[11];
	yw_date_format((yw_date){ 2026, 9, 30 }, out);
	assert_string_equal(out, "2026-09-30");
}

static void config_precedence(void **state)
{
	(void)state;
	char path[] = "/tmp/yw-conf-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *text = "# comment\nlisten = 127.0.0.1:9000\nthreads = 3\nmax-body = 4096\n";
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);

	yw_config c;
	char err[512];
	yw_config_defaults(&c);
	assert_int_equal(c.listen_port, 8080);
	assert_int_equal(yw_config_load_file(&c, path, true, err, sizeof(err)), 0);
	assert_int_equal(c.listen_port, 9000);
	assert_int_equal(c.threads, 3);
	setenv("YW_THREADS", "5", 1);
	assert_int_equal(yw_config_load_env(&c, err, sizeof(err)), 0);
	assert_int_equal(c.threads, 5);            /* environment over file */
	assert_int_equal(yw_config_set(&c, "threads", "7", err, sizeof(err)), 0);
	assert_int_equal(c.threads, 7);            /* flag over environment */
	unsetenv("YW_THREADS");

	assert_int_equal(yw_config_set(&c, "db", "mysql://x", err, sizeof(err)), -1);
	assert_int_equal(yw_config_set(&c, "listen", "127.0.0.1:99999", err, sizeof(err)), -1);
	assert_int_equal(yw_config_set(&c, "bogus", "1", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bogus"));

	FILE *f = fopen(path, "w");
	fputs("threads = many\n", f);
	fclose(f);
	assert_int_equal(yw_config_load_file(&c, path, true, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "第 1 行"));
	unlink(path);
	assert_int_equal(yw_config_load_file(&c, path, false, err, sizeof(err)), 0);   /* optional */
	assert_int_equal(yw_config_load_file(&c, path, true, err, sizeof(err)), -1);
}

static void error_table(void **state)
{
	(void)state;
	assert_string_equal(yw_err_code(YW_E_DIVISION_NOT_FOUND), "DIVISION_NOT_FOUND");
	assert_int_equal(yw_err_status(YW_E_DIVISION_NOT_FOUND), 404);
	assert_int_equal(yw_err_status(YW_E_BODY_TOO_LARGE), 413);
	assert_string_equal(yw_err_code((yw_err)9999), "INTERNAL");
	for (int e = 0; e < YW_E__COUNT; e++) {
		assert_true(yw_err_status((yw_err)e) >= 200 && yw_err_status((yw_err)e) < 600);
		assert_true(strlen(yw_err_title((yw_err)e)) > 0);
	}
}

static void secrets(void **state)
{
	(void)state;
	char dir[] = "/tmp/yw-keys-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char err[256];
	yw_keys *k = NULL, *again = NULL;
	assert_int_equal(yw_keys_open(dir, &k, err, sizeof(err)), YW_E_OK);
	char path[300];
	snprintf(path, sizeof(path), "%s/keys/field.key", dir);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 64);

	yw_arena *a = yw_arena_new(0);
	const char *id = "34052419800101001X";
	char *sealed = yw_seal(k, a, id);
	assert_non_null(sealed);
	assert_null(strstr(sealed, id));
	assert_true(yw_str_has_prefix(sealed, "v1."));
	assert_string_not_equal(sealed, yw_seal(k, a, id));     /* a fresh nonce every time */
	assert_string_equal(yw_unseal(k, a, sealed), id);

	/* the same key file opened again reads the same keys */
	assert_int_equal(yw_keys_open(dir, &again, err, sizeof(err)), YW_E_OK);
	assert_string_equal(yw_unseal(again, a, sealed), id);
	char h1[65], h2[65], h3[65];
	yw_lookup_hash(k, "id", id, h1);
	yw_lookup_hash(again, "id", id, h2);
	yw_lookup_hash(k, "mobile", id, h3);
	assert_string_equal(h1, h2);
	assert_string_not_equal(h1, h3);                           /* purposes are separate */
	assert_int_equal(strlen(h1), 64);

	/* any flipped character of the sealed text is refused, never mis-decrypted */
	char *bad = yw_strdup(a, sealed);
	bad[10] = bad[10] == 'A' ? 'B' : 'A';
	assert_null(yw_unseal(k, a, bad));
	assert_null(yw_unseal(k, a, "v1."));
	assert_null(yw_unseal(k, a, "v2.AAAA"));
	assert_null(yw_unseal(k, a, "v1.!!!!"));

	char *t1 = yw_random_token(a, 32), *t2 = yw_random_token(a, 32);
	assert_int_equal(strlen(t1), 43);
	assert_string_not_equal(t1, t2);
	char sha[65];
	yw_sha256_hex("abc", 3, sha);
	assert_string_equal(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

	yw_arena_free(a);
	yw_keys_close(k);
	yw_keys_close(again);
	unlink(path);
	snprintf(path, sizeof(path), "%s/keys", dir);
	rmdir(path);
	rmdir(dir);
}

/* Ids made later sort after ids made earlier, as text (the order the database's indexes keep),
 * are 20 base64url characters after their prefix, and never repeat. */
static void trimmed(void **state)
{
	(void)state;
	size_t n;
	const char *t = yw_str_trimmed(" \t张三\u3000\r\n", &n);
	assert_int_equal(n, strlen("张三"));
	assert_memory_equal(t, "张三", n);
	yw_str_trimmed("\u3000 \u3000", &n);
	assert_int_equal(n, 0);
	yw_str_trimmed("", &n);
	assert_int_equal(n, 0);
	t = yw_str_trimmed("一 二", &n);            /* blanks inside stay */
	assert_int_equal(n, strlen("一 二"));
	/* a lone 0xE3 0x80 that is not U+3000 is not a blank */
	yw_str_trimmed("a\xe3\x80", &n);
	assert_int_equal(n, 3);
}

static void sortable_ids(void **state)
{
	(void)state;
	yw_arena *a = yw_arena_new(4096);
	enum { N = 200 };
	const char *first[N], *later[N];

	assert_int_equal(yw_sortable_ids(a, "t_", first, N), YW_E_OK);   /* more than one draw */
	usleep(2000);
	assert_int_equal(yw_sortable_ids(a, "t_", later, N), YW_E_OK);
	for (int i = 0; i < N; i++) {
		assert_int_equal(strlen(first[i]), 22);
		assert_memory_equal(first[i], "t_", 2);
		assert_true(yw_b64url_shaped(first[i] + 2, 20));
		for (int j = 0; j < N; j++) {
			assert_true(strcmp(first[i], later[j]) < 0);
			if (j != i)
				assert_string_not_equal(first[i], first[j]);
		}
	}
	/* The time part is the clock's milliseconds, 6 bits a character, with the base64url
	 * characters in ASCII order: its first character is the lowest, '-', until 2^42 ms (2109). */
	assert_int_equal(first[0][2], '-');
	yw_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arena_allocates_aligned_and_grows),
		cmocka_unit_test(arena_strings),
		cmocka_unit_test(arena_cleanups_run_newest_first),
		cmocka_unit_test(buffers_and_numbers),
		cmocka_unit_test(json_parse_rules),
		cmocka_unit_test(dates),
		cmocka_unit_test(config_precedence),
		cmocka_unit_test(error_table),
		cmocka_unit_test(secrets),
		cmocka_unit_test(sortable_ids),
		cmocka_unit_test(trimmed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
