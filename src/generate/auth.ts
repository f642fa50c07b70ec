/**
 * Credentials: each configured scheme, valid; and the negative matrix whatever is configured.
 * Scheme words, cookie and header names, and the shape of tickets and tokens come from the
 * spec's security schemes.
 */
import fc from 'fast-check';
import type { Credential } from '../config/credentials.js';
import type { SpecModel } from '../spec/model.js';
import { schemeWords } from '../transport/auth-headers.js';
import type { AuthRecipe } from './case.js';

const AUTHORIZATION = 'authorization';
const token = fc.base64String({ minLength: 8, maxLength: 44 });

/** The prefix of a spec example such as `7T:...` (the part up to and including the first colon). */
function examplePrefix(example: string | undefined): string {
  const i = example?.indexOf(':') ?? -1;
  return example && i >= 0 ? example.slice(0, i + 1) : '';
}

/** A valid credential for one of the configured schemes. */
export function validAuth(credentials: readonly Credential[]): fc.Arbitrary<AuthRecipe> {
  return fc.constantFrom(...credentials.map((c) => c.scheme)).map((scheme) => ({ kind: 'valid', scheme }));
}

/** Changes one character of a secret, keeping its length. */
function tamper(secret: string, at: number): string {
  if (secret.length === 0) return 'x';
  const i = at % secret.length;
  const c = secret[i] === 'A' ? 'B' : 'A';
  return secret.slice(0, i) + c + secret.slice(i + 1);
}

/** Every way to send bad credentials, whatever is configured: the variant's name and its headers. */
function badAuthVariants(model: SpecModel, credentials: readonly Credential[]): [string, fc.Arbitrary<Record<string, string>>][] {
  const sec = model.security;
  const { basic, ticket: ticketWord, bearer: bearerWord } = schemeWords(model);
  const ticketPrefix = examplePrefix(sec.ticket?.example);
  const bearerPrefix = examplePrefix(sec.bearer?.example);
  const configured = <S extends Credential['scheme']>(s: S) => credentials.find((c): c is Extract<Credential, { scheme: S }> => c.scheme === s);
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const bad = (variant: string, headers: fc.Arbitrary<Record<string, string>>): [string, fc.Arbitrary<Record<string, string>>] => [variant, headers];

  const variants: [string, fc.Arbitrary<Record<string, string>>][] = [
    bad('no credentials', fc.constant({})),
    bad(
      'wrong password',
      fc.tuple(fc.stringMatching(/^[a-zA-Z0-9]{4,16}$/)).map(([pw]) => {
        const user = configured('basic')?.user ?? 'conformance';
        return { [AUTHORIZATION]: `${basic} ${b64(`${user}:wrong-${pw}`)}` };
      }),
    ),
    bad('malformed Basic (not base64)', fc.stringMatching(/^[!#$%&*?]{4,12}$/).map((s) => ({ [AUTHORIZATION]: `${basic} ${s}` }))),
    bad('malformed Basic (no colon)', fc.stringMatching(/^[a-zA-Z0-9]{4,16}$/).map((s) => ({ [AUTHORIZATION]: `${basic} ${b64(s)}` }))),
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
      fc.tuple(fc.constantFrom('Digest', 'Negotiate', 'Token', 'NTLM', 'X-Custom'), token).map(([w, t]) => ({ [AUTHORIZATION]: `${w} ${t}` })),
    ),
  ];
  if (sec.session) {
    const session = sec.session;
    variants.push(
      bad(
        'session without X-XSRF-TOKEN',
        token.map((t) => ({ cookie: configured('session')?.cookie ?? `${session.cookieName}=${t}` })),
      ),
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
