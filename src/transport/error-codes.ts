/** What went wrong when no answer came, in the words the report uses: timeout, reset, refused, protocol, client-error. */
const CODES: Record<string, string> = {
  UND_ERR_INVALID_ARG: 'client-error',
  ERR_INVALID_ARG_TYPE: 'client-error',
  ERR_INVALID_ARG_VALUE: 'client-error',
  ERR_INVALID_CHAR: 'client-error',
  ERR_HTTP_INVALID_HEADER_VALUE: 'client-error',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  DEADLINE: 'timeout',
  UND_ERR_ABORTED: 'timeout',
  AbortError: 'timeout',
  TimeoutError: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  ECONNRESET: 'reset',
  UND_ERR_SOCKET: 'reset',
  ECONNREFUSED: 'refused',
  HPE_INVALID_CONSTANT: 'protocol',
  UND_ERR_RESPONSE_STATUS_CODE: 'protocol',
};

export function errorCode(e: unknown): { code: string; message: string } {
  const err = e as { code?: string; message?: string; name?: string };
  const code = err.code ?? err.name ?? 'error';
  return { code: CODES[code] ?? (code.startsWith('HPE_') ? 'protocol' : code), message: err.message ?? String(e) };
}
