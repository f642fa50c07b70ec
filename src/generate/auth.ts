/**
 * Credentials: each configured scheme, valid; and the negative matrix whatever is configured.
 * Scheme words, cookie and header names, and the shape of tickets and tokens come from the
 * spec's security schemes.
 */
import fc from 'fast-check';
import type { Credential, CredentialScheme } from '../config/credentials.js';
import type { SpecModel } from '../spec/model.js';
import { headersWithRole } from '../spec/model.js';
import { schemeWords, type SendAs } from '../transport/auth-headers.js';
import type { AuthRecipe, CaseRecipe, HeaderValue } from './case.js';

const AUTHORIZATION = 'authorization';
const token = fc.base64String({ minLength: 8, maxLength: 44 });

/** The prefix of a spec example such as `7T:...` (the part up to and including the first colon). */
function examplePrefix(example: string | undefined): string {
  const i = example?.indexOf(':') ?? -1;
  return example && i >= 0 ? example.slice(0, i + 1) : '';
}

/** A valid credential for one of the configured schemes, with the spec's scheme word. */
export function validAuth(credentials: readonly Credential[]): fc.Arbitrary<AuthRecipe> {
  return fc.constantFrom(...credentials.map((c) => c.scheme)).map((scheme) => ({ kind: 'valid', scheme }));
}

/** The scheme word a valid recipe sends (undefined for a session, which has none). */
export function schemeWordOf(model: SpecModel, auth: AuthRecipe): string | undefined {
  if (auth.kind !== 'valid' || auth.scheme === 'session') return undefined;
  const words = schemeWords(model);
  return auth.schemeWord ?? { basic: words.basic, soticket: words.ticket, bearer: words.bearer }[auth.scheme];
}

/**
 * The scheme words a real client may send for the scheme, all valid (scheme names are
 * case-insensitive, RFC 9110 §11.1; the docs show `SOTicket` and `SOTICKET`): the word as sent by
 * default, the spec's own spelling, upper case and lower case. None for a session.
 */
export function schemeWordVariants(model: SpecModel, scheme: CredentialScheme): string[] {
  const own = schemeWordOf(model, { kind: 'valid', scheme });
  if (own === undefined) return [];
  const spec = { basic: model.security.basic?.scheme, soticket: model.security.ticket?.scheme, bearer: model.security.bearer?.scheme }[scheme as 'basic' | 'soticket' | 'bearer'] ?? own;
  return [...new Set([own, spec, own.toUpperCase(), own.toLowerCase()])];
}

/** A valid credential of a configured scheme, sent with one of its scheme words (every word of every scheme alike). */
export function validAuthWords(model: SpecModel, credentials: readonly Credential[]): fc.Arbitrary<AuthRecipe> {
  const choices = credentials.flatMap((c): AuthRecipe[] => {
    const words = schemeWordVariants(model, c.scheme);
    return words.length === 0 ? [{ kind: 'valid', scheme: c.scheme }] : words.map((schemeWord) => ({ kind: 'valid', scheme: c.scheme, schemeWord }));
  });
  return fc.constantFrom(...choices);
}

/** How the case's valid credential is sent: its scheme word, and no configured app token when the case carries its own. */
export function sendAs(model: SpecModel, recipe: CaseRecipe): SendAs {
  const as: SendAs = {};
  if (recipe.auth.kind === 'valid' && recipe.auth.schemeWord !== undefined) as.schemeWord = recipe.auth.schemeWord;
  if (appTokenNoiseOf(model, recipe)) as.withoutAppToken = true;
  return as;
}

// ---- SO-AppToken beside valid credentials -----------------------------------------------------

/** The shapes of an SO-AppToken sent beside valid credentials (none names a registered app). */
export const APP_TOKEN_SHAPES = ['random', 'empty', 'long', 'other format'] as const;
type AppTokenShape = (typeof APP_TOKEN_SHAPES)[number];

/** Longer than this is a `long` token. */
const LONG_APP_TOKEN = 256;

/** The characters of an app token: hex when the spec's example is hex (or there is none), else base64url. */
function appTokenAlphabet(model: SpecModel): { chars: string; pattern: RegExp } {
  const example = headersWithRole(model, 'app-token')[0]?.examples[0];
  return example === undefined || /^[0-9a-f]+$/i.test(example)
    ? { chars: '0123456789abcdef', pattern: /^[0-9a-f]+$/i }
    : { chars: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', pattern: /^[A-Za-z0-9_-]+$/ };
}

/** The shape of an app-token value: empty, long, of the app token's alphabet (random) or of another format. */
export function appTokenShapeOf(model: SpecModel, value: string): AppTokenShape {
  if (value === '') return 'empty';
  if (!appTokenAlphabet(model).pattern.test(value)) return 'other format';
  return value.length > LONG_APP_TOKEN ? 'long' : 'random';
}

/** The SO-AppToken a recipe carries as noise, if any. */
export function appTokenNoiseOf(model: SpecModel, recipe: CaseRecipe): HeaderValue | undefined {
  const name = headersWithRole(model, 'app-token')[0]?.name.toLowerCase();
  return name === undefined ? undefined : recipe.noise.find((h) => h.name.toLowerCase() === name);
}

/**
 * An SO-AppToken of each shape, none of a registered app: a random token of the app token's
 * alphabet, an empty value, a very long one (within every server's header limits), one of another
 * format (a GUID in braces, a JWT, padded base64, `id:secret`, words). Undefined when the spec
 * has no app-token header.
 */
export function appTokenNoise(model: SpecModel): fc.Arbitrary<HeaderValue[]> | undefined {
  const header = headersWithRole(model, 'app-token')[0];
  if (!header) return undefined;
  const { chars } = appTokenAlphabet(model);
  const of = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...chars), minLength: min, maxLength: max });
  const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
  const b64 = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b).toString('base64'));
  const otherFormat = fc.oneof(
    fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((p) => `{${p.join('-')}}`),
    b64(12).map((p) => `eyJhbGciOiJIUzI1NiJ9.${p.replace(/[+/=]/g, 'x')}.${p.slice(0, 8).replace(/[+/=]/g, 'y')}`),
    b64(10),
    fc.tuple(hex(8), hex(16)).map(([id, secret]) => `${id}:${secret}`),
    hex(8).map((h) => `no such app ${h}`),
  );
  const value = fc.oneof(of(12, 40), fc.constant(''), of(LONG_APP_TOKEN * 4, LONG_APP_TOKEN * 8), otherFormat);
  return value.map((v): HeaderValue[] => [{ name: header.name, value: v, malformed: false }]);
}

/** Scheme words no SuperOffice installation knows. */
const UNKNOWN_SCHEMES = ['Digest', 'Negotiate', 'Token', 'NTLM', 'X-Custom'] as const;

/**
 * What follows valid base64 in `malformed Basic (valid base64 with junk after it)`: characters
 * outside the base64 alphabet, bare or followed by padding as if they were data (`!!==`, `#$%=`),
 * or one alphabet character, bare or padded (`A`, `Q=`, `g==`), which is no whole byte. Never
 * whitespace (.NET's decoder skips it) and never a whole quantum (that decodes to more bytes).
 */
const BASE64_ALPHABET = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
const BASE64_JUNK = fc.oneof(
  fc.stringMatching(/^[!#$%&*?]{1,4}$/),
  fc.stringMatching(/^[!#$%&*?]{2}==$/),
  fc.stringMatching(/^[!#$%&*?]{3}=$/),
  BASE64_ALPHABET,
  BASE64_ALPHABET.map((c) => `${c}=`),
  BASE64_ALPHABET.map((c) => `${c}==`),
);

/** Changes one character of a secret, keeping its length. */
function tamper(secret: string, at: number): string {
  if (secret.length === 0) return 'x';
  const i = at % secret.length;
  const c = secret[i] === 'A' ? 'B' : 'A';
  return secret.slice(0, i) + c + secret.slice(i + 1);
}

/**
 * Changes one letter or digit of a secret into its neighbour (`a`/`b`, `e`/`f`, `4`/`5`, `Y`/`Z`),
 * keeping its length and its alphabet (hex stays hex, base32 and base64 stay so), never in its
 * last three characters when it is longer: there a base64 character may carry only padding bits,
 * and a decoder that ignores those reads the same bytes (`QQ==` and `QR==` both decode to `A`).
 * Without a letter or digit there, an `x` is appended.
 */
function tamperFirmly(secret: string, at: number): string {
  const end = secret.length > 3 ? secret.length - 3 : secret.length;
  const firm = [...secret.slice(0, end)].flatMap((c, i) => (/[A-Za-z0-9]/.test(c) ? [i] : []));
  if (firm.length === 0) return `${secret}x`;
  const i = firm[at % firm.length]!;
  const code = secret.charCodeAt(i);
  const first = /[0-9]/.test(secret[i]!) ? 48 : /[a-z]/.test(secret[i]!) ? 97 : 65;
  return secret.slice(0, i) + String.fromCharCode(first + ((code - first) ^ 1)) + secret.slice(i + 1);
}

/** The pairs of a Cookie header in order (a part without `=` is kept as it is, with no value). */
function cookiePairs(header: string): { name: string; value?: string }[] {
  return header
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? { name: p } : { name: p.slice(0, eq).trim(), value: p.slice(eq + 1).trim() };
    });
}

function cookieHeader(pairs: readonly { name: string; value?: string }[]): string {
  return pairs.map((p) => (p.value === undefined ? p.name : `${p.name}=${p.value}`)).join('; ');
}

/** A way to send bad credentials: its name and its headers. */
type BadVariant = [variant: string, headers: fc.Arbitrary<Record<string, string>>];
const bad = (variant: string, headers: fc.Arbitrary<Record<string, string>>): BadVariant => [variant, headers];

/**
 * A session's bad variants beyond a missing X-XSRF-TOKEN, each wrong in one way with everything
 * else as configured: the header differs from the XSRF token; the session's own cookies are left
 * out (the XSRF cookie and header alone); they are tampered (the XSRF cookie and header valid); the
 * XSRF cookie and the header are both left out (the session cookies alone). Each is refused by any
 * server that checks a session at all, whether it compares the header with the cookie (double
 * submit) or with a token it keeps with the session. Not sent: the session cookies and a valid
 * header without the XSRF cookie (a server that keeps the token with the session may accept it),
 * and a valid session with an XSRF cookie and header that agree but are not the session's (a
 * double-submit server accepts it); the contract decides neither.
 *
 * Where the configured cookie holds nothing but the XSRF cookie, leaving out or tampering the
 * session cookies would send the valid credential: a tampered XSRF cookie and header go instead
 * (and no cookie at all for the last variant).
 * Without a configured session, random tokens under the spec's cookie and header names (and a
 * random `session` cookie for the last variant): bad whatever the server.
 */
function sessionVariants(
  session: NonNullable<SpecModel['security']['session']>,
  configured: Extract<Credential, { scheme: 'session' }> | undefined,
): BadVariant[] {
  const header = session.headerName.toLowerCase();
  const xsrf = (cookie: string, token: string) => ({ cookie: `${session.cookieName}=${cookie}`, [header]: token });
  if (!configured) {
    return [
      ['session with a wrong X-XSRF-TOKEN', fc.tuple(token, fc.nat()).map(([t, at]) => xsrf(t, tamperFirmly(t, at)))],
      ['session without its session cookie', token.map((t) => xsrf(t, t))],
      ['session with a tampered session cookie', token.map((t) => xsrf(t, t))],
      ['session without X-XSRF-TOKEN or its XSRF cookie', token.map((t) => ({ cookie: `session=${t}` }))],
    ];
  }
  const pairs = cookiePairs(configured.cookie);
  const isXsrf = (p: { name: string }) => p.name === session.cookieName;
  const own = pairs.filter((p) => !isXsrf(p));
  const xsrfCookie = pairs.filter(isXsrf);
  const tamperedPair = (at: number) => {
    const t = tamperFirmly(configured.xsrfToken, at);
    return xsrf(t, t);
  };
  return [
    ['session with a wrong X-XSRF-TOKEN', fc.nat().map((at) => ({ cookie: configured.cookie, [header]: tamperFirmly(configured.xsrfToken, at) }))],
    [
      'session without its session cookie',
      fc.nat().map((at) =>
        own.length === 0 ? tamperedPair(at) : { cookie: xsrfCookie.length > 0 ? cookieHeader(xsrfCookie) : `${session.cookieName}=${configured.xsrfToken}`, [header]: configured.xsrfToken },
      ),
    ],
    [
      'session with a tampered session cookie',
      fc.nat().map((at) =>
        own.length === 0
          ? tamperedPair(at)
          : { cookie: cookieHeader(pairs.map((p) => (isXsrf(p) || p.value === undefined ? p : { name: p.name, value: tamperFirmly(p.value, at) }))), [header]: configured.xsrfToken },
      ),
    ],
    ['session without X-XSRF-TOKEN or its XSRF cookie', fc.constant<Record<string, string>>(own.length === 0 ? {} : { cookie: cookieHeader(own) })],
  ];
}

/** The bad Basic credentials: a wrong password, no base64, no colon, junk after valid base64. */
function badBasicVariants(basic: string, c: Extract<Credential, { scheme: 'basic' }> | undefined): BadVariant[] {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return [
    bad(
      'wrong password',
      fc.tuple(fc.stringMatching(/^[a-zA-Z0-9]{4,16}$/)).map(([pw]) => {
        const user = c?.user ?? 'conformance';
        return { [AUTHORIZATION]: `${basic} ${b64(`${user}:wrong-${pw}`)}` };
      }),
    ),
    bad('malformed Basic (not base64)', fc.stringMatching(/^[!#$%&*?]{4,12}$/).map((s) => ({ [AUTHORIZATION]: `${basic} ${s}` }))),
    bad('malformed Basic (no colon)', fc.stringMatching(/^[a-zA-Z0-9]{4,16}$/).map((s) => ({ [AUTHORIZATION]: `${basic} ${b64(s)}` }))),
    // A decoder that skips what is not base64 (Node's Buffer.from) reads the configured user and
    // password out of these; a strict one (.NET's Convert.FromBase64String) refuses them.
    bad(
      'malformed Basic (valid base64 with junk after it)',
      fc.tuple(fc.stringMatching(/^[a-zA-Z0-9]{4,16}$/), BASE64_JUNK).map(([pw, junk]) => {
        return { [AUTHORIZATION]: `${basic} ${b64(`${c?.user ?? 'conformance'}:${c?.password ?? pw}`)}${junk}` };
      }),
    ),
  ];
}

/** Every way to send bad credentials, whatever is configured: the variant's name and its headers. */
function badAuthVariants(model: SpecModel, credentials: readonly Credential[]): BadVariant[] {
  const sec = model.security;
  const { basic, ticket: ticketWord, bearer: bearerWord } = schemeWords(model);
  const ticketPrefix = examplePrefix(sec.ticket?.example);
  const bearerPrefix = examplePrefix(sec.bearer?.example);
  const configured = <S extends Credential['scheme']>(s: S) => credentials.find((c): c is Extract<Credential, { scheme: S }> => c.scheme === s);

  const variants: BadVariant[] = [
    bad('no credentials', fc.constant({})),
    // A client whose credential came out empty; a server that splits the header at its space fails.
    bad('no credentials (an empty Authorization header)', fc.constant({ [AUTHORIZATION]: '' })),
    ...badBasicVariants(basic, configured('basic')),
    bad('random ticket', token.map((t) => ({ [AUTHORIZATION]: `${ticketWord} ${ticketPrefix}${t}` }))),
    bad(
      'tampered ticket',
      fc.nat().map((at) => ({ [AUTHORIZATION]: `${ticketWord} ${tamper(configured('soticket')?.ticket ?? sec.ticket?.example ?? 'ticket', at)}` })),
    ),
    bad('random bearer token', token.map((t) => ({ [AUTHORIZATION]: `${bearerWord} ${bearerPrefix}${t}` }))),
    bad(
      'tampered bearer token',
      fc.nat().map((at) => ({ [AUTHORIZATION]: `${bearerWord} ${tamper(configured('bearer')?.token ?? sec.bearer?.example ?? 'token', at)}` })),
    ),
    bad(
      'unknown scheme',
      fc.tuple(fc.constantFrom(...UNKNOWN_SCHEMES), token).map(([w, t]) => ({ [AUTHORIZATION]: `${w} ${t}` })),
    ),
    // A server that checks the token but not the scheme word in front of it accepts these.
    bad(
      'a valid token under an unknown scheme word',
      fc
        .tuple(fc.constantFrom(...UNKNOWN_SCHEMES), fc.constantFrom(configured('bearer')?.token ?? sec.bearer?.example ?? 'token', configured('soticket')?.ticket ?? sec.ticket?.example ?? 'ticket'))
        .map(([w, t]) => ({ [AUTHORIZATION]: `${w} ${t}` })),
    ),
  ];
  if (sec.session) {
    const session = sec.session;
    variants.push(
      bad(
        'session without X-XSRF-TOKEN',
        token.map((t) => ({ cookie: configured('session')?.cookie ?? `${session.cookieName}=${t}` })),
      ),
      ...sessionVariants(session, configured('session')),
    );
  }
  return variants;
}

/** Bad credentials of every variant, whatever is configured. */
export function badAuth(model: SpecModel, credentials: readonly Credential[]): fc.Arbitrary<AuthRecipe> {
  return fc.oneof(...badAuthVariants(model, credentials).map(([variant, headers]) => headers.map((h): AuthRecipe => ({ kind: 'bad', variant, headers: h }))));
}

/** The names of the bad-credential variants (a recipe's `auth.variant`). */
export function badAuthVariantNames(model: SpecModel): string[] {
  return badAuthVariants(model, []).map(([name]) => name);
}
