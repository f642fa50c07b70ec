/**
 * language-headers: a small valid upload with language, culture and time-zone headers. Each case
 * is first sent without them (the baseline its answer is compared with).
 */
import type { CaseExtra } from '../../checks/types.js';
import type { Case } from '../case.js';
import { languageHeaders } from '../language.js';
import { NO_TRAITS, recipe } from './shared.js';
import type { FamilyDefinition } from './types.js';
import { languageClasses } from './classes.js';

/** The case's headers without its language headers. */
function baselineHeaders(c: Case): Record<string, string> {
  const langNames = new Set(c.recipe.language.map((h) => h.name.toLowerCase()));
  return Object.fromEntries(Object.entries(c.headers).filter(([k]) => !langNames.has(k)));
}

export const languageHeadersFamily: FamilyDefinition = {
  name: 'language-headers',
  serial: false,
  expectHealthy: false,
  traits: { ...NO_TRAITS, comparedWithLanguageBaseline: true },
  classes: (ctx) => languageClasses(ctx.model),
  recipes: (g) => recipe({ family: 'language-headers', method: g.method, person: g.me, auth: g.valid, body: g.smallBody, language: languageHeaders(g.ctx.model) }),
  // The baseline and the case.
  requestsPerCase: () => 2,
  async execute(io, c) {
    const extra: CaseExtra = {};
    const b = await io.send(baselineHeaders(c));
    if (b.status !== undefined) extra.baselineStatus = b.status;
    return { o: await io.send(), extra };
  },
};
