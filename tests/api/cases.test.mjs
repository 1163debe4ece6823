// Cases over HTTP (src/cases, docs/cases.md): drafts, submission with its checks and its serial
// number, Idempotency-Key, window applications and agents, the lifecycle through parallel
// branches, supplement, suspension and extension, who may take which step (404 / 403 / 409),
// the staff inbox (order, filters, counts, paging, reach), public progress and the notices.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { bootstrapAdmin, createStaff, makeUscc } from '../lib/staff.mjs';
import { newPerson, registerSession, problem, sql, call, randomUscc } from '../lib/persons.mjs';

let srv, base, admin;
const dept = {};
const staff = {};
const P = {};          // persons: A, B (another applicant), D (A's agent)
const code = {};       // items
const cases = {};

const guide = (over = {}) => ({
  online_depth: 4, visits: 0, project_type: 2, handling_forms: [1, 2], service_objects: [1],
  statutory_limit: 20, promised_limit: 5, charged: false, in_hall: true, aliases: [], ...over,
});

const form = { fields: [
  { name: 'shop_name', label: '店铺名称', type: 'text', required: true, max_length: 50 },
  { name: 'area', label: '面积', type: 'number', min: 1 },
] };
const materials = [
  { name: '营业执照申请书', source: 'applicant', required: true, reuse: 'never' },
  { name: '其他材料', source: 'applicant', required: false, condition: '有其他需要说明的情况时', reuse: 'never' },
];
// Two reviews in parallel in two departments, joined by "all".
const parallel = (deptY) => ({
  start: 's1',
  steps: [
    { id: 's1', name: '受理', kind: 'task', stage: 'accept', role: 'window_clerk', limit_days: 1, next: ['p1'] },
    { id: 'p1', name: '并联审查', kind: 'split', next: ['b1', 'b2'] },
    { id: 'b1', name: '食品安全审查', kind: 'task', stage: 'review', role: 'approver', limit_days: 5, next: ['j1'] },
    { id: 'b2', name: '消防审查', kind: 'task', stage: 'review', role: 'approver', department_id: deptY, limit_days: 5, next: ['j1'] },
    { id: 'j1', name: '汇总', kind: 'join', join: 'all', next: ['s3'] },
    { id: 's3', name: '决定', kind: 'task', stage: 'decide', role: 'approver', limit_days: 3, next: ['end'] },
    { id: 'end', name: '办结', kind: 'end', next: [] },
  ],
});

function pdf(extra = '') {
  return Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n'
    + '2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n' + extra
    + 'trailer <</Size 3 /Root 1 0 R>>\n%%EOF\n', 'latin1');
}

async function upload(who, path) {
  const res = await fetch(base + path, { method: 'POST', body: pdf(Math.random().toString(36)),
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'content-type': 'application/pdf' } });
  const text = await res.text();
  return { status: res.status, text, body: text ? JSON.parse(text) : undefined };
}

const cstDay = (plus = 0) => new Date(Date.now() + 8 * 3600e3 + plus * 86400e3).toISOString().slice(0, 10);
const count = (table, where = '1 = 1') => Number(sql(srv, `SELECT count(*) FROM ${table} WHERE ${where}`)[0][0]);
const rows = () => ['cases', 'case_tasks', 'case_trail', 'case_materials', 'case_serials', 'case_idempotency', 'audit_log']
  .map((t) => count(t)).join(',');

// A person's call with JSON and optional headers.
const as = (who) => (method, path, body, headers) => who.call(method, path, { body, headers });
// A staff member's call, with optional headers.
function st(who) {
  return async (method, path, body, headers = {}) => {
    const h = { cookie: who.cookie, 'x-csrf-token': who.csrf, ...headers };
    if (body !== undefined) h['content-type'] = 'application/json';
    const res = await fetch(base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    const ct = res.headers.get('content-type') || '';
    return { status: res.status, headers: res.headers, text, body: ct.includes('json') && text ? JSON.parse(text) : undefined };
  };
}

async function item(key, basic, department, over) {
  const res = await admin.post('/api/v1/items', { basic_code: basic, department_id: department, ...guide(over) });
  assert.equal(res.status, 201, res.text);
  code[key] = res.body.item.code;
  const pub = await admin.post(`/api/v1/items/${code[key]}/publish`, { version: 1 });
  assert.equal(pub.status, 200, pub.text);
}

// A material of who's space, for slot use.
async function material(who) {
  const res = await upload(who, '/api/v1/materials?title=' + encodeURIComponent('申请书'));
  assert.ok(res.status === 201 || res.status === 200, res.text);
  return res.body.id;
}

const delivery = { method: 'pickup' };

// A submitted case of A for item key (P by default).
async function submitted(key = 'P', who = 'A', extra = {}) {
  const m = await material(P[who]);
  const res = await as(P[who])('POST', '/api/v1/cases', { item_code: code[key], submit: true,
    form: { shop_name: '好味小吃' }, materials: [{ slot: 0, material_id: m }], delivery, ...extra });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

async function act(who, c, name, body = {}) {
  return who('POST', `/api/v1/cases/${c.id}/actions/${name}`, body);
}

// The answer to a change is made from the write, not read back: it must be what a read gives.
async function sameAsRead(who, answer) {
  const read = await who('GET', '/api/v1/cases/' + answer.id);
  assert.equal(read.status, 200, read.text);
  assert.deepEqual(answer, read.body);
}

before(async () => {
  srv = await startServer({ args: ['--sandbox'] });
  base = srv.url;
  admin = await bootstrapAdmin(srv);
  for (const [key, name, division] of [['X', '埇桥区市场监督管理局', '341302'], ['Y', '埇桥区消防救援大队', '341302'],
    ['Z', '砀山县市场监督管理局', '341321']]) {
    const res = await admin.post('/api/v1/departments',
      { name, uscc: makeUscc(division), division_code: division, parent_id: admin.department_id });
    assert.equal(res.status, 201, res.text);
    dept[key] = res.body.department;
  }
  const mk = async (key, username, role, d, division) => {
    const c = await createStaff(admin, { username, name: username, department_id: dept[d].id,
      roles: [{ role, department_id: dept[d].id, division_code: division }] });
    staff[key] = st(c);
    staff[key].id = c.id;
  };
  await mk('clerkX', 'clerk.x', 'window_clerk', 'X', '341302');
  await mk('clerkZ', 'clerk.z', 'window_clerk', 'Z', '341321');
  await mk('approverX', 'approver.x', 'approver', 'X', '341302');
  await mk('approverY', 'approver.y', 'approver', 'Y', '341302');
  await mk('adminX', 'deptadmin.x', 'dept_admin', 'X', '341302');
  await mk('supervisor', 'supervisor.yq', 'supervisor', 'X', '341302');
  for (const [key, name] of [['A', '张三'], ['B', '李四'], ['D', '王五']]) {
    const p = newPerson(name);
    P[key] = await registerSession(base, p);
    P[key].p = p;
  }
  await item('P', '000104201000', dept.X.id, { name: '食品经营许可', form, materials, process: parallel(dept.Y.id) });
  await item('Q', '000104202000', dept.X.id, { name: '即办登记', project_type: 1, statutory_limit: 1, promised_limit: 1, materials: [] });
  await item('R', '000104203000', dept.X.id, { name: '短时限许可', statutory_limit: 10, promised_limit: 3, materials: [], service_objects: [1, 2] });
  await item('L', '000104204000', dept.X.id, { name: '长时限许可', statutory_limit: 40, promised_limit: 30, materials: [] });
  await item('O', '000104206000', dept.X.id, { name: '企业专属许可', service_objects: [2], materials: [] });
});

after(async () => {
  await srv?.stop();
});

test('a draft is saved, resumed, changed and deleted; another applicant cannot see it', async () => {
  const A = as(P.A);
  const res = await A('POST', '/api/v1/cases', { item_code: code.P, form: { shop_name: '草' } });
  assert.equal(res.status, 201, res.text);
  const c = res.body;
  assert.match(c.id, /^c_/);
  assert.equal(c.state, 'draft');
  assert.equal(c.state_name, '草稿');
  assert.equal(c.serial, null);
  assert.equal(c.channel, 'online');
  assert.equal(c.applicant.id, P.A.person.id);
  assert.equal(c.applicant.name, '张三');
  assert.match(c.applicant.number_masked, /^\d{4}\*{10}\d{3}[\dX]$/);
  assert.deepEqual(c.form, { shop_name: '草' });
  assert.deepEqual(c.materials.map((m) => [m.name, m.required]), [['营业执照申请书', true], ['其他材料', false]]);
  assert.deepEqual(c.actions, ['submit']);
  assert.equal(c.form_definition.fields[0].name, 'shop_name');

  // resumed: the applicant reads it back and goes on
  const again = await A('GET', '/api/v1/cases/' + c.id);
  assert.equal(again.status, 200);
  assert.equal(again.body.version, c.version);
  assert.deepEqual(again.body, c);
  const up = await upload(P.A, `/api/v1/cases/${c.id}/materials?slot=0&title=${encodeURIComponent('申请书')}`);
  assert.equal(up.status, 201, up.text);
  const patched = await A('PATCH', '/api/v1/cases/' + c.id, { version: c.version, form: { shop_name: '好味小吃' }, delivery });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.body.version, c.version + 1);
  await sameAsRead(A, patched.body);
  assert.deepEqual(patched.body.materials[0].files.map((f) => f.id), [up.body.id]);
  problem(await A('PATCH', '/api/v1/cases/' + c.id, { version: c.version, form: {} }), 409, 'CASE_STALE');
  const mine = await A('GET', '/api/v1/cases');
  assert.ok(mine.body.items.some((b) => b.id === c.id && b.state === 'draft'));

  // another applicant: as if it did not exist
  const B = as(P.B);
  problem(await B('GET', '/api/v1/cases/' + c.id), 404, 'NOT_FOUND');
  problem(await B('PATCH', '/api/v1/cases/' + c.id, { form: {} }), 404, 'NOT_FOUND');
  problem(await B('DELETE', '/api/v1/cases/' + c.id), 404, 'NOT_FOUND');
  assert.ok(!(await B('GET', '/api/v1/cases')).body.items.some((b) => b.id === c.id));
  problem(await call(base, 'GET', '/api/v1/cases/' + c.id), 401, 'UNAUTHENTICATED');

  // the material of the case is readable through the case by whoever may read it
  const bytes = await fetch(`${base}/api/v1/cases/${c.id}/materials/${up.body.id}`, { headers: { cookie: P.A.cookie } });
  assert.equal(bytes.status, 200);
  assert.match(await bytes.text(), /^%PDF-/);

  // submitted from the draft
  const sub = await A('POST', `/api/v1/cases/${c.id}/submit`, {});
  assert.equal(sub.status, 200, sub.text);
  assert.equal(sub.body.state, 'submitted');
  cases.fromDraft = sub.body;
  problem(await A('DELETE', '/api/v1/cases/' + c.id), 409, 'CASE_STATE_CONFLICT');

  const other = await A('POST', '/api/v1/cases', { item_code: code.R });
  assert.equal(other.status, 201);
  assert.equal((await A('DELETE', '/api/v1/cases/' + other.body.id)).status, 204);
  problem(await A('GET', '/api/v1/cases/' + other.body.id), 404, 'NOT_FOUND');
});

test('submitting checks the form, the required materials, their owner and the delivery; nothing is written when refused', async () => {
  const A = as(P.A);
  const mine = await material(P.A), hers = await material(P.B);
  const before = rows();
  const body = (over) => ({ item_code: code.P, submit: true, form: { shop_name: '好味' },
    materials: [{ slot: 0, material_id: mine }], delivery, ...over });
  let res = await A('POST', '/api/v1/cases', body({ form: { area: 0 } }));
  problem(res, 400, 'BAD_PARAMETER');
  assert.ok(res.body.fields.some((f) => f.field === 'shop_name'), res.text);
  res = await A('POST', '/api/v1/cases', body({ materials: [{ slot: 1, material_id: mine }] }));
  problem(res, 422, 'MATERIAL_REQUIRED');
  assert.deepEqual(res.body.fields.map((f) => f.field), ['materials[0]']);
  assert.match(res.body.fields[0].reason, /营业执照申请书/);
  problem(await A('POST', '/api/v1/cases', body({ materials: [{ slot: 0, material_id: hers }] })), 404, 'NOT_FOUND');
  problem(await A('POST', '/api/v1/cases', body({ materials: [{ slot: 7, material_id: mine }] })), 400, 'BAD_PARAMETER');
  problem(await A('POST', '/api/v1/cases', body({ delivery: { method: 'pigeon' } })), 400, 'BAD_PARAMETER');
  res = await A('POST', '/api/v1/cases', body({ delivery: { method: 'post' } }));
  problem(res, 400, 'BAD_PARAMETER');
  assert.ok(res.body.fields.some((f) => f.field === 'delivery.address'));
  problem(await A('POST', '/api/v1/cases', body({ item_code: '11341300MB0000000X400010420100' })), 404, 'NOT_FOUND');
  problem(await A('POST', '/api/v1/cases', body({ submit: 'yes' })), 400, 'BAD_PARAMETER');
  problem(await A('POST', '/api/v1/cases', body({}), { 'Idempotency-Key': 'x'.repeat(201) }), 400, 'BAD_PARAMETER');
  assert.equal(rows(), before);
});

test('Idempotency-Key: a replay gives the same case, another body is refused, 5 at once make one case', async () => {
  const A = as(P.A);
  const m = await material(P.A);
  const body = { item_code: code.P, submit: true, form: { shop_name: '幂等' }, materials: [{ slot: 0, material_id: m }], delivery };
  const first = await A('POST', '/api/v1/cases', body, { 'Idempotency-Key': 'k-1' });
  assert.equal(first.status, 201, first.text);
  const again = await A('POST', '/api/v1/cases', body, { 'Idempotency-Key': 'k-1' });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.body.id, first.body.id);
  assert.equal(again.body.serial, first.body.serial);
  problem(await A('POST', '/api/v1/cases', { ...body, form: { shop_name: '另一份' } }, { 'Idempotency-Key': 'k-1' }),
    422, 'IDEMPOTENCY_KEY_REUSED');
  // another caller's same key is their own
  const mb = await material(P.B);
  const b = await as(P.B)('POST', '/api/v1/cases', { ...body, materials: [{ slot: 0, material_id: mb }] }, { 'Idempotency-Key': 'k-1' });
  assert.equal(b.status, 201, b.text);

  const n0 = count('cases');
  const all = await Promise.all(Array.from({ length: 5 }, () =>
    A('POST', '/api/v1/cases', { ...body, form: { shop_name: '并发' } }, { 'Idempotency-Key': 'k-concurrent' })));
  for (const r of all) assert.ok(r.status === 201 || r.status === 200, r.text);
  assert.equal(new Set(all.map((r) => r.body.id)).size, 1);
  assert.equal(all.filter((r) => r.status === 201).length, 1);
  assert.equal(count('cases'), n0 + 1);
  assert.equal(count('case_idempotency', `key = 'k-concurrent'`), 1);
});

// ISO 7064 MOD 11-2 over the 20 digits, as the citizen ID's check character.
function serialCheck(digits) {
  let p = 0;
  for (const d of digits) p = ((p + Number(d)) * 2) % 11;
  const c = (12 - p) % 11;
  return c === 10 ? 'X' : String(c);
}

test('serial numbers: county, day, sequence and check character; unique', async () => {
  const a = await submitted(), b = await submitted();
  const day = cstDay().replace(/-/g, '');
  for (const c of [a, b]) {
    assert.match(c.serial, /^341302-\d{8}-\d{6}-[0-9X]$/);
    assert.equal(c.serial.slice(7, 15), day);
    assert.equal(c.serial.length, 24);
    assert.equal(serialCheck(c.serial.replace(/-/g, '').slice(0, 20)), c.serial.slice(-1));
  }
  assert.equal(Number(b.serial.slice(16, 22)), Number(a.serial.slice(16, 22)) + 1);
  const serials = sql(srv, `SELECT serial FROM cases WHERE serial IS NOT NULL`).map((r) => r[0]);
  assert.equal(new Set(serials).size, serials.length);
  assert.equal(a.state, 'submitted');
  assert.equal(a.limits.submitted_on, cstDay());
  assert.equal(a.tasks.length, 1);
  assert.equal(a.tasks[0].stage, 'pre_review');
  assert.equal(a.tasks[0].department.name, '埇桥区市场监督管理局');
  assert.equal(a.trail.at(-1).action, 'submit');
  assert.equal(a.trail.at(-1).actor_name, '申请人');
  assert.equal(count('audit_log', `action = 'case.submit' AND object_id = '${a.id}'`), 1);
});

test('a window clerk files for a registered person, only for items of their departments', async () => {
  const ok = await staff.clerkX('POST', '/api/v1/cases', { item_code: code.R, submit: true, delivery,
    applicant: { id_number: P.A.p.id, name: P.A.p.name } });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.channel, 'window');
  assert.equal(ok.body.applicant.id, P.A.person.id);
  assert.equal(ok.body.filed_by, 'clerk.x');
  cases.window = ok.body;
  // the applicant sees it among theirs
  assert.ok((await as(P.A)('GET', '/api/v1/cases')).body.items.some((b) => b.id === ok.body.id));
  const before = rows();
  problem(await staff.clerkZ('POST', '/api/v1/cases', { item_code: code.R, submit: true, delivery,
    applicant: { id_number: P.A.p.id, name: P.A.p.name } }), 403, 'FORBIDDEN');
  const wrong = await staff.clerkX('POST', '/api/v1/cases', { item_code: code.R, submit: true, delivery,
    applicant: { id_number: P.A.p.id, name: '不是本人' } });
  assert.ok(wrong.status >= 400 && wrong.status < 500, wrong.text);
  problem(await staff.clerkX('POST', '/api/v1/cases', { item_code: code.R, submit: true, delivery }), 400, 'BAD_PARAMETER');
  assert.equal(rows(), before);
});

test('a window clerk files for a registered organisation by its USCC and name; a window draft is the clerks\' until submitted', async () => {
  const uscc = randomUscc('91', '341302');
  const org = await P.B.call('POST', '/api/v1/orgs', { body: { name: '宿州市窗口测试有限公司', uscc, type: 'enterprise', division_code: '341302' } });
  assert.equal(org.status, 201, org.text);
  const orgId = org.body.org?.id ?? org.body.id;
  const before = rows();
  problem(await staff.clerkX('POST', '/api/v1/cases', { item_code: code.O, delivery,
    applicant: { kind: 'org', uscc, name: '宿州市窗口测试公司' } }), 422, 'ORG_NOT_FOUND');
  problem(await staff.clerkX('POST', '/api/v1/cases', { item_code: code.O, delivery,
    applicant: { kind: 'org', uscc: '91341302MA2XXXXXX1', name: '宿州市窗口测试有限公司' } }), 400, 'BAD_USCC');
  // an organisations-only item is not filed for a person: told before any form is filled
  problem(await staff.clerkX('POST', '/api/v1/cases', { item_code: code.O, delivery,
    applicant: { id_number: P.A.p.id, name: P.A.p.name } }), 422, 'APPLICANT_NOT_SERVED');
  assert.equal(rows(), before, 'nothing written by a refused filing');
  const d = await staff.clerkX('POST', '/api/v1/cases', { item_code: code.O, delivery,
    applicant: { kind: 'org', uscc, name: '宿州市窗口测试有限公司' } });
  assert.equal(d.status, 201, d.text);
  assert.deepEqual([d.body.channel, d.body.state, d.body.applicant.kind, d.body.applicant.id], ['window', 'draft', 'org', orgId]);
  // the organisation's representative does not see the clerk's draft, nor act on it
  problem(await as(P.B)('GET', '/api/v1/cases/' + d.body.id), 404, 'NOT_FOUND');
  problem(await as(P.B)('POST', `/api/v1/cases/${d.body.id}/submit`), 404, 'NOT_FOUND');
  assert.ok(!(await as(P.B)('GET', '/api/v1/cases?for=org:' + orgId)).body.items.some((b) => b.id === d.body.id));
  // R-CASE-002: the clerk who began it finds it among their unsubmitted window drafts, newest first;
  // the clerk of another county does not, and the staff case list keeps to submitted cases
  const d2 = await staff.clerkX('POST', '/api/v1/cases', { item_code: code.R, delivery,
    applicant: { id_number: P.A.p.id, name: P.A.p.name } });
  assert.equal(d2.status, 201, d2.text);
  const mine = await staff.clerkX('GET', '/api/v1/cases?state=draft');
  assert.equal(mine.status, 200, mine.text);
  assert.deepEqual(mine.body.items.map((b) => b.id), [d2.body.id, d.body.id]);
  assert.deepEqual(mine.body.items.map((b) => [b.state, b.channel, b.applicant_name]),
    [['draft', 'window', P.A.p.name], ['draft', 'window', '宿州市窗口测试有限公司']]);
  const paged = await staff.clerkX('GET', '/api/v1/cases?state=draft&limit=1');
  assert.deepEqual(paged.body.items.map((b) => b.id), [d2.body.id]);
  const next = await staff.clerkX('GET', '/api/v1/cases?state=draft&limit=1&cursor=' + paged.body.next_cursor);
  assert.deepEqual(next.body.items.map((b) => b.id), [d.body.id]);
  assert.deepEqual((await staff.clerkZ('GET', '/api/v1/cases?state=draft')).body.items, []);
  assert.deepEqual((await staff.supervisor('GET', '/api/v1/cases?state=draft')).body.items, []);
  assert.ok(!(await staff.clerkX('GET', '/api/v1/cases')).body.items.some((b) => b.state === 'draft'));
  assert.equal((await staff.clerkX('DELETE', '/api/v1/cases/' + d2.body.id)).status, 204);
  const sub = await staff.clerkX('POST', `/api/v1/cases/${d.body.id}/submit`, { version: d.body.version });
  assert.equal(sub.status, 200, sub.text);
  assert.ok(sub.body.serial);
  // submitted, it is the organisation's case like any other
  assert.equal((await as(P.B)('GET', '/api/v1/cases/' + d.body.id)).status, 200);
  assert.ok((await as(P.B)('GET', '/api/v1/cases?for=org:' + orgId)).body.items.some((b) => b.id === d.body.id));
  assert.ok(!(await staff.clerkX('GET', '/api/v1/cases?state=draft')).body.items.some((b) => b.id === d.body.id));
});

test('an agent applies for the person who authorized them; a stranger cannot', async () => {
  const auth = await P.A.call('POST', '/api/v1/me/agents', { body: { name: P.D.p.name, id_number: P.D.p.id,
    items: ['000104201000'], valid_until: cstDay(30) } });
  assert.equal(auth.status, 201, auth.text);
  // a draft for A, its material uploaded through the case, then submitted
  const D = as(P.D);
  const draft = await D('POST', '/api/v1/cases', { item_code: code.P, for: { kind: 'person', id: P.A.person.id },
    form: { shop_name: '代办' }, delivery });
  assert.equal(draft.status, 201, draft.text);
  // an agent for one item does not reach A's material space as a whole: none of its files by id
  const ofA = await material(P.A);
  problem(await D('PATCH', '/api/v1/cases/' + draft.body.id, { materials: [{ slot: 0, material_id: ofA }] }), 404, 'NOT_FOUND');
  problem(await D('POST', '/api/v1/cases', { item_code: code.P, for: { kind: 'person', id: P.A.person.id },
    materials: [{ slot: 0, material_id: ofA }] }), 404, 'NOT_FOUND');
  assert.equal(count('case_materials', `material_id = '${ofA}'`), 0);
  const m = await upload(P.D, `/api/v1/cases/${draft.body.id}/materials?slot=0&title=x`);
  assert.equal(m.status, 201, m.text);
  const res = await D('POST', `/api/v1/cases/${draft.body.id}/submit`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.applicant.id, P.A.person.id);
  assert.equal(res.body.trail.at(-1).actor_name, `代办人 ${P.D.p.name}`);
  cases.agent = res.body;
  assert.match(sql(srv, `SELECT actor FROM audit_log WHERE action = 'case.submit' AND object_id = '${res.body.id}'`)[0][0],
    new RegExp(`person:${P.D.person.id} for person:${P.A.person.id}`));
  // the agent reads it and lists it for the principal
  assert.equal((await as(P.D)('GET', '/api/v1/cases/' + res.body.id)).status, 200);
  const list = await as(P.D)('GET', '/api/v1/cases?for=person:' + P.A.person.id);
  assert.equal(list.status, 200, list.text);
  assert.ok(list.body.items.some((b) => b.id === res.body.id));
  // not for another item, and not for someone who did not authorize
  problem(await as(P.D)('POST', '/api/v1/cases', { item_code: code.R, for: { kind: 'person', id: P.A.person.id } }), 403, 'FORBIDDEN');
  problem(await as(P.B)('POST', '/api/v1/cases', { item_code: code.P, for: { kind: 'person', id: P.A.person.id } }), 403, 'FORBIDDEN');
  const stranger = await as(P.B)('GET', '/api/v1/cases?for=person:' + P.A.person.id);
  assert.equal(stranger.status, 200);
  assert.deepEqual(stranger.body.items, []);
  // the agent's list holds the principal's cases of the authorized item only
  assert.ok(list.body.items.every((b) => b.item_code === code.P));
});

test('an organisation applies through its legal representative; its number is its USCC', async () => {
  const uscc = randomUscc('91', '341302');
  const org = await P.A.call('POST', '/api/v1/orgs', { body: { name: '宿州市好味餐饮有限公司', uscc, type: 'enterprise', division_code: '341302' } });
  assert.equal(org.status, 201, org.text);
  const orgId = org.body.org?.id ?? org.body.id;
  // an item for persons only (A.4 code 1) is not the organisation's to apply for
  problem(await as(P.A)('POST', '/api/v1/cases', { item_code: code.L, for: { kind: 'org', id: orgId }, delivery }), 422, 'APPLICANT_NOT_SERVED');
  const res = await as(P.A)('POST', '/api/v1/cases', { item_code: code.R, submit: true, for: { kind: 'org', id: orgId }, delivery });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.body.applicant.kind, 'org');
  assert.equal(res.body.applicant.name, '宿州市好味餐饮有限公司');
  assert.equal(res.body.applicant.number_masked, uscc);
  assert.equal(res.body.trail.at(-1).actor_name, `法定代表人 ${P.A.p.name}`);
  const list = await as(P.A)('GET', '/api/v1/cases?for=org:' + orgId);
  assert.deepEqual(list.body.items.map((b) => b.id), [res.body.id]);
  problem(await as(P.B)('POST', '/api/v1/cases', { item_code: code.R, for: { kind: 'org', id: orgId } }), 403, 'FORBIDDEN');

  // B becomes the organisation's handler and files; at the window the legal representative, who
  // did not file, collects the result for the organisation, and a stranger may not
  const h = await P.A.call('POST', `/api/v1/orgs/${orgId}/handlers`, { body: { name: P.B.p.name,
    id_number: P.B.p.id, items: 'all', valid_until: cstDay(30) } });
  assert.equal(h.status, 201, h.text);
  const byB = await as(P.B)('POST', '/api/v1/cases', { item_code: code.R, submit: true, for: { kind: 'org', id: orgId }, delivery });
  assert.equal(byB.status, 201, byB.text);
  assert.equal(byB.body.trail.at(-1).actor_name, `经办人 ${P.B.p.name}`);
  let r = await act(staff.clerkX, byB.body, 'accept');
  const review = r.body.tasks.find((t) => t.state === 'open' && t.stage === 'review');
  r = await staff.approverX('POST', `/api/v1/cases/${byB.body.id}/tasks/${review.id}`, { verdict: 'approve' });
  r = await act(staff.approverX, r.body, 'decide', { decision: 'approve' });
  r = await act(staff.approverX, r.body, 'make_result');
  assert.equal(r.status, 200, r.text);
  problem(await act(staff.clerkX, r.body, 'deliver', { method: 'pickup', id_number: P.D.p.id }), 422, 'COLLECTOR_NOT_APPLICANT');
  const got = await act(staff.clerkX, r.body, 'deliver', { method: 'pickup', id_number: P.A.p.id });
  assert.equal(got.status, 200, got.text);
  assert.equal(got.body.state, 'delivered');
});

const pdfText = (buf) => {
  const dir = mkdtempSync(join(tmpdir(), 'yw-notice-'));
  try {
    writeFileSync(join(dir, 'n.pdf'), buf);
    return execFileSync('pdftotext', [join(dir, 'n.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

test('the whole lifecycle: pre-review, parallel branches in two departments, decision, result, delivery, receipt', async () => {
  const c0 = await submitted();
  cases.life = c0;
  await sameAsRead(as(P.A), c0);
  const { clerkX, approverX, approverY } = staff;
  problem(await clerkX('GET', `/api/v1/cases/${c0.id}/notices/accept`), 409, 'CASE_STATE_CONFLICT');
  let r = await act(clerkX, c0, 'claim');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'pre_review');
  assert.ok(r.body.actions.includes('accept') && r.body.actions.includes('reject'));
  r = await act(clerkX, r.body, 'accept', { version: r.body.version });
  assert.equal(r.status, 200, r.text);
  let c = r.body;
  await sameAsRead(clerkX, c);
  assert.equal(c.state, 'accepted');
  assert.equal(c.limits.accepted_on, cstDay());
  assert.equal(c.limits.limit_days, 5);
  assert.ok(c.limits.due_on > cstDay());
  assert.equal(c.limits.urgency === 'green' || c.limits.urgency === 'yellow', true);
  const open = c.tasks.filter((t) => t.state === 'open');
  assert.deepEqual(open.map((t) => [t.step_id, t.department.id]).sort(), [['b1', dept.X.id], ['b2', dept.Y.id]]);
  const b1 = open.find((t) => t.step_id === 'b1'), b2 = open.find((t) => t.step_id === 'b2');
  assert.ok(b1.due_on && b1.limit_days === 5);

  // a branch is decided by the approvers of its own department, and the case says so to each
  const canReview = async (who) => (await who('GET', '/api/v1/cases/' + c.id)).body.tasks
    .filter((t) => t.can_review).map((t) => t.step_id).sort();
  assert.deepEqual(await canReview(approverX), ['b1']);
  assert.deepEqual(await canReview(approverY), ['b2']);
  assert.deepEqual(await canReview(clerkX), []);
  problem(await approverY('POST', `/api/v1/cases/${c.id}/tasks/${b1.id}`, { verdict: 'approve' }), 403, 'FORBIDDEN');
  problem(await clerkX('POST', `/api/v1/cases/${c.id}/tasks/${b1.id}`, { verdict: 'approve' }), 403, 'FORBIDDEN');
  problem(await approverX('POST', `/api/v1/cases/${c.id}/tasks/${b1.id}`, { verdict: 'maybe' }), 400, 'BAD_PARAMETER');
  // the branch's approver of Y reads the case (a task of theirs is on it)
  assert.equal((await approverY('GET', '/api/v1/cases/' + c.id)).status, 200);
  problem(await act(approverX, c, 'decide', { decision: 'approve' }), 409, 'CASE_TASKS_OPEN');
  r = await approverX('POST', `/api/v1/cases/${c.id}/tasks/${b1.id}`, { verdict: 'approve', opinion: '符合要求' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'review');
  await sameAsRead(approverX, r.body);
  problem(await approverX('POST', `/api/v1/cases/${c.id}/tasks/${b1.id}`, { verdict: 'approve' }), 409, 'CASE_STATE_CONFLICT');
  r = await approverY('POST', `/api/v1/cases/${c.id}/tasks/${b2.id}`, { verdict: 'approve', opinion: '消防合格' });
  assert.equal(r.status, 200, r.text);
  c = r.body;
  assert.deepEqual(c.tasks.filter((t) => t.state === 'open').map((t) => t.stage), ['decide']);
  r = await act(approverX, c, 'decide', { decision: 'approve', legal_basis: '《食品经营许可管理办法》' });
  assert.equal(r.status, 200, r.text);
  c = r.body;
  await sameAsRead(approverX, c);
  assert.equal(c.state, 'decided');
  assert.equal(c.decision.decision, 'approve');
  assert.deepEqual(c.notices, ['accept', 'approve']);
  r = await act(approverX, c, 'make_result');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'result_made');
  // a result to collect at the window is asked of the applicant: listed first, as pickup
  await submitted();     // a newer case, which would come first by time
  const ready = await as(P.A)('GET', '/api/v1/cases');
  assert.equal(ready.body.items[0].id, c.id, 'the result to collect comes first');
  assert.equal(ready.body.items[0].needs_me, 'pickup');
  // pickup: only by the applicant's own ID
  problem(await act(clerkX, r.body, 'deliver', { method: 'pickup', id_number: P.B.p.id }), 422, 'COLLECTOR_NOT_APPLICANT');
  problem(await act(clerkX, r.body, 'deliver', { method: 'post' }), 400, 'BAD_PARAMETER');
  r = await act(clerkX, r.body, 'deliver', { method: 'pickup', id_number: P.A.p.id });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'delivered');
  assert.ok(!JSON.stringify(r.body).includes(P.A.p.id), 'the full ID number is not in the case');
  const mine = await as(P.A)('GET', '/api/v1/cases');
  assert.equal(mine.body.items[0].needs_me, 'confirm');
  r = await act(as(P.A), r.body, 'complete');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'completed');
  assert.ok(r.body.tasks.every((t) => t.state !== 'open'));
  assert.deepEqual(r.body.trail.map((t) => t.action),
    ['submit', 'claim', 'accept', 'review_task', 'review_task', 'decide', 'make_result', 'deliver', 'complete']);
  assert.deepEqual(r.body.actions, []);
  assert.equal(count('audit_log', `object_id = '${c.id}' AND action LIKE 'case.%'`), 9);
  cases.life = r.body;
  // a completed case takes no step at all, whoever asks
  for (const [name, who] of [['claim', clerkX], ['accept', clerkX], ['reject', clerkX], ['request_supplement', clerkX],
    ['deliver', clerkX], ['complete', clerkX], ['decide', approverX], ['make_result', approverX],
    ['suspend', staff.adminX], ['resume', staff.adminX], ['extend', staff.adminX], ['terminate', staff.supervisor],
    ['withdraw', as(P.A)], ['resubmit', as(P.A)]])
    problem(await act(who, r.body, name, { reason: '理由', days: 1, decision: 'approve', missing: [{ name: 'x' }] }), 409, 'CASE_STATE_CONFLICT');

  // notices: the PDF names the act and the serial
  const pdfRes = await fetch(`${base}/api/v1/cases/${c.id}/notices/accept`, { headers: { cookie: P.A.cookie } });
  assert.equal(pdfRes.status, 200);
  assert.equal(pdfRes.headers.get('content-type'), 'application/pdf');
  const text = pdfText(Buffer.from(await pdfRes.arrayBuffer()));
  assert.match(text, /受理通知书/);
  assert.ok(text.replace(/\s/g, '').includes(c.serial), text);
  const appr = await fetch(`${base}/api/v1/cases/${c.id}/notices/approve`, { headers: { cookie: P.A.cookie } });
  assert.equal(appr.status, 200);
  assert.match(pdfText(Buffer.from(await appr.arrayBuffer())), /准予许可决定书/);
  problem(await as(P.A)('GET', `/api/v1/cases/${c.id}/notices/deny`), 409, 'CASE_STATE_CONFLICT');
  problem(await as(P.B)('GET', `/api/v1/cases/${c.id}/notices/accept`), 404, 'NOT_FOUND');
});

// Through both branches to a result ready for delivery.
async function toResult(c0) {
  let r = await act(staff.clerkX, c0, 'accept');
  assert.equal(r.status, 200, r.text);
  for (const [step, who] of [['b1', staff.approverX], ['b2', staff.approverY]]) {
    const t = r.body.tasks.find((k) => k.step_id === step && k.state === 'open');
    r = await who('POST', `/api/v1/cases/${c0.id}/tasks/${t.id}`, { verdict: 'approve' });
    assert.equal(r.status, 200, r.text);
  }
  r = await act(staff.approverX, r.body, 'decide', { decision: 'approve' });
  assert.equal(r.status, 200, r.text);
  r = await act(staff.approverX, r.body, 'make_result');
  assert.equal(r.status, 200, r.text);
  return r.body;
}

test('pickup: the agent who filed may collect for the applicant, a stranger may not; post needs the tracking number', async () => {
  const c = await toResult(cases.agent);
  problem(await act(staff.clerkX, c, 'deliver', { method: 'pickup', id_number: P.B.p.id }), 422, 'COLLECTOR_NOT_APPLICANT');
  problem(await act(staff.clerkX, c, 'deliver', { method: 'pickup', id_number: '123' }), 400, 'BAD_ID_NUMBER');
  const r = await act(staff.clerkX, c, 'deliver', { method: 'pickup', id_number: P.D.p.id });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.delivery_record.method, 'pickup');
  assert.ok(!sql(srv, `SELECT delivery_record FROM cases WHERE id = '${c.id}'`)[0][0].includes(P.D.p.id.slice(0, 6) + P.D.p.id.slice(6)));
  // the agent confirms receipt for the applicant
  const done = await act(as(P.D), r.body, 'complete');
  assert.equal(done.status, 200, done.text);
  assert.equal(done.body.state, 'completed');

  const post = await toResult(await submitted());
  const r2 = await act(staff.clerkX, post, 'deliver', { method: 'post', tracking_number: 'SF1234567890' });
  assert.equal(r2.status, 200, r2.text);
  assert.equal(r2.body.delivery_record.tracking_number, 'SF1234567890');
});

test('all files of a case at most 50 MiB: each file counted once, an upload through the case counted too', async () => {
  const send = async (path, i) => {
    const res = await fetch(base + path, { method: 'POST', body: pdf(`${i} ${'x'.repeat(10_000_000)}\n`),
      headers: { cookie: P.B.cookie, 'x-csrf-token': P.B.csrf, 'content-type': 'application/pdf' } });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
  };
  const ids = [];
  for (let i = 0; i < 5; i++) {
    const m = await send('/api/v1/materials?title=big', i);
    assert.equal(m.status, 201, m.text);
    ids.push(m.body.id);
  }
  const B = as(P.B);
  const five = ids.map((id) => ({ slot: 0, material_id: id }));
  const d = await B('POST', '/api/v1/cases', { item_code: code.P, form: { shop_name: '大文件' }, materials: five, delivery });
  assert.equal(d.status, 201, d.text);
  // three files, each in both slots: 30 MB, however often each is named and whatever the draft held
  const twice = ids.slice(0, 3).flatMap((id) => [{ slot: 0, material_id: id }, { slot: 1, material_id: id }]);
  const p = await B('PATCH', '/api/v1/cases/' + d.body.id, { materials: twice });
  assert.equal(p.status, 200, p.text);
  assert.equal((await B('PATCH', '/api/v1/cases/' + d.body.id, { materials: five })).status, 200);
  // a sixth file through the case would pass 50 MiB: refused, and the case keeps its five
  const before = count('case_materials', `case_id = '${d.body.id}'`);
  problem(await send(`/api/v1/cases/${d.body.id}/materials?slot=1&title=big`, 5), 413, 'CASE_MATERIALS_TOO_LARGE');
  assert.equal(count('case_materials', `case_id = '${d.body.id}'`), before);
  assert.equal(before, 5);
});

test('supplement: one complete list, the case waits for the applicant, resubmission restarts pre-review', async () => {
  const c0 = await submitted();
  const { clerkX } = staff;
  problem(await act(clerkX, c0, 'request_supplement', { missing: [] }), 400, 'BAD_PARAMETER');
  problem(await act(clerkX, c0, 'request_supplement', { missing: [{ reason: '无名' }] }), 400, 'BAD_PARAMETER');
  const blank = await act(clerkX, c0, 'request_supplement', { missing: [{ name: '\u3000 ', reason: '缺少' }] });
  problem(blank, 400, 'BAD_PARAMETER');
  assert.deepEqual(blank.body.fields.map((f) => f.field), ['missing[0].name']);
  problem(await act(clerkX, c0, 'request_supplement', { missing: [{ name: '平面图\n附件' }] }), 400, 'BAD_PARAMETER');
  // a list entry is a text like any reason: blanks around it go, its line breaks stay
  let r = await act(clerkX, c0, 'request_supplement', { missing: [{ slot: 0, name: ' 营业执照申请书\u3000', reason: '\u3000未签字\n请签字后重新上传 ' },
    { name: '场所平面图', reason: '缺少' }], note: '请一次补齐' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.supplement.missing[0], { slot: 0, name: '营业执照申请书', reason: '未签字\n请签字后重新上传' });
  assert.equal(r.body.state, 'supplement');
  assert.equal(r.body.supplement.missing.length, 2);
  assert.equal(r.body.limits.paused, true);
  assert.ok(r.body.tasks.every((t) => t.state !== 'open'));
  assert.deepEqual(r.body.notices, ['supplement']);
  const mine = await as(P.A)('GET', '/api/v1/cases');
  assert.equal(mine.body.items[0].id, c0.id, 'what needs the applicant comes first');
  assert.equal(mine.body.items[0].needs_me, 'supplement');
  const pdfRes = await fetch(`${base}/api/v1/cases/${c0.id}/notices/supplement`, { headers: { cookie: P.A.cookie } });
  assert.equal(pdfRes.status, 200);
  assert.match(pdfText(Buffer.from(await pdfRes.arrayBuffer())), /场所平面图/);

  // the clerk may not resubmit an online application; the applicant changes and resubmits
  problem(await act(clerkX, r.body, 'resubmit'), 403, 'FORBIDDEN');
  const m = await material(P.A);
  const p = await as(P.A)('PATCH', '/api/v1/cases/' + c0.id, { materials: [{ slot: 0, material_id: m }] });
  assert.equal(p.status, 200, p.text);
  // slot 0 emptied: the resubmission is refused as incomplete, and nothing changes
  assert.equal((await as(P.A)('PATCH', '/api/v1/cases/' + c0.id, { materials: [{ slot: 1, material_id: m }] })).status, 200);
  const before = rows();
  problem(await act(as(P.A), c0, 'resubmit'), 422, 'MATERIAL_REQUIRED');
  assert.equal(rows(), before);
  assert.equal((await as(P.A)('PATCH', '/api/v1/cases/' + c0.id, { materials: [{ slot: 0, material_id: m }] })).status, 200);
  r = await act(as(P.A), c0, 'resubmit');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'submitted');
  assert.equal(r.body.limits.paused, false);
  const pre = r.body.tasks.filter((t) => t.state === 'open');
  assert.equal(pre.length, 1);
  assert.equal(pre[0].stage, 'pre_review');
  assert.equal(pre[0].started_on, cstDay());
  assert.equal(pre[0].limit_days, 5);
});

test('suspension pauses the clock, resume restarts it, an extension is granted once', async () => {
  const c0 = await submitted();
  const { clerkX, adminX } = staff;
  let r = await act(clerkX, c0, 'accept');
  assert.equal(r.status, 200, r.text);
  const due = r.body.limits.due_on;
  assert.ok(due);
  problem(await act(adminX, r.body, 'suspend', {}), 400, 'BAD_PARAMETER');
  problem(await act(clerkX, r.body, 'suspend', { reason: '需要检验' }), 403, 'FORBIDDEN');
  r = await act(adminX, r.body, 'suspend', { reason: '需要检验检测' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'suspended');
  assert.equal(r.body.limits.paused, true);
  assert.equal(r.body.limits.due_on, null);
  assert.equal(r.body.limits.days_left, null);
  assert.ok(r.body.tasks.filter((t) => t.state === 'open').every((t) => t.due_on === null));
  assert.equal(count('case_tasks', `case_id = '${c0.id}' AND state = 'open' AND case_state = 'suspended'`), 2);
  r = await act(adminX, r.body, 'resume');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'accepted');
  assert.equal(r.body.limits.paused, false);
  assert.equal(r.body.limits.due_on, due, 'no working day passed while suspended today');
  problem(await act(adminX, r.body, 'extend', { reason: '情况复杂', days: 31 }), 400, 'BAD_PARAMETER');
  r = await act(adminX, r.body, 'extend', { reason: '情况复杂', days: 3 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'accepted');
  assert.equal(r.body.limits.extension_days, 3);
  assert.ok(r.body.limits.due_on > due);
  assert.ok(!r.body.actions.includes('extend'), 'not offered twice');
  problem(await act(adminX, r.body, 'extend', { reason: '再延', days: 1 }), 409, 'EXTENSION_USED');
  // the 受理通知书 keeps the day it promised when it was issued
  const notice = await fetch(`${base}/api/v1/cases/${c0.id}/notices/accept`, { headers: { cookie: P.A.cookie } });
  assert.equal(notice.status, 200);
  const text = pdfText(Buffer.from(await notice.arrayBuffer())).replace(/\s+/g, '');
  const [y, m, d] = due.split('-').map(Number);
  assert.ok(text.includes(`本机关将于${y}年${m}月${d}日前作出决定`), text);
});

test('a branch denied under "all" closes the other branch; the decision is a denial', async () => {
  const c0 = await submitted();
  let r = await act(staff.clerkX, c0, 'accept');
  const b1 = r.body.tasks.find((t) => t.step_id === 'b1' && t.state === 'open');
  problem(await staff.approverX('POST', `/api/v1/cases/${c0.id}/tasks/${b1.id}`, { verdict: 'deny' }), 400, 'BAD_PARAMETER');
  // an opinion of blanks is no opinion: one field error, saying what is wrong
  const blank = await staff.approverX('POST', `/api/v1/cases/${c0.id}/tasks/${b1.id}`, { verdict: 'deny', opinion: ' \u3000 ' });
  problem(blank, 400, 'BAD_PARAMETER');
  assert.deepEqual(blank.body.fields.map((f) => f.field), ['opinion']);
  r = await staff.approverX('POST', `/api/v1/cases/${c0.id}/tasks/${b1.id}`, { verdict: 'deny', opinion: '食品安全制度缺失' });
  assert.equal(r.status, 200, r.text);
  const b2 = r.body.tasks.find((t) => t.step_id === 'b2');
  assert.equal(b2.state, 'closed');
  assert.ok(b2.outcome_reason);
  assert.equal(r.body.tasks.find((t) => t.step_id === 'b1').state, 'denied');
  problem(await act(staff.approverX, r.body, 'decide', { decision: 'deny' }), 400, 'BAD_PARAMETER');
  problem(await act(staff.approverX, r.body, 'decide', { decision: 'deny', reason: '   ' }), 400, 'BAD_PARAMETER');
  // R-CASE-033: the review failed, so the decision cannot be an approval; nothing written
  const before = rows();
  problem(await act(staff.approverX, r.body, 'decide', { decision: 'approve' }), 409, 'REVIEW_NOT_PASSED');
  assert.equal(rows(), before);
  r = await act(staff.approverX, r.body, 'decide', { decision: 'deny', reason: '  不符合食品安全要求：\n一、未建立食品安全管理制度；\n二、未配备食品安全管理人员。 ' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.decision.decision, 'deny');
  assert.equal(r.body.decision.reasons, '不符合食品安全要求：\n一、未建立食品安全管理制度；\n二、未配备食品安全管理人员。');
  assert.deepEqual(r.body.notices, ['accept', 'deny']);
  const pdfRes = await fetch(`${base}/api/v1/cases/${c0.id}/notices/deny`, { headers: { cookie: P.A.cookie } });
  assert.equal(pdfRes.status, 200);
});

test('即办件: accepting decides at once and opens making the result', async () => {
  const res = await as(P.A)('POST', '/api/v1/cases', { item_code: code.Q, submit: true, delivery: { method: 'electronic' } });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.body.project_type, 1);
  const r = await act(staff.clerkX, res.body, 'accept');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'decided');
  assert.equal(r.body.decision.decision, 'approve');
  assert.deepEqual(r.body.tasks.filter((t) => t.state === 'open').map((t) => t.stage), ['make_license']);
  // decided on the day it was accepted, within its limit: the due day is kept as any decided case keeps it
  assert.equal(r.body.limits.accepted_on, cstDay());
  assert.ok(r.body.limits.due_on && r.body.limits.due_on >= cstDay(), JSON.stringify(r.body.limits));
  const m = await act(staff.approverX, r.body, 'make_result');
  assert.equal(m.status, 200, m.text);
  const d = await act(staff.clerkX, m.body, 'deliver', { method: 'electronic' });
  assert.equal(d.status, 200, d.text);
  const done = await act(staff.clerkX, d.body, 'complete');
  assert.equal(done.body.state, 'completed');
  // the case's clock ran to the decision: a finished case has nothing left and is never late
  assert.equal(done.body.limits.days_left, null);
  assert.equal(done.body.limits.urgency, 'none');
});

test('what an application must really say: blanks are not answers, delivery is checked, whom the item serves', async () => {
  const A = as(P.A);
  const m = await material(P.A);
  const before = rows();
  const body = (over) => ({ item_code: code.P, submit: true, form: { shop_name: '好味小吃' },
    materials: [{ slot: 0, material_id: m }], delivery, ...over });
  // a required field of blanks only (the full-width space included) is not filled
  let r = await A('POST', '/api/v1/cases', body({ form: { shop_name: ' \u3000 ' } }));
  problem(r, 400, 'BAD_PARAMETER');
  assert.deepEqual(r.body.fields.map((f) => [f.field, f.reason]), [['shop_name', '必填']]);
  // delivery: only its four members, and a number the courier can call
  r = await A('POST', '/api/v1/cases', body({ delivery: { method: 'electronic', foo: 'bar' } }));
  problem(r, 400, 'BAD_PARAMETER');
  assert.deepEqual(r.body.fields.map((f) => f.field), ['delivery.foo']);
  const post = { method: 'post', address: '宿州市埇桥区银河一路 1 号', recipient: '张三' };
  r = await A('POST', '/api/v1/cases', body({ delivery: { ...post, phone: 'abc' } }));
  problem(r, 400, 'BAD_PARAMETER');
  assert.deepEqual(r.body.fields.map((f) => f.field), ['delivery.phone']);
  r = await A('POST', '/api/v1/cases', body({ delivery: { ...post, phone: '   ' } }));
  assert.deepEqual(r.body.fields.map((f) => [f.field, f.reason]), [['delivery.phone', '邮寄送达时必填']]);
  // an organisations-only item (A.4 code 2) is not a person's to apply for
  r = await A('POST', '/api/v1/cases', { item_code: code.O, submit: true, delivery });
  problem(r, 422, 'APPLICANT_NOT_SERVED');
  assert.match(r.body.detail, /法人或其他组织/);
  assert.equal(rows(), before, 'nothing written by a refused application');
  r = await A('POST', '/api/v1/cases', body({ delivery: { ...post, phone: `${P.A.p.mobile}\u3000` } }));
  assert.equal(r.status, 201, r.text);   // a trailing full-width space from an input method is no error
  r = await A('POST', '/api/v1/cases', body({ delivery: { ...post, phone: '0557-3021234' } }));
  assert.equal(r.status, 201, r.text);

  // a version is a number; a supplement names the item's own material slots
  const c0 = r.body;
  problem(await act(staff.clerkX, c0, 'accept', { version: String(c0.version) }), 400, 'BAD_PARAMETER');
  for (const slot of [99, -1, 2]) {
    const bad = await act(staff.clerkX, c0, 'request_supplement', { missing: [{ slot, name: '申请书' }] });
    problem(bad, 400, 'BAD_PARAMETER');
    assert.deepEqual(bad.body.fields.map((f) => f.field), ['missing[0].slot']);
  }
  // a reason of blanks is refused with one error; one with line breaks is kept as written
  const kept = rows();
  const blank = await act(staff.clerkX, c0, 'reject', { reason: '  \n ' });
  problem(blank, 400, 'BAD_PARAMETER');
  assert.deepEqual(blank.body.fields.map((f) => f.field), ['reason']);
  assert.equal(rows(), kept, 'nothing written by a refused step');
  r = await act(staff.clerkX, c0, 'reject', { reason: '申请材料不齐全：\n一、缺少营业执照申请书原件。' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.close_reason, '申请材料不齐全：\n一、缺少营业执照申请书原件。');
});

test('an online draft is the applicant\'s alone until it is submitted', async () => {
  const d = await as(P.A)('POST', '/api/v1/cases', { item_code: code.P, form: { shop_name: '我家的私人地址' } });
  assert.equal(d.status, 201, d.text);
  for (const who of ['clerkX', 'approverX', 'adminX', 'supervisor'])
    problem(await staff[who]('GET', '/api/v1/cases/' + d.body.id), 404, 'NOT_FOUND');
  // submitted, the department reads it
  const m = await material(P.A);
  const p = await as(P.A)('PATCH', '/api/v1/cases/' + d.body.id, { version: d.body.version,
    form: { shop_name: '好味小吃' }, materials: [{ slot: 0, material_id: m }], delivery });
  assert.equal(p.status, 200, p.text);
  const sub = await as(P.A)('POST', `/api/v1/cases/${d.body.id}/submit`, { version: p.body.version });
  assert.equal(sub.status, 200, sub.text);
  assert.equal((await staff.clerkX('GET', '/api/v1/cases/' + d.body.id)).status, 200);
});

// R-CASE-012: a step is its role's. Here the window makes the licence (制证), as many halls do:
// the task is in the clerks' inbox, not the approvers', and only a clerk may end it.
test('a 制证 step given to the window clerks: in their inbox, theirs to end; a role that cannot end a step is refused', async () => {
  const steps = [
    { id: 's1', name: '受理', kind: 'task', stage: 'accept', role: 'window_clerk', limit_days: 1, next: ['s2'] },
    { id: 's2', name: '审查', kind: 'task', stage: 'review', role: 'approver', limit_days: 2, next: ['s3'] },
    { id: 's3', name: '决定', kind: 'task', stage: 'decide', role: 'approver', limit_days: 1, next: ['s4'] },
    { id: 's4', name: '窗口制证', kind: 'task', stage: 'make_license', role: 'window_clerk', limit_days: 1, next: ['end'] },
    { id: 'end', name: '办结', kind: 'end', next: [] },
  ];
  // a department admin cannot decide (roles.def gives case.review to approvers): refused, nothing kept
  const items = count('catalog_items');
  const bad = await admin.post('/api/v1/items', { basic_code: '000104205000', department_id: dept.X.id,
    ...guide({ name: '制证许可', materials: [], process: { start: 's1', steps: steps.map((s) => s.id === 's3' ? { ...s, role: 'dept_admin' } : s) } }) });
  problem(bad, 400, 'BAD_PROCESS');
  assert.match(bad.body.detail, /环节 s3 的阶段 decide 须由有“case.review”权限的角色办理（approver），dept_admin 没有该权限/);
  assert.equal(count('catalog_items'), items);

  await item('W', '000104205000', dept.X.id, { name: '制证许可', materials: [], process: { start: 's1', steps } });
  const c = (await as(P.A)('POST', '/api/v1/cases', { item_code: code.W, submit: true, delivery })).body;
  let r = await act(staff.clerkX, c, 'accept');
  assert.equal(r.status, 200, r.text);
  const review = r.body.tasks.find((t) => t.state === 'open' && t.stage === 'review');
  r = await staff.approverX('POST', `/api/v1/cases/${c.id}/tasks/${review.id}`, { verdict: 'approve' });
  assert.equal(r.status, 200, r.text);
  r = await act(staff.approverX, r.body, 'decide', { decision: 'approve' });
  assert.equal(r.status, 200, r.text);
  const task = r.body.tasks.find((t) => t.state === 'open');
  assert.deepEqual([task.stage, task.role, task.name], ['make_license', 'window_clerk', '窗口制证']);

  const inboxOf = async (who) => {
    const res = await who('GET', '/api/v1/inbox?stage=make_license&limit=100');
    assert.equal(res.status, 200, res.text);
    return res.body.items.map((t) => t.case_id);
  };
  assert.ok((await inboxOf(staff.clerkX)).includes(c.id), 'the clerks have the 制证 step');
  assert.ok(!(await inboxOf(staff.approverX)).includes(c.id), 'the approvers do not');
  const asApprover = await staff.approverX('GET', '/api/v1/cases/' + c.id);
  assert.ok(!asApprover.body.actions.includes('make_result'));
  assert.ok((await staff.clerkX('GET', '/api/v1/cases/' + c.id)).body.actions.includes('make_result'));
  const before = rows();
  problem(await act(staff.approverX, r.body, 'make_result'), 403, 'FORBIDDEN');
  assert.equal(rows(), before);
  r = await act(staff.clerkX, r.body, 'make_result');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'result_made');
  assert.equal(r.body.tasks.find((t) => t.id === task.id).state, 'done');
});

test('withdraw by the applicant, terminate by the supervisor: open tasks closed with the reason', async () => {
  const a = await submitted();
  problem(await act(as(P.B), a, 'withdraw'), 404, 'NOT_FOUND');
  let r = await act(as(P.A), a, 'withdraw', { reason: '不再需要' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'withdrawn');
  assert.ok(r.body.tasks.every((t) => t.state === 'closed'));
  problem(await act(as(P.A), a, 'withdraw'), 409, 'CASE_STATE_CONFLICT');
  problem(await act(staff.supervisor, a, 'terminate', { reason: 'x' }), 409, 'CASE_STATE_CONFLICT');

  const b = await submitted();
  await act(staff.clerkX, b, 'accept');
  problem(await act(staff.supervisor, b, 'terminate', {}), 400, 'BAD_PARAMETER');
  r = await act(staff.supervisor, b, 'terminate', { reason: '申请人死亡，依法终止' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'terminated');
  assert.ok(r.body.tasks.every((t) => t.state !== 'open'));
  assert.ok(r.body.tasks.some((t) => t.outcome_reason === '申请人死亡，依法终止'));
  assert.equal(count('case_tasks', `case_id = '${b.id}' AND state = 'open'`), 0);
});

// Who may take which step (R-CASE-011, roles.def): 404 for who may not read, 403 for who may
// read but not act, 409 for who may act but not from this state.
test('the transition × role matrix on a submitted case', async () => {
  const c0 = await submitted();
  const callers = { A: as(P.A), B: as(P.B), clerkX: staff.clerkX, clerkZ: staff.clerkZ,
    approverX: staff.approverX, adminX: staff.adminX, supervisor: staff.supervisor };
  const right = { claim: ['clerkX'], accept: ['clerkX'], reject: ['clerkX'], request_supplement: ['clerkX'],
    resubmit: ['A'], suspend: ['adminX'], resume: ['adminX'], extend: ['adminX'], decide: ['approverX'],
    make_result: ['approverX', 'clerkX'], deliver: ['clerkX'], complete: ['clerkX', 'A'], withdraw: ['A'], terminate: ['supervisor'] };
  const fromSubmitted = ['claim', 'accept', 'reject', 'request_supplement', 'withdraw', 'terminate'];
  const readers = ['A', 'clerkX', 'approverX', 'adminX', 'supervisor'];
  const before = rows();
  const seen = [];
  for (const [name, holders] of Object.entries(right)) {
    for (const [who, fn] of Object.entries(callers)) {
      const expect = !readers.includes(who) ? 404 : !holders.includes(who) ? 403 : fromSubmitted.includes(name) ? null : 409;
      if (expect === null) continue;   // allowed now: taken in the lifecycle tests
      const res = await act(fn, c0, name, { reason: '理由', days: 1, decision: 'approve', missing: [{ name: 'x' }] });
      seen.push(`${name}/${who}:${res.status}`);
      assert.equal(res.status, expect, `${name} by ${who}: ${res.text}`);
    }
  }
  assert.ok(seen.length > 60);
  assert.equal(rows(), before, 'nothing written by a refused step');
  problem(await act(staff.clerkX, c0, 'fly'), 404, 'NOT_FOUND');
  problem(await act(staff.clerkX, c0, 'accept', { version: c0.version + 5 }), 409, 'CASE_STALE');
});

test('the inbox: most urgent first, filters, counts, paging, each member sees their reach only', async () => {
  // review tasks with different due days: R (3 days, the case's own clock), P's branches (5), L (30: past the calendar)
  const made = {};
  for (const key of ['L', 'R', 'P']) {
    const c = key === 'P' ? await submitted() : (await as(P.A)('POST', '/api/v1/cases', { item_code: code[key], submit: true, delivery })).body;
    const r = await act(staff.clerkX, c, 'accept');
    assert.equal(r.status, 200, r.text);
    made[key] = r.body;
  }
  // the long limit runs past the calendar's end: no due day, and the case says why
  assert.equal(made.L.limits.due_on, null);
  assert.equal(made.L.limits.calendar_note, '节假日日历尚未覆盖到期日，请更新日历');
  assert.ok(made.R.limits.due_on < made.P.limits.due_on);

  const inbox = await staff.approverX('GET', '/api/v1/inbox?stage=review&limit=100');
  assert.equal(inbox.status, 200, inbox.text);
  const items = inbox.body.items;
  const dues = items.map((t) => t.due_on);
  const firstNull = dues.indexOf(null);
  const dated = firstNull < 0 ? dues : dues.slice(0, firstNull);
  assert.deepEqual(dated, [...dated].sort(), 'earliest due first');
  if (firstNull >= 0) assert.ok(dues.slice(firstNull).every((d) => d === null), 'no due day last');
  const pos = (id) => items.findIndex((t) => t.case_id === id);
  assert.ok(pos(made.R.id) >= 0 && pos(made.R.id) < pos(made.P.id) && pos(made.P.id) < pos(made.L.id));
  assert.ok(items.every((t) => t.stage === 'review' && t.department.id === dept.X.id));
  assert.equal(items[0].case.applicant_name, '张三');
  assert.ok(['green', 'yellow', 'red'].includes(items[0].urgency));

  // paging with limit 1 walks the same list
  const walked = [];
  let cursor = null;
  for (let i = 0; i < 50; i++) {
    const page = await staff.approverX('GET', '/api/v1/inbox?stage=review&limit=1' + (cursor ? '&cursor=' + cursor : ''));
    assert.equal(page.status, 200, page.text);
    walked.push(...page.body.items.map((t) => t.id));
    cursor = page.body.next_cursor;
    if (!cursor) break;
  }
  assert.deepEqual(walked, items.map((t) => t.id));
  problem(await staff.approverX('GET', '/api/v1/inbox?cursor=!!'), 400, 'BAD_PARAMETER');
  problem(await staff.approverX('GET', '/api/v1/inbox?limit=101'), 400, 'BAD_PARAMETER');
  problem(await staff.approverX('GET', '/api/v1/inbox?state=flying'), 400, 'BAD_PARAMETER');

  // filters and counts
  const byItem = await staff.approverX('GET', '/api/v1/inbox?item=' + code.R);
  assert.ok(byItem.body.items.length >= 1 && byItem.body.items.every((t) => t.case.item_code === code.R));
  const clerk = await staff.clerkX('GET', '/api/v1/inbox?limit=100');
  assert.ok(clerk.body.items.every((t) => ['pre_review', 'deliver'].includes(t.stage)));
  const total = Object.values(clerk.body.counts).reduce((a, b) => a + b, 0);
  assert.equal(total, count('case_tasks', `state = 'open' AND stage IN ('pre_review', 'deliver') AND department_id = '${dept.X.id}'`));
  const onlySubmitted = await staff.clerkX('GET', '/api/v1/inbox?state=submitted&limit=100');
  assert.equal(onlySubmitted.body.items.length, clerk.body.counts.submitted);
  assert.deepEqual(onlySubmitted.body.counts, clerk.body.counts, 'counts ignore the state filter');
  const window = await staff.clerkX('GET', '/api/v1/inbox?channel=window&limit=100');
  assert.ok(window.body.items.every((t) => t.case.channel === 'window'));

  // reach: Y's approver sees Y's branches only, Z's clerk nothing of 埇桥区, applicants nothing
  const y = await staff.approverY('GET', '/api/v1/inbox?limit=100');
  assert.ok(y.body.items.length >= 1);
  assert.ok(y.body.items.every((t) => t.department.id === dept.Y.id && t.step_id === 'b2'));
  assert.deepEqual((await staff.clerkZ('GET', '/api/v1/inbox')).body.items, []);
  problem(await as(P.A)('GET', '/api/v1/inbox'), 403, 'FORBIDDEN');

  // submission days, China Standard Time
  assert.equal((await staff.clerkX('GET', '/api/v1/inbox?limit=100&from=' + cstDay())).body.items.length, clerk.body.items.length);
  assert.deepEqual((await staff.clerkX('GET', '/api/v1/inbox?to=' + cstDay(-1))).body.items, []);
  problem(await staff.clerkX('GET', '/api/v1/inbox?from=2026-13-01'), 400, 'BAD_DATE');

  // the staff's list of cases in reach
  const list = await staff.supervisor('GET', '/api/v1/cases?limit=100');
  assert.equal(list.status, 200, list.text);
  assert.ok(list.body.items.length >= 3 && list.body.items.every((b) => b.state !== 'draft'));
  assert.deepEqual((await staff.clerkZ('GET', '/api/v1/cases')).body.items, []);
  // Y's approver lists the cases with a branch in Y, though the cases are X's
  const ylist = await staff.approverY('GET', '/api/v1/cases?limit=100');
  assert.ok(ylist.body.items.some((b) => b.id === made.P.id));
  assert.ok(!ylist.body.items.some((b) => b.id === made.R.id));
  const done = await staff.supervisor('GET', '/api/v1/cases?state=completed&limit=100');
  assert.ok(done.body.items.length >= 1 && done.body.items.every((b) => b.state === 'completed'));
  const page1 = await staff.supervisor('GET', '/api/v1/cases?limit=2');
  const page2 = await staff.supervisor('GET', '/api/v1/cases?limit=2&cursor=' + page1.body.next_cursor);
  assert.equal(page2.status, 200, page2.text);
  assert.deepEqual([...page1.body.items, ...page2.body.items].map((b) => b.id), list.body.items.slice(0, 4).map((b) => b.id));
});

test('the inbox reads through the case_tasks_inbox index', async () => {
  // the shape inbox.c builds for a member of one department: the page of ids
  const query = `SELECT id, due_on FROM case_tasks WHERE state = 'open' AND department_id IN ('${dept.X.id}')
    AND role IN ('window_clerk') AND stage IN ('pre_review', 'deliver', 'review', 'decide', 'make_license')
    AND ((stage IN ('pre_review', 'deliver') AND ((division_code LIKE '341302%' AND role = 'window_clerk' AND department_id IN ('${dept.X.id}'))))
    OR (stage IN ('review', 'decide', 'make_license') AND 1 = 0)) ORDER BY (due_on IS NULL), due_on, id LIMIT 21`;
  if (srv.db.startsWith('postgres')) {
    // a handful of rows make any plan cheap: with sequential scans off, the index must serve
    const plan = sql(srv, `SET enable_seqscan = off; EXPLAIN ${query}`).map((r) => r.join(' ')).join('\n');
    assert.match(plan, /Index Only Scan using case_tasks_inbox|Index Scan using case_tasks_inbox|Bitmap Index Scan on case_tasks_inbox/);
  } else {
    const plan = sql(srv, `EXPLAIN QUERY PLAN ${query}`).map((r) => r.join(' ')).join('\n');
    assert.match(plan, /SEARCH case_tasks USING COVERING INDEX case_tasks_inbox \(department_id=\? AND role=\? AND stage=\?\)/);
  }
});

test('public progress: by serial and name or the last four digits, without personal data', async () => {
  const c = cases.life;
  const q = (params) => call(base, 'GET', '/api/v1/progress?' + new URLSearchParams(params));
  const ok = await q({ serial: c.serial, name: '张三' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.serial, c.serial);
  assert.equal(ok.body.state, 'completed');
  assert.equal(ok.body.item_name, '食品经营许可');
  assert.equal(ok.body.department, '埇桥区市场监督管理局');
  assert.ok(ok.body.steps.length >= 5);
  for (const secret of ['张三', P.A.p.id, P.A.p.mobile, P.A.person.id, '好味小吃'])
    assert.ok(!ok.text.includes(secret), 'no ' + secret);
  // what a person pastes, with blanks around it, is what they meant
  const spaced = await q({ serial: ` ${c.serial} `, name: ' 张三\u3000' });
  assert.equal(spaced.status, 200, spaced.text);
  const byPhone = await q({ serial: c.serial, phone4: P.A.p.mobile.slice(-4) });
  assert.equal(byPhone.status, 200, byPhone.text);
  const wrongName = await q({ serial: c.serial, name: '李四' });
  problem(wrongName, 404, 'PROGRESS_NOT_FOUND');
  // whatever is given must match: a right name with a wrong phone is a wrong answer
  const wrong4 = P.A.p.mobile.slice(-4) === '0000' ? '1111' : '0000';
  problem(await q({ serial: c.serial, name: '张三', phone4: wrong4 }), 404, 'PROGRESS_NOT_FOUND');
  assert.equal((await q({ serial: c.serial, name: '张三', phone4: P.A.p.mobile.slice(-4) })).status, 200);
  // a serial that is well formed but does not exist answers exactly alike
  const digits = c.serial.replace(/-/g, '').slice(0, 14) + '999999';
  const fake = `${digits.slice(0, 6)}-${digits.slice(6, 14)}-${digits.slice(14)}-${serialCheck(digits)}`;
  const none = await q({ serial: fake, name: '张三' });
  problem(none, 404, 'PROGRESS_NOT_FOUND');
  assert.equal(none.body.detail, wrongName.body.detail);
  problem(await q({ serial: c.serial.slice(0, -1) + (c.serial.endsWith('1') ? '2' : '1'), name: '张三' }), 400, 'BAD_PARAMETER');
  problem(await q({ serial: c.serial }), 400, 'BAD_PARAMETER');
});

test('the staff case list finds a case by its serial: as typed, or refused when it cannot be one', async () => {
  const c0 = await submitted();
  // a supervisor, with no task of their own, finds it among the cases in reach
  const all = await staff.supervisor('GET', '/api/v1/cases?limit=100');
  assert.equal(all.status, 200, all.text);
  assert.ok(all.body.items.some((b) => b.id === c0.id));
  const typed = ` ${c0.serial.toLowerCase()}\u3000`;
  const one = await staff.supervisor('GET', '/api/v1/cases?serial=' + encodeURIComponent(typed));
  assert.equal(one.status, 200, one.text);
  assert.deepEqual(one.body.items.map((b) => b.id), [c0.id]);
  const wrong = c0.serial.slice(0, -1) + (c0.serial.endsWith('1') ? '2' : '1');
  problem(await staff.supervisor('GET', '/api/v1/cases?serial=' + wrong), 400, 'BAD_PARAMETER');
  problem(await staff.supervisor('GET', '/api/v1/cases?serial=341302'), 400, 'BAD_PARAMETER');
  // outside the reach: the other county's clerk finds nothing by it
  assert.deepEqual((await staff.clerkZ('GET', '/api/v1/cases?serial=' + c0.serial)).body.items, []);
  // the inbox's stage filter: the cases with an open task of that stage
  const pre = await staff.supervisor('GET', '/api/v1/cases?limit=100&stage=pre_review');
  assert.ok(pre.body.items.some((b) => b.id === c0.id));
  assert.ok(!(await staff.supervisor('GET', '/api/v1/cases?limit=100&stage=decide')).body.items.some((b) => b.id === c0.id));
  problem(await staff.supervisor('GET', '/api/v1/cases?stage=bogus'), 400, 'BAD_PARAMETER');
});

test('two clerks accepting at once: one succeeds, the other is told the case moved', async () => {
  const c0 = await submitted();
  const both = await Promise.all([act(staff.clerkX, c0, 'accept', { version: c0.version }),
    act(staff.clerkX, c0, 'accept', { version: c0.version })]);
  assert.deepEqual(both.map((r) => r.status).sort(), [200, 409], both.map((r) => r.text).join('\n'));
  const lost = both.find((r) => r.status === 409);
  assert.ok(['CASE_STALE', 'CASE_STATE_CONFLICT'].includes(lost.body.code), lost.text);
  assert.equal(count('case_trail', `case_id = '${c0.id}' AND action = 'accept'`), 1);
  assert.equal(count('case_tasks', `case_id = '${c0.id}' AND state = 'open'`), 2);
});

test('two departments finishing their branches at once, naming no version: both are taken, the join follows', async () => {
  // a few rounds: the two must meet in the writer for the old answer (CASE_STALE) to show
  for (let round = 0; round < 4; round++) {
    const c0 = await submitted();
    const acc = await act(staff.clerkX, c0, 'accept');
    assert.equal(acc.status, 200, acc.text);
    const open = acc.body.tasks.filter((t) => t.state === 'open' && t.stage === 'review');
    const b1 = open.find((t) => t.department.id === dept.X.id), b2 = open.find((t) => t.department.id === dept.Y.id);
    const both = await Promise.all([
      staff.approverX('POST', `/api/v1/cases/${c0.id}/tasks/${b1.id}`, { verdict: 'approve' }),
      staff.approverY('POST', `/api/v1/cases/${c0.id}/tasks/${b2.id}`, { verdict: 'approve' }),
    ]);
    assert.deepEqual(both.map((r) => r.status), [200, 200], both.map((r) => r.text).join('\n'));
    const now = await staff.approverX('GET', '/api/v1/cases/' + c0.id);
    assert.deepEqual(now.body.tasks.filter((t) => t.stage === 'review').map((t) => t.state).sort(), ['approved', 'approved']);
    assert.deepEqual(now.body.tasks.filter((t) => t.state === 'open').map((t) => t.stage), ['decide']);
  }
  // with the version seen, the later one is still told the case moved
  const c1 = await submitted();
  const a1 = await act(staff.clerkX, c1, 'accept');
  const [t1, t2] = a1.body.tasks.filter((t) => t.state === 'open' && t.stage === 'review');
  const first = await (t1.department.id === dept.X.id ? staff.approverX : staff.approverY)('POST', `/api/v1/cases/${c1.id}/tasks/${t1.id}`, { verdict: 'approve', version: a1.body.version });
  assert.equal(first.status, 200, first.text);
  problem(await (t2.department.id === dept.X.id ? staff.approverX : staff.approverY)('POST', `/api/v1/cases/${c1.id}/tasks/${t2.id}`, { verdict: 'approve', version: a1.body.version }), 409, 'CASE_STALE');
});

test('every change queues its event for department systems in the same write, without personal data', async () => {
  const hook = await admin.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['case.submitted', 'case.accepted'] });
  assert.equal(hook.status, 201, hook.text);
  // the systems of the case's department and of its parallel branch's department (Y)
  const hx = await admin.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/x', events: ['case.accepted'], department_id: dept.X.id });
  const hy = await admin.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/y', events: ['*'], department_id: dept.Y.id });
  assert.equal(hx.status, 201, hx.text);
  assert.equal(hy.status, 201, hy.text);
  const c0 = await submitted();
  await act(staff.clerkX, c0, 'accept');
  const outbox = (h) => sql(srv, `SELECT event_type, body FROM event_outbox WHERE subscription_id = '${h.body.id}' ORDER BY created_at`);
  const events = outbox(hook);
  assert.deepEqual(events.map((e) => e[0]), ['case.submitted', 'case.accepted'], 'told once, though two departments are concerned');
  assert.deepEqual(outbox(hx).map((e) => e[0]), ['case.accepted']);
  // accepting opened the branch in Y: Y's system hears of it, addressed to Y
  const toY = outbox(hy);
  assert.deepEqual(toY.map((e) => e[0]), ['case.accepted']);
  const bodyY = JSON.parse(toY[0].slice(1).join('|'));
  assert.equal(bodyY.department_id, dept.Y.id);
  assert.equal(bodyY.data.case_id, c0.id);
  // the event names the tasks the step opened and ended: Y's system finds its branch by id
  const read = await staff.clerkX('GET', '/api/v1/cases/' + c0.id);
  const branchY = read.body.tasks.find((t) => t.department.id === dept.Y.id);
  const named = (t) => [t.stage, t.state, t.department_id];
  assert.deepEqual(bodyY.data.tasks.find((t) => t.id === branchY.id) && named(bodyY.data.tasks.find((t) => t.id === branchY.id)),
    ['review', 'open', dept.Y.id]);
  assert.deepEqual(bodyY.data.tasks.map((t) => t.state).sort(), ['done', 'open', 'open']);
  const body = JSON.parse(events[0].slice(1).join('|'));
  assert.equal(body.data.case_id, c0.id);
  assert.equal(body.data.serial, c0.serial);
  assert.equal(body.data.department_id, dept.X.id);
  for (const secret of ['张三', P.A.p.id, P.A.p.mobile, '好味小吃']) assert.ok(!events[0][1].includes(secret));
});

test('public progress is rate-limited per address', async () => {
  const q = () => call(base, 'GET', '/api/v1/progress?serial=341302-20261129-000001-0&name=x');
  let last;
  for (let i = 0; i < 25; i++) last = await q();
  problem(last, 429, 'RATE_LIMITED');
  assert.ok(Number(last.headers.get('retry-after')) >= 1);
});
