/*
 * The catalog's Chinese search and the public list (docs/catalog.md "Search"):
 *   GET /api/v1/items?q=&division=&department=&theme=&topic=&object=&depth=&at_most_once=
 *                     &cursor=&limit=          published items, ranked, a page at a time
 *   GET /api/v1/items/suggest?q=               at most 8 {code, name} for instant suggestions
 *
 * Text is normalised the same way when it is indexed and when it is asked for: full-width forms
 * to half-width, ASCII to lower case, traditional to simplified (OpenCC t2s), then cut into runs
 * of word characters (CJK, letters, digits) joined by one space; everything else separates. The
 * index (010) holds per item the unigrams and bigrams of name and aliases, the bigrams of the
 * guide text, and the pairs of adjacent pinyin initials of name and aliases (all readings of a
 * polyphone), each posting with a rank that orders name over alias over text and then by
 * popularity. A query picks its rarest term as the driver, walks that term's postings in rank
 * order (an index range, so a page of a common bigram costs about a page of rows), lets SQL drop
 * the postings whose field lacks another term of the query, and verifies each candidate against
 * the item's normalised texts: the query's every run must occur whole in the posting's field,
 * and that field must be the best one the item matches in, so an item is listed once, at its
 * best tier. Equal ranks go by the item's index number (doc: the order of first publication),
 * which the postings carry instead of the 31-character code to keep the index small. The cursor
 * is the (rank, doc) of the last posting a page used, so the next page continues the same walk
 * and ranking never reorders pages.
 *
 * The index is written only by yw_cat_search_index, inside the publishing write; the list reads
 * the item rows for the page it found and answers with yw_cat_item_brief_json.
 */
#include <opencc/opencc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/internal.h"
#include "identity/identity.h"
#include "ref/ref.h"

/* scripts/gen-pinyin.mjs: the initials of U+4E00…U+9FFF as bit masks. */
extern const uint32_t yw_pinyin_first, yw_pinyin_last, yw_pinyin_initials[];

#define FIELD_NAME 3
#define FIELD_ALIAS 2
#define FIELD_TEXT 1
#define TIER 1000000000000LL        /* one field's span of ranks: popularity stays below it */
#define TEXT_MAX 1000               /* bytes of normalised guide text indexed, per item */
#define SCAN_BUDGET 4000            /* postings a page may walk before it answers what it has */
#define SUGGEST_MAX 8
#define QUERY_MAX 50                /* characters of q */
#define DRIVER_CAP "300"            /* postings counted per term to choose the driver */

/* ---- UTF-8 --------------------------------------------------------------------------------- */

/* The code point at *p, advancing *p; U+FFFD for a malformed sequence (one byte consumed). */
static uint32_t utf8_next(const char **p)
{
	const unsigned char *s = (const unsigned char *)*p;
	uint32_t c = s[0];
	int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
	if (n < 0) {
		(*p)++;
		return 0xFFFD;
	}
	c = n == 0 ? c : n == 1 ? c & 0x1F : n == 2 ? c & 0x0F : c & 0x07;
	for (int i = 1; i <= n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			(*p)++;
			return 0xFFFD;
		}
		c = (c << 6) | (s[i] & 0x3F);
	}
	*p += n + 1;
	return c;
}

static size_t utf8_put(char *o, uint32_t c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xC0 | (c >> 6));
		o[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xE0 | (c >> 12));
		o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		o[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (c >> 18));
	o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	o[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

static bool is_cjk(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F) || c == 0x3007;
}

static bool is_word(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || is_cjk(c);
}

/* ---- normalisation --------------------------------------------------------------------------- */

/* Width and case only, everything else kept: what OpenCC is given. A byte of malformed UTF-8
 * becomes U+FFFD, three bytes: hence 3n. */
static char *fold_chars(yw_arena *a, const char *in)
{
	char *out = yw_alloc(a, strlen(in) * 3 + 1), *o = out;
	if (!out)
		return NULL;
	for (const char *p = in; *p;) {
		uint32_t c = utf8_next(&p);
		if (c == 0x3000)
			c = ' ';
		else if (c >= 0xFF01 && c <= 0xFF5E)
			c -= 0xFEE0;
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		o += utf8_put(o, c);
	}
	*o = '\0';
	return out;
}

/* Runs of word characters joined by one space. */
static char *runs(yw_arena *a, const char *in)
{
	char *out = yw_alloc(a, strlen(in) + 1), *o = out;
	if (!out)
		return NULL;
	bool gap = false;
	for (const char *p = in; *p;) {
		uint32_t c = utf8_next(&p);
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (!is_word(c)) {
			gap = o > out;
			continue;
		}
		if (gap)
			*o++ = ' ';
		gap = false;
		o += utf8_put(o, c);
	}
	*o = '\0';
	return out;
}

const char *yw_cat_search_fold(yw_arena *a, const char *in)
{
	char *f = in ? fold_chars(a, in) : NULL;
	return f ? runs(a, f) : NULL;
}

/* One OpenCC converter for the process: its dictionaries are large and loading them takes
 * a while, so it is opened once; calls are serialised by a mutex since the library does not
 * promise that one converter may be used by several threads at once (the text converted is a
 * query or one item's texts, so the lock is held for microseconds). */
static pthread_mutex_t cc_lock = PTHREAD_MUTEX_INITIALIZER;
static opencc_t cc_handle;
static int cc_state;                 /* 0 not opened yet, 1 open, -1 could not be opened */

static void cc_close(void)
{
	pthread_mutex_lock(&cc_lock);
	if (cc_state == 1)
		opencc_close(cc_handle);
	cc_state = -1;
	pthread_mutex_unlock(&cc_lock);
}

static const char *t2s(yw_arena *a, const char *s)
{
	const char *out = NULL;
	pthread_mutex_lock(&cc_lock);
	if (cc_state == 0) {
		cc_handle = opencc_open("t2s.json");
		if (cc_handle == (opencc_t)-1) {
			cc_state = -1;
			yw_log(YW_LOG_ERROR, "search: OpenCC t2s.json cannot be opened (package libopencc-data); "
			                     "traditional characters are searched as they are");
		} else {
			cc_state = 1;
			atexit(cc_close);
		}
	}
	if (cc_state == 1) {
		char *o = opencc_convert_utf8(cc_handle, s, strlen(s));
		if (o) {
			out = yw_strdup(a, o);
			opencc_convert_utf8_free(o);
		}
	}
	pthread_mutex_unlock(&cc_lock);
	return out ? out : s;
}

const char *yw_cat_search_normalise(yw_arena *a, const char *in)
{
	const char *f = in ? fold_chars(a, in) : NULL;
	return f ? runs(a, t2s(a, f)) : NULL;
}

/* ---- terms ------------------------------------------------------------------------------------ */

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Sort and drop repeats; returns the new count. */
static int uniq(const char **v, int n)
{
	if (n < 2)
		return n;
	qsort(v, (size_t)n, sizeof *v, cmp_str);
	int k = 1;
	for (int i = 1; i < n; i++)
		if (strcmp(v[i], v[k - 1]))
			v[k++] = v[i];
	return k;
}

int yw_cat_search_terms(yw_arena *a, const char *norm, bool unigrams, bool single, const char ***out)
{
	size_t len = strlen(norm);
	const char **v = yw_alloc(a, sizeof *v * (2 * len + 1)), **start = yw_alloc(a, sizeof *start * (len + 2));
	int n = 0;
	*out = v;
	if (!v || !start)
		return 0;
	for (const char *p = norm; *p;) {
		/* one run: where its characters start */
		int k = 0;
		const char *q = p;
		while (*q && *q != ' ') {
			start[k++] = q;
			utf8_next(&q);
		}
		start[k] = q;
		for (int i = 0; i < k; i++) {
			if (unigrams || (single && k == 1))
				v[n++] = yw_strndup(a, start[i], (size_t)(start[i + 1] - start[i]));
			if (i + 1 < k)
				v[n++] = yw_strndup(a, start[i], (size_t)(start[i + 2] - start[i]));
		}
		p = *q ? q + 1 : q;
	}
	for (int i = 0; i < n; i++)
		if (!v[i])
			return 0;
	return uniq(v, n);
}

/* The initials of one character as a bit mask: a letter or digit stands for itself. */
static uint32_t initials_of(uint32_t c)
{
	if (c >= 'a' && c <= 'z')
		return 1u << (c - 'a');
	if (c >= yw_pinyin_first && c <= yw_pinyin_last)
		return yw_pinyin_initials[c - yw_pinyin_first];
	return 0;
}

const char *yw_cat_search_initials(yw_arena *a, const char *norm)
{
	char *out = yw_alloc(a, strlen(norm) * 28 + 1), *o = out;
	if (!out)
		return NULL;
	for (const char *p = norm; *p;) {
		uint32_t c = utf8_next(&p);
		if (c == ' ') {
			*o++ = ' ';
			continue;
		}
		uint32_t m = initials_of(c);
		if (c >= '0' && c <= '9') {
			*o++ = (char)c;
			continue;
		}
		int bits = __builtin_popcount(m);
		if (bits == 0) {
			*o++ = '?';          /* no reading known: matches no letter */
			continue;
		}
		if (bits > 1)
			*o++ = '[';
		for (int k = 0; k < 26; k++)
			if (m & (1u << k))
				*o++ = (char)('a' + k);
		if (bits > 1)
			*o++ = ']';
	}
	*o = '\0';
	return out;
}

/* The pattern's tokens from p: one letter/digit/'?', or a bracketed set. Sets *set to the
 * characters it allows and returns where the next token starts; NULL at a space or the end. */
static const char *token(const char *p, const char **set, size_t *n)
{
	if (!*p || *p == ' ')
		return NULL;
	if (*p == '[') {
		const char *e = strchr(p, ']');
		if (!e)
			return NULL;
		*set = p + 1;
		*n = (size_t)(e - p - 1);
		return e + 1;
	}
	*set = p;
	*n = 1;
	return p + 1;
}

bool yw_cat_search_initials_match(const char *pattern, const char *q)
{
	size_t qn = strlen(q);
	if (!qn)
		return false;
	for (const char *s = pattern; *s;) {
		/* try a match starting at the token at s */
		const char *p = s, *set;
		size_t n, i = 0;
		for (; i < qn; i++) {
			p = token(p, &set, &n);
			if (!p || !memchr(set, q[i], n))
				break;
		}
		if (i == qn)
			return true;
		const char *next = token(s, &set, &n);
		s = next ? next : s + 1;
	}
	return false;
}

/* The pairs of adjacent initials ("^hk"), every reading of a polyphone. */
static int initials_terms(yw_arena *a, const char *pattern, const char ***out)
{
	size_t len = strlen(pattern);
	int cap = (int)len * 4 + 8, n = 0;
	const char **v = yw_alloc(a, sizeof *v * (size_t)cap);
	*out = v;
	if (!v)
		return 0;
	const char *p = pattern;
	while (*p) {
		const char *s1, *s2, *q1, *q2;
		size_t n1, n2;
		if (!(q1 = token(p, &s1, &n1))) {
			p++;
			continue;
		}
		if ((q2 = token(q1, &s2, &n2)))
			for (size_t i = 0; i < n1; i++)
				for (size_t k = 0; k < n2; k++) {
					if (s1[i] == '?' || s2[k] == '?')
						continue;
					if (n == cap) {
						const char **w = yw_alloc(a, sizeof *w * (size_t)cap * 2);
						if (!w)
							return 0;
						memcpy(w, v, sizeof *v * (size_t)n);
						v = *out = w;
						cap *= 2;
					}
					v[n++] = yw_sprintf(a, "^%c%c", s1[i], s2[k]);
				}
		p = q1;
	}
	for (int i = 0; i < n; i++)
		if (!v[i])
			return 0;
	return uniq(v, n);
}

/* ---- the index ---------------------------------------------------------------------------------- */

/* The strings of the guide's members (recursively, in their order), then the material names,
 * up to about TEXT_MAX bytes. */
static void guide_text(json_t *j, yw_buf *b)
{
	if (b->len >= TEXT_MAX * 2)
		return;
	if (json_is_string(j)) {
		yw_buf_append(b, json_string_value(j), json_string_length(j));
		yw_buf_append(b, "\n", 1);
	} else if (json_is_object(j)) {
		const char *k;
		json_t *v;
		json_object_foreach(j, k, v) guide_text(v, b);
	} else if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v) guide_text(v, b);
	}
}

/* Cut a normalised text at a character boundary, at most max bytes. */
static const char *cap_text(yw_arena *a, const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return s;
	while (n > max || (n > 0 && (s[n] & 0xC0) == 0x80))
		n--;
	return yw_strndup(a, s, n);
}

typedef struct {
	const char *term;
	int field;
} posting;

static yw_err insert_postings(yw_db *tx, yw_arena *a, long long doc, const posting *ps, int n,
                              long long popularity)
{
	enum { CHUNK = 200 };
	for (int at = 0; at < n; at += CHUNK) {
		int m = n - at < CHUNK ? n - at : CHUNK;
		yw_buf sql = { 0 };
		yw_val *vals = yw_alloc(a, sizeof *vals * (size_t)(3 * m + 1));
		if (!vals)
			return YW_E_NO_MEMORY;
		vals[0] = YW_VINT(doc);
		int rc = yw_buf_printf(&sql, "INSERT INTO catalog_search_terms (doc, field, term, rank) VALUES ");
		for (int i = 0; i < m && !rc; i++) {
			const posting *p = &ps[at + i];
			vals[1 + 3 * i] = YW_VINT(p->field);
			vals[2 + 3 * i] = YW_VTEXT(p->term);
			vals[3 + 3 * i] = YW_VINT((4 - p->field) * TIER - popularity);
			rc = yw_buf_printf(&sql, "%s($1, $%d, $%d, $%d)", i ? ", " : "", 2 + 3 * i, 3 + 3 * i,
			                   4 + 3 * i);
		}
		if (rc || yw_buf_append(&sql, "", 1)) {
			yw_buf_free(&sql);
			return YW_E_NO_MEMORY;
		}
		yw_err e = yw_db_exec(tx, sql.data, vals, 1 + 3 * m, NULL);
		yw_buf_free(&sql);
		if (e)
			return e;
	}
	return YW_E_OK;
}

static int add_postings(posting *ps, int n, const char **terms, int nt, int field)
{
	for (int i = 0; i < nt; i++)
		ps[n++] = (posting){ terms[i], field };
	return n;
}

/* ",a,b," of a list, for LIKE '%,a,%'. */
static const char *comma_list(yw_arena *a, json_t *arr, const char *codes)
{
	yw_buf b = { 0 };
	int rc = yw_buf_append(&b, ",", 1);
	if (arr) {
		size_t i;
		json_t *v;
		json_array_foreach(arr, i, v) if (json_is_string(v))
			rc |= yw_buf_printf(&b, "%s,", json_string_value(v));
	}
	for (const char *p = codes; p && *p; p++)
		rc |= yw_buf_append(&b, *p == ',' ? "," : p, 1);
	if (codes && *codes)
		rc |= yw_buf_append(&b, ",", 1);
	rc |= yw_buf_append(&b, "", 1);
	const char *out = rc ? NULL : yw_strdup(a, b.data);
	yw_buf_free(&b);
	return out;
}

yw_err yw_cat_search_index(yw_db *tx, yw_arena *a, const yw_cat_item *it, const yw_cat_version *v)
{
	/* The item keeps its number from its first publish on. */
	yw_rows *rows;
	yw_err e = yw_db_query(tx, a, &rows, "SELECT doc FROM catalog_search_docs WHERE item_code = $1",
	                       YW_PARAMS(YW_VTEXT(it->code)));
	if (e)
		return e;
	long long doc = 0;
	if (yw_rows_count(rows)) {
		doc = yw_rows_int(rows, 0, 0);
		e = yw_db_exec(tx, "DELETE FROM catalog_search_terms WHERE doc = $1", YW_PARAMS(YW_VINT(doc)), NULL);
		if (!e)
			e = yw_db_exec(tx, "DELETE FROM catalog_search_docs WHERE doc = $1", YW_PARAMS(YW_VINT(doc)),
			               NULL);
	}
	if (e || !v->published_at)
		return e;
	if (!doc) {
		e = yw_db_query(tx, a, &rows,
		                "UPDATE catalog_search_seq SET next_doc = next_doc + 1 WHERE id = 1 "
		                "RETURNING next_doc",
		                YW_NOPARAMS);
		if (e)
			return e;
		if (yw_rows_count(rows) != 1)
			return YW_E_INTERNAL;
		doc = yw_rows_int(rows, 0, 0);
	}
	const yw_cat_guide *g = &v->g;
	const char *name = yw_cat_search_normalise(a, g->name);
	/* The aliases as one text, each its own run(s), so no term spans two of them. */
	yw_buf ab = { 0 }, tb = { 0 };
	int rc = yw_buf_append(&ab, "", 0);
	size_t i;
	json_t *s;
	json_array_foreach(g->aliases, i, s) {
		rc |= yw_buf_append(&ab, json_string_value(s), json_string_length(s));
		rc |= yw_buf_append(&ab, "\n", 1);
	}
	rc |= yw_buf_append(&ab, "", 1);
	guide_text(g->guide, &tb);
	for (int k = 0; k < g->nmats; k++) {
		rc |= yw_buf_append(&tb, g->mats[k].name, strlen(g->mats[k].name));
		rc |= yw_buf_append(&tb, "\n", 1);
	}
	rc |= yw_buf_append(&tb, "", 1);
	const char *alias = rc ? NULL : yw_cat_search_normalise(a, ab.data),
		   *text = rc ? NULL : yw_cat_search_normalise(a, tb.data);
	yw_buf_free(&ab);
	yw_buf_free(&tb);
	if (!name || !alias || !text || !(text = cap_text(a, text, TEXT_MAX)))
		return YW_E_NO_MEMORY;
	const char *name_py = yw_cat_search_initials(a, name), *alias_py = yw_cat_search_initials(a, alias);
	if (!name_py || !alias_py)
		return YW_E_NO_MEMORY;

	const char **t[5];
	int nt[5];
	nt[0] = yw_cat_search_terms(a, name, true, true, &t[0]);
	nt[1] = yw_cat_search_terms(a, alias, true, true, &t[1]);
	nt[2] = yw_cat_search_terms(a, text, false, false, &t[2]);
	nt[3] = initials_terms(a, name_py, &t[3]);
	nt[4] = initials_terms(a, alias_py, &t[4]);
	int total = 0;
	for (int k = 0; k < 5; k++) {
		if (!t[k])
			return YW_E_NO_MEMORY;
		total += nt[k];
	}
	posting *ps = yw_alloc(a, sizeof *ps * (size_t)(total + 1));
	if (!ps)
		return YW_E_NO_MEMORY;
	int n = add_postings(ps, 0, t[0], nt[0], FIELD_NAME);
	n = add_postings(ps, n, t[3], nt[3], FIELD_NAME);
	n = add_postings(ps, n, t[1], nt[1], FIELD_ALIAS);
	n = add_postings(ps, n, t[4], nt[4], FIELD_ALIAS);
	n = add_postings(ps, n, t[2], nt[2], FIELD_TEXT);
	long long pop = it->popularity < 0 ? 0 : it->popularity >= TIER ? TIER - 1 : it->popularity;
	const char *objects = comma_list(a, NULL, g->service_objects),
		   *topics = comma_list(a, g->topics, NULL);
	if (!objects || !topics)
		return YW_E_NO_MEMORY;
	e = yw_db_exec(tx,
	               "INSERT INTO catalog_search_docs (item_code, name, name_norm, alias_norm, "
	               "text_norm, name_initials, alias_initials, department_id, division_code, "
	               "service_objects, topics, online_depth, at_most_once, rank, doc) "
	               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
	               YW_PARAMS(YW_VTEXT(it->code), YW_VTEXT(g->name), YW_VTEXT(name), YW_VTEXT(alias),
	                         YW_VTEXT(text), YW_VTEXT(name_py), YW_VTEXT(alias_py),
	                         YW_VTEXT(it->department_id), YW_VTEXT(it->division_code),
	                         YW_VTEXT(objects), YW_VTEXT(topics), YW_VINT(g->online_depth),
	                         YW_VINT(g->visits <= 1), YW_VINT(TIER - pop), YW_VINT(doc)),
	               NULL);
	return e ? e : insert_postings(tx, a, doc, ps, n, pop);
}

/* ---- the query ----------------------------------------------------------------------------------- */

typedef struct {
	const char *dept, *prefix, *up[3], *topic, *object, *theme;
	long long depth;
	bool at_most_once;
} filters;

/* Append the filters on d to sql, their values to vals from *nv on. */
static int filter_sql(yw_buf *sql, const filters *f, yw_val *vals, int *nv)
{
	int rc = 0;
	if (f->dept) {
		vals[*nv] = YW_VTEXT(f->dept);
		rc |= yw_buf_printf(sql, " AND d.department_id = $%d", ++*nv);
	}
	if (f->prefix) {
		for (int k = 0; k < 3; k++)
			vals[*nv + k] = YW_VTEXT(f->up[k]);
		vals[*nv + 3] = YW_VTEXT(f->prefix);
		rc |= yw_buf_printf(sql, " AND (d.division_code LIKE $%d OR d.division_code IN ($%d, $%d, $%d))",
		                    *nv + 4, *nv + 1, *nv + 2, *nv + 3);
		*nv += 4;
	}
	if (f->topic) {
		vals[*nv] = YW_VTEXT(f->topic);
		rc |= yw_buf_printf(sql, " AND d.topics LIKE $%d", ++*nv);
	}
	if (f->object) {
		vals[*nv] = YW_VTEXT(f->object);
		rc |= yw_buf_printf(sql, " AND d.service_objects LIKE $%d", ++*nv);
	}
	if (f->depth) {
		vals[*nv] = YW_VINT(f->depth);
		rc |= yw_buf_printf(sql, " AND d.online_depth >= $%d", ++*nv);
	}
	if (f->at_most_once)
		rc |= yw_buf_printf(sql, " AND d.at_most_once = 1");
	/* A theme's items (themes.c, 011): the theme's own list, whatever its division. */
	if (f->theme) {
		vals[*nv] = YW_VTEXT(f->theme);
		rc |= yw_buf_printf(sql, " AND d.item_code IN (SELECT ti.item_code FROM catalog_theme_items ti "
		                         "WHERE ti.theme_id = $%d)", ++*nv);
	}
	return rc;
}

/* A query as the search walks it: the runs its text must show, and per kind of match (text,
 * initials) the driver term and the other terms the posting's field must also hold. */
typedef struct {
	const char *norm;          /* normalised q: runs joined by ' ' */
	const char **runs;
	int nruns;
	const char *letters;       /* q when it may be pinyin initials (letters only), else NULL */
	struct {
		const char *driver;
		const char **others;
		int nothers;
	} kind[2];                 /* 0 text, 1 initials; driver NULL: that kind does not apply */
} plan;

/* The term with the fewest postings, counted up to DRIVER_CAP: enough to tell a rare term from
 * a common one without counting the common one's every posting (the count walks the index).
 * Counts are kept a minute (cache.c): a stale one only picks a slower walk. */
static yw_err pick_driver(yw_db *db, yw_arena *a, const char **terms, int n, int *best)
{
	long long least = -1;
	yw_ms now = yw_now_ms();
	*best = 0;
	for (int i = 0; n > 1 && i < n; i++) {
		long long c;
		if (!yw_cat_term_count_get(a, terms[i], now, &c)) {
			yw_rows *rows;
			yw_err e = yw_db_query(db, a, &rows,
			                       "SELECT COUNT(*) FROM (SELECT 1 FROM catalog_search_terms "
			                       "WHERE term = $1 LIMIT " DRIVER_CAP ") c",
			                       YW_PARAMS(YW_VTEXT(terms[i])));
			if (e)
				return e;
			c = yw_rows_int(rows, 0, 0);
			yw_cat_term_count_put(a, terms[i], now, c);
		}
		if (least < 0 || c < least) {
			least = c;
			*best = i;
		}
		if (c == 0)
			break;                /* nothing can match */
	}
	return YW_E_OK;
}

static yw_err plan_make(yw_db *db, yw_arena *a, const char *norm, plan *pl)
{
	*pl = (plan){ .norm = norm };
	char *copy = yw_strdup(a, norm);
	pl->runs = yw_alloc(a, sizeof *pl->runs * (strlen(norm) + 1));
	if (!copy || !pl->runs)
		return YW_E_NO_MEMORY;
	for (char *tok, *save = NULL, *p = copy; (tok = strtok_r(p, " ", &save)); p = NULL)
		pl->runs[pl->nruns++] = tok;
	bool letters = pl->nruns == 1 && strlen(norm) >= 2;
	for (const char *p = norm; letters && *p; p++)
		letters = *p >= 'a' && *p <= 'z';
	pl->letters = letters ? norm : NULL;
	for (int k = 0; k < 2; k++) {
		const char **terms;
		int n = k == 0 ? yw_cat_search_terms(a, norm, false, true, &terms)
		               : letters ? initials_terms(a, yw_cat_search_initials(a, norm), &terms) : 0;
		if (n <= 0)
			continue;
		int d;
		yw_err e = pick_driver(db, a, terms, n, &d);
		if (e)
			return e;
		pl->kind[k].driver = terms[d];
		pl->kind[k].others = yw_alloc(a, sizeof(char *) * (size_t)n);
		if (!pl->kind[k].others)
			return YW_E_NO_MEMORY;
		/* The others only prune: a few are enough, verification decides. */
		for (int i = 0; i < n && pl->kind[k].nothers < 4; i++)
			if (i != d)
				pl->kind[k].others[pl->kind[k].nothers++] = terms[i];
	}
	return YW_E_OK;
}

/* The best field the item matches the query in (0: none), and whether by initials only. */
static int best_field(const plan *pl, const yw_rows *rows, int i, bool *by_initials)
{
	int text = 0;
	for (int f = 0; f < 3 && !text; f++) {
		const char *hay = yw_rows_text(rows, i, 5 + f);
		bool all = hay != NULL;
		for (int r = 0; all && r < pl->nruns; r++)
			all = strstr(hay, pl->runs[r]) != NULL;
		if (all)
			text = FIELD_NAME - f;
	}
	int ini = 0;
	if (pl->letters) {
		if (yw_cat_search_initials_match(yw_rows_text(rows, i, 8), pl->letters))
			ini = FIELD_NAME;
		else if (yw_cat_search_initials_match(yw_rows_text(rows, i, 9), pl->letters))
			ini = FIELD_ALIAS;
	}
	*by_initials = ini > text;
	return ini > text ? ini : text;
}

typedef struct {
	long long rank, doc;
	const char *code, *name, *match;
} hit;

/* The postings of the plan after (rank, doc), in rank order, with their items' texts:
 * columns rank, doc, field, item_code, name, name_norm, alias_norm, text_norm, name_initials,
 * alias_initials. */
static yw_err postings_query(yw_db *db, yw_arena *a, const plan *pl, const filters *f,
                             long long rank, long long doc, int batch, yw_rows **rows)
{
	yw_buf sql = { 0 };
	yw_val vals[64];
	int nv = 0, rc = 0, parts = 0;
	vals[nv++] = YW_VINT(rank);
	vals[nv++] = YW_VINT(doc);
	vals[nv++] = YW_VINT(batch);
	for (int k = 0; k < 2; k++) {
		if (!pl->kind[k].driver)
			continue;
		vals[nv] = YW_VTEXT(pl->kind[k].driver);
		rc |= yw_buf_printf(&sql,
		                    "%sSELECT * FROM (SELECT t.rank, t.doc, t.field, d.item_code, d.name, "
		                    "d.name_norm, d.alias_norm, d.text_norm, d.name_initials, "
		                    "d.alias_initials FROM catalog_search_terms t "
		                    "JOIN catalog_search_docs d ON d.doc = t.doc "
		                    "WHERE t.term = $%d AND (t.rank, t.doc) > ($1, $2)",
		                    parts++ ? " UNION ALL " : "", ++nv);
		for (int i = 0; i < pl->kind[k].nothers; i++) {
			vals[nv] = YW_VTEXT(pl->kind[k].others[i]);
			rc |= yw_buf_printf(&sql,
			                    " AND EXISTS (SELECT 1 FROM catalog_search_terms x WHERE "
			                    "x.doc = t.doc AND x.field = t.field AND x.term = $%d)",
			                    ++nv);
		}
		rc |= filter_sql(&sql, f, vals, &nv);
		rc |= yw_buf_printf(&sql, " ORDER BY t.rank, t.doc LIMIT $3) p%d", k);
	}
	rc |= yw_buf_printf(&sql, " ORDER BY 1, 2 LIMIT $3");
	if (rc || yw_buf_append(&sql, "", 1)) {
		yw_buf_free(&sql);
		return YW_E_NO_MEMORY;
	}
	yw_err e = yw_db_query(db, a, rows, sql.data, vals, nv);
	yw_buf_free(&sql);
	return e;
}

/* Walk the plan's postings from the cursor until limit + 1 items are found (or the budget is
 * spent). *next gets the cursor of the following page, NULL when there is none. */
static yw_err search(yw_db *db, yw_arena *a, const plan *pl, const filters *f, long long rank,
                     long long doc, int limit, hit *hits, int *nhits, const char **next)
{
	int batch = limit + 1 < 16 ? 16 : limit + 1, scanned = 0;
	long long prev_rank = -1, prev_doc = -1;
	*nhits = 0;
	*next = NULL;
	for (;;) {
		yw_rows *rows;
		yw_err e = postings_query(db, a, pl, f, rank, doc, batch, &rows);
		if (e)
			return e;
		int n = yw_rows_count(rows);
		for (int i = 0; i < n; i++) {
			rank = yw_rows_int(rows, i, 0);
			doc = yw_rows_int(rows, i, 1);
			/* the same posting found by both kinds of match: decided once */
			if (rank == prev_rank && doc == prev_doc)
				continue;
			prev_rank = rank;
			prev_doc = doc;
			bool by_initials;
			int field = (int)yw_rows_int(rows, i, 2);
			if (best_field(pl, rows, i, &by_initials) != field)
				continue;
			if (*nhits == limit) {
				/* one more exists: the next page starts after the last one shown */
				*next = yw_sprintf(a, "%lld.%lld", hits[limit - 1].rank, hits[limit - 1].doc);
				return *next ? YW_E_OK : YW_E_NO_MEMORY;
			}
			hits[(*nhits)++] = (hit){ rank, doc, yw_rows_text(rows, i, 3), yw_rows_text(rows, i, 4),
			                          by_initials           ? "initials"
			                          : field == FIELD_NAME  ? "name"
			                          : field == FIELD_ALIAS ? "alias"
			                                                 : "text" };
		}
		scanned += n;
		if (n < batch)
			return YW_E_OK;
		if (scanned >= SCAN_BUDGET) {
			/* A rare phrase of common pieces: answer what was found, and let the next page go
			 * on from where this walk stopped. */
			*next = yw_sprintf(a, "%lld.%lld", rank, doc);
			return *next ? YW_E_OK : YW_E_NO_MEMORY;
		}
		batch = batch * 4 > 1000 ? 1000 : batch * 4;
	}
}

/* Without q: every published item the filters keep, popular first. */
static yw_err browse(yw_db *db, yw_arena *a, const filters *f, long long rank, long long doc,
                     int limit, hit *hits, int *nhits, const char **next)
{
	yw_buf sql = { 0 };
	yw_val vals[32];
	int nv = 3;
	vals[0] = YW_VINT(rank);
	vals[1] = YW_VINT(doc);
	vals[2] = YW_VINT(limit + 1);
	int rc = yw_buf_printf(&sql, "SELECT d.rank, d.doc, d.item_code, d.name FROM catalog_search_docs d "
	                             "WHERE (d.rank, d.doc) > ($1, $2)");
	rc |= filter_sql(&sql, f, vals, &nv);
	rc |= yw_buf_printf(&sql, " ORDER BY d.rank, d.doc LIMIT $3");
	if (rc || yw_buf_append(&sql, "", 1)) {
		yw_buf_free(&sql);
		return YW_E_NO_MEMORY;
	}
	yw_rows *rows;
	yw_err e = yw_db_query(db, a, &rows, sql.data, vals, nv);
	yw_buf_free(&sql);
	if (e)
		return e;
	int n = yw_rows_count(rows);
	*nhits = n > limit ? limit : n;
	for (int i = 0; i < *nhits; i++)
		hits[i] = (hit){ yw_rows_int(rows, i, 0), yw_rows_int(rows, i, 1), yw_rows_text(rows, i, 2),
		                 yw_rows_text(rows, i, 3), NULL };
	*next = n > limit ? yw_sprintf(a, "%lld.%lld", hits[limit - 1].rank, hits[limit - 1].doc) : NULL;
	return n > limit && !*next ? YW_E_NO_MEMORY : YW_E_OK;
}

/* ---- the handlers --------------------------------------------------------------------------------- */

/* The request's q, filters and cursor, checked: 400 BAD_PARAMETER (or a division's own code)
 * with yw_fail already called when wrong. *norm is NULL when there is no q. */
static yw_err parse_request(yw_req *r, const char **norm, filters *f, long long *rank,
                            long long *doc)
{
	const char *q = yw_req_query(r, "q"), *dept = yw_req_query(r, "department"),
		   *div = yw_req_query(r, "division"), *cursor = yw_req_query(r, "cursor"),
		   *topic = yw_req_query(r, "topic"), *object = yw_req_query(r, "object"),
		   *depth = yw_req_query(r, "depth"), *amo = yw_req_query(r, "at_most_once"),
		   *theme = yw_req_query(r, "theme");
	*f = (filters){ 0 };
	*norm = NULL;
	if (q && q[0]) {
		if (!yw_text_ok(q, QUERY_MAX))
			return yw_fail(r, YW_E_BAD_PARAMETER, "q 至多 %d 个字符", QUERY_MAX);
		*norm = yw_cat_search_normalise(r->arena, q);
		if (!*norm)
			return YW_E_NO_MEMORY;
		if (!(*norm)[0])
			return yw_fail(r, YW_E_BAD_PARAMETER, "q 中没有可检索的文字（汉字、字母或数字）");
	}
	if (dept && dept[0]) {
		if (!yw_text_ok(dept, 64))
			return yw_fail(r, YW_E_BAD_PARAMETER, "department 不正确");
		f->dept = dept;
	}
	/* A division filter keeps the division's own items, those of the divisions under it, and
	 * those of the divisions above it that serve it (a city item serves every district). */
	if (div && div[0]) {
		const yw_division *d;
		yw_err e = yw_division_find(div, &d);
		if (e == YW_E_BAD_DIVISION_CODE)
			return yw_fail(r, e, "行政区划代码 %s 格式不正确", div);
		if (e)
			return yw_fail(r, YW_E_DIVISION_NOT_FOUND, "行政区划 %s 不存在", div);
		char buf[YW_DIV_CODE_MAX];
		size_t n = yw_division_code(d, buf);
		while (n > 2 && n <= 6 && buf[n - 1] == '0' && buf[n - 2] == '0')
			n -= 2;
		buf[n] = '\0';
		f->prefix = yw_sprintf(r->arena, "%s%%", buf);
		f->up[0] = f->up[1] = f->up[2] = "";
		int k = 0;
		for (const yw_division *p = yw_division_parent(d); p && k < 3; p = yw_division_parent(p)) {
			yw_division_code(p, buf);
			f->up[k++] = yw_strdup(r->arena, buf);
		}
	}
	if (topic && topic[0]) {
		if (!yw_cat_topic_name(topic))
			return yw_fail(r, YW_E_BAD_PARAMETER, "topic %s 不是已知的主题分类（见 GET /api/v1/topics）",
			               yw_text_ok(topic, 40) ? topic : "");
		f->topic = yw_sprintf(r->arena, "%%,%s,%%", topic);
	}
	if (object && object[0]) {
		long long o;
		if (!yw_parse_int(object, 1, 6, &o))
			return yw_fail(r, YW_E_BAD_PARAMETER, "object 应为服务对象代码 1 到 6（GB/T 39046 A.4）");
		f->object = yw_sprintf(r->arena, "%%,%lld,%%", o);
	}
	if (depth && depth[0] && !yw_parse_int(depth, 1, 4, &f->depth))
		return yw_fail(r, YW_E_BAD_PARAMETER, "depth 应为网上办理深度 1 到 4");
	if (amo && amo[0]) {
		if (strcmp(amo, "true") && strcmp(amo, "false"))
			return yw_fail(r, YW_E_BAD_PARAMETER, "at_most_once 应为 true 或 false");
		f->at_most_once = !strcmp(amo, "true");
	}
	if (theme && theme[0]) {
		if (!yw_text_ok(theme, 64))
			return yw_fail(r, YW_E_BAD_PARAMETER, "theme 不正确");
		f->theme = theme;
	}
	/* The cursor: "<rank>.<doc>" as a page handed it out. */
	*rank = -1;
	*doc = -1;
	if (cursor && cursor[0]) {
		const char *dot = strchr(cursor, '.');
		char num[24];
		size_t n = dot ? (size_t)(dot - cursor) : 0;
		bool ok = dot && n > 0 && n < sizeof num;
		if (ok) {
			memcpy(num, cursor, n);
			num[n] = '\0';
			ok = yw_parse_int(num, 0, 4 * TIER, rank) && yw_parse_int(dot + 1, 0, INT64_MAX / 2, doc);
		}
		if (!ok)
			return yw_fail(r, YW_E_BAD_PARAMETER, "cursor 不正确");
	}
	return YW_E_OK;
}

/* A page as one read: the search (or the browse) and then, for the list, its items' rows and
 * their JSON, all in one snapshot, so that the page is consistent and the reader connection is
 * locked once rather than once per statement. */
typedef struct {
	yw_req *r;
	const char *norm;          /* NULL: browse */
	filters f;
	long long rank, doc;       /* the cursor's position */
	int limit;
	hit *hits;
	int nhits;
	const char *next;
	json_t *items;             /* the list's answer, when wanted; NULL for the suggestions */
} page;

/* The version columns for a list row. The brief answer reads none of the JSON documents of a
 * version (guide, aliases, topics, form, process, business items), which may run to kilobytes
 * each; they are replaced by empty values instead of being read and parsed 20 times a page. If
 * yw_cat_item_brief_json ever needs one of them, take it out of `lean`. */
static const char *brief_columns;
static pthread_once_t brief_once = PTHREAD_ONCE_INIT;

static void brief_columns_make(void)
{
	static const struct {
		const char *col, *as;
	} lean[] = {
		{ "v.guide", "'{}'" },   { "v.aliases", "'[]'" }, { "v.topics", "'[]'" },
		{ "v.form", "NULL" },    { "v.process", "NULL" }, { "v.business_items", "'[]'" },
	};
	yw_buf b = { 0 };
	int rc = 0;
	const char *p = YW_CAT_VERSION_COLS;
	while (*p) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, ",");
		const char *as = NULL;
		for (size_t k = 0; k < sizeof lean / sizeof lean[0]; k++)
			if (strlen(lean[k].col) == n && !memcmp(p, lean[k].col, n))
				as = lean[k].as;
		rc |= yw_buf_printf(&b, "%s", b.len ? ", " : "");
		rc |= as ? yw_buf_printf(&b, "%s", as) : yw_buf_append(&b, p, n);
		p += n;
		if (*p == ',')
			p++;
	}
	rc |= yw_buf_append(&b, "", 1);
	/* Kept for the life of the process; the full list serves if this ever fails. */
	brief_columns = rc ? YW_CAT_VERSION_COLS : b.data;
	if (rc)
		yw_buf_free(&b);
}

static yw_err page_items(yw_db *db, page *p)
{
	yw_arena *a = p->r->arena;
	pthread_once(&brief_once, brief_columns_make);
	yw_buf sql = { 0 };
	yw_val vals[100];
	int rc = yw_buf_printf(&sql,
	                       "SELECT %s, %s FROM catalog_items i JOIN catalog_item_versions v "
	                       "ON v.item_code = i.code AND v.version = i.current_version "
	                       "WHERE i.code IN (",
	                       YW_CAT_ITEM_COLS, brief_columns);
	for (int i = 0; i < p->nhits; i++) {
		vals[i] = YW_VTEXT(p->hits[i].code);
		rc |= yw_buf_printf(&sql, "%s$%d", i ? ", " : "", i + 1);
	}
	rc |= yw_buf_append(&sql, ")", 2);
	yw_rows *rows = NULL;
	yw_err e = rc ? YW_E_NO_MEMORY : yw_db_query(db, a, &rows, sql.data, vals, p->nhits);
	yw_buf_free(&sql);
	if (e)
		return e;
	/* In the order of the search. */
	for (int h = 0; h < p->nhits; h++)
		for (int i = 0; i < yw_rows_count(rows); i++) {
			if (strcmp(yw_rows_text(rows, i, 0), p->hits[h].code))
				continue;
			yw_cat_item it;
			yw_cat_version v;
			yw_cat_item_row(rows, i, &it);
			yw_cat_version_row(a, rows, i, YW_CAT_ITEM_NCOLS, &v);
			json_t *j = yw_cat_item_brief_json(p->r->app->store, a, &it, &v);
			if (j && p->hits[h].match)
				json_object_set_new(j, "match", json_string(p->hits[h].match));
			json_array_append_new(p->items, j);
			break;
		}
	return YW_E_OK;
}

static yw_err page_read(yw_db *db, void *arg)
{
	page *p = arg;
	yw_arena *a = p->r->arena;
	yw_err e;
	p->nhits = 0;
	p->next = NULL;
	if (!p->norm) {
		e = browse(db, a, &p->f, p->rank, p->doc, p->limit, p->hits, &p->nhits, &p->next);
	} else {
		plan pl;
		e = plan_make(db, a, p->norm, &pl);
		if (!e)
			e = search(db, a, &pl, &p->f, p->rank, p->doc, p->limit, p->hits, &p->nhits, &p->next);
	}
	return e || !p->items || !p->nhits ? e : page_items(db, p);
}

static yw_err items_list(yw_req *r)
{
	yw_err ge = yw_cat_need_store(r);
	if (ge)
		return ge;
	const char *lim = yw_req_query(r, "limit");
	long long limit = 20;
	if (lim && !yw_parse_int(lim, 1, 100, &limit))
		return yw_fail(r, YW_E_BAD_PARAMETER, "limit 应为 1 到 100 的整数");
	hit hits[100];
	page p = { .r = r, .limit = (int)limit, .hits = hits };
	yw_err e = parse_request(r, &p.norm, &p.f, &p.rank, &p.doc);
	if (e)
		return e;
	if (!(p.items = yw_arena_json(r->arena, json_array())))
		return YW_E_NO_MEMORY;
	if ((e = yw_store_read(r->app->store, page_read, &p)))
		return yw_fail(r, e, "检索事项失败");
	return yw_reply_json(r, 200, json_pack("{s:O, s:o}", "items", p.items, "next_cursor",
	                                       p.next ? json_string(p.next) : json_null()));
}

static yw_err items_suggest(yw_req *r)
{
	yw_err ge = yw_cat_need_store(r);
	if (ge)
		return ge;
	const char *q = yw_req_query(r, "q");
	if (!q || !q[0])
		return yw_fail(r, YW_E_BAD_PARAMETER, "缺少 q");
	hit hits[SUGGEST_MAX];
	page p = { .r = r, .limit = SUGGEST_MAX, .hits = hits };
	yw_err e = parse_request(r, &p.norm, &p.f, &p.rank, &p.doc);
	if (e)
		return e;
	if ((e = yw_store_read(r->app->store, page_read, &p)))
		return yw_fail(r, e, "检索事项失败");
	json_t *arr = json_array();
	for (int i = 0; arr && i < p.nhits; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s}", "code", hits[i].code, "name", hits[i].name));
	return yw_reply_json(r, 200, json_pack("{s:o}", "suggestions", arr));
}

void yw_cat_search_routes(yw_router *rt)
{
	yw_route(rt, "GET", "/api/v1/items", items_list);
	yw_route(rt, "GET", "/api/v1/items/suggest", items_suggest);
}
