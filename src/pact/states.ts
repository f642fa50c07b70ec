/**
 * Provider-state handlers. Every state maps onto the configured person: its id is injected
 * under the spec's path-parameter name (and `personId`), so `fromProviderState` paths reach
 * it. A state that says no person exists injects an id that names none; a state that says the
 * credentials are refused makes the next request carry refused credentials. States of
 * partners' pacts are classified by their words; any other state means "a person exists".
 */
import { providerStates } from './names.js';

export type StateKind = 'person-exists' | 'no-such-person' | 'credentials-refused';

export function classifyState(state: string): StateKind {
  if (state === providerStates.noSuchPerson) return 'no-such-person';
  if (state === providerStates.credentialsRefused) return 'credentials-refused';
  if (state === providerStates.personExists) return 'person-exists';
  const s = state.toLowerCase();
  if (/\b(refused|invalid|bad|wrong|expired|missing|no)\b.*\b(credentials?|token|ticket|password|auth\w*)\b|\bunauthori[sz]ed\b|\bnot (authenticated|logged in)\b/.test(s)) return 'credentials-refused';
  if (/\bno (such )?person\b|\bperson\b.*\b(does not|doesn't) exist\b|\b(unknown|invalid|missing|nonexistent|non-existent) person\b/.test(s)) return 'no-such-person';
  return 'person-exists';
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
}

type StateFunc = (params?: unknown) => Promise<Record<string, unknown> | undefined>;
type StateHandlers = Record<string, { setup: StateFunc; teardown: StateFunc }>;

/** A handler for every state name (a Proxy: partners' pacts name states we cannot list). */
export function stateHandlers(o: StateHandlerOptions): StateHandlers {
  const handler = (name: string) => ({
    setup: async () => {
      o.state.seen.push(name);
      const kind = classifyState(name);
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
