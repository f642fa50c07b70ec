/**
 * Unit tests of the three Accept checks of src/checks/responses.ts (accept-family,
 * accept-exact-type, accept-unsupported), judged on hand-built cases and answers: for each, when
 * it applies, answers that keep it and answers that break it. The Case and Observation are built
 * here, minimal, with the check context of the real spec.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { acceptExactType, acceptFamily, acceptUnsupported } from '../../src/checks/responses.js';
import type { Check, CheckContext } from '../../src/checks/types.js';
import { checkContext } from '../../src/checks/validators.js';
import type { Case, CaseRecipe } from '../../src/generate/case.js';
import { loadSpec } from '../../src/spec/load.js';
import type { Observation } from '../../src/transport/observation.js';

let ctx: CheckContext;
beforeAll(async () => {
  ctx = checkContext((await loadSpec()).model);
});

/** A valid PNG upload to the configured person with valid credentials, but for its Accept (and what `recipe` overrides). */
function upload(accept: string | undefined, recipe: Partial<CaseRecipe> = {}): Case {
  const r: CaseRecipe = {
    family: 'accept',
    method: 'PUT',
    person: { class: 'configured', segment: '7' },
    auth: { kind: 'valid', scheme: 'basic' },
    body: { kind: 'image', as: 'raw', image: { format: 'png', variant: 'rgb-8', width: 1, height: 1, pixelSeed: 1, options: {} } },
    accept,
    language: [],
    noise: [],
    ...recipe,
  };
  return {
    recipe: r,
    description: `PUT person 7; PNG 1x1; Accept: ${accept ?? '(none)'}`,
    path: '/Person/7/Image',
    headers: { 'content-type': 'image/png', ...(accept === undefined ? {} : { accept }) },
    authHeaders: { authorization: 'Basic Y2VydGlmeTpzM2NyZXQ=' },
    body: { kind: 'raw', contentType: 'image/png', bytes: new Uint8Array(8) },
    bodyDescription: 'PNG 1x1',
    coverage: {},
  };
}

/** An answer: status, Content-Type (with charset, as servers send it) and body. */
function answer(status: number, contentType?: string, body = ''): Observation {
  return { status, headers: contentType ? { 'content-type': `${contentType}; charset=utf-8` } : {}, body: Buffer.from(body), bodyTruncated: false, durationMs: 1 };
}
const json200 = (type = 'application/json') => answer(200, type, '825');
const xml200 = (type = 'application/xml') => answer(200, type, '<int xmlns="http://schemas.microsoft.com/2003/10/Serialization/">825</int>');

function judge(check: Check, c: Case, o: Observation) {
  return check.judge({ c, o, extra: {}, ctx });
}

interface Row {
  accept: string | undefined;
  o: Observation;
  ok: boolean;
  why: string;
}

function table(check: Check, rows: Row[]) {
  for (const row of rows) {
    it(`${row.ok ? 'keeps' : 'breaks'}: Accept ${JSON.stringify(row.accept ?? '(none)')}, ${row.o.status} ${row.o.headers['content-type'] ?? ''} (${row.why})`, () => {
      const c = upload(row.accept);
      expect(check.applies(c, ctx)).toBe(true);
      const outcome = judge(check, c, row.o);
      expect(outcome.ok).toBe(row.ok);
      if (!outcome.ok) expect(outcome.message).toContain(JSON.stringify(row.accept ?? '(none)'));
    });
  }
}

describe('accept-family (MUST)', () => {
  table(acceptFamily, [
    { accept: undefined, o: json200(), ok: true, why: 'no Accept: JSON' },
    { accept: '*/*', o: json200('text/json'), ok: true, why: '*/*: any JSON type' },
    { accept: 'application/xml', o: xml200(), ok: true, why: 'XML asked, XML given' },
    { accept: 'application/json, text/xml;q=0.5', o: json200(), ok: true, why: 'JSON by q' },
    { accept: '*/*, application/json;q=0.3, text/json;q=0.1', o: xml200(), ok: true, why: 'the RFC reading (the seed 2133749533 case)' },
    { accept: '*/*, application/json;q=0.3, text/json;q=0.1', o: json200(), ok: true, why: 'the ASP.NET reading' },
    { accept: 'text/*;q=0.8, application/pdf, application/json;q=0.8', o: xml200('text/xml'), ok: true, why: 'a tied type' },
    { accept: 'application/xml;q=2, application/json', o: json200(), ok: true, why: 'q=2 clamped to 1 ties' },
    { accept: 'application/xml;q=abc', o: json200(), ok: true, why: 'a reading finds nothing: JSON fallback' },
    { accept: 'application/json', o: answer(406, 'application/json', '{"Error":true,"ErrorMessage":"x"}'), ok: true, why: 'only 200s are judged' },
    { accept: 'text/xml', o: json200(), ok: false, why: 'XML asked, JSON given' },
    { accept: 'application/xml;q=0.9, application/json;q=0.1', o: json200(), ok: false, why: 'XML preferred by q' },
    { accept: 'application/json', o: xml200(), ok: false, why: 'JSON asked, XML given' },
    { accept: undefined, o: xml200(), ok: false, why: 'no Accept: JSON, not XML' },
    { accept: '*/*', o: xml200('text/xml'), ok: false, why: '*/*: the default, JSON' },
    { accept: 'application/json', o: answer(200, 'text/plain', '825'), ok: false, why: 'an undeclared type' },
    { accept: 'application/json', o: answer(200, undefined, '825'), ok: false, why: 'no Content-Type' },
  ]);

  it('does not apply where no reading finds a producible type', () => {
    expect(acceptFamily.applies(upload('text/html'), ctx)).toBe(false);
    expect(acceptFamily.applies(upload('application/json;q=0'), ctx)).toBe(false);
  });
});

describe('accept-exact-type (SHOULD)', () => {
  table(acceptExactType, [
    { accept: 'text/json', o: json200('text/json'), ok: true, why: 'the very type' },
    { accept: 'application/xml, application/json;q=0.9', o: xml200(), ok: true, why: 'the highest q' },
    { accept: 'text/*;q=0.8, application/pdf, application/json;q=0.8', o: xml200('text/xml'), ok: true, why: 'a tied type reached by text/*' },
    { accept: 'text/*;q=0.8, application/pdf, application/json;q=0.8', o: json200(), ok: true, why: 'a tied type reached by name' },
    { accept: 'Application/Merge-Patch+JSON', o: json200('application/merge-patch+json'), ok: true, why: 'case-insensitive' },
    { accept: 'text/json', o: json200(), ok: false, why: "the family's first type instead" },
    { accept: 'text/xml', o: xml200(), ok: false, why: 'application/xml for text/xml' },
    { accept: 'text/*', o: json200(), ok: false, why: 'text/* does not reach application/json' },
  ]);

  it('does not apply where no particular type is asked for', () => {
    for (const a of [undefined, '*/*', 'text/html, */*;q=0.8', '*/*, application/json;q=0.3, text/json;q=0.1', 'text/html']) {
      expect(acceptExactType.applies(upload(a), ctx), String(a)).toBe(false);
    }
  });
});

describe('accept-unsupported (SHOULD)', () => {
  table(acceptUnsupported, [
    { accept: 'text/html', o: json200(), ok: true, why: 'JSON' },
    { accept: 'text/html, application/pdf;q=0.5', o: json200('text/json'), ok: true, why: 'any JSON type' },
    { accept: 'text/html', o: answer(406), ok: true, why: '406' },
    { accept: 'application/json;q=0', o: answer(406), ok: true, why: 'q=0: nothing acceptable' },
    { accept: 'application/xml;charset=utf-8', o: xml200(), ok: true, why: 'another reading (parameters ignored) prefers XML' },
    { accept: 'text/html', o: xml200(), ok: false, why: 'XML' },
    { accept: 'text/html', o: answer(400, 'application/json', '{"Error":true,"ErrorMessage":"x"}'), ok: false, why: 'a refused upload' },
    { accept: 'text/html', o: answer(200, 'text/html', '825'), ok: false, why: 'the unproducible type itself' },
  ]);

  it('applies only to a valid upload whose Accept some reading finds unproducible', () => {
    expect(acceptUnsupported.applies(upload('application/json'), ctx)).toBe(false);
    expect(acceptUnsupported.applies(upload('text/html', { auth: { kind: 'bad', variant: 'none', headers: {} } }), ctx)).toBe(false);
    expect(acceptUnsupported.applies(upload('text/html', { person: { class: 'unknown', segment: '999999' } }), ctx)).toBe(false);
  });
});

describe('the Accept checks: answers other than a 200, and what their messages say (found by mutation:unit)', () => {
  it('accept-family and accept-exact-type judge only a 200: a 400 in JSON to an XML Accept passes both', () => {
    const c = upload('application/xml');
    const error = answer(400, 'application/json', '{"Error":true,"ErrorMessage":"x"}');
    expect(judge(acceptFamily, c, error).ok).toBe(true);
    expect(judge(acceptExactType, c, error).ok).toBe(true);
  });

  it('accept-family names the families asked and the type answered, or (none)', () => {
    expect(judge(acceptFamily, upload('application/xml'), json200())).toEqual({ ok: false, message: 'Accept "application/xml" asks for xml, the 200 is "application/json"' });
    expect(judge(acceptFamily, upload('application/json'), answer(200, undefined, '825'))).toEqual({ ok: false, message: 'Accept "application/json" asks for json, the 200 is "(none)"' });
  });

  it('accept-exact-type names the types preferred (joined by "or") and the type answered, or (none)', () => {
    const m1 = judge(acceptExactType, upload('application/xml, text/xml'), json200());
    expect(m1).toEqual({ ok: false, message: 'Accept "application/xml, text/xml" prefers application/xml or text/xml, the 200 is "application/json"' });
    expect(judge(acceptExactType, upload('application/xml'), answer(200, undefined, '825'))).toEqual({ ok: false, message: 'Accept "application/xml" prefers application/xml, the 200 is "(none)"' });
  });

  it('accept-unsupported says what it expected and what came, with the Content-Type of a 200 or "no Content-Type"', () => {
    const c = upload('text/html');
    const m1 = judge(acceptUnsupported, c, answer(200, 'text/html', '825'));
    expect(m1.ok === false && m1.message).toMatch(/^Accept "text\/html" names no type the server produces: expected a json 200 or 406, .*200.* with text\/html$/);
    const m2 = judge(acceptUnsupported, c, answer(200, undefined, '825'));
    expect(m2.ok === false && m2.message).toMatch(/ with no Content-Type$/);
    const m3 = judge(acceptUnsupported, c, answer(415, 'application/json', '{}'));
    expect(m3.ok === false && m3.message).not.toMatch(/ with /);
  });
});

