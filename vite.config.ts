import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

/**
 * `npm run build` (mode `production`) writes the app alone to `dist/`. `vite build --mode test`
 * (test/browser/build.ts, for the browser tests and `npm run bench`) writes `dist-test/`: the same
 * app with its test hooks (`window.__tractmix`, a drawing buffer kept for pixel reads, both gated on
 * `import.meta.env.MODE`) and the bare maplibre page the map benchmark compares with (bare.html).
 */
export default defineConfig(({ mode }) => ({
  plugins: [react()],
  base: './',
  // Workers as ES modules (all are started with { type: 'module' }, maplibre's too): the loading
  // worker then loads the file readers and the demo data only when a job needs them, instead of
  // carrying every one of them inlined in one script.
  worker: { format: 'es' },
  build: {
    outDir: mode === 'test' ? 'dist-test' : 'dist',
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        ...(mode === 'test' ? { bare: fileURLToPath(new URL('./bare.html', import.meta.url)) } : {}),
      },
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
}));
