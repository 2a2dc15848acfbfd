{% load static %}/* The offline reception desk's service worker (kelisim/appeals/offline.py, desk-offline.js).
 *
 * A desk page is asked of the network first; with the network gone, the copy the desk's script
 * keeps (the page's form without its visitors, "?shell=1") answers instead; so do the static
 * assets' kept copies. Nothing else is touched: every other page,
 * and every POST, goes to the network as if there were no worker.
 */
"use strict";

var CACHE = "kelisim-desk-v1";
var STATIC_PREFIX = "{% get_static_prefix %}";
var DESK = /^\/receptions\/\d+\/$/;

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

// Only the desk's script fills the cache (and signing out empties it): opening a cache here would
// make it again after signing out.
function deskCopy(url) {
  return caches.match(url.pathname + "?shell=1", { cacheName: CACHE, ignoreVary: true });
}

function fromCache(request) {
  // The network first (the assets' names carry no version), the kept copy when it is gone.
  return fetch(request).catch(function () {
    return caches.match(request, { cacheName: CACHE, ignoreVary: true }).then(function (hit) {
      return hit || Response.error();
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && DESK.test(url.pathname) && !url.search) {
    event.respondWith(
      fetch(request).catch(function () {
        return deskCopy(url).then(function (copy) {
          return copy || Response.error();
        });
      })
    );
  } else if (url.pathname.indexOf(STATIC_PREFIX) === 0) {
    event.respondWith(fromCache(request));
  }
});
