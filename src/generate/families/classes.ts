/**
 * The value classes each family must send at least once in every full run (see ValueClass): the
 * documented values and the kinds of input the rules name, read off the spec and the generators,
 * so that power does not depend on the seed.
 */
import type { Credential } from '../../config/credentials.js';
import type { SpecModel } from '../../spec/model.js';
import { headersWithRole } from '../../spec/model.js';
import { APP_TOKEN_SHAPES, appTokenNoiseOf, appTokenShapeOf, badAuthVariantNames, schemeWordOf, schemeWordVariants } from '../auth.js';
import type { CaseRecipe, PersonClass } from '../case.js';
import { IMAGE_FORMATS } from '../images/media-types.js';
import { ancillaryList, PNG_ANCILLARY } from '../images/png-chunks.js';
import { sendable } from '../language.js';
import { badEscapeOf } from '../person-ids.js';
import { undeclaredContentTypes } from './shared.js';
import type { ValueClass } from './types.js';

const cls = (name: string, matches: (r: CaseRecipe) => boolean): ValueClass => ({ name, matches });

/**
 * Each invalid body kind raw, the kinds the multipart rule judges also as the image part, and
 * multipart without the image part. (Damage is judged however it is sent: one class each.)
 * Damage also by the size of the image it is in and, for cuts, by where in the data it falls.
 */
export function invalidBodyClasses(kinds: readonly { kind: string; class: string }[]): ValueClass[] {
  const of = (k: string, as?: 'raw' | 'multipart') => (r: CaseRecipe) => r.body.kind === 'invalid' && r.body.invalid.kind === k && (as === undefined || r.body.as === as);
  return [
    ...kinds.flatMap(({ kind, class: c }) =>
      c === 'damaged' ? [cls(kind, of(kind))] : [cls(kind, of(kind, 'raw')), cls(`${kind} in multipart`, of(kind, 'multipart'))],
    ),
    cls('multipart without image part', (r) => r.body.kind === 'multipart-without-image'),
    ...damageClasses(),
  ];
}

/** Pixels of the largest small and medium images (64x64, 512x512): the tiers of images/dimensions.ts. */
const SMALL_PIXELS = 64 * 64;
const MEDIUM_PIXELS = 512 * 512;

function damageClasses(): ValueClass[] {
  const damaged = (r: CaseRecipe) => (r.body.kind === 'invalid' && r.body.invalid.class === 'damaged' ? r.body.invalid : undefined);
  const pixels = (r: CaseRecipe) => { const b = damaged(r)?.base; return b ? b.width * b.height : undefined; };
  const cut = (f: string, r: CaseRecipe) => { const d = damaged(r); return d?.format === f ? d.at : undefined; };
  return [
    cls('damage in a small image', (r) => { const p = pixels(r); return p !== undefined && p <= SMALL_PIXELS; }),
    cls('damage in a medium image', (r) => { const p = pixels(r); return p !== undefined && p > SMALL_PIXELS && p <= MEDIUM_PIXELS; }),
    cls('damage in a large image', (r) => { const p = pixels(r); return p !== undefined && p > MEDIUM_PIXELS; }),
    // libvips reads every pixel of an Adam7-interlaced PNG whose zlib data is corrupt without a
    // word through stats() (measured: 40 of 40, 4 to 300 px a side; its raw output does warn), so
    // a server that trusts such a decode accepts it: drawn in every run, not only when the
    // one-in-four interlaced base happens to meet this damage.
    cls('png corrupt data in an interlaced image', (r) => { const d = damaged(r); return d?.kind === 'png-corrupt-data' && d.base?.options.interlaced === true; }),
    ...IMAGE_FORMATS.flatMap((f) => [
      cls(`${f} cut at the first byte of its image data`, (r) => cut(f, r) === 0),
      cls(`${f} cut inside its image data`, (r) => { const a = cut(f, r); return a !== undefined && a > 0 && a < 1; }),
      cls(`${f} cut before the last byte of its image data`, (r) => cut(f, r) === 1),
    ]),
  ];
}

/**
 * Each language header valid and malformed, each of its documented examples, region codes and
 * q-lists; a documented value counts only in a case whose other language headers are valid too
 * (else the rule on malformed values judges it).
 */
export function languageClasses(model: SpecModel): ValueClass[] {
  const out: ValueClass[] = [];
  const allValid = (r: CaseRecipe) => r.language.every((x) => !x.malformed);
  for (const h of headersWithRole(model, 'language')) {
    const valueOf = (r: CaseRecipe) => r.language.find((x) => x.name === h.name);
    const validValue = (r: CaseRecipe) => (allValid(r) ? valueOf(r)?.value : undefined);
    out.push(cls(`${h.name} valid`, (r) => valueOf(r)?.malformed === false));
    out.push(cls(`${h.name} malformed`, (r) => valueOf(r)?.malformed === true));
    for (const example of h.examples.filter(sendable)) out.push(cls(`${h.name}: ${example}`, (r) => validValue(r) === example));
    if (h.name.toLowerCase() === 'accept-language') {
      out.push(cls(`${h.name}: a region code`, (r) => /^[a-z]{2}-[a-z]{2}$/i.test(validValue(r) ?? '')));
      out.push(cls(`${h.name}: a list with q-values`, (r) => /,.*;q=/.test(validValue(r) ?? '')));
    }
  }
  return out;
}

/** Whether an Accept list gives a declared type of another family a higher q than its first type. */
function qPrefersAnotherFamily(model: SpecModel, accept: string | undefined): boolean {
  if (accept === undefined || !accept.includes(',')) return false;
  const familyOf = (t: string) => model.successMediaTypes.find((m) => m.type === t)?.family;
  const entries = accept.split(',').map((e) => {
    const [type = '', ...params] = e.split(';').map((p) => p.trim());
    const q = params.find((p) => /^q=/i.test(p));
    return { family: familyOf(type.toLowerCase()), q: q === undefined ? 1 : Number(q.slice(2)) };
  });
  const [first, ...rest] = entries;
  return first?.family !== undefined && Number.isFinite(first.q) && rest.some((e) => e.family !== undefined && e.family !== first.family && Number.isFinite(e.q) && e.q > first.q);
}

/**
 * No Accept, each declared response type alone, a wildcard alone, a list with q-values, a list
 * whose q-values prefer another family than its first type, a type no 200 declares.
 */
export function acceptClasses(model: SpecModel): ValueClass[] {
  const declared = model.successMediaTypes.map((m) => m.type);
  const alone = (r: CaseRecipe) => (r.accept === undefined || r.accept.includes(',') ? undefined : r.accept.split(';')[0]!.trim());
  return [
    cls('no Accept', (r) => r.accept === undefined),
    ...declared.map((t) => cls(t, (r) => r.accept === t)),
    cls('a wildcard alone', (r) => alone(r)?.endsWith('/*') === true),
    cls('a list with q-values', (r) => r.accept?.includes(',') === true && r.accept.includes(';q=')),
    // A server that ignores q-values and answers the first type listed is caught only where the
    // first type is not the one preferred: drawn in every run, not left to the seed.
    cls('a list whose q-values prefer another family than its first type', (r) => qPrefersAnotherFamily(model, r.accept)),
    cls('a type no 200 declares', (r) => { const a = alone(r); return a !== undefined && !a.endsWith('/*') && !declared.includes(a); }),
  ];
}

/**
 * Each configured scheme valid, with each of its scheme words (`valid soticket as SOTICKET`), in a
 * case with nothing beside the credentials (else valid-credentials-accepted does not judge it);
 * each shape of an SO-AppToken beside valid credentials; each bad-credential variant.
 */
export function authClasses(model: SpecModel, credentials: readonly Credential[]): ValueClass[] {
  const valid = (r: CaseRecipe, scheme: string) => r.auth.kind === 'valid' && r.auth.scheme === scheme && r.noise.length === 0;
  const appTokenName = headersWithRole(model, 'app-token')[0]?.name;
  const appTokenShape = (r: CaseRecipe) => {
    const h = r.auth.kind === 'valid' ? appTokenNoiseOf(model, r) : undefined;
    return h ? appTokenShapeOf(model, h.value) : undefined;
  };
  return [
    ...credentials.flatMap((c) => {
      const words = schemeWordVariants(model, c.scheme);
      if (words.length === 0) return [cls(`valid ${c.scheme}`, (r) => valid(r, c.scheme))];
      return words.map((w) => cls(`valid ${c.scheme} as ${w}`, (r) => valid(r, c.scheme) && schemeWordOf(model, r.auth) === w));
    }),
    ...(appTokenName ? APP_TOKEN_SHAPES.map((shape) => cls(`${appTokenName}: ${shape}`, (r) => appTokenShape(r) === shape)) : []),
    ...badAuthVariantNames(model).map((v) => cls(v, (r) => r.auth.kind === 'bad' && r.auth.variant === v)),
  ];
}

/** Each class of person id. */
export function personClasses(classes: readonly PersonClass[]): ValueClass[] {
  return classes.map((c) => cls(`person id ${c}`, (r) => r.person.class === c));
}

/**
 * A malformed percent-escape in the person id segment, alone and after the configured person's id
 * (where a server that decodes leniently and reads the leading digits finds that person).
 */
export function badEscapeClasses(): ValueClass[] {
  return (['alone', 'after the id'] as const).map((place) =>
    cls(`person id not-int32: a bad percent-escape ${place === 'alone' ? 'alone' : "after the person's id"}`, (r) => r.person.class === 'not-int32' && badEscapeOf(r.person.segment) === place),
  );
}

/** Each image format, raw and as multipart. */
export function imageClasses(): ValueClass[] {
  return IMAGE_FORMATS.flatMap((f) =>
    (['raw', 'multipart'] as const).map((as) => cls(`${f} ${as}`, (r) => r.body.kind === 'image' && r.body.image.format === f && r.body.as === as)),
  );
}

/**
 * Each Content-Type the spec does not declare (image bytes raw under it), image bytes under another
 * declared image type, each shape of a malformed Content-Type (`shapes`: the family's, each
 * recognising its values), and a multipart body under an undeclared type with a boundary parameter.
 */
export function contentTypeClasses(model: SpecModel, shapes: readonly { name: string; matches(value: string): boolean }[]): ValueClass[] {
  const undeclared = (r: CaseRecipe) => (r.body.kind === 'image' && r.body.typeClass === 'undeclared' ? r.body : undefined);
  return [
    ...undeclaredContentTypes(model).map((t) => cls(`undeclared ${t || '(none)'}`, (r) => undeclared(r)?.as === 'raw' && undeclared(r)?.declaredType === t)),
    cls('another image type', (r) => r.body.kind === 'image' && r.body.typeClass === 'mismatch'),
    ...shapes.map((s) => cls(`malformed: ${s.name}`, (r) => { const b = undeclared(r); return b?.as === 'raw' && b.declaredType !== undefined && s.matches(b.declaredType); })),
    cls('multipart under an undeclared type with a boundary', (r) => undeclared(r)?.as === 'multipart'),
  ];
}

/** A valid multipart upload framed as .NET's HttpClient frames it (quoted boundary, unquoted names). */
export function multipartFramingClasses(): ValueClass[] {
  return [cls("multipart framed as .NET's HttpClient frames it", (r) => r.body.kind === 'image' && r.body.as === 'multipart' && r.body.framing === 'dotnet')];
}

/**
 * The variety real files have, each sent raw (judged by valid-raw-upload): JPEG in CMYK and YCCK
 * (Adobe APP14), with an embedded ICC profile and with fill bytes before its markers, PNG with each
 * ancillary chunk, GIF without a global colour table, TIFF whose pages differ in size.
 */
export function imageVarietyClasses(): ValueClass[] {
  const rawImage = (r: CaseRecipe) => (r.body.kind === 'image' && r.body.as === 'raw' && r.body.typeClass === undefined ? r.body.image : undefined);
  const jpeg = (r: CaseRecipe) => { const i = rawImage(r); return i?.format === 'jpeg' ? i.options : undefined; };
  const pngChunks = (r: CaseRecipe) => { const i = rawImage(r); return i?.format === 'png' ? ancillaryList(i.options.ancillary) : []; };
  const optionsOf = (f: 'gif' | 'tiff', r: CaseRecipe) => { const i = rawImage(r); return i?.format === f ? i.options : undefined; };
  return [
    cls('jpeg cmyk raw', (r) => jpeg(r)?.colour === 'cmyk'),
    cls('jpeg ycck raw', (r) => jpeg(r)?.colour === 'ycck'),
    cls('jpeg with ICC profile raw', (r) => { const icc = jpeg(r)?.icc; return icc !== undefined && icc !== 'none'; }),
    ...PNG_ANCILLARY.map((c) => cls(`png with ${c} raw`, (r) => pngChunks(r).includes(c))),
    cls('jpeg with fill bytes raw', (r) => Number(jpeg(r)?.fillBytes ?? 0) > 0),
    cls('gif without global colour table raw', (r) => optionsOf('gif', r)?.noGlobalTable === true),
    cls('tiff with pages of differing sizes raw', (r) => optionsOf('tiff', r)?.pagesDiffer === true),
  ];
}

/** Each format's image at the largest dimensions it allows (raw or multipart: one rule judges both). */
export function extremeImageClasses(): ValueClass[] {
  return (['png', 'gif'] as const).map((f) =>
    cls(`${f} largest declared dimensions`, (r) => r.body.kind === 'image' && r.body.typeClass === 'extreme' && r.body.image.format === f),
  );
}
