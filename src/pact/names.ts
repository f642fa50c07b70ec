/**
 * Names shared by the consumer tests that write our pacts and the verifier that replays them:
 * the participants and the provider states.
 */

/** The provider every pact of ours names. */
export const providerName = 'superoffice-person-image';

/** Our consumers: a CRM that syncs photos, and a web profile editor. */
export const consumerNames = {
  photoSync: 'crm-photo-sync',
  profileEditor: 'web-profile-editor',
} as const;

/** Provider states, in words that hold on any installation. */
export const providerStates = {
  /** The configured person exists; its id is injected as the path parameter. */
  personExists: 'a person exists',
  /** The injected id names no person. */
  noSuchPerson: 'no person has the id',
  /** A person exists, and the request carries credentials the installation refuses. */
  credentialsRefused: 'a person exists and the credentials are refused',
} as const;
