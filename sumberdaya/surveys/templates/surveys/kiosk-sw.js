/* The kiosk tablet's service worker (version {{ version }}): keeps the kiosk page and its assets so a
   reload without connection still shows the form. Network first, the cached copy when offline; posts
   are never touched (kiosk.js queues answers itself). */
"use strict";
var CACHE = "skm-kiosk-{{ version }}";
var PAGE = "{{ page_url }}";  // a reversed URL: slug characters only
var ASSETS = [PAGE, "{% load static %}{% static 'surveys/survey.css' %}", "{% static 'surveys/survey.js' %}", "{% static 'surveys/kiosk.js' %}"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(ASSETS.map(function (url) { return new Request(url, { credentials: "same-origin" }); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("skm-kiosk-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  var isPage = request.mode === "navigate" && url.searchParams.get("kiosk") === "1";
  var isAsset = ASSETS.indexOf(url.pathname) !== -1;
  if (!isPage && !isAsset) { return; }
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(isPage ? PAGE : request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(isPage ? PAGE : request).then(function (hit) { return hit || Response.error(); });
  }));
});
