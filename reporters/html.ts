/**
 * report.json -> reports/report.html. The page is rendered by reporters/html/ (one module per
 * section, index.ts composes them; report.css and report.js are inlined into the page); this
 * module keeps the entry point its importers use.
 */
export { contentSecurityPolicy, embeddedWarning, escapeHtml, render, visible, withoutCredentials } from './html/index.js';
