/* R-ID-009: the authorization decision (src/identity/authz.c) against every kind of caller and
 * object, with the department tree and the agent authorizations given as small tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "identity/identity.h"
#include "ref/ref.h"

/* The tree:  city (宿州, 341300) ─┬─ city_amr (宿州市市场监管局, 341300)
 *                                 └─ yq (埇桥区政务服务中心, 341302) ── yq_amr (341302)
 *            other (合肥, 340100)                                                          */
static const struct {
	const char *id, *parent;
} tree[] = {
	{ "city", NULL }, { "city_amr", "city" }, { "yq", "city" }, { "yq_amr", "yq" }, { "other", NULL },
};

static const char *parent_of(const char *id)
{
	for (size_t i = 0; i < sizeof tree / sizeof tree[0]; i++)
		if (!strcmp(tree[i].id, id))
			return tree[i].parent;
	return NULL;
}

static bool dept_within(void *ctx, const char *dept, const char *ancestor)
{
	(void)ctx;
	for (const char *d = dept; d; d = parent_of(d))
		if (!strcmp(d, ancestor))
			return true;
	return false;
}

/* B may act for A on item "ITEM-1" only; C is a handler of org O for every item. */
static bool acts_for(void *ctx, const char *person, const char *owner_kind, const char *owner_id,
                     const char *item)
{
	(void)ctx;
	if (!strcmp(person, "B") && !strcmp(owner_kind, "person") && !strcmp(owner_id, "A"))
		return item && !strcmp(item, "ITEM-1");
	return !strcmp(person, "C") && !strcmp(owner_kind, "org") && !strcmp(owner_id, "O");
}

static const yw_authz_env env = { dept_within, acts_for, NULL };

static yw_caller person(const char *id)
{
	return (yw_caller){ .kind = "person", .id = id };
}

static yw_caller staff(yw_role role, const char *dept, const char *division)
{
	yw_caller c = { .kind = "staff", .id = "s1", .department_id = dept, .nroles = 1 };
	c.roles[0] = (yw_role_grant){ role, dept, division };
	return c;
}

static void test_table(void **state)
{
	yw_role r;
	assert_true(yw_role_from_name("window_clerk", &r));
	assert_int_equal(r, YW_ROLE_WINDOW_CLERK);
	assert_string_equal(yw_role_zh(r), "窗口人员");
	assert_false(yw_role_from_name("root", &r));
	assert_false(yw_role_from_name(NULL, &r));
	assert_string_equal(yw_action_name(YW_ACT_STAFF_MANAGE), "staff.manage");
	assert_int_equal(yw_role_scope(YW_ROLE_SYSTEM_ADMIN), YW_SCOPE_PLATFORM);
	assert_int_equal(yw_role_scope(YW_ROLE_SUPERVISOR), YW_SCOPE_DIVISION);
	/* every role and action has a name and a Chinese text, and names are unique */
	for (int i = 0; i < YW_ROLE__COUNT; i++) {
		assert_true(strlen(yw_role_name(i)) > 0 && strlen(yw_role_zh(i)) > 0);
		for (int j = i + 1; j < YW_ROLE__COUNT; j++)
			assert_string_not_equal(yw_role_name(i), yw_role_name(j));
	}
	for (int i = 0; i < YW_ACT__COUNT; i++) {
		assert_true(strlen(yw_action_name(i)) > 0 && strlen(yw_action_zh(i)) > 0);
		for (int j = i + 1; j < YW_ACT__COUNT; j++)
			assert_string_not_equal(yw_action_name(i), yw_action_name(j));
	}
}

static void test_division_within(void **state)
{
	assert_true(yw_division_within("341302", "341300"));
	assert_true(yw_division_within("341302001", "341300"));
	assert_true(yw_division_within("341300", "341300"));
	assert_true(yw_division_within("341302", "340000"));
	assert_false(yw_division_within("341300", "341302"));   /* a county does not reach its city */
	assert_false(yw_division_within("340100", "341300"));   /* 合肥 is not under 宿州 */
	assert_false(yw_division_within("999999", "340000"));
	assert_false(yw_division_within(NULL, "340000"));
}

static void test_anonymous_and_junk(void **state)
{
	yw_object o = { .owner_kind = "person", .owner_id = "A" };
	assert_false(yw_authz_decide(NULL, YW_ACT_AGENT_MANAGE, &o, &env));
	yw_caller anon = { 0 };
	assert_false(yw_authz_decide(&anon, YW_ACT_AGENT_MANAGE, &o, &env));
	yw_caller alien = { .kind = "robot", .id = "A" };
	assert_false(yw_authz_decide(&alien, YW_ACT_AGENT_MANAGE, &o, &env));
	yw_caller a = person("A");
	assert_false(yw_authz_decide(&a, YW_ACT__COUNT, &o, &env));
}

static void test_applicant_own_objects(void **state)
{
	yw_caller a = person("A"), b = person("B"), c = person("C");
	yw_object of_a = { .owner_kind = "person", .owner_id = "A" };
	assert_true(yw_authz_decide(&a, YW_ACT_AGENT_MANAGE, &of_a, &env));
	assert_false(yw_authz_decide(&c, YW_ACT_AGENT_MANAGE, &of_a, &env));   /* B never reads A's */
	/* an applicant holds no staff action even on their own object */
	assert_false(yw_authz_decide(&a, YW_ACT_STAFF_READ, &of_a, &env));
	/* an object without an owner is nobody's */
	yw_object ownerless = { .type = "thing" };
	assert_false(yw_authz_decide(&a, YW_ACT_AGENT_MANAGE, &ownerless, &env));
	assert_false(yw_authz_decide(&a, YW_ACT_AGENT_MANAGE, NULL, &env));
	/* an agent (B, for ITEM-1) or a handler (C, of org O) never manages agents or handlers for
	 * whoever authorized them: those actions are not delegable, so nobody appoints sub-agents */
	assert_false(yw_action_delegable(YW_ACT_AGENT_MANAGE));
	assert_false(yw_action_delegable(YW_ACT_ORG_MANAGE));
	yw_object a_item1 = { .owner_kind = "person", .owner_id = "A", .item_code = "ITEM-1" };
	assert_false(yw_authz_decide(&b, YW_ACT_AGENT_MANAGE, &a_item1, &env));
	assert_false(yw_authz_decide(&b, YW_ACT_AGENT_MANAGE, &of_a, &env));
	yw_object of_o = { .owner_kind = "org", .owner_id = "O" };
	assert_false(yw_authz_decide(&c, YW_ACT_ORG_MANAGE, &of_o, &env));
	/* the same id in another owner kind is another owner */
	yw_object org_named_a = { .owner_kind = "org", .owner_id = "A" };
	assert_false(yw_authz_decide(&a, YW_ACT_ORG_MANAGE, &org_named_a, &env));
}

static void test_dept_scope(void **state)
{
	yw_caller yq_admin = staff(YW_ROLE_DEPT_ADMIN, "yq", "341302");
	yw_object in_yq = { .type = "staff", .department_id = "yq", .division_code = "341302" };
	yw_object in_yq_amr = { .type = "staff", .department_id = "yq_amr", .division_code = "341302" };
	yw_object in_city = { .type = "staff", .department_id = "city", .division_code = "341300" };
	yw_object in_city_amr = { .type = "staff", .department_id = "city_amr", .division_code = "341300" };
	assert_true(yw_authz_decide(&yq_admin, YW_ACT_STAFF_MANAGE, &in_yq, &env));
	assert_true(yw_authz_decide(&yq_admin, YW_ACT_STAFF_MANAGE, &in_yq_amr, &env));   /* subtree */
	assert_false(yw_authz_decide(&yq_admin, YW_ACT_STAFF_MANAGE, &in_city, &env));    /* parent */
	assert_false(yw_authz_decide(&yq_admin, YW_ACT_STAFF_MANAGE, &in_city_amr, &env)); /* sibling */
	/* the role grants no department management, whatever the object */
	assert_false(yw_authz_decide(&yq_admin, YW_ACT_DEPARTMENT_MANAGE, &in_yq, &env));
	/* the department must match and the division too */
	yw_object yq_elsewhere = { .department_id = "yq", .division_code = "340100" };
	assert_false(yw_authz_decide(&yq_admin, YW_ACT_STAFF_MANAGE, &yq_elsewhere, &env));
	/* an object with no department is beyond any department-scoped role */
	yw_object nowhere = { .division_code = "341302" };
	assert_false(yw_authz_decide(&yq_admin, YW_ACT_STAFF_MANAGE, &nowhere, &env));
	/* a clerk of the same department holds no staff action */
	yw_caller clerk = staff(YW_ROLE_WINDOW_CLERK, "yq", "341302");
	assert_false(yw_authz_decide(&clerk, YW_ACT_STAFF_READ, &in_yq, &env));
}

static void test_division_scope(void **state)
{
	yw_caller sup = staff(YW_ROLE_SUPERVISOR, "city", "341300");
	yw_object yq = { .department_id = "yq_amr", .division_code = "341302" };
	yw_object hefei = { .department_id = "other", .division_code = "340100" };
	yw_object no_division = { .department_id = "yq" };
	assert_true(yw_authz_decide(&sup, YW_ACT_STAFF_READ, &yq, &env));
	assert_false(yw_authz_decide(&sup, YW_ACT_STAFF_READ, &hefei, &env));
	assert_false(yw_authz_decide(&sup, YW_ACT_STAFF_READ, &no_division, &env));
	assert_false(yw_authz_decide(&sup, YW_ACT_STAFF_MANAGE, &yq, &env));   /* reads, never writes */
}

static void test_platform_and_password_change(void **state)
{
	yw_caller admin = staff(YW_ROLE_SYSTEM_ADMIN, "city", "341300");
	yw_object hefei = { .department_id = "other", .division_code = "340100" };
	assert_true(yw_authz_decide(&admin, YW_ACT_DEPARTMENT_MANAGE, &hefei, &env));
	assert_true(yw_authz_decide(&admin, YW_ACT_OIDC_CLIENT_MANAGE, NULL, &env));
	/* an admin who must change their password first may do nothing yet */
	admin.password_change_required = true;
	assert_false(yw_authz_decide(&admin, YW_ACT_OIDC_CLIENT_MANAGE, NULL, &env));
	/* the best of several assignments wins */
	yw_caller two = staff(YW_ROLE_WINDOW_CLERK, "yq", "341302");
	two.roles[two.nroles++] = (yw_role_grant){ YW_ROLE_DEPT_ADMIN, "city_amr", "341300" };
	yw_object amr = { .department_id = "city_amr", .division_code = "341300" };
	yw_object yq = { .department_id = "yq", .division_code = "341302" };
	assert_true(yw_authz_decide(&two, YW_ACT_STAFF_MANAGE, &amr, &env));
	assert_false(yw_authz_decide(&two, YW_ACT_STAFF_MANAGE, &yq, &env));
}

static void test_client_scopes(void **state)
{
	static const char *const scopes[] = { "staff.read" };
	yw_caller sys = { .kind = "client", .id = "c1", .scopes = scopes, .nscopes = 1 };
	yw_object yq = { .department_id = "yq", .division_code = "341302" };
	assert_true(yw_authz_decide(&sys, YW_ACT_STAFF_READ, &yq, &env));
	assert_false(yw_authz_decide(&sys, YW_ACT_STAFF_MANAGE, &yq, &env));
	yw_caller none = { .kind = "client", .id = "c2" };
	assert_false(yw_authz_decide(&none, YW_ACT_STAFF_READ, &yq, &env));
	/* a machine never administers, whatever its token claims: a client that could edit clients
	 * would widen its own scopes, one that resets staff would take over an administrator */
	static const char *const greedy[] = { "oidc_client.manage", "staff.manage", "role.grant",
	                                      "role.grant_privileged", "department.manage" };
	yw_caller g = { .kind = "client", .id = "c3", .scopes = greedy, .nscopes = 5 };
	assert_false(yw_authz_decide(&g, YW_ACT_OIDC_CLIENT_MANAGE, NULL, &env));
	assert_false(yw_authz_decide(&g, YW_ACT_STAFF_MANAGE, &yq, &env));
	assert_false(yw_authz_decide(&g, YW_ACT_ROLE_GRANT_PRIVILEGED, &yq, &env));
	assert_false(yw_authz_decide(&g, YW_ACT_DEPARTMENT_MANAGE, &yq, &env));
	assert_true(yw_action_client_grantable(YW_ACT_STAFF_READ));
	assert_false(yw_action_client_grantable(YW_ACT_OIDC_CLIENT_MANAGE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_division_within),
		cmocka_unit_test(test_anonymous_and_junk),
		cmocka_unit_test(test_applicant_own_objects),
		cmocka_unit_test(test_dept_scope),
		cmocka_unit_test(test_division_scope),
		cmocka_unit_test(test_platform_and_password_change),
		cmocka_unit_test(test_client_scopes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
