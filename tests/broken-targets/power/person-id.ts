/**
 * Power targets for a person id segment with a malformed percent-escape (`1%ZZ`, `%`, `%E0%A4%A`),
 * which IIS refuses with 400: a server that decodes leniently (what is no escape stays as it is)
 * and reads the leading digits, so `1%ZZ` names person 1 and the upload is taken; and one whose
 * decoding throws, answered 500. person-id-not-int32-rejected (MUST) catches each. Both decide
 * before any step of the reference target (which sees the segment only once decoded): a front
 * before it that reads the request-target as it arrives.
 */
import { createServer, type Server } from 'node:http';
import { personPath } from '../../../src/spec/model.js';
import { loadSpec } from '../../../src/spec/load.js';
import { pathTemplatePattern } from '../../../src/spec/paths.js';
import { forwardTo } from '../../support/forward.js';
import type { PowerTarget } from './types.js';
import { listenOnLoopback } from '../../support/loopback.js';

/** What the front makes of a person segment: the segment to hand on, or its own answer. */
type SegmentVerdict = { segment: string } | { status: number; message: string };

/** Whether the segment percent-decodes (every `%` followed by two hex digits, the bytes UTF-8). */
function decodes(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a front before `targetUrl` that hands every request on, the person segment of a spec
 * path first passed through `verdict` (the rest of the request as it came).
 */
async function front(targetUrl: string, verdict: (segment: string) => SegmentVerdict): Promise<{ url: string; close(): Promise<void> }> {
  const { model } = await loadSpec();
  const templates = [...new Set(model.operations.map((o) => o.path))];
  const target = new URL(targetUrl);
  const forward = forwardTo(target.origin);
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const [path, query] = q < 0 ? [url, ''] : [url.slice(0, q), url.slice(q)];
    for (const template of templates) {
      const m = pathTemplatePattern(template, '').exec(path);
      if (!m) continue;
      const v = verdict(m[1] ?? '');
      if ('status' in v) {
        req.resume();
        res.writeHead(v.status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ Error: true, ErrorType: 'UriFormatException', ErrorMessage: v.message }));
        return;
      }
      req.url = `${path.slice(0, m.index)}${personPath(template, model.personIdParameter.name, v.segment)}${query}`;
      break;
    }
    forward(req, res);
  });
  const listening = await listenOnLoopback(server);
  return { url: `${listening.origin}${target.pathname}`, close: listening.close };
}

export const personIdTargets: PowerTarget[] = [
  {
    // Falls back to a lenient decode (JavaScript's unescape: a malformed escape stays as it is) and parses the leading digits.
    name: 'decodes a bad percent-escape leniently and reads the leading digits',
    valueClass: "person-id: person id not-int32: a bad percent-escape after the person's id",
    behaviour: {},
    front: (url) => front(url, (segment) => ({ segment: decodes(segment) ? segment : (/^\d+/.exec(unescape(segment))?.[0] ?? segment) })),
    caughtBy: 'person-id-not-int32-rejected',
  },
  {
    // Decodes the path without a catch: the decoder's exception becomes a 500.
    name: 'answers 500 to a bad percent-escape in the person id',
    valueClass: 'person-id: person id not-int32: a bad percent-escape alone',
    behaviour: {},
    front: (url) => front(url, (segment) => (decodes(segment) ? { segment } : { status: 500, message: 'Invalid URI: There is an invalid sequence in the string.' })),
    caughtBy: 'person-id-not-int32-rejected',
  },
];
