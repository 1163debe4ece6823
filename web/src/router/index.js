import { createRouter, createWebHistory } from 'vue-router';
import routes from './routes.js';

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
  router.afterEach((to) => {
    const title = to.meta?.title;
    document.title = title ? `${title} - ${APP_TITLE}` : APP_TITLE;
  });
  return router;
}
