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

function deskCopy(url) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(url.pathname + "?shell=1", { ignoreVary: true });
  });
}

function fromCache(request) {
  // The network first (the assets' names carry no version), the kept copy when it is gone.
  return caches.open(CACHE).then(function (cache) {
    return fetch(request).then(
      function (response) {
        if (response.ok) cache.put(request, response.clone());
        return response;
      },
      function () {
        return cache.match(request, { ignoreVary: true }).then(function (hit) {
          return hit || Response.error();
        });
      }
    );
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
