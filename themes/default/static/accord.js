// Small enhancements; every page works without them.
(function () {
  "use strict";
  var root = document.documentElement;

  // Colour theme: the reader's choice, kept in localStorage (the inline script in <head> applies
  // it before the first paint). Without a choice the system's preference rules, through CSS.
  var KEY = "accord-theme";
  var themeButton = document.querySelector(".theme-toggle");
  function systemDark() {
    return !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  }
  function isDark() {
    var t = root.getAttribute("data-theme");
    return t ? t === "dark" : systemDark();
  }
  function showTheme() {
    if (themeButton) themeButton.setAttribute("aria-pressed", isDark() ? "true" : "false");
  }
  if (themeButton) {
    themeButton.hidden = false;
    showTheme();
    themeButton.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem(KEY, next); } catch (e) { /* storage off: this page only */ }
      showTheme();
    });
    if (window.matchMedia) {
      var mq = window.matchMedia("(prefers-color-scheme: dark)");
      if (mq.addEventListener) mq.addEventListener("change", showTheme);
    }
  }

  // Glossary definitions (WCAG 1.4.13). CSS shows a definition while its term is hovered or
  // focused, or while the pointer is on the definition itself; this script keeps it inside the
  // window (below the term, or above it when there is no room below, moved sideways to fit),
  // lets Escape dismiss it, and on touch screens opens it on the first tap and closes it on a tap
  // anywhere else.
  var MARGIN = 8;
  var GAP = 6;
  var shown = [];

  function tipOf(g) {
    return g.querySelector(".gloss-tip");
  }
  function place(g) {
    var term = g.querySelector(".gloss-term");
    var tip = tipOf(g);
    if (!term || !tip) return;
    var vw = root.clientWidth;
    var vh = window.innerHeight;
    var s = tip.style;
    s.position = "fixed";
    s.right = "auto";
    s.bottom = "auto";
    s.marginTop = "0";
    s.width = "max-content";
    s.maxWidth = Math.max(0, Math.min(352, vw - 2 * MARGIN)) + "px";
    s.left = "0px";
    s.top = "0px";
    // Measured while shown: the inline display wins over the stylesheet for this one moment.
    var display = s.display;
    s.display = "block";
    var w = tip.offsetWidth;
    var h = tip.offsetHeight;
    s.display = display;
    var lines = term.getClientRects();
    if (!lines.length) return;
    var first = lines[0];
    var last = lines[lines.length - 1];
    var below = last.bottom + GAP;
    var above = first.top - GAP - h;
    var up = below + h > vh - MARGIN && (above >= MARGIN || first.top > vh - last.bottom);
    var top = up ? above : below;
    var anchor = up ? first : last;
    var left = Math.min(Math.max(MARGIN, anchor.left), vw - MARGIN - w);
    s.left = Math.max(MARGIN, left) + "px";
    s.top = Math.max(MARGIN, Math.min(top, vh - MARGIN - h)) + "px";
    g.classList.toggle("gloss-above", up);
    if (shown.indexOf(g) < 0) shown.push(g);
  }
  function close(g) {
    g.classList.remove("open");
    var i = shown.indexOf(g);
    if (i >= 0) shown.splice(i, 1);
  }
  function closeAll(except) {
    document.querySelectorAll(".gloss.open").forEach(function (g) {
      if (g !== except) close(g);
    });
  }
  function glossOf(node) {
    return node && node.closest ? node.closest(".gloss") : null;
  }

  document.addEventListener("pointerover", function (e) {
    var g = glossOf(e.target);
    if (g && e.pointerType === "mouse") {
      g.classList.remove("dismissed");
      place(g);
    }
  });
  document.addEventListener("pointerout", function (e) {
    var g = glossOf(e.target);
    if (g && !g.contains(e.relatedTarget) && !g.contains(document.activeElement)) g.classList.remove("dismissed");
  });
  document.addEventListener("focusin", function (e) {
    var g = glossOf(e.target);
    if (g) {
      g.classList.remove("dismissed");
      place(g);
    }
  });
  document.addEventListener("focusout", function (e) {
    var g = glossOf(e.target);
    if (g && !g.contains(e.relatedTarget)) {
      g.classList.remove("dismissed");
      close(g);
    }
  });

  // On touch screens there is no hover: the first tap on a term shows its definition, a second
  // tap follows the link, and a tap anywhere else closes it.
  var coarse = window.matchMedia && window.matchMedia("(hover: none)").matches;
  document.addEventListener("click", function (e) {
    var g = glossOf(e.target);
    if (!g) {
      closeAll(null);
      var a = document.activeElement;
      if (a && a.classList && a.classList.contains("gloss-term")) a.blur();
      return;
    }
    var term = e.target.closest(".gloss-term");
    if (coarse && term && !g.classList.contains("open")) {
      e.preventDefault();
      closeAll(g);
      g.classList.remove("dismissed");
      g.classList.add("open");
      place(g);
    }
  });
  function replace() {
    shown = shown.filter(function (g) {
      return tipOf(g) && tipOf(g).getClientRects().length > 0;
    });
    shown.forEach(place);
  }
  window.addEventListener("scroll", replace, { passive: true });
  window.addEventListener("resize", replace);

  document.addEventListener("keydown", function (e) {
    // ← and → turn pages, as in mdBook, unless the reader is typing or using a modifier.
    if ((e.key === "ArrowLeft" || e.key === "ArrowRight") && !e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
      var t = e.target;
      var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
      var link = document.querySelector(e.key === "ArrowLeft" ? "a[rel=prev]" : "a[rel=next]");
      if (!typing && link) {
        e.preventDefault();
        window.location.href = link.href;
      }
      return;
    }
    if (e.key === "Escape") {
      // Dismissed, not blurred: the keyboard stays where it was, and the definition returns
      // when the term is hovered or focused again.
      var open = [];
      document.querySelectorAll(".gloss").forEach(function (g) {
        var tip = tipOf(g);
        if (tip && tip.getClientRects().length > 0) open.push(g);
      });
      open.forEach(function (g) {
        close(g);
        g.classList.add("dismissed");
      });
    }
  });
})();
