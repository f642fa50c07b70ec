/** Whether a target URL names a loopback host as written (not as resolved): localhost, 127.x.x.x, [::1]. */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** SuperOffice asks integrations to stay under about 10 calls a second. */
export const REMOTE_DEFAULT_RATE = 10;

/** The default upload budget of a remote target, in MiB. */
const REMOTE_DEFAULT_UPLOAD_MB = 512;

/** The upload budget in bytes: `--max-upload-mb`, else 512 MiB for a remote target and none on loopback. */
export function uploadBudgetBytes(maxUploadMb: number | undefined, loopback: boolean): number | undefined {
  const mb = maxUploadMb ?? (loopback ? undefined : REMOTE_DEFAULT_UPLOAD_MB);
  return mb === undefined ? undefined : Math.floor(mb * 1024 * 1024);
}
