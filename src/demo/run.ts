/**
 * `npm run demo`: one whole S&OP cycle, end to end, on this machine, then the loop after it
 * (src/demo/loop.ts: two more cycles and an S&OE week). A local Slack stand-in
 * plays Slack; the real bot (over HTTP) and a real worker run against a fresh PostgreSQL
 * database and Redis queues of their own; a sample company is seeded and imported; then
 * people act through slash commands, modals and buttons, exactly as they would in Slack.
 * Everything Slack showed is written to the output folder: the transcript, the charts and
 * each cycle's meeting pack.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createDb, type Db } from '../../db/connect.js';
import { migrateToLatest } from '../../db/migrate.js';
import {
  type CountedTable,
  countedVotes,
  cyclePhase,
  firstDecision,
  latestRunScenarios,
  phaseDeadline,
  rowCount,
} from '../../db/queries/demo.js';
import { QUEUES } from '../../jobs/contracts.js';
import { createQueues } from '../../jobs/queues.js';
import { startBot } from '../bot.js';
import { loadConfig } from '../config.js';
import { type CyclePhase, PHASE_ORDER } from '../core/cycle.js';
import { importCompany } from '../import/import-company.js';
import { createRedis } from '../redis.js';
import { generateCompany } from '../seed/company.js';
import { buildPack, packMarkdown, packPeople } from '../services/pack.js';
import { createUserNames } from '../services/user-names.js';
import { ledgerEntries } from '../slack/post-ledger.js';
import { createDriver, type Driver, type Standin, startStandin } from '../slack-standin/index.js';
import { startWorker } from '../worker.js';
import { type DemoClock, demoClock } from './clock.js';
import { createDrain } from './drain.js';
import { LOOP_MONTHS, playLoop, writePack } from './loop.js';
import { writePage } from './page.js';
import { scenarioSummary } from './summary.js';
import { renderTranscript } from './transcript.js';

export interface DemoOptions {
  /** Base database URL; the demo creates (and drops) a database of its own on that server. */
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly outDir: string;
  readonly families: number;
  readonly keepDatabase: boolean;
  readonly log: (line: string) => void;
}

export interface DemoResult {
  readonly database: string;
  readonly planRuns: number;
  readonly decision: { scenario: string; rationale: string; actions: number } | null;
  readonly chartsPosted: number;
  /**
   * The DMs that chased people as the story's days passed: reminders of open actions (before,
   * on and after their due dates) and nudges for input owed before a phase's deadline.
   */
  readonly chased: { readonly reminders: number; readonly nudges: number };
  readonly transcriptPath: string;
  /** The pack of each cycle, demo-output/pack-YYYY-MM.md. */
  readonly packs: readonly string[];
  /** index.html: the conversation laid out like Slack, charts inline. */
  readonly pagePath: string;
  readonly seconds: number;
}

const PEOPLE: Readonly<Record<string, string>> = {
  U_ADA: 'Ada (admin)',
  U_PAT: 'Pat (planner)',
  U_RITA: 'Rita (sales)',
  U_SAM: 'Sam (sales)',
  U_OTTO: 'Otto (operations)',
  U_CEO: 'Carla (CEO)',
  U_CFO: 'Farid (CFO)',
  U_COO: 'Omar (COO)',
};

const CYCLE = '2027-01';
/**
 * When the story starts: the first cycle's first Monday morning, in the company's zone (UTC:
 * the demo sets none). The demo's clock starts here; the loop moves it on (src/demo/loop.ts).
 */
const STARTS_AT = new Date('2027-01-04T09:00:00Z');

async function withAdmin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The type of the element with `actionId` among a view's blocks (input or actions), if any. */
function elementType(blocks: unknown, actionId: string): string | undefined {
  for (const b of Array.isArray(blocks) ? blocks : []) {
    const block = b as { element?: unknown; elements?: unknown };
    const elements = [block.element, ...(Array.isArray(block.elements) ? block.elements : [])];
    for (const e of elements) {
      const el = e as { action_id?: unknown; type?: unknown } | undefined;
      if (el?.action_id === actionId && typeof el.type === 'string') return el.type;
    }
  }
  return undefined;
}

/**
 * Picks `value` in a modal's select as a person does. Past STATIC_SELECT_MAX targets
 * (src/slack/change-flow.ts) the /forecast and /capacity target is an external_select: Slack
 * asks the app for its options as the person types, and only an option the app offered can
 * be picked. So the value is typed first (driver.suggest); picking straight away is refused,
 * which stopped `npm run demo -- --families 101` in step 3.
 */
export async function pickInModal(
  driver: Driver,
  standin: Standin,
  viewId: string,
  actionId: string,
  value: string,
  opts: Parameters<Driver['selectOption']>[3],
): ReturnType<Driver['selectOption']> {
  const blocks = standin.store.views.get(viewId)?.definition.blocks;
  if (elementType(blocks, actionId) === 'external_select') {
    const typed = await driver.suggest(viewId, actionId, value, { user: opts.user });
    if (!typed.options.some((o) => o.value === value))
      throw new Error(`typing '${value}' in ${actionId} did not offer it`);
  }
  return driver.selectOption(viewId, actionId, value, opts);
}

export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const t0 = performance.now();
  // Section headers carry the time since the start, so a slow step shows where it is.
  const log = (line: string) =>
    opts.log(
      /^\n\d\. /.test(line) ? `${line}  [${((performance.now() - t0) / 1000).toFixed(1)} s]` : line,
    );
  const dbName = `sopbot_demo_${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const dbUrl = new URL(opts.databaseUrl);
  dbUrl.pathname = `/${dbName}`;
  const prefix = `sopbot-demo:${dbName}`;
  const secret = randomBytes(16).toString('hex');

  log(
    `sopbot demo: a whole S&OP cycle for ${CYCLE} and the loop after it, against a local Slack stand-in`,
  );
  await withAdmin(opts.databaseUrl, (c) => c.query(`create database "${dbName}"`));
  let db: Db | null = createDb(dbUrl.toString(), { max: 4, applicationName: 'sopbot-demo' });
  const cleanups: (() => Promise<void>)[] = [];
  let standinRef: Standin | null = null;
  let driverRef: Driver | null = null;
  let clockRef: DemoClock | null = null;
  try {
    const m = await migrateToLatest(db);
    if (m.error) throw m.error;
    log(`• database ${dbName} created and migrated`);

    const company = generateCompany({
      families: opts.families,
      months: 48,
      resources: 8,
      seed: 2027,
    });
    await importCompany(db, company, 'U_PAT');
    log(
      `• sample company imported: ${company.families.length} families, ${company.resources.length} resources, ${company.history.length} family-months of sales history`,
    );

    const standin: Standin = await startStandin({
      users: Object.entries(PEOPLE).map(([id, name]) => ({
        id,
        name: name.split(' ')[0]!,
        real_name: name,
        tz: 'UTC',
      })),
    });
    standinRef = standin;
    cleanups.push(() => standin.close());
    const env: NodeJS.ProcessEnv = {
      DATABASE_URL: dbUrl.toString(),
      REDIS_URL: opts.redisUrl,
      SLACK_BOT_TOKEN: 'xoxb-sopbot-demo',
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: standin.apiUrl,
      LOG_LEVEL: process.env.SOPBOT_DEMO_LOG_LEVEL ?? 'silent',
      SOPBOT_ADMIN_USERS: 'U_ADA',
      SOPBOT_QUEUE_PREFIX: prefix,
      SOPBOT_RECOMPUTE_DEBOUNCE_MS: '500',
      SOPBOT_RECOMPUTE_CRON: 'off',
      SOPBOT_DIGEST_CRON: 'off',
      METRICS_PORT: '0',
    };
    const config = loadConfig(env, { slack: true });
    // The story's time, for the bot, the worker and this script alike.
    const clock = demoClock(STARTS_AT);
    clockRef = clock;
    const bot = await startBot(config, { port: 0, clock });
    cleanups.push(() => bot.stop());
    const worker = await startWorker(config, { metricsPort: null, clock });
    cleanups.push(() => worker.stop());
    const redis = createRedis(opts.redisUrl);
    const queues = createQueues(redis, prefix);
    cleanups.push(async () => {
      for (const q of QUEUES) await queues.queue(q).obliterate({ force: true });
      await queues.close();
      redis.disconnect();
    });
    const driver: Driver = createDriver({
      botUrl: `http://127.0.0.1:${bot.slack.port()}/slack/events`,
      signingSecret: secret,
      standin,
    });
    driverRef = driver;
    // Each step's work is done before the story's clock moves on, and the reminders, nudges
    // and deadlines come at their time on it (src/demo/drain.ts).
    const { settle, passTime } = createDrain({
      db,
      queues,
      clock,
      inFlight: () => bot.slack.inFlight(),
    });
    log(`• bot listening on :${bot.slack.port()}, worker started, stand-in at ${standin.url}`);

    const sop = async (user: string, text: string, channel = 'C_EXEC') => {
      const r = await driver.command('/sop', { user, channel, text });
      if (r.status !== 200) throw new Error(`/sop ${text}: HTTP ${r.status}`);
    };
    /**
     * `/sop cycle next <the phase before>`, then wait until the cycle is in `phase`: commands
     * are acked at once and run concurrently, and a second "next" sent before the first lands
     * is (rightly) refused as a double click. The phase to end is named: the demo moves on
     * seconds after the last change, which a bare `next` refuses as too soon.
     */
    const nextPhase = async (phase: string, month = CYCLE) => {
      const from = PHASE_ORDER[PHASE_ORDER.indexOf(phase as CyclePhase) - 1];
      if (!from) throw new Error(`nextPhase: no phase before '${phase}'`);
      // Each phase ends on its deadline's day, two hours before it (deadlines are at the
      // default 17:00), so a cycle's vote and decision fall in its meeting's week, after its
      // pack, as they would in a real month. What the phase's step set off goes out first,
      // and the days until then pass with their reminders and nudges.
      const deadline = await phaseDeadline(db!, month, from);
      const before = deadline ? new Date(deadline.getTime() - 2 * 3600_000) : null;
      if (before) await passTime(before);
      await sop('U_PAT', `cycle next ${from}`);
      await standin.waitFor(async () => (await cyclePhase(db!, month)) === phase, 30_000);
    };
    /** The user's latest ephemeral matching `re` (commands run concurrently: any order). */
    const ephemeral = (user: string, re: RegExp) =>
      standin
        .ephemeralsFor(user)
        .map((e) => e.text)
        .findLast((t) => re.test(t));
    const say = (who: string, what: string) => log(`  ${PEOPLE[who]}: ${what}`);
    const count = (table: CountedTable) => rowCount(db!, table);

    log('\n1. Set-up');
    say('U_ADA', '/sop settings channels demand #sop-demand supply #sop-supply exec #sop-exec');
    await sop(
      'U_ADA',
      'settings channels demand <#C_DEMAND|sop-demand> supply <#C_SUPPLY|sop-supply> exec <#C_EXEC|sop-exec>',
    );
    for (const [user, role] of [
      ['U_PAT', 'planner'],
      ['U_RITA', 'sales'],
      ['U_SAM', 'sales'],
      ['U_OTTO', 'ops'],
      ['U_CEO', 'exec'],
      ['U_CFO', 'exec'],
      ['U_COO', 'exec'],
    ] as const) {
      await sop('U_ADA', `role <@${user}|${user.slice(2).toLowerCase()}> ${role}`);
    }
    // Commands run concurrently and role changes queue on one lock: a sales area needs its
    // person's role first, so wait for the seven answers.
    await standin.waitFor(
      () => standin.ephemeralsFor('U_ADA').filter((e) => / is now \*/.test(e.text)).length >= 7,
      30_000,
    );
    await sop('U_ADA', 'families <@U_RITA|rita> FAM-1 FAM-2 FAM-3');
    await sop('U_ADA', 'families <@U_SAM|sam> FAM-4 FAM-5');
    say('U_ADA', 'gave everyone a role; Rita covers FAM-1..3, Sam FAM-4..5');

    log('\n2. Data gathering');
    say('U_PAT', `/sop cycle start ${CYCLE}`);
    await sop('U_PAT', `cycle start ${CYCLE}`);
    await standin.waitFor(() => standin.messagesIn('C_DEMAND').length > 0, 10_000);
    say('U_PAT', '/sop plan   (baseline forecast, consensus, capacity check, three scenarios)');
    await sop('U_PAT', 'plan', 'C_EXEC');
    await standin.waitFor(async () => (await count('plan_runs')) >= 1, 120_000);
    await settle();
    log(`  → plan run 1 stored; ${standin.files.length} charts posted`);

    log('\n3. Demand review');
    await nextPhase('demand_review');
    say(
      'U_RITA',
      '/forecast  (opens the modal, picks FAM-1, +15% for 2027-05..2027-07, promotion)',
    );
    await driver.command('/forecast', { user: 'U_RITA', channel: 'C_DEMAND', text: '' });
    const viewId = await standin.waitFor(() => {
      const v = standin.openViews('U_RITA').at(-1);
      return v && String(v.definition.callback_id ?? '') === 'forecast_submit' ? v.id : undefined;
    }, 10_000);
    await pickInModal(driver, standin, viewId, 'forecast_target_pick', 'FAM-1', {
      user: 'U_RITA',
      values: { from: { from_pick: '2027-05' }, value: { value_input: '15' } },
    });
    await standin.waitFor(
      () =>
        JSON.stringify(standin.store.views.get(viewId)?.definition.blocks ?? []).includes(
          'Baseline',
        ),
      10_000,
    );
    const submitted = await driver.submitView(viewId, {
      user: 'U_RITA',
      values: {
        target: { forecast_target_pick: 'FAM-1' },
        from: { from_pick: '2027-05' },
        to: { to_pick: '2027-07' },
        kind: { kind_pick: 'delta_pct' },
        value: { value_input: '15' },
        reason: { reason_pick: 'promotion' },
        comment: { comment_input: 'Spring campaign with the top 3 retailers' },
      },
    });
    if (submitted.status !== 200)
      throw new Error(`the forecast modal was refused: HTTP ${submitted.status}`);
    say(
      'U_RITA',
      '/forecast FAM-2 2027-04..2027-06 -10% lost-customer "Acme moved to a competitor"',
    );
    await driver.command('/forecast', {
      user: 'U_RITA',
      channel: 'C_DEMAND',
      text: 'FAM-2 2027-04..2027-06 -10% lost-customer "Acme moved to a competitor"',
    });
    say('U_RITA', '/forecast FAM-3 2027-01 +20% promotion   (a frozen month)');
    await driver.command('/forecast', {
      user: 'U_RITA',
      channel: 'C_DEMAND',
      text: 'FAM-3 2027-01 +20% promotion',
    });
    // The FAM-2 confirmation and this refusal may come back in either order.
    const refused = await standin.waitFor(() => ephemeral('U_RITA', /frozen/i), 10_000);
    log(`  → refused: ${refused.split('\n')[0]}`);
    say('U_SAM', '/forecast no-change');
    await driver.command('/forecast', { user: 'U_SAM', channel: 'C_DEMAND', text: 'no-change' });
    await standin.waitFor(async () => (await count('forecast_adjustments')) >= 6, 10_000);
    log(
      `  → ${await count('forecast_adjustments')} adjustment rows stored; one summary in #sop-demand, edited in place`,
    );

    log('\n4. Supply review');
    await nextPhase('supply_review');
    say('U_OTTO', '/capacity LINE-2 2027-03..2027-04 -30% maintenance "Spindle overhaul"');
    await driver.command('/capacity', {
      user: 'U_OTTO',
      channel: 'C_SUPPLY',
      text: 'LINE-2 2027-03..2027-04 -30% maintenance "Spindle overhaul"',
    });
    await standin.waitFor(async () => (await count('capacity_updates')) >= 2, 10_000);
    await standin.waitFor(async () => (await count('plan_runs')) >= 2, 120_000);
    await settle();
    log(
      `  → ${await count('plan_runs')} plan runs so far: each burst of submissions became one recompute`,
    );
    say('U_PAT', '/sop whatif demand all +15% 2027-02..2027-04');
    await sop('U_PAT', 'whatif demand all +15% 2027-02..2027-04', 'C_EXEC');
    await settle();
    await sop('U_PAT', 'status', 'C_EXEC');

    log('\n5. Pre-S&OP and the executive meeting');
    await nextPhase('pre_sop');
    await nextPhase('executive');
    await settle();
    await standin.waitFor(
      () => standin.messagesIn('C_EXEC').some((m) => /pack/i.test(m.text)),
      120_000,
    );
    log('  → the meeting pack is in #sop-exec');
    say('U_PAT', '/sop vote');
    await sop('U_PAT', 'vote');
    const poll = await standin.waitFor(
      () =>
        standin
          .messagesIn('C_EXEC')
          .find((m) => JSON.stringify(m.blocks ?? []).includes('vote_cast_1')),
      120_000,
    );
    await driver.clickButton('C_EXEC', poll.ts, 'vote_cast_1', { user: 'U_CEO' });
    await driver.clickButton('C_EXEC', poll.ts, 'vote_cast_2', { user: 'U_CFO' });
    await driver.clickButton('C_EXEC', poll.ts, 'vote_cast_1', { user: 'U_COO' });
    await driver.clickButton('C_EXEC', poll.ts, 'vote_cast_1', { user: 'U_RITA' });
    say(
      'U_CEO',
      'votes Central; Farid (CFO) votes Cautious; Omar (COO) votes Central; Rita clicks too (not counted)',
    );
    await driver.clickButton('C_EXEC', poll.ts, 'vote_cast_1', { user: 'U_CFO' });
    say('U_CFO', 'changes the vote to Central');
    await standin.waitFor(async () => (await countedVotes(db!)) === 3, 10_000);
    say('U_PAT', 'closes the vote (Close button) and records the decision in the modal');
    await driver.clickButton('C_EXEC', poll.ts, 'vote_close', { user: 'U_PAT' });
    const modal = await standin.waitFor(() => {
      const v = standin.openViews('U_PAT').at(-1);
      return v?.definition.callback_id === 'decision_submit' ? v : undefined;
    }, 10_000);
    await driver.submitView(modal.id, {
      user: 'U_PAT',
      values: {
        rationale: {
          text: 'Central protects service at 95%+ with overtime on LINE-2; cautious cuts margin more than it saves.',
        },
        a1_owner: { owner: 'U_OTTO' },
        // Due dates in the story's months: the overtime booked before March (Otto is done
        // early, when February's cycle opens), the volumes confirmed before the spring.
        a1_due: { due: '2027-02-12' },
        a1_desc: { desc: 'Book weekend overtime on LINE-2 for March and April' },
        a2_owner: { owner: 'U_RITA' },
        a2_due: { due: '2027-03-26' },
        a2_desc: { desc: 'Confirm the spring promotion volumes with the top 3 retailers' },
      },
    });
    await standin.waitFor(async () => (await count('decisions')) === 1, 10_000);
    await settle();
    await sop('U_PAT', 'actions all');
    await sop('U_PAT', 'decisions');

    log('\n6. Close');
    await sop('U_PAT', 'cycle close');
    await settle();
    await mkdir(opts.outDir, { recursive: true });
    const names = createUserNames({ db, slack: bot.slack.app.client });
    const packs = [await writePack(db, opts.outDir, CYCLE, names, clock.now())];

    log('\n7. Closing the loop: two more monthly cycles, actuals between them, one S&OE week');
    await playLoop({
      db,
      queues,
      clock,
      standin,
      driver,
      sop,
      nextPhase,
      say,
      log,
      settle,
      passTime,
      packs,
      names,
      outDir: opts.outDir,
    });

    // Output: transcript, charts, pack.
    const transcriptPath = join(opts.outDir, 'transcript.md');
    await writeFile(transcriptPath, renderTranscript(standin, PEOPLE));
    const pagePath = await writePage(opts.outDir, {
      standin,
      actions: driver.actions,
      people: PEOPLE,
      storyTime: clock.storyTime,
    });
    let charts = 0;
    const written = new Set<string>();
    for (const f of standin.files) {
      if (f.bytes && f.name.endsWith('.png')) {
        // A run's chart posted twice (in a thread that asked, then in its channel) keeps both.
        const name = written.has(f.name) ? `${f.id}-${f.name}` : f.name;
        written.add(name);
        await writeFile(join(opts.outDir, name), f.bytes);
        charts++;
      }
    }
    // pack.md: the last cycle's pack (each cycle's is in pack-YYYY-MM.md), people by name.
    const pack = await buildPack(db, LOOP_MONTHS.at(-1) ?? CYCLE, clock.now());
    await writeFile(
      join(opts.outDir, 'pack.md'),
      packMarkdown(pack, await names.names(packPeople(pack))),
    );
    // The first cycle's decision and its actions (later ones are in the packs).
    const decision = await firstDecision(db);
    log('');
    const latest = await latestRunScenarios(db);
    for (const line of scenarioSummary(latest.scenarios, latest.periods)) log(line);
    const result: DemoResult = {
      database: dbName,
      planRuns: await count('plan_runs'),
      decision,
      chartsPosted: charts,
      chased: await chasingDms(db),
      transcriptPath,
      packs,
      pagePath,
      seconds: (performance.now() - t0) / 1000,
    };
    log(
      `\nDecision: ${result.decision?.scenario ?? 'none'} adopted, ${result.decision?.actions ?? 0} follow-up actions with owners and due dates.`,
    );
    log(
      `The bot chased: ${result.chased.reminders} reminders of open actions in their owners' DMs, ${result.chased.nudges} nudges for input owed before a deadline.`,
    );
    log(
      `${result.planRuns} plan runs, ${charts} charts posted. Open ${pagePath} to see what Slack showed; the transcript, charts and pack are in ${opts.outDir}/`,
    );
    return result;
  } catch (err) {
    if (standinRef) {
      await mkdir(opts.outDir, { recursive: true });
      await writeFile(join(opts.outDir, 'transcript.md'), renderTranscript(standinRef, PEOPLE));
      const page = await writePage(opts.outDir, {
        standin: standinRef,
        actions: driverRef?.actions ?? [],
        people: PEOPLE,
        ...(clockRef ? { storyTime: clockRef.storyTime } : {}),
      });
      log(`The demo stopped early; what Slack showed so far is in ${page}`);
    }
    throw err;
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await db?.destroy();
    db = null;
    if (!opts.keepDatabase) {
      await withAdmin(opts.databaseUrl, async (c) => {
        // Pool.end() resolves before its sockets close: wait for them rather than kill them.
        for (let i = 0; i < 50; i++) {
          const r = await c.query(
            'select count(*)::int as n from pg_stat_activity where datname = $1',
            [dbName],
          );
          if (r.rows[0]?.n === 0) break;
          await new Promise((res) => setTimeout(res, 100));
        }
        await c.query(`drop database if exists "${dbName}" with (force)`);
      }).catch(() => undefined);
    }
    log(`(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
}

/**
 * The DMs the bot sent to chase people, each message once: `reminders` of open actions (an
 * owner's morning digest, a snooze's own DM) and `nudges` for input owed before a phase's
 * deadline, from the post ledger's keys (`reminder-digest:…`, `reminder:…`, `nudge:…`).
 */
async function chasingDms(db: Db): Promise<{ reminders: number; nudges: number }> {
  const sent = async (prefixes: readonly string[]) => {
    const rows = (await Promise.all(prefixes.map((p) => ledgerEntries(db, p)))).flat();
    return new Set(rows.filter((r) => r.ts).map((r) => `${r.channel}/${r.ts}`)).size;
  };
  return {
    reminders: await sent(['reminder-digest:', 'reminder:']),
    nudges: await sent(['nudge:']),
  };
}
