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

  // Messages in the reader's language, embedded by base.html; English when a theme has none.
  var messages = {};
  try { messages = JSON.parse(document.getElementById('accord-messages').textContent).messages || {}; } catch (e) { /* none */ }
  function counted(key, n, english, args) {
    var category = 'other';
    try { category = new Intl.PluralRules(document.documentElement.lang || 'en').select(n); } catch (e) { /* old browser */ }
    var text = messages[key + '_' + category] || messages[key + '_other'] || english;
    args.count = n;
    Object.keys(args).forEach(function (k) { text = text.split('{' + k + '}').join(String(args[k])); });
    return text;
  }

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
      ? counted('matrix_count', rows.length, '{count} agreements', {})
      : counted('matrix_showing', rows.length, 'Showing {shown} of {count} agreements', { shown: shown });
    if (none) none.hidden = shown > 0;
  }

  form.addEventListener('change', apply);
  form.addEventListener('submit', function (ev) { ev.preventDefault(); });
  form.hidden = false;
  apply();
})();
