/**
 * A worker stopped while Redis is down: its sweep for jobs older workers failed
 * (jobs/recovery.ts) waits on Redis, since the workers' connection retries for ever. The
 * worker's stop must not wait on it for good, or a SIGTERM during an outage never closes the
 * workers. A connection to a port where nothing listens stands for Redis down.
 */
import { createServer } from 'node:net';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { startRecoverySweeper } from '../../jobs/recovery.js';
import { createLogger } from '../../src/logger.js';
import { createRedis } from '../../src/redis.js';

/** A port nothing listens on: taken from the OS, then let go. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('the recovery sweep while Redis is down', () => {
  it('lets the worker stop: a sweep under way is not waited for past its bound', async () => {
    const redis = createRedis(`redis://127.0.0.1:${await freePort()}`, 'worker');
    redis.on('error', () => undefined);
    const queue = new Queue('planning', { connection: redis, prefix: 'recovery-stop' });
    queue.on('error', () => undefined);
    const sweeper = startRecoverySweeper({
      redis,
      queues: [queue],
      processes: () => true,
      logger: createLogger('silent', 'test'),
    });
    // The first sweep is under way and waits on Redis. Before, stop() waited for it for good
    // (this test then ran into vitest's time limit); now it returns.
    let stopped = false;
    await sweeper.stop().then(() => {
      stopped = true;
    });
    expect(stopped).toBe(true);
    redis.disconnect();
  });
});
