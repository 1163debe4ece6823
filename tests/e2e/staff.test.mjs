// Browser test of staff login (R-ID-010, R-ID-011): the first administrator, made with
// `yiwang staff bootstrap`, logs in through /staff/login: password, then binding an
// authenticator with the secret the page shows (the code is computed here, as the phone app
// would), then the required password change, and lands on ?next=. Then a second login asks for
// a code only, a wrong code is refused on the page, and /staff/password changes the password.
//
// Screenshots go to tests/e2e/out/: staff-enrol.png, staff-change.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { DESKTOP, OUT, closeSuite, input, newContext, newPage as pageIn, openSuite } from '../lib/browser.mjs';
import { bootstrapStaff, freshCode, hotp, totpStep } from '../lib/staff.mjs';

const INITIAL = 'Chushi#Mima2026';
const SECOND = 'Di2ge#Mima2026';
const THIRD = 'Di3ge#Mima2026';

let srv;
let browser;

before(async () => {
  ({ srv, browser } = await openSuite());
  bootstrapStaff(srv, { username: 'wang.admin', name: '王管理', departmentName: '宿州市政务服务管理局',
    division: '341300', password: INITIAL });
});

after(() => closeSuite({ srv, browser }));

async function newPage() {
  const context = await newContext(browser, DESKTOP);
  return { context, ...(await pageIn(context)) };
}

const $ = (page, name) => page.locator(`[data-test="${name}"]`);

let secret;

test('first login: password, bind the authenticator from the page, change the password, go on', async () => {
  const { context, page, errors } = await newPage();
  // a staff page sends an anonymous visitor to the staff login, remembering where to go
  await page.goto(`${srv.url}/admin/staff`);
  await page.waitForURL(/\/staff\/login\?next=/);
  await input(page, 'staff-username').fill('wang.admin');
  await input(page, 'staff-password').fill(INITIAL);
  await $(page, 'staff-password-submit').click();

  await $(page, 'staff-enrol').waitFor();
  const qr = $(page, 'staff-enrol-qr').locator('svg');
  await qr.waitFor();
  const box = await qr.boundingBox();
  assert.ok(box.width >= 150 && box.height >= 150, 'the QR code is shown large enough to scan');
  // the secret as the page shows it (groups of four) is what a person would type into the app
  secret = (await $(page, 'staff-enrol-secret').innerText()).replace(/\s+/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  // what a phone camera would read: the QR code drawn into a canvas, decoded with jsQR
  const img = await qr.evaluate(async (svg) => {
    const url = 'data:image/svg+xml;base64,' + btoa(unescape(encodeURIComponent(new XMLSerializer().serializeToString(svg))));
    const im = new Image();
    await new Promise((ok, bad) => { im.onload = ok; im.onerror = bad; im.src = url; });
    const c = document.createElement('canvas');
    c.width = c.height = 400;
    const g = c.getContext('2d');
    g.drawImage(im, 0, 0, 400, 400);
    return Array.from(g.getImageData(0, 0, 400, 400).data);
  });
  const decoded = jsQR(Uint8ClampedArray.from(img), 400, 400);
  assert.ok(decoded, 'the QR code decodes');
  assert.equal(decoded.data, `otpauth://totp/%E4%B8%80%E7%BD%91%E9%80%9A%E5%8A%9E:wang.admin?secret=${secret}` +
    '&issuer=%E4%B8%80%E7%BD%91%E9%80%9A%E5%8A%9E&algorithm=SHA1&digits=6&period=30');
  await page.screenshot({ path: join(OUT, 'staff-enrol.png'), fullPage: true });

  // a wrong code first: refused, and the page stays on the code step
  const wrong = String((Number(hotp(secret, totpStep())) + 500000) % 1e6).padStart(6, '0');
  await input(page, 'staff-code').fill(wrong);
  await $(page, 'staff-code-submit').click();
  await $(page, 'staff-login-error').waitFor();
  assert.match(await $(page, 'staff-login-error').innerText(), /动态口令不正确/);

  await input(page, 'staff-code').fill(await freshCode(secret));
  await $(page, 'staff-code-submit').click();

  // the initial password must be changed before anything else; a weak one is refused
  await $(page, 'staff-change-form').waitFor();
  await input(page, 'staff-new-password').fill('weakpassword');
  await input(page, 'staff-new-password-confirm').fill('weakpassword');
  await $(page, 'staff-change-submit').click();
  await page.getByText('至少 3 类').first().waitFor();
  await page.screenshot({ path: join(OUT, 'staff-change.png'), fullPage: true });
  await input(page, 'staff-new-password').fill(SECOND);
  await input(page, 'staff-new-password-confirm').fill(SECOND);
  await $(page, 'staff-change-submit').click();

  await page.waitForURL(/\/admin\/staff$/);
  await $(page, 'admin-user-name').waitFor();
  assert.equal(await $(page, 'admin-user-name').innerText(), '王管理');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a later login asks for a code only; /staff/password changes the password', async () => {
  const { context, page, errors } = await newPage();
  await page.goto(`${srv.url}/staff/login`);
  await input(page, 'staff-username').fill('wang.admin');
  await input(page, 'staff-password').fill(SECOND);
  await $(page, 'staff-password-submit').click();
  await $(page, 'staff-code-form').waitFor();
  assert.equal(await $(page, 'staff-enrol').count(), 0, 'no secret offered once bound');
  await input(page, 'staff-code').fill(await freshCode(secret));
  await $(page, 'staff-code-submit').click();
  await page.waitForURL(/\/admin$/);

  await page.goto(`${srv.url}/staff/password`);
  await input(page, 'staff-old-password').fill('Wrong#Mima2026');
  await input(page, 'staff-new-password').fill(THIRD);
  await input(page, 'staff-new-password-confirm').fill(THIRD);
  await $(page, 'staff-password-change-submit').click();
  await $(page, 'staff-password-error').waitFor();
  assert.match(await $(page, 'staff-password-error').innerText(), /当前密码不正确/);
  await input(page, 'staff-old-password').fill(SECOND);
  await $(page, 'staff-password-change-submit').click();
  await page.waitForURL(/\/admin$/);

  // the new password is the one that works now
  const res = await fetch(`${srv.url}/api/v1/auth/staff/login`, { method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': '1' },
    body: JSON.stringify({ username: 'wang.admin', password: THIRD }) });
  assert.equal(res.status, 200);
  assert.deepEqual(errors, []);
  await context.close();
});
