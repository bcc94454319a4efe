import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/**
 * Three builds: the Electron main process (plus the CLI entry, which shares its services),
 * the sandboxed preload (CommonJS, because sandboxed preloads cannot be ES modules), and the
 * Svelte renderer.
 */
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/cli/main.ts'),
          'compute-worker': resolve(__dirname, 'src/main/compute/worker.ts'),
          'preview-web': resolve(__dirname, 'src/main/preview/main.ts'),
        },
        external: ['better-sqlite3', 'electron', /^@tensorflow\//],
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
    plugins: [svelte({ configFile: false })],
  },
});
