import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/**
 * Three builds: the Electron main process (plus the CLI, the compute process and its helper
 * thread, the import worker, and the web preview, which share its services),
 * the sandboxed preload (CommonJS, because sandboxed preloads cannot be ES modules), and the
 * Svelte renderer.
 */
export default defineConfig({
  main: {
    build: {
      // tfjs-core is externalised by the rule below instead (all of it but the gradients).
      externalizeDeps: { exclude: ['@tensorflow/tfjs-core'] },
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/cli/main.ts'),
          'compute-worker': resolve(__dirname, 'src/main/compute/worker.ts'),
          // The compute process's helper thread (pure JavaScript, shares the generate job's work).
          'compute-helper': resolve(__dirname, 'src/main/compute/helper-thread.ts'),
          'preview-web': resolve(__dirname, 'src/main/preview/main.ts'),
          // The import worker: a worker thread in Node, a utility process in Electron (see import/off-thread.ts).
          'import-worker': resolve(__dirname, 'src/main/import/import-thread.ts'),
        },
        // TensorFlow.js stays external (native and wasm files load from node_modules), except the
        // gradient registrations: tfjs-core ships them only as ES modules with extensionless
        // imports, which Node cannot load unbundled. Bundled, they register into tfjs's global
        // gradient registry like any other copy.
        external: ['better-sqlite3', 'electron', /^@tensorflow\/(?!tfjs-core\/dist\/register_all_gradients)/],
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
