/**
 * `run --har all`: every exchange of the run, streamed into <report-dir>/exchanges.har as it
 * ends. The target session hands each exchange over (its `onExchange`); it is redacted with the
 * run's Redactor (src/run/har-exchange.ts), written as one HAR entry, and forgotten: the run keeps
 * none in memory, and a write the disk has not taken yet holds up the next exchange (the stream's
 * back-pressure) instead of piling up. The file is written under a temporary name and renamed
 * when the run ends, so a reader never sees half a HAR; a run that ends in an error (no report)
 * leaves none. A failed write never stops the run: the report's notes say the file is missing.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { exchangesHarFileName, harEntry, harFrame } from '../../reporters/har.js';
import { ConfigError } from '../errors.js';
import type { Redactor } from '../transport/redact.js';
import type { SessionExchange } from '../transport/target-session.js';
import { toolName, toolVersion } from '../version.js';
import { redactedExchange } from './har-exchange.js';

function reasonOf(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

export class HarRecorder {
  private written = 0;
  private failure: string | undefined;
  private closed = false;
  private readonly tail: string;

  private constructor(
    readonly path: string,
    private readonly tmp: string,
    private readonly stream: WriteStream,
    tail: string,
  ) {
    this.tail = tail;
    stream.on('error', (e) => (this.failure ??= reasonOf(e)));
  }

  /** Opens <dir>/exchanges.har (under a temporary name) and writes the HAR's head. Throws ConfigError when it cannot. */
  static async open(dir: string, comment: string): Promise<HarRecorder> {
    const path = join(dir, exchangesHarFileName);
    const tmp = `${path}.${process.pid}.${Date.now().toString(36)}.tmp`;
    const { head, tail } = harFrame({ name: toolName, version: toolVersion }, comment);
    try {
      await mkdir(dir, { recursive: true });
      const stream = createWriteStream(tmp, { flags: 'wx' });
      await once(stream, 'open');
      stream.write(head);
      return new HarRecorder(path, tmp, stream, tail);
    } catch (e) {
      throw new ConfigError(`--har all: ${path} cannot be written: ${reasonOf(e)}`);
    }
  }

  /** Exchanges written so far. */
  get count(): number {
    return this.written;
  }

  /** Writes one exchange, redacted; never throws (a failed write is told by `close`; one after `close` is dropped). */
  async record(e: SessionExchange, redactor: Redactor): Promise<void> {
    if (this.failure !== undefined || this.closed) return;
    try {
      const n = ++this.written;
      const entry = JSON.stringify(harEntry(redactedExchange(e, redactor, n)));
      if (!this.stream.write(n > 1 ? `,\n${entry}` : entry)) await once(this.stream, 'drain');
    } catch (err) {
      this.failure ??= reasonOf(err);
    }
  }

  /**
   * Ends the file: renamed into place when `keep` (the run has a report), removed otherwise.
   * Returns the note for report.notes: how many exchanges it holds, or why there is no file.
   */
  async close(keep: boolean): Promise<string | undefined> {
    this.closed = true;
    if (this.failure === undefined) {
      try {
        this.stream.end(this.tail);
        await finished(this.stream);
        if (keep) await rename(this.tmp, this.path);
      } catch (e) {
        this.failure ??= reasonOf(e);
      }
    } else this.stream.destroy();
    if (this.failure === undefined && keep) return `${exchangesHarFileName} holds every exchange of the run (${this.written}), redacted (--har all)`;
    await unlink(this.tmp).catch(() => undefined);
    return this.failure === undefined ? undefined : `${exchangesHarFileName} could not be written (${this.failure}): there is none for this run (--har all)`;
  }
}
