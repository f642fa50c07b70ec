/**
 * ImageInfo's CreatedDate and UpdatedDate as the spec describes them (a pattern, not RFC 3339's
 * date-time): the .NET DateTime forms ASP.NET Web API writes (no offset, an offset or Z, 0 to 7
 * fraction digits, DateTime.MinValue for "never") and null pass the ImageInfo validator;
 * garbage does not.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckContext } from '../../src/checks/types.js';
import { checkContext } from '../../src/checks/validators.js';
import { loadSpec } from '../../src/spec/load.js';

let ctx: CheckContext;
beforeAll(async () => {
  ctx = checkContext((await loadSpec()).model);
});

const accepted: [string | null, string][] = [
  ['2026-11-30T05:20:23', 'no offset, no fraction (.NET DateTime, Kind Unspecified)'],
  ['2023-03-08T12:41:55.0133337', 'seven fraction digits'],
  ['2023-03-08T12:41:55.1', 'one fraction digit'],
  ['2023-03-08T12:41:55.013', 'three fraction digits'],
  ['0001-01-01T00:00:00', 'DateTime.MinValue: never'],
  ['2026-11-30T05:20:23Z', 'Z (Kind Utc)'],
  ['2026-11-30T05:20:23.1234567Z', 'seven digits and Z'],
  ['2026-11-30T06:20:23+01:00', 'an offset (Kind Local)'],
  ['2026-11-30T00:20:23.5-05:00', 'a negative offset'],
  ['2026-11-30T05:20:23.123Z', "JavaScript's toISOString (the reference target)"],
  ['9999-12-31T23:59:59.9999999', 'DateTime.MaxValue'],
  [null, 'null'],
];

const rejected: [unknown, string][] = [
  ['yesterday', 'a word'],
  ['', 'the empty string'],
  ['2026-13-45', 'month 13, day 45, no time'],
  ['2026-13-01T00:00:00', 'month 13'],
  ['2026-02-32T00:00:00', 'day 32'],
  ['2026-11-30', 'a date without time'],
  ['2026-11-30T24:00:00', 'hour 24'],
  ['2026-11-30T05:60:00', 'minute 60'],
  ['2026-11-30T05:20:23.12345678', 'eight fraction digits'],
  ['2026-11-30T05:20:23.', 'a point without digits'],
  ['2026-11-30T05:20', 'no seconds'],
  ['2026-11-30 05:20:23', 'a space for T'],
  ['2026-11-30T05:20:23+0100', 'an offset without colon'],
  ['2026-11-30T05:20:23 ', 'a trailing space'],
  ['/Date(1764480023000)/', 'the old Microsoft JSON date'],
  [1764480023000, 'a number'],
];

/** A BlobEntity with `date` as CreatedDate or UpdatedDate. */
function entity(field: 'CreatedDate' | 'UpdatedDate', date: unknown) {
  return { BlobId: 825, MimeType: 'image/png', ConceptualType: 'PERSONPHOTO', [field]: date };
}

describe('ImageInfo dates', () => {
  for (const field of ['CreatedDate', 'UpdatedDate'] as const) {
    for (const [date, why] of accepted) {
      it(`${field} ${JSON.stringify(date)} is accepted (${why})`, () => {
        const ok = ctx.imageInfoValidator(entity(field, date));
        expect(ctx.imageInfoValidator.errors ?? null).toBeNull();
        expect(ok).toBe(true);
      });
    }
    for (const [date, why] of rejected) {
      it(`${field} ${JSON.stringify(date)} is rejected (${why})`, () => {
        expect(ctx.imageInfoValidator(entity(field, date))).toBe(false);
        expect(ctx.imageInfoValidator.errors?.[0]?.instancePath).toBe(`/${field}`);
      });
    }
  }

  it('a whole ImageInfo as a SuperOffice installation writes it passes', () => {
    const info = {
      BlobId: 825,
      BlobSize: 10213,
      Description: '',
      ExtraInfo: null,
      IsEncrypted: false,
      IsZipped: false,
      MimeType: 'image/jpeg',
      OriginalSize: 10213,
      CreatedDate: '2023-03-08T12:41:55.0133337',
      UpdatedDate: '0001-01-01T00:00:00',
      CreatedBy: 5,
      UpdatedBy: 0,
      ConceptualType: 'PERSONPHOTO',
    };
    expect(ctx.imageInfoValidator(info)).toBe(true);
  });
});
