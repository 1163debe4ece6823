// What a read of the review of issue 6's first step found, kept found (docs/cases.md "The staff
// inbox"): a staff member whose department has hundreds of departments under it still gets their
// inbox and case list (the departments are bound once, not once per role and per use); a role
// scoped to a township reaches that township only, not the townships numbered after it; bytes
// that are not UTF-8 in a path, a query or a cursor are the client's 400, never a 500.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { bootstrapAdmin, createStaff, makeUscc } from '../lib/staff.mjs';
import { newPerson, registerSession, problem } from '../lib/persons.mjs';

let srv, admin, A, big, town, tree;
const depts = [];

function pdf(marker) {
  return Buffer.from(`%PDF-1.4\n% ${marker}\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n`
    + '2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Size 3 /Root 1 0 R>>\n%%EOF\n', 'latin1');
}

async function must(res, status = 201) {
  assert.equal(res.status, status, res.text);
  return res.body;
}

// A published item of department d (in division) with one required material, and a case of A
// submitted for it.
async function caseIn(d, basic) {
  const item = (await must(await admin.post('/api/v1/items', {
    basic_code: basic, department_id: d.id, name: '测试事项' + basic, online_depth: 4, visits: 0,
    project_type: 2, handling_forms: [1], service_objects: [1], statutory_limit: 20, promised_limit: 5,
    charged: false, in_hall: true, materials: [{ name: '申请书', source: 'applicant', required: true, reuse: 'never' }],
  }))).item;
  await must(await admin.post(`/api/v1/items/${item.code}/publish`, { version: 1 }), 200);
  const up = await fetch(`${srv.url}/api/v1/materials?title=x`, { method: 'POST', body: pdf(basic + d.id),
    headers: { cookie: A.cookie, 'x-csrf-token': A.csrf, 'content-type': 'application/pdf' } });
  const m = await up.json();
  assert.equal(up.status, 201, JSON.stringify(m));
  const res = await A.call('POST', '/api/v1/cases', { body: { item_code: item.code, submit: true,
    materials: [{ slot: 0, material_id: m.id }], delivery: { method: 'electronic' } } });
  assert.equal(res.status, 201, res.text);
  return res.body.case ?? res.body;
}

before(async () => {
  srv = await startServer({ args: ['--sandbox'] });
  admin = await bootstrapAdmin(srv);
  A = await registerSession(srv.url, newPerson('张三'));
  // a county bureau with 260 offices under it (a province's tree is larger still)
  tree = (await must(await admin.post('/api/v1/departments', { name: '埇桥区市场监督管理局',
    uscc: makeUscc('341302'), division_code: '341302', parent_id: admin.department_id }))).department;
  for (let i = 0; i < 260; i++) {
    depts.push((await must(await admin.post('/api/v1/departments', { name: `埇桥区市场监管所${i}`,
      uscc: makeUscc('341302'), division_code: '341302', parent_id: tree.id }))).department);
  }
  // two townships of 埇桥区 whose codes share a prefix: 341302100 and 341302101
  const t100 = (await must(await admin.post('/api/v1/departments', { name: '埇桥区沱河街道便民服务中心',
    uscc: makeUscc('341302'), division_code: '341302100', parent_id: admin.department_id }))).department;
  const t101 = (await must(await admin.post('/api/v1/departments', { name: '埇桥区北关街道便民服务中心',
    uscc: makeUscc('341302'), division_code: '341302101', parent_id: admin.department_id }))).department;
  town = { t100, t101 };
  big = await createStaff(admin, { username: 'tree.clerk', department_id: tree.id, roles: [
    { role: 'window_clerk', department_id: tree.id, division_code: '341302' },
    { role: 'approver', department_id: tree.id, division_code: '341302' },
    { role: 'dept_admin', department_id: tree.id, division_code: '341302' }] });
});

after(async () => {
  await srv?.stop();
});

test('a clerk over 260 departments gets their inbox and case list', async () => {
  const c = await caseIn(depts[259], '000104201000');
  const inbox = await big.get('/api/v1/inbox');
  assert.equal(inbox.status, 200, inbox.text);
  assert.deepEqual(inbox.body.items.map((t) => t.case_id), [c.id]);
  const list = await big.get('/api/v1/cases');
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.body.items.map((x) => x.id), [c.id]);
});

test('a supervisor of a township sees its cases, not the next township\'s', async () => {
  const sup = await createStaff(admin, { username: 'town.supervisor', department_id: town.t100.id,
    roles: [{ role: 'supervisor', department_id: town.t100.id, division_code: '341302100' }] });
  const mine = await caseIn(town.t100, '000104202000');
  const next = await caseIn(town.t101, '000104203000');
  const list = await sup.get('/api/v1/cases');
  assert.equal(list.status, 200, list.text);
  const ids = list.body.items.map((x) => x.id);
  assert.ok(ids.includes(mine.id), 'its own township\'s case');
  assert.ok(!ids.includes(next.id), 'not 341302101\'s case');
  assert.equal((await sup.get(`/api/v1/cases/${next.id}`)).status, 404);
});

test('bytes that are not UTF-8 are the client\'s 400', async () => {
  for (const path of ['/api/v1/cases/%C3', '/api/v1/inbox?item=%FF', '/api/v1/progress?serial=%FF&name=x']) {
    const res = await big.get(path);
    assert.ok(res.status >= 400 && res.status < 500, `${path}: ${res.status} ${res.text}`);
  }
  // a forged cursor of other bytes
  const forged = Buffer.from('20261201|\xff\xfe', 'latin1').toString('base64url');
  problem(await big.get('/api/v1/inbox?cursor=' + forged), 400, 'BAD_PARAMETER');
  problem(await big.get('/api/v1/cases?cursor=' + forged), 400, 'BAD_PARAMETER');
});

test('a step the process gives to another department is taken by that department', async () => {
  const X = depts[0], Y = depts[1];
  const clerk = await createStaff(admin, { username: 'x.clerk', department_id: X.id,
    roles: [{ role: 'window_clerk', department_id: X.id, division_code: '341302' }] });
  const apprX = await createStaff(admin, { username: 'x.approver', department_id: X.id,
    roles: [{ role: 'approver', department_id: X.id, division_code: '341302' }] });
  const apprY = await createStaff(admin, { username: 'y.approver', department_id: Y.id,
    roles: [{ role: 'approver', department_id: Y.id, division_code: '341302' }] });
  const item = (await must(await admin.post('/api/v1/items', {
    basic_code: '000104204000', department_id: X.id, name: '跨部门决定事项', online_depth: 4, visits: 0,
    project_type: 2, handling_forms: [1], service_objects: [1], statutory_limit: 20, promised_limit: 10,
    charged: false, in_hall: true, materials: [],
    process: { start: 's1', steps: [
      { id: 's1', name: '受理', kind: 'task', stage: 'accept', role: 'window_clerk', limit_days: 1, next: ['r1'] },
      { id: 'r1', name: '审查', kind: 'task', stage: 'review', role: 'approver', limit_days: 3, next: ['d1'] },
      { id: 'd1', name: '决定', kind: 'task', stage: 'decide', role: 'approver', department_id: Y.id, limit_days: 2, next: ['end'] },
      { id: 'end', name: '办结', kind: 'end', next: [] }] },
  }))).item;
  await must(await admin.post(`/api/v1/items/${item.code}/publish`, { version: 1 }), 200);
  const filed = await A.call('POST', '/api/v1/cases', { body: { item_code: item.code, submit: true,
    delivery: { method: 'electronic' } } });
  assert.equal(filed.status, 201, filed.text);
  const id = (filed.body.case ?? filed.body).id;
  await must(await clerk.post(`/api/v1/cases/${id}/actions/accept`, {}), 200);
  let c = (await apprX.get(`/api/v1/cases/${id}`)).body;
  c = c.case ?? c;
  const review = c.tasks.find((t) => t.stage === 'review' && t.state === 'open');
  await must(await apprX.post(`/api/v1/cases/${id}/tasks/${review.id}`, { verdict: 'approve', opinion: '同意' }), 200);
  // Y's approver sees the decision task and may decide; the case page offers it
  const inbox = await apprY.get('/api/v1/inbox');
  assert.ok(inbox.body.items.some((t) => t.case_id === id && t.stage === 'decide'), inbox.text);
  let seen = (await apprY.get(`/api/v1/cases/${id}`)).body;
  seen = seen.case ?? seen;
  assert.ok(seen.actions.includes('decide'), JSON.stringify(seen.actions));
  const decided = await apprY.post(`/api/v1/cases/${id}/actions/decide`, { decision: 'approve', reason: '符合条件' });
  assert.equal(decided.status, 200, decided.text);
  assert.equal((decided.body.case ?? decided.body).state, 'decided');
});

test('applying for someone else: an id that exists and one that does not answer alike', async () => {
  const B = await registerSession(srv.url, newPerson('李四'));
  const c = await caseIn(depts[2], '000104205000');
  const body = (id) => ({ body: { item_code: c.item_code, for: { kind: 'person', id } } });
  const real = await B.call('POST', '/api/v1/cases', body(A.person.id));
  const none = await B.call('POST', '/api/v1/cases', body('p_doesNotExist000000'));
  assert.equal(real.status, none.status);
  assert.equal(real.body.code, none.body.code);
  assert.equal(real.body.detail, none.body.detail);
});

test('a material deleted from the space stays with the case that holds it, through a resubmission', async () => {
  const X = depts[3];
  const clerk = await createStaff(admin, { username: 'x3.clerk', department_id: X.id,
    roles: [{ role: 'window_clerk', department_id: X.id, division_code: '341302' }] });
  const c = await caseIn(X, '000104206000');
  const full = (await A.call('GET', `/api/v1/cases/${c.id}`)).body;
  const mid = (full.case ?? full).materials[0].files[0].id;
  assert.equal((await A.call('DELETE', `/api/v1/materials/${mid}`)).status, 204);
  const sup = await clerk.post(`/api/v1/cases/${c.id}/actions/request_supplement`,
    { missing: [{ slot: 0, name: '申请书', reason: '请补充签字页' }] });
  assert.equal(sup.status, 200, sup.text);
  const again = await A.call('POST', `/api/v1/cases/${c.id}/actions/resubmit`, { body: {} });
  assert.equal(again.status, 200, again.text);
  assert.equal((again.body.case ?? again.body).state, 'submitted');
  // the clerk still opens the file
  assert.equal((await clerk.get(`/api/v1/cases/${c.id}/materials/${mid}`)).status, 200);
});
