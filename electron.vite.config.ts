import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';

// Main bundles the engine; worker threads and child processes the engine starts by URL (job worker,
// job child, task module, TFLite worker, benchmark child) are separate entries, flat beside the main bundle.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          'job-worker': resolve('src/engine/jobs/job-worker.ts'),
          'job-child': resolve('src/engine/jobs/job-child.ts'),
          tasks: resolve('src/engine/tasks.ts'),
          'tflite-worker': resolve('src/engine/runtime/tflite/tflite-worker.ts'),
          'bench-child': resolve('src/engine/bench/bench-child.ts'),
          // the engine service alone, for scripts that drive the built engine without Electron (the model fuzz's --built)
          'engine-service': resolve('src/engine/service/index.ts'),
        },
        // every entry and chunk sits flat in out/main, where entryUrl() looks for them
        output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
        external: ['onnxruntime-node'],
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [svelte({ configFile: resolve('svelte.config.js') })],
  },
});
