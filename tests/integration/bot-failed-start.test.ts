/**
 * A bot whose start fails half-way, after its Slack listener is up: here its metrics port is
 * already taken (BOT_METRICS_PORT). It stops what it started, the last first, so no listener
 * keeps the process alive: `sopbot bot` logs the error once, with its stack, says it in one
 * line and exits 1, as a supervisor expects to restart it. A taken port, the bot's or the
 * worker's, is said with the setting that holds it and what to do, not as Node's bare
 * "listen EADDRINUSE … 0.0.0.0:9464".
 */
import { spawn } from 'node:child_process';
import { createConnection, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import { freePort } from '../../src/demo/local-services.js';
import { startWorker } from '../../src/worker.js';
import { redisPrefix, useDb } from '../helpers/db.js';
import { useStandin } from '../helpers/slack.js';
import { workerEnv } from './jobs-fixture.js';

const t = useDb();
const standin = useStandin();
/** Holds the port the bot's metrics endpoint is told to use, on the address it listens on. */
let taken: Server;
let takenPort: number;

beforeAll(async () => {
  taken = createServer();
  await new Promise<void>((resolve, reject) => {
    taken.once('error', reject);
    taken.listen(0, '0.0.0.0', () => resolve());
  });
  takenPort = (taken.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((resolve) => taken?.close(resolve));
});

const env = (label: string) => ({
  DATABASE_URL: t.url,
  SLACK_BOT_TOKEN: `xoxb-${label}`,
  SLACK_SIGNING_SECRET: `${label}-secret`,
  SLACK_API_URL: standin.apiUrl,
  SOPBOT_QUEUE_PREFIX: redisPrefix(label),
  BOT_METRICS_PORT: String(takenPort),
});

/** Whether something accepts a TCP connection on 127.0.0.1:`port`. */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** What a start on the taken port says: its number, the setting that holds it, what to do. */
const inUse = (server: string, setting: string) =>
  `port ${takenPort} (${server}) is in use: set ${setting} to a free port, or stop what holds it`;

describe('a bot whose metrics port is taken', () => {
  it('fails its start naming BOT_METRICS_PORT and leaves no Slack listener open', async () => {
    const port = await freePort();
    const config = loadConfig({ ...env('failed-start'), LOG_LEVEL: 'silent' }, { slack: true });
    const err = await startBot(config, { port }).then(
      () => null,
      (e: unknown) => e as Error & { cause?: { code?: string } },
    );
    // Before: Node's "listen EADDRINUSE: address already in use 0.0.0.0:<port>", no setting.
    expect(err?.message).toBe(inUse("the bot's metrics endpoint", 'BOT_METRICS_PORT'));
    expect(err?.cause?.code).toBe('EADDRINUSE');
    // Before: the Slack app was never stopped, and its HTTP listener still took connections.
    expect(await listening(port)).toBe(false);
  });

  it('as `sopbot bot`: logs the error once with its stack, says it in one line, exits 1', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'bot'], {
      cwd: new URL('../..', import.meta.url).pathname,
      env: { ...process.env, ...env('failed-start-cli'), PORT: String(port), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    // Before: the process never exited (the Slack listener kept it alive); 30 s is well past
    // a start on a loaded machine.
    const code = await new Promise<number | null | 'still running'>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('still running');
      }, 30_000);
      child.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    const logged = lines.flatMap((l) => {
      try {
        return [JSON.parse(l) as { level: number; msg: string; err?: { stack?: string } }];
      } catch {
        return [];
      }
    });
    const errors = logged.filter((l) => l.level >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ msg: 'sopbot bot failed' });
    // The stack is the setting's sentence's, then Node's error it was caused by.
    expect(errors[0]!.err?.stack).toContain(
      inUse("the bot's metrics endpoint", 'BOT_METRICS_PORT'),
    );
    expect(errors[0]!.err?.stack).toContain(`EADDRINUSE`);
    expect(errors[0]!.err?.stack).toContain(`:${takenPort}`);
    expect(errors[0]!.err?.stack).toMatch(/\n\s+at /);
    expect(lines.at(-1)).toBe(
      `sopbot bot failed: ${inUse("the bot's metrics endpoint", 'BOT_METRICS_PORT')} (logged above, with its stack)`,
    );
  }, 45_000);
});

describe("the Slack port and the worker's metrics port, taken", () => {
  it('a bot on a taken PORT names PORT, or --port when it was given that way', async () => {
    const fromEnv = loadConfig(
      { ...env('taken-http'), BOT_METRICS_PORT: '0', PORT: String(takenPort), LOG_LEVEL: 'silent' },
      { slack: true },
    );
    await expect(startBot(fromEnv)).rejects.toThrow(inUse("the bot's Slack endpoint", 'PORT'));
    await expect(startBot(fromEnv, { port: takenPort })).rejects.toThrow(
      inUse("the bot's Slack endpoint", '--port'),
    );
  });

  it('a worker on a taken METRICS_PORT names METRICS_PORT', async () => {
    const config = loadConfig({
      ...workerEnv({ dbUrl: t.url, prefix: redisPrefix('taken-metrics'), apiUrl: standin.apiUrl }),
      METRICS_PORT: String(takenPort),
      LOG_LEVEL: 'silent',
    });
    await expect(startWorker(config)).rejects.toThrow(
      inUse("the worker's metrics endpoint", 'METRICS_PORT'),
    );
  });
});
