/**
 * The page's stylesheet and script: report.css and report.js next to this module, read once
 * when the module loads and inlined into every page (report.html loads nothing from the network).
 *
 * From the source tree they are read from reporters/html/; from dist/ the build copies them
 * into dist/reporters/html/ (`npm run build`), so the same relative URL finds them in both.
 * A missing asset fails at import, before a run starts, not when the run writes its report.
 *
 * Each asset is inlined on its own line after its opening tag (`<style>\n…</style>`); the
 * Content-Security-Policy allows exactly these inlined bytes, by their sha256.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The content of an asset as inlined between its tags; `closing` must not occur in it. */
function inlineAsset(name: string, closing: string): string {
  const url = new URL(`./${name}`, import.meta.url);
  let content: string;
  try {
    content = readFileSync(url, 'utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      `report.html: cannot read ${fileURLToPath(url)} (${reason}); a build must copy reporters/html/*.css and *.js next to the compiled modules`,
    );
  }
  if (content.toLowerCase().includes(closing)) {
    throw new Error(`report.html: ${fileURLToPath(url)} holds "${closing}", which would end its inline element early`);
  }
  return `\n${content}`;
}

/** The stylesheet, as inlined in `<style>`. */
export const inlineStyle = inlineAsset('report.css', '</style');

/** The script, as inlined in `<script>`. */
export const inlineScript = inlineAsset('report.js', '</script');

function cspHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

/** The Content-Security-Policy of the page: its own style and script only, images from data: URLs. */
export const contentSecurityPolicy = `default-src 'none'; style-src ${cspHash(inlineStyle)}; script-src ${cspHash(inlineScript)}; img-src data:; base-uri 'none'; form-action 'none'`;
