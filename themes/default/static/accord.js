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
    if (e.key === "Escape") {
      document.querySelectorAll(".gloss.open").forEach(function (o) { o.classList.remove("open"); });
      var t = document.activeElement;
      if (t && t.classList && t.classList.contains("gloss-term")) t.blur();
    }
  });
})();
