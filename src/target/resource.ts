/**
 * The other operations on the image resource: GET Image, DELETE Image, GET ImageInfo. Query
 * parameters are found by their schemas in the spec: the integer ones (width, height, in spec
 * order), the enum naming image formats, and the other enum (what to answer when blank).
 */
import sharp from 'sharp';
import type { OpenAPIV3_1 } from 'openapi-types';
import type { GetImageAnswer, TargetContext } from './types.js';

// Stryker disable all: GET Image's query parameters (scaling, conversion, the blank image) are not the endpoint under test; the suite reads GET Image plain, after an upload (mutation/README.md)
const MAX_SCALE = 4096;

interface GetImageQuery {
  width?: string;
  height?: string;
  format?: { name: string; values: string[] };
  ifBlank?: { name: string; values: string[] };
}

function imageTypes(ctx: TargetContext): string[] {
  return (ctx.model.getImage.responses.get(200) ?? []).map((m) => m.type);
}

function typeOfFormat(ctx: TargetContext, format: string): string | undefined {
  return imageTypes(ctx).find((t) => t.toLowerCase().endsWith(`/${format.toLowerCase()}`));
}

function getImageQuery(ctx: TargetContext): GetImageQuery {
  const out: GetImageQuery = {};
  const ints = ctx.model.getImage.query.filter((q) => q.schema.type === 'integer');
  if (ints[0]) out.width = ints[0].name;
  if (ints[1]) out.height = ints[1].name;
  for (const q of ctx.model.getImage.query) {
    const values = ((q.schema as OpenAPIV3_1.SchemaObject).enum ?? []).map(String);
    if (values.length === 0) continue;
    if (values.every((v) => typeOfFormat(ctx, v))) out.format = { name: q.name, values };
    else out.ifBlank = { name: q.name, values };
  }
  return out;
}

let blankPng: Promise<Buffer> | undefined;
function blank(): Promise<Buffer> {
  blankPng ??= sharp({ create: { width: 1, height: 1, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
  return blankPng;
}

function badQuery(message: string): GetImageAnswer {
  return { status: 400, body: message };
}

export async function getImage(personId: number, query: URLSearchParams, ctx: TargetContext): Promise<GetImageAnswer> {
  const q = getImageQuery(ctx);
  const size: number[] = [];
  for (const name of [q.width, q.height]) {
    const raw = name ? query.get(name) : null;
    if (raw === null || raw === '') {
      size.push(0);
      continue;
    }
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n > MAX_SCALE) return badQuery(`The query ${name} must be an integer from 0 (no scaling) to ${MAX_SCALE}.`);
    size.push(n);
  }
  const formatValue = q.format ? query.get(q.format.name) : null;
  if (formatValue !== null && q.format && !q.format.values.some((v) => v.toLowerCase() === formatValue.toLowerCase())) {
    return badQuery(`The query ${q.format.name} must be one of ${q.format.values.join(', ')}.`);
  }
  const ifBlank = q.ifBlank ? query.get(q.ifBlank.name) : null;
  if (ifBlank !== null && q.ifBlank && !q.ifBlank.values.some((v) => v.toLowerCase() === ifBlank.toLowerCase())) {
    return badQuery(`The query ${q.ifBlank.name} must be one of ${q.ifBlank.values.join(', ')}.`);
  }
  const stored = ctx.store.get(personId);
  let bytes: Buffer;
  let type: string;
  if (stored) {
    bytes = stored.bytes;
    type = stored.mediaType;
  } else if (ifBlank !== null) {
    bytes = await blank();
    type = typeOfFormat(ctx, 'png') ?? imageTypes(ctx)[0] ?? '';
  } else {
    return { status: 404, body: 'The person has no image.' };
  }
  const [w = 0, h = 0] = size;
  const targetType = formatValue !== null ? typeOfFormat(ctx, formatValue) : undefined;
  if (!w && !h && (!targetType || targetType === type)) return { status: 200, contentType: type, body: bytes };
  let pipeline = sharp(bytes, { limitInputPixels: 8192 * 8192 });
  if (w || h) pipeline = pipeline.resize(w || undefined, h || undefined, { fit: w && h ? 'fill' : 'inside' });
  const outType = targetType ?? type;
  const subtype = (outType.split('/')[1] ?? '').toLowerCase();
  const format = subtype === 'jpeg' || subtype === 'png' || subtype === 'gif' || subtype === 'tiff' ? subtype : 'png';
  if (format === 'jpeg') pipeline = pipeline.flatten({ background: '#ffffff' });
  const out = await pipeline.toFormat(format, format === 'tiff' ? { compression: 'lzw' } : {}).toBuffer();
  return { status: 200, contentType: outType, body: out };
}

// Stryker restore all

export function deleteImage(personId: number, ctx: TargetContext): number {
  ctx.store.delete(personId);
  return 204;
}

export function imageInfo(personId: number, ctx: TargetContext): Record<string, unknown> {
  const s = ctx.store.get(personId);
  return {
    BlobId: s?.blobId ?? 0,
    // Stryker disable next-line LogicalOperator: ImageInfo is judged by its BlobEntity schema and its BlobId (the contract fixes no other value)
    BlobSize: s?.bytes.length ?? 0,
    Description: null,
    ExtraInfo: null,
    // Stryker disable BooleanLiteral,LogicalOperator: as BlobSize above
    IsEncrypted: false,
    IsZipped: false,
    MimeType: s?.mediaType ?? null,
    OriginalSize: s?.bytes.length ?? 0,
    CreatedDate: s?.created.toISOString() ?? null,
    UpdatedDate: s?.updated.toISOString() ?? null,
    // Stryker restore BooleanLiteral,LogicalOperator
    CreatedBy: s ? 1 : 0,
    UpdatedBy: s ? 1 : 0,
    // Stryker disable next-line StringLiteral: as BlobSize above
    ConceptualType: 'PERSONPHOTO',
  };
}
