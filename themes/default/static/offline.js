// "Save for offline reading": the footer's button asks the site's service worker (sw.js) to
// save every file of the site in the browser, shows its progress, and then, on this visit and
// later ones, "Available offline".
//
// Only over http and https: pages opened from disk cannot use service workers and stay as they
// are (the button stays hidden). Nor in `accord serve`'s preview, whose pages change with
// every save.
(function () {
  "use strict";
  var box = document.querySelector("[data-offline]");
  var script = document.currentScript;
  if (!box || !script) return;
  if (!/^https?:$/.test(location.protocol) || !("serviceWorker" in navigator) || !window.caches) return;
  if (document.getElementById("accord-live-reload")) return;
  var root = script.getAttribute("data-root") || "";
  var button = box.querySelector("button");
  var bar = box.querySelector("progress");
  var status = box.querySelector("[role=status]");
  // Messages in the reader's language, embedded by base.html; English when a theme has none.
  var messages = {};
  try { messages = JSON.parse(document.getElementById("accord-messages").textContent).messages || {}; } catch (e) { /* none */ }
  function msg(key, english, args) {
    var text = messages[key] || english;
    Object.keys(args || {}).forEach(function (k) { text = text.split("{" + k + "}").join(String(args[k])); });
    return text;
  }

  // One request to the active worker, answered on a channel of its own; `onMessage` sees
  // every answer until it returns true.
  function ask(message, onMessage) {
    return navigator.serviceWorker.ready.then(function (reg) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (e) {
          if (onMessage(e.data)) {
            channel.port1.close();
            resolve();
          }
        };
        reg.active.postMessage(message, [channel.port2]);
      });
    });
  }

  function saved() {
    button.hidden = true;
    bar.hidden = true;
    status.textContent = msg("available_offline", "Available offline");
    box.classList.add("is-saved");
  }

  function save() {
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    status.textContent = msg("offline_saving", "Saving for offline reading…");
    var lastTenth = -1;
    ask({ type: "save" }, function (m) {
      if (m.type === "progress") {
        bar.max = m.total;
        bar.value = m.done;
        // The live text changes by tenths, so a screen reader is not read every file.
        var tenth = Math.floor((m.done / m.total) * 10);
        if (tenth !== lastTenth) {
          lastTenth = tenth;
          status.textContent = msg("offline_progress", "Saving for offline reading: {done} of {total} files", { done: m.done, total: m.total });
        }
        return false;
      }
      if (m.type === "saved") {
        saved();
        // Asks the browser to keep the copy when space runs short; it may say no.
        if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
      } else {
        button.disabled = false;
        bar.hidden = true;
        status.textContent = msg("offline_failed", "Could not save: {error}. Try again.", { error: m.message });
      }
      return true;
    });
  }

  navigator.serviceWorker.register(root + "sw.js").then(function () {
    button.addEventListener("click", save);
    return ask({ type: "status" }, function (m) {
      if (m.saved) saved();
      box.hidden = false;
      return true;
    });
  }).catch(function () {
    // No worker (a host that refuses it, a private window): the site works as before.
  });
})();
