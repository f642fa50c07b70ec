/**
 * The registry: one check per rule of spec/rules.yaml, listed explicitly. `assertChecksMatchRules`
 * refuses to run when a rule has no check or a check no rule.
 */
import { SpecError } from '../errors.js';
import type { Rule } from '../spec/rules.js';
import { appTokenNo5xx, authCheckedFirst, badCredentialsRejected, failedAuthChangesNothing, validCredentialsAccepted } from './auth.js';
import { contentTypeMismatchObserved, undeclaredContentTypeRejected } from './content-type.js';
import { decompressionBombNo5xx } from './extreme-image.js';
import {
  damagedImageNo5xx,
  damagedImageRejected,
  emptyBodyRejected,
  incompleteHeaderRejected,
  multipartBadImageRejected,
  multipartWithoutImageRejected,
  noSignatureRejected,
  zeroDimensionRejected,
} from './invalid-body.js';
import { languageHeadersMalformedNo5xx, languageHeadersMalformedSameStatus, languageHeadersValid } from './language.js';
import { personIdNotInt32Rejected, personIdNotPositiveRejected, personIdUnknownRejected } from './person-id.js';
import { acceptExactType, acceptFamily, acceptUnsupported, errorBodyShape, noServerError, responseSchema } from './responses.js';
import { imageInfoFollowsUpload, imageReadableAfterUpload } from './round-trip.js';
import type { Check } from './types.js';
import { blobIdPositive, validMultipartUpload, validRawUpload } from './valid-upload.js';

export const checks: Readonly<Record<string, Check>> = {
  'valid-raw-upload': validRawUpload,
  'valid-multipart-upload': validMultipartUpload,
  'blob-id-positive': blobIdPositive,
  'image-info-follows-upload': imageInfoFollowsUpload,
  'image-readable-after-upload': imageReadableAfterUpload,
  'language-headers-valid': languageHeadersValid,
  'language-headers-malformed-no-5xx': languageHeadersMalformedNo5xx,
  'language-headers-malformed-same-status': languageHeadersMalformedSameStatus,
  'auth-checked-first': authCheckedFirst,
  'empty-body-rejected': emptyBodyRejected,
  'no-signature-rejected': noSignatureRejected,
  'incomplete-header-rejected': incompleteHeaderRejected,
  'zero-dimension-rejected': zeroDimensionRejected,
  'damaged-image-no-5xx': damagedImageNo5xx,
  'damaged-image-rejected': damagedImageRejected,
  'undeclared-content-type-rejected': undeclaredContentTypeRejected,
  'content-type-mismatch-observed': contentTypeMismatchObserved,
  'multipart-without-image-rejected': multipartWithoutImageRejected,
  'multipart-bad-image-rejected': multipartBadImageRejected,
  'decompression-bomb-no-5xx': decompressionBombNo5xx,
  'person-id-not-positive-rejected': personIdNotPositiveRejected,
  'person-id-unknown-rejected': personIdUnknownRejected,
  'person-id-not-int32-rejected': personIdNotInt32Rejected,
  'valid-credentials-accepted': validCredentialsAccepted,
  'bad-credentials-rejected': badCredentialsRejected,
  'failed-auth-changes-nothing': failedAuthChangesNothing,
  'app-token-no-5xx': appTokenNo5xx,
  'no-server-error': noServerError,
  'response-schema': responseSchema,
  'accept-family': acceptFamily,
  'accept-exact-type': acceptExactType,
  'accept-unsupported': acceptUnsupported,
  'error-body-shape': errorBodyShape,
};

export function assertChecksMatchRules(rules: readonly Rule[]): void {
  const ruleIds = new Set(rules.map((r) => r.id));
  const missing = [...ruleIds].filter((id) => !checks[id]);
  const orphans = Object.keys(checks).filter((id) => !ruleIds.has(id));
  if (missing.length > 0) throw new SpecError(`rules without a check: ${missing.join(', ')}`);
  if (orphans.length > 0) throw new SpecError(`checks without a rule in the catalogue: ${orphans.join(', ')}`);
}
