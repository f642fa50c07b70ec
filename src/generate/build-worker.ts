/**
 * The build worker's process (see case-builder.ts): builds the cases it is asked for, one at a
 * time, in the order asked, and exits when the engine's process goes away.
 */
import { buildCase, type BuildContext } from './build.js';
import type { FromBuildWorker, ToBuildWorker } from './case-builder.js';

if (!process.send) throw new Error('build-worker runs as a child process with an IPC channel (see case-builder.ts)');
const send = process.send.bind(process);

const contexts = new Map<number, BuildContext>();
/** Builds answered; every GC_EVERY-th is followed by a full collection (see below). */
let builds = 0;
const GC_EVERY = 256;

async function handle(m: ToBuildWorker): Promise<void> {
  if (m.type === 'context') return void contexts.set(m.contextId, m.ctx);
  if (m.type === 'forget') return void contexts.delete(m.contextId);
  let out: FromBuildWorker;
  try {
    const ctx = contexts.get(m.contextId);
    if (!ctx) throw new Error(`build worker: unknown context ${m.contextId}`);
    out = { type: 'built', id: m.id, c: await buildCase(ctx, m.recipe) };
  } catch (e) {
    const err = e as Error;
    out = { type: 'failed', id: m.id, message: err.message ?? String(e), ...(err.stack ? { stack: err.stack } : {}) };
  }
  send(out);
  // The worker's garbage is mostly body buffers, which V8 counts as external memory and collects
  // late: left alone, its peak RSS grew from ~150 to ~270 MB between 100 and 5,000 runs per
  // family; a full collection every 256 builds (a few ms) keeps it at ~165 MB (bench/README.md).
  if (++builds % GC_EVERY === 0) (globalThis as { gc?: () => void }).gc?.();
}

// Messages are handled in the order they came, one build at a time (a context is forgotten only
// after the builds asked before it).
let queue: Promise<void> = Promise.resolve();
process.on('message', (m: ToBuildWorker) => {
  queue = queue.then(() => handle(m));
});
process.on('disconnect', () => process.exit(0));
// Ctrl-C reaches the whole process group: the engine's process stops the run (and restores the
// image); the worker keeps answering until the engine goes away (disconnect, above).
process.on('SIGINT', () => {});
