import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Thin wrapper over node:util parseArgs that turns its errors into UsageError with the usage
 * text; an option the command does not take is told in sopbot's words (`unknownOption`).
 */
export function parseCliArgs<T extends Options>(
  argv: readonly string[],
  options: T,
  usage: string,
) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    const unknown =
      (err as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
        ? unknownOption(argv, options)
        : null;
    throw new UsageError(
      `${unknown ?? (err instanceof Error ? err.message : String(err))}\n\n${usage}`,
    );
  }
}

/**
 * The sentence for the first option of `argv` that `options` lacks: the option as typed, the
 * one it most likely means (`--actr` → --actor, a few letters off), and every option the
 * command takes. Null if none is found (parseArgs then said why itself).
 */
export function unknownOption(argv: readonly string[], options: Options): string | null {
  const { tokens } = parseArgs({
    args: [...argv],
    options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const typed = tokens.find((t) => t.kind === 'option' && !Object.hasOwn(options, t.name));
  if (typed?.kind !== 'option') return null;
  const near = nearestNames(typed.name, Object.keys(options));
  const names = Object.entries(options).map(([name, o]) =>
    o.short ? `-${o.short}/--${name}` : `--${name}`,
  );
  const takes =
    names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  const guess = near.map((n) => `--${n}`).join(' or ');
  return `unknown option '${typed.rawName}': ${
    near.length > 0 ? `did you mean ${guess}? This` : 'this'
  } command takes ${takes}.`;
}

/** The names closest to `typed` by edit distance, if within a third of its length (at least 1). */
function nearestNames(typed: string, names: readonly string[]): string[] {
  const limit = Math.max(1, Math.floor(typed.length / 3));
  const scored = names.map((n) => ({ n, d: editDistance(typed.toLowerCase(), n) }));
  const best = Math.min(...scored.map((s) => s.d));
  return best <= limit ? scored.filter((s) => s.d === best).map((s) => s.n) : [];
}

/** Levenshtein distance: the fewest letters added, removed or replaced to make `a` into `b`. */
export function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(
        row[j]! + 1,
        next[j - 1]! + 1,
        row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    row = next;
  }
  return row[b.length]!;
}
