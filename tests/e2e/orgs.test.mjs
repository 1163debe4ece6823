// Browser test of 我的单位, 我的代办人 and 我代办的 on the account page: a person registers
// through the pages (code read from the sandbox SMS inbox), registers an organisation (shown
// 未核验), authorizes a handler and an agent, sees them by name and masked ID number only, on a
// desktop and at phone width; the agent sees the principal under 我代办的; the principal revokes.
//
//   node --test tests/e2e/orgs.test.mjs
//
// Screenshots go to tests/e2e/out/: orgs.png, orgs-mobile.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../lib/browser.mjs';
import { startServer, webDist } from '../lib/server.mjs';
import { newPerson, register, randomUscc } from '../lib/persons.mjs';

const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const DESKTOP = { viewport: { width: 1280, height: 900 } };
const PHONE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const masked = (id) => id.slice(0, 4) + '**********' + id.slice(14);
const maskMobile = (m) => `${m.slice(0, 3)}****${m.slice(-4)}`;

let srv;
let browser;

before(async () => {
  if (!existsSync(join(webDist, 'index.html'))) throw new Error(`${webDist} is not built: run \`make web\` first`);
  await mkdir(OUT, { recursive: true });
  srv = await startServer({ args: ['--sandbox'] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close().catch(() => {});
  await srv?.stop();
});

const newContext = (options) => browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...options });

async function newPage(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const errors = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/^Failed to load resource/.test(msg.text())) errors.push(`console: ${msg.text()}`);
  });
  return { page, errors };
}

async function noOverflow(page, what) {
  const w = await page.evaluate(() => ({
    inner: window.innerWidth,
    doc: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
  }));
  assert.equal(w.inner, 375);
  assert.ok(w.doc <= w.inner && w.body <= w.inner, `${what}: page is ${w.doc}/${w.body} px wide at ${w.inner} px`);
}

// The code texted to `mobile`, from the /sandbox/sms page.
async function codeFromSandbox(inbox, mobile) {
  await inbox.goto(`${srv.url}/sandbox/sms`, { waitUntil: 'domcontentloaded' });
  await inbox.locator('[data-test="sandbox-banner"]').waitFor();
  const item = inbox.locator(`[data-test="sandbox-item"][data-to="${maskMobile(mobile)}"]`).first();
  for (let i = 0; i < 20 && !(await item.count()); i++) {
    await inbox.locator('[data-test="sandbox-refresh"]').click();
    await inbox.waitForTimeout(250);
  }
  return (await item.locator('[data-test="sandbox-code"]').textContent()).trim();
}

function cstDay(days) {
  return new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

async function grant(page, prefix, person, { items, until }) {
  const form = page.locator(`[data-test="${prefix}-form"]`);
  await form.waitFor();
  await form.locator(`[data-test="${prefix}-name"]`).fill(person.name);
  await form.locator(`[data-test="${prefix}-id"]`).fill(person.id);
  if (items) {
    await form.locator(`[data-test="${prefix}-scope-list"]`).click();
    await form.locator(`[data-test="${prefix}-codes"]`).fill(items.join('\n'));
  }
  await form.locator(`[data-test="${prefix}-until"]`).fill(until);
  await form.locator(`[data-test="${prefix}-submit"]`).click();
  await form.waitFor({ state: 'detached' });
}

describe('organisations and agents on the account page', () => {
  test('register, register an organisation, authorize a handler and an agent, all masked', { timeout: 180000 }, async () => {
    const A = newPerson('周法人');
    const H = newPerson('吴经办', '19881111', false);
    const G = newPerson('郑代办', '19790203');
    // The handler and the agent register by API; A through the pages.
    const gReg = await register(srv.url, G);
    await register(srv.url, H);

    const context = await newContext(DESKTOP);
    const { page, errors } = await newPage(context);
    const { page: inbox } = await newPage(context);
    try {
      await page.goto(`${srv.url}/register`, { waitUntil: 'domcontentloaded' });
      await page.locator('[data-test="reg-name"]').fill(A.name);
      await page.locator('[data-test="reg-id"]').fill(A.id);
      await page.locator('[data-test="reg-mobile"]').fill(A.mobile);
      await page.locator('[data-test="sms-send"]').click();
      await page.locator('[data-test="register-notice"]').waitFor();
      const code = await codeFromSandbox(inbox, A.mobile);
      await page.bringToFront();
      await page.locator('[data-test="reg-code"]').fill(code);
      await page.locator('[data-test="reg-password"]').fill(A.password);
      await page.locator('[data-test="reg-confirm"]').fill(A.password);
      await page.locator('[data-test="reg-submit"]').click();
      await page.waitForURL(/\/account$/);

      // 我的单位: empty, then 登记单位.
      await page.locator('[data-test="orgs-empty"]').waitFor();
      await page.locator('[data-test="principals-empty"]').waitFor();
      await page.locator('[data-test="org-register-open"]').click();
      const uscc = randomUscc('91', '341302');
      await page.locator('[data-test="org-name"]').fill('宿州市浏览器测试有限公司');
      // a wrong check character is refused by the server with its own message
      const wrong = uscc.slice(0, 17) + (uscc[17] === '0' ? '1' : '0');
      await page.locator('[data-test="org-uscc"]').fill(wrong);
      await page.locator('[data-test="region"] .el-cascader').click();
      const node = (name) => page.locator('.yw-region-popper .el-cascader-node', {
        has: page.locator('[data-test="region-option"]', { hasText: new RegExp(`^${name}$`) }),
      });
      await node('安徽省').click();
      await node('宿州市').click();
      await node('埇桥区').waitFor();
      await node('埇桥区').locator('.el-radio').click();
      await page.keyboard.press('Escape');
      await page.locator('[data-test="org-submit"]').click();
      await page.locator('[data-test="org-form-error"][data-code="BAD_USCC"]').waitFor();
      await page.locator('[data-test="org-uscc"]').fill(uscc);
      await page.locator('[data-test="org-submit"]').click();

      const org = page.locator('[data-test="org-item"]');
      await org.waitFor();
      assert.equal((await org.locator('[data-test="org-item-name"]').textContent()).trim(), '宿州市浏览器测试有限公司');
      assert.equal((await org.locator('[data-test="org-item-uscc"]').textContent()).trim(), uscc);
      assert.equal((await org.locator('[data-test="org-item-verified"]').textContent()).trim(), '未核验');
      assert.equal((await org.locator('[data-test="org-item-role"]').textContent()).trim(), '法定代表人');
      assert.equal((await org.locator('[data-test="org-item-rep"]').textContent()).trim(), `${A.name} ${masked(A.id)}`);

      // A handler for all items.
      await org.locator('[data-test="handler-open"]').click();
      await grant(page, 'handler', H, { until: cstDay(90) });
      const h = org.locator('[data-test="handler-item"]');
      await h.waitFor();
      assert.equal((await h.locator('[data-test="handler-name"]').textContent()).trim(), H.name);
      assert.equal((await h.locator('[data-test="handler-id"]').textContent()).trim(), masked(H.id));
      assert.equal((await h.locator('[data-test="handler-items"]').textContent()).trim(), '全部事项');

      // An agent for one item; a date in the past is refused first.
      await page.locator('[data-test="agent-open"]').click();
      const form = page.locator('[data-test="agent-form"]');
      await form.locator('[data-test="agent-name"]').fill(G.name);
      await form.locator('[data-test="agent-id"]').fill(G.id);
      await form.locator('[data-test="agent-name"]').fill('郑某');
      await form.locator('[data-test="agent-submit"]').click();
      await page.locator('[data-test="agent-error"][data-code="PERSON_NOT_FOUND"]').waitFor();
      await grant(page, 'agent', G, { items: ['000104002000'], until: cstDay(30) });
      const ag = page.locator('[data-test="agent-item"]');
      await ag.waitFor();
      assert.equal((await ag.locator('[data-test="agent-name"]').textContent()).trim(), G.name);
      assert.equal((await ag.locator('[data-test="agent-id"]').textContent()).trim(), masked(G.id));
      assert.equal((await ag.locator('[data-test="agent-status"]').textContent()).trim(), '有效');
      assert.match(await ag.locator('[data-test="agent-items"]').textContent(), /1 项：000104002000/);

      for (const p of [H, G]) {
        assert.ok(!(await page.content()).includes(p.id), `${p.name}'s full ID number is not in the page`);
      }
      await page.mouse.move(0, 0);
      await page.screenshot({ path: `${OUT}orgs.png`, fullPage: true });

      // The same page at phone width: no sideways scrolling, with a form open too.
      const phone = await newContext({ ...PHONE, storageState: await context.storageState() });
      try {
        const { page: p, errors: pErrors } = await newPage(phone);
        await p.goto(`${srv.url}/account`, { waitUntil: 'domcontentloaded' });
        await p.locator('[data-test="org-item"]').waitFor();
        await p.locator('[data-test="agent-item"]').waitFor();
        await noOverflow(p, '/account with an organisation and an agent');
        await p.locator('[data-test="agent-open"]').click();
        await p.locator('[data-test="agent-form"]').waitFor();
        await p.locator('[data-test="org-register-open"]').click();
        await p.locator('[data-test="org-form"]').waitFor();
        await noOverflow(p, '/account with the forms open');
        await p.screenshot({ path: `${OUT}orgs-mobile.png`, fullPage: true });
        assert.deepEqual(pErrors, [], 'no script errors on the phone');
      } finally {
        await phone.close();
      }

      // The agent sees A under 我代办的, masked.
      const gContext = await newContext(PHONE);
      try {
        await gContext.addCookies([{ name: 'yw_session', value: gReg.cookie.split('=')[1], url: srv.url }]);
        const { page: gp } = await newPage(gContext);
        await gp.goto(`${srv.url}/account`, { waitUntil: 'domcontentloaded' });
        const pr = gp.locator('[data-test="principal-item"]');
        await pr.waitFor();
        assert.equal((await pr.locator('[data-test="principal-name"]').textContent()).trim(), A.name);
        assert.equal((await pr.locator('[data-test="principal-id"]').textContent()).trim(), masked(A.id));
        assert.ok(!(await gp.content()).includes(A.id));
        await noOverflow(gp, "the agent's /account");
      } finally {
        await gContext.close();
      }

      // A revokes the agent.
      await ag.locator('[data-test="agent-revoke"]').click();
      await page.locator('.el-message-box__btns .el-button--primary').click();
      await page.locator('[data-test="agent-item"][data-status="revoked"]').waitFor();
      assert.equal((await ag.locator('[data-test="agent-status"]').textContent()).trim(), '已撤销');
      assert.equal(await ag.locator('[data-test="agent-revoke"]').count(), 0);

      assert.deepEqual(errors, [], 'no script errors on the page');
    } finally {
      await context.close();
    }
  });
});
