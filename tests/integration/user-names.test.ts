/**
 * Names, not ids: users.info through Slack's WebClient on the stand-in, cached in memory and
 * in Postgres; without users:read the last known name (or the id) is shown, never an error.
 * For a post that goes out once (a job's), what Slack may answer later (a 429, a 5xx) is
 * thrown when no name is stored, for the job to be retried.
 * The CLI's lookups (exports) give up on a call Slack does not answer, as the bot's do.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogLevel, WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { cliUserNames } from '../../src/cli/db.js';
import { withAuthorNames } from '../../src/services/chart-data.js';
import { decisionsCsv } from '../../src/services/decisions.js';
import { createUserNames, displayNameOf, mayAnswerLater } from '../../src/services/user-names.js';
import { useDb } from '../helpers/db.js';
import { standinClient, useStandin } from '../helpers/slack.js';

/** A logger whose warnings are kept (person, words, the error's stack) for a test to read. */
function warningLog() {
  const warnings: { msg: string; user?: string; stack?: string }[] = [];
  const logger = {
    warn: (o: object, msg: string) => {
      const { err, user } = o as { err?: Error; user?: string };
      warnings.push({
        msg,
        ...(user ? { user } : {}),
        ...(err?.stack ? { stack: err.stack } : {}),
      });
    },
  };
  return { warnings, logger };
}

describe('user names', () => {
  const users = [
    { id: 'U_RITA', name: 'Rita', real_name: 'Rita Moreno', tz: 'UTC' },
    { id: 'U_OTTO', name: '', real_name: 'Otto Lind', tz: 'UTC' },
    { id: 'U_MIRA', name: 'Mira', real_name: 'Mira Sato', tz: 'UTC' },
    { id: 'U_KAI', name: 'kai', real_name: 'Kai Berg', tz: 'UTC' },
    { id: 'U_LEO', name: 'leo', real_name: 'Leo Park', tz: 'UTC' },
  ];
  const t = useDb();
  const standin = useStandin({ users });
  const noScope = useStandin({ users, scopes: ['chat:write', 'commands'] });

  it("picks Slack's order: display name, then real name, then handle", () => {
    expect(
      displayNameOf({ name: 'rita', profile: { display_name: 'Rita', real_name: 'R M' } }),
    ).toBe('Rita');
    expect(
      displayNameOf({ name: 'otto', profile: { display_name: ' ', real_name: 'Otto L' } }),
    ).toBe('Otto L');
    expect(displayNameOf({ name: 'sam' })).toBe('sam');
    expect(displayNameOf({})).toBeNull();
  });

  it('asks Slack once per person, keeps the name in Postgres, and falls back to the id', async () => {
    const client = standinClient(standin, 'xoxb-names');
    const names = createUserNames({ db: t.db, slack: client });
    const who = await names.names(['U_RITA', 'U_OTTO', 'U_RITA', 'U_GHOST']);
    expect(who('U_RITA')).toBe('Rita');
    expect(who('U_OTTO')).toBe('Otto Lind');
    expect(who('U_GHOST')).toBe('U_GHOST');
    await names.name('U_RITA');
    await names.name('U_OTTO');
    // Two people found, one not: three calls, the repeats served from memory.
    expect(standin.callsTo('users.info')).toHaveLength(3);

    const rows = await t.db
      .selectFrom('slack_user_names')
      .select(['slack_user_id', 'display_name'])
      .orderBy('slack_user_id')
      .execute();
    expect(rows).toEqual([
      { slack_user_id: 'U_OTTO', display_name: 'Otto Lind' },
      { slack_user_id: 'U_RITA', display_name: 'Rita' },
    ]);

    // A CLI without a token reads the names the bot saw.
    const offline = createUserNames({ db: t.db, slack: null });
    expect(await offline.name('U_OTTO')).toBe('Otto Lind');
    expect(await offline.name('U_SAM')).toBe('U_SAM');
  });

  it('without users:read: shows the last known name or the id, each failure logged with its stack', async () => {
    const warnings: { msg: string; stack?: string }[] = [];
    const names = createUserNames({
      db: t.db,
      slack: standinClient(noScope, 'xoxb-names', { retries: 0 }),
      ttlMs: 0, // every stored name is stale: Slack is asked, and refuses.
      logger: {
        warn: (o, msg) => warnings.push({ msg, stack: (o as { err?: Error }).err?.stack }),
      },
    });
    expect(await names.name('U_RITA')).toBe('Rita');
    expect(await names.name('U_NEW')).toBe('U_NEW');
    // Refused the same each time (missing_scope): asked for a post that goes out once, too.
    expect(await names.name('U_NEW', { retry: true })).toBe('U_NEW');
    // Each failure once, not only the first of its kind for the life of the process.
    expect(warnings.map((w) => w.msg)).toEqual([
      'users.info failed (missing_scope); showing the last known name',
      'users.info failed (missing_scope); showing the user id',
      'users.info failed (missing_scope); showing the user id',
    ]);
    for (const w of warnings) expect(w.stack).toMatch(/\n\s+at /);
  });

  it('for a post that goes out once, throws what Slack may answer later, unless a name is stored', async () => {
    const warnings: string[] = [];
    const names = createUserNames({
      db: t.db,
      slack: standinClient(standin, 'xoxb-names', { retries: 0 }),
      ttlMs: 0, // Rita's stored name is stale: Slack is asked.
      logger: { warn: (_o, msg) => warnings.push(msg) },
    });
    // A 429 about Leo, whose name is not stored: thrown with its Retry-After, for the job.
    standin.failNext('users.info', { status: 429, retryAfter: 7, channel: 'U_LEO' });
    await expect(names.names(['U_LEO'], { retry: true })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 7,
    });
    // A 5xx and Slack's own failure, the same.
    standin.failNext('users.info', { status: 503, channel: 'U_LEO' });
    await expect(names.name('U_LEO', { retry: true })).rejects.toMatchObject({
      code: 'slack_webapi_http_error',
    });
    standin.failNext('users.info', { error: 'fatal_error', channel: 'U_LEO' });
    await expect(names.name('U_LEO', { retry: true })).rejects.toMatchObject({
      data: { error: 'fatal_error' },
    });
    // None was shown, so none was logged here: the job that throws logs it.
    expect(warnings).toEqual([]);
    // Without `retry` (a person waiting): the id, said.
    standin.failNext('users.info', { status: 429, retryAfter: 7, channel: 'U_LEO' });
    expect(await names.name('U_LEO')).toBe('U_LEO');
    // A 429 about Rita, whose last known name is stored: that name, said.
    standin.failNext('users.info', { status: 429, retryAfter: 7, channel: 'U_RITA' });
    expect(await names.name('U_RITA', { retry: true })).toBe('Rita');
    // Slack's answer for good: the id.
    expect(await names.name('U_GHOST', { retry: true })).toBe('U_GHOST');
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/^users\.info failed \(.*rate-limit.*\); showing the user id$/);
    expect(warnings[1]).toMatch(
      /^users\.info failed \(.*rate-limit.*\); showing the last known name$/,
    );
    expect(warnings[2]).toBe('users.info failed (user_not_found); showing the user id');
    // Asked again, Slack answers: the name.
    expect(await names.name('U_LEO', { retry: true })).toBe('leo');
  });

  /** The CLI's names, as an export gets them, and what it wrote on stderr. */
  const cliNames = () => {
    const stderr: string[] = [];
    const names = cliUserNames(t.db, {
      stdout: () => {},
      stderr: (s) => stderr.push(s),
      env: {
        DATABASE_URL: t.url,
        SLACK_BOT_TOKEN: 'xoxb-names',
        SLACK_API_URL: standin.apiUrl,
        SOPBOT_BOT_SLACK_TIMEOUT_MS: '1000',
        LOG_LEVEL: 'info',
      },
    });
    return { names, stderr };
  };

  it("the CLI's lookup Slack does not answer gives up after SOPBOT_BOT_SLACK_TIMEOUT_MS, and its one retry finds the name", async () => {
    const { names, stderr } = cliNames();
    const calls = standin.callsTo('users.info').length;
    standin.delayNext('users.info', { ms: 60_000 });
    const started = Date.now();
    // Without a timeout the export waits the minute for Slack's answer.
    expect(await names.name('U_MIRA')).toBe('Mira');
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(standin.callsTo('users.info')).toHaveLength(calls + 2);
    // The first try's failure is no warning: nothing failed for the export.
    expect(stderr).toEqual([]);
  }, 20_000);

  it("both of the CLI's tries unanswered: the id, and one warning on stderr, as JSON with its stack", async () => {
    const { names, stderr } = cliNames();
    standin.delayNext('users.info', { ms: 60_000 });
    standin.delayNext('users.info', { ms: 60_000 });
    expect(await names.name('U_KAI')).toBe('U_KAI');
    const lines = stderr.join('').trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as { level: number; msg: string; err?: { stack?: string } };
    expect(line.level).toBe(40);
    expect(line.msg).toMatch(/^users\.info failed \(.*timeout.*\); showing the user id$/);
    expect(line.err?.stack).toMatch(/\n\s+at /);
  }, 20_000);

  it('tells what Slack may answer later from its answers for good, and from a bug', () => {
    const slack = (code: string, more?: object) =>
      Object.assign(new Error(code), { code, ...more });
    const platform = (error: string) =>
      slack('slack_webapi_platform_error', { data: { ok: false, error } });
    // Rate-limited, timed out, a 5xx, Slack's own failures: asked again, Slack may answer.
    expect(mayAnswerLater(slack('slack_webapi_rate_limited_error', { retryAfter: 3 }))).toBe(true);
    expect(mayAnswerLater(platform('ratelimited'))).toBe(true);
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), {
      name: 'TimeoutError',
    });
    expect(mayAnswerLater(slack('slack_webapi_request_error', { original: timeout }))).toBe(true);
    const connectTimeout = Object.assign(new Error('fetch failed'), {
      cause: Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' }),
    });
    expect(mayAnswerLater(slack('slack_webapi_request_error', { original: connectTimeout }))).toBe(
      true,
    );
    expect(mayAnswerLater(slack('slack_webapi_http_error', { statusCode: 503 }))).toBe(true);
    expect(mayAnswerLater(slack('slack_webapi_http_error', { statusCode: 500 }))).toBe(true);
    for (const error of ['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout'])
      expect(mayAnswerLater(platform(error))).toBe(true);
    // The same answer at every try: Slack's answers for good, a proxy's 4xx, a request refused
    // on the way (not a timeout), and an error that is not Slack's (a bug).
    expect(mayAnswerLater(platform('user_not_found'))).toBe(false);
    expect(mayAnswerLater(platform('missing_scope'))).toBe(false);
    expect(mayAnswerLater(platform('invalid_auth'))).toBe(false);
    expect(mayAnswerLater(slack('slack_webapi_http_error', { statusCode: 403 }))).toBe(false);
    expect(mayAnswerLater(slack('slack_webapi_http_error', { statusCode: 407 }))).toBe(false);
    expect(mayAnswerLater(slack('slack_webapi_http_error'))).toBe(false);
    const badPort = Object.assign(new TypeError('fetch failed'), { cause: new Error('bad port') });
    expect(mayAnswerLater(slack('slack_webapi_request_error', { original: badPort }))).toBe(false);
    const untrusted = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }),
    });
    expect(mayAnswerLater(slack('slack_webapi_request_error', { original: untrusted }))).toBe(
      false,
    );
    expect(mayAnswerLater(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(
      false,
    );
    expect(mayAnswerLater(new Error('socket hang up'))).toBe(false);
    expect(mayAnswerLater(null)).toBe(false);
  });

  it('a connection lost on the way (reset, refused) is thrown for the job to retry, as a timeout is', async () => {
    const { warnings, logger } = warningLog();
    const names = createUserNames({
      db: t.db,
      slack: standinClient(standin, 'xoxb-names', { retries: 0 }),
      logger,
    });
    // The connection closed under the call, no answer (undici: "other side closed").
    standin.failNext('users.info', { drop: true, channel: 'U_KAI' });
    await expect(names.names(['U_KAI'], { retry: true })).rejects.toMatchObject({
      code: 'slack_webapi_request_error',
      original: { cause: { code: 'UND_ERR_SOCKET' } },
    });
    // Node's own reset and refusal, from a server that resets the connection, then from its
    // port once it is closed.
    const resetting = createServer((req) => req.socket.resetAndDestroy());
    await new Promise<void>((done) => resetting.listen(0, '127.0.0.1', done));
    const { port } = resetting.address() as AddressInfo;
    const away = createUserNames({
      db: t.db,
      slack: new WebClient('xoxb-names', {
        slackApiUrl: `http://127.0.0.1:${port}/api/`,
        retryConfig: { retries: 0 },
        logLevel: LogLevel.ERROR,
      }),
      logger,
    });
    await expect(away.name('U_KAI', { retry: true })).rejects.toMatchObject({
      original: { cause: { code: 'ECONNRESET' } },
    });
    await new Promise<void>((done) => resetting.close(() => done()));
    await expect(away.name('U_KAI', { retry: true })).rejects.toMatchObject({
      original: { cause: { code: 'ECONNREFUSED' } },
    });
    // Thrown for the job, which logs it: nothing logged here.
    expect(warnings).toEqual([]);
    // On the job's last attempt, the id, logged once with its stack.
    expect(await away.name('U_KAI', { retry: true, lastAttempt: true })).toBe('U_KAI');
    expect(warnings.map((w) => [w.user, w.msg])).toEqual([
      ['U_KAI', 'users.info failed (ECONNREFUSED); showing the user id'],
    ]);
    expect(warnings[0]?.stack).toMatch(/\n\s+at /);
    // Asked again once the connection holds, Slack answers.
    expect(await names.name('U_KAI', { retry: true })).toBe('kai');
  });

  it('a bug or a proxy refusing users.info shows the id at once, logged with its stack, not thrown for a retry', async () => {
    const { warnings, logger } = warningLog();
    // A client with a bug: no retry makes it answer.
    const buggy = createUserNames({
      db: t.db,
      slack: {
        users: {
          info: async () => {
            throw new TypeError("Cannot read properties of undefined (reading 'user')");
          },
        },
      },
      logger,
    });
    const who = await buggy.names(['U_BUGGED'], { retry: true });
    expect(who('U_BUGGED')).toBe('U_BUGGED');
    // A proxy that answers 403 for Slack.
    const names = createUserNames({
      db: t.db,
      slack: standinClient(standin, 'xoxb-names', { retries: 0 }),
      logger,
    });
    standin.failNext('users.info', { status: 403, channel: 'U_PROXIED' });
    expect(await names.name('U_PROXIED', { retry: true })).toBe('U_PROXIED');
    expect(warnings.map((w) => [w.user, w.msg])).toEqual([
      [
        'U_BUGGED',
        "users.info failed (TypeError: Cannot read properties of undefined (reading 'user')); showing the user id",
      ],
      ['U_PROXIED', 'users.info failed (HTTP 403); showing the user id'],
    ]);
    for (const w of warnings) expect(w.stack).toMatch(/\n\s+at /);
  });

  it("on a job's last attempt shows the id for a 5xx or Slack's own failure, but still throws a 429", async () => {
    const { warnings, logger } = warningLog();
    const names = createUserNames({
      db: t.db,
      slack: standinClient(standin, 'xoxb-names', { retries: 0 }),
      logger,
    });
    const last = { retry: true, lastAttempt: true } as const;
    standin.failNext('users.info', { error: 'fatal_error', channel: 'U_FAT' });
    expect(await names.name('U_FAT', last)).toBe('U_FAT');
    standin.failNext('users.info', { status: 502, channel: 'U_FIVE' });
    expect(await names.name('U_FIVE', last)).toBe('U_FIVE');
    // A 429's wait uses no attempt: thrown, for the job to wait it out, and not logged here.
    standin.failNext('users.info', { status: 429, retryAfter: 2, channel: 'U_LIMITED' });
    await expect(names.name('U_LIMITED', last)).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 2,
    });
    expect(warnings.map((w) => [w.user, w.msg])).toEqual([
      ['U_FAT', 'users.info failed (fatal_error); showing the user id'],
      ['U_FIVE', 'users.info failed (HTTP 502); showing the user id'],
    ]);
    for (const w of warnings) expect(w.stack).toMatch(/\n\s+at /);
  });

  it('several names Slack may give later: one error thrown, each other failure logged once with its stack', async () => {
    const { warnings, logger } = warningLog();
    const names = createUserNames({
      db: t.db,
      slack: standinClient(standin, 'xoxb-names', { retries: 0 }),
      logger,
    });
    // Three people, none stored: two refused (a 503, fatal_error), the third a 429.
    standin.failNext('users.info', { status: 503, channel: 'U_ONE' });
    standin.failNext('users.info', { error: 'fatal_error', channel: 'U_TWO' });
    standin.failNext('users.info', { status: 429, retryAfter: 4, channel: 'U_THREE' });
    // The 429 is the one thrown: the job waits it out without using an attempt.
    await expect(names.names(['U_ONE', 'U_TWO', 'U_THREE'], { retry: true })).rejects.toMatchObject(
      { code: 'slack_webapi_rate_limited_error', retryAfter: 4 },
    );
    expect(warnings.map((w) => [w.user, w.msg]).sort()).toEqual([
      ['U_ONE', 'users.info failed (HTTP 503); the post waits for this name too'],
      ['U_TWO', 'users.info failed (fatal_error); the post waits for this name too'],
    ]);
    for (const w of warnings) expect(w.stack).toMatch(/\n\s+at /);
  });

  it('charts and exports carry the names', () => {
    const who = (id: string) => ({ U_RITA: 'Rita', U_OTTO: 'Otto Lind' })[id] ?? id;
    const data = withAuthorNames(
      {
        run: {} as never,
        cycleMonth: '2027-01',
        gap: [],
        roughCut: null,
        scenarios: [],
        accuracy: [],
        cash: null,
        families: [
          {
            family: 'FAM-1',
            history: [],
            baseline: [],
            consensus: [],
            adjustments: [
              { period: '2027-05', author: 'U_RITA', reasonCode: 'promotion', before: 1, after: 2 },
            ],
          },
        ],
      },
      who,
    );
    expect(data.families[0]?.adjustments[0]?.author).toBe('Rita');
    const csv = decisionsCsv(
      [
        {
          id: '1',
          cycle: '2027-01',
          scenario: 'Central',
          scenarioId: '9',
          runId: '3',
          rationale: 'r',
          decidedBy: 'U_RITA',
          decidedAt: new Date('2027-01-20T10:00:00Z'),
          viaVote: true,
          tradeOff: null,
          actions: [
            {
              id: '5',
              owner: 'U_OTTO',
              due_date: '2027-02-01',
              status: 'open',
              description: 'Book overtime',
            } as never,
          ],
        },
      ],
      who,
    ).trim();
    expect(csv.split('\n')[1]).toMatch(/,U_OTTO,2027-02-01,open,Book overtime,Rita,Otto Lind,$/);
  });
});
