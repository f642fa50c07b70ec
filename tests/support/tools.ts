/**
 * The command-line tools some tests need (image decoders, curl, openssl, Chromium), looked up on
 * PATH by the same names .ci/run checks with `command -v`. Under CI=true a missing tool fails
 * the test that needs it; elsewhere such a test is skipped and says why.
 */
import { spawnSync } from 'node:child_process';
import { it } from 'vitest';

/** CI set (to anything but 0 or false): a missing tool is a failure, never a skip. */
export const inCi = !['', '0', 'false'].includes(String(process.env.CI ?? '').trim().toLowerCase());

/** The Debian package .ci/run installs for each tool it checks. */
const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  pngcheck: 'pngcheck',
  jpeginfo: 'jpeginfo',
  giftext: 'giflib-tools',
  tiffinfo: 'libtiff-tools',
  tiffcp: 'libtiff-tools',
  identify: 'imagemagick',
  chromium: 'chromium',
  curl: 'curl',
  openssl: 'openssl',
};

const found = new Map<string, string | undefined>();

/** The path of a command on PATH (`command -v`), or undefined. */
export function commandPath(name: string): string | undefined {
  if (!found.has(name)) {
    const r = spawnSync('sh', ['-c', `command -v '${name.replace(/'/g, `'\\''`)}'`], { encoding: 'utf8' });
    found.set(name, r.status === 0 ? r.stdout.trim() || undefined : undefined);
  }
  return found.get(name);
}

/** "pngcheck is not installed (apt-get install -y pngcheck)". */
export function missingTool(name: string): string {
  return `${name} is not installed (apt-get install -y ${TOOL_PACKAGES[name] ?? name})`;
}

/** The tools of `names` that are not on PATH. */
function missingTools(names: readonly string[]): string[] {
  return names.filter((n) => !commandPath(n));
}

/** Throws, saying what to install, when a tool is missing (for tests that need it wherever they run). */
export function requireTool(name: string): string {
  const path = commandPath(name);
  if (!path) throw new Error(missingTool(name));
  return path;
}

/**
 * A test that needs the tools `names`: it runs when they are installed; when one is missing it
 * fails under CI=true (saying which and how to install it) and is skipped elsewhere, the reason
 * in its title.
 */
export function itWithTools(title: string, names: readonly string[], body: () => unknown, timeout?: number): void {
  const missing = missingTools(names);
  if (missing.length === 0) {
    it(title, body, timeout);
  } else if (inCi) {
    it(title, () => {
      throw new Error(`CI=true and ${missing.map(missingTool).join(', ')}: .ci/run must install it`);
    });
  } else {
    const reason = `SKIPPED: ${missing.map(missingTool).join(', ')}`;
    console.warn(`${title}: ${reason}`);
    it.skip(`${title} [${reason}]`, body);
  }
}
