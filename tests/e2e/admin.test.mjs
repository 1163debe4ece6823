// Browser test of the administration pages (/admin): the system admin, sent from /admin/staff to
// the staff login, signs in with password and TOTP, sees who they are, adds a department under
// the root (a wrong USCC first), adds a staff member there with a role, and sees both listed.
//
// The administrator is made with `yiwang staff bootstrap` and has enrolled TOTP and changed the
// initial password over the API (tests/lib/staff.mjs); the TOTP code is computed here.
//
// Screenshots go to tests/e2e/out/: admin-departments.png, admin-staff.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { OUT, choose, closeSuite, input, newContext, newPage, openSuite, staffSignIn } from '../lib/browser.mjs';
import { bootstrapAdmin, makeUscc } from '../lib/staff.mjs';

const DESKTOP = { viewport: { width: 1366, height: 900 } };

let srv, browser, admin;

before(async () => {
  ({ srv, browser } = await openSuite());
  admin = await bootstrapAdmin(srv, { name: '孙立新', departmentName: '宿州市数据资源管理局', division: '341300' });
});

after(() => closeSuite({ srv, browser }));

test('the admin signs in through the staff login, adds a department and a staff member with a role, '
  + 'and sees them listed', async () => {
  const context = await newContext(browser, DESKTOP);
  try {
    const { page } = await newPage(context);

    // anonymous: /admin/staff sends to the staff login, which comes back after password + TOTP
    await page.goto(srv.url + '/admin/staff');
    await page.waitForURL((u) => u.pathname === '/staff/login');
    assert.equal(new URL(page.url()).searchParams.get('next'), '/admin/staff');
    assert.equal(await page.locator('[data-test="admin-menu"]').count(), 0, 'no menu for an anonymous visitor');
    await staffSignIn(page, admin);
    await page.waitForURL((u) => u.pathname === '/admin/staff');
    await page.locator('[data-test="admin-menu"]').waitFor();

    // overview: who I am and my roles
    await page.locator('[data-test="admin-menu-admin"]').click();
    await page.waitForURL((u) => u.pathname === '/admin');
    await page.locator('[data-test="admin-user-name"]').waitFor();
    assert.equal(await page.locator('[data-test="admin-user-name"]').textContent(), '孙立新');
    assert.equal((await page.locator('[data-test="admin-user-dept"]').textContent()).trim(), '宿州市数据资源管理局');
    await page.locator('[data-test="me-roles"]', { hasText: '系统管理员' }).waitFor();

    // a department under the root; its division defaults to the parent's
    await page.locator('[data-test="admin-menu-departments"]').click();
    await page.waitForURL((x) => x.pathname === '/admin/departments');
    await page.locator('[data-test="dept-name"]', { hasText: '宿州市数据资源管理局' }).waitFor();
    await page.locator('[data-test="dept-new"]').click();
    // (Element Plus moves dialogs to the end of <body>: their fields are found from the page)
    const dialog = page;
    await input(page, 'dept-form-name').fill('宿州市市场监督管理局');
    await input(page, 'dept-form-uscc').fill('1134130000000000X0');   // wrong check
    await choose(page, 'dept-form-parent', '宿州市数据资源管理局');
    await page.locator('[data-test="dept-form-division"]', { hasText: '341300' }).waitFor();
    await dialog.locator('[data-test="dept-form-save"]').click();
    await page.locator('[data-test="dept-form-problem"]', { hasText: '统一社会信用代码' }).waitFor();
    await input(page, 'dept-form-uscc').fill(makeUscc('341300'));
    await dialog.locator('[data-test="dept-form-save"]').click();
    await page.locator('[data-test="dept-name"]', { hasText: '宿州市市场监督管理局' }).waitFor();
    await page.locator('[data-test="dept-form-name"]').waitFor({ state: 'hidden' });
    await page.screenshot({ path: join(OUT, 'admin-departments.png'), fullPage: true });

    // a staff member in it, then a role
    await page.locator('[data-test="admin-menu-staff"]').click();
    await page.waitForURL((x) => x.pathname === '/admin/staff');
    await page.locator('[data-test="staff-username"]', { hasText: 'admin' }).waitFor();
    await page.locator('[data-test="staff-new"]').click();
    const form = page;
    await input(page, 'staff-form-username').fill('amr.clerk');
    await input(page, 'staff-form-name').fill('周敏');
    await choose(page, 'staff-form-dept', '宿州市市场监督管理局');
    assert.ok((await input(page, 'staff-form-password').inputValue()).length >= 10);
    await form.locator('[data-test="staff-form-save"]').click();
    const row = page.locator('.el-table__row', { hasText: 'amr.clerk' });
    await row.waitFor();
    await row.locator('[data-test="staff-roles"]').click();
    const roles = page.locator('.el-dialog', { hasText: '授予角色' });
    await roles.waitFor();
    await choose(page, 'role-form-role', '窗口人员');
    await roles.locator('[data-test="role-form-grant"]').click();
    await roles.locator('.el-table__row', { hasText: '窗口人员' }).waitFor();
    await roles.locator('.el-dialog__footer').getByRole('button', { name: '关闭' }).click();
    await row.locator('[data-test="staff-role"]', { hasText: '窗口人员' }).waitFor();
    assert.match(await row.textContent(), /宿州市市场监督管理局/);
    assert.match(await row.textContent(), /待修改密码/);
    await page.screenshot({ path: join(OUT, 'admin-staff.png'), fullPage: true });

    // the server agrees
    const listed = await admin.get('/api/v1/staff');
    const m = listed.body.staff.find((s) => s.username === 'amr.clerk');
    assert.deepEqual(m.roles.map((r) => [r.role, r.department_name]), [['window_clerk', '宿州市市场监督管理局']]);
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});
