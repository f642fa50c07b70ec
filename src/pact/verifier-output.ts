/**
 * The Pact Verifier's own report (its "Verifying a pact between ..." blocks), printed from the
 * verifier's JSON: in pact's ANSI colours only on a terminal, plain where colour does not belong
 * (NO_COLOR set, TERM=dumb, or a pipe, a file or a CI log).
 */
import { stripVTControlCharacters } from 'node:util';

/** Where the report goes: process.stdout, process.stderr, or anything with `write`. */
export interface ReportStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** Colour only on a terminal, and never with NO_COLOR set to anything but '' (no-color.org) or TERM=dumb. */
export function colourWanted(stream: Pick<ReportStream, 'isTTY'>, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** Writes the verifier's report lines (a line each, as pact prints them), without ANSI codes unless colour is wanted. */
export function writeVerifierReport(stream: ReportStream, lines: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  if (lines.length === 0) return;
  const text = `${lines.join('\n')}\n`;
  stream.write(colourWanted(stream, env) ? text : stripVTControlCharacters(text));
}
