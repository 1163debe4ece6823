// Browser test of applicant accounts: register through the pages with a code read from the SMS
// sandbox, see the account with the identity number masked, log out, log back in by SMS code.
// Runs against the real server started with --sandbox (tests/lib/server.mjs).
//
//   node --test tests/e2e/account.test.mjs
//
// Screenshots go to tests/e2e/out/ (git-ignored): register.png, account.png, account-mobile.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import {
  DESKTOP, OUT, PHONE, closeSuite, codeFromSandbox, maskMobile, newContext, newPage, noOverflow, openSuite,
} from '../lib/browser.mjs';
import { randomId, randomMobile } from '../lib/persons.mjs';

let srv;
let browser;

before(async () => {
  ({ srv, browser } = await openSuite({ args: ['--sandbox'] }));
});

after(() => closeSuite({ srv, browser }));

/** A fresh identity number (GB 11643) with a correct check character, born in 1960–2005. */
function randomIdNumber() {
  const birth = new Date(Date.UTC(1960, 0, 1) + randomInt(0, 45 * 365) * 86400000);
  return randomId(birth.toISOString().slice(0, 10).replaceAll('-', ''), randomInt(2) === 1);
}

// ---- register, account, logout, SMS login ---------------------------------------------------------

describe('applicant accounts', () => {
  test('register with an SMS code, see the account masked, log out, log in by SMS', { timeout: 180000 }, async () => {
    const idNumber = randomIdNumber();
    const mobile = randomMobile();
    const name = '张测试';
    const password = `Yw-${randomInt(1e6, 1e7)}-pass`;
    const address = '安徽省宿州市埇桥区测试路 1 号';

    const context = await newContext(browser, DESKTOP);
    const { page, errors } = await newPage(context);
    const { page: inbox, errors: inboxErrors } = await newPage(context);
    try {
      // The portal header offers 登录 / 注册 to an anonymous visitor.
      await page.goto(`${srv.url}/`, { waitUntil: 'domcontentloaded' });
      await page.locator('[data-test="header-login"]').waitFor();
      await page.locator('[data-test="header-register"]').click();
      await page.waitForURL(/\/register$/);
      assert.equal(await page.title(), '注册 - 一网通办');

      // The identity number is checked as it is typed: a wrong check character is caught at once.
      const wrong = idNumber.slice(0, 17) + (idNumber[17] === '0' ? '1' : '0');
      await page.locator('[data-test="reg-id"]').fill(wrong);
      await page.locator('[data-test="reg-name"]').click();
      const idItem = page.locator('.el-form-item', { has: page.locator('[data-test="reg-id"]') });
      await idItem.locator('.el-form-item__error', { hasText: '校验位' }).waitFor();

      await page.locator('[data-test="reg-name"]').fill(name);
      await page.locator('[data-test="reg-id"]').fill(idNumber);
      await page.locator('[data-test="reg-mobile"]').fill(mobile);
      await idItem.locator('.el-form-item__error').waitFor({ state: 'detached' });

      // 获取验证码, then the button counts down.
      await page.locator('[data-test="sms-send"]').click();
      await page.locator('[data-test="register-notice"]').waitFor();
      await page.locator('[data-test="sms-send"]', { hasText: '秒后可重新获取' }).waitFor();
      assert.ok(await page.locator('[data-test="sms-send"]').isDisabled(), 'the button waits before another code');

      // The code, from the sandbox inbox in a second tab.
      const first = await codeFromSandbox(inbox, srv.url, mobile);
      assert.ok((await inbox.locator('[data-test="sandbox-banner"]').textContent()).includes('不会发送真实短信'));

      await page.bringToFront();
      await page.locator('[data-test="reg-code"]').fill(first.code);
      await page.locator('[data-test="reg-password"]').fill(password);
      await page.locator('[data-test="reg-confirm"]').fill(password);
      await page.locator('[data-test="reg-address"]').fill(address);
      await page.mouse.move(0, 0);
      await page.screenshot({ path: `${OUT}register.png`, fullPage: true });
      await page.locator('[data-test="reg-submit"]').click();

      // Signed in, on 我的账户.
      await page.waitForURL(/\/account$/);
      const idCell = page.locator('[data-test="account-id"]');
      await idCell.waitFor();
      const masked = (await idCell.textContent()).trim();
      assert.match(masked, /^\d{4}\*{10}\d{3}[\dX]$/, 'identity number masked like 3413**********123X');
      assert.ok(masked.startsWith(idNumber.slice(0, 4)) && masked.endsWith(idNumber.slice(-4)), masked);
      assert.equal((await page.locator('[data-test="account-name"]').textContent()).trim(), name);
      assert.equal((await page.locator('[data-test="account-mobile"]').textContent()).trim(), maskMobile(mobile));
      assert.equal((await page.locator('[data-test="account-address"]').textContent()).trim(), address);
      const birth = `${Number(idNumber.slice(6, 10))}年${Number(idNumber.slice(10, 12))}月${Number(idNumber.slice(12, 14))}日`;
      assert.equal((await page.locator('[data-test="account-birth"]').textContent()).trim(), birth);
      const gender = Number(idNumber[16]) % 2 ? '男' : '女';
      assert.equal((await page.locator('[data-test="account-gender"]').textContent()).trim(), gender);
      assert.ok(!(await page.locator('body').innerText()).includes(idNumber), 'full number not on the page before 显示');
      assert.ok(!(await page.content()).includes(idNumber), 'full number not in the DOM before 显示');
      assert.ok(!(await page.locator('body').innerText()).includes(mobile), 'full mobile not on the page before 显示');

      // The header names the person.
      assert.equal((await page.locator('[data-test="header-name"]').textContent()).trim(), name);
      await page.locator('[data-test="header-account"]').waitFor();

      // 显示 reveals the full number, 隐藏 masks it again.
      await page.locator('[data-test="toggle-id"]').click();
      assert.equal((await idCell.textContent()).trim(), idNumber);
      assert.ok((await page.locator('body').innerText()).includes(idNumber));
      await page.locator('[data-test="toggle-mobile"]').click();
      assert.equal((await page.locator('[data-test="account-mobile"]').textContent()).trim(), mobile);
      await page.locator('[data-test="toggle-id"]').click();
      await page.locator('[data-test="toggle-mobile"]').click();
      assert.equal((await idCell.textContent()).trim(), masked);
      await page.mouse.move(0, 0);
      await page.screenshot({ path: `${OUT}account.png`, fullPage: true });

      // The same session on a phone: no sideways scrolling.
      const phone = await newContext(browser, { ...PHONE, storageState: await context.storageState() });
      try {
        const { page: p, errors: pErrors } = await newPage(phone);
        await p.goto(`${srv.url}/account`, { waitUntil: 'domcontentloaded' });
        await p.locator('[data-test="account-id"]').waitFor();
        assert.equal((await p.locator('[data-test="account-id"]').textContent()).trim(), masked);
        await p.locator('[data-test="header-account"]').waitFor();
        await noOverflow(p, '/account');
        await p.locator('[data-test="toggle-id"]').click();
        await noOverflow(p, '/account, number shown');
        await p.locator('[data-test="toggle-id"]').click();
        await p.screenshot({ path: `${OUT}account-mobile.png`, fullPage: true });
        assert.deepEqual(pErrors, [], 'no script errors on the phone');
      } finally {
        await phone.close();
      }

      // 退出登录: back to the login page, and /account now asks to log in.
      await page.locator('[data-test="logout"]').click();
      await page.waitForURL(/\/login$/);
      await page.locator('[data-test="header-login"]').waitFor();
      await page.goto(`${srv.url}/account`, { waitUntil: 'domcontentloaded' });
      await page.waitForURL(/\/login\?next=(%2F|\/)account$/);

      // 短信登录 with a second code from the sandbox.
      await page.locator('.el-tabs__item', { hasText: '短信登录' }).click();
      await page.locator('[data-test="login-mobile"]').fill(mobile);
      // The server allows one code per mobile per minute: the registration code was sent less
      // than a minute ago, so this request may be refused with 429 and a Retry-After, which the
      // button counts down before it can be pressed again.
      const send = page.locator('[data-test="login-sms-form"] [data-test="sms-send"]');
      await send.click();
      const notice = page.locator('[data-test="login-notice"]');
      const refused = page.locator('[data-test="login-error"][data-code="RATE_LIMITED"]');
      await notice.or(refused).first().waitFor();
      if (await refused.isVisible()) {
        assert.ok(await send.isDisabled(), 'the button waits out Retry-After');
        const left = Number(await send.getAttribute('data-left'));
        assert.ok(left > 0 && left <= 60, `countdown of ${left} s`);
        assert.match(await send.textContent(), /\d+ 秒后可重新获取/);
        await page.locator('[data-test="login-sms-form"] [data-test="sms-send"]:not([disabled])').waitFor({ timeout: 75000 });
        await send.click();
      }
      await notice.waitFor();
      const second = await codeFromSandbox(inbox, srv.url, mobile, first.at);
      await page.bringToFront();
      await page.locator('[data-test="login-code"]').fill(second.code);
      await page.locator('[data-test="login-sms-submit"]').click();
      await page.waitForURL(/\/account$/);
      await idCell.waitFor();
      assert.equal((await idCell.textContent()).trim(), masked);
      assert.equal((await page.locator('[data-test="account-name"]').textContent()).trim(), name);
      assert.equal((await page.locator('[data-test="header-name"]').textContent()).trim(), name);

      assert.deepEqual(errors, [], 'no script errors on the page');
      assert.deepEqual(inboxErrors, [], 'no script errors in the sandbox tab');
    } finally {
      await context.close();
    }
  });

  test('a wrong password is refused with the server problem; the pages fit a phone', { timeout: 60000 }, async () => {
    const context = await newContext(browser, PHONE);
    const { page, errors } = await newPage(context);
    try {
      for (const path of ['/login', '/register', '/recover', '/sandbox/sms']) {
        await page.goto(`${srv.url}${path}`, { waitUntil: 'domcontentloaded' });
        await page.locator('[data-test="app-title"]').waitFor();
        await page.locator('form, [data-test="sandbox-banner"]').first().waitFor();
        await noOverflow(page, path);
      }
      await page.goto(`${srv.url}/login`, { waitUntil: 'domcontentloaded' });
      await page.locator('[data-test="login-account"]').fill(randomMobile());
      await page.locator('[data-test="login-password"]').fill('not-the-password');
      await page.locator('[data-test="login-submit"]').click();
      const alert = page.locator('[data-test="login-error"]');
      await alert.waitFor();
      assert.equal(await alert.getAttribute('data-code'), 'LOGIN_FAILED');
      assert.match(page.url(), /\/login$/);
      assert.deepEqual(errors, [], 'no script errors on the page');
    } finally {
      await context.close();
    }
  });
});
