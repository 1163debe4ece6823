// Organisations (法人), their handlers (经办人) and personal agents (代办/委托) over HTTP
// (R-ID-012): registration with USCC checks, handler and agent authorizations with their
// refusals, who sees what (B never reads A's objects: 404), the audit actor of an action done
// for an organisation, and masked ID numbers in every answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { newPerson, registerSession, call, problem, sql, seenBodies, randomUscc, randomId } from '../lib/persons.mjs';

const BASIC = '000104002000';          // a 基本编码 (STANDARDS.md §5)
const OTHER = '340120001000';
const masked = (id) => id.slice(0, 4) + '**********' + id.slice(14);

// YYYY-MM-DD in China Standard Time, `days` from today.
function cstDay(days = 0) {
  return new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

let srv, base;
const usccs = [];          // organisation codes used here: public, and may look like ID numbers
const A = newPerson('赵法人'), B = newPerson('钱经办'), C = newPerson('孙旁人'), D = newPerson('李代办', '19850512', false);
let a, b, c, d;
let org;

before(async () => {
  srv = await startServer({ args: ['--sandbox'] });
  base = srv.url;
  a = await registerSession(base, A);
  b = await registerSession(base, B);
  c = await registerSession(base, C);
  d = await registerSession(base, D);
});

after(async () => {
  await srv?.stop();
});

const count = (table, where = '1=1') => Number(sql(srv, `SELECT COUNT(*) FROM ${table} WHERE ${where}`)[0][0]);

test('a person registers an organisation and becomes its legal representative (未核验)', async () => {
  const uscc = randomUscc('91', '341302');
  usccs.push(uscc);
  const res = await a.call('POST', '/api/v1/orgs', { body: { name: '宿州市测试科技有限公司', uscc: uscc.toLowerCase(),
    type: 'enterprise', division_code: '341302' } });
  assert.equal(res.status, 201, res.text);
  org = res.body.org;
  assert.match(org.id, /^o_/);
  assert.equal(org.uscc, uscc);                  // normalised to upper case
  assert.equal(org.type, 'enterprise');
  assert.equal(org.type_name, '企业');
  assert.equal(org.division_code, '341302');
  assert.equal(org.division_name, '埇桥区');
  assert.equal(org.verified, false);
  assert.equal(org.verification, '未核验');
  assert.equal(org.my_role, 'legal_representative');
  assert.deepEqual(org.legal_representative, { name: A.name, id_number_masked: masked(A.id) });

  const rows = sql(srv, `SELECT legal_rep_id, org_type, verified FROM orgs WHERE id = '${org.id}'`);
  assert.deepEqual(rows, [[a.person.id, 'enterprise', '0']]);
  const audit = sql(srv, `SELECT actor, object_type FROM audit_log WHERE action = 'org.register'`);
  assert.deepEqual(audit, [['person:' + a.person.id, 'org']]);

  const list = await a.call('GET', '/api/v1/orgs');
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.orgs.map((o) => o.id), [org.id]);
  const one = await a.call('GET', '/api/v1/orgs/' + org.id);
  assert.equal(one.status, 200);
  assert.equal(one.body.org.name, '宿州市测试科技有限公司');
});

test('bad registrations: their code, and nothing written', async () => {
  const before = count('orgs');
  const good = { name: '另一家公司', uscc: randomUscc('91'), type: 'enterprise', division_code: '341302' };
  usccs.push(good.uscc, good.uscc.slice(0, 17) + (good.uscc[17] === '0' ? '1' : '0'));
  const reg = (over, who = b) => who.call('POST', '/api/v1/orgs', { body: { ...good, ...over } });
  const u = good.uscc;
  const wrongCheck = u.slice(0, 17) + (u[17] === '0' ? '1' : '0');
  problem(await reg({ uscc: wrongCheck }), 400, 'BAD_USCC');
  problem(await reg({ uscc: u.slice(0, 17) }), 400, 'BAD_USCC');
  problem(await reg({ division_code: '349999' }), 404, 'DIVISION_NOT_FOUND');
  problem(await reg({ division_code: '34x' }), 400, 'BAD_DIVISION_CODE');
  const t = await reg({ type: '公司' });
  problem(t, 400, 'BAD_PARAMETER');
  assert.deepEqual(t.body.fields.map((f) => f.field), ['type']);
  // the Chinese name of a type stands for its key (checked on a refused USCC: nothing written)
  problem(await reg({ type: '事业单位', uscc: wrongCheck }), 400, 'BAD_USCC');
  const m = await reg({ name: '', uscc: undefined });
  problem(m, 400, 'BAD_PARAMETER');
  assert.deepEqual(m.body.fields.map((f) => f.field).sort(), ['name', 'uscc']);
  // a USCC already registered, by someone else
  const dup = await reg({ uscc: org.uscc }, c);
  problem(dup, 409, 'ORG_ALREADY_REGISTERED');
  // anonymous: 401, with or without a CSRF header
  problem(await call(base, 'POST', '/api/v1/orgs', { csrf: '1', body: good }), 401, 'UNAUTHENTICATED');
  problem(await call(base, 'GET', '/api/v1/orgs'), 401, 'UNAUTHENTICATED');
  assert.equal(count('orgs'), before);
  assert.equal(count('audit_log', `action = 'org.register'`), 1);
});

test('B never reads A\'s organisation: 404 everywhere, and an empty list', async () => {
  for (const who of [c, b, d]) {
    problem(await who.call('GET', '/api/v1/orgs/' + org.id), 404, 'NOT_FOUND');
    problem(await who.call('GET', `/api/v1/orgs/${org.id}/handlers`), 404, 'NOT_FOUND');
    problem(await who.call('POST', `/api/v1/orgs/${org.id}/handlers`, { body: { name: C.name,
      id_number: C.id, items: 'all', valid_until: cstDay(30) } }), 404, 'NOT_FOUND');
    const list = await who.call('GET', '/api/v1/orgs');
    assert.deepEqual(list.body.orgs, []);
  }
  problem(await c.call('GET', '/api/v1/orgs/o_doesnotexist'), 404, 'NOT_FOUND');
  assert.equal(count('org_handlers'), 0);
});

let handler;

test('handler authorization: refusals write nothing; one uniform answer for wrong name or number', async () => {
  const add = (body) => a.call('POST', `/api/v1/orgs/${org.id}/handlers`, { body });
  const good = { name: B.name, id_number: B.id, items: 'all', valid_until: cstDay(30) };
  // wrong name, unregistered number: the same code and the same detail
  const wrongName = await add({ ...good, name: '钱某某' });
  problem(wrongName, 422, 'PERSON_NOT_FOUND');
  const unknown = await add({ ...good, id_number: randomId('19770707') });
  problem(unknown, 422, 'PERSON_NOT_FOUND');
  assert.equal(wrongName.body.detail, unknown.body.detail);
  assert.equal(wrongName.body.title, unknown.body.title);
  // an expired authorization (yesterday in Beijing time), too far, not a date
  problem(await add({ ...good, valid_until: cstDay(-1) }), 400, 'AUTHORIZATION_EXPIRED');
  problem(await add({ ...good, valid_until: '2020-01-01' }), 400, 'AUTHORIZATION_EXPIRED');
  problem(await add({ ...good, valid_until: cstDay(6 * 366) }), 400, 'BAD_VALID_UNTIL');
  problem(await add({ ...good, valid_until: '2027-02-30' }), 400, 'BAD_VALID_UNTIL');
  problem(await add({ ...good, items: ['12345'] }), 400, 'BAD_ITEM_CODE');
  problem(await add({ ...good, items: [] }), 400, 'BAD_PARAMETER');
  problem(await add({ ...good, items: 'some' }), 400, 'BAD_PARAMETER');
  problem(await add({ ...good, id_number: B.id.slice(0, 17) + (B.id[17] === '1' ? '2' : '1') }), 400, 'BAD_ID_NUMBER');
  problem(await add({ ...good, name: A.name, id_number: A.id }), 400, 'SELF_AUTHORIZATION');
  assert.equal(count('org_handlers'), 0);
  assert.equal(count('audit_log', `action LIKE 'org.handler%'`), 0);

  const res = await add({ ...good, items: [BASIC, OTHER, BASIC] });
  assert.equal(res.status, 201, res.text);
  handler = res.body.handler;
  assert.match(handler.id, /^h_/);
  assert.deepEqual(handler.person, { name: B.name, id_number_masked: masked(B.id) });
  assert.deepEqual(handler.items, [BASIC, OTHER]);
  assert.equal(handler.valid_until, cstDay(30));
  assert.equal(handler.status, 'active');
  assert.equal(handler.revoked_at, null);
  problem(await add(good), 409, 'AUTHORIZATION_EXISTS');
  // only ids are stored
  const row = sql(srv, `SELECT person_id, items FROM org_handlers WHERE id = '${handler.id}'`);
  assert.deepEqual(row, [[b.person.id, `${BASIC},${OTHER}`]]);
  // done for the organisation: the audit names both the person and the organisation
  const audit = sql(srv, `SELECT actor, object_id FROM audit_log WHERE action = 'org.handler_grant'`);
  assert.deepEqual(audit, [[`person:${a.person.id} for org:${org.id}`, org.id]]);
  assert.ok(!sql(srv, `SELECT new_value FROM audit_log WHERE action = 'org.handler_grant'`)[0][0].includes(B.id));
});

test('a live handler sees the organisation but cannot manage it; revocation ends it', async () => {
  const list = await b.call('GET', '/api/v1/orgs');
  assert.deepEqual(list.body.orgs.map((o) => [o.id, o.my_role]), [[org.id, 'handler']]);
  assert.equal((await b.call('GET', '/api/v1/orgs/' + org.id)).status, 200);
  problem(await b.call('GET', `/api/v1/orgs/${org.id}/handlers`), 403, 'FORBIDDEN');
  problem(await b.call('POST', `/api/v1/orgs/${org.id}/handlers/${handler.id}/revoke`), 403, 'FORBIDDEN');
  problem(await b.call('POST', `/api/v1/orgs/${org.id}/handlers`, { body: { name: C.name,
    id_number: C.id, items: 'all', valid_until: cstDay(3) } }), 403, 'FORBIDDEN');

  const hs = await a.call('GET', `/api/v1/orgs/${org.id}/handlers`);
  assert.equal(hs.status, 200);
  assert.deepEqual(hs.body.handlers.map((h) => h.id), [handler.id]);

  problem(await a.call('POST', `/api/v1/orgs/${org.id}/handlers/h_nope/revoke`), 404, 'NOT_FOUND');
  const rv = await a.call('POST', `/api/v1/orgs/${org.id}/handlers/${handler.id}/revoke`);
  assert.equal(rv.status, 200, rv.text);
  assert.equal(rv.body.handler.status, 'revoked');
  assert.equal(typeof rv.body.handler.revoked_at, 'number');
  problem(await a.call('POST', `/api/v1/orgs/${org.id}/handlers/${handler.id}/revoke`), 409, 'AUTHORIZATION_REVOKED');
  assert.equal(count('audit_log', `action = 'org.handler_revoke' AND actor = 'person:${a.person.id} for org:${org.id}'`), 1);

  problem(await b.call('GET', '/api/v1/orgs/' + org.id), 404, 'NOT_FOUND');
  assert.deepEqual((await b.call('GET', '/api/v1/orgs')).body.orgs, []);
  // a new authorization may follow a revoked one
  const again = await a.call('POST', `/api/v1/orgs/${org.id}/handlers`, { body: { name: B.name,
    id_number: B.id, items: 'all', valid_until: cstDay(0) } });
  assert.equal(again.status, 201, again.text);
  assert.equal(again.body.handler.items, 'all');
  assert.equal((await b.call('GET', '/api/v1/orgs/' + org.id)).status, 200);   // until the end of today
});

let agent;

test('agent authorization: refusals, then authorize, list both ways, revoke', async () => {
  const add = (body, who = a) => who.call('POST', '/api/v1/me/agents', { body });
  const good = { name: D.name, id_number: D.id, items: [BASIC], valid_until: cstDay(365) };
  problem(await add({ ...good, name: A.name, id_number: A.id }), 400, 'SELF_AUTHORIZATION');
  problem(await add({ ...good, valid_until: cstDay(-1) }), 400, 'AUTHORIZATION_EXPIRED');
  problem(await add({ ...good, name: '李某' }), 422, 'PERSON_NOT_FOUND');
  problem(await add({ ...good, items: ['0001040020001'] }), 400, 'BAD_ITEM_CODE');
  problem(await call(base, 'POST', '/api/v1/me/agents', { csrf: '1', body: good }), 401, 'UNAUTHENTICATED');
  problem(await a.call('POST', '/api/v1/me/agents', { body: good, csrf: 'wrong' }), 403, 'CSRF_FAILED');
  assert.equal(count('agent_authorizations'), 0);
  assert.equal(count('audit_log', `action LIKE 'agent.%'`), 0);

  const res = await add(good);
  assert.equal(res.status, 201, res.text);
  agent = res.body.agent;
  assert.match(agent.id, /^a_/);
  assert.deepEqual(agent.agent, { name: D.name, id_number_masked: masked(D.id) });
  assert.deepEqual(agent.items, [BASIC]);
  assert.equal(agent.status, 'active');
  problem(await add(good), 409, 'AUTHORIZATION_EXISTS');
  assert.deepEqual(sql(srv, `SELECT principal_id, agent_id FROM agent_authorizations`),
    [[a.person.id, d.person.id]]);
  assert.deepEqual(sql(srv, `SELECT actor, object_id FROM audit_log WHERE action = 'agent.authorize'`),
    [['person:' + a.person.id, agent.id]]);

  const mine = await a.call('GET', '/api/v1/me/agents');
  assert.deepEqual(mine.body.agents.map((x) => x.id), [agent.id]);
  const principals = await d.call('GET', '/api/v1/me/principals');
  assert.equal(principals.status, 200);
  assert.deepEqual(principals.body.principals.map((x) => [x.id, x.principal.name, x.principal.id_number_masked]),
    [[agent.id, A.name, masked(A.id)]]);
  // the principal's person id: what the agent names as "for" when applying for them
  assert.equal(principals.body.principals[0].principal.id, a.person.id);
  // nobody else sees or touches A's authorizations
  assert.deepEqual((await c.call('GET', '/api/v1/me/agents')).body.agents, []);
  assert.deepEqual((await c.call('GET', '/api/v1/me/principals')).body.principals, []);
  assert.deepEqual((await d.call('GET', '/api/v1/me/agents')).body.agents, []);
  problem(await c.call('POST', `/api/v1/me/agents/${agent.id}/revoke`), 404, 'NOT_FOUND');
  problem(await d.call('POST', `/api/v1/me/agents/${agent.id}/revoke`), 404, 'NOT_FOUND');
  problem(await call(base, 'GET', '/api/v1/me/agents'), 401, 'UNAUTHENTICATED');
  // an agent of the legal representative is not thereby a handler of the organisation
  problem(await d.call('GET', '/api/v1/orgs/' + org.id), 404, 'NOT_FOUND');

  const rv = await a.call('POST', `/api/v1/me/agents/${agent.id}/revoke`);
  assert.equal(rv.status, 200, rv.text);
  assert.equal(rv.body.agent.status, 'revoked');
  problem(await a.call('POST', `/api/v1/me/agents/${agent.id}/revoke`), 409, 'AUTHORIZATION_REVOKED');
  assert.deepEqual((await d.call('GET', '/api/v1/me/principals')).body.principals, []);
  const after = await a.call('GET', '/api/v1/me/agents');
  assert.deepEqual(after.body.agents.map((x) => [x.id, x.status]), [[agent.id, 'revoked']]);
  assert.equal(count('audit_log', `action = 'agent.revoke' AND actor = 'person:${a.person.id}'`), 1);
});

test('an authorization past its last day stops counting, without anyone revoking it', async () => {
  const res = await a.call('POST', '/api/v1/me/agents', { body: { name: C.name, id_number: C.id,
    items: 'all', valid_until: cstDay(1) } });
  assert.equal(res.status, 201, res.text);
  assert.equal((await c.call('GET', '/api/v1/me/principals')).body.principals.length, 1);
  // the row ages by two days: its last day is now yesterday (Beijing time)
  sql(srv, `UPDATE agent_authorizations SET valid_until = '${cstDay(-1)}' WHERE id = '${res.body.agent.id}'`);
  assert.deepEqual((await c.call('GET', '/api/v1/me/principals')).body.principals, []);
  const mine = await a.call('GET', '/api/v1/me/agents');
  assert.equal(mine.body.agents.find((x) => x.id === res.body.agent.id).status, 'expired');
  // and an expired one does not block a new authorization of the same person
  const again = await a.call('POST', '/api/v1/me/agents', { body: { name: C.name, id_number: C.id,
    items: 'all', valid_until: cstDay(2) } });
  assert.equal(again.status, 201, again.text);
});

test('an all-items agent of the legal representative, even one who is a handler, cannot manage handlers', async () => {
  const res = await a.call('POST', '/api/v1/me/agents', { body: { name: B.name, id_number: B.id,
    items: 'all', valid_until: cstDay(10) } });
  assert.equal(res.status, 201, res.text);
  assert.equal((await b.call('GET', '/api/v1/orgs/' + org.id)).status, 200);    // B is a live handler
  problem(await b.call('GET', `/api/v1/orgs/${org.id}/handlers`), 403, 'FORBIDDEN');
  problem(await b.call('POST', `/api/v1/orgs/${org.id}/handlers`, { body: { name: C.name,
    id_number: C.id, items: 'all', valid_until: cstDay(3) } }), 403, 'FORBIDDEN');
  const hs = await a.call('GET', `/api/v1/orgs/${org.id}/handlers`);
  const live = hs.body.handlers.find((h) => h.status === 'active');
  problem(await b.call('POST', `/api/v1/orgs/${org.id}/handlers/${live.id}/revoke`), 403, 'FORBIDDEN');
  assert.equal(count('org_handlers', `revoked_at IS NULL`), 1);
  // nor revoke A's agents, nor see them
  problem(await b.call('POST', `/api/v1/me/agents/${res.body.agent.id}/revoke`), 404, 'NOT_FOUND');
  assert.ok(!(await b.call('GET', '/api/v1/me/agents')).body.agents.some((x) => x.id === res.body.agent.id));
});

test('probing names and numbers is rate-limited per caller: 30 lookups an hour', async () => {
  const probe = () => c.call('POST', '/api/v1/me/agents', { body: { name: '猜名字', id_number: D.id,
    items: 'all', valid_until: cstDay(5) } });
  for (let i = 0; i < 30; i++) problem(await probe(), 422, 'PERSON_NOT_FOUND');
  const res = await probe();
  problem(res, 429, 'RATE_LIMITED');
  assert.ok(Number(res.headers.get('retry-after')) > 0);
  assert.equal(count('agent_authorizations', `principal_id = '${c.person.id}'`), 0);
});

test('no answer carries a full ID number', () => {
  assert.ok(seenBodies.length > 40);
  for (const p of [A, B, C, D])
    for (const body of seenBodies) assert.ok(!body.includes(p.id), 'a full ID number in ' + body.slice(0, 300));
  // any other 18-character ID-shaped number (a USCC may look like one: those are taken out)
  for (const body of seenBodies)
    for (const m of usccs.reduce((t, u) => t.replaceAll(u, ''), body).matchAll(/\d{17}[\dX]/g))
      assert.fail('an 18-digit number in ' + m[0]);
});
