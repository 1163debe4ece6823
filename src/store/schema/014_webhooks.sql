-- 014 webhooks: events for department systems (src/events, docs/cases.md "Events").
--
-- A subscription names the event types it wants (a JSON array, or ["*"]), optionally one
-- department whose cases it is about, the URL to POST to and the secret the body is signed with
-- (stored sealed). An event is written into event_outbox in the same write as the change it
-- reports, one row per subscription that wants it, so an event is never announced for a change
-- that rolled back nor lost for one that committed; the delivery thread POSTs due rows and
-- reschedules failures with exponential backoff until they are delivered or given up.

CREATE TABLE webhook_subscriptions (
	id TEXT PRIMARY KEY,
	owner TEXT NOT NULL,
	url TEXT NOT NULL,
	events TEXT NOT NULL,
	department_id TEXT,
	secret TEXT NOT NULL,
	active INTEGER NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE event_outbox (
	id TEXT PRIMARY KEY,
	subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id),
	event_type TEXT NOT NULL,
	body TEXT NOT NULL,
	state TEXT NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	next_at BIGINT NOT NULL,
	last_status INTEGER,
	last_error TEXT,
	created_at BIGINT NOT NULL,
	delivered_at BIGINT
);

CREATE INDEX event_outbox_due ON event_outbox (next_at) WHERE state = 'pending';
CREATE INDEX event_outbox_subscription ON event_outbox (subscription_id, created_at);

-- yw_events_emit runs in every case write: one indexed lookup of the live subscriptions.
CREATE INDEX webhook_subscriptions_live ON webhook_subscriptions (active, department_id);
CREATE INDEX webhook_subscriptions_owner ON webhook_subscriptions (owner, created_at);
