// Staff login over HTTP (R-ID-010, R-ID-011): `yiwang staff bootstrap`, TOTP enrolment and
// login, codes used once, the shared lockout of passwords and codes, rate limits, disabled
// members, the required password change and its policy, and password expiry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, binary, backendName } from '../lib/server.mjs';
import { call as personsCall, problem as personsProblem } from '../lib/persons.mjs';
import { bootstrapAdmin, createStaff, staffLogin, staffClient, freshCode, hotp, totpStep, markUsed,
  makeUscc, makePassword } from '../lib/staff.mjs';

const bin = process.env.YW_BIN || binary;
const ISSUER = '%E4%B8%80%E7%BD%91%E9%80%9A%E5%8A%9E';   // 一网通办

// The JSON client of tests/lib/persons.mjs; a change carries the anonymous CSRF placeholder
// unless told otherwise.
const call = (url, method, path, { csrf = '1', ...opts } = {}) =>
  personsCall(url, method, path, { ...opts, csrf: method === 'GET' ? undefined : csrf });

// A problem answer (tests/lib/persons.mjs) whose detail is in Chinese.
function problem(res, status, code) {
  personsProblem(res, status, code);
  assert.match(res.body.detail, /[\u4e00-\u9fff]/, 'a Chinese detail');
}

function bootstrap(server, { username = 'admin', password, uscc = makeUscc('341300'), division = '341300' } = {}) {
  return spawnSync(bin, ['staff', 'bootstrap', '--data', server.data, '--db', server.db, '--username', username,
    '--name', '系统管理员', '--department-name', '宿州市政务服务管理局', '--department-uscc', uscc,
    '--division', division], { input: password + '\n', encoding: 'utf8' });
}

const login = (url, username, password, cookie, csrf) =>
  call(url, 'POST', '/api/v1/auth/staff/login', { body: { username, password }, cookie, csrf });

// ---- one server for the main flow ---------------------------------------------------------------

let server, url;
const initial = 'Chushi#Mima2026';
const admin = { username: 'admin', password: initial };

before(async () => {
  server = await startServer();
  url = server.url;
});
after(async () => {
  await server?.stop();
});

test('bootstrap refuses bad input and writes nothing, then makes the first administrator', async () => {
  // a weak initial password (R-ID-010): refused, and nothing is created
  let r = bootstrap(server, { password: 'short1A!' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /至少 10 个字符/);
  r = bootstrap(server, { password: 'admin#Pass2026' });          // contains the user name
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /不能包含用户名/);
  r = bootstrap(server, { password: initial, uscc: '91350203M0001QAY9B' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /统一社会信用代码/);
  r = bootstrap(server, { password: initial, division: '999999' });
  assert.equal(r.status, 1, r.stderr);
  // a missing flag is a usage error (exit 2)
  r = spawnSync(bin, ['staff', 'bootstrap', '--data', server.data, '--db', server.db, '--username', 'admin'],
    { input: initial + '\n', encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--department-uscc/);
  problem(await login(url, 'admin', initial), 401, 'LOGIN_FAILED');
  const deps = await call(url, 'GET', '/api/v1/departments');
  if (deps.status === 200) assert.equal(deps.body.departments.length, 0);

  r = bootstrap(server, { password: initial });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /已创建系统管理员 admin/);
  // only once
  r = bootstrap(server, { username: 'admin2', password: 'Another#Pass2026' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /已有工作人员/);
  problem(await login(url, 'admin2', 'Another#Pass2026'), 401, 'LOGIN_FAILED');
});

test('enrolment: the secret is offered with its URI and QR code, confirmed by a code', async () => {
  const first = await login(url, admin.username, admin.password);
  assert.equal(first.status, 200, first.text);
  assert.equal(first.cookie, null, 'no session before the second factor');
  assert.equal(first.body.next, 'enrol');
  assert.match(first.body.ticket, /^[A-Za-z0-9_-]{43}$/);
  assert.match(first.body.secret, /^[A-Z2-7]{32}$/);                 // 20 bytes, base32
  assert.equal(first.body.otpauth_uri, `otpauth://totp/${ISSUER}:admin?secret=${first.body.secret}` +
    `&issuer=${ISSUER}&algorithm=SHA1&digits=6&period=30`);
  assert.match(first.body.qr_svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 (\d+) \1"/);
  const size = Number(/viewBox="0 0 (\d+)/.exec(first.body.qr_svg)[1]);
  assert.equal((size - 8 - 17) % 4, 0, 'a QR symbol is 17 + 4·version modules wide');
  assert.equal(first.headers.get('cache-control'), 'no-store');
  const secret = first.body.secret;

  // the ticket of an enrolment is not one for a TOTP login, and a wrong code is refused
  problem(await call(url, 'POST', '/api/v1/auth/staff/totp', { body: { ticket: first.body.ticket, code: hotp(secret, totpStep()) } }),
    401, 'LOGIN_TICKET_INVALID');
  const wrong = String((Number(hotp(secret, totpStep())) + 1) % 1e6).padStart(6, '0');
  problem(await call(url, 'POST', '/api/v1/auth/staff/enrol', { body: { ticket: first.body.ticket, code: wrong } }),
    401, 'TOTP_INVALID');
  problem(await call(url, 'POST', '/api/v1/auth/staff/enrol', { body: { ticket: first.body.ticket } }),
    400, 'BAD_PARAMETER');
  problem(await call(url, 'POST', '/api/v1/auth/staff/enrol', { body: { ticket: 'x'.repeat(43), code: '123456' } }),
    401, 'LOGIN_TICKET_INVALID');

  const ok = await call(url, 'POST', '/api/v1/auth/staff/enrol', { body: { ticket: first.body.ticket, code: await freshCode(secret) } });
  assert.equal(ok.status, 200, ok.text);
  assert.ok(ok.cookie);
  assert.match(ok.headers.get('set-cookie'), /HttpOnly; SameSite=Lax/);
  assert.equal(ok.body.password_change_required, true);
  assert.equal(ok.body.staff.username, 'admin');
  assert.deepEqual(ok.body.staff.roles.map((g) => [g.role, g.role_name, g.division_code]),
    [['system_admin', '系统管理员', '341300']]);
  // a ticket is spent by its first right code
  problem(await call(url, 'POST', '/api/v1/auth/staff/enrol', { body: { ticket: first.body.ticket, code: await freshCode(secret) } }),
    401, 'LOGIN_TICKET_INVALID');
  Object.assign(admin, { secret, cookie: ok.cookie, csrf: ok.body.csrf_token });

  // enrolled now: the next login asks for a code and offers no secret
  const next = await login(url, admin.username, admin.password);
  assert.equal(next.status, 200);
  assert.deepEqual(Object.keys(next.body).sort(), ['next', 'ticket']);
  assert.equal(next.body.next, 'totp');
  problem(await call(url, 'POST', '/api/v1/auth/staff/enrol', { body: { ticket: next.body.ticket, code: '000000' } }),
    401, 'LOGIN_TICKET_INVALID');
});

test('a required password change: nothing else until it is made, weak ones refused', async () => {
  const c = staffClient(url, { cookie: admin.cookie, csrf: admin.csrf });
  let me = await c.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.kind, 'staff');
  assert.equal(me.body.password_change_required, true);
  assert.equal(me.body.staff.department.name, '宿州市政务服务管理局');
  assert.equal(me.body.csrf_token, admin.csrf);
  // an administrator's action is refused until the password is changed
  const dept = { name: '埇桥区数据资源管理局', uscc: makeUscc('341302'), division_code: '341302',
    parent_id: me.body.staff.department.id };
  problem(await c.post('/api/v1/departments', dept), 403, 'PASSWORD_CHANGE_REQUIRED');

  const weak = [
    ['Aa1#short', /至少 10 个字符/],
    ['alllowercase1', /至少 3 类/],
    ['xxADMINxx#2026', /用户名/],
    [initial, /相同/],
  ];
  for (const [pw, why] of weak) {
    const res = await c.post('/api/v1/auth/staff/password', { old_password: initial, new_password: pw });
    problem(res, 400, 'WEAK_PASSWORD');
    assert.match(res.body.detail, why);
  }
  problem(await c.post('/api/v1/auth/staff/password', { old_password: 'Wrong#Pass2026', new_password: 'Xin#Mima20261' }),
    400, 'PASSWORD_INCORRECT');
  // nothing was written: still the old password, still to be changed
  me = await c.get('/api/v1/me');
  assert.equal(me.body.password_change_required, true);
  assert.equal((await login(url, 'admin', initial)).status, 200);
  // without a session, or without the CSRF header
  problem(await call(url, 'POST', '/api/v1/auth/staff/password', { body: { old_password: initial, new_password: 'Xin#Mima20261' } }),
    401, 'UNAUTHENTICATED');
  problem(await call(url, 'POST', '/api/v1/auth/staff/password', { cookie: admin.cookie, csrf: 'nope',
    body: { old_password: initial, new_password: 'Xin#Mima20261' } }), 403, 'CSRF_FAILED');

  const changed = await c.post('/api/v1/auth/staff/password', { old_password: initial, new_password: 'Xin#Mima20261' });
  assert.equal(changed.status, 204, changed.text);
  admin.password = 'Xin#Mima20261';
  me = await c.get('/api/v1/me');
  assert.equal(me.body.password_change_required, false);
  const days = (me.body.password_expires_at - Date.now()) / 86400000;
  assert.ok(days > 89.9 && days <= 90, `expires in 90 days, not ${days}`);
  const made = await c.post('/api/v1/departments', dept);
  assert.equal(made.status, 201, made.text);
  admin.sub = made.body.department;
  problem(await login(url, 'admin', initial), 401, 'LOGIN_FAILED');
});

test('TOTP login, a replayed code refused, the session rotated', async () => {
  // logged in already: the session's CSRF token goes with the cookie
  const first = await login(url, 'admin', admin.password, admin.cookie, admin.csrf);
  assert.equal(first.body.next, 'totp');
  const step = totpStep();
  markUsed(admin.secret, step + 1);              // the helpers must not spend the steps used here
  const code = hotp(admin.secret, step + 1);
  const ok = await call(url, 'POST', '/api/v1/auth/staff/totp', { body: { ticket: first.body.ticket, code },
    cookie: admin.cookie, csrf: admin.csrf });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.password_change_required, false);
  assert.notEqual(ok.cookie, admin.cookie);
  // the cookie the login came with is over (rotation)
  problem(await call(url, 'GET', '/api/v1/me', { cookie: admin.cookie }), 401, 'UNAUTHENTICATED');
  assert.equal((await call(url, 'GET', '/api/v1/me', { cookie: ok.cookie })).body.kind, 'staff');
  admin.cookie = ok.cookie;
  admin.csrf = ok.body.csrf_token;

  // the same code again, with a fresh ticket: refused; so is the code of an earlier step
  const again = await login(url, 'admin', admin.password);
  problem(await call(url, 'POST', '/api/v1/auth/staff/totp', { body: { ticket: again.body.ticket, code } }), 401, 'TOTP_INVALID');
  problem(await call(url, 'POST', '/api/v1/auth/staff/totp', { body: { ticket: again.body.ticket, code: hotp(admin.secret, step) } }),
    401, 'TOTP_INVALID');
  problem(await call(url, 'POST', '/api/v1/auth/staff/totp', { body: { ticket: again.body.ticket, code: '12345' } }), 401, 'TOTP_INVALID');
  // those three failures are reset by the next whole login (it waits for a fresh step)
  const c = await staffLogin(url, { username: 'admin', password: admin.password, totpSecret: admin.secret });
  assert.equal(c.login.password_change_required, false);
  admin.cookie = c.cookie;
  admin.csrf = c.csrf;
});

test('two requests with one code: only one session', async () => {
  const a = await login(url, 'admin', admin.password);
  const b = await login(url, 'admin', admin.password);
  const code = await freshCode(admin.secret);
  const [ra, rb] = await Promise.all([
    call(url, 'POST', '/api/v1/auth/staff/totp', { body: { ticket: a.body.ticket, code } }),
    call(url, 'POST', '/api/v1/auth/staff/totp', { body: { ticket: b.body.ticket, code } }),
  ]);
  assert.deepEqual([ra.status, rb.status].sort(), [200, 401], ra.text + rb.text);
  const good = ra.status === 200 ? ra : rb;
  admin.cookie = good.cookie;
  admin.csrf = good.body.csrf_token;
});

test('members made by an administrator enrol and change their password; disabled ones cannot log in', async () => {
  const a = staffClient(url, { cookie: admin.cookie, csrf: admin.csrf });
  const clerk = await createStaff(a, { username: 'clerk.wang', name: '王窗口', department_id: admin.sub.id,
    roles: [{ role: 'window_clerk', department_id: admin.sub.id, division_code: '341302' }] });
  const me = await clerk.get('/api/v1/me');
  assert.equal(me.body.kind, 'staff');
  assert.equal(me.body.password_change_required, false);
  assert.deepEqual(me.body.staff.roles.map((g) => g.role), ['window_clerk']);
  // what the roles allow somewhere (roles.def), for the pages to offer only what can be used
  assert.deepEqual(me.body.staff.actions, ['case.apply', 'case.read', 'case.accept', 'case.result']);
  // a clerk is no administrator
  problem(await clerk.post('/api/v1/departments', { name: '某局', uscc: makeUscc('341302'), division_code: '341302' }),
    403, 'FORBIDDEN');

  const off = await a.post(`/api/v1/staff/${clerk.id}/disable`);
  assert.equal(off.status, 200, off.text);
  problem(await clerk.get('/api/v1/me'), 401, 'UNAUTHENTICATED');
  problem(await login(url, 'clerk.wang', clerk.password), 403, 'ACCOUNT_DISABLED');
  // a wrong password does not tell that the account is disabled
  problem(await login(url, 'clerk.wang', 'Wrong#Pass2026'), 401, 'LOGIN_FAILED');
  const on = await a.post(`/api/v1/staff/${clerk.id}/enable`);
  assert.equal(on.status, 200, on.text);
  const back = await staffLogin(url, { username: 'clerk.wang', password: clerk.password, totpSecret: clerk.totpSecret });
  assert.equal(back.login.staff.username, 'clerk.wang');
});

test('bad requests: missing fields, unknown users, no CSRF header', async () => {
  const r = await call(url, 'POST', '/api/v1/auth/staff/login', { body: { username: 'admin' } });
  problem(r, 400, 'BAD_PARAMETER');
  assert.deepEqual(r.body.fields, [{ field: 'password', reason: '必填' }]);
  problem(await login(url, 'nobody', 'Some#Pass2026'), 401, 'LOGIN_FAILED');
  problem(await login(url, 'bad name with spaces', 'Some#Pass2026'), 401, 'LOGIN_FAILED');
  problem(await call(url, 'POST', '/api/v1/auth/staff/login', { body: { username: 'admin', password: 'x' }, csrf: '' }),
    403, 'CSRF_FAILED');
});

test('rate limit per user name', async () => {
  let last;
  for (let i = 0; i < 21; i++) last = await login(url, 'ghost.user', 'Some#Pass2026');
  problem(last, 429, 'RATE_LIMITED');
  assert.ok(Number(last.headers.get('retry-after')) >= 1);
});

test('audit chain intact; no secret or password stored in the clear', async () => {
  const r = spawnSync(bin, ['audit', 'verify', '--data', server.data, '--db', server.db], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  if (backendName() === 'sqlite') {
    const files = readdirSync(server.data).filter((f) => f.startsWith('yiwang.db'));
    const bytes = Buffer.concat(files.map((f) => readFileSync(join(server.data, f)))).toString('latin1');
    for (const s of [admin.secret, initial, admin.password]) assert.ok(!bytes.includes(s), 'stored in the clear: ' + s);
  }
});

// ---- lockout, on a server of its own ----------------------------------------------------------

test('5 failures of password or code lock the account for 30 minutes', async () => {
  const s = await startServer();
  try {
    const adm = await bootstrapAdmin(s);
    const u = adm.username;
    for (let i = 0; i < 3; i++) problem(await login(s.url, u, 'Wrong#Pass2026'), 401, 'LOGIN_FAILED');
    // the right password, a wrong code: the 4th failure
    const t = await login(s.url, u, adm.password);
    assert.equal(t.status, 200);
    problem(await call(s.url, 'POST', '/api/v1/auth/staff/totp', { body: { ticket: t.body.ticket, code: '000000' === hotp(adm.totpSecret, totpStep()) ? '111111' : '000000' } }),
      401, 'TOTP_INVALID');
    // the 5th
    const locked = await login(s.url, u, 'Wrong#Pass2026');
    problem(locked, 423, 'ACCOUNT_LOCKED');
    const until = locked.body.locked_until;
    assert.ok(Math.abs(until - (Date.now() + 30 * 60000)) < 60000, 'locked for 30 minutes');
    assert.match(locked.body.detail, /北京时间/);
    // now even the right password and a right code are refused
    problem(await login(s.url, u, adm.password), 423, 'ACCOUNT_LOCKED');
    problem(await call(s.url, 'POST', '/api/v1/auth/staff/totp', { body: { ticket: t.body.ticket, code: await freshCode(adm.totpSecret) } }),
      423, 'ACCOUNT_LOCKED');
    // the session the administrator already had goes on (the lock is on logging in)
    assert.equal((await adm.get('/api/v1/me')).status, 200);
  } finally {
    await s.stop();
  }
});

// ---- expiry, on a server whose passwords expire at once ---------------------------------------

test('an expired password must be changed (staff-password-max-age-days)', async () => {
  const s = await startServer({ env: { YW_STAFF_PASSWORD_MAX_AGE_DAYS: '0' } });
  try {
    const adm = await bootstrapAdmin(s);             // has changed the initial password already
    const me = await adm.get('/api/v1/me');
    assert.equal(me.body.password_change_required, true);
    assert.ok(me.body.password_expires_at <= Date.now());
    problem(await adm.post('/api/v1/departments', { name: '某局', uscc: makeUscc('341302'), division_code: '341302',
      parent_id: adm.department_id }), 403, 'PASSWORD_CHANGE_REQUIRED');
  } finally {
    await s.stop();
  }
  // the flag form on a server of its own, with a longer period
  const s2 = await startServer({ args: ['--staff-password-max-age-days', '30'] });
  try {
    const adm = await bootstrapAdmin(s2, { password: makePassword() });
    const me = await adm.get('/api/v1/me');
    assert.equal(me.body.password_change_required, false);
    const days = (me.body.password_expires_at - Date.now()) / 86400000;
    assert.ok(days > 29.9 && days <= 30, String(days));
  } finally {
    await s2.stop();
  }
});
