/** `serve`: the JSON line and the human block, and describeTarget's shape. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { serveCommand } from '../../src/cli/serve.js';
import { describeTarget } from '../../src/target/index.js';
import { call, png } from './helpers.js';

async function serve(json: boolean): Promise<{ text: string; close: () => Promise<void>; target: Awaited<ReturnType<typeof serveCommand>> }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const target = await serveCommand({ port: 0, host: '127.0.0.1', json, out });
  return { text, close: () => target.close(), target };
}

describe('serve', () => {
  it('--json prints exactly the description, and the credentials work', async () => {
    const s = await serve(true);
    try {
      expect(s.text.endsWith('\n')).toBe(true);
      expect(s.text.trim().split('\n')).toHaveLength(1);
      const d = JSON.parse(s.text) as ReturnType<typeof describeTarget>;
      expect(d).toEqual(describeTarget(s.target));
      expect(Object.keys(d)).toEqual(['url', 'credentials', 'persons']);
      expect(Object.keys(d.credentials)).toEqual(['basic', 'soticket', 'bearer', 'session']);
      expect(d.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/SuperOffice\/api\/v1$/);
      expect(d.credentials.soticket).toMatch(/^7T:[A-Za-z0-9+/=]+$/);
      expect(d.credentials.bearer).toMatch(/^8A:[A-Za-z0-9+/=]+$/);
      expect(d.credentials.session.cookie).toContain(`XSRF-TOKEN=${d.credentials.session.xsrfToken}`);
      expect(d.persons.length).toBeGreaterThan(0);
      const a = await call(`${d.url}/Person/${d.persons[0]}/Image`, 'PUT', { authorization: `Bearer ${d.credentials.bearer}`, 'content-type': 'image/png' }, await png());
      expect(a.status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('prints a human block with the URL, the credentials and a curl example', async () => {
    const s = await serve(false);
    try {
      const d = describeTarget(s.target);
      expect(s.text).toContain(d.url);
      expect(s.text).toContain(d.credentials.basic.password);
      expect(s.text).toContain(d.credentials.soticket);
      expect(s.text).toContain(d.credentials.session.xsrfToken);
      expect(s.text).toMatch(/curl -X PUT .*\n.*Content-Type: image\/png.*--data-binary @photo\.png/);
      expect(s.text).toContain(`${d.url}/Person/${d.persons[0]}/Image`);
    } finally {
      await s.close();
    }
  });

  it('reports a port in use as a ConfigError, without a stack trace in the message', async () => {
    const a = await serve(true);
    try {
      const port = Number(new URL(a.target.url).port);
      await expect(serveCommand({ port, host: '127.0.0.1', json: true, out: new PassThrough() })).rejects.toMatchObject({
        name: 'ConfigError',
        message: expect.stringMatching(/cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE$/),
      });
    } finally {
      await a.close();
    }
  });

  it('gives each start new random credentials', async () => {
    const a = await serve(true);
    const b = await serve(true);
    try {
      expect(describeTarget(a.target).credentials).not.toEqual(describeTarget(b.target).credentials);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
