/** Power targets for language, culture and time-zone values the docs name. */
import type { IncomingHttpHeaders } from 'node:http';
import { defaultBehaviour as d } from '../../../src/target/behaviour.js';
import type { TargetContext } from '../../../src/target/types.js';
import type { PowerTarget } from './types.js';

const header = (h: IncomingHttpHeaders, name: string) => String(h[name.toLowerCase()] ?? '');

/** Refuses (400) requests whose header `name` matches `bad`, else the reference target's authentication. */
const refusing = (name: string, bad: (value: string) => boolean) => ({
  authenticate: (h: IncomingHttpHeaders, c: TargetContext) => (bad(header(h, name)) ? { ok: false as const, status: 400, message: `bad ${name}` } : d.authenticate(h, c)),
});

export const languageTargets: PowerTarget[] = [
  {
    name: 'refuses a region code in Accept-Language',
    valueClass: 'language-headers: Accept-Language: a region code',
    behaviour: refusing('Accept-Language', (v) => /^[a-z]{2}-[a-z]{2}$/i.test(v.trim())),
    caughtBy: 'language-headers-valid',
  },
  {
    name: 'refuses SO-Language *',
    valueClass: 'language-headers: SO-Language: *',
    behaviour: refusing('SO-Language', (v) => v.trim() === '*'),
    caughtBy: 'language-headers-valid',
  },
];
