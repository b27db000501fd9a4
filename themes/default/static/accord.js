// Small enhancements; every page works without them.
(function () {
  "use strict";
  // On touch screens there is no hover: the first tap on a glossary term shows its
  // definition, a second tap follows the link.
  var coarse = window.matchMedia && window.matchMedia("(hover: none)").matches;
  if (coarse) {
    document.addEventListener("click", function (e) {
      var a = e.target.closest && e.target.closest(".gloss-term");
      if (!a) return;
      var g = a.parentNode;
      if (!g.classList.contains("open")) {
        e.preventDefault();
        document.querySelectorAll(".gloss.open").forEach(function (o) { o.classList.remove("open"); });
        g.classList.add("open");
      }
    });
  }
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
      document.querySelectorAll(".gloss.open").forEach(function (o) { o.classList.remove("open"); });
      var t = document.activeElement;
      if (t && t.classList && t.classList.contains("gloss-term")) t.blur();
    }
  });
})();
