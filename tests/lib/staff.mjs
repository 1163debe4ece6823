// Staff for tests: the first administrator made with `yiwang staff bootstrap`, further members
// through the admin API, and logged-in clients for each. A staff login is password → TOTP
// (R-ID-011); the codes are computed here with node:crypto as an authenticator app would
// (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits).
//
//   const admin = await bootstrapAdmin(server);                 // enrolled, password changed
//   const res = await admin.post('/api/v1/departments', {...}); // {status, headers, body, text}
//   const clerk = await createStaff(admin, { username: 'clerk1', name: '张三',
//     department_id, roles: [{ role: 'window_clerk', department_id, division_code: '341302' }] });
//   const again = await staffLogin(server.url, { username, password, totpSecret });
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hotp, randomUscc, totpStep } from '../../scripts/lib/codes.mjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { binary } from './server.mjs';

// ---- TOTP --------------------------------------------------------------------------------------

export { base32Decode, hotp, totp, totpStep } from '../../scripts/lib/codes.mjs';

// The server accepts a step only once per member, and the step before or after the current one.
// So a second login within 30 s uses the next step's code, and a third waits for the clock.
const lastStep = new Map();
export async function freshCode(secret) {
  for (;;) {
    const now = totpStep();
    const want = Math.max(now, (lastStep.get(secret) ?? -1) + 1);
    if (want <= now + 1) {
      lastStep.set(secret, want);
      return hotp(secret, want);
    }
    await sleep((want - 1) * 30000 - Date.now() + 200);
  }
}
// For a test that spends codes itself (a replay test): mark the step as used.
export function markUsed(secret, step) {
  lastStep.set(secret, Math.max(lastStep.get(secret) ?? -1, step));
}

// ---- identifiers -------------------------------------------------------------------------------

// A valid unified social credit code of a government body (机构编制, 机关) in the division.
export const makeUscc = (division = '341300') => randomUscc('11', division);

// A password that meets the staff policy (R-ID-010) and is new every time.
export const makePassword = () => 'Yw#' + randomBytes(6).toString('hex') + 'Aa9';

// ---- clients -----------------------------------------------------------------------------------

async function request(url, method, path, { body, cookie, csrf } = {}) {
  const headers = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (cookie) headers.cookie = cookie;
  if (method !== 'GET' && method !== 'HEAD') headers['x-csrf-token'] = csrf || '1';
  const res = await fetch(url + path, { method, headers,
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const ct = res.headers.get('content-type') || '';
  return { status: res.status, headers: res.headers, text,
    body: ct.includes('json') && text ? JSON.parse(text) : undefined };
}

function cookieOf(res) {
  const m = /yw_session=([^;]*)/.exec(res.headers.get('set-cookie') || '');
  return m && m[1] ? 'yw_session=' + m[1] : null;
}

// {url, cookie, csrf, id, username, password, totpSecret, staff, get, post, patch, del}
export function staffClient(url, { cookie, csrf, ...rest }) {
  const c = { url, cookie, csrf, ...rest };
  const call = (method) => (path, body) => request(url, method, path, { body, cookie: c.cookie, csrf: c.csrf });
  c.get = call('GET');
  c.post = call('POST');
  c.patch = call('PATCH');
  c.put = call('PUT');
  c.del = call('DELETE');
  return c;
}

function fail(what, res) {
  return new Error(`${what}: HTTP ${res.status} ${res.text}`);
}

// Logs in with password and TOTP. Without totpSecret the member must be enrolling: the secret
// the server offers is confirmed. With newPassword, a required password change is made too.
// Returns a client; client.login has the answer of the TOTP step (password_change_required…).
export async function staffLogin(url, { username, password, totpSecret, newPassword } = {}) {
  const first = await request(url, 'POST', '/api/v1/auth/staff/login', { body: { username, password } });
  if (first.status !== 200) throw fail('staff login ' + username, first);
  let secret = totpSecret;
  let path = '/api/v1/auth/staff/totp';
  if (first.body.next === 'enrol') {
    secret = first.body.secret;
    path = '/api/v1/auth/staff/enrol';
  } else if (!secret) {
    throw new Error(`staff login ${username}: TOTP is enrolled but no totpSecret was given`);
  }
  const second = await request(url, 'POST', path, { body: { ticket: first.body.ticket, code: await freshCode(secret) } });
  if (second.status !== 200) throw fail(`staff ${path} ${username}`, second);
  const client = staffClient(url, { cookie: cookieOf(second), csrf: second.body.csrf_token,
    id: second.body.staff.id, username, password, totpSecret: secret, staff: second.body.staff,
    login: second.body });
  if (newPassword && second.body.password_change_required) {
    const chg = await client.post('/api/v1/auth/staff/password', { old_password: password, new_password: newPassword });
    if (chg.status !== 204) throw fail('staff password change ' + username, chg);
    client.password = newPassword;
  }
  return client;
}

// Runs `yiwang staff bootstrap` against the server's data folder and database: the first
// administrator, with o.password as the initial password (to change at the first login) and no
// TOTP yet. Fills in the defaults of `o` and answers it.
export function bootstrapStaff(server, opts = {}) {
  const o = {
    username: 'admin',
    name: '系统管理员',
    departmentName: '宿州市政务服务管理局',
    division: '341300',
    password: makePassword(),
    ...opts,
  };
  o.departmentUscc ??= makeUscc(o.division);
  execFileSync(process.env.YW_BIN || binary, ['staff', 'bootstrap', '--data', server.data, '--db', server.db,
    '--username', o.username, '--name', o.name, '--department-name', o.departmentName,
    '--department-uscc', o.departmentUscc, '--division', o.division], {
    input: o.password + '\n',
    env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return o;
}

// bootstrapStaff, then the administrator logs in: TOTP enrolled, the initial password changed.
// Returns a client with department_id and division_code of the root department as well.
export async function bootstrapAdmin(server, opts = {}) {
  const o = bootstrapStaff(server, { newPassword: makePassword(), ...opts });
  const admin = await staffLogin(server.url, { username: o.username, password: o.password,
    newPassword: o.newPassword });
  admin.department_id = admin.staff.department.id;
  admin.division_code = o.division;
  admin.departmentUscc = o.departmentUscc;
  return admin;
}

// A new member through the admin API (POST /api/v1/staff, then POST /api/v1/staff/{id}/roles
// per role), logged in: TOTP enrolled and the initial password changed.
export async function createStaff(admin, { username, name, department_id, roles = [], password, newPassword } = {}) {
  const initial = password || makePassword();
  const made = await admin.post('/api/v1/staff', { username, name: name || username,
    department_id: department_id || admin.department_id, password: initial });
  if (made.status !== 201) throw fail('create staff ' + username, made);
  const id = made.body.staff.id;
  for (const g of roles) {
    const res = await admin.post(`/api/v1/staff/${encodeURIComponent(id)}/roles`, g);
    if (res.status !== 201) throw fail(`grant ${g.role} to ${username}`, res);
  }
  return staffLogin(admin.url, { username, password: initial, newPassword: newPassword || makePassword() });
}
