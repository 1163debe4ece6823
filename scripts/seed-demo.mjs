#!/usr/bin/env node
// Seeds the demo region 宿州市 (341300) into a running yiwang: the department tree and a few staff
// members with known demo passwords, through the server's own API — the first administrator with
// `yiwang staff bootstrap`, everything else as that administrator would do it in /admin.
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
//
// Demo only: the passwords and TOTP secrets are printed in clear. Never seed a real deployment.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { totp, uscc } from './lib/codes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// ---- the region -------------------------------------------------------------------------------

const DEPARTMENTS = [
  // key, name, division, parent key, organisation code (8 characters, made up for the demo)
  { key: 'root', name: '宿州市数据资源管理局', division: '341300', org: 'MB0D0001' },
  { key: 'cityAmr', name: '宿州市市场监督管理局', division: '341300', parent: 'root', org: 'MB0D0002' },
  { key: 'yqCenter', name: '埇桥区政务服务中心', division: '341302', parent: 'root', org: 'MB0D0003' },
  { key: 'yqAmr', name: '埇桥区市场监督管理局', division: '341302', parent: 'cityAmr', org: 'MB0D0004' },
];

// Passwords meet the staff policy (R-ID-010): 10+ characters of 3+ classes, no user name inside.
const STAFF = [
  { username: 'admin', name: '孙立新', dept: 'root', password: 'Sz#2026-demo0',
    roles: [['system_admin', 'root', '341300']] },
  { username: 'amr.admin', name: '周敏', dept: 'cityAmr', password: 'Sz#2026-demo1',
    roles: [['dept_admin', 'cityAmr', '341300']] },
  { username: 'yq.admin', name: '陈建国', dept: 'yqCenter', password: 'Sz#2026-demo2',
    roles: [['dept_admin', 'yqCenter', '341302']] },
  { username: 'yq.clerk', name: '李娜', dept: 'yqCenter', password: 'Sz#2026-demo3',
    roles: [['window_clerk', 'yqCenter', '341302']] },
  { username: 'yq.approver', name: '王强', dept: 'yqAmr', password: 'Sz#2026-demo4',
    roles: [['approver', 'yqAmr', '341302']] },
  { username: 'city.supervisor', name: '赵丽', dept: 'root', password: 'Sz#2026-demo5',
    roles: [['supervisor', 'root', '341300']] },
];

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
    process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 17)
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

  const rootDept = DEPARTMENTS[0];
  const first = STAFF[0];
  const initial = 'Init#' + randomBytes(6).toString('hex');
  execFileSync(o.bin, ['staff', 'bootstrap', '--data', o.data, '--db', o.db, '--username', first.username,
    '--name', first.name, '--department-name', rootDept.name,
    '--department-uscc', uscc('11', rootDept.division, rootDept.org), '--division', rootDept.division],
  { input: initial + '\n', stdio: ['pipe', 'inherit', 'inherit'] });
  const admin = await firstLogin(o.url, first.username, initial, first.password);
  const me = await admin.must('GET', '/api/v1/me', undefined, 200);
  const ids = { root: me.staff.department.id };

  for (const d of DEPARTMENTS.slice(1)) {
    const made = await admin.must('POST', '/api/v1/departments', { name: d.name, uscc: uscc('11', d.division, d.org),
      division_code: d.division, parent_id: ids[d.parent] }, 201);
    ids[d.key] = made.department.id;
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
    out.push({ ...s, department: DEPARTMENTS.find((d) => d.key === s.dept).name, totp_secret: c.secret,
      otpauth_uri: c.otpauth });
    await c.call('POST', '/api/v1/auth/logout');
  }
  await admin.call('POST', '/api/v1/auth/logout');

  writeFileSync(saved, JSON.stringify({ url: o.url, staff: out.map(({ dept, ...s }) => s) }, null, 2) + '\n',
    { mode: 0o600 });
  console.log(`\n宿州市演示数据已写入 ${o.url}（登录入口 ${o.url}/staff/login）：\n`);
  for (const s of out) {
    console.log(`  ${s.username.padEnd(16)} ${s.password}  TOTP ${s.totp_secret}  ${s.name}  ${s.department}  `
      + s.roles.map((r) => r[0]).join(','));
  }
  console.log(`\n动态口令：把 TOTP 密钥加入身份验证器 App，或运行 node scripts/seed-demo.mjs --code 用户名`);
  console.log(`以上信息另存于 ${saved}（仅限演示，切勿用于正式环境）。`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error('seed-demo: ' + err.message);
    process.exitCode = 1;
  });
}
