// What the browser test files share: Debian's chromium, headless; the suite's server and browser;
// pages that collect errors; Element Plus fields; the sandbox SMS inbox; signing in by the pages.
// The launch flags are what this machine needs: --no-sandbox as root; no background networking,
// component updates or sync, which would try the closed network at every start.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, webDist } from './server.mjs';
import { freshCode } from './staff.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

// ---- what every browser test file shares --------------------------------------------------------

// Screenshots go here (git-ignored).
export const OUT = fileURLToPath(new URL('../e2e/out/', import.meta.url));
export const DESKTOP = { viewport: { width: 1280, height: 900 } };
export const PHONE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

// For before(): the built web app must be there (webDist, which YW_WEB may point elsewhere), the
// screenshot folder is made, a server is started with `args` and the browser launched.
export async function openSuite({ args = [] } = {}) {
  if (!existsSync(join(webDist, 'index.html'))) throw new Error(`${webDist} is not built: run \`make web\` first`);
  await mkdir(OUT, { recursive: true });
  const srv = await startServer({ args });
  try {
    return { srv, browser: await launchBrowser() };
  } catch (err) {
    await srv.stop().catch(() => {});
    throw err;
  }
}

// For after(): the browser closed, then the server stopped (which fails on a sanitizer finding).
export async function closeSuite({ srv, browser }) {
  await browser?.close().catch(() => {});
  await srv?.stop();
}

// A context as a person in China has it: Chinese, Beijing time.
export const newContext = (browser, options) =>
  browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...options });

// A page that waits up to 15 s and collects script errors and console errors in `errors` (also
// page.errors): a test ends by asserting there were none. A failed HTTP request is logged by the
// browser itself ("Failed to load resource"); how the page answers it is what counts.
export async function newPage(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const errors = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/^Failed to load resource/.test(msg.text())) errors.push(`console: ${msg.text()}`);
  });
  page.errors = errors;
  return { page, errors };
}

// Element Plus puts a text field's attributes on the <input> itself (or, in some versions, on its
// wrapper): either way this is the field.
export const input = (page, id) => page.locator(`input[data-test="${id}"], [data-test="${id}"] input`).first();

// Element Plus selects open a list in a popper outside the form: pick the visible option.
export async function choose(page, selectTestId, optionText) {
  await page.locator(`[data-test="${selectTestId}"]`).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: optionText }).first().click();
}

// At phone width (375 px) nothing may stick out sideways.
export async function noOverflow(page, what) {
  const w = await page.evaluate(() => ({
    inner: window.innerWidth,
    doc: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
  }));
  assert.equal(w.inner, 375);
  assert.ok(w.doc <= w.inner && w.body <= w.inner, `${what}: page is ${w.doc}/${w.body} px wide at ${w.inner} px`);
}

export const maskMobile = (m) => `${m.slice(0, 3)}****${m.slice(-4)}`;
export const maskId = (id) => id.slice(0, 4) + '**********' + id.slice(14);

/**
 * The newest code texted to `mobile`, read from the /sandbox/sms page of the server at `base` in
 * the page `inbox`, among the messages sent after `since` (epoch ms of the newest message seen
 * before): { code, at }.
 */
export async function codeFromSandbox(inbox, base, mobile, since = 0) {
  if (!inbox.url().endsWith('/sandbox/sms')) await inbox.goto(`${base}/sandbox/sms`, { waitUntil: 'domcontentloaded' });
  await inbox.locator('[data-test="sandbox-banner"]').waitFor();
  const to = maskMobile(mobile);
  const fresh = inbox.locator(`[data-test="sandbox-item"][data-to="${to}"]`);
  for (let i = 0; i < 40; i++) {
    const ats = await fresh.evaluateAll((els) => els.map((e) => Number(e.dataset.at)));
    if (ats.some((at) => at > since)) break;
    if (i % 5 === 4) await inbox.locator('[data-test="sandbox-refresh"]').click();
    await inbox.waitForTimeout(250);
  }
  const first = fresh.first(); // newest first
  const at = Number(await first.getAttribute('data-at'));
  assert.ok(at > since, `a new text to ${to} in the sandbox`);
  const text = (await first.locator('[data-test="sandbox-text"]').textContent()).trim();
  assert.match(text, /验证码/);
  const code = (await first.locator('[data-test="sandbox-code"]').textContent()).trim();
  assert.match(code, /^\d{4,8}$/);
  assert.ok(text.includes(code));
  return { code, at };
}

// Registers person p ({name, id, mobile, password}, tests/lib/persons.mjs) through /register,
// the code read in `inbox`; ends on /account, signed in.
export async function registerThroughPages(page, inbox, base, p) {
  await page.goto(`${base}/register`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-test="reg-name"]').fill(p.name);
  await page.locator('[data-test="reg-id"]').fill(p.id);
  await page.locator('[data-test="reg-mobile"]').fill(p.mobile);
  await page.locator('[data-test="sms-send"]').click();
  await page.locator('[data-test="register-notice"]').waitFor();
  const { code } = await codeFromSandbox(inbox, base, p.mobile);
  await page.bringToFront();
  await page.locator('[data-test="reg-code"]').fill(code);
  await page.locator('[data-test="reg-password"]').fill(p.password);
  await page.locator('[data-test="reg-confirm"]').fill(p.password);
  await page.locator('[data-test="reg-submit"]').click();
  await page.waitForURL(/\/account$/);
}

// Signs a staff member in on /staff/login (already open): user name and password, then a fresh
// code of their authenticator (tests/lib/staff.mjs).
export async function staffSignIn(page, { username, password, totpSecret }) {
  await input(page, 'staff-username').fill(username);
  await input(page, 'staff-password').fill(password);
  await page.locator('[data-test="staff-password-submit"]').click();
  await input(page, 'staff-code').fill(await freshCode(totpSecret));
  await page.locator('[data-test="staff-code-submit"]').click();
}
