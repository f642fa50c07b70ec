import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './package-root.js';

const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { name: string; version: string };

export const toolName: string = pkg.name;
export const toolVersion: string = pkg.version;
/** The User-Agent every request carries. */
export const userAgent = `${toolName}/${toolVersion}`;
