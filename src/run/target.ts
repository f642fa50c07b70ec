/**
 * The target a command works against: the installation the user names, or the embedded
 * reference target when none is named.
 */
import type { Credential } from '../config/credentials.js';
import type { RunConfig } from '../config/run-config.js';
import { ConfigError } from '../errors.js';
import { startReferenceTarget, type RunningTarget } from '../target/server.js';

export interface OpenTarget {
  /** Base URL up to and including /api/v1, without credentials. */
  baseUrl: string;
  credentials: Credential[];
  appToken?: string;
  /** The person whose image may be replaced and is restored; undefined when none is configured. */
  personId?: number;
  /** Ids of further persons known to exist (embedded target only). */
  embedded: boolean;
  close(): Promise<void>;
}

/** Credentials of the embedded target for all four schemes. */
export function embeddedCredentials(t: RunningTarget): Credential[] {
  const c = t.credentials;
  return [
    { scheme: 'basic', user: c.basic.user, password: c.basic.password },
    { scheme: 'soticket', ticket: c.soticket },
    { scheme: 'bearer', token: c.bearer },
    { scheme: 'session', cookie: c.session.cookie, xsrfToken: c.session.xsrfToken },
  ];
}

export async function openTarget(config: Pick<RunConfig, 'target' | 'credentials' | 'appToken' | 'personId' | 'specPath'>): Promise<OpenTarget> {
  if (config.target === undefined) {
    const running = await startReferenceTarget(config.specPath ? { specPath: config.specPath } : {});
    const personId = config.personId ?? running.persons[0];
    return {
      baseUrl: running.url,
      credentials: config.credentials.length > 0 ? config.credentials : embeddedCredentials(running),
      ...(running.credentials.appToken ? { appToken: running.credentials.appToken } : {}),
      ...(personId !== undefined ? { personId } : {}),
      embedded: true,
      close: () => running.close(),
    };
  }
  let url: URL;
  try {
    url = new URL(config.target);
  } catch {
    throw new ConfigError(`--target ${JSON.stringify(config.target)} is not a URL (expected e.g. https://host/SuperOffice/api/v1)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`--target must be an http:// or https:// URL, not ${url.protocol}`);
  if (url.username || url.password) throw new ConfigError('--target must not hold credentials; use --auth or SO_AUTH');
  if (config.credentials.length === 0) throw new ConfigError('--target needs credentials too: --auth SCHEME:CREDENTIAL (or SO_AUTH), --auth-command, or --session-cookie with --xsrf-token (only the embedded reference target brings its own)');
  return {
    baseUrl: url.href.replace(/\/+$/, ''),
    credentials: config.credentials,
    ...(config.appToken ? { appToken: config.appToken } : {}),
    ...(config.personId !== undefined ? { personId: config.personId } : {}),
    embedded: false,
    close: async () => {},
  };
}
