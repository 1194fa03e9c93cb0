/**
 * `sopbot doctor`: is this installation ready? Checks, in this order (USAGE and README's table
 * say the same): the environment, the database and its migrations, whether the channels are
 * set, Redis, the Slack token (auth.test), the scopes it was granted against the manifest, the
 * bot's access to each channel set and whether each person with a role (or named by
 * SOPBOT_ADMIN_USERS) is still in the workspace, then the chart fonts. Every problem comes with its fix;
 * the exit code is 1 when there is any. It only reads: nothing is created or changed.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { createDb } from '../../db/connect.js';
import { migrationStatus } from '../../db/migrate.js';
import { membersWithRole } from '../../db/queries/members.js';
import { latestSettings } from '../../db/queries/settings.js';
import { DEFAULT_FONT_DIR } from '../charts/render.js';
import { type Config, loadConfig } from '../config.js';
import { SopError } from '../errors.js';
import { createLogger } from '../logger.js';
import { ROLE_LABEL, ROLES } from '../services/members.js';
import { type SlackPerson, slackPerson } from '../services/slack-person.js';
import {
  asSentence,
  type ChannelSetting,
  channelFix,
  refusalWords,
} from '../slack/presenters/undelivered.js';
import { slackLogger } from '../slack/slack-logger.js';
import { manifestScopes } from '../slack-standin/scopes.js';
import { parseCliArgs } from './args.js';
import {
  hostOf,
  postgresMissing,
  postgresRefused,
  probePostgres,
  probeRedis,
  redisMissing,
} from './services.js';
import type { CliIo } from './types.js';

const USAGE = `Usage: sopbot doctor
Checks what sopbot needs, in this order: the environment (.env); PostgreSQL, the migrations
and whether the S&OP channels are set; Redis; the Slack token (auth.test), its scopes against
manifest.json, the bot's access to each channel set and whether each person with a role is
still in the workspace; the chart fonts. Prints each problem with its fix; exits 1 if there
is any.`;

export interface Finding {
  readonly check: string;
  readonly ok: boolean;
  /** What was found. */
  readonly detail: string;
  /** What to do about it (problems only). */
  readonly fix?: string;
}

const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

/**
 * The values .env.example holds for what only the admin can fill in (tests/integration/doctor.test.ts
 * keeps the two in step), each with what it leaves broken when copied as is.
 */
export const PLACEHOLDERS = {
  SLACK_BOT_TOKEN: {
    value: 'xoxb-your-bot-token',
    fix: 'Copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions into SLACK_BOT_TOKEN.',
  },
  SLACK_SIGNING_SECRET: {
    value: 'your-signing-secret',
    fix: 'Copy the Signing Secret (Basic Information → App Credentials) into SLACK_SIGNING_SECRET: with this one the bot refuses every request from Slack.',
  },
  SOPBOT_ADMIN_USERS: {
    value: 'U012ABCDEF',
    fix: 'Set SOPBOT_ADMIN_USERS to your Slack member id (profile → ⋯ → Copy member ID): the example id is nobody in your workspace.',
  },
  POSTGRES_PASSWORD: {
    value: 'changeMeToALongRandomString',
    fix: 'Set POSTGRES_PASSWORD to a long random string of letters and digits before the first `docker compose up` (the database keeps the password it was created with).',
  },
} as const;

/** Runs every check that can run; a failed one skips only the checks that depend on it. */
export async function diagnose(env: NodeJS.ProcessEnv): Promise<Finding[]> {
  const out: Finding[] = [];
  const add = (f: Finding) => out.push(f);
  // Channel ids from the settings (and which settings name each), checked against Slack once
  // the token works.
  const channels = new Map<string, ChannelSetting[]>();
  // Who holds a role, read from the database, checked against Slack once the token works.
  let roleHolders: readonly { userId: string; role: string }[] = [];

  // 1. Environment.
  let config: Config;
  // The variables named invalid: a check that reads one is left out, since its default would
  // have it check another server or folder than the one meant.
  let invalid = new Set<string>();
  try {
    config = loadConfig(env, { slack: true });
    add({ check: 'environment', ok: true, detail: 'every variable is valid' });
  } catch (err) {
    const details = err instanceof SopError ? err.details : [String(err)];
    for (const d of details)
      add({
        check: 'environment',
        ok: false,
        detail: d,
        fix: 'Set it in .env (copy .env.example; blank lines take the default) and run again.',
      });
    // Carry on without them, so the checks that do not read them still say something useful.
    invalid = new Set(details.map((d) => /^[A-Z][A-Z0-9_]*/.exec(d)?.[0] ?? ''));
    try {
      config = loadConfig(Object.fromEntries(Object.entries(env).filter(([k]) => !invalid.has(k))));
    } catch {
      return out;
    }
  }
  for (const [name, p] of Object.entries(PLACEHOLDERS)) {
    const set = name === 'SOPBOT_ADMIN_USERS' ? config.SOPBOT_ADMIN_USERS : [env[name]];
    if (set.includes(p.value))
      add({
        check: 'environment',
        ok: false,
        detail: `${name} is still .env.example's placeholder, ${p.value}`,
        fix: p.fix,
      });
  }
  if (config.SOPBOT_ADMIN_USERS.length === 0 && !invalid.has('SOPBOT_ADMIN_USERS'))
    add({
      check: 'environment',
      ok: false,
      detail: 'SOPBOT_ADMIN_USERS is empty: nobody can set channels and roles',
      fix: 'Set SOPBOT_ADMIN_USERS to your Slack member id (profile → ⋯ → Copy member ID).',
    });

  // 2. PostgreSQL, the database, the migrations.
  const pgProbe = invalid.has('DATABASE_URL') ? null : await probePostgres(config.DATABASE_URL);
  let dbReady = false;
  if (pgProbe === null) {
    // Named above.
  } else if (!pgProbe.ok) {
    add({
      check: 'database',
      ok: false,
      detail: `PostgreSQL at ${hostOf(config.DATABASE_URL)}: ${pgProbe.message}`,
      fix: pgProbe.unreachable
        ? postgresMissing(config.DATABASE_URL, pgProbe.message).replace(/^.*?\)\. /, '')
        : postgresRefused(config.DATABASE_URL, pgProbe.message),
    });
  } else {
    const db = createDb(config.DATABASE_URL, { max: 1, applicationName: 'sopbot-doctor' });
    try {
      const status = await migrationStatus(db);
      const pending = status.filter((m) => !m.executedAt).map((m) => m.name);
      if (pending.length)
        add({
          check: 'migrations',
          ok: false,
          detail: `${pending.length} of ${status.length} pending: ${pending.join(', ')}`,
          fix: 'Run `sopbot migrate` (with docker compose: `docker compose run --rm migrate`).',
        });
      else {
        dbReady = true;
        add({ check: 'migrations', ok: true, detail: `all ${status.length} applied` });
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      add({
        check: 'database',
        ok: false,
        detail: message,
        fix: /does not exist/.test(message)
          ? 'Run `sopbot migrate`: it creates the database, then applies the migrations.'
          : 'Check DATABASE_URL: the user needs to create tables in that database.',
      });
    }
    if (dbReady) {
      roleHolders = (await membersWithRole(db, ROLES)).map((m) => ({
        userId: m.userId,
        role: ROLE_LABEL[m.role],
      }));
      // latestSettings, not getSettings: the doctor only reads, and a missing row stays missing.
      const s = await latestSettings(db);
      const missing = (['demand', 'supply', 'exec'] as const).filter((k) => !s?.[`${k}_channel`]);
      for (const k of ['demand', 'supply', 'exec'] as const) {
        const id = s?.[`${k}_channel`];
        if (id) channels.set(id, [...(channels.get(id) ?? []), k]);
      }
      add(
        missing.length
          ? {
              check: 'channels',
              ok: false,
              detail: `no ${missing.join(', ')} channel set`,
              fix: 'In Slack, as an admin: `/sop settings channels demand #sop-demand supply #sop-supply exec #sop-exec` (invite the bot to each: `/invite @sopbot`).',
            }
          : { check: 'channels', ok: true, detail: 'demand, supply and exec channels are set' },
      );
    }
    await db.destroy();
  }

  // 3. Redis.
  const redisProbe = invalid.has('REDIS_URL') ? null : await probeRedis(config.REDIS_URL);
  if (redisProbe)
    add(
      redisProbe.ok
        ? { check: 'redis', ok: true, detail: `Redis at ${hostOf(config.REDIS_URL)} answers` }
        : {
            check: 'redis',
            ok: false,
            detail: `Redis at ${hostOf(config.REDIS_URL)}: ${redisProbe.message}`,
            fix: redisMissing(config.REDIS_URL, redisProbe.message).replace(/^.*?Redis\. /, ''),
          },
    );

  // 4. Slack: the token, then its scopes against the manifest, then the channels.
  // A placeholder token was named above; Slack would only refuse it.
  if (
    config.SLACK_BOT_TOKEN &&
    config.SLACK_BOT_TOKEN !== PLACEHOLDERS.SLACK_BOT_TOKEN.value &&
    !invalid.has('SLACK_API_URL')
  ) {
    const client = new WebClient(config.SLACK_BOT_TOKEN, {
      ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
      // Its lines as JSON on stderr at LOG_LEVEL, beside the report on stdout.
      logger: slackLogger(createLogger(config.LOG_LEVEL, 'sopbot-doctor'), 'web-api'),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: config.SOPBOT_BOT_SLACK_TIMEOUT_MS,
    });
    try {
      const auth = await client.auth.test();
      add({
        check: 'slack token',
        ok: true,
        detail: `auth.test: bot ${auth.user ?? auth.user_id} in workspace ${auth.team ?? auth.team_id}`,
      });
      const granted = auth.response_metadata?.scopes ?? [];
      const wanted = manifestScopes();
      const missing = wanted.filter((s) => !granted.includes(s));
      add(
        granted.length === 0
          ? {
              check: 'slack scopes',
              ok: false,
              detail: 'Slack did not say which scopes the token holds',
              fix: 'Use the Bot User OAuth Token (xoxb-) from OAuth & Permissions.',
            }
          : missing.length
            ? {
                check: 'slack scopes',
                ok: false,
                detail: `missing ${missing.join(', ')} (manifest.json asks for ${wanted.length}; the token has ${granted.length})`,
                fix: 'Add them under OAuth & Permissions → Bot Token Scopes (or paste manifest.json into App Manifest), then Reinstall to Workspace and copy the new token.',
              }
            : {
                check: 'slack scopes',
                ok: true,
                detail: `all ${wanted.length} scopes of manifest.json granted`,
              },
      );
      // In the words of the admins' DM when Slack refuses a post there (channelFix).
      const problem = (code: string, where: string, settings: readonly ChannelSetting[]) => ({
        check: 'channels',
        ok: false,
        detail: `${where}: ${refusalWords(code)}`,
        fix: asSentence(channelFix(code, where, settings)),
      });
      for (const [id, settings] of channels) {
        const info = await client.conversations.info({ channel: id }).catch((e: unknown) => e);
        const ch = (
          info as { channel?: { name?: string; is_member?: boolean; is_archived?: boolean } }
        ).channel;
        const error = (info as { data?: { error?: string } }).data?.error;
        if (!ch && error === 'missing_scope')
          // A private channel, and a token from before the manifest asked for groups:read:
          // unchecked is not fine (a post there fails if the bot was never invited).
          add({
            check: 'channels',
            ok: false,
            detail: `${id} is private, and without groups:read Slack does not say whether the bot is in it`,
            fix: 'Grant groups:read (see slack scopes above), then run `sopbot doctor` again.',
          });
        else if (!ch && (error === 'channel_not_found' || error === 'is_archived'))
          add(problem(error, id, settings));
        else if (!ch)
          add({
            check: 'channels',
            ok: false,
            detail: `${id}: ${String(error ?? info)}`,
            fix: 'Run `sopbot doctor` again; if it says the same, check that this machine reaches Slack.',
          });
        else if (ch.is_archived) add(problem('is_archived', `#${ch.name}`, settings));
        else if (ch.is_member === false) add(problem('not_in_channel', `#${ch.name}`, settings));
      }
      if (!missing.includes('users:read'))
        for (const f of await peopleFindings(client, [
          ...roleHolders,
          // A placeholder id was named above.
          ...config.SOPBOT_ADMIN_USERS.filter(
            (u) =>
              u !== PLACEHOLDERS.SOPBOT_ADMIN_USERS.value &&
              !roleHolders.some((r) => r.userId === u),
          ).map((userId) => ({ userId, role: 'SOPBOT_ADMIN_USERS' })),
        ]))
          add(f);
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      add({
        check: 'slack token',
        ok: false,
        detail: `auth.test: ${code ?? (err instanceof Error ? err.message : String(err))}`,
        fix:
          code === 'invalid_auth' || code === 'not_authed' || code === 'token_revoked'
            ? 'Copy the Bot User OAuth Token (xoxb-…) from your app’s OAuth & Permissions page into SLACK_BOT_TOKEN; reinstall the app if it was revoked.'
            : 'Check that this machine reaches slack.com (or SLACK_API_URL) over HTTPS.',
      });
    }
  }

  // 5. Chart fonts.
  const fontDir = config.SOPBOT_FONT_DIR ?? DEFAULT_FONT_DIR;
  const absent = FONT_FILES.filter((f) => !existsSync(join(fontDir, f)));
  if (!invalid.has('SOPBOT_FONT_DIR'))
    add(
      absent.length
        ? {
            check: 'fonts',
            ok: false,
            detail: `${absent.join(' and ')} not in ${fontDir}`,
            fix: `Install them (\`sudo apt-get install fonts-dejavu-core\`; the Docker image has them) or set SOPBOT_FONT_DIR to a folder holding ${FONT_FILES.join(' and ')}.`,
          }
        : { check: 'fonts', ok: true, detail: `DejaVu Sans in ${fontDir}` },
    );
  return out;
}

const GONE: Readonly<Record<Exclude<SlackPerson, 'person'>, string>> = {
  deactivated: 'their Slack account is deactivated',
  unknown: 'Slack knows no such person in this workspace',
  bot: 'this is a bot, not a person',
};

/**
 * Each person with a role (or named by SOPBOT_ADMIN_USERS) whom Slack says is not a person of
 * the workspace any more: one `users.info` each (Tier 4, about 100 a minute), in turn; Slack
 * not answering one (a rate limit) ends the check, saying how many were not checked.
 */
async function peopleFindings(
  client: WebClient,
  people: readonly { userId: string; role: string }[],
): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const [i, p] of people.entries()) {
    let is: SlackPerson;
    try {
      is = await slackPerson(client, p.userId);
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      out.push({
        check: 'people',
        ok: false,
        detail: `${people.length - i} of ${people.length} not checked: users.info answered ${code ?? (err instanceof Error ? err.message : String(err))}`,
        fix: 'Run `sopbot doctor` again in a minute.',
      });
      return out;
    }
    if (is === 'person') continue;
    const byEnv = p.role === 'SOPBOT_ADMIN_USERS';
    out.push({
      check: 'people',
      ok: false,
      detail: `${p.userId} (${byEnv ? 'admin by SOPBOT_ADMIN_USERS' : p.role}): ${GONE[is]}`,
      fix: byEnv
        ? `Take ${p.userId} out of SOPBOT_ADMIN_USERS.`
        : `In Slack, as an admin: give their part to someone else (\`/sop status\` names the families and votes that wait on them, \`/sop actions <@${p.userId}>\` their open actions), then \`/sop role <@${p.userId}> none\`.`,
    });
  }
  if (out.length === 0 && people.length > 0)
    out.push({
      check: 'people',
      ok: true,
      detail:
        people.length === 1
          ? 'the one person with a role is in the workspace'
          : `each of the ${people.length} people with a role is in the workspace`,
    });
  return out;
}

export function formatFindings(findings: readonly Finding[]): string {
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`${f.ok ? '✓' : '✗'} ${f.check}: ${f.detail}`);
    if (!f.ok && f.fix) lines.push(`    fix: ${f.fix}`);
  }
  const problems = findings.filter((f) => !f.ok).length;
  lines.push(
    '',
    problems
      ? `${problems} problem${problems === 1 ? '' : 's'} found.`
      : 'Everything sopbot needs is in place.',
  );
  return `${lines.join('\n')}\n`;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs(argv, { help: { type: 'boolean', short: 'h' } }, USAGE);
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const findings = await diagnose(io.env);
  io.stdout(formatFindings(findings));
  return findings.some((f) => !f.ok) ? 1 : 0;
}
