#!/usr/bin/env node
/**
 * Prints a fresh credential for a run to use: GETs a token service (the expiring-token test
 * target's, tests/targets/expiring-token.ts) and prints its answer, one line in the `--auth`
 * syntax `SCHEME:CREDENTIAL` (e.g. `bearer:8A:...`). A run's auth command.
 *
 *   node tests/targets/fetch-token.mjs http://127.0.0.1:PORT/token [SCHEME]
 *
 * SCHEME (`bearer` or `soticket`), or else the environment variable SO_AUTH_SCHEME, asks for a
 * credential of that scheme (`?scheme=`); without either the service answers a bearer token.
 * Only node built-ins; loopback URLs only; gives up after 5 s. On failure: exit 1 and one line
 * on stderr (never the credential).
 */
import { get } from 'node:http';

const DEADLINE_MS = 5000;
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

function fail(message) {
  process.stderr.write(`fetch-token: ${message}\n`);
  process.exit(1);
}

const [urlArg, schemeArg] = process.argv.slice(2);
if (!urlArg) fail('usage: fetch-token.mjs URL [SCHEME]');
let url;
try {
  url = new URL(urlArg);
} catch {
  fail(`not a URL: ${JSON.stringify(urlArg)}`);
}
if (url.protocol !== 'http:' || !LOOPBACK.has(url.hostname)) fail(`only http:// loopback URLs are allowed, not ${url.origin}`);
const scheme = schemeArg ?? process.env.SO_AUTH_SCHEME;
if (scheme) url.searchParams.set('scheme', scheme.toLowerCase());

const deadline = setTimeout(() => fail(`no answer from ${url.origin} within ${DEADLINE_MS / 1000} s`), DEADLINE_MS);
const req = get(url, (res) => {
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  res.on('error', (e) => fail(`reading the answer of ${url.origin}: ${e.message}`));
  res.on('end', () => {
    clearTimeout(deadline);
    if (res.statusCode !== 200) fail(`${url.origin}${url.pathname} answered ${res.statusCode}`);
    const line = Buffer.concat(chunks).toString('utf8').trim().split(/\r?\n/)[0] ?? '';
    if (!/^(basic|soticket|bearer):\S/i.test(line)) fail(`${url.origin}${url.pathname} answered no SCHEME:CREDENTIAL line`);
    process.stdout.write(`${line}\n`);
  });
});
req.on('error', (e) => fail(`GET ${url.origin}${url.pathname}: ${e.code ?? e.message}`));
