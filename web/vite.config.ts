import { defineConfig } from 'vite';

/**
 * The browser app builds to web/dist, which the API serves at `/` (producers/web-app.ts). Everything it
 * needs is bundled: no CDN, so it works on closed networks. `npm run dev` proxies the API from
 * DATAOPS_URL (default http://127.0.0.1:3000) for working on the app with hot reload.
 */
export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 4096,
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  server: {
    proxy: {
      '/v1': { target: 'http://127.0.0.1:3000', ws: true, changeOrigin: false },
    },
  },
});
