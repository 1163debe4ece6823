// Topics and themes (一件事) over HTTP (src/catalog/themes.c): the fixed list of life events and
// enterprise stages; a theme bundles published items offered where it is, and answers one merged
// form and one deduplicated material list built from the items' published versions; who may
// make and edit one; bad input refused with its code and nothing written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { bootstrapAdmin, createStaff, makeUscc } from '../lib/staff.mjs';
import { problem, sql } from '../lib/persons.mjs';

let srv, admin, catX, clerkX;
const dept = {};
const code = {};

const guide = (over = {}) => ({
  online_depth: 4, visits: 0, project_type: 2, handling_forms: [1, 2], service_objects: [2],
  statutory_limit: 20, promised_limit: 5, charged: false, in_hall: true, aliases: [], ...over,
});

const nameField = { name: 'applicant_name', label: '申请人姓名', type: 'text', prefill: 'person.name' };

async function anon(path) {
  const res = await fetch(srv.url + path);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
}

async function item(client, key, basic, department, over, publish = true) {
  const res = await client.post('/api/v1/items', { basic_code: basic, department_id: department, ...guide(over) });
  assert.equal(res.status, 201, res.text);
  code[key] = res.body.item.code;
  if (publish) assert.equal((await client.post(`/api/v1/items/${code[key]}/publish`, { version: 1 })).status, 200);
}

const count = (table) => Number(sql(srv, `SELECT count(*) FROM ${table}`)[0][0]);
const counts = () => ['catalog_themes', 'catalog_theme_items', 'audit_log'].map(count).join(',');

before(async () => {
  srv = await startServer();
  admin = await bootstrapAdmin(srv);
  for (const [key, name, division] of [['X', '埇桥区市场监督管理局', '341302'], ['Y', '砀山县市场监督管理局', '341321']]) {
    const res = await admin.post('/api/v1/departments',
      { name, uscc: makeUscc(division), division_code: division, parent_id: admin.department_id });
    assert.equal(res.status, 201, res.text);
    dept[key] = res.body.department;
  }
  catX = await createStaff(admin, { username: 'catalog.tx', department_id: dept.X.id,
    roles: [{ role: 'catalog_admin', department_id: dept.X.id, division_code: '341302' }] });
  clerkX = await createStaff(admin, { username: 'clerk.tx', department_id: dept.X.id,
    roles: [{ role: 'window_clerk', department_id: dept.X.id, division_code: '341302' }] });
  // A and B of 埇桥区 with forms and materials that overlap; C a draft; D of 砀山县; E of the city
  await item(admin, 'A', '000104201000', dept.X.id, {
    name: '食品经营许可',
    form: { fields: [{ ...nameField }, { name: 'shop_name', label: '店铺名称', type: 'text', required: true },
      { name: 'venue', label: '经营场所', type: 'radio', options: [{ value: 'shop', label: '门店' }] }] },
    materials: [
      { name: '营业执照', source: 'department', issuer: '市场监督管理局', required: false, condition: '已办理营业执照的', reuse: 'always' },
      { name: '食品安全管理制度', source: 'applicant', reuse: 'never' },
    ],
  });
  await item(admin, 'B', '000104202000', dept.X.id, {
    name: '公共场所卫生许可',
    form: { fields: [{ ...nameField, required: true }, { name: 'area', label: '面积', type: 'number', min: 1 },
      { name: 'venue', label: '场所', type: 'radio', options: [{ value: 'stall', label: '摊位' }, { value: 'shop', label: '店面' }] },
      { name: 'stall_no', label: '摊位号', type: 'text', visible_when: { field: 'venue', equals: 'stall' } }] },
    materials: [
      { name: '营业执照', source: 'department', issuer: '市场监督管理局', reuse: 'always' },
      { name: '卫生管理制度', source: 'applicant', reuse: 'never' },
    ],
  });
  await item(admin, 'C', '000104203000', dept.X.id, { name: '草稿事项', materials: [] }, false);
  await item(admin, 'D', '000104204000', dept.Y.id, { name: '砀山县事项', materials: [] });
  await item(admin, 'E', '002000205000', admin.department_id, {
    name: '市级登记事项', materials: [{ name: '营业执照', source: 'department', reuse: 'within_validity' }],
  });
});

after(async () => {
  await srv?.stop();
});

test('GET /api/v1/topics: life events and enterprise stages, keys and Chinese names', async () => {
  const res = await anon('/api/v1/topics');
  assert.equal(res.status, 200);
  const topics = res.body.topics;
  const byKey = Object.fromEntries(topics.map((t) => [t.key, t]));
  assert.equal(topics.length, Object.keys(byKey).length, 'keys are unique');
  assert.deepEqual(byKey.birth, { key: 'birth', name: '出生', kind: 'life_event' });
  assert.deepEqual(byKey.startup, { key: 'startup', name: '开办', kind: 'enterprise_stage' });
  for (const k of ['school', 'work', 'marriage', 'housing', 'travel', 'social_security', 'health', 'retirement', 'death'])
    assert.equal(byKey[k]?.kind, 'life_event', k);
  for (const k of ['permits', 'operation', 'change', 'construction', 'tax', 'closing'])
    assert.equal(byKey[k]?.kind, 'enterprise_stage', k);
  // items take the same keys
  const it = await anon('/api/v1/items/' + code.A);
  assert.deepEqual(it.body.item.topics, []);
});

let themeId;

test('a theme: its items, one merged form, one material list, listed where it is offered', async () => {
  const res = await admin.post('/api/v1/themes', {
    name: '开办餐饮店', summary: '一次提交，办齐餐饮店开业所需许可', audience: 'organisation',
    division_code: '341302', topics: ['startup', 'permits'], items: [code.A, code.B, code.E],
  });
  assert.equal(res.status, 201, res.text);
  const t = res.body.theme;
  themeId = t.id;
  assert.equal(res.headers.get('location'), '/api/v1/themes/' + t.id);
  assert.equal(t.name, '开办餐饮店');
  assert.equal(t.division_code, '341302');
  assert.equal(t.division_name, '埇桥区');
  assert.deepEqual(t.topics, [{ key: 'startup', name: '开办' }, { key: 'permits', name: '准营' }]);
  assert.deepEqual(t.items.map((i) => i.code), [code.A, code.B, code.E]);
  assert.equal(t.items[0].name, '食品经营许可');
  assert.equal(t.item_count, 3);
  // the merged form: applicant_name once (required, since B requires it), in first-seen order
  assert.deepEqual(t.form.fields.map((f) => f.name), ['applicant_name', 'shop_name', 'venue', 'area', 'stall_no']);
  assert.equal(t.form.fields[0].required, true);
  assert.equal(t.form.fields[0].prefill, 'person.name');
  // venue is A's definition with B's extra option, so that B's stall_no can still show
  assert.equal(t.form.fields[2].label, '经营场所');
  assert.deepEqual(t.form.fields[2].options, [{ value: 'shop', label: '门店' }, { value: 'stall', label: '摊位' }]);
  // materials: 营业执照 once for A, B and E, required since B requires it
  const mats = Object.fromEntries(t.materials.map((m) => [m.name, m]));
  assert.equal(t.materials.length, 3);
  assert.deepEqual(mats['营业执照'].items, [code.A, code.B, code.E]);
  assert.equal(mats['营业执照'].required, true);
  assert.equal(mats['营业执照'].reuse, 'always');
  assert.equal(mats['营业执照'].reuse_name, '可永久复用');
  assert.deepEqual(mats['食品安全管理制度'].items, [code.A]);
  assert.deepEqual(mats['卫生管理制度'].items, [code.B]);
  // the same answer on a read, and the audit entry
  const got = await anon('/api/v1/themes/' + themeId);
  assert.equal(got.status, 200, got.text);
  assert.deepEqual(got.body.theme, t);
  assert.equal(sql(srv, `SELECT count(*) FROM audit_log WHERE action = 'theme.create' AND object_id = '${themeId}'`)[0][0], '1');

  // the list and its filters
  const ids = async (q) => {
    const r = await anon('/api/v1/themes' + q);
    assert.equal(r.status, 200, r.text);
    return r.body.themes.map((x) => x.id);
  };
  const list = await anon('/api/v1/themes');
  const row = list.body.themes.find((x) => x.id === themeId);
  assert.deepEqual(Object.keys(row).sort(),
    ['audience', 'department_id', 'division_code', 'division_name', 'id', 'item_count', 'name', 'summary', 'topics'].sort());
  assert.equal(row.item_count, 3);
  assert.deepEqual(await ids('?division=341302'), [themeId]);
  assert.deepEqual(await ids('?division=341300'), [themeId]);          // the city lists its districts' themes
  assert.deepEqual(await ids('?division=341302001'), [themeId]);       // a township of 埇桥区 sees it too
  assert.deepEqual(await ids('?division=341321'), []);                 // 砀山县 does not
  assert.deepEqual(await ids('?audience=organisation&topic=startup'), [themeId]);
  assert.deepEqual(await ids('?audience=person'), []);
  assert.deepEqual(await ids('?topic=birth'), []);
  problem(await anon('/api/v1/themes?topic=nonsense'), 400, 'BAD_PARAMETER');
  problem(await anon('/api/v1/themes?audience=everyone'), 400, 'BAD_PARAMETER');
  problem(await anon('/api/v1/themes?division=1234567'), 400, 'BAD_DIVISION_CODE');
  problem(await anon('/api/v1/themes/t_nonexistent'), 404, 'NOT_FOUND');
  problem(await anon('/api/v1/themes/bad%20id'), 404, 'NOT_FOUND');
});

test('bad themes are refused with their codes and write nothing', async () => {
  const base = { name: '测试一件事', audience: 'person', division_code: '341302', items: [code.A] };
  const before = counts();
  // an item that is a draft, or does not exist: 422 naming it
  let res = await admin.post('/api/v1/themes', { ...base, items: [code.A, code.C] });
  problem(res, 422, 'THEME_ITEM_UNAVAILABLE');
  assert.match(res.body.detail, new RegExp(code.C));
  assert.match(res.body.detail, /尚未发布/);
  const missing = dept.X.uscc + '4' + '000104299000';
  res = await admin.post('/api/v1/themes', { ...base, items: [missing] });
  problem(res, 422, 'THEME_ITEM_UNAVAILABLE');
  assert.match(res.body.detail, /不存在/);
  // an item of 砀山县 in a theme of 埇桥区
  res = await admin.post('/api/v1/themes', { ...base, items: [code.A, code.D] });
  problem(res, 422, 'THEME_ITEM_OUTSIDE_DIVISION');
  assert.match(res.body.detail, new RegExp(code.D));
  // a city theme may not hold a district's item: the theme is offered in 砀山县 too
  res = await admin.post('/api/v1/themes', { ...base, division_code: '341300', items: [code.E, code.A] });
  problem(res, 422, 'THEME_ITEM_OUTSIDE_DIVISION');
  assert.match(res.body.detail, new RegExp(code.A));
  // the same name in the same division
  problem(await admin.post('/api/v1/themes', { ...base, name: '开办餐饮店' }), 409, 'THEME_EXISTS');
  // bad members, each named
  const fieldCases = [
    [{ audience: 'everyone' }, 'audience'],
    [{ division_code: '999999' }, 'division_code'],
    [{ topics: ['startup', 'startup'] }, 'topics'],
    [{ topics: ['nonsense'] }, 'topics'],
    [{ items: [] }, 'items'],
    [{ items: ['000104201000'] }, 'items[0]'],
    [{ items: [code.A, code.A] }, 'items[1]'],
    [{ name: '' }, 'name'],
    [{ summary: 'x'.repeat(501) }, 'summary'],
    [{ department_id: '市场局' }, 'department_id'],
    [{ id: 't_mine' }, 'id'],
    [{ colour: 'red' }, 'colour'],
  ];
  for (const [over, field] of fieldCases) {
    res = await admin.post('/api/v1/themes', { ...base, ...over });
    problem(res, 400, 'BAD_PARAMETER');
    assert.ok(res.body.fields.some((f) => f.field === field), `${field}: ${res.text}`);
  }
  res = await admin.post('/api/v1/themes', { audience: 'person' });
  problem(res, 400, 'BAD_PARAMETER');
  assert.deepEqual(res.body.fields.map((f) => f.field).sort(), ['division_code', 'items', 'name']);
  problem(await admin.post('/api/v1/themes', { ...base, department_id: 'd_nonexistent' }), 422, 'UNKNOWN_DEPARTMENT');
  // the same refusals on an edit
  problem(await admin.patch('/api/v1/themes/' + themeId, { items: [code.C] }), 422, 'THEME_ITEM_UNAVAILABLE');
  problem(await admin.patch('/api/v1/themes/' + themeId, { division_code: '341321' }), 422, 'THEME_ITEM_OUTSIDE_DIVISION');
  problem(await admin.patch('/api/v1/themes/' + themeId, { audience: 'x' }), 400, 'BAD_PARAMETER');
  assert.equal(counts(), before);
});

test('who may make and edit a theme: catalog.manage over its division (and department)', async () => {
  const base = { name: '个体工商户开业', audience: 'organisation', division_code: '341302', items: [code.A] };
  const before = counts();
  let res = await fetch(srv.url + '/api/v1/themes', { method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': '1' }, body: JSON.stringify(base) });
  assert.equal(res.status, 401);
  problem(await clerkX.post('/api/v1/themes', base), 403, 'FORBIDDEN');
  // a department's catalog admin reaches a theme of their department, inside their division …
  problem(await catX.post('/api/v1/themes', base), 403, 'FORBIDDEN');                       // no department: platform only
  problem(await catX.post('/api/v1/themes', { ...base, department_id: dept.Y.id }), 403, 'FORBIDDEN');
  problem(await catX.post('/api/v1/themes', { ...base, division_code: '341300', department_id: dept.X.id, items: [code.E] }),
    403, 'FORBIDDEN');                                                                        // the city is outside 埇桥区
  assert.equal(counts(), before);
  res = await catX.post('/api/v1/themes', { ...base, department_id: dept.X.id });
  assert.equal(res.status, 201, res.text);
  const mine = res.body.theme;
  assert.equal(mine.department.id, dept.X.id);
  assert.equal(mine.department_id, dept.X.id);
  // … and may edit it, but not move it out of reach, nor edit the admin's theme
  res = await catX.patch('/api/v1/themes/' + mine.id, { summary: '个体户开业一次办', items: [code.A, code.B], topics: ['startup'] });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.theme.summary, '个体户开业一次办');
  assert.equal(res.body.theme.name, '个体工商户开业');                  // kept
  assert.equal(res.body.theme.item_count, 2);
  assert.deepEqual(res.body.theme.form.fields.map((f) => f.name), ['applicant_name', 'shop_name', 'venue', 'area', 'stall_no']);
  problem(await catX.patch('/api/v1/themes/' + mine.id, { department_id: dept.Y.id }), 403, 'FORBIDDEN');
  problem(await catX.patch('/api/v1/themes/' + mine.id, { department_id: null }), 403, 'FORBIDDEN');
  problem(await catX.patch('/api/v1/themes/' + themeId, { summary: '改' }), 403, 'FORBIDDEN');
  problem(await clerkX.patch('/api/v1/themes/' + mine.id, { summary: '改' }), 403, 'FORBIDDEN');
  problem(await catX.patch('/api/v1/themes/t_nonexistent', { summary: '改' }), 404, 'NOT_FOUND');
  assert.equal(sql(srv, `SELECT count(*) FROM audit_log WHERE action = 'theme.update' AND object_id = '${mine.id}'`)[0][0], '1');
});

test('an edit replaces the item list; the merged form follows what the items publish', async () => {
  let res = await admin.patch('/api/v1/themes/' + themeId, { items: [code.E, code.A], summary: '' });
  assert.equal(res.status, 200, res.text);
  let t = res.body.theme;
  assert.deepEqual(t.items.map((i) => i.code), [code.E, code.A]);
  assert.equal(t.summary, '');
  assert.deepEqual(t.form.fields.map((f) => f.name), ['applicant_name', 'shop_name', 'venue']);
  assert.equal(t.form.fields[0].required, undefined);                // only B required it
  assert.deepEqual(t.form.fields[2].options, [{ value: 'shop', label: '门店' }]);
  assert.deepEqual(t.materials.map((m) => m.name), ['营业执照', '食品安全管理制度']);
  assert.equal(t.materials[0].reuse, 'within_validity');             // E's, which comes first now
  assert.equal(t.materials[0].required, true);
  // A publishes a new version with another field: the theme shows it at once
  const d = await admin.patch(`/api/v1/items/${code.A}/draft`,
    { form: { fields: [{ ...nameField }, { name: 'seats', label: '座位数', type: 'number', min: 0 }] } });
  assert.equal(d.status, 200, d.text);
  assert.equal((await admin.post(`/api/v1/items/${code.A}/publish`, { version: 2 })).status, 200);
  t = (await anon('/api/v1/themes/' + themeId)).body.theme;
  assert.deepEqual(t.form.fields.map((f) => f.name), ['applicant_name', 'seats']);
  // a theme whose items have no form answers form null
  res = await admin.patch('/api/v1/themes/' + themeId, { items: [code.E] });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.theme.form, null);
  assert.equal(sql(srv, `SELECT count(*) FROM catalog_theme_items WHERE theme_id = '${themeId}'`)[0][0], '1');
});
