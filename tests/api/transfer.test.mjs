// Import and export of items (src/catalog/transfer.c): the layout with the national sync field
// names, round trips through JSON and through xlsx into an empty server that come back the same,
// a file with bad rows refused whole with each bad row named, another department's row refused,
// and a workbook written by something else than us read too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { startServer } from '../lib/server.mjs';
import { bootstrapAdmin, createStaff, makeUscc } from '../lib/staff.mjs';
import { problem, sql } from '../lib/persons.mjs';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let srv, admin, catX, clerkX;
const servers = [];
// The departments of the region, the same USCCs on every server of this file.
const depts = [
  { key: 'X', name: '埇桥区市场监督管理局', division: '341302', uscc: makeUscc('341302') },
  { key: 'Y', name: '砀山县市场监督管理局', division: '341321', uscc: makeUscc('341321') },
];
const dept = {};

const guide = (over = {}) => ({
  name: '食品经营许可证核发', online_depth: 4, visits: 0, project_type: 2, handling_forms: [1, 2, 3],
  service_objects: [2], statutory_limit: 20, promised_limit: 5, charged: false, in_hall: true,
  guide: { legal_basis: '《中华人民共和国食品安全法》第三十五条', place: '埇桥区政务服务中心 2 楼', faq: [{ question: '要多久？', answer: '5 个工作日' }] },
  aliases: ['食品经营许可', '开饭店许可'],
  topics: ['startup', 'permits'],
  business_items: [{ seq: 1, name: '新办' }, { seq: 2, name: '延续' }],
  materials: [
    { name: '食品经营许可申请书', source: 'applicant', originals: 1, copies: 0, reuse: 'never' },
    { name: '营业执照', source: 'department', issuer: '市场监督管理局', required: false,
      condition: '已取得营业执照的', reuse: 'always', originals: 0, copies: 1 },
  ],
  ...over,
});

// A server with the region's departments and a logged-in administrator.
async function region() {
  const s = await startServer();
  servers.push(s);
  const a = await bootstrapAdmin(s);
  const made = {};
  for (const d of depts) {
    const res = await a.post('/api/v1/departments',
      { name: d.name, uscc: d.uscc, division_code: d.division, parent_id: a.department_id });
    assert.equal(res.status, 201, res.text);
    made[d.key] = res.body.department;
  }
  return { s, a, made };
}

// A request with a raw body (a workbook) as the client's session.
async function raw(client, method, path, body, type) {
  const res = await fetch(client.url + path, { method, body,
    headers: { cookie: client.cookie, 'x-csrf-token': client.csrf, ...(type ? { 'content-type': type } : {}) } });
  const buf = Buffer.from(await res.arrayBuffer());
  const ct = res.headers.get('content-type') || '';
  return { status: res.status, headers: res.headers, buf, text: buf.toString('utf8'),
    body: ct.includes('json') ? JSON.parse(buf.toString('utf8')) : undefined };
}

const exportJson = async (client, q = '') => {
  const res = await client.get('/api/v1/catalog/export?format=json' + q);
  assert.equal(res.status, 200, res.text);
  return res.body;
};
const strip = ({ exported_at, ...rest }) => rest;
const count = (s, table) => Number(sql(s, `SELECT count(*) FROM ${table}`)[0][0]);
const counts = (s) => ['catalog_items', 'catalog_item_versions', 'catalog_materials', 'catalog_basic_items', 'audit_log']
  .map((t) => count(s, t)).join(',');

before(async () => {
  const r = await region();
  srv = r.s;
  admin = r.a;
  Object.assign(dept, r.made);
  catX = await createStaff(admin, { username: 'catalog.x', department_id: dept.X.id,
    roles: [{ role: 'catalog_admin', department_id: dept.X.id, division_code: '341302' }] });
  clerkX = await createStaff(admin, { username: 'clerk.x', department_id: dept.X.id,
    roles: [{ role: 'window_clerk', department_id: dept.X.id, division_code: '341302' }] });
  const items = [
    [dept.X, '000104002000', guide({
      form: { fields: [{ name: 'applicant_name', label: '申请人姓名', type: 'text', required: true, max_length: 50 }] },
    })],
    [dept.X, '002000201000', guide({ name: '个体工商户登记', statutory_limit: null, promised_limit: 0, project_type: 1,
      visits: 2, visits_reason: '需核验原件', service_objects: [], aliases: [], topics: [], business_items: [], charged: true })],
    [dept.Y, '000104003000', guide({ name: '砀山县食品生产许可', materials: [] })],
  ];
  for (const [d, basic, g] of items) {
    const res = await admin.post('/api/v1/items', { basic_code: basic, department_id: d.id, ...g });
    assert.equal(res.status, 201, res.text);
    const pub = await admin.post(`/api/v1/items/${res.body.item.code}/publish`, { version: 1 });
    assert.equal(pub.status, 200, pub.text);
  }
  // a draft that was never published is not exported
  const draft = await admin.post('/api/v1/items', { basic_code: '000104009000', department_id: dept.X.id,
    ...guide({ name: '未发布的事项' }) });
  assert.equal(draft.status, 201, draft.text);
});

after(async () => {
  for (const s of servers) await s.stop();
});

test('export: the published items the caller may manage, in the national sync layout', async () => {
  const doc = await exportJson(admin);
  assert.equal(doc.format, 'yiwang-catalog/1');
  assert.equal(typeof doc.exported_at, 'number');
  assert.equal(doc.items.length, 3);
  assert.deepEqual(doc.items.map((i) => i.task_code), [...doc.items.map((i) => i.task_code)].sort());
  const it = doc.items.find((i) => i.catalog_code === '000104002000');
  assert.equal(it.task_code, dept.X.uscc + '4000104002000');
  assert.equal(it.task_name, '食品经营许可证核发');
  assert.equal(it.task_type, '01');
  assert.equal(it.dept_code, dept.X.uscc);
  assert.equal(it.dept_name, '埇桥区市场监督管理局');
  assert.equal(it.use_level, '4');
  assert.equal(it.anticipate_day, 20);
  assert.equal(it.anticipate_type, '1');
  assert.equal(it.promise_day, 5);
  assert.equal(it.online_handle_depth, '4');
  assert.equal(it.limit_scene_num, 0);
  assert.equal(it.project_type, '2');
  assert.equal(it.handle_type, '1,2,3');
  assert.equal(it.server_type, '2');
  assert.equal(it.is_fee, '0');
  assert.equal(it.is_entry_center, '1');
  assert.deepEqual(it.topics, ['startup', 'permits']);
  assert.deepEqual(it.business_items, [{ seq: 1, name: '新办' }, { seq: 2, name: '延续' }]);
  assert.equal(it.form.fields[0].name, 'applicant_name');
  assert.deepEqual(it.materials[1], { material_name: '营业执照', source_type: 'department',
    source_explain: '市场监督管理局', original_num: 0, copy_num: 1, is_need: '0',
    need_condition: '已取得营业执照的', reuse: 'always' });
  const none = doc.items.find((i) => i.catalog_code === '002000201000');
  assert.equal(none.anticipate_day, null);
  assert.equal(none.anticipate_type, null);
  assert.equal(none.server_type, '');
  assert.equal(none.limit_scene_explain, '需核验原件');
  // X's catalog admin gets X's items only; filters narrow it down
  const mine = await exportJson(catX);
  assert.deepEqual(mine.items.map((i) => i.dept_code), [dept.X.uscc, dept.X.uscc]);
  assert.equal((await exportJson(admin, '&division=341321')).items.length, 1);
  assert.equal((await exportJson(admin, `&department=${dept.Y.id}`)).items[0].dept_code, dept.Y.uscc);
  // who and what
  const anon = await fetch(srv.url + '/api/v1/catalog/export');
  assert.equal(anon.status, 401);
  problem(await clerkX.get('/api/v1/catalog/export'), 403, 'FORBIDDEN');
  problem(await clerkX.post('/api/v1/catalog/import', doc), 403, 'FORBIDDEN');
  problem(await admin.get('/api/v1/catalog/export?format=csv'), 400, 'BAD_PARAMETER');
  problem(await admin.get('/api/v1/catalog/export?division=999999'), 404, 'DIVISION_NOT_FOUND');
});

test('JSON round trip: export, import into an empty server, export again gives the same document', async () => {
  const doc = await exportJson(admin);
  const b = await region();
  const before = counts(b.s);
  const res = await b.a.post('/api/v1/catalog/import', doc);
  assert.equal(res.status, 200, res.text);
  assert.deepEqual([res.body.created, res.body.updated, res.body.unchanged], [3, 0, 0]);
  assert.notEqual(counts(b.s), before);
  const again = await exportJson(b.a);
  assert.deepEqual(strip(again), strip(doc));
  // published at once, with their audit entries
  const first = doc.items[0].task_code;
  const pub = await fetch(`${b.s.url}/api/v1/items/${first}`).then((r) => r.json());
  assert.equal(pub.item.status, 'published');
  assert.equal(sql(b.s, `SELECT count(*) FROM audit_log WHERE action = 'item.publish' AND object_id = '${first}'`)[0][0], '1');
  // the same file again changes nothing
  const same = await b.a.post('/api/v1/catalog/import', doc);
  assert.equal(same.status, 200, same.text);
  assert.deepEqual([same.body.created, same.body.updated, same.body.unchanged], [0, 0, 3]);
  // an item whose content differs gets a new published version; the rest are kept
  const edited = structuredClone(doc);
  const at = edited.items.findIndex((i) => i.catalog_code === '000104002000');
  const code = edited.items[at].task_code;
  edited.items[at].task_name = '食品经营许可证核发（导入修改）';
  edited.items[at].materials.pop();
  const upd = await b.a.post('/api/v1/catalog/import', edited);
  assert.equal(upd.status, 200, upd.text);
  assert.deepEqual([upd.body.created, upd.body.updated, upd.body.unchanged], [0, 1, 2]);
  assert.deepEqual(upd.body.rows[at], { row: at + 1, task_code: code, result: 'updated', version: 2 });
  const now = await fetch(`${b.s.url}/api/v1/items/${code}`).then((r) => r.json());
  assert.equal(now.item.version, 2);
  assert.equal(now.item.name, '食品经营许可证核发（导入修改）');
  assert.equal(now.item.materials.length, 1);
  assert.deepEqual(strip(await exportJson(b.a)), strip(edited));
});

test('xlsx round trip: the workbook imported into an empty server exports the same items', async () => {
  const res = await raw(admin, 'GET', '/api/v1/catalog/export?format=xlsx');
  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers.get('content-type'), XLSX);
  assert.equal(res.buf.subarray(0, 2).toString(), 'PK');
  const c = await region();
  const imp = await raw(c.a, 'POST', '/api/v1/catalog/import', res.buf, XLSX);
  assert.equal(imp.status, 200, imp.text);
  assert.equal(imp.body.created, 3);
  // rows are named by their row in the sheet: headers on 1, keys on 2
  assert.deepEqual(imp.body.rows.map((r) => r.row), [3, 4, 5]);
  assert.deepEqual(strip(await exportJson(c.a)), strip(await exportJson(admin)));
  // and its own workbook imported back changes nothing
  const back = await raw(c.a, 'GET', '/api/v1/catalog/export?format=xlsx');
  const again = await raw(c.a, 'POST', '/api/v1/catalog/import', back.buf, XLSX);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.body.unchanged, 3);
});

test('a file with two bad rows is refused whole, each bad row named, nothing written', async () => {
  const doc = await exportJson(admin);
  const good = { ...structuredClone(doc.items.find((i) => i.catalog_code === '000104002000')), catalog_code: '000104011000',
    task_code: dept.X.uscc + '4000104011000', task_name: '新事项' };
  const bad1 = { ...structuredClone(good), catalog_code: '000104012000', task_code: dept.X.uscc + '4000104012000',
    online_handle_depth: '7', anticipate_day: 3, promise_day: 10 };
  const bad2 = { ...structuredClone(good), catalog_code: '000104013000', task_code: dept.X.uscc + '4000104013000' };
  bad2.materials[0].reuse = 'sometimes';
  const changed = { ...structuredClone(doc.items[1]), task_name: '本应更新的事项' };
  const before = counts(srv);
  const res = await admin.post('/api/v1/catalog/import', { ...doc, items: [good, bad1, changed, bad2] });
  problem(res, 400, 'BAD_IMPORT');
  assert.deepEqual(res.body.rows.map((r) => [r.row, r.task_code]), [[2, bad1.task_code], [4, bad2.task_code]]);
  assert.ok(res.body.rows[0].errors.some((e) => e.field === 'online_handle_depth'), res.text);
  assert.ok(res.body.rows[1].errors.some((e) => e.field === 'materials[0].reuse'), res.text);
  assert.equal(counts(srv), before);
  // more kinds of bad rows: unknown department, a task_code that is not what its parts make, a
  // repeated task_code, a wrong type, a bad limit, a bad form
  const other = makeUscc('341302');
  const rows = [
    { ...structuredClone(good), dept_code: other, task_code: other + '4000104011000' },
    { ...structuredClone(good), task_code: dept.Y.uscc + '4000104011000' },
    structuredClone(good),
    { ...structuredClone(good), task_type: '02' },
    { ...structuredClone(good), anticipate_day: -1 },
    { ...structuredClone(good), form: { fields: [{ name: 'a', label: '甲', type: 'text' }, { name: 'a', label: '乙', type: 'text' }] } },
  ];
  rows[2].task_code = good.task_code;
  const res2 = await admin.post('/api/v1/catalog/import', { ...doc, items: [good, ...rows] });
  problem(res2, 400, 'BAD_IMPORT');
  const by = Object.fromEntries(res2.body.rows.map((r) => [r.row, r.errors.map((e) => e.field)]));
  assert.deepEqual(by[2], ['dept_code'], res2.text);
  assert.ok(by[3].includes('task_code'), res2.text);
  assert.ok(by[4].includes('task_code'), res2.text);
  assert.ok(by[5].includes('task_type'), res2.text);
  assert.ok(by[6].includes('anticipate_day') && !by[6].includes('promise_day'), res2.text);
  assert.ok(by[7].includes('form'), res2.text);
  assert.equal(by[1], undefined);
  assert.equal(counts(srv), before);
  // the file itself
  problem(await admin.post('/api/v1/catalog/import', { format: 'other/1', items: [good] }), 400, 'BAD_IMPORT');
  problem(await admin.post('/api/v1/catalog/import', { format: 'yiwang-catalog/1', items: [] }), 400, 'BAD_IMPORT');
  problem(await raw(admin, 'POST', '/api/v1/catalog/import', Buffer.from('not a zip file'), XLSX), 400, 'BAD_IMPORT');
  problem(await raw(admin, 'POST', '/api/v1/catalog/import', 'a,b', 'text/csv'), 415, 'UNSUPPORTED_MEDIA_TYPE');
  // (a body over the server's max-body is refused with 413 before it is read: tests/api/http.test.mjs)
  assert.equal(counts(srv), before);
});

test("a row of another department's item is refused, and nothing of the file is written", async () => {
  const doc = await exportJson(admin);
  const mine = doc.items.find((i) => i.dept_code === dept.X.uscc);
  const theirs = doc.items.find((i) => i.dept_code === dept.Y.uscc);
  const before = counts(srv);
  const res = await catX.post('/api/v1/catalog/import', { ...doc, items: [
    { ...mine, task_name: '本部门的修改' }, { ...theirs, task_name: '别的部门的修改' }] });
  problem(res, 403, 'FORBIDDEN');
  assert.deepEqual(res.body.rows.map((r) => [r.row, r.task_code]), [[2, theirs.task_code]]);
  assert.equal(res.body.rows[0].errors[0].field, 'dept_code');
  assert.equal(counts(srv), before);
  // their own department's row alone goes in
  const ok = await catX.post('/api/v1/catalog/import', { ...doc, items: [{ ...mine, task_name: '本部门的修改' }] });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.updated, 1);
  // an item with a draft being edited is not overwritten by an import
  const d = await catX.patch(`/api/v1/items/${mine.task_code}/draft`, { visits: 1 });
  assert.equal(d.status, 200, d.text);
  const before2 = counts(srv);
  const res2 = await catX.post('/api/v1/catalog/import', { ...doc, items: [{ ...mine, task_name: '再次修改' }] });
  problem(res2, 400, 'BAD_IMPORT');
  assert.match(res2.body.rows[0].errors[0].reason, /草稿/);
  assert.equal(counts(srv), before2);
});

// ---- a workbook written by something else: a small zip writer and hand-made sheets ----------

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// A zip of deflated entries, as spreadsheet programs write them.
function zip(files) {
  const locals = [], centrals = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text, 'utf8'), packed = deflateRawSync(data), nameBuf = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8); local.writeUInt32LE(crc, 14); local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22); local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8); central.writeUInt16LE(8, 10); central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20); central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28); central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, packed);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + packed.length;
  }
  const cd = Buffer.concat(centrals), end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10); end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';

test('a workbook written by another program (shared and inline strings, Chinese headers only) imports', async () => {
  const code = dept.X.uscc + '4000104021000';
  const shared = ['实施编码', '基本编码', '事项名称', '实施主体编码', '行使层级', '法定办结时限', '承诺办结时限',
    '网上办理深度', '到办事现场次数', '办件类型', '办理形式', '服务对象', '是否收费', '是否进驻政务大厅', '别名'];
  // cells: [kind, value]: s = shared string index, i = inline string, n = number, b = boolean
  const header = shared.map((_, i) => ['s', i]);
  const data = [['i', code], ['i', '000104021000'], ['rich', ['食品', '小作坊登记']], ['i', dept.X.uscc], ['n', 4],
    ['n', 15], ['n', 10], ['n', 3], ['n', 1], ['n', 2], ['i', '1,2'], ['i', '1'], ['b', 0], ['i', '是'],
    ['i', '["小作坊登记证"]']];
  const sst = [...shared.map((s) => `<si><t>${esc(s)}</t></si>`), '<si><r><t>食品</t></r><r><rPr><b/></rPr><t>小作坊登记</t></r><rPh sb="0" eb="1"><t>しょく</t></rPh></si>'];
  const col = (i) => String.fromCharCode(65 + i);
  const cellXml = (r, i, [kind, v]) => {
    const ref = `r="${col(i)}${r}"`;
    if (kind === 's') return `<c ${ref} t="s"><v>${v}</v></c>`;
    if (kind === 'rich') return `<c ${ref} t="s"><v>${shared.length}</v></c>`;
    if (kind === 'n') return `<c ${ref}><v>${v}</v></c>`;
    if (kind === 'b') return `<c ${ref} t="b"><v>${v}</v></c>`;
    return `<c ${ref} t="inlineStr"><is><t>${esc(v)}</t></is></c>`;
  };
  const sheet1 = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ${NS}><sheetData>` +
    `<row r="1">${header.map((c, i) => cellXml(1, i, c)).join('')}</row>` +
    `<row r="3">${data.map((c, i) => cellXml(3, i, c)).join('')}</row></sheetData></worksheet>`;
  // the materials sheet: cells without references, one after another
  const mat = [['实施编码', '材料名称', '来源渠道', '原件份数', '复印件份数', '材料必要性', '复用类别'],
    [code, '身份证', 'applicant', 1, 1, '1', 'within_validity']];
  const sheet2 = `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData>` + mat.map((row) => '<row>' +
    row.map((v) => typeof v === 'number' ? `<c><v>${v}</v></c>` : `<c t="inlineStr"><is><t>${esc(v)}</t></is></c>`).join('') +
    '</row>').join('') + '</sheetData></worksheet>';
  const book = zip({
    '[Content_Types].xml': '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    'xl/workbook.xml': `<?xml version="1.0"?><workbook ${NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
      '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/><sheet name="材料" sheetId="2" r:id="rId2"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels': '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/>' +
      '<Relationship Id="rId2" Type="worksheet" Target="/xl/worksheets/sheet2.xml"/></Relationships>',
    'xl/sharedStrings.xml': `<?xml version="1.0"?><sst ${NS}>${sst.join('')}</sst>`,
    'xl/worksheets/sheet1.xml': sheet1,
    'xl/worksheets/sheet2.xml': sheet2,
  });
  const res = await raw(admin, 'POST', '/api/v1/catalog/import', book, XLSX);
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.body.rows, [{ row: 3, task_code: code, result: 'created', version: 1 }]);
  const it = (await fetch(`${srv.url}/api/v1/items/${code}`).then((r) => r.json())).item;
  assert.equal(it.name, '食品小作坊登记');
  assert.equal(it.statutory_limit, 15);
  assert.equal(it.promised_limit, 10);
  assert.equal(it.online_depth, 3);
  assert.deepEqual(it.handling_forms, [1, 2]);
  assert.deepEqual(it.service_objects, [1]);
  assert.equal(it.charged, false);
  assert.equal(it.in_hall, true);
  assert.deepEqual(it.aliases, ['小作坊登记证']);
  assert.deepEqual(it.materials.map((m) => [m.name, m.reuse, m.copies]), [['身份证', 'within_validity', 1]]);
  // a materials row whose task_code is no item's is named by its sheet and row
  const orphan = zip({
    'xl/workbook.xml': `<workbook ${NS} xmlns:r="r"><sheets><sheet name="事项" r:id="a"/><sheet name="材料" r:id="b"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': '<Relationships><Relationship Id="a" Target="worksheets/a.xml"/><Relationship Id="b" Target="worksheets/b.xml"/></Relationships>',
    'xl/worksheets/a.xml': sheet1.replaceAll(code, dept.X.uscc + '4000104022000').replace('<t>000104021000</t>', '<t>000104022000</t>'),
    'xl/worksheets/b.xml': sheet2,
    'xl/sharedStrings.xml': `<sst ${NS}>${sst.join('')}</sst>`,
  });
  const bad = await raw(admin, 'POST', '/api/v1/catalog/import', orphan, XLSX);
  problem(bad, 400, 'BAD_IMPORT');
  assert.deepEqual(bad.body.rows.map((r) => [r.sheet, r.row, r.task_code]), [['材料', 2, code]]);
});
