/**
 * Slack's endpoints that are not Web API methods (an upload URL, a response_url) are reached
 * with plain `fetch`, which waits for ever by default: this one gives up.
 */

/**
 * `fetch` that gives up after `ms` when the caller passes no signal of its own (a WebClient
 * with a `timeout` passes its own), failing with an error that names `what` and the limit.
 */
export function fetchWithin(ms: number, what: string): typeof fetch {
  return async (input, init) => {
    if (init?.signal) return fetch(input, init);
    try {
      return await fetch(input, { ...init, signal: AbortSignal.timeout(ms) });
    } catch (err) {
      if ((err as Error | null)?.name !== 'TimeoutError') throw err;
      throw new Error(`${what} did not answer within ${ms} ms`, { cause: err });
    }
  };
}
