/**
 * What `sopbot` says when something is wrong: a mistake in what was typed or handed to it is
 * one sentence naming what to fix, under the command's name, with a non-zero exit (2 for a
 * usage mistake); an error nobody foresaw is one line for the person and one log line with its
 * stack, never a stack dumped on its own. Files as spreadsheets save them (UTF-16, a legacy
 * code page, semicolons) import, or are refused saying why.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { useDb } from '../helpers/db.js';

const FAMILIES = 'code,name,price,unit_cost,holding_cost,backlog_cost\nFAM-9,Crème,10,5,1,2\n';

async function sopbot(argv: readonly string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    env,
  });
  return { code, out: out.join(''), err: err.join('') };
}

describe('sopbot, when something is wrong', () => {
  const t = useDb();
  let dir: string;
  const env = () => ({ DATABASE_URL: t.url, LOG_LEVEL: 'error' });
  const familyNames = async () =>
    (await t.db.selectFrom('families').select('name').orderBy('code').execute()).map((r) => r.name);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sopbot-cli-errors-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a usage mistake exits 2 with one sentence under the command name', async () => {
    // Before: the error escaped main (the executable printed "sopbot: …" and exited 1).
    const r = await sopbot(['pack', '--cycle', '2027-01', '--as-of', '31/01/2027'], env());
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      "sopbot pack: --as-of: '31/01/2027' is not a date; give a day as YYYY-MM-DD.\n",
    );
    const flag = await sopbot(['decisions', '--formt', 'csv'], env());
    expect(flag.code).toBe(2);
    expect(flag.err.split('\n')[0]).toBe(
      "sopbot decisions: unknown option '--formt': did you mean --format? This command takes --cycle, --format and -h/--help.",
    );
  });

  it("a misspelt option is named with the one it likely means and the command's options", async () => {
    // Before: Node's "Unknown option '--actr'. To specify a positional argument starting with
    // a '-', place it at the end of the command after '--', as in '-- "--actr"'".
    const file = join(dir, 'f.csv');
    await writeFile(file, FAMILIES);
    const takes = 'This command takes --actor, --no-recompute and -h/--help.';
    for (const typo of [['--actr', 'bob'], ['--actr=bob']]) {
      const r = await sopbot(['import', 'families', file, ...typo], env());
      expect(r.code).toBe(2);
      const [first, blank, usage] = r.err.split('\n');
      expect(first).toBe(`sopbot import: unknown option '--actr': did you mean --actor? ${takes}`);
      // The usage follows, as after any usage mistake.
      expect([blank, usage?.startsWith('Usage: sopbot import')]).toEqual(['', true]);
    }
    // A letter short of --no-recompute is three edits from it: still the one meant.
    const near = await sopbot(['import', 'families', file, '--recompute'], env());
    expect(near.err.split('\n')[0]).toBe(
      `sopbot import: unknown option '--recompute': did you mean --no-recompute? ${takes}`,
    );
    // Nothing close: the options alone.
    const far = await sopbot(['import', 'families', file, '--verbose'], env());
    expect(far.code).toBe(2);
    expect(far.err.split('\n')[0]).toBe(
      "sopbot import: unknown option '--verbose': this command takes --actor, --no-recompute and -h/--help.",
    );
    expect(await familyNames()).not.toContain('Crème');
  });

  it('pack and explain with no cycle yet say so, exit 1, and ask to name one only if one exists', async () => {
    // Before: `sopbot pack` said "--cycle: no cycle is open; name one." (exit 2) with no cycle
    // to name, and `sopbot explain` exited 2, as for a mistake in what was typed.
    expect(await t.db.selectFrom('cycles').select('id').execute()).toEqual([]);
    const pack = await sopbot(['pack'], env());
    expect(pack).toMatchObject({ code: 1, out: '' });
    expect(pack.err).toBe(
      'sopbot pack: There is no S&OP cycle yet, so there is no pack. A planner starts one with `/sop cycle start YYYY-MM`.\n',
    );
    const explain = await sopbot(['explain', 'FAM-1', '2027-05'], env());
    expect(explain.code).toBe(1);
    expect(explain.err).toBe(
      'sopbot explain: There is no S&OP cycle yet, so there is no plan to explain. A planner starts one with `/sop cycle start`.\n',
    );
    // Two closed cycles: none open, the latest is named.
    await t.db
      .insertInto('cycles')
      .values([
        { month: '2027-01', phase: 'closed' },
        { month: '2027-02', phase: 'closed' },
      ])
      .execute();
    try {
      const closed = await sopbot(['pack'], env());
      expect(closed.code).toBe(2);
      expect(closed.err.split('\n')[0]).toBe(
        'sopbot pack: --cycle: no cycle is open; name one (the latest is 2027-02).',
      );
    } finally {
      await t.db.deleteFrom('cycles').execute();
    }
  });

  it('an error nobody foresaw is logged once with its stack and told in one line', async () => {
    // A schema that drifted from the code: not a missing database or table, which have their
    // own sentences, but an error of the query itself.
    await t.db.schema.alterTable('cycles').renameColumn('month', 'month_renamed').execute();
    try {
      const r = await sopbot(['pack'], env());
      expect(r.code).toBe(1);
      const lines = r.err.trimEnd().split('\n');
      expect(lines).toHaveLength(2);
      const logged = JSON.parse(lines[0]!) as {
        level: number;
        msg: string;
        command: string;
        err: { message: string; stack: string };
      };
      expect(logged).toMatchObject({ level: 50, msg: 'sopbot pack failed', command: 'pack' });
      expect(logged.err.message).toBe('column "month" does not exist');
      expect(logged.err.stack).toMatch(/\n\s+at /);
      expect(lines[1]).toBe(
        'sopbot pack failed: column "month" does not exist (logged above, with its stack)',
      );
    } finally {
      await t.db.schema.alterTable('cycles').renameColumn('month_renamed', 'month').execute();
    }
  });

  it('import all names a folder that is not there, or a file given for a folder', async () => {
    const missing = join(dir, 'no-such-folder');
    const a = await sopbot(['import', 'all', missing], env());
    expect(a.code).toBe(1);
    // Before: "no file of a known kind in …", as if the folder were there and empty.
    expect(a.err).toBe(`sopbot import: ${missing}: no such folder\n`);
    const file = join(dir, 'families.csv');
    await writeFile(file, FAMILIES);
    const b = await sopbot(['import', 'all', file], env());
    expect(b.code).toBe(1);
    // Before: "cannot read …/families.csv/families.csv: ENOTDIR: not a directory, open …".
    expect(b.err).toBe(
      `sopbot import: ${file} is a file, not a folder; to import one file, name its kind: sopbot import <kind> ${file}\n`,
    );
    const c = await sopbot(['import', 'families', dir], env());
    expect(c.code).toBe(1);
    expect(c.err).toBe(`sopbot import: cannot read ${dir}: it is a folder, not a file\n`);
    expect(await familyNames()).toEqual([]);
  });

  it('import refuses a second file rather than leaving it out', async () => {
    const one = join(dir, 'one.csv');
    const two = join(dir, 'two.csv');
    await writeFile(one, FAMILIES);
    await writeFile(two, FAMILIES.replace('FAM-9', 'FAM-8'));
    // Before: one.csv was imported, two.csv silently not, and the exit status was 0.
    const r = await sopbot(['import', 'families', one, two, '--no-recompute'], env());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^sopbot import: one file at a time, got 2: /);
    expect(await familyNames()).toEqual([]);
  });

  it('a file in a legacy code page is refused naming its line; UTF-16 imports as written', async () => {
    // Windows-1252, as Excel's plain "CSV" saves on Windows: è is the single byte 0xE8.
    const legacy = join(dir, 'families-1252.csv');
    await writeFile(
      legacy,
      Buffer.concat([
        Buffer.from('code,name,price,unit_cost,holding_cost,backlog_cost\nFAM-9,Cr'),
        Buffer.from([0xe8]),
        Buffer.from('me,10,5,1,2\n'),
      ]),
    );
    const r = await sopbot(['import', 'families', legacy, '--no-recompute'], env());
    expect(r.code).toBe(1);
    // Before: imported, with the name stored as 'Cr\uFFFDme'.
    expect(r.err).toBe(
      `sopbot import: ${legacy}: line 2 is not UTF-8 text; save it as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)") and run again\n`,
    );
    expect(await familyNames()).toEqual([]);

    // UTF-16 little-endian with its byte-order mark (FF FE), as Excel's "Unicode Text" saves.
    const utf16 = join(dir, 'families-utf16.csv');
    await writeFile(
      utf16,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(FAMILIES, 'utf16le')]),
    );
    const u = await sopbot(['import', 'families', utf16, '--no-recompute'], env());
    // Before: 19 problems, one per column name read as 'c\0o\0d\0e\0'.
    expect(u.err).toBe('');
    expect(u.code).toBe(0);
    expect(await familyNames()).toEqual(['Crème']);
  });

  it('a file separated by semicolons is one problem that says so', async () => {
    const semi = join(dir, 'resources-semicolons.csv');
    await writeFile(semi, 'code;name;kind;regular_capacity\nLINE-9;Line 9;machine;100\n');
    const r = await sopbot(['import', 'resources', semi, '--no-recompute'], env());
    expect(r.code).toBe(1);
    // Before: the whole header as one unknown column, then each required column as missing.
    expect(r.err).toBe(
      `${semi}: nothing was imported; 1 problem:\n${semi}:1: the header is one column holding ';': the file is separated by semicolons, and sopbot reads commas. Save it as CSV with commas (in Excel: "CSV UTF-8 (Comma delimited)") and import it again\n`,
    );
  });
});
