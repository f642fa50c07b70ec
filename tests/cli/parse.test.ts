/** Flags and environment variables into a RunConfig: credentials with colons, SO_AUTH lists, ranges, shards. */
import { describe, expect, it } from 'vitest';
import { runOptions } from '../../src/cli/options.js';
import { parseAuth, parseFlags, resolveRunConfig, splitAuthEnv } from '../../src/cli/parse.js';
import { UsageError } from '../../src/errors.js';

const resolve = (argv: string[], env: NodeJS.ProcessEnv = {}) => resolveRunConfig(parseFlags(argv, runOptions).values, env, runOptions);

describe('run options', () => {
  it('keeps colons inside tickets, tokens and passwords', () => {
    expect(parseAuth('soticket:7T:abc==')).toEqual({ scheme: 'soticket', ticket: '7T:abc==' });
    expect(parseAuth('basic:user:pa:ss')).toEqual({ scheme: 'basic', user: 'user', password: 'pa:ss' });
    expect(parseAuth('BEARER:8A:x')).toEqual({ scheme: 'bearer', token: '8A:x' });
    expect(() => parseAuth('digest:x')).toThrow(UsageError);
    expect(() => parseAuth('basic:nouser')).toThrow(/USER:PASSWORD/);
  });

  it('splits SO_AUTH on commas that start a new scheme only', () => {
    expect(splitAuthEnv('basic:u:p,w,soticket:7T:a,b')).toEqual(['basic:u:p,w', 'soticket:7T:a,b']);
  });

  it('reads environment variables when no flag is given, flags first', () => {
    const c = resolve(['--runs', '7'], { SO_RUNS: '9', SO_TARGET: 'https://h/SuperOffice/api/v1', SO_AUTH: 'bearer:8A:t', SO_PERSON_ID: '12' });
    expect(c.runs).toBe(7);
    expect(c.target).toBe('https://h/SuperOffice/api/v1');
    expect(c.credentials).toEqual([{ scheme: 'bearer', token: '8A:t' }]);
    expect(c.personId).toBe(12);
  });

  it('refuses bad numbers, half a session, bad shards and unknown flags with a usage error', () => {
    expect(() => resolve(['--runs', 'ten'])).toThrow(/whole number/);
    expect(() => resolve(['--concurrency', '0'])).toThrow(/between/);
    expect(() => resolve(['--rate', '0'])).toThrow(/positive/);
    expect(() => resolve(['--session-cookie', 'a=b'])).toThrow(/go together/);
    expect(() => resolve(['--shard', '3/2'])).toThrow(/I\/N/);
    expect(() => resolve(['--bogus'])).toThrow(UsageError);
    expect(resolve(['--shard', '2/3']).shard).toEqual({ index: 2, total: 3 });
  });
});
