/**
 * withSessionLockWithin with several keys (a reminder digest takes the lock of each action it
 * lists): all of them taken together or none, so a caller never holds one while waiting for
 * another. One key held elsewhere: the call gives back those it took before it found that one
 * and waits (none held meanwhile); once free, it holds them all for fn's time, then none.
 * Real Postgres.
 */
import { describe, expect, it } from 'vitest';
import { withSessionLock, withSessionLockWithin } from '../../db/queries/adjustments.js';
import { useDb } from '../helpers/db.js';

const t = useDb();

/** Whether `key` is free now: taken and given back at once by a caller that does not wait. */
const free = async (key: string) =>
  (await withSessionLockWithin(t.db, key, async () => true, { waitMs: 0 })).got;

describe('withSessionLockWithin, several keys', () => {
  it('one held elsewhere: none taken, those before it given back; then all for fn, then none', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let holding!: () => void;
    const held = new Promise<void>((r) => {
      holding = r;
    });
    // Another holder of 'lock-b' ('lock-a' sorts before it, so a caller takes 'lock-a' first).
    const other = withSessionLock(t.db, 'lock-b', async () => {
      holding();
      await gate;
    });
    await held;

    let ran = false;
    const refused = await withSessionLockWithin(
      t.db,
      ['lock-b', 'lock-a'],
      async () => {
        ran = true;
      },
      { waitMs: 300, pollMs: 50 },
    );
    expect(refused.got).toBe(false);
    expect(ran).toBe(false);
    // 'lock-a' was taken and given back when 'lock-b' was found held; 'lock-b' is still the other's.
    expect(await free('lock-a')).toBe(true);
    expect(await free('lock-b')).toBe(false);

    // Waiting: it takes both once the other gives 'lock-b' back.
    let inside: { a: boolean; b: boolean } | null = null;
    const both = withSessionLockWithin(
      t.db,
      ['lock-a', 'lock-b'],
      async () => {
        inside = { a: await free('lock-a'), b: await free('lock-b') };
        return 'ran';
      },
      { waitMs: 10_000, pollMs: 1_000 },
    );
    await new Promise((r) => setTimeout(r, 200));
    // Still waiting for 'lock-b' (its next try a second after its first), it holds no 'lock-a' meanwhile.
    expect(inside).toBeNull();
    expect(await free('lock-a')).toBe(true);
    release();
    await other;
    expect(await both).toEqual({ got: true, value: 'ran' });
    expect(inside).toEqual({ a: false, b: false });
    expect(await free('lock-a')).toBe(true);
    expect(await free('lock-b')).toBe(true);
  });
});
