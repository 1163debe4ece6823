/*
 * What the catalog keeps rendered in memory (internal.h).
 *
 * Published guides: GET /api/v1/items/{code} is what every applicant opening a guide asks for,
 * and a published version never changes; so its JSON is built once and then served from memory
 * for as long as the version is the item's current one. The item's row is still read on every
 * request (one indexed lookup), so a publish by any process is seen at once: the cache only
 * answers for the version that row names.
 *
 * Departments: every item shown names its department, which identity owns; a list of twenty
 * items would ask identity twenty times for the same few names. They are kept by id.
 *
 * Term counts: the search picks the rarest term of a query to walk (search.c), and counting a
 * term's postings is itself a walk of the index; how rare a term is changes slowly, and a stale
 * count only makes a page slower, never wrong.
 *
 * What either carries from outside the version (a department's name, an item's popularity) may
 * be up to CACHE_TTL_MS old. Direct-mapped: a key has one slot, a newer entry replaces an older
 * one; a lock per group of slots keeps readers of different keys apart.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/internal.h"

#define LOCKS 64
#define CACHE_TTL_MS 60000
#define KEY_MAX 40

typedef struct {
	char key[KEY_MAX + 1];
	long long version;
	yw_ms built;
	char *body;
	size_t len;
} slot;

typedef struct {
	slot *slots;
	unsigned n;
	pthread_mutex_t locks[LOCKS];
} cache;

static slot guide_slots[4096], dept_slots[512], term_slots[4096];
static cache guides = { guide_slots, 4096, { [0 ... LOCKS - 1] = PTHREAD_MUTEX_INITIALIZER } };
static cache depts = { dept_slots, 512, { [0 ... LOCKS - 1] = PTHREAD_MUTEX_INITIALIZER } };
static cache terms = { term_slots, 4096, { [0 ... LOCKS - 1] = PTHREAD_MUTEX_INITIALIZER } };

static unsigned slot_of(const cache *c, const char *key)
{
	uint32_t h = 2166136261u;   /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h % c->n;
}

static const char *get(cache *c, yw_arena *a, const char *key, long long version, yw_ms now,
                       size_t *len, yw_ms *built)
{
	if (strlen(key) > KEY_MAX)
		return NULL;
	unsigned i = slot_of(c, key);
	char *copy = NULL;
	pthread_mutex_lock(&c->locks[i % LOCKS]);
	slot *s = &c->slots[i];
	if (s->body && s->version == version && !strcmp(s->key, key) && now >= s->built &&
	    now - s->built < CACHE_TTL_MS && (copy = yw_alloc(a, s->len + 1))) {
		memcpy(copy, s->body, s->len + 1);
		*len = s->len;
		if (built)
			*built = s->built;
	}
	pthread_mutex_unlock(&c->locks[i % LOCKS]);
	return copy;
}

static void put(cache *c, const char *key, long long version, yw_ms now, const char *body, size_t len)
{
	if (strlen(key) > KEY_MAX)
		return;
	char *copy = malloc(len + 1);
	if (!copy)
		return;   /* a cache that cannot grow just misses */
	memcpy(copy, body, len);
	copy[len] = '\0';
	unsigned i = slot_of(c, key);
	pthread_mutex_lock(&c->locks[i % LOCKS]);
	slot *s = &c->slots[i];
	char *old = s->body;
	strcpy(s->key, key);
	s->version = version;
	s->built = now;
	s->body = copy;
	s->len = len;
	pthread_mutex_unlock(&c->locks[i % LOCKS]);
	free(old);
}

const char *yw_cat_cache_get(yw_arena *a, const char *code, long long version, yw_ms now,
                             size_t *len, yw_ms *built)
{
	return get(&guides, a, code, version, now, len, built);
}

void yw_cat_cache_put(const char *code, long long version, yw_ms now, const char *body, size_t len)
{
	put(&guides, code, version, now, body, len);
}

const char *yw_cat_dept_cache_get(yw_arena *a, const char *id, yw_ms now)
{
	size_t len;
	return get(&depts, a, id, 0, now, &len, NULL);
}

void yw_cat_dept_cache_put(const char *id, yw_ms now, const char *json_text)
{
	put(&depts, id, 0, now, json_text, strlen(json_text));
}

bool yw_cat_term_count_get(yw_arena *a, const char *term, yw_ms now, long long *count)
{
	size_t len;
	const char *text = get(&terms, a, term, 0, now, &len, NULL);
	return text && yw_parse_int(text, 0, 1000000000, count);
}

void yw_cat_term_count_put(yw_arena *a, const char *term, yw_ms now, long long count)
{
	const char *text = yw_sprintf(a, "%lld", count);
	if (text)
		put(&terms, term, 0, now, text, strlen(text));
}

