/**
 * Reading pact files: a FILE, every *.json in a DIR, or an http(s) URL (a pact on a broker).
 * Anything that is not a pact ends in a PactError with a one-line message.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PactError } from '../errors.js';

/** A pact as read from disk: only what the suite looks at is typed. */
export interface PactDocument {
  consumer: { name: string };
  provider: { name: string };
  interactions: Record<string, unknown>[];
  metadata?: Record<string, unknown>;
}

export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** The pact sources a FILE|DIR|URL argument names, in a stable order. */
export function pactSources(source: string): string[] {
  if (isUrl(source)) return [source];
  let stat;
  try {
    stat = statSync(source);
  } catch (e) {
    throw new PactError(`cannot read the pact ${source}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : String((e as Error).message)}`);
  }
  if (!stat.isDirectory()) return [source];
  const files = readdirSync(source)
    .filter((f) => f.toLowerCase().endsWith('.json'))
    .sort()
    .map((f) => join(source, f));
  if (files.length === 0) throw new PactError(`the folder ${source} holds no pact (*.json) files`);
  return files;
}

/** Checks that parsed JSON is a pact with HTTP interactions; `where` names it in messages. */
export function asPact(raw: unknown, where: string): PactDocument {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new PactError(`${where} is not a pact: expected a JSON object with consumer, provider and interactions`);
  const o = raw as Record<string, unknown>;
  const name = (v: unknown) => (typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string' ? (v as { name: string }).name : undefined);
  if (!name(o.consumer) || !name(o.provider)) throw new PactError(`${where} is not a pact: it names no consumer and provider`);
  if (!Array.isArray(o.interactions)) throw new PactError(`${where} is not a pact: it has no interactions list`);
  if (o.interactions.length === 0) throw new PactError(`${where} has no interactions`);
  o.interactions.forEach((i, n) => {
    if (typeof i !== 'object' || i === null || Array.isArray(i)) throw new PactError(`${where}: interaction ${n + 1} is not an object`);
    const it = i as Record<string, unknown>;
    if (typeof it.type === 'string' && it.type !== 'Synchronous/HTTP') return;
    const req = it.request as Record<string, unknown> | undefined;
    if (typeof req?.method !== 'string' || typeof req.path !== 'string') throw new PactError(`${where}: interaction ${n + 1} has no request method and path`);
    if (typeof (it.response as Record<string, unknown> | undefined)?.status !== 'number') throw new PactError(`${where}: interaction ${n + 1} has no response status`);
  });
  return raw as PactDocument;
}

function parsePact(text: string, where: string): PactDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new PactError(`${where} is not JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  return asPact(raw, where);
}

export function readPactFile(file: string): PactDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new PactError(`cannot read the pact ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parsePact(text, file);
}
