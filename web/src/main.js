import { createApp } from 'vue';
import App from './App.vue';
import { createAppRouter } from './router/index.js';
import { checkSession } from './api/auth.js';
import './styles/base.css';

// Who is signed in: asked once, for the header; pages that need the answer wait for it.
checkSession();

const app = createApp(App);
const router = createAppRouter();
app.use(router);
// Mount once the first route is resolved, so the right layout is drawn from the start.
router.isReady().then(() => app.mount('#app'));
