/**
 * A sleep that can be cut short: the outbox relay's and the recovery sweep's loops wait
 * between rounds with `sleep`, and `wake` (a kick, or their stop) ends the wait at once.
 */
export interface Sleeper {
  /** Resolves after `ms`, or sooner when `wake` is called. */
  sleep(ms: number): Promise<void>;
  /** Ends the wait under way, if any; nothing otherwise. */
  wake(): void;
}

export function sleeper(): Sleeper {
  let wake: (() => void) | null = null;
  return {
    async sleep(ms) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = null;
    },
    wake() {
      wake?.();
    },
  };
}
