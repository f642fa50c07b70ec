/** Power targets for bodies that are no image, under an image type. */
import { defaultBehaviour as d } from '../../../src/target/behaviour.js';
import type { PowerTarget } from './types.js';

export const bodyTargets: PowerTarget[] = [
  {
    // Accepting SVG as a photo is a stored cross-site-scripting hole.
    name: 'accepts SVG as an image',
    valueClass: 'invalid-body: svg',
    behaviour: {
      validateImage: async (b, t, c) =>
        /^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/i.test(b.subarray(0, 256).toString('utf8'))
          ? { ok: true, format: 'png', mediaType: 'image/png', width: 1, height: 1, pages: 1 }
          : d.validateImage(b, t, c),
    },
    caughtBy: 'no-signature-rejected',
  },
];

// The same target, judged where the SVG is the multipart form's image part.
bodyTargets.push({ ...bodyTargets[0]!, name: 'accepts SVG as the multipart image', valueClass: 'invalid-body: svg in multipart', caughtBy: 'multipart-bad-image-rejected' });
