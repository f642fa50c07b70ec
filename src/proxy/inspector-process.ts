/**
 * The proxy's body inspection in one child process (inspector-child.ts) at the lowest CPU priority
 * (nice 19), so that decoding the uploads never takes a core from the relaying or from the target:
 * judging catches up when the cores are idle. Inspections are answered in the order they were
 * asked. A child that stops before it is closed fails every inspection waiting and every later one
 * with one line saying so; the child exits when this process closes it, disconnects or goes away.
 */
import type { ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { resolve } from 'node:path';
import type { BodyFacts } from '../checks/client/types.js';
import { forkSibling } from '../fork-child.js';
import type { InspectorReply, InspectorRequest } from './inspector-protocol.js';

/** The lowest priority (the highest nice value). */
const LOWEST_PRIORITY = 19;
/** How long a closed child may take to exit before it is killed. */
const CLOSE_GRACE_MS = 5_000;

export interface InspectorOptions {
  /** The spec the proxy read; the child reads the same file. */
  specPath: string;
  /** Its sha256, as the proxy read it: a child that reads other bytes inspects nothing. */
  specSha256: string;
  /** The most bytes of a body inspected (inspectBody's limit). */
  maxBodyBytes: number;
}


/** The last line of the child's stderr that says something (not a stack frame, not node's version). */
function reasonIn(stderr: string): string {
  const line = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at ') && !/^Node\.js v\d/.test(l))
    .at(-1);
  return line ? `: ${line.slice(0, 300)}` : '';
}

interface Waiting {
  resolve(facts: BodyFacts): void;
  reject(e: Error): void;
}

export class BodyInspector {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<number, Waiting>();
  private next = 0;
  private stderr = '';
  /** Why no inspection can be answered any more (the child stopped, or was closed). */
  private failure: Error | undefined;
  private closing = false;
  private sendError: Error | undefined;
  /** Why the child said it stops. */
  private fatal: string | undefined;
  /** Settles once the child has exited and its channel is closed. */
  private readonly gone: Promise<void>;

  constructor(o: InspectorOptions) {
    this.child = forkSibling(import.meta.url, 'inspector-child');
    const pid = this.child.pid;
    try {
      // Relaying and the target get the cores first. Not permitted (some containers): normal priority.
      if (pid !== undefined) setPriority(pid, LOWEST_PRIORITY);
    } catch {
      // carry on at normal priority
    }
    this.child.stderr?.setEncoding('utf8').on('data', (d: string) => (this.stderr = (this.stderr + d).slice(-4096)));
    this.child.on('message', (m: InspectorReply) => this.onReply(m, o));
    this.gone = new Promise<void>((done) => {
      let exit: string | undefined;
      let disconnected = false;
      // Once the child has exited and its channel is drained (its last messages are read before
      // 'disconnect'). Not 'close': that waits for stderr, which a grandchild (tsx's esbuild) may hold.
      const ended = () => {
        if (exit === undefined || !disconnected) return;
        const detail = this.fatal !== undefined ? `: ${this.fatal}` : this.sendError ? `: ${this.sendError.message}` : reasonIn(this.stderr);
        this.fail(this.closing ? new Error('the body inspector was closed') : new Error(`the body inspector stopped unexpectedly (${exit})${detail}`));
        done();
      };
      this.child.on('error', (e) => {
        // Only a child that never started ends here; after a start, 'exit' follows.
        if (this.child.pid !== undefined) return;
        this.fail(new Error(`the body inspector could not start: ${e.message}`));
        done();
      });
      this.child.on('disconnect', () => {
        disconnected = true;
        ended();
      });
      this.child.on('exit', (code, signal) => {
        exit = signal ? `signal ${signal}` : `exit code ${code}`;
        ended();
      });
    });
    this.post({ kind: 'start', specPath: resolve(o.specPath), maxBodyBytes: o.maxBodyBytes });
  }

  /** The child's process id (undefined when it could not start). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The body's facts, as inspectBody finds them, from the child. */
  inspect(contentType: string | undefined, bytes: Buffer | undefined, size: number): Promise<BodyFacts> {
    if (this.failure) return Promise.reject(this.failure);
    const id = ++this.next;
    return new Promise<BodyFacts>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.post({ kind: 'inspect', id, contentType, bytes, size });
    });
  }

  /** Ends the child (inspections still waiting fail) and resolves once it has exited. */
  async close(): Promise<void> {
    if (!this.closing) {
      this.closing = true;
      if (this.child.connected) this.child.disconnect();
      const kill = setTimeout(() => this.child.kill('SIGKILL'), CLOSE_GRACE_MS);
      await this.gone;
      clearTimeout(kill);
    }
    await this.gone;
  }

  private post(m: InspectorRequest): void {
    if (!this.child.connected) return;
    this.child.send(m, undefined, {}, (e) => {
      if (!e || this.failure) return;
      // A channel that fails is a child in no known state: it is ended, and its exit fails what waits.
      this.sendError ??= e;
      this.child.kill('SIGKILL');
    });
  }

  private onReply(m: InspectorReply, o: InspectorOptions): void {
    if (m.kind === 'fatal') {
      this.fatal ??= m.message;
      return;
    }
    if (m.kind === 'ready') {
      if (m.sha256 !== o.specSha256) this.stop(new Error(`the body inspector read another spec than the proxy (${o.specPath} changed while the proxy started)`));
      return;
    }
    const w = this.waiting.get(m.id);
    if (!w) return;
    this.waiting.delete(m.id);
    if (m.kind === 'facts') w.resolve(m.facts);
    else w.reject(new Error(m.message));
  }

  private stop(e: Error): void {
    this.fail(e);
    this.child.kill('SIGKILL');
  }

  /** From now on every inspection fails with `e` (the first reason given stays). */
  private fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiting.values()) w.reject(this.failure);
    this.waiting.clear();
  }
}
