/**
 * One request to the reference target, in the order the rules require: the URL, authentication
 * (first of all checks), the route and its method, the person id, then the operation.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OperationModel } from '../spec/model.js';
import { answerDeleteImage, answerGetImage, answerImageInfo } from './reads.js';
import { fail, type TargetRuntime } from './respond.js';
import { matchRoute } from './routes.js';
import { saveImage } from './save.js';
import type { Result } from './types.js';

export async function handle(rt: TargetRuntime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = parseRequestUrl(req.url);
  // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
  if (!url) return fail(rt, res, 400, 'The request URL is malformed.');
  const auth = rt.behaviour.authenticate(req.headers, rt.ctx);
  if (!auth.ok) return fail(rt, res, auth.status, auth.message, { ...(rt.challenge && auth.status === 401 ? { 'WWW-Authenticate': rt.challenge } : {}), ...auth.headers });
  const match = matchRoute(rt.table, rt.basePath, url.pathname);
  // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
  if (!match) return fail(rt, res, 404, 'No such resource.');
  const op = match.route.operations.get(req.method ?? '');
  if (!op) return fail(rt, res, 405, `The method ${req.method ?? ''} is not allowed here.`, { Allow: [...match.route.operations.keys()].join(', ') });
  const person = resolvePerson(rt, match.segment);
  if (!person.ok) return fail(rt, res, person.status, person.message);
  return runOperation(rt, req, res, op, person.id, url);
}

function parseRequestUrl(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', 'http://target.invalid');
  } catch {
    return undefined;
  }
}

/** The person id of the path segment: percent-decoded, parsed by the behaviour, and existing. */
function resolvePerson(rt: TargetRuntime, segment: string): Result<{ id: number }> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
    return { ok: false, status: 400, message: 'The person id is not valid: bad percent-encoding.' };
  }
  const person = rt.behaviour.parsePersonId(decoded, rt.ctx);
  if (!person.ok) return person;
  // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
  if (!rt.behaviour.personExists(person.id, rt.ctx)) return { ok: false, status: 400, message: 'The person id is not valid: no such person.' };
  return person;
}

function runOperation(rt: TargetRuntime, req: IncomingMessage, res: ServerResponse, op: OperationModel, personId: number, url: URL): Promise<void> | void {
  const model = rt.ctx.model;
  if (model.save.includes(op)) return saveImage(rt, req, res, personId);
  if (op === model.getImage) return answerGetImage(rt, res, personId, url.searchParams);
  if (op === model.deleteImage) return answerDeleteImage(rt, res, personId);
  if (op === model.getImageInfo) return answerImageInfo(rt, res, personId, op);
  // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
  return fail(rt, res, 404, 'No such resource.');
}
