/**
 * Throttling is waited out, never judged: a 429, or a 503 with Retry-After, is swallowed, the
 * request sent again after the wait it asks for (at most 30 s, 1 s when it names none), and the
 * caller sees only the answer that followed. When the waits add up to more than `maxThrottleMs`
 * in all, the request fails with TargetUnrecoverableError ('throttled').
 */
import { TargetUnrecoverableError } from '../../errors.js';
import { ForwardingHandler, type Controller, type Dispatch, type DispatchOptions, type Handler, type Interceptor } from './types.js';

/** Retry-After in ms (seconds or an HTTP date), or undefined. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(/* Stryker disable next-line MethodExpression: Number() ignores surrounding whitespace itself, so trimming its argument changes nothing */ value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface ThrottleOptions {
  /** How long throttling may last in all, over the whole session. */
  maxThrottleMs: number;
  /** Told of each wait. */
  onThrottle?: (status: number, waitMs: number) => void;
}

const LONGEST_WAIT_MS = 30_000;

/** The session's throttling so far. */
interface ThrottleState {
  waitedMs: number;
}

/** Hands the inner handler one controller for all attempts, standing for the current attempt's. */
function controllerProxy(current: () => Controller): Controller {
  return {
    get aborted() {
      return current().aborted;
    },
    get paused() {
      return current().paused;
    },
    get reason() {
      return current().reason;
    },
    abort: (reason) => current().abort(reason),
    pause: () => current().pause(),
    resume: () => current().resume(),
  };
}

class RetryAfterHandler extends ForwardingHandler {
  private current: Controller | undefined;
  private readonly proxy = controllerProxy(() => this.current!);
  private started = false;
  private waiting: { status: number; ms: number } | undefined;

  constructor(
    inner: Handler,
    private readonly dispatch: Dispatch,
    private readonly opts: DispatchOptions,
    private readonly options: ThrottleOptions,
    private readonly state: ThrottleState,
  ) {
    super(inner);
  }

  override onRequestStart(controller: Controller, context: unknown): void {
    this.current = controller;
    if (this.started) return;
    this.started = true;
    super.onRequestStart(this.proxy, context);
  }

  override onResponseStart(controller: Controller, statusCode: number, headers: Parameters<ForwardingHandler['onResponseStart']>[2], statusMessage?: string): void {
    const header = headers['retry-after'];
    const retryAfter = Array.isArray(header) ? header[0] : header;
    if (statusCode === 429 || (statusCode === 503 && retryAfter !== undefined)) {
      this.waiting = { status: statusCode, ms: Math.min(retryAfterMs(retryAfter) ?? 1000, LONGEST_WAIT_MS) };
      return;
    }
    super.onResponseStart(this.proxy, statusCode, headers, statusMessage);
  }

  override onResponseData(_controller: Controller, chunk: Buffer): void {
    if (!this.waiting) super.onResponseData(this.proxy, chunk);
  }

  override onResponseEnd(_controller: Controller, trailers: Parameters<ForwardingHandler['onResponseEnd']>[1]): void {
    const waiting = this.waiting;
    if (!waiting) return super.onResponseEnd(this.proxy, trailers);
    this.waiting = undefined;
    if (this.state.waitedMs + waiting.ms > this.options.maxThrottleMs) {
      const s = Math.round(this.options.maxThrottleMs / 1000);
      super.onResponseError(this.proxy, new TargetUnrecoverableError(`the target kept throttling (${waiting.status} with Retry-After) for over ${s} s in all; try a lower --rate`, 'throttled'));
      return;
    }
    this.state.waitedMs += waiting.ms;
    this.options.onThrottle?.(waiting.status, waiting.ms);
    setTimeout(() => this.dispatch(this.opts, this), waiting.ms);
  }

  override onResponseError(_controller: Controller, error: Error): void {
    super.onResponseError(this.proxy, error);
  }
}

export function retryAfter(options: ThrottleOptions): Interceptor {
  const state: ThrottleState = { waitedMs: 0 };
  return (dispatch) => (opts: DispatchOptions, handler) => dispatch(opts, new RetryAfterHandler(handler, dispatch, opts, options, state));
}
