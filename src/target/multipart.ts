/**
 * Taking the image out of the body: the raw body itself, or the multipart part named by the
 * spec (`model.multipart.field`), parsed with busboy.
 */
import busboy from 'busboy';
import type { ContentTypeDecision, Result, TargetContext } from './types.js';

const missing = (ctx: TargetContext): { ok: false; status: number; message: string } => ({
  ok: false,
  status: 400,
  // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
  message: `Image bitmap is missing from body: no multipart field '${ctx.model.multipart.field}'.`,
});

const MALFORMED = {
  ok: false,
  status: 400,
  // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
  message: 'The multipart body is malformed.',
} as const;

function fromMultipart(contentType: string, body: Buffer, ctx: TargetContext): Promise<Result<{ bytes: Buffer }>> {
  const field = ctx.model.multipart.field;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (r: Result<{ bytes: Buffer }>): void => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: { 'content-type': contentType },
        defParamCharset: 'utf8',
        // latin1 keeps every byte of a part sent without a file name (busboy treats it as a text field).
        defCharset: 'latin1',
        limits: { fileSize: ctx.maxBodyBytes, fieldSize: ctx.maxBodyBytes, parts: 1000, headerPairs: 100 },
      });
    } catch {
      settle(MALFORMED);
      return;
    }
    let found: Buffer | undefined;
    const pending: Promise<void>[] = [];
    bb.on('file', (name, stream) => {
      stream.on('error', () => settle(MALFORMED));
      if (name !== field || found !== undefined) {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      found = Buffer.alloc(0);
      pending.push(
        new Promise<void>((done) => {
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            found = Buffer.concat(chunks);
            done();
          });
          stream.on('close', () => done());
          stream.on('error', () => done());
        }),
      );
    });
    bb.on('field', (name, value) => {
      if (name !== field || found !== undefined) return;
      found = Buffer.from(value, 'latin1');
    });
    bb.on('error', () => settle(MALFORMED));
    bb.on('close', () => {
      void Promise.all(pending).then(() => settle(found === undefined ? missing(ctx) : { ok: true, bytes: found }));
    });
    try {
      bb.end(body);
    } catch {
      settle(MALFORMED);
    }
  });
}

export function extractImage(decision: ContentTypeDecision & { ok: true }, body: Buffer, ctx: TargetContext): Promise<Result<{ bytes: Buffer }>> {
  if (decision.kind === 'raw') return Promise.resolve({ ok: true, bytes: body });
  return fromMultipart(`${decision.mediaType}; boundary="${decision.boundary.replace(/["\\]/g, '')}"`, body, ctx);
}
