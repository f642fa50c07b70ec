/**
 * Publishing verification results to a Pact Broker, configured from the environment:
 *   PACT_BROKER_BASE_URL                     the broker; publishing is on when it is set
 *   PACT_BROKER_TOKEN                        bearer token, or
 *   PACT_BROKER_USERNAME, PACT_BROKER_PASSWORD  basic auth
 *   PACT_PROVIDER_VERSION                    the provider version to publish (default: this tool's version)
 *   PACT_PROVIDER_BRANCH                     the provider branch (optional)
 *   PACT_BUILD_URL                           a link to the CI build (optional)
 * The Verifier publishes through its own options, for pacts fetched from the broker (pass the
 * pact's URL under PACT_BROKER_BASE_URL); local files and other URLs are verified without
 * publishing, and the broker's credentials go to the broker only. Nothing here logs a secret: `describeBroker` names the
 * URL and the kind of authentication only.
 */
import { ConfigError } from '../errors.js';
import { toolVersion } from '../version.js';

export interface BrokerConfig {
  url: string;
  token?: string;
  username?: string;
  password?: string;
  providerVersion: string;
  branch?: string;
  buildUrl?: string;
}

export function brokerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): BrokerConfig | undefined {
  const url = env.PACT_BROKER_BASE_URL?.trim();
  if (!url) return undefined;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
    if (u.username || u.password) throw new ConfigError('PACT_BROKER_BASE_URL must not hold credentials; use PACT_BROKER_TOKEN or PACT_BROKER_USERNAME/PACT_BROKER_PASSWORD');
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`PACT_BROKER_BASE_URL ${JSON.stringify(url)} is not an http(s) URL`);
  }
  const config: BrokerConfig = { url: url.replace(/\/+$/, ''), providerVersion: env.PACT_PROVIDER_VERSION?.trim() || toolVersion };
  if (env.PACT_BROKER_TOKEN) config.token = env.PACT_BROKER_TOKEN;
  else if (env.PACT_BROKER_USERNAME || env.PACT_BROKER_PASSWORD) {
    if (!env.PACT_BROKER_USERNAME || !env.PACT_BROKER_PASSWORD) throw new ConfigError('set both PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD, or neither');
    config.username = env.PACT_BROKER_USERNAME;
    config.password = env.PACT_BROKER_PASSWORD;
  }
  if (env.PACT_PROVIDER_BRANCH?.trim()) config.branch = env.PACT_PROVIDER_BRANCH.trim();
  if (env.PACT_BUILD_URL?.trim()) config.buildUrl = env.PACT_BUILD_URL.trim();
  return config;
}

/**
 * The Verifier options that fetch a pact from the broker and publish its result there: the
 * verifier posts to the pact's `pb:publish-verification-results` link. (`pactBrokerUrl` is not
 * passed: with a provider name it makes the Verifier also fetch every pact of the provider from
 * the broker, which is not what verifying the named pacts means.)
 */
export function publishOptions(b: BrokerConfig): Record<string, unknown> {
  return {
    publishVerificationResult: true,
    providerVersion: b.providerVersion,
    ...(b.token ? { pactBrokerToken: b.token } : {}),
    ...(b.username ? { pactBrokerUsername: b.username, pactBrokerPassword: b.password } : {}),
    ...(b.branch ? { providerVersionBranch: b.branch } : {}),
    ...(b.buildUrl ? { buildUrl: b.buildUrl } : {}),
  };
}

/** Whether a pact source is served by the broker (only those get its credentials and publish). */
export function servedBy(b: BrokerConfig, source: string): boolean {
  return source === b.url || source.startsWith(`${b.url}/`);
}

/** One line for the terminal, without secrets. */
export function describeBroker(b: BrokerConfig): string {
  const auth = b.token ? 'a token' : b.username ? `basic auth as ${b.username}` : 'no authentication';
  return `publishing verification results to ${b.url} (${auth}) as provider version ${b.providerVersion}${b.branch ? ` on branch ${b.branch}` : ''}`;
}
