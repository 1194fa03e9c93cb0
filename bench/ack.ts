/**
 * Ack latency of slash commands under load: the real bot (`sopbot bot`, its own process, real
 * Postgres and Redis, DB writes and channel posts as in real use) against a bare Bolt app
 * that only acks (its own process too), both driven through the Slack stand-in on loopback.
 *
 *   npx tsx bench/ack.ts                 # 200 commands/s for 20 s to each
 *   RATE=100 DURATION_S=5 npx tsx bench/ack.ts
 *   BENCH_CPU_PROF=1 npx tsx bench/ack.ts   # also write V8 CPU profiles of both targets to /tmp/prof
 *
 * The two targets are measured in alternating blocks (ROUNDS, default 4) in the same run, so
 * drift of the machine affects both alike. Prints p50/p99 ack latency of each and the ratio.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { App, LogLevel } from '@slack/bolt';
import { Redis } from 'ioredis';
import { createQueues } from '../jobs/queues.js';
import { createDriver, type Driver, startStandin } from '../src/slack-standin/index.js';
import { insertCycle } from '../tests/helpers/db.js';
import { benchDb } from './lib.js';

const SECRET = 'bench-ack-signing-secret';
const TOKEN = 'xoxb-bench-ack';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** `--bare`: the baseline, a Bolt app whose only listener acks. */
async function serveBare(): Promise<void> {
  const app = new App({
    token: TOKEN,
    signingSecret: SECRET,
    botId: 'B_SOPBOT',
    botUserId: 'U_SOPBOT',
    clientOptions: { slackApiUrl: process.env.SLACK_API_URL ?? '' },
    logLevel: LogLevel.ERROR,
  });
  app.command('/forecast', async ({ ack }) => {
    await ack();
  });
  const server = (await app.start(0)) as unknown as Server;
  process.stdout.write(`bare listening on port ${(server.address() as AddressInfo).port}\n`);
  process.on('SIGTERM', () => {
    void app.stop().then(() => process.exit(0));
  });
}

function env(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`${name} must be a positive number, got '${v}'`);
  return n;
}

interface Child {
  readonly child: ChildProcess;
  readonly port: number;
  /** Event-loop delay lines (p50, p99, max in ms) reported by bench/loop-delay.cjs. */
  readonly loopDelays: { p50: number; p99: number; max: number }[];
}

function startChild(args: string[], extraEnv: NodeJS.ProcessEnv): Promise<Child> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []),
      '--require',
      './bench/loop-delay.cjs',
      ...args,
    ],
    {
      env: { ...process.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const loopDelays: Child['loopDelays'] = [];
  return new Promise((resolve, reject) => {
    let out = '';
    let started = false;
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      for (const m of out.matchAll(/loop-delay ([\d.]+) ([\d.]+) ([\d.]+)\n/g))
        loopDelays.push({ p50: Number(m[1]), p99: Number(m[2]), max: Number(m[3]) });
      out = out.replace(/loop-delay [^\n]*\n/g, '');
      const m = /listening on port (\d+)/.exec(out);
      if (m && !started) {
        started = true;
        resolve({ child, port: Number(m[1]), loopDelays });
      }
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${out}`)));
  });
}

/** Toggles the child's loop-delay histogram (bench/loop-delay.cjs). */
const toggleLoopDelay = (c: Child) => c.child.kill('SIGUSR2');

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => {
      process.stderr.write(
        `bench: pid ${child.pid} still running 20 s after SIGTERM; killing it\n`,
      );
      child.kill('SIGKILL');
    }, 20_000).unref();
  });
}

const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;

/** CPU seconds (user + system) a child process has used so far (Linux /proc). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

const USERS = Array.from({ length: 8 }, (_, i) => `UREP${String(i).padStart(4, '0')}`);
const FAMILIES = ['FAM-1', 'FAM-2', 'FAM-3'];
const MONTHS = ['2027-07', '2027-08', '2027-09', '2027-10', '2027-11', '2027-12'];

/** Open loop: one command every 1000/rate ms whatever the answers, like independent users. */
async function load(driver: Driver, rate: number, seconds: number, seq: { n: number }) {
  const total = Math.round(rate * seconds);
  const start = performance.now();
  const pending: Promise<{ ms: number; ok: boolean }>[] = [];
  for (let i = 0; i < total; i += 1) {
    await sleep(start + (i * 1000) / rate - performance.now());
    const k = seq.n++;
    const user = USERS[k % USERS.length] ?? 'UREP0000';
    const text = `${FAMILIES[k % FAMILIES.length]} ${MONTHS[Math.floor(k / 3) % MONTHS.length]} +5% promotion`;
    pending.push(
      driver
        .command('/forecast', { user, channel: 'C_DEMAND', text })
        .then((r) => ({ ms: r.ackMs, ok: r.status === 200 }))
        .catch(() => ({ ms: Number.NaN, ok: false })),
    );
  }
  return Promise.all(pending);
}

async function main(): Promise<void> {
  const rate = env('RATE', 200);
  const duration = env('DURATION_S', 20);
  const rounds = Math.round(env('ROUNDS', 4));
  const bench = await benchDb('ack', 2);
  const { db } = bench;
  const prefix = `sopbot-bench-ack-${randomBytes(3).toString('hex')}`;
  const standin = await startStandin({
    postMessageRate: false,
    tierLimits: false,
    users: USERS.map((id) => ({ id, name: id.toLowerCase(), real_name: id, tz: 'UTC' })),
  });
  const children: ChildProcess[] = [];
  try {
    const fams = await db
      .insertInto('families')
      .values(
        FAMILIES.map((code) => ({
          code,
          name: code,
          price: 10,
          unit_cost: 5,
          holding_cost: 1,
          backlog_cost: 2,
        })),
      )
      .returning('id')
      .execute();
    const cycleId = await insertCycle(db, { month: '2027-01', phase: 'data_gathering' });
    await db
      .insertInto('baseline_forecasts')
      .values(
        fams.flatMap((f) =>
          MONTHS.map((period) => ({ cycle_id: cycleId, family_id: f.id, period, value: 1000 })),
        ),
      )
      .execute();
    await db
      .insertInto('members')
      .values(USERS.map((u) => ({ slack_user_id: u, role: 'sales' as const })))
      .execute();
    await db
      .insertInto('workspace_settings')
      .values({ team_id: 'T_SOP', demand_channel: 'C_DEMAND' })
      .execute();

    const common = {
      SLACK_API_URL: standin.apiUrl,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: TOKEN,
    };
    const bot = await startChild(
      [
        ...(process.env.BOT_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
        'src/sopbot.mjs',
        'bot',
        '--port',
        '0',
      ],
      {
        ...common,
        DATABASE_URL: bench.url,
        REDIS_URL,
        LOG_LEVEL: 'error',
        SOPBOT_QUEUE_PREFIX: prefix,
      },
    );
    children.push(bot.child);
    const bare = await startChild(['--import', 'tsx', 'bench/ack.ts', '--bare'], common);
    children.push(bare.child);
    const drivers = {
      bot: createDriver({
        botUrl: `http://127.0.0.1:${bot.port}/slack/events`,
        signingSecret: SECRET,
        standin,
      }),
      bare: createDriver({
        botUrl: `http://127.0.0.1:${bare.port}/slack/events`,
        signingSecret: SECRET,
        standin,
      }),
    };
    const seq = { n: 0 };
    await load(drivers.bot, rate, 1, seq); // warm-up, not measured
    await load(drivers.bare, rate, 1, seq);
    const warmCommands = seq.n / 2;
    // Let the warm-up's follow-up work finish, so the measured rounds start from quiet.
    const countRows = async () =>
      Number(
        (
          await db
            .selectFrom('forecast_adjustments')
            .select(db.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const warmStart = performance.now();
    while ((await countRows()) < warmCommands && performance.now() - warmStart < 60_000)
      await sleep(250);
    const warmRows = { n: await countRows() };

    const results = {
      bot: [] as { ms: number; ok: boolean }[],
      bare: [] as { ms: number; ok: boolean }[],
    };
    const confirmationsBefore = standin.callsTo('response_url').length;
    const t0 = performance.now();
    const cpu = { bot: 0, bare: 0, botPhaseDriver: 0, barePhaseDriver: 0 };
    const ownCpu = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1e6;
    };
    // This process's own event-loop delay per target: a stall here inflates what it measures.
    const loopDelay = {
      bot: monitorEventLoopDelay({ resolution: 10 }),
      bare: monitorEventLoopDelay({ resolution: 10 }),
    };
    /** One round of load on one target, its CPU and the driver's own counted apart. */
    const round = async (k: 'bot' | 'bare') => {
      const target = k === 'bot' ? bot : bare;
      const c = cpuSeconds(target.child.pid);
      const own = ownCpu();
      loopDelay[k].enable();
      toggleLoopDelay(target);
      results[k].push(...(await load(drivers[k], rate, duration / rounds, seq)));
      toggleLoopDelay(target);
      loopDelay[k].disable();
      cpu[k] += cpuSeconds(target.child.pid) - c;
      cpu[`${k}PhaseDriver`] += ownCpu() - own;
    };
    for (let r = 0; r < rounds; r += 1) {
      await round('bot');
      await round('bare');
    }
    const loadMs = performance.now() - t0;
    // The bot's follow-up work (DB writes, confirmations) after the acks: wait for it to finish.
    const expected = Number(warmRows.n) + results.bot.length;
    const drainStart = performance.now();
    let stored = 0;
    while (performance.now() - drainStart < 60_000) {
      const row = await db
        .selectFrom('forecast_adjustments')
        .select(db.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      stored = Number(row.n);
      if (stored >= expected) break;
      await sleep(250);
    }
    const drainMs = performance.now() - drainStart;

    const summary = (xs: { ms: number; ok: boolean }[]) => {
      const ok = xs
        .filter((x) => x.ok && Number.isFinite(x.ms))
        .map((x) => x.ms)
        .sort((a, b) => a - b);
      return {
        n: xs.length,
        failed: xs.length - ok.length,
        p50: quantile(ok, 0.5),
        p99: quantile(ok, 0.99),
        max: ok.at(-1) ?? Number.NaN,
      };
    };
    await sleep(200); // the last loop-delay lines
    const worst = (c: Child, k: 'p99' | 'max') =>
      Math.max(...c.loopDelays.map((x) => x[k])).toFixed(1);
    const b = summary(results.bot);
    const z = summary(results.bare);
    const f = (x: number) => x.toFixed(2).padStart(8);
    process.stdout.write(
      [
        `ack latency, ${rate} slash commands/s, ${duration} s per target in ${rounds} alternating rounds (loopback, stand-in)`,
        `target      n  failed    p50 ms    p99 ms    max ms`,
        `bot   ${String(b.n).padStart(6)}  ${String(b.failed).padStart(6)}  ${f(b.p50)}  ${f(b.p99)}  ${f(b.max)}`,
        `bare  ${String(z.n).padStart(6)}  ${String(z.failed).padStart(6)}  ${f(z.p50)}  ${f(z.p99)}  ${f(z.max)}`,
        `ratio bot/bare: p50 ${(b.p50 / z.p50).toFixed(2)}x, p99 ${(b.p99 / z.p99).toFixed(2)}x`,
        `CPU used while under load: bot ${(cpu.bot / duration).toFixed(2)} cores, bare ${(cpu.bare / duration).toFixed(2)} cores (of ${availableParallelism()}); ` +
          `this process (driver + stand-in) ${(cpu.botPhaseDriver / duration).toFixed(2)} cores during the bot's rounds, ${(cpu.barePhaseDriver / duration).toFixed(2)} during the bare app's; load average ${loadavg()[0]?.toFixed(2)}`,
        `event-loop delay inside each target (worst round) p99/max: bot ${worst(bot, 'p99')}/${worst(bot, 'max')} ms, bare ${worst(bare, 'p99')}/${worst(bare, 'max')} ms`,
        `driver's own event-loop delay p99: ${(loopDelay.bot.percentile(99) / 1e6).toFixed(1)} ms in the bot's rounds, ${(loopDelay.bare.percentile(99) / 1e6).toFixed(1)} ms in the bare app's`,
        `goal: p99 < 100 ms ${b.p99 < 100 ? 'MET' : 'NOT MET'}; within 2x of bare ${b.p99 <= 2 * z.p99 ? 'MET' : 'NOT MET'}`,
        `bot follow-up work: ${stored - Number(warmRows.n)}/${results.bot.length} adjustments stored (+${warmCommands} warm-up), ` +
          `${standin.callsTo('response_url').length - confirmationsBefore} confirmations; drained ${(drainMs / 1000).toFixed(1)} s after ${(loadMs / 1000).toFixed(1)} s of load`,
        '',
      ].join('\n'),
    );
  } finally {
    await Promise.all(children.map(stopChild));
    await standin.close();
    await bench.drop();
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const queues = createQueues(redis, prefix);
    for (const name of ['planning', 'posts', 'notifications'] as const)
      await queues.queue(name).obliterate({ force: true });
    await queues.close();
    redis.disconnect();
  }
}

if (process.argv.includes('--bare')) await serveBare();
else await main();
