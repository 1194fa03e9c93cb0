/**
 * `sopbot import holidays <file>`: the company's holidays a file at a time, as
 * `/sop cycle holidays add` lists them one by one: audited the same way (`holiday.add`,
 * `holiday.rename`), idempotent (the same file twice changes nothing and says so), one
 * transaction (a bad row refuses the file, naming row and column, with the command's advice for
 * a day written another way), and no recompute of the plan (a holiday moves deadlines and
 * reminders, not the plan). Holidays the file leaves out stay listed, and the answer says so.
 * The real CLI (`main`), real Postgres and Redis.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { addHoliday } from '../../src/services/holidays.js';
import { auditEntries, insertCycle, redisPrefix, useDb } from '../helpers/db.js';

const t = useDb();
let dir: string;

function cli() {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: (s: string) => out.push(s),
    stderr: (s: string) => err.push(s),
    env: {
      DATABASE_URL: t.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
      SOPBOT_QUEUE_PREFIX: redisPrefix('import-holidays'),
    },
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

/** Imports `text` as `name` with `sopbot import holidays`; the exit code and what it wrote. */
async function importHolidays(name: string, text: string) {
  const file = join(dir, name);
  await writeFile(file, text);
  const run = cli();
  const code = await main(['import', 'holidays', file, '--actor', 'cli:pat'], run.io);
  return { file, code, out: run.out(), err: run.err() };
}

const listed = async () =>
  (await t.db.selectFrom('company_holidays').select(['day', 'name']).orderBy('day').execute()).map(
    (r) => `${r.day} ${r.name ?? '-'}`,
  );
const audited = async (action: string) =>
  (await auditEntries(t.db, action)).map((e) => ({ actor: e.actor, ...e.details }));
const recomputes = async () =>
  (await t.db.selectFrom('job_outbox').select('id').where('job_name', '=', 'recompute').execute())
    .length;

const KEPT =
  'holidays not in the file stay listed (`/sop cycle holidays remove YYYY-MM-DD` takes one off)';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sopbot-import-holidays-'));
  await insertCycle(t.db, { month: '2026-12', phase: 'demand_review' });
  // Listed in Slack before any file: no file names it, so every import keeps it.
  await addHoliday(
    { db: t.db, clock: { now: () => new Date('2026-12-01T10:00:00Z') } },
    'U_PLAN',
    '2027-05-01',
    'Labour Day',
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const FIRST = "date,name\n2027-01-01,New Year's Day\n2027-04-02,  Good   Friday \n2027-12-25,\n";

describe('sopbot import holidays', () => {
  it('lists each day as the command does, audited, and asks no recompute', async () => {
    const run = await importHolidays('holidays.csv', FIRST);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toBe(
      [
        `${run.file}: holidays: 3 rows (3 new, 0 updated, 0 unchanged)`,
        `${run.file}: deadlines of the next cycles skip the days listed (S&OP 2026-12 keeps the deadlines it opened with); ${KEPT}`,
        'holidays imported: they move deadlines and reminders, not the plan: no recompute needed',
        '',
      ].join('\n'),
    );
    // The name as the command keeps it: white space trimmed and each run one space; none: null.
    expect(await listed()).toEqual([
      "2027-01-01 New Year's Day",
      '2027-04-02 Good Friday',
      '2027-05-01 Labour Day',
      '2027-12-25 -',
    ]);
    expect(await audited('holiday.add')).toEqual([
      { actor: 'U_PLAN', day: '2027-05-01', name: 'Labour Day' },
      { actor: 'cli:pat', day: '2027-01-01', name: "New Year's Day" },
      { actor: 'cli:pat', day: '2027-04-02', name: 'Good Friday' },
      { actor: 'cli:pat', day: '2027-12-25', name: null },
    ]);
    expect(await recomputes()).toBe(0);
  });

  it('the same file again changes nothing, and says so', async () => {
    const run = await importHolidays('holidays.csv', FIRST);
    expect(run.code).toBe(0);
    expect(run.out).toBe(
      [
        `${run.file}: holidays: 3 rows (0 new, 0 updated, 3 unchanged)`,
        `${run.file}: ${KEPT}`,
        'nothing changed: no recompute needed',
        '',
      ].join('\n'),
    );
    expect(await audited('holiday.add')).toHaveLength(4);
    expect(await audited('holiday.rename')).toEqual([]);
    expect(await recomputes()).toBe(0);
  });

  it('a new name renames the day (holiday.rename); the days the file leaves out stay', async () => {
    const run = await importHolidays('christmas.csv', 'date,name\n2027-12-25,Christmas Day\n');
    expect(run.code).toBe(0);
    expect(run.out).toContain(`${run.file}: holidays: 1 rows (0 new, 1 updated, 0 unchanged)`);
    expect(await listed()).toEqual([
      "2027-01-01 New Year's Day",
      '2027-04-02 Good Friday',
      '2027-05-01 Labour Day',
      '2027-12-25 Christmas Day',
    ]);
    expect(await audited('holiday.rename')).toEqual([
      { actor: 'cli:pat', day: '2027-12-25', from: null, to: 'Christmas Day' },
    ]);
    expect(await recomputes()).toBe(0);
  });

  it('one bad row refuses the whole file, naming row and column, with what to write', async () => {
    const long = 'x'.repeat(101);
    const run = await importHolidays(
      'bad.csv',
      `date,name\n2027-11-01,All Saints\n2027/10/03,Unity Day\n2027-11-11,${long}\n`,
    );
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    // Line 3's day as /sop cycle holidays add advises it; line 4's name over 100 characters.
    expect(run.err).toBe(
      [
        `${run.file}: nothing was imported; 2 problems:`,
        `${run.file}:3: column 'date': must be a date as YYYY-MM-DD: for '2027/10/03' write 2027-10-03`,
        `${run.file}:4: column 'name': is too long (101 characters, at most 100): '${'x'.repeat(39)}…'`,
        '',
      ].join('\n'),
    );
    // Line 2 was good, and is not listed either.
    expect(await listed()).toEqual([
      "2027-01-01 New Year's Day",
      '2027-04-02 Good Friday',
      '2027-05-01 Labour Day',
      '2027-12-25 Christmas Day',
    ]);
  });

  it('import all: the holidays file comes last, and only the plan input asks a recompute', async () => {
    const folder = join(dir, 'all');
    await mkdir(folder);
    await writeFile(
      join(folder, 'families.csv'),
      'code,name,unit,price,unit_cost,holding_cost,backlog_cost\nFAM-1,Classic Kettle,units,250,147.51,2.95,14.79\n',
    );
    await writeFile(join(folder, 'holidays.csv'), 'date,name\n2027-10-03,Unity Day\n');
    const run = cli();
    expect(await main(['import', 'all', folder, '--actor', 'cli:pat'], run.io)).toBe(0);
    expect(run.out()).toBe(
      [
        'families.csv: families: 1 rows (1 new, 0 updated, 0 unchanged)',
        'holidays.csv: holidays: 1 rows (1 new, 0 updated, 0 unchanged)',
        `holidays.csv: deadlines of the next cycles skip the days listed (S&OP 2026-12 keeps the deadlines it opened with); ${KEPT}`,
        'recompute requested for cycle 2026-12 (reason: import)',
        '',
      ].join('\n'),
    );
    // One recompute, for the families file alone (its request key names the changed files).
    expect(await recomputes()).toBe(1);
    expect(await listed()).toContain('2027-10-03 Unity Day');
  });

  it('a day written twice in one file is refused, naming both lines', async () => {
    const run = await importHolidays(
      'twice.csv',
      'date,name\n2027-11-01,All Saints\n2027-11-01,Toussaint\n',
    );
    expect(run.code).toBe(1);
    expect(run.err).toContain(
      `${run.file}:3: column 'date': repeats the row on line 2 (2027-11-01)`,
    );
    expect((await listed()).filter((l) => l.startsWith('2027-11-01'))).toEqual([]);
  });
});
