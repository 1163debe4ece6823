// Every page of the app, in one list. A new page is one file under pages/ and one entry here:
//   { path: '/staff', name: 'staff', component: () => import('../pages/StaffPage.vue'),
//     meta: { title: '…', layout: 'portal' } }
// meta.title goes into the browser tab ("title - 一网通办"); meta.layout names a file in
// layouts/ (PortalLayout.vue is 'portal', the default). Load every page but the portal lazily,
// so that citizens opening the portal do not download the other pages.
// Write each path as a plain quoted literal (`path: '/cases/:id'`): the build copies them into
// dist/pages.json, and the server serves the app only at those addresses.
import PortalPage from '../pages/PortalPage.vue';

export default [
  {
    path: '/',
    name: 'portal',
    component: PortalPage,
    meta: { title: '', layout: 'portal' },
  },
  // Applicant accounts. meta.auth: 'required' sends an anonymous visitor to /login?next=…;
  // 'guest' sends a signed-in one on to ?next= (or /account).
  {
    path: '/login',
    name: 'login',
    component: () => import('../pages/LoginPage.vue'),
    meta: { title: '登录', layout: 'portal', auth: 'guest' },
  },
  {
    path: '/register',
    name: 'register',
    component: () => import('../pages/RegisterPage.vue'),
    meta: { title: '注册', layout: 'portal', auth: 'guest' },
  },
  {
    path: '/recover',
    name: 'recover',
    component: () => import('../pages/RecoverPage.vue'),
    meta: { title: '找回密码', layout: 'portal' },
  },
  {
    path: '/account',
    name: 'account',
    component: () => import('../pages/AccountPage.vue'),
    meta: { title: '我的账户', layout: 'portal', auth: 'required' },
  },
  // The catalog for applicants (issue 5): search, the guide of an item, browsing, a theme.
  {
    path: '/search',
    name: 'search',
    component: () => import('../pages/portal/SearchPage.vue'),
    meta: { title: '事项搜索', layout: 'portal' },
  },
  {
    path: '/items/:code',
    name: 'item-guide',
    component: () => import('../pages/portal/ItemGuidePage.vue'),
    meta: { title: '办事指南', layout: 'portal' },
  },
  {
    path: '/browse',
    name: 'browse',
    component: () => import('../pages/portal/BrowsePage.vue'),
    meta: { title: '分类浏览', layout: 'portal' },
  },
  {
    path: '/themes/:id',
    name: 'theme',
    component: () => import('../pages/portal/ThemePage.vue'),
    meta: { title: '一件事', layout: 'portal' },
  },
  // Cases (issue 6): applying online, 我的办件, the receipt, the public progress query.
  {
    path: '/apply/theme/:id',
    name: 'apply-theme',
    component: () => import('../pages/cases/ThemeApplyPage.vue'),
    meta: { title: '一件事在线申请', layout: 'portal', auth: 'required' },
  },
  {
    path: '/apply/:code',
    name: 'apply',
    component: () => import('../pages/cases/ApplyPage.vue'),
    meta: { title: '在线申请', layout: 'portal', auth: 'required' },
  },
  {
    path: '/me/cases',
    name: 'my-cases',
    component: () => import('../pages/cases/MyCasesPage.vue'),
    meta: { title: '我的办件', layout: 'portal', auth: 'required' },
  },
  {
    path: '/me/materials',
    name: 'my-materials',
    component: () => import('../pages/cases/MyMaterialsPage.vue'),
    meta: { title: '我的材料', layout: 'portal', auth: 'required' },
  },
  {
    path: '/me/cases/:id',
    name: 'my-case',
    component: () => import('../pages/cases/MyCasePage.vue'),
    meta: { title: '办件详情', layout: 'portal', auth: 'required' },
  },
  {
    path: '/me/cases/:id/receipt',
    name: 'my-case-receipt',
    component: () => import('../pages/cases/ReceiptPage.vue'),
    meta: { title: '申请回执', layout: 'portal', auth: 'required' },
  },
  {
    path: '/progress',
    name: 'progress',
    component: () => import('../pages/cases/ProgressPage.vue'),
    meta: { title: '办件进度查询', layout: 'portal' },
  },
  {
    path: '/sandbox/sms',
    name: 'sandbox-sms',
    component: () => import('../pages/SandboxSmsPage.vue'),
    meta: { title: '短信沙箱', layout: 'portal' },
  },
  // The staff side: meta.auth 'staff' sends an anonymous visitor to /staff/login?next=… and a
  // member whose password must change to /staff/password (router/index.js).
  {
    path: '/admin',
    name: 'admin',
    component: () => import('../pages/admin/AdminHomePage.vue'),
    meta: { title: '管理端', layout: 'admin', auth: 'staff' },
  },
  {
    path: '/admin/departments',
    name: 'admin-departments',
    component: () => import('../pages/admin/AdminDepartmentsPage.vue'),
    meta: { title: '部门', layout: 'admin', auth: 'staff' },
  },
  {
    path: '/admin/staff',
    name: 'admin-staff',
    component: () => import('../pages/admin/AdminStaffPage.vue'),
    meta: { title: '工作人员', layout: 'admin', auth: 'staff' },
  },
  {
    path: '/admin/clients',
    name: 'admin-clients',
    component: () => import('../pages/admin/AdminClientsPage.vue'),
    meta: { title: '对接系统', layout: 'admin', auth: 'staff' },
  },
  // The catalog's administration (docs/catalog.md): item list, editor (new and existing).
  {
    path: '/admin/items',
    name: 'admin-items',
    component: () => import('../pages/admin/items/AdminItemsPage.vue'),
    meta: { title: '事项管理', layout: 'admin', auth: 'staff' },
  },
  {
    path: '/admin/items/new',
    name: 'admin-item-new',
    component: () => import('../pages/admin/items/AdminItemEditPage.vue'),
    meta: { title: '新建事项', layout: 'admin', auth: 'staff' },
  },
  {
    path: '/admin/items/:code',
    name: 'admin-item',
    component: () => import('../pages/admin/items/AdminItemEditPage.vue'),
    meta: { title: '编辑事项', layout: 'admin', auth: 'staff' },
  },
  // Single sign-on: a department system asks the signed-in person (or staff member) to consent;
  // /oauth/authorize sends the browser here, and the page itself sends an anonymous one to /login.
  {
    path: '/sso/consent',
    name: 'sso-consent',
    component: () => import('../pages/SsoConsentPage.vue'),
    meta: { title: '授权登录', layout: 'portal' },
  },
  // Staff login with TOTP, and the staff password change (docs/identity.md "Staff login").
  {
    path: '/staff/login',
    name: 'staff-login',
    component: () => import('../pages/staff/StaffLoginPage.vue'),
    meta: { title: '工作人员登录', layout: 'admin' },
  },
  {
    path: '/staff/password',
    name: 'staff-password',
    component: () => import('../pages/staff/StaffPasswordPage.vue'),
    meta: { title: '修改密码', layout: 'admin', auth: 'staff' },
  },
  // The staff workbench of cases (issue 6): the inbox, a case, a window application.
  {
    path: '/staff',
    name: 'staff-workbench',
    component: () => import('../pages/staff/WorkbenchPage.vue'),
    meta: { title: '办件工作台', layout: 'admin', auth: 'staff' },
  },
  {
    path: '/staff/cases',
    name: 'staff-cases',
    component: () => import('../pages/staff/StaffCasesPage.vue'),
    meta: { title: '办件查询', layout: 'admin', auth: 'staff' },
  },
  {
    path: '/staff/cases/:id',
    name: 'staff-case',
    component: () => import('../pages/staff/StaffCasePage.vue'),
    meta: { title: '办件详情', layout: 'admin', auth: 'staff' },
  },
  {
    path: '/staff/apply',
    name: 'staff-apply',
    component: () => import('../pages/staff/WindowApplyPage.vue'),
    meta: { title: '窗口收件', layout: 'admin', auth: 'staff' },
  },
  // Keep last: anything unmatched.
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('../pages/NotFoundPage.vue'),
    meta: { title: '页面不存在', layout: 'portal' },
  },
];
