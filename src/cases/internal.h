/*
 * What the files of the cases module share (not for other modules): the case and task as
 * loaded from the 013 tables (db.c), the request helpers and the common end of every change
 * (case.c), and the route handlers registered in routes of case.c.
 *
 * A change is one write: change.c's yw_case_change loads the case and its tasks inside the
 * transaction, checks the version the handler saw, lets the handler's mutate callback change
 * them in memory, then writes the case (guarded by its version), the tasks, the trail entry,
 * the audit entry and the event. Ids the callback needs are made before the write (ids[]).
 */
#ifndef YW_CASES_INTERNAL_H
#define YW_CASES_INTERNAL_H

#include "cases/cases.h"
#include "catalog/catalog.h"
#include "http/http.h"
#include "identity/identity.h"
#include "store/store.h"

typedef struct {
	const char *id, *serial, *parent_id, *theme_id, *item_code;
	long long item_version;
	const char *item_name, *department_id, *division_code;
	const char *applicant_kind, *applicant_id, *applicant_name, *filed_by, *channel;
	yw_case_state state, state_before;   /* state_before YW_CS__COUNT: none */
	json_t *form, *delivery, *supplement, *delivery_record;   /* arena-owned, may be NULL */
	const char *name_hash, *phone4_hash;
	int project_type;
	int limit_days;                      /* -1: none */
	int extension_days, paused_workdays, paused_since;
	const char *pause_kind;
	int submitted_on, accepted_on, due_on;
	const char *decision, *decision_reasons, *decision_basis, *close_reason;
	yw_ms created_at, updated_at, submitted_at, decided_at, closed_at;
	long long version;
} yw_case_row;

typedef struct {
	const char *id, *case_id, *step_id, *name, *stage, *role, *department_id, *division_code;
	const char *split_id, *state;
	int limit_days;                      /* -1: the case's due */
	int started_on, due_on, paused_workdays;
	const char *outcome_by, *outcome_reason;
	yw_ms created_at, closed_at;
	bool is_new, dirty;                  /* for yw_case_change */
} yw_case_task_row;

#define YW_CASE_MAX_TASKS 128

typedef struct {
	int slot;
	const char *material_id;
} yw_case_mat;

/* ---- db.c ---------------------------------------------------------------------------------- */
yw_err yw_casedb_load(yw_db *db, yw_arena *a, const char *id, yw_case_row *out);
yw_err yw_casedb_by_serial(yw_db *db, yw_arena *a, const char *serial, yw_case_row *out);
yw_err yw_casedb_insert(yw_db *tx, yw_arena *a, const yw_case_row *c);
/* The whole row, only when its version is still old_version: *changed 0 means someone else won. */
yw_err yw_casedb_update(yw_db *tx, yw_arena *a, const yw_case_row *c, long long old_version,
                        long long *changed);
/* Lock a draft or a case waiting for supplement for the rest of the write (PostgreSQL: the row
 * lock), moving its version on when one is given (version -1: any version, and it stays, so that
 * an upload into a slot does not make the applicant's open form stale); *changed 0 when the case
 * is no longer at that version or in those states. */
yw_err yw_casedb_touch_open(yw_db *tx, const char *id, long long version, yw_ms now,
                            long long *changed);
yw_err yw_casedb_delete(yw_db *tx, const char *id);
/* Hold the case's row for the rest of the write (PostgreSQL: its row lock; SQLite's one writer
 * holds every row already), so that what is read after sees every change committed before. */
yw_err yw_casedb_lock(yw_db *tx, const char *id);
yw_err yw_casedb_tasks(yw_db *db, yw_arena *a, const char *case_id, yw_case_task_row **out, int *n);
yw_err yw_casedb_task_insert(yw_db *tx, const yw_case_task_row *t, const yw_case_row *c);
yw_err yw_casedb_task_update(yw_db *tx, const yw_case_task_row *t);
/* Copy the case's state (and item, channel, submitted_at) onto its open tasks. */
yw_err yw_casedb_tasks_sync(yw_db *tx, const yw_case_row *c);
yw_err yw_casedb_trail_add(yw_db *tx, const char *case_id, yw_ms at, const char *actor,
                           const char *action, const char *from, const char *to,
                           const char *task_id, const char *note);
yw_err yw_casedb_trail(yw_db *db, yw_arena *a, const char *case_id, yw_rows **out);
yw_err yw_casedb_materials(yw_db *db, yw_arena *a, const char *case_id, yw_case_mat **out, int *n);
yw_err yw_casedb_materials_set(yw_db *tx, const char *case_id, const yw_case_mat *m, int n);
yw_err yw_casedb_materials_add(yw_db *tx, const char *case_id, const yw_case_mat *m, int n);
yw_err yw_casedb_material_add(yw_db *tx, const char *case_id, int slot, const char *material_id);
bool yw_casedb_has_material(yw_db *db, yw_arena *a, const char *case_id, const char *material_id);
/* The next serial sequence of a division's day (1, 2, …), inside the write. */
yw_err yw_casedb_serial_next(yw_db *tx, yw_arena *a, const char *division, int day, long long *seq);
yw_err yw_casedb_idem_get(yw_db *db, yw_arena *a, const char *caller, const char *key,
                          const char **hash, const char **case_id);
yw_err yw_casedb_idem_put(yw_db *tx, const char *caller, const char *key, const char *hash,
                          const char *case_id, yw_ms now, long long *changed);

/* ---- case.c: shared helpers ------------------------------------------------------------------ */
const char *yw_case_id_new(yw_arena *a, const char *prefix);   /* "c_…", "t_…" */
yw_object yw_case_object(const yw_case_row *c);
/* The case of the path for a caller who may at least read it: UNAUTHENTICATED, NOT_FOUND (a
 * missing case and one the caller may not read answer alike). tasks may be NULL. */
yw_err yw_case_path(yw_req *r, yw_case_row *c, yw_case_task_row **tasks, int *ntasks);
bool yw_case_readable(yw_req *r, const yw_case_row *c, const yw_case_task_row *t, int nt);
/* The first open review task, which a decision must wait for (CASE_TASKS_OPEN); NULL when none. */
const yw_case_task_row *yw_case_open_review(const yw_case_task_row *t, int nt);
/* The body's optional "version" against the case's (optimistic concurrency): 400 when it is not
 * an integer, 409 CASE_STALE when another change came first. */
yw_err yw_case_version_check(yw_req *r, json_t *body, const yw_case_row *c);
/* Whether the body names the version it saw. */
bool yw_case_version_given(json_t *body);
/* Whether the caller may take transition t on c now, rights only (not the state). */
bool yw_case_may(yw_req *r, const yw_case_row *c, yw_case_transition t);
/* R-CASE-012: for a transition that ends a step, whether the caller holds the open step's role
 * with the transition's action (over the case's department or the step's); yw_case_may for the
 * others. */
bool yw_case_may_task(yw_req *r, const yw_case_row *c, const yw_case_task_row *t, int nt,
                      yw_case_transition tr);
/* Whether the caller may pass or fail review task t: t's role with case.review in t's department. */
bool yw_case_may_review(yw_req *r, const yw_case_row *c, const yw_case_task_row *t);
/* Whether the caller may end task t with action a: t's role, over c's or t's department. */
bool yw_case_may_step(yw_req *r, const yw_case_row *c, const yw_case_task_row *t, yw_action a);
/* The case's due day and each open task's, from their clocks (R-CASE-020..025). *calendar_out
 * when a due day runs past the calendar (then stored NULL). */
void yw_case_recompute(yw_case_row *c, yw_case_task_row *t, int nt, bool *calendar_out);
json_t *yw_case_json(yw_req *r, const yw_case_row *c, const yw_case_task_row *t, int nt);
json_t *yw_case_brief(yw_req *r, const yw_case_row *c, bool staff);
const char *yw_case_actor(yw_req *r, const yw_case_row *c);
const char *yw_case_day_str(yw_arena *a, int ymd);   /* "2026-11-30", NULL for 0 */
json_t *yw_case_str_json(const char *s);             /* a string, or null for NULL */
const char *yw_case_department_name(yw_req *r, const char *id);
void yw_case_row_from(yw_arena *a, yw_rows *rows, int i, int col, yw_case_row *c);
extern const char *const yw_case_cols;   /* the SELECT list yw_case_row_from reads */

/* One change of a case as one write (see the top of this file). */
typedef struct yw_case_change yw_case_change;
typedef yw_err (*yw_case_mutate_fn)(yw_case_change *ch);
struct yw_case_change {
	yw_arena *a;
	const char *case_id;
	long long version;             /* the version the handler saw */
	const char *actor;
	const char *action;            /* the trail's and audit's word: "accept" (audit "case.accept") */
	const char *event;             /* event type or NULL */
	const char *event2;            /* a second event of the same step, or NULL */
	yw_ms now;
	int today;
	const char *ids[YW_CASE_FLOW_MAX + 8];   /* fresh task ids */
	int nids_used;
	yw_case_mutate_fn mutate;
	void *arg;
	struct { const char *id, *division; } depts[24];   /* task departments, resolved before */
	int ndepts;
	const yw_case_row *insert;     /* a new case (version 0): inserted rather than updated */
	bool set_mats;                 /* replace the case's materials with mats */
	const yw_case_mat *mats;
	int nmats;
	bool no_trail;                 /* a draft saved: audited, not a step of the case's history */
	bool any_version;              /* the client gave no version: the step applies to the case as
	                                * the write finds it (mutate asks its state again) */
	bool lock_first;               /* yw_case_changes_run: its row held before any change runs */
	const char *idem_caller, *idem_key, *idem_hash;   /* remember the submission by its key */
	bool idem_lost;                /* a twin with the same key committed first */
	/* inside the write */
	yw_db *tx;
	yw_case_row c;
	yw_case_task_row *tasks;
	int ntasks;
	yw_case_state from;
	const char *task_id, *note;    /* for the trail */
	json_t *event_extra;           /* extra members of the event's data (borrowed) */
	/* results */
	const char *detail;
	bool calendar_out;
};
void yw_case_change_init(yw_case_change *ch, yw_req *r, const yw_case_row *c, const char *action);
yw_err yw_case_change_run(yw_req *r, yw_case_change *ch);
/* The same write outside a request (catchup.c): the error as it is, no problem recorded. */
yw_err yw_case_change_store(yw_store *st, yw_case_change *ch);
/* The changes in one write, in order; any refusal undoes them all and is answered as
 * yw_case_change_run answers its one (YW_E_CONFLICT bare when an Idempotency-Key's twin won). */
yw_err yw_case_changes_run(yw_req *r, yw_case_change **list, int n);
/* Inside mutate: add a task for a flow step (started today, due from its clock). */
yw_case_task_row *yw_case_task_open(yw_case_change *ch, const yw_case_step *s);
/* Inside mutate: end an open task. */
void yw_case_task_end(yw_case_change *ch, yw_case_task_row *t, const char *state, const char *reason);
/* Inside mutate: after task t ended, run the flow on (open what follows, close a failed join's
 * branches). flow may be NULL when the item has no process. */
yw_err yw_case_flow_advance(yw_case_change *ch, const yw_case_flow *f, yw_case_task_row *t,
                            bool passed, bool *failed);
/* Inside a write, after a theme's child changed: the parent's state and due day (R-CASE-062). */
yw_err yw_case_theme_sync(yw_db *tx, yw_arena *a, const yw_case_row *child, yw_ms now);
/* Inside mutate: R-CASE-033 on the change's tasks (true also when memory runs out: the approval
 * it guards is refused rather than let through). */
bool yw_case_review_failed(const yw_case_change *ch, const yw_case_flow *f);

/* Outside the write: the case's item version and its flow, and the divisions of the departments
 * its steps name (into ch, when not NULL), so that tasks can be opened inside the write.
 * Records a problem on r when it fails. */
yw_err yw_case_flow_of(yw_req *r, yw_case_change *ch, const yw_case_row *c, yw_cat_published *item,
                       yw_case_flow **f);

/* apply.c: what a submission (or a resubmission) must satisfy; the problem recorded on r. */
yw_err yw_case_submit_check(yw_req *r, const yw_case_row *c, const yw_cat_published *item,
                            const yw_case_mat *m, int n);

/* apply.c: a submission prepared outside the write (the checks, the item's flow, the applicant's
 * lookup hashes, also set on c); ch then submits c when it runs. */
yw_err yw_case_submit_prepare(yw_req *r, yw_case_change *ch, yw_case_row *c, const yw_case_mat *m,
                              int nm);
/* Inside mutate: the case's serial (its division's day sequence), state submitted. */
yw_err yw_case_submit_stamp(yw_case_change *ch);
/* apply.c: Idempotency-Key and the answers, shared with theme.c. */
const char *yw_case_idem_key(yw_req *r, bool *bad);
const char *yw_case_idem_caller(yw_req *r);
const char *yw_case_body_hash(yw_req *r, const char *prefix);
yw_err yw_case_idem_replay(yw_req *r, const char *key, const char *hash, bool *done);
yw_err yw_case_reply(yw_req *r, int status, const char *id);
/* The same answer for a change just written, made from the change itself (no read back). */
yw_err yw_case_reply_change(yw_req *r, int status, const yw_case_change *ch);
/* The form and delivery members of a body, shape only (delivery NULL when absent or null). */
yw_err yw_case_read_form_delivery(yw_req *r, json_t *body, json_t **form, json_t **delivery);
/* case.c: a change applied inside a write that is already open (a theme's cases in one write). */

/* theme.c: a theme's parent case (theme_id set, no parent) is seen through its children: its
 * state is the least advanced child's. For any other case NULL; else the children's briefs and
 * *view, a copy of c with that state. */
bool yw_case_is_theme_parent(const yw_case_row *c);
json_t *yw_case_theme_view(yw_req *r, const yw_case_row *c, yw_case_row *view);
/* A theme parent's children, in the theme's order (the request's snapshot). */
yw_err yw_case_theme_children(yw_req *r, const char *id, yw_case_row **out, int *n);
/* work.c, R-CASE-065: whether the caller may withdraw the theme as a whole now. */
bool yw_case_theme_may_withdraw(yw_req *r, const yw_case_row *parent);
/* For public progress: the children as {serial, item_name, department, state, state_name}, and
 * c's state set from them; NULL when c is not a theme's parent. */
json_t *yw_case_theme_public(yw_req *r, yw_case_row *c);

/* pii.c (R-CASE-050): the personal numbers of a form (its id_number and mobile fields, per the
 * definition def) and of a delivery (its phone: def from yw_case_delivery_def) are sealed at rest.
 * seal: values as they are to be stored, a copy in the arena (NULL when out of memory); with
 * stored (the values stored now), a value equal to the mask of the stored one keeps it (a clerk's
 * reloaded draft sends the masks back). show: the stored values as the caller may see them, in
 * full or masked; a sealed value that does not open is null. full: whether the caller is the
 * applicant's side (yw_case_pii_full). */
json_t *yw_case_pii_seal(yw_req *r, const json_t *def, const json_t *values, const json_t *stored);
json_t *yw_case_pii_show(yw_req *r, const json_t *def, const json_t *values, bool full);
bool yw_case_pii_full(yw_req *r, const yw_case_row *c);
json_t *yw_case_delivery_def(yw_arena *a);

/* ---- handlers ------------------------------------------------------------------------------ */
yw_err yw_cases_theme_apply(yw_req *r); /* theme.c */
yw_err yw_cases_create(yw_req *r);      /* apply.c */
yw_err yw_cases_get(yw_req *r);
yw_err yw_cases_patch(yw_req *r);
yw_err yw_cases_delete(yw_req *r);
yw_err yw_cases_submit(yw_req *r);
yw_err yw_cases_upload(yw_req *r);
yw_err yw_cases_material(yw_req *r);
yw_err yw_cases_action(yw_req *r);      /* work.c */
yw_err yw_cases_task(yw_req *r);
yw_err yw_cases_notice(yw_req *r);
yw_err yw_cases_list(yw_req *r);        /* inbox.c */
yw_err yw_cases_inbox(yw_req *r);
yw_err yw_cases_progress(yw_req *r);    /* progress.c */

#endif
