// Builds web/dist: index.html, content-hashed assets and nothing inline, so
// the page runs under a Content-Security-Policy without 'unsafe-inline'
// (docs/web.md). JSX is compiled for Preact without a plugin.
import { defineConfig } from "vite";

export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    target: "es2022",
    // No inlined data: URLs for small assets, and no module-preload polyfill
    // (an inline script): the CSP allows neither.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
    reportCompressedSize: true,
  },
  server: {
    // `npm run dev` against `make run`'s api on 8080.
    proxy: { "/v1": "http://127.0.0.1:8080", "/config.json": "http://127.0.0.1:8080" },
  },
});
