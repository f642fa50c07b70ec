/**
 * A small example integration, as a partner would write one: it uploads person images to the
 * SuperOffice WebAPI with fetch (Node's, i.e. undici). `wellBehaved` keeps every client rule;
 * each other function breaks exactly one, the way real integrations do.
 */
import sharp from 'sharp';

export interface Integration {
  /** The base URL up to and including /api/v1 (here: the proxy's). */
  baseUrl: string;
  personId: number;
  /** The Authorization header value. */
  authorization: string;
}

/** An 8x8 PNG and JPEG (fixed pixels: no random input). */
export async function sampleImages(): Promise<{ png: Buffer; jpeg: Buffer }> {
  const create = { width: 8, height: 8, channels: 3 as const, background: { r: 200, g: 40, b: 90 } };
  return { png: await sharp({ create }).png().toBuffer(), jpeg: await sharp({ create }).jpeg().toBuffer() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function imageUrl(i: Integration): string {
  return `${i.baseUrl}/Person/${i.personId}/Image`;
}

/** PUT of a raw body with its Content-Type; the answer's status and Retry-After. */
async function putRaw(i: Integration, bytes: Buffer, contentType: string, authorization = i.authorization): Promise<{ status: number; retryAfter: string | null }> {
  const res = await fetch(imageUrl(i), { method: 'PUT', headers: { authorization, 'content-type': contentType, accept: 'application/json' }, body: bytes });
  await res.arrayBuffer();
  return { status: res.status, retryAfter: res.headers.get('retry-after') };
}

async function putMultipart(i: Integration, field: string, bytes: Buffer, type: string): Promise<number> {
  const form = new FormData();
  form.append(field, new Blob([bytes], { type }), 'photo');
  const res = await fetch(imageUrl(i), { method: 'PUT', headers: { authorization: i.authorization }, body: form });
  await res.arrayBuffer();
  return res.status;
}

/** Uploads raw and multipart, reads ImageInfo, at a gentle pace; waits out a 429 or 503 as Retry-After asks. */
export async function wellBehaved(i: Integration): Promise<void> {
  const { png, jpeg } = await sampleImages();
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = await putRaw(i, png, 'image/png');
    if ((r.status !== 429 && r.status !== 503) || r.retryAfter === null) break;
    await sleep(Number(r.retryAfter) * 1000);
  }
  await sleep(150);
  await putMultipart(i, 'image', jpeg, 'image/jpeg');
  await sleep(150);
  const info = await fetch(`${i.baseUrl}/Person/${i.personId}/ImageInfo`, { headers: { authorization: i.authorization } });
  await info.arrayBuffer();
}

/** Declares a PNG as image/jpeg. */
export async function wrongDeclaredType(i: Integration): Promise<void> {
  await putRaw(i, (await sampleImages()).png, 'image/jpeg');
}

/** Sends the image in a multipart field named `file`, not `image`. */
export async function noImageField(i: Integration): Promise<void> {
  await putMultipart(i, 'file', (await sampleImages()).png, 'image/png');
}

/** Gets a 429 and sends again at once, whatever Retry-After says. */
export async function ignoresRetryAfter(i: Integration): Promise<void> {
  const { png } = await sampleImages();
  const first = await putRaw(i, png, 'image/png');
  if (first.status !== 429) throw new Error(`the example expected a 429 first, got ${first.status}`);
  await putRaw(i, png, 'image/png');
}

/** Sends the same wrong password again and again, right after each 401. */
export async function hammersAfter401(i: Integration, badAuthorization: string, times = 6): Promise<void> {
  const { png } = await sampleImages();
  for (let n = 0; n < times; n++) await putRaw(i, png, 'image/png', badAuthorization);
}

/** Twenty uploads at once: twenty requests within a second. */
export async function twentyAtOnce(i: Integration): Promise<void> {
  const { png } = await sampleImages();
  await Promise.all(Array.from({ length: 20 }, () => putRaw(i, png, 'image/png')));
}
