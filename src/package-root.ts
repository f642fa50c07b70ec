import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding this package's package.json, from the source tree or from dist/. */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'spec'))) return dir;
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error('person-image-conformance: cannot find the package root (spec/ missing)');
    dir = parent;
  }
}

export const packageRoot = findPackageRoot();
export const defaultSpecPath = join(packageRoot, 'spec', 'person-image.openapi.yaml');
export const defaultRulesPath = join(packageRoot, 'spec', 'rules.yaml');
