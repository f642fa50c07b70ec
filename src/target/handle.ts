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
  // Stryker disable next-line StringLiteral,ConditionalExpression: a free-text message; only a request-target outside every API path fails to parse (`//[`, an absolute URL with a bad host: a path under the base always parses), and what a server answers outside its API the contract does not say
  if (!url) return fail(rt, res, 400, 'The request URL is malformed.');
  const auth = rt.behaviour.authenticate(req.headers, rt.ctx);
  if (!auth.ok) {
    // Stryker disable next-line ObjectLiteral,ConditionalExpression,LogicalOperator,EqualityOperator: whether a 401 carries WWW-Authenticate, and which challenges, SuperOffice does not document, and no rule judges it
    const challenge: Record<string, string> = rt.challenge && auth.status === 401 ? { 'WWW-Authenticate': rt.challenge } : {};
    // Stryker disable next-line ObjectLiteral: as above (the default authentication adds no headers of its own)
    return fail(rt, res, auth.status, auth.message, { ...challenge, ...auth.headers });
  }
  const match = matchRoute(rt.table, rt.basePath, url.pathname);
  // Stryker disable next-line StringLiteral,ConditionalExpression: a free-text message; the answer to a path that is none of the spec's the contract does not give (no rule judges 404 for other paths)
  if (!match) return fail(rt, res, 404, 'No such resource.');
  // Stryker disable next-line StringLiteral: node:http sets the method of every request it hands over
  const op = match.route.operations.get(req.method ?? '');
  // Stryker disable next-line all: 405 and its Allow header for a method the spec does not declare on the path (PATCH, HEAD, ...): the contract does not name these methods and no rule judges them
  if (!op) return fail(rt, res, 405, `The method ${req.method ?? ''} is not allowed here.`, { Allow: [...match.route.operations.keys()].join(', ') });
  const person = resolvePerson(rt, match.segment);
  if (!person.ok) return fail(rt, res, person.status, person.message);
  return runOperation(rt, req, res, op, person.id, url);
}

function parseRequestUrl(target: string | undefined): URL | undefined {
  try {
    // Stryker disable next-line StringLiteral: node:http sets the URL of every request it hands over
    return new URL(target ?? '/', 'http://target.invalid');
  }
  // Stryker disable next-line BlockStatement: an empty catch returns undefined as well
  catch {
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
  // Stryker disable next-line ConditionalExpression: a refused parse has no id, which personExists below refuses with the same 400 (only the free-text message differs)
  if (!person.ok) return person;
  // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
  if (!rt.behaviour.personExists(person.id, rt.ctx)) return { ok: false, status: 400, message: 'The person id is not valid: no such person.' };
  return person;
}

function runOperation(rt: TargetRuntime, req: IncomingMessage, res: ServerResponse, op: OperationModel, personId: number, url: URL): Promise<void> | void {
  const model = rt.ctx.model;
  if (model.save.includes(op)) return saveImage(rt, req, res, personId);
  if (op === model.getImage) return answerGetImage(rt, res, personId, url.searchParams);
  // Stryker disable next-line ConditionalExpression: DELETE is sent only by the clean-up after the last judged request, which takes 404 as well as 2xx; no rule judges DELETE
  if (op === model.deleteImage) return answerDeleteImage(rt, res, personId);
  // Stryker disable next-line ConditionalExpression: the committed spec declares no operation beyond the five dispatched here, so the 404 below is reached by none
  if (op === model.getImageInfo) return answerImageInfo(rt, res, personId, op);
  // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
  return fail(rt, res, 404, 'No such resource.');
}
