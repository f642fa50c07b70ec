/**
 * A multipart body framed as .NET's HttpClient (`MultipartFormDataContent`) frames it, which
 * integrations written in C# send: a GUID boundary in quotes in the Content-Type
 * (`multipart/form-data; boundary="…"`), each part's Content-Type before its Content-Disposition,
 * and the disposition's parameters unquoted (quoted only when they are no token, as .NET does) with
 * an RFC 5987 `filename*` beside `filename`:
 *
 *   --3f2b…\r\n
 *   Content-Type: image/png\r\n
 *   Content-Disposition: form-data; name=image; filename=image.png; filename*=utf-8''image.png\r\n
 *   \r\n
 *   <bytes>\r\n
 *   --3f2b…--\r\n
 *
 * Written by hand because the point is these exact bytes: undici's FormData (the other framing)
 * quotes the names and not the boundary, as browsers do.
 */
import { randomUUID } from 'node:crypto';

export interface FramedPart {
  field: string;
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

/**
 * The Content-Type a multipart body went out with, as records show it (the boundary elided):
 * undici's FormData sends `multipart/form-data; boundary=…`, the .NET framing its own media type
 * with the boundary in quotes.
 */
export function shownMultipartType(framing: { mediaType: string } | undefined): string {
  return framing ? `${framing.mediaType}; boundary="…"` : 'multipart/form-data; boundary=…';
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A parameter value as .NET writes it: bare when it is a token, else quoted. */
function param(value: string): string {
  return TOKEN.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&')}"`;
}

export function frameAsDotnet(parts: readonly FramedPart[], mediaType: string): { payload: Uint8Array; contentType: string } {
  const boundary = randomUUID();
  const chunks: Uint8Array[] = [];
  for (const p of parts) {
    const head = `--${boundary}\r\nContent-Type: ${p.contentType}\r\nContent-Disposition: form-data; name=${param(p.field)}; filename=${param(p.filename)}; filename*=utf-8''${encodeURIComponent(p.filename)}\r\n\r\n`;
    // Stryker disable next-line StringLiteral: the framing is ASCII (the field and file names the suite sends), the same bytes in UTF-8
    chunks.push(Buffer.from(head, 'latin1'), p.bytes, Buffer.from('\r\n', 'latin1'));
  }
  // Stryker disable next-line StringLiteral: as above
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
  return { payload: Buffer.concat(chunks), contentType: `${mediaType}; boundary="${boundary}"` };
}
