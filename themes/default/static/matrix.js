// The comparison matrix's filters (matrix.html only, hence a file of its own rather than a
// part of accord.js, which every page loads): show the agreements that cover one element, in
// one region, or both. Without this script the form stays hidden and every agreement shows.
(function () {
  'use strict';
  var form = document.getElementById('matrix-filters');
  var table = document.querySelector('table.matrix');
  if (!form || !table || !table.tBodies.length) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var element = document.getElementById('filter-element');
  var region = document.getElementById('filter-region');
  var count = document.getElementById('matrix-count');
  var none = document.getElementById('matrix-none');
  var cells = Array.prototype.slice.call(table.querySelectorAll('[data-element]'));

  function lists(value, item) {
    return (' ' + (value || '') + ' ').indexOf(' ' + item + ' ') >= 0;
  }

  function apply() {
    var e = element.value;
    var r = region ? region.value : '';
    var shown = 0;
    rows.forEach(function (tr) {
      var match = (!e || lists(tr.getAttribute('data-elements'), e)) &&
        (!r || lists(tr.getAttribute('data-regions'), r));
      tr.hidden = !match;
      if (match) shown++;
    });
    cells.forEach(function (c) {
      c.classList.toggle('chosen', e !== '' && c.getAttribute('data-element') === e);
    });
    count.textContent = shown === rows.length
      ? rows.length + ' agreements'
      : 'Showing ' + shown + ' of ' + rows.length + ' agreements';
    if (none) none.hidden = shown > 0;
  }

  form.addEventListener('change', apply);
  form.addEventListener('submit', function (ev) { ev.preventDefault(); });
  form.hidden = false;
  apply();
})();
