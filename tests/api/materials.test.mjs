// Materials over HTTP (docs/cases.md "Materials", R-MAT-001…006): uploads of the four types
// judged by their bytes, deduplication within a space, the bytes back unchanged and served
// safely, refusals that write nothing (no row, no file), another applicant's material as missing
// as a missing one, an agent filing into the principal's space, and files on disk named only by
// their SHA-256.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import net from 'node:net';
import { readdirSync, statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { newPerson, registerSession, call, problem, sql, randomUscc } from '../lib/persons.mjs';

// ---- real small files -------------------------------------------------------------------------

// A 1×1 RGB PNG (signature, IHDR, IDAT, IEND with their CRCs).
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478da63f8cfc00000030101'
  + '00f7034143' + '0000000049454e44ae426082', 'hex');
// A 1×1 grey baseline JPEG that libjpeg decodes without a warning.
const JPEG = Buffer.concat([Buffer.from('ffd8ffdb004300', 'hex'), Buffer.alloc(64, 1),
  Buffer.from('ffc0000b080001000101011100' + 'ffc400140001' + '00'.repeat(15) + '00'
    + 'ffc400141001' + '00'.repeat(15) + '00' + 'ffda000801010000 3f00 3f ffd9'.replace(/ /g, ''), 'hex')]);
function pdf(extra = '') {
  return Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n'
    + '2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n' + extra
    + 'trailer <</Size 3 /Root 1 0 R>>\n%%EOF\n', 'latin1');
}

// CRC-32 (ZIP, PNG) for the archives below.
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
// A ZIP archive of stored (uncompressed) entries: [[name, content], …].
function zip(entries) {
  const locals = [], centrals = [];
  let off = 0;
  for (const [name, content] of entries) {
    const n = Buffer.from(name), d = Buffer.from(content), crc = crc32(d);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0); lh.writeUInt16LE(20, 4); lh.writeUInt16LE(0x0800, 6);
    lh.writeUInt32LE(crc, 14); lh.writeUInt32LE(d.length, 18); lh.writeUInt32LE(d.length, 22);
    lh.writeUInt16LE(n.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0); ch.writeUInt16LE(20, 4); ch.writeUInt16LE(20, 6); ch.writeUInt16LE(0x0800, 8);
    ch.writeUInt32LE(crc, 16); ch.writeUInt32LE(d.length, 20); ch.writeUInt32LE(d.length, 24);
    ch.writeUInt16LE(n.length, 28); ch.writeUInt32LE(off, 42);
    locals.push(lh, n, d);
    centrals.push(ch, n);
    off += 30 + n.length + d.length;
  }
  const cd = Buffer.concat(centrals), end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(off, 16);
  return Buffer.concat([...locals, cd, end]);
}
const OFD_XML = '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0">'
  + '<ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>';
const OFD = zip([['OFD.xml', OFD_XML], ['Doc_0/Document.xml', '<ofd:Document/>']]);
const DOCX = zip([['[Content_Types].xml', '<Types/>'], ['word/document.xml', '<w/>']]);
const HTML = Buffer.from('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>');

// One raw HTTP exchange, for requests fetch would not send as they are.
function raw(port, request) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    sock.on('data', (d) => { data += d; });
    sock.on('end', () => resolve(data));
    sock.on('close', () => resolve(data));
    sock.on('error', (e) => (data ? resolve(data) : reject(e)));
    sock.write(request);
    setTimeout(() => sock.end(), 1500);
  });
}

const sha = (b) => createHash('sha256').update(b).digest('hex');

// ---- the server and its people -----------------------------------------------------------------

let srv, base;
const A = newPerson('周材料'), B = newPerson('吴旁人'), C = newPerson('郑代办', '19850512', false),
  L = newPerson('王限项', '19800101');
let a, b, c, l;

before(async () => {
  srv = await startServer({ args: ['--sandbox'] });
  base = srv.url;
  [a, b, c, l] = [await registerSession(base, A), await registerSession(base, B), await registerSession(base, C),
    await registerSession(base, L)];
  const vu = new Date(Date.now() + 8 * 3600e3 + 30 * 86400e3).toISOString().slice(0, 10);
  let res = await a.call('POST', '/api/v1/me/agents', { body: { name: C.name, id_number: C.id, items: 'all', valid_until: vu } });
  assert.equal(res.status, 201, res.text);
  res = await a.call('POST', '/api/v1/me/agents', { body: { name: L.name, id_number: L.id, items: ['000104002000'], valid_until: vu } });
  assert.equal(res.status, 201, res.text);
});

after(async () => {
  await srv?.stop();
});

// POST the bytes as the raw body; type undefined sends no Content-Type at all.
async function upload(who, bytes, { type, title = '材料', forWhom, csrf } = {}) {
  const q = new URLSearchParams();
  if (title !== null) q.set('title', title);
  if (forWhom) q.set('for', forWhom);
  const headers = { 'x-csrf-token': csrf ?? who?.csrf ?? '1' };
  if (who) headers.cookie = who.cookie;
  if (type) headers['content-type'] = type;
  const res = await fetch(`${base}/api/v1/materials?${q}`, { method: 'POST', headers, body: bytes });
  const text = await res.text();
  const ct = res.headers.get('content-type') || '';
  return { status: res.status, headers: res.headers, text, body: ct.includes('json') && text ? JSON.parse(text) : undefined };
}

async function content(who, id) {
  const res = await fetch(`${base}/api/v1/materials/${id}/content`, { headers: who ? { cookie: who.cookie } : {} });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const count = (table, where = '1=1') => Number(sql(srv, `SELECT COUNT(*) FROM ${table} WHERE ${where}`)[0][0]);

// Every file under <data>/materials, as paths relative to it.
function files() {
  const out = [];
  const walk = (dir, rel) => {
    let names;
    try { names = readdirSync(dir); } catch { return; }
    for (const n of names) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p, rel + n + '/');
      else out.push(rel + n);
    }
  };
  walk(join(srv.data, 'materials'), '');
  return out.sort();
}

// ---- uploads ---------------------------------------------------------------------------------------

const uploaded = {};

test('each of the four types is stored, by its bytes, with its hash', async () => {
  for (const [key, bytes, type, title] of [['png', PNG, 'image/png', '一寸照片'], ['jpeg', JPEG, 'image/jpeg', '身份证正面'],
    ['pdf', pdf(), 'application/pdf', '营业执照'], ['ofd', OFD, 'application/ofd', '电子证照']]) {
    const res = await upload(a, bytes, { type, title });
    assert.equal(res.status, 201, res.text);
    const m = res.body;
    assert.match(m.id, /^m_[A-Za-z0-9_-]+$/);
    assert.deepEqual(Object.keys(m).sort(), ['created_at', 'id', 'media_type', 'sha256', 'size', 'title']);
    assert.equal(m.title, title);
    assert.equal(m.media_type, type);
    assert.equal(m.size, bytes.length);
    assert.equal(m.sha256, sha(bytes));
    assert.equal(res.headers.get('location'), '/api/v1/materials/' + m.id);
    uploaded[key] = m;
    // on disk under materials/ab/cd/<sha256>, the very bytes
    const path = join(srv.data, 'materials', m.sha256.slice(0, 2), m.sha256.slice(2, 4), m.sha256);
    assert.deepEqual(readFileSync(path), bytes);
  }
  assert.equal(count('materials'), 4);
  assert.equal(count('material_blobs'), 4);
  const audit = sql(srv, `SELECT actor, object_id FROM audit_log WHERE action = 'material.upload' ORDER BY seq`);
  assert.deepEqual(audit, Object.values(uploaded).map((m) => ['person:' + a.person.id, m.id]));
});

test('application/octet-stream lets the bytes decide; aliases of the four are understood', async () => {
  const bytes = pdf('% octet\n');
  const res = await upload(a, bytes, { type: 'application/octet-stream', title: '未知类型' });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.body.media_type, 'application/pdf');
  const jpg = Buffer.concat([JPEG, Buffer.alloc(16)]);         // padded after EOI, as scanners do
  const r2 = await upload(a, jpg, { type: 'image/jpg; q=1', title: '扫描件' });
  assert.equal(r2.status, 201, r2.text);
  assert.equal(r2.body.media_type, 'image/jpeg');
});

test('the same bytes twice in one space are one material (200); in another space, another', async () => {
  const rows = count('materials'), blobs = count('material_blobs'), ups = count('audit_log', `action = 'material.upload'`);
  const before = files();
  const again = await upload(a, PNG, { type: 'image/png', title: '另一个名字' });
  assert.equal(again.status, 200, again.text);
  assert.deepEqual(again.body, uploaded.png);                  // the first one, title and all
  assert.equal(count('materials'), rows);
  assert.equal(count('audit_log', `action = 'material.upload'`), ups);
  assert.deepEqual(files(), before);
  const theirs = await upload(b, PNG, { type: 'image/png', title: '照片' });
  assert.equal(theirs.status, 201, theirs.text);
  assert.notEqual(theirs.body.id, uploaded.png.id);
  assert.equal(theirs.body.sha256, uploaded.png.sha256);
  assert.equal(count('materials'), rows + 1);
  assert.equal(count('material_blobs'), blobs);               // one file, two holders
  assert.deepEqual(files(), before);
});

test('the same new file uploaded four times at once is one material', async () => {
  const bytes = pdf('% raced\n');
  const all = await Promise.all([1, 2, 3, 4].map((i) => upload(b, bytes, { type: 'application/pdf', title: '并发' + i })));
  assert.deepEqual(all.map((r) => r.status).sort(), [200, 200, 200, 201], all.map((r) => r.text).join('\n'));
  assert.equal(new Set(all.map((r) => r.body.id)).size, 1);
  assert.equal(count('materials', `sha256 = '${sha(bytes)}'`), 1);
  assert.equal(count('audit_log', `action = 'material.upload' AND object_id = '${all[0].body.id}'`), 1);
});

// ---- reading ---------------------------------------------------------------------------------------

test('list newest first, one by id, and the bytes back with safe headers', async () => {
  const list = await a.call('GET', '/api/v1/materials');
  assert.equal(list.status, 200, list.text);
  const ids = list.body.items.map((m) => m.id);
  assert.equal(ids.length, 6);
  const times = list.body.items.map((m) => m.created_at);
  assert.deepEqual(times, [...times].sort((x, y) => y - x));
  assert.deepEqual(ids.slice(-4), [uploaded.ofd.id, uploaded.pdf.id, uploaded.jpeg.id, uploaded.png.id]);

  const one = await a.call('GET', '/api/v1/materials/' + uploaded.jpeg.id);
  assert.equal(one.status, 200);
  assert.deepEqual(one.body, uploaded.jpeg);

  for (const [key, bytes, ext] of [['png', PNG, 'png'], ['jpeg', JPEG, 'jpg'], ['pdf', pdf(), 'pdf'], ['ofd', OFD, 'ofd']]) {
    const m = uploaded[key];
    const res = await content(a, m.id);
    assert.equal(res.status, 200);
    assert.equal(sha(res.bytes), m.sha256);
    assert.deepEqual(res.bytes, bytes);
    assert.equal(res.headers.get('content-type'), m.media_type);
    assert.equal(res.headers.get('content-disposition'),
      `inline; filename="material.${ext}"; filename*=UTF-8''${encodeURIComponent(m.title)}.${ext}`);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('cache-control'), 'private, no-store');
    // a document sandboxed on its own, which only our own pages may frame (the case page's preview)
    assert.equal(res.headers.get('content-security-policy'), "sandbox; frame-ancestors 'self'");
    assert.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN');
  }
});

test('a title is a label: odd characters reach no header and no path', async () => {
  const title = '../../etc/passwd";\r\n x';
  const res = await upload(a, pdf('% odd title\n'), { type: 'application/pdf', title: '../../etc/passwd"; x' });
  assert.equal(res.status, 201, res.text);
  const got = await content(a, res.body.id);
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-disposition'),
    `inline; filename="material.pdf"; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd%22%3B%20x.pdf`);
  // control characters are not a title
  problem(await upload(a, pdf('% ctl\n'), { type: 'application/pdf', title }), 400, 'BAD_PARAMETER');
  // on disk, only hash-named files in hash-named folders
  for (const f of files()) assert.match(f, /^([0-9a-f]{2})\/([0-9a-f]{2})\/\1\2[0-9a-f]{60}$/, f);
  const all = readdirSync(srv.data, { recursive: true }).map(String);
  for (const t of ['passwd', '营业执照', '一寸照片', '身份证正面']) assert.ok(!all.some((p) => p.includes(t)), t);
});

// ---- refusals write nothing --------------------------------------------------------------------------

test('refused: wrong claims, disguised files, bad titles, strangers — no row, no file', async () => {
  const rows = count('materials'), blobs = count('material_blobs'), audit = count('audit_log');
  const before = files();
  // the bytes are not what the Content-Type says
  let res = await upload(a, PNG, { type: 'application/pdf', title: '证明.pdf' });
  problem(res, 415, 'BAD_MATERIAL_TYPE');
  assert.match(res.body.detail, /PNG/);
  problem(await upload(a, pdf('% x\n'), { type: 'image/jpeg' }), 415, 'BAD_MATERIAL_TYPE');
  // no Content-Type, or one of another kind
  problem(await upload(a, pdf('% y\n')), 415, 'BAD_MATERIAL_TYPE');
  problem(await upload(a, PNG, { type: 'text/plain' }), 415, 'BAD_MATERIAL_TYPE');
  // disguised: a web page called a PDF, a Word-like zip called an OFD, nothing at all
  problem(await upload(a, HTML, { type: 'application/pdf', title: '证明.pdf' }), 415, 'BAD_MATERIAL_TYPE');
  problem(await upload(a, HTML, { type: 'application/octet-stream', title: 'x.png' }), 415, 'BAD_MATERIAL_TYPE');
  problem(await upload(a, DOCX, { type: 'application/ofd', title: 'x.ofd' }), 415, 'BAD_MATERIAL_TYPE');
  problem(await upload(a, zip([['Doc_0/OFD.xml', OFD_XML]]), { type: 'application/ofd' }), 415, 'BAD_MATERIAL_TYPE');
  problem(await upload(a, Buffer.alloc(0), { type: 'application/pdf' }), 415, 'BAD_MATERIAL_TYPE');
  problem(await upload(a, Buffer.concat([pdf(), HTML]), { type: 'application/pdf' }), 415, 'BAD_MATERIAL_TYPE');
  // titles
  res = await upload(a, PNG, { type: 'image/png', title: null });
  problem(res, 400, 'BAD_PARAMETER');
  assert.deepEqual(res.body.fields.map((f) => f.field), ['title']);
  problem(await upload(a, PNG, { type: 'image/png', title: '' }), 400, 'BAD_PARAMETER');
  problem(await upload(a, PNG, { type: 'image/png', title: '长'.repeat(101) }), 400, 'BAD_PARAMETER');
  // who may upload where
  problem(await upload(null, PNG, { type: 'image/png' }), 401, 'UNAUTHENTICATED');
  problem(await upload(a, PNG, { type: 'image/png', csrf: 'wrong' }), 403, 'CSRF_FAILED');
  problem(await upload(b, PNG, { type: 'image/png', forWhom: 'person:' + a.person.id }), 403, 'FORBIDDEN');
  problem(await upload(a, PNG, { type: 'image/png', forWhom: 'staff:x' }), 400, 'BAD_PARAMETER');
  problem(await upload(a, PNG, { type: 'image/png', forWhom: 'person:' }), 400, 'BAD_PARAMETER');
  // an agent for some items only may not fill the principal's general material space
  problem(await upload(l, pdf('% l\n'), { type: 'application/pdf', forWhom: 'person:' + a.person.id }), 403, 'FORBIDDEN');

  assert.equal(count('materials'), rows);
  assert.equal(count('material_blobs'), blobs);
  assert.equal(count('audit_log'), audit);
  assert.deepEqual(files(), before);
  const tmp = readdirSync(join(srv.data, 'materials'), { recursive: true }).map(String).filter((p) => p.includes('.upload-'));
  assert.deepEqual(tmp, []);
});

// The server reads up to max-upload (12 MiB by default) for uploads, so the 10 MiB rule is ours to tell.
test('a file over 10 MiB is MATERIAL_TOO_LARGE, over the upload limit BODY_TOO_LARGE; 10 MiB is fine', async () => {
  const rows = count('materials');
  const before = files();
  const MiB = 1024 * 1024;
  // a PDF of exactly 10 MiB: a comment fills it up
  const shell = pdf('%\n').length;
  const exact = pdf('%' + 'x'.repeat(10 * MiB - shell) + '\n');
  assert.equal(exact.length, 10 * MiB);
  const over = pdf('%' + 'x'.repeat(10 * MiB - shell + 1) + '\n');
  let res = await upload(a, over, { type: 'application/pdf', title: '大文件' });
  problem(res, 413, 'MATERIAL_TOO_LARGE');
  // over the server's upload limit: refused on the declared length, before the body is read
  const reply = await raw(new URL(base).port, `POST /api/v1/materials?title=x HTTP/1.1\r\nHost: x\r\n`
    + `Cookie: ${a.cookie}\r\nX-CSRF-Token: ${a.csrf}\r\nContent-Type: application/pdf\r\n`
    + `Content-Length: ${13 * MiB}\r\n\r\n%PDF-1.4\n`);
  assert.match(reply, /^HTTP\/1\.1 413/);
  assert.match(reply, /BODY_TOO_LARGE/);
  assert.equal(count('materials'), rows);
  assert.deepEqual(files(), before);
  res = await upload(a, exact, { type: 'application/pdf', title: '刚好十兆' });
  assert.equal(res.status, 201, res.text);
  const back = await content(a, res.body.id);
  assert.equal(sha(back.bytes), sha(exact));
});

// ---- whose material ------------------------------------------------------------------------------------

test("another applicant's material answers 404, exactly like a missing one", async () => {
  const id = uploaded.pdf.id;
  const missing = 'm_doesnotexist000000';
  for (const path of ['', '/content']) {
    const theirs = await b.call('GET', `/api/v1/materials/${id}${path}`);
    const none = await b.call('GET', `/api/v1/materials/${missing}${path}`);
    problem(theirs, 404, 'NOT_FOUND');
    problem(none, 404, 'NOT_FOUND');
    assert.equal(theirs.body.detail, none.body.detail);
    problem(await call(base, 'GET', `/api/v1/materials/${id}${path}`), 401, 'UNAUTHENTICATED');
  }
  problem(await b.call('DELETE', '/api/v1/materials/' + id), 404, 'NOT_FOUND');
  assert.ok(!(await b.call('GET', '/api/v1/materials')).body.items.some((m) => m.id === id));
  problem(await b.call('GET', '/api/v1/materials?for=person:' + a.person.id), 403, 'FORBIDDEN');
  problem(await call(base, 'GET', '/api/v1/materials'), 401, 'UNAUTHENTICATED');
  assert.equal(count('materials', `id = '${id}' AND deleted_at IS NULL`), 1);
});

test("an agent files into the principal's space: both named in the audit", async () => {
  const bytes = pdf('% by the agent\n');
  const res = await upload(c, bytes, { type: 'application/pdf', title: '委托书', forWhom: 'person:' + a.person.id });
  assert.equal(res.status, 201, res.text);
  const m = res.body;
  assert.deepEqual(sql(srv, `SELECT owner_kind, owner_id, uploaded_by FROM materials WHERE id = '${m.id}'`),
    [['person', a.person.id, `person:${c.person.id} for person:${a.person.id}`]]);
  assert.deepEqual(sql(srv, `SELECT actor FROM audit_log WHERE action = 'material.upload' AND object_id = '${m.id}'`),
    [[`person:${c.person.id} for person:${a.person.id}`]]);
  // in A's space, not in C's own
  assert.ok((await a.call('GET', '/api/v1/materials')).body.items.some((x) => x.id === m.id));
  assert.deepEqual((await c.call('GET', '/api/v1/materials')).body.items, []);
  const forA = await c.call('GET', '/api/v1/materials?for=person:' + a.person.id);
  assert.equal(forA.status, 200);
  assert.ok(forA.body.items.some((x) => x.id === m.id));
  // the agent reads what they may file for
  const got = await content(c, uploaded.png.id);
  assert.equal(got.status, 200);
  assert.deepEqual(got.bytes, PNG);
});

test("an organisation's space: its representative uploads for it, strangers are refused", async () => {
  const uscc = randomUscc('91', '341302');
  const org = await a.call('POST', '/api/v1/orgs', { body: { name: '宿州市材料测试有限公司', uscc, type: 'enterprise', division_code: '341302' } });
  assert.equal(org.status, 201, org.text);
  const o = org.body.org.id;
  const res = await upload(a, PNG, { type: 'image/png', title: '公章', forWhom: 'org:' + o });
  assert.equal(res.status, 201, res.text);               // the same bytes as A's own: another space
  assert.notEqual(res.body.id, uploaded.png.id);
  const list = await a.call('GET', '/api/v1/materials?for=org:' + o);
  assert.deepEqual(list.body.items.map((m) => m.id), [res.body.id]);
  assert.ok(!(await a.call('GET', '/api/v1/materials')).body.items.some((m) => m.id === res.body.id));
  problem(await upload(b, PNG, { type: 'image/png', forWhom: 'org:' + o }), 403, 'FORBIDDEN');
  problem(await b.call('GET', '/api/v1/materials/' + res.body.id), 404, 'NOT_FOUND');
});

// ---- deleting ------------------------------------------------------------------------------------------

test('delete hides a material from the space, keeps the file, and is audited', async () => {
  const m = uploaded.jpeg;
  const del = await a.call('DELETE', '/api/v1/materials/' + m.id);
  assert.equal(del.status, 204, del.text);
  problem(await a.call('GET', '/api/v1/materials/' + m.id), 404, 'NOT_FOUND');
  assert.equal((await content(a, m.id)).status, 404);
  assert.ok(!(await a.call('GET', '/api/v1/materials')).body.items.some((x) => x.id === m.id));
  problem(await a.call('DELETE', '/api/v1/materials/' + m.id), 404, 'NOT_FOUND');
  assert.equal(count('materials', `id = '${m.id}' AND deleted_at IS NOT NULL`), 1);
  assert.deepEqual(sql(srv, `SELECT actor FROM audit_log WHERE action = 'material.delete' AND object_id = '${m.id}'`),
    [['person:' + a.person.id]]);
  // a case filed with it still finds the bytes
  assert.ok(files().includes(`${m.sha256.slice(0, 2)}/${m.sha256.slice(2, 4)}/${m.sha256}`));
  // the same bytes uploaded again are a new material
  const again = await upload(a, JPEG, { type: 'image/jpeg', title: '身份证正面' });
  assert.equal(again.status, 201, again.text);
  assert.notEqual(again.body.id, m.id);
  // the agent may delete for the principal
  const viaAgent = await c.call('DELETE', '/api/v1/materials/' + again.body.id);
  assert.equal(viaAgent.status, 204);
  assert.deepEqual(sql(srv, `SELECT actor FROM audit_log WHERE action = 'material.delete' AND object_id = '${again.body.id}'`),
    [[`person:${c.person.id} for person:${a.person.id}`]]);
});
