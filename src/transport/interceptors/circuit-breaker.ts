/**
 * The circuit breaker as an interceptor: each answer is recorded when it is complete (a status, or
 * the error that ended it), and once the breaker has tripped no request leaves but those that
 * bypass it (the restore) or the few `gate.afterTrip` still lets through (shrinking what already
 * broke). A request refused here fails with the breaker's TargetUnrecoverableError.
 */
import { ConformanceError } from '../../errors.js';
import type { CircuitBreaker } from '../circuit-breaker.js';
import { errorCode } from '../error-codes.js';
import { failBeforeSending, ForwardingHandler, type Controller, type DispatchOptions, type Handler, type Interceptor } from './types.js';

/** Requests the breaker still lets through after it tripped. */
export interface BreakerGate {
  afterTrip: number;
}

/** Marks an answer the client itself cut short (a body over the size cap): the status counts, not the abort. */
export interface ClientCut {
  byClient: boolean;
}

class BreakerHandler extends ForwardingHandler {
  private status: number | undefined;

  constructor(
    inner: Handler,
    private readonly breaker: CircuitBreaker,
    private readonly expectHealthy: boolean,
    private readonly cut: ClientCut | undefined,
  ) {
    super(inner);
  }

  override onResponseStart(controller: Controller, statusCode: number, headers: Parameters<ForwardingHandler['onResponseStart']>[2], statusMessage?: string): void {
    this.status = statusCode;
    super.onResponseStart(controller, statusCode, headers, statusMessage);
  }

  override onResponseEnd(controller: Controller, trailers: Parameters<ForwardingHandler['onResponseEnd']>[1]): void {
    this.breaker.record({ status: this.status! }, this.expectHealthy);
    super.onResponseEnd(controller, trailers);
  }

  override onResponseError(controller: Controller, error: Error): void {
    if (this.cut?.byClient && this.status !== undefined) this.breaker.record({ status: this.status }, this.expectHealthy);
    // A policy's own failure (throttling without end) is no answer of the target's.
    else if (!(error instanceof ConformanceError)) this.breaker.record({ error: errorCode(error) }, this.expectHealthy);
    super.onResponseError(controller, error);
  }
}

export function circuitBreaker(breaker: CircuitBreaker, gate: BreakerGate): Interceptor {
  return (dispatch) => (opts: DispatchOptions & { cut?: ClientCut }, handler) => {
    const tripped = breaker.tripped;
    if (tripped && !opts.bypassBreaker) {
      if (gate.afterTrip <= 0) {
        failBeforeSending(handler, tripped);
        return true;
      }
      gate.afterTrip--;
    }
    return dispatch(opts, new BreakerHandler(handler, breaker, opts.expectHealthy === true, opts.cut));
  };
}
