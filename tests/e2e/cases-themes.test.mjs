// Browser test of one application for a theme (一件事, issue 6) as the applicant and a clerk see
// it: from the theme's page 立即办理 opens /apply/theme/:id at phone width; the merged form (the
// shared field prefilled once), each item's material uploaded into its own slot, submitted at
// once; the receipt shows the parent's serial and each item's; a clerk of one item's department
// accepts that item's case from the /staff inbox; the applicant's page of the parent case shows
// that item 已受理 and the other still 已提交, and so does the public progress query by the parent's serial.
//
// Screenshots go to tests/e2e/out/: cases-theme-apply-phone.png, cases-theme-done-phone.png,
// cases-theme-parent-phone.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DESKTOP, OUT, PHONE, closeSuite, input, newContext, newPage as pageIn, noOverflow, openSuite,
} from '../lib/browser.mjs';
import { bootstrapAdmin, createStaff, makeUscc } from '../lib/staff.mjs';
import { newPerson, randomUscc, registerSession } from '../lib/persons.mjs';

const SERIAL = /^\d{6}-\d{8}-\d{6}-[0-9X]$/;

let srv, browser, admin, themeId, orgThemeId, applicant, clerk;
const dept = {};
const code = {};
const who = newPerson('周晓燕', '19890412', false);

const item = (name, basic, form, material) => ({
  basic_code: basic, name, online_depth: 4, visits: 0, project_type: 2, handling_forms: [1, 2],
  service_objects: [1], statutory_limit: 20, promised_limit: 10, charged: false, in_hall: true,
  materials: [{ name: material, source: 'applicant', originals: 1, copies: 0, reuse: 'never' }], form,
});
const shared = { name: 'applicant_name', label: '申请人姓名', type: 'text', required: true, max_length: 50, prefill: 'person.name' };

const pdf = (text) => ({ name: `${text}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(
  `%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n${text}\ntrailer <</Size 3 /Root 1 0 R>>\n%%EOF\n`, 'latin1') });

const $ = (page, name) => page.locator(`[data-test="${name}"]`);
const text = async (loc) => (await loc.textContent()).trim();

async function openAs(cookie, options) {
  const context = await newContext(browser, options);
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name, value, url: srv.url }]);
  return { context, ...(await pageIn(context)) };
}

before(async () => {
  ({ srv, browser } = await openSuite({ args: ['--sandbox'] }));
  admin = await bootstrapAdmin(srv);
  for (const [key, name] of [['market', '埇桥区市场监督管理局'], ['health', '埇桥区卫生健康委员会']]) {
    const res = await admin.post('/api/v1/departments',
      { name, uscc: makeUscc('341302'), division_code: '341302', parent_id: admin.department_id });
    assert.equal(res.status, 201, res.text);
    dept[key] = res.body.department;
  }
  const specs = [
    ['food', dept.market, item('食品经营许可', '000104201000', { fields: [shared,
      { name: 'shop_name', label: '店铺名称', type: 'text', required: true, max_length: 50 }] }, '食品经营许可申请书')],
    ['hygiene', dept.health, item('公共场所卫生许可', '000104205000', { fields: [shared,
      { name: 'venue', label: '经营场所', type: 'text', required: true, max_length: 100 }] }, '卫生许可申请书')],
  ];
  for (const [key, d, body] of specs) {
    const made = await admin.post('/api/v1/items', { ...body, department_id: d.id });
    assert.equal(made.status, 201, made.text);
    code[key] = made.body.item.code;
    const pub = await admin.post(`/api/v1/items/${code[key]}/publish`, { version: 1 });
    assert.equal(pub.status, 200, pub.text);
  }
  const t = await admin.post('/api/v1/themes', { name: '开办小餐馆', summary: '一次申请，办齐开业许可',
    audience: 'person', division_code: '341302', topics: ['startup'], items: [code.food, code.hygiene] });
  assert.equal(t.status, 201, t.text);
  themeId = t.body.theme.id;
  // a theme for enterprises: its item serves organisations only (A.4 code 2)
  const ent = await admin.post('/api/v1/items', { ...item('企业设立登记', '000104301000', { fields: [
    { name: 'org_name', label: '企业名称', type: 'text', required: true, max_length: 100, prefill: 'org.name' }] }, '设立登记申请书'),
  service_objects: [2], department_id: dept.market.id });
  assert.equal(ent.status, 201, ent.text);
  code.ent = ent.body.item.code;
  assert.equal((await admin.post(`/api/v1/items/${code.ent}/publish`, { version: 1 })).status, 200);
  const t2 = await admin.post('/api/v1/themes', { name: '开办企业', summary: '企业设立一次办',
    audience: 'organisation', division_code: '341302', topics: ['startup'], items: [code.ent] });
  assert.equal(t2.status, 201, t2.text);
  orgThemeId = t2.body.theme.id;
  clerk = await createStaff(admin, { username: 'theme.clerk', name: '窗口小刘', department_id: dept.market.id,
    roles: [{ role: 'window_clerk', department_id: dept.market.id, division_code: '341302' }] });
  applicant = await registerSession(srv.url, who);
});

after(() => closeSuite({ srv, browser }));

describe('a theme in the browser', () => {
  let parentId = '';
  const serials = {};

  test('apply for a theme online at phone width; a clerk accepts one item; the parent shows it', { timeout: 300000 }, async () => {
    const a = await openAs(applicant.cookie, PHONE);
    try {
      const { page, errors } = a;
      await page.goto(`${srv.url}/themes/${themeId}`, { waitUntil: 'domcontentloaded' });
      await page.locator('[data-test="header-name"]').waitFor();
      const go = $(page, 'theme-apply');
      await go.waitFor();
      assert.equal(new URL(await go.getAttribute('href'), srv.url).pathname, `/apply/theme/${themeId}`);
      await go.click();
      await page.waitForURL((u) => u.pathname === `/apply/theme/${themeId}`);
      await $(page, 'theme-apply-name').waitFor();
      assert.equal(await text($(page, 'theme-apply-name')), '开办小餐馆');

      // the shared field once, prefilled; each item's own field
      assert.equal(await page.locator('[data-test="item-form-input-applicant_name"]').count(), 1);
      assert.equal(await input(page, 'item-form-input-applicant_name').inputValue(), who.name);
      await input(page, 'item-form-input-shop_name').fill('周记小馆');
      await input(page, 'item-form-input-venue').fill('西关大街 8 号');

      // each item's material into its own slot
      for (const [key, what] of [['food', 'food permit'], ['hygiene', 'hygiene permit']]) {
        const box = page.locator(`[data-test="theme-item-materials"][data-item="${code[key]}"]`);
        await box.locator('[data-test="slot-upload-0"] input[type="file"]').setInputFiles(pdf(what));
        await box.locator('[data-test="slot-file"]').first().waitFor();
      }
      await noOverflow(page, '/apply/theme');
      await page.screenshot({ path: `${OUT}cases-theme-apply-phone.png`, fullPage: true });

      await $(page, 'theme-apply-submit').click();
      await $(page, 'theme-apply-done').waitFor();
      serials.parent = await text($(page, 'theme-serial'));
      assert.match(serials.parent, SERIAL);
      const kids = page.locator('[data-test="theme-child"]');
      assert.equal(await kids.count(), 2);
      for (const key of ['food', 'hygiene']) {
        serials[key] = await text(page.locator(`[data-test="theme-child"][data-item="${code[key]}"] [data-test="child-serial"]`));
        assert.match(serials[key], SERIAL);
      }
      assert.equal(new Set(Object.values(serials)).size, 3);
      await noOverflow(page, 'theme receipt');
      await page.screenshot({ path: `${OUT}cases-theme-done-phone.png`, fullPage: true });
      await $(page, 'theme-case').click();
      await page.waitForURL(/\/me\/cases\/c_/);
      parentId = new URL(page.url()).pathname.split('/').pop();
      await $(page, 'case-children').waitFor();
      assert.deepEqual(errors, [], 'no script errors');
    } finally {
      await a.context.close();
    }

    // the market clerk finds the food item's case in the inbox and accepts it
    const c = await openAs(clerk.cookie, DESKTOP);
    try {
      const { page, errors } = c;
      await page.goto(`${srv.url}/staff`, { waitUntil: 'domcontentloaded' });
      await $(page, 'workbench').waitFor();
      const row = page.locator('.el-table__row', { hasText: serials.food });
      await row.first().waitFor();
      assert.equal(await page.locator('.el-table__row', { hasText: serials.hygiene }).count(), 0);
      await row.first().locator('[data-test="inbox-serial"]').click();
      await page.waitForURL(/\/staff\/cases\//);
      await $(page, 'staff-case-serial').waitFor();
      await $(page, 'action-accept').click();
      const dialog = page.locator('[data-test="action-dialog"][data-action="accept"]');
      await dialog.waitFor();
      await dialog.locator('[data-test="action-submit"]').click();
      await dialog.waitFor({ state: 'hidden' });
      await page.locator('[data-test="staff-case-state"]', { hasText: '已受理' }).waitFor();
      assert.deepEqual(errors, [], 'no script errors at the clerk');
    } finally {
      await c.context.close();
    }

    // the applicant's page of the parent: the food item 已受理, the hygiene item still 已提交
    const b = await openAs(applicant.cookie, PHONE);
    try {
      const { page, errors } = b;
      await page.goto(`${srv.url}/me/cases/${parentId}`, { waitUntil: 'domcontentloaded' });
      await $(page, 'case-children').waitFor();
      assert.equal(await text($(page, 'case-serial')), serials.parent);
      const state = (key) => text(page.locator(`[data-test="case-child"][data-item="${code[key]}"] [data-test="child-state"]`));
      assert.equal(await state('food'), '已受理');
      assert.equal(await state('hygiene'), '已提交');
      await noOverflow(page, 'parent case');
      await page.screenshot({ path: `${OUT}cases-theme-parent-phone.png`, fullPage: true });
      assert.deepEqual(errors, [], 'no script errors on the parent page');

      // the public progress query by the parent's serial: each item and its state
      await page.goto(`${srv.url}/progress?serial=${serials.parent}`, { waitUntil: 'domcontentloaded' });
      await input(page, 'progress-name').fill(who.name);
      await $(page, 'progress-submit').click();
      await $(page, 'progress-children').waitFor();
      const rows = page.locator('[data-test="progress-child"]');
      assert.equal(await rows.count(), 2);
      assert.match(await text(rows.nth(0)), /食品经营许可\s*已受理/);
      assert.match(await text(rows.nth(1)), /公共场所卫生许可\s*已提交/);
      await noOverflow(page, 'progress of a theme');
    } finally {
      await b.context.close();
    }
  });

  test('the applicant withdraws the whole theme from its page: every item not yet decided', { timeout: 120000 }, async () => {
    assert.ok(parentId, 'the application of the test before');
    const a = await openAs(applicant.cookie, PHONE);
    try {
      const { page, errors } = a;
      await page.goto(`${srv.url}/me/cases/${parentId}`, { waitUntil: 'domcontentloaded' });
      await $(page, 'case-children').waitFor();
      await $(page, 'case-withdraw').click();
      const box = page.locator('.el-message-box');
      await box.waitFor();
      assert.match(await text(box), /所有尚未作出决定的事项/);
      await page.locator('.el-message-box__btns .el-button--primary').click();
      await page.locator('[data-test="case-state"]', { hasText: '已撤回' }).waitFor();
      const states = await page.locator('[data-test="child-state"]').allInnerTexts();
      assert.deepEqual(states.map((t) => t.trim()), ['已撤回', '已撤回']);
      assert.equal(await $(page, 'case-withdraw').count(), 0);
      assert.deepEqual(errors, [], 'no script errors');
    } finally {
      await a.context.close();
    }
  });

  test('a theme for enterprises is filed for the organisation one represents, its files in the organisation\'s space', { timeout: 120000 }, async () => {
    const org = await applicant.call('POST', '/api/v1/orgs', { body: { name: '宿州市周记餐饮有限公司',
      uscc: randomUscc('91', '341302'), type: 'enterprise', division_code: '341302' } });
    assert.equal(org.status, 201, org.text);
    const orgId = org.body.org?.id ?? org.body.id;
    const a = await openAs(applicant.cookie, PHONE);
    try {
      const { page, errors } = a;
      await page.goto(`${srv.url}/apply/theme/${orgThemeId}`, { waitUntil: 'domcontentloaded' });
      await $(page, 'theme-apply-name').waitFor();
      // the one whom the theme serves, said plainly; the form prefilled from the organisation
      assert.match(await text($(page, 'apply-whom-fixed')), /宿州市周记餐饮有限公司/);
      assert.equal(await input(page, 'item-form-input-org_name').inputValue(), '宿州市周记餐饮有限公司');
      const box = page.locator(`[data-test="theme-item-materials"][data-item="${code.ent}"]`);
      await box.locator('[data-test="slot-upload-0"] input[type="file"]').setInputFiles(pdf('registration'));
      await box.locator('[data-test="slot-file"]').first().waitFor();
      await $(page, 'theme-apply-submit').click();
      await $(page, 'theme-apply-done').waitFor();
      await $(page, 'theme-case').click();
      await page.waitForURL(/\/me\/cases\/c_/);
      const id = new URL(page.url()).pathname.split('/').pop();
      const got = await applicant.call('GET', `/api/v1/cases/${id}`);
      assert.equal(got.status, 200, got.text);
      assert.deepEqual([got.body.applicant.kind, got.body.applicant.id], ['org', orgId]);
      // the uploaded file went into the organisation's 我的材料, not the person's
      const mats = await applicant.call('GET', `/api/v1/materials?for=org:${orgId}`);
      assert.equal(mats.status, 200, mats.text);
      assert.equal(mats.body.items.length, 1);
      assert.deepEqual(errors, [], 'no script errors');
    } finally {
      await a.context.close();
    }
  });
});
