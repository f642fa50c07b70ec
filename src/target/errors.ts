/** The SuperOffice error object every 4xx (and 5xx) answer carries, always as JSON. */
import type { ErrorBody, TargetContext } from './types.js';

// Stryker disable all: ErrorType and ErrorSource are free text (contract: `{Error, ErrorType, ErrorMessage|Message, ErrorSource}`, values unspecified)
const ERROR_TYPES: Record<number, string> = {
  400: 'SoArgumentException',
  401: 'SoAuthenticationException',
  403: 'SoAccessDeniedException',
  404: 'SoNotFoundException',
  405: 'SoMethodNotAllowedException',
  406: 'SoNotAcceptableException',
  413: 'SoRequestTooLargeException',
  415: 'SoUnsupportedMediaTypeException',
};

// Stryker restore all

/** The media type the spec gives the save's 400 answer (the error object's type). */
// Stryker disable all: the committed spec gives the 400 answer a media type; these only guard a spec without one
export function errorMediaType(ctx: TargetContext): string {
  const type = ctx.model.save[0]?.responses.get(400)?.[0]?.type;
  if (!type) throw new Error('the spec gives no media type for the 400 answer');
  return type;
}
// Stryker restore all

export function errorBody(status: number, message: string, ctx: TargetContext): ErrorBody {
  const body = {
    Error: true,
    // Stryker disable next-line all: free text, as above
    ErrorType: ERROR_TYPES[status] ?? (status >= 500 ? 'SoServerException' : 'SoException'),
    ErrorMessage: message,
    // Stryker disable next-line all: free text, as above
    ErrorSource: 'person-image-conformance reference target',
  };
  // Stryker disable next-line StringLiteral: error-body-shape reads a 4xx body as JSON whatever its Content-Type (the contract names none for errors)
  return { contentType: `${errorMediaType(ctx)}; charset=utf-8`, body: JSON.stringify(body) };
}
