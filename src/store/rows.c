/*
 * rows.c — result sets copied into the caller's arena, so that they outlive the statement and
 * the connection it ran on. A result is a row-major array of cells.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"

struct yw_rows {
	yw_arena *a;               /* for the text form of integer cells, made on demand */
	int nrows, ncols;
	const yw_val *cells;
};

void yw_rowbuf_init(yw_rowbuf *b, yw_arena *a, int ncols)
{
	memset(b, 0, sizeof(*b));
	b->a = a;
	b->ncols = ncols;
}

static int grow(yw_rowbuf *b)
{
	size_t cap = b->cap ? b->cap * 2 : 64;
	yw_val *cells = realloc(b->cells, cap * sizeof(*cells));

	if (!cells)
		return -1;
	b->cells = cells;
	b->cap = cap;
	return 0;
}

/* Text keeps its terminating NUL; a blob of length 0 still gets a non-NULL pointer. */
static const char *copy_bytes(yw_arena *a, const char *s, size_t n)
{
	char *p = yw_alloc(a, n + 1);

	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

yw_err yw_rowbuf_push(yw_rowbuf *b, yw_val v)
{
	if (b->n == b->cap && grow(b) != 0)
		return YW_E_NO_MEMORY;
	if (v.type == YW_V_TEXT || v.type == YW_V_BLOB) {
		v.s = copy_bytes(b->a, v.s, v.n);
		if (!v.s)
			return YW_E_NO_MEMORY;
	}
	b->cells[b->n++] = v;
	return YW_E_OK;
}

void yw_rowbuf_discard(yw_rowbuf *b)
{
	free(b->cells);
	b->cells = NULL;
	b->n = b->cap = 0;
}

yw_err yw_rowbuf_finish(yw_rowbuf *b, yw_rows **out)
{
	yw_rows *r = yw_zalloc(b->a, sizeof(*r));
	yw_val *cells = NULL;
	yw_err e = YW_E_NO_MEMORY;

	*out = NULL;
	if (!r)
		goto out;
	if (b->n) {
		cells = yw_alloc(b->a, b->n * sizeof(*cells));
		if (!cells)
			goto out;
		memcpy(cells, b->cells, b->n * sizeof(*cells));
	}
	r->a = b->a;
	r->ncols = b->ncols;
	r->nrows = b->ncols ? (int)(b->n / (size_t)b->ncols) : 0;
	r->cells = cells;
	*out = r;
	e = YW_E_OK;
out:
	yw_rowbuf_discard(b);
	return e;
}

int yw_rows_count(const yw_rows *r)
{
	return r ? r->nrows : 0;
}

int yw_rows_columns(const yw_rows *r)
{
	return r ? r->ncols : 0;
}

static const yw_val *cell(const yw_rows *r, int row, int col)
{
	if (!r || row < 0 || row >= r->nrows || col < 0 || col >= r->ncols)
		return NULL;
	return &r->cells[(size_t)row * (size_t)r->ncols + (size_t)col];
}

bool yw_rows_is_null(const yw_rows *r, int row, int col)
{
	const yw_val *v = cell(r, row, col);

	return !v || v->type == YW_V_NULL;
}

const char *yw_rows_text(const yw_rows *r, int row, int col)
{
	const yw_val *v = cell(r, row, col);

	if (!v || v->type == YW_V_NULL)
		return NULL;
	if (v->type == YW_V_INT)
		return yw_sprintf(r->a, "%lld", v->i);
	return v->s;
}

/* PostgreSQL hands back NUMERIC sums and the like as text; an integer is an integer whichever
 * way it came. Text that is not a whole integer reads as 0, like NULL. */
long long yw_rows_int(const yw_rows *r, int row, int col)
{
	const yw_val *v = cell(r, row, col);
	long long x;

	if (!v)
		return 0;
	if (v->type == YW_V_INT)
		return v->i;
	if (v->type == YW_V_TEXT && yw_parse_int(v->s, LLONG_MIN, LLONG_MAX, &x))
		return x;
	return 0;
}

const void *yw_rows_blob(const yw_rows *r, int row, int col, size_t *len)
{
	const yw_val *v = cell(r, row, col);

	*len = 0;
	if (!v || (v->type != YW_V_BLOB && v->type != YW_V_TEXT))
		return NULL;
	*len = v->n;
	return v->s;
}

yw_val_type yw_rows_type(const yw_rows *r, int row, int col)
{
	const yw_val *v = cell(r, row, col);

	return v ? v->type : YW_V_NULL;
}
