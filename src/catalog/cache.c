/*
 * The published guides' answers, kept rendered (internal.h). GET /api/v1/items/{code} is what
 * every applicant opening a guide asks for, and a published version never changes; so its JSON
 * is built once and then served from memory for as long as the version is the item's current
 * one. The item's row is still read on every request (one indexed lookup), so a publish by any
 * process is seen at once: the cache only answers for the version that row names. What the
 * answer carries from outside the version (the department's name, the popularity) may be up to
 * CACHE_TTL_MS old.
 *
 * Direct-mapped: a code has one slot, a newer entry replaces an older one; a lock per group of
 * slots keeps readers of different guides apart.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/internal.h"

#define SLOTS 4096
#define LOCKS 64
#define CACHE_TTL_MS 60000

typedef struct {
	char code[YW_CAT_IMPL_LEN + 1];
	long long version;
	yw_ms built;
	char *body;
	size_t len;
} slot;

static slot slots[SLOTS];
static pthread_mutex_t locks[LOCKS] = { [0 ... LOCKS - 1] = PTHREAD_MUTEX_INITIALIZER };

static unsigned slot_of(const char *code)
{
	uint32_t h = 2166136261u;   /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)code; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h % SLOTS;
}

const char *yw_cat_cache_get(yw_arena *a, const char *code, long long version, yw_ms now,
                             size_t *len, yw_ms *built)
{
	if (strlen(code) > YW_CAT_IMPL_LEN)
		return NULL;
	unsigned i = slot_of(code);
	char *copy = NULL;
	pthread_mutex_lock(&locks[i % LOCKS]);
	slot *s = &slots[i];
	if (s->body && s->version == version && !strcmp(s->code, code) && now - s->built < CACHE_TTL_MS &&
	    now >= s->built && (copy = yw_alloc(a, s->len + 1))) {
		memcpy(copy, s->body, s->len + 1);
		*len = s->len;
		*built = s->built;
	}
	pthread_mutex_unlock(&locks[i % LOCKS]);
	return copy;
}

void yw_cat_cache_put(const char *code, long long version, yw_ms now, const char *body, size_t len)
{
	if (strlen(code) > YW_CAT_IMPL_LEN)
		return;
	char *copy = malloc(len + 1);
	if (!copy)
		return;   /* a cache that cannot grow just misses */
	memcpy(copy, body, len);
	copy[len] = '\0';
	unsigned i = slot_of(code);
	pthread_mutex_lock(&locks[i % LOCKS]);
	slot *s = &slots[i];
	char *old = s->body;
	strcpy(s->code, code);
	s->version = version;
	s->built = now;
	s->body = copy;
	s->len = len;
	pthread_mutex_unlock(&locks[i % LOCKS]);
	free(old);
}
