/**
 * The annotations (src/ci/annotations.ts) of a run with failures: an `::error` per failing rule and
 * a `::warning` per warned rule, titled with the rule id, whose message (escaped as the runner reads
 * it) holds why, the counterexample and the replay command; pacts that do not hold and the stop of
 * a run that could not finish; nothing for a run that conforms; no credential.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderAnnotations } from '../../src/ci/annotations.js';
import { copyOf, failingRun, type FailingRun } from './failing-report.js';

let run: FailingRun;
beforeAll(async () => {
  run = await failingRun();
});

/** A workflow command line read back as the runner does: command, properties, message, unescaped. */
function readCommand(line: string): { command: string; props: Record<string, string>; message: string } {
  const m = /^::([a-z]+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!m) throw new Error(`not a workflow command: ${line}`);
  const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const props = Object.fromEntries((m[2] ?? '').split(',').filter(Boolean).map((p) => [p.slice(0, p.indexOf('=')), unescape(p.slice(p.indexOf('=') + 1))]));
  return { command: m[1]!, props, message: unescape(m[3]!) };
}

const linesOf = (s: string) => s.split('\n').filter((l) => l.length > 0);

describe('annotations', () => {
  it('an ::error per failing rule and a ::warning per warned rule, titled with the rule id, one line each', () => {
    const lines = linesOf(renderAnnotations(run.report));
    expect(lines).toHaveLength(2);
    const [error, warning] = lines.map(readCommand);
    expect(error!.command).toBe('error');
    expect(error!.props).toEqual({ title: 'empty-body-rejected' });
    const ce = run.report.rules.find((r) => r.id === 'empty-body-rejected')!.counterexample!;
    expect(error!.message).toBe(`An empty body gets 400 (MUST): an empty body: expected 400, answered 200\ncounterexample: ${ce.description}\nreplay: ${ce.replay}`);
    expect(warning!.command).toBe('warning');
    expect(warning!.props).toEqual({ title: 'error-body-shape' });
    expect(warning!.message).toMatch(/^A 4xx body is the SuperOffice error object \(SHOULD\): /);
  });

  it('nothing for a run where every rule passed', () => {
    const ok = copyOf(run.report);
    ok.verdict = 'conforms';
    for (const r of ok.rules) if (r.status !== 'not-run') r.status = 'pass';
    expect(renderAnnotations(ok)).toBe('');
  });

  it('a run that stopped early: an ::error when it is incomplete, a ::warning beside a MUST failure', () => {
    const stopped = copyOf(run.report);
    stopped.stop = { kind: 'throttled', reason: 'the target kept throttling, 2 min in all', afterRequests: 40 };
    const beside = linesOf(renderAnnotations(stopped)).map(readCommand).at(-1)!;
    expect(beside).toEqual({ command: 'warning', props: { title: 'run stopped early (throttled)' }, message: 'the target kept throttling, 2 min in all (after 40 requests)' });
    stopped.verdict = 'incomplete';
    for (const r of stopped.rules) r.status = 'not-run';
    expect(linesOf(renderAnnotations(stopped)).map(readCommand)).toEqual([{ ...beside, command: 'error' }]);
  });

  it('a pact interaction that does not hold is an ::error', () => {
    const withPact = copyOf(run.report);
    withPact.pact = [{ file: 'contracts/a.json', consumer: 'crm-app', provider: 'superoffice', status: 'fail', interactions: [{ description: 'an upload without an image', providerState: 'person 1 exists', status: 'fail', message: 'expected 400, got 200' }] }];
    const last = readCommand(linesOf(renderAnnotations(withPact)).at(-1)!);
    expect(last).toEqual({ command: 'error', props: { title: 'pact crm-app → superoffice' }, message: 'contracts/a.json: an upload without an image (given person 1 exists): expected 400, got 200' });
  });

  it('text from the report cannot end a command early or forge another one', () => {
    const hostile = copyOf(run.report);
    const r = hostile.rules.find((x) => x.id === 'empty-body-rejected')!;
    r.id = 'rule:with,colon';
    r.message = '100% sure\r\n::error title=forged::not from the run';
    const lines = linesOf(renderAnnotations(hostile));
    expect(lines).toHaveLength(2);
    expect(lines.filter((l) => l.includes('forged') && l.startsWith('::error title=forged'))).toEqual([]);
    const read = readCommand(lines[0]!);
    expect(read.props).toEqual({ title: 'rule:with,colon' });
    expect(read.message.split('\n')[0]).toBe('An empty body gets 400 (MUST): 100% sure\r');
    expect(read.message.split('\n')[1]).toBe('::error title=forged::not from the run');
  });

  it('holds no credential the run used', () => {
    const out = renderAnnotations(run.report);
    for (const s of run.secrets) expect(out.includes(s), `a credential (${s.length} chars) in an annotation`).toBe(false);
  });
});
