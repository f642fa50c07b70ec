/**
 * Where each option of run comes from: the flag, else its environment variable, else the config
 * file, else the default. The file's values join the flags' only where neither a flag nor a
 * (non-blank) variable gives the option, so src/cli/parse.ts resolves them as it resolves flags.
 */
import type { OptionSpec } from '../cli/options.js';
import type { ParsedValues } from '../cli/parse.js';
import { ConfigError, isConformanceError } from '../errors.js';
import { findConfigFile, readConfigFile, type ConfigFile } from './config-file.js';

export type ValueSource = { from: 'flag' } | { from: 'env'; name: string } | { from: 'file'; line: number } | { from: 'default' };

export interface LayeredOptions {
  /** Flags, with the file's values where the flag and its variable are absent. */
  values: ParsedValues;
  /** The source of every option of the table. */
  sources: Record<string, ValueSource>;
  file?: ConfigFile;
}

function sourceOf(o: OptionSpec, flags: ParsedValues, env: NodeJS.ProcessEnv, file: ConfigFile | undefined): ValueSource {
  if (flags[o.flag] !== undefined) return { from: 'flag' };
  if (o.env !== undefined && (env[o.env] ?? '').trim() !== '') return { from: 'env', name: o.env };
  // A blank variable (an unset CI variable) gives way to the file; without a file, the parser says so where that matters.
  if (file && file.values[o.flag] !== undefined) return { from: 'file', line: file.lines[o.flag]! };
  return { from: 'default' };
}

/** A file's value as the parser takes a flag's: numbers as text, `true` for an option with an implied value as that value. */
function asFlagValue(o: OptionSpec, v: ConfigFile['values'][string]): string | string[] | boolean | undefined {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean' && o.impliedValue !== undefined) return v ? o.impliedValue : undefined;
  return v;
}

/** Layers flags, environment and a config file that is already read. */
function layerOptions(flags: ParsedValues, env: NodeJS.ProcessEnv, table: readonly OptionSpec[], file: ConfigFile | undefined): LayeredOptions {
  const values: ParsedValues = { ...flags };
  const sources: Record<string, ValueSource> = {};
  for (const o of table) {
    const source = sourceOf(o, flags, env, file);
    sources[o.flag] = source;
    const v = file?.values[o.flag];
    if (source.from === 'file' && v !== undefined) values[o.flag] = asFlagValue(o, v);
  }
  return { values, sources, ...(file ? { file } : {}) };
}

/** Finds and reads the config file (`--config`, SO_CONFIG, or the working directory) and layers it under flags and environment. */
export function layerRunOptions(flags: ParsedValues, env: NodeJS.ProcessEnv, table: readonly OptionSpec[], cwd: string): LayeredOptions {
  const configFlag = flags.config;
  const found = findConfigFile(typeof configFlag === 'string' ? configFlag : undefined, env, cwd);
  return layerOptions(flags, env, table, found ? readConfigFile(found, env, table, cwd) : undefined);
}

/**
 * Runs `resolve` (which names options as flags: "--runs must be between ..."); an error about an
 * option the file gave also names the file and the line.
 */
export function resolveWithFileLines<T>(layered: LayeredOptions, resolve: () => T): T {
  try {
    return resolve();
  } catch (e) {
    const flag = isConformanceError(e) ? /^--([a-z0-9-]+)/.exec(e.message)?.[1] : undefined;
    const source = flag !== undefined ? layered.sources[flag] : undefined;
    if (!isConformanceError(e) || source?.from !== 'file' || !layered.file) throw e;
    throw new ConfigError(`${layered.file.path}:${source.line}: ${e.message}`);
  }
}
