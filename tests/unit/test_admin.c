/* The pure rules of the admin API (src/identity/admin_api.c): loops in the department tree, which
 * action granting each role needs, and the user-name rule new staff accounts must meet. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "identity/internal.h"

/* city ─┬─ amr
 *       └─ yq ── yq_amr ── yq_amr_team        other (a second root)                  */
static const struct {
	const char *id, *parent;
} tree[] = {
	{ "city", NULL }, { "amr", "city" }, { "yq", "city" }, { "yq_amr", "yq" },
	{ "yq_amr_team", "yq_amr" }, { "other", NULL },
};

static const char *parent_of(void *ctx, const char *id)
{
	(void)ctx;
	for (size_t i = 0; i < sizeof tree / sizeof tree[0]; i++)
		if (!strcmp(tree[i].id, id))
			return tree[i].parent;
	return NULL;
}

/* A corrupt table whose chain loops without passing through the department being moved. */
static const char *loop_of(void *ctx, const char *id)
{
	(void)ctx;
	return !strcmp(id, "a") ? "b" : "a";
}

static void test_tree_cycle(void **state)
{
	(void)state;
	/* moving under itself or anything below it closes a loop */
	assert_true(yw_idn_dept_would_cycle("yq", "yq", parent_of, NULL));
	assert_true(yw_idn_dept_would_cycle("yq", "yq_amr", parent_of, NULL));
	assert_true(yw_idn_dept_would_cycle("yq", "yq_amr_team", parent_of, NULL));
	assert_true(yw_idn_dept_would_cycle("city", "yq_amr_team", parent_of, NULL));
	/* a sibling, an ancestor, another tree or the top are fine */
	assert_false(yw_idn_dept_would_cycle("yq_amr", "amr", parent_of, NULL));
	assert_false(yw_idn_dept_would_cycle("yq_amr", "city", parent_of, NULL));
	assert_false(yw_idn_dept_would_cycle("yq", "other", parent_of, NULL));
	assert_false(yw_idn_dept_would_cycle("yq", NULL, parent_of, NULL));
	/* a loop already in the data never hangs the check: it counts as a loop */
	assert_true(yw_idn_dept_would_cycle("x", "a", loop_of, NULL));
}

static void test_grant_action(void **state)
{
	(void)state;
	/* a department admin can hand out the working roles … */
	assert_int_equal(yw_idn_grant_action(YW_ROLE_WINDOW_CLERK), YW_ACT_ROLE_GRANT);
	assert_int_equal(yw_idn_grant_action(YW_ROLE_APPROVER), YW_ACT_ROLE_GRANT);
	assert_int_equal(yw_idn_grant_action(YW_ROLE_DEPT_ADMIN), YW_ACT_ROLE_GRANT);
	/* … not the ones that reach beyond departments */
	assert_int_equal(yw_idn_grant_action(YW_ROLE_SYSTEM_ADMIN), YW_ACT_ROLE_GRANT_PRIVILEGED);
	assert_int_equal(yw_idn_grant_action(YW_ROLE_SUPERVISOR), YW_ACT_ROLE_GRANT_PRIVILEGED);
	assert_int_equal(yw_idn_grant_action(YW_ROLE__COUNT), YW_ACT_ROLE_GRANT_PRIVILEGED);
	/* and only a system admin holds the privileged action */
	for (int r = 0; r < YW_ROLE__COUNT; r++)
		assert_int_equal(yw_role_grants((yw_role)r, YW_ACT_ROLE_GRANT_PRIVILEGED),
		                 r == YW_ROLE_SYSTEM_ADMIN);
}

/* The decision for a department admin of 埇桥区 granting roles there, as the API asks it. */
static bool within(void *ctx, const char *dept, const char *ancestor)
{
	for (const char *d = dept; d; d = parent_of(ctx, d))
		if (!strcmp(d, ancestor))
			return true;
	return false;
}

static void test_dept_admin_grants(void **state)
{
	(void)state;
	yw_authz_env env = { within, NULL, NULL };
	yw_caller adm = { .kind = "staff", .id = "s1", .department_id = "yq", .nroles = 1 };
	adm.roles[0] = (yw_role_grant){ YW_ROLE_DEPT_ADMIN, "yq", "341302" };
	yw_object in = { .type = "staff_role", .department_id = "yq_amr", .division_code = "341302" };
	yw_object out = { .type = "staff_role", .department_id = "amr", .division_code = "341300" };
	assert_true(yw_authz_decide(&adm, yw_idn_grant_action(YW_ROLE_WINDOW_CLERK), &in, &env));
	assert_false(yw_authz_decide(&adm, yw_idn_grant_action(YW_ROLE_WINDOW_CLERK), &out, &env));
	assert_false(yw_authz_decide(&adm, yw_idn_grant_action(YW_ROLE_SYSTEM_ADMIN), &in, &env));
	assert_false(yw_authz_decide(&adm, yw_idn_grant_action(YW_ROLE_SUPERVISOR), &in, &env));
	yw_caller sys = { .kind = "staff", .id = "s0", .department_id = "city", .nroles = 1 };
	sys.roles[0] = (yw_role_grant){ YW_ROLE_SYSTEM_ADMIN, "city", "341300" };
	assert_true(yw_authz_decide(&sys, yw_idn_grant_action(YW_ROLE_SYSTEM_ADMIN), &in, &env));
}

static void test_username(void **state)
{
	(void)state;
	assert_true(yw_staff_username_ok("abc"));
	assert_true(yw_staff_username_ok("zhang.san_01-yq"));
	assert_true(yw_staff_username_ok("a2345678901234567890123456789012"));    /* 32 */
	assert_false(yw_staff_username_ok("a23456789012345678901234567890123"));  /* 33 */
	assert_false(yw_staff_username_ok("ab"));
	assert_false(yw_staff_username_ok(""));
	assert_false(yw_staff_username_ok(NULL));
	assert_false(yw_staff_username_ok("zhang san"));
	assert_false(yw_staff_username_ok("张三abc"));
	assert_false(yw_staff_username_ok("a/b/c"));
	assert_false(yw_staff_username_ok("abc\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree_cycle),
		cmocka_unit_test(test_grant_action),
		cmocka_unit_test(test_dept_admin_grants),
		cmocka_unit_test(test_username),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
