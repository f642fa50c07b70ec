/**
 * What a case family is: one object that owns its recipes (a fast-check arbitrary), whether it
 * runs serially, the requests of one case around the case itself (`execute`, through the `CaseIo`
 * seam the engine provides), what those cost (`requestsPerCase`, asked by the plan and the dry
 * run) and the traits the checks ask instead of comparing family names.
 */
import type { Arbitrary } from 'fast-check';
import type { CaseExtra, ImageFacts } from '../../checks/types.js';
import type { Credential } from '../../config/credentials.js';
import type { SpecModel } from '../../spec/model.js';
import type { Observation } from '../../transport/observation.js';
import type { AuthRecipe, BodyRecipe, Case, CaseFamily, CaseRecipe, PersonRecipe } from '../case.js';
import type { ImageRecipe } from '../images/types.js';

export interface GenerationContext {
  model: SpecModel;
  credentials: readonly Credential[];
  personId: number;
}

/**
 * The requests a family may make for one case, as the engine provides them (independent of how
 * they reach the target).
 */
export interface CaseIo {
  /** Sends the case; `headers` replaces its non-credential headers (the language-headers baseline). */
  send(headers?: Record<string, string>): Promise<Observation>;
  /** GET of a person path template (one of `paths`) for `segment`, with the run's read credential. */
  read(template: string, segment: string, accept?: string): Promise<Observation>;
  /** ImageInfo's BlobId for `segment`; undefined when it cannot be read. */
  blobId(segment: string): Promise<number | undefined>;
  /** What bytes decode to (format and size), or undefined when they are no image. */
  imageFacts(bytes: Uint8Array): Promise<ImageFacts | undefined>;
  /** The person path templates `read` takes. */
  readonly paths: { readonly imageInfo: string; readonly image: string };
}

/** The answer to a case and what was learned around it. */
export interface Executed {
  o: Observation;
  extra: CaseExtra;
}

/** What the checks ask about a case's family (instead of its name). */
export interface FamilyTraits {
  /** Bad credentials together with something else wrong: the refusal must come first. */
  authOrderUnderTest: boolean;
  /**
   * Only the credentials vary (a small valid upload to the configured person): valid ones must be
   * accepted, and a refused request must change nothing (ImageInfo's BlobId is read before and after).
   */
  credentialsUnderTest: boolean;
  /** The answer is compared with the same request sent first without its language headers. */
  comparedWithLanguageBaseline: boolean;
  /** After an upload answered 200, ImageInfo and the image are read back. */
  readsBackAfterUpload: boolean;
}

/**
 * A value class a family must send at least once in every full run, whatever the seed: a
 * documented value (SO-Language `*`), a kind of input (an SVG under an image type), a variant real
 * clients send. Judged on the recipe, so the engine can look far ahead without rendering bodies.
 */
export interface ValueClass {
  /** Short and unique within the family; shown in report.json's coverage (`value class`). */
  name: string;
  matches(recipe: CaseRecipe): boolean;
}

/** What a family does, whatever the run. */
export interface FamilyBehaviour {
  name: CaseFamily;
  /** Changes or reads the configured person's image: one case at a time. */
  serial: boolean;
  /** A healthy server answers the case below 500 (the circuit breaker counts it). */
  expectHealthy: boolean;
  /** Most of `--runs` cases a run sends of this family, when its cases are costly for the target (its value classes are each sent all the same). */
  maxCases?: number;
  traits: FamilyTraits;
  /** Requests one case sends (reads that depend on the answer counted as if it answered 200). */
  requestsPerCase(recipe: CaseRecipe): number;
  /** Sends the case and the requests around it. */
  execute(io: CaseIo, c: Case): Promise<Executed>;
}

/** The arbitraries every family draws from, bound to one run (built by familyGenerators in shared.ts). */
export interface FamilyGenerators {
  ctx: GenerationContext;
  /** The spec's save methods. */
  method: Arbitrary<'PUT' | 'POST'>;
  /** The configured person. */
  me: PersonRecipe;
  /** A valid credential of a configured scheme. */
  valid: Arbitrary<AuthRecipe>;
  image(maxDimension?: number): Arbitrary<ImageRecipe>;
  /** A well-formed image, raw or multipart. */
  validBody(maxDimension?: number): Arbitrary<BodyRecipe>;
  /** A well-formed image of at most 64x64, raw or multipart. */
  smallBody: Arbitrary<BodyRecipe>;
  /** A detectably invalid body (mostly raw), or multipart without the image field. */
  invalidBody: Arbitrary<BodyRecipe>;
  /** A small image under a content type the spec does not declare. */
  undeclared: Arbitrary<BodyRecipe>;
}

/** A family as its file defines it: its behaviour and how it draws recipes from the run's generators. */
export interface FamilyDefinition extends FamilyBehaviour {
  recipes(g: FamilyGenerators): Arbitrary<CaseRecipe>;
  /** The value classes a full run must send (see ValueClass); none when absent. */
  classes?(ctx: GenerationContext): ValueClass[];
}

/** A family for one run (one generation context): its behaviour and the arbitrary of its recipes. */
export interface Family extends FamilyBehaviour {
  arbitrary: Arbitrary<CaseRecipe>;
  /** The value classes a full run must send. */
  classes: readonly ValueClass[];
}
