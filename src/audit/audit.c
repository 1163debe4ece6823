/*
 * audit.c — appending to the hash chain and walking it.
 *
 * An entry's hash is SM3 over a canonical encoding of all its fields and the previous entry's
 * hash. The encoding length-prefixes every field ("<bytes>:<value>", or "~" for NULL) behind a
 * version tag, so no two different entries encode to the same bytes; JSON values are stored in
 * one canonical form (compact, keys sorted), and the hash is taken over the stored text, so
 * verification needs nothing but the rows themselves.
 *
 * A field is hashed as the bytes the database holds, by their true length, not as a C string:
 * SQLite text can hold a NUL, and whatever were hidden behind one would otherwise escape the
 * hash. Appends only ever store NUL-free text, so on verification a text field that holds a
 * NUL, or that is not text at all (a blob of the same bytes), was edited behind the API's back;
 * so was a stored hash that is not exactly the 64 hex digits it is compared with.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "audit.h"

#define ENCODING_TAG "yw-audit-1\n"
#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

enum { HASH_HEX = 64, PAGE_ROWS = 512 };

/* A text field's bytes and their count; p is NULL for SQL NULL. */
typedef struct {
	const char *p;
	size_t n;
} span;

/* The fields that the hash covers, as stored. */
typedef struct {
	long long seq, at;
	span actor, action, object_type, object_id;
	span old_value, new_value;           /* canonical JSON text or NULL */
	span prev_hash;
} fields;

static span span_of(const char *s)
{
	return (span){.p = s, .n = s ? strlen(s) : 0};
}

/* ---- the hash ---------------------------------------------------------------------------- */

static int feed(EVP_MD_CTX *md, span s)
{
	char len[24];

	if (!s.p)
		return EVP_DigestUpdate(md, "~", 1);
	snprintf(len, sizeof(len), "%zu:", s.n);
	return EVP_DigestUpdate(md, len, strlen(len)) && EVP_DigestUpdate(md, s.p, s.n);
}

static int feed_int(EVP_MD_CTX *md, long long x)
{
	char s[24];

	snprintf(s, sizeof(s), "%lld", x);
	return feed(md, span_of(s));
}

static yw_err hash_fields(const fields *f, char out[HASH_HEX + 1])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int dn = 0;
	yw_err r = YW_E_INTERNAL;
	int ok;

	if (!md)
		return YW_E_NO_MEMORY;
	ok = EVP_DigestInit_ex(md, EVP_sm3(), NULL) &&
	     EVP_DigestUpdate(md, ENCODING_TAG, strlen(ENCODING_TAG)) &&
	     feed_int(md, f->seq) && feed_int(md, f->at) && feed(md, f->actor) &&
	     feed(md, f->action) && feed(md, f->object_type) && feed(md, f->object_id) &&
	     feed(md, f->old_value) && feed(md, f->new_value) && feed(md, f->prev_hash) &&
	     EVP_DigestFinal_ex(md, d, &dn) && dn * 2 == HASH_HEX;
	if (!ok)
		goto out;
	for (unsigned int i = 0; i < dn; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
	r = YW_E_OK;
out:
	EVP_MD_CTX_free(md);
	return r;
}

/* ---- append ------------------------------------------------------------------------------ */

/* Compact with sorted keys, so that equal values are stored (and hashed) as equal text. */
static char *canonical_json(yw_arena *a, const json_t *j, bool *failed)
{
	char *heap, *s;

	if (!j)
		return NULL;
	heap = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	s = heap ? yw_strdup(a, heap) : NULL;
	free(heap);
	if (!s)
		*failed = true;
	return s;
}

static bool entry_complete(const yw_audit_entry *e)
{
	return e && e->actor && e->action && e->object_type && e->object_id;
}

static yw_err insert_entry(yw_db *tx, const fields *f, const char *hash)
{
	return yw_db_exec(tx,
	                  "INSERT INTO audit_log (seq, at, actor, action, object_type, object_id, "
	                  "old_value, new_value, prev_hash, hash) "
	                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
	                  YW_PARAMS(YW_VINT(f->seq), YW_VINT(f->at), YW_VTEXT(f->actor.p),
	                            YW_VTEXT(f->action.p), YW_VTEXT(f->object_type.p),
	                            YW_VTEXT(f->object_id.p), YW_VTEXT(f->old_value.p),
	                            YW_VTEXT(f->new_value.p), YW_VTEXT(f->prev_hash.p),
	                            YW_VTEXT(hash)),
	                  NULL);
}

yw_err yw_audit_append(yw_db *tx, const yw_audit_entry *e, long long *seq)
{
	yw_arena *a = NULL;
	yw_rows *head;
	fields f;
	char hash[HASH_HEX + 1];
	bool failed = false;
	yw_err r = YW_E_INTERNAL;

	if (!entry_complete(e)) {
		yw_log(YW_LOG_ERROR, "audit: entry without actor, action or object");
		goto out;
	}
	r = YW_E_NO_MEMORY;
	a = yw_arena_new(2048);
	if (!a)
		goto out;
	/* C strings, so no NUL among the bytes hashed here and stored below. */
	f = (fields){.at = yw_now_ms(), .actor = span_of(e->actor), .action = span_of(e->action),
	             .object_type = span_of(e->object_type), .object_id = span_of(e->object_id),
	             .old_value = span_of(canonical_json(a, e->old_value, &failed)),
	             .new_value = span_of(canonical_json(a, e->new_value, &failed))};
	if (failed)
		goto out;
	/* Taking the next number first locks the head row until commit on PostgreSQL. */
	r = yw_db_query(tx, a, &head,
	                "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash",
	                YW_NOPARAMS);
	if (r)
		goto out;
	r = YW_E_INTERNAL;
	if (yw_rows_count(head) != 1) {
		yw_log(YW_LOG_ERROR, "audit: audit_head row is missing");
		goto out;
	}
	f.seq = yw_rows_int(head, 0, 0);
	f.prev_hash = span_of(yw_rows_text(head, 0, 1));
	r = hash_fields(&f, hash);
	if (r)
		goto out;
	r = insert_entry(tx, &f, hash);
	if (r)
		goto out;
	r = yw_db_exec(tx, "UPDATE audit_head SET hash = $1 WHERE id = 1",
	               YW_PARAMS(YW_VTEXT(hash)), NULL);
	if (r == YW_E_OK && seq)
		*seq = f.seq;
out:
	if (a)
		yw_arena_free(a);
	return r;
}

yw_err yw_audit_add(yw_db *tx, const char *actor, const char *action, const char *object_type,
                    const char *object_id, json_t *old_value, json_t *new_value)
{
	yw_audit_entry en = { .actor = actor, .action = action, .object_type = object_type,
	                      .object_id = object_id, .old_value = old_value, .new_value = new_value };
	yw_err e = new_value ? yw_audit_append(tx, &en, NULL) : YW_E_NO_MEMORY;
	json_decref(old_value);
	json_decref(new_value);
	return e;
}

/* ---- verify ------------------------------------------------------------------------------ */

typedef struct {
	yw_audit_report *rep;
	yw_db *db;
	yw_arena *a;               /* for the page being checked */
	long long expect;          /* the sequence number the next entry must have */
	long long head_seq;        /* the last sequence number the head row vouches for */
	char prev_hash[HASH_HEX + 1];
	bool broken;
} walk;

static void broken(walk *w, long long seq, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void broken(walk *w, long long seq, const char *fmt, ...)
{
	va_list ap;

	w->broken = true;
	w->rep->first_bad = seq;
	va_start(ap, fmt);
	vsnprintf(w->rep->reason, sizeof(w->rep->reason), fmt, ap);
	va_end(ap);
}

/* A text cell as stored. False when it is neither text nor NULL, or hides bytes behind a NUL:
 * no append stores either. */
static bool text_cell(const yw_rows *rows, int i, int col, span *out)
{
	yw_val_type t = yw_rows_type(rows, i, col);

	*out = (span){0};
	if (t == YW_V_NULL)
		return true;
	if (t != YW_V_TEXT)
		return false;
	out->p = yw_rows_blob(rows, i, col, &out->n);
	return memchr(out->p, '\0', out->n) == NULL;
}

/* check_page's text columns, from actor (column 2) on. */
static const char *const text_columns[] = {
	"actor", "action", "object_type", "object_id", "old_value", "new_value", "prev_hash", "hash",
};

/* Entry i's fields and stored hash; *bad names the first column that is not plain text. */
static fields row_fields(const yw_rows *rows, int i, span *hash, const char **bad)
{
	fields f = {.seq = yw_rows_int(rows, i, 0), .at = yw_rows_int(rows, i, 1)};
	span *cols[] = {&f.actor, &f.action, &f.object_type, &f.object_id, &f.old_value,
	                &f.new_value, &f.prev_hash, hash};

	*bad = NULL;
	for (int c = 0; c < (int)(sizeof(cols) / sizeof(cols[0])); c++)
		if (!text_cell(rows, i, 2 + c, cols[c]) && !*bad)
			*bad = text_columns[c];
	return f;
}

static bool span_is(span s, const char *z)
{
	return s.p && z && s.n == strlen(z) && memcmp(s.p, z, s.n) == 0;
}

/* The entry after s, when there is one: its prev_hash and hash. */
static yw_err next_entry(walk *w, long long s, const char **prev, const char **hash)
{
	yw_rows *rows;
	yw_err r = yw_db_query(w->db, w->a, &rows,
	                       "SELECT prev_hash, hash FROM audit_log WHERE seq = $1",
	                       YW_PARAMS(YW_VINT(s + 1)));

	*prev = *hash = NULL;
	if (r == YW_E_OK && yw_rows_count(rows) == 1) {
		*prev = yw_rows_text(rows, 0, 0);
		*hash = yw_rows_text(rows, 0, 1);
	}
	return r;
}

/* Where the true successor of entry s-1 went, if it is elsewhere in the log; 0 if nowhere. */
static yw_err successor_elsewhere(walk *w, long long s, long long *at)
{
	yw_rows *rows;
	yw_err r = yw_db_query(w->db, w->a, &rows,
	                       "SELECT seq FROM audit_log WHERE prev_hash = $1 AND seq <> $2 "
	                       "ORDER BY seq LIMIT 1",
	                       YW_PARAMS(YW_VTEXT(w->prev_hash), YW_VINT(s)));

	*at = r == YW_E_OK && yw_rows_count(rows) ? yw_rows_int(rows, 0, 0) : 0;
	return r;
}

/* Entry s is not what the chain expects. Its neighbours tell what happened: an entry whose
 * successor links straight back to s-1 was slipped in between; one that links to the entry
 * that should follow it, and is linked to by it, changed places with it; one whose rightful
 * occupant sits elsewhere was moved; a sound entry that links to a hash nobody has any more
 * follows an entry rewritten with a fresh hash; otherwise its own fields were changed. */
static yw_err diagnose(walk *w, const fields *f, bool self_ok, bool link_ok)
{
	long long s = f->seq, t;
	const char *next_prev, *next_hash;
	yw_err r = next_entry(w, s, &next_prev, &next_hash);

	if (r)
		return r;
	if (next_prev && strcmp(next_prev, w->prev_hash) == 0) {
		if (span_is(f->prev_hash, next_hash))
			broken(w, s, "第 %lld 条与第 %lld 条顺序错乱（两条记录被对调）", s, s + 1);
		else
			broken(w, s, "第 %lld 条是插入的记录：其后一条接续的是第 %lld 条", s, s - 1);
		return YW_E_OK;
	}
	if (link_ok) {
		broken(w, s, "第 %lld 条被修改：内容与其哈希不符", s);
		return YW_E_OK;
	}
	r = successor_elsewhere(w, s, &t);
	if (r)
		return r;
	if (t)
		broken(w, s, "第 %lld 条顺序错乱：本应紧接第 %lld 条的记录出现在第 %lld 条", s, s - 1, t);
	else if (self_ok && s > 1)
		broken(w, s - 1, "第 %lld 条被改写并重算了哈希：第 %lld 条接续的不是它现在的哈希",
		       s - 1, s);
	else if (self_ok)
		broken(w, s, "第 1 条是伪造的记录：其前序哈希不是链的起点");
	else
		broken(w, s, "第 %lld 条被修改：前序哈希与第 %lld 条不符", s, s - 1);
	return YW_E_OK;
}

static yw_err check_entry(walk *w, const yw_rows *rows, int i)
{
	span stored;
	const char *bad;
	fields f = row_fields(rows, i, &stored, &bad);
	char hash[HASH_HEX + 1];
	bool self_ok, link_ok;
	yw_err r;

	if (f.seq < w->expect) {
		broken(w, f.seq, "序号为 %lld 的记录不在链上（序号应从 1 开始连续递增），是插入的记录",
		       f.seq);
		return YW_E_OK;
	}
	if (f.seq > w->head_seq) {
		broken(w, f.seq, "第 %lld 条在链头（第 %lld 条）之后，是插入的记录", f.seq, w->head_seq);
		return YW_E_OK;
	}
	if (f.seq > w->expect) {
		if (f.seq == w->expect + 1)
			broken(w, w->expect, "第 %lld 条缺失（被删除）", w->expect);
		else
			broken(w, w->expect, "第 %lld 条至第 %lld 条缺失（被删除）", w->expect, f.seq - 1);
		return YW_E_OK;
	}
	if (bad) {
		broken(w, f.seq, "第 %lld 条被修改：%s 字段不是文本，或在 NUL 字符后藏有内容", f.seq, bad);
		return YW_E_OK;
	}
	r = hash_fields(&f, hash);
	if (r)
		return r;
	self_ok = span_is(stored, hash);
	link_ok = span_is(f.prev_hash, w->prev_hash);
	if (!self_ok || !link_ok)
		return diagnose(w, &f, self_ok, link_ok);
	w->expect++;
	w->rep->checked++;
	memcpy(w->prev_hash, hash, sizeof(w->prev_hash));   /* the same bytes as the stored hash */
	return YW_E_OK;
}

/* Loads one page after `after` into w->a; *n gets how many rows came. */
static yw_err check_page(walk *w, long long after, int *n)
{
	yw_rows *rows;
	yw_err r = yw_db_query(w->db, w->a, &rows,
	                       "SELECT seq, at, actor, action, object_type, object_id, old_value, "
	                       "new_value, prev_hash, hash FROM audit_log WHERE seq > $1 "
	                       "ORDER BY seq LIMIT $2",
	                       YW_PARAMS(YW_VINT(after), YW_VINT(PAGE_ROWS)));

	*n = 0;
	if (r)
		return r;
	*n = yw_rows_count(rows);
	for (int i = 0; i < *n && !w->broken && r == YW_E_OK; i++)
		r = check_entry(w, rows, i);
	return r;
}

/* Entries removed from the end leave no gap, entries added after it leave no mark on the
 * entries before: only the head row remembers where the chain ended. It is read first, in the
 * same snapshot as the walk. */
static yw_err read_head(walk *w, char hash[HASH_HEX + 1], bool *found)
{
	yw_rows *rows;
	yw_err r = yw_db_query(w->db, w->a, &rows, "SELECT seq, hash FROM audit_head WHERE id = 1",
	                       YW_NOPARAMS);
	span h;

	*found = false;
	if (r || yw_rows_count(rows) != 1)
		return r;
	*found = true;
	w->head_seq = yw_rows_int(rows, 0, 0);
	/* A head hash that is not exactly a hash is left empty, to match no entry in check_tail,
	 * rather than cut at a NUL or after 64 characters into one that might. */
	hash[0] = '\0';
	if (text_cell(rows, 0, 1, &h) && h.n == HASH_HEX) {
		memcpy(hash, h.p, HASH_HEX);
		hash[HASH_HEX] = '\0';
	}
	return YW_E_OK;
}

static void check_tail(walk *w, const char *head_hash)
{
	long long last = w->expect - 1;

	if (w->head_seq == last + 1)
		broken(w, last + 1, "第 %lld 条缺失（日志末尾被删除）", last + 1);
	else if (w->head_seq > last)
		broken(w, last + 1, "第 %lld 条至第 %lld 条缺失（日志末尾被删除）", last + 1, w->head_seq);
	else if (strcmp(head_hash, w->prev_hash) != 0)
		broken(w, last, "第 %lld 条（最后一条）被修改：与链头记录的哈希不符", last);
}

static yw_err walk_pages(walk *w)
{
	long long after = LLONG_MIN;
	yw_err r = YW_E_OK;
	int n = PAGE_ROWS;

	while (r == YW_E_OK && !w->broken && n == PAGE_ROWS) {
		w->a = yw_arena_new(64 * 1024);
		if (!w->a)
			return YW_E_NO_MEMORY;
		r = check_page(w, after, &n);
		yw_arena_free(w->a);
		w->a = NULL;
		after = w->expect - 1;
	}
	return r;
}

static yw_err walk_chain(yw_db *db, void *arg)
{
	walk *w = arg;
	char head_hash[HASH_HEX + 1];
	bool found;
	yw_err r;

	w->db = db;
	w->a = yw_arena_new(1024);
	if (!w->a)
		return YW_E_NO_MEMORY;
	r = read_head(w, head_hash, &found);
	yw_arena_free(w->a);
	w->a = NULL;
	if (r)
		return r;
	if (!found) {
		broken(w, 1, "链头记录（audit_head）缺失");
		return YW_E_OK;
	}
	r = walk_pages(w);
	if (r == YW_E_OK && !w->broken)
		check_tail(w, head_hash);
	return r;
}

yw_err yw_audit_verify(yw_store *s, yw_audit_report *rep)
{
	walk w = {.rep = rep, .expect = 1};
	yw_err r;

	memset(rep, 0, sizeof(*rep));
	snprintf(w.prev_hash, sizeof(w.prev_hash), "%s", GENESIS_HASH);
	/* One snapshot for the whole walk: appends made meanwhile must not look like tampering. */
	r = yw_store_read(s, walk_chain, &w);
	if (r)
		return r;
	return w.broken ? YW_E_AUDIT_BROKEN : YW_E_OK;
}
