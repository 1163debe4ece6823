// The catalog's Chinese search over HTTP (src/catalog/search.c): two-character queries,
// traditional characters, full-width input and pinyin initials find the item; name beats alias
// beats guide text and the popular come before the rare; the filters; cursor pages that follow
// the ranking; the instant suggestions; bad input refused. Items are made and published through
// the API, so the index is what publishing wrote.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { bootstrapAdmin, makeUscc } from '../lib/staff.mjs';
import { problem, sql } from '../lib/persons.mjs';

let srv, admin;
const dept = {};
const items = {};     // key -> code
let serial = 0;

const guide = (over = {}) => ({
  online_depth: 4, visits: 0, project_type: 2, handling_forms: [1, 2], service_objects: [1],
  statutory_limit: 20, promised_limit: 5, charged: false, in_hall: true,
  guide: { place: '政务服务中心一楼' }, materials: [], aliases: [], ...over,
});

// Create an item, set its popularity, publish it: the index is written by the publish.
async function item(key, deptKey, over, popularity = 0) {
  serial += 1;
  const basic = '0001' + String(serial).padStart(5, '0') + '000';
  const res = await admin.post('/api/v1/items', { basic_code: basic, department_id: dept[deptKey].id, ...guide(over) });
  assert.equal(res.status, 201, res.text);
  const code = res.body.item.code;
  sql(srv, `UPDATE catalog_items SET popularity = ${popularity} WHERE code = '${code}'`);
  const pub = await admin.post(`/api/v1/items/${code}/publish`, { version: 1 });
  assert.equal(pub.status, 200, pub.text);
  items[key] = code;
  return code;
}

async function anon(path) {
  const res = await fetch(srv.url + path);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
}

async function find(params) {
  const res = await anon('/api/v1/items?' + new URLSearchParams(params));
  assert.equal(res.status, 200, res.text);
  return res.body;
}

const names = (body) => body.items.map((i) => i.name);

before(async () => {
  srv = await startServer();
  admin = await bootstrapAdmin(srv);
  for (const [key, name, division] of [['city', '宿州市公安局', '341300'], ['X', '埇桥区公安分局', '341302'],
    ['Y', '砀山县市场监督管理局', '341321']]) {
    const res = await admin.post('/api/v1/departments',
      { name, uscc: makeUscc(division), division_code: division, parent_id: admin.department_id });
    assert.equal(res.status, 201, res.text);
    dept[key] = res.body.department;
  }
  await item('move', 'X', { name: '户口迁移', aliases: ['户籍迁移'], topics: ['housing'] }, 5);
  await item('register', 'X', { name: '户口登记', visits: 2, online_depth: 2 }, 50);
  await item('social', 'city', { name: '社会保险登记', aliases: ['社保登记'], service_objects: [2], online_depth: 3 }, 10);
  await item('fund', 'city', { name: '住房公积金提取', topics: ['housing'] }, 100);
  await item('card', 'X', { name: '居住证签注', aliases: ['户口相关证明'] }, 1000);
  await item('licence', 'Y', { name: '营业执照办理', guide: { conditions: '申请人须提供户口簿原件' } }, 2000);
  await item('icp', 'Y', { name: 'ICP备案核准', service_objects: [2] }, 0);
  // a draft is not searchable
  const d = await admin.post('/api/v1/items', { basic_code: '000199999000', department_id: dept.X.id,
    ...guide({ name: '户口注销' }) });
  assert.equal(d.status, 201, d.text);
});

after(async () => {
  await srv?.stop();
});

test('two characters find names, aliases and guide text: name before alias before text, popular first', async () => {
  const body = await find({ q: '户口' });
  // 户口登记 (50) and 户口迁移 (5) by name, 居住证签注 by alias although far more popular, then
  // 营业执照办理 by its guide text although the most popular of all; the draft 户口注销 nowhere
  assert.deepEqual(names(body), ['户口登记', '户口迁移', '居住证签注', '营业执照办理']);
  assert.deepEqual(body.items.map((i) => i.match), ['name', 'name', 'alias', 'text']);
  assert.equal(body.next_cursor, null);
  assert.equal(body.items[0].code, items.register);
  assert.equal(body.items[0].department.id, dept.X.id);
  assert.equal(body.items[0].popularity, 50);
  // an alias of two characters and a word of three
  assert.deepEqual(names(await find({ q: '社保' })), ['社会保险登记']);
  assert.deepEqual(names(await find({ q: '公积金' })), ['住房公积金提取']);
  // one character: the names and aliases that hold it
  assert.deepEqual(names(await find({ q: '迁' })), ['户口迁移']);
});

test('traditional characters, full-width input and pinyin initials', async () => {
  assert.deepEqual(names(await find({ q: '戶口遷移' })), ['户口迁移']);
  assert.deepEqual(names(await find({ q: '社會保險' })), ['社会保险登记']);
  assert.deepEqual(names(await find({ q: 'ｉｃｐ备案' })), ['ICP备案核准']);
  assert.deepEqual(names(await find({ q: 'ＩＣＰ' })), ['ICP备案核准']);
  const py = await find({ q: 'hkqy' });
  assert.deepEqual(names(py), ['户口迁移']);
  assert.equal(py.items[0].match, 'initials');
  assert.deepEqual(names(await find({ q: 'HKQY' })), ['户口迁移']);
  // initials of an alias (户籍迁移), and of part of a name
  assert.deepEqual(names(await find({ q: 'hjqy' })), ['户口迁移']);
  assert.deepEqual(names(await find({ q: 'gjj' })), ['住房公积金提取']);
  // a phrase must occur whole: 户口 and 迁移 in different places is not 户口迁移
  assert.deepEqual(names(await find({ q: '口迁移' })), ['户口迁移']);
  assert.deepEqual(names(await find({ q: '户口提取' })), []);
});

test('filters: division (own, below and the city above), department, topic, object, depth, at most once, theme', async () => {
  // 埇桥区: its own items and the city's, not 砀山县's
  assert.deepEqual(names(await find({ q: '户口', division: '341302' })), ['户口登记', '户口迁移', '居住证签注']);
  assert.deepEqual(names(await find({ division: '341302' })).sort(),
    ['住房公积金提取', '居住证签注', '户口登记', '户口迁移', '社会保险登记'].sort());
  // the city: its own and those of every district under it
  assert.equal((await find({ division: '341300' })).items.length, 7);
  assert.deepEqual(names(await find({ q: '户口', department: dept.Y.id })), ['营业执照办理']);
  assert.deepEqual(names(await find({ topic: 'housing' })), ['住房公积金提取', '户口迁移']);
  assert.deepEqual(names(await find({ q: '登记', object: '2' })), ['社会保险登记']);
  assert.deepEqual(names(await find({ q: '户口', depth: '4' })), ['户口迁移', '居住证签注', '营业执照办理']);
  assert.deepEqual(names(await find({ q: '户口', at_most_once: 'true' })), ['户口迁移', '居住证签注', '营业执照办理']);
  // a theme's items
  const now = Date.now();
  sql(srv, `INSERT INTO catalog_themes (id, name, summary, audience, division_code, topics, created_at, created_by, updated_at)
    VALUES ('th_search', '户籍一件事', '迁户口', 'person', '341302', '[]', ${now}, 'test', ${now})`);
  sql(srv, `INSERT INTO catalog_theme_items (theme_id, seq, item_code) VALUES ('th_search', 1, '${items.move}'), ('th_search', 2, '${items.card}')`);
  assert.deepEqual(names(await find({ q: '户口', theme: 'th_search' })), ['户口迁移', '居住证签注']);
  assert.deepEqual(names(await find({ theme: 'th_search' })), ['居住证签注', '户口迁移']);
});

test('cursor pages follow the ranking, with and without q', async () => {
  for (const params of [{ q: '户口' }, {}, { q: 'hk' }]) {
    const all = names(await find({ ...params, limit: '100' }));
    const paged = [];
    let cursor = null;
    for (let i = 0; i < 20; i++) {
      const body = await find({ ...params, limit: '1', ...(cursor ? { cursor } : {}) });
      paged.push(...names(body));
      cursor = body.next_cursor;
      if (!cursor) break;
    }
    assert.deepEqual(paged, all, JSON.stringify(params));
    assert.ok(all.length >= 2, JSON.stringify(params));
  }
  // browse without q: popular first
  assert.deepEqual(names(await find({ limit: '3' })), ['营业执照办理', '居住证签注', '住房公积金提取']);
});

test('a new published version changes what is found; the suggestions', async () => {
  const code = items.icp;
  const d = await admin.patch(`/api/v1/items/${code}/draft`, { name: 'ICP许可核准' });
  assert.equal(d.status, 200, d.text);
  // the draft does not change the index
  assert.deepEqual(names(await find({ q: '备案' })), ['ICP备案核准']);
  const pub = await admin.post(`/api/v1/items/${code}/publish`, { version: d.body.item.version });
  assert.equal(pub.status, 200, pub.text);
  assert.deepEqual(names(await find({ q: '备案' })), []);
  assert.deepEqual(names(await find({ q: 'icp许可' })), ['ICP许可核准']);

  const res = await anon('/api/v1/items/suggest?q=' + encodeURIComponent('户口'));
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.body.suggestions.map((s) => s.name), ['户口登记', '户口迁移', '居住证签注', '营业执照办理']);
  assert.equal(res.body.suggestions[0].code, items.register);
  assert.deepEqual(Object.keys(res.body.suggestions[0]).sort(), ['code', 'name']);
  const one = await anon('/api/v1/items/suggest?q=' + encodeURIComponent('戶'));
  assert.ok(one.body.suggestions.length <= 8);
  assert.ok(one.body.suggestions.some((s) => s.name === '户口迁移'));
});

test('bad input: 400 with its code', async () => {
  const bad = [
    ['q=' + encodeURIComponent('！！，。'), 'BAD_PARAMETER'],      // nothing to search for
    ['q=' + encodeURIComponent('户'.repeat(51)), 'BAD_PARAMETER'],
    ['cursor=abc', 'BAD_PARAMETER'],
    ['cursor=12.abc', 'BAD_PARAMETER'],
    ['cursor=-1.5', 'BAD_PARAMETER'],
    ['limit=0', 'BAD_PARAMETER'],
    ['limit=101', 'BAD_PARAMETER'],
    ['object=9', 'BAD_PARAMETER'],
    ['depth=5', 'BAD_PARAMETER'],
    ['at_most_once=yes', 'BAD_PARAMETER'],
    ['topic=nonsense', 'BAD_PARAMETER'],
    ['division=34130', 'BAD_DIVISION_CODE'],
    ['division=349999', 'DIVISION_NOT_FOUND'],
  ];
  for (const [qs, code] of bad) {
    const res = await anon('/api/v1/items?' + qs);
    assert.ok(res.status >= 400, qs);
    problem(res, res.status >= 400 && res.status < 500 ? res.status : 400, code);
  }
  problem(await anon('/api/v1/items/suggest'), 400, 'BAD_PARAMETER');
  problem(await anon('/api/v1/items/suggest?q=' + encodeURIComponent('、')), 400, 'BAD_PARAMETER');
});
