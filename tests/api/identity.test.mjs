// Applicants over HTTP: registration, password and SMS login, sessions, CSRF, lockout, rate
// limits, recovery and the sandbox SMS inbox. Codes are read from GET /api/v1/sandbox/sms.
//
// The SMS limit of one code per mobile per minute is in memory, per process (R-ID-007), so the
// tests that need a second code for a number registered in phase 1 run on the same data after a
// restart of the server (phase 2).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startServer, root, binary } from '../lib/server.mjs';
import { checkChar, randomId, randomMobile, seenBodies, call, problem, smsCode, sendCode, register, sql }
  from '../lib/persons.mjs';

const seen = seenBodies;    // every response body except the owner's own /me

const CODE_INVALID = '验证码不正确或已失效，请重新获取';

async function login(base, account, password, extra = {}) {
  return call(base, 'POST', '/api/v1/auth/login', { body: { account, password }, csrf: '1', ...extra });
}

// ---- servers ----------------------------------------------------------------------------------

let srv, base, phase2;
const A = { name: '张三', id: randomId('19900307', true), mobile: randomMobile(), password: '春眠不觉晓处处闻啼鸟' };
const B = { name: '李四', id: randomId('19850612', false), mobile: randomMobile(), password: 'correct horse battery' };
const C = { name: '王五', id: randomId('19780101', true), mobile: randomMobile(), password: 'old-password-C-1' };
const D = { name: '赵六', id: randomId('20000229', false), mobile: randomMobile(), password: 'lock-me-out-D-9' };
const F = { name: '周九', id: randomId('19880808'), mobile: randomMobile(), password: 'nine-lives-cat' };
const people = [A, B, C, D];

// Stop the first server's process and start another on the same data and database.
async function restart() {
  srv.child.kill('SIGTERM');
  const code = await new Promise((resolve) => srv.child.exitCode !== null ? resolve(srv.child.exitCode)
    : srv.child.on('exit', (c) => resolve(c)));
  assert.equal(code, 0, srv.stderr().slice(-5000));
  const child = spawn(binary, ['serve', '--listen', '127.0.0.1:0', '--data', srv.data, '--db', srv.db,
    '--web', join(root, 'web', 'dist'), '--sandbox'], {
    env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (c, s) => resolve({ code: c, signal: s })));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[0-9.]+:\d+)/);
      if (m) resolve(m[1]);
    });
    exited.then(({ code: c }) => reject(new Error(`server exited with ${c}\n${stderr}`)));
  });
  return { url, stderr: () => stderr, async stop() {
    child.kill('SIGTERM');
    const r = await exited;
    if (r.code !== 0) throw new Error(`server exited with ${r.code} ${r.signal}\n${stderr.slice(-20000)}`);
  } };
}

before(async () => {
  srv = await startServer({ args: ['--sandbox'] });
  base = srv.url;
});

after(async () => {
  if (phase2) await phase2.stop();
  await srv.stop();
});

// ---- phase 1 ----------------------------------------------------------------------------------

let aCookie, aCsrf;

test('register logs in; /me shows the owner full numbers, everything else masked', async () => {
  const res = await register(base, A);
  assert.match(res.setCookie, /^yw_session=[A-Za-z0-9_-]{43}; Path=\/; .*HttpOnly; SameSite=Lax/);
  assert.doesNotMatch(res.setCookie, /Secure/);
  assert.equal(res.body.person.name, '张三');
  assert.equal(res.body.person.id_number_masked, A.id.slice(0, 4) + '**********' + A.id.slice(14));
  assert.equal(res.body.person.mobile_masked, A.mobile.slice(0, 3) + '****' + A.mobile.slice(7));
  assert.equal(res.body.person.gender, '男');
  assert.equal(res.body.person.id_number, undefined);
  assert.ok(res.body.csrf_token);
  aCookie = res.cookie;
  aCsrf = res.body.csrf_token;

  const me = await call(base, 'GET', '/api/v1/me', { cookie: aCookie, owner: true });
  assert.equal(me.status, 200);
  assert.equal(me.body.id_number, A.id);
  assert.equal(me.body.mobile, A.mobile);
  assert.equal(me.body.birth_date, '1990-03-07');
  assert.equal(me.body.gender, '男');
  assert.equal(me.body.address, '安徽省宿州市埇桥区');
  assert.equal(me.body.csrf_token, aCsrf);
  assert.equal(me.body.id, res.body.person.id);
});

test('the sandbox inbox shows masked numbers only, newest first', async () => {
  const res = await call(base, 'GET', '/api/v1/sandbox/sms');
  assert.equal(res.status, 200);
  assert.ok(res.body.items.length >= 1);
  for (const m of res.body.items) {
    assert.match(m.to, /^1\d{2}\*{4}\d{4}$/);
    assert.match(m.text, /^【一网通办】验证码 \d{6}，5 分钟内有效。$/);
    assert.equal(typeof m.at, 'number');
  }
});

test('the other persons register; a 15-digit ID is upgraded', async () => {
  await register(base, B);
  await register(base, C);
  await register(base, D);
  // 15-digit form of a fresh person: area 341302, birth 850101 (YYMMDD), sequence 123
  const id15 = '341302850101123';
  const E = { name: '钱七', id: id15, mobile: randomMobile(), password: 'fifteen-digits-ok' };
  const res = await register(base, E);
  const body17 = '34130219850101123';
  const id18 = body17 + checkChar(body17);
  people.push({ ...E, id: id18 });
  assert.equal(res.body.person.id_number_masked, id18.slice(0, 4) + '**********' + id18.slice(14));
  assert.equal(res.body.person.gender, '男');
  const login18 = await login(base, id18, E.password);
  assert.equal(login18.status, 200, login18.text);
});

test('bad registrations are refused with their code and write nothing', async () => {
  const fresh = randomMobile();
  const good = { name: '孙八', id_number: randomId('19950505'), mobile: fresh, password: 'a-fine-password', sms_code: '000000' };
  const reg = (over) => call(base, 'POST', '/api/v1/auth/register', { csrf: '1', body: { ...good, ...over } });

  const badCheck = good.id_number.slice(0, 17) + (good.id_number[17] === '0' ? '1' : '0');
  problem(await reg({ id_number: badCheck }), 400, 'BAD_ID_NUMBER');
  const future = '34130220990101123';
  problem(await reg({ id_number: future + checkChar(future) }), 400, 'BAD_ID_NUMBER');
  problem(await reg({ mobile: '12345' }), 400, 'BAD_MOBILE');
  problem(await reg({ password: 'short7!' }), 400, 'WEAK_PASSWORD');
  problem(await reg({ password: 'Password1' }), 400, 'WEAK_PASSWORD');   // among the most common
  problem(await reg({ password: 'x'.repeat(129) }), 400, 'WEAK_PASSWORD');
  const noName = await reg({ name: '' });
  problem(noName, 400, 'BAD_PARAMETER');
  assert.ok(noName.body.fields.some((f) => f.field === 'name'));
  const longName = await reg({ name: '名'.repeat(51) });
  problem(longName, 400, 'BAD_PARAMETER');
  assert.ok(longName.body.fields.some((f) => f.field === 'name'));
  const missing = await call(base, 'POST', '/api/v1/auth/register', { csrf: '1', body: { name: '孙八' } });
  problem(missing, 400, 'BAD_PARAMETER');
  assert.deepEqual(missing.body.fields.map((f) => f.field).sort(), ['id_number', 'mobile', 'password', 'sms_code']);
  // no code was ever sent to this number
  problem(await reg({}), 400, 'SMS_CODE_INVALID');

  // without a valid code, a taken ID or mobile is not revealed: the same code answer
  for (const over of [{ id_number: A.id }, { mobile: A.mobile }]) {
    const r = await reg(over);
    problem(r, 400, 'SMS_CODE_INVALID');
    assert.equal(r.body.detail, CODE_INVALID);
  }
  // with one, A's ID is named taken (A's mobile: phase 2, where a new code for it can be had)
  await sendCode(base, fresh, 'register');
  const dupId = await reg({ id_number: A.id, sms_code: await smsCode(base, fresh) });
  problem(dupId, 409, 'ALREADY_REGISTERED');
  assert.ok(dupId.body.detail.includes(A.id.slice(0, 4) + '**********'), dupId.body.detail);

  // nothing was written: the refused ID cannot log in, A still logs in with her own password
  problem(await login(base, good.id_number, good.password), 401, 'LOGIN_FAILED');
  problem(await login(base, fresh, good.password), 401, 'LOGIN_FAILED');
  assert.equal((await login(base, A.id, A.password)).status, 200);
});

test('a wrong SMS code is refused, and the right one still works afterwards', async () => {
  await sendCode(base, F.mobile, 'register');
  const code = await smsCode(base, F.mobile);
  const wrong = code === '000000' ? '111111' : '000000';
  const body = { name: F.name, id_number: F.id, mobile: F.mobile, password: F.password };
  problem(await call(base, 'POST', '/api/v1/auth/register', { csrf: '1', body: { ...body, sms_code: wrong } }),
    400, 'SMS_CODE_INVALID');
  problem(await login(base, F.id, F.password), 401, 'LOGIN_FAILED');
  const ok = await call(base, 'POST', '/api/v1/auth/register', { csrf: '1', body: { ...body, sms_code: code } });
  assert.equal(ok.status, 201, ok.text);
  people.push(F);
  // single use: a spent code is refused before the duplicate could be named
  const again = await call(base, 'POST', '/api/v1/auth/register', { csrf: '1',
    body: { ...body, id_number: randomId('19700101'), mobile: F.mobile, sms_code: code } });
  problem(again, 400, 'SMS_CODE_INVALID');
  assert.equal(again.body.detail, CODE_INVALID);
});

test('login by ID number and by mobile; an unknown account is the same 401', async () => {
  const byId = await login(base, B.id.toLowerCase(), B.password);
  assert.equal(byId.status, 200, byId.text);
  assert.equal(byId.body.person.name, '李四');
  assert.equal(byId.body.person.gender, '女');
  assert.ok(byId.body.csrf_token);
  const byMobile = await login(base, '+86' + B.mobile, B.password);
  assert.equal(byMobile.status, 200, byMobile.text);
  const wrong = await login(base, B.mobile, 'not-the-password');
  const unknown = await login(base, randomMobile(), 'not-the-password');
  const garbage = await login(base, 'nobody', 'not-the-password');
  for (const r of [wrong, unknown, garbage]) problem(r, 401, 'LOGIN_FAILED');
  assert.equal(wrong.body.detail, unknown.body.detail);
  assert.equal(wrong.body.title, unknown.body.title);
});

test('the session id rotates on login, and logout kills the old cookie', async () => {
  const first = await login(base, C.id, C.password);
  assert.equal(first.status, 200);
  const second = await login(base, C.id, C.password, { cookie: first.cookie, csrf: first.body.csrf_token });
  assert.equal(second.status, 200, second.text);
  assert.notEqual(second.cookie, first.cookie);
  assert.notEqual(second.body.csrf_token, first.body.csrf_token);
  // the cookie sent with the login was ended server-side
  problem(await call(base, 'GET', '/api/v1/me', { cookie: first.cookie }), 401, 'UNAUTHENTICATED');
  const me = await call(base, 'GET', '/api/v1/me', { cookie: second.cookie, owner: true });
  assert.equal(me.status, 200);

  const out = await call(base, 'POST', '/api/v1/auth/logout', { cookie: second.cookie, csrf: second.body.csrf_token });
  assert.equal(out.status, 204);
  assert.match(out.setCookie, /yw_session=;.*Max-Age=0/);
  problem(await call(base, 'GET', '/api/v1/me', { cookie: second.cookie }), 401, 'UNAUTHENTICATED');
  problem(await call(base, 'GET', '/api/v1/me'), 401, 'UNAUTHENTICATED');
});

test('state-changing requests need the CSRF header', async () => {
  // with a session: missing or wrong token
  problem(await call(base, 'POST', '/api/v1/auth/logout', { cookie: aCookie }), 403, 'CSRF_FAILED');
  problem(await call(base, 'POST', '/api/v1/auth/logout', { cookie: aCookie, csrf: 'wrong' }), 403, 'CSRF_FAILED');
  problem(await call(base, 'POST', '/api/v1/auth/logout', { cookie: aCookie, csrf: '' }), 403, 'CSRF_FAILED');
  // the session survived the refused logouts
  assert.equal((await call(base, 'GET', '/api/v1/me', { cookie: aCookie, owner: true })).status, 200);
  // without a session: login needs a non-empty header
  problem(await call(base, 'POST', '/api/v1/auth/login', { body: { account: A.id, password: A.password } }),
    403, 'CSRF_FAILED');
  problem(await call(base, 'POST', '/api/v1/auth/sms-codes', { body: { mobile: randomMobile(), purpose: 'register' } }),
    403, 'CSRF_FAILED');
});

test('behind TLS the cookie is Secure', async () => {
  const res = await login(base, A.id, A.password, { headers: { 'x-forwarded-proto': 'https' } });
  assert.equal(res.status, 200);
  assert.match(res.setCookie, /; Secure/);
});

test('five wrong passwords lock the account for 30 minutes', async () => {
  for (let i = 1; i <= 4; i++) problem(await login(base, D.mobile, 'wrong-' + i + '-password'), 401, 'LOGIN_FAILED');
  const fifth = await login(base, D.mobile, 'wrong-5-password');
  problem(fifth, 423, 'ACCOUNT_LOCKED');
  const until = fifth.body.locked_until;
  assert.ok(until > Date.now() + 29 * 60e3 && until <= Date.now() + 30 * 60e3, String(until));
  assert.match(fifth.body.detail, /锁定至/);
  // even the right password is refused while locked
  problem(await login(base, D.id, D.password), 423, 'ACCOUNT_LOCKED');
});

test('success resets the failure count', async () => {
  // (per-account login limit: 10 per 15 minutes, so the failures and successes use both accounts)
  for (let i = 0; i < 4; i++) problem(await login(base, F.id, 'nope-nope-' + i), 401, 'LOGIN_FAILED');
  assert.equal((await login(base, F.mobile, F.password)).status, 200);
  for (let i = 0; i < 4; i++) problem(await login(base, F.id, 'nope-nope-' + i), 401, 'LOGIN_FAILED');
  assert.equal((await login(base, F.mobile, F.password)).status, 200);
});

test('login and recovery codes for an unregistered number: the same 202, nothing sent', async () => {
  const nobody = randomMobile();
  const rowsBefore = Number(sql(srv, 'SELECT count(*) FROM sms_codes')[0][0]);
  await sendCode(base, nobody, 'login');
  await sendCode(base, randomMobile(), 'recover');
  const inbox = await call(base, 'GET', '/api/v1/sandbox/sms');
  assert.ok(!inbox.body.items.some((m) => m.to === nobody.slice(0, 3) + '****' + nobody.slice(7)));
  // a code row is stored all the same (never sent), so the write costs what it costs for a
  // registered number and later tries are counted alike
  assert.equal(Number(sql(srv, 'SELECT count(*) FROM sms_codes')[0][0]), rowsBefore + 2);
  const r = await call(base, 'POST', '/api/v1/auth/login/sms', { csrf: '1', body: { mobile: nobody, code: '123456' } });
  problem(r, 400, 'SMS_CODE_INVALID');
  assert.equal(r.body.detail, CODE_INVALID);
  const badPurpose = await call(base, 'POST', '/api/v1/auth/sms-codes', { csrf: '1', body: { mobile: nobody, purpose: 'spam' } });
  problem(badPurpose, 400, 'BAD_PARAMETER');
});

test('SMS codes are rate-limited: one per mobile per minute', async () => {
  const m = randomMobile();
  await sendCode(base, m, 'register');
  const again = await call(base, 'POST', '/api/v1/auth/sms-codes', { csrf: '1', body: { mobile: m, purpose: 'register' } });
  problem(again, 429, 'RATE_LIMITED');
  const retry = Number(again.headers.get('retry-after'));
  assert.ok(retry >= 1 && retry <= 60, String(retry));
});

// ---- phase 2: the same data after a restart (the in-memory SMS limits start afresh) -----------

test('SMS login, after a restart', async () => {
  phase2 = await restart();
  const url = phase2.url;
  // sessions live in the database, so A's cookie survives the restart
  assert.equal((await call(url, 'GET', '/api/v1/me', { cookie: aCookie, owner: true })).status, 200);
  await sendCode(url, B.mobile, 'login');
  const code = await smsCode(url, B.mobile);
  problem(await call(url, 'POST', '/api/v1/auth/login/sms', { csrf: '1', body: { mobile: B.mobile, code: code === '999999' ? '000000' : '999999' } }),
    400, 'SMS_CODE_INVALID');
  const ok = await call(url, 'POST', '/api/v1/auth/login/sms', { csrf: '1', body: { mobile: B.mobile, code } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.person.name, '李四');
  const reuse = await call(url, 'POST', '/api/v1/auth/login/sms', { csrf: '1', body: { mobile: B.mobile, code } });
  problem(reuse, 400, 'SMS_CODE_INVALID');
  assert.equal(reuse.body.detail, CODE_INVALID);
});

test('one SMS code, 8 concurrent logins: exactly one succeeds', async () => {
  const url = phase2.url;
  const E = people[4];
  await sendCode(url, E.mobile, 'login');
  const code = await smsCode(url, E.mobile);
  const all = await Promise.all(Array.from({ length: 8 }, () =>
    call(url, 'POST', '/api/v1/auth/login/sms', { csrf: '1', body: { mobile: E.mobile, code } })));
  assert.equal(all.filter((r) => r.status === 200).length, 1, all.map((r) => r.status).join(','));
  for (const r of all.filter((x) => x.status !== 200)) problem(r, 400, 'SMS_CODE_INVALID');
});

test('with a valid code, a taken mobile is named; registration is rate-limited per mobile', async () => {
  const url = phase2.url;
  await sendCode(url, A.mobile, 'register');
  const code = await smsCode(url, A.mobile);
  const body = { name: '孙八', id_number: randomId('19920202'), mobile: A.mobile, password: 'a-fine-password' };
  const dup = await call(url, 'POST', '/api/v1/auth/register', { csrf: '1', body: { ...body, sms_code: code } });
  problem(dup, 409, 'ALREADY_REGISTERED');
  assert.ok(dup.body.detail.includes(A.mobile.slice(0, 3) + '****'), dup.body.detail);
  // 10 per mobile per 15 minutes, counted before any code check or password hash
  const m = randomMobile();
  let last;
  for (let i = 0; i < 11; i++)
    last = await call(url, 'POST', '/api/v1/auth/register', { csrf: '1', body: { ...body, mobile: m, sms_code: '000000' } });
  problem(last, 429, 'RATE_LIMITED');
  assert.ok(Number(last.headers.get('retry-after')) > 0);
});

test('recovery sets a new password and ends every session of the person', async () => {
  const url = phase2.url;
  const s1 = await login(url, C.id, C.password);
  const s2 = await login(url, C.mobile, C.password);
  assert.equal(s1.status, 200);
  assert.equal(s2.status, 200);
  await sendCode(url, C.mobile, 'recover');
  const code = await smsCode(url, C.mobile);
  const weak = await call(url, 'POST', '/api/v1/auth/recover', { csrf: '1', body: { mobile: C.mobile, code, new_password: '12345678' } });
  problem(weak, 400, 'WEAK_PASSWORD');
  const res = await call(url, 'POST', '/api/v1/auth/recover', { csrf: '1', body: { mobile: C.mobile, code, new_password: 'brand-new-secret-C' } });
  assert.equal(res.status, 204, res.text);
  for (const s of [s1, s2]) problem(await call(url, 'GET', '/api/v1/me', { cookie: s.cookie }), 401, 'UNAUTHENTICATED');
  problem(await login(url, C.id, C.password), 401, 'LOGIN_FAILED');
  assert.equal((await login(url, C.id, 'brand-new-secret-C')).status, 200);
});

test('recovery also lifts a lockout', async () => {
  const url = phase2.url;
  problem(await login(url, D.id, D.password), 423, 'ACCOUNT_LOCKED');
  await sendCode(url, D.mobile, 'recover');
  const code = await smsCode(url, D.mobile);
  const res = await call(url, 'POST', '/api/v1/auth/recover', { csrf: '1', body: { mobile: D.mobile, code, new_password: 'unlocked-again-D' } });
  assert.equal(res.status, 204, res.text);
  assert.equal((await login(url, D.id, 'unlocked-again-D')).status, 200);
});

test('logins are rate-limited per account', async () => {
  const url = phase2.url;
  const account = randomMobile();
  let last;
  for (let i = 0; i < 11; i++) last = await login(url, account, 'whatever-password');
  problem(last, 429, 'RATE_LIMITED');
  assert.ok(Number(last.headers.get('retry-after')) > 0);
});

test('no response body and no log line carries another person\'s full ID number', async () => {
  const logs = srv.stderr() + (phase2 ? phase2.stderr() : '');
  for (const p of people) {
    for (const text of seen) assert.ok(!text.includes(p.id), 'a response contains ' + p.name + "'s ID number");
    assert.ok(!logs.includes(p.id), 'the log contains ' + p.name + "'s ID number");
    assert.ok(!logs.includes(p.mobile), 'the log contains ' + p.name + "'s mobile");
  }
  assert.ok(seen.length > 50);
});

test('without --sandbox the inbox does not exist, and no message is stored or logged', async () => {
  const plain = await startServer();
  try {
    problem(await call(plain.url, 'GET', '/api/v1/sandbox/sms'), 404, 'NOT_FOUND');
    const m = randomMobile();
    await sendCode(plain.url, m, 'register');
    assert.equal(sql(plain, 'SELECT count(*) FROM sandbox_sms')[0][0], '0');
    assert.equal(sql(plain, 'SELECT count(*) FROM sms_codes')[0][0], '1');
    const log = plain.stderr();
    assert.match(log, /no SMS channel: message dropped/);
    assert.ok(!log.includes(m) && !log.includes(m.slice(7)) && !log.includes('验证码'), log);
  } finally {
    await plain.stop();
  }
});

test('6 concurrent wrong passwords lock the account; failures are audited as anonymous', async () => {
  const own = await startServer({ args: ['--sandbox'] });
  try {
    const G = { name: '吴十', id: randomId('19660606'), mobile: randomMobile(), password: 'race-me-G-please' };
    await register(own.url, G);
    const all = await Promise.all(Array.from({ length: 6 }, (_, i) => login(own.url, G.id, 'wrong-pass-' + i)));
    assert.ok(all.every((r) => r.status === 401 || r.status === 423), all.map((r) => r.status).join(','));
    assert.ok(all.some((r) => r.status === 423), all.map((r) => r.status).join(','));
    problem(await login(own.url, G.id, G.password), 423, 'ACCOUNT_LOCKED');
    const rows = sql(own, "SELECT action, actor FROM audit_log WHERE action IN ('person.login_failed', 'person.lock')");
    assert.ok(rows.some((r) => r[0] === 'person.lock'), JSON.stringify(rows));
    assert.ok(rows.length >= 5 && rows.every((r) => r[1] === 'anonymous'), JSON.stringify(rows));
  } finally {
    await own.stop();
  }
});
