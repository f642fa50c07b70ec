/** Shared pieces of the pact tests. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/package-root.js';

export const contractsDir = join(packageRoot, 'contracts');
export const fixturesDir = join(packageRoot, 'tests', 'fixtures', 'pacts');
const imagesDir = join(fixturesDir, 'images');

/** The fixture image for a media type's subtype (`image/png` -> photo.png). */
export function imageFor(mediaType: string): string {
  const sub = mediaType.split('/')[1] ?? '';
  const byName: Record<string, string> = { png: 'photo.png', jpeg: 'photo.jpg', gif: 'photo.gif', tiff: 'photo.tif' };
  const file = byName[sub];
  if (!file) throw new Error(`no fixture image for ${mediaType}`);
  return join(imagesDir, file);
}

const tempDirs: string[] = [];

/** A new folder in os.tmpdir(); removeTempDirs removes it (call it in afterAll). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `pic-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/** Removes every folder tempDir made. */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function pactFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/** A pact without what changes from run to run or machine to machine: library versions in its metadata. */
export function canonicalPact(file: string): unknown {
  const pact = JSON.parse(readFileSync(file, 'utf8')) as { metadata?: Record<string, unknown>; interactions?: { description?: string }[] };
  const spec = (pact.metadata?.pactSpecification as { version?: string } | undefined)?.version;
  pact.metadata = { pactSpecification: { version: spec } };
  pact.interactions = [...(pact.interactions ?? [])].sort((a, b) => String(a.description).localeCompare(String(b.description)));
  return pact;
}
