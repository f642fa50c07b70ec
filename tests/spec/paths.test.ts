/**
 * The path helpers (src/spec/paths.ts): a path template as a regex, the same way for the
 * reference target (whole path), the pact checker (under any base ending in the API base) and
 * the request filter (at the end of any path); the two base paths of the spec's server URL;
 * the hint for a target URL that misses the API base.
 */
import type { OpenAPIV3_1 } from 'openapi-types';
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/errors.js';
import { loadSpec } from '../../src/spec/load.js';
import { apiBaseHint, apiBasePath, defaultBasePath, escapeRegExp, pathTemplatePattern, pathTemplateSource } from '../../src/spec/paths.js';

const doc = (servers?: OpenAPIV3_1.ServerObject[]): OpenAPIV3_1.Document => ({ openapi: '3.1.0', info: { title: 't', version: '1' }, components: {}, ...(servers ? { servers } : {}) });

describe('escapeRegExp', () => {
  it('escapes every character the three former copies escaped, braces and slashes too', () => {
    const nasty = 'a.b*c+d?e^f$g{h}i(j)k|l[m]n\\o/p';
    expect(new RegExp(`^${escapeRegExp(nasty)}$`).test(nasty)).toBe(true);
    expect(new RegExp(`^${escapeRegExp('a.b')}$`).test('axb')).toBe(false);
  });
});

describe('pathTemplatePattern', () => {
  const image = '/Person/{personId}/Image';
  const info = '/Person/{personId}/ImageInfo';

  it('matches the whole path, a trailing slash allowed, and captures the parameter segment (the target)', () => {
    const p = pathTemplatePattern(image);
    expect(p.exec('/Person/42/Image')?.[1]).toBe('42');
    expect(p.exec('/Person/42/Image/')?.[1]).toBe('42');
    expect(p.exec('/Person//Image')?.[1]).toBe('');
    expect(p.exec('/Person/%2D1/Image')?.[1]).toBe('%2D1');
    expect(p.test('/Person/4/2/Image')).toBe(false);
    expect(p.test('/x/Person/42/Image')).toBe(false);
    expect(p.test('/Person/42/ImageInfo')).toBe(false);
  });

  it('takes literal parts literally', () => {
    const p = pathTemplatePattern('/a.b/{id}/c+d');
    expect(p.test('/a.b/1/c+d')).toBe(true);
    expect(p.test('/axb/1/c+d')).toBe(false);
    expect(p.test('/a.b/1/cd')).toBe(false);
  });

  it('with a prefix source: under any base path that ends in the API base (the pact checker)', () => {
    const p = pathTemplatePattern(image, `^(?:/.*)?${escapeRegExp('/api/v1')}`);
    expect(p.exec('/api/v1/Person/5/Image')?.[1]).toBe('5');
    expect(p.exec('/SuperOffice/api/v1/Person/5/Image')?.[1]).toBe('5');
    expect(p.exec('/Cust1/api/v1/Person/${personId}/Image')?.[1]).toBe('${personId}');
    expect(p.test('/Person/5/Image')).toBe(false);
    expect(p.test('/api/v2/Person/5/Image')).toBe(false);
  });

  it('with no prefix and several templates: finds where a spec path starts at the end of any path (the request filter)', () => {
    const p = pathTemplatePattern([image, info], '');
    expect(p.exec('/SuperOffice/api/v1/Person/7/Image')?.index).toBe('/SuperOffice/api/v1'.length);
    expect(p.exec('/api/v1/Person/7/ImageInfo/')?.index).toBe('/api/v1'.length);
    expect(p.exec('/_pactSetup')).toBeNull();
  });

  it('gives each parameter a group, in order', () => {
    expect(pathTemplateSource('/a/{x}/b/{y}')).toBe('\\/a\\/([^/]*)\\/b\\/([^/]*)');
    expect(pathTemplatePattern('/a/{x}/b/{y}').exec('/a/1/b/2')?.slice(1)).toEqual(['1', '2']);
  });
});

describe('base paths of the server URL', () => {
  it('the spec: /SuperOffice/api/v1 with the variables at their defaults, /api/v1 after the last variable', async () => {
    const { document } = await loadSpec();
    expect(defaultBasePath(document)).toBe('/SuperOffice/api/v1');
    expect(apiBasePath(document)).toBe('/api/v1');
  });

  it('reads URLs with and without variables, and drops trailing slashes', () => {
    expect(defaultBasePath(doc([{ url: 'https://h/{t}/api/v1/', variables: { t: { default: 'Cust9' } } }]))).toBe('/Cust9/api/v1');
    expect(defaultBasePath(doc([{ url: 'https://h/{t}/api' }]))).toBe('/t/api');
    expect(defaultBasePath(doc([{ url: '/relative/api/v1' }]))).toBe('/relative/api/v1');
    expect(apiBasePath(doc([{ url: 'https://h/api/v1/' }]))).toBe('/api/v1');
    expect(apiBasePath(doc([{ url: 'https://{host}/{tenant}/api/v2' }]))).toBe('/api/v2');
  });

  it('without a server: no base path for the target, a SpecError for pacts', () => {
    expect(defaultBasePath(doc())).toBe('');
    expect(() => apiBasePath(doc())).toThrow(SpecError);
    expect(() => apiBasePath(doc([{ url: '{scheme}://h/api' }]))).toThrow(SpecError);
  });
});

describe('apiBaseHint', () => {
  it.each([
    ['https://h/SuperOffice/api/v1', ''],
    ['https://h/SuperOffice/API/V1/', ''],
    ['https://h/SuperOffice', ' (did you mean https://h/SuperOffice/api/v1?)'],
    ['https://h/SuperOffice/api', ' (did you mean https://h/SuperOffice/api/v1?)'],
    ['https://h/SuperOffice/API/', ' (did you mean https://h/SuperOffice/API/v1?)'],
    ['https://h', ' (did you mean https://h/api/v1?)'],
  ])('%s -> %j', (url, hint) => {
    expect(apiBaseHint(url, '/api/v1')).toBe(hint);
  });
});
