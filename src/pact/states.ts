/**
 * Provider-state handlers. Every state maps onto the configured person: its id is injected
 * under the spec's path-parameter name (and `personId`), so `fromProviderState` paths reach
 * it. A state that says no person exists injects an id that names none; a state that says the
 * credentials are refused makes the next request carry refused credentials. States of
 * partners' pacts are classified by their words. A state whose words say none of this is
 * `unknown`: as Pact JS does for a state it has no handler for, the interaction is verified all
 * the same (against the configured person, so its paths still resolve), and a warning names
 * the state, once per state, so that nobody mistakes it for a state the suite understood.
 */
import { providerStates } from './names.js';

export type StateKind = 'person-exists' | 'no-such-person' | 'credentials-refused' | 'unknown';

const CREDENTIALS_REFUSED =
  /\b(refused|invalid|bad|wrong|expired|missing|no)\b.*\b(credentials?|token|ticket|password|auth\w*)\b|\bunauthori[sz]ed\b|\bnot (authenticated|logged in)\b/;
const NO_SUCH_PERSON = /\bno (such )?person\b|\bperson\b.*\b(does not|doesn't) exist\b|\b(unknown|invalid|missing|nonexistent|non-existent) person\b/;
const PERSON_EXISTS = /\bperson\b.*\bexists?\b|\bthere is an? (\w+ )?person\b/;

export function classifyState(state: string): StateKind {
  if (state === providerStates.noSuchPerson) return 'no-such-person';
  if (state === providerStates.credentialsRefused) return 'credentials-refused';
  if (state === providerStates.personExists) return 'person-exists';
  const s = state.toLowerCase();
  if (CREDENTIALS_REFUSED.test(s)) return 'credentials-refused';
  if (NO_SUCH_PERSON.test(s)) return 'no-such-person';
  if (PERSON_EXISTS.test(s)) return 'person-exists';
  return 'unknown';
}

/** What the request filter must know about the interaction being verified. */
export interface VerificationState {
  refuseCredentials: boolean;
  /** States set up, in order (for messages). */
  seen: string[];
}

export interface StateHandlerOptions {
  personId: number;
  /** An id that names no person: 0 (the spec's person ids are positive). */
  noSuchPersonId?: number;
  /** The spec's name of the person-id path parameter. */
  personIdName: string;
  state: VerificationState;
  /** Told once per state the handlers do not understand; default: a process warning (stderr), as Pact JS logs one. */
  onWarning?: (message: string) => void;
}

type StateFunc = (params?: unknown) => Promise<Record<string, unknown> | undefined>;
type StateHandlers = Record<string, { setup: StateFunc; teardown: StateFunc }>;

/** The warning for a provider state no handler understands. */
function unknownStateWarning(state: string, personId: number): string {
  return `no provider-state handler understands ${JSON.stringify(state)}: the interaction is verified against the configured person ${personId} as if the state were "${providerStates.personExists}"`;
}

/** A handler for every state name (a Proxy: partners' pacts name states we cannot list). */
export function stateHandlers(o: StateHandlerOptions): StateHandlers {
  const warn = o.onWarning ?? ((message: string) => process.emitWarning(message, 'PactProviderStateWarning'));
  const warned = new Set<string>();
  const handler = (name: string) => ({
    setup: async () => {
      o.state.seen.push(name);
      const kind = classifyState(name);
      if (kind === 'unknown' && !warned.has(name)) {
        warned.add(name);
        warn(unknownStateWarning(name, o.personId));
      }
      o.state.refuseCredentials = kind === 'credentials-refused';
      const id = kind === 'no-such-person' ? (o.noSuchPersonId ?? 0) : o.personId;
      return { [o.personIdName]: id, personId: id, id };
    },
    teardown: async () => {
      o.state.refuseCredentials = false;
      return undefined;
    },
  });
  return new Proxy({} as StateHandlers, {
    get: (_target, key) => (typeof key === 'string' ? handler(key) : undefined),
    has: () => true,
  });
}
