/*
 * R-ID-007: the rate-limit table. In memory and per process (a restart forgets it; several
 * instances each count alone — a shared limiter is for the reverse proxy in front). A fixed
 * number of slots, each a 64-bit key hash (keyed with a random secret, so that a client cannot
 * aim collisions) and a fixed-window counter, found by linear probing over a few slots; when
 * all of those are in use, the one whose window started longest ago is taken over.
 */
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "identity/identity.h"

#define SLOTS 8192
#define PROBE 8

typedef struct {
	uint64_t key;      /* 0: free */
	yw_rate_counter c;
	yw_ms window_ms;
} slot;

static slot table[SLOTS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static unsigned char secret[crypto_shorthash_KEYBYTES];

static void init(void)
{
	if (sodium_init() >= 0)
		randombytes_buf(secret, sizeof(secret));
}

static uint64_t key_of(const yw_rate_rule *rule, const char *key)
{
	unsigned char h[crypto_shorthash_BYTES];
	size_t nr = strlen(rule->name), nk = strlen(key);
	unsigned char buf[256];
	size_t n = 0;
	memcpy(buf, rule->name, nr < 100 ? nr : 100);
	n = nr < 100 ? nr : 100;
	buf[n++] = 0;
	memcpy(buf + n, key, nk < 150 ? nk : 150);
	n += nk < 150 ? nk : 150;
	crypto_shorthash(h, buf, n, secret);
	uint64_t k;
	memcpy(&k, h, sizeof(k));
	return k ? k : 1;
}

static bool stale(const slot *s, yw_ms now)
{
	return s->key == 0 || now - s->c.window_start >= s->window_ms;
}

/* The slot for k: its own, else a free or stale one, else the one with the oldest window. */
static slot *find(uint64_t k, yw_ms now)
{
	size_t base = (size_t)(k % SLOTS);
	slot *victim = NULL;
	for (size_t i = 0; i < PROBE; i++) {
		slot *s = &table[(base + i) % SLOTS];
		if (s->key == k)
			return s;
		if (!victim || (!stale(victim, now) &&
		                (stale(s, now) || s->c.window_start < victim->c.window_start)))
			victim = s;
	}
	return victim;
}

bool yw_rate_limit(const yw_rate_rule *const *rules, const char *const *keys, int n, yw_ms now,
                   int *retry_after_s)
{
	pthread_once(&once, init);
	uint64_t k[8];
	if (n > 8)
		n = 8;
	for (int i = 0; i < n; i++)
		k[i] = key_of(rules[i], keys[i]);
	bool ok = true;
	*retry_after_s = 0;
	pthread_mutex_lock(&mu);
	/* First check them all on copies, then count in all only if every one allows. */
	for (int i = 0; i < n; i++) {
		slot *s = find(k[i], now);
		yw_rate_counter c = s->key == k[i] ? s->c : (yw_rate_counter){ 0, 0 };
		int wait = 0;
		if (!yw_rate_take(rules[i], &c, now, &wait)) {
			ok = false;
			if (wait > *retry_after_s)
				*retry_after_s = wait;
		}
	}
	for (int i = 0; ok && i < n; i++) {
		slot *s = find(k[i], now);
		if (s->key != k[i])
			*s = (slot){ .key = k[i], .window_ms = rules[i]->window_ms };
		int wait;
		yw_rate_take(rules[i], &s->c, now, &wait);
	}
	pthread_mutex_unlock(&mu);
	return ok;
}

void yw_rate_reset_all(void)
{
	pthread_mutex_lock(&mu);
	memset(table, 0, sizeof(table));
	pthread_mutex_unlock(&mu);
}
