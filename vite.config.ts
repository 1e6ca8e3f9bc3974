import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { serviceWorkerPlugin } from './client/build/swPlugin.ts';

// The client lives in client/; the server serves the build from dist/client.
// In dev (`npm run dev:client`) Vite proxies the API and the WebSocket to the server.
export default defineConfig({
  root: 'client',
  // serviceWorkerPlugin writes dist/client/sw.js (offline app shell) with the built file list.
  plugins: [react(), serviceWorkerPlugin()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8787',
      '/healthz': 'http://127.0.0.1:8787',
      '/ws': { target: 'ws://127.0.0.1:8787', ws: true },
    },
  },
});
