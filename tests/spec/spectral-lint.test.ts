/**
 * `npm run lint:spec` (Spectral's spectral:oas ruleset, .spectral.yaml) passes on the spec, and the
 * same command fails on a copy that brings back the XML example typed as a string against the
 * integer schema (the error the spec once had), so CI's `npm run lint:spec` line catches it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const specFile = 'spec/person-image.openapi.yaml';
const spectralBin = join(dirname(createRequire(import.meta.url).resolve('@stoplight/spectral-cli/package.json')), 'dist', 'index.js');

interface SpectralResult {
  code: string;
  severity: number;
  path: string[];
}

/** The arguments of package.json's lint:spec after `spectral`, with the spec swapped for `file`. */
function lintSpecArgs(file: string): string[] {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const [command, ...args] = (scripts['lint:spec'] ?? '').split(/\s+/);
  expect(command).toBe('spectral');
  expect(args).toContain(specFile);
  return args.map((a) => (a === specFile ? file : a));
}

function lint(file: string): { status: number | null; results: SpectralResult[] } {
  const r = spawnSync(process.execPath, [spectralBin, ...lintSpecArgs(file), '--format', 'json', '--quiet'], { cwd: root, encoding: 'utf8' });
  return { status: r.status, results: JSON.parse(r.stdout || '[]') as SpectralResult[] };
}

describe('npm run lint:spec', () => {
  it('finds nothing in the spec, not even a warning', () => {
    const { status, results } = lint(specFile);
    expect(results.map((x) => `${x.code} at ${x.path.join('.')}`)).toEqual([]);
    expect(status).toBe(0);
  }, 120_000);

  it('fails on the XML example typed as a string against the integer schema', () => {
    const spec = readFileSync(join(root, specFile), 'utf8');
    const xml = '<int xmlns="http://schemas.microsoft.com/2003/10/Serialization/">825</int>';
    const broken = spec.replace(/(application\/xml:\n\s+schema: \{ \$ref: '#\/components\/schemas\/BlobIdXml' \}\n\s+example:) 825/, `$1 '${xml}'`);
    expect(broken).not.toBe(spec);
    const dir = mkdtempSync(join(tmpdir(), 'spectral-lint-'));
    try {
      const file = join(dir, 'person-image.openapi.yaml');
      writeFileSync(file, broken);
      const { status, results } = lint(file);
      expect(status).toBe(1);
      expect(results.filter((x) => x.severity === 0).map((x) => `${x.code} at ${x.path.join('.')}`)).toEqual([
        'oas3-valid-media-example at components.responses.blobId.content.application/xml.example',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
