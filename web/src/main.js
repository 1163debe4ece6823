import { createApp } from 'vue';
import App from './App.vue';
import { createAppRouter } from './router/index.js';
import './styles/base.css';

const app = createApp(App);
const router = createAppRouter();
app.use(router);
// Mount once the first route is resolved, so the right layout is drawn from the start.
router.isReady().then(() => app.mount('#app'));
