// The tablet's service worker (served as /judge/sw.js, scope /judge/): keeps the page shell and the files it
// loads so that a reload without network still opens the page, whose local storage holds the unsent sheets.
// Network first, so a deployment is seen at once; the API is never cached (sheets live in local storage).
const CACHE = "tablet-shell-v1";
const SCOPE = new URL(self.registration.scope);
const STATIC = new URL("../static/", SCOPE).pathname; // the app's /static/ beside /judge/
const SHELL = [
  SCOPE.href,
  "css/tablet.css",
  "js/tablet.js",
  "js/tablet_sheet.js",
  "js/tablet_queue.js",
  "js/tablet_ui.js",
  "js/outbox.js",
  "vendor/bootstrap-icons/bootstrap-icons.min.css",
  "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
  "favicon.svg",
].map((path) => new URL(path, new URL(STATIC, SCOPE)).href);
const TIMEOUT = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(
        SHELL.map((url) =>
          fetch(url, { credentials: "same-origin", cache: "no-cache" })
            .then((response) => (keep(response) ? cache.put(url, response) : null))
            .catch(() => null),
        ),
      ),
    ),
  );
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("tablet-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function keep(response) {
  return response && response.ok && response.type === "basic" && !response.redirected;
}

// The network within TIMEOUT, stored for next time; else what the cache holds under `key`.
async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT);
    const response = await fetch(request, { signal: controller.signal });
    clearTimeout(timer);
    if (keep(response)) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const cached = (await cache.match(key)) || (await cache.match(key, { ignoreSearch: true }));
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== SCOPE.origin) return;
  if (request.mode === "navigate" && url.pathname === SCOPE.pathname) {
    event.respondWith(networkFirst(request, SCOPE.href)); // /judge/ and /judge/?lang=en: one shell
  } else if (url.pathname.startsWith(STATIC)) {
    event.respondWith(networkFirst(request, url.href));
  }
  // Everything else (the API, the heartbeat, other pages) goes to the network untouched.
});
