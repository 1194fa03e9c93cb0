import type { CliIo } from './types.js';

/**
 * Waits for SIGTERM or SIGINT, then for `stop`: how the long-running subcommands (`bot`,
 * `worker`) end. An error while stopping is reported on stderr under `name`, not thrown.
 */
export function untilSignal(name: string, io: CliIo, stop: () => Promise<unknown>): Promise<void> {
  return new Promise<void>((resolve) => {
    const onSignal = () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      stop().then(
        () => resolve(),
        (err: unknown) => {
          io.stderr(`${name}: error while stopping: ${String(err)}\n`);
          resolve();
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
