/*
 * base — the ground every other module stands on.
 *
 * It owns no tables and no threads. It gives: errors as values (yw_err, one table in errors.def),
 * the per-request arena that every handler allocates from and that is freed in one go when the
 * response is sent, a few string and JSON helpers over jansson, the structured log (one line per
 * request, never a body, an ID number or a phone number), configuration (file < environment <
 * flags), UTC time in epoch milliseconds and civil-date arithmetic, and the validators for the
 * national identifiers (citizen ID, USCC, mobile number) with their standard check characters.
 */
#ifndef YW_BASE_H
#define YW_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#define YW_VERSION "0.1.0"

/* ---- errors ------------------------------------------------------------------------------ */

typedef enum {
#define YW_ERROR(code, status, title) YW_E_##code,
#include "errors.def"
#undef YW_ERROR
	YW_E__COUNT
} yw_err;

const char *yw_err_code(yw_err e);   /* "DIVISION_NOT_FOUND" */
int yw_err_status(yw_err e);         /* 404 */
const char *yw_err_title(yw_err e);  /* Chinese title */

/* ---- arena ------------------------------------------------------------------------------- */

/* A bump allocator: many small allocations, one free. Cleanup hooks run (last registered first)
 * when the arena is destroyed, so a request can own a jansson object or a statement handle
 * without a free on every exit path. Allocation failure returns NULL, never aborts. */
typedef struct yw_arena yw_arena;
typedef void (*yw_cleanup_fn)(void *p);

yw_arena *yw_arena_new(size_t first_block);
void yw_arena_free(yw_arena *a);
void *yw_alloc(yw_arena *a, size_t n);            /* 16-byte aligned, uninitialised */
void *yw_zalloc(yw_arena *a, size_t n);
char *yw_strdup(yw_arena *a, const char *s);
char *yw_strndup(yw_arena *a, const char *s, size_t n);
char *yw_sprintf(yw_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *yw_vsprintf(yw_arena *a, const char *fmt, va_list ap);
int yw_arena_defer(yw_arena *a, yw_cleanup_fn fn, void *p);  /* 0 ok, -1 no memory (fn(p) run now) */
json_t *yw_arena_json(yw_arena *a, json_t *j);    /* arena takes the reference; returns j */
size_t yw_arena_used(const yw_arena *a);

/* ---- strings ----------------------------------------------------------------------------- */

/* A growable byte buffer on the heap (for bodies being read and responses being built). */
typedef struct {
	char *data;
	size_t len, cap;
} yw_buf;

int yw_buf_append(yw_buf *b, const void *p, size_t n);      /* 0 ok, -1 no memory */
int yw_buf_printf(yw_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void yw_buf_free(yw_buf *b);

bool yw_str_all_digits(const char *s, size_t n);
bool yw_str_eq(const char *a, const char *b);               /* NULL-safe */
bool yw_str_has_prefix(const char *s, const char *prefix);
/* The bytes of s between its leading and trailing blanks (space, tab, CR, LF and the full-width
 * space U+3000 a Chinese input method types): *len of them from the returned pointer. A text of
 * blanks only has *len 0, so a required answer of "   " counts as not given. */
const char *yw_str_trimmed(const char *s, size_t *len);
/* Parse a decimal integer that must span the whole string, within [min, max]. */
bool yw_parse_int(const char *s, long long min, long long max, long long *out);

/* ---- JSON helpers ------------------------------------------------------------------------ */

/* Parse a request body. Rejects anything but an object at the top level, duplicate keys and
 * NUL bytes; on failure *why gets a short Chinese reason allocated from a. */
yw_err yw_json_parse_object(yw_arena *a, const char *body, size_t len, json_t **out, const char **why);
/* Field getters that return false when the field is missing or of another type. */
bool yw_json_str(const json_t *obj, const char *key, const char **out);
bool yw_json_int(const json_t *obj, const char *key, long long *out);
bool yw_json_bool(const json_t *obj, const char *key, bool *out);
/* Serialise compactly into the arena (UTF-8, no escaping of CJK). */
char *yw_json_dump(yw_arena *a, const json_t *j, size_t *len);

/* ---- time -------------------------------------------------------------------------------- */

typedef int64_t yw_ms;               /* milliseconds since 1970-01-01T00:00:00Z */
yw_ms yw_now_ms(void);
uint64_t yw_now_us_mono(void);       /* monotonic, for durations */

/* A civil date. Days are counted from 1970-01-01 (day 0) for arithmetic. */
typedef struct { int y, m, d; } yw_date;
bool yw_date_valid(yw_date d);
bool yw_date_parse(const char *s, yw_date *out);      /* strict YYYY-MM-DD, real date */
void yw_date_format(yw_date d, char out[11]);
int64_t yw_date_to_days(yw_date d);
yw_date yw_days_to_date(int64_t days);
int yw_date_weekday(yw_date d);                        /* 0 = Sunday … 6 = Saturday */
yw_date yw_date_today_cst(void);                       /* today in China Standard Time (UTC+8) */

/* ---- log --------------------------------------------------------------------------------- */

typedef enum { YW_LOG_DEBUG, YW_LOG_INFO, YW_LOG_WARN, YW_LOG_ERROR } yw_log_level;
void yw_log_set_level(yw_log_level lvl);
/* "debug", "info", "warn", "error"; parse returns false for anything else. */
const char *yw_log_level_name(yw_log_level lvl);
bool yw_log_level_parse(const char *s, yw_log_level *out);
void yw_log(yw_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The one access-log line per request. `route` is the route pattern (/api/v1/divisions/{code}),
 * never the raw path, so that identifiers in paths never reach the log. */
void yw_log_request(const char *request_id, const char *method, const char *route, int status,
                    uint64_t micros);

/* ---- configuration ----------------------------------------------------------------------- */

/* Resolved settings. Each is taken from, in rising precedence: built-in default, the config
 * file (<data>/yiwang.conf or --config), the environment (YW_LISTEN, YW_DATA, YW_DB, …), and the
 * command-line flags. */
typedef struct {
	char listen_host[64];
	int listen_port;
	char data_dir[512];
	char db[1024];           /* "sqlite" or a postgres:// / postgresql:// URI */
	char web_dir[512];       /* built web app, default web/dist */
	char config_file[600];
	int threads;             /* HTTP worker threads, default = number of CPUs */
	int max_connections;
	int timeout_s;           /* seconds a connection may stay idle */
	size_t max_body;         /* bytes */
	size_t max_upload;       /* bytes, for the routes that take a file (materials): 12 MiB */
	int max_headers;
	bool sandbox;
	char trusted_proxy[64];  /* address of the reverse proxy whose X-Real-IP is believed; "" none */
	yw_log_level log_level;
	int staff_password_max_age_days;   /* R-ID-010: staff passwords expire after this, default 90 */
	char public_url[512];    /* the address people and systems reach us at (the OIDC issuer);
	                          * "" means http://<listen> */
	int oidc_token_ttl_s;    /* lifetime of OIDC access and ID tokens in seconds, default 600 */
	int webhook_retry_base_ms;  /* first webhook retry after this, doubling; default 30000 */
	long long upload_day_limit; /* bytes one material space may upload in 24 h: 500 MiB */
} yw_config;

void yw_config_defaults(yw_config *c);
/* Apply "key = value" lines from a file; a missing file is fine unless `required`. On error,
 * writes a message into err (Chinese, with file and line). */
int yw_config_load_file(yw_config *c, const char *path, bool required, char *err, size_t errlen);
int yw_config_load_env(yw_config *c, char *err, size_t errlen);
/* Set one setting by its key (listen, data, db, web, threads, max-connections, timeout, max-body, max-upload,
 * max-headers, sandbox, log-level, trusted-proxy, staff-password-max-age-days). Returns 0, or -1
 * with a message. */
int yw_config_set(yw_config *c, const char *key, const char *value, char *err, size_t errlen);
/* Whether a db setting names PostgreSQL (postgres:// or postgresql://) rather than SQLite. */
bool yw_config_db_is_postgres(const char *db);

/* ---- secrets: field encryption, lookup hashes, random tokens ----------------------------- */

/* Personal numbers (ID, phone) are stored sealed with AES-256-GCM and found through a keyed hash
 * (HMAC-SHA256), so a copy of the database alone reveals neither. Both keys come from one
 * 64-byte key file, <data>/keys/field.key (mode 0600), created on first use; losing it loses the
 * numbers, so it is part of every backup (docs/operations.md). */
typedef struct yw_keys yw_keys;
/* Load the key file from data_dir, creating it (and keys/) when absent. */
yw_err yw_keys_open(const char *data_dir, yw_keys **out, char *err, size_t errlen);
void yw_keys_close(yw_keys *k);
/* Seal plaintext into printable text "v1.<base64url(nonce|ciphertext|tag)>" in the arena. */
char *yw_seal(yw_keys *k, yw_arena *a, const char *plaintext);
/* Open what yw_seal made; NULL if it was tampered with or is not ours. */
char *yw_unseal(yw_keys *k, yw_arena *a, const char *sealed);
/* Keyed lookup hash of a normalised value, 64 hex characters; `purpose` separates uses
 * ("id", "mobile") so equal values under different purposes do not collide. */
void yw_lookup_hash(yw_keys *k, const char *purpose, const char *value, char out[65]);
/* base64url without padding (RFC 4648 §5). Decoding is strict: no padding, nothing outside the
 * alphabet, no impossible length, no stray low bits; NULL otherwise. The result is NUL-terminated
 * and *out_len excludes the NUL. encode_to writes (n * 4 + 2) / 3 characters and a NUL into out
 * and returns the characters written, for callers without an arena. */
char *yw_b64url_encode(yw_arena *a, const void *data, size_t n);
size_t yw_b64url_encode_to(const void *data, size_t n, char *out);
unsigned char *yw_b64url_decode(yw_arena *a, const char *s, size_t n, size_t *out_len);
bool yw_b64url_char(char c);     /* whether c is in the base64url alphabet */
/* Whether s is exactly n base64url characters: a cheap check that a token or PKCE challenge is
 * one we could have made, before it costs a hash or a query. */
bool yw_b64url_shaped(const char *s, size_t n);
/* n random bytes as base64url (no padding) in the arena; for session ids and tokens. */
char *yw_random_token(yw_arena *a, size_t nbytes);
/* n ids that sort, as text, in the order they were made: prefix, then 8 characters of the
 * milliseconds since 1970 and 12 random ones (72 bits), 20 base64url characters in all. Rows
 * keyed by them go in at the right edge of each index that leads with the id instead of on a
 * random leaf, so a batch of writes dirties a few pages rather than one per row and index. The
 * n ids share one draw of the random generator. NO_MEMORY, or INTERNAL when it fails. */
yw_err yw_sortable_ids(yw_arena *a, const char *prefix, const char **out, size_t n);
/* SHA-256 of s as 64 hex characters (a token is stored only as its hash). */
void yw_sha256_hex(const char *s, size_t n, char out[65]);

/* ---- identifier validators (STANDARDS.md §1, §2) ----------------------------------------- */

/* Citizen ID (GB 11643-1999). Accepts 18 characters (lower-case x allowed) or a 15-digit
 * GB 11643-1989 number, which is upgraded. On success `out18` holds the 18-character form. */
yw_err yw_id_check(const char *s, char out18[19]);
char yw_id_check_char(const char body17[17]);          /* '0'..'9' or 'X' */
/* Derived facts of a valid 18-character ID. */
void yw_id_birth(const char id18[19], yw_date *birth);
bool yw_id_is_male(const char id18[19]);

/* Unified social credit code (GB 32100-2015): charset, MOD 31-3 check, and the embedded
 * GB 11714 organisation-code check of positions 9–17. */
yw_err yw_uscc_check(const char *s);
char yw_uscc_check_char(const char body17[17]);
/* Mainland mobile: 11 digits starting 1[3-9]; an optional +86/86 prefix is accepted and dropped. */
yw_err yw_mobile_check(const char *s, char out11[12]);

/* Masking for display: 3413**********123X and 138****5678. */
void yw_mask_id(const char id18[19], char out[19]);
void yw_mask_mobile(const char m11[12], char out[12]);

#endif
