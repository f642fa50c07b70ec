/**
 * The proxy's body inspector in its child process (src/proxy/inspector-process.ts,
 * inspector-child.ts): the same facts as inspectBody in this process, at the lowest priority; a
 * child that dies fails what waits and what comes after with one line; close() ends it; the
 * spec it reads is the proxy's.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectBody } from '../../src/proxy/body-inspection.js';
import { BodyInspector } from '../../src/proxy/inspector-process.js';
import { loadSpec, type LoadedSpec } from '../../src/spec/load.js';

const LIMIT = 1 << 20;

let spec: LoadedSpec;
let png: Buffer;
const started: BodyInspector[] = [];

function start(o: Partial<ConstructorParameters<typeof BodyInspector>[0]> = {}): BodyInspector {
  const i = new BodyInspector({ specPath: spec.path, specSha256: spec.sha256, maxBodyBytes: LIMIT, ...o });
  started.push(i);
  return i;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}

/** A multipart/form-data body with one file field. */
async function form(field: string, bytes: Buffer): Promise<{ contentType: string; bytes: Buffer }> {
  const f = new FormData();
  f.append(field, new Blob([bytes], { type: 'image/png' }), 'a.png');
  const r = new Response(f);
  return { contentType: r.headers.get('content-type')!, bytes: Buffer.from(await r.arrayBuffer()) };
}

beforeAll(async () => {
  spec = await loadSpec();
  png = await sharp({ create: { width: 16, height: 12, channels: 3, background: '#2a6f97' } }).png().toBuffer();
});

afterAll(async () => {
  await Promise.all(started.map((i) => i.close()));
});

describe('the body inspector in its child process', () => {
  let inspector: BodyInspector;
  beforeAll(() => {
    inspector = start();
  });

  /** The child's facts, after checking they are inspectBody's in this process. */
  async function sameFacts(contentType: string | undefined, bytes: Buffer | undefined, size = bytes?.length ?? 0) {
    const there = await inspector.inspect(contentType, bytes, size);
    expect(there).toEqual(await inspectBody(spec.model, { contentType, bytes, size }, LIMIT));
    return there;
  }

  it('answers a valid PNG as inspectBody does', async () => {
    expect(await sameFacts('image/png', png)).toMatchObject({ size: png.length, overLimit: false, declared: { kind: 'raw', mediaType: 'image/png' }, sniffed: 'png', validation: { ok: true, format: 'png', width: 16, height: 12 } });
  });

  it('answers a damaged PNG (cut, and a flipped CRC byte) as inspectBody does', async () => {
    const cut = png.subarray(0, png.length - 20);
    expect((await sameFacts('image/png', cut)).validation).toMatchObject({ ok: false, reason: expect.stringMatching(/^PNG: /) });
    const flipped = Buffer.from(png);
    flipped[29] = flipped[29]! ^ 0xff; // the IHDR chunk's CRC
    expect((await sameFacts('image/png', flipped)).validation).toEqual({ ok: false, reason: 'PNG: bad CRC in chunk "IHDR"' });
  });

  it(`answers a multipart body with the spec's image field, and one without it, as inspectBody does`, async () => {
    const field = spec.model.multipart.field;
    const withField = await form(field, png);
    expect(await sameFacts(withField.contentType, withField.bytes)).toMatchObject({ declared: { kind: 'multipart' }, sniffed: 'png', validation: { ok: true, format: 'png' } });
    const without = await form(`${field}-not`, png);
    const facts = await sameFacts(without.contentType, without.bytes);
    expect(facts.declared).toEqual({ kind: 'multipart' });
    expect(facts.missingField).toContain(field);
    expect(facts.validation).toBeUndefined();
  });

  it('answers a body that is no image, and one over the limit, as inspectBody does', async () => {
    const text = Buffer.from('hello, not an image');
    expect(await sameFacts('text/plain', text)).toMatchObject({ declared: { kind: 'undeclared' }, validation: { ok: false } });
    expect(await sameFacts('text/plain', text)).not.toHaveProperty('sniffed');
    expect(await sameFacts('image/png', undefined, 99)).toEqual({ size: 99, overLimit: true, contentType: 'image/png', declared: { kind: 'raw', mediaType: 'image/png' } });
  });

  it('runs at the lowest priority', () => {
    expect(getPriority(inspector.pid!)).toBe(19);
  });
});

describe('a body inspector that stops', () => {
  it('fails the inspection waiting and every later one with one line when its child dies', async () => {
    const inspector = start();
    await inspector.inspect('image/png', png, png.length);
    const waiting = inspector.inspect('image/png', png, png.length);
    process.kill(inspector.pid!, 'SIGKILL');
    await expect(waiting).rejects.toThrow(/^the body inspector stopped unexpectedly \(signal SIGKILL\)/);
    const later = await inspector.inspect('image/png', png, png.length).catch((e: Error) => e);
    expect(later).toBeInstanceOf(Error);
    expect((later as Error).message).toMatch(/^the body inspector stopped unexpectedly \(signal SIGKILL\)/);
    expect((later as Error).message).not.toContain('\n');
    await inspector.close();
  });

  it('close() ends its child, and inspections after it fail', async () => {
    const inspector = start();
    const pid = inspector.pid!;
    await inspector.inspect('image/png', png, png.length);
    expect(alive(pid)).toBe(true);
    await inspector.close();
    expect(alive(pid)).toBe(false);
    await expect(inspector.inspect('image/png', png, png.length)).rejects.toThrow('the body inspector was closed');
  });
});

describe('the spec the body inspector reads', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'inspector-spec-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    expect(existsSync(dir)).toBe(false);
  });

  it('is the file at the path it is given', async () => {
    const copy = join(dir, 'copy.openapi.yaml');
    copyFileSync(spec.path, copy);
    const inspector = start({ specPath: copy });
    expect((await inspector.inspect('image/png', png, png.length)).validation?.ok).toBe(true);
    await inspector.close();
  });

  it('fails every inspection when the file is not the spec the proxy read', async () => {
    const other = join(dir, 'other.openapi.yaml');
    copyFileSync(spec.path, other);
    writeFileSync(other, '\n# changed\n', { flag: 'a' });
    const inspector = start({ specPath: other });
    await expect(inspector.inspect('image/png', png, png.length)).rejects.toThrow(/^the body inspector read another spec than the proxy \(.*other\.openapi\.yaml changed while the proxy started\)$/);
    await inspector.close();
  });

  it('fails every inspection with the reason when the file cannot be read', async () => {
    const inspector = start({ specPath: join(dir, 'missing.yaml') });
    await expect(inspector.inspect('image/png', png, png.length)).rejects.toThrow(/^the body inspector stopped unexpectedly \(exit code 1\): cannot read the spec .*missing\.yaml: ENOENT$/);
    await inspector.close();
  });
});
