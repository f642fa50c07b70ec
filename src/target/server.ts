/**
 * The embedded reference target: a strict implementation of the contract on node:http. Every
 * decision is a step of `TargetBehaviour`; this file starts it (spec, steps, credentials, store,
 * routes) and describes it. The routing is in routes.ts, each request's steps in the order the
 * rules require in handle.ts (authentication, person id, then save.ts: Content-Type, body,
 * image, Accept, store; or reads.ts), the server's listening and closing in listen.ts.
 */
import { loadSpec } from '../spec/load.js';
import { defaultBasePath } from '../spec/paths.js';
import { defaultBehaviour } from './behaviour.js';
import { newCredentials } from './credentials.js';
import { closeServer, createTargetServer, listen, listeningUrl } from './listen.js';
import type { TargetRuntime } from './respond.js';
import { authChallenge, routes } from './routes.js';
import { ImageStore } from './store.js';
import type { TargetBehaviour, TargetContext, TargetCredentials } from './types.js';

export { defaultBehaviour } from './behaviour.js';

export interface RunningTarget {
  /** The base URL, e.g. http://127.0.0.1:PORT/SuperOffice/api/v1 */
  url: string;
  credentials: TargetCredentials;
  persons: number[];
  requestCount(): number;
  close(): Promise<void>;
}

export interface ReferenceTargetOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: an ephemeral port. */
  port?: number;
  behaviour?: Partial<TargetBehaviour>;
  /** Default 32 MiB; larger bodies get 413. */
  maxBodyBytes?: number;
  specPath?: string;
  /** Default [1, 2, 3, 4, 5]. */
  persons?: number[];
  /** Overrides parts of the random credentials (e.g. an app token). */
  credentials?: Partial<TargetCredentials>;
}

const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
const DEFAULT_PERSONS = [1, 2, 3, 4, 5];

export async function startReferenceTarget(options: ReferenceTargetOptions = {}): Promise<RunningTarget> {
  const spec = await loadSpec(options.specPath);
  const model = spec.model;
  const persons = [...(options.persons ?? DEFAULT_PERSONS)];
  const credentials: TargetCredentials = { ...newCredentials(model), ...options.credentials };
  // Stryker disable next-line LogicalOperator: the body limit only answers bodies over 32 MiB, which the suite does not send (see body.ts)
  const ctx: TargetContext = { model, credentials, store: new ImageStore(persons), maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES };
  const rt: TargetRuntime = {
    behaviour: { ...defaultBehaviour, ...options.behaviour },
    ctx,
    basePath: defaultBasePath(spec.document),
    table: routes(model),
    challenge: authChallenge(model),
  };
  let count = 0;
  // Stryker disable next-line ArrowFunction,UpdateOperator: the request count is the harness's (tests read it), not the endpoint's
  const server = createTargetServer(rt, () => count++);
  await listen(server, options.host, options.port);
  return {
    url: listeningUrl(server, rt.basePath),
    credentials,
    persons,
    // Stryker disable next-line ArrowFunction: the harness's, as above
    requestCount: () => count,
    // Stryker disable next-line ArrowFunction: the harness's: a target left listening is no answer of the endpoint
    close: () => closeServer(server),
  };
}

// Stryker disable all: the description `serve --json` prints, not the endpoint
/** The JSON shape of `serve --json`. */
export interface TargetDescription {
  url: string;
  credentials: { basic: { user: string; password: string }; soticket: string; bearer: string; session: { cookie: string; xsrfToken: string } };
  persons: number[];
}

export function describeTarget(t: RunningTarget): TargetDescription {
  const c = t.credentials;
  return {
    url: t.url,
    credentials: {
      basic: { user: c.basic.user, password: c.basic.password },
      soticket: c.soticket,
      bearer: c.bearer,
      session: { cookie: c.session.cookie, xsrfToken: c.session.xsrfToken },
    },
    persons: [...t.persons],
  };
}
