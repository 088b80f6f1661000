// MQTT Lab's service worker: after the first visit the site works offline.
//
// It keeps the shell (the page, the stylesheet, the gallery, embed.js) and every
// widget bundle a page has loaded, in one cache per build: scripts/build.sh writes
// a hash of the build into BUILD, so a new build is a new worker, which fills its
// own cache and deletes the old build's. Files are served from the cache first;
// a new build reaches readers on their next visit after it is deployed.
//
// Only the site's own files are cached: GET requests for URLs under the worker's
// scope. Anything else (another origin, a POST, a live broker's WebSocket, which
// never passes through a worker anyway) goes to the network untouched.
const BUILD = '__MQTT_LAB_BUILD__';
const SCOPE = self.registration.scope;
// Several copies of the site may share an origin (/a/widgets/, /b/widgets/): each
// names its caches after its scope and deletes only its own.
const PREFIX = `mqtt-lab ${SCOPE} `;
const CACHE = PREFIX + BUILD;
const SHELL = ['./', 'main.css', 'public/favicon.svg', 'public/embed.js', 'w/gallery/gallery.js', 'w/gallery/gallery_bg.wasm'];
// Every page of the site is index.html with a query (?w=…): one cache entry.
const PAGE = new URL('./', SCOPE).href;

const ours = (url) => url.startsWith(SCOPE);
let opened;
const cache = () => (opened ??= caches.open(CACHE));

// Fresh from the server (revalidated), never a copy the HTTP cache kept from an older build.
const fromServer = (url) => fetch(url, { cache: 'no-cache' });

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const kept = await cache();
    await Promise.all(SHELL.map(async (path) => {
      const url = new URL(path, SCOPE).href;
      const response = await fromServer(url);
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      await kept.put(url, response);
    }));
    // What an older build kept offline stays offline: this build's copies of the
    // same files (best effort: a file gone from the new build is left out).
    for (const key of await caches.keys()) {
      if (!key.startsWith(PREFIX) || key === CACHE) continue;
      for (const request of await (await caches.open(key)).keys()) {
        if (await kept.match(request.url)) continue;
        const response = await fromServer(request.url).catch(() => null);
        if (response?.status === 200) await kept.put(request.url, response);
      }
    }
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || !ours(request.url)) return;
  const url = new URL(request.url);
  const page = request.mode === 'navigate' && (url.href.split(/[?#]/)[0] === PAGE || `${url.origin}${url.pathname}` === `${PAGE}index.html`);
  event.respondWith(respond(page ? PAGE : url.href.split('#')[0]));
});

async function respond(key) {
  const hit = await (await cache()).match(key);
  if (hit) return hit;
  const response = await fromServer(key);
  // Only whole, successful answers from our own origin are kept.
  if (response.status === 200 && response.type === 'basic') await (await cache()).put(key, response.clone());
  return response;
}

// The page that was open while this worker installed loaded its bundle before the
// worker could see it: the loader sends the bundle's URLs to keep.
self.addEventListener('message', (event) => {
  const { data } = event;
  if (!data || data.type !== 'mqtt-lab:cache' || !Array.isArray(data.urls)) return;
  event.waitUntil((async () => {
    const kept = await cache();
    for (const url of data.urls) {
      if (typeof url !== 'string' || !ours(url) || await kept.match(url)) continue;
      const response = await fetch(url);
      if (response.status === 200 && response.type === 'basic') await kept.put(url, response);
    }
  })());
});
