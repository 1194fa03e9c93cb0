/**
 * The outbox relay while PostgreSQL is down (docs/reliability.md: an outage is "logged once,
 * and its end once"). The relay reads the outbox every tick; with the database unreachable
 * each tick fails. It logs the first failure with its stack, then nothing more until the
 * outbox can be read again, which it says once.
 *
 * The database the relay sees is the test's own, switched to a pool on a closed port
 * (127.0.0.1:1, connection refused) while `down` is set.
 */
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../db/connect.js';
import type { JobQueue } from '../../jobs/contracts.js';
import { startOutboxRelay } from '../../src/services/outbox.js';
import { useDb } from '../helpers/db.js';

const t = useDb();
const dead = createDb('postgres://postgres@127.0.0.1:1/none', { max: 2 });
afterAll(() => dead.destroy());

describe('outbox relay with PostgreSQL down', () => {
  it('logs the outage once with its stack, and its end once', async () => {
    let down = true;
    /** Ticks that reached the unreachable database (each opens a transaction first). */
    let failedTicks = 0;
    const db = new Proxy(t.db, {
      get(live, prop) {
        const target = down ? dead : live;
        if (prop === 'transaction' && down) failedTicks++;
        const v = Reflect.get(target, prop, target);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    }) as Db;
    const lines: { level: number; msg: string; err?: { stack?: string } }[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => lines.push(JSON.parse(l)) });
    const queue: JobQueue = { enqueue: async (name) => name };
    const relay = startOutboxRelay({ db, queue, logger }, { intervalMs: 20 });
    const waitFor = async (ok: () => boolean) => {
      for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
      expect(ok()).toBe(true);
    };
    try {
      // Five ticks against the closed port: before the fix, five error entries (one a tick).
      await waitFor(() => failedTicks >= 5);
      const errors = () => lines.filter((l) => l.level === 50);
      expect(errors()).toHaveLength(1);
      expect(errors()[0]!.msg).toMatch(/could not read the outbox/);
      expect(errors()[0]!.err?.stack).toMatch(/ECONNREFUSED/);

      // PostgreSQL answers again: one info line saying so, and no more errors.
      down = false;
      await waitFor(() => lines.some((l) => /can be read again/.test(l.msg)));
      const ticksUp = failedTicks;
      await new Promise((r) => setTimeout(r, 200));
      expect(failedTicks).toBe(ticksUp);
      expect(lines.filter((l) => /can be read again/.test(l.msg))).toHaveLength(1);
      expect(errors()).toHaveLength(1);
    } finally {
      await relay.stop();
    }
  });
});
