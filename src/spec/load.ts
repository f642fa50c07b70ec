import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dereference, validate } from '@readme/openapi-parser';
import type { OpenAPIV3_1 } from 'openapi-types';
import YAML from 'yaml';
import { SpecError } from '../errors.js';
import { defaultSpecPath } from '../package-root.js';
import { deriveModel, type SpecModel } from './model.js';

export interface LoadedSpec {
  path: string;
  /** sha256 of the file's bytes, as the report names it. */
  sha256: string;
  /** The document with every $ref resolved. */
  document: OpenAPIV3_1.Document;
  model: SpecModel;
}

const cache = new Map<string, Promise<LoadedSpec>>();

/** Reads, validates (OpenAPI 3.1 schema and structural rules) and derives the model of the spec. Cached per path. */
export function loadSpec(path: string = defaultSpecPath): Promise<LoadedSpec> {
  let loaded = cache.get(path);
  if (!loaded) {
    loaded = readAndValidate(path);
    loaded.catch(() => cache.delete(path));
    cache.set(path, loaded);
  }
  return loaded;
}

async function readAndValidate(path: string): Promise<LoadedSpec> {
  let text: Buffer;
  try {
    text = await readFile(path);
  } catch (e) {
    throw new SpecError(`cannot read the spec ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let raw: unknown;
  try {
    raw = YAML.parse(text.toString('utf8'));
  } catch (e) {
    throw new SpecError(`the spec ${path} is not YAML or JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof raw !== 'object' || raw === null) throw new SpecError(`the spec ${path} is not an OpenAPI document`);
  const result = await validate(structuredClone(raw) as OpenAPIV3_1.Document);
  if (!result.valid) {
    const first = result.errors[0]?.message.split('\n')[0] ?? 'unknown error';
    throw new SpecError(`the spec ${path} is not a valid OpenAPI document: ${first}`);
  }
  if (!String((raw as { openapi?: unknown }).openapi ?? '').startsWith('3.1')) {
    throw new SpecError(`the spec ${path} must be OpenAPI 3.1`);
  }
  const document = (await dereference(structuredClone(raw) as OpenAPIV3_1.Document)) as OpenAPIV3_1.Document;
  const sha256 = createHash('sha256').update(text).digest('hex');
  return { path, sha256, document, model: deriveModel(document) };
}
