/**
 * `sopbot --help` sums up each command; where a summary lists a command's actions, they are
 * the ones the command's own `--help` lists (README's table says the same).
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';

async function output(argv: readonly string[]): Promise<string> {
  const out: string[] = [];
  const code = await main(argv, {
    stdout: (s) => out.push(s),
    stderr: (s) => out.push(s),
    env: {},
  });
  expect(code).toBe(0);
  return out.join('');
}

describe('sopbot --help', () => {
  it('lists every action of sopbot migrate, as sopbot migrate --help does', async () => {
    const summary = (await output(['--help'])).split('\n').find((l) => /^\s+migrate\s/.test(l));
    const listed = summary?.match(/\(([a-z|-]+)\)/)?.[1]?.split('|');
    expect(listed).toEqual(['up', 'down', 'down-all', 'redo', 'reset', 'status']);
    const own = (await output(['migrate', '--help'])).match(
      /^Usage: sopbot migrate \[([a-z|-]+)\]/,
    );
    expect(listed).toEqual(own?.[1]?.split('|'));
  });
});

describe('sopbot demo --help', () => {
  it('names every cycle the demo plays, and its S&OE week', async () => {
    // README: 2027-01 end to end, then 2027-02 and 2027-03 (src/demo/loop.ts) with a week of
    // S&OE between them. It said "one whole S&OP cycle".
    const help = await output(['demo', '--help']);
    for (const month of ['2027-01', '2027-02', '2027-03']) expect(help).toContain(month);
    expect(help).toContain('one S&OE week');
    expect(help).not.toContain('one whole S&OP cycle');
    const summary = (await output(['--help'])).split('\n').find((l) => /^\s+demo\s/.test(l));
    expect(summary).toContain('three S&OP cycles and an S&OE week');
  });
});

describe('sopbot with no command', () => {
  it('is a usage mistake: one sentence and the usage on stderr, nothing on stdout, exit 2', async () => {
    // Before: the usage went to stdout (exit 2), unlike every other usage mistake.
    const out: string[] = [];
    const err: string[] = [];
    const code = await main([], {
      stdout: (s) => out.push(s),
      stderr: (s) => err.push(s),
      env: {},
    });
    expect(code).toBe(2);
    expect(out).toEqual([]);
    const text = err.join('');
    expect(text.split('\n')[0]).toBe('sopbot: give a command.');
    expect(text).toContain('Usage: sopbot <command> [options]');
    expect(text).toContain('  migrate  ');
  });
});
