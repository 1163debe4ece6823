/*
 * What the cases module may know of an item it files an application against (catalog.h,
 * yw_catalog_published): a published version with its form, process, materials and limits.
 *
 * Why a version and not "the current item": a case is judged by the guide it was filed under.
 * When the item is republished while the case runs, its form, materials and limits stay those
 * of its own version, so the case records the version number and asks for that one later.
 * A draft never filed anything, so only a version that was published is given out.
 */
#include "catalog/internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static long long limit_or_none(long long v)
{
	return v == YW_CAT_NONE ? -1 : v;
}

/* ---- the versions a thread has built lately ---------------------------------------------------
 *
 * A submission asks for its item's version three times (its form and materials, its flow, the
 * answer), and the submissions of a popular item all ask for the same one; building it reads the
 * version's row and materials and renders the guide. A published version never changes, so a
 * thread keeps the last few it built: the strings copied, the JSON members referenced. What may
 * change under an entry is the item's department (checked on every call against the item's row,
 * which is read anyway) and that department's name, which shows here, as in the guide, within
 * KEPT_MS. A caller gets its own references and copies, so an entry may go at any time; the JSON
 * members are shared read-only. */
enum { KEPT_SLOTS = 16, KEPT_MS = 60 * 1000 };

typedef struct {
	yw_cat_published p;      /* p.code NULL: an empty slot; strings malloc'd, JSON referenced */
	yw_ms at;
} kept;

static pthread_key_t kept_key;
static pthread_once_t kept_once = PTHREAD_ONCE_INIT;

static void kept_clear(kept *k)
{
	free((char *)k->p.code);
	free((char *)k->p.name);
	free((char *)k->p.department_id);
	free((char *)k->p.department_name);
	free((char *)k->p.division_code);
	json_decref(k->p.form);
	json_decref(k->p.process);
	json_decref(k->p.materials);
	json_decref(k->p.guide);
	memset(k, 0, sizeof *k);
}

static void kept_free(void *p)
{
	kept *slots = p;
	for (int i = 0; i < KEPT_SLOTS; i++)
		kept_clear(&slots[i]);
	free(slots);
}

static void kept_key_make(void)
{
	if (pthread_key_create(&kept_key, kept_free) != 0)
		kept_key = (pthread_key_t)-1;
}

/* This thread's slots, made on first use and freed when the thread ends; NULL: keep nothing. */
static kept *kept_slots(void)
{
	pthread_once(&kept_once, kept_key_make);
	if (kept_key == (pthread_key_t)-1)
		return NULL;
	kept *slots = pthread_getspecific(kept_key);
	if (!slots && (slots = calloc(KEPT_SLOTS, sizeof *slots)) &&
	    pthread_setspecific(kept_key, slots) != 0) {
		free(slots);
		slots = NULL;
	}
	return slots;
}

static kept *kept_find(kept *slots, const yw_cat_item *it, long long version, yw_ms now)
{
	for (int i = 0; slots && i < KEPT_SLOTS; i++) {
		kept *k = &slots[i];
		if (k->p.code && k->p.version == version && now - k->at < KEPT_MS &&
		    !strcmp(k->p.code, it->code) && yw_str_eq(k->p.department_id, it->department_id) &&
		    yw_str_eq(k->p.division_code, it->division_code))
			return k;
	}
	return NULL;
}

static char *dup_or_null(const char *s, bool *failed)
{
	char *d = s ? strdup(s) : NULL;
	if (s && !d)
		*failed = true;
	return d;
}

/* Keeps p in the oldest slot; a failure keeps nothing, which only costs the next call a build. */
/* "1,2" → bits 1 and 2. */
static unsigned object_bits(const char *codes)
{
	unsigned bits = 0;
	for (const char *p = codes; p && *p; p++)
		if (*p >= '1' && *p <= '9')
			bits |= 1u << (*p - '0');
	return bits;
}

static void kept_put(kept *slots, const yw_cat_published *p, yw_ms now)
{
	if (!slots)
		return;
	kept *k = &slots[0];
	for (int i = 1; i < KEPT_SLOTS; i++)
		if (slots[i].at < k->at)
			k = &slots[i];
	kept_clear(k);
	bool failed = false;
	k->p = *p;
	k->p.code = dup_or_null(p->code, &failed);
	k->p.name = dup_or_null(p->name, &failed);
	k->p.department_id = dup_or_null(p->department_id, &failed);
	k->p.department_name = dup_or_null(p->department_name, &failed);
	k->p.division_code = dup_or_null(p->division_code, &failed);
	k->p.form = json_incref(p->form);
	k->p.process = json_incref(p->process);
	k->p.materials = json_incref(p->materials);
	k->p.guide = json_incref(p->guide);
	k->at = now;
	if (failed)
		kept_clear(k);
}

/* The caller's copy of an entry: strings in its arena, its own references to the JSON. */
static yw_err kept_copy(yw_arena *a, const kept *k, yw_cat_published *out)
{
	*out = k->p;
	out->code = yw_strdup(a, k->p.code);
	out->name = k->p.name ? yw_strdup(a, k->p.name) : NULL;
	out->department_id = k->p.department_id ? yw_strdup(a, k->p.department_id) : NULL;
	out->department_name = k->p.department_name ? yw_strdup(a, k->p.department_name) : NULL;
	out->division_code = k->p.division_code ? yw_strdup(a, k->p.division_code) : NULL;
	json_t *j[] = { k->p.form, k->p.process, k->p.materials, k->p.guide };
	for (size_t i = 0; i < sizeof j / sizeof j[0]; i++)
		if (j[i] && !yw_arena_json(a, json_incref(j[i])))
			return YW_E_NO_MEMORY;
	if (!out->code || (k->p.name && !out->name) || (k->p.department_id && !out->department_id) ||
	    (k->p.department_name && !out->department_name) ||
	    (k->p.division_code && !out->division_code))
		return YW_E_NO_MEMORY;
	return YW_E_OK;
}

yw_err yw_catalog_published(yw_store *st, yw_arena *a, const char *code, long long version,
                            yw_cat_published *out)
{
	yw_db *db = yw_store_reader(st);
	yw_cat_item it;
	yw_cat_version v;
	if (!db)
		return YW_E_DB_UNREACHABLE;
	yw_err e = yw_cat_item_load(db, a, code, &it);
	if (e)
		return e;
	if (version == 0)
		version = it.current;
	if (version <= 0)
		return YW_E_ITEM_NOT_APPLICABLE;
	yw_ms now = yw_now_ms();
	kept *slots = kept_slots(), *k = kept_find(slots, &it, version, now);
	if (k)
		return kept_copy(a, k, out);
	if ((e = yw_cat_version_load(db, a, code, version, &v)))
		return e == YW_E_NOT_FOUND ? YW_E_ITEM_NOT_APPLICABLE : e;
	if (!v.published_at)
		return YW_E_ITEM_NOT_APPLICABLE;
	/* The materials as the guide shows them, so that a case's slots read like the guide. */
	json_t *full = yw_arena_json(a, yw_cat_item_json(st, a, &it, &v));
	json_t *dept = full ? json_object_get(full, "department") : NULL;
	if (!full)
		return YW_E_NO_MEMORY;
	*out = (yw_cat_published){
		.code = it.code, .name = v.g.name, .department_id = it.department_id,
		.department_name = json_string_value(json_object_get(dept, "name")),
		.division_code = it.division_code, .version = v.version,
		.statutory = limit_or_none(v.g.statutory), .promised = limit_or_none(v.g.promised),
		.project_type = v.g.project_type, .online_depth = v.g.online_depth,
		.service_objects = object_bits(v.g.service_objects), .form = v.g.form,
		.process = v.g.process, .materials = json_object_get(full, "materials"), .guide = v.g.guide
	};
	kept_put(slots, out, now);
	return YW_E_OK;
}
