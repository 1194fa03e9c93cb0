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
