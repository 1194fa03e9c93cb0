#!/usr/bin/env node
/**
 * `sopbot` command-line entry: a composition root. Each subcommand lives in src/cli/<name>.ts
 * and exports `run(argv, io)`; it is loaded lazily so `sopbot forecast` never opens a database.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { PROGRESS_EVERY_MS } from './cli/progress.js';
import { explainServiceError, requireServices } from './cli/services.js';
import type { CliIo, Subcommand } from './cli/types.js';
import { type Config, loadConfig } from './config.js';
import type { SopError } from './errors.js';
import { createLogger } from './logger.js';
import { isUnexpected, logUnexpected } from './slack/reply.js';

type Service = 'postgres' | 'redis';

/** `needs`: the services checked before the command runs, so a missing one is a sentence. */
const SUBCOMMANDS: Record<
  string,
  { summary: string; needs?: readonly Service[]; load: () => Promise<Subcommand> }
> = {
  migrate: {
    summary: 'apply database migrations (up|down|down-all|redo|reset|status)',
    needs: ['postgres'],
    load: () => import('./cli/migrate.js'),
  },
  import: {
    summary: 'import a CSV: sopbot import <kind> <file.csv>',
    needs: ['postgres'],
    load: () => import('./cli/import.js'),
  },
  seed: { summary: 'write CSVs for a sample company', load: () => import('./cli/seed.js') },
  demo: {
    summary: 'run three S&OP cycles and an S&OE week end to end against a local Slack stand-in',
    load: () => import('./cli/demo.js'),
  },
  plan: { summary: 'solve a supply plan file (JSON)', load: () => import('./cli/plan.js') },
  pack: {
    summary: 'print the executive meeting pack (Markdown)',
    needs: ['postgres'],
    load: () => import('./cli/pack.js'),
  },
  explain: {
    summary: 'where a figure comes from: sopbot explain FAM-3 2027-05 [--format json]',
    load: () => import('./cli/explain.js'),
  },
  decisions: {
    summary: 'print the decision log (md or csv)',
    needs: ['postgres'],
    load: () => import('./cli/decisions.js'),
  },
  forecast: { summary: 'forecast a history CSV', load: () => import('./cli/forecast.js') },
  bot: {
    summary: 'run the Slack app (HTTP or Socket Mode)',
    needs: ['postgres', 'redis'],
    load: () => import('./cli/bot.js'),
  },
  doctor: {
    summary: 'check the installation: environment, database, Redis, Slack token and scopes, fonts',
    load: () => import('./cli/doctor.js'),
  },
  worker: {
    summary: 'process the job queues (plans, charts, posts)',
    needs: ['postgres', 'redis'],
    load: () => import('./cli/worker.js'),
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(SUBCOMMANDS).map((k) => k.length));
  const lines = Object.entries(SUBCOMMANDS).map(([k, v]) => `  ${k.padEnd(width)}  ${v.summary}`);
  return [
    'Usage: sopbot <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `sopbot <command> --help` for the options of one command.',
  ].join('\n');
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  // No command is a usage mistake, told on stderr with exit 2 as an unknown one is; asked
  // for, the usage goes to stdout.
  if (!name) {
    io.stderr(`sopbot: give a command.\n\n${usage()}\n`);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${usage()}\n`);
    return 0;
  }
  const entry = SUBCOMMANDS[name];
  if (!entry) {
    io.stderr(`sopbot: unknown command '${name}'.\n\n${usage()}\n`);
    return 2;
  }
  const wantsHelp = rest.some((a) => a === '--help' || a === '-h');
  // Probed only once the configuration parses: a bad variable is reported by the command.
  const urls = (() => {
    try {
      return loadConfig(io.env);
    } catch {
      return null;
    }
  })();
  try {
    if (entry.needs && !wantsHelp && urls) await requireServices(urls, entry.needs);
    const sub = await entry.load();
    return await sub.run(rest, io);
  } catch (err) {
    return failed(name, err, urls, io);
  }
}

/**
 * What a command that threw tells the person, and its exit status: a service that does not
 * answer (or a database not migrated) as what to do about it; a SopError as its sentence,
 * under the command's name (2 for a usage mistake, as for an unknown command); anything else
 * as one line, after the error is logged once with its stack (JSON on stderr, at LOG_LEVEL).
 */
function failed(name: string, err: unknown, config: Config | null, io: CliIo): number {
  const sentence = config ? explainServiceError(err, config) : null;
  if (sentence) {
    io.stderr(`${sentence}\n`);
    return 1;
  }
  if (!isUnexpected(err)) {
    const e = err as SopError;
    io.stderr(`sopbot ${name}: ${e.message}\n`);
    return e.code === 'usage' ? 2 : 1;
  }
  const logger = createLogger(config?.LOG_LEVEL ?? 'info', 'sopbot-cli', { write: io.stderr });
  logUnexpected(logger, err, `sopbot ${name} failed`, { command: name });
  const message = err instanceof Error ? err.message : String(err);
  const logged = logger.isLevelEnabled('error') ? ' (logged above, with its stack)' : '';
  io.stderr(`sopbot ${name} failed: ${message}${logged}\n`);
  return 1;
}

/**
 * Reads `.env` from the working directory, if there is one, into process.env. Variables
 * already set in the environment win (as with `node --env-file`).
 */
export function loadDotEnv(file = '.env'): boolean {
  if (!existsSync(file)) return false;
  process.loadEnvFile(file);
  return true;
}

/** The process's own output and environment; progress on stderr only at a terminal. */
export function processIo(): CliIo {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
    ...(process.stderr.isTTY ? { progressEveryMs: PROGRESS_EVERY_MS } : {}),
  };
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  loadDotEnv();
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`sopbot: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
