// Tillit's service worker. This file is a template: the server fills in the placeholders for
// each build (server/src/site.rs), so the precache list always names exactly the files and
// routes of the running build, and any change to them is a new worker with a new cache.
//
// - install: cache every app route's HTML, the 404 page and every file of the build.
// - navigations: the cached HTML of that exact route (hydration needs the route's own HTML),
//   else the network, else the cached 404 page.
// - files: cache first, network as a fallback. API calls are never touched.
// - the clinician pages (/behandler): network only; offline, a page that says so.
// - a new version waits until the app asks it to take over ("skip-waiting"), so an update
//   never swaps the app under someone who is writing; old caches go on activate.

const VERSION = "__TILLIT_VERSION__";
const PRECACHE = "__TILLIT_PRECACHE__";
const NOT_FOUND = "__TILLIT_NOT_FOUND__";
const PREFIX = "tillit-";
const CACHE = PREFIX + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `reload` skips the HTTP cache, so a new version never precaches old files.
      await cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" })));
      const notFound = await fetch(NOT_FOUND, { cache: "reload" });
      if (notFound.status !== 404) {
        throw new Error(`the 404 page answered ${notFound.status}`);
      }
      await cache.put(NOT_FOUND, notFound);
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names.filter((name) => name.startsWith(PREFIX) && name !== CACHE).map((name) => caches.delete(name)),
      );
      // The very first visit is served by the network; claiming makes the worker serve the
      // page it was installed from, so it works offline without a second visit.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") {
    self.skipWaiting();
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname === "/healthz" || url.pathname === "/sw.js") return;
  // The clinician pages carry someone's data: always from the network, never into a cache.
  // Offline they say that the network is needed, and nothing else.
  if (url.pathname === "/behandler" || url.pathname.startsWith("/behandler/")) {
    if (request.mode === "navigate") event.respondWith(onlineOnly(request));
    return;
  }
  event.respondWith(request.mode === "navigate" ? page(request, url) : file(request));
});

async function page(request, url) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(url.pathname, { ignoreSearch: true });
  if (cached) return cached;
  try {
    return await fetch(request);
  } catch (offline) {
    return (await cache.match(NOT_FOUND)) || Response.error();
  }
}

async function file(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  return fetch(request);
}

const OFFLINE_CLINICIAN = `<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Trenger nett – Tillit</title></head><body><main>
<h1>Behandlersidene trenger nett</h1>
<p>Du er ikke på nett, eller tjenesten svarer ikke. Behandlersidene vises bare med nett, og ingenting fra dem lagres på denne maskinen. Prøv igjen når du er på nett.</p>
<h2 lang="en">The clinician pages need a network</h2>
<p lang="en">You are offline, or the service does not answer. The clinician pages are shown only online, and nothing of them is kept on this computer. Try again when you are online.</p>
</main></body></html>`;

async function onlineOnly(request) {
  try {
    return await fetch(request);
  } catch (offline) {
    return new Response(OFFLINE_CLINICIAN, {
      status: 503,
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
    });
  }
}

// Web Push (check-ins, issue 11): the server's push always says the same generic thing
// ("Ny melding i Tillit"): no name, no content, no health word on a lock screen. A tap opens
// the check-in page.
self.addEventListener("push", (event) => {
  let note = { title: "Ny melding i Tillit", url: "/innsjekk" };
  try {
    note = { ...note, ...event.data.json() };
  } catch (unreadable) {}
  event.waitUntil(self.registration.showNotification(note.title, { tag: "tillit-innsjekk", data: { url: note.url } }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/innsjekk";
  event.waitUntil(self.clients.openWindow(url));
});
