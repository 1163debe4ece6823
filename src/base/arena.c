/*
 * The request arena. A request allocates freely and never frees; the whole arena goes at once
 * when the response has been sent. Blocks grow geometrically so a request that builds a large
 * JSON answer costs a handful of mallocs, and an oversized allocation gets a block of its own
 * so it does not waste the tail of the current one.
 */
#include "base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALIGN 16
#define MAX_BLOCK (1u << 20)

typedef struct block {
	struct block *next;
	size_t size, used;
	_Alignas(ALIGN) unsigned char data[];
} block;

typedef struct cleanup {
	struct cleanup *next;
	yw_cleanup_fn fn;
	void *p;
} cleanup;

struct yw_arena {
	block *head;
	cleanup *cleanups;
	size_t next_size;
	size_t total;
};

static block *block_new(size_t size)
{
	block *b = malloc(sizeof(*b) + size);
	if (!b)
		return NULL;
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

yw_arena *yw_arena_new(size_t first_block)
{
	yw_arena *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->next_size = first_block < 256 ? 256 : first_block;
	return a;
}

void yw_arena_free(yw_arena *a)
{
	if (!a)
		return;
	/* Cleanups first, newest first: a later object may depend on an earlier one. */
	for (cleanup *c = a->cleanups; c; c = c->next)
		c->fn(c->p);
	block *b = a->head;
	while (b) {
		block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

void *yw_alloc(yw_arena *a, size_t n)
{
	if (!a)
		return NULL;
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / 2)
		return NULL;   /* no real request needs this; keeps every size sum below from wrapping */
	size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	block *b = a->head;
	if (b && b->size - b->used >= need) {
		void *p = b->data + b->used;
		b->used += need;
		a->total += need;
		return p;
	}
	if (need > a->next_size / 2) {
		/* A big allocation gets its own block, slotted behind the current one so the
		 * current block's free tail stays usable. */
		block *big = block_new(need);
		if (!big)
			return NULL;
		big->used = need;
		if (b) {
			big->next = b->next;
			b->next = big;
		} else {
			a->head = big;
		}
		a->total += need;
		return big->data;
	}
	block *nb = block_new(a->next_size);
	if (!nb)
		return NULL;
	if (a->next_size < MAX_BLOCK)
		a->next_size *= 2;
	nb->next = b;
	a->head = nb;
	nb->used = need;
	a->total += need;
	return nb->data;
}

void *yw_zalloc(yw_arena *a, size_t n)
{
	void *p = yw_alloc(a, n);
	if (p)
		memset(p, 0, n);
	return p;
}

char *yw_strndup(yw_arena *a, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *p = yw_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *yw_strdup(yw_arena *a, const char *s)
{
	return s ? yw_strndup(a, s, strlen(s)) : NULL;
}

char *yw_vsprintf(yw_arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return NULL;
	char *p = yw_alloc(a, (size_t)n + 1);
	if (p)
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *yw_sprintf(yw_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = yw_vsprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

int yw_arena_defer(yw_arena *a, yw_cleanup_fn fn, void *p)
{
	cleanup *c = yw_alloc(a, sizeof(*c));
	if (!c) {
		fn(p);
		return -1;
	}
	c->fn = fn;
	c->p = p;
	c->next = a->cleanups;
	a->cleanups = c;
	return 0;
}

static void json_release(void *p) { json_decref(p); }

json_t *yw_arena_json(yw_arena *a, json_t *j)
{
	if (!j)
		return NULL;
	return yw_arena_defer(a, json_release, j) == 0 ? j : NULL;
}

size_t yw_arena_used(const yw_arena *a) { return a ? a->total : 0; }
