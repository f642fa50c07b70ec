/**
 * The other operations of the reference target on a person's image: GET Image (the stored
 * image, converted or scaled), DELETE Image and GET ImageInfo (the BlobEntity).
 */
import type { ServerResponse } from 'node:http';
import type { OperationModel } from '../spec/model.js';
import { errorMediaType } from './errors.js';
import { fail, send, type TargetRuntime } from './respond.js';

export async function answerGetImage(rt: TargetRuntime, res: ServerResponse, personId: number, query: URLSearchParams): Promise<void> {
  const answer = await rt.behaviour.getImage(personId, query, rt.ctx);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: GET Image's refusals (404 when the person has no image; 400 for query values the suite never sends) are read only by the snapshot before a run, which takes the status alone; no rule judges their body
  if (answer.status >= 400) return fail(rt, res, answer.status, String(answer.body));
  return send(res, answer.status, answer.contentType ? { 'Content-Type': answer.contentType } : {}, answer.body);
}

export function answerDeleteImage(rt: TargetRuntime, res: ServerResponse, personId: number): void {
  const status = rt.behaviour.deleteImage(personId, rt.ctx);
  // Stryker disable next-line ConditionalExpression: nothing has answered before this step, so the guard always passes
  if (!res.headersSent) res.writeHead(status).end();
}

export function answerImageInfo(rt: TargetRuntime, res: ServerResponse, personId: number, op: OperationModel): void {
  // Stryker disable next-line LogicalOperator,OptionalChaining: the committed spec gives ImageInfo's 200 a media type, application/json, the same as the fallback's (the 400's)
  const type = op.responses.get(200)?.[0]?.type ?? errorMediaType(rt.ctx);
  // Stryker disable next-line ObjectLiteral,StringLiteral: image-info-follows-upload reads ImageInfo as JSON whatever its Content-Type, and no rule judges the Content-Type of the related operations
  return send(res, 200, { 'Content-Type': `${type}; charset=utf-8` }, JSON.stringify(rt.behaviour.imageInfo(personId, rt.ctx)));
}
