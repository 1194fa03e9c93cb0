/**
 * Row ids from Slack payloads are read by one helper (src/row-id.ts): a constraint's Resolve
 * or Withdraw with a forged id ("12abc", "-1", "1e3", "", 2^53 + 1) is refused with a
 * validation error naming it, before any query, and nothing is written.
 */
import { describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/deps.js';
import { ValidationError } from '../../src/errors.js';
import { closeConstraint } from '../../src/services/constraints.js';
import type { Member } from '../../src/services/members.js';
import { useDb } from '../helpers/db.js';

const t = useDb();
const ops: Member = { userId: 'U_OPS', role: 'ops', families: [], bootstrapAdmin: false };

describe('a constraint id from a button or a command', () => {
  it.each(['12abc', '-1', '1e3', '', '9007199254740993'])(
    '%j is refused with a clear error, and nothing is written',
    async (value) => {
      const deps = { db: t.db, clock: { now: () => new Date('2027-03-20T10:00:00Z') } };
      const before = await t.db.selectFrom('audit_log').select('id').execute();
      const closing = closeConstraint(deps as unknown as AppDeps, ops, value, 'resolved');
      await expect(closing).rejects.toBeInstanceOf(ValidationError);
      await expect(closing).rejects.toThrow(
        `The constraint '${value}' is not an id; an id is a whole number written in digits, such as 41.`,
      );
      expect(await t.db.selectFrom('audit_log').select('id').execute()).toHaveLength(before.length);
      expect(await t.db.selectFrom('job_outbox').select('id').execute()).toHaveLength(0);
    },
  );
});
