/* The pure rules of organisations, handlers and agents (R-ID-012, src/identity/agent.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "identity/internal.h"
#include "store_fixture.h"

/* 灵山县行政审批局 (STANDARDS.md §2, §5): a real USCC, level 4, national item 01 04002 000. */
#define BASIC "000104002000"
#define TASK "11450721MB15580811" "4" BASIC
#define HANDLE TASK "01"
#define OTHER_ITEM "340120001000"

static yw_date D(int y, int m, int d)
{
	return (yw_date){ y, m, d };
}

static void test_item_codes(void **state)
{
	assert_true(yw_item_code_valid(BASIC));
	assert_true(yw_item_code_valid("340120001000"));      /* a provincially added item */
	assert_true(yw_item_code_valid(TASK));
	assert_true(yw_item_code_valid(HANDLE));
	assert_false(yw_item_code_valid(NULL));
	assert_false(yw_item_code_valid(""));
	assert_false(yw_item_code_valid("00010400200"));       /* 11 digits */
	assert_false(yw_item_code_valid("0001040020000"));     /* 13 */
	assert_false(yw_item_code_valid("00010400200A"));      /* a letter in a 基本编码 */
	assert_false(yw_item_code_valid("990104002000"));      /* SS neither 00 nor a province */
	assert_false(yw_item_code_valid("11450721MB1558081X" "4" BASIC));   /* USCC check char */
	assert_false(yw_item_code_valid("11450721MB15580811" "8" BASIC));   /* level outside 1–7 */
	assert_false(yw_item_code_valid("11450721MB15580811" "0" BASIC));
	assert_false(yw_item_code_valid(TASK "00"));           /* 办理项 numbers start at 01 */
	assert_false(yw_item_code_valid(TASK "1"));            /* 32 characters */
	assert_false(yw_item_code_valid(TASK "0a"));
}

static void test_items_cover(void **state)
{
	/* all items */
	assert_true(yw_items_cover("*", BASIC));
	assert_true(yw_items_cover("*", NULL));
	/* a list: its codes, nothing else, and never an action tied to no item */
	assert_true(yw_items_cover(BASIC, BASIC));
	assert_true(yw_items_cover("340120001000," BASIC, BASIC));
	assert_true(yw_items_cover(BASIC ",340120001000", "340120001000"));
	assert_false(yw_items_cover(BASIC, "340120001000"));
	assert_false(yw_items_cover(BASIC, NULL));
	assert_false(yw_items_cover(BASIC, ""));
	assert_false(yw_items_cover("", BASIC));
	assert_false(yw_items_cover(NULL, BASIC));
	/* no prefix matches: 00010400200 is not 000104002000 */
	assert_false(yw_items_cover("00010400200", BASIC));
	assert_false(yw_items_cover(BASIC, "00010400200"));
	/* a 基本编码 covers the 实施编码 and 办理项编码 built on it, not the other way round */
	assert_true(yw_items_cover(BASIC, TASK));
	assert_true(yw_items_cover(BASIC, HANDLE));
	assert_false(yw_items_cover(TASK, BASIC));
	assert_true(yw_items_cover(TASK, TASK));
	assert_false(yw_items_cover(TASK, HANDLE));
	assert_false(yw_items_cover("340120001000", TASK));
}

static void test_valid_until(void **state)
{
	yw_date today = D(2026, 11, 29);
	assert_int_equal(yw_valid_until_check("2026-11-29", today), YW_VU_OK);   /* today itself */
	assert_int_equal(yw_valid_until_check("2026-11-28", today), YW_VU_PAST);
	assert_int_equal(yw_valid_until_check("2020-01-01", today), YW_VU_PAST);
	assert_int_equal(yw_valid_until_check("2031-11-29", today), YW_VU_OK);   /* 5 years on */
	assert_int_equal(yw_valid_until_check("2031-11-30", today), YW_VU_TOO_FAR);
	assert_int_equal(yw_valid_until_check("2026-02-30", today), YW_VU_BAD);
	assert_int_equal(yw_valid_until_check("2027-1-5", today), YW_VU_BAD);
	assert_int_equal(yw_valid_until_check("", today), YW_VU_BAD);
	assert_int_equal(yw_valid_until_check(NULL, today), YW_VU_BAD);
	assert_int_equal(yw_valid_until_check("2027-01-05T00:00", today), YW_VU_BAD);
	/* 29 February: five years later has none, so the 28th is the last day */
	yw_date leap = D(2028, 2, 29);
	assert_int_equal(yw_valid_until_check("2033-02-28", leap), YW_VU_OK);
	assert_int_equal(yw_valid_until_check("2033-03-01", leap), YW_VU_TOO_FAR);
}

static void test_cst_day_boundary(void **state)
{
	/* 2026-11-29T15:59:59.999Z is 23:59:59.999 in Beijing; one ms later it is the 30th. */
	const yw_ms t = 1795967999999LL;
	yw_date a = yw_cst_date(t), b = yw_cst_date(t + 1);
	assert_int_equal(a.y, 2026);
	assert_int_equal(a.m, 11);
	assert_int_equal(a.d, 29);
	assert_int_equal(b.d, 30);
	/* an authorization until the 29th lives through 23:59:59.999 Beijing time, not after */
	assert_int_equal(yw_deleg_check("*", "2026-11-29", false, a, NULL), YW_DELEG_LIVE);
	assert_int_equal(yw_deleg_check("*", "2026-11-29", false, b, NULL), YW_DELEG_EXPIRED);
	/* 16:00 UTC on the 28th is already the 29th in China */
	yw_date c = yw_cst_date(1795881600000LL);
	assert_int_equal(c.d, 29);
	yw_date e = yw_cst_date(-1);                /* before the epoch: floor, not truncation */
	assert_int_equal(e.y, 1970);
	assert_int_equal(e.d, 1);
}

static void test_deleg_check(void **state)
{
	yw_date today = D(2026, 11, 29);
	assert_int_equal(yw_deleg_check("*", "2027-01-01", false, today, BASIC), YW_DELEG_LIVE);
	assert_int_equal(yw_deleg_check("*", "2027-01-01", true, today, BASIC), YW_DELEG_REVOKED);
	/* revoked wins over expired: the record says what happened first to the reader */
	assert_int_equal(yw_deleg_check("*", "2020-01-01", true, today, BASIC), YW_DELEG_REVOKED);
	assert_int_equal(yw_deleg_check("*", "2026-11-28", false, today, BASIC), YW_DELEG_EXPIRED);
	assert_int_equal(yw_deleg_check(BASIC, "2027-01-01", false, today, BASIC), YW_DELEG_LIVE);
	assert_int_equal(yw_deleg_check(BASIC, "2027-01-01", false, today, "340120001000"),
	                 YW_DELEG_NOT_COVERED);
	assert_int_equal(yw_deleg_check(BASIC, "2027-01-01", false, today, NULL), YW_DELEG_NOT_COVERED);
	/* a broken stored date never grants */
	assert_int_equal(yw_deleg_check("*", "garbage", false, today, NULL), YW_DELEG_EXPIRED);
	assert_int_equal(yw_deleg_check("*", NULL, false, today, NULL), YW_DELEG_EXPIRED);
}

static void test_org_types(void **state)
{
	assert_int_equal(yw_org_types_n, 6);
	assert_string_equal(yw_org_type_zh("enterprise"), "企业");
	assert_string_equal(yw_org_type_zh("individual_business"), "个体工商户");
	assert_string_equal(yw_org_type_zh("other"), "其他");
	assert_null(yw_org_type_zh("企业"));
	assert_null(yw_org_type_zh(""));
	assert_null(yw_org_type_zh(NULL));
}

static void test_actor_for(void **state)
{
	yw_arena *a = yw_arena_new(1024);
	yw_caller b = { .kind = "person", .id = "p_B" }, s = { .kind = "staff", .id = "s_1" };
	assert_string_equal(yw_actor_for(a, &b, "person", "p_A"), "person:p_B for person:p_A");
	assert_string_equal(yw_actor_for(a, &b, "org", "o_1"), "person:p_B for org:o_1");
	assert_string_equal(yw_actor_for(a, &b, "person", "p_B"), "person:p_B");
	assert_string_equal(yw_actor_for(a, &b, NULL, NULL), "person:p_B");
	/* a staff member with the same id string as a person is still someone else */
	yw_caller s2 = { .kind = "staff", .id = "p_B" };
	assert_string_equal(yw_actor_for(a, &s2, "person", "p_B"), "staff:p_B for person:p_B");
	assert_string_equal(yw_actor_for(a, &s, "person", "p_A"), "staff:s_1 for person:p_A");
	assert_string_equal(yw_actor_for(a, NULL, "person", "p_A"), "anonymous");
	yw_arena_free(a);
}

/* The authorization decision with agent rows answered by yw_deleg_check, as agent.c does. */
typedef struct {
	const char *principal, *agent, *items, *valid_until;
	bool revoked;
} row;

static const row rows[] = {
	{ "p_A", "p_B", BASIC, "2027-01-01", false },
	{ "p_A", "p_C", "*", "2026-11-28", false },     /* lapsed yesterday */
	{ "p_A", "p_D", "*", "2027-01-01", true },      /* revoked */
	{ "p_A", "p_E", "*", "2027-01-01", false },
};

static bool table_acts_for(void *ctx, const char *person, const char *kind, const char *owner,
                           const char *item)
{
	const yw_date *today = ctx;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (!strcmp(kind, "person") && !strcmp(rows[i].principal, owner) &&
		    !strcmp(rows[i].agent, person) &&
		    yw_deleg_check(rows[i].items, rows[i].valid_until, rows[i].revoked, *today, item) ==
		            YW_DELEG_LIVE)
			return true;
	return false;
}

static void test_authz_with_agents(void **state)
{
	yw_date today = D(2026, 11, 29);
	yw_authz_env env = { NULL, table_acts_for, &today };
	yw_object on_item = { .type = "case", .owner_kind = "person", .owner_id = "p_A", .item_code = BASIC };
	yw_object other_item = on_item, no_item = on_item;
	other_item.item_code = "340120001000";
	no_item.item_code = NULL;
	yw_caller b = { .kind = "person", .id = "p_B" }, c = { .kind = "person", .id = "p_C" },
		  d = { .kind = "person", .id = "p_D" }, e = { .kind = "person", .id = "p_E" },
		  f = { .kind = "person", .id = "p_F" };
	/* The table answers "acts for" for B (ITEM) and E (all items), yet managing A's agents is
	 * not delegable (roles.def): no live authorization lets anyone but A do it. When applying
	 * for an item becomes a delegable action, its positive cases belong here. */
	yw_caller a = { .kind = "person", .id = "p_A" };
	assert_true(table_acts_for(&today, "p_B", "person", "p_A", BASIC));
	assert_true(table_acts_for(&today, "p_E", "person", "p_A", "340120001000"));
	assert_true(yw_authz_decide(&a, YW_ACT_AGENT_MANAGE, &on_item, &env));
	assert_false(yw_authz_decide(&b, YW_ACT_AGENT_MANAGE, &on_item, &env));
	assert_false(yw_authz_decide(&b, YW_ACT_AGENT_MANAGE, &other_item, &env));
	assert_false(yw_authz_decide(&b, YW_ACT_AGENT_MANAGE, &no_item, &env));
	assert_false(yw_authz_decide(&c, YW_ACT_AGENT_MANAGE, &on_item, &env));
	assert_false(yw_authz_decide(&d, YW_ACT_AGENT_MANAGE, &on_item, &env));
	assert_false(yw_authz_decide(&e, YW_ACT_AGENT_MANAGE, &other_item, &env));
	assert_false(yw_authz_decide(&f, YW_ACT_AGENT_MANAGE, &on_item, &env));
}

/* yw_idn_acts_for on a real store (SQLite, and PostgreSQL under scripts/with-postgres.sh):
 * the SQL narrows, yw_deleg_check decides, at an instant one millisecond before the day ends. */
#define PERSON(id) "INSERT INTO persons (id, name, id_enc, id_hash, mobile_enc, mobile_hash, gender, " \
	"birth_date, password_hash, created_at) VALUES ('" id "', 'n', 'x', 'h" id "', 'x', 'm" id "', " \
	"'男', '1990-01-01', 'x', 0)"

static void test_acts_for_db(void **state)
{
	yw_store *s = env_open(*state);
	sql_write(s, PERSON("p_A"), PERSON("p_B"), PERSON("p_C"), PERSON("p_D"), PERSON("p_R"),
	          PERSON("p_H"), PERSON("p_L"),
	          "INSERT INTO orgs (id, name, uscc, org_type, legal_rep_id, division_code, verified, "
	          "created_at) VALUES ('o_1', '某公司', '91341302MA0000000X', 'enterprise', 'p_R', '341302', 0, 0)",
	          "INSERT INTO agent_authorizations (id, principal_id, agent_id, items, valid_until, created_at) "
	          "VALUES ('a_1', 'p_A', 'p_B', '" BASIC "', '2026-11-29', 0)",
	          "INSERT INTO agent_authorizations (id, principal_id, agent_id, items, valid_until, created_at) "
	          "VALUES ('a_2', 'p_A', 'p_C', '*', '2026-11-28', 0)",
	          "INSERT INTO agent_authorizations (id, principal_id, agent_id, items, valid_until, created_at, "
	          "revoked_at) VALUES ('a_3', 'p_A', 'p_D', '*', '2027-01-01', 0, 5)",
	          "INSERT INTO org_handlers (id, org_id, person_id, items, valid_until, granted_at) "
	          "VALUES ('h_1', 'o_1', 'p_H', '*', '2027-01-01', 0)",
	          "INSERT INTO org_handlers (id, org_id, person_id, items, valid_until, granted_at) "
	          "VALUES ('h_2', 'o_1', 'p_L', '" BASIC "', '2027-01-01', 0)",
	          NULL);
	assert_int_equal(read_int(s, "SELECT COUNT(*) FROM org_handlers", YW_NOPARAMS), 2);
	yw_arena *a = yw_arena_new(4096);
	yw_db *db = yw_store_reader(s);
	const yw_ms end_of_29th = 1795967999999LL;
	struct {
		const char *person, *kind, *owner, *item;
		yw_ms now;
		bool want;
	} cases[] = {
		{ "p_B", "person", "p_A", BASIC, end_of_29th, true },     /* its last millisecond */
		{ "p_B", "person", "p_A", BASIC, end_of_29th + 1, false }, /* 00:00 on the 30th */
		{ "p_B", "person", "p_A", TASK, end_of_29th, true },      /* built on the listed item */
		{ "p_B", "person", "p_A", OTHER_ITEM, end_of_29th, false },
		{ "p_B", "person", "p_A", NULL, end_of_29th, false },
		{ "p_A", "person", "p_B", BASIC, end_of_29th, false },    /* not the other way round */
		{ "p_C", "person", "p_A", BASIC, end_of_29th, false },    /* lapsed */
		{ "p_D", "person", "p_A", BASIC, end_of_29th, false },    /* revoked */
		{ "p_R", "org", "o_1", NULL, end_of_29th, true },         /* the legal representative */
		{ "p_H", "org", "o_1", NULL, end_of_29th, true },
		{ "p_L", "org", "o_1", BASIC, end_of_29th, true },
		{ "p_L", "org", "o_1", NULL, end_of_29th, false },
		{ "p_B", "org", "o_1", BASIC, end_of_29th, false },
		{ "p_R", "org", "o_nope", NULL, end_of_29th, false },
		{ "p_R", "person", "o_1", NULL, end_of_29th, false },     /* kinds are not mixed up */
		{ "p_B", "dept", "p_A", BASIC, end_of_29th, false },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		bool yes = !cases[i].want;
		assert_int_equal(yw_idn_acts_for(db, a, cases[i].person, cases[i].kind, cases[i].owner,
		                                 cases[i].item, cases[i].now, &yes), YW_E_OK);
		if (yes != cases[i].want)
			fail_msg("case %zu: %s for %s:%s on %s", i, cases[i].person, cases[i].kind,
			         cases[i].owner, cases[i].item ? cases[i].item : "(none)");
	}
	yw_arena_free(a);
	yw_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_item_codes),
		cmocka_unit_test(test_items_cover),
		cmocka_unit_test(test_valid_until),
		cmocka_unit_test(test_cst_day_boundary),
		cmocka_unit_test(test_deleg_check),
		cmocka_unit_test(test_org_types),
		cmocka_unit_test(test_actor_for),
		cmocka_unit_test(test_authz_with_agents),
	};
	const struct CMUnitTest db_tests[] = {
		cmocka_unit_test(test_acts_for_db),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	return failed + run_on_backends("org", db_tests, sizeof db_tests / sizeof db_tests[0]);
}
