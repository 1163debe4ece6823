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
  {
    path: '/sandbox/sms',
    name: 'sandbox-sms',
    component: () => import('../pages/SandboxSmsPage.vue'),
    meta: { title: '短信沙箱', layout: 'portal' },
  },
  // Keep last: anything unmatched.
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('../pages/NotFoundPage.vue'),
    meta: { title: '页面不存在', layout: 'portal' },
  },
];
