/** Cases built on the build worker are the cases built in-thread; a failing build and a dead worker are told apart. */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Credential } from '../../src/config/credentials.js';
import type { BuildContext } from '../../src/generate/build.js';
import type { Case } from '../../src/generate/case.js';
import { inThreadBuilder, stopBuildWorker, workerBuilder } from '../../src/generate/case-builder.js';
import { families } from '../../src/generate/families/index.js';
import { loadSpec } from '../../src/spec/load.js';

const credentials: Credential[] = [
  { scheme: 'basic', user: 'ada', password: 'lovelace' },
  { scheme: 'bearer', token: 'tok-123' },
];

async function context(): Promise<BuildContext> {
  const { model } = await loadSpec();
  return { model, credentials };
}

/** The bytes of a body as plain arrays, so that a Buffer and a Uint8Array of the same bytes compare equal. */
function comparable(c: Case): unknown {
  const body = c.body.kind === 'raw' ? { ...c.body, bytes: [...c.body.bytes] } : { ...c.body, parts: c.body.parts.map((p) => ({ ...p, bytes: [...p.bytes] })) };
  return { ...c, body };
}

afterAll(() => stopBuildWorker());

describe('the build worker', () => {
  it('builds, for every family, the same cases as the engine thread, with Buffer bodies', async () => {
    const ctx = await context();
    const inThread = inThreadBuilder(ctx);
    const worker = workerBuilder(ctx);
    expect(worker.where).toBe('worker');
    try {
      for (const family of families({ model: ctx.model, credentials, personId: 7 })) {
        const recipes = fc.sample(family.arbitrary, { seed: 3, numRuns: 6 });
        // Asked all at once: answers come back to the right callers.
        const fromWorker = await Promise.all(recipes.map((r) => worker.build(r)));
        for (const [k, r] of recipes.entries()) {
          const expected = await inThread.build(r);
          const got = fromWorker[k]!;
          expect(comparable(got), `${family.name} #${k}`).toEqual(comparable(expected));
          const bytes = got.body.kind === 'raw' ? got.body.bytes : got.body.parts[0]!.bytes;
          expect(Buffer.isBuffer(bytes)).toBe(true);
        }
      }
    } finally {
      worker.close();
    }
  }, 60_000);

  it('rejects a build that throws with its own error and keeps building', async () => {
    const ctx = await context();
    const worker = workerBuilder(ctx);
    try {
      const [good] = fc.sample(families({ model: ctx.model, credentials, personId: 7 }).find((f) => f.name === 'person-id')!.arbitrary, { seed: 1, numRuns: 1 });
      const bad = { ...good!, auth: { kind: 'valid' as const, scheme: 'soticket' as const } };
      await expect(worker.build(bad)).rejects.toThrow(/no configured credential for soticket/);
      await expect(worker.build(good!)).resolves.toMatchObject({ recipe: good });
    } finally {
      worker.close();
    }
  }, 60_000);

  it('builds in-thread from then on when the worker has died, and says so', async () => {
    const ctx = await context();
    const notes: string[] = [];
    const worker = workerBuilder(ctx, (n) => notes.push(n));
    const [recipe] = fc.sample(families({ model: ctx.model, credentials, personId: 7 }).find((f) => f.name === 'accept')!.arbitrary, { seed: 2, numRuns: 1 });
    await worker.build(recipe!);
    expect(notes).toEqual([]);
    await stopBuildWorker();
    const c = await worker.build(recipe!);
    expect(comparable(c)).toEqual(comparable(await inThreadBuilder(ctx).build(recipe!)));
    expect(notes).toEqual([expect.stringMatching(/built on the engine's thread from now on: the case-building worker stopped/)]);
    expect(worker.where).toBe('in-thread');
    worker.close();
  }, 60_000);
});
