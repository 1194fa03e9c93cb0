import { WebClient } from '@slack/web-api';
import pg from 'pg';
import type { Logger } from 'pino';
import { createDb, type Db } from '../../db/connect.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createUserNames, type UserNames } from '../services/user-names.js';
import { slackLogger } from '../slack/slack-logger.js';
import type { CliIo } from './types.js';

/** Open the configured database for one CLI command; the caller destroys it. */
export function openDb(io: CliIo): Db {
  const config = loadConfig(io.env);
  return createDb(config.DATABASE_URL, { max: 4, applicationName: 'sopbot-cli' });
}

/** Runs `fn` with the configured database, closed afterwards whatever happens. */
export async function withDb<T>(io: CliIo, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = openDb(io);
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

/** Create the configured database if it does not exist (a fresh machine). */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z_][A-Za-z0-9_$-]*$/.test(name))
    throw new Error(`DATABASE_URL: '${name}' is not a database name sopbot can create`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount) return false;
    await client.query(`create database "${name}"`);
    return true;
  } finally {
    await client.end();
  }
}

/**
 * The CLI's Slack client, with SLACK_BOT_TOKEN set (else null), and the logger its failures go
 * to (stderr). Someone waits at the terminal: a call Slack does not answer gives up after
 * SOPBOT_BOT_SLACK_TIMEOUT_MS, as the bot's calls do (one retry).
 */
export function cliSlack(io: CliIo): { readonly slack: WebClient; readonly logger: Logger } | null {
  const config = loadConfig(io.env);
  if (!config.SLACK_BOT_TOKEN) return null;
  const logger = createLogger(config.LOG_LEVEL, 'sopbot-cli', { write: io.stderr });
  const slack = new WebClient(config.SLACK_BOT_TOKEN, {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    logger: slackLogger(logger, 'web-api'),
    retryConfig: { retries: 1 },
    timeout: config.SOPBOT_BOT_SLACK_TIMEOUT_MS,
  });
  return { slack, logger };
}

/**
 * Names for a CLI export: those the bot has already looked up (in the database); with
 * SLACK_BOT_TOKEN set, Slack is asked about the others (through `slack`, cliSlack's). A lookup
 * Slack does not answer shows the last known name or the id, with one warning on stderr.
 */
export function cliUserNames(
  db: Db,
  io: CliIo,
  slack: ReturnType<typeof cliSlack> = cliSlack(io),
): UserNames {
  if (!slack) return createUserNames({ db, slack: null });
  return createUserNames({ db, slack: slack.slack, logger: slack.logger });
}
