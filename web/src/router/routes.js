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
  // Keep last: anything unmatched.
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('../pages/NotFoundPage.vue'),
    meta: { title: '页面不存在', layout: 'portal' },
  },
];
