/** ajv validators for the spec's response schemas (OpenAPI 3.1 schemas are JSON Schema 2020-12). */
import { specAjv } from '../spec/ajv.js';
import type { SpecModel } from '../spec/model.js';
import type { CheckContext } from './types.js';

export function checkContext(model: SpecModel): CheckContext {
  const ajv = specAjv();
  const successValidators = new Map(model.successMediaTypes.map((m) => [m.type, ajv.compile(m.schema)]));
  return { model, successValidators, errorValidator: ajv.compile(model.errorSchema), imageInfoValidator: ajv.compile(model.imageInfoSchema) };
}
