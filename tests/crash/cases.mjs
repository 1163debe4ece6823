// Crash test of applications (issue 6): kill -9 the server 20 times while applicants upload
// materials and submit cases, and demand that every case and material the server acknowledged
// is there after each restart — the case with its serial number and its material, the file
// with its exact bytes — and that the audit chain verifies at the end.
//
//   node tests/crash/cases.mjs BUILD_DIR      (uses BUILD_DIR/asan/yiwang, SQLite)
//
// CRASH_ROUNDS (default 20) rounds on one data folder, each killed after a random 0.5–2.5 s of
// load from 12 concurrent applicants' requests. Prints one line per round and a final PASS or
// FAIL line; exits non-zero on any loss. The data of a failed run is kept for inspection.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { webDist } from '../lib/server.mjs';
import { bootstrapAdmin, makeUscc } from '../lib/staff.mjs';
import { newPerson, registerSession, call } from '../lib/persons.mjs';

const build = process.argv[2] || 'build';
const bin = process.env.YW_BIN || join(build, 'asan', 'yiwang');
process.env.YW_BIN = bin;          // bootstrapAdmin runs the same binary
const rounds = Number(process.env.CRASH_ROUNDS || 20);
const WORKERS = 12;
const data = mkdtempSync(join(tmpdir(), 'yw-crash-cases-'));

function start() {
  const child = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--data', data, '--db', 'sqlite',
    '--web', webDist, '--sandbox'], {
    env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => { err = (err + d).slice(-20000); });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('no start in 30 s\n' + err)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[0-9.]+:\d+)/);
      if (m) { clearTimeout(timer); resolve({ url: m[1], data, db: 'sqlite', child, exited, err: () => err }); }
    });
    exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`exited with ${code}\n${err}`)); });
  });
}

// A small PDF that differs every time, so every upload is a new file.
function pdf() {
  const note = randomBytes(12).toString('hex');
  return Buffer.from(`%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n2 0 obj <</Type/Pages/Kids[]/Count 0>> endobj\n% ${note}\ntrailer <</Root 1 0 R>>\n%%EOF\n`);
}
const sha = (b) => createHash('sha256').update(b).digest('hex');

async function upload(url, s, bytes) {
  const res = await fetch(`${url}/api/v1/materials?title=${encodeURIComponent('申请书')}`, {
    method: 'POST', body: bytes,
    headers: { 'content-type': 'application/pdf', cookie: s.cookie, 'x-csrf-token': s.csrf },
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

async function setUp() {
  const srv = await start();
  const admin = await bootstrapAdmin(srv);
  const d = await admin.post('/api/v1/departments', { name: '埇桥区行政审批局', uscc: makeUscc('341302'),
    division_code: '341302', parent_id: admin.department_id });
  if (d.status !== 201) throw new Error('department: ' + d.text);
  const it = await admin.post('/api/v1/items', {
    basic_code: '000104201000', department_id: d.body.department.id, name: '食品经营许可',
    online_depth: 4, visits: 0, project_type: 2, handling_forms: [1], service_objects: [1],
    statutory_limit: 20, promised_limit: 10, charged: false, in_hall: true,
    materials: [{ name: '申请书', source: 'applicant', required: true, reuse: 'never' }],
  });
  if (it.status !== 201) throw new Error('item: ' + it.text);
  const code = it.body.item.code;
  const pub = await admin.post(`/api/v1/items/${code}/publish`, { version: 1 });
  if (pub.status !== 200) throw new Error('publish: ' + pub.text);
  const applicants = [];
  for (let i = 0; i < 3; i++) applicants.push(await registerSession(srv.url, newPerson('申请人' + i)));
  srv.child.kill('SIGTERM');
  await srv.exited;
  return { code, applicants };
}

// One applicant's loop: upload, then submit a case with it; everything the server answered
// 201/200 to is remembered as acknowledged.
async function worker(url, s, code, acked, stop) {
  while (!stop.now) {
    try {
      const bytes = pdf();
      const m = await upload(url, s, bytes);
      if (m.status !== 201 && m.status !== 200) continue;
      const mine = { s, id: m.body.id ?? m.body.material?.id, sha: sha(bytes) };
      acked.materials.push(mine);
      const res = await call(url, 'POST', '/api/v1/cases', { cookie: s.cookie, csrf: s.csrf,
        headers: { 'idempotency-key': randomUUID() }, owner: true,
        body: { item_code: code, form: {}, materials: [{ slot: 0, material_id: mine.id }],
          delivery: { method: 'electronic' }, submit: true } });
      if (res.status === 201 || res.status === 200) {
        const c = res.body.case ?? res.body;
        acked.cases.push({ s, id: c.id, serial: c.serial, material: mine.id });
      }
    } catch { /* the server was killed mid-request: not acknowledged */ }
  }
}

async function check(url, acked) {
  const lost = [];
  for (const m of acked.materials) {
    const res = await fetch(`${url}/api/v1/materials/${m.id}/content`, { headers: { cookie: m.s.cookie } });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200 || sha(body) !== m.sha) lost.push(`material ${m.id}: ${res.status}`);
  }
  for (const c of acked.cases) {
    const res = await call(url, 'GET', `/api/v1/cases/${c.id}`, { cookie: c.s.cookie, owner: true });
    const got = res.body?.case ?? res.body;
    const files = (got?.materials ?? []).flatMap((slot) => (slot.files ?? []).map((f) => f.id));
    if (res.status !== 200 || got.serial !== c.serial || got.state !== 'submitted' || !files.includes(c.material))
      lost.push(`case ${c.id} (${c.serial}): ${res.status} ${got?.serial} ${got?.state}`);
  }
  return lost;
}

let failed = 0, totalCases = 0, totalMaterials = 0;
try {
  const { code, applicants } = await setUp();
  const acked = { cases: [], materials: [] };
  for (let round = 1; round <= rounds; round++) {
    const srv = await start();
    const lost = await check(srv.url, acked);
    if (lost.length) {
      failed++;
      console.log(`round ${round}: FAIL — lost after the last kill:\n    ${lost.slice(0, 20).join('\n    ')}`);
      srv.child.kill('SIGKILL');
      break;
    }
    const before = acked.cases.length;
    const stop = { now: false };
    const load = Array.from({ length: WORKERS }, (_, i) =>
      worker(srv.url, applicants[i % applicants.length], code, acked, stop));
    const delay = 0.5 + Math.random() * 2;
    await sleep(delay * 1000);
    srv.child.kill('SIGKILL');
    stop.now = true;
    await srv.exited;
    await Promise.all(load);
    console.log(`round ${round}: killed after ${delay.toFixed(2)} s; ${acked.cases.length - before} cases acknowledged this round`);
  }
  totalCases = acked.cases.length;
  totalMaterials = acked.materials.length;
  if (!failed) {
    // the last round's acknowledgements, then a clean stop and the audit chain
    const srv = await start();
    const lost = await check(srv.url, acked);
    srv.child.kill('SIGTERM');
    const { code: exit } = await srv.exited;
    if (lost.length) {
      failed++;
      console.log(`final check: FAIL — ${lost.slice(0, 20).join('; ')}`);
    } else if (exit !== 0) {
      failed++;
      console.log(`final stop: FAIL — exit ${exit}\n${srv.err()}`);
    }
    try {
      execFileSync(bin, ['audit', 'verify', '--data', data, '--db', 'sqlite'],
        { env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1' }, stdio: 'pipe' });
    } catch (e) {
      failed++;
      console.log(`audit verify: FAIL — ${e.stderr || e.message}`);
    }
  }
  if (!failed && totalCases === 0) {
    failed++;
    console.log('FAIL — no case was acknowledged in any round: nothing was tested');
  }
} catch (e) {
  failed++;
  console.log('FAIL — ' + (e.stack || e));
}
if (failed) {
  console.log(`crash/cases: FAIL (data in ${data})`);
  process.exit(1);
}
rmSync(data, { recursive: true, force: true });
console.log(`crash/cases: PASS — ${rounds} kill -9 rounds, ${totalCases} acknowledged cases and ${totalMaterials} materials, none lost, audit chain intact`);
