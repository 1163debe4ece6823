// Webhook subscriptions for department systems (src/events, docs/cases.md "Events for department
// systems"): who may subscribe (a system admin, or a department system's client-credentials token
// with the webhook.subscribe scope), what is checked, that the secret is shown once and stored sealed,
// that a subscription is its owner's alone, that stopping one cancels what was pending, and that
// the delivery thread of a running server POSTs signed bodies to a real receiver and retries.
//
// Cases do not emit events yet, so the delivery test puts one outbox row into the server's
// database the way yw_events_emit writes it (the emit itself is covered by
// tests/unit/test_events.c); the end-to-end case → webhook test comes with the cases routes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { newPerson, registerSession, call, problem, sql } from '../lib/persons.mjs';
import { bootstrapAdmin, createStaff } from '../lib/staff.mjs';
import { startSink, verifySignature } from '../lib/webhook-sink.mjs';

let srv, admin, admin2, clerk, person, sysToken, plainToken, sink;

// A statement on the running server's database (SQLite waits for the server's writer).
function dbExec(query) {
  if (srv.db.startsWith('postgres')) execFileSync('psql', ['-Xq', '-v', 'ON_ERROR_STOP=1', srv.db, '-c', query]);
  else execFileSync('sqlite3', ['-cmd', '.timeout 10000', join(srv.data, 'yiwang.db'), query]);
}

async function clientToken(scopes) {
  const reg = await admin.post('/api/v1/oidc/clients', { name: '部门系统' + scopes.join(''), scopes });
  assert.equal(reg.status, 201, reg.text);
  const res = await fetch(srv.url + '/oauth/token', { method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: reg.body.client.id,
      client_secret: reg.body.client_secret, scope: scopes.join(' ') }).toString() });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return { clientId: reg.body.client.id, token: body.access_token };
}

const bearer = (t, method, path, body) => call(srv.url, method, path,
  { headers: { authorization: 'Bearer ' + t.token }, body });

const audit = (id) => sql(srv, `SELECT action, actor FROM audit_log WHERE object_type = 'webhook' AND object_id = '${id}' ORDER BY seq`);

before(async () => {
  srv = await startServer({ args: ['--sandbox'], env: { YW_WEBHOOK_RETRY_BASE_MS: '300' } });
  admin = await bootstrapAdmin(srv);
  admin2 = await createStaff(admin, { username: 'admin2', name: '第二管理员',
    roles: [{ role: 'system_admin', department_id: admin.department_id, division_code: '341300' }] });
  clerk = await createStaff(admin, { username: 'clerk1', name: '窗口人员',
    roles: [{ role: 'window_clerk', department_id: admin.department_id, division_code: '341300' }] });
  person = newPerson('钱七', '19910101');
  person.session = await registerSession(srv.url, person);
  sysToken = await clientToken(['webhook.subscribe']);
  plainToken = await clientToken(['staff.read']);
  sink = await startSink({ failFirst: 1 });
});

after(async () => {
  await sink?.close();
  await srv?.stop();
});

test('a system admin subscribes; the secret is shown once and stored sealed; it is audited', async () => {
  const res = await admin.post('/api/v1/webhooks', { url: 'https://gs.example.gov.cn/hooks/yiwang',
    events: ['case.submitted', 'case.decided'], department_id: admin.department_id });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const w = res.body;
  assert.match(w.id, /^wh_[A-Za-z0-9_-]+$/);
  assert.match(w.secret, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(w.url, 'https://gs.example.gov.cn/hooks/yiwang');
  assert.deepEqual(w.events, ['case.submitted', 'case.decided']);
  assert.equal(w.department_id, admin.department_id);
  assert.equal(w.active, true);

  const list = await admin.get('/api/v1/webhooks');
  assert.equal(list.status, 200, list.text);
  const mine = list.body.items.find((i) => i.id === w.id);
  assert.ok(mine);
  assert.equal(mine.secret, undefined);
  assert.ok(!list.text.includes(w.secret), 'the list never shows a secret');
  assert.deepEqual(mine.events, w.events);

  const [[stored]] = sql(srv, `SELECT secret FROM webhook_subscriptions WHERE id = '${w.id}'`);
  assert.match(stored, /^v1\./);
  assert.ok(!stored.includes(w.secret));
  assert.deepEqual(audit(w.id), [['webhook.subscribe', `staff:${admin.id}`]]);
  assert.ok(!sql(srv, `SELECT new_value FROM audit_log WHERE object_id = '${w.id}'`)[0][0].includes(w.secret));

  // every type, or all of them with "*"
  const all = await admin.post('/api/v1/webhooks', { url: 'http://10.20.30.40:8080/cb', events: ['*'] });
  assert.equal(all.status, 201, all.text);
  assert.equal(all.body.department_id, null);
});

test('URL, event types and department are checked, and nothing is written for a bad request', async () => {
  const count = () => Number(sql(srv, 'SELECT COUNT(*) FROM webhook_subscriptions')[0][0]);
  const before = count();
  const events = ['case.submitted'];
  for (const url of ['ftp://example.gov.cn/x', 'http://', 'https:///x', 'javascript:alert(1)', 'example.gov.cn/hook',
    'file:///etc/passwd', 'http://user:pass@example.gov.cn/', 'http://example.gov.cn/a b', 'http://example.gov.cn/#x',
    'https://example.gov.cn/' + 'a'.repeat(2000)]) {
    problem(await admin.post('/api/v1/webhooks', { url, events }), 400, 'BAD_WEBHOOK_URL');
  }
  const fieldsOf = async (body) => {
    const res = await admin.post('/api/v1/webhooks', body);
    problem(res, 400, 'BAD_PARAMETER');
    return res.body.fields.map((f) => f.field);
  };
  const url = 'https://gs.example.gov.cn/hook';
  assert.deepEqual(await fieldsOf({ url, events: ['case.submitted', 'case.exploded'] }), ['events[1]']);
  assert.deepEqual(await fieldsOf({ url, events: ['*', 'case.submitted'] }), ['events[0]']);
  assert.deepEqual(await fieldsOf({ url, events: ['case.submitted', 'case.submitted'] }), ['events[1]']);
  assert.deepEqual(await fieldsOf({ url, events: [] }), ['events']);
  assert.deepEqual(await fieldsOf({ url, events: 'case.submitted' }), ['events']);
  assert.deepEqual(await fieldsOf({ url }), ['events']);
  assert.deepEqual(await fieldsOf({ events }), ['url']);
  assert.deepEqual(await fieldsOf({ url, events, department_id: 'not-an-id' }), ['department_id']);
  assert.deepEqual(await fieldsOf({ url, events, department_id: 'd_doesNotExist' }), ['department_id']);
  assert.deepEqual(await fieldsOf({ url: 5, events: [1] }), ['url', 'events[0]']);
  problem(await call(srv.url, 'POST', '/api/v1/webhooks', { cookie: admin.cookie, csrf: admin.csrf,
    headers: { 'content-type': 'application/json' } }), 400, 'BAD_JSON');
  assert.equal(count(), before);
});

test('only webhook.subscribe may subscribe or list: applicants, clerks and other systems are refused', async () => {
  const body = { url: 'https://gs.example.gov.cn/hook', events: ['*'] };
  problem(await call(srv.url, 'POST', '/api/v1/webhooks', { csrf: '1', body }), 401, 'UNAUTHENTICATED');
  problem(await call(srv.url, 'GET', '/api/v1/webhooks'), 401, 'UNAUTHENTICATED');
  problem(await person.session.call('POST', '/api/v1/webhooks', { body }), 403, 'FORBIDDEN');
  problem(await person.session.call('GET', '/api/v1/webhooks'), 403, 'FORBIDDEN');
  problem(await clerk.post('/api/v1/webhooks', body), 403, 'FORBIDDEN');
  problem(await clerk.get('/api/v1/webhooks'), 403, 'FORBIDDEN');
  problem(await bearer(plainToken, 'POST', '/api/v1/webhooks', body), 403, 'FORBIDDEN');
  problem(await bearer(plainToken, 'GET', '/api/v1/webhooks'), 403, 'FORBIDDEN');
  // a subscription of someone else is not found for them either
  const made = await admin.post('/api/v1/webhooks', body);
  problem(await clerk.del(`/api/v1/webhooks/${made.body.id}`), 403, 'FORBIDDEN');
  problem(await person.session.call('GET', `/api/v1/webhooks/${made.body.id}/deliveries`), 403, 'FORBIDDEN');
});

test('a department system subscribes with its token; each owner sees and stops only their own', async () => {
  const res = await bearer(sysToken, 'POST', '/api/v1/webhooks',
    { url: 'https://bdc.example.gov.cn/yiwang/events', events: ['case.accepted'] });
  assert.equal(res.status, 201, res.text);
  const theirs = res.body.id;
  assert.deepEqual(audit(theirs), [['webhook.subscribe', `client:${sysToken.clientId}`]]);
  const ours = (await admin.post('/api/v1/webhooks', { url: 'https://gs.example.gov.cn/own', events: ['*'] })).body.id;

  const sysList = await bearer(sysToken, 'GET', '/api/v1/webhooks');
  assert.equal(sysList.status, 200, sysList.text);
  assert.deepEqual(sysList.body.items.map((i) => i.id), [theirs]);
  const adminList = (await admin.get('/api/v1/webhooks')).body.items.map((i) => i.id);
  assert.ok(adminList.includes(ours) && !adminList.includes(theirs));
  assert.deepEqual((await admin2.get('/api/v1/webhooks')).body.items, []);

  // another owner's subscription does not exist for them, whoever they are
  problem(await admin.del(`/api/v1/webhooks/${theirs}`), 404, 'NOT_FOUND');
  problem(await admin.get(`/api/v1/webhooks/${theirs}/deliveries`), 404, 'NOT_FOUND');
  problem(await admin2.del(`/api/v1/webhooks/${ours}`), 404, 'NOT_FOUND');
  problem(await bearer(sysToken, 'GET', `/api/v1/webhooks/${ours}/deliveries`), 404, 'NOT_FOUND');
  problem(await bearer(sysToken, 'DELETE', `/api/v1/webhooks/${ours}`), 404, 'NOT_FOUND');
  for (const id of ['wh_doesNotExist', 'nonsense', 'wh_' + 'x'.repeat(100)]) problem(await admin.del(`/api/v1/webhooks/${id}`), 404, 'NOT_FOUND');
  assert.equal(sql(srv, `SELECT active FROM webhook_subscriptions WHERE id IN ('${theirs}', '${ours}') ORDER BY id`)
    .flat().join(), '1,1');

  const deliveries = await bearer(sysToken, 'GET', `/api/v1/webhooks/${theirs}/deliveries`);
  assert.equal(deliveries.status, 200, deliveries.text);
  assert.deepEqual(deliveries.body.items, []);
  const stop = await bearer(sysToken, 'DELETE', `/api/v1/webhooks/${theirs}`);
  assert.equal(stop.status, 204, stop.text);
  assert.deepEqual(audit(theirs).map((a) => a[0]), ['webhook.subscribe', 'webhook.unsubscribe']);
});

test('stopping a subscription cancels its pending deliveries; stopping it again changes nothing', async () => {
  const made = await admin.post('/api/v1/webhooks', { url: 'https://gs.example.gov.cn/stop', events: ['*'] });
  const id = made.body.id;
  // a delivery far in the future, as the thread would leave one waiting for its next attempt
  dbExec(`INSERT INTO event_outbox (id, subscription_id, event_type, body, state, attempts, next_at, last_status, created_at)
    VALUES ('ev_stoptest', '${id}', 'case.submitted', '{}', 'pending', 3, ${Date.now() + 3600e3}, 503, ${Date.now()})`);
  const before = await admin.get(`/api/v1/webhooks/${id}/deliveries`);
  assert.equal(before.status, 200, before.text);
  assert.equal(before.body.items.length, 1);
  assert.deepEqual({ ...before.body.items[0], created_at: 0, next_at: before.body.items[0].next_at > Date.now() },
    { id: 'ev_stoptest', type: 'case.submitted', state: 'pending', attempts: 3, last_status: 503,
      last_error: null, next_at: true, created_at: 0, delivered_at: null });

  const del = await admin.del(`/api/v1/webhooks/${id}`);
  assert.equal(del.status, 204, del.text);
  const listed = (await admin.get('/api/v1/webhooks')).body.items.find((i) => i.id === id);
  assert.equal(listed.active, false);
  const after = (await admin.get(`/api/v1/webhooks/${id}/deliveries`)).body.items;
  assert.equal(after[0].state, 'cancelled');
  assert.equal(after[0].next_at, null);
  assert.equal((await admin.del(`/api/v1/webhooks/${id}`)).status, 204);
  assert.deepEqual(audit(id).map((a) => a[0]), ['webhook.subscribe', 'webhook.unsubscribe']);
});

test('the delivery thread POSTs the signed body, retries a 500 with backoff, and records the result', async () => {
  const made = await admin.post('/api/v1/webhooks', { url: sink.url + '/hooks/yiwang?from=test', events: ['case.submitted'] });
  assert.equal(made.status, 201, made.text);
  const { id, secret } = made.body;
  const now = Date.now();
  const body = JSON.stringify({ id: 'ev_thread1', type: 'case.submitted', created_at: now, department_id: null,
    data: { case_id: 'c_test', serial: 'SZ0001', item_code: 'x', state: 'submitted', department_id: null } });
  dbExec(`INSERT INTO event_outbox (id, subscription_id, event_type, body, state, attempts, next_at, created_at)
    VALUES ('ev_thread1', '${id}', 'case.submitted', '${body}', 'pending', 0, ${now}, ${now})`);

  const [first, second] = await sink.waitFor(2);
  for (const r of [first, second]) {
    assert.equal(r.method, 'POST');
    assert.equal(r.path, '/hooks/yiwang?from=test');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['x-yiwang-event'], 'case.submitted');
    assert.equal(r.headers['x-yiwang-delivery'], 'ev_thread1');
    assert.equal(r.body, body);
    assert.ok(verifySignature(secret, r.headers, r.body), 'signature verifies with the secret shown at subscription');
    assert.ok(!verifySignature(secret + 'x', r.headers, r.body));
  }
  assert.equal(first.status, 500);
  assert.equal(second.status, 200);
  // the retry waited the base (300 ms here) at least
  assert.ok(second.at - first.at >= 300, `retried after ${second.at - first.at} ms`);

  // the result is written just after the answer
  let items;
  for (let i = 0; i < 50; i++) {
    items = (await admin.get(`/api/v1/webhooks/${id}/deliveries`)).body.items;
    if (items[0]?.state !== 'pending') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(items.length, 1);
  assert.equal(items[0].state, 'delivered');
  assert.equal(items[0].attempts, 2);
  assert.equal(items[0].last_status, 200);
  assert.equal(items[0].next_at, null);
  assert.ok(items[0].delivered_at >= now);
  // delivered once: nothing more arrives
  await new Promise((r) => setTimeout(r, 1200));
  assert.equal(sink.received.length, 2);
});
