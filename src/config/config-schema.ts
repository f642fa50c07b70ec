/**
 * The JSON Schema of run's config file, built from the options table (src/cli/options.ts), so a
 * new option is a key of the file at once. schema/config.schema.json, which ships for editors
 * (`"$schema"`), is this schema written out; tests/cli/config-file.test.ts keeps the two equal.
 */
import type { OptionSpec } from '../cli/options.js';

/** The value placeholders of the table that stand for a number (`--runs N`, `--timeout MS`). */
const NUMBER_PLACEHOLDERS = new Set(['N', 'MS']);

/** The value placeholders that name a file or a folder: a config file's relative paths are read from its folder. */
export function isPathOption(o: OptionSpec): boolean {
  return o.value !== undefined && /\b(FILE|DIR|PATH)\b/.test(o.value);
}

/**
 * What a key of the file holds: true/false for a switch, a number for N and MS, a string or true
 * for an option whose value may be left out (true: its implied value), else a string (or a list,
 * for a repeatable option).
 */
export function valueKind(o: OptionSpec): 'boolean' | 'number' | 'string' | 'strings' | 'string-or-true' {
  if (o.value === undefined) return 'boolean';
  if (o.impliedValue !== undefined) return 'string-or-true';
  if (NUMBER_PLACEHOLDERS.has(o.value)) return 'number';
  return o.repeatable ? 'strings' : 'string';
}

type PropertySchema = Record<string, unknown>;

function describeOption(o: OptionSpec): string {
  const parts = [`${o.description.replace(/\.$/, '')}${o.default ? ` (default: ${o.default})` : ''}.`];
  if (o.env) parts.push(`The environment variable ${o.env} wins over the file.`);
  if (o.impliedValue !== undefined) parts.push(`true stands for "${o.impliedValue}".`);
  if (o.repeatable) parts.push(o.env ? `A string is read like ${o.env} (comma-separated); a list holds one value per item.` : 'A string or a list of strings.');
  if (o.secret) parts.push('A secret: may be written with ${NAME} references to environment variables (e.g. "${MY_SECRET}"; "$${" is a literal "${"); --print-config redacts it.');
  return parts.join(' ');
}

function propertyOf(o: OptionSpec): PropertySchema {
  const description = describeOption(o);
  switch (valueKind(o)) {
    case 'boolean':
      return { description, type: 'boolean' };
    case 'number':
      return { description, type: 'number' };
    case 'string':
      return { description, type: 'string', minLength: 1 };
    case 'string-or-true':
      return { description, type: ['string', 'boolean'], minLength: 1 };
    case 'strings':
      return { description, type: ['string', 'array'], minLength: 1, minItems: 1, items: { type: 'string', minLength: 1 } };
  }
}

/** The schema of a config file holding options of the given table (run's: runOptions). */
export function configFileSchema(table: readonly OptionSpec[]): Record<string, unknown> {
  const properties: Record<string, PropertySchema> = {
    $schema: { description: 'Where editors find this schema, e.g. ./node_modules/person-image-conformance/schema/config.schema.json', type: 'string' },
  };
  for (const o of table) properties[o.flag] = propertyOf(o);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'person-image-conformance run options',
    description:
      'person-image-conformance.config.json, .yaml or .yml (or --config FILE, SO_CONFIG): any option of run, keyed by its flag without the dashes. A flag wins over its environment variable, the variable over this file, the file over the default.',
    type: 'object',
    additionalProperties: false,
    properties,
  };
}
