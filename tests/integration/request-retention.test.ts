/** processed_requests rows are pruned after SOPBOT_REQUEST_RETENTION_DAYS (#19 item 13). */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { JobQueue } from '../../jobs/contracts.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startOutboxRelay } from '../../src/services/outbox.js';
import { useDb } from '../helpers/db.js';

const t = useDb();
describe('processed request keys', () => {
  it('are kept 30 days by default and pruned after the retention set', async () => {
    expect(loadConfig({}).SOPBOT_REQUEST_RETENTION_DAYS).toBe(30);
    expect(loadConfig({ SOPBOT_REQUEST_RETENTION_DAYS: '7' }).SOPBOT_REQUEST_RETENTION_DAYS).toBe(
      7,
    );
    await t.db
      .insertInto('processed_requests')
      .values([
        { request_key: 'old', kind: 'sop:plan' },
        { request_key: 'recent', kind: 'sop:plan' },
      ])
      .execute();
    await sql`update processed_requests set created_at = now() - interval '8 days'
      where request_key = 'old'`.execute(t.db);
    await sql`update processed_requests set created_at = now() - interval '6 days'
      where request_key = 'recent'`.execute(t.db);
    const queue: JobQueue = { enqueue: async (name) => name };
    const relay = startOutboxRelay(
      { db: t.db, queue, logger: createLogger('silent') },
      { requestRetentionDays: 7 },
    );
    const keys = async () =>
      (await t.db.selectFrom('processed_requests').select('request_key').execute()).map(
        (r) => r.request_key,
      );
    for (let i = 0; i < 50 && (await keys()).includes('old'); i++)
      await new Promise((r) => setTimeout(r, 100));
    await relay.stop();
    expect(await keys()).toEqual(['recent']);
  });
});
