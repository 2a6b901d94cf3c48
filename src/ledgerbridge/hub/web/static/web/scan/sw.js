/* ledgerbridge scan app service worker (scope /scan/).

   The hub prepends SHELL (the app page, the manifest and the static files it needs, at
   their current, possibly hashed, URLs) and VERSION (changes with any of them). The app
   page is fetched network-first, so a logged-in phone always gets a fresh page and CSRF
   token, and falls back to the cached copy offline. Static files of the shell are served
   from the cache. Nothing else is touched: previews, confirmations and the recent-scans
   list always go to the network (the page queues scans itself while offline).

   The app page registers this worker with its language and the translated offline
   notice in the query string (the page is rendered by Django in the user's language);
   the worker answers with that notice when the app page is neither online nor cached. */
"use strict";

var CACHE = "ledgerbridge-scan-" + VERSION;
var APP = SHELL[0];
var PARAMS = new URL(self.location.href).searchParams;
var OFFLINE = {
  lang: PARAMS.get("lang") || "en",
  title: PARAMS.get("title") || "Offline",
  text: PARAMS.get("text") || ""
};

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" }[c];
  });
}

function offlinePage() {
  var html = "<!doctype html><html lang=\"" + escapeHtml(OFFLINE.lang) + "\"><head>" +
    "<meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
    "<title>" + escapeHtml(OFFLINE.title) + "</title></head>" +
    "<body style=\"font-family: system-ui, sans-serif; margin: 2rem 1.25rem; line-height: 1.5; color: #1b2430\">" +
    "<h1 style=\"font-size: 1.3rem\">" + escapeHtml(OFFLINE.title) + "</h1>" +
    "<p>" + escapeHtml(OFFLINE.text) + "</p></body></html>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return Promise.all(SHELL.map(function (url) {
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          if (response.ok && !response.redirected) { return cache.put(url, response); }
          return undefined;
        }).catch(function () { return undefined; });
      }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("ledgerbridge-scan-") === 0 && name !== CACHE;
      }).map(function (name) { return caches["delete"](name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function appPage(request) {
  return fetch(request).then(function (response) {
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(APP, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(APP).then(function (cached) {
      return cached || offlinePage();
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && url.pathname === APP) {
    event.respondWith(appPage(request));
    return;
  }
  if (SHELL.indexOf(url.pathname) > 0) {
    event.respondWith(caches.match(url.pathname).then(function (cached) {
      return cached || fetch(request);
    }));
  }
});
