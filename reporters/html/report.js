(function () {
  'use strict';
  var root = document.documentElement;
  root.classList.remove('no-js');
  root.classList.add('js');
  var labels = { all: 'all', fail: 'fail', warn: 'warn', pass: 'pass', 'not-run': 'not run' };
  var rows = Array.prototype.slice.call(document.querySelectorAll('#rules-table tbody tr[data-status]'));
  var empty = document.getElementById('rules-empty');
  var live = document.getElementById('filter-status');
  function applyFilter(value) {
    var shown = 0;
    rows.forEach(function (row) {
      var show = value === 'all' || row.getAttribute('data-status') === value;
      row.hidden = !show;
      if (show) shown++;
    });
    if (empty) empty.hidden = shown !== 0;
    if (live) {
      live.textContent = value === 'all'
        ? 'Showing all ' + rows.length + (rows.length === 1 ? ' rule.' : ' rules.')
        : 'Showing ' + shown + ' of ' + rows.length + ' rules: status ' + labels[value] + '.';
    }
  }
  Array.prototype.forEach.call(document.querySelectorAll('input[name="status-filter"]'), function (input) {
    input.addEventListener('change', function () { if (input.checked) applyFilter(input.value); });
    if (input.checked && input.value !== 'all') applyFilter(input.value);
  });

  function thumbLoaded(img) {
    var fig = img.closest('figure');
    var dim = fig && fig.querySelector('.thumb-dim');
    if (dim && img.naturalWidth > 0) dim.textContent = '· ' + img.naturalWidth + ' × ' + img.naturalHeight + ' px';
  }
  function thumbBroken(img) {
    var fig = img.closest('figure');
    if (!fig || fig.classList.contains('broken')) return;
    fig.classList.add('broken');
    img.setAttribute('data-broken', 'true');
    var note = fig.querySelector('.thumb-note');
    if (note) note.textContent = 'This browser cannot display ' + (img.getAttribute('data-type') || 'this image') + ': the hex preview shows its bytes.';
    var body = fig.parentNode;
    var hex = body && body.querySelector('details.hexmore');
    if (hex) hex.open = true;
  }
  Array.prototype.forEach.call(document.querySelectorAll('img.thumb'), function (img) {
    img.addEventListener('load', function () { thumbLoaded(img); });
    img.addEventListener('error', function () { thumbBroken(img); });
    if (img.complete) { if (img.naturalWidth > 0) thumbLoaded(img); else thumbBroken(img); }
  });

  var toggle = document.getElementById('toggle-all');
  var cxs = Array.prototype.slice.call(document.querySelectorAll('details.cx'));
  function syncToggle() {
    if (!toggle) return;
    var allOpen = cxs.length > 0 && cxs.every(function (d) { return d.open; });
    toggle.textContent = allOpen ? 'Collapse all' : 'Expand all';
    toggle.setAttribute('aria-expanded', allOpen ? 'true' : 'false');
  }
  if (toggle) {
    toggle.addEventListener('click', function () {
      var open = toggle.getAttribute('aria-expanded') !== 'true';
      cxs.forEach(function (d) { d.open = open; });
      syncToggle();
    });
    cxs.forEach(function (d) { d.addEventListener('toggle', syncToggle); });
  }

  var copyLive = document.getElementById('copy-status');
  Array.prototype.forEach.call(document.querySelectorAll('button.copy'), function (button) {
    button.addEventListener('click', function () {
      var target = document.getElementById(button.getAttribute('data-copy') || '');
      if (!target) return;
      var value = target.textContent || '';
      function done(ok) {
        button.textContent = ok ? 'Copied' : 'Select and copy';
        if (copyLive) copyLive.textContent = ok ? 'Copied to the clipboard.' : 'Could not copy; the text is selected.';
        setTimeout(function () { button.textContent = 'Copy'; }, 2000);
      }
      function fallback() {
        var range = document.createRange();
        range.selectNodeContents(target);
        var sel = window.getSelection();
        if (sel) { sel.removeAllRanges(); sel.addRange(range); }
        var ok = false;
        try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
        done(ok);
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(value).then(function () { done(true); }, fallback);
      } else fallback();
    });
  });

  function openFromHash() {
    var id = '';
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { id = ''; }
    var el = id ? document.getElementById(id) : null;
    if (el && el.tagName === 'DETAILS') el.open = true;
  }
  window.addEventListener('hashchange', openFromHash);
  openFromHash();

  var openedForPrint = [];
  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(document.querySelectorAll('details:not([open])'), function (d) { d.open = true; openedForPrint.push(d); });
  });
  window.addEventListener('afterprint', function () {
    openedForPrint.forEach(function (d) { d.open = false; });
    openedForPrint = [];
  });
})();
