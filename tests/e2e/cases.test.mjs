// Browser test of cases (issue 6) as the people involved see them:
// (a) an applicant applies online at phone width (the form prefilled, a PDF uploaded, the draft
//     saved, the receipt with the serial number); a window clerk finds it in the /staff inbox and
//     asks for a supplement (the one complete list); the applicant sees 待补正 first in 我的办件,
//     uploads the file again and resubmits; the clerk accepts (the 受理通知书 is read back with
//     pdftotext); the two parallel branches are approved by their departments' approvers in their
//     own inboxes; the approver decides and makes the result; the clerk delivers it electronically;
//     the applicant confirms receipt and sees 办结, and the public progress query agrees;
// (b) a window clerk files an application for a person at the window and hands over the serial.
//
// The item (a form, a required material, a process with two parallel branches in two other
// departments) is made and published through the API by the administrator, as the catalog tests
// do; staff are made through the admin API and their sessions put into the browser as cookies.
// The server runs with --sandbox (applicants register with a code from its inbox).
//
// Screenshots go to tests/e2e/out/: cases-apply-phone.png, cases-receipt-phone.png,
// cases-inbox.png, cases-supplement-phone.png, cases-staff-case.png, cases-done-phone.png,
// cases-window.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DESKTOP, OUT, PHONE, choose, closeSuite, input, newContext, newPage as pageIn, noOverflow, openSuite,
} from '../lib/browser.mjs';
import { bootstrapAdmin, createStaff, makeUscc } from '../lib/staff.mjs';
import { newPerson, registerSession } from '../lib/persons.mjs';

const SERIAL = /^\d{6}-\d{8}-\d{6}-[0-9X]$/;

let srv, browser, admin;
const dept = {};
const staff = {};
let item;
let applicant; // { person, cookie, csrf, call }
const who = newPerson('陈美玲', '19870615', false);

const ITEM = {
  basic_code: '000104003000',
  name: '小餐饮经营许可',
  online_depth: 4, visits: 0, project_type: 2, handling_forms: [1, 2], service_objects: [1],
  statutory_limit: 20, promised_limit: 10, charged: false, in_hall: true,
  guide: { place: '埇桥区政务服务中心二楼', hours: '工作日 9:00—12:00，13:30—17:30' },
  materials: [
    { name: '营业场所平面图', source: 'applicant', originals: 1, copies: 0, reuse: 'never' },
    { name: '场所租赁合同', source: 'applicant', required: false, condition: '租赁场所的', reuse: 'never' },
  ],
  form: {
    fields: [
      { name: 'applicant_name', label: '申请人姓名', type: 'text', required: true, max_length: 50, prefill: 'person.name' },
      { name: 'applicant_id', label: '身份证号', type: 'id_number', required: true, prefill: 'person.id_number' },
      { name: 'shop_name', label: '店铺名称', type: 'text', required: true, max_length: 50 },
      { name: 'shop_division', label: '经营场所所在地', type: 'division' },
    ],
  },
};

// Two reviews in parallel, each by another department, joined by "all"; then the decision.
const processOf = (a, b) => ({
  start: 's1',
  steps: [
    { id: 's1', name: '受理', kind: 'task', stage: 'accept', role: 'window_clerk', limit_days: 1, next: ['p1'] },
    { id: 'p1', name: '并联审查', kind: 'split', next: ['b1', 'b2'] },
    { id: 'b1', name: '消防审查', kind: 'task', stage: 'review', role: 'approver', department_id: a, limit_days: 5, next: ['j1'] },
    { id: 'b2', name: '卫生审查', kind: 'task', stage: 'review', role: 'approver', department_id: b, limit_days: 5, next: ['j1'] },
    { id: 'j1', name: '汇总', kind: 'join', join: 'all', next: ['s3'] },
    { id: 's3', name: '决定', kind: 'task', stage: 'decide', role: 'approver', limit_days: 3, next: ['end'] },
    { id: 'end', name: '办结', kind: 'end', next: [] },
  ],
});

// A small real PDF with `text` on its one page (offsets computed, so readers take it as is).
function makePdf(text) {
  const content = `BT /F1 12 Tf 20 50 Td (${text}) Tj ET`;
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const at = [];
  objs.forEach((o, i) => {
    at.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const o of at) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
const pdfFile = (name, text) => ({ name, mimeType: 'application/pdf', buffer: makePdf(text) });

const $ = (page, name) => page.locator(`[data-test="${name}"]`);
const text = async (loc) => (await loc.textContent()).trim();

async function contextWith(cookie, options) {
  const context = await newContext(browser, options);
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name, value, url: srv.url }]);
  return context;
}
async function openAs(cookie, options) {
  const context = await contextWith(cookie, options);
  return { context, ...(await pageIn(context)) };
}

// The files of a slot once the upload has been answered.
async function uploadTo(page, slot, file) {
  const before = await page.locator(`[data-test="material-slot"][data-slot="${slot}"] [data-test="slot-file"]`).count();
  const failed = page.locator(`[data-test="slot-error-${slot}"]`);
  const stale = await failed.count();
  await page.locator(`[data-test="slot-upload-${slot}"] input[type="file"]`).setInputFiles(file);
  if (stale) await failed.waitFor({ state: 'detached' }); // an earlier refusal goes as this one starts
  const done = page.locator(`[data-test="material-slot"][data-slot="${slot}"] [data-test="slot-file"]`).nth(before);
  await done.or(failed).first().waitFor();
  if (await failed.count()) assert.fail(`upload refused: ${await text(failed)}`);
}

// In the inbox of the member on `page`: the row of case `serial` whose task is `taskName`; opens it.
async function openFromInbox(page, serial, taskName) {
  await page.goto(`${srv.url}/staff`, { waitUntil: 'domcontentloaded' });
  await $(page, 'workbench').waitFor();
  const row = page.locator('.el-table__row', { hasText: serial }).filter({ hasText: taskName });
  await row.first().waitFor();
  await row.first().locator('[data-test="inbox-serial"]').click();
  await page.waitForURL(/\/staff\/cases\//);
  await $(page, 'staff-case-serial').waitFor();
  assert.equal(await text($(page, 'staff-case-serial')), serial);
}

// Takes action `name` on the open staff case page; `fill` fills its dialog; waits for the state.
async function act(page, name, fill, state) {
  await $(page, `action-${name}`).click();
  const dialog = page.locator(`[data-test="action-dialog"][data-action="${name}"]`);
  await dialog.waitFor();
  if (fill) await fill(dialog);
  await dialog.locator('[data-test="action-submit"]').click();
  await dialog.waitFor({ state: 'hidden' });
  if (state) await page.locator('[data-test="staff-case-state"]', { hasText: state }).waitFor();
}

// A staff member's review of the task named `taskName`: 审查通过 with an opinion.
async function approveBranch(member, serial, taskName) {
  const { context, page, errors } = await openAs(member.cookie, DESKTOP);
  try {
    await openFromInbox(page, serial, taskName);
    const task = page.locator('[data-test="task"][data-state="open"]', { hasText: taskName });
    await task.waitFor();
    await task.locator('button', { hasText: '审查通过' }).click();
    await $(page, 'verdict-dialog').waitFor();
    await page.locator('textarea[data-test="verdict-opinion"], [data-test="verdict-opinion"] textarea').first().fill(`${taskName}符合要求`);
    await $(page, 'verdict-submit').click();
    await page.locator('[data-test="task"]', { hasText: taskName }).locator('[data-test="task-state"]', { hasText: '通过' }).waitFor();
    assert.deepEqual(errors, [], `no script errors on ${taskName}`);
  } finally {
    await context.close();
  }
}

// The text of a PDF read with pdftotext.
function pdfText(bytes) {
  const dir = mkdtempSync(join(tmpdir(), 'yw-pdf-'));
  try {
    const f = join(dir, 'n.pdf');
    writeFileSync(f, bytes);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', f, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

before(async () => {
  ({ srv, browser } = await openSuite({ args: ['--sandbox'] }));
  admin = await bootstrapAdmin(srv);
  for (const [key, name] of [['market', '埇桥区市场监督管理局'], ['fire', '埇桥区消防救援大队'], ['health', '埇桥区卫生健康委员会']]) {
    const res = await admin.post('/api/v1/departments',
      { name, uscc: makeUscc('341302'), division_code: '341302', parent_id: admin.department_id });
    assert.equal(res.status, 201, res.text);
    dept[key] = res.body.department;
  }
  const made = await admin.post('/api/v1/items', { ...ITEM, department_id: dept.market.id,
    process: processOf(dept.fire.id, dept.health.id) });
  assert.equal(made.status, 201, made.text);
  const pub = await admin.post(`/api/v1/items/${made.body.item.code}/publish`, { version: 1 });
  assert.equal(pub.status, 200, pub.text);
  item = made.body.item;

  const role = (r, d) => ({ role: r, department_id: d.id, division_code: '341302' });
  staff.clerk = await createStaff(admin, { username: 'case.clerk', name: '窗口小王', department_id: dept.market.id,
    roles: [role('window_clerk', dept.market)] });
  staff.approver = await createStaff(admin, { username: 'case.approver', name: '审批老李', department_id: dept.market.id,
    roles: [role('approver', dept.market)] });
  staff.fire = await createStaff(admin, { username: 'case.fire', name: '消防老赵', department_id: dept.fire.id,
    roles: [role('approver', dept.fire)] });
  staff.health = await createStaff(admin, { username: 'case.health', name: '卫健老孙', department_id: dept.health.id,
    roles: [role('approver', dept.health)] });
  staff.supervisor = await createStaff(admin, { username: 'case.supervisor', name: '监察老周', department_id: dept.market.id,
    roles: [role('supervisor', dept.market)] });
  applicant = await registerSession(srv.url, who);
});

after(() => closeSuite({ srv, browser }));

describe('cases in the browser', () => {
  let serial = '';
  let caseId = '';

  test('(a) apply online at phone width, supplement, accept, parallel review, decide, deliver, confirm', { timeout: 600000 }, async () => {
    // ---- the applicant applies -------------------------------------------------------------
    const a = await openAs(applicant.cookie, PHONE);
    try {
      const { page, errors } = a;
      await page.goto(`${srv.url}/items/${item.code}`, { waitUntil: 'domcontentloaded' });
      await $(page, 'guide').waitFor();
      const apply = $(page, 'apply');
      await page.locator('[data-test="header-name"]').waitFor();
      assert.equal(new URL(await apply.getAttribute('href'), srv.url).pathname, `/apply/${item.code}`);
      await apply.click();
      await page.waitForURL((u) => u.pathname === `/apply/${item.code}`);
      await $(page, 'apply-item-name').waitFor();
      assert.equal(await text($(page, 'apply-item-name')), ITEM.name);

      // prefilled from the account: the name and the owner's full ID number
      assert.equal(await input(page, 'item-form-input-applicant_name').inputValue(), who.name);
      assert.equal(await input(page, 'item-form-input-applicant_id').inputValue(), who.id);
      assert.match(await text($(page, 'draft-status')), /自动保存/);

      // the first change makes the draft (its id goes into the address, to resume it)
      await input(page, 'item-form-input-shop_name').fill('陈记小吃');
      await page.waitForURL((u) => /^c_/.test(u.searchParams.get('case') || ''));
      caseId = new URL(page.url()).searchParams.get('case');
      await page.locator('[data-test="draft-status"][data-status="saved"]').waitFor();

      // a file that only claims to be a PDF is refused, and the page says why under its slot
      await page.locator('[data-test="slot-upload-0"] input[type="file"]')
        .setInputFiles({ name: '平面图.pdf', mimeType: 'application/pdf', buffer: Buffer.from('这不是 PDF 文件') });
      await $(page, 'slot-error-0').waitFor();
      assert.match(await text($(page, 'slot-error-0')), /不是 PDF、JPEG、PNG 或 OFD/);
      assert.equal(await page.locator('[data-test="material-slot"][data-slot="0"] [data-test="slot-file"]').count(), 0);

      // the required material: a real PDF, uploaded into its slot
      assert.equal(await page.locator('[data-test="material-slot"]').count(), 2);
      assert.equal(await text(page.locator('[data-test="material-slot"][data-slot="0"] [data-test="slot-name"]')), '营业场所平面图');
      await uploadTo(page, 0, pdfFile('平面图.pdf', 'floor plan v1'));
      assert.match(await text(page.locator('[data-test="material-slot"][data-slot="0"] [data-test="slot-file"]')), /PDF/);
      await noOverflow(page, '/apply');
      await page.screenshot({ path: `${OUT}cases-apply-phone.png`, fullPage: true });

      // the draft is there on another device, with what was typed and uploaded
      const other = await openAs(applicant.cookie, PHONE);
      try {
        // opening the item again offers the draft rather than a second one
        await other.page.goto(`${srv.url}/apply/${item.code}`, { waitUntil: 'domcontentloaded' });
        await $(other.page, 'apply-earlier-draft').waitFor();
        await $(other.page, 'apply-continue-draft').click();
        await other.page.waitForURL((u) => u.searchParams.get('case') === caseId);
        let typed = '';
        for (let i = 0; i < 50 && typed !== '陈记小吃'; i++) {
          await other.page.waitForTimeout(100);
          typed = await input(other.page, 'item-form-input-shop_name').inputValue().catch(() => '');
        }
        assert.equal(typed, '陈记小吃', 'the draft continues with what was typed');
        assert.equal(await $(other.page, 'apply-earlier-draft').count(), 0);

        // a draft one does not want is deleted from 我的办件, after asking
        const extra = await applicant.call('POST', '/api/v1/cases', { body: { item_code: item.code, form: { shop_name: '不要了', shop_division: '341302' } } });
        assert.equal(extra.status, 201, extra.text);
        // a region stored in a draft reads as its place again, not as a bare code
        await other.page.goto(`${srv.url}/apply/${item.code}?case=${extra.body.id}`, { waitUntil: 'domcontentloaded' });
        const region = other.page.locator('[data-test="item-form-input-shop_division"] [data-test="region-name"]');
        await region.waitFor();
        assert.equal(await text(region), '安徽省宿州市埇桥区');
        await other.page.goto(`${srv.url}/me/cases`, { waitUntil: 'domcontentloaded' });
        const gone = other.page.locator(`[data-test="case-row"][data-id="${extra.body.id}"]`);
        await gone.locator('[data-test="case-row-discard"]').click();
        await other.page.locator('.el-message-box__btns .el-button--primary').click();
        await gone.waitFor({ state: 'detached' });
        assert.equal((await applicant.call('GET', '/api/v1/cases/' + extra.body.id)).status, 404);

        // 我的材料: the file uploaded into the draft is there; another is added and deleted
        await other.page.goto(`${srv.url}/me/materials`, { waitUntil: 'domcontentloaded' });
        await other.page.locator('[data-test="material-row"]', { hasText: '平面图' }).first().waitFor();
        const before = await other.page.locator('[data-test="material-row"]').count();
        await other.page.locator('[data-test="materials-file"]').setInputFiles(pdfFile('营业执照副本.pdf', 'licence copy'));
        const added = other.page.locator('[data-test="material-row"]', { hasText: '营业执照副本' });
        await added.waitFor();
        assert.equal(await other.page.locator('[data-test="material-row"]').count(), before + 1);
        await noOverflow(other.page, '/me/materials');
        await added.locator('[data-test="material-delete"]').click();
        await other.page.locator('.el-message-box__btns .el-button--primary').click();
        await added.waitFor({ state: 'detached' });

        await other.page.goto(`${srv.url}/me/cases`, { waitUntil: 'domcontentloaded' });
        const row = other.page.locator(`[data-test="case-row"][data-id="${caseId}"]`);
        await row.waitFor();
        assert.equal(await row.getAttribute('data-state'), 'draft');
        await row.locator('a').click();
        await other.page.waitForURL((u) => u.pathname === `/apply/${item.code}` && u.searchParams.get('case') === caseId);
        await other.page.locator('[data-test="item-form-input-shop_name"]').waitFor();
        assert.equal(await input(other.page, 'item-form-input-shop_name').inputValue(), '陈记小吃');
        await other.page.locator('[data-test="material-slot"][data-slot="0"] [data-test="slot-file"]').waitFor();
        assert.deepEqual(other.errors, []);
      } finally {
        await other.context.close();
      }

      // delivery electronically (the default), then submit: the receipt with the serial
      assert.equal(await page.locator('[data-test="delivery-electronic"] input').isChecked(), true);
      await $(page, 'apply-submit').click();
      await $(page, 'receipt').waitFor();
      serial = await text($(page, 'receipt-serial'));
      assert.match(serial, SERIAL);
      assert.equal(await text($(page, 'receipt-item')), ITEM.name);
      assert.equal(await text($(page, 'receipt-department')), '埇桥区市场监督管理局');
      assert.match(await text($(page, 'receipt-next')), /预审/);
      const print = new URL(await $(page, 'receipt-print').getAttribute('href'), srv.url);
      assert.equal(print.pathname, `/me/cases/${caseId}/receipt`);
      await noOverflow(page, 'the receipt');
      await page.screenshot({ path: `${OUT}cases-receipt-phone.png`, fullPage: true });

      // the printable receipt
      await page.goto(print.href, { waitUntil: 'domcontentloaded' });
      await $(page, 'receipt-page').locator('[data-test="receipt-serial"]').waitFor();
      assert.equal(await text($(page, 'receipt-serial')), serial);
      assert.deepEqual(errors, [], 'no script errors while applying');
    } finally {
      await a.context.close();
    }

    // ---- the clerk asks for a supplement -------------------------------------------------------
    const c = await openAs(staff.clerk.cookie, DESKTOP);
    try {
      const { page, errors } = c;
      await page.goto(`${srv.url}/staff`, { waitUntil: 'domcontentloaded' });
      await $(page, 'workbench').waitFor();
      const row = page.locator('.el-table__row', { hasText: serial });
      await row.waitFor();
      assert.match(await text(row), new RegExp(ITEM.name));
      assert.match(await text(row), new RegExp(who.name));
      const tabs = await page.locator('[data-test="inbox-tab"]').allTextContents();
      assert.ok(tabs.some((t) => /全部\s*[1-9]/.test(t)), `counts in the tabs: ${tabs.join(' | ')}`);
      await page.screenshot({ path: `${OUT}cases-inbox.png`, fullPage: true });
      await row.locator('[data-test="inbox-serial"]').click();
      await page.waitForURL(/\/staff\/cases\//);
      await $(page, 'staff-case-serial').waitFor();
      assert.equal(await text($(page, 'staff-case-serial')), serial);
      // the applicant's number is masked for staff
      const shown = await text($(page, 'staff-case-applicant'));
      assert.ok(shown.includes(who.name) && !shown.includes(who.id), shown);
      assert.equal(await page.locator('[data-test="staff-material-preview"]').count(), 1);
      // the PDF opens in place, in the browser's own viewer (a frame the browser refused would
      // show its error page instead of the file)
      await page.locator('[data-test="staff-material-preview"]').click();
      await $(page, 'preview-frame').waitFor();
      let urls = [];
      for (let i = 0; i < 50 && !urls.some((u) => u.includes('/materials/')); i++) {
        await page.waitForTimeout(100);
        urls = page.frames().filter((f) => f !== page.mainFrame()).map((f) => f.url());
      }
      assert.ok(urls.some((u) => u.includes('/materials/')) && !urls.some((u) => u.startsWith('chrome-error:')),
        `the material is shown, not refused: ${urls.join(' ')}`);
      await page.keyboard.press('Escape');
      await page.locator('[data-test="material-preview"]').waitFor({ state: 'hidden' });

      await act(page, 'request_supplement', async (d) => {
        await choose(page, 'missing-slot-0', '营业场所平面图');
        assert.equal(await input(page, 'missing-name-0').inputValue(), '营业场所平面图');
        await input(page, 'missing-reason-0').fill('平面图未标注操作间面积');
        await d.locator('[data-test="missing-add"]').click();
        await input(page, 'missing-name-1').fill('从业人员健康证明');
        await input(page, 'missing-reason-1').fill('缺少从业人员健康证明');
      }, '待补正');
      assert.match(await text($(page, 'staff-supplement')), /平面图未标注操作间面积.*从业人员健康证明/s);
      assert.deepEqual(errors, [], 'no script errors on the staff case page');
    } finally {
      await c.context.close();
    }

    // ---- the applicant sees 待补正 first, uploads, resubmits ----------------------------------
    const s = await openAs(applicant.cookie, PHONE);
    try {
      const { page, errors } = s;
      await page.goto(`${srv.url}/me/cases`, { waitUntil: 'domcontentloaded' });
      const first = page.locator('[data-test="case-row"]').first();
      await first.waitFor();
      assert.equal(await first.getAttribute('data-id'), caseId);
      assert.equal(await text(first.locator('[data-test="case-row-needs"]')), '待补正');
      assert.equal(await text(first.locator('[data-test="case-row-serial"]')), serial);
      await noOverflow(page, '/me/cases');
      await first.locator('a').click();
      await page.waitForURL((u) => u.pathname === `/me/cases/${caseId}`);
      await $(page, 'supplement').waitFor();
      const list = await page.locator('[data-test="supplement-item"]').allTextContents();
      assert.equal(list.length, 2);
      assert.match(list[0], /营业场所平面图.*平面图未标注操作间面积/);
      assert.match(list[1], /从业人员健康证明/);
      assert.equal(await page.locator('[data-test="material-slot"][data-slot="0"].slot--asked').count(), 1);
      await uploadTo(page, 0, pdfFile('平面图（补正）.pdf', 'floor plan v2 with kitchen area'));
      // the form can be corrected as well, and the correction is filed with the resubmission
      await $(page, 'supplement-form').waitFor();
      await input(page, 'item-form-input-shop_name').fill('陈记小吃（总店）');
      await noOverflow(page, 'the supplement');
      await page.screenshot({ path: `${OUT}cases-supplement-phone.png`, fullPage: true });
      await $(page, 'case-resubmit').click();
      await page.locator('[data-test="case-state"]', { hasText: '已提交' }).waitFor();
      assert.equal(await $(page, 'supplement').count(), 0);
      assert.equal((await applicant.call('GET', '/api/v1/cases/' + caseId)).body.form.shop_name, '陈记小吃（总店）');
      await $(page, 'case-form').waitFor();
      assert.deepEqual(errors, [], 'no script errors in the supplement');
    } finally {
      await s.context.close();
    }

    // ---- the clerk accepts; the 受理通知书 -------------------------------------------------------
    const k = await openAs(staff.clerk.cookie, DESKTOP);
    try {
      const { page, errors } = k;
      await openFromInbox(page, serial, '受理');
      await act(page, 'accept', null);
      await page.locator('[data-test="staff-case-state"]', { hasNotText: '已提交' }).waitFor();
      assert.match(await text($(page, 'staff-case-state')), /已受理|审查中/);
      // both branches are open, each in its department
      const branches = page.locator('[data-test="task"][data-state="open"]');
      await branches.nth(1).waitFor();
      const open = await branches.allTextContents();
      assert.ok(open.some((t) => t.includes('消防审查') && t.includes('埇桥区消防救援大队')), open.join(' | '));
      assert.ok(open.some((t) => t.includes('卫生审查') && t.includes('埇桥区卫生健康委员会')), open.join(' | '));
      await page.screenshot({ path: `${OUT}cases-staff-case.png`, fullPage: true });

      const link = page.locator('[data-test="notice-link"][data-kind="accept"]');
      await link.waitFor();
      assert.match(await text(link), /受理通知书/);
      const res = await page.request.get(new URL(await link.getAttribute('href'), srv.url).href);
      assert.equal(res.status(), 200);
      assert.match(res.headers()['content-type'], /^application\/pdf/);
      const words = pdfText(await res.body());
      assert.ok(words.includes('受理通知书'), words);
      assert.ok(words.includes(serial), `the serial in the notice: ${words}`);
      assert.deepEqual(errors, []);
    } finally {
      await k.context.close();
    }

    // ---- the two branches, each in its own department's inbox ------------------------------------
    await approveBranch(staff.fire, serial, '消防审查');
    await approveBranch(staff.health, serial, '卫生审查');

    // ---- the decision and the result -------------------------------------------------------------
    const d = await openAs(staff.approver.cookie, DESKTOP);
    try {
      const { page, errors } = d;
      await openFromInbox(page, serial, '决定');
      await act(page, 'decide', async (dialog) => {
        await dialog.locator('[data-test="decide-approve"]').click();
        await input(page, 'action-legal-basis').fill('《中华人民共和国食品安全法》第三十五条');
      }, '已决定');
      await act(page, 'make_result', null, '已制证');
      assert.deepEqual(errors, []);
    } finally {
      await d.context.close();
    }

    // ---- delivered electronically by the clerk -------------------------------------------------------
    const v = await openAs(staff.clerk.cookie, DESKTOP);
    try {
      const { page, errors } = v;
      await page.goto(`${srv.url}/staff/cases/${caseId}`, { waitUntil: 'domcontentloaded' });
      await $(page, 'staff-case-serial').waitFor();
      await act(page, 'deliver', async (dialog) => {
        await dialog.locator('[data-test="deliver-electronic"]').click();
      }, '已送达');
      assert.deepEqual(errors, []);
    } finally {
      await v.context.close();
    }

    // ---- the applicant confirms and sees 办结 -----------------------------------------------------------
    const z = await openAs(applicant.cookie, PHONE);
    try {
      const { page, errors } = z;
      await page.goto(`${srv.url}/me/cases`, { waitUntil: 'domcontentloaded' });
      const first = page.locator('[data-test="case-row"]').first();
      await first.waitFor();
      assert.equal(await first.getAttribute('data-id'), caseId);
      assert.equal(await text(first.locator('[data-test="case-row-needs"]')), '待确认收件');
      await first.locator('a').click();
      await $(page, 'case-confirm').click();
      await page.locator('.el-message-box__btns .el-button--primary').click();
      await page.locator('[data-test="case-state"]', { hasText: '办结' }).waitFor();
      const trail = await page.locator('[data-test="trail-entry"]').evaluateAll((els) => els.map((e) => e.dataset.action));
      for (const x of ['request_supplement', 'resubmit', 'accept', 'decide', 'deliver', 'complete']) {
        assert.ok(trail.includes(x), `${x} in the trail: ${trail.join()}`);
      }
      const notices = await page.locator('[data-test="notice-link"]').allTextContents();
      assert.ok(notices.some((n) => n.includes('受理通知书')) && notices.some((n) => n.includes('补正材料通知书')), notices.join());
      await noOverflow(page, 'the completed case');
      await page.screenshot({ path: `${OUT}cases-done-phone.png`, fullPage: true });

      // the public progress query, as the QR code of a notice opens it
      await page.goto(`${srv.url}/progress?serial=${serial}`, { waitUntil: 'domcontentloaded' });
      assert.equal(await input(page, 'progress-serial').inputValue(), serial);
      await input(page, 'progress-name').fill(who.name);
      await $(page, 'progress-submit').click();
      await $(page, 'progress-result').waitFor();
      assert.equal(await text($(page, 'progress-state')), '办结');
      assert.equal(await text($(page, 'progress-result-serial')), serial);
      const shown = await text($(page, 'progress-result'));
      assert.ok(!shown.includes(who.name) && !shown.includes('陈记小吃'), 'no personal data in the progress');
      await noOverflow(page, '/progress');
      assert.deepEqual(errors, [], 'no script errors for the applicant');
    } finally {
      await z.context.close();
    }
  });

  test('(b) a window clerk files an application for a person at the window', { timeout: 300000 }, async () => {
    const { context, page, errors } = await openAs(staff.clerk.cookie, DESKTOP);
    try {
      // the person at the window has an account (the server finds them by number and name)
      const walkIn = newPerson('周建国', '19650203', true);
      await registerSession(srv.url, walkIn);
      const id = walkIn.id;
      // staff apply at the window, not through the guide page: no 立即办理 for them there
      await page.goto(`${srv.url}/items/${item.code}`, { waitUntil: 'domcontentloaded' });
      await $(page, 'guide-name').waitFor();
      await page.locator('[data-test="print"]').waitFor();
      assert.equal(await $(page, 'apply').count(), 0, 'no 立即办理 for a staff member');
      await page.goto(`${srv.url}/staff`, { waitUntil: 'domcontentloaded' });
      await $(page, 'bench-window-apply').click();
      await page.waitForURL((u) => u.pathname === '/staff/apply');
      await input(page, 'window-id-number').fill(id);
      await input(page, 'window-name').fill('周建国');
      const search = page.locator('[data-test="window-item"] input');
      await search.click();
      await search.fill('小餐饮');
      await page.locator('.el-select-dropdown__item:visible', { hasText: ITEM.name }).first().click();
      await $(page, 'window-start').click();
      await $(page, 'window-item-name').waitFor();
      assert.equal(await input(page, 'item-form-input-applicant_name').inputValue(), '周建国');
      assert.equal(await input(page, 'item-form-input-applicant_id').inputValue(), id);
      const saved = page.waitForResponse((r) => r.request().method() === 'PATCH' && /\/api\/v1\/cases\/c_/.test(r.url()) && r.ok());
      await input(page, 'item-form-input-shop_name').fill('周家面馆');
      await saved;
      // a reload loses nothing: the draft is among the clerk's unsubmitted ones and resumes as left
      await page.reload({ waitUntil: 'domcontentloaded' });
      const draft = page.locator('[data-test="window-draft"]', { hasText: '周建国' });
      await draft.waitFor();
      assert.match(await text(draft), new RegExp(ITEM.name));
      await draft.locator('[data-test="window-draft-resume"]').click();
      await $(page, 'window-item-name').waitFor();
      assert.match(await text($(page, 'window-applicant')), /周建国/);
      assert.equal(await input(page, 'item-form-input-shop_name').inputValue(), '周家面馆');
      await uploadTo(page, 0, pdfFile('scan.pdf', 'scanned at the window'));
      await $(page, 'window-submit').click();
      await $(page, 'window-done').waitFor();
      const got = await text($(page, 'receipt-serial'));
      assert.match(got, SERIAL);
      assert.notEqual(got, serial);
      await page.screenshot({ path: `${OUT}cases-window.png`, fullPage: true });
      await $(page, 'window-open-case').click();
      await $(page, 'staff-case-serial').waitFor();
      assert.equal(await text($(page, 'staff-case-serial')), got);
      assert.match(await text(page.locator('[data-test="staff-case"]')), /窗口申请/);

      // the inbox filtered by channel lists the window case and nothing filed online
      await page.goto(`${srv.url}/staff`, { waitUntil: 'domcontentloaded' });
      await page.locator('.el-table__row', { hasText: got }).waitFor();
      await choose(page, 'filter-channel', '窗口申请');
      await $(page, 'filter-search').click();
      await page.waitForURL((u) => u.searchParams.get('channel') === 'window');
      await page.locator('.el-table__row', { hasText: got }).waitFor();
      const rows = await page.locator('.el-table__row').allTextContents();
      assert.ok(rows.length >= 1 && rows.every((r) => r.includes('窗口申请')), rows.join(' | '));
      const urgency = await page.locator('.el-table__row', { hasText: got }).locator('[data-test="inbox-urgency"]').getAttribute('data-urgency');
      assert.match(urgency, /^(green|yellow|red)$/, 'a due pre-review has an urgency colour');

      // an organisation at the window: its USCC and name; one not registered is told so in Chinese
      await page.goto(`${srv.url}/staff/apply`, { waitUntil: 'domcontentloaded' });
      await page.locator('[data-test="window-kind-org"]').click();
      assert.equal(await $(page, 'window-id-number').count(), 0);
      await input(page, 'window-uscc').fill(makeUscc('341302'));
      await input(page, 'window-name').fill('宿州市未登记有限公司');
      const again = page.locator('[data-test="window-item"] input');
      await again.click();
      await again.fill('小餐饮');
      await page.locator('.el-select-dropdown__item:visible', { hasText: ITEM.name }).first().click();
      await $(page, 'window-start').click();
      await page.locator('.el-alert', { hasText: '统一社会信用代码和名称' }).waitFor();
      assert.deepEqual(errors.filter((e) => !/422/.test(e)), [], 'no script errors at the window');
    } finally {
      await context.close();
    }
  });

  test('(c) a supervisor finds a case by its serial in 办件查询 and terminates it', { timeout: 120000 }, async () => {
    // a submitted case of the applicant's, filed over the API: the supervisor has no task for it
    const res = await applicant.call('POST', '/api/v1/cases', { body: { item_code: item.code, delivery: { method: 'electronic' },
      form: { applicant_name: who.name, applicant_id: who.id, shop_name: '陈记小吃' } } });
    assert.equal(res.status, 201, res.text);
    const m = await fetch(`${srv.url}/api/v1/cases/${res.body.id}/materials?slot=0&title=scan`, { method: 'POST',
      body: makePdf('supervised'), headers: { cookie: applicant.cookie, 'x-csrf-token': applicant.csrf, 'content-type': 'application/pdf' } });
    assert.equal(m.status, 201, await m.text());
    const submitted = await applicant.call('POST', `/api/v1/cases/${res.body.id}/submit`, { body: {} });
    assert.equal(submitted.status, 200, submitted.text);
    const wanted = submitted.body.serial;

    const { context, page, errors } = await openAs(staff.supervisor.cookie, DESKTOP);
    try {
      await page.goto(`${srv.url}/staff`, { waitUntil: 'domcontentloaded' });
      await $(page, 'workbench').waitFor();
      assert.equal(await $(page, 'bench-window-apply').count(), 0, 'no 窗口收件 for a supervisor');
      await $(page, 'admin-menu-staff-cases').click();
      await $(page, 'staff-cases').waitFor();
      await input(page, 'cases-serial').fill(` ${wanted.toLowerCase()} `);
      await $(page, 'cases-search').click();
      await page.waitForURL((u) => u.searchParams.get('serial') === wanted.toLowerCase());
      const serials = page.locator('[data-test="cases-row-serial"]');
      await serials.first().waitFor();
      assert.deepEqual(await serials.allInnerTexts(), [wanted]);
      await serials.first().click();
      await page.waitForURL(/\/staff\/cases\/c_/);
      await $(page, 'staff-case-serial').waitFor();
      await act(page, 'terminate', (d) => d.locator('textarea[data-test="action-reason"], [data-test="action-reason"] textarea').first().fill('申请人提交虚假材料，经核实终止办理'), '已终止');
      assert.deepEqual(errors, [], 'no script errors at the supervisor');
    } finally {
      await context.close();
    }
  });
});
