/**
 * One deadline over the whole exchange (headers and body): a body trickling in byte by byte, or an
 * answer that never comes, ends as an error with code DEADLINE instead of a hang.
 */
import { ForwardingHandler, type Controller, type DispatchOptions, type Handler, type Interceptor } from './types.js';

class DeadlineError extends Error {
  readonly code = 'DEADLINE';
  constructor(ms: number) {
    super(`no complete answer within ${ms} ms`);
  }
}

class DeadlineHandler extends ForwardingHandler {
  private controller: Controller | undefined;
  private expired: DeadlineError | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(inner: Handler, ms: number) {
    super(inner);
    this.timer = setTimeout(() => {
      this.expired = new DeadlineError(ms);
      this.controller?.abort(this.expired);
    }, ms);
  }

  override onRequestStart(controller: Controller, context: unknown): void {
    this.controller = controller;
    if (this.expired) controller.abort(this.expired);
    super.onRequestStart(controller, context);
  }

  override onResponseEnd(controller: Controller, trailers: Parameters<ForwardingHandler['onResponseEnd']>[1]): void {
    clearTimeout(this.timer);
    super.onResponseEnd(controller, trailers);
  }

  override onResponseError(controller: Controller, error: Error): void {
    clearTimeout(this.timer);
    super.onResponseError(controller, this.expired ?? error);
  }
}

export function deadline(defaultMs: number): Interceptor {
  return (dispatch) => (opts: DispatchOptions, handler) => dispatch(opts, new DeadlineHandler(handler, opts.deadlineMs ?? defaultMs));
}
