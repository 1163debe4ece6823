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
import {
  DESKTOP, OUT, PHONE, closeSuite, maskId as masked, newContext, newPage, noOverflow, openSuite, registerThroughPages,
} from '../lib/browser.mjs';
import { newPerson, register, randomUscc } from '../lib/persons.mjs';

let srv;
let browser;

before(async () => {
  ({ srv, browser } = await openSuite({ args: ['--sandbox'] }));
});

after(() => closeSuite({ srv, browser }));

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

    const context = await newContext(browser, DESKTOP);
    const { page, errors } = await newPage(context);
    const { page: inbox } = await newPage(context);
    try {
      await registerThroughPages(page, inbox, srv.url, A);

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
      const phone = await newContext(browser, { ...PHONE, storageState: await context.storageState() });
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
      const gContext = await newContext(browser, PHONE);
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
