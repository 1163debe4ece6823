import { createRouter, createWebHistory } from 'vue-router';
import routes from './routes.js';
import { checkSession } from '../api/auth.js';
import { session } from '../lib/session.js';
import { safeNext } from '../lib/next.js';
import { signedInStaff, staffMustChangePassword } from '../api/admin.js';

export const APP_TITLE = '一网通办';

export function createAppRouter() {
  const router = createRouter({
    history: createWebHistory(import.meta.env.BASE_URL),
    routes,
    scrollBehavior(to, from, saved) {
      if (saved) return saved;
      if (to.path === from.path) return false; // only the query changed (e.g. ?year=)
      return { top: 0 };
    },
  });
  // Pages for signed-in applicants only, and the login/register pages that a signed-in one skips.
  // meta.auth 'staff': the staff side (/admin): an anonymous visitor goes to the staff login, a
  // member whose password must change (first login, reset, expiry) to /staff/password first.
  // A staff session is not an applicant's: /account and the like still ask for an applicant.
  router.beforeEach(async (to) => {
    const need = to.meta?.auth;
    if (!need) return true;
    await checkSession();
    const staff = signedInStaff(session);
    const person = staff ? null : session.person;
    if (need === 'staff') {
      if (!staff) return { path: '/staff/login', query: { next: to.fullPath } };
      if (staffMustChangePassword(session) && to.path !== '/staff/password') {
        return { path: '/staff/password', query: { next: to.fullPath } };
      }
      return true;
    }
    if (need === 'required' && !person) return { path: '/login', query: { next: to.fullPath } };
    if (need === 'guest' && person) return safeNext(to.query.next);
    return true;
  });
  router.afterEach((to) => {
    const title = to.meta?.title;
    document.title = title ? `${title} - ${APP_TITLE}` : APP_TITLE;
  });
  return router;
}
