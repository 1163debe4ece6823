/*
 * The delivery thread: every YW_EVENTS_POLL_MS it takes the due pending rows of the outbox,
 * claims them (one write), POSTs them side by side with libcurl's multi interface, and records
 * the answers (one more write).
 *
 * Why polling rather than a wake-up from yw_events_emit: emit runs inside a write that may yet
 * roll back or run again, so only a committed row is a real event, and the table itself is the
 * only place that knows. Half a second of latency is nothing to a department system.
 *
 * Delivery is at least once: the POST happens before its result is written, so a crash or a
 * failed write between the two sends the row again once its claim has lapsed. Receivers
 * deduplicate by the delivery id (X-Yiwang-Delivery, the body's "id").
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "events/events.h"
#include "store/store.h"

static bool stopping(void);

/* ---- the POSTs of one batch ---------------------------------------------------------------- */

typedef struct {
	const char *id, *subscription_id, *type, *body, *url, *secret_sealed;
	int attempts;
	yw_ms due_at;            /* next_at as read: the claim compares it */
	/* the transfer */
	CURL *curl;
	struct curl_slist *headers;
	char errbuf[CURL_ERROR_SIZE];
	bool done;
	/* the outcome */
	bool ok;
	bool skipped;            /* cut short by yw_events_stop: not an attempt, not recorded */
	long status;             /* 0: no HTTP answer */
	const char *error;
	int attempts_after;
	yw_ms next_at;
	const char *state;
} job;

/* The answer's body is not wanted: only its status decides. */
static size_t discard(char *p, size_t size, size_t n, void *ud)
{
	(void)p;
	(void)ud;
	return size * n;
}

/* The signed request of one row as an easy handle, or j->error (and done) when it cannot be
 * made: that counts as a failed attempt like any other, so it shows in the deliveries list. */
static void prepare(yw_arena *a, yw_keys *keys, job *j)
{
	const char *secret = yw_unseal(keys, a, j->secret_sealed);
	long long ts = yw_now_ms() / 1000;
	char sig[68];
	size_t len = strlen(j->body);
	j->done = true;
	if (!secret) {
		j->error = "无法解开订阅的签名密钥";
		return;
	}
	if (!yw_events_signature(secret, ts, j->body, len, sig)) {
		j->error = "签名失败";
		return;
	}
	const char *lines[] = {
		"Content-Type: application/json",
		"User-Agent: yiwang-webhooks/" YW_VERSION,
		"Expect:",      /* no 100-continue round trip for a small body */
		yw_sprintf(a, "X-Yiwang-Event: %s", j->type),
		yw_sprintf(a, "X-Yiwang-Delivery: %s", j->id),
		yw_sprintf(a, "X-Yiwang-Timestamp: %lld", ts),
		yw_sprintf(a, "X-Yiwang-Signature: %s", sig),
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		struct curl_slist *t = lines[i] ? curl_slist_append(j->headers, lines[i]) : NULL;
		if (!t) {
			j->error = "内存不足";
			return;
		}
		j->headers = t;
	}
	CURL *c = curl_easy_init();
	if (!c) {
		j->error = "curl_easy_init 失败";
		return;
	}
	curl_easy_setopt(c, CURLOPT_URL, j->url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, j->headers);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, j->body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)YW_EVENTS_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);       /* no SIGALRM in a threaded server */
	/* A redirect is not followed: the subscriber names the one address that gets the signed
	 * body, and a 3xx counts as a failure they will see in the deliveries list. */
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, j->errbuf);
	curl_easy_setopt(c, CURLOPT_PRIVATE, j);
	j->curl = c;
	j->done = false;
}

static void finish(yw_arena *a, job *j, CURLcode rc)
{
	j->done = true;
	curl_easy_getinfo(j->curl, CURLINFO_RESPONSE_CODE, &j->status);
	if (rc != CURLE_OK) {
		j->error = yw_sprintf(a, "%s", j->errbuf[0] ? j->errbuf : curl_easy_strerror(rc));
		j->status = j->status > 0 ? j->status : 0;
	} else if (j->status >= 200 && j->status < 300) {
		j->ok = true;
	} else {
		j->error = yw_sprintf(a, "HTTP %ld", j->status);
	}
}

/* The batch's POSTs run side by side, so that one receiver that hangs until the timeout costs
 * the others nothing: a pass takes at most YW_EVENTS_TIMEOUT_MS, not that for every row. A stop
 * abandons what is still under way; those rows stay as they were, due again at the next start. */
static void post_all(yw_arena *a, yw_keys *keys, job *jobs, int n)
{
	CURLM *m = curl_multi_init();
	for (int i = 0; i < n; i++) {
		if (jobs[i].skipped)       /* another instance claimed it */
			continue;
		prepare(a, keys, &jobs[i]);
		if (jobs[i].curl && (!m || curl_multi_add_handle(m, jobs[i].curl) != CURLM_OK)) {
			jobs[i].error = "curl_multi_add_handle 失败";
			jobs[i].done = true;
		}
	}
	int running = m ? 1 : 0;
	while (running) {
		if (curl_multi_perform(m, &running) != CURLM_OK)
			break;
		CURLMsg *msg;
		int left;
		while ((msg = curl_multi_info_read(m, &left))) {
			job *j = NULL;
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&j);
			if (j)
				finish(a, j, msg->data.result);
		}
		if (!running || stopping())
			break;
		curl_multi_poll(m, NULL, 0, 200, NULL);
	}
	for (int i = 0; i < n; i++) {
		job *j = &jobs[i];
		if (!j->done)
			j->skipped = true;
		if (j->curl) {
			if (m)
				curl_multi_remove_handle(m, j->curl);
			curl_easy_cleanup(j->curl);
		}
		curl_slist_free_all(j->headers);
	}
	curl_multi_cleanup(m);
}

/* ---- recording the answers --------------------------------------------------------------- */

typedef struct {
	job *jobs;
	int n;
	yw_ms now;
} record_arg;

/* How long a claimed row is left alone: longer than any POST can take. */
#define LEASE_MS ((yw_ms)YW_EVENTS_TIMEOUT_MS * 6)

/* Claim the rows before sending them: each is moved past the lease only if nobody moved it
 * since it was read, so that of several instances on one PostgreSQL exactly one sends each row
 * (the others' UPDATE finds next_at changed and claims nothing). A claimed row whose answer is
 * never recorded — a crash, a stop mid-send — is due again when the lease ends. Rows not won
 * are marked skipped; the flags are set afresh on every run of the write. */
static yw_err claim_write(yw_db *tx, void *arg)
{
	record_arg *ra = arg;
	for (int i = 0; i < ra->n; i++) {
		job *j = &ra->jobs[i];
		long long won = 0;
		yw_err e = yw_db_exec(tx, "UPDATE event_outbox SET next_at = $2 WHERE id = $1 "
		                          "AND state = 'pending' AND next_at = $3",
		                      YW_PARAMS(YW_VTEXT(j->id), YW_VINT(ra->now + LEASE_MS), YW_VINT(j->due_at)),
		                      &won);
		if (e)
			return e;
		j->skipped = won != 1;
	}
	return YW_E_OK;
}

/* Only a row still pending is changed: one whose subscription was cancelled meanwhile stays
 * cancelled. Every value was computed before the write, so running it again is harmless. */
static yw_err record_write(yw_db *tx, void *arg)
{
	record_arg *ra = arg;
	for (int i = 0; i < ra->n; i++) {
		const job *j = &ra->jobs[i];
		if (j->skipped)
			continue;
		yw_err e = yw_db_exec(tx, "UPDATE event_outbox SET state = $2, attempts = $3, next_at = $4, "
		                          "last_status = $5, last_error = $6, delivered_at = $7 "
		                          "WHERE id = $1 AND state = 'pending'",
		                      YW_PARAMS(YW_VTEXT(j->id), YW_VTEXT(j->state), YW_VINT(j->attempts_after),
		                                YW_VINT(j->next_at), j->status ? YW_VINT(j->status) : YW_VNULL,
		                                YW_VTEXT(j->error), j->ok ? YW_VINT(ra->now) : YW_VNULL),
		                      NULL);
		if (e)
			return e;
	}
	return YW_E_OK;
}

/* The outcome of one attempt by the schedule of events.h. */
static void decide(job *j, yw_ms now)
{
	j->attempts_after = j->attempts + 1;
	j->next_at = now;
	if (j->ok)
		j->state = "delivered";
	else if (j->attempts_after >= YW_EVENTS_MAX_ATTEMPTS)
		j->state = "failed";
	else {
		j->state = "pending";
		j->next_at = now + yw_events_backoff_ms(j->attempts_after, yw_events_retry_base_ms());
	}
}

static yw_err deliver_batch(yw_store *st, yw_keys *keys, yw_ms now, int *tried, int *delivered)
{
	*tried = 0;
	if (delivered)
		*delivered = 0;
	yw_arena *a = yw_arena_new(16384);
	if (!a)
		return YW_E_NO_MEMORY;
	yw_rows *rows = NULL;
	yw_db *db = yw_store_reader(st);
	yw_err e = db ? YW_E_OK : YW_E_DB_UNREACHABLE;
	if (!e)
		e = yw_db_query(db, a, &rows,
		                "SELECT o.id, o.subscription_id, o.event_type, o.body, o.attempts, s.url, s.secret, "
		                "o.next_at "
		                "FROM event_outbox o JOIN webhook_subscriptions s ON s.id = o.subscription_id "
		                "WHERE o.state = 'pending' AND o.next_at <= $1 "
		                "ORDER BY o.next_at, o.created_at, o.id LIMIT $2",
		                YW_PARAMS(YW_VINT(now), YW_VINT(YW_EVENTS_BATCH)));
	int n = e ? 0 : yw_rows_count(rows);
	job *jobs = n ? yw_zalloc(a, sizeof(job) * (size_t)n) : NULL;
	if (n && !jobs)
		e = YW_E_NO_MEMORY;
	for (int i = 0; !e && i < n; i++) {
		job *j = &jobs[i];
		j->id = yw_rows_text(rows, i, 0);
		j->subscription_id = yw_rows_text(rows, i, 1);
		j->type = yw_rows_text(rows, i, 2);
		j->body = yw_rows_text(rows, i, 3);
		j->attempts = (int)yw_rows_int(rows, i, 4);
		j->url = yw_rows_text(rows, i, 5);
		j->secret_sealed = yw_rows_text(rows, i, 6);
		j->due_at = yw_rows_int(rows, i, 7);
	}
	if (!e && n) {
		record_arg ca = { jobs, n, now };
		e = yw_store_write(st, claim_write, &ca);
	}
	if (!e && n)
		post_all(a, keys, jobs, n);
	for (int i = 0; !e && i < n; i++) {
		job *j = &jobs[i];
		if (j->skipped)
			continue;
		decide(j, now);
		if (j->ok && delivered)
			(*delivered)++;
		if (!j->ok)
			yw_log(YW_LOG_INFO, "webhook %s to subscription %s: attempt %d failed (%s)%s", j->id,
			       j->subscription_id, j->attempts_after, j->error ? j->error : "?",
			       !strcmp(j->state, "failed") ? ", given up" : "");
	}
	if (!e && n) {
		record_arg ra = { jobs, n, now };
		e = yw_store_write(st, record_write, &ra);
		if (e)
			yw_log(YW_LOG_ERROR, "events: recording %d deliveries failed: %s", n, yw_err_code(e));
	}
	*tried = n;
	yw_arena_free(a);
	return e;
}

yw_err yw_events_deliver_due(yw_store *st, yw_keys *keys, yw_ms now, int *delivered)
{
	int tried;
	return deliver_batch(st, keys, now, &tried, delivered);
}

/* ---- the thread -------------------------------------------------------------------------- */

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	bool running, stopping;
	yw_store *st;
	yw_keys *keys;
} T = { .mu = PTHREAD_MUTEX_INITIALIZER };

static bool stopping(void)
{
	pthread_mutex_lock(&T.mu);
	bool s = T.stopping;
	pthread_mutex_unlock(&T.mu);
	return s;
}

static void *run(void *arg)
{
	(void)arg;
	for (;;) {
		int tried = 0;
		deliver_batch(T.st, T.keys, yw_now_ms(), &tried, NULL);
		pthread_mutex_lock(&T.mu);
		/* a full batch may mean more are due: go on at once, unless stopping */
		if (!T.stopping && tried < YW_EVENTS_BATCH) {
			struct timespec until;
			clock_gettime(CLOCK_MONOTONIC, &until);
			until.tv_nsec += (long)YW_EVENTS_POLL_MS * 1000000L;
			until.tv_sec += until.tv_nsec / 1000000000L;
			until.tv_nsec %= 1000000000L;
			while (!T.stopping && pthread_cond_timedwait(&T.cv, &T.mu, &until) == 0)
				;
		}
		bool stop = T.stopping;
		pthread_mutex_unlock(&T.mu);
		if (stop)
			break;
	}
	return NULL;
}

yw_err yw_events_start(yw_store *st, yw_keys *keys)
{
	pthread_mutex_lock(&T.mu);
	if (T.running) {
		pthread_mutex_unlock(&T.mu);
		return YW_E_OK;
	}
	/* curl_global_init is not thread-safe: here, once, before the thread exists */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		pthread_mutex_unlock(&T.mu);
		return YW_E_INTERNAL;
	}
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&T.cv, &ca);
	pthread_condattr_destroy(&ca);
	T.st = st;
	T.keys = keys;
	T.stopping = false;
	if (pthread_create(&T.thread, NULL, run, NULL)) {
		pthread_cond_destroy(&T.cv);
		curl_global_cleanup();
		pthread_mutex_unlock(&T.mu);
		return YW_E_INTERNAL;
	}
	T.running = true;
	pthread_mutex_unlock(&T.mu);
	return YW_E_OK;
}

void yw_events_stop(void)
{
	pthread_mutex_lock(&T.mu);
	if (!T.running) {
		pthread_mutex_unlock(&T.mu);
		return;
	}
	T.stopping = true;
	pthread_cond_signal(&T.cv);
	pthread_mutex_unlock(&T.mu);
	/* a POST under way finishes first: at most YW_EVENTS_TIMEOUT_MS per row of the batch */
	pthread_join(T.thread, NULL);
	pthread_mutex_lock(&T.mu);
	T.running = false;
	T.stopping = false;     /* yw_events_deliver_due called on its own works again */
	pthread_cond_destroy(&T.cv);
	pthread_mutex_unlock(&T.mu);
	curl_global_cleanup();
}
