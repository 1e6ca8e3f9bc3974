// Planvas service worker: keeps the app shell (index.html and the built assets) loadable
// without the server, so a reload while offline still shows a board from IndexedDB.
// Bundled by client/build/swPlugin.ts, which replaces `self.__PLANVAS_PRECACHE__` with the
// list of built files (so each build changes this file, and the browser installs it anew).
// Never cached: the API, the WebSocket, health and metrics: they must reach the server.

const PRECACHE = self.__PLANVAS_PRECACHE__;
const VERSION = PRECACHE.join('|').split('').reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, 7).toString(36);
const CACHE = `planvas-shell-${VERSION}`;
const SHELL = '/index.html';
const NETWORK_ONLY = /^\/(api|ws|healthz|metrics)(\/|$)/;
const NAVIGATION_TIMEOUT_MS = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((file) => new Request(file, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('planvas-shell-') && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || NETWORK_ONLY.test(url.pathname)) return;

  if (request.mode === 'navigate') {
    event.respondWith(navigation(request));
    return;
  }
  // Built assets have content hashes in their names: the cached copy is always right.
  event.respondWith(
    caches.match(request, { ignoreSearch: true }).then((cached) => cached || fetch(request)),
  );
});

/** Network first (a fresh shell when the server is up), the cached shell when it is not. */
async function navigation(request) {
  try {
    const response = await withTimeout(fetch(request), NAVIGATION_TIMEOUT_MS);
    if (response.status < 500) return response;
    throw new Error(`server answered ${response.status}`);
  } catch {
    const cached = await caches.match(SHELL, { cacheName: CACHE });
    return cached || Response.error();
  }
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
