import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** Svelte options shared by vite (electron-vite) and svelte-check. */
export default {
  preprocess: vitePreprocess({ script: false }),
  compilerOptions: { runes: true },
};
