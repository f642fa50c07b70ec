/**
 * `run --dry-run`: what a run would do, computed offline (nothing is sent, no target is opened):
 * rules, the case families and their cases, the requests (what each family says a case costs:
 * the case and its extra reads), the bytes uploaded and the duration at the configured rate.
 * Also the upload budget's default.
 */
import fc from 'fast-check';
import type { Credential } from '../config/credentials.js';
import type { RunConfig } from '../config/run-config.js';
import { buildCase } from '../generate/build.js';
import { loadSpec } from '../spec/load.js';
import { loadRules } from '../spec/rules.js';
import { bodySize } from '../transport/target-session.js';
import { isUrl, pactSources, readPactFile } from '../pact/pact-file.js';
import { casesOf, familiesToRun, familySeed, selectRules } from './selection.js';
import { isLoopbackUrl, REMOTE_DEFAULT_RATE, uploadBudgetBytes } from './loopback.js';

/** Cases rendered per family to estimate the bytes; the mean is scaled to `runs`. */
const PLAN_SAMPLE = 25;
/** Most requests the shrinking of one broken rule sends (EngineOptions.maxShrinkRequests' default). */
const SHRINK_REQUESTS_PER_RULE = 60;

interface FamilyPlan {
  name: string;
  serial: boolean;
  cases: number;
  /** Requests of the survey: the cases and their extra reads. */
  requests: number;
  /** Request-body bytes of the survey (estimated from a rendered sample when runs > PLAN_SAMPLE). */
  bytes: number;
  rules: string[];
}

export interface RunPlan {
  target: string;
  loopback: boolean;
  rate?: number;
  concurrency: number;
  runs: number;
  seed: number;
  rules: string[];
  families: FamilyPlan[];
  /** Reachability read, image snapshot (GET Image, GET ImageInfo) and restore. */
  fixedRequests: number;
  /** `--shard i/n`, when given. */
  shard?: string;
  /** Interactions of the pacts `--pact` names (each one request, plus the verifier's image save and restore). */
  pactInteractions?: number;
  requests: number;
  bytes: number;
  bytesMethod: string;
  /** Seconds at the rate; undefined when unthrottled. */
  durationS?: number;
  uploadBudget?: number;
  /** The upload budget would stop the run early. */
  budgetStops: boolean;
}

/** Placeholder credentials for the embedded target's four schemes (only their shape matters for sizes). */
const PLACEHOLDER: Credential[] = [
  { scheme: 'basic', user: 'user', password: 'password' },
  { scheme: 'soticket', ticket: '7T:placeholder' },
  { scheme: 'bearer', token: '8A:placeholder' },
  { scheme: 'session', cookie: 'ASP.NET_SessionId=placeholder; XSRF-TOKEN=placeholder', xsrfToken: 'placeholder' },
];

export async function planRun(config: RunConfig, options: { isLoopback?: (url: string) => boolean } = {}): Promise<RunPlan> {
  const spec = await loadSpec(config.specPath);
  const rules = await loadRules();
  const selectedIds = selectRules(rules, config.only);
  const selected = rules.filter((r) => selectedIds.has(r.id));
  const target = config.target ?? 'the embedded reference target (http://127.0.0.1)';
  const loopback = config.target === undefined || (options.isLoopback ?? isLoopbackUrl)(config.target);
  const rate = config.rate ?? (loopback ? undefined : REMOTE_DEFAULT_RATE);
  const credentials = config.credentials.length > 0 ? config.credentials : PLACEHOLDER;
  const model = spec.model;
  const all = familiesToRun({ model, credentials, personId: config.personId ?? 1 }, rules, selectedIds, config.shard);
  const out: FamilyPlan[] = [];
  for (const family of all) {
    const recipes = fc.sample(family.arbitrary, { seed: familySeed(config.seed, family.name), numRuns: casesOf(family, config.runs) });
    const requests = recipes.reduce((n, r) => n + family.requestsPerCase(r), 0);
    const sample = recipes.slice(0, PLAN_SAMPLE);
    let sampleBytes = 0;
    for (const r of sample) sampleBytes += bodySize((await buildCase({ model, credentials, ...(config.appToken ? { appToken: config.appToken } : {}) }, r)).body);
    const bytes = sample.length === 0 ? 0 : Math.round((sampleBytes / sample.length) * recipes.length);
    out.push({ name: family.name, serial: family.serial, cases: recipes.length, requests, bytes, rules: selected.filter((r) => r.exercisedBy.includes(family.name)).map((r) => r.id) });
  }
  const fixedRequests = 1 + 2 + 1;
  const pactInteractions = config.pact === undefined ? undefined : pactSources(config.pact).reduce((n, f) => n + (isUrl(f) ? 0 : readPactFile(f).interactions.length), 0);
  const requests = fixedRequests + out.reduce((n, f) => n + f.requests, 0) + (pactInteractions === undefined ? 0 : pactInteractions + 3);
  const bytes = out.reduce((n, f) => n + f.bytes, 0);
  const uploadBudget = uploadBudgetBytes(config.maxUploadMb, loopback);
  return {
    target,
    loopback,
    ...(rate !== undefined ? { rate, durationS: requests / rate } : {}),
    concurrency: config.concurrency,
    runs: config.runs,
    seed: config.seed,
    rules: selected.map((r) => r.id),
    families: out,
    fixedRequests,
    ...(config.shard ? { shard: `${config.shard.index}/${config.shard.total}` } : {}),
    ...(pactInteractions !== undefined ? { pactInteractions } : {}),
    requests,
    bytes,
    bytesMethod:
      config.runs <= PLAN_SAMPLE
        ? 'every case the seed generates was rendered and measured (request bodies; multipart framing and headers not counted)'
        : `the first ${PLAN_SAMPLE} cases of each family were rendered and measured, scaled to ${config.runs} (request bodies; multipart framing and headers not counted)`,
    ...(uploadBudget !== undefined ? { uploadBudget } : {}),
    budgetStops: uploadBudget !== undefined && bytes > uploadBudget,
  };
}

const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;

export function formatPlan(p: RunPlan): string {
  const lines = [
    `dry run: nothing is sent. Target ${p.target}${p.loopback ? ' (loopback)' : ''}; seed ${p.seed}; ${p.runs} cases per family; concurrency ${p.concurrency}; rate ${p.rate !== undefined ? `${p.rate}/s` : 'unthrottled'}`,
    `rules (${p.rules.length}): ${p.rules.join(', ')}`,
    ...(p.shard ? [`shard ${p.shard}: only this shard's families`] : []),
    ...(p.pactInteractions !== undefined ? [`pacts: ${p.pactInteractions} interactions to verify after the cases (a pact fetched from a broker is counted as 0 here)`] : []),
    '',
    `${'family'.padEnd(18)}${'cases'.padStart(7)}${'requests'.padStart(10)}${'bytes'.padStart(12)}  run`,
    ...p.families.map((f) => `${f.name.padEnd(18)}${String(f.cases).padStart(7)}${String(f.requests).padStart(10)}${mib(f.bytes).padStart(12)}  ${f.serial ? 'one at a time' : `${p.concurrency} at a time`}`),
    '',
    `requests: about ${p.requests} (${p.fixedRequests} to check the target and save/restore the image; extra reads: a baseline per language-headers case, 2 ImageInfo reads per bad-auth case, 2 reads per round-trip upload answered 200); shrinking adds at most ${SHRINK_REQUESTS_PER_RULE} per broken rule, and a rule no case exercised gets a few more cases of its rare class`,
    `bytes uploaded: about ${mib(p.bytes)}; ${p.bytesMethod}`,
    `upload budget: ${p.uploadBudget !== undefined ? `${mib(p.uploadBudget)}${p.budgetStops ? ' — the run would stop generating cases when it is spent' : ''}` : 'none'}`,
    `duration: ${p.durationS !== undefined ? `about ${Math.ceil(p.durationS)} s at ${p.rate} requests/s (without shrinking)` : 'unthrottled: as fast as the target answers'}`,
  ];
  return `${lines.join('\n')}\n`;
}
