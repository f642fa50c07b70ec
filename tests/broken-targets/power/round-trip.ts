/** Power targets for what GET Image answers after an upload. */
import { defaultBehaviour as d } from '../../../src/target/behaviour.js';
import type { TargetBehaviour } from '../../../src/target/types.js';
import type { PowerTarget } from './types.js';

/** Stores every upload, but GET Image answers the one before the latest (a cache that is never refreshed). */
function servesThePreviousImage(): Partial<TargetBehaviour> {
  const history = new Map<number, { bytes: Buffer; mediaType: string }[]>();
  return {
    storeImage(personId, bytes, image, ctx) {
      const list = history.get(personId) ?? [];
      list.push({ bytes, mediaType: image.mediaType });
      history.set(personId, list.slice(-2));
      return d.storeImage(personId, bytes, image, ctx);
    },
    async getImage(personId, query, ctx) {
      const list = history.get(personId);
      const previous = list && list.length === 2 ? list[0]! : undefined;
      return previous ? { status: 200, contentType: previous.mediaType, body: previous.bytes } : d.getImage(personId, query, ctx);
    },
  };
}

export const roundTripTargets: PowerTarget[] = [
  {
    name: 'serves the image before the latest upload',
    valueClass: 'round-trip: png raw',
    behaviour: servesThePreviousImage(),
    caughtBy: 'image-readable-after-upload',
  },
];
