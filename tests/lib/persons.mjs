// Applicants for tests: valid random identities, a JSON client that remembers every body it saw
// (for the "no one else's full ID number" scans), and registration through the sandbox SMS inbox
// (the server must run with --sandbox).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';

// ---- identities (GB 11643 check character, unique mobiles) -------------------------------------

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
export function checkChar(body17) {
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(body17[i]) * W[i];
  return '10X98765432'[s % 11];
}

export function randomId(birth = '19900307', male = true) {
  const seq = String(randomInt(0, 500) * 2 + (male ? 1 : 0)).padStart(3, '0');
  const body = '341302' + birth + seq;
  return body + checkChar(body);
}

const usedMobiles = new Set();
export function randomMobile() {
  for (;;) {
    const m = '139' + String(randomInt(0, 1e8)).padStart(8, '0');
    if (!usedMobiles.has(m)) { usedMobiles.add(m); return m; }
  }
}

// A fresh applicant: { name, id, mobile, password }.
export function newPerson(name, birth = '19900307', male = true) {
  return { name, id: randomId(birth, male), mobile: randomMobile(), password: 'test-pass-' + randomInt(1e9) };
}

// ---- a client that keeps what it saw -----------------------------------------------------------

// Every response body except those the caller marked as the owner's own (owner: true).
export const seenBodies = [];

export async function call(base, method, path, { body, cookie, csrf, headers = {}, owner = false } = {}) {
  const h = { ...headers };
  if (body !== undefined) h['content-type'] = 'application/json';
  if (cookie) h.cookie = cookie;
  if (csrf !== undefined) h['x-csrf-token'] = csrf;
  const res = await fetch(base + path, { method, headers: h, redirect: 'manual',
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!owner) seenBodies.push(text);
  const ct = res.headers.get('content-type') || '';
  const setCookie = res.headers.get('set-cookie');
  const m = setCookie && /yw_session=([^;]*)/.exec(setCookie);
  return { status: res.status, headers: res.headers, text, setCookie,
    cookie: m && m[1] ? 'yw_session=' + m[1] : null,
    body: ct.includes('json') && text ? JSON.parse(text) : undefined };
}

export function problem(res, status, code) {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal(res.body.code, code, res.text);
}

// ---- SMS codes and registration ----------------------------------------------------------------

export async function smsCode(base, mobile) {
  const res = await call(base, 'GET', '/api/v1/sandbox/sms');
  assert.equal(res.status, 200);
  const masked = mobile.slice(0, 3) + '****' + mobile.slice(7);
  const msg = res.body.items.find((i) => i.to === masked);
  assert.ok(msg, 'an SMS to ' + masked);
  return /验证码 (\d{6})/.exec(msg.text)[1];
}

export async function sendCode(base, mobile, purpose) {
  const res = await call(base, 'POST', '/api/v1/auth/sms-codes', { body: { mobile, purpose }, csrf: '1' });
  assert.equal(res.status, 202, res.text);
  assert.equal(res.body.expires_in, 300);
  return res;
}

// Registers p and answers the registration response (201, logged in).
export async function register(base, p) {
  await sendCode(base, p.mobile, 'register');
  const code = await smsCode(base, p.mobile);
  const res = await call(base, 'POST', '/api/v1/auth/register', { csrf: '1',
    body: { name: p.name, id_number: p.id, mobile: p.mobile, password: p.password, sms_code: code,
      address: '安徽省宿州市埇桥区' } });
  assert.equal(res.status, 201, res.text);
  return res;
}

// Registers p and answers a session: { person, cookie, csrf, call(method, path, opts) }.
export async function registerSession(base, p) {
  const res = await register(base, p);
  const s = { person: res.body.person, cookie: res.cookie, csrf: res.body.csrf_token };
  s.call = (method, path, opts = {}) => call(base, method, path, { cookie: s.cookie, csrf: s.csrf, ...opts });
  return s;
}

// ---- the database under a test server ----------------------------------------------------------

// One SQL query on a server's database (sqlite3 or psql), rows as arrays of strings.
export function sql(server, query) {
  const out = server.db.startsWith('postgres')
    ? execFileSync('psql', ['-XAtq', '-F', '|', server.db, '-c', query], { encoding: 'utf8' })
    : execFileSync('sqlite3', ['-separator', '|', join(server.data, 'yiwang.db'), query], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l).map((l) => l.split('|'));
}

// ---- organisations and departments: unified social credit codes (GB 32100) ---------------------

// randomUscc(kind = '11', division = '341300'): "11" 机关, "91" 企业.
export { randomUscc } from '../../scripts/lib/codes.mjs';
