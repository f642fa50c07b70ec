/**
 * Rooms stay small: no source file in src/ or reporters/ over 400 lines, no function over 60, and
 * only the target session (src/transport/) imports undici, so every request to a target goes
 * through its policies. Read with the TypeScript parser, as the compiler sees the code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 60;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

const files = [...sourceFiles('src'), ...sourceFiles('reporters')];

interface Span {
  name: string;
  lines: number;
}

/** Every function-like node with its line count (a function's lines include its nested functions'). */
function functionSpans(file: string): Span[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const spans: Span[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = (node.name && ts.isIdentifier(node.name) ? node.name.text : undefined) ?? `(anonymous at line ${start + 1})`;
      spans.push({ name, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return spans;
}

describe('layout', () => {
  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files).toContain('src/run/engine.ts');
  });

  it(`no file in src/ or reporters/ is over ${MAX_FILE_LINES} lines`, () => {
    const long = files.map((f) => ({ f, n: readFileSync(join(ROOT, f), 'utf8').split('\n').length })).filter((x) => x.n > MAX_FILE_LINES);
    expect(long.map((x) => `${x.f}: ${x.n} lines`)).toEqual([]);
  });

  it(`no function in src/ or reporters/ is over ${MAX_FUNCTION_LINES} lines`, () => {
    const long = files.flatMap((f) => functionSpans(f).filter((s) => s.lines > MAX_FUNCTION_LINES).map((s) => `${f}: ${s.name} ${s.lines} lines`));
    expect(long).toEqual([]);
  });

  it('only the target session (src/transport/) imports undici', () => {
    const importers = files.filter((f) => /from ['"]undici['"]/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(importers.filter((f) => !f.startsWith('src/transport/'))).toEqual([]);
    expect(importers).toContain('src/transport/target-session.ts');
  });
});
