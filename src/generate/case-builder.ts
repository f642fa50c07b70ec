/**
 * Where cases are built. Rendering an image is synchronous CPU work (pngjs, omggif, jpeg-js,
 * utif2, sharp): on the engine's thread it blocks the event loop, so a request in flight cannot
 * finish its upload or read its answer until the next case is rendered. The run therefore builds
 * its cases in a build worker: a child process (one per engine process, shared by its runs),
 * so that the engine's thread only sends, reads and judges.
 *
 * A process, not a worker thread: libvips (sharp) keeps decoder warnings in state shared by the
 * threads of a process, so encoding in a thread beside a decoder of the same process (the
 * embedded reference target, the round-trip check) made damaged images pass now and then.
 *
 * `buildCase` is deterministic: a case built in the worker is the case the same recipe builds
 * in-thread. When no worker can start, or it dies, cases are built in-thread.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildCase, type BuildContext } from './build.js';
import type { Case, CaseBody, CaseRecipe } from './case.js';

export interface CaseBuilder {
  build(recipe: CaseRecipe): Promise<Case>;
  /** Where cases are built now: 'worker', or 'in-thread' (also after a worker died). */
  readonly where: 'worker' | 'in-thread';
  close(): void;
}

/** Messages to the build worker. */
export type ToBuildWorker =
  | { type: 'context'; contextId: number; ctx: BuildContext }
  | { type: 'forget'; contextId: number }
  | { type: 'build'; id: number; contextId: number; recipe: CaseRecipe };

/** Messages from the build worker. */
export type FromBuildWorker = { type: 'built'; id: number; c: Case } | { type: 'failed'; id: number; message: string; stack?: string };

/** Builds in the calling thread. */
export function inThreadBuilder(ctx: BuildContext): CaseBuilder {
  return { where: 'in-thread', build: (recipe) => buildCase(ctx, recipe), close: () => {} };
}

/** The body bytes as Buffers again (IPC hands Uint8Arrays over; in-thread builds give Buffers). */
function asBuffers(c: Case): Case {
  const buf = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const body: CaseBody = c.body.kind === 'raw' ? { ...c.body, bytes: buf(c.body.bytes) } : { ...c.body, parts: c.body.parts.map((p) => ({ ...p, bytes: buf(p.bytes) })) };
  return { ...c, body };
}

/**
 * Starts the worker process (with `--expose-gc`: it collects its body buffers itself, see
 * build-worker.ts). From the TypeScript sources (tsx, vitest) it runs under tsx's loader,
 * resolved from this package (the working directory may be anywhere).
 */
function spawnWorker(): ChildProcess {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(fromSource ? './build-worker.ts' : './build-worker.js', import.meta.url));
  const execArgv = ['--expose-gc', ...(fromSource ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [])];
  return fork(entry, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
}

interface Pending {
  resolve: (c: Case) => void;
  reject: (e: Error) => void;
}

/** The process's build worker: one child process, contexts registered by the runs that use it. */
class SharedBuildWorker {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private nextContext = 1;
  private stderr = '';
  /** Set once the worker has died; later builds go elsewhere. */
  failure: Error | undefined;

  constructor() {
    this.child = spawnWorker();
    // An idle worker never keeps the engine's process alive; pending builds ref it.
    this.setRef(false);
    this.child.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-2000);
    });
    this.child.on('message', (m: FromBuildWorker) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.settle(m.id);
      if (m.type === 'built') p.resolve(asBuffers(m.c));
      else p.reject(Object.assign(new Error(m.message), m.stack ? { stack: m.stack } : {}));
    });
    this.child.on('error', (e) => this.die(e));
    this.child.on('exit', (code, signal) => {
      const said = this.stderr.trim().split('\n').find((l) => /error/i.test(l)) ?? '';
      this.die(new Error(`exited (${signal ?? `code ${code}`})${said ? `: ${said.trim()}` : ''}`));
    });
  }

  private die(e: Error): void {
    this.failure ??= e;
    for (const [id, p] of this.pending) {
      this.settle(id);
      p.reject(new Error(`the case-building worker stopped: ${this.failure.message}`));
    }
  }

  /** Whether the worker (its process, IPC channel and stderr pipe) keeps the engine's process alive. */
  private setRef(on: boolean): void {
    type Handle = { ref(): void; unref(): void };
    const handles = [this.child, this.child.channel, this.child.stderr] as (Handle | null | undefined)[];
    for (const h of handles) {
      if (on) h?.ref();
      else h?.unref();
    }
  }

  private settle(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.setRef(false);
  }

  register(ctx: BuildContext): number {
    const contextId = this.nextContext++;
    this.post({ type: 'context', contextId, ctx });
    return contextId;
  }

  forget(contextId: number): void {
    if (!this.failure) this.post({ type: 'forget', contextId });
  }

  build(contextId: number, recipe: CaseRecipe): Promise<Case> {
    if (this.failure) return Promise.reject(new Error(`the case-building worker stopped: ${this.failure.message}`));
    const id = this.nextId++;
    return new Promise<Case>((resolve, reject) => {
      if (this.pending.size === 0) this.setRef(true);
      this.pending.set(id, { resolve, reject });
      this.post({ type: 'build', id, contextId, recipe });
    });
  }

  private post(m: ToBuildWorker): void {
    try {
      this.child.send(m, (e) => e && this.die(e));
    } catch (e) {
      this.die(e as Error);
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  stop(): Promise<void> {
    this.failure ??= new Error('stopped');
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill();
    });
  }
}

let shared: SharedBuildWorker | undefined;

/** The build worker's process id, while one runs (the benchmark reads its memory). */
export function buildWorkerPid(): number | undefined {
  return shared && !shared.failure ? shared.pid : undefined;
}

/** Stops the build worker (builds in flight fail; the next run starts a new one). */
export async function stopBuildWorker(): Promise<void> {
  const w = shared;
  shared = undefined;
  await w?.stop();
}

/**
 * Builds in the build worker (started on first use, restarted if it died), falling back
 * to the calling thread when no worker can start; `onNote` is told of a fallback.
 */
export function workerBuilder(ctx: BuildContext, onNote?: (note: string) => void): CaseBuilder {
  try {
    if (!shared || shared.failure) shared = new SharedBuildWorker();
  } catch (e) {
    onNote?.(`cases are built on the engine's thread: no build worker could start (${(e as Error).message})`);
    return inThreadBuilder(ctx);
  }
  const worker = shared;
  const contextId = worker.register(ctx);
  let fallback: CaseBuilder | undefined;
  return {
    get where() {
      return fallback ? 'in-thread' : 'worker';
    },
    async build(recipe) {
      if (fallback) return fallback.build(recipe);
      try {
        return await worker.build(contextId, recipe);
      } catch (e) {
        // A build that throws is the recipe's failure; a worker that died is not: build here from now on.
        if (!worker.failure) throw e;
        onNote?.(`cases are built on the engine's thread from now on: ${(e as Error).message}`);
        fallback = inThreadBuilder(ctx);
        return fallback.build(recipe);
      }
    },
    close: () => worker.forget(contextId),
  };
}
