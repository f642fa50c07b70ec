/** Whether a target URL names a loopback host as written (not as resolved): localhost, 127.x.x.x, [::1]. */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** SuperOffice asks integrations to stay under about 10 calls a second. */
export const REMOTE_DEFAULT_RATE = 10;
