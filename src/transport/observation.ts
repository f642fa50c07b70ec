/** What the transport saw of one request. */
export interface Observation {
  /** Absent when no response came (dropped connection, timeout, refused). */
  status?: number;
  /** Response headers, lower-case names, joined when repeated. */
  headers: Record<string, string>;
  /** The response body (at most the transport's cap). */
  body: Buffer;
  /** The body was longer than the cap and was cut. */
  bodyTruncated: boolean;
  /** Transport error: `timeout`, `reset`, `refused`, `protocol`, or another undici code. */
  error?: { code: string; message: string };
  durationMs: number;
}

/** The essence of the response Content-Type (`application/json`), lower case, or '' when absent. */
export function contentTypeOf(o: Observation): string {
  return (o.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}
