// accord search: the header search box on every page and the search page (search.html).
//
// The engine is accord-search compiled to WebAssembly, the same code as `accord search`, reading
// the index written at build time. It is loaded on first use, not with the page, and the index
// piece by piece: its head first, then the chunks each search needs. Over http(s) the engine
// and chunks are fetched as binary files; pages opened from disk (file://) cannot fetch, so
// they load the same bytes from classic scripts carrying them in base64.
//
// Nothing from the index is inserted as HTML: titles, sections and kinds go in via textContent,
// and snippets are rebuilt as text nodes with only the engine's <mark> elements.
(function () {
  "use strict";

  var script = document.currentScript;
  var root = (script && script.getAttribute("data-root")) || "";
  // The engine is shared by every language; each language's pages and index sit under its code.
  var assets = (script && script.getAttribute("data-assets")) || root + "assets/";
  var input = document.getElementById("search-input");
  var popup = document.getElementById("search-popup");
  if (!input || !popup) return;
  var form = input.form;


  // ---- Messages in the reader's language ---------------------------------------------------
  // base.html embeds them as JSON (#accord-messages); a theme without it gets the English
  // written here. Plurals pick the key of the language's CLDR category (`_one`, `_few`, …), as
  // the browser's Intl.PluralRules names it, falling back to `_other`.
  var MSG = (function () {
    var node = document.getElementById("accord-messages");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  })();
  var MESSAGES = MSG.messages || {};
  function fill(text, args) {
    Object.keys(args || {}).forEach(function (k) { text = text.split("{" + k + "}").join(String(args[k])); });
    return text;
  }
  function msg(key, english, args) {
    return fill(MESSAGES[key] || english, args);
  }
  function pluralMsg(key, n, one, other, args) {
    var category = "other";
    try { category = new Intl.PluralRules(document.documentElement.lang || "en").select(n); } catch (e) { /* old browser */ }
    var text = MESSAGES[key + "_" + category] || MESSAGES[key + "_other"] || (n === 1 ? one : other);
    var all = { count: n };
    Object.keys(args || {}).forEach(function (k) { all[k] = args[k]; });
    return fill(text, all);
  }
  // A facet value as readers of the language name it: the index keeps one neutral value.
  function facetName(facet, value) {
    var names = MSG.facets && MSG.facets[facet];
    return (names && names[value]) || value;
  }

  var WASM_VAR = "ACCORD_SEARCH_WASM_B64";
  var INDEX_VAR = "ACCORD_SEARCH_INDEX_B64";
  var FACETS = [
    ["kind", msg("search_facet_kind", "Kind")],
    ["region", msg("search_facet_region", "Region")],
    ["country", msg("search_facet_country", "Country")],
    ["stakeholder", msg("search_facet_stakeholder", "Stakeholder")],
    ["tag", msg("search_facet_tag", "Tag")]
  ];
  // The engine's own words for an index it refuses (accord_search::DAMAGED).
  var DAMAGED = msg("search_index_damaged", "search index damaged — rebuild the site");
  var POPUP_LIMIT = 8;
  var PAGE_STEP = 50;

  // ---- Engine ------------------------------------------------------------------------------

  var enginePromise = null;

  function loadEngine() {
    if (!enginePromise) {
      enginePromise = openEngine(root).catch(function (err) {
        enginePromise = null; // let the next keystroke try again
        throw err;
      });
    }
    return enginePromise;
  }

  // An error the engine reported about the index: shown as it is, since it already says what
  // to do (rebuild the site), rather than as "Search is unavailable".
  function damaged(message) {
    var err = new Error(message || DAMAGED);
    err.accordIndex = true;
    return err;
  }

  function unavailable(err) {
    if (err && err.accordIndex) return err.message;
    return msg("search_unavailable", "Search is unavailable: {error}", { error: err && err.message ? err.message : err });
  }

  function base64Bytes(text) {
    // Native decoding where the browser has it: several times faster on a large index.
    if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
    var bin = atob(text);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function fromScript(src, name) {
    return new Promise(function (resolve, reject) {
      function take() {
        var text = window[name];
        window[name] = undefined; // the decoded bytes are all we keep
        try {
          resolve(base64Bytes(text));
        } catch (err) {
          // Not base64 any more: the file was damaged after it was built. Rejecting (rather
          // than throwing inside onload) keeps the search box from waiting forever.
          reject(damaged(name === INDEX_VAR ? DAMAGED : msg("search_file_damaged", "{file} is damaged — rebuild the site", { file: src })));
        }
      }
      if (typeof window[name] === "string") return take();
      var s = document.createElement("script");
      s.src = src;
      s.async = true;
      s.onload = function () {
        if (typeof window[name] === "string") take();
        else reject(new Error(msg("search_file_incomplete", "{file} did not define {name}", { file: src, name: name })));
      };
      s.onerror = function () { reject(new Error(msg("search_could_not_load", "could not load {file}", { file: src }))); };
      document.head.appendChild(s);
    });
  }

  function bytes(binUrl, scriptUrl, name) {
    if (location.protocol !== "file:" && window.fetch) {
      return fetch(binUrl)
        .then(function (r) {
          if (!r.ok) throw new Error(binUrl + ": HTTP " + r.status);
          return r.arrayBuffer();
        })
        .then(function (buf) { return new Uint8Array(buf); })
        .catch(function () { return fromScript(scriptUrl, name); });
    }
    return fromScript(scriptUrl, name);
  }

  // Over http the engine compiles while it downloads (compileStreaming); a server that sends
  // .wasm with another content type gets the bytes compiled after download instead. Pages
  // opened from disk cannot fetch at all and read the base64 script copy. The compiled module
  // is kept: each language's index gets its own instance of it.
  var modulePromise = null;
  function engineModule() {
    if (modulePromise) return modulePromise;
    var wasmUrl = assets + "accord-search.wasm";
    var scriptUrl = assets + "accord-search-wasm.js";
    var fromBytes = function () {
      return bytes(wasmUrl, scriptUrl, WASM_VAR).then(function (b) {
        return WebAssembly.compile(b);
      });
    };
    if (location.protocol !== "file:" && window.fetch && WebAssembly.compileStreaming) {
      modulePromise = WebAssembly.compileStreaming(fetch(wasmUrl)).catch(fromBytes);
    } else {
      modulePromise = fromBytes();
    }
    modulePromise = modulePromise.catch(function (err) {
      modulePromise = null;
      throw err;
    });
    return modulePromise;
  }

  // A chunk of an index: fetched over http, loaded as a classic script from disk (the script
  // calls ACCORD_SEARCH_CHUNK with itself and the chunk in base64). Each chunk is asked for
  // once per page, however many searches need it at the same time.
  var chunkWaiters = typeof WeakMap === "function" ? new WeakMap() : null;
  window.ACCORD_SEARCH_CHUNK = function (el, text) {
    var waiter = chunkWaiters && el && chunkWaiters.get(el);
    if (!waiter) return;
    chunkWaiters.delete(el);
    try {
      waiter.resolve(base64Bytes(text));
    } catch (err) {
      waiter.reject(damaged(DAMAGED));
    }
  };
  function chunkFromScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      chunkWaiters.set(s, { resolve: resolve, reject: reject });
      s.src = src;
      s.async = true;
      s.onload = function () {
        if (chunkWaiters.has(s)) {
          chunkWaiters.delete(s);
          reject(damaged(DAMAGED));
        }
        s.remove();
      };
      s.onerror = function () {
        chunkWaiters.delete(s);
        s.remove();
        reject(new Error(msg("search_could_not_load", "could not load {file}", { file: src })));
      };
      document.head.appendChild(s);
    });
  }
  function chunk(indexRoot, name) {
    var base = indexRoot + "search/chunks/" + name;
    if (location.protocol !== "file:" && window.fetch) {
      return fetch(base + ".bin")
        .then(function (r) {
          if (!r.ok) throw new Error(base + ".bin: HTTP " + r.status);
          return r.arrayBuffer();
        })
        .then(function (buf) { return new Uint8Array(buf); })
        .catch(function () { return chunkFromScript(base + ".js"); });
    }
    return chunkFromScript(base + ".js");
  }

  // A search that needs more of the index says which chunks; they are fetched side by side and
  // the search runs again. Every round adds chunks, so a search ends; the bound only guards
  // against an engine that keeps asking for what it was given.
  var MAX_ROUNDS = 24;

  // The engine over the index of the site whose root is `indexRoot` (this language's, or
  // another language's for a search in all languages). Only the index's head is loaded here:
  // the rest comes chunk by chunk as searches need it.
  function openEngine(indexRoot) {
    return Promise.all([
      engineModule(),
      bytes(indexRoot + "search/index.bin", indexRoot + "search/index.js", INDEX_VAR)
    ]).then(function (loaded) {
      return WebAssembly.instantiate(loaded[0], {}).then(function (instance) {
        var x = instance.exports;
        var enc = new TextEncoder();
        var dec = new TextDecoder();
        var pending = {}; // chunk number -> promise of its arrival in the engine
        function copyIn(data) {
          var ptr = x.alloc(data.length);
          new Uint8Array(x.memory.buffer, ptr, data.length).set(data);
          return ptr;
        }
        function output(ptr) {
          return dec.decode(new Uint8Array(x.memory.buffer, ptr, x.result_len()));
        }
        function fetchChunks(need) {
          return Promise.all(need.map(function (pair) {
            var n = pair[0];
            if (!pending[n]) {
              pending[n] = chunk(indexRoot, pair[1]).then(function (data) {
                x.add_chunk(n, copyIn(data), data.length);
              }, function (err) {
                delete pending[n]; // a later search may try again
                throw err;
              });
            }
            return pending[n];
          }));
        }
        var head = loaded[1];
        function open(round) {
          var opened;
          try {
            opened = x.open_index(copyIn(head), head.length);
          } catch (err) {
            // The engine verifies the index's checksums before reading it, so a trap here
            // means bytes it could not make sense of: to the reader, a damaged index.
            throw damaged(DAMAGED);
          }
          if (opened === 1 && round < MAX_ROUNDS) {
            return fetchChunks(JSON.parse(output(x.result_ptr()))).then(function () { return open(round + 1); });
          }
          if (opened !== 0) throw damaged(output(x.result_ptr()));
        }
        function run(request, round) {
          var data = enc.encode(JSON.stringify(request));
          var answer;
          try {
            answer = JSON.parse(output(x.search(copyIn(data), data.length)));
          } catch (err) {
            enginePromise = null; // a trapped instance is unusable: start afresh next time
            allPromise = null;
            throw err;
          }
          if (answer.need && round < MAX_ROUNDS) {
            return fetchChunks(answer.need).then(function () { return run(request, round + 1); });
          }
          if (answer.need) throw damaged(DAMAGED);
          if (answer.error) throw damaged(answer.error);
          return answer;
        }
        return Promise.resolve(open(0)).then(function () {
          return {
            // A promise of the response: the chunks a search needs may have to be fetched.
            search: function (request) {
              return Promise.resolve().then(function () { return run(request, 0); });
            }
          };
        });
      });
    });
  }

  // ---- Every language -----------------------------------------------------------------------

  // The site's other languages, from the site root: "de:de/ pl:pl/ en:".
  var siteUp = (script && script.getAttribute("data-up")) || "";
  var otherLanguages = ((script && script.getAttribute("data-languages")) || "")
    .split(" ").filter(Boolean).map(function (pair) {
      var at = pair.indexOf(":");
      return { code: pair.slice(0, at), prefix: pair.slice(at + 1) };
    });

  // Engines for every language, this one first. Opened one after another: from disk each
  // index arrives through the same global variable.
  var allPromise = null;
  function loadAll() {
    if (allPromise) return allPromise;
    allPromise = loadEngine().then(function (own) {
      var engines = [{ code: "", up: "", engine: own }];
      return otherLanguages.reduce(function (chain, l) {
        return chain.then(function () {
          var at = root + siteUp + l.prefix;
          return openEngine(at).then(function (engine) {
            engines.push({ code: l.code, up: siteUp + l.prefix, engine: engine });
          });
        });
      }, Promise.resolve()).then(function () { return engines; });
    }).catch(function (err) {
      allPromise = null;
      throw err;
    });
    return allPromise;
  }

  // One response from several languages' engines: hits by score, their URLs from this page's
  // language root, counts and facets added up, this language's definition first.
  function searchAll(engines, req) {
    return Promise.all(engines.map(function (e) { return e.engine.search(req); })).then(function (responses) {
      return mergeResponses(engines, responses, req);
    });
  }

  function mergeResponses(engines, responses, req) {
    var merged = { total: 0, hits: [], facets: {}, definition: null, fuzzy: false, suggestions: [] };
    engines.forEach(function (e, i) {
      var r = responses[i];
      var at = function (url) { return e.up + url; };
      r.hits.forEach(function (h) {
        h.url = at(h.url);
        h.language = e.code;
        (h.sections || []).forEach(function (s) { s.url = at(s.url); });
        merged.hits.push(h);
      });
      if (r.definition && !merged.definition) {
        if (r.definition.url) r.definition.url = at(r.definition.url);
        merged.definition = r.definition;
      }
      (r.suggestions || []).forEach(function (s) { s.url = at(s.url); merged.suggestions.push(s); });
      merged.total += r.total;
      merged.fuzzy = merged.fuzzy || r.fuzzy;
      Object.keys(r.facets || {}).forEach(function (name) {
        var into = merged.facets[name] || (merged.facets[name] = []);
        r.facets[name].forEach(function (v) {
          var found = into.filter(function (c) { return c.value === v.value; })[0];
          if (found) found.count += v.count; else into.push({ value: v.value, count: v.count });
        });
      });
    });
    merged.hits.sort(function (a, b) { return b.score - a.score; });
    merged.hits = merged.hits.slice(0, req.limit);
    Object.keys(merged.facets).forEach(function (name) {
      merged.facets[name].sort(function (a, b) { return b.count - a.count || (a.value < b.value ? -1 : 1); });
    });
    return merged;
  }

  // ---- Rendering helpers -------------------------------------------------------------------

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text != null) e.textContent = text;
    return e;
  }

  var ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'" };

  // Rebuilds the engine's snippet (escaped text with <mark>) as DOM nodes, so that even a
  // malformed snippet could never inject markup.
  function snippetNodes(parent, snippet) {
    var marked = false;
    String(snippet || "").split(/(<\/?mark>)/).forEach(function (part) {
      if (part === "<mark>") { marked = true; return; }
      if (part === "</mark>") { marked = false; return; }
      if (!part) return;
      var text = part.replace(/&(amp|lt|gt|quot|#39);/g, function (m) { return ENTITIES[m]; });
      if (marked) parent.appendChild(el("mark", null, text));
      else parent.appendChild(document.createTextNode(text));
    });
  }

  function hitContent(container, hit) {
    var head = el("span", "search-hit-head");
    head.appendChild(el("span", "search-hit-title", hit.title || hit.url));
    if (hit.kind) head.appendChild(el("span", "badge search-hit-kind", facetName("kind", hit.kind)));
    container.appendChild(head);
    if (hit.section) container.appendChild(el("span", "search-hit-section", hit.section));
    if (hit.snippet) {
      var s = el("span", "search-hit-snippet");
      snippetNodes(s, hit.snippet);
      container.appendChild(s);
    }
  }

  // Further matching sections of a result's page, as links under it (search page only: in the
  // header popup each result is itself one option of a listbox).
  function sectionLinks(hit) {
    if (!hit.sections || !hit.sections.length) return null;
    var ul = el("ul", "search-result-sections");
    ul.setAttribute("aria-label", msg("search_more_in", "More in {title}", { title: hit.title || hit.url }));
    hit.sections.forEach(function (s) {
      var li = el("li");
      var a = el("a", null, s.section);
      a.href = root + s.url;
      li.appendChild(a);
      ul.appendChild(li);
    });
    return ul;
  }

  // "No results for …" and, when the engine has them, titles and glossary terms spelled like
  // the query.
  function noResults(q, res, linkClass) {
    var box = el("div", "search-message");
    box.appendChild(document.createTextNode(msg("search_no_results", "No results for “{query}”.", { query: q })));
    if (res.suggestions && res.suggestions.length) {
      // The links go where the message has {suggestions}.
      var around = msg("search_did_you_mean", "Did you mean: {suggestions}?").split("{suggestions}");
      box.appendChild(document.createTextNode(" " + around[0]));
      res.suggestions.forEach(function (s, i) {
        if (i) box.appendChild(document.createTextNode(", "));
        var a = el("a", linkClass, s.title);
        a.href = root + s.url;
        box.appendChild(a);
      });
      box.appendChild(document.createTextNode(around.slice(1).join("")));
    }
    return box;
  }

  function searchPageUrl(q) {
    return root + "search.html?q=" + encodeURIComponent(q);
  }

  // ---- Header search box: ARIA combobox with a listbox popup ---------------------------------

  var status = el("div", "visually-hidden");
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  form.appendChild(status);

  // The popup holds the glossary definition (a plain link) above the listbox of results.
  var listbox = el("div", "search-listbox");
  listbox.id = "search-listbox";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", msg("search_results_label", "Search results"));
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listbox.id);

  var options = [];
  var active = -1;
  var seq = 0;
  var timer = 0;

  function setOpen(open) {
    popup.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) setActive(-1);
  }

  function setActive(i) {
    if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
    active = i;
    if (i >= 0 && options[i]) {
      options[i].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[i].id);
      options[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  // Each option is the result's link itself: a link inside an option would be an interactive
  // control nested in another, which screen readers may announce twice or not at all.
  function option(href, className) {
    var a = el("a", "search-option " + className);
    a.href = href;
    a.id = "search-option-" + options.length;
    a.setAttribute("role", "option");
    a.setAttribute("aria-selected", "false");
    a.tabIndex = -1; // the input keeps focus; arrows move aria-activedescendant
    options.push(a);
    listbox.appendChild(a);
    return a;
  }

  function message(text) {
    popup.textContent = "";
    options = [];
    popup.appendChild(el("div", "search-message", text));
    setOpen(true);
  }

  function showPopup(q, res) {
    // An answer can arrive while the reader is moving through the previous one (a slow line
    // fetching the index): the result they selected stays selected when it is still there, so
    // Enter opens it rather than the search page.
    var selected = active >= 0 && options[active] ? options[active].href : null;
    popup.textContent = "";
    listbox.textContent = "";
    options = [];
    active = -1;
    // The query this answer is for: the popup may still show an answer to fewer letters.
    popup.setAttribute("data-query", q);
    if (res.definition) {
      var d = el(res.definition.url ? "a" : "div", "search-definition");
      if (res.definition.url) {
        d.href = root + res.definition.url;
        d.tabIndex = -1;
      }
      d.appendChild(el("span", "search-definition-term", res.definition.term));
      d.appendChild(el("span", "search-definition-text", res.definition.text));
      popup.appendChild(d);
    }
    popup.appendChild(listbox);
    res.hits.forEach(function (hit) {
      hitContent(option(root + hit.url, "search-hit"), hit);
    });
    if (!res.hits.length) {
      popup.appendChild(noResults(q, res, "search-suggestion"));
    } else if (res.total > res.hits.length) {
      option(searchPageUrl(q), "search-all").textContent = pluralMsg("search_all_results", res.total, "All {count} result →", "All {count} results →");
    }
    status.textContent = res.hits.length
      ? pluralMsg("search_pages_found", res.total, "{count} page found", "{count} pages found")
      : msg("search_no_results_short", "No results");
    setOpen(true);
    if (selected) {
      for (var i = 0; i < options.length; i++) {
        if (options[i].href === selected) { setActive(i); break; }
      }
    }
  }

  function runPopup() {
    var q = input.value;
    var mine = ++seq;
    if (!q.trim()) { setOpen(false); status.textContent = ""; return; }
    var ready = enginePromise;
    if (!ready) message(msg("search_loading", "Loading search…"));
    loadEngine().then(function (engine) {
      if (mine !== seq) return;
      return engine.search({ q: q, limit: POPUP_LIMIT }).then(function (res) {
        // A later keystroke's answer may have come first: only the latest is shown.
        if (mine === seq) showPopup(q, res);
      });
    }).catch(function (err) {
      if (mine !== seq) return;
      message(unavailable(err));
    });
  }

  // The engine is fetched when a reader reaches for the search box, not with every page: a
  // phone on a slow line should not pay for a search nobody asked for.
  function warmUp() { loadEngine().catch(function () {}); } // errors show when the user types
  input.addEventListener("pointerdown", warmUp, { once: true });
  input.addEventListener("focus", function () {
    warmUp();
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(runPopup, enginePromise ? 60 : 0);
  });
  input.addEventListener("keydown", function (e) {
    var open = !popup.hidden && options.length > 0;
    if (e.key === "ArrowDown") {
      if (popup.hidden && input.value.trim()) { runPopup(); e.preventDefault(); return; }
      if (!open) return;
      e.preventDefault();
      setActive(active + 1 >= options.length ? 0 : active + 1);
    } else if (e.key === "ArrowUp") {
      if (!open) return;
      e.preventDefault();
      setActive(active <= 0 ? options.length - 1 : active - 1);
    } else if (e.key === "Home" && open && active >= 0) {
      e.preventDefault();
      setActive(0);
    } else if (e.key === "End" && open && active >= 0) {
      e.preventDefault();
      setActive(options.length - 1);
    } else if (e.key === "Enter") {
      if (open && active >= 0) {
        e.preventDefault();
        var a = options[active];
        setOpen(false);
        if (a.href) window.location.href = a.href;
      }
      // otherwise the form submits to the search page
    } else if (e.key === "Escape") {
      if (!popup.hidden) {
        e.preventDefault();
        setOpen(false);
      } else if (input.value) {
        e.preventDefault();
        input.value = "";
      }
    } else if (e.key === "Tab") {
      setOpen(false);
    }
  });
  popup.addEventListener("mousedown", function (e) {
    e.preventDefault(); // keep focus in the input while clicking a result
  });
  popup.addEventListener("click", function (e) {
    var o = e.target.closest && e.target.closest("[role=option]");
    if (!o) return;
    // The option is a link: the browser follows it (and honours a middle click or Ctrl).
    setOpen(false);
  });
  document.addEventListener("click", function (e) {
    if (!form.contains(e.target)) setOpen(false);
  });
  form.addEventListener("submit", function (e) {
    if (!input.value.trim()) e.preventDefault();
  });

  // "/" focuses the search box, unless the user is typing somewhere.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var t = e.target;
    var tag = t && t.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
    e.preventDefault();
    input.focus();
    input.select();
  });

  // ---- Search page -------------------------------------------------------------------------

  var results = document.getElementById("search-results");
  if (!results) return;
  var pageForm = document.getElementById("search-page-form");
  var pageInput = document.getElementById("search-page-q");
  var facetsBox = document.getElementById("search-facets");
  var pageStatus = document.getElementById("search-status");
  var definitionBox = document.getElementById("search-definition");
  var suggestionsBox = document.getElementById("search-suggestions");
  var placeholder = document.getElementById("search-placeholder");
  var more = document.getElementById("search-more");
  var filters = document.getElementById("search-filters");
  // On a phone the filters fold away above the results; on a wide screen they sit beside them.
  if (window.matchMedia && window.matchMedia("(min-width: 48rem)").matches) filters.open = true;

  var state = { q: "", limit: PAGE_STEP, filters: {} };
  var baseTitle = document.title;
  var pageSeq = 0;

  function readUrl() {
    var params = new URLSearchParams(location.search);
    state.q = params.get("q") || "";
    state.filters = {};
    FACETS.forEach(function (f) { state.filters[f[0]] = params.getAll(f[0]).filter(Boolean); });
    pageInput.value = state.q;
    input.value = state.q;
  }

  function writeUrl() {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    FACETS.forEach(function (f) {
      state.filters[f[0]].forEach(function (v) { params.append(f[0], v); });
    });
    var qs = params.toString();
    var url = location.pathname + (qs ? "?" + qs : "") + location.hash;
    try { history.replaceState(null, "", url); } catch (e) { /* some browsers refuse on file:// */ }
    document.title = state.q ? state.q + " · " + baseTitle : baseTitle;
  }

  function hasFilters() {
    return FACETS.some(function (f) { return state.filters[f[0]].length > 0; });
  }

  function request() {
    var r = { q: state.q, limit: state.limit };
    FACETS.forEach(function (f) { r[f[0]] = state.filters[f[0]]; });
    return r;
  }

  function renderFacets(res) {
    facetsBox.textContent = "";
    FACETS.forEach(function (f) {
      var name = f[0];
      var values = (res.facets && res.facets[name]) || [];
      var chosen = state.filters[name];
      // Chosen values stay visible even when nothing matches them any more.
      chosen.forEach(function (v) {
        if (!values.some(function (x) { return x.value === v; })) values.push({ value: v, count: 0 });
      });
      if (!values.length) return;
      var fs = el("fieldset", "search-facet");
      fs.appendChild(el("legend", null, f[1]));
      values.forEach(function (v, i) {
        var id = "facet-" + name + "-" + i;
        var row = el("div", "search-facet-value");
        var box = el("input");
        box.type = "checkbox";
        box.id = id;
        box.checked = chosen.indexOf(v.value) >= 0;
        box.addEventListener("change", function () {
          var list = state.filters[name];
          var at = list.indexOf(v.value);
          if (box.checked && at < 0) list.push(v.value);
          if (!box.checked && at >= 0) list.splice(at, 1);
          state.limit = PAGE_STEP;
          runPage(true);
        });
        var label = el("label", null, facetName(name, v.value) + " ");
        label.htmlFor = id;
        label.appendChild(el("span", "count", "(" + v.count + ")"));
        row.appendChild(box);
        row.appendChild(label);
        fs.appendChild(row);
      });
      facetsBox.appendChild(fs);
    });
    filters.hidden = !facetsBox.firstChild;
    filters.classList.remove("search-pending");
  }

  function renderPage(res) {
    results.textContent = "";
    definitionBox.textContent = "";
    definitionBox.hidden = !res.definition;
    if (res.definition) {
      var term = el("p", "search-definition-term");
      if (res.definition.url) {
        var a = el("a", null, res.definition.term);
        a.href = root + res.definition.url;
        term.appendChild(a);
      } else {
        term.textContent = res.definition.term;
      }
      definitionBox.appendChild(term);
      definitionBox.appendChild(el("p", "search-definition-text", res.definition.text));
    }
    res.hits.forEach(function (hit) {
      var li = el("li", "search-result");
      var a = el("a", "search-result-link");
      a.href = root + hit.url;
      hitContent(a, hit);
      li.appendChild(a);
      var subs = sectionLinks(hit);
      if (subs) li.appendChild(subs);
      results.appendChild(li);
    });
    var n = res.total;
    pageStatus.textContent = n === 0
      ? (state.q || hasFilters() ? msg("search_no_results_hint", "No results. Check the spelling, use fewer words or remove filters.") : "")
      : res.fuzzy
        ? pluralMsg("search_pages_found_fuzzy", n, "{count} page found, including similar spellings", "{count} pages found, including similar spellings")
        : pluralMsg("search_pages_found", n, "{count} page found", "{count} pages found");
    suggestionsBox.textContent = "";
    suggestionsBox.hidden = !(n === 0 && state.q && res.suggestions && res.suggestions.length);
    if (!suggestionsBox.hidden) suggestionsBox.appendChild(noResults(state.q, res, null));
    more.hidden = res.hits.length >= n;
    renderFacets(res);
  }

  function runPage(updateUrl) {
    if (updateUrl) writeUrl();
    if (!state.q.trim() && !hasFilters()) {
      results.textContent = "";
      facetsBox.textContent = "";
      filters.hidden = true;
      definitionBox.hidden = true;
      pageStatus.textContent = "";
      more.hidden = true;
      return;
    }
    var mine = ++pageSeq;
    if (!enginePromise) {
      pageStatus.textContent = msg("search_loading", "Loading search…");
      placeholder.hidden = false;
    }
    var everyLanguage = allLanguages && allLanguages.checked;
    (everyLanguage ? loadAll() : loadEngine()).then(function (loaded) {
      if (mine !== pageSeq) return;
      return (everyLanguage ? searchAll(loaded, request()) : loaded.search(request())).then(function (res) {
        if (mine !== pageSeq) return;
        placeholder.hidden = true;
        renderPage(res);
      });
    }).catch(function (err) {
      if (mine !== pageSeq) return;
      placeholder.hidden = true;
      pageStatus.textContent = unavailable(err);
    });
  }

  var pageTimer = 0;
  pageInput.addEventListener("input", function () {
    clearTimeout(pageTimer);
    pageTimer = setTimeout(function () {
      state.q = pageInput.value;
      state.limit = PAGE_STEP;
      runPage(true);
    }, 120);
  });
  pageInput.addEventListener("focus", function () { loadEngine().catch(function () {}); });
  var allLanguages = document.getElementById("search-all-languages");
  if (allLanguages) {
    allLanguages.addEventListener("change", function () {
      state.limit = PAGE_STEP;
      runPage(false);
    });
  }
  pageForm.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(pageTimer);
    state.q = pageInput.value;
    state.limit = PAGE_STEP;
    runPage(true);
  });
  more.addEventListener("click", function () {
    state.limit += PAGE_STEP;
    runPage(false);
  });
  window.addEventListener("popstate", function () { readUrl(); runPage(false); });

  readUrl();
  // The filters' room is in the page from its first paint (invisible until results fill it),
  // so results arriving never push anything around; without a query there are no filters.
  if (!state.q.trim() && !hasFilters()) filters.hidden = true;
  runPage(false);
})();
