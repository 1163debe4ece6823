// Browser test of the catalog's administration pages (/admin/items): a 事项管理员 of 埇桥区
// 市场监督管理局 signs in with password and TOTP, creates an item with a material, publishes it
// (the first publish), edits it as a draft (a second material, a form field that the preview
// shows, a process drawn as a diagram), sees what the draft changes in the publish dialog,
// publishes, and the public API (and the portal's guide page, when the app has one) shows the
// change. A form with two fields of one name is refused by the server and its error is shown
// on the form builder; a publish that someone else made meanwhile says "已被他人发布，请刷新";
// the version history shows every version; the list shows drafts too, and the catalog goes out
// as JSON and back in (a broken copy is refused with a report of its bad rows).
//
// Screenshots go to tests/e2e/out/: catalog-admin-form.png, catalog-admin-process.png,
// catalog-admin-diff.png, catalog-admin-branches.png, catalog-admin-list.png,
// catalog-admin-materials.png, catalog-admin-version.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUT, choose, closeSuite, input, newContext, newPage, openSuite, staffSignIn } from '../lib/browser.mjs';
import { get, webDist } from '../lib/server.mjs';
import { bootstrapAdmin, createStaff, makeUscc } from '../lib/staff.mjs';

const DESKTOP = { viewport: { width: 1440, height: 900 } };

let srv, browser, admin, cat, dept;

before(async () => {
  ({ srv, browser } = await openSuite());
  admin = await bootstrapAdmin(srv, { name: '孙立新', departmentName: '宿州市数据资源管理局', division: '341300' });
  const res = await admin.post('/api/v1/departments', { name: '埇桥区市场监督管理局', uscc: makeUscc('341302'),
    division_code: '341302', parent_id: admin.department_id });
  assert.equal(res.status, 201, res.text);
  dept = res.body.department;
  cat = await createStaff(admin, { username: 'catalog.yq', name: '周敏', department_id: dept.id,
    roles: [{ role: 'catalog_admin', department_id: dept.id, division_code: '341302' }] });
});

after(() => closeSuite({ srv, browser }));

const tab = (page, name) => page.locator('.el-tabs__item', { hasText: name }).click();
// An el-input-number commits on change: type, then leave the field.
async function number(page, id, value) {
  const box = input(page, id);
  await box.fill(String(value));
  await box.press('Tab');
}

test('a catalog admin creates an item, edits the draft (material, form field, process), sees the diff, '
  + 'publishes, and the public item changes; bad forms, processes and imports show the server\'s errors', async () => {
  const context = await newContext(browser, DESKTOP);
  try {
    const { page } = await newPage(context);

    // anonymous: /admin/items sends to the staff login and comes back
    await page.goto(srv.url + '/admin/items');
    await page.waitForURL((u) => u.pathname === '/staff/login');
    await staffSignIn(page, cat);
    await page.waitForURL((u) => u.pathname === '/admin/items');
    await page.locator('[data-test="admin-menu-items"]', { hasText: '事项管理' }).waitFor();
    await page.locator('[data-test="items-table"]', { hasText: '没有事项' }).waitFor();

    // ---- a new item, saved as a draft
    await page.locator('[data-test="items-new"]').click();
    await page.waitForURL((u) => u.pathname === '/admin/items/new');
    await choose(page, 'item-dept', '埇桥区市场监督管理局');
    await input(page, 'item-basic-code').fill('000104002000');
    await input(page, 'item-name').fill('食品经营许可证核发');
    await number(page, 'item-statutory', 20);
    await number(page, 'item-promised', 5);
    await tab(page, '办事指南');
    await page.locator('[data-test="guide-legal_basis"] textarea, textarea[data-test="guide-legal_basis"]').first()
      .fill('《中华人民共和国食品安全法》第三十五条');
    await tab(page, '申请材料');
    await page.locator('[data-test="mat-add"]').click();
    await input(page, 'mat-name-0').fill('食品经营许可申请书');
    await page.locator('[data-test="item-save"]').click();
    await page.waitForURL((u) => /^\/admin\/items\/[0-9A-Z]{31}$/.test(u.pathname));
    const code = new URL(page.url()).pathname.split('/').pop();
    assert.equal(code, dept.uscc + '4' + '000104002000');
    await page.locator('[data-test="item-status"]', { hasText: '第 1 版 · 草稿' }).waitFor();
    assert.equal((await get(`${srv.url}/api/v1/items/${code}`)).status, 404, 'a draft is not public');

    // ---- the first publish: everything is new
    await page.locator('[data-test="item-publish"]').click();
    await page.locator('[data-test="publish-summary"]', { hasText: '首次发布' }).waitFor();
    await page.locator('[data-test="publish-diff"]', { hasText: '食品经营许可申请书' }).waitFor();
    await page.locator('[data-test="publish-confirm"]').click();
    await page.locator('[data-test="item-status"]', { hasText: '第 1 版 · 已发布' }).waitFor();
    let pub = await get(`${srv.url}/api/v1/items/${code}`);
    assert.equal(pub.status, 200);
    assert.equal(pub.body.item.version, 1);

    // ---- the draft: a second material, a form field (seen in the preview), a process
    await tab(page, '申请材料');
    await page.locator('[data-test="mat-add"]').click();
    await input(page, 'mat-name-1').fill('营业执照');
    await page.locator('[data-test="mat-required-1"]').click();          // conditional
    await input(page, 'mat-condition-1').fill('已取得营业执照的');
    await choose(page, 'mat-reuse-1', '可永久复用');
    await page.screenshot({ path: join(OUT, 'catalog-admin-materials.png'), fullPage: true });

    await tab(page, '申请表单');
    await page.locator('[data-test="builder-add"]').click();
    await input(page, 'builder-label-0').fill('经营场所面积');
    await input(page, 'builder-name-0').fill('area');
    await choose(page, 'builder-type-0', '数字');
    await page.locator('[data-test="builder-required-0"]').click();
    await page.locator('[data-test="builder-add"]').click();
    await input(page, 'builder-label-1').fill('经营类别');
    await input(page, 'builder-name-1').fill('kind');
    await choose(page, 'builder-type-1', '单选');
    await page.locator('[data-test="builder-add"]').click();
    await input(page, 'builder-label-2').fill('其他类别说明');
    await input(page, 'builder-name-2').fill('kind_other');
    await choose(page, 'builder-when-field-2', '经营类别');
    const preview = page.locator('[data-test="form-preview"]');
    await preview.locator('[data-test="item-form-field-area"]', { hasText: '经营场所面积' }).waitFor();
    // visible_when: "其他类别说明" shows only when 经营类别 is the chosen value
    await choose(page, 'builder-when-value-2', '选项二');
    await preview.locator('[data-test="item-form-field-kind"]').waitFor();
    assert.equal(await preview.locator('[data-test="item-form-field-kind_other"]').count(), 0);
    await preview.locator('[data-test="item-form-field-kind"] .el-radio', { hasText: '选项二' }).click();
    await preview.locator('[data-test="item-form-field-kind_other"]').waitFor();
    await page.screenshot({ path: join(OUT, 'catalog-admin-form.png'), fullPage: true });

    // two fields of one name: the builder marks it, the server refuses it (BAD_FORM), nothing saved
    await input(page, 'builder-name-2').fill('area');
    await page.locator('[data-test="builder-name-problem-2"]', { hasText: '重复' }).waitFor();
    await page.locator('[data-test="item-save"]').click();
    const refused = page.locator('[data-test="form-builder-problem"]');
    await refused.waitFor();
    assert.equal(await refused.getAttribute('data-code'), 'BAD_FORM');
    assert.match(await refused.textContent(), /表单定义不正确/);
    assert.equal((await admin.get(`/api/v1/items/${code}/versions`)).body.draft_version, null, 'nothing was written');
    await input(page, 'builder-name-2').fill('kind_other');
    await page.locator('[data-test="builder-remove-2"]').click();

    await tab(page, '办理流程');
    await page.locator('[data-test="process-starter"]').click();
    const diagram = page.locator('[data-test="process-diagram"]');
    for (const id of ['s1', 's2', 's3', 'end']) await diagram.locator(`[data-test="process-node-${id}"]`).waitFor();
    await page.screenshot({ path: join(OUT, 'catalog-admin-process.png'), fullPage: true });

    await page.locator('[data-test="item-save"]').click();
    await page.locator('[data-test="item-status"]', { hasText: '第 2 版 · 草稿' }).waitFor();
    await page.locator('[data-test="item-dirty"]').waitFor({ state: 'detached' });
    // the public item is still version 1 while the draft is edited
    pub = await get(`${srv.url}/api/v1/items/${code}`);
    assert.equal(pub.body.item.version, 1);
    assert.equal(pub.body.item.materials.length, 1);

    // ---- the diff, then publish
    await page.locator('[data-test="item-publish"]').click();
    const diff = page.locator('[data-test="publish-diff"]');
    await diff.locator('.el-table__row', { hasText: '营业执照' }).waitFor();
    const rows = await diff.locator('.el-table__body .el-table__row').allTextContents();
    assert.ok(rows.some((r) => r.includes('申请材料') && r.includes('营业执照') && r.includes('新增')), rows.join('\n'));
    assert.ok(rows.some((r) => r.includes('申请表单') && r.includes('经营场所面积') && r.includes('新增')), rows.join('\n'));
    assert.ok(rows.some((r) => r.includes('办理流程') && r.includes('受理')), rows.join('\n'));
    assert.ok(!rows.some((r) => r.includes('食品经营许可申请书')), 'an unchanged material is not listed');
    await page.screenshot({ path: join(OUT, 'catalog-admin-diff.png'), fullPage: true });
    await page.locator('[data-test="publish-confirm"]').click();
    await page.locator('[data-test="item-status"]', { hasText: '第 2 版 · 已发布' }).waitFor();

    pub = await get(`${srv.url}/api/v1/items/${code}`);
    assert.equal(pub.status, 200);
    assert.equal(pub.body.item.version, 2);
    assert.deepEqual(pub.body.item.materials.map((m) => [m.name, m.required, m.reuse]),
      [['食品经营许可申请书', true, 'never'], ['营业执照', false, 'always']]);
    assert.deepEqual(pub.body.item.form.fields.map((f) => [f.name, f.type, !!f.required]),
      [['area', 'number', true], ['kind', 'radio', false]]);
    assert.equal(pub.body.item.process.start, 's1');
    assert.equal(pub.body.item.guide.legal_basis, '《中华人民共和国食品安全法》第三十五条');

    // the portal's guide page, when the app has one
    const pages = JSON.parse(readFileSync(join(webDist, 'pages.json'), 'utf8'));
    if (pages.includes('/items/:code')) {
      const portal = await context.newPage();
      await portal.goto(`${srv.url}/items/${code}`);
      await portal.locator('body', { hasText: '营业执照' }).waitFor();
      await portal.close();
    }

    // ---- someone else publishes the next draft first
    await tab(page, '基本信息');
    await input(page, 'item-name').fill('食品经营许可证核发（含仅销售预包装食品备案）');
    await page.locator('[data-test="item-save"]').click();
    await page.locator('[data-test="item-status"]', { hasText: '第 3 版 · 草稿' }).waitFor();
    await page.locator('[data-test="item-publish"]').click();
    await page.locator('[data-test="publish-diff"]', { hasText: '事项名称' }).waitFor();
    const other = await admin.post(`/api/v1/items/${code}/publish`, { version: 3 });
    assert.equal(other.status, 200, other.text);
    await page.locator('[data-test="publish-confirm"]').click();
    await page.locator('[data-test="publish-problem"]', { hasText: '已被他人发布，请刷新' }).waitFor();
    await page.locator('[data-test="publish-refresh"]').click();
    await page.locator('[data-test="item-status"]', { hasText: '第 3 版 · 已发布' }).waitFor();

    // ---- the version history, and a look at version 1
    await tab(page, '版本记录');
    const versions = page.locator('[data-test="versions-table"]');
    await versions.locator('.el-table__row', { hasText: '第 3 版' }).waitFor();
    assert.equal(await versions.locator('.el-table__body .el-table__row').count(), 3);
    await page.locator('[data-test="version-view-1"]').click();
    const summary = page.locator('[data-test="item-summary"]');
    await summary.locator('h3', { hasText: '第 1 版' }).waitFor();
    await page.screenshot({ path: join(OUT, 'catalog-admin-version.png'), fullPage: true });
    assert.equal(await summary.locator('.el-table__row', { hasText: '营业执照' }).count(), 0);

    // ---- a process with parallel branches is drawn with its join rule; a bad rule is refused
    const par = await cat.post('/api/v1/items', { basic_code: '000104003000', department_id: dept.id,
      name: '公众聚集场所投入使用、营业前消防安全检查', online_depth: 3, visits: 1, project_type: 2, handling_forms: [1, 2],
      aliases: ['消防安全检查'],
      process: { start: 's1', steps: [
        { id: 's1', name: '受理', kind: 'task', stage: 'accept', role: 'window_clerk', limit_days: 1, next: ['p1'] },
        { id: 'p1', name: '并联审查', kind: 'split', next: ['b1', 'b2'] },
        { id: 'b1', name: '消防审查', kind: 'task', stage: 'review', role: 'approver', limit_days: 5, next: ['j1'] },
        { id: 'b2', name: '环评审查', kind: 'task', stage: 'review', role: 'approver', limit_days: 5, next: ['j1'] },
        { id: 'j1', name: '汇总', kind: 'join', join: 'all', next: ['s3'] },
        { id: 's3', name: '决定', kind: 'task', stage: 'decide', role: 'approver', limit_days: 3, next: ['end'] },
        { id: 'end', name: '办结', kind: 'end', next: [] },
      ] } });
    assert.equal(par.status, 201, par.text);
    await page.goto(`${srv.url}/admin/items/${par.body.item.code}`);
    await page.locator('[data-test="item-status"]', { hasText: '第 1 版 · 草稿' }).waitFor({ timeout: 30000 });
    await tab(page, '办理流程');
    const branches = page.locator('[data-test="process-diagram"]');
    await branches.locator('[data-test="process-join-rule-j1"]', { hasText: '全部完成' }).waitFor();
    const x = async (id) => Number(await branches.locator(`[data-test="process-node-${id}"] rect, [data-test="process-node-${id}"] polygon`)
      .first().evaluate((el) => el.getBBox().x));
    assert.equal(await x('b1'), await x('b2'), 'the branches side by side');
    assert.ok(await x('p1') < await x('b1') && await x('b1') < await x('j1'), 'split, branches, join from left to right');
    await choose(page, 'process-join-j1', '至少 k 个完成');
    await branches.locator('[data-test="process-join-rule-j1"]', { hasText: '至少' }).waitFor();
    await page.screenshot({ path: join(OUT, 'catalog-admin-branches.png'), fullPage: true });
    await page.locator('[data-test="item-save"]').click();   // at least k, with no k
    const bad = page.locator('[data-test="process-problem"]');
    await bad.waitFor();
    assert.equal(await bad.getAttribute('data-code'), 'BAD_PROCESS');
    await branches.locator('[data-test="process-node-j1"].diagram__node--lost').waitFor();   // the step it names
    await choose(page, 'process-join-j1', '全部完成');

    // ---- the list shows the item; the search box finds it
    await page.goto(srv.url + '/admin/items');
    await page.locator('[data-test="items-name"]', { hasText: '食品经营许可证核发' }).waitFor();
    // a draft never published is listed for its editors, as a draft
    await page.locator('.el-table__row', { hasText: '消防安全检查' })
      .locator('[data-test="items-version"]', { hasText: '草稿' }).waitFor();
    assert.equal(await page.locator('[data-test="items-published-only"]').count(), 0);
    await input(page, 'items-search').fill('预包装');
    await page.locator('[data-test="items-name"]', { hasText: '预包装' }).waitFor();

    // ---- export as JSON, import a broken copy (each bad row reported, nothing written), then the file as it was
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="items-export-json"]').click()]);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.ok(exported.items.some((i) => i.task_code === code), 'the published item is exported');
    const broken = structuredClone(exported);
    broken.items[0].task_name = '';
    const dir = mkdtempSync(join(tmpdir(), 'yw-cat-'));
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(broken));
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify(exported));
    const before = (await admin.get(`/api/v1/items/${code}/versions`)).body.versions.length;
    await page.locator('[data-test="items-import-file"]').setInputFiles(join(dir, 'broken.json'));
    const report = page.locator('[data-test="items-import-report"]');
    await report.locator('.el-table__row', { hasText: 'task_name' }).waitFor();
    assert.match(await report.textContent(), /BAD_IMPORT|有误/);
    assert.equal((await admin.get(`/api/v1/items/${code}/versions`)).body.versions.length, before, 'nothing imported');
    await page.screenshot({ path: join(OUT, 'catalog-admin-list.png'), fullPage: true });
    await page.locator('[data-test="items-import-file"]').setInputFiles(join(dir, 'catalog.json'));
    await page.locator('[data-test="items-import-done"]', { hasText: '导入完成' }).waitFor();
    assert.equal(await report.count(), 0);
    rmSync(dir, { recursive: true, force: true });

    assert.deepEqual(page.errors, []);
  } catch (err) {
    // what the page showed when it went wrong
    for (const p of context.pages()) await p.screenshot({ path: join(OUT, 'catalog-admin-failure.png'), fullPage: true }).catch(() => {});
    throw err;
  } finally {
    await context.close();
  }
});

// ---- the pages' pure parts, without a browser --------------------------------------------------

test('the publish diff names what changes: members, materials by name and order, FAQ, form fields, steps', async () => {
  const { itemDiff } = await import('../../web/src/pages/admin/items/item-diff.js');
  const mat = (name, over = {}) => ({ name, source: 'applicant', originals: 1, copies: 0, required: true, reuse: 'never', ...over });
  const before = { name: '事项', statutory_limit: 20, promised_limit: 5, online_depth: 1, visits: 1, project_type: 2,
    handling_forms: [1], service_objects: [], charged: false, in_hall: true, guide: { legal_basis: '依据', custom: 1 },
    materials: [mat('甲'), mat('乙'), mat('丙')], aliases: ['别名一'], topics: [{ key: 'birth', name: '出生' }],
    business_items: [{ seq: 1, name: '首次申请' }],
    form: { fields: [{ name: 'a', label: '甲', type: 'text' }] },
    process: { start: 's1', steps: [{ id: 's1', name: '受理', kind: 'task', next: ['end'] }, { id: 'end', name: '办结', kind: 'end', next: [] }] } };
  const after = structuredClone(before);
  after.promised_limit = null;
  after.guide.faq = [{ question: '要带原件吗？', answer: '要' }];
  after.guide.custom = 2;
  after.materials = [mat('乙', { copies: 2 }), mat('甲'), mat('丁', { required: false, condition: '委托办理的' })];
  after.aliases = ['别名二'];
  after.form.fields.push({ name: 'b', label: '乙', type: 'number', required: true });
  after.process.steps[0].limit_days = 3;
  const got = itemDiff(before, after).map((c) => [c.section, c.label, c.kind]);
  assert.deepEqual(got, [
    ['基本信息', '承诺办结时限', 'changed'],
    ['常见问题', '要带原件吗？', 'added'],
    ['办事指南', 'custom', 'changed'],
    ['申请材料', '乙', 'changed'],
    ['申请材料', '丁', 'added'],
    ['申请材料', '丙', 'removed'],
    ['申请材料', '材料顺序', 'changed'],
    ['别名', '别名二', 'added'],
    ['别名', '别名一', 'removed'],
    ['申请表单', '乙', 'added'],
    ['办理流程', '受理', 'changed'],
  ]);
  const first = itemDiff(null, after);
  assert.ok(first.every((c) => c.kind === 'added'), 'a first publish adds everything');
  assert.deepEqual(itemDiff(before, structuredClone(before)), [], 'no change, no rows');
});

test('the process layout puts branches side by side and the join right of all of them', async () => {
  const { layout } = await import('../../web/src/components/process/process-rules.js');
  const L = layout({ start: 's1', steps: [
    { id: 's1', kind: 'task', next: ['p1'] }, { id: 'p1', kind: 'split', next: ['b1', 'b2'] },
    { id: 'b1', kind: 'task', next: ['x1'] }, { id: 'x1', kind: 'task', next: ['j1'] },
    { id: 'b2', kind: 'task', next: ['j1'] }, { id: 'j1', kind: 'join', join: 'all', next: ['end'] },
    { id: 'end', kind: 'end', next: [] }, { id: 'lost', kind: 'task', next: ['nowhere'] }] });
  const at = Object.fromEntries(L.nodes.map((n) => [n.step.id, n]));
  assert.equal(at.b1.col, at.b2.col);
  assert.notEqual(at.b1.row, at.b2.row);
  assert.equal(at.j1.col, at.x1.col + 1, 'the join after the longest branch');
  assert.equal(at.lost.reachable, false);
  assert.deepEqual(L.edges.filter((e) => e.missing).map((e) => e.to), ['nowhere']);
});

test('the form rules: visible_when on shown fields only, hidden and empty values left out', async () => {
  const { cleanForm, formProblems, formValues, usccProblem, visibleFields } = await import('../../web/src/components/forms/form-rules.js');
  const def = { fields: [
    { name: 'kind', label: '类别', type: 'radio', options: [{ value: 'a', label: '甲' }, { value: 'b', label: '乙' }] },
    { name: 'other', label: '说明', type: 'text', visible_when: { field: 'kind', equals: 'b' } },
    { name: 'more', label: '补充', type: 'text', visible_when: { field: 'other', in: ['x'] } }] };
  assert.deepEqual(visibleFields(def, { kind: 'a', other: 'x', more: 'y' }).map((f) => f.name), ['kind']);
  assert.deepEqual(formValues(def, { kind: 'a', other: 'x', more: 'y' }), { kind: 'a' });
  assert.deepEqual(formValues(def, { kind: 'b', other: 'x', more: '' }), { kind: 'b', other: 'x' });
  assert.deepEqual(formProblems({ fields: [def.fields[0], { ...def.fields[1], name: 'kind' }] }).map((p) => p.member), ['name']);
  assert.deepEqual(cleanForm({ fields: [{ name: 'n', label: '数', type: 'number', min: 0, max_length: 5, options: [], prefill: '' }] }),
    { fields: [{ name: 'n', label: '数', type: 'number', min: 0 }] });
  assert.equal(cleanForm({ fields: [] }), null);
  assert.equal(usccProblem(dept.uscc), '');
  assert.match(usccProblem(dept.uscc.slice(0, 17) + (dept.uscc[17] === '0' ? '1' : '0')), /校验位/);
});
