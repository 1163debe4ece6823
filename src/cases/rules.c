/*
 * The legal lifecycle of a case as data (cases.h R-CASE-010, R-CASE-011) and its serial number
 * (R-CASE-001). Pure: the API asks here whether a transition may be taken and where it leads,
 * and asks identity separately whether the caller holds the action the table names, so the one
 * table is what the handlers, the trail, the events and the tests all read.
 */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"

#define BIT(s) (1u << (s))

/* R-CASE-010: the API's word and the Chinese shown to people, by state. */
static const struct {
	const char *name, *zh;
} states[YW_CS__COUNT] = {
	[YW_CS_DRAFT] = { "draft", "草稿" },
	[YW_CS_SUBMITTED] = { "submitted", "已提交" },
	[YW_CS_PRE_REVIEW] = { "pre_review", "预审中" },
	[YW_CS_SUPPLEMENT] = { "supplement", "待补正" },
	[YW_CS_NOT_ACCEPTED] = { "not_accepted", "不予受理" },
	[YW_CS_ACCEPTED] = { "accepted", "已受理" },
	[YW_CS_REVIEW] = { "review", "审查中" },
	[YW_CS_SUSPENDED] = { "suspended", "中止" },
	[YW_CS_DECIDED] = { "decided", "已决定" },
	[YW_CS_RESULT_MADE] = { "result_made", "已制证" },
	[YW_CS_DELIVERED] = { "delivered", "已送达" },
	[YW_CS_COMPLETED] = { "completed", "办结" },
	[YW_CS_WITHDRAWN] = { "withdrawn", "已撤回" },
	[YW_CS_TERMINATED] = { "terminated", "已终止" },
};

/* The states a case is being worked in before the decision: where it may be withdrawn (the
 * applicant may still change their mind, 行政许可法 has no decision to undo yet). */
#define BEFORE_DECISION (BIT(YW_CS_SUBMITTED) | BIT(YW_CS_PRE_REVIEW) | BIT(YW_CS_SUPPLEMENT) | \
                         BIT(YW_CS_ACCEPTED) | BIT(YW_CS_REVIEW) | BIT(YW_CS_SUSPENDED))
/* Every state that is neither a draft (not yet a case: it is deleted, not terminated) nor final. */
#define LIVE (BEFORE_DECISION | BIT(YW_CS_DECIDED) | BIT(YW_CS_RESULT_MADE) | BIT(YW_CS_DELIVERED))
#define WORKING (BIT(YW_CS_ACCEPTED) | BIT(YW_CS_REVIEW))
#define INTAKE (BIT(YW_CS_SUBMITTED) | BIT(YW_CS_PRE_REVIEW))

/* R-CASE-011. Claiming is the clerk taking the case into pre-review: no event, department
 * systems learn of the outcome of pre-review, not who looks at it. */
static const yw_case_transition_def transitions[YW_CT__COUNT] = {
	[YW_CT_SUBMIT] = { "submit", "提交申请", YW_ACT_CASE_APPLY, YW_ACT__COUNT,
	                   BIT(YW_CS_DRAFT), YW_CS_SUBMITTED, "case.submitted" },
	[YW_CT_CLAIM] = { "claim", "开始预审", YW_ACT_CASE_ACCEPT, YW_ACT__COUNT,
	                  BIT(YW_CS_SUBMITTED), YW_CS_PRE_REVIEW, NULL },
	[YW_CT_ACCEPT] = { "accept", "受理", YW_ACT_CASE_ACCEPT, YW_ACT__COUNT,
	                   INTAKE, YW_CS_ACCEPTED, "case.accepted" },
	[YW_CT_REJECT] = { "reject", "不予受理", YW_ACT_CASE_ACCEPT, YW_ACT__COUNT,
	                   INTAKE, YW_CS_NOT_ACCEPTED, "case.not_accepted" },
	[YW_CT_REQUEST_SUPPLEMENT] = { "request_supplement", "一次性告知补正", YW_ACT_CASE_ACCEPT,
	                               YW_ACT__COUNT, INTAKE, YW_CS_SUPPLEMENT,
	                               "case.supplement_requested" },
	[YW_CT_RESUBMIT] = { "resubmit", "补正后重新提交", YW_ACT_CASE_APPLY, YW_ACT__COUNT,
	                     BIT(YW_CS_SUPPLEMENT), YW_CS_SUBMITTED, "case.resubmitted" },
	[YW_CT_REVIEW_TASK] = { "review_task", "办理审查环节", YW_ACT_CASE_REVIEW, YW_ACT__COUNT,
	                        WORKING, YW_CS_REVIEW, "case.task_done" },
	[YW_CT_SUSPEND] = { "suspend", "中止办理", YW_ACT_CASE_SPECIAL, YW_ACT__COUNT,
	                    WORKING, YW_CS_SUSPENDED, "case.suspended" },
	[YW_CT_RESUME] = { "resume", "恢复办理", YW_ACT_CASE_SPECIAL, YW_ACT__COUNT,
	                   BIT(YW_CS_SUSPENDED), YW_CS__COUNT, "case.resumed" },
	[YW_CT_EXTEND] = { "extend", "延长办理时限", YW_ACT_CASE_SPECIAL, YW_ACT__COUNT,
	                   WORKING | BIT(YW_CS_SUSPENDED), YW_CS__COUNT, "case.extended" },
	[YW_CT_DECIDE] = { "decide", "作出决定", YW_ACT_CASE_REVIEW, YW_ACT__COUNT,
	                   WORKING, YW_CS_DECIDED, "case.decided" },
	[YW_CT_MAKE_RESULT] = { "make_result", "制作办理结果", YW_ACT_CASE_RESULT, YW_ACT__COUNT,
	                        BIT(YW_CS_DECIDED), YW_CS_RESULT_MADE, "case.result_made" },
	[YW_CT_DELIVER] = { "deliver", "送达", YW_ACT_CASE_ACCEPT, YW_ACT__COUNT,
	                    BIT(YW_CS_RESULT_MADE), YW_CS_DELIVERED, "case.delivered" },
	[YW_CT_COMPLETE] = { "complete", "办结", YW_ACT_CASE_ACCEPT, YW_ACT_CASE_APPLY,
	                     BIT(YW_CS_DELIVERED), YW_CS_COMPLETED, "case.completed" },
	[YW_CT_WITHDRAW] = { "withdraw", "撤回申请", YW_ACT_CASE_APPLY, YW_ACT__COUNT,
	                     BEFORE_DECISION, YW_CS_WITHDRAWN, "case.withdrawn" },
	[YW_CT_TERMINATE] = { "terminate", "终止办理", YW_ACT_CASE_TERMINATE, YW_ACT__COUNT,
	                      LIVE, YW_CS_TERMINATED, "case.terminated" },
};

const char *yw_case_state_name(yw_case_state s)
{
	return (unsigned)s < YW_CS__COUNT ? states[s].name : "unknown";
}

const char *yw_case_state_zh(yw_case_state s)
{
	return (unsigned)s < YW_CS__COUNT ? states[s].zh : "未知";
}

bool yw_case_state_from_name(const char *name, yw_case_state *out)
{
	for (int s = 0; name && s < YW_CS__COUNT; s++)
		if (!strcmp(states[s].name, name)) {
			*out = (yw_case_state)s;
			return true;
		}
	return false;
}

bool yw_case_state_final(yw_case_state s)
{
	return s == YW_CS_NOT_ACCEPTED || s == YW_CS_COMPLETED || s == YW_CS_WITHDRAWN ||
	       s == YW_CS_TERMINATED;
}

const yw_case_transition_def *yw_case_transition_get(yw_case_transition t)
{
	return (unsigned)t < YW_CT__COUNT ? &transitions[t] : NULL;
}

bool yw_case_transition_from_name(const char *name, yw_case_transition *out)
{
	for (int t = 0; name && t < YW_CT__COUNT; t++)
		if (!strcmp(transitions[t].name, name)) {
			*out = (yw_case_transition)t;
			return true;
		}
	return false;
}

bool yw_case_can(yw_case_transition t, yw_case_state s)
{
	return (unsigned)t < YW_CT__COUNT && (unsigned)s < YW_CS__COUNT &&
	       (transitions[t].from & BIT(s));
}

yw_case_state yw_case_next_state(yw_case_transition t, yw_case_state s, yw_case_state before,
                                 int project_type)
{
	if (!yw_case_can(t, s))
		return YW_CS__COUNT;
	switch (t) {
	case YW_CT_ACCEPT:
		/* 即办件: accepted and decided on the spot, there is nothing to review. */
		return project_type == 1 ? YW_CS_DECIDED : YW_CS_ACCEPTED;
	case YW_CT_RESUME:
		/* Back to where the suspension interrupted, which can only have been a state suspend
		 * is taken from: anything else is a corrupt record, not a place to resume to. */
		return yw_case_can(YW_CT_SUSPEND, before) ? before : YW_CS__COUNT;
	case YW_CT_EXTEND:
		return s;
	default:
		return transitions[t].to;
	}
}

/* ---- serial numbers (R-CASE-001) ---------------------------------------------------------- */

/* ISO 7064 MOD 11-2 over any number of digits: each step doubles what came before, so digit i
 * (from 0) of n is weighted 2^(n-i) mod 11, the citizen ID's weights when n is 17. */
static char mod11_2(const char *digits, size_t n)
{
	int p = 0;
	for (size_t i = 0; i < n; i++)
		p = ((p + (digits[i] - '0')) * 2) % 11;
	int c = (12 - p) % 11;
	return c == 10 ? 'X' : (char)('0' + c);
}

bool yw_case_serial_make(const char *division_code, int ymd, long long seq,
                         char out[YW_CASE_SERIAL_LEN + 1])
{
	size_t n = division_code ? strlen(division_code) : 0;
	if ((n != 6 && n != 9) || !yw_str_all_digits(division_code, n))
		return false;
	if (!yw_date_valid(yw_case_date(ymd)) || ymd < 10000000 || ymd > 99991231)
		return false;
	if (seq < 1 || seq > 999999)
		return false;
	/* A township's department numbers its cases in its county's series: the first six digits
	 * of a 9-digit township code are its county. */
	char digits[21];
	snprintf(digits, sizeof digits, "%.6s%08d%06lld", division_code, ymd, seq);
	snprintf(out, YW_CASE_SERIAL_LEN + 1, "%.6s-%.8s-%.6s-%c", digits, digits + 6, digits + 14,
	         mod11_2(digits, 20));
	return true;
}

bool yw_case_serial_read(const char *s, char out[YW_CASE_SERIAL_LEN + 1])
{
	if (!yw_case_serial_ok(s))
		return false;
	memcpy(out, s, YW_CASE_SERIAL_LEN + 1);
	if (out[YW_CASE_SERIAL_LEN - 1] == 'x')
		out[YW_CASE_SERIAL_LEN - 1] = 'X';
	return true;
}

bool yw_case_serial_ok(const char *s)
{
	if (!s || strlen(s) != YW_CASE_SERIAL_LEN || s[6] != '-' || s[15] != '-' || s[22] != '-')
		return false;
	char digits[20];
	memcpy(digits, s, 6);
	memcpy(digits + 6, s + 7, 8);
	memcpy(digits + 14, s + 16, 6);
	if (!yw_str_all_digits(digits, sizeof digits))
		return false;
	char c = s[23] == 'x' ? 'X' : s[23];
	return c == mod11_2(digits, sizeof digits);
}
