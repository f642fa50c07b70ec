/**
 * The bad-credential variants: each session variant is wrong in exactly one way and otherwise the
 * configured session; Basic with junk after valid base64 hides the configured user and password
 * from a strict decoder only; an empty Authorization header; none sends the valid credential, and
 * the reference target refuses each with 401 (never a 5xx). Fixed seeds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Credential } from '../../src/config/credentials.js';
import { badAuth, badAuthVariantNames } from '../../src/generate/auth.js';
import type { AuthRecipe } from '../../src/generate/case.js';
import { authClasses } from '../../src/generate/families/classes.js';
import { embeddedCredentials } from '../../src/run/target.js';
import { loadSpec } from '../../src/spec/load.js';
import type { SpecModel } from '../../src/spec/model.js';
import { startReferenceTarget } from '../../src/target/server.js';

const SEED = 20261130;
const NEW_VARIANTS = [
  'no credentials (an empty Authorization header)',
  'malformed Basic (valid base64 with junk after it)',
  'session with a wrong X-XSRF-TOKEN',
  'session without its session cookie',
  'session with a tampered session cookie',
  'session without X-XSRF-TOKEN or its XSRF cookie',
];

const SESSION: Extract<Credential, { scheme: 'session' }> = {
  scheme: 'session',
  cookie: 'ASP.NET_SessionId=k2vj3m0qz4xwrbq1fy5tnh0d; .ASPXAUTH=9F3A61C0B2D4E5F60718293A4B5C6D7E; XSRF-TOKEN=Q2hlY2tNZQ==; lang=en',
  xsrfToken: 'Q2hlY2tNZQ==',
};
const BASIC: Extract<Credential, { scheme: 'basic' }> = { scheme: 'basic', user: 'conformance', password: 'pa:ss word' };

async function modelOf(): Promise<SpecModel> {
  return (await loadSpec()).model;
}

/** The headers of every draw of `variant` among `numRuns` bad credentials. */
function draws(model: SpecModel, credentials: readonly Credential[], variant: string, numRuns = 400): Record<string, string>[] {
  return fc
    .sample(badAuth(model, credentials), { seed: SEED, numRuns })
    .flatMap((r: AuthRecipe) => (r.kind === 'bad' && r.variant === variant ? [r.headers] : []));
}

function cookies(header: string | undefined): Map<string, string> {
  return new Map((header ?? '').split(';').filter((p) => p.includes('=')).map((p) => [p.slice(0, p.indexOf('=')).trim(), p.slice(p.indexOf('=') + 1).trim()]));
}

/** The positions where two strings of one length differ. */
function differences(a: string, b: string): number[] {
  expect(a.length).toBe(b.length);
  return [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
}

describe('bad-credential variants', () => {
  it('are each a value class of the auth family', async () => {
    const model = await modelOf();
    const names = badAuthVariantNames(model);
    const classes = authClasses(model, []).map((k) => k.name);
    for (const v of NEW_VARIANTS) {
      expect(names).toContain(v);
      expect(classes).toContain(v);
    }
    expect(new Set(names).size).toBe(names.length);
  });

  it('session with a wrong X-XSRF-TOKEN: the configured cookies, a header one letter or digit away from the token', async () => {
    const model = await modelOf();
    const header = model.security.session!.headerName.toLowerCase();
    const got = draws(model, [SESSION], 'session with a wrong X-XSRF-TOKEN');
    expect(got.length).toBeGreaterThan(5);
    for (const h of got) {
      expect(h.cookie).toBe(SESSION.cookie);
      const diff = differences(h[header]!, SESSION.xsrfToken);
      expect(diff).toHaveLength(1);
      // Never where a base64 character may carry only padding bits.
      expect(diff[0]!).toBeLessThan(SESSION.xsrfToken.length - 3);
      expect(Buffer.from(h[header]!, 'base64').equals(Buffer.from(SESSION.xsrfToken, 'base64'))).toBe(false);
    }
  });

  it('session without its session cookie: the XSRF cookie and a valid header alone', async () => {
    const model = await modelOf();
    const header = model.security.session!.headerName.toLowerCase();
    for (const h of draws(model, [SESSION], 'session without its session cookie')) {
      expect(h.cookie).toBe(`XSRF-TOKEN=${SESSION.xsrfToken}`);
      expect(h[header]).toBe(SESSION.xsrfToken);
    }
  });

  it('session with a tampered session cookie: every other cookie tampered, the XSRF cookie and header valid', async () => {
    const model = await modelOf();
    const header = model.security.session!.headerName.toLowerCase();
    const own = cookies(SESSION.cookie);
    const got = draws(model, [SESSION], 'session with a tampered session cookie');
    expect(got.length).toBeGreaterThan(5);
    for (const h of got) {
      expect(h[header]).toBe(SESSION.xsrfToken);
      const sent = cookies(h.cookie);
      expect([...sent.keys()]).toEqual([...own.keys()]);
      expect(sent.get('XSRF-TOKEN')).toBe(SESSION.xsrfToken);
      for (const name of ['ASP.NET_SessionId', '.ASPXAUTH', 'lang']) {
        expect(differences(sent.get(name)!, own.get(name)!), name).toHaveLength(1);
      }
      // Its alphabet kept: hex stays hex, lower case stays lower case.
      expect(sent.get('.ASPXAUTH')).toMatch(/^[0-9A-F]+$/);
      expect(sent.get('ASP.NET_SessionId')).toMatch(/^[a-z0-5]+$/);
    }
  });

  it('session without X-XSRF-TOKEN or its XSRF cookie: the other cookies alone', async () => {
    const model = await modelOf();
    for (const h of draws(model, [SESSION], 'session without X-XSRF-TOKEN or its XSRF cookie')) {
      expect(h).toEqual({ cookie: 'ASP.NET_SessionId=k2vj3m0qz4xwrbq1fy5tnh0d; .ASPXAUTH=9F3A61C0B2D4E5F60718293A4B5C6D7E; lang=en' });
    }
  });

  it('a configured cookie that is only the XSRF cookie: no session variant sends the valid credential', async () => {
    const model = await modelOf();
    const header = model.security.session!.headerName.toLowerCase();
    const only: Extract<Credential, { scheme: 'session' }> = { scheme: 'session', cookie: 'XSRF-TOKEN=abcdef0123456789', xsrfToken: 'abcdef0123456789' };
    for (const v of NEW_VARIANTS.filter((n) => n.startsWith('session'))) {
      const got = draws(model, [only], v);
      expect(got.length, v).toBeGreaterThan(0);
      for (const h of got) expect(h.cookie === only.cookie && h[header] === only.xsrfToken, `${v}: ${JSON.stringify(h)}`).toBe(false);
    }
  });

  it('without a configured session the session variants send random tokens under the spec names', async () => {
    const model = await modelOf();
    for (const v of NEW_VARIANTS.filter((n) => n.startsWith('session'))) expect(draws(model, [], v).length, v).toBeGreaterThan(0);
  });

  it('malformed Basic (valid base64 with junk after it): a lenient decoder reads the configured credentials, the base64 is not whole', async () => {
    const model = await modelOf();
    const valid = Buffer.from(`${BASIC.user}:${BASIC.password}`).toString('base64');
    const got = draws(model, [BASIC], 'malformed Basic (valid base64 with junk after it)', 1000);
    expect(got.length).toBeGreaterThan(20);
    const junks = new Set<string>();
    for (const h of got) {
      const [word, param] = h.authorization!.split(' ');
      expect(word).toBe('Basic');
      expect(param!.startsWith(valid)).toBe(true);
      const junk = param!.slice(valid.length);
      junks.add(junk.replace(/[!#$%&*?]/g, '!').replace(/[A-Za-z0-9+/]/g, 'A'));
      // Node's Buffer.from skips what is not base64: the configured user and password.
      expect(Buffer.from(param!, 'base64').toString('utf8')).toBe(`${BASIC.user}:${BASIC.password}`);
      // A strict decoder refuses it: a character outside the alphabet, or no whole quantum.
      expect(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(param!)).toBe(false);
      expect(junk).not.toMatch(/\s/);
    }
    // Each shape: junk bare, junk padded as if it were data, one alphabet character bare or padded.
    for (const shape of ['!!==', '!!!=', 'A', 'A=', 'A==']) expect(junks, shape).toContain(shape);
  });

  it('no credentials (an empty Authorization header)', async () => {
    const model = await modelOf();
    for (const h of draws(model, [], 'no credentials (an empty Authorization header)')) expect(h).toEqual({ authorization: '' });
  });

  it('the reference target refuses every variant with 401', async () => {
    const t = await startReferenceTarget();
    try {
      const model = await modelOf();
      const credentials = embeddedCredentials(t);
      const seen = new Map<string, Set<number>>();
      for (const r of fc.sample(badAuth(model, credentials), { seed: SEED, numRuns: 300 })) {
        if (r.kind !== 'bad') continue;
        const res = await fetch(`${t.url}/Person/${t.persons[0]}/ImageInfo`, { headers: r.headers });
        await res.arrayBuffer();
        seen.set(r.variant, (seen.get(r.variant) ?? new Set()).add(res.status));
      }
      expect([...seen.keys()].sort()).toEqual([...badAuthVariantNames(model)].sort());
      for (const [v, statuses] of seen) expect([...statuses], v).toEqual([401]);
    } finally {
      await t.close();
    }
  });
});
