/**
 * A recorded request or response body: its size and type, a thumbnail when it is a whole image
 * (a data: URL of strict base64 only), a hex dump and a text preview.
 */
import { sniffImageFormat } from '../../src/generate/images/media-types.js';
import type { BodyPreview } from '../../src/report/types.js';
import { int, plural, text } from './format.js';

const imageType = /^image\/[a-z0-9][a-z0-9.+-]*$/i;
const base64Text = /^[A-Za-z0-9+/]*={0,2}$/;
const hexText = /^(?:[0-9a-fA-F]{2})*$/;
const maxHexBytes = 4096;
const maxTextChars = 64 * 1024;

let uid = 0;

/** Numbers the thumbnails of one page from 1 again (render() calls it first). */
export function resetBodyIds(): void {
  uid = 0;
}

/** The image type the bytes' signature names: the four formats the project knows, then BMP and WebP. */
function sniffImageType(bytes: Buffer): string | undefined {
  const f = sniffImageFormat(bytes);
  if (f) return `image/${f}`;
  const starts = (...sig: number[]): boolean => sig.every((b, i) => bytes[i] === b);
  if (starts(0x42, 0x4d)) return 'image/bmp';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return undefined;
}

/** `00000000  89 50 4e 47 ...  |.PNG....|` lines. */
function hexDump(bytes: Buffer): string {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.subarray(off, off + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0'));
    const left = hex.slice(0, 8).join(' ');
    const right = hex.slice(8).join(' ');
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(8, '0')}  ${left.padEnd(23)}  ${right.padEnd(23)}  |${ascii}|`);
  }
  return lines.join('\n');
}

function bodyMeta(body: BodyPreview): string {
  const meta: string[] = [];
  if (body.mediaType) meta.push(`<code>${text(body.mediaType)}</code>`);
  meta.push(plural(body.size, 'byte'));
  if (body.file) {
    // Only a plain relative path becomes a link; anything else is shown as text.
    const safe = /^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9._\-/]+$/.test(body.file);
    meta.push(safe ? `whole body: <a href="${text(body.file)}">${text(body.file)}</a>` : `whole body: <code>${text(body.file)}</code>`);
  }
  return `<p class="body-meta">${meta.join(' · ')}</p>`;
}

interface Decoded {
  /** The whole body as strict base64 (whitespace removed), when it was recorded as an image. */
  b64: string | undefined;
  imageBytes: Buffer | undefined;
  hexBytes: Buffer | undefined;
  /** A hex preview that is not hex: shown as text. */
  hexRaw: string | undefined;
}

function decode(body: BodyPreview): Decoded {
  let imageBytes: Buffer | undefined;
  const b64 = body.imageBase64?.replace(/\s+/g, '');
  if (b64 && base64Text.test(b64)) imageBytes = Buffer.from(b64, 'base64');

  let hexBytes: Buffer | undefined;
  let hexRaw: string | undefined;
  if (imageBytes && imageBytes.length > 0) {
    // The whole body is here: its hex preview needs no separate field.
    hexBytes = imageBytes.subarray(0, 512);
  } else if (body.hex !== undefined) {
    const h = body.hex.replace(/[\s:]+/g, '');
    if (hexText.test(h)) hexBytes = Buffer.from(h, 'hex');
    else hexRaw = body.hex;
  }
  return { b64, imageBytes, hexBytes, hexRaw };
}

function thumbnail(body: BodyPreview, d: Decoded, label: string): string {
  if (!d.imageBytes || d.imageBytes.length === 0) return '';
  const declared = body.mediaType?.split(';')[0]?.trim() ?? '';
  const type = imageType.test(declared) ? declared.toLowerCase() : (sniffImageType(d.imageBytes) ?? 'application/octet-stream');
  const id = `thumb-${++uid}`;
  return (
    `<figure class="thumb-fig">` +
    `<div class="thumb-box"><img class="thumb" id="${id}" src="data:${text(type)};base64,${d.b64 ?? ''}" alt="${text(`${label}: the image sent (${type}, ${body.size} bytes)`)}" data-type="${text(type)}"></div>` +
    `<figcaption><span class="thumb-note">${text(type)}</span> <span class="thumb-dim"></span></figcaption>` +
    `</figure>`
  );
}

function hexPreview(body: BodyPreview, d: Decoded, label: string, folded: boolean): string {
  if (d.hexBytes && d.hexBytes.length > 0) {
    const shown = d.hexBytes.subarray(0, maxHexBytes);
    const of = shown.length < body.size ? `first ${plural(shown.length, 'byte')} of ${int(body.size)}` : plural(shown.length, 'byte');
    const pre = `<pre class="hex" tabindex="0" aria-label="${text(`${label} body in hex`)}">${text(hexDump(shown))}</pre>`;
    return folded
      ? `<details class="hexmore"><summary>Hex preview (${of})</summary>${pre}</details>`
      : `<p class="small muted">Hex preview (${of}):</p>${pre}`;
  }
  if (d.hexRaw !== undefined) return `<pre class="hex" tabindex="0">${text(d.hexRaw.slice(0, maxHexBytes * 3))}</pre>`;
  return '';
}

function textPreview(body: BodyPreview, label: string): string {
  if (body.text === undefined || body.text.length === 0) return '';
  const shown = body.text.slice(0, maxTextChars);
  const bytes = Buffer.byteLength(shown, 'utf8');
  const of = bytes < body.size ? ` (first ${plural(bytes, 'byte')} of ${int(body.size)})` : '';
  return `<p class="small muted">As text${of}:</p><pre class="text" tabindex="0" aria-label="${text(`${label} body as text`)}">${text(shown)}</pre>`;
}

export function renderBody(body: BodyPreview | undefined, label: string): string {
  if (!body) return `<p class="muted">No body.</p>`;
  const parts: string[] = [bodyMeta(body)];
  if (body.size === 0) {
    parts.push(`<p class="muted">Empty body.</p>`);
    return `<div class="body">${parts.join('')}</div>`;
  }
  const d = decode(body);
  const thumb = thumbnail(body, d, label);
  const hex = hexPreview(body, d, label, thumb !== '');
  const textPart = textPreview(body, label);
  if (!thumb && !hex && !textPart) parts.push(`<p class="muted">No preview recorded.</p>`);
  parts.push(thumb, textPart, hex);
  return `<div class="body">${parts.join('')}</div>`;
}
