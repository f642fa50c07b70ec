/**
 * The save operation (PUT Image) of the reference target, its steps in the order the rules
 * require: Content-Type, body (413 beyond the limit, 400 when empty), image, image validation,
 * Accept, then store and answer the blob id.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fail, send, type TargetRuntime } from './respond.js';

export async function saveImage(rt: TargetRuntime, req: IncomingMessage, res: ServerResponse, personId: number): Promise<void> {
  const { behaviour, ctx } = rt;
  const decision = behaviour.checkContentType(req.headers['content-type'], ctx);
  if (!decision.ok) return fail(rt, res, decision.status, decision.message);
  const body = await behaviour.readBody(req, ctx.maxBodyBytes);
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ObjectLiteral,StringLiteral: readBody refuses only a body over the 32 MiB limit or one that breaks off, and the suite sends neither (body.ts)
  if (!body.ok) return fail(rt, res, body.status, body.message, body.status === 413 ? { Connection: 'close' } : {});
  // Stryker disable next-line StringLiteral,ConditionalExpression: a free-text message; and validateImage refuses an empty image too (only the reason differs)
  if (body.body.length === 0) return fail(rt, res, 400, 'Image bitmap is missing from body (empty).');
  const image = await behaviour.extractImage(decision, body.body, ctx);
  if (!image.ok) return fail(rt, res, image.status, image.message);
  // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: the default validateImage judges by the bytes alone (the declared type is for behaviours that replace it)
  const valid = await behaviour.validateImage(image.bytes, decision.kind === 'raw' ? decision.mediaType : undefined, ctx);
  // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
  if (!valid.ok) return fail(rt, res, 400, `Image bitmap is not valid: ${valid.reason}`);
  const mediaType = behaviour.negotiate(req.headers.accept, ctx);
  // Stryker disable next-line all: the default negotiate never answers 'not-acceptable' (a lenient behaviour that replaces it may)
  if (mediaType === 'not-acceptable') return fail(rt, res, 406, 'No response media type fits the Accept header.');
  const blobId = behaviour.storeImage(personId, image.bytes, valid, ctx);
  return send(res, 200, { 'Content-Type': `${mediaType.type}; charset=utf-8` }, behaviour.serializeBlobId(mediaType, blobId));
}
