/** What verify-pact says when the verifier's child dies: the cause from its stderr, not Node's version banner. */
import { describe, expect, it } from 'vitest';
import { verifierDeathCause } from '../../src/pact/verifier-process.js';

// What the child printed when a relay before the target reset a connection (pact-js's proxy has no error handler).
const HANG_UP = `/work/main/node_modules/http-proxy/lib/http-proxy/index.js:120
    throw err;
    ^

Error: socket hang up
    at Socket.socketOnEnd (node:_http_client:528:25)
    at process.processTicksAndRejections (node:internal/process/task_queues:82:21) {
  code: 'ECONNRESET'
}

Node.js v20.20.2
`;

describe('verifierDeathCause', () => {
  it.each([
    ['an uncaught error with its code', HANG_UP, ': Error: socket hang up (ECONNRESET)'],
    ['a typed error without a code', "file.js:1\nTypeError: x is not a function\n    at f (file.js:1:1)\n\nNode.js v22.1.0\n", ': TypeError: x is not a function'],
    ['a code already in the message', "Error: connect ECONNREFUSED 127.0.0.1:9\n  code: 'ECONNREFUSED'\nNode.js v20.20.2", ': Error: connect ECONNREFUSED 127.0.0.1:9'],
    ['a plain message line (the child wrote why it stopped)', 'cannot read the pact: no such file\n', ': cannot read the pact: no such file'],
    ['only the banner', '\nNode.js v20.20.2\n', ''],
    ['nothing', '', ''],
  ])('%s', (_, stderr, want) => {
    expect(verifierDeathCause(stderr)).toBe(want);
  });
});
