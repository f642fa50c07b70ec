/**
 * The example integration (example-integration.ts) driven through the checking proxy in front of
 * the embedded reference target: the well-behaved one conforms; each broken one gets the finding
 * of the rule it breaks, and no other. Each session also writes the report set (report.json valid
 * against the report schema, report.html, junit.xml, ctrf.json, exchanges.har), redacted.
 */
import { har as validateHar } from 'har-validator';
import { describe, expect, it } from 'vitest';
import { defaultBehaviour } from '../../src/target/behaviour.js';
import type { TargetBehaviour } from '../../src/target/types.js';
import { hammersAfter401, ignoresRetryAfter, noImageField, twentyAtOnce, wellBehaved, wrongDeclaredType } from './example-integration.js';
import { findingRules, proxySession, ruleOf } from './harness.js';

/** A target that answers the first request 429 with `Retry-After: 2`, then as the reference target does. */
function throttlingFirst(): Partial<TargetBehaviour> {
  let n = 0;
  return {
    authenticate: (headers, ctx) => (n++ === 0 ? { ok: false, status: 429, message: 'Too many requests.', headers: { 'Retry-After': '2' } } : defaultBehaviour.authenticate(headers, ctx)),
  };
}

describe('the checking proxy in front of the reference target', () => {
  it('a well-behaved integration conforms, also when it is throttled once', async () => {
    const { report, files } = await proxySession({ target: { behaviour: throttlingFirst() } }, (i) => wellBehaved(i));
    expect(findingRules(report)).toEqual([]);
    expect(report.verdict).toBe('conforms');
    expect(report.requests).toBe(4);
    for (const id of ['client-content-type-matches-image', 'client-image-well-formed', 'client-multipart-image-field', 'client-credentials-present', 'client-retry-after-honoured', 'client-path-well-formed']) {
      expect(ruleOf(report, id).status, id).toBe('pass');
    }
    // The server rules judged on the answers: the reference target keeps them.
    for (const id of ['no-server-error', 'response-schema', 'accept-family', 'error-body-shape']) expect(ruleOf(report, id).status, id).toBe('pass');
    expect(report.proxy.throttling).toBe(1);
    for (const name of ['report.json', 'report.html', 'junit.xml', 'ctrf.json', 'exchanges.har']) expect(files.has(name), name).toBe(true);
  });

  it('client-content-type-matches-image: a PNG declared as image/jpeg is a finding, with its exchange', async () => {
    const { report, files, target } = await proxySession({}, (i) => wrongDeclaredType(i));
    expect(findingRules(report)).toEqual(['client-content-type-matches-image']);
    const rule = ruleOf(report, 'client-content-type-matches-image');
    expect(rule.status).toBe('fail');
    expect(rule.message).toBe('the body is a PNG image declared as image/jpeg');
    expect(report.verdict).toBe('does-not-conform');
    // The exchange is kept, redacted: the Authorization header and the password appear nowhere.
    const cx = rule.counterexample!;
    expect(cx.request.headers.authorization).toBe('[REDACTED]');
    expect(cx.response?.status).toBe(200);
    expect(files.get('bodies/client-content-type-matches-image.png')?.startsWith('\x89PNG')).toBe(true);
    for (const [name, content] of files) expect(content, name).not.toContain(target.credentials.basic.password);
    const har = JSON.parse(files.get('exchanges.har')!) as { log: { entries: { _rule: string }[] } };
    expect(har.log.entries.map((e) => e._rule)).toEqual(['client-content-type-matches-image']);
    await expect(validateHar(har)).resolves.toMatchObject({ log: { version: '1.2' } });
  });

  it('client-multipart-image-field: a multipart body without an `image` part is a finding', async () => {
    const { report } = await proxySession({}, (i) => noImageField(i));
    expect(findingRules(report)).toEqual(['client-multipart-image-field']);
    expect(ruleOf(report, 'client-multipart-image-field').message).toMatch(/^the multipart body has no part named "image"/);
  });

  it('client-retry-after-honoured: sending again at once after a 429 with Retry-After is a finding', async () => {
    const { report } = await proxySession({ target: { behaviour: throttlingFirst() } }, (i) => ignoresRetryAfter(i));
    expect(findingRules(report)).toEqual(['client-retry-after-honoured']);
    expect(ruleOf(report, 'client-retry-after-honoured').message).toMatch(/^the request started \d+ ms after a 429 whose Retry-After asked for 2 s$/);
  });

  it('client-no-401-loop: the same wrong password six times right after each 401 is a finding', async () => {
    const { report } = await proxySession({}, (i, t) => hammersAfter401(i, `Basic ${Buffer.from(`${t.credentials.basic.user}:wrong`).toString('base64')}`));
    expect(findingRules(report)).toEqual(['client-no-401-loop']);
    const rule = ruleOf(report, 'client-no-401-loop');
    // Retries 4 and 5 in a row (requests 5 and 6) break it; retries 1 to 3 do not.
    expect([rule.cases, rule.failures]).toEqual([5, 2]);
  });

  it('server rules: a 500 from the target is a finding of no-server-error, named in the notes, and leaves the integration\'s verdict alone', async () => {
    const broken: Partial<TargetBehaviour> = {
      storeImage: () => {
        throw new Error('disk full');
      },
    };
    const { report } = await proxySession({ target: { behaviour: broken } }, (i) => wrongDeclaredType(i).then(() => undefined));
    expect(ruleOf(report, 'no-server-error')).toMatchObject({ status: 'fail', message: 'answered 500' });
    expect(report.notes).toContain('the target broke server rules while the integration used it: no-server-error');
    expect(findingRules(report)).toEqual(['client-content-type-matches-image', 'no-server-error']);
    expect(report.verdict).toBe('does-not-conform');
    const fine = await proxySession({ target: { behaviour: broken } }, (i) => wellBehaved(i));
    expect(findingRules(fine.report)).toEqual(['no-server-error']);
    expect(fine.report.verdict).toBe('conforms');
  });

  it('client-rate-limit: twenty requests at once against a limit of 10 a second is a finding (a warning)', async () => {
    const { report } = await proxySession({}, (i) => twentyAtOnce(i));
    expect(findingRules(report)).toEqual(['client-rate-limit']);
    expect(ruleOf(report, 'client-rate-limit').warnings).toBeGreaterThanOrEqual(1);
    expect(report.verdict).toBe('conforms-with-warnings');
  });
});
