/** ImageInfo's BlobId as the run reads it; the image snapshot itself lives with the target session (src/transport/image-snapshot.ts). */
export { apiBaseHint } from '../transport/image-snapshot.js';

/** The BlobId of a 200 ImageInfo body, or undefined when the body holds none. */
export function blobIdOfImageInfo(status: number | undefined, body: string): number | undefined {
  if (status !== 200) return undefined;
  try {
    const id = (JSON.parse(body) as { BlobId?: unknown }).BlobId;
    return typeof id === 'number' ? id : undefined;
  } catch {
    return undefined;
  }
}
