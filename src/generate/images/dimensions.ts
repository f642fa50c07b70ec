/** Image sizes: small ones dominate, large ones are rare; everything shrinks towards 1x1. */
import fc from 'fast-check';

export interface DimensionConstraints {
  /** Largest width or height; default 2048. */
  maxDimension?: number;
  /** Relative weight of large images (sides up to max), against 16 for small (1..64) and `mediumWeight` for medium. Default 1; 0 never. */
  largeWeight?: number;
  /** Relative weight of medium images (sides up to 512); default 4. */
  mediumWeight?: number;
}

export interface Dimensions {
  width: number;
  height: number;
}

/**
 * Width and height, each 1..maxDimension, drawn by tier for the whole image: small (both sides
 * 1..64, weight 16), medium (sides up to 512, weight `mediumWeight`), large (sides up to max,
 * weight `largeWeight`; the tiers overlap so shrinking inside a tier reaches small sides), thin strips (1..8 by 1..max, weight 1). Shrinks towards 1x1 (across tiers too).
 */
export function dimensions(constraints: DimensionConstraints = {}): fc.Arbitrary<Dimensions> {
  const max = Math.max(1, Math.min(65535, Math.floor(constraints.maxDimension ?? 2048)));
  const large = constraints.largeWeight ?? 1;
  const medium = constraints.mediumWeight ?? 4;
  const tier = (min: number, hi: number) => fc.record({ width: fc.integer({ min, max: hi }), height: fc.integer({ min, max: hi }) });
  const tiers: fc.WeightedArbitrary<Dimensions>[] = [{ weight: 16, arbitrary: tier(1, Math.min(64, max)) }];
  if (max > 64 && medium > 0) tiers.push({ weight: medium, arbitrary: tier(1, Math.min(512, max)) });
  if (max > 512 && large > 0) tiers.push({ weight: large, arbitrary: tier(1, max) });
  if (max > 64 && medium > 0) {
    // Thin strips (banners, 1-pixel lines) in either direction, up to the full length.
    const long = fc.integer({ min: 1, max });
    const short = fc.integer({ min: 1, max: 8 });
    tiers.push({ weight: 1, arbitrary: fc.oneof(fc.record({ width: long, height: short }), fc.record({ width: short, height: long })) });
  }
  return tiers.length === 1 ? tiers[0]!.arbitrary : fc.oneof({ withCrossShrink: true }, ...tiers);
}
