// One application for a theme (一件事) over HTTP (src/cases/theme.c, docs/cases.md "Themes"):
// the merged form filled once makes a parent case and one case per item, each with its own form
// values, materials, serial and first task; any item's failure refuses all and writes nothing;
// Idempotency-Key; the parent lists its children and follows them; 我的办件 and public progress
// show the parent; nobody else sees it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { bootstrapAdmin, createStaff, makeUscc } from '../lib/staff.mjs';
import { newPerson, registerSession, problem, sql, call } from '../lib/persons.mjs';

let srv, base, admin, themeId;
const dept = {};
const staff = {};
const P = {};
const code = {};

const guide = (over = {}) => ({
  online_depth: 4, visits: 0, project_type: 2, handling_forms: [1, 2], service_objects: [1],
  statutory_limit: 20, promised_limit: 5, charged: false, in_hall: true, aliases: [], ...over,
});
// applicant_name is in both forms: filled once, given to both cases.
const form1 = { fields: [
  { name: 'applicant_name', label: '申请人', type: 'text', required: true, max_length: 50 },
  { name: 'shop_name', label: '店铺名称', type: 'text', required: true, max_length: 50 },
] };
const form2 = { fields: [
  { name: 'applicant_name', label: '申请人', type: 'text', required: false, max_length: 50 },
  { name: 'venue', label: '经营场所', type: 'text', required: true, max_length: 100 },
] };

function pdf() {
  return Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n'
    + '2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n' + Math.random().toString(36)
    + '\ntrailer <</Size 3 /Root 1 0 R>>\n%%EOF\n', 'latin1');
}

async function material(who) {
  const res = await fetch(base + '/api/v1/materials?title=' + encodeURIComponent('申请书'), { method: 'POST', body: pdf(),
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'content-type': 'application/pdf' } });
  assert.ok(res.status === 201 || res.status === 200);
  return (await res.json()).id;
}

const count = (table) => Number(sql(srv, `SELECT count(*) FROM ${table}`)[0][0]);
const rows = () => ['cases', 'case_tasks', 'case_trail', 'case_materials', 'case_idempotency', 'audit_log', 'event_outbox']
  .map((t) => { try { return count(t); } catch { return '-'; } }).join(',');

const as = (who) => (method, path, body, headers) => who.call(method, path, { body, headers });
function st(who) {
  return async (method, path, body) => {
    const h = { cookie: who.cookie, 'x-csrf-token': who.csrf };
    if (body !== undefined) h['content-type'] = 'application/json';
    const res = await fetch(base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
  };
}

async function item(key, basic, department, over) {
  const res = await admin.post('/api/v1/items', { basic_code: basic, department_id: department, ...guide(over) });
  assert.equal(res.status, 201, res.text);
  code[key] = res.body.item.code;
  const pub = await admin.post(`/api/v1/items/${code[key]}/publish`, { version: 1 });
  assert.equal(pub.status, 200, pub.text);
}

const delivery = { method: 'pickup' };
let m1, m2;
const body = (over = {}) => ({
  form: { applicant_name: '张三', shop_name: '好味小吃', venue: '西关大街 1 号' },
  materials: [{ item_code: code.I1, slot: 0, material_id: m1 }, { item_code: code.I2, slot: 0, material_id: m2 }],
  delivery, submit: true, ...over,
});

before(async () => {
  srv = await startServer({ args: ['--sandbox'] });
  base = srv.url;
  admin = await bootstrapAdmin(srv);
  for (const [key, name] of [['X', '埇桥区市场监督管理局'], ['Y', '埇桥区卫生健康委员会']]) {
    const res = await admin.post('/api/v1/departments',
      { name, uscc: makeUscc('341302'), division_code: '341302', parent_id: admin.department_id });
    assert.equal(res.status, 201, res.text);
    dept[key] = res.body.department;
  }
  for (const [key, d] of [['clerkX', 'X'], ['clerkY', 'Y']]) {
    const c = await createStaff(admin, { username: key.toLowerCase(), name: key, department_id: dept[d].id,
      roles: [{ role: 'window_clerk', department_id: dept[d].id, division_code: '341302' }] });
    staff[key] = st(c);
  }
  const both = await createStaff(admin, { username: 'clerkxy', name: 'clerkXY', department_id: dept.X.id,
    roles: ['X', 'Y'].map((d) => ({ role: 'window_clerk', department_id: dept[d].id, division_code: '341302' })) });
  staff.clerkXY = st(both);
  for (const [key, name] of [['A', '张三'], ['B', '李四']]) {
    P[key] = await registerSession(base, newPerson(name));
  }
  await item('I1', '000104201000', dept.X.id, { name: '食品经营许可', form: form1,
    materials: [{ name: '食品经营许可申请书', source: 'applicant', required: true, reuse: 'never' }] });
  await item('I2', '000104205000', dept.Y.id, { name: '公共场所卫生许可', form: form2,
    materials: [{ name: '卫生许可申请书', source: 'applicant', required: true, reuse: 'never' },
      { name: '其他材料', source: 'applicant', required: false, condition: '有其他需要说明的情况时', reuse: 'never' }] });
  const t = await admin.post('/api/v1/themes', { name: '开办小餐馆', summary: '一次申请，办齐开业许可',
    audience: 'person', division_code: '341302', topics: ['startup'], items: [code.I1, code.I2] });
  assert.equal(t.status, 201, t.text);
  themeId = t.body.theme.id;
  m1 = await material(P.A);
  m2 = await material(P.A);
});

after(async () => {
  await srv?.stop();
});

let parent;

test('a missing material or a wrong value of one item refuses the whole application, writing nothing', async () => {
  const A = as(P.A);
  const before = rows();
  let res = await A('POST', `/api/v1/themes/${themeId}/cases`, body({ materials: [{ item_code: code.I1, slot: 0, material_id: m1 }] }));
  problem(res, 422, 'MATERIAL_REQUIRED');
  assert.deepEqual(res.body.fields.map((f) => f.field), [`items[${code.I2}].materials[0]`]);
  assert.match(res.body.fields[0].reason, /卫生许可申请书/);
  res = await A('POST', `/api/v1/themes/${themeId}/cases`, body({ form: { applicant_name: '张三', venue: '西关大街 1 号' } }));
  problem(res, 400, 'BAD_PARAMETER');
  assert.deepEqual(res.body.fields.map((f) => f.field), [`items[${code.I1}].shop_name`]);
  res = await A('POST', `/api/v1/themes/${themeId}/cases`, body({ form: { shop_name: 'x', nonsense: 1 } }));
  problem(res, 400, 'BAD_PARAMETER');
  assert.ok(res.body.fields.some((f) => f.field === 'form.nonsense'));
  res = await A('POST', `/api/v1/themes/${themeId}/cases`, body({ materials: [{ item_code: '11341302000000000000000000000000', slot: 0, material_id: m1 }] }));
  problem(res, 400, 'BAD_PARAMETER');
  res = await A('POST', `/api/v1/themes/${themeId}/cases`, body({ delivery: undefined }));
  problem(res, 400, 'BAD_PARAMETER');
  assert.deepEqual(res.body.fields.map((f) => f.field), ['delivery.method']);   // named once, not per item
  problem(await A('POST', `/api/v1/themes/${themeId}/cases`, body({ submit: false })), 400, 'BAD_PARAMETER');
  problem(await A('POST', '/api/v1/themes/t_nonexistent/cases', body()), 404, 'NOT_FOUND');
  assert.equal(rows(), before);
});

test('one application: a parent with its serial and one case per item, each as if applied alone', async () => {
  const A = as(P.A);
  const res = await A('POST', `/api/v1/themes/${themeId}/cases`, body(), { 'idempotency-key': 'theme-1' });
  assert.equal(res.status, 201, res.text);
  parent = res.body;
  assert.match(parent.id, /^c_/);
  assert.match(parent.serial, /^341302-\d{8}-\d{6}-[\dX]$/);
  assert.equal(parent.item_code, null);
  assert.equal(parent.item_name, '开办小餐馆');
  assert.equal(parent.parent_id, null);
  assert.equal(parent.state, 'submitted');
  assert.deepEqual(parent.actions, ['withdraw']);   // the whole, while an item is undecided (R-CASE-065)
  assert.deepEqual(parent.tasks, []);
  assert.equal(parent.children.length, 2);
  assert.deepEqual(parent.children.map((c) => c.item_code), [code.I1, code.I2]);
  assert.deepEqual(parent.children.map((c) => c.state), ['submitted', 'submitted']);
  const serials = new Set([parent.serial, ...parent.children.map((c) => c.serial)]);
  assert.equal(serials.size, 3);

  const expect = [[code.I1, dept.X, { applicant_name: '张三', shop_name: '好味小吃' }, m1],
    [code.I2, dept.Y, { applicant_name: '张三', venue: '西关大街 1 号' }, m2]];
  for (const [i, [c, d, form, m]] of expect.entries()) {
    const got = await A('GET', '/api/v1/cases/' + parent.children[i].id);
    assert.equal(got.status, 200, got.text);
    const k = got.body;
    assert.equal(k.item_code, c);
    assert.equal(k.parent_id, parent.id);
    assert.equal(k.department.id, d.id);
    assert.deepEqual(k.form, form);
    assert.deepEqual(k.materials[0].files.map((f) => f.id), [m]);
    assert.equal(k.serial, parent.children[i].serial);
    assert.deepEqual(k.tasks.map((t) => [t.stage, t.department.id, t.state]), [['pre_review', d.id, 'open']]);
    assert.deepEqual(k.trail.map((t) => t.action), ['submit']);
    assert.deepEqual(k.delivery, delivery);
  }
  const events = sql(srv, `SELECT count(*) FROM audit_log WHERE action = 'case.submit' AND object_id IN ('${parent.id}', '${parent.children[0].id}', '${parent.children[1].id}')`);
  assert.equal(Number(events[0][0]), 3);
});

test('a retry with the same key gives the same parent; another body with it is refused', async () => {
  const A = as(P.A);
  const before = rows();
  const again = await A('POST', `/api/v1/themes/${themeId}/cases`, body(), { 'idempotency-key': 'theme-1' });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.body.id, parent.id);
  assert.equal(again.body.children.length, 2);
  problem(await A('POST', `/api/v1/themes/${themeId}/cases`, body({ delivery: { method: 'electronic' } }),
    { 'idempotency-key': 'theme-1' }), 422, 'IDEMPOTENCY_KEY_REUSED');
  assert.equal(rows(), before);
});

test('我的办件 lists the parent, not its children; staff see the children, not the parent', async () => {
  const mine = await as(P.A)('GET', '/api/v1/cases');
  assert.equal(mine.status, 200, mine.text);
  const ids = mine.body.items.map((b) => b.id);
  assert.ok(ids.includes(parent.id));
  assert.ok(!ids.includes(parent.children[0].id) && !ids.includes(parent.children[1].id));
  const clerk = await staff.clerkX('GET', '/api/v1/cases');
  assert.equal(clerk.status, 200, clerk.text);
  const seen = clerk.body.items.map((b) => b.id);
  assert.ok(seen.includes(parent.children[0].id));
  assert.ok(!seen.includes(parent.id));
  const inbox = await staff.clerkY('GET', '/api/v1/inbox');
  assert.ok(inbox.body.items.some((t) => t.case.id === parent.children[1].id));
});

test('a child moves on its own; the parent shows it and follows the least advanced', async () => {
  const acc = await staff.clerkX('POST', `/api/v1/cases/${parent.children[0].id}/actions/accept`, {});
  assert.equal(acc.status, 200, acc.text);
  assert.equal(acc.body.state, 'accepted');
  const got = await as(P.A)('GET', '/api/v1/cases/' + parent.id);
  assert.deepEqual(got.body.children.map((c) => c.state), ['accepted', 'submitted']);
  assert.equal(got.body.state, 'submitted');
  // the parent itself takes no steps but a withdrawal of the whole
  problem(await as(P.A)('POST', `/api/v1/cases/${parent.id}/actions/accept`, {}), 409, 'CASE_STATE_CONFLICT');
  const acc2 = await staff.clerkY('POST', `/api/v1/cases/${parent.children[1].id}/actions/accept`, {});
  assert.equal(acc2.status, 200, acc2.text);
  const after2 = await as(P.A)('GET', '/api/v1/cases/' + parent.id);
  assert.equal(after2.body.state, 'accepted');
  assert.equal(after2.body.state_name, '已受理');
  // 我的办件 filters and orders by what the parent shows (R-CASE-062: stored with each child's change)
  const listed = async (state) => (await as(P.A)('GET', '/api/v1/cases?state=' + state)).body.items.map((b) => b.id);
  assert.ok((await listed('accepted')).includes(parent.id));
  assert.ok(!(await listed('submitted')).includes(parent.id));
  const brief = (await as(P.A)('GET', '/api/v1/cases')).body.items.find((b) => b.id === parent.id);
  assert.equal(brief.state, 'accepted');
});

test('public progress by the parent\'s serial shows each item and its state, nothing personal', async () => {
  const q = (params) => call(base, 'GET', '/api/v1/progress?' + new URLSearchParams(params));
  const ok = await q({ serial: parent.serial, name: '张三' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.item_name, '开办小餐馆');
  assert.deepEqual(ok.body.children.map((c) => [c.item_name, c.state, c.state_name]),
    [['食品经营许可', 'accepted', '已受理'], ['公共场所卫生许可', 'accepted', '已受理']]);
  assert.deepEqual(ok.body.children.map((c) => c.serial), parent.children.map((c) => c.serial));
  for (const secret of ['张三', '好味小吃', '西关大街'])
    assert.ok(!ok.text.includes(secret), 'no ' + secret);
  problem(await q({ serial: parent.serial, name: '李四' }), 404, 'PROGRESS_NOT_FOUND');
});

test('another applicant sees none of it', async () => {
  const B = as(P.B);
  problem(await B('GET', '/api/v1/cases/' + parent.id), 404, 'NOT_FOUND');
  problem(await B('GET', '/api/v1/cases/' + parent.children[0].id), 404, 'NOT_FOUND');
  assert.ok(!(await B('GET', '/api/v1/cases')).body.items.some((b) => b.id === parent.id));
  // nor may they file with A's materials
  const res = await B('POST', `/api/v1/themes/${themeId}/cases`, body());
  problem(res, 404, 'NOT_FOUND');
});

test('a window clerk files a theme only when they may file every item of it', async () => {
  const p = newPerson('赵六');
  const C = await registerSession(base, p);
  const mc1 = await material(C), mc2 = await material(C);
  const b = body({ applicant: { id_number: p.id, name: '赵六' },
    materials: [{ item_code: code.I1, slot: 0, material_id: mc1 }, { item_code: code.I2, slot: 0, material_id: mc2 }] });
  const before = rows();
  problem(await staff.clerkX('POST', `/api/v1/themes/${themeId}/cases`, b), 403, 'FORBIDDEN');
  assert.equal(rows(), before);
  const ok = await staff.clerkXY('POST', `/api/v1/themes/${themeId}/cases`, b);
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.channel, 'window');
  assert.equal(ok.body.applicant.name, '赵六');
  assert.deepEqual(ok.body.children.map((c) => [c.channel, c.state]), [['window', 'submitted'], ['window', 'submitted']]);
});

test('the delivery\'s phone is sealed at rest on the parent and on each item\'s case', async () => {
  const phone = '13912345678';
  const post = { method: 'post', address: '宿州市埇桥区西关大街 8 号', recipient: '张三', phone };
  const res = await as(P.A)('POST', `/api/v1/themes/${themeId}/cases`, body({ delivery: post }));
  assert.equal(res.status, 201, res.text);
  const ids = [res.body.id, ...res.body.children.map((c) => c.id)];
  const stored = sql(srv, `SELECT delivery FROM cases WHERE id IN (${ids.map((i) => `'${i}'`).join(', ')})`);
  assert.equal(stored.length, 3);
  for (const [d] of stored) {
    assert.ok(d && !d.includes(phone), 'sealed: ' + d);
    assert.match(d, /宿州市埇桥区西关大街/);
  }
});

test('a theme is withdrawn as a whole: every undecided item in one write, an ended one stays', async () => {
  const A = as(P.A);
  const ma = await material(P.A), mb = await material(P.A);
  const res = await A('POST', `/api/v1/themes/${themeId}/cases`, body({
    materials: [{ item_code: code.I1, slot: 0, material_id: ma }, { item_code: code.I2, slot: 0, material_id: mb }] }));
  assert.equal(res.status, 201, res.text);
  const p = res.body;
  const [k1, k2] = p.children;
  const rej = await staff.clerkX('POST', `/api/v1/cases/${k1.id}/actions/reject`, { reason: '不属于本部门受理范围' });
  assert.equal(rej.status, 200, rej.text);
  const acc = await staff.clerkY('POST', `/api/v1/cases/${k2.id}/actions/accept`, {});
  assert.equal(acc.status, 200, acc.text);

  // nobody else: another applicant does not see it, a clerk may not withdraw an online application
  const before = rows();
  problem(await as(P.B)('POST', `/api/v1/cases/${p.id}/actions/withdraw`, {}), 404, 'NOT_FOUND');
  const byClerk = await staff.clerkXY('POST', `/api/v1/cases/${p.id}/actions/withdraw`, {});
  assert.ok([403, 404].includes(byClerk.status), byClerk.text);
  problem(await A('POST', `/api/v1/cases/${p.id}/actions/withdraw`, { reason: '   ' }), 400, 'BAD_PARAMETER');
  assert.equal(rows(), before);

  const seen = await A('GET', '/api/v1/cases/' + p.id);
  assert.deepEqual(seen.body.actions, ['withdraw']);
  const w = await A('POST', `/api/v1/cases/${p.id}/actions/withdraw`, { version: seen.body.version, reason: '改期开业' });
  assert.equal(w.status, 200, w.text);
  assert.equal(w.body.id, p.id);
  assert.deepEqual(w.body.children.map((c) => c.state), ['not_accepted', 'withdrawn']);
  assert.deepEqual(w.body.actions, []);
  // the parent's own history says it was withdrawn, from what it showed, and its version moved on
  assert.deepEqual(w.body.trail.map((t) => [t.action, t.from_state, t.to_state, t.note]),
    [['submit', 'draft', 'submitted', null], ['withdraw', 'accepted', 'not_accepted', '改期开业']]);
  assert.equal(w.body.version, seen.body.version + 1);
  const k2now = (await A('GET', '/api/v1/cases/' + k2.id)).body;
  assert.equal(k2now.state, 'withdrawn');
  assert.equal(k2now.close_reason, '改期开业');
  assert.deepEqual(k2now.trail.map((t) => t.action), ['submit', 'accept', 'withdraw']);
  assert.ok(k2now.tasks.every((t) => t.state !== 'open'));
  const k1now = (await A('GET', '/api/v1/cases/' + k1.id)).body;
  assert.equal(k1now.state, 'not_accepted');
  assert.deepEqual(k1now.trail.map((t) => t.action), ['submit', 'reject']);
  const audited = sql(srv, `SELECT object_id FROM audit_log WHERE action = 'case.withdraw' AND object_id IN ('${k1.id}', '${k2.id}')`);
  assert.deepEqual(audited.map((r) => r[0]), [k2.id]);
  // the stored parent follows (我的办件 filters on it): every item ended, none completed
  assert.equal((await A('GET', '/api/v1/cases')).body.items.find((b) => b.id === p.id).state, 'not_accepted');
  problem(await A('POST', `/api/v1/cases/${p.id}/actions/withdraw`, {}), 409, 'CASE_STATE_CONFLICT');
});
