/**
 * A conforming target whose ImageInfo dates are written the way a .NET installation writes them
 * (contract notes, "Platform facts": .NET `DateTime` in JSON). Json.NET's default ISO format is
 * `yyyy-MM-ddTHH:mm:ss.FFFFFFFK`: up to seven fraction digits with trailing zeros dropped (so
 * 0 to 7 digits), and a kind suffix that is nothing for an unspecified `DateTime` (the usual
 * case: `2026-11-30T05:20:23`), `Z` for a UTC one and the offset (`+01:00`) for a local one.
 * "Never" is `DateTime.MinValue`, `0001-01-01T00:00:00`: both dates when the person has no
 * image, and `UpdatedDate` of an image saved once and not updated since.
 *
 * The form of each date comes from a counter, not a clock or a random draw, so the same requests
 * give the same forms: the precision cycles 0..7 digits and the kind cycles unspecified,
 * unspecified, Z, unspecified, +01:00 (coprime cycles, so every pairing turns up).
 */
import { defaultBehaviour as d } from '../../src/target/behaviour.js';
import { embeddedCredentials } from '../../src/run/target.js';
import { startReferenceTarget } from '../../src/target/server.js';
import type { TargetBehaviour } from '../../src/target/types.js';
import type { StartedTarget } from './index.js';

/** `DateTime.MinValue` as Json.NET writes it. */
export const DOTNET_NEVER = '0001-01-01T00:00:00';

export type DateKind = 'unspecified' | 'utc' | 'local';

const KIND_CYCLE: readonly DateKind[] = ['unspecified', 'unspecified', 'utc', 'unspecified', 'local'];
/** The offset a "local" date is written with (Central European winter time, as an installation in Oslo). */
const LOCAL_OFFSET_MINUTES = 60;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * A date as Json.NET writes a `DateTime` of the given kind whose ticks were cut to `digits`
 * fraction digits (0..7; as a database column of that precision stores it): `FFFFFFF` then drops
 * trailing zeros, so a cut value may print fewer digits. The instant moves back by less than
 * 10^-digits s (plus the sub-millisecond ticks made up below).
 */
export function dotnetDate(at: Date, digits: number, kind: DateKind): string {
  const shifted = kind === 'local' ? new Date(at.getTime() + LOCAL_OFFSET_MINUTES * 60_000) : at;
  const wall =
    `${pad(shifted.getUTCFullYear(), 4)}-${pad(shifted.getUTCMonth() + 1, 2)}-${pad(shifted.getUTCDate(), 2)}` +
    `T${pad(shifted.getUTCHours(), 2)}:${pad(shifted.getUTCMinutes(), 2)}:${pad(shifted.getUTCSeconds(), 2)}`;
  let fraction = '';
  if (digits > 0) {
    // Milliseconds and three made-up sub-millisecond digits, the ticks a DateTime.Now carries.
    const ticks = pad(shifted.getUTCMilliseconds(), 3) + '3337';
    const kept = ticks.slice(0, digits).replace(/0+$/, '');
    if (kept) fraction = `.${kept}`;
  }
  const suffix = kind === 'utc' ? 'Z' : kind === 'local' ? `+${pad(LOCAL_OFFSET_MINUTES / 60, 2)}:${pad(LOCAL_OFFSET_MINUTES % 60, 2)}` : '';
  return `${wall}${fraction}${suffix}`;
}

/** Successive date forms: digit count and kind from one counter. */
export function dateFormCycle(): () => { digits: number; kind: DateKind } {
  let n = 0;
  return () => {
    const form = { digits: n % 8, kind: KIND_CYCLE[n % KIND_CYCLE.length]! };
    n++;
    return form;
  };
}

/** The `imageInfo` step with .NET dates; everything else is the reference target's. `onDate` hears of each date written that is not "never". */
function dotnetDatesBehaviour(onDate: () => void = () => undefined): Partial<TargetBehaviour> {
  const nextForm = dateFormCycle();
  const write = (at: Date): string => {
    const { digits, kind } = nextForm();
    onDate();
    return dotnetDate(at, digits, kind);
  };
  return {
    imageInfo: (personId, ctx) => {
      const info = d.imageInfo(personId, ctx);
      const stored = ctx.store.get(personId);
      if (!stored) return { ...info, CreatedDate: DOTNET_NEVER, UpdatedDate: DOTNET_NEVER };
      const updatedSinceCreated = stored.updated.getTime() !== stored.created.getTime();
      return { ...info, CreatedDate: write(stored.created), UpdatedDate: updatedSinceCreated ? write(stored.updated) : DOTNET_NEVER };
    },
  };
}

export async function startDotnetDatesTarget(): Promise<StartedTarget> {
  let dates = 0;
  const t = await startReferenceTarget({ behaviour: dotnetDatesBehaviour(() => dates++) });
  return { url: t.url, credentials: embeddedCredentials(t), persons: t.persons, exercised: () => ({ '.NET dates written': dates }), close: () => t.close() };
}
