#!/usr/bin/env node
// Seeds the people of the demo region 宿州市 (341300) into a running yiwang: a few staff members
// with known demo passwords, and — when the server runs with --sandbox — a few applicants and
// their organisations, through the server's own API: the first administrator with `yiwang staff
// bootstrap`, the rest as that administrator would do it in /admin and as applicants would
// register. The departments, items and themes are not made here: `yiwang demo` loads them (it runs
// first; scripts/run-demo.sh does both), and this script finds the departments by their USCC.
//
//   make run                                   # in one terminal (serves 127.0.0.1:8080, data ./var)
//   node scripts/seed-demo.mjs                 # in another
//   node scripts/seed-demo.mjs --url http://127.0.0.1:8080 --data ./var --db sqlite --bin build/yiwang
//
// Every member is logged in once here: their TOTP is enrolled (the secret is printed, and saved
// with the passwords in <data>/demo-staff.json, mode 0600) and the initial password is changed to
// the demo password below. To log in as one of them, add the secret to an authenticator app
// (or run `oathtool --totp -b SECRET`), or run `node scripts/seed-demo.mjs --code USERNAME`.
// The seed refuses to run twice: `yiwang staff bootstrap` refuses once any staff member exists.
// Applicants log in with their mobile number and password (listed at the end and in the file).
//
// Demo only: the passwords and TOTP secrets are printed in clear. Never seed a real deployment.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { idCheckChar, totp, uscc } from './lib/codes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// ---- the region -------------------------------------------------------------------------------

// The departments `yiwang demo` made (data/demo/departments.json), by the keys used below.
const REGION = JSON.parse(readFileSync(join(root, 'data', 'demo', 'departments.json'), 'utf8'));
const DEPT = (key) => {
  const d = REGION.departments.find((x) => x.key === key);
  if (!d) throw new Error(`no department ${key} in data/demo/departments.json`);
  return d;
};
const ROOT = 'city.zwfw';

// Passwords meet the staff policy (R-ID-010): 10+ characters of 3+ classes, no user name inside.
const STAFF = [
  { username: 'admin', name: '孙立新', dept: ROOT, password: 'Sz#2026-demo0',
    roles: [['system_admin', ROOT, '341300']] },
  { username: 'amr.admin', name: '周敏', dept: 'city.sj', password: 'Sz#2026-demo1',
    roles: [['dept_admin', 'city.sj', '341300']] },
  { username: 'yq.admin', name: '陈建国', dept: 'yq.zwfw', password: 'Sz#2026-demo2',
    roles: [['dept_admin', 'yq.zwfw', '341302']] },
  // The district's one window (综合窗口): its clerk accepts for the bureaus whose items are handled
  // in the hall, so she holds the clerk's role in each of them.
  { username: 'yq.clerk', name: '李娜', dept: 'yq.zwfw', password: 'Sz#2026-demo3',
    roles: [['window_clerk', 'yq.zwfw', '341302'], ['window_clerk', 'yq.sj', '341302'],
      ['window_clerk', 'yq.ga', '341302']] },
  { username: 'yq.approver', name: '王强', dept: 'yq.sj', password: 'Sz#2026-demo4',
    roles: [['approver', 'yq.sj', '341302']] },
  { username: 'city.supervisor', name: '赵丽', dept: ROOT, password: 'Sz#2026-demo5',
    roles: [['supervisor', ROOT, '341300']] },
  // Catalog editors: the whole city's items (the tree under the 数据资源管理局), and one bureau's.
  { username: 'catalog.admin', name: '刘洋', dept: ROOT, password: 'Sz#2026-demo6',
    roles: [['catalog_admin', ROOT, '341300']] },
  { username: 'amr.catalog', name: '吴静', dept: 'city.sj', password: 'Sz#2026-demo7',
    roles: [['catalog_admin', 'city.sj', '341300']] },
  // The two branches of 大型群众性活动安全许可 (埇桥区公安局's item): public security reviews it
  // and the city's fire brigade reviews it in parallel (并联审批).
  { username: 'yq.police', name: '马骏', dept: 'yq.ga', password: 'Sz#2026-demo8',
    roles: [['approver', 'yq.ga', '341302']] },
  { username: 'city.fire', name: '高峰', dept: 'city.xf', password: 'Sz#2026-demo9',
    roles: [['approver', 'city.xf', '341300']] },
];

// Applicants (sandbox only: their SMS codes come from the sandbox inbox). ID numbers are valid
// per GB 11643 (埇桥区, made-up birth dates and sequence numbers); the organisations' USCCs per
// GB 32100 (made-up organisation codes). Demo only.
const idNumber = (division, birth, seq) => division + birth + seq + idCheckChar(division + birth + seq);
const APPLICANTS = [
  { name: '张伟', id: idNumber('341302', '19880415', '031'), mobile: '13955701001', password: 'demo-Zhang-2026',
    orgs: [{ name: '宿州市云鼎网络科技有限公司', uscc: uscc('91', '341302', 'MA2D8K10'), type: 'enterprise', division_code: '341302' }] },
  { name: '王芳', id: idNumber('341321', '19920708', '042'), mobile: '13955701002', password: 'demo-Wang-2026',
    orgs: [{ name: '砀山县王芳梨膏坊', uscc: uscc('92', '341321', 'MA2D8K11'), type: 'individual_business', division_code: '341321' }] },
  { name: '李强', id: idNumber('341302', '19650312', '057'), mobile: '13955701003', password: 'demo-Li-2026', orgs: [] },
];

// Registration through the sandbox inbox, then the organisations as their legal representative.
async function seedApplicant(url, p) {
  const c = client(url);
  await c.must('POST', '/api/v1/auth/sms-codes', { mobile: p.mobile, purpose: 'register' }, 202);
  const inbox = await c.must('GET', '/api/v1/sandbox/sms', undefined, 200);
  const masked = p.mobile.slice(0, 3) + '****' + p.mobile.slice(7);
  const msg = inbox.items.find((i) => i.to === masked);
  const code = msg && /验证码 (\d{6})/.exec(msg.text);
  if (!code) throw new Error(`no SMS code for ${masked} in the sandbox inbox`);
  const reg = await c.must('POST', '/api/v1/auth/register', { name: p.name, id_number: p.id, mobile: p.mobile,
    password: p.password, sms_code: code[1], address: '安徽省宿州市埇桥区' }, 201);
  c.csrf = reg.csrf_token;
  for (const o of p.orgs) await c.must('POST', '/api/v1/orgs', o, 201);
  await c.call('POST', '/api/v1/auth/logout');
}

// ---- HTTP -------------------------------------------------------------------------------------

function client(url) {
  const c = { cookie: null, csrf: '1' };
  c.call = async (method, path, body) => {
    const headers = { 'x-csrf-token': c.csrf };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (c.cookie) headers.cookie = c.cookie;
    const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    const m = /yw_session=([^;]+)/.exec(res.headers.get('set-cookie') || '');
    if (m) c.cookie = 'yw_session=' + m[1];
    let json;
    try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
    return { status: res.status, body: json, text };
  };
  c.must = async (method, path, body, want) => {
    const res = await c.call(method, path, body);
    if (res.status !== want) {
      throw new Error(`${method} ${path}: HTTP ${res.status} ${res.body?.title || ''} ${res.body?.detail || res.text}`);
    }
    return res.body;
  };
  return c;
}

// First login: password, TOTP enrolment (the secret the server offers), the required change.
async function firstLogin(url, username, initial, final) {
  const c = client(url);
  const step = await c.must('POST', '/api/v1/auth/staff/login', { username, password: initial }, 200);
  if (step.next !== 'enrol') throw new Error(`${username}: TOTP is already enrolled; was the region seeded before?`);
  const done = await c.must('POST', '/api/v1/auth/staff/enrol', { ticket: step.ticket, code: totp(step.secret) }, 200);
  c.csrf = done.csrf_token;
  await c.must('POST', '/api/v1/auth/staff/password', { old_password: initial, new_password: final }, 204);
  c.secret = step.secret;
  c.otpauth = step.otpauth_uri;
  return c;
}

function parseArgs(argv) {
  const o = {
    url: process.env.YW_URL || 'http://127.0.0.1:8080',
    data: process.env.YW_DATA || join(root, 'var'),
    db: process.env.YW_DB || 'sqlite',
    bin: process.env.YW_BIN || join(root, 'build', 'yiwang'),
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i].replace(/^--/, '');
    if (k === 'help') o.help = true;
    else if (['url', 'data', 'db', 'bin', 'code'].includes(k)) o[k] = argv[++i];
    else throw new Error(`unknown flag ${argv[i]} (--url, --data, --db, --bin, --code USERNAME)`);
  }
  return o;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const saved = join(o.data, 'demo-staff.json');
  if (o.help) {
    const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1);
    process.stdout.write(lines.slice(0, lines.findIndex((l) => !l.startsWith('//')))
      .map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
    return;
  }
  if (o.code) {
    const who = JSON.parse(readFileSync(saved, 'utf8')).staff.find((s) => s.username === o.code);
    if (!who) throw new Error(`${o.code} is not in ${saved}`);
    console.log(totp(who.totp_secret));
    return;
  }
  if (existsSync(saved)) throw new Error(`${saved} exists: the region is seeded already (see that file)`);

  const health = await fetch(o.url + '/healthz').catch(() => null);
  if (!health || !health.ok) throw new Error(`no yiwang at ${o.url}: start it first (make run)`);

  const rootDept = DEPT(ROOT);
  const first = STAFF[0];
  const initial = 'Init#' + randomBytes(6).toString('hex');
  execFileSync(o.bin, ['staff', 'bootstrap', '--data', o.data, '--db', o.db, '--username', first.username,
    '--name', first.name, '--department-name', rootDept.name,
    '--department-uscc', rootDept.uscc, '--division', rootDept.division_code],
  { input: initial + '\n', stdio: ['pipe', 'inherit', 'inherit'] });
  const admin = await firstLogin(o.url, first.username, initial, first.password);
  // The departments `yiwang demo` made, found by their USCC.
  const listed = (await admin.must('GET', '/api/v1/departments', undefined, 200)).departments;
  const ids = {};
  for (const s of STAFF) {
    for (const key of [s.dept, ...s.roles.map((r) => r[1])]) {
      const found = listed.find((d) => d.uscc === DEPT(key).uscc);
      if (!found) throw new Error(`department ${DEPT(key).name} is missing: run \`yiwang demo\` first`);
      ids[key] = found.id;
    }
  }

  const out = [{ ...first, department: rootDept.name, totp_secret: admin.secret, otpauth_uri: admin.otpauth }];
  for (const s of STAFF.slice(1)) {
    const init = 'Init#' + randomBytes(6).toString('hex');
    const made = await admin.must('POST', '/api/v1/staff', { username: s.username, name: s.name,
      department_id: ids[s.dept], password: init }, 201);
    for (const [role, dept, division] of s.roles) {
      await admin.must('POST', `/api/v1/staff/${made.staff.id}/roles`, { role, department_id: ids[dept],
        division_code: division }, 201);
    }
    const c = await firstLogin(o.url, s.username, init, s.password);
    out.push({ ...s, department: DEPT(s.dept).name, totp_secret: c.secret,
      otpauth_uri: c.otpauth });
    await c.call('POST', '/api/v1/auth/logout');
  }
  await admin.call('POST', '/api/v1/auth/logout');

  // Applicants need the sandbox inbox; without it (a server without --sandbox) they are left out.
  const sandbox = (await admin.call('GET', '/api/v1/sandbox/sms')).status === 200;
  const applicants = [];
  for (const p of sandbox ? APPLICANTS : []) {
    await seedApplicant(o.url, p);
    applicants.push({ name: p.name, mobile: p.mobile, id_number: p.id, password: p.password, orgs: p.orgs });
  }

  writeFileSync(saved, JSON.stringify({ url: o.url, staff: out.map(({ dept, ...s }) => s), applicants }, null, 2) + '\n',
    { mode: 0o600 });
  console.log(`\n宿州市演示数据已写入 ${o.url}（登录入口 ${o.url}/staff/login）：\n`);
  for (const s of out) {
    console.log(`  ${s.username.padEnd(16)} ${s.password}  TOTP ${s.totp_secret}  ${s.name}  ${s.department}  `
      + s.roles.map((r) => r[0]).join(','));
  }
  console.log(`\n动态口令：把 TOTP 密钥加入身份验证器 App，或运行 node scripts/seed-demo.mjs --code 用户名`);
  if (applicants.length) {
    console.log(`\n申请人（${o.url}/login，手机号 + 密码；短信验证码见 ${o.url}/sandbox/sms）：\n`);
    for (const p of applicants) {
      console.log(`  ${p.mobile}  ${p.password}  ${p.name}  ${p.id_number}  ${p.orgs.map((x) => `${x.name}（${x.uscc}）`).join('、')}`);
    }
  } else {
    console.log('\n服务未以 --sandbox 运行：未创建申请人。');
  }
  console.log(`以上信息另存于 ${saved}（仅限演示，切勿用于正式环境）。`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error('seed-demo: ' + err.message);
    process.exitCode = 1;
  });
}
