/**
 * The request classes of the content-type and person-id families that mutation testing of the
 * reference target found unsent: a malformed Content-Type (no `type/subtype` form: `png`,
 * `image/`, `/png`, `image/png/x`, `image png`), a multipart body under an undeclared
 * non-multipart type with a boundary parameter, and a person id segment with a malformed
 * percent-escape (`1%ZZ`, `%`, `%E0%A4%A`). What the generators draw, how the cases are built,
 * what reaches a node:http server (the raw bytes), which rules judge them, and that the reference
 * target answers each 400.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { undeclaredContentTypeRejected } from '../../src/checks/content-type.js';
import { personIdNotInt32Rejected } from '../../src/checks/person-id.js';
import { validMultipartUpload } from '../../src/checks/valid-upload.js';
import { buildCase } from '../../src/generate/build.js';
import type { BodyRecipe, Case, CaseRecipe } from '../../src/generate/case.js';
import { MALFORMED_SHAPES } from '../../src/generate/families/content-type.js';
import { families } from '../../src/generate/families/index.js';
import { badEscapeOf, badEscapePerson } from '../../src/generate/person-ids.js';
import { embeddedCredentials } from '../../src/run/target.js';
import { startReferenceTarget } from '../../src/target/server.js';
import { TargetSession } from '../../src/transport/target-session.js';
import { applies, caseOf, credentials, person, pngRecipe, specContext } from '../checks/fixtures.js';

/** RFC 9110's media type: `type/subtype`, each a token, then parameters. */
const MEDIA_TYPE = /^[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z-]+\s*(;|$)/i;

async function sample(family: string, n = 3000): Promise<{ recipes: CaseRecipe[]; classOf: (r: CaseRecipe) => string[] }> {
  const { model } = await specContext();
  const f = families({ model, credentials, personId: 7 }).find((x) => x.name === family)!;
  return { recipes: fc.sample(f.arbitrary, { seed: 42, numRuns: n }), classOf: (r) => f.classes.filter((k) => k.matches(r)).map((k) => k.name) };
}

const malformedBody = (type: string): BodyRecipe => ({ kind: 'image', image: pngRecipe(), as: 'raw', declaredType: type, typeClass: 'undeclared' });
const multipartUnder = (type: string): BodyRecipe => ({ kind: 'image', image: pngRecipe(), as: 'multipart', declaredType: type, typeClass: 'undeclared' });

describe('a malformed Content-Type', () => {
  it('each shape is drawn, from a declared image type, with no type/subtype form, and in exactly one class', async () => {
    const { model } = await specContext();
    const { recipes, classOf } = await sample('content-type');
    const seen = new Map<string, Set<string>>();
    for (const r of recipes) {
      const malformed = classOf(r).filter((k) => k.startsWith('malformed: '));
      if (malformed.length === 0) continue;
      expect(malformed).toHaveLength(1);
      expect(classOf(r)).toEqual(malformed);
      const t = r.body.kind === 'image' ? r.body.declaredType! : '';
      expect(MEDIA_TYPE.test(t), t).toBe(false);
      expect(model.imageMediaTypes.some((m) => m.split('/').some((part) => t.includes(part))), t).toBe(true);
      seen.set(malformed[0]!, (seen.get(malformed[0]!) ?? new Set()).add(t));
    }
    expect([...seen.keys()].sort()).toEqual(MALFORMED_SHAPES.map((s) => `malformed: ${s.name}`).sort());
    expect(seen.get('malformed: the subtype alone')).toContain('png');
    expect(seen.get('malformed: the type and slash alone')).toContain('image/');
    expect(seen.get('malformed: the slash and subtype alone')).toContain('/png');
    expect(seen.get('malformed: a third part')).toContain('image/png/x');
    expect(seen.get('malformed: a space for the slash')).toContain('image png');
  });

  it('no shape recognises a well-formed type, nor the empty one', () => {
    for (const t of ['image/png', 'application/octet-stream', 'multipart/form-data; boundary=x', 'text/plain', '']) {
      expect(MALFORMED_SHAPES.filter((s) => s.matches(t)).map((s) => s.name), t).toEqual([]);
    }
  });

  it('goes out raw under that Content-Type, judged by undeclared-content-type-rejected', async () => {
    for (const t of ['png', 'image/', '/png', 'image/png/x', 'image png']) {
      const c = await caseOf('content-type', { body: malformedBody(t) });
      expect(c.body).toMatchObject({ kind: 'raw', contentType: t });
      expect(await applies(undeclaredContentTypeRejected, c)).toBe(true);
    }
  });
});

describe('a multipart body under an undeclared type with a boundary', () => {
  it('is drawn under undeclared types that are no multipart type, in its own class only', async () => {
    const { recipes, classOf } = await sample('content-type');
    const types = new Set<string>();
    for (const r of recipes) {
      if (r.body.kind !== 'image' || r.body.as !== 'multipart') continue;
      expect(classOf(r)).toEqual(['multipart under an undeclared type with a boundary']);
      expect(r.body.typeClass).toBe('undeclared');
      expect(r.body.declaredType).toMatch(/^[a-z]+\/[a-z.+-]+$/);
      expect(r.body.declaredType).not.toMatch(/^multipart\//i);
      types.add(r.body.declaredType!);
    }
    expect(types).toContain('text/plain');
    expect(types).toContain('application/octet-stream');
  });

  it('is built as the multipart image part framed under that type; undeclared-content-type-rejected judges it, valid-multipart-upload does not', async () => {
    const { model } = await specContext();
    const c = await caseOf('content-type', { body: multipartUnder('text/plain') });
    expect(c.body).toMatchObject({ kind: 'multipart', framing: { style: 'dotnet', mediaType: 'text/plain' }, parts: [{ field: model.multipart.field, contentType: 'image/png' }] });
    expect(c.description).toMatch(/declared as text\/plain/);
    expect(await applies(undeclaredContentTypeRejected, c)).toBe(true);
    expect(await applies(validMultipartUpload, c)).toBe(false);
  });

  it('a valid multipart upload is built as before', async () => {
    const { model } = await specContext();
    const c = await caseOf('valid-upload', { body: { kind: 'image', image: pngRecipe(), as: 'multipart' } });
    expect(c.body.kind === 'multipart' && c.body.framing).toBeFalsy();
    const dotnet = await caseOf('valid-upload', { body: { kind: 'image', image: pngRecipe(), as: 'multipart', framing: 'dotnet' } });
    expect(dotnet.body).toMatchObject({ framing: { style: 'dotnet', mediaType: model.multipart.type } });
  });
});

describe('a person id with a malformed percent-escape', () => {
  it('badEscapeOf tells a malformed escape and where it stands', () => {
    expect(badEscapeOf('1%ZZ')).toBe('after the id');
    expect(badEscapeOf('1%2')).toBe('after the id');
    expect(badEscapeOf('%')).toBe('alone');
    expect(badEscapeOf('%E0%A4%A')).toBe('alone');
    expect(badEscapeOf('%31')).toBeUndefined();
    expect(badEscapeOf('12')).toBeUndefined();
    expect(badEscapeOf('abc')).toBeUndefined();
  });

  it('every segment drawn fails to percent-decode; after the id, it starts with the configured id', () => {
    for (const p of fc.sample(badEscapePerson(7), { seed: 3, numRuns: 500 })) {
      expect(p.class).toBe('not-int32');
      expect(() => decodeURIComponent(p.segment), p.segment).toThrow(URIError);
      const place = badEscapeOf(p.segment);
      expect(place).toBeDefined();
      if (place === 'after the id') expect(p.segment).toMatch(/^7%/);
      else expect(p.segment).toMatch(/^%/);
    }
  });

  it('the family draws both places, each in its class and in `person id not-int32`; no other not-int32 segment holds a %', async () => {
    const { recipes, classOf } = await sample('person-id', 1000);
    const places = new Set<string>();
    for (const r of recipes) {
      const place = badEscapeOf(r.person.segment);
      if (r.person.class === 'not-int32' && !place) expect(r.person.segment).not.toContain('%');
      if (!place) continue;
      places.add(place);
      expect(classOf(r)).toEqual(['person id not-int32', place === 'alone' ? 'person id not-int32: a bad percent-escape alone' : "person id not-int32: a bad percent-escape after the person's id"]);
    }
    expect([...places].sort()).toEqual(['after the id', 'alone']);
  });

  it('the path holds the segment as it is; other segments are encoded as before', async () => {
    const { model } = await specContext();
    const at = (c: Case) => c.path.split('/').at(-2);
    expect(at(await caseOf('person-id', { person: person.notInt32('7%ZZ') }))).toBe('7%ZZ');
    expect(at(await caseOf('person-id', { person: person.notInt32('%E0%A4%A') }))).toBe('%E0%A4%A');
    expect(at(await caseOf('person-id', { person: person.notInt32('+-1') }))).toBe('%2B-1');
    expect(at(await caseOf('person-id', { person: person.notInt32('12.5') }))).toBe('12.5');
    expect(model.imagePath).toContain(`{${model.personIdParameter.name}}`);
    expect(await applies(personIdNotInt32Rejected, await caseOf('person-id', { person: person.notInt32('%') }))).toBe(true);
  });
});

describe('on the wire', () => {
  it('a node:http server gets the raw segment and the declared type with its boundary', async () => {
    const got: { url: string; headers: IncomingHttpHeaders; body: Buffer }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        got.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
        res.end('1');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const session = new TargetSession({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`, timeoutMs: 5000, concurrency: 1, runId: 'test' });
    try {
      const send = (c: Case) => session.send({ method: c.recipe.method, path: c.path, headers: { ...c.headers, ...c.authHeaders }, body: c.body });
      for (const segment of ['%ZZ', '%', '%E0%A4%A', '1%2']) {
        const o = await send(await caseOf('person-id', { person: person.notInt32(segment) }));
        expect(o.status).toBe(200);
        expect(got.at(-1)!.url).toBe(`/api/v1/Person/${segment}/Image`);
      }
      for (const t of ['png', 'image/', '/png', 'image/png/x', 'image png']) {
        await send(await caseOf('content-type', { body: malformedBody(t) }));
        expect(got.at(-1)!.headers['content-type']).toBe(t);
      }
      await send(await caseOf('content-type', { body: multipartUnder('application/octet-stream') }));
      const last = got.at(-1)!;
      const boundary = /^application\/octet-stream; boundary="([^"]+)"$/.exec(last.headers['content-type'] ?? '')?.[1];
      expect(boundary).toBeDefined();
      expect(last.body.toString('latin1')).toContain(`--${boundary}\r\n`);
      expect(last.body.toString('latin1')).toContain('name=image;');
    } finally {
      await session.close();
      server.close();
    }
  });

  it('the reference target answers each 400', async () => {
    const t = await startReferenceTarget();
    const session = new TargetSession({ baseUrl: t.url, timeoutMs: 5000, concurrency: 1, runId: 'test' });
    try {
      const { model } = await specContext();
      const ctx = { model, credentials: embeddedCredentials(t) };
      const base = (await caseOf('content-type')).recipe;
      const recipes: CaseRecipe[] = [
        ...['png', 'image/', '/png', 'image/png/x', 'image png'].map((ty) => ({ ...base, body: malformedBody(ty) })),
        ...['text/plain', 'application/octet-stream', 'application/json'].map((ty) => ({ ...base, body: multipartUnder(ty) })),
        ...['%ZZ', '%', '%E0%A4%A', `${t.persons[0]}%2`, `${t.persons[0]}%ZZ`].map((s) => ({ ...base, family: 'person-id' as const, person: person.notInt32(s), body: { kind: 'image' as const, image: pngRecipe(), as: 'raw' as const } })),
      ];
      for (const r of recipes) {
        const c = await buildCase(ctx, { ...r, person: r.family === 'person-id' ? r.person : { class: 'configured', segment: String(t.persons[0]) } });
        const o = await session.send({ method: c.recipe.method, path: c.path, headers: { ...c.headers, ...c.authHeaders }, body: c.body });
        expect(o.status, c.description).toBe(400);
      }
    } finally {
      await session.close();
      await t.close();
    }
  });
});
