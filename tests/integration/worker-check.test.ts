/**
 * `sopbot worker --check`, the worker's health check in docker-compose.yml: healthy only when a
 * running worker's metrics endpoint answers (and Postgres and Redis do). With METRICS_PORT=0
 * there is no endpoint to ask, and the check must not report a worker it never saw as healthy.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { loadConfig } from '../../src/config.js';
import { startWorker } from '../../src/worker.js';
import { useDb } from '../helpers/db.js';
import { useFixture } from '../helpers/fixture.js';
import { workerEnv } from './jobs-fixture.js';

const t = useDb();

async function check(env: Record<string, string>): Promise<{ code: number; out: string }> {
  let out = '';
  const write = (s: string) => {
    out += s;
  };
  const code = await main(['worker', '--check'], { stdout: write, stderr: write, env });
  return { code, out };
}

const env = (metricsPort: number) => ({
  ...workerEnv({ dbUrl: t.url, prefix: 'sopbot-test:worker-check', apiUrl: 'http://127.0.0.1:9/' }),
  METRICS_PORT: String(metricsPort),
});

describe('sopbot worker --check', () => {
  it('fails with METRICS_PORT=0, naming the setting, instead of saying healthy', async () => {
    const { code, out } = await check(env(0));
    expect(code).toBe(1);
    expect(out).toContain(
      "METRICS_PORT=0: the worker's health cannot be checked; set METRICS_PORT to the running worker's metrics port",
    );
    expect(out).not.toContain('healthy\n');
  });

  describe('with a worker running', () => {
    const worker = useFixture(
      () => startWorker(loadConfig(env(0)), { metricsPort: 0 }),
      (w) => w.stop(),
    );
    it('is healthy on the port the worker serves its metrics on', async () => {
      const port = worker.metricsPort;
      if (port === null) throw new Error('the worker serves no metrics');
      const { code, out } = await check(env(port));
      expect(out).toBe('sopbot worker --check: healthy\n');
      expect(code).toBe(0);
    });
  });
});
