/**
 * The site's stylesheet: report.css (the same look as each run's report.html) followed by
 * site.css next to this module, read once when the module loads and inlined into index.html.
 * From dist/ the build copies site.css into dist/reporters/site/ (`npm run build`), as it does
 * report.css. The Content-Security-Policy allows exactly this style, by its sha256, and no
 * script at all: the site has none.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inlineStyle as reportStyle } from '../html/assets.js';

function readSiteCss(): string {
  const url = new URL('./site.css', import.meta.url);
  let content: string;
  try {
    content = readFileSync(url, 'utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`site: cannot read ${fileURLToPath(url)} (${reason}); a build must copy reporters/site/*.css next to the compiled modules`);
  }
  if (content.toLowerCase().includes('</style')) throw new Error(`site: ${fileURLToPath(url)} holds "</style", which would end its inline element early`);
  return content;
}

/** The stylesheet, as inlined in `<style>`. */
export const siteStyle = `${reportStyle}\n${readSiteCss()}`;

/** The Content-Security-Policy of index.html: its own style only, no script, nothing from the network. */
export const siteContentSecurityPolicy = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(siteStyle, 'utf8').digest('base64')}'; img-src data:; base-uri 'none'; form-action 'none'`;
