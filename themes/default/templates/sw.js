// accord's service worker: the published site, saved in the browser for reading offline.
//
// Written by `accord build`. VERSION is the hash of every file listed in offline.json, so a
// rebuild that changes the site changes this script, and the browser installs it afresh: if
// the reader had saved the site, the new version is saved before the new worker takes over
// (unchanged files are copied, not downloaded), and the old copy is deleted.
//
// Until the reader saves the site, pages come from the network as usual; the ones visited are
// kept, so they still open when the connection drops. Once saved, every file of the site comes
// from the saved copy, the network is used only for what is not in it.
"use strict";

var VERSION = "{{ version }}";
var SCOPE = self.registration.scope; // the site root, ending in "/"
// Cache names carry the site's address: other sites on the same host keep theirs.
var PREFIX = "accord-offline " + SCOPE + " ";
var SAVED = PREFIX + VERSION;
var VISITED = PREFIX + VERSION + " visited";
var LIST_URL = SCOPE + "{{ list }}";
// Written last into the saved copy: the copy is complete exactly when the list is in it.
var COMPLETE = LIST_URL;
var PARALLEL = 4;

function url(path) {
  return SCOPE + path.split("/").map(encodeURIComponent).join("/");
}

function fetchList() {
  return fetch(LIST_URL, { cache: "no-store" }).then(function (r) {
    if (!r.ok) throw new Error("the list of the site's files could not be loaded (HTTP " + r.status + ")");
    return r.json();
  });
}

// The complete saved copy of an earlier version, if any, with its list.
function previous() {
  return caches.keys().then(function (names) {
    var old = names.filter(function (n) {
      return n.indexOf(PREFIX) === 0 && n !== SAVED && !/ visited$/.test(n);
    });
    return old.reduce(function (found, name) {
      return found.then(function (f) {
        if (f) return f;
        return caches.open(name).then(function (cache) {
          return cache.match(COMPLETE).then(function (r) {
            return r ? r.json().then(function (list) { return { cache: cache, list: list }; }) : null;
          });
        });
      });
    }, Promise.resolve(null));
  });
}

// A response that can answer any request: one that followed a redirect cannot answer a
// navigation, so it is copied.
function storable(r) {
  if (!r.redirected) return Promise.resolve(r);
  return r.blob().then(function (body) {
    return new Response(body, { status: r.status, statusText: r.statusText, headers: r.headers });
  });
}

var saving = null;

// Saves every listed file of this version, `report(done, total)` after each. Files already in
// the copy (an interrupted save) are kept; unchanged files of an earlier saved version are
// copied from it.
function save(report) {
  if (saving) return saving;
  saving = Promise.all([fetchList(), caches.open(SAVED), previous()])
    .then(function (got) {
      var list = got[0], cache = got[1], old = got[2];
      if (list.version !== VERSION) {
        self.registration.update();
        throw new Error("the site has been updated since this page was opened: reload the page and save again");
      }
      var oldHash = {};
      if (old) old.list.files.forEach(function (f) { oldHash[f.path] = f.hash; });
      var files = list.files, next = 0, done = 0;
      function one(f) {
        var u = url(f.path);
        return cache.match(u).then(function (have) {
          if (have) return;
          var reuse = old && oldHash[f.path] === f.hash ? old.cache.match(url(f.path)) : Promise.resolve(null);
          return reuse.then(function (r) {
            if (r) return cache.put(u, r);
            return fetch(u, { cache: "no-cache" }).then(function (r) {
              if (!r.ok) throw new Error(f.path + " could not be loaded (HTTP " + r.status + ")");
              return storable(r).then(function (s) { return cache.put(u, s); });
            });
          });
        }).then(function () {
          done++;
          report(done, files.length);
        });
      }
      function worker() {
        if (next >= files.length) return Promise.resolve();
        return one(files[next++]).then(worker);
      }
      var workers = [];
      for (var i = 0; i < PARALLEL; i++) workers.push(worker());
      return Promise.all(workers).then(function () {
        return cache.put(COMPLETE, new Response(JSON.stringify(list), {
          headers: { "Content-Type": "application/json" },
        }));
      });
    })
    .finally(function () { saving = null; });
  return saving;
}

function isSaved() {
  return caches.open(SAVED).then(function (c) { return c.match(COMPLETE); }).then(Boolean);
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    previous()
      .then(function (old) { return old ? save(function () {}) : null; })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.filter(function (n) {
          return n.indexOf(PREFIX) === 0 && n !== SAVED && n !== VISITED;
        }).map(function (n) { return caches.delete(n); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("message", function (event) {
  var port = event.ports && event.ports[0];
  var msg = event.data || {};
  if (!port) return;
  if (msg.type === "status") {
    event.waitUntil(isSaved().then(function (saved) {
      port.postMessage({ type: "status", saved: saved, version: VERSION });
    }));
  } else if (msg.type === "save") {
    event.waitUntil(save(function (done, total) {
      port.postMessage({ type: "progress", done: done, total: total });
    }).then(function () {
      port.postMessage({ type: "saved", version: VERSION });
    }, function (err) {
      port.postMessage({ type: "error", message: String((err && err.message) || err) });
    }));
  }
});

function respond(request, key) {
  return caches.open(SAVED).then(function (saved) {
    return saved.match(COMPLETE).then(function (complete) {
      var fromCopy = complete ? saved.match(key) : Promise.resolve(null);
      return fromCopy.then(function (hit) {
        if (hit) return hit;
        return fetch(request).then(function (r) {
          if (r.ok && r.type === "basic" && !complete) {
            var copy = r.clone();
            caches.open(VISITED).then(function (v) { return v.put(key, copy); }).catch(function () {});
          }
          return r;
        }, function (err) {
          // Offline: a page visited earlier, or the saved copy of an interrupted save.
          return caches.open(VISITED)
            .then(function (v) { return v.match(key); })
            .then(function (hit) { return hit || saved.match(key); })
            .then(function (hit) {
              if (hit) return hit;
              throw err;
            });
        });
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.url.indexOf(SCOPE) !== 0) return;
  // The preview server's live-reload stream and the like are never stored.
  if ((request.headers.get("Accept") || "").indexOf("text/event-stream") >= 0) return;
  var u = new URL(request.url);
  u.search = "";
  u.hash = "";
  var key = u.href;
  if (key.charAt(key.length - 1) === "/") key += "index.html";
  event.respondWith(respond(request, key));
});
