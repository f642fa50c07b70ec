/**
 * The interactions our consumers rely on, built from the spec: paths, media types, the multipart
 * field and statuses all come from the loaded spec. The consumer tests in tests/pact/ register
 * them on a PactV4 and exercise them with the client in consumer-client.ts.
 */
import { STATUS_CODES } from 'node:http';
import { MatchersV3, XmlBuilder, type PactV4 } from '@pact-foundation/pact';
import type { OpenAPIV3_1 } from 'openapi-types';
import { SpecError } from '../errors.js';
import type { LoadedSpec } from '../spec/load.js';
import { personPath, type OperationModel, type ResponseMediaType, type SpecModel } from '../spec/model.js';
import { apiBasePath, escapeRegExp } from '../spec/paths.js';
import { providerStates } from './names.js';

const { fromProviderState, integer, regex, matchStatus } = MatchersV3;

// The builder types of a V4 HTTP interaction, read off the public PactV4 API (Pact JS exports
// them only from its internal modules).
type RequestStep = ReturnType<ReturnType<PactV4['addInteraction']>['withRequest']>;
type ResponseBuilder = Parameters<NonNullable<Parameters<RequestStep['willRespondWith']>[1]>>[0];
/** An interaction with its request and response: what the consumer tests call `executeTest` on. */
type InteractionWithResponse = ReturnType<RequestStep['willRespondWith']>;

/** HTTP header names (HTTP itself, not the spec). */
export const httpHeaders = { accept: 'Accept', contentType: 'Content-Type' } as const;

export interface ConsumerFacts {
  model: SpecModel;
  apiBase: string;
  /** The PUT that saves an image. */
  save: OperationModel;
  /** The spec's example person id: the example value of injected paths. */
  examplePersonId: number;
  /** The example blob id of the 200 answer. */
  exampleBlobId: number;
  json: ResponseMediaType;
  xml: ResponseMediaType;
  status: { ok: number; badRequest: number; refused: number[] };
}

/** The statuses of an operation whose reason phrase is one of `phrases`. */
function statusesNamed(op: OperationModel, ...phrases: string[]): number[] {
  return op.statuses.filter((s) => phrases.includes(STATUS_CODES[s] ?? ''));
}

function one(list: number[], what: string): number {
  const first = list[0];
  if (first === undefined) throw new SpecError(`the spec declares no ${what} status for the save`);
  return first;
}

export function consumerFacts(spec: LoadedSpec): ConsumerFacts {
  const { model, document } = spec;
  const save = model.save[0];
  if (!save) throw new SpecError('the spec declares no save operation');
  const json = model.successMediaTypes.find((m) => m.family === 'json');
  const xml = model.successMediaTypes.find((m) => m.family === 'xml');
  if (!json || !xml) throw new SpecError('the save must answer both a JSON and an XML media type');
  const item = document.paths?.[model.imagePath];
  const param = (item?.parameters ?? []).find((p) => (p as OpenAPIV3_1.ParameterObject).in === 'path') as OpenAPIV3_1.ParameterObject | undefined;
  const examplePersonId = typeof param?.example === 'number' ? param.example : 1;
  const okContent = (item?.put?.responses?.[String(one(statusesNamed(save, 'OK'), 'OK'))] as OpenAPIV3_1.ResponseObject | undefined)?.content;
  const jsonExample = okContent?.[json.type]?.example;
  return {
    model,
    apiBase: apiBasePath(document),
    save,
    examplePersonId,
    exampleBlobId: typeof jsonExample === 'number' ? jsonExample : 1,
    json,
    xml,
    status: {
      ok: one(statusesNamed(save, 'OK'), 'OK'),
      badRequest: one(statusesNamed(save, 'Bad Request'), 'Bad Request'),
      refused: statusesNamed(save, 'Unauthorized', 'Forbidden'),
    },
  };
}

/** The image path with the person id injected from the provider state; `example` is what the consumer test sends. */
function injectedImagePath(f: ConsumerFacts, example: number = f.examplePersonId) {
  const name = f.model.personIdParameter.name;
  return fromProviderState(f.apiBase + personPath(f.model.imagePath, name, `\${${name}}`), f.apiBase + personPath(f.model.imagePath, name, String(example)));
}

/** A regex that matches the media type with any parameters (`application/json; charset=utf-8`). */
function mediaTypeMatcher(type: string) {
  return regex(`^${escapeRegExp(type)}(\\s*;.*)?$`, type);
}

function blobIdAnswer(f: ConsumerFacts, media: ResponseMediaType) {
  return (res: ResponseBuilder) => {
    res.headers({ [httpHeaders.contentType]: mediaTypeMatcher(media.type) });
    if (media.family === 'xml') {
      const root = media.xml?.name ?? 'int';
      const ns = media.xml?.namespace;
      const body = new XmlBuilder('1.0', 'UTF-8', root).build((el) => {
        // pact-js serializes the attributes with JSON.stringify: a Map would come out empty.
        if (ns) el.setAttributes({ xmlns: ns } as unknown as Map<string, string>);
        el.appendText(String(f.exampleBlobId));
      });
      res.xmlBody(body);
      // The verifier names a namespaced element by its qualified name (`ns:int`), which the XML
      // builder's own matcher paths do not: put the integer matcher there by hand.
      const qualified = ns ? `${ns}:${root}` : root;
      res.matchingRules({ body: { path: `$['${qualified}']['#text']`, rules: [regex('^-?[0-9]+$', String(f.exampleBlobId))] } });
    } else {
      res.jsonBody(integer(f.exampleBlobId));
    }
  };
}

export interface RawUpload {
  /** One of the spec's raw image media types. */
  mediaType: string;
  /** A well-formed image of that type. */
  file: string;
  /** The answer's media type; the spec's JSON type when omitted. */
  answer?: ResponseMediaType;
}

/** A raw upload of an image with its own Content-Type, answered with the blob id. */
export function rawUpload(pact: PactV4, f: ConsumerFacts, u: RawUpload, description: string): InteractionWithResponse {
  const answer = u.answer ?? f.json;
  return pact
    .addInteraction()
    .given(providerStates.personExists)
    .uponReceiving(description)
    .withRequest(f.save.method, injectedImagePath(f), (req) => {
      req.headers({ [httpHeaders.accept]: answer.type, [httpHeaders.contentType]: u.mediaType });
      req.binaryFile(u.mediaType, u.file);
    })
    .willRespondWith(f.status.ok, blobIdAnswer(f, answer));
}

/** A multipart upload with the image in the spec's form field, answered with the blob id. */
export function multipartUpload(pact: PactV4, f: ConsumerFacts, u: { mediaType: string; file: string; boundary: string }, description: string): InteractionWithResponse {
  return pact
    .addInteraction()
    .given(providerStates.personExists)
    .uponReceiving(description)
    .withRequest(f.save.method, injectedImagePath(f), (req) => {
      req.headers({ [httpHeaders.accept]: f.json.type });
      req.multipartBody(u.mediaType, u.file, f.model.multipart.field, u.boundary);
    })
    .willRespondWith(f.status.ok, blobIdAnswer(f, f.json));
}

/** An upload whose body is empty, answered 400. */
export function emptyUpload(pact: PactV4, f: ConsumerFacts, mediaType: string, description: string): InteractionWithResponse {
  return pact
    .addInteraction()
    .given(providerStates.personExists)
    .uponReceiving(description)
    .withRequest(f.save.method, injectedImagePath(f), (req) => {
      req.headers({ [httpHeaders.accept]: f.json.type, [httpHeaders.contentType]: mediaType });
      req.body(mediaType, Buffer.alloc(0));
    })
    .willRespondWith(f.status.badRequest);
}

/** An upload to a person id that names no person, answered 400. */
export function noSuchPersonUpload(pact: PactV4, f: ConsumerFacts, u: { mediaType: string; file: string }, description: string): InteractionWithResponse {
  return pact
    .addInteraction()
    .given(providerStates.noSuchPerson)
    .uponReceiving(description)
    .withRequest(f.save.method, injectedImagePath(f, 0), (req) => {
      req.headers({ [httpHeaders.accept]: f.json.type, [httpHeaders.contentType]: u.mediaType });
      req.binaryFile(u.mediaType, u.file);
    })
    .willRespondWith(f.status.badRequest);
}

/** A valid upload whose credentials the installation refuses, answered 401 (403 allowed). */
export function refusedUpload(pact: PactV4, f: ConsumerFacts, u: { mediaType: string; file: string }, description: string): InteractionWithResponse {
  const [first, ...rest] = f.status.refused;
  if (first === undefined) throw new SpecError('the spec declares no status for refused credentials');
  return pact
    .addInteraction()
    .given(providerStates.credentialsRefused)
    .uponReceiving(description)
    .withRequest(f.save.method, injectedImagePath(f), (req) => {
      req.headers({ [httpHeaders.accept]: f.json.type, [httpHeaders.contentType]: u.mediaType });
      req.binaryFile(u.mediaType, u.file);
    })
    .willRespondWith(rest.length > 0 ? matchStatus(first, [first, ...rest]) : first);
}
