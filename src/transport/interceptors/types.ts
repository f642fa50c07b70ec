/**
 * The shapes the session's interceptors share: undici's dispatch interceptor and handler, and the
 * options a request carries through them (undici passes unknown dispatch options on untouched).
 */
import type { Dispatcher } from 'undici';

export type Interceptor = Dispatcher.DispatchInterceptor;
export type Dispatch = Dispatcher['dispatch'];
export type Handler = Dispatcher.DispatchHandler;
export type Controller = Dispatcher.DispatchController;

/** What the session adds to each request's dispatch options for its policies. */
export interface PolicyOptions {
  /** This request's overall deadline in ms (headers and body). */
  deadlineMs?: number;
  /** A healthy server answers this request below 500: the circuit breaker counts it. */
  expectHealthy?: boolean;
  /** Goes through even after the breaker tripped (the restore of the person's image). */
  bypassBreaker?: boolean;
  /** Bytes of the request body, for the upload budget. */
  uploadBytes?: number;
}

export type DispatchOptions = Dispatcher.DispatchOptions & PolicyOptions;

/** A handler that passes everything on to `inner`; policies override what they change. */
export class ForwardingHandler implements Handler {
  constructor(protected readonly inner: Handler) {}
  onRequestStart(controller: Controller, context: unknown): void {
    this.inner.onRequestStart?.(controller, context);
  }
  onResponseStart(controller: Controller, statusCode: number, headers: Parameters<NonNullable<Handler['onResponseStart']>>[2], statusMessage?: string): void {
    this.inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }
  onResponseData(controller: Controller, chunk: Buffer): void {
    this.inner.onResponseData?.(controller, chunk);
  }
  onResponseEnd(controller: Controller, trailers: Parameters<NonNullable<Handler['onResponseEnd']>>[1]): void {
    this.inner.onResponseEnd?.(controller, trailers);
  }
  onResponseError(controller: Controller, error: Error): void {
    this.inner.onResponseError?.(controller, error);
  }
}

/** Fails a request before it is sent: the inner handler sees an error and nothing else. */
export function failBeforeSending(handler: Handler, error: Error): void {
  const controller: Controller = {
    aborted: true,
    paused: false,
    reason: error,
    abort: () => {},
    pause: () => {},
    resume: () => {},
  };
  handler.onResponseError?.(controller, error);
}
