/** ajv validators for the spec's response schemas (OpenAPI 3.1 schemas are JSON Schema 2020-12). */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { SpecModel } from '../spec/model.js';
import type { CheckContext } from './types.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export function checkContext(model: SpecModel): CheckContext {
  const ajv = new Ajv2020({ allErrors: false, strict: false, validateFormats: true });
  addFormats(ajv);
  // OpenAPI's own keywords inside schemas.
  for (const k of ['xml', 'example', 'discriminator', 'externalDocs']) if (!ajv.getKeyword(k)) ajv.addKeyword(k);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  const successValidators = new Map(model.successMediaTypes.map((m) => [m.type, ajv.compile(m.schema)]));
  return { model, successValidators, errorValidator: ajv.compile(model.errorSchema), imageInfoValidator: ajv.compile(model.imageInfoSchema) };
}
