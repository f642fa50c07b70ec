/**
 * The client rules of spec/rules.yaml (`side: client`) and their checks: each has a check in
 * src/checks/client/index.ts and a describe block named after it in tests/proxy/*.test.ts; the
 * README names their number. Beside them, the server's rules stay what a run reports: loadRules
 * gives no client rule, and the catalogue refuses a client rule that names case families.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertClientChecksMatchRules, clientChecks } from '../../src/checks/client/index.js';
import { loadClientRules, loadRules } from '../../src/spec/rules.js';

const here = import.meta.dirname;
const clientRules = await loadClientRules();

function describedIds(): Set<string> {
  const out = new Set<string>();
  for (const file of readdirSync(here).filter((f) => f.endsWith('.test.ts'))) {
    for (const m of readFileSync(join(here, file), 'utf8').matchAll(/\bdescribe(?:\.\w+)*\(\s*(['"`])([^'"`]+)\1/g)) {
      const id = /^[a-z0-9]+(?:-[a-z0-9]+)*(?=$|[ :])/.exec(m[2]!)?.[0];
      if (id) out.add(id);
    }
  }
  return out;
}

describe('the client rules and their checks', () => {
  it('the README names their number', () => {
    const said = /\(spec\/rules\.yaml, `side: client`\): (\d+) client rules/.exec(readFileSync(join(here, '..', '..', 'README.md'), 'utf8'));
    expect(said, 'the README names the number of client rules').not.toBeNull();
    expect(clientRules).toHaveLength(Number(said![1]));
  });

  it('the registry has a check for every client rule and none beside', () => {
    expect(() => assertClientChecksMatchRules(clientRules)).not.toThrow();
    expect(Object.keys(clientChecks).sort()).toEqual(clientRules.map((r) => r.id).sort());
    expect(() => assertClientChecksMatchRules([...clientRules, { ...clientRules[0]!, id: 'client-no-such-rule' }])).toThrow(/client rules without a check: client-no-such-rule/);
    expect(() => assertClientChecksMatchRules(clientRules.filter((r) => r.id !== 'client-rate-limit'))).toThrow(/client checks without a rule in the catalogue: client-rate-limit/);
  });

  it('every client rule has a describe block named after it in tests/proxy/*.test.ts', () => {
    const described = describedIds();
    expect(clientRules.map((r) => r.id).filter((id) => !described.has(id))).toEqual([]);
  });

  it('each client rule has a level and a source, and none is a server rule', async () => {
    const server = new Set((await loadRules()).map((r) => r.id));
    for (const r of clientRules) {
      expect(['MUST', 'SHOULD'], r.id).toContain(r.level);
      expect(['doc', 'inferred'], r.id).toContain(r.source);
      expect(server.has(r.id), r.id).toBe(false);
    }
  });

  it('the catalogue refuses a client rule with exercisedBy and a server rule without it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    try {
      const rule = (extra: string) => `rules:\n  - id: a-rule\n    level: MUST\n    source: doc\n    title: t\n    statement: s\n${extra}`;
      writeFileSync(join(dir, 'client.yaml'), rule('    side: client\n    exercisedBy: [valid-upload]\n'));
      writeFileSync(join(dir, 'server.yaml'), rule(''));
      writeFileSync(join(dir, 'ok.yaml'), rule('    side: client\n'));
      await expect(loadRules(join(dir, 'client.yaml'))).rejects.toThrow(/is malformed/);
      await expect(loadRules(join(dir, 'server.yaml'))).rejects.toThrow(/is malformed/);
      expect(await loadRules(join(dir, 'ok.yaml'))).toEqual([]);
      expect((await loadClientRules(join(dir, 'ok.yaml'))).map((r) => r.id)).toEqual(['a-rule']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
