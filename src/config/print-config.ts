/**
 * `run --print-config`: every option of run with the value the run would use and where it came
 * from (flag, env, file with its line, default); secrets (the table's `secret` options) redacted,
 * a credential keeping only its scheme.
 */
import type { OptionSpec } from '../cli/options.js';
import { splitAuthEnv } from '../cli/parse.js';
import type { LayeredOptions, ValueSource } from './config-layers.js';
import { parseAuth } from './credentials.js';

const REDACTED = '<redacted>';

/** `soticket:<redacted>` for a credential of a list (--auth), `<redacted>` for anything else. */
function redact(item: string): string {
  try {
    return `${parseAuth(item).scheme}:${REDACTED}`;
  } catch {
    return REDACTED;
  }
}

function shown(o: OptionSpec, value: string | string[] | boolean | undefined, source: ValueSource): string {
  if (value === undefined || source.from === 'default') return o.default ?? '-';
  if (typeof value === 'boolean') return String(value);
  const items = Array.isArray(value) ? value : o.repeatable && o.secret ? splitAuthEnv(value) : [value];
  return items.map((v) => (!o.secret ? v : o.repeatable ? redact(v) : REDACTED)).join(', ');
}

function describeSource(o: OptionSpec, source: ValueSource): string {
  switch (source.from) {
    case 'flag':
      return `flag --${o.flag}`;
    case 'env':
      return `env ${source.name}`;
    case 'file':
      return `file, line ${source.line}`;
    case 'default':
      return 'default';
  }
}

/** The text --print-config writes: the config file's line, then one aligned row per option. */
export function formatConfig(layered: LayeredOptions, table: readonly OptionSpec[], env: NodeJS.ProcessEnv): string {
  const rows = table.map((o) => {
    const source = layered.sources[o.flag] ?? { from: 'default' };
    const raw = source.from === 'env' ? env[source.name] : layered.values[o.flag];
    return [o.flag, shown(o, raw, source), describeSource(o, source)] as const;
  });
  const width = (i: 0 | 1) => Math.max(...rows.map((r) => r[i].length), i === 0 ? 'option'.length : 'value'.length);
  const line = (r: readonly [string, string, string]) => `${r[0].padEnd(width(0))}  ${r[1].padEnd(width(1))}  ${r[2]}`.trimEnd();
  const file = layered.file ? `config file: ${layered.file.path} (${layered.file.foundBy === 'working directory' ? 'found in the working directory' : `from ${layered.file.foundBy}`})` : 'config file: none';
  return `${[file, line(['option', 'value', 'from']), ...rows.map(line)].join('\n')}\n`;
}
