/*
 * cases — applications (办件) and their handling: an applicant applies once, online or at a
 * window, and departments take the case through its legal lifecycle, in parallel where the
 * item's process says so, within limits counted in working days. docs/cases.md is the account.
 *
 * It owns the tables cases, case_tasks, case_trail, case_materials, case_serials and
 * case_idempotency (013). The item an application is filed against is asked of the catalog
 * (yw_catalog_published), the applicant of identity (yw_identity_applicant), the files of
 * materials (yw_materials_*), the working days of ref (yw_workdays_add, yw_workdays_between),
 * who may do what of identity (yw_authz with the case.* actions of roles.def), and events for
 * department systems go out through events (yw_events_emit) in the same write as the change.
 *
 * Data flows: a draft is saved as the applicant fills the form; submitting checks the form
 * against the item's version and the required materials, gives the case its serial number and
 * opens the first task (pre-review) in one write with its trail entry, its audit entry and the
 * case.submitted event. Every later transition is one write too: it loads the case, checks the
 * state (409 from any other) and the caller's right (yw_authz on the case, or on the task's
 * department for a parallel branch), moves the state with the case's version as a guard, closes
 * and opens tasks as the process says (flow.c), recomputes the due days, and appends trail,
 * audit and event. The staff inbox is a read of open tasks in the caller's reach, earliest due
 * first, which is the most urgent first.
 *
 * The pure parts below (rules.c: states, transitions, serial numbers; limits.c: the clock;
 * flow.c: the process executed as tasks) carry the rule ids R-CASE-nnn that docs/cases.md and
 * tests/unit/test_cases.c cite.
 */
#ifndef YW_CASES_H
#define YW_CASES_H

#include "base/base.h"
#include "identity/identity.h"

struct yw_router;
void yw_cases_routes(struct yw_router *rt);

/* ---- states and transitions (rules.c) -------------------------------------------------- */

/* R-CASE-010: the states of a case. */
typedef enum {
	YW_CS_DRAFT,          /* 草稿: being filled, not yet a case */
	YW_CS_SUBMITTED,      /* 已提交: waiting for pre-review */
	YW_CS_PRE_REVIEW,     /* 预审中 */
	YW_CS_SUPPLEMENT,     /* 待补正: the applicant has the one complete list of what is missing */
	YW_CS_NOT_ACCEPTED,   /* 不予受理 (final) */
	YW_CS_ACCEPTED,       /* 已受理: the limit runs */
	YW_CS_REVIEW,         /* 审查中 */
	YW_CS_SUSPENDED,      /* 中止: the clock is paused */
	YW_CS_DECIDED,        /* 已决定 (approve or deny) */
	YW_CS_RESULT_MADE,    /* 已制证: the result (license or decision document) is ready */
	YW_CS_DELIVERED,      /* 已送达 */
	YW_CS_COMPLETED,      /* 办结 (final) */
	YW_CS_WITHDRAWN,      /* 已撤回 (final) */
	YW_CS_TERMINATED,     /* 已终止 (final) */
	YW_CS__COUNT
} yw_case_state;

const char *yw_case_state_name(yw_case_state s);      /* "pre_review" */
const char *yw_case_state_zh(yw_case_state s);        /* "预审中" */
bool yw_case_state_from_name(const char *name, yw_case_state *out);
bool yw_case_state_final(yw_case_state s);            /* not_accepted, completed, withdrawn, terminated */

/* R-CASE-011: the transitions, each with the action of roles.def that allows it. */
typedef enum {
	YW_CT_SUBMIT,               /* draft → submitted                      case.apply  */
	YW_CT_CLAIM,                /* submitted → pre_review                 case.accept */
	YW_CT_ACCEPT,               /* submitted, pre_review → accepted (即办件: → decided, approved) */
	YW_CT_REJECT,               /* submitted, pre_review → not_accepted   case.accept */
	YW_CT_REQUEST_SUPPLEMENT,   /* submitted, pre_review → supplement     case.accept */
	YW_CT_RESUBMIT,             /* supplement → submitted                 case.apply  */
	YW_CT_REVIEW_TASK,          /* accepted, review → review (a review task or branch done) case.review */
	YW_CT_SUSPEND,              /* accepted, review → suspended           case.special */
	YW_CT_RESUME,               /* suspended → the state before           case.special */
	YW_CT_EXTEND,               /* accepted, review, suspended → the same case.special */
	YW_CT_DECIDE,               /* accepted, review → decided             case.review */
	YW_CT_MAKE_RESULT,          /* decided → result_made                  case.review */
	YW_CT_DELIVER,              /* result_made → delivered                case.accept */
	YW_CT_COMPLETE,             /* delivered → completed                  case.accept, or case.apply (the applicant confirms receipt) */
	YW_CT_WITHDRAW,             /* submitted … suspended (before the decision) → withdrawn  case.apply */
	YW_CT_TERMINATE,            /* any state not final and not draft → terminated  case.terminate */
	YW_CT__COUNT
} yw_case_transition;

typedef struct {
	const char *name;           /* "request_supplement": the API's and the trail's word */
	const char *zh;             /* "一次性告知补正" */
	yw_action action;           /* who may: the action yw_authz is asked */
	yw_action alt_action;       /* a second action that also allows it, or YW_ACT__COUNT */
	unsigned from;              /* bit (1u << state) for each state it may be taken from */
	yw_case_state to;           /* YW_CS__COUNT: stays (extend) or returns (resume) */
	const char *event;          /* the event type for department systems, or NULL */
} yw_case_transition_def;

const yw_case_transition_def *yw_case_transition_get(yw_case_transition t);
bool yw_case_transition_from_name(const char *name, yw_case_transition *out);
/* Whether t may be taken from s. */
bool yw_case_can(yw_case_transition t, yw_case_state s);
/* The state t leads to from s: `to`, except ACCEPT of a 即办件 (project_type 1) → DECIDED,
 * RESUME → before (the state the suspension interrupted), EXTEND → s. YW_CS__COUNT when t may
 * not be taken from s. */
yw_case_state yw_case_next_state(yw_case_transition t, yw_case_state s, yw_case_state before,
                                 int project_type);

/* ---- serial numbers (rules.c) ---------------------------------------------------------- */
/*
 * R-CASE-001: the 办件编号 is DDDDDD-YYYYMMDD-NNNNNN-C, 24 characters: the county-level
 * division of the implementing department (a township's department gives its county's code),
 * the day of submission in China Standard Time, the sequence of that division's day from 000001
 * (case_serials), and a check character over the 20 digits by ISO 7064 MOD 11-2 (as in the
 * citizen ID: 0–9 or X), so that a mistyped digit in a progress query is told apart from a
 * case that does not exist.
 */
#define YW_CASE_SERIAL_LEN 24
/* false when a part is out of range (division not 6 or 9 digits, seq outside 1–999999). */
bool yw_case_serial_make(const char *division_code, int ymd, long long seq,
                         char out[YW_CASE_SERIAL_LEN + 1]);
/* Shape and check character; upper or lower case x accepted. */
bool yw_case_serial_ok(const char *s);
/* A serial as a person types it (trimmed): as stored — the check character x upper-case — in out,
 * when yw_case_serial_ok; false otherwise. */
bool yw_case_serial_read(const char *s, char out[YW_CASE_SERIAL_LEN + 1]);

/* ---- the clock (limits.c) ---------------------------------------------------------------- */
/*
 * Days are civil dates in China Standard Time as yyyymmdd integers (20261130); 0 means none.
 * R-CASE-020: a limit of n working days started on day s is due on the n-th working day after s
 *             (s itself never counts: 行政许可法 Art. 82), yw_workdays_add.
 * R-CASE-021: the case's limit is the promised limit of the item's version when it has one, else
 *             the statutory; it starts on the day of acceptance.
 * R-CASE-022: pre-review has 5 working days from submission (or resubmission) (行政许可法
 *             Art. 32: 五日内一次告知); making the result and delivering it 10 working days from
 *             the decision (Art. 44).
 * R-CASE-023: a pause (supplement, suspension) from day p to day q does not count the working
 *             days in (p, q]; they are added to the limit, so due = add(start, limit + extension +
 *             paused). While paused there is no due day: the days left are frozen.
 * R-CASE-024: an approved extension adds its working days once per case (1–30).
 * R-CASE-025: urgency: red when overdue (today after the due day), yellow when 2 or fewer working
 *             days are left (the due day itself included), green otherwise; none without a due
 *             day. So earliest due first is most urgent first.
 * Every task (a step, a parallel branch) has a clock of its own by the same rules.
 */
#define YW_CASE_PREREVIEW_DAYS 5
#define YW_CASE_RESULT_DAYS 10
#define YW_CASE_YELLOW_DAYS 2
#define YW_CASE_MAX_EXTENSION 30

int yw_case_ymd(yw_date d);
yw_date yw_case_date(int ymd);
int yw_case_today(void);                     /* today in China Standard Time */

typedef struct {
	int limit_days;          /* -1: no limit */
	int extension_days;
	int paused_workdays;     /* working days paused so far, pauses that ended */
	int started_on;          /* the day the clock started; 0: not started */
	int paused_since;        /* the day the running pause began; 0: not paused */
} yw_case_clock;

/* The due day into *due_on (0 when there is no limit, the clock has not started or is paused).
 * CALENDAR_OUT_OF_RANGE when the calendar does not reach it yet (the caller keeps 0 and says so). */
yw_err yw_case_clock_due(const yw_case_clock *c, int *due_on);
/* Start a pause on day today (no-op when one runs). */
void yw_case_clock_pause(yw_case_clock *c, int today);
/* End the running pause on day today: its working days are added to paused_workdays. */
yw_err yw_case_clock_resume(yw_case_clock *c, int today);
/* Working days left on day today before due_on: > 0 left, 0 due today, < 0 overdue by that many
 * working days. */
yw_err yw_case_days_left(int due_on, int today, int *left);

typedef enum { YW_URG_NONE, YW_URG_GREEN, YW_URG_YELLOW, YW_URG_RED } yw_case_urgency;
yw_case_urgency yw_case_urgency_of(bool has_due, int days_left);
const char *yw_case_urgency_name(yw_case_urgency u);   /* "none", "green", "yellow", "red" */

/* ---- the process executed as tasks (flow.c) ---------------------------------------------- */
/*
 * R-CASE-030: the item's process (catalog, checked by yw_cat_process_check) is run as tasks:
 * reaching a task step opens a task for its role in its department (the item's department when
 * the step names none) with its own limit; a split opens all its branches at once (并联审批); a
 * join waits by its rule (all / any / at least k).
 * R-CASE-031: a branch denied under "all", or denials that leave fewer than k (at least k) or none
 * (any) possible, fail the join at once: the other open branches of that split are closed with a
 * recorded reason, and the flow goes on past the join with the failure recorded for the decision.
 * R-CASE-032: steps of stage pre_review and accept at the start are the pre-review: one task
 * (the first of them); accepting passes all of them. An item without a process runs the built-in
 * one: pre-review (window_clerk) → review (approver, the case's limit) → decide (approver).
 * Stages the process does not have are filled in after the last step: decide (approver),
 * make_license (approver, 10 days), deliver (window_clerk, 10 days).
 */
typedef struct {
	const char *id;             /* the process step's id; built-in steps: "_prereview", "_review", "_decide", "_result", "_deliver" */
	const char *name;           /* "消防安全审查" */
	const char *stage;          /* "pre_review", "review", "decide", "make_license", "deliver" */
	const char *role;           /* "approver" */
	const char *department_id;  /* the step's department, else the item's */
	int limit_days;             /* -1: the case's clock alone */
	const char *split_id;       /* the split whose branch this step is on, or NULL */
} yw_case_step;

typedef struct yw_case_flow yw_case_flow;
/* The process (NULL: the built-in one) of an item of department item_dept, in the arena.
 * BAD_PROCESS (*why) when it is not one yw_cat_process_check accepts. */
yw_err yw_case_flow_new(yw_arena *a, json_t *process, const char *item_dept, yw_case_flow **out,
                        const char **why);

/* A task of the case as the flow needs to know it. state: "open", "approved", "denied",
 * "closed" (ended without a verdict), "done" (a pre-review, decide, result or deliver task). */
typedef struct {
	const char *step_id;
	const char *state;
} yw_case_task_ref;

#define YW_CASE_FLOW_MAX 32
typedef struct {
	int nopen;
	yw_case_step open[YW_CASE_FLOW_MAX];   /* tasks to open now */
	int nclose;
	const char *close[YW_CASE_FLOW_MAX];   /* step ids of open tasks to close (a failed join's branches) */
	const char *close_reason;              /* Chinese, recorded on each */
	bool failed;                           /* a join failed on the way (R-CASE-031) */
	bool reached_stage;                    /* the flow reached `stage` of the call below */
} yw_case_flow_step;

/* R-CASE-033: whether the review before the decision failed: a review step of the main line
 * denied, or a parallel split whose join can no longer be met. The decision is then a denial. */
bool yw_case_flow_failed(const yw_case_flow *f, const yw_case_task_ref *tasks, int ntasks);
/* The first task: the pre-review step (R-CASE-032). */
yw_err yw_case_flow_start(const yw_case_flow *f, yw_case_flow_step *out);
/* After step_id ended with passed (approved, done) or not (denied), given all tasks of the case
 * (including step_id's, already ended): what to open and what to close. Opening stops at a step
 * of a stage that a transition rather than a task verdict ends (decide, make_license, deliver):
 * such a step is returned in open like any other. */
yw_err yw_case_flow_after(const yw_case_flow *f, const yw_case_task_ref *tasks, int ntasks,
                          const char *step_id, bool passed, yw_case_flow_step *out);

/* ---- notices (notice.c) ------------------------------------------------------------------- */
/*
 * R-CASE-040: the notices a department gives the applicant, as PDF made here with cairo and pango
 * in Noto CJK: 受理通知书, 不予受理决定书, 补正材料通知书 (the one complete list), 准予许可决定书,
 * 不予许可决定书. Each carries the department, the serial number, the date, the applicant's name,
 * what was decided and why, and a QR code of the public progress page.
 */
typedef enum {
	YW_NOTICE_ACCEPT,           /* "accept"      受理通知书 */
	YW_NOTICE_REJECT,           /* "reject"      不予受理决定书 */
	YW_NOTICE_SUPPLEMENT,       /* "supplement"  补正材料通知书 */
	YW_NOTICE_APPROVE,          /* "approve"     准予许可决定书 */
	YW_NOTICE_DENY,             /* "deny"        不予许可决定书 */
	YW_NOTICE__COUNT
} yw_notice_kind;

const char *yw_notice_kind_name(yw_notice_kind k);
const char *yw_notice_kind_title(yw_notice_kind k);   /* "受理通知书" */
bool yw_notice_kind_from_name(const char *name, yw_notice_kind *out);

typedef struct {
	yw_notice_kind kind;
	const char *department;     /* 宿州市市场监督管理局 */
	const char *serial;
	const char *date;           /* the day of the act, "2026年11月30日" is made from "2026-11-30" */
	const char *applicant;      /* the applicant's name */
	const char *item_name;
	const char *reason;         /* reject, deny: the reasons; NULL otherwise */
	const char *legal_basis;    /* reject, deny, approve: NULL when none */
	const char *const *missing; /* supplement: the one complete list */
	int nmissing;
	const char *due;            /* accept: the promised due day "2026-12-28", or NULL */
	bool not_licence;           /* approve, deny: the item is not a 行政许可 (a 行政确认, a public
	                             * service …): 准予/不予办理, not 许可 */
	const char *progress_url;   /* encoded in the QR code */
} yw_notice;
/* The title of this notice: the kind's, but 准予/不予办理决定书 for an item that is no licence. */
const char *yw_notice_title(const yw_notice *n);

/* The PDF into the arena (*len its size). INTERNAL when cairo fails. */
yw_err yw_notice_pdf(yw_arena *a, const yw_notice *n, const char **pdf, size_t *len);
/* At process exit, after the threads that made notices have ended: releases the font caches
 * (fontconfig, pango, cairo) so that the leak checker sees a clean exit. */
void yw_notice_shutdown(void);

/* ---- loaders: synthetic cases in bulk (load.c; `yiwang demo --cases N`) ---------------------- */
/*
 * Tops the demo's cases (filed_by "system:demo") up to n, filed against the published items
 * named (the others are passed over), as the module's transitions would have left them: 80%
 * completed, 6% submitted (pre-review open), 10% accepted or in review (the review tasks open,
 * one per branch of a split), 3% waiting for a supplement, 1% suspended; submitted over the last
 * 12 months (the open ones in the last 40 days) within the calendar; 70% online. Applicants are
 * synthetic ("演示申请人<k>", no person in identity). Writes of 2,000 cases, each with one audit
 * entry "case.load" by actor. The same seed gives the same cases. *made: written now, *had: there
 * before; *why (Chinese) says what failed; progress (may be NULL) once per write.
 */
struct yw_store;
yw_err yw_cases_load(struct yw_store *st, yw_arena *a, const char *const *item_codes, int nitems,
                     long long n, unsigned seed, const char *actor,
                     void (*progress)(long long done, long long total), long long *made,
                     long long *had, const char **why);
/* R-CASE-026 (catchup.c): at the server's start, the due days of running cases and open tasks
 * that the calendar could not count when they were set, and can now; *updated says how many
 * cases were written. */
yw_err yw_cases_catch_up_clocks(struct yw_store *st, int *updated);

/* The state drawn for the demo's case k (pure; tests/unit/test_cases_load.c). */
yw_case_state yw_cases_load_state(unsigned seed, long long k);

#endif
