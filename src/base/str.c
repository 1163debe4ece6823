/* Small string and buffer helpers. */
#include "base.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int yw_buf_append(yw_buf *b, const void *p, size_t n)
{
	if (n > SIZE_MAX - b->len - 1)
		return -1;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *d = realloc(b->data, cap);
		if (!d)
			return -1;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';  /* always a C string too, for parsers that want one */
	return 0;
}

int yw_buf_printf(yw_buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof(small))
		return yw_buf_append(b, small, (size_t)n);
	char *big = malloc((size_t)n + 1);
	if (!big)
		return -1;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	int rc = yw_buf_append(b, big, (size_t)n);
	free(big);
	return rc;
}

void yw_buf_free(yw_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

bool yw_str_all_digits(const char *s, size_t n)
{
	if (!s || n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool yw_str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

bool yw_str_has_prefix(const char *s, const char *prefix)
{
	return s && prefix && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The width of the blank at s (0 if none), and of the blank ending at end after start. */
static size_t blank_at(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		return 1;
	return !strncmp(s, "\u3000", 3) ? 3 : 0;
}

static size_t blank_before(const char *start, const char *end)
{
	if (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
		return 1;
	return end - start >= 3 && !strncmp(end - 3, "\u3000", 3) ? 3 : 0;
}

const char *yw_str_trimmed(const char *s, size_t *len)
{
	size_t w;
	while ((w = blank_at(s)))
		s += w;
	const char *end = s + strlen(s);
	while ((w = blank_before(s, end)))
		end -= w;
	*len = (size_t)(end - s);
	return s;
}

bool yw_parse_int(const char *s, long long min, long long max, long long *out)
{
	if (!s || !*s)
		return false;
	/* strtoll accepts leading blanks and '+'; an API parameter should not. */
	const char *p = s;
	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (errno || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}
