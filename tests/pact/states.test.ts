/** Provider states of ours and of partners map onto the configured person; the request filter moves paths and adds credentials. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { providerStates } from '../../src/pact/names.js';
import { refusedCredential, requestFilter } from '../../src/pact/request-filter.js';
import { classifyState, stateHandlers, type VerificationState } from '../../src/pact/states.js';
import { loadSpec, type LoadedSpec } from '../../src/spec/load.js';

let spec: LoadedSpec;
beforeAll(async () => {
  spec = await loadSpec();
});

describe('provider states', () => {
  it('classifies our states and partners’ wordings', () => {
    expect(classifyState(providerStates.personExists)).toBe('person-exists');
    expect(classifyState(providerStates.noSuchPerson)).toBe('no-such-person');
    expect(classifyState(providerStates.credentialsRefused)).toBe('credentials-refused');
    expect(classifyState('person 42 exists')).toBe('person-exists');
    expect(classifyState('a person with a photo slot exists')).toBe('person-exists');
    expect(classifyState('no person with the id exists')).toBe('no-such-person');
    expect(classifyState('the person does not exist')).toBe('no-such-person');
    expect(classifyState('the user is unauthorized')).toBe('credentials-refused');
    expect(classifyState('an expired token')).toBe('credentials-refused');
    expect(classifyState('there is a person with id 42')).toBe('person-exists');
  });

  it('calls a state whose words it does not understand unknown, instead of "a person exists"', () => {
    expect(classifyState('any state a partner writes')).toBe('unknown');
    expect(classifyState('the photo cache is warm')).toBe('unknown');
    expect(classifyState('')).toBe('unknown');
  });

  it('injects the person id under the spec parameter name, 0 for no person, and flags refused credentials until teardown', async () => {
    const state: VerificationState = { refuseCredentials: false, seen: [] };
    const handlers = stateHandlers({ personId: 3, personIdName: spec.model.personIdParameter.name, state, onWarning: () => undefined });
    expect(await handlers['any state a partner writes']!.setup()).toMatchObject({ [spec.model.personIdParameter.name]: 3 });
    expect(await handlers[providerStates.noSuchPerson]!.setup()).toMatchObject({ [spec.model.personIdParameter.name]: 0 });
    await handlers[providerStates.credentialsRefused]!.setup();
    expect(state.refuseCredentials).toBe(true);
    await handlers[providerStates.credentialsRefused]!.teardown();
    expect(state.refuseCredentials).toBe(false);
    expect(state.seen).toHaveLength(3);
  });

  it('verifies an unknown state against the configured person and warns once per state, naming it', async () => {
    const state: VerificationState = { refuseCredentials: false, seen: [] };
    const warnings: string[] = [];
    const handlers = stateHandlers({ personId: 7, personIdName: spec.model.personIdParameter.name, state, onWarning: (m) => warnings.push(m) });
    expect(await handlers['the photo cache is warm']!.setup()).toMatchObject({ [spec.model.personIdParameter.name]: 7, personId: 7 });
    await handlers['the photo cache is warm']!.setup();
    await handlers['a state nobody wrote a handler for']!.setup();
    expect(state.refuseCredentials).toBe(false);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/no provider-state handler understands "the photo cache is warm".*configured person 7/);
    expect(warnings[1]).toContain('"a state nobody wrote a handler for"');
  });

  it('warns nothing for the states it understands', async () => {
    const warnings: string[] = [];
    const handlers = stateHandlers({ personId: 7, personIdName: 'personId', state: { refuseCredentials: false, seen: [] }, onWarning: (m) => warnings.push(m) });
    for (const s of [...Object.values(providerStates), 'person 42 exists', 'no person with the id exists', 'an expired token']) await handlers[s]!.setup();
    expect(warnings).toEqual([]);
  });

  it('warns on the process by default, as Pact JS logs a state it has no handler for', async () => {
    const seen: string[] = [];
    const listener = (w: Error) => seen.push(`${w.name}: ${w.message}`);
    process.on('warning', listener);
    try {
      await stateHandlers({ personId: 7, personIdName: 'personId', state: { refuseCredentials: false, seen: [] } })['an unheard-of state']!.setup();
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', listener);
    }
    expect(seen).toEqual([expect.stringMatching(/^PactProviderStateWarning: no provider-state handler understands "an unheard-of state"/)]);
  });
});

describe('request filter', () => {
  const run = (url: string, refuse = false) => {
    const state: VerificationState = { refuseCredentials: refuse, seen: [] };
    const filter = requestFilter({ model: spec.model, basePath: '/Cust9/api/v1', credential: { scheme: 'bearer', token: '8A:good' }, state });
    const req = { url, headers: { authorization: 'Bearer from-the-pact' } } as unknown as IncomingMessage;
    let called = false;
    filter(req, {} as ServerResponse, () => (called = true));
    expect(called).toBe(true);
    return req;
  };

  it('moves spec paths under the target base path and replaces the credentials', () => {
    const req = run('/SuperOffice/api/v1/Person/7/Image?x=1');
    expect(req.url).toBe('/Cust9/api/v1/Person/7/Image?x=1');
    expect(req.headers.authorization).toBe('Bearer 8A:good');
  });

  it('sends refused credentials of the same scheme while the state asks for them', () => {
    const req = run('/api/v1/Person/7/Image', true);
    expect(req.headers.authorization).toMatch(/^Bearer 8A:/);
    expect(req.headers.authorization).not.toBe('Bearer 8A:good');
    expect(refusedCredential({ scheme: 'basic', user: 'u', password: 'p' })).toMatchObject({ scheme: 'basic', user: 'u' });
  });

  it('leaves the verifier’s own requests (state set-up) alone', () => {
    const req = run('/_pactSetup');
    expect(req.url).toBe('/_pactSetup');
    expect(req.headers.authorization).toBe('Bearer from-the-pact');
  });
});
