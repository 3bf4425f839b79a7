// One deadline per send, covering every request the send makes (a look-up by client order id,
// the order itself). The gateway runs each send inside withSendDeadline(); the order client's
// HTTP layer (ccxt-client.ts) reads the deadline from here and
//   - aborts the HTTP request when it passes (the socket is closed, not only the promise dropped),
//   - refuses to start a request once it has passed, and
//   - signs every private request with recvWindow = the time left, so the venue itself refuses a
//     request that reaches it after the deadline (Binance and the simulator answer -1021). An
//     aborted request whose bytes already left can therefore not be executed late either.
// AsyncLocalStorage carries the deadline through ccxt's awaits without threading a parameter
// through its API (ccxt has no per-call AbortSignal).
import { AsyncLocalStorage } from "node:async_hooks";
import { performance } from "node:perf_hooks";

export interface SendDeadline {
  /** performance.now() value at which the send must be over */
  endsAt: number;
  /** aborts at endsAt */
  signal: AbortSignal;
}

const current = new AsyncLocalStorage<SendDeadline>();

/** Runs `fn` with every order-client request bounded by `endsAt` (performance.now() ms). */
export function withSendDeadline<T>(endsAt: number, fn: () => Promise<T>): Promise<T> {
  const signal = AbortSignal.timeout(Math.max(1, Math.ceil(endsAt - performance.now())));
  return current.run({ endsAt, signal }, fn);
}

export function currentSendDeadline(): SendDeadline | undefined {
  return current.getStore();
}

/** A request that was not started because its send's deadline had already passed. */
export class SendDeadlinePassedError extends Error {
  override name = "SendDeadlinePassedError";
}
