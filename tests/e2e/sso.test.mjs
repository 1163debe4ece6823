// Browser test of single sign-on: a person signed in at the portal opens a department system's
// authorization URL, sees the consent page (which system, what it will learn), agrees, and lands
// at the system's redirect URI — a tiny local http server here — with a code and the state.
// An anonymous visitor is sent to the login page first. And a system admin registers a system on
// the admin page /admin/clients and is shown its secret once.
//
//   node --test tests/e2e/sso.test.mjs
//
// Screenshots go to tests/e2e/out/: sso-consent.png (phone width), admin-clients-secret.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { join } from 'node:path';
import * as oc from 'openid-client';
import { DESKTOP, OUT, PHONE, closeSuite, newPage, openSuite } from '../lib/browser.mjs';
import { newPerson, registerSession } from '../lib/persons.mjs';
import { bootstrapAdmin } from '../lib/staff.mjs';

let srv, browser, rp, rpUrl, admin;
const arrivals = [];

before(async () => {
  // the department system: answers its callback with a page and remembers what arrived
  rp = createServer((req, res) => {
    // the browser asks for the site's icon on its own, at a moment of its choosing: not an arrival
    if (req.url === '/favicon.ico') {
      res.writeHead(404);
      res.end();
      return;
    }
    arrivals.push(new URL(req.url, rpUrl));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>部门系统</title><p>已回到部门系统</p>');
  });
  await new Promise((resolve) => rp.listen(0, '127.0.0.1', resolve));
  rpUrl = `http://127.0.0.1:${rp.address().port}`;
  ({ srv, browser } = await openSuite({ args: ['--sandbox'] }));
  admin = await bootstrapAdmin(srv);
});

after(async () => {
  await closeSuite({ srv, browser });
  rp?.close();
});

test('a signed-in person consents and lands at the department system with a code', async () => {
  const made = await admin.post('/api/v1/oidc/clients', { name: '宿州市公积金管理系统',
    redirect_uris: [rpUrl + '/callback'], scopes: ['openid', 'profile', 'phone'] });
  assert.equal(made.status, 201, made.text);
  const config = await oc.discovery(new URL(srv.url), made.body.client.id, undefined,
    oc.ClientSecretBasic(made.body.client_secret), { execute: [oc.allowInsecureRequests] });
  const verifier = oc.randomPKCECodeVerifier();
  const state = oc.randomState();
  const nonce = oc.randomNonce();
  const url = oc.buildAuthorizationUrl(config, { redirect_uri: rpUrl + '/callback', scope: 'openid profile phone',
    state, nonce, code_challenge: await oc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256' });

  // anonymous: the login page first, with the way back in ?next=
  const anon = await browser.newContext();
  const ap = await anon.newPage();
  await ap.goto(url.href);
  await ap.waitForURL((u) => u.pathname === '/login');
  assert.match(new URL(ap.url()).searchParams.get('next'), /^\/sso\/consent\?/);
  await anon.close();

  // signed in at the portal (the session cookie of a registration)
  const person = newPerson('周八', '19900101');
  const s = await registerSession(srv.url, person);
  const context = await browser.newContext(PHONE);
  await context.addCookies([{ name: 'yw_session', value: s.cookie.split('=')[1], url: srv.url }]);
  const { page, errors } = await newPage(context);
  await page.goto(url.href);
  await page.waitForURL((u) => u.pathname === '/sso/consent');
  const name = page.locator('[data-test="client-name"]');
  await name.waitFor();
  assert.equal(await name.textContent(), '宿州市公积金管理系统');
  const scopes = await page.locator('[data-test="scopes"] li').allTextContents();
  assert.deepEqual(scopes, ['确认您的身份（平台用户标识）', '您的姓名', '您的手机号码']);
  await page.screenshot({ path: join(OUT, 'sso-consent.png'), fullPage: true });
  // nothing overflows the phone's width
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375));

  await page.locator('[data-test="allow"]').click();
  await page.waitForURL((u) => u.href.startsWith(rpUrl + '/callback'));
  const at = new URL(page.url());
  assert.ok(at.searchParams.get('code'), 'a code in the callback');
  assert.equal(at.searchParams.get('state'), state);
  assert.equal(arrivals.length, 1);
  // and the code is good for tokens
  const tokens = await oc.authorizationCodeGrant(config, at, { pkceCodeVerifier: verifier, expectedState: state,
    expectedNonce: nonce });
  assert.equal(tokens.claims().sub, s.person.id);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a system admin registers a department system at /admin/clients and sees its secret once', async () => {
  const context = await browser.newContext(DESKTOP);
  await context.addCookies([{ name: 'yw_session', value: admin.cookie.split('=')[1], url: srv.url }]);
  const { page, errors } = await newPage(context);
  await page.goto(srv.url + '/admin/clients');
  await page.locator('[data-test="client-table"]').waitFor();
  await page.locator('[data-test="client-new"]').click();
  await page.locator('input[data-test="client-form-name"], [data-test="client-form-name"] input').fill('宿州市社保业务系统');
  await page.locator('textarea[data-test="client-form-redirects"], [data-test="client-form-redirects"] textarea').fill('https://sb.example.gov.cn/oidc/cb');
  await page.locator('.el-checkbox', { hasText: '姓名' }).click();
  await page.locator('[data-test="client-form-save"]').click();
  const secret = page.locator('[data-test="client-secret-value"]');
  await secret.waitFor();
  assert.match(await secret.textContent(), /^[A-Za-z0-9_-]{43}$/);
  await page.screenshot({ path: join(OUT, 'admin-clients-secret.png') });
  const id = (await page.locator('[data-test="client-id"]').textContent()).trim();
  // what the page registered is what the API holds, without the secret
  const res = await admin.get(`/api/v1/oidc/clients/${id}`);
  assert.equal(res.status, 200);
  assert.equal(res.body.client.name, '宿州市社保业务系统');
  assert.deepEqual(res.body.client.redirect_uris, ['https://sb.example.gov.cn/oidc/cb']);
  assert.deepEqual(res.body.client.scopes, ['openid', 'profile']);
  await page.getByRole('button', { name: '我已保存' }).click();
  await page.locator('[data-test="client-name"]', { hasText: '宿州市社保业务系统' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
