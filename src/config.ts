/**
 * One zod schema over the environment, parsed once and frozen. Every missing or invalid
 * variable is reported at once, by name, with what to fix.
 */
import { z } from 'zod';
import { isTimeZone } from './core/calendar.js';
import { SopError } from './errors.js';

const slackUserId = /^[UW][A-Z0-9_]{2,}$/;

/** SOPBOT_SLACK_TIMEOUT_MS when it is not set: also the limit of an upload given none. */
export const DEFAULT_SLACK_TIMEOUT_MS = 30_000;
/** SOPBOT_BOT_SLACK_TIMEOUT_MS when it is not set (and the bot's, built without a config). */
export const DEFAULT_BOT_SLACK_TIMEOUT_MS = 10_000;

const base = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .default('postgres://postgres@127.0.0.1:5432/sopbot'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .default('redis://127.0.0.1:6379'),
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-/, 'must start with xoxb-')
    .optional(),
  SLACK_SIGNING_SECRET: z.string().min(8, 'must be the app signing secret').optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, 'must start with xapp- (an app-level token)')
    .optional(),
  SLACK_API_URL: z.url('must be a URL such as https://slack.com/api/').optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** Off by default: a bot and a worker on one host would otherwise want the same port. */
  BOT_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SOPBOT_ADMIN_USERS: z
    .string()
    .default('')
    .transform((s) => s.split(/[\s,]+/).filter(Boolean))
    .pipe(
      z.array(
        z.string().regex(slackUserId, 'each admin must be a Slack user id such as U012ABCDEF'),
      ),
    ),
  SOPBOT_QUEUE_PREFIX: z
    .string()
    .regex(/^[\w:.-]+$/)
    .default('sopbot'),
  /** The company's time zone: deadlines, reminders and the daily recompute are in it. */
  SOPBOT_TIMEZONE: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris or UTC')
    .default('UTC'),
  SOPBOT_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /**
   * How long the worker waits for Slack's answer to one Web API call before the call fails
   * and the job is retried (the post ledger keeps a retried post from showing twice).
   */
  SOPBOT_SLACK_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(300_000)
    .default(DEFAULT_SLACK_TIMEOUT_MS),
  /**
   * How long the bot waits for Slack's answer to one Web API call (a modal opened, a private
   * reply) before the call fails and the person gets the apology; someone is waiting for it.
   * The CLI's Slack calls (an export's name lookups, the doctor's checks) wait as long.
   */
  SOPBOT_BOT_SLACK_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(60_000)
    .default(DEFAULT_BOT_SLACK_TIMEOUT_MS),
  SOPBOT_RECOMPUTE_DEBOUNCE_MS: z.coerce.number().int().min(0).max(600_000).default(2000),
  /** Days a processed Slack request key is kept (a retry after that runs again). */
  SOPBOT_REQUEST_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** How long a worker holds a job's lock; a crashed worker's job is retried after it. */
  SOPBOT_JOB_LOCK_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  /** How often workers look for stalled jobs (default: half the lock duration). */
  SOPBOT_STALLED_INTERVAL_MS: z.coerce.number().int().min(200).max(600_000).optional(),
  /** Daily plan recompute of the open cycle, as a cron pattern in SOPBOT_TIMEZONE ('off' = none). */
  SOPBOT_RECOMPUTE_CRON: z.string().default('0 6 * * *'),
  /** The weekly S&OE digest (cron in SOPBOT_TIMEZONE; 'off' turns it off): Monday 08:00. */
  SOPBOT_DIGEST_CRON: z.string().default('0 8 * * 1'),
  /** Directory holding DejaVuSans.ttf and DejaVuSans-Bold.ttf for the charts. */
  SOPBOT_FONT_DIR: z.string().optional(),
  /** Rounds of sample charts a worker renders at start to warm the renderer (0 = none). */
  SOPBOT_CHART_WARMUP_ROUNDS: z.coerce.number().int().min(0).max(50).default(6),
});

export type Config = Readonly<z.infer<typeof base>>;

/** Every variable sopbot reads from the environment (README's Configuration table lists each). */
export const CONFIG_VARIABLES = Object.keys(base.shape) as readonly (keyof Config)[];

export interface ConfigNeeds {
  /** Require the Slack credentials (bot and worker need them; the CLI does not). */
  readonly slack?: boolean;
}

/** Parse the environment once. Throws a SopError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, needs: ConfigNeeds = {}): Config {
  const blanksRemoved = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const result = base.safeParse(blanksRemoved);
  const problems: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      problems.push(`${issue.path.join('.') || '(environment)'}: ${issue.message}`);
    }
  }
  if (needs.slack) {
    if (!blanksRemoved.SLACK_BOT_TOKEN)
      problems.push('SLACK_BOT_TOKEN: required (the bot token, xoxb-...)');
    if (!blanksRemoved.SLACK_SIGNING_SECRET && !blanksRemoved.SLACK_APP_TOKEN)
      problems.push(
        'SLACK_SIGNING_SECRET: required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
      );
  }
  if (problems.length > 0 || !result.success) {
    throw new SopError(
      'config_invalid',
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example.`,
      problems,
    );
  }
  return Object.freeze(result.data);
}
