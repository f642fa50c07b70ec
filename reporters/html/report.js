/*
 * The script of report.html, inlined as it is here (the Content-Security-Policy allows these
 * bytes by their sha256). It only enhances the page, which reads whole without it: the rule
 * status filter, image thumbnails (their size, or the hex preview when the browser cannot show
 * them), "Expand all", copy buttons, the counterexample named by the URL's #fragment, and every
 * <details> open while printing.
 */
'use strict';

var STATUS_LABELS = { all: 'all', fail: 'fail', warn: 'warn', pass: 'pass', 'not-run': 'not run' };

/** Shows the rule rows of one status (or all) and says how many in the live region. */
function applyStatusFilter(rows, empty, live, value) {
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
      : 'Showing ' + shown + ' of ' + rows.length + ' rules: status ' + STATUS_LABELS[value] + '.';
  }
}

function setUpStatusFilter() {
  var rows = Array.prototype.slice.call(document.querySelectorAll('#rules-table tbody tr[data-status]'));
  var empty = document.getElementById('rules-empty');
  var live = document.getElementById('filter-status');
  Array.prototype.forEach.call(document.querySelectorAll('input[name="status-filter"]'), function (input) {
    input.addEventListener('change', function () { if (input.checked) applyStatusFilter(rows, empty, live, input.value); });
    if (input.checked && input.value !== 'all') applyStatusFilter(rows, empty, live, input.value);
  });
}

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

function setUpThumbnails() {
  Array.prototype.forEach.call(document.querySelectorAll('img.thumb'), function (img) {
    img.addEventListener('load', function () { thumbLoaded(img); });
    img.addEventListener('error', function () { thumbBroken(img); });
    if (img.complete) { if (img.naturalWidth > 0) thumbLoaded(img); else thumbBroken(img); }
  });
}

/** "Expand all" / "Collapse all", by whether every counterexample is open. */
function syncToggleAll(toggle, cxs) {
  var allOpen = cxs.length > 0 && cxs.every(function (d) { return d.open; });
  toggle.textContent = allOpen ? 'Collapse all' : 'Expand all';
  toggle.setAttribute('aria-expanded', allOpen ? 'true' : 'false');
}

function setUpToggleAll() {
  var toggle = document.getElementById('toggle-all');
  var cxs = Array.prototype.slice.call(document.querySelectorAll('details.cx'));
  if (!toggle) return;
  var sync = function () { syncToggleAll(toggle, cxs); };
  toggle.addEventListener('click', function () {
    var open = toggle.getAttribute('aria-expanded') !== 'true';
    cxs.forEach(function (d) { d.open = open; });
    sync();
  });
  cxs.forEach(function (d) { d.addEventListener('toggle', sync); });
}

/** Says on the button (for 2 s) and in the live region whether the copy worked. */
function copyDone(button, copyLive, ok) {
  button.textContent = ok ? 'Copied' : 'Select and copy';
  if (copyLive) copyLive.textContent = ok ? 'Copied to the clipboard.' : 'Could not copy; the text is selected.';
  setTimeout(function () { button.textContent = 'Copy'; }, 2000);
}

/** Without the clipboard API: selects the text and tries the copy command; the selection stays. */
function copyBySelection(button, copyLive, target) {
  var range = document.createRange();
  range.selectNodeContents(target);
  var sel = window.getSelection();
  if (sel) { sel.removeAllRanges(); sel.addRange(range); }
  var ok = false;
  try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
  copyDone(button, copyLive, ok);
}

/** Copies the text of the element the button's data-copy names. */
function copyFor(button, copyLive) {
  var target = document.getElementById(button.getAttribute('data-copy') || '');
  if (!target) return;
  var value = target.textContent || '';
  var fallback = function () { copyBySelection(button, copyLive, target); };
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(value).then(function () { copyDone(button, copyLive, true); }, fallback);
  } else fallback();
}

function setUpCopyButtons() {
  var copyLive = document.getElementById('copy-status');
  Array.prototype.forEach.call(document.querySelectorAll('button.copy'), function (button) {
    button.addEventListener('click', function () { copyFor(button, copyLive); });
  });
}

/** Opens the <details> the URL's #fragment names. */
function openFromHash() {
  var id = '';
  try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { id = ''; }
  var el = id ? document.getElementById(id) : null;
  if (el && el.tagName === 'DETAILS') el.open = true;
}

function setUpOpenFromHash() {
  window.addEventListener('hashchange', openFromHash);
  openFromHash();
}

/** Prints every <details> open, and closes again after printing those it opened. */
function setUpPrinting() {
  var openedForPrint = [];
  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(document.querySelectorAll('details:not([open])'), function (d) { d.open = true; openedForPrint.push(d); });
  });
  window.addEventListener('afterprint', function () {
    openedForPrint.forEach(function (d) { d.open = false; });
    openedForPrint = [];
  });
}

function startReportPage() {
  var root = document.documentElement;
  root.classList.remove('no-js');
  root.classList.add('js');
  setUpStatusFilter();
  setUpThumbnails();
  setUpToggleAll();
  setUpCopyButtons();
  setUpOpenFromHash();
  setUpPrinting();
}

startReportPage();
