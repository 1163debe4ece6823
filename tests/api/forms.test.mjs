// Forms and processes of catalog items over HTTP (src/catalog/form.c, process.c): a definition
// that breaks a rule is refused with its own code and a Chinese detail naming what is wrong, and
// nothing is written; a good one is stored with the version and comes back exactly as sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { bootstrapAdmin, createStaff, makeUscc } from '../lib/staff.mjs';
import { problem, sql } from '../lib/persons.mjs';

let srv, admin, catX, dept;

const guide = (over = {}) => ({
  name: '公共场所卫生许可', online_depth: 3, visits: 1, project_type: 2, handling_forms: [1, 2],
  service_objects: [2], statutory_limit: 20, promised_limit: 10, charged: false, in_hall: true, aliases: [],
  materials: [{ name: '卫生许可申请书', source: 'applicant', reuse: 'never' }],
  ...over,
});

const form = {
  fields: [
    { name: 'applicant_name', label: '申请人姓名', type: 'text', required: true, min_length: 1, max_length: 50,
      prefill: 'person.name' },
    { name: 'org_uscc', label: '统一社会信用代码', type: 'uscc', required: true, prefill: 'org.uscc' },
    { name: 'venue', label: '场所类型', type: 'select', required: true,
      options: [{ value: 'hotel', label: '宾馆' }, { value: 'bath', label: '浴室' }, { value: 'other', label: '其他' }] },
    { name: 'venue_other', label: '其他场所类型', type: 'text', required: true,
      visible_when: { field: 'venue', equals: 'other' } },
    { name: 'area', label: '营业面积（平方米）', type: 'number', min: 1, max: 100000 },
    { name: 'opening', label: '开业日期', type: 'date', help: '尚未开业的填预计日期' },
  ],
};

// The example of docs/catalog.md: two reviews in parallel, joined by "all".
const process = {
  start: 's1',
  steps: [
    { id: 's1', name: '受理', kind: 'task', stage: 'accept', role: 'window_clerk', limit_days: 1, next: ['p1'] },
    { id: 'p1', name: '并联审查', kind: 'split', next: ['b1', 'b2'] },
    { id: 'b1', name: '卫生审查', kind: 'task', stage: 'review', role: 'approver', limit_days: 5, next: ['j1'] },
    { id: 'b2', name: '消防审查', kind: 'task', stage: 'review', role: 'approver', department_id: null, limit_days: 5, next: ['j1'] },
    { id: 'j1', name: '汇总', kind: 'join', join: 'at_least', k: 2, next: ['s3'] },
    { id: 's3', name: '决定', kind: 'task', stage: 'decide', role: 'approver', limit_days: 3, next: ['end'] },
    { id: 'end', name: '办结', kind: 'end', next: [] },
  ],
};

const clone = (x) => JSON.parse(JSON.stringify(x));
const count = (table) => Number(sql(srv, `SELECT count(*) FROM ${table}`)[0][0]);
const counts = () => ['catalog_items', 'catalog_item_versions', 'catalog_materials', 'audit_log'].map(count).join(',');

before(async () => {
  srv = await startServer();
  admin = await bootstrapAdmin(srv);
  const res = await admin.post('/api/v1/departments',
    { name: '埇桥区卫生健康委员会', uscc: makeUscc('341302'), division_code: '341302', parent_id: admin.department_id });
  assert.equal(res.status, 201, res.text);
  dept = res.body.department;
  catX = await createStaff(admin, { username: 'catalog.forms', department_id: dept.id,
    roles: [{ role: 'catalog_admin', department_id: dept.id, division_code: '341302' }] });
});

after(async () => {
  await srv?.stop();
});

test('a form with duplicate field names is refused with BAD_FORM naming the field, nothing written', async () => {
  const before = counts();
  const bad = clone(form);
  bad.fields.push({ name: 'area', label: '面积', type: 'number' });
  let res = await catX.post('/api/v1/items', { basic_code: '000104101000', department_id: dept.id, ...guide({ form: bad }) });
  problem(res, 400, 'BAD_FORM');
  assert.match(res.body.detail, /area/);
  assert.match(res.body.detail, /重复/);
  // other rules, each its own detail
  const cases = [
    [(f) => { f.fields[2].options.push({ value: 'hotel', label: '酒店' }); }, /选项值 hotel 重复/],
    [(f) => { f.fields[3].visible_when = { field: 'opening', equals: 'x' }; }, /venue_other.*opening.*之前/],
    [(f) => { f.fields[3].visible_when = { field: 'nope', equals: 'x' }; }, /nope/],
    [(f) => { f.fields[0].type = 'email'; }, /applicant_name.*类型/],
    [(f) => { f.fields[0].prefill = 'person.email'; }, /prefill/],
    [(f) => { f.fields[4].min = 10; f.fields[4].max = 5; }, /area.*min 大于 max/],
    [(f) => { delete f.fields[2].options; }, /venue.*options/],
    [(f) => { f.fields[0].requried = true; }, /requried/],
  ];
  for (const [change, detail] of cases) {
    const f = clone(form);
    change(f);
    res = await catX.post('/api/v1/items', { basic_code: '000104101000', department_id: dept.id, ...guide({ form: f }) });
    problem(res, 400, 'BAD_FORM');
    assert.match(res.body.detail, detail);
  }
  assert.equal(counts(), before);
});

test('a process with a branch that never joins is refused with BAD_PROCESS, nothing written', async () => {
  const before = counts();
  const bad = clone(process);
  bad.steps[3].next = ['end'];                        // b2 runs into the end
  let res = await catX.post('/api/v1/items', { basic_code: '000104101000', department_id: dept.id, ...guide({ process: bad }) });
  problem(res, 400, 'BAD_PROCESS');
  assert.match(res.body.detail, /没有汇合/);
  const cases = [
    [(p) => { p.steps[4].k = 3; }, /k 应在 1 到 2/],
    [(p) => { p.steps[5].next = ['s1']; }, /循环/],
    [(p) => { p.steps.push({ id: 'lost', name: '孤立', kind: 'task', stage: 'review', role: 'approver', limit_days: 1, next: ['end'] }); },
      /lost.*无法到达/],
    [(p) => { p.steps[2].role = 'janitor'; }, /role/],
    [(p) => { p.steps[2].limit_days = -1; }, /limit_days/],
    [(p) => { p.steps[2].department_id = '卫健委'; }, /department_id/],
    [(p) => { p.start = 'nowhere'; }, /起始环节/],
    [(p) => { p.steps[1].next = ['b1']; }, /分支/],
  ];
  for (const [change, detail] of cases) {
    const p = clone(process);
    change(p);
    res = await catX.post('/api/v1/items', { basic_code: '000104101000', department_id: dept.id, ...guide({ process: p }) });
    problem(res, 400, 'BAD_PROCESS');
    assert.match(res.body.detail, detail);
  }
  assert.equal(counts(), before);
});

test('a process longer than the statutory limit is refused, on create and on an edit of either', async () => {
  const before = counts();
  // the example takes 1 + max(5, 5) + 3 = 9 working days when each step uses its limit
  let res = await catX.post('/api/v1/items', { basic_code: '000104102000', department_id: dept.id,
    ...guide({ process, statutory_limit: 8, promised_limit: 5 }) });
  problem(res, 400, 'BAD_PROCESS');
  assert.match(res.body.detail, /9 个工作日/);
  assert.match(res.body.detail, /法定办结时限 8/);
  assert.equal(counts(), before);
  // 9 fits
  res = await catX.post('/api/v1/items', { basic_code: '000104102000', department_id: dept.id,
    ...guide({ process, statutory_limit: 9, promised_limit: 5 }) });
  assert.equal(res.status, 201, res.text);
  const code = res.body.item.code;
  // lowering the statutory limit under the process, or lengthening a step, is refused
  const mid = counts();
  problem(await catX.patch(`/api/v1/items/${code}/draft`, { statutory_limit: 8, promised_limit: 5 }), 400, 'BAD_PROCESS');
  const longer = clone(process);
  longer.steps[5].limit_days = 4;
  problem(await catX.patch(`/api/v1/items/${code}/draft`, { process: longer }), 400, 'BAD_PROCESS');
  assert.equal(counts(), mid);
  // with "any" the join waits for the first branch only: 1 + 2 + 3 = 6
  const any = clone(process);
  any.steps[4] = { id: 'j1', name: '汇总', kind: 'join', join: 'any', next: ['s3'] };
  any.steps[3].limit_days = 2;
  res = await catX.patch(`/api/v1/items/${code}/draft`, { process: any, statutory_limit: 6, promised_limit: 5 });
  assert.equal(res.status, 200, res.text);
});

test('a good form and process round-trip through the draft, publishing and GET', async () => {
  const res = await catX.post('/api/v1/items', { basic_code: '000104101000', department_id: dept.id, ...guide({ form, process }) });
  assert.equal(res.status, 201, res.text);
  const code = res.body.item.code;
  assert.deepEqual(res.body.item.form, form);
  assert.deepEqual(res.body.item.process, process);
  let got = await catX.get(`/api/v1/items/${code}?version=1`);
  assert.deepEqual(got.body.item.form, form);
  assert.deepEqual(got.body.item.process, process);
  assert.equal((await catX.post(`/api/v1/items/${code}/publish`, { version: 1 })).status, 200);
  got = await fetch(`${srv.url}/api/v1/items/${code}`).then((r) => r.json());
  assert.deepEqual(got.item.form, form);
  assert.deepEqual(got.item.process, process);

  // a bad edit of the draft is refused and leaves the published version as it was
  const before = counts();
  const badForm = clone(form);
  badForm.fields[1].name = 'applicant_name';
  problem(await catX.patch(`/api/v1/items/${code}/draft`, { form: badForm }), 400, 'BAD_FORM');
  const badProc = clone(process);
  badProc.steps[4].join = 'most';
  problem(await catX.patch(`/api/v1/items/${code}/draft`, { process: badProc }), 400, 'BAD_PROCESS');
  assert.equal(counts(), before);

  // a good edit: one field fewer, the process without its parallel part
  const smaller = { fields: form.fields.slice(0, 2) };
  const linear = { start: 'a', steps: [
    { id: 'a', name: '受理', kind: 'task', stage: 'accept', role: 'window_clerk', limit_days: 0, next: ['b'] },
    { id: 'b', name: '办结', kind: 'end' },
  ] };
  const d = await catX.patch(`/api/v1/items/${code}/draft`, { form: smaller, process: linear });
  assert.equal(d.status, 200, d.text);
  assert.equal(d.body.item.version, 2);
  assert.deepEqual(d.body.item.form, smaller);
  assert.deepEqual(d.body.item.process, linear);
  // null removes them
  const n = await catX.patch(`/api/v1/items/${code}/draft`, { form: null, process: null });
  assert.equal(n.status, 200, n.text);
  assert.equal(n.body.item.form, null);
  assert.equal(n.body.item.process, null);
  // the published version still has the first ones
  got = await fetch(`${srv.url}/api/v1/items/${code}`).then((r) => r.json());
  assert.deepEqual(got.item.form, form);
});
