/**
 * How far a long CLI command has got, said on stderr at most every `everyMs` (the first line
 * once that long has passed): someone at a terminal sees it is moving, and a short run says
 * nothing. Only given a terminal (`CliIo.progressEveryMs`), so CI logs are not flooded.
 */

/** How often a long run says how far it is, at a terminal. */
export const PROGRESS_EVERY_MS = 5000;

/** A function that writes `line()` on stderr when `everyMs` have passed since the last. */
export function progressLines(
  write: (s: string) => void,
  everyMs: number,
  now: () => number = Date.now,
): (line: () => string) => void {
  let last = now();
  return (line) => {
    const t = now();
    if (t - last < everyMs) return;
    last = t;
    write(`${line()}\n`);
  };
}
