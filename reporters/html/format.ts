/**
 * Escaping and formatting shared by every section of report.html.
 *
 * Every string of the report may hold bytes the target chose, so each one goes through
 * `text()` (HTML escaping, control and bidi characters made visible) before it reaches the page.
 */

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Control characters (but tab and newline), bidi overrides and other invisible troublemakers. */
// eslint-disable-next-line no-control-regex
const invisible = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** Shows control and bidi characters as `\xNN` / `\uNNNN` so target bytes cannot hide or reorder text. */
export function visible(s: string): string {
  return s.replace(invisible, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** HTML-escapes a string from the report (text and attribute values alike). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => htmlEscapes[c] ?? c);
}

/** A report string, safe in element content and in quoted attribute values. */
export function text(s: unknown): string {
  return escapeHtml(visible(String(s ?? '')));
}

/** A rule title: escaped, with `code spans` shown as code. */
export function title(s: string): string {
  return text(s).replace(/`([^`]+)`/g, '<code>$1</code>');
}

export function int(n: number): string {
  if (!Number.isFinite(n)) return text(n);
  const [whole, frac] = String(Math.abs(n)).split('.');
  const grouped = (whole ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '−' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

export function ms(v: number): string {
  if (!Number.isFinite(v)) return text(v);
  if (v >= 10_000) return `${trim(v / 1000, 1)} s`;
  if (v >= 1000) return `${trim(v / 1000, 2)} s`;
  if (v >= 10) return `${int(Math.round(v))} ms`;
  return `${trim(v, 1)} ms`;
}

export function trim(v: number, digits: number): string {
  return String(Number(v.toFixed(digits)));
}

export function duration(totalMs: number): string {
  if (!Number.isFinite(totalMs)) return text(totalMs);
  if (totalMs < 60_000) return ms(totalMs);
  const s = Math.round(totalMs / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h} h ${m} min ${sec} s` : `${m} min ${sec} s`;
}

/** A UTC date that does not depend on the reader's locale: 2026-11-26 17:43:12 UTC. */
export function date(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return text(iso);
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${int(n)} ${n === 1 ? one : many}`;
}

/** A URL with any user:password removed (the engine records none; this is a second guard). */
export function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
      return u.toString();
    }
    return url;
  } catch {
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
  }
}
