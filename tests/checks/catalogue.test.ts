/**
 * Every rule of spec/rules.yaml has a check in the registry (src/checks/index.ts) and a unit
 * test: a describe block named after its id in one of tests/checks/*.test.ts. The three
 * accept-* rules are expected in tests/checks/accept-checks.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assertChecksMatchRules, checks } from '../../src/checks/index.js';
import { loadRules } from '../../src/spec/rules.js';

const here = dirname(fileURLToPath(import.meta.url));
const rules = await loadRules();

/**
 * Rule id -> the test files holding a describe block named after it: its title is the id, or
 * the id followed by a space or a colon (`describe('accept-family: ties', ...)`).
 */
function describedRules(): Map<string, string[]> {
  const ids = new Set(rules.map((r) => r.id));
  const out = new Map<string, string[]>();
  for (const file of readdirSync(here).filter((f) => f.endsWith('.test.ts')).sort()) {
    const text = readFileSync(join(here, file), 'utf8');
    for (const m of text.matchAll(/\bdescribe(?:\.\w+)*\(\s*(['"`])([^'"`]+)\1/g)) {
      const id = /^[a-z0-9]+(?:-[a-z0-9]+)*(?=$|[ :])/.exec(m[2]!)?.[0];
      if (id && ids.has(id)) out.set(id, [...(out.get(id) ?? []), file]);
    }
  }
  return out;
}

describe('the rules catalogue and the checks', () => {
  it('the catalogue has as many rules as the README says', () => {
    const said = /\(spec\/rules\.yaml\): (\d+) rules/.exec(readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8'));
    expect(said, 'the README names the number of rules').not.toBeNull();
    expect(rules).toHaveLength(Number(said![1]));
  });

  it('the registry has a check, with applies and judge, for every rule and none beside', () => {
    expect(() => assertChecksMatchRules(rules)).not.toThrow();
    expect(Object.keys(checks).sort()).toEqual(rules.map((r) => r.id).sort());
    for (const r of rules) {
      expect(typeof checks[r.id]?.applies, r.id).toBe('function');
      expect(typeof checks[r.id]?.judge, r.id).toBe('function');
    }
  });

  it('assertChecksMatchRules refuses a rule without a check and a check without a rule', () => {
    const extra = { ...rules[0]!, id: 'no-such-rule' };
    expect(() => assertChecksMatchRules([...rules, extra])).toThrow(/rules without a check: no-such-rule/);
    expect(() => assertChecksMatchRules(rules.filter((r) => r.id !== 'no-server-error'))).toThrow(/checks without a rule in the catalogue: no-server-error/);
  });

  it('every rule has a describe block named after it in tests/checks/*.test.ts', () => {
    const described = describedRules();
    const missing = rules.map((r) => r.id).filter((id) => !described.has(id));
    expect(missing, `rules with no describe block in ${here}`).toEqual([]);
  });

  it('the accept-* rules are tested in accept-checks.test.ts', () => {
    const described = describedRules();
    for (const id of ['accept-family', 'accept-exact-type', 'accept-unsupported']) {
      expect(described.get(id) ?? [], id).toContain('accept-checks.test.ts');
    }
  });
});
