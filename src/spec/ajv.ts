/**
 * The ajv instance for the spec's schemas. OpenAPI 3.1 schemas are JSON Schema 2020-12 plus a
 * few keywords of OpenAPI's own (`xml`, `example`, `discriminator`, `externalDocs`) and the
 * integer formats `int32` and `int64`; every validator of a spec schema is compiled by one of
 * these, so the checks and the pact checker read a schema the same way.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** The keywords OpenAPI adds inside schemas: annotations, with no say in validation. */
const OPENAPI_KEYWORDS = ['xml', 'example', 'discriminator', 'externalDocs'] as const;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export interface SpecAjvOptions {
  /** Collect every error (for messages that list them), or stop at the first. Default false. */
  allErrors?: boolean;
}

/** A fresh ajv for the spec's schemas: 2020-12, formats validated, OpenAPI's keywords and integer formats known. */
export function specAjv(options: SpecAjvOptions = {}): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: options.allErrors ?? false, strict: false, validateFormats: true });
  addFormats(ajv);
  for (const k of OPENAPI_KEYWORDS) if (!ajv.getKeyword(k)) ajv.addKeyword(k);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  return ajv;
}
