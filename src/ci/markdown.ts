/**
 * Text from a report made safe for GitHub-flavoured Markdown: one line, no markup of its own, no
 * cell break in a table. Report strings (a counterexample's description, a server's message) can
 * hold any character, so they are escaped, never pasted.
 */

/** At most `max` characters (by code point), with an ellipsis when cut. */
export function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : s;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Plain text, one line: every character Markdown (or its inline HTML) would read as markup is backslash-escaped. */
export function text(s: string): string {
  return oneLine(s).replace(/[\\`*_{}[\]<>|~&#!]/g, '\\$&');
}

/**
 * A code span, one line. In a table cell (`inTable`) a `|` is written `\|`, which GitHub reads
 * as a pipe inside the cell, also in a code span; elsewhere it stays as it is.
 */
export function code(s: string, inTable = false): string {
  let body = oneLine(s);
  if (inTable) body = body.replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}
