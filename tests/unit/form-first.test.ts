/**
 * Every listener that opens a form says so before its ack (`formFirst`), so the form's
 * trigger_id (valid 3 s, once) does not wait behind the bot's after-ack slots during a burst
 * (src/slack/after-ack-limit.ts). A static reading of the sources, as policy.test.ts does for
 * roles: it fails for a listener that opens a form and forgot.
 */
import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decide } from '../../commands/sop-decide.js';
import { execution } from '../../commands/sop-execution.js';
import { scenario } from '../../commands/sop-scenario.js';
import { ROOT, sources } from '../helpers/sources.js';

const LIMIT = join('src', 'slack', 'after-ack-limit.ts');
const files = [...sources('commands'), ...sources('src/slack')].filter((f) => f !== LIMIT);
const text = new Map(files.map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]));

/** Where a listener is registered, says form-first, acks, or opens a form. */
const TOKENS =
  /\bapp\.(?:command|action|shortcut|view|options|event|message)\s*[<(]|\bformFirst\s*\(|\bawait ack\s*\(|\b(?:openForm|openChangeModal)\s*\(|\bfunction openChangeModal\s*\(/g;
type Token = 'register' | 'formFirst' | 'ack' | 'open' | 'helper';
const kind = (m: string): Token =>
  m.startsWith('app.')
    ? 'register'
    : m.startsWith('formFirst')
      ? 'formFirst'
      : m.startsWith('await')
        ? 'ack'
        : m.startsWith('function')
          ? 'helper'
          : 'open';

/**
 * Each form opened in `source`, and how: in a listener that said form-first before its ack
 * (`declared`) or not (`forgot`), in the change flow's helper (`helper`, its callers are
 * checked), or where no listener acks (`no ack`: a /sop subcommand, the router acks).
 */
function openings(source: string): string[] {
  const tokens = [...source.matchAll(TOKENS)].map((m) => kind(m[0]));
  return tokens.flatMap((t, i) => {
    if (t !== 'open') return [];
    const before = tokens.slice(0, i);
    const ack = before.lastIndexOf('ack');
    if (before.lastIndexOf('helper') > ack) return ['helper'];
    if (ack < 0) return ['no ack'];
    // The listener's own text before its ack: back to the previous ack or registration.
    const from = Math.max(before.lastIndexOf('ack', ack - 1), before.lastIndexOf('register', ack));
    return [before.slice(from + 1, ack).includes('formFirst') ? 'declared' : 'forgot'];
  });
}

describe('form openers', () => {
  it('open forms through openForm only, never views.open directly', () => {
    const direct = files.filter((f) => /\bviews\.open\s*\(/.test(text.get(f) ?? ''));
    expect(direct).toEqual([]);
  });

  it('say form-first before their ack, in every listener that opens one', () => {
    const found = files
      .flatMap((f) => openings(text.get(f) ?? '').map((how) => `${f}: ${how}`))
      .sort();
    // Read by hand from the sources (each `views.open` before openForm existed, and the two
    // App Home buttons' openChangeModal): one line per call.
    expect(found).toEqual(
      [
        'commands/action-buttons.ts: declared',
        'commands/action-from-message.ts: declared',
        'commands/explain.ts: declared',
        'commands/explain.ts: declared',
        'commands/home.ts: declared',
        'commands/sop-decide.ts: no ack',
        'commands/sop-execution.ts: no ack',
        'commands/sop-scenario.ts: no ack',
        'commands/vote-buttons.ts: declared',
        'commands/vote-buttons.ts: declared',
        'src/slack/change-flow.ts: declared',
        'src/slack/change-flow.ts: helper',
      ]
        .map((l) => l.split('/').join(sep))
        .sort(),
    );
  });

  it('a /sop subcommand that opens a form says when (opensForm)', () => {
    const undeclared = files.filter((f) => {
      const source = text.get(f) ?? '';
      return openings(source).includes('no ack') && !/\bopensForm\s*:/.test(source);
    });
    expect(undeclared).toEqual([]);
  });

  it('the /sop router declares form-first from the subcommand, before its ack', () => {
    const router = text.get(join('commands', 'sop.ts')) ?? '';
    const declared = router.search(/if \(sub\?\.opensForm\?\.\(args\)\) formFirst\(command\);/);
    expect(declared).toBeGreaterThan(0);
    expect(declared).toBeLessThan(router.search(/\bawait ack\s*\(/));
  });

  it('each /sop subcommand says which of its uses open a form', () => {
    // From their usage lines: `/sop decide` with no text, `/sop execution`, `/sop scenario set`.
    expect(decide.opensForm?.([])).toBe(true);
    expect(decide.opensForm?.(['central', 'protects service'])).toBe(false);
    // `/sop decide ""` names no scenario: handle() opens the form for it as for no text.
    expect(decide.opensForm?.([''])).toBe(true);
    expect(decide.opensForm?.(['', 'why'])).toBe(true);
    expect(execution.opensForm?.([])).toBe(true);
    expect(scenario.opensForm?.(['set', 'cash-first'])).toBe(true);
    expect(scenario.opensForm?.(['list'])).toBe(false);
    expect(scenario.opensForm?.([])).toBe(false);
    expect(scenario.opensForm?.(['delete', 'cash-first'])).toBe(false);
  });
});
