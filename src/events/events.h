/*
 * events — what happens to cases, told to department systems: webhook subscriptions per event
 * type, and an outbox delivered with retries. docs/cases.md "Events for department systems".
 *
 * It owns the tables webhook_subscriptions and event_outbox (014) and one delivery thread.
 *
 * Data flows: a module that changes a case calls yw_events_emit inside its write; one outbox row
 * is written for each active subscription that wants the event type (and the event's department,
 * when the subscription names one), in the same transaction, so an event exists exactly when its
 * change committed. The delivery thread (yw_events_start) takes due rows, POSTs each body to the
 * subscription's URL with libcurl, signed with HMAC-SHA256 over "<timestamp>.<body>" under the
 * subscription's secret (headers X-Yiwang-Event, X-Yiwang-Delivery, X-Yiwang-Timestamp,
 * X-Yiwang-Signature: v1=<hex>), and records the answer: a 2xx delivers it, anything else is
 * tried again after 30 s, 1, 2, 4 … minutes (doubling, at most 6 hours) until 12 attempts have
 * failed and it is given up. Delivery is at least once: a receiver deduplicates by the delivery id.
 *
 * Files: events.c (the types, yw_events_emit, the retry schedule, the URL rule, the signature),
 * deliver.c (the thread: a batch's POSTs run side by side through curl's multi interface, so one
 * receiver that hangs until the timeout does not hold up the others), api.c (the routes
 * /api/v1/webhooks, owner-only: a subscription belongs to "staff:<id>" or "client:<client_id>").
 */
#ifndef YW_EVENTS_H
#define YW_EVENTS_H

#include "base/base.h"

struct yw_router;
struct yw_store;
struct yw_db;

/* The event types a subscription may name (or "*"). */
extern const char *const yw_event_types[];
extern const size_t yw_event_types_n;
bool yw_event_type_known(const char *type);

/* Inside the caller's write: queue `type` about the object for every subscription that wants it.
 * data (borrowed) becomes the "data" member of the body
 * {"id", "type", "created_at", "department_id", "data"}. */
yw_err yw_events_emit(struct yw_db *tx, yw_arena *a, const char *type, const char *department_id,
                      json_t *data);
/* The same event told to another department concerned with the object (the department of a
 * parallel branch of a case): only to the subscriptions that name that department, since those
 * without one were told by yw_events_emit already. The body's department_id is that department. */
yw_err yw_events_emit_also(struct yw_db *tx, yw_arena *a, const char *type, const char *department_id,
                           json_t *data);

/* The delivery thread; stop waits for it. keys seals and opens the subscriptions' secrets. */
yw_err yw_events_start(struct yw_store *st, yw_keys *keys);
void yw_events_stop(void);

void yw_events_routes(struct yw_router *rt);

/* ---- the parts the thread and the routes are made of (tests/unit/test_events.c) ----------- */
#define YW_EVENTS_MAX_ATTEMPTS 12                      /* then the row is given up ('failed') */
#define YW_EVENTS_MAX_DELAY_MS ((yw_ms)6 * 3600 * 1000) /* the longest wait between attempts */
#define YW_EVENTS_BATCH 20                             /* rows per pass of the thread */
#define YW_EVENTS_TIMEOUT_MS 10000                     /* one POST, connecting included */
#define YW_EVENTS_POLL_MS 500
#define YW_WEBHOOK_URL_MAX 2000
#define YW_WEBHOOK_SECRET_BYTES 32                     /* shown once as 43 base64url characters */

/* The first retry waits base (webhook-retry-base-ms); set once at start, before the thread. */
void yw_events_set_retry_base_ms(yw_ms base);
yw_ms yw_events_retry_base_ms(void);
/* How long to wait after the attempts-th failed attempt (1-based): base · 2^(attempts − 1), at
 * most YW_EVENTS_MAX_DELAY_MS. */
yw_ms yw_events_backoff_ms(int attempts, yw_ms base);
/* Why url may not be subscribed (a Chinese reason), or NULL: http:// or https:// with a host,
 * no user name or password in it, no fragment, no spaces or control characters, at most
 * YW_WEBHOOK_URL_MAX bytes. Private addresses are allowed: department systems live on
 * internal networks (docs/cases.md "Events for department systems" names the risk). */
const char *yw_webhook_url_problem(const char *url);
/* "v1=" + hex HMAC-SHA256 under the secret (its base64url text as shown, as bytes) of
 * "<ts>.<body>", into out (68 bytes with the NUL). false when OpenSSL fails. */
bool yw_events_signature(const char *secret, long long ts, const char *body, size_t len,
                         char out[68]);
/* One pass of the delivery thread, callable on its own (the unit tests call it with a chosen
 * now): claim up to YW_EVENTS_BATCH pending rows due at now, oldest first (one write: a row
 * another instance claimed first is left to it), POST them side by side, and record each answer
 * in one more write. *delivered (may be NULL) gets how many were answered 2xx. */
yw_err yw_events_deliver_due(struct yw_store *st, yw_keys *keys, yw_ms now, int *delivered);

#endif
