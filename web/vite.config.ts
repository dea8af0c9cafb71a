import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The web console. `npm run build:web` writes web/dist, which `kura serve` serves at `/`.
 * `npm run dev:web` serves the sources with hot reload and forwards API calls to a running
 * `kura serve` (KURA_DEV_API, default http://localhost:8080).
 */
const api = process.env.KURA_DEV_API ?? 'http://localhost:8080';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
    // The chart library (vega + vega-lite + vega-embed, ~870 KB minified) is one lazy chunk loaded
    // by the Data page's first chart; the initial budget is enforced by scripts/check-bundle-size.mjs.
    chunkSizeWarningLimit: 1000,
  },
  server: {
    proxy: { '/api': api, '/healthz': api },
  },
});
