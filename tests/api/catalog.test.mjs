// The catalog over HTTP (src/catalog/api.c): an item made from a basic code and a department,
// its implementation code built from the department's USCC, drafts and publishing, versions
// kept, who may edit which department's items, and bad input refused with nothing written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { bootstrapAdmin, createStaff, makeUscc } from '../lib/staff.mjs';
import { problem, sql } from '../lib/persons.mjs';

let srv, admin, catX, clerkX;
const dept = {};

// A guide as an administrator would send it: every member the create requires.
const guide = (over = {}) => ({
  name: '食品经营许可证核发', online_depth: 4, visits: 0, project_type: 2, handling_forms: [1, 2, 3],
  service_objects: [2], statutory_limit: 20, promised_limit: 5, charged: false, in_hall: true,
  guide: { legal_basis: '《中华人民共和国食品安全法》第三十五条', place: '埇桥区政务服务中心 2 楼' },
  materials: [
    { name: '食品经营许可申请书', source: 'applicant', originals: 1, copies: 0, reuse: 'never' },
    { name: '营业执照', source: 'department', issuer: '市场监督管理局', required: false,
      condition: '已取得营业执照的', reuse: 'always' },
  ],
  ...over,
});

async function anon(path) {
  const res = await fetch(srv.url + path);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
}

const count = (table) => Number(sql(srv, `SELECT count(*) FROM ${table}`)[0][0]);
const counts = () => ['catalog_items', 'catalog_item_versions', 'catalog_materials', 'catalog_basic_items']
  .map(count).join(',');

before(async () => {
  srv = await startServer();
  admin = await bootstrapAdmin(srv);
  for (const [key, name, division] of [['X', '埇桥区市场监督管理局', '341302'], ['Y', '砀山县市场监督管理局', '341321']]) {
    const res = await admin.post('/api/v1/departments',
      { name, uscc: makeUscc(division), division_code: division, parent_id: admin.department_id });
    assert.equal(res.status, 201, res.text);
    dept[key] = res.body.department;
  }
  catX = await createStaff(admin, { username: 'catalog.x', department_id: dept.X.id,
    roles: [{ role: 'catalog_admin', department_id: dept.X.id, division_code: '341302' }] });
  clerkX = await createStaff(admin, { username: 'clerk.cx', department_id: dept.X.id,
    roles: [{ role: 'window_clerk', department_id: dept.X.id, division_code: '341302' }] });
});

after(async () => {
  await srv?.stop();
});

test('a catalog admin creates a draft of their department: the code is built, not typed', async () => {
  const res = await catX.post('/api/v1/items', { basic_code: '000104002000', department_id: dept.X.id, ...guide() });
  assert.equal(res.status, 201, res.text);
  const it = res.body.item;
  assert.equal(it.code, dept.X.uscc + '4' + '000104002000');
  assert.equal(it.code.length, 31);
  assert.equal(it.level, 4);             // 埇桥区 is county level
  assert.equal(it.item_type, '01');      // 行政许可, from the basic code
  assert.equal(it.status, 'draft');
  assert.equal(it.version, 1);
  assert.equal(it.department.id, dept.X.id);
  assert.equal(it.at_most_once, true);
  assert.deepEqual(it.handling_forms, [1, 2, 3]);
  assert.equal(it.materials.length, 2);
  assert.equal(it.materials[1].reuse_name, '可永久复用');
  // not public yet
  assert.equal((await anon('/api/v1/items/' + it.code)).status, 404);
  assert.equal((await anon('/api/v1/items')).body.items.some((i) => i.code === it.code), false);
  // the same item twice for the department → 409
  problem(await catX.post('/api/v1/items', { basic_code: '000104002000', department_id: dept.X.id, ...guide() }),
    409, 'ITEM_EXISTS');
  // the audit entry
  assert.equal(sql(srv, `SELECT count(*) FROM audit_log WHERE action = 'item.create' AND object_id = '${it.code}'`)[0][0], '1');
});

test('a catalog admin of X may not touch Y, a clerk may not edit, anonymous may not create', async () => {
  const before = counts();
  problem(await catX.post('/api/v1/items', { basic_code: '000104003000', department_id: dept.Y.id, ...guide() }),
    403, 'FORBIDDEN');
  problem(await clerkX.post('/api/v1/items', { basic_code: '000104003000', department_id: dept.X.id, ...guide() }),
    403, 'FORBIDDEN');
  const res = await fetch(srv.url + '/api/v1/items', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': '1' },
    body: JSON.stringify({ basic_code: '000104003000', department_id: dept.X.id, ...guide() }) });
  assert.equal(res.status, 401);
  // the admin makes Y's item; X's catalog admin can neither edit nor publish it nor see its versions
  const y = await admin.post('/api/v1/items', { basic_code: '000104003000', department_id: dept.Y.id, ...guide({ name: '砀山县食品生产许可' }) });
  assert.equal(y.status, 201, y.text);
  assert.equal(y.body.item.level, 4);
  const code = y.body.item.code;
  // never published, so to X's admin as missing as an unknown code
  problem(await catX.patch(`/api/v1/items/${code}/draft`, { name: '改名' }), 404, 'NOT_FOUND');
  problem(await catX.post(`/api/v1/items/${code}/publish`, { version: 1 }), 404, 'NOT_FOUND');
  problem(await catX.get(`/api/v1/items/${code}/versions`), 404, 'NOT_FOUND');
  assert.notEqual(counts(), before);     // only the admin's item was written
  assert.equal(Number(counts().split(',')[0]), Number(before.split(',')[0]) + 1);
});

test('bad codes, bad limits and bad fields are refused and write nothing', async () => {
  const before = counts();
  const cases = [
    [{ basic_code: '00010400200', department_id: dept.X.id, ...guide() }, 400, 'BAD_ITEM_CODE'],       // 11 digits
    [{ basic_code: '003404002000', department_id: dept.X.id, ...guide() }, 400, 'BAD_ITEM_CODE'],      // type 34
    [{ basic_code: '000104002000', department_id: dept.X.id, level: 9, ...guide() }, 400, 'BAD_PARAMETER'],
    [{ basic_code: '000104005000', department_id: dept.X.id, ...guide({ statutory_limit: -1 }) }, 400, 'BAD_TIME_LIMIT'],
    [{ basic_code: '000104005000', department_id: dept.X.id, ...guide({ statutory_limit: 5, promised_limit: 10 }) }, 400, 'BAD_TIME_LIMIT'],
    [{ basic_code: '000104005000', department_id: dept.X.id, ...guide({ online_depth: 5 }) }, 400, 'BAD_PARAMETER'],
    [{ basic_code: '000104005000', department_id: dept.X.id,
      ...guide({ materials: [{ name: '身份证', source: 'applicant', reuse: 'sometimes' }] }) }, 400, 'BAD_PARAMETER'],
    [{ basic_code: '000104005000', department_id: 'd_nonexistent', ...guide() }, 422, 'UNKNOWN_DEPARTMENT'],
  ];
  for (const [body, status, code] of cases) problem(await catX.post('/api/v1/items', body), status, code);
  const bad = await catX.post('/api/v1/items', { basic_code: '000104005000', department_id: dept.X.id,
    ...guide({ materials: [{ name: '身份证', source: 'applicant', reuse: 'sometimes' }] }) });
  assert.ok(bad.body.fields.some((f) => f.field === 'materials[0].reuse'), bad.text);
  // malformed implementation codes in the path: wrong length, wrong USCC check character
  problem(await anon('/api/v1/items/000104002000'), 400, 'BAD_ITEM_CODE');
  const good = dept.X.uscc + '4000104002000';
  const last = good[17] === '0' ? '1' : '0';
  problem(await anon('/api/v1/items/' + good.slice(0, 17) + last + good.slice(18)), 400, 'BAD_ITEM_CODE');
  problem(await catX.patch(`/api/v1/items/${good}/draft`, { promised_limit: 30 }), 400, 'BAD_TIME_LIMIT');
  problem(await catX.patch(`/api/v1/items/${good}/draft`, { promised_limit: -3 }), 400, 'BAD_TIME_LIMIT');
  problem(await catX.patch(`/api/v1/items/${good}/draft`, { handling_forms: [7] }), 400, 'BAD_PARAMETER');
  assert.equal(counts(), before);
});

test('publish makes the draft current, edits go to a new draft, every version is kept', async () => {
  const code = dept.X.uscc + '4000104002000';
  const pub = await catX.post(`/api/v1/items/${code}/publish`, { version: 1 });
  assert.equal(pub.status, 200, pub.text);
  assert.equal(pub.body.item.status, 'published');
  let res = await anon('/api/v1/items/' + code);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.item.version, 1);
  assert.equal(res.body.item.name, '食品经营许可证核发');
  // an edit starts version 2; the portal still shows version 1
  const d = await catX.patch(`/api/v1/items/${code}/draft`, { name: '食品经营许可证核发（新办）', promised_limit: 3 });
  assert.equal(d.status, 200, d.text);
  assert.equal(d.body.item.version, 2);
  assert.equal(d.body.item.status, 'draft');
  assert.equal(d.body.item.statutory_limit, 20);     // kept from version 1
  assert.equal(d.body.item.materials.length, 2);
  const d2 = await catX.patch(`/api/v1/items/${code}/draft`, { visits: 1 });   // same draft
  assert.equal(d2.body.item.version, 2);
  assert.equal(d2.body.item.name, '食品经营许可证核发（新办）');
  res = await anon('/api/v1/items/' + code);
  assert.equal(res.body.item.version, 1);
  assert.equal(res.body.item.name, '食品经营许可证核发');
  // the draft is not public; its editor may preview it
  assert.equal((await anon(`/api/v1/items/${code}?version=2`)).status, 404);
  assert.equal((await catX.get(`/api/v1/items/${code}?version=2`)).body.item.promised_limit, 3);
  // publishing a number that is not the draft → 409, nothing changes
  problem(await catX.post(`/api/v1/items/${code}/publish`, { version: 1 }), 409, 'ITEM_VERSION_STALE');
  // two publishers of the same draft at once: exactly one wins
  const race = await Promise.all([catX.post(`/api/v1/items/${code}/publish`, { version: 2 }),
    admin.post(`/api/v1/items/${code}/publish`, { version: 2 })]);
  assert.deepEqual(race.map((r) => r.status).sort(), [200, 409], race.map((r) => r.text).join('\n'));
  problem(race.find((r) => r.status === 409), 409, 'ITEM_VERSION_STALE');
  res = await anon('/api/v1/items/' + code);
  assert.equal(res.body.item.version, 2);
  assert.equal(res.body.item.name, '食品经营许可证核发（新办）');
  assert.equal(res.body.item.visits, 1);
  // version 1 is kept and still readable
  res = await anon(`/api/v1/items/${code}?version=1`);
  assert.equal(res.status, 200);
  assert.equal(res.body.item.name, '食品经营许可证核发');
  assert.equal(res.body.item.status, 'superseded');
  const vs = await catX.get(`/api/v1/items/${code}/versions`);
  assert.equal(vs.status, 200, vs.text);
  assert.deepEqual(vs.body.versions.map((v) => [v.version, v.status]), [[2, 'published'], [1, 'superseded']]);
  assert.equal(vs.body.current_version, 2);
  assert.equal(vs.body.draft_version, null);
  assert.equal(sql(srv, `SELECT count(*) FROM audit_log WHERE action = 'item.publish' AND object_id = '${code}'`)[0][0], '2');
  problem(await anon(`/api/v1/items/${code}/versions`), 401, 'UNAUTHENTICATED');
  // two editors at once with no draft: one starts version 3, the other edits that same draft
  const edits = await Promise.all([catX.patch(`/api/v1/items/${code}/draft`, { visits_reason: '核验原件' }),
    admin.patch(`/api/v1/items/${code}/draft`, { charged: true })]);
  assert.deepEqual(edits.map((r) => [r.status, r.body.item.version]), [[200, 3], [200, 3]], edits.map((r) => r.text).join('\n'));
  const draft = await catX.get(`/api/v1/items/${code}?version=3`);
  assert.equal(draft.body.item.visits_reason, '核验原件');
  assert.equal(draft.body.item.charged, true);
  assert.equal((await anon('/api/v1/items/' + code)).body.item.version, 2);
});

test('the public list: published only, q on the name, department and division filters, cursor', async () => {
  // a city-level item (宿州市, level 3) by the admin's root department, published
  const city = await admin.post('/api/v1/items', { basic_code: '002000101000', department_id: admin.department_id,
    ...guide({ name: '城市公共服务测试事项', statutory_limit: null, promised_limit: 0, project_type: 1 }) });
  assert.equal(city.status, 201, city.text);
  assert.equal(city.body.item.level, 3);
  assert.equal(city.body.item.statutory_limit, null);
  assert.equal((await admin.post(`/api/v1/items/${city.body.item.code}/publish`, { version: 1 })).status, 200);
  const codeX = dept.X.uscc + '4000104002000';
  let res = await anon('/api/v1/items');
  assert.equal(res.status, 200);
  const codes = res.body.items.map((i) => i.code);
  assert.ok(codes.includes(codeX) && codes.includes(city.body.item.code));
  assert.ok(!codes.some((c) => c.startsWith(dept.Y.uscc)), 'the unpublished Y item is listed');
  res = await anon('/api/v1/items?q=' + encodeURIComponent('新办'));
  assert.deepEqual(res.body.items.map((i) => i.code), [codeX]);
  problem(await anon('/api/v1/items?q=' + encodeURIComponent('%')), 400, 'BAD_PARAMETER');   // nothing to search for
  res = await anon('/api/v1/items?department=' + dept.X.id);
  assert.deepEqual(res.body.items.map((i) => i.code), [codeX]);
  // 埇桥区: its own item and the city's; 砀山县: only the city's
  res = await anon('/api/v1/items?division=341302');
  assert.deepEqual(res.body.items.map((i) => i.code).sort(), [codeX, city.body.item.code].sort());
  res = await anon('/api/v1/items?division=341321');
  assert.deepEqual(res.body.items.map((i) => i.code), [city.body.item.code]);
  // paging
  const page1 = await anon('/api/v1/items?limit=1');
  assert.equal(page1.body.items.length, 1);
  assert.ok(page1.body.next_cursor);
  const page2 = await anon('/api/v1/items?limit=1&cursor=' + page1.body.next_cursor);
  assert.equal(page2.body.items.length, 1);
  assert.notEqual(page2.body.items[0].code, page1.body.items[0].code);
  assert.equal(page2.body.next_cursor, null);
  problem(await anon('/api/v1/items?limit=0'), 400, 'BAD_PARAMETER');
  problem(await anon('/api/v1/items?division=abc'), 400, 'BAD_DIVISION_CODE');
});

test('aliases and business items are kept with the version; each business item has its 33-character code', async () => {
  const res = await catX.post('/api/v1/items', { basic_code: '000107010000', department_id: dept.X.id,
    ...guide({ name: '户口迁移', aliases: ['户籍迁移', '迁户口'],
      business_items: [{ seq: 1, name: '户口迁入' }, { seq: 2, name: '户口迁出' }] }) });
  assert.equal(res.status, 201, res.text);
  const it = res.body.item;
  assert.deepEqual(it.aliases, ['户籍迁移', '迁户口']);
  assert.deepEqual(it.business_items.map((b) => b.code), [it.code + '01', it.code + '02']);
  assert.ok(it.business_items.every((b) => b.code.length === 33));
  assert.equal(it.form, null);
  assert.equal(it.process, null);
  assert.deepEqual(it.topics, []);
  // publish, then a draft edit of one member keeps the others
  assert.equal((await catX.post(`/api/v1/items/${it.code}/publish`, { version: 1 })).status, 200);
  const d = await catX.patch(`/api/v1/items/${it.code}/draft`, { aliases: ['户籍迁移'] });
  assert.equal(d.status, 200, d.text);
  assert.deepEqual(d.body.item.aliases, ['户籍迁移']);
  assert.equal(d.body.item.business_items.length, 2);
  const pub = await anon('/api/v1/items/' + it.code);
  assert.deepEqual(pub.body.item.aliases, ['户籍迁移', '迁户口']);   // the published version is untouched
  const v2 = await catX.get(`/api/v1/items/${it.code}?version=2`);
  assert.deepEqual(v2.body.item.aliases, ['户籍迁移']);
});

test('bad aliases, business items and topics are refused by field and write nothing', async () => {
  const before = counts();
  const base = { basic_code: '000107011000', department_id: dept.X.id };
  for (const [over, field] of [
    [{ aliases: ['户籍', '户籍'] }, 'aliases[1]'],
    [{ aliases: 'x' }, 'aliases'],
    [{ business_items: [{ seq: 1, name: '甲' }, { seq: 1, name: '乙' }] }, 'business_items[1].seq'],
    [{ business_items: [{ seq: 100, name: '甲' }] }, 'business_items[0].seq'],
    [{ topics: ['no_such_topic'] }, 'topics[0]'],
  ]) {
    const res = await catX.post('/api/v1/items', { ...base, ...guide(over) });
    problem(res, 400, 'BAD_PARAMETER');
    assert.ok(res.body.fields.some((f) => f.field === field), `${field}: ${res.text}`);
  }
  assert.equal(counts(), before);
});

test('the editors\' list: drafts included, only what the member may manage, paged', async () => {
  const mine = await catX.get('/api/v1/catalog/items?status=all&limit=100');
  assert.equal(mine.status, 200, mine.text);
  assert.ok(mine.body.items.length >= 2);
  assert.ok(mine.body.items.every((i) => i.department.id === dept.X.id), 'another department\'s item is listed');
  const drafts = await catX.get('/api/v1/catalog/items?status=draft');
  assert.ok(drafts.body.items.every((i) => i.draft_version !== null));
  assert.ok(drafts.body.items.some((i) => i.name === '户口迁移'), drafts.text);   // its version 2 is a draft
  const all = await admin.get('/api/v1/catalog/items?limit=100');
  assert.ok(all.body.items.some((i) => i.code.startsWith(dept.Y.uscc)), 'the admin sees Y');
  const p1 = await admin.get('/api/v1/catalog/items?limit=1');
  assert.equal(p1.body.items.length, 1);
  const p2 = await admin.get('/api/v1/catalog/items?limit=1&cursor=' + p1.body.next_cursor);
  assert.notEqual(p2.body.items[0].code, p1.body.items[0].code);
  // a clerk manages no items; anonymous is asked to sign in
  problem(await clerkX.get('/api/v1/catalog/items'), 403, 'FORBIDDEN');
  assert.equal((await anon('/api/v1/catalog/items')).status, 401);
  problem(await catX.get('/api/v1/catalog/items?status=old'), 400, 'BAD_PARAMETER');
});

test('a published guide is revalidated with its ETag, and a publish shows at once', async () => {
  const code = dept.X.uscc + '4000107010000';            // 户口迁移: version 1 published, version 2 a draft
  const first = await fetch(srv.url + '/api/v1/items/' + code);
  assert.equal(first.status, 200);
  const etag = first.headers.get('etag');
  assert.ok(etag, 'no ETag');
  assert.equal(first.headers.get('cache-control'), 'no-cache');
  const again = await fetch(srv.url + '/api/v1/items/' + code, { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
  assert.equal(await again.text(), '');
  assert.equal((await first.json()).item.version, 1);
  assert.equal((await catX.post(`/api/v1/items/${code}/publish`, { version: 2 })).status, 200);
  const after = await fetch(srv.url + '/api/v1/items/' + code, { headers: { 'if-none-match': etag } });
  assert.equal(after.status, 200);
  assert.notEqual(after.headers.get('etag'), etag);
  const body = await after.json();
  assert.equal(body.item.version, 2);
  assert.deepEqual(body.item.aliases, ['户籍迁移']);
});

test('the guide document: its members are the listed elements of their kinds; a misspelt one is refused', async () => {
  const before = counts();
  const base = { basic_code: '000107012000', department_id: dept.X.id };
  for (const [doc, field] of [
    [{ legal_bais: '《户口登记条例》' }, 'guide.legal_bais'],
    [{ appointment: 'yes' }, 'guide.appointment'],
    [{ faq: [{ q: '要多久？', a: '5 天' }] }, 'guide.faq'],
    [{ place: '' }, 'guide.place'],
    [{ procedure: ['受理', 3] }, 'guide.procedure'],
  ]) {
    const res = await catX.post('/api/v1/items', { ...base, ...guide({ guide: doc }) });
    problem(res, 400, 'BAD_PARAMETER');
    assert.ok(res.body.fields.some((f) => f.field === field), `${field}: ${res.text}`);
  }
  assert.equal(counts(), before);
  const good = { legal_basis: '《中华人民共和国户口登记条例》第十条\n《安徽省户籍管理规定》', procedure: ['申请', '受理', '决定'],
    appointment: true, online_payment: false, delivery: true, scope: '全市通办',
    faq: [{ question: '可以委托他人吗？', answer: '可以，须带授权委托书。' }] };
  const res = await catX.post('/api/v1/items', { ...base, ...guide({ guide: good }) });
  assert.equal(res.status, 201, res.text);
  assert.deepEqual(res.body.item.guide, good);
});

test('what is not published is told apart from nothing: a draft, a never-published item and an unknown code answer alike', async () => {
  // 户口迁移 (…000107010000) has published versions 1 and 2; make version 3 a draft
  const code = dept.X.uscc + '4000107010000';
  assert.equal((await catX.patch(`/api/v1/items/${code}/draft`, { aliases: ['迁户口'] })).status, 200);
  // an item never published: 000107011000 was refused earlier, so make one now
  const fresh = await catX.post('/api/v1/items', { basic_code: '000107013000', department_id: dept.X.id, ...guide({ name: '未发布事项' }) });
  assert.equal(fresh.status, 201, fresh.text);
  const unknown = dept.X.uscc + '4000107099000';
  const details = [];
  for (const path of [`${code}?version=3`, `${code}?version=9`, fresh.body.item.code, `${fresh.body.item.code}?version=1`, unknown]) {
    const res = await anon('/api/v1/items/' + path);
    problem(res, 404, 'NOT_FOUND');
    details.push(res.body.detail.replace(/[0-9A-Z]{31}/, 'CODE'));
  }
  assert.equal(new Set(details).size, 1, details.join(' | '));
  // signed in but not an editor: an unpublished item is as missing as an unknown code
  const a = await clerkX.patch(`/api/v1/items/${fresh.body.item.code}/draft`, { name: '改名' });
  const b = await clerkX.patch(`/api/v1/items/${unknown}/draft`, { name: '改名' });
  problem(a, 404, 'NOT_FOUND');
  problem(b, 404, 'NOT_FOUND');
  // a published item outside one's reach is a plain 403: it is public anyway
  problem(await clerkX.patch(`/api/v1/items/${code}/draft`, { name: '改名' }), 403, 'FORBIDDEN');
  // its editors still see the draft
  assert.equal((await catX.get(`/api/v1/items/${code}?version=3`)).status, 200);
});
