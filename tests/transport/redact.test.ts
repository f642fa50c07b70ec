/**
 * The Redactor (src/transport/redact.ts) pinned: sensitive headers are redacted whatever their
 * value and whatever the case of their name; known secrets are redacted inside text, inside
 * bytes (and so inside the hex previews of a report) and inside URLs, also percent-encoded,
 * base64-encoded or as UTF-8 bytes, and never shown in an image preview; everything else is
 * left alone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { secretsOf, type Credential } from '../../src/config/credentials.js';
import { preview } from '../../src/run/counterexample.js';
import { loadSpec } from '../../src/spec/load.js';
import { authHeaders } from '../../src/transport/auth-headers.js';
import { credentialsIn, REDACTED, Redactor } from '../../src/transport/redact.js';

const { model } = await loadSpec();
// Built in beforeAll, not at collection: StrykerJS activates a mutant of src/transport/ only after
// collection (mutation/README.md), and code run at collection would never run mutated.
let sensitive: string[];

const credentials: Credential[] = [
  { scheme: 'basic', user: 'certify', password: 'pw-9f3c1a77e2' },
  { scheme: 'soticket', ticket: '7T:dGlja2V0LTRhOGI2ZQ==' },
  { scheme: 'bearer', token: '8A:YmVhcmVyLTVjZDE4Zg==' },
  { scheme: 'session', cookie: 'SoSession=c2Vzc2lvbi03YjJlOQ; XSRF-TOKEN=eHNyZi0zZDkxYw', xsrfToken: 'eHNyZi0zZDkxYw' },
];
const APP_TOKEN = 'app-0123456789abcdef';
/** The secrets as the engine hands them to the Redactor. */
const secrets = [...credentials.flatMap(secretsOf), APP_TOKEN];
let redactor: Redactor;
beforeAll(() => {
  sensitive = Redactor.sensitiveHeaderNames(model);
  redactor = new Redactor(secrets, sensitive);
});
const TICKET = '7T:dGlja2V0LTRhOGI2ZQ==';
const PASSWORD = 'pw-9f3c1a77e2';

describe('Redactor.addSecrets', () => {
  it('redacts a secret learned during the run (a renewed token) from then on, in text and bytes, in all its forms', () => {
    const r = new Redactor(secrets, sensitive);
    const renewed = '8A:cmVuZXdlZC10b2tlbi0xMjM=';
    expect(r.text(`Bearer ${renewed}`)).toBe(`Bearer ${renewed}`);
    r.addSecrets([renewed]);
    expect(r.text(`Bearer ${renewed}`)).toBe(`Bearer ${REDACTED}`);
    expect(r.text(`?t=${encodeURIComponent(renewed)}`)).toBe(`?t=${REDACTED}`);
    expect(Buffer.from(r.bytes(Buffer.from(`x${renewed}x`))).toString()).toBe(`x${REDACTED}x`);
    // The secrets it knew before are still redacted.
    expect(r.text(TICKET)).toBe(REDACTED);
  });
});

describe('Redactor.sensitiveHeaderNames', () => {
  it('names Authorization, Cookie, Set-Cookie, Proxy-Authorization and the spec\'s app-token and XSRF headers, in lower case', () => {
    expect([...new Set(sensitive)].sort()).toEqual(['authorization', 'cookie', 'proxy-authorization', 'set-cookie', 'so-apptoken', 'x-xsrf-token']);
  });
});

describe('Redactor.headers', () => {
  let blank: Redactor;
  beforeAll(() => {
    blank = new Redactor([], sensitive);
  });

  it.each<[string, string]>([
    ['authorization', 'SOTicket 7T:whatever'],
    ['authorization', 'Basic Y2VydGlmeTp3cm9uZw=='],
    ['authorization', 'Bearer x'],
    ['authorization', ''],
    ['cookie', 'SoSession=abc'],
    ['set-cookie', 'XSRF-TOKEN=zzz; Path=/; HttpOnly'],
    ['proxy-authorization', 'Basic abc'],
    ['so-apptoken', 'anything'],
    ['x-xsrf-token', 'anything'],
  ])('redacts %s: %s whole, with no secret known', (name, value) => {
    expect(blank.headers({ [name]: value })).toEqual({ [name]: REDACTED });
  });

  it.each(['Authorization', 'AUTHORIZATION', 'aUtHoRiZaTiOn', 'Cookie', 'Set-Cookie', 'SO-AppToken', 'So-Apptoken', 'X-XSRF-TOKEN', 'x-Xsrf-Token', 'Proxy-Authorization'])(
    'redacts %s whatever the case of its name, keeping the name',
    (name) => {
      expect(blank.headers({ [name]: 'SOTicket 7T:whatever' })).toEqual({ [name]: REDACTED });
      expect(blank.isSensitiveHeader(name)).toBe(true);
    },
  );

  it('takes sensitive names in any case when it is built', () => {
    const r = new Redactor([], ['AUTHORIZATION', 'X-Custom-Key']);
    expect(r.headers({ authorization: 'a', 'x-custom-key': 'b', 'X-CUSTOM-KEY': 'c', other: 'd' })).toEqual({ authorization: REDACTED, 'x-custom-key': REDACTED, 'X-CUSTOM-KEY': REDACTED, other: 'd' });
  });

  it('redacts the credential headers of every scheme as the client sends them', () => {
    for (const c of credentials) {
      const h = authHeaders(model, c, APP_TOKEN);
      const out = blank.headers(h);
      expect(Object.keys(out).sort(), c.scheme).toEqual(Object.keys(h).sort());
      for (const v of Object.values(out)) expect(v, c.scheme).toBe(REDACTED);
    }
  });

  it('redacts known secrets inside other headers and leaves the rest of them alone', () => {
    const out = redactor.headers({
      'x-echo': `you sent SOTicket ${TICKET} and ${APP_TOKEN}`,
      location: `https://host/login?ticket=${TICKET}`,
      'content-type': 'application/json; charset=utf-8',
      'www-authenticate': 'Basic realm="SuperOffice", SOTicket',
    });
    expect(out).toEqual({
      'x-echo': `you sent SOTicket ${REDACTED} and ${REDACTED}`,
      location: `https://host/login?ticket=${REDACTED}`,
      'content-type': 'application/json; charset=utf-8',
      'www-authenticate': 'Basic realm="SuperOffice", SOTicket',
    });
  });

  it('does not change the headers it is given', () => {
    const h = { authorization: 'Bearer x', 'x-echo': TICKET };
    redactor.headers(h);
    expect(h).toEqual({ authorization: 'Bearer x', 'x-echo': TICKET });
  });
});

describe('Redactor.text', () => {
  it.each<[string, string]>([
    ['the ticket', TICKET],
    ['the bearer token', '8A:YmVhcmVyLTVjZDE4Zg=='],
    ['the password', PASSWORD],
    ['the Basic header value (base64 of user:password)', Buffer.from(`certify:${PASSWORD}`).toString('base64')],
    ['the session cookie', 'SoSession=c2Vzc2lvbi03YjJlOQ; XSRF-TOKEN=eHNyZi0zZDkxYw'],
    ['a cookie value', 'c2Vzc2lvbi03YjJlOQ'],
    ['the XSRF token', 'eHNyZi0zZDkxYw'],
    ['the app token', APP_TOKEN],
  ])('redacts %s wherever it appears, every time', (_, secret) => {
    const out = redactor.text(`a ${secret} b ${secret}${secret} c`);
    expect(out).not.toContain(secret);
    expect(out).toBe(`a ${REDACTED} b ${REDACTED}${REDACTED} c`);
  });

  it('replaces a secret that holds another secret whole (longest first)', () => {
    const r = new Redactor(['abcd', 'abcdefgh'], []);
    expect(r.text('xx abcdefgh yy abcd')).toBe(`xx ${REDACTED} yy ${REDACTED}`);
    const r2 = new Redactor(['abcdefgh', 'abcd'], []);
    expect(r2.text('xx abcdefgh yy')).toBe(`xx ${REDACTED} yy`);
  });

  it('leaves text without secrets untouched', () => {
    const s = 'PUT person 7; PNG RGB 8-bit 4x4, raw; auth: basic; Accept: application/json; SOTicket 7T: is the scheme';
    expect(redactor.text(s)).toBe(s);
    expect(redactor.text('')).toBe('');
  });

  it('ignores "secrets" shorter than 4 characters (they would redact ordinary words)', () => {
    const r = new Redactor(['pw', 'abc', ''], []);
    expect(r.text('pw abc')).toBe('pw abc');
  });

  it('redacts a known password in a URL with credentials', () => {
    const out = redactor.text(`https://certify:${PASSWORD}@crm.example.com/SuperOffice/api/v1/Person/7/Image`);
    expect(out).toBe(`https://certify:${REDACTED}@crm.example.com/SuperOffice/api/v1/Person/7/Image`);
  });

  it('redacts a known ticket in a query string', () => {
    expect(redactor.text(`https://host/api?t=${TICKET}&x=1`)).toBe(`https://host/api?t=${REDACTED}&x=1`);
  });

  // A secret written into a URL is percent-encoded: `7T:abc==` becomes `7T%3Aabc%3D%3D` (e.g. a
  // Location header or an undici error message quoting the URL). text() only looks for the
  // secret as it is, so the encoded form passes through.
  it('redacts a known secret percent-encoded in a URL', () => {
    const out = redactor.text(`https://host/login?ticket=${encodeURIComponent(TICKET)}`);
    expect(out).not.toContain(encodeURIComponent(TICKET));
  });

  // A password in a URL's user info is percent-encoded when it holds reserved characters.
  it('redacts a known password with reserved characters in a URL with credentials', () => {
    const r = new Redactor(secretsOf({ scheme: 'basic', user: 'certify', password: 'p@ss:w0rd/1' }), sensitive);
    const url = new URL('https://crm.example.com/SuperOffice/api/v1');
    url.username = 'certify';
    url.password = 'p@ss:w0rd/1';
    expect(r.text(url.href)).not.toContain(url.password);
  });

  // A server echoing a credential base64-encoded (or a body embedding it so) keeps it readable:
  // only the Basic header's base64 of user:password is a known secret.
  it('redacts a known secret base64-encoded in text', () => {
    const b64 = Buffer.from(TICKET).toString('base64');
    expect(redactor.text(`{"echo":"${b64}"}`)).not.toContain(b64);
  });
});

describe('Redactor.bytes', () => {
  const around = (secret: string) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]), Buffer.from(secret, 'latin1'), Buffer.from([0x00, 0x01, 0xfe])]);

  it('redacts a known secret inside binary bytes, keeping the bytes around it', () => {
    const out = Buffer.from(redactor.bytes(around(TICKET)));
    expect(out.includes(Buffer.from(TICKET))).toBe(false);
    expect(out.equals(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]), Buffer.from(REDACTED), Buffer.from([0x00, 0x01, 0xfe])]))).toBe(true);
  });

  it('redacts a secret in a view that starts inside a larger buffer (byteOffset honoured)', () => {
    const big = Buffer.concat([Buffer.from('prefix-bytes '), Buffer.from(`x ${APP_TOKEN} y`), Buffer.from(` suffix ${TICKET}`)]);
    const view = new Uint8Array(big.buffer, big.byteOffset + 13, `x ${APP_TOKEN} y`.length);
    expect(Buffer.from(redactor.bytes(view)).toString('latin1')).toBe(`x ${REDACTED} y`);
  });

  it('returns the very buffer when no secret is in it', () => {
    const b = around('nothing secret here');
    expect(redactor.bytes(b)).toBe(b);
  });

  it('keeps every byte value of a buffer without secrets (latin1 round trip)', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(Buffer.from(redactor.bytes(all)).equals(all)).toBe(true);
  });

  it('leaves no secret in the hex preview of a binary body', () => {
    const body = around(TICKET);
    const p = preview(body, 'application/octet-stream', redactor);
    expect(p.hex, 'a binary body gets a hex preview').toBeDefined();
    expect(p.hex).not.toContain(Buffer.from(TICKET).toString('hex'));
    expect(p.hex).toContain(Buffer.from(REDACTED).toString('hex'));
    expect(p.size).toBe(body.length);
  });

  it('leaves no secret in the text preview of a text body', () => {
    const p = preview(Buffer.from(`{"Error":true,"Message":"bad ticket ${TICKET}"}`), 'application/json', redactor);
    expect(p.text).toBe(`{"Error":true,"Message":"bad ticket ${REDACTED}"}`);
  });

  // bytes() reads the buffer as latin1, so it must look for the secret's UTF-8 bytes (read as
  // latin1), not its characters: else a non-ASCII secret stays in saved bodies and hex previews.
  it('redacts a non-ASCII secret inside UTF-8 bytes', () => {
    const r = new Redactor(secretsOf({ scheme: 'basic', user: 'certify', password: 'pässwörd-ÆØÅ' }), sensitive);
    const b = Buffer.concat([Buffer.from([0x00, 0xff]), Buffer.from('pässwörd-ÆØÅ', 'utf8')]);
    expect(Buffer.from(r.bytes(b)).includes(Buffer.from('pässwörd-ÆØÅ', 'utf8'))).toBe(false);
  });

  // preview() (src/run/counterexample.ts) shows an image body whole as `imageBase64` (the
  // report's thumbnail): a secret inside it (an EXIF or tEXt field, a server echoing credentials
  // into an image) must keep it from being shown.
  it('leaves no secret in the image preview (imageBase64) of an image body', () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(`\x00\x00\x00\x10tEXtComment\x00${TICKET}`, 'latin1')]);
    const p = preview(png, 'image/png', redactor);
    expect(p.imageBase64 === undefined || !Buffer.from(p.imageBase64, 'base64').includes(Buffer.from(TICKET))).toBe(true);
    expect(p.hex).not.toContain(Buffer.from(TICKET).toString('hex'));
    // An image with no secret in it keeps its thumbnail.
    const clean = Buffer.concat([png.subarray(0, 8), Buffer.from('\x00\x00\x00\x04tEXtabcd', 'latin1')]);
    expect(preview(clean, 'image/png', redactor).imageBase64).toBe(clean.toString('base64'));
  });
});

describe('Redactor: cut and altered copies of a secret', () => {
  it('redacts a copy with up to two characters changed, whole; three changed stop the match', () => {
    const two = '7T:dGlja2V0LTRXOXI2ZQ=='; // TICKET with its 15th and 18th characters changed
    expect(redactor.text(`a ${two} b`)).toBe(`a ${REDACTED} b`);
    const three = '7T:dGlja2V0LTXXXXXXXXXXXX';
    expect(redactor.text(`a ${three}`)).toBe(`a ${REDACTED}XXXXXXXXXXXX`);
  });

  it('redacts a copy altered inside its first 12 characters from its last 12 back (a tampered session cookie echoed)', () => {
    const head = `${TICKET.slice(0, 2)}${TICKET[2] === 'X' ? 'Y' : 'X'}${TICKET.slice(3)}`; // one character changed in the head
    expect(redactor.text(`a ${head} b`)).toBe(`a ${REDACTED} b`);
    const twoInHead = `${TICKET[0] === 'Q' ? 'R' : 'Q'}${TICKET.slice(1, 5)}${TICKET[5] === 'Q' ? 'R' : 'Q'}${TICKET.slice(6)}`;
    // The changed first character is left (it is no character of the secret); the rest goes.
    expect(redactor.text(`<${twoInHead}>`)).toBe(`<${twoInHead[0]}${REDACTED}>`);
    const threeInHead = `QQQ${TICKET.slice(3, 5)}QQ${TICKET.slice(7)}`;
    expect(redactor.text(`<${threeInHead}>`).endsWith(`${REDACTED}>`)).toBe(true);
    expect(redactor.text(`<${threeInHead}>`)).not.toContain(TICKET.slice(-12));
  });

  it('walks back from the last 12 characters through at most two changed ones, to the first character of the text', () => {
    const changed = (at: readonly number[]) => [...TICKET].map((c, i) => (at.includes(i) ? '#' : c)).join('');
    // The whole text a copy, changed inside its head: redacted whole, its first character too.
    expect(redactor.text(changed([5]))).toBe(REDACTED);
    // Two changed, the characters before them copies: the walk goes on past both.
    expect(redactor.text(`<${changed([3, 5])}>`)).toBe(`<${REDACTED}>`);
    // A third changed one ends the walk: what stands before it stays, even where it matches again.
    expect(redactor.text(`<${changed([1, 2, 3, 4, 5])}>`)).toBe(`<${TICKET[0]}#####${REDACTED}>`);
  });

  it('redacts a secret cut short, at the end of a text or inside it, from its first 12 characters on', () => {
    const cut = TICKET.slice(0, 14);
    expect(redactor.text(`you sent SOTicket ${cut}`)).toBe(`you sent SOTicket ${REDACTED}`);
    expect(redactor.text(`"${cut}…" was echoed`)).toBe(`"${REDACTED}…" was echoed`);
    const basic = Buffer.from(`certify:${PASSWORD}`).toString('base64');
    expect(redactor.text(`Basic ${basic.slice(0, 20)}`)).toBe(`Basic ${REDACTED}`);
  });

  it('leaves fewer than 12 matching characters alone (a cut that short is no longer the secret)', () => {
    const s = `x ${TICKET.slice(0, 11)} y`;
    expect(redactor.text(s)).toBe(s);
  });

  it('redacts a cut secret inside bytes too', () => {
    const out = Buffer.from(redactor.bytes(Buffer.from(`{"echo":"${TICKET.slice(0, 16)}`))).toString();
    expect(out).toBe(`{"echo":"${REDACTED}`);
  });

  it("forExchange: the credentials an exchange carried (a tampered copy the run sent) are redacted in that exchange's records", () => {
    const tampered = `8A:YmVhcmVyLTVjZDE4Zh==`;
    const sent = { authorization: `Bearer ${tampered}`, 'sO-AppToken': 'app-0123456789abcdeX', accept: 'application/json' };
    const x = redactor.forExchange(sent);
    expect(x.text(`echo: Bearer ${tampered}`)).toBe(`echo: ${REDACTED}`);
    expect(x.text(`token ${tampered}!`)).toBe(`token ${REDACTED}!`);
    // The run's redactor catches a copy with a character changed by itself (up to 2 may differ)...
    expect(redactor.text(`token ${tampered}!`)).toBe(`token ${REDACTED}!`);
    // ...and learns nothing from one exchange: a credential only that exchange carried is its own.
    const other = redactor.forExchange({ authorization: 'Bearer zz-unrelated-credential-0001' });
    expect(other.text('x zz-unrelated-credential-0001 y')).toBe(`x ${REDACTED} y`);
    expect(redactor.text('x zz-unrelated-credential-0001 y')).toBe('x zz-unrelated-credential-0001 y');
    // Values of headers that are not sensitive are not secrets.
    expect(x.text('application/json')).toBe('application/json');
  });

  it("forExchange: a Basic credential's decoded user:password and password, and each cookie value", () => {
    const basic = Buffer.from('certify:pw-9f3c1a77eX').toString('base64');
    const x = redactor.forExchange({ Authorization: `Basic ${basic}`, cookie: 'SoSession=abc123def456ghi; XSRF-TOKEN=zyx987wvu654' });
    expect(x.text('user certify:pw-9f3c1a77eX')).toBe(`user ${REDACTED}`);
    // The real password's first 12 characters go first; what is left is the one character tampered.
    expect(x.text('password pw-9f3c1a77eX')).not.toContain('pw-9f3c1a77e');
    expect(x.text('abc123def456ghi and zyx987wvu654')).toBe(`${REDACTED} and ${REDACTED}`);
  });
});

describe('Redactor: what a report shows, exactly', () => {
  it('puts the literal marker [REDACTED] where a secret was', () => {
    expect(redactor.text(`x ${TICKET} y`)).toBe('x [REDACTED] y');
    expect(Buffer.from(redactor.bytes(Buffer.from(`x ${TICKET} y`))).toString()).toBe('x [REDACTED] y');
  });

  it('a redactor with no secrets changes no text (only what it was given is a secret)', () => {
    const none = new Redactor([], sensitive);
    const text = `Stryker was here; ${'x'.repeat(40)} and a sentence of ordinary words`;
    expect(none.text(text)).toBe(text);
  });

  it('redacts the base64 form of a secret that is no credential header (an app token echoed in a base64 body)', () => {
    const b64 = Buffer.from(APP_TOKEN, 'utf8').toString('base64');
    expect(redactor.text(`body ${b64} end`)).toBe(`body ${REDACTED} end`);
  });

  it('a copy cut one character before the secret ends, at the end of the text, is redacted and the scan ends', () => {
    expect(redactor.text(`echo ${TICKET.slice(0, -1)}`)).toBe(`echo ${REDACTED}`);
    expect(redactor.text(`echo ${TICKET.slice(0, -2)}`)).toBe(`echo ${REDACTED}`);
  });

  it('after three differing characters the copy ends: later characters that happen to match the secret stay', () => {
    // TICKET's first 12 characters, then text that differs, with TICKET's 20th character at its 20th position.
    const copy = `${TICKET.slice(0, 12)}QQQQQQQ${TICKET[19]}QQQQ`;
    expect(redactor.text(copy)).toBe(`${REDACTED}${copy.slice(12)}`);
  });

  it('forExchange redacts the credentials it carried in bytes too', () => {
    const x = redactor.forExchange({ authorization: 'Bearer zz-unrelated-credential-0002' });
    expect(Buffer.from(x.bytes(Buffer.from('a zz-unrelated-credential-0002 b'))).toString()).toBe(`a ${REDACTED} b`);
  });
});

describe('Redactor.sensitiveHeaderNames, with and without a session scheme', () => {
  it("names the spec's app-token and XSRF headers (by role) and the session's XSRF header", () => {
    const names = Redactor.sensitiveHeaderNames(model);
    for (const h of model.headers.filter((x) => x.role === 'app-token' || x.role === 'xsrf-token')) expect(names).toContain(h.name.toLowerCase());
    expect(names).toContain(model.security.session!.headerName.toLowerCase());
  });

  it('a spec without a session scheme: no session header, and no error', () => {
    const noSession = { ...model, security: { ...model.security, session: undefined } } as unknown as typeof model;
    const names = Redactor.sensitiveHeaderNames(noSession);
    expect(names).toEqual(expect.arrayContaining(['authorization', 'cookie', 'set-cookie', 'proxy-authorization']));
  });
});

describe('credentialsIn: the credentials inside a sensitive header value', () => {
  const cases: [string, string, string[]][] = [
    ['a bearer token', 'Bearer tok-123', ['Bearer tok-123', 'tok-123']],
    ['the credential trimmed', 'Bearer   tok-123  ', ['Bearer   tok-123  ', 'tok-123']],
    ['a value without a scheme word', 'tok-123', ['tok-123', 'tok-123']],
    ['Basic: user:password and the password', `Basic ${Buffer.from('user:pass:word').toString('base64')}`, [`Basic ${Buffer.from('user:pass:word').toString('base64')}`, Buffer.from('user:pass:word').toString('base64'), 'user:pass:word', 'pass:word', '']], // '' from base64's '=' padding read as a cookie pair (too short to be a secret)
    ['a scheme word that only contains "basic" is no Basic', `xbasic ${Buffer.from('u:p').toString('base64')}`, [`xbasic ${Buffer.from('u:p').toString('base64')}`, Buffer.from('u:p').toString('base64')]],
    ['a scheme word that only starts with "basic" is no Basic', `basicx ${Buffer.from('u:p').toString('base64')}`, [`basicx ${Buffer.from('u:p').toString('base64')}`, Buffer.from('u:p').toString('base64')]],
    ['each cookie value, trimmed', 'SoSession=abc ; XSRF-TOKEN= xyz', ['SoSession=abc ; XSRF-TOKEN= xyz', '; XSRF-TOKEN= xyz', 'abc', 'xyz']],
    ['a pair without a name is no cookie', '=abc', ['=abc', '=abc']],
  ];
  for (const [what, value, expected] of cases) {
    it(what, () => expect(credentialsIn(value)).toEqual(expected));
  }
});

