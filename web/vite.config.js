// Vite build of the yiwang web app. `npx vite build` writes web/dist, which the C server serves
// (with the .gz files that scripts/precompress.mjs adds next to the assets). `npx vite` is the
// dev server: it proxies /api to the C server, by default http://127.0.0.1:8080
// (YIWANG_API=http://host:port overrides that).
import { readFileSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const api = process.env.YIWANG_API || 'http://127.0.0.1:8080';

// The C server answers a page address (a reload, a shared link) with index.html only for the
// pages the app really has, and a 404 for anything else. It learns them from dist/pages.json,
// written here from the `path:` entries of src/router/routes.js (the catch-all excluded).
function pageList() {
  return {
    name: 'yiwang-page-list',
    generateBundle() {
      const src = readFileSync(new URL('./src/router/routes.js', import.meta.url), 'utf8');
      const paths = [...src.matchAll(/^\s*path:\s*'([^']+)'/gm)].map((m) => m[1])
        .filter((p) => !p.includes('('));
      this.emitFile({ type: 'asset', fileName: 'pages.json', source: JSON.stringify(paths) });
    },
  };
}

export default defineConfig({
  base: '/',
  plugins: [vue(), pageList()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': { target: api, changeOrigin: false } },
  },
  preview: {
    proxy: { '/api': { target: api, changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Content-hashed file names under /assets/: the server may cache them for a year.
    assetsDir: 'assets',
    sourcemap: false,
    // Small images and fonts stay separate files (cacheable) rather than base64 in the CSS.
    assetsInlineLimit: 2048,
    reportCompressedSize: false,
  },
});
