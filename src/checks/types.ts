/**
 * A check is a plain, pure function registered under its rule's id: it says whether a case
 * exercises the rule and, when it does, whether the answer keeps it.
 */
import type { ValidateFunction } from 'ajv';
import type { Case } from '../generate/case.js';
import type { ResponseMediaType, SpecModel } from '../spec/model.js';
import type { Observation } from '../transport/observation.js';

/** What an image decodes to: its format (as sharp names it) and the first frame's size. */
export interface ImageFacts {
  format: string;
  width: number;
  height: number;
}

/** What the engine learned around the request, for rules about the target's state. */
export interface CaseExtra {
  /** The status of the same request without language headers. */
  baselineStatus?: number;
  /** ImageInfo's BlobId before and after a request with bad credentials. */
  blobIdBefore?: number;
  blobIdAfter?: number;
  /** GET ImageInfo after a 200. */
  imageInfo?: Observation;
  /** GET Image after a 200. */
  image?: Observation;
  /** Whether GET Image's body decodes as an image (sharp). */
  imageDecodes?: boolean;
  /** What GET Image's body decodes to, when it does. */
  imageFacts?: ImageFacts;
  /** GET Image before the upload, when it answered 200: the image the person had until then. */
  imageBefore?: { bytes: Buffer; facts?: ImageFacts };
}

export interface CheckContext {
  model: SpecModel;
  /** The ajv validator of each 200 media type's schema. */
  successValidators: Map<string, ValidateFunction>;
  errorValidator: ValidateFunction;
  imageInfoValidator: ValidateFunction;
}

export interface CheckInput {
  c: Case;
  o: Observation;
  extra: CaseExtra;
  ctx: CheckContext;
}

/** `ok: false` breaks the rule; `observe` is a neutral note counted in the report. */
export type Outcome = { ok: true; observe?: string } | { ok: false; message: string };

export interface Check {
  applies(c: Case, ctx: CheckContext): boolean;
  judge(input: CheckInput): Outcome;
}

export const pass: Outcome = { ok: true };
export const violation = (message: string): Outcome => ({ ok: false, message });

export function successMedia(ctx: CheckContext, contentType: string): ResponseMediaType | undefined {
  return ctx.model.successMediaTypes.find((m) => m.type.toLowerCase() === contentType);
}

/** "answered 404" / "got no answer (reset: ...)" */
export function answered(o: Observation): string {
  return o.status !== undefined ? `answered ${o.status}` : `got no answer (${o.error?.code ?? 'error'}: ${o.error?.message ?? ''})`;
}

export function expectStatus(o: Observation, allowed: number[], what: string): Outcome {
  if (o.status !== undefined && allowed.includes(o.status)) return pass;
  return violation(`${what}: expected ${allowed.join(' or ')}, ${answered(o)}`);
}
