/**
 * Vite builds the consoles into console/dist, served by the API process under /console/
 * (api/console.ts). Everything is bundled: nothing is loaded from a CDN. JSX is compiled by
 * Vite's own transformer (tsconfig "jsx": "react-jsx"); `npm run console:dev` serves the pages
 * with the API proxied to API_PORT.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/console/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1000,
    rollupOptions: {
      // React libraries mark their modules "use client" for server components; a plain bundle ignores it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { proxy: { '/v1': `http://127.0.0.1:${process.env.API_PORT ?? 3000}` } },
});
