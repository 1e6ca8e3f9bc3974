import type { Plugin } from 'vite';

const SW_FILE = 'sw.js';
const PLACEHOLDER = 'self.__PLANVAS_PRECACHE__';

/**
 * Builds the service worker (client/build/sw.js) as dist/client/sw.js and inlines the list of
 * built files to precache (index.html and the hashed assets, not source maps). A build-time
 * list, so the worker caches exactly what this build produced.
 */
export function serviceWorkerPlugin(): Plugin {
  return {
    name: 'planvas-service-worker',
    apply: 'build',
    enforce: 'post',
    buildStart() {
      this.emitFile({ type: 'chunk', id: decodeURIComponent(new URL('./sw.js', import.meta.url).pathname), fileName: SW_FILE });
    },
    generateBundle(_options, bundle) {
      const worker = bundle[SW_FILE];
      if (!worker || worker.type !== 'chunk') {
        this.error('the service worker chunk is missing from the bundle');
        return;
      }
      const files = Object.keys(bundle)
        .filter((file) => file !== SW_FILE && !file.endsWith('.map'))
        .map((file) => `/${file}`)
        .sort();
      if (!files.includes('/index.html')) this.error('index.html is not in the bundle; the offline shell would be incomplete');
      if (!worker.code.includes(PLACEHOLDER)) this.error(`${PLACEHOLDER} not found in the built service worker`);
      worker.code = worker.code.replace(PLACEHOLDER, JSON.stringify(files));
    },
  };
}
