/*
 * Events for department systems (src/events): the pure rules (types, retry schedule, URLs, the
 * signature), then yw_events_emit and one pass of the delivery thread (yw_events_deliver_due)
 * on a real store — SQLite, and PostgreSQL under scripts/with-postgres.sh — POSTing to a real
 * HTTP listener started here (libmicrohttpd on a port the kernel picks) that answers 500 or 200
 * as a test tells it and records what it was sent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <unistd.h>

#include "events/events.h"
#include "store_fixture.h"

/* ---- pure rules -------------------------------------------------------------------------- */

static void test_types(void **state)
{
	assert_int_equal(yw_event_types_n, 15);
	assert_true(yw_event_type_known("case.submitted"));
	assert_true(yw_event_type_known("case.not_accepted"));
	assert_true(yw_event_type_known("case.terminated"));
	assert_false(yw_event_type_known("*"));              /* a subscription's wildcard, not a type */
	assert_false(yw_event_type_known("case.Submitted"));
	assert_false(yw_event_type_known("case.submitted "));
	assert_false(yw_event_type_known(""));
	assert_false(yw_event_type_known(NULL));
}

static void test_backoff(void **state)
{
	/* 30 s, 1, 2, 4 … minutes */
	const yw_ms base = 30000;
	assert_int_equal(yw_events_backoff_ms(1, base), 30000);
	assert_int_equal(yw_events_backoff_ms(2, base), 60000);
	assert_int_equal(yw_events_backoff_ms(3, base), 120000);
	assert_int_equal(yw_events_backoff_ms(4, base), 240000);
	assert_int_equal(yw_events_backoff_ms(10, base), 30000LL << 9);       /* 256 minutes */
	/* 512 minutes would be more than 6 hours */
	assert_int_equal(yw_events_backoff_ms(11, base), 6 * 3600 * 1000);
	assert_int_equal(yw_events_backoff_ms(12, base), 6 * 3600 * 1000);
	assert_int_equal(yw_events_backoff_ms(1000, base), 6 * 3600 * 1000);  /* no overflow */
	assert_int_equal(yw_events_backoff_ms(1, 8LL * 3600 * 1000), 6 * 3600 * 1000);
	/* nonsense attempts still wait the base */
	assert_int_equal(yw_events_backoff_ms(0, base), 30000);
	assert_int_equal(yw_events_backoff_ms(-3, base), 30000);
}

static void test_urls(void **state)
{
	const char *good[] = {
		"https://gs.example.gov.cn/hooks/yiwang",
		"http://127.0.0.1:8080/hook",
		"http://10.1.2.3/",             /* department systems live on internal networks */
		"https://[::1]:8443/x?y=1",
		"HTTPS://Example.gov.cn",
		"http://localhost",
		"http://localhost:65535/",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		if (yw_webhook_url_problem(good[i]))
			fail_msg("%s refused: %s", good[i], yw_webhook_url_problem(good[i]));
	const char *bad[] = {
		"", "ftp://example.gov.cn/x", "file:///etc/passwd", "gopher://h/", "javascript:alert(1)",
		"example.gov.cn/hook", "//example.gov.cn/hook", "http://", "https://", "http:///x",
		"http://?x", "http://user:pw@example.gov.cn/", "http://user@example.gov.cn/",
		"http://example.gov.cn/a b", "http://example.gov.cn/\t", "http://example.gov.cn/#frag",
		"http://exa mple.gov.cn/", "http://example.gov.cn:99999/", "http://example.gov.cn:x/",
		"http://x.com:0/", "https://x.com:00/",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (!yw_webhook_url_problem(bad[i]))
			fail_msg("\"%s\" accepted", bad[i]);
	assert_non_null(yw_webhook_url_problem(NULL));
	/* 2000 characters are allowed, 2001 are not */
	char longurl[2100];
	strcpy(longurl, "https://example.gov.cn/");
	size_t n = strlen(longurl);
	memset(longurl + n, 'a', 2000 - n);
	longurl[2000] = '\0';
	assert_null(yw_webhook_url_problem(longurl));
	longurl[2000] = 'a';
	longurl[2001] = '\0';
	assert_non_null(yw_webhook_url_problem(longurl));
}

static void test_signature(void **state)
{
	char sig[68];
	/* printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac s3cret */
	assert_true(yw_events_signature("s3cret", 1700000000, "{\"a\":1}", 7, sig));
	assert_string_equal(sig, "v1=1698a50bc74d1ff1db85c4e0a5297c2ad9fdba245d5737cdb789e4cc6e098940");
	/* every part counts: the time, the body, the secret */
	char other[68];
	assert_true(yw_events_signature("s3cret", 1700000001, "{\"a\":1}", 7, other));
	assert_string_not_equal(sig, other);
	assert_true(yw_events_signature("s3cret", 1700000000, "{\"a\":2}", 7, other));
	assert_string_not_equal(sig, other);
	assert_true(yw_events_signature("s3creT", 1700000000, "{\"a\":1}", 7, other));
	assert_string_not_equal(sig, other);
}

/* ---- a webhook receiver ------------------------------------------------------------------ */

#define MAX_SEEN 32
typedef struct {
	char method[8], path[64], content_type[64];
	char event[64], delivery[64], timestamp[32], signature[80];
	char *body;
} seen_req;

typedef struct {
	struct MHD_Daemon *d;
	int port;
	pthread_mutex_t mu;
	int fail_first;     /* answer 500 to this many calls, then 200 */
	int delay_ms;       /* answer this late (a slow or hanging receiver) */
	int calls;
	seen_req seen[MAX_SEEN];
} sink;

static void copy_header(struct MHD_Connection *c, const char *name, char *out, size_t cap)
{
	const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
	snprintf(out, cap, "%s", v ? v : "");
}

static enum MHD_Result sink_handler(void *cls, struct MHD_Connection *c, const char *url,
                                    const char *method, const char *version, const char *upload,
                                    size_t *upload_size, void **req_cls)
{
	sink *s = cls;
	yw_buf *b = *req_cls;
	(void)version;
	if (!b) {
		*req_cls = calloc(1, sizeof(yw_buf));
		return *req_cls ? MHD_YES : MHD_NO;
	}
	if (*upload_size) {
		yw_buf_append(b, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	pthread_mutex_lock(&s->mu);
	int n = s->calls++;
	int status = n < s->fail_first ? 500 : 200;
	if (n < MAX_SEEN) {
		seen_req *q = &s->seen[n];
		snprintf(q->method, sizeof q->method, "%s", method);
		snprintf(q->path, sizeof q->path, "%s", url);
		copy_header(c, "Content-Type", q->content_type, sizeof q->content_type);
		copy_header(c, "X-Yiwang-Event", q->event, sizeof q->event);
		copy_header(c, "X-Yiwang-Delivery", q->delivery, sizeof q->delivery);
		copy_header(c, "X-Yiwang-Timestamp", q->timestamp, sizeof q->timestamp);
		copy_header(c, "X-Yiwang-Signature", q->signature, sizeof q->signature);
		q->body = strndup(b->data ? b->data : "", b->len);
	}
	int delay = s->delay_ms;
	pthread_mutex_unlock(&s->mu);
	if (delay)
		usleep((useconds_t)delay * 1000);
	yw_buf_free(b);
	free(b);
	*req_cls = NULL;
	static const char answer[] = "{}";
	struct MHD_Response *r = MHD_create_response_from_buffer(2, (void *)answer, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return ok;
}

static void sink_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                           enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	yw_buf *b = *req_cls;
	if (b) {
		yw_buf_free(b);
		free(b);
		*req_cls = NULL;
	}
}

static sink *sink_start_slow(int fail_first, int delay_ms)
{
	sink *s = calloc(1, sizeof *s);
	assert_non_null(s);
	pthread_mutex_init(&s->mu, NULL);
	s->fail_first = fail_first;
	s->delay_ms = delay_ms;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = 0 };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* a thread per connection, so that a slow answer holds up only its own request */
	s->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL, NULL, sink_handler, s,
	                        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	                        MHD_OPTION_NOTIFY_COMPLETED, sink_completed, s, MHD_OPTION_END);
	assert_non_null(s->d);
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	assert_non_null(info);
	s->port = info->port;
	assert_true(s->port > 0);
	return s;
}

static sink *sink_start(int fail_first)
{
	return sink_start_slow(fail_first, 0);
}

static int sink_calls(sink *s)
{
	pthread_mutex_lock(&s->mu);
	int n = s->calls;
	pthread_mutex_unlock(&s->mu);
	return n;
}

static void sink_stop(sink *s)
{
	MHD_stop_daemon(s->d);
	for (int i = 0; i < MAX_SEEN; i++)
		free(s->seen[i].body);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

/* ---- the store ----------------------------------------------------------------------------- */

typedef struct {
	yw_store *st;
	yw_keys *keys;
	yw_arena *a;
} world;

static world open_world(void **state)
{
	store_env *e = *state;
	world w = { env_open(e), NULL, yw_arena_new(8192) };
	char err[256];
	assert_int_equal(yw_keys_open(e->dir, &w.keys, err, sizeof err), YW_E_OK);
	assert_non_null(w.a);
	/* PostgreSQL keeps one database for the whole group */
	sql_write(w.st, "DELETE FROM event_outbox", "DELETE FROM webhook_subscriptions", NULL);
	return w;
}

static void close_world(world *w)
{
	yw_arena_free(w->a);
	yw_store_close(w->st);
	yw_keys_close(w->keys);
}

typedef struct {
	const char *id, *url, *events, *dept, *secret;
	bool active;
	yw_keys *keys;
	yw_arena *a;
} sub_row;

static yw_err insert_sub(yw_db *tx, void *arg)
{
	sub_row *s = arg;
	return yw_db_exec(tx, "INSERT INTO webhook_subscriptions (id, owner, url, events, department_id, "
	                      "secret, active, created_at, updated_at) VALUES ($1, 'staff:s_1', $2, $3, $4, $5, $6, 0, 0)",
	                  YW_PARAMS(YW_VTEXT(s->id), YW_VTEXT(s->url), YW_VTEXT(s->events), YW_VTEXT(s->dept),
	                            YW_VTEXT(yw_seal(s->keys, s->a, s->secret)), YW_VINT(s->active)),
	                  NULL);
}

static void add_sub(world *w, const char *id, const char *url, const char *events, const char *dept,
                    const char *secret, bool active)
{
	sub_row s = { id, url, events, dept, secret, active, w->keys, w->a };
	assert_int_equal(yw_store_write(w->st, insert_sub, &s), YW_E_OK);
}

typedef struct {
	const char *type, *dept;
	yw_err then;        /* what the write returns after emitting: an error rolls it back */
} emit_arg;

static yw_err emit_write(yw_db *tx, void *arg)
{
	emit_arg *ea = arg;
	yw_arena *a = yw_arena_new(4096);
	json_t *data = json_pack("{s:s, s:s, s:s}", "case_id", "c_test", "serial", "SZ2026000001", "state",
	                         "submitted");
	yw_err e = yw_events_emit(tx, a, ea->type, ea->dept, data);
	json_decref(data);
	yw_arena_free(a);
	return e ? e : ea->then;
}

static yw_err emit(world *w, const char *type, const char *dept, yw_err then)
{
	emit_arg ea = { type, dept, then };
	return yw_store_write(w->st, emit_write, &ea);
}

static long long count_rows(world *w, const char *where)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM event_outbox WHERE %s", where);
	return read_int(w->st, sql, YW_NOPARAMS);
}

/* One outbox row's columns, by delivery id or the only row of a subscription. */
typedef struct {
	const char *id, *state, *body, *last_error;
	long long attempts, next_at, last_status, delivered_at, created_at;
	bool status_null;
} outbox_row;

static outbox_row row_of(world *w, const char *subscription)
{
	yw_rows *rows = NULL;
	assert_int_equal(yw_db_query(yw_store_reader(w->st), w->a, &rows,
	                             "SELECT id, state, body, last_error, attempts, next_at, last_status, "
	                             "delivered_at, created_at FROM event_outbox WHERE subscription_id = $1",
	                             YW_PARAMS(YW_VTEXT(subscription))),
	                 YW_E_OK);
	assert_int_equal(yw_rows_count(rows), 1);
	return (outbox_row){ yw_rows_text(rows, 0, 0), yw_rows_text(rows, 0, 1), yw_rows_text(rows, 0, 2),
	                     yw_rows_text(rows, 0, 3), yw_rows_int(rows, 0, 4), yw_rows_int(rows, 0, 5),
	                     yw_rows_int(rows, 0, 6), yw_rows_int(rows, 0, 7), yw_rows_int(rows, 0, 8),
	                     yw_rows_is_null(rows, 0, 6) };
}

/* ---- emit ---------------------------------------------------------------------------------- */

static void test_emit_nothing_subscribed(void **state)
{
	world w = open_world(state);
	assert_int_equal(emit(&w, "case.submitted", "d_X", YW_E_OK), YW_E_OK);
	assert_int_equal(count_rows(&w, "1 = 1"), 0);
	close_world(&w);
}

static void test_emit_matches(void **state)
{
	world w = open_world(state);
	const char *url = "http://127.0.0.1:9/hook";
	add_sub(&w, "wh_all", url, "[\"*\"]", NULL, "k1", true);
	add_sub(&w, "wh_subX", url, "[\"case.submitted\",\"case.decided\"]", "d_X", "k2", true);
	add_sub(&w, "wh_acc", url, "[\"case.accepted\"]", NULL, "k3", true);
	add_sub(&w, "wh_off", url, "[\"*\"]", NULL, "k4", false);
	/* '_' is a LIKE wildcard: a list naming this must not catch case.not_accepted */
	add_sub(&w, "wh_like", url, "[\"case.notXaccepted\"]", NULL, "k5", true);

	assert_int_equal(emit(&w, "case.submitted", "d_X", YW_E_OK), YW_E_OK);
	assert_int_equal(count_rows(&w, "subscription_id = 'wh_all'"), 1);
	assert_int_equal(count_rows(&w, "subscription_id = 'wh_subX'"), 1);
	assert_int_equal(count_rows(&w, "1 = 1"), 2);
	/* another department's case reaches only the subscriptions naming no department */
	assert_int_equal(emit(&w, "case.submitted", "d_Y", YW_E_OK), YW_E_OK);
	assert_int_equal(count_rows(&w, "1 = 1"), 3);
	assert_int_equal(count_rows(&w, "subscription_id = 'wh_subX'"), 1);
	assert_int_equal(emit(&w, "case.not_accepted", "d_X", YW_E_OK), YW_E_OK);
	assert_int_equal(count_rows(&w, "subscription_id = 'wh_like'"), 0);
	assert_int_equal(count_rows(&w, "1 = 1"), 4);
	assert_int_equal(emit(&w, "case.accepted", NULL, YW_E_OK), YW_E_OK);
	assert_int_equal(count_rows(&w, "subscription_id = 'wh_acc'"), 1);
	assert_int_equal(count_rows(&w, "subscription_id = 'wh_off'"), 0);
	assert_int_equal(count_rows(&w, "state = 'pending' AND attempts = 0"), 6);
	/* every row its own delivery id, named in its body */
	assert_int_equal(read_int(w.st, "SELECT COUNT(DISTINCT id) FROM event_outbox", YW_NOPARAMS), 6);
	outbox_row r = row_of(&w, "wh_subX");
	json_t *body = json_loads(r.body, 0, NULL);
	assert_non_null(body);
	assert_string_equal(json_string_value(json_object_get(body, "id")), r.id);
	assert_string_equal(json_string_value(json_object_get(body, "type")), "case.submitted");
	assert_string_equal(json_string_value(json_object_get(body, "department_id")), "d_X");
	assert_int_equal(json_integer_value(json_object_get(body, "created_at")), r.created_at);
	json_t *data = json_object_get(body, "data");
	assert_string_equal(json_string_value(json_object_get(data, "case_id")), "c_test");
	assert_string_equal(json_string_value(json_object_get(data, "serial")), "SZ2026000001");
	assert_int_equal(json_object_size(body), 5);
	json_decref(body);
	/* an unknown type is a programming error, refused with nothing written */
	assert_int_equal(emit(&w, "case.exploded", "d_X", YW_E_OK), YW_E_INTERNAL);
	assert_int_equal(count_rows(&w, "1 = 1"), 6);
	close_world(&w);
}

static void test_emit_rolled_back(void **state)
{
	world w = open_world(state);
	add_sub(&w, "wh_all", "http://127.0.0.1:9/hook", "[\"*\"]", NULL, "k1", true);
	/* the change failed after emitting: no event for a change that never happened */
	assert_int_equal(emit(&w, "case.submitted", "d_X", YW_E_CONFLICT), YW_E_CONFLICT);
	assert_int_equal(count_rows(&w, "1 = 1"), 0);
	assert_int_equal(emit(&w, "case.submitted", "d_X", YW_E_OK), YW_E_OK);
	assert_int_equal(count_rows(&w, "1 = 1"), 1);
	close_world(&w);
}

/* ---- delivery ------------------------------------------------------------------------------ */

static void expect_signed(const seen_req *q, const char *secret)
{
	unsigned char mac[32];
	unsigned int len = 0;
	char *msg = NULL;
	assert_true(asprintf(&msg, "%s.%s", q->timestamp, q->body) > 0);
	HMAC(EVP_sha256(), secret, (int)strlen(secret), (unsigned char *)msg, strlen(msg), mac, &len);
	free(msg);
	char want[68] = "v1=";
	for (unsigned i = 0; i < len; i++)
		sprintf(want + 3 + 2 * i, "%02x", mac[i]);
	assert_string_equal(q->signature, want);
}

static void test_deliver_retry_then_delivered(void **state)
{
	world w = open_world(state);
	sink *s = sink_start(1);
	const yw_ms base = 1000;
	yw_events_set_retry_base_ms(base);
	const char *secret = "c2VjcmV0LW9mLXRoZS1kZXBhcnRtZW50LXN5c3RlbQ";
	add_sub(&w, "wh_1", yw_sprintf(w.a, "http://127.0.0.1:%d/hooks/yiwang?src=test", s->port),
	        "[\"case.submitted\"]", NULL, secret, true);
	assert_int_equal(emit(&w, "case.submitted", "d_X", YW_E_OK), YW_E_OK);
	outbox_row r0 = row_of(&w, "wh_1");

	/* not due before it was made */
	int delivered = -1;
	assert_int_equal(yw_events_deliver_due(w.st, w.keys, r0.next_at - 1, &delivered), YW_E_OK);
	assert_int_equal(delivered, 0);
	assert_int_equal(sink_calls(s), 0);

	/* first attempt: 500, so again after the base */
	yw_ms t = r0.next_at + 5;
	assert_int_equal(yw_events_deliver_due(w.st, w.keys, t, &delivered), YW_E_OK);
	assert_int_equal(delivered, 0);
	assert_int_equal(sink_calls(s), 1);
	outbox_row r1 = row_of(&w, "wh_1");
	assert_string_equal(r1.state, "pending");
	assert_int_equal(r1.attempts, 1);
	assert_int_equal(r1.last_status, 500);
	assert_string_equal(r1.last_error, "HTTP 500");
	assert_int_equal(r1.next_at, t + base);

	/* a millisecond early: nothing is sent */
	assert_int_equal(yw_events_deliver_due(w.st, w.keys, t + base - 1, &delivered), YW_E_OK);
	assert_int_equal(sink_calls(s), 1);

	/* second attempt: 200, delivered */
	assert_int_equal(yw_events_deliver_due(w.st, w.keys, t + base, &delivered), YW_E_OK);
	assert_int_equal(delivered, 1);
	assert_int_equal(sink_calls(s), 2);
	outbox_row r2 = row_of(&w, "wh_1");
	assert_string_equal(r2.state, "delivered");
	assert_int_equal(r2.attempts, 2);
	assert_int_equal(r2.last_status, 200);
	assert_null(r2.last_error);
	assert_int_equal(r2.delivered_at, t + base);
	/* and never again */
	assert_int_equal(yw_events_deliver_due(w.st, w.keys, t + 100 * base, &delivered), YW_E_OK);
	assert_int_equal(sink_calls(s), 2);

	/* what the receiver got: the same delivery twice, each signed over its own timestamp */
	for (int i = 0; i < 2; i++) {
		const seen_req *q = &s->seen[i];
		assert_string_equal(q->method, "POST");
		assert_string_equal(q->path, "/hooks/yiwang");
		assert_string_equal(q->content_type, "application/json");
		assert_string_equal(q->event, "case.submitted");
		assert_string_equal(q->delivery, r0.id);
		assert_string_equal(q->body, r0.body);
		long long ts = 0;
		assert_true(yw_parse_int(q->timestamp, 0, 1LL << 40, &ts));
		assert_true(llabs(ts - yw_now_ms() / 1000) < 60);
		expect_signed(q, secret);
	}
	sink_stop(s);
	close_world(&w);
}

static void test_deliver_gives_up(void **state)
{
	world w = open_world(state);
	sink *s = sink_start(1000);
	const yw_ms base = 1000;
	yw_events_set_retry_base_ms(base);
	add_sub(&w, "wh_1", yw_sprintf(w.a, "http://127.0.0.1:%d/", s->port), "[\"*\"]", NULL, "k", true);
	assert_int_equal(emit(&w, "case.decided", NULL, YW_E_OK), YW_E_OK);
	yw_ms t = row_of(&w, "wh_1").next_at;
	for (int attempt = 1; attempt <= YW_EVENTS_MAX_ATTEMPTS; attempt++) {
		assert_int_equal(yw_events_deliver_due(w.st, w.keys, t, NULL), YW_E_OK);
		assert_int_equal(sink_calls(s), attempt);
		outbox_row r = row_of(&w, "wh_1");
		assert_int_equal(r.attempts, attempt);
		assert_int_equal(r.last_status, 500);
		if (attempt < YW_EVENTS_MAX_ATTEMPTS) {
			assert_string_equal(r.state, "pending");
			/* base · 2^(attempt − 1) */
			assert_int_equal(r.next_at - t, base << (attempt - 1));
			t = r.next_at;
		} else {
			assert_string_equal(r.state, "failed");
		}
	}
	/* given up: a day later nothing more is sent */
	assert_int_equal(yw_events_deliver_due(w.st, w.keys, t + 86400000LL, NULL), YW_E_OK);
	assert_int_equal(sink_calls(s), YW_EVENTS_MAX_ATTEMPTS);
	sink_stop(s);
	close_world(&w);
}

static void test_deliver_unreachable(void **state)
{
	world w = open_world(state);
	yw_events_set_retry_base_ms(30000);
	/* a port nobody listens on: no HTTP status, the reason recorded, tried again later */
	sink *s = sink_start(0);
	int port = s->port;
	sink_stop(s);
	add_sub(&w, "wh_1", yw_sprintf(w.a, "http://127.0.0.1:%d/", port), "[\"*\"]", NULL, "k", true);
	assert_int_equal(emit(&w, "case.completed", "d_X", YW_E_OK), YW_E_OK);
	yw_ms t = row_of(&w, "wh_1").next_at;
	assert_int_equal(yw_events_deliver_due(w.st, w.keys, t, NULL), YW_E_OK);
	outbox_row r = row_of(&w, "wh_1");
	assert_string_equal(r.state, "pending");
	assert_int_equal(r.attempts, 1);
	assert_true(r.status_null);
	assert_non_null(r.last_error);
	assert_int_equal(r.next_at, t + 30000);
	close_world(&w);
}

static void test_deliver_batches_oldest_first(void **state)
{
	world w = open_world(state);
	sink *s = sink_start(0);
	add_sub(&w, "wh_1", yw_sprintf(w.a, "http://127.0.0.1:%d/", s->port), "[\"*\"]", NULL, "k", true);
	for (int i = 0; i < YW_EVENTS_BATCH + 5; i++)
		assert_int_equal(emit(&w, "case.task_done", "d_X", YW_E_OK), YW_E_OK);
	int delivered = 0;
	yw_ms now = yw_now_ms() + 1;
	assert_int_equal(yw_events_deliver_due(w.st, w.keys, now, &delivered), YW_E_OK);
	assert_int_equal(delivered, YW_EVENTS_BATCH);
	/* the five left are the newest */
	assert_int_equal(read_int(w.st, "SELECT COUNT(*) FROM event_outbox WHERE state = 'pending' AND "
	                                "created_at < (SELECT MAX(created_at) FROM event_outbox "
	                                "WHERE state = 'delivered')", YW_NOPARAMS), 0);
	assert_int_equal(yw_events_deliver_due(w.st, w.keys, now, &delivered), YW_E_OK);
	assert_int_equal(delivered, 5);
	assert_int_equal(count_rows(&w, "state = 'delivered'"), YW_EVENTS_BATCH + 5);
	sink_stop(s);
	close_world(&w);
}

static void test_deliver_side_by_side(void **state)
{
	world w = open_world(state);
	sink *s = sink_start_slow(0, 1000);
	add_sub(&w, "wh_1", yw_sprintf(w.a, "http://127.0.0.1:%d/", s->port), "[\"*\"]", NULL, "k", true);
	for (int i = 0; i < 5; i++)
		assert_int_equal(emit(&w, "case.extended", "d_X", YW_E_OK), YW_E_OK);
	/* five receivers each answering after a second: one pass takes about a second, not five */
	uint64_t t0 = yw_now_us_mono();
	int delivered = 0;
	assert_int_equal(yw_events_deliver_due(w.st, w.keys, yw_now_ms() + 1, &delivered), YW_E_OK);
	uint64_t took = yw_now_us_mono() - t0;
	assert_int_equal(delivered, 5);
	if (took > 4000000)
		fail_msg("a pass of five 1-second answers took %.1f s", took / 1e6);
	sink_stop(s);
	close_world(&w);
}

static void test_thread_stops_promptly(void **state)
{
	world w = open_world(state);
	sink *s = sink_start_slow(0, 3000);
	add_sub(&w, "wh_1", yw_sprintf(w.a, "http://127.0.0.1:%d/", s->port), "[\"*\"]", NULL, "k", true);
	assert_int_equal(emit(&w, "case.resumed", "d_X", YW_E_OK), YW_E_OK);
	assert_int_equal(yw_events_start(w.st, w.keys), YW_E_OK);
	/* the thread picks the row up within a poll … */
	for (int i = 0; i < 100 && sink_calls(s) == 0; i++)
		usleep(50000);
	assert_int_equal(sink_calls(s), 1);
	/* … and a stop does not wait for the slow answer: the attempt is abandoned, not counted */
	uint64_t t0 = yw_now_us_mono();
	yw_events_stop();
	uint64_t took = yw_now_us_mono() - t0;
	if (took > 2000000)
		fail_msg("stop took %.1f s", took / 1e6);
	outbox_row r = row_of(&w, "wh_1");
	assert_string_equal(r.state, "pending");
	assert_int_equal(r.attempts, 0);
	yw_events_stop();      /* a second stop is harmless */
	sink_stop(s);
	close_world(&w);
}

typedef struct {
	world *w;
	yw_ms now;
	pthread_barrier_t *go;
	int delivered;
	yw_err e;
} instance_arg;

static void *instance(void *p)
{
	instance_arg *ia = p;
	pthread_barrier_wait(ia->go);
	ia->e = yw_events_deliver_due(ia->w->st, ia->w->keys, ia->now, &ia->delivered);
	return NULL;
}

/* Two instances over one database (two threads here, each with its own connection) reading the
 * same due rows at once: each row is sent by one of them only. */
static void test_two_instances_send_once(void **state)
{
	world w = open_world(state);
	sink *s = sink_start_slow(0, 100);
	add_sub(&w, "wh_1", yw_sprintf(w.a, "http://127.0.0.1:%d/", s->port), "[\"*\"]", NULL, "k", true);
	for (int i = 0; i < 10; i++)
		assert_int_equal(emit(&w, "case.withdrawn", "d_X", YW_E_OK), YW_E_OK);
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, 2);
	yw_ms now = yw_now_ms() + 1;
	instance_arg a1 = { &w, now, &go, 0, YW_E_OK }, a2 = a1;
	pthread_t t1, t2;
	assert_int_equal(pthread_create(&t1, NULL, instance, &a1), 0);
	assert_int_equal(pthread_create(&t2, NULL, instance, &a2), 0);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	pthread_barrier_destroy(&go);
	assert_int_equal(a1.e, YW_E_OK);
	assert_int_equal(a2.e, YW_E_OK);
	assert_int_equal(a1.delivered + a2.delivered, 10);
	assert_int_equal(sink_calls(s), 10);
	assert_int_equal(count_rows(&w, "state = 'delivered' AND attempts = 1"), 10);
	sink_stop(s);
	close_world(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_signature),
	};
	const struct CMUnitTest db_tests[] = {
		cmocka_unit_test(test_emit_nothing_subscribed),
		cmocka_unit_test(test_emit_matches),
		cmocka_unit_test(test_emit_rolled_back),
		cmocka_unit_test(test_deliver_retry_then_delivered),
		cmocka_unit_test(test_deliver_gives_up),
		cmocka_unit_test(test_deliver_unreachable),
		cmocka_unit_test(test_deliver_batches_oldest_first),
		cmocka_unit_test(test_deliver_side_by_side),
		cmocka_unit_test(test_thread_stops_promptly),
		cmocka_unit_test(test_two_instances_send_once),
	};
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	failed += run_on_backends("events", db_tests, sizeof db_tests / sizeof db_tests[0]);
	curl_global_cleanup();
	return failed;
}
