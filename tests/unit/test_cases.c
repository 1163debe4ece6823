/*
 * The cases module's pure rules (src/cases/rules.c, limits.c, flow.c): the lifecycle of a case
 * (R-CASE-010, R-CASE-011), its serial number (R-CASE-001), the clock in working days
 * (R-CASE-020 … R-CASE-025) against the real 2026 calendar, and the item's process run as tasks
 * (R-CASE-030 … R-CASE-032).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cases/cases.h"
#include "catalog/catalog.h"
#include "demo/demo.h"
#include "ref/ref.h"

/* ---- R-CASE-010, R-CASE-011: states and transitions ----------------------------------------- */

/* The expected result of every transition from every state, one letter per state in the order
 * of yw_case_state (draft submitted pre_review supplement not_accepted accepted review suspended
 * decided result_made delivered completed withdrawn terminated): '.' not allowed, else the
 * letter of the state it leads to. Resume is taken with the suspension having interrupted
 * review; 即办件 and the other special cases are tested below. */
static const char letters[] = "DSPUNARHEMLCWT";
static const struct {
	yw_case_transition t;
	const char *name;
	const char *row;
} matrix[] = {
	{ YW_CT_SUBMIT,             "submit",             "S............." },
	{ YW_CT_CLAIM,              "claim",              ".P............" },
	{ YW_CT_ACCEPT,             "accept",             ".AA..........." },
	{ YW_CT_REJECT,             "reject",             ".NN..........." },
	{ YW_CT_REQUEST_SUPPLEMENT, "request_supplement", ".UU..........." },
	{ YW_CT_RESUBMIT,           "resubmit",           "...S.........." },
	{ YW_CT_REVIEW_TASK,        "review_task",        ".....RR......." },
	{ YW_CT_SUSPEND,            "suspend",            ".....HH......." },
	{ YW_CT_RESUME,             "resume",             ".......R......" },
	{ YW_CT_EXTEND,             "extend",             ".....ARH......" },
	{ YW_CT_DECIDE,             "decide",             ".....EE......." },
	{ YW_CT_MAKE_RESULT,        "make_result",        "........M....." },
	{ YW_CT_DELIVER,            "deliver",            ".........L...." },
	{ YW_CT_COMPLETE,           "complete",           "..........C..." },
	{ YW_CT_WITHDRAW,           "withdraw",           ".WWW.WWW......" },
	{ YW_CT_TERMINATE,          "terminate",          ".TTT.TTTTTT..." },
};

static void r_case_011_transition_matrix(void **state)
{
	(void)state;
	assert_int_equal(sizeof matrix / sizeof matrix[0], YW_CT__COUNT);
	assert_int_equal(strlen(letters), YW_CS__COUNT);
	for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++) {
		yw_case_transition t = matrix[i].t;
		for (int s = 0; s < YW_CS__COUNT; s++) {
			char want = matrix[i].row[s];
			yw_case_state got = yw_case_next_state(t, (yw_case_state)s, YW_CS_REVIEW, 0);
			char have = got == YW_CS__COUNT ? '.' : letters[got];
			if (have != want)
				fail_msg("%s from %s: expected %c, got %c", matrix[i].name,
				         yw_case_state_name((yw_case_state)s), want, have);
			assert_int_equal(yw_case_can(t, (yw_case_state)s), want != '.');
		}
		/* the names round-trip, each transition has its Chinese and an event but claim */
		const yw_case_transition_def *d = yw_case_transition_get(t);
		assert_string_equal(d->name, matrix[i].name);
		assert_non_null(d->zh);
		yw_case_transition back;
		assert_true(yw_case_transition_from_name(matrix[i].name, &back));
		assert_int_equal(back, t);
		if (t == YW_CT_CLAIM)
			assert_null(d->event);
		else
			assert_true(d->event && !strncmp(d->event, "case.", 5));
	}
	assert_false(yw_case_transition_from_name("approve", &(yw_case_transition){ 0 }));
	assert_false(yw_case_transition_from_name(NULL, &(yw_case_transition){ 0 }));
	assert_null(yw_case_transition_get(YW_CT__COUNT));
	assert_false(yw_case_can(YW_CT__COUNT, YW_CS_SUBMITTED));
	assert_false(yw_case_can(YW_CT_ACCEPT, YW_CS__COUNT));
}

static void r_case_011_who_may(void **state)
{
	(void)state;
	assert_int_equal(yw_case_transition_get(YW_CT_SUBMIT)->action, YW_ACT_CASE_APPLY);
	assert_int_equal(yw_case_transition_get(YW_CT_ACCEPT)->action, YW_ACT_CASE_ACCEPT);
	assert_int_equal(yw_case_transition_get(YW_CT_REVIEW_TASK)->action, YW_ACT_CASE_REVIEW);
	assert_int_equal(yw_case_transition_get(YW_CT_DECIDE)->action, YW_ACT_CASE_REVIEW);
	assert_int_equal(yw_case_transition_get(YW_CT_SUSPEND)->action, YW_ACT_CASE_SPECIAL);
	assert_int_equal(yw_case_transition_get(YW_CT_EXTEND)->action, YW_ACT_CASE_SPECIAL);
	assert_int_equal(yw_case_transition_get(YW_CT_DELIVER)->action, YW_ACT_CASE_ACCEPT);
	assert_int_equal(yw_case_transition_get(YW_CT_TERMINATE)->action, YW_ACT_CASE_TERMINATE);
	assert_int_equal(yw_case_transition_get(YW_CT_WITHDRAW)->action, YW_ACT_CASE_APPLY);
	/* the applicant confirms receipt, or the clerk closes the case */
	assert_int_equal(yw_case_transition_get(YW_CT_COMPLETE)->action, YW_ACT_CASE_ACCEPT);
	assert_int_equal(yw_case_transition_get(YW_CT_COMPLETE)->alt_action, YW_ACT_CASE_APPLY);
	assert_int_equal(yw_case_transition_get(YW_CT_DECIDE)->alt_action, YW_ACT__COUNT);
	/* R-CASE-012: a transition that ends a step asks the action the catalog requires of the
	 * step's role, so that a process can only name a role that can end the step. */
	const struct { yw_case_transition t; const char *stage; } ends[] = {
		{ YW_CT_CLAIM, "pre_review" }, { YW_CT_ACCEPT, "pre_review" }, { YW_CT_ACCEPT, "accept" },
		{ YW_CT_REJECT, "pre_review" }, { YW_CT_REQUEST_SUPPLEMENT, "pre_review" },
		{ YW_CT_REVIEW_TASK, "review" }, { YW_CT_DECIDE, "decide" },
		{ YW_CT_MAKE_RESULT, "make_license" }, { YW_CT_DELIVER, "deliver" },
	};
	for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++)
		assert_int_equal(yw_case_transition_get(ends[i].t)->action, yw_cat_stage_action(ends[i].stage));
	assert_int_equal(yw_case_transition_get(YW_CT_MAKE_RESULT)->action, YW_ACT_CASE_RESULT);
	assert_true(yw_role_grants(YW_ROLE_WINDOW_CLERK, YW_ACT_CASE_RESULT));
	assert_true(yw_role_grants(YW_ROLE_APPROVER, YW_ACT_CASE_RESULT));
	assert_int_equal(yw_cat_stage_action("sign"), YW_ACT__COUNT);
}

static void r_case_011_special_next_states(void **state)
{
	(void)state;
	/* 即办件 (project_type 1): accepting decides (approves) on the spot */
	assert_int_equal(yw_case_next_state(YW_CT_ACCEPT, YW_CS_PRE_REVIEW, YW_CS__COUNT, 1), YW_CS_DECIDED);
	assert_int_equal(yw_case_next_state(YW_CT_ACCEPT, YW_CS_SUBMITTED, YW_CS__COUNT, 1), YW_CS_DECIDED);
	assert_int_equal(yw_case_next_state(YW_CT_ACCEPT, YW_CS_PRE_REVIEW, YW_CS__COUNT, 2), YW_CS_ACCEPTED);
	assert_int_equal(yw_case_next_state(YW_CT_ACCEPT, YW_CS_DECIDED, YW_CS__COUNT, 1), YW_CS__COUNT);
	/* resume returns to the state the suspension interrupted, and only to one it can interrupt */
	assert_int_equal(yw_case_next_state(YW_CT_RESUME, YW_CS_SUSPENDED, YW_CS_ACCEPTED, 0), YW_CS_ACCEPTED);
	assert_int_equal(yw_case_next_state(YW_CT_RESUME, YW_CS_SUSPENDED, YW_CS_REVIEW, 0), YW_CS_REVIEW);
	assert_int_equal(yw_case_next_state(YW_CT_RESUME, YW_CS_SUSPENDED, YW_CS_DECIDED, 0), YW_CS__COUNT);
	assert_int_equal(yw_case_next_state(YW_CT_RESUME, YW_CS_SUSPENDED, YW_CS__COUNT, 0), YW_CS__COUNT);
	assert_int_equal(yw_case_next_state(YW_CT_RESUME, YW_CS_REVIEW, YW_CS_REVIEW, 0), YW_CS__COUNT);
	/* extend stays where it is, suspended included */
	assert_int_equal(yw_case_next_state(YW_CT_EXTEND, YW_CS_SUSPENDED, YW_CS_REVIEW, 0), YW_CS_SUSPENDED);
	assert_int_equal(yw_case_next_state(YW_CT_EXTEND, YW_CS_ACCEPTED, YW_CS__COUNT, 0), YW_CS_ACCEPTED);
	assert_int_equal(yw_case_transition_get(YW_CT_EXTEND)->to, YW_CS__COUNT);
	assert_int_equal(yw_case_transition_get(YW_CT_RESUME)->to, YW_CS__COUNT);
}

static void r_case_010_states(void **state)
{
	(void)state;
	for (int s = 0; s < YW_CS__COUNT; s++) {
		yw_case_state back;
		assert_true(yw_case_state_from_name(yw_case_state_name((yw_case_state)s), &back));
		assert_int_equal(back, s);
		assert_true(strlen(yw_case_state_zh((yw_case_state)s)) > 0);
	}
	assert_string_equal(yw_case_state_name(YW_CS_PRE_REVIEW), "pre_review");
	assert_string_equal(yw_case_state_zh(YW_CS_PRE_REVIEW), "预审中");
	assert_string_equal(yw_case_state_zh(YW_CS_SUPPLEMENT), "待补正");
	assert_false(yw_case_state_from_name("approved", &(yw_case_state){ 0 }));
	assert_false(yw_case_state_from_name(NULL, &(yw_case_state){ 0 }));
	const yw_case_state final[] = { YW_CS_NOT_ACCEPTED, YW_CS_COMPLETED, YW_CS_WITHDRAWN, YW_CS_TERMINATED };
	int nfinal = 0;
	for (int s = 0; s < YW_CS__COUNT; s++)
		nfinal += yw_case_state_final((yw_case_state)s);
	assert_int_equal(nfinal, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_true(yw_case_state_final(final[i]));
		/* nothing leaves a final state */
		for (int t = 0; t < YW_CT__COUNT; t++)
			assert_false(yw_case_can((yw_case_transition)t, final[i]));
	}
}

/* ---- R-CASE-001: serial numbers --------------------------------------------------------------- */

static void r_case_001_serial(void **state)
{
	(void)state;
	char out[YW_CASE_SERIAL_LEN + 1];
	/* By hand: the 20 digits 3 4 1 3 0 2 | 2 0 2 6 1 1 3 0 | 0 0 0 0 0 1, weights 2^(20-i) mod 11
	 * 1 6 3 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; sum 3 + 24 + 3 + 21 + 0 + 20 + 10 + 0 + 8 + 12
	 * + 1 + 6 + 9 + 0 … + 2 = 119; 119 mod 11 = 9; check (12 - 9) mod 11 = 3. */
	assert_true(yw_case_serial_make("341302", 20261130, 1, out));
	assert_string_equal(out, "341302-20261130-000001-3");
	assert_int_equal(strlen(out), YW_CASE_SERIAL_LEN);
	assert_true(yw_case_serial_ok(out));
	/* a township's department numbers in its county's series */
	assert_true(yw_case_serial_make("341302001", 20261130, 1, out));
	assert_string_equal(out, "341302-20261130-000001-3");
	/* seq 3 gives check value 10, written X; lower case x is accepted when read */
	assert_true(yw_case_serial_make("341302", 20261130, 3, out));
	assert_string_equal(out, "341302-20261130-000003-X");
	assert_true(yw_case_serial_ok(out));
	assert_true(yw_case_serial_ok("341302-20261130-000003-x"));
	assert_true(yw_case_serial_make("341302", 20261130, 999999, out));
	assert_true(yw_case_serial_ok(out));
	/* every single mistyped digit is caught (MOD 11-2 detects all single substitutions) */
	assert_true(yw_case_serial_make("341302", 20261130, 42, out));
	for (int i = 0; i < YW_CASE_SERIAL_LEN - 1; i++) {
		if (out[i] == '-')
			continue;
		char bad[YW_CASE_SERIAL_LEN + 1];
		memcpy(bad, out, sizeof bad);
		bad[i] = bad[i] == '9' ? '0' : (char)(bad[i] + 1);
		if (yw_case_serial_ok(bad))
			fail_msg("a changed digit at %d passed: %s", i, bad);
	}
	assert_false(yw_case_serial_ok("341302-20261130-000001-4"));
	/* two adjacent digits swapped */
	assert_false(yw_case_serial_ok("341302-20261130-000010-3"));
	assert_false(yw_case_serial_ok("34130220261130000001-3"));
	assert_false(yw_case_serial_ok("341302-20261130-000001"));
	assert_false(yw_case_serial_ok("341302_20261130-000001-3"));
	assert_false(yw_case_serial_ok("34130A-20261130-000001-3"));
	assert_false(yw_case_serial_ok(""));
	assert_false(yw_case_serial_ok(NULL));
	/* parts out of range */
	assert_false(yw_case_serial_make("3413", 20261130, 1, out));
	assert_false(yw_case_serial_make("3413020011", 20261130, 1, out));
	assert_false(yw_case_serial_make("34130A", 20261130, 1, out));
	assert_false(yw_case_serial_make(NULL, 20261130, 1, out));
	assert_false(yw_case_serial_make("341302", 20261130, 0, out));
	assert_false(yw_case_serial_make("341302", 20261130, 1000000, out));
	assert_false(yw_case_serial_make("341302", 20260230, 1, out));
	assert_false(yw_case_serial_make("341302", 0, 1, out));
}

/* The generalised check agrees with the citizen ID's on 17 digits: leading zeros add nothing to
 * MOD 11-2, so the serial 000341-20261130-000001 has the check character of the 17 digits
 * 341 20261130 000001 as an ID body. */
static void r_case_001_same_as_id_check(void **state)
{
	(void)state;
	char out[YW_CASE_SERIAL_LEN + 1];
	const long long seqs[] = { 1, 2, 3, 17, 4711, 999999 };
	for (size_t i = 0; i < sizeof seqs / sizeof seqs[0]; i++) {
		char body[18];
		snprintf(body, sizeof body, "341%08d%06lld", 20261130, seqs[i]);
		assert_true(yw_case_serial_make("000341", 20261130, seqs[i], out));
		assert_int_equal(out[23], yw_id_check_char(body));
	}
}

/* ---- R-CASE-020 … R-CASE-025: the clock --------------------------------------------------- */
/*
 * 2026 around National Day (State Council 国办发明电〔2025〕…, the ref calendar):
 *   09-20 Sun worked; 09-25 Fri … 09-27 Sun 中秋 off; 09-28 Mon … 09-30 Wed worked;
 *   10-01 Thu … 10-07 Wed off; 10-08 Thu, 10-09 Fri, 10-10 Sat worked; 10-11 Sun off.
 */

static int due(const yw_case_clock *c)
{
	int d = -1;
	assert_int_equal(yw_case_clock_due(c, &d), YW_E_OK);
	return d;
}

static int left(int due_on, int today)
{
	int n = 99;
	assert_int_equal(yw_case_days_left(due_on, today, &n), YW_E_OK);
	return n;
}

static void r_case_020_calendar_assumed(void **state)
{
	(void)state;
	/* what the expectations below are computed from */
	bool w;
	const int off[] = { 20260925, 20260926, 20260927, 20261001, 20261004, 20261007, 20261011 };
	const int on[] = { 20260920, 20260928, 20260930, 20261008, 20261009, 20261010, 20261012 };
	for (size_t i = 0; i < sizeof off / sizeof off[0]; i++) {
		assert_int_equal(yw_workday_is(yw_case_date(off[i]), &w), YW_E_OK);
		assert_false(w);
		assert_int_equal(yw_workday_is(yw_case_date(on[i]), &w), YW_E_OK);
		assert_true(w);
	}
	assert_int_equal(yw_case_ymd((yw_date){ 2026, 11, 30 }), 20261130);
	yw_date d = yw_case_date(20261130);
	assert_int_equal(d.y, 2026);
	assert_int_equal(d.m, 11);
	assert_int_equal(d.d, 30);
	int today = yw_case_today();
	assert_true(yw_date_valid(yw_case_date(today)));
}

static void r_case_020_021_due(void **state)
{
	(void)state;
	/* accepted Thu 09-24, 10 working days: 09-28 29 30, 10-08 09 10 12 13 14 15 → 10-15 */
	yw_case_clock c = { .limit_days = 10, .started_on = 20260924 };
	assert_int_equal(due(&c), 20261015);
	/* a branch of 3 days opened Wed 09-30: 10-08, 10-09 and the make-up Saturday 10-10 */
	yw_case_clock b = { .limit_days = 3, .started_on = 20260930 };
	assert_int_equal(due(&b), 20261010);
	/* no limit, not started: no due day */
	yw_case_clock none = { .limit_days = -1, .started_on = 20260924 };
	assert_int_equal(due(&none), 0);
	yw_case_clock unstarted = { .limit_days = 10 };
	assert_int_equal(due(&unstarted), 0);
	/* 0 days (即办): due the day it starts */
	yw_case_clock now = { .limit_days = 0, .started_on = 20261008 };
	assert_int_equal(due(&now), 20261008);
}

static void r_case_023_pause_across_holidays(void **state)
{
	(void)state;
	yw_case_clock c = { .limit_days = 10, .started_on = 20260924 };
	/* suspended Tue 09-29, resumed Fri 10-09: (09-29, 10-09] holds 09-30, 10-08, 10-09 = 3
	 * working days, the seven National Day days not at all */
	yw_case_clock_pause(&c, 20260929);
	assert_int_equal(c.paused_since, 20260929);
	assert_int_equal(due(&c), 0);                 /* frozen while paused */
	yw_case_clock_pause(&c, 20261008);            /* a second pause while one runs: no-op */
	assert_int_equal(c.paused_since, 20260929);
	assert_int_equal(yw_case_clock_resume(&c, 20261009), YW_E_OK);
	assert_int_equal(c.paused_since, 0);
	assert_int_equal(c.paused_workdays, 3);
	/* 13 working days after 09-24: 10-15 as before, then 10-16, 10-19, 10-20 */
	assert_int_equal(due(&c), 20261020);
	/* resuming again does nothing */
	assert_int_equal(yw_case_clock_resume(&c, 20261012), YW_E_OK);
	assert_int_equal(c.paused_workdays, 3);
	/* a pause from a working day to the next working day is one day; within the holiday none */
	yw_case_clock h = { .limit_days = 10, .started_on = 20260924 };
	yw_case_clock_pause(&h, 20261001);
	assert_int_equal(yw_case_clock_resume(&h, 20261007), YW_E_OK);
	assert_int_equal(h.paused_workdays, 0);
	yw_case_clock_pause(&h, 20261009);
	assert_int_equal(yw_case_clock_resume(&h, 20261010), YW_E_OK);
	assert_int_equal(h.paused_workdays, 1);
	yw_case_clock_pause(&h, 20261012);
	assert_int_equal(yw_case_clock_resume(&h, 20261012), YW_E_OK);   /* same day: nothing */
	assert_int_equal(h.paused_workdays, 1);
}

static void r_case_024_extension(void **state)
{
	(void)state;
	/* 10 days + 3 paused + an extension of 5: 18 working days after 09-24 → 10-27 */
	yw_case_clock c = { .limit_days = 10, .extension_days = 5, .paused_workdays = 3,
		            .started_on = 20260924 };
	assert_int_equal(due(&c), 20261027);
	c.paused_workdays = 0;   /* 15 days: 10-16 (Fri), 10-19, 10-20, 10-21, 10-22 */
	assert_int_equal(due(&c), 20261022);
}

static void r_case_025_days_left_and_urgency(void **state)
{
	(void)state;
	/* due on the make-up Saturday 10-10 */
	assert_int_equal(left(20261010, 20260929), 4);    /* 09-30, 10-08, 10-09, 10-10 */
	assert_int_equal(left(20261010, 20260930), 3);    /* over National Day: still 3 */
	assert_int_equal(left(20261010, 20261005), 3);
	assert_int_equal(left(20261010, 20261008), 2);
	assert_int_equal(left(20261010, 20261009), 1);
	assert_int_equal(left(20261010, 20261010), 0);    /* due today */
	assert_int_equal(left(20261010, 20261011), -1);   /* Sunday after: overdue although no working day passed */
	assert_int_equal(left(20261010, 20261012), -1);
	assert_int_equal(left(20261010, 20261013), -2);

	assert_int_equal(yw_case_urgency_of(true, 3), YW_URG_GREEN);
	assert_int_equal(yw_case_urgency_of(true, 2), YW_URG_YELLOW);
	assert_int_equal(yw_case_urgency_of(true, 1), YW_URG_YELLOW);
	assert_int_equal(yw_case_urgency_of(true, 0), YW_URG_YELLOW);
	assert_int_equal(yw_case_urgency_of(true, -1), YW_URG_RED);
	assert_int_equal(yw_case_urgency_of(false, -5), YW_URG_NONE);
	assert_int_equal(yw_case_urgency_of(true, left(20261010, 20260930)), YW_URG_GREEN);
	assert_int_equal(yw_case_urgency_of(true, left(20261010, 20261010)), YW_URG_YELLOW);
	assert_int_equal(yw_case_urgency_of(true, left(20261010, 20261011)), YW_URG_RED);
	assert_string_equal(yw_case_urgency_name(YW_URG_NONE), "none");
	assert_string_equal(yw_case_urgency_name(YW_URG_GREEN), "green");
	assert_string_equal(yw_case_urgency_name(YW_URG_YELLOW), "yellow");
	assert_string_equal(yw_case_urgency_name(YW_URG_RED), "red");
}

static void r_case_020_out_of_range(void **state)
{
	(void)state;
	/* (12-20, 12-31] has 9 working days; the 10th is in 2027, which the calendar lacks */
	yw_case_clock c = { .limit_days = 9, .started_on = 20261220 };
	assert_int_equal(due(&c), 20261231);
	c.limit_days = 10;
	int d = -1;
	assert_int_equal(yw_case_clock_due(&c, &d), YW_E_CALENDAR_OUT_OF_RANGE);
	assert_int_equal(d, 0);
	/* a pause that ends in 2027 cannot be counted: it keeps running, nothing is lost */
	yw_case_clock_pause(&c, 20261230);
	assert_int_equal(yw_case_clock_resume(&c, 20270104), YW_E_CALENDAR_OUT_OF_RANGE);
	assert_int_equal(c.paused_since, 20261230);
	assert_int_equal(c.paused_workdays, 0);
	int n = 99;
	assert_int_equal(yw_case_days_left(20261231, 20270104, &n), YW_E_CALENDAR_OUT_OF_RANGE);
	yw_case_clock z = { .limit_days = 0, .started_on = 20270104 };
	assert_int_equal(yw_case_clock_due(&z, &d), YW_E_CALENDAR_OUT_OF_RANGE);
	assert_int_equal(d, 0);
}

/* ---- R-CASE-030 … R-CASE-032: the process as tasks ------------------------------------------- */

/* The arena of a flow test, freed by cmocka even when the test fails. */
static int arena_up(void **state)
{
	*state = yw_arena_new(0);
	return *state ? 0 : -1;
}

static int arena_down(void **state)
{
	yw_arena_free(*state);
	return 0;
}

#define ITEM_DEPT "d_item0001"
#define XF_DEPT "d_xf000001"

/* A case's tasks as the API would keep them: what each call opened is open, what it closed is
 * closed. */
typedef struct {
	yw_case_task_ref t[64];
	int n;
	const yw_case_flow *f;
	yw_case_flow_step out;
	char opened[256], closed[256];
} sim;

static void set(sim *s, const char *step, const char *st)
{
	for (int i = s->n - 1; i >= 0; i--)
		if (!strcmp(s->t[i].step_id, step) && !strcmp(s->t[i].state, "open")) {
			s->t[i].state = st;
			return;
		}
	assert_true(s->n < 64);
	s->t[s->n++] = (yw_case_task_ref){ step, st };
}

static void record(sim *s)
{
	s->opened[0] = s->closed[0] = 0;
	for (int i = 0; i < s->out.nopen; i++) {
		if (i)
			strcat(s->opened, ",");
		strcat(s->opened, s->out.open[i].id);
		set(s, s->out.open[i].id, "open");
	}
	for (int i = 0; i < s->out.nclose; i++) {
		if (i)
			strcat(s->closed, ",");
		strcat(s->closed, s->out.close[i]);
		set(s, s->out.close[i], "closed");
	}
}

static void start(sim *s, const yw_case_flow *f)
{
	memset(s, 0, sizeof *s);
	s->f = f;
	assert_int_equal(yw_case_flow_start(f, &s->out), YW_E_OK);
	record(s);
}

/* step ended in state st ("approved", "denied", "done"): returns the ids opened, comma-joined */
static const char *after(sim *s, const char *step, const char *st)
{
	set(s, step, st);
	bool passed = strcmp(st, "denied") != 0;
	assert_int_equal(yw_case_flow_after(s->f, s->t, s->n, step, passed, &s->out), YW_E_OK);
	record(s);
	return s->opened;
}

static const yw_case_step *opened(const sim *s, const char *id)
{
	for (int i = 0; i < s->out.nopen; i++)
		if (!strcmp(s->out.open[i].id, id))
			return &s->out.open[i];
	fail_msg("%s was not opened", id);
	return NULL;
}

static yw_case_flow *flow(yw_arena *a, const char *json)
{
	json_t *p = NULL;
	if (json) {
		json_error_t err;
		p = yw_arena_json(a, json_loads(json, 0, &err));
		if (!p)
			fail_msg("bad test JSON: %s", err.text);
	}
	yw_case_flow *f = NULL;
	const char *why = "unset";
	yw_err e = yw_case_flow_new(a, p, ITEM_DEPT, &f, &why);
	if (e)
		fail_msg("flow refused: %s", why ? why : "?");
	assert_null(why);
	return f;
}

#define TASK(id, name, stage, role, lim, next) \
	"{\"id\":\"" id "\",\"name\":\"" name "\",\"kind\":\"task\",\"stage\":\"" stage \
	"\",\"role\":\"" role "\",\"limit_days\":" #lim ",\"next\":[" next "]}"
#define TASK_D(id, name, stage, role, lim, dept, next) \
	"{\"id\":\"" id "\",\"name\":\"" name "\",\"kind\":\"task\",\"stage\":\"" stage \
	"\",\"role\":\"" role "\",\"department_id\":\"" dept "\",\"limit_days\":" #lim \
	",\"next\":[" next "]}"
#define SPLIT(id, next) "{\"id\":\"" id "\",\"name\":\"并联审查\",\"kind\":\"split\",\"next\":[" next "]}"
#define JOIN(id, rule, next) \
	"{\"id\":\"" id "\",\"name\":\"汇总意见\",\"kind\":\"join\",\"join\":\"" rule "\",\"next\":[" next "]}"
#define JOIN_K(id, k, next) \
	"{\"id\":\"" id "\",\"name\":\"汇总意见\",\"kind\":\"join\",\"join\":\"at_least\",\"k\":" #k \
	",\"next\":[" next "]}"
#define END "{\"id\":\"end\",\"name\":\"办结\",\"kind\":\"end\",\"next\":[]}"
#define PROC(start, steps) "{\"start\":\"" start "\",\"steps\":[" steps "]}"

/* The demo's 并联 example: 受理 → (治安 ‖ 消防, another department) → 汇总 (all) → 决定. */
#define DEMO_SPLIT(rule) PROC("s1", \
	TASK("s1", "受理", "accept", "window_clerk", 1, "\"p1\"") "," \
	SPLIT("p1", "\"b1\",\"b2\"") "," \
	TASK("b1", "治安安全审查", "review", "approver", 3, "\"j1\"") "," \
	TASK_D("b2", "消防安全审查", "review", "approver", 4, XF_DEPT, "\"j1\"") "," \
	JOIN("j1", rule, "\"s3\"") "," \
	TASK("s3", "许可决定", "decide", "approver", 1, "\"end\"") "," END)

static void r_case_032_builtin(void **state)
{
	yw_arena *a = *state;
	sim s;
	start(&s, flow(a, NULL));
	assert_string_equal(s.opened, "_prereview");
	const yw_case_step *p = opened(&s, "_prereview");
	assert_string_equal(p->stage, "pre_review");
	assert_string_equal(p->role, "window_clerk");
	assert_string_equal(p->department_id, ITEM_DEPT);
	assert_int_equal(p->limit_days, YW_CASE_PREREVIEW_DAYS);
	assert_null(p->split_id);
	assert_string_equal(after(&s, "_prereview", "done"), "_review");
	p = opened(&s, "_review");
	assert_string_equal(p->stage, "review");
	assert_string_equal(p->role, "approver");
	assert_int_equal(p->limit_days, -1);          /* the case's clock */
	assert_false(s.out.reached_stage);
	assert_string_equal(after(&s, "_review", "approved"), "_decide");
	assert_true(s.out.reached_stage);
	assert_false(s.out.failed);
	p = opened(&s, "_decide");
	assert_string_equal(p->stage, "decide");
	assert_string_equal(p->role, "approver");
	assert_int_equal(p->limit_days, -1);
	assert_string_equal(after(&s, "_decide", "done"), "_result");
	p = opened(&s, "_result");
	assert_string_equal(p->stage, "make_license");
	assert_string_equal(p->role, "approver");
	assert_int_equal(p->limit_days, YW_CASE_RESULT_DAYS);
	assert_string_equal(after(&s, "_result", "done"), "_deliver");
	p = opened(&s, "_deliver");
	assert_string_equal(p->stage, "deliver");
	assert_string_equal(p->role, "window_clerk");
	assert_int_equal(p->limit_days, YW_CASE_RESULT_DAYS);
	assert_string_equal(after(&s, "_deliver", "done"), "");
	assert_int_equal(s.out.nclose, 0);

	/* not accepted at pre-review: nothing more opens */
	start(&s, flow(a, NULL));
	assert_string_equal(after(&s, "_prereview", "denied"), "");
	/* review denied: straight to the decision, the failure recorded */
	start(&s, flow(a, NULL));
	after(&s, "_prereview", "done");
	assert_string_equal(after(&s, "_review", "denied"), "_decide");
	assert_true(s.out.failed);
	/* a step the flow does not have */
	yw_case_flow_step out;
	assert_int_equal(yw_case_flow_after(s.f, s.t, s.n, "nope", true, &out), YW_E_NOT_FOUND);
}

static void r_case_032_sequential_fills_make_license(void **state)
{
	yw_arena *a = *state;
	/* 受理 → 审核 → 审批 → 制证送达 (deliver): no make_license, filled between decide and deliver */
	yw_case_flow *f = flow(a, PROC("s1",
		TASK("s1", "受理", "accept", "window_clerk", 1, "\"s2\"") ","
		TASK("s2", "审核", "review", "approver", 2, "\"s3\"") ","
		TASK("s3", "审批", "decide", "approver", 1, "\"s4\"") ","
		TASK("s4", "制证送达", "deliver", "window_clerk", 1, "\"end\"") "," END));
	sim s;
	start(&s, f);
	assert_string_equal(s.opened, "s1");
	assert_int_equal(opened(&s, "s1")->limit_days, 1);      /* the process's own pre-review limit */
	assert_string_equal(opened(&s, "s1")->name, "受理");
	assert_string_equal(opened(&s, "s1")->stage, "pre_review");     /* stage accept in the process */
	assert_string_equal(after(&s, "s1", "done"), "s2");
	assert_int_equal(opened(&s, "s2")->limit_days, 2);
	assert_string_equal(opened(&s, "s2")->department_id, ITEM_DEPT);
	assert_string_equal(after(&s, "s2", "approved"), "s3");
	assert_false(yw_case_flow_failed(f, s.t, s.n));
	assert_true(s.out.reached_stage);
	assert_string_equal(after(&s, "s3", "done"), "_result");
	assert_string_equal(after(&s, "_result", "done"), "s4");
	assert_string_equal(after(&s, "s4", "done"), "");

	/* a denial on the main line skips what review is left and goes to the decision */
	f = flow(a, PROC("s1",
		TASK("s1", "受理", "accept", "window_clerk", 1, "\"s2\"") ","
		TASK("s2", "初审", "review", "approver", 2, "\"s5\"") ","
		TASK("s5", "复审", "review", "approver", 2, "\"s3\"") ","
		TASK("s3", "审批", "decide", "approver", 1, "\"end\"") "," END));
	start(&s, f);
	after(&s, "s1", "done");
	assert_string_equal(after(&s, "s2", "denied"), "s3");
	assert_true(s.out.failed);
	assert_true(yw_case_flow_failed(f, s.t, s.n));
	/* a decision to deny is still written up and delivered */
	assert_string_equal(after(&s, "s3", "denied"), "_result");
	assert_string_equal(after(&s, "_result", "done"), "_deliver");
}

static void r_case_032_pre_review_run(void **state)
{
	yw_arena *a = *state;
	/* 材料预审 → 受理 are the pre-review: one task, the first; accepting passes both */
	yw_case_flow *f = flow(a, PROC("s0",
		TASK("s0", "材料预审", "pre_review", "window_clerk", 2, "\"s1\"") ","
		TASK("s1", "受理", "accept", "window_clerk", 3, "\"s2\"") ","
		TASK("s2", "调查核实", "review", "approver", 20, "\"s3\"") ","
		TASK("s3", "认定决定", "decide", "approver", 5, "\"s4\"") ","
		TASK("s4", "送达", "deliver", "window_clerk", 2, "\"end\"") "," END));
	sim s;
	start(&s, f);
	assert_string_equal(s.opened, "s0");
	assert_int_equal(opened(&s, "s0")->limit_days, 2);
	assert_string_equal(after(&s, "s0", "done"), "s2");
}

static void r_case_030_split_all(void **state)
{
	yw_arena *a = *state;
	sim s;
	start(&s, flow(a, DEMO_SPLIT("all")));
	assert_string_equal(after(&s, "s1", "done"), "b1,b2");
	const yw_case_step *b = opened(&s, "b1");
	assert_string_equal(b->split_id, "p1");
	assert_string_equal(b->department_id, ITEM_DEPT);
	assert_int_equal(b->limit_days, 3);
	b = opened(&s, "b2");
	assert_string_equal(b->split_id, "p1");
	assert_string_equal(b->department_id, XF_DEPT);    /* the step's own department */
	assert_int_equal(b->limit_days, 4);
	assert_false(s.out.reached_stage);
	assert_string_equal(after(&s, "b2", "approved"), "");   /* waits for b1 */
	assert_int_equal(s.out.nclose, 0);
	assert_string_equal(after(&s, "b1", "approved"), "s3");
	assert_null(opened(&s, "s3")->split_id);
	assert_true(s.out.reached_stage);
	assert_false(s.out.failed);
	assert_int_equal(s.out.nclose, 0);
	/* make_license and deliver are filled after the decision */
	assert_string_equal(after(&s, "s3", "done"), "_result");
	assert_string_equal(after(&s, "_result", "done"), "_deliver");
	assert_string_equal(after(&s, "_deliver", "done"), "");
}

static void r_case_031_denial_under_all(void **state)
{
	yw_arena *a = *state;
	sim s;
	start(&s, flow(a, DEMO_SPLIT("all")));
	after(&s, "s1", "done");
	assert_false(yw_case_flow_failed(s.f, s.t, s.n));
	assert_string_equal(after(&s, "b1", "denied"), "s3");
	assert_string_equal(s.closed, "b2");
	assert_true(s.out.failed);
	assert_non_null(strstr(s.out.close_reason, "汇合条件"));
	/* R-CASE-033: read again at the decision, from the tasks alone */
	assert_true(yw_case_flow_failed(s.f, s.t, s.n));
}

static void r_case_030_any(void **state)
{
	yw_arena *a = *state;
	const char *p = PROC("s1",
		TASK("s1", "受理", "accept", "window_clerk", 1, "\"p1\"") ","
		SPLIT("p1", "\"b1\",\"b2\",\"b3\"") ","
		TASK("b1", "甲", "review", "approver", 3, "\"j1\"") ","
		TASK("b2", "乙", "review", "approver", 3, "\"j1\"") ","
		TASK("b3", "丙", "review", "approver", 3, "\"j1\"") ","
		JOIN("j1", "any", "\"s3\"") ","
		TASK("s3", "决定", "decide", "approver", 1, "\"end\"") "," END);
	sim s;
	/* the first approval meets the join: the others are closed as not needed */
	start(&s, flow(a, p));
	assert_string_equal(after(&s, "s1", "done"), "b1,b2,b3");
	assert_string_equal(after(&s, "b2", "approved"), "s3");
	assert_string_equal(s.closed, "b1,b3");
	assert_string_equal(s.out.close_reason, "并联环节已满足汇合条件，本环节无须再办");
	assert_false(s.out.failed);
	assert_false(yw_case_flow_failed(s.f, s.t, s.n));   /* closed as not needed is no denial */
	/* a verdict arriving for a branch the join no longer needs changes nothing */
	yw_case_task_ref late[] = { { "s1", "done" }, { "b1", "approved" }, { "b2", "approved" },
		                    { "b3", "closed" }, { "s3", "open" } };
	yw_case_flow_step out;
	assert_int_equal(yw_case_flow_after(s.f, late, 5, "b1", true, &out), YW_E_OK);
	assert_int_equal(out.nopen, 0);
	assert_int_equal(out.nclose, 0);
	/* denials: the join fails only when none is left that could approve */
	start(&s, flow(a, p));
	after(&s, "s1", "done");
	assert_string_equal(after(&s, "b1", "denied"), "");
	assert_false(s.out.failed);
	assert_string_equal(after(&s, "b3", "denied"), "");
	assert_string_equal(after(&s, "b2", "denied"), "s3");
	assert_true(s.out.failed);
	assert_int_equal(s.out.nclose, 0);
}

static void r_case_030_at_least_k(void **state)
{
	yw_arena *a = *state;
	/* the demo's 联合验收: 4 departments, at least 3 */
	const char *p = PROC("s1",
		TASK("s1", "联合验收受理", "accept", "window_clerk", 1, "\"p1\"") ","
		SPLIT("p1", "\"b1\",\"b2\",\"b3\",\"b4\"") ","
		TASK("b1", "规划核实", "review", "approver", 3, "\"j1\"") ","
		TASK_D("b2", "消防验收", "review", "approver", 3, XF_DEPT, "\"j1\"") ","
		TASK("b3", "人防验收", "review", "approver", 3, "\"j1\"") ","
		TASK("b4", "质量监督", "review", "approver", 3, "\"j1\"") ","
		JOIN_K("j1", 3, "\"s3\"") ","
		TASK("s3", "备案", "decide", "approver", 1, "\"end\"") "," END);
	sim s;
	start(&s, flow(a, p));
	assert_string_equal(after(&s, "s1", "done"), "b1,b2,b3,b4");
	assert_string_equal(after(&s, "b1", "approved"), "");
	assert_string_equal(after(&s, "b4", "denied"), "");      /* 1 passed, 2 running: 3 possible */
	assert_false(s.out.failed);
	assert_string_equal(after(&s, "b3", "approved"), "");
	assert_string_equal(after(&s, "b2", "approved"), "s3");  /* the third */
	assert_int_equal(s.out.nclose, 0);
	assert_false(s.out.failed);
	/* met with one still open: it is closed */
	start(&s, flow(a, p));
	after(&s, "s1", "done");
	after(&s, "b1", "approved");
	after(&s, "b2", "approved");
	assert_string_equal(after(&s, "b4", "approved"), "s3");
	assert_string_equal(s.closed, "b3");
	assert_false(s.out.failed);
	/* two denials leave at most 2 of the 3 needed: fails at once */
	start(&s, flow(a, p));
	after(&s, "s1", "done");
	assert_string_equal(after(&s, "b2", "denied"), "");
	assert_string_equal(after(&s, "b3", "denied"), "s3");
	assert_string_equal(s.closed, "b1,b4");
	assert_true(s.out.failed);
	assert_string_equal(s.out.close_reason, "并联审查已不能满足汇合条件，本环节无须再办");
}

/* A branch of two steps in series: the second opens when the first is approved, on the same
 * branch; a denial of the first fails the whole branch without opening the second. */
static void r_case_030_branch_in_series(void **state)
{
	yw_arena *a = *state;
	const char *p = PROC("s1",
		TASK("s1", "受理", "accept", "window_clerk", 1, "\"p1\"") ","
		SPLIT("p1", "\"b1\",\"b2\"") ","
		TASK("b1", "资料审查", "review", "approver", 2, "\"b3\"") ","
		TASK("b3", "资料复核", "review", "approver", 1, "\"j1\"") ","
		TASK_D("b2", "现场检查", "review", "approver", 5, XF_DEPT, "\"j1\"") ","
		JOIN("j1", "any", "\"s3\"") ","
		TASK("s3", "决定", "decide", "approver", 1, "\"end\"") "," END);
	sim s;
	start(&s, flow(a, p));
	assert_string_equal(after(&s, "s1", "done"), "b1,b2");
	assert_string_equal(after(&s, "b1", "approved"), "b3");
	assert_string_equal(opened(&s, "b3")->split_id, "p1");
	assert_int_equal(opened(&s, "b3")->limit_days, 1);
	assert_string_equal(after(&s, "b3", "approved"), "s3");   /* any: met, b2 not needed */
	assert_string_equal(s.closed, "b2");
	start(&s, flow(a, p));
	after(&s, "s1", "done");
	assert_string_equal(after(&s, "b1", "denied"), "");       /* b2 may still meet it */
	assert_string_equal(after(&s, "b2", "denied"), "s3");
	assert_true(s.out.failed);
	assert_int_equal(s.out.nclose, 0);
}

static void r_case_030_nested_split(void **state)
{
	yw_arena *a = *state;
	/* s1 → p1 [ b1 ‖ p2 [ c1 ‖ c2 ] j2 (all) → b3 ] j1 (all) → s3 */
	const char *p = PROC("s1",
		TASK("s1", "受理", "accept", "window_clerk", 1, "\"p1\"") ","
		SPLIT("p1", "\"b1\",\"p2\"") ","
		TASK("b1", "甲", "review", "approver", 3, "\"j1\"") ","
		SPLIT("p2", "\"c1\",\"c2\"") ","
		TASK_D("c1", "乙一", "review", "approver", 2, XF_DEPT, "\"j2\"") ","
		TASK("c2", "乙二", "review", "approver", 2, "\"j2\"") ","
		JOIN("j2", "all", "\"b3\"") ","
		TASK("b3", "乙汇总", "review", "approver", 1, "\"j1\"") ","
		JOIN("j1", "all", "\"s3\"") ","
		TASK("s3", "决定", "decide", "approver", 1, "\"end\"") "," END);
	sim s;
	start(&s, flow(a, p));
	assert_string_equal(after(&s, "s1", "done"), "b1,c1,c2");
	assert_string_equal(opened(&s, "b1")->split_id, "p1");
	assert_string_equal(opened(&s, "c1")->split_id, "p2");
	assert_string_equal(after(&s, "c1", "approved"), "");
	assert_string_equal(after(&s, "b1", "approved"), "");
	assert_string_equal(after(&s, "c2", "approved"), "b3");   /* the inner join met */
	assert_string_equal(opened(&s, "b3")->split_id, "p1");
	assert_string_equal(after(&s, "b3", "approved"), "s3");   /* then the outer */
	assert_false(s.out.failed);
	/* a denial in the inner split fails its branch, which fails the outer join under all */
	start(&s, flow(a, p));
	after(&s, "s1", "done");
	assert_string_equal(after(&s, "c2", "denied"), "s3");
	assert_string_equal(s.closed, "c1,b1");     /* the inner split's first, then the outer's */
	assert_true(s.out.failed);
}

static void r_case_032_missing_stages_filled(void **state)
{
	yw_arena *a = *state;
	/* starts with a split (no pre-review: the built-in one comes first), has make_license but
	 * neither decide nor deliver: _decide after the join, _deliver after 发照 */
	yw_case_flow *f = flow(a, PROC("p1",
		SPLIT("p1", "\"b1\",\"b2\"") ","
		TASK("b1", "设立登记", "review", "approver", 1, "\"j1\"") ","
		TASK("b2", "公章刻制", "review", "approver", 1, "\"j1\"") ","
		JOIN("j1", "all", "\"s3\"") ","
		TASK("s3", "发照", "make_license", "window_clerk", 0, "\"end\"") "," END));
	sim s;
	start(&s, f);
	assert_string_equal(s.opened, "_prereview");
	assert_int_equal(opened(&s, "_prereview")->limit_days, YW_CASE_PREREVIEW_DAYS);
	assert_string_equal(after(&s, "_prereview", "done"), "b1,b2");
	after(&s, "b1", "approved");
	assert_string_equal(after(&s, "b2", "approved"), "_decide");
	assert_string_equal(opened(&s, "_decide")->department_id, ITEM_DEPT);
	assert_string_equal(after(&s, "_decide", "done"), "s3");
	assert_int_equal(opened(&s, "s3")->limit_days, 0);
	assert_string_equal(after(&s, "s3", "done"), "_deliver");
	assert_string_equal(after(&s, "_deliver", "done"), "");

	/* only a pre-review step: everything after it is built in */
	f = flow(a, PROC("s1", TASK("s1", "受理", "accept", "window_clerk", 1, "\"end\"") "," END));
	start(&s, f);
	assert_string_equal(s.opened, "s1");
	assert_string_equal(after(&s, "s1", "done"), "_decide");
	assert_string_equal(after(&s, "_decide", "done"), "_result");
	assert_string_equal(after(&s, "_result", "done"), "_deliver");
	assert_string_equal(after(&s, "_deliver", "done"), "");
}

/* Every process of the demo region runs from pre-review to delivery when everyone approves,
 * opening one decide, one make_license and one deliver step (filled in where missing). The
 * loader resolves department_key to an id; here any plausible id does. */
static void r_case_030_demo_processes_run(void **state)
{
	yw_arena *a = *state;
	json_t *root = yw_arena_json(a, json_loads(yw_demo_items_json, 0, NULL));
	json_t *items = json_object_get(root, "items");
	assert_true(json_array_size(items) > 0);
	int nprocess = 0;
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *p = json_object_get(json_array_get(items, i), "process");
		if (!json_is_object(p))
			continue;
		p = yw_arena_json(a, json_deep_copy(p));
		json_t *steps = json_object_get(p, "steps");
		for (size_t k = 0; k < json_array_size(steps); k++) {
			json_t *st = json_array_get(steps, k);
			if (json_object_get(st, "department_key")) {
				json_object_del(st, "department_key");
				json_object_set_new(st, "department_id", json_string(XF_DEPT));
			}
		}
		yw_case_flow *f = NULL;
		const char *why = NULL;
		if (yw_case_flow_new(a, p, ITEM_DEPT, &f, &why))
			fail_msg("demo item %zu refused: %s", i, why ? why : "?");
		nprocess++;
		sim s;
		start(&s, f);
		int stages[3] = { 0, 0, 0 }, guard = 0;
		for (;;) {
			int t = s.n - 1;
			while (t >= 0 && strcmp(s.t[t].state, "open"))
				t--;
			if (t < 0)
				break;
			assert_true(++guard < 60);
			const char *id = s.t[t].step_id;
			after(&s, id, "approved");
			for (int o = 0; o < s.out.nopen; o++) {
				const char *stage = s.out.open[o].stage;
				stages[0] += !strcmp(stage, "decide");
				stages[1] += !strcmp(stage, "make_license");
				stages[2] += !strcmp(stage, "deliver");
			}
			assert_false(s.out.failed);
		}
		if (stages[0] != 1 || stages[1] != 1 || stages[2] != 1)
			fail_msg("demo item %zu: decide %d, make_license %d, deliver %d", i, stages[0],
			         stages[1], stages[2]);
	}
	assert_true(nprocess >= 10);
}

static void r_case_030_bad_process(void **state)
{
	yw_arena *a = *state;
	yw_case_flow *f = NULL;
	const char *why = NULL;
	/* a branch that never joins: refused as the catalog refuses it */
	json_t *p = yw_arena_json(a, json_loads(PROC("s1",
		TASK("s1", "受理", "accept", "window_clerk", 1, "\"p1\"") ","
		SPLIT("p1", "\"b1\",\"b2\"") ","
		TASK("b1", "甲", "review", "approver", 3, "\"end\"") ","
		TASK("b2", "乙", "review", "approver", 3, "\"end\"") "," END), 0, NULL));
	assert_non_null(p);
	assert_int_equal(yw_case_flow_new(a, p, ITEM_DEPT, &f, &why), YW_E_BAD_PROCESS);
	assert_non_null(why);
	assert_null(f);
	/* a step id that the built-in steps need */
	p = yw_arena_json(a, json_loads(PROC("s1",
		TASK("s1", "受理", "accept", "window_clerk", 1, "\"_decide\"") ","
		TASK("_decide", "审查", "review", "approver", 3, "\"end\"") "," END), 0, NULL));
	why = NULL;
	assert_int_equal(yw_case_flow_new(a, p, ITEM_DEPT, &f, &why), YW_E_BAD_PROCESS);
	assert_non_null(strstr(why, "_decide"));
	/* JSON null is no process: the built-in one */
	assert_int_equal(yw_case_flow_new(a, json_null(), ITEM_DEPT, &f, &why), YW_E_OK);
	assert_non_null(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(r_case_011_transition_matrix),
		cmocka_unit_test(r_case_011_who_may),
		cmocka_unit_test(r_case_011_special_next_states),
		cmocka_unit_test(r_case_010_states),
		cmocka_unit_test(r_case_001_serial),
		cmocka_unit_test(r_case_001_same_as_id_check),
		cmocka_unit_test(r_case_020_calendar_assumed),
		cmocka_unit_test(r_case_020_021_due),
		cmocka_unit_test(r_case_023_pause_across_holidays),
		cmocka_unit_test(r_case_024_extension),
		cmocka_unit_test(r_case_025_days_left_and_urgency),
		cmocka_unit_test(r_case_020_out_of_range),
		cmocka_unit_test_setup_teardown(r_case_032_builtin, arena_up, arena_down),
		cmocka_unit_test_setup_teardown(r_case_032_sequential_fills_make_license, arena_up, arena_down),
		cmocka_unit_test_setup_teardown(r_case_032_pre_review_run, arena_up, arena_down),
		cmocka_unit_test_setup_teardown(r_case_030_split_all, arena_up, arena_down),
		cmocka_unit_test_setup_teardown(r_case_031_denial_under_all, arena_up, arena_down),
		cmocka_unit_test_setup_teardown(r_case_030_any, arena_up, arena_down),
		cmocka_unit_test_setup_teardown(r_case_030_at_least_k, arena_up, arena_down),
		cmocka_unit_test_setup_teardown(r_case_030_branch_in_series, arena_up, arena_down),
		cmocka_unit_test_setup_teardown(r_case_030_nested_split, arena_up, arena_down),
		cmocka_unit_test_setup_teardown(r_case_032_missing_stages_filled, arena_up, arena_down),
		cmocka_unit_test_setup_teardown(r_case_030_demo_processes_run, arena_up, arena_down),
		cmocka_unit_test_setup_teardown(r_case_030_bad_process, arena_up, arena_down),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
