/*
 * demo — the demo region, 宿州市 (341300) with 埇桥区, 砀山县, 萧县, 灵璧县 and 泗县: its departments,
 * the implementation items they list and the themes (一件事), loaded by `yiwang demo` (docs/catalog.md
 * "The demo region"). It owns no table. The data is the files data/demo/ holds, written by
 * scripts/make-demo-data.mjs and compiled into the binary by scripts/gen-demo.mjs ($(O)/gen/demo.c),
 * so the command needs no file at run time.
 *
 * Data flows: the departments go in first, in one write, through identity
 * (yw_identity_department_provision: its rules, its audit entry); the items then, checked and
 * written by the catalog in batches (yw_catalog_load_items, published at once, indexed for
 * search) with their department keys turned into the ids just made or found; the themes last
 * (yw_catalog_load_theme), naming the items' implementation codes. Everything is keyed by what
 * the data says — a department by its USCC, an item by its code, a theme by its name and division
 * — and what exists is left alone, so a second run writes nothing and says so. `--scale N` adds
 * N synthetic items built from the real ones (yw_demo_scale_body), for the benchmarks; the same
 * N twice adds nothing the second time. `--cases N` then tops the demo's synthetic cases up to
 * N through the cases module's loader (yw_cases_load: filed against the region's items, the
 * codes the item loader returned), for the inbox benchmark. The actor of every audit entry is
 * "system:demo".
 */
#ifndef YW_DEMO_H
#define YW_DEMO_H

#include "../base/base.h"

/* The embedded data (scripts/gen-demo.mjs). */
extern const char yw_demo_departments_json[], yw_demo_items_json[], yw_demo_themes_json[];

#define YW_DEMO_ACTOR "system:demo"
#define YW_DEMO_SCALE_MAX 10000000LL

typedef struct {
	int depts_new, depts_had;
	int items_new, items_had;
	int themes_new, themes_had;
	long long scale_new, scale_had;
	int topics_dropped;               /* topic keys the catalog does not know (see catalog.h) */
	long long cases_new, cases_had;
	double seconds_items, seconds_scale, seconds_cases;
} yw_demo_report;

#define YW_DEMO_CASES_MAX 10000000LL
#define YW_DEMO_CASES_SEED 20261130u

struct yw_store;
/* Load the region, then `scale` synthetic items, then synthetic cases up to `cases`. err
 * (Chinese) says what failed: the code of the module that refused, with which department, item
 * or theme and why; what was written before the failing write stays (each write is whole, and a
 * run again continues from there). progress and case_progress, when not NULL, are told how many
 * synthetic items (cases) are done, once per batch. */
yw_err yw_demo_load(struct yw_store *st, long long scale, long long cases, yw_demo_report *rep,
                    void (*progress)(long long done, long long total),
                    void (*case_progress)(long long done, long long total), char *err, size_t errlen);

/* ---- pure parts (tests/unit/test_demo.c) ------------------------------------------------- */

/* The basic code of synthetic item k (1 ≤ k ≤ YW_DEMO_SCALE_MAX) on a template of item type tt
 * ("01"): "34" (items the province added) + tt + a main number from 60000 up + k's sub number,
 * so that no two k share one and none is a code of the real data (main numbers below 60000). */
void yw_demo_scale_basic(long long k, const char tt[2], char out[13]);
/* Synthetic item k on template tmpl (an item body of the data, its department resolved): a copy
 * with the basic code above, a name made of place (a township or a district of the department's
 * division, may be empty), the template's name and one of the ways an item is split in real
 * lists (告知承诺制, 延续, 变更 …), and a popularity that falls with k. Form, process, business
 * items and the guide's boilerplate (hours, procedure, FAQ) are left out. NULL without memory.
 * Owned by a. */
json_t *yw_demo_scale_body(yw_arena *a, json_t *tmpl, long long k, const char *place);

#endif
