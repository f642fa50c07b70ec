/**
 * The proxy's body inspector in a child process of its own, started by inspector-process.ts at the
 * lowest CPU priority: it reads the spec once, from the path it is given, and answers each
 * inspection (inspectBody: Content-Type, multipart, every pixel decoded by sharp) one at a time, in
 * the order they came. It never ends on its own: it exits when the proxy disconnects (closes it)
 * or goes away.
 */
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { loadSpec } from '../spec/load.js';
import type { SpecModel } from '../spec/model.js';
import { inspectBody } from './body-inspection.js';
import type { InspectorReply, InspectorRequest } from './inspector-protocol.js';

if (!process.send) throw new Error('inspector-child runs as a child process with an IPC channel (see inspector-process.ts)');

/** Tells the proxy why this process stops (one line), then exits. */
function die(e: unknown): void {
  const message = String((e as Error | undefined)?.message ?? e).split('\n')[0] ?? '';
  const exit = () => process.exit(1);
  if (process.connected) process.send!({ kind: 'fatal', message } satisfies InspectorReply, undefined, {}, exit);
  else exit();
}

function send(message: InspectorReply): void {
  // A proxy that went away is told by 'disconnect' below; an answer it can no longer take is dropped.
  process.send!(message, undefined, {}, () => undefined);
}

/**
 * Linux sets a priority per thread: the proxy lowered this process's main thread just after it
 * started, and a thread node started before that (a race on a busy machine) would keep the normal
 * priority. Each thread is given the main thread's; threads started later inherit it.
 */
function everyThreadAtMainPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    const nice = getPriority();
    for (const tid of readdirSync('/proc/self/task')) if (getPriority(Number(tid)) < nice) setPriority(Number(tid), nice);
  } catch {
    // as it is
  }
}

let loaded: Promise<{ model: SpecModel; maxBodyBytes: number }> | undefined;
let queue: Promise<void> = Promise.resolve();

async function answer(m: Extract<InspectorRequest, { kind: 'inspect' }>): Promise<void> {
  if (!loaded) return die('the body inspector was asked to inspect before it was started');
  const { model, maxBodyBytes } = await loaded;
  try {
    send({ kind: 'facts', id: m.id, facts: await inspectBody(model, { contentType: m.contentType, bytes: m.bytes, size: m.size }, maxBodyBytes) });
  } catch (e) {
    send({ kind: 'failed', id: m.id, message: String((e as Error | undefined)?.message ?? e) });
  }
}

process.on('message', (m: InspectorRequest) => {
  if (m.kind === 'start') {
    everyThreadAtMainPriority();
    loaded = loadSpec(m.specPath).then((spec) => {
      send({ kind: 'ready', sha256: spec.sha256 });
      return { model: spec.model, maxBodyBytes: m.maxBodyBytes };
    });
    loaded.catch(die);
    return;
  }
  queue = queue.then(() => answer(m)).catch(die);
});
// The proxy closed this inspector, or went away: nothing is left to inspect for.
process.once('disconnect', () => process.exit(0));
// Ctrl-C in a terminal reaches the whole process group: the proxy decides when this process ends
// (it still has exchanges to judge before it closes).
process.on('SIGINT', () => undefined);
process.on('uncaughtException', die);
process.on('unhandledRejection', die);
