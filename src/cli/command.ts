/**
 * The scaffolding every subcommand shares: its flags with -h/--help, and the checks of flags
 * several commands take (--cycle, a choice such as --format), each failing with the usage.
 */
import type { ParseArgsConfig } from 'node:util';
import { isPeriod, type Period } from '../core/period.js';
import { UsageError } from '../errors.js';
import { parseCliArgs } from './args.js';
import type { CliIo } from './types.js';

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * Parses a subcommand's flags (`-h`/`--help` added) and positionals. With --help the usage
 * goes to stdout and the answer is null: the command then exits 0.
 */
export function parseCommand<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: T,
  usage: string,
  io: CliIo,
) {
  const parsed = parseCliArgs(argv, { ...options, ...HELP }, usage);
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout(`${usage}\n`);
    return null;
  }
  return parsed;
}

/** `--cycle`: a month as YYYY-MM, or absent. */
export function cycleFlag(value: string | undefined, usage: string): Period | undefined {
  if (value !== undefined && !isPeriod(value))
    throw new UsageError(`--cycle: must be a month as YYYY-MM, got '${value}'\n\n${usage}`);
  return value;
}

/** A flag that takes one of a few words, e.g. `--format md|csv`. */
export function choiceFlag<C extends string>(
  flag: string,
  value: string,
  choices: readonly C[],
  usage: string,
): C {
  if ((choices as readonly string[]).includes(value)) return value as C;
  const expected =
    choices.length === 2 ? `${choices[0]} or ${choices[1]}` : `one of ${choices.join(', ')}`;
  throw new UsageError(`--${flag}: must be ${expected}, got '${value}'\n\n${usage}`);
}

/** Flags that each take a value (`--name VALUE`), for parseCommand's options. */
export function valueFlags<N extends string>(...names: N[]): Record<N, { type: 'string' }> {
  return Object.fromEntries(names.map((n) => [n, { type: 'string' }])) as Record<
    N,
    { type: 'string' }
  >;
}
