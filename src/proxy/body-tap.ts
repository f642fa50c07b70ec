/**
 * A pass-through stream that keeps a copy of the first bytes flowing through it (up to a limit)
 * and counts them all: the proxy streams a body on unchanged and judges the copy afterwards.
 */
import { Transform, type TransformCallback } from 'node:stream';

export class BodyTap extends Transform {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  /** Bytes that flowed through. */
  size = 0;

  /** `limit`: the most bytes kept; beyond it the copy is dropped (`overLimit`). */
  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size <= this.limit) {
      this.chunks.push(chunk);
      this.kept += chunk.length;
    } else if (this.chunks.length > 0) {
      // Over the limit: the copy is of no use any more (a partial body is not judged); let it go.
      this.chunks.length = 0;
      this.kept = 0;
    }
    done(null, chunk);
  }

  /** The body went over the limit: no copy is kept. */
  get overLimit(): boolean {
    return this.size > this.limit;
  }

  /** The copy of the whole body (empty when it went over the limit). */
  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.kept);
  }
}
