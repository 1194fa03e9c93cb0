/**
 * Every caught error reaches the log once, with its stack, or goes on to a caller who logs
 * it; the user is told only what is true.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SopError } from '../../src/errors.js';
import {
  INTERNAL_ERROR_TEXT,
  logUnexpected,
  tellUser,
  userMessage,
} from '../../src/slack/reply.js';
import { ROOT, sources } from '../helpers/sources.js';

/**
 * Catches that turn an error into a value for a caller who reports it (a worker thread's
 * answer, a warm-up's result, the outbox's delivery outcome), or that parse or probe (the
 * CLI's configuration, parsed again and reported by the command itself; the demo's look for
 * a redis-server and an optional embedded PostgreSQL, whose absence the caller reports; the
 * "Explain this" and "Make an S&OP action" forms' stored data, which each form says it cannot
 * read; a name's `users.info`, whose failure `names()` logs with its stack or throws for the
 * job to retry).
 */
const HANDED_ON = new Set([
  'commands/action-from-message.ts',
  'commands/explain.ts',
  'src/cli.ts',
  'src/demo/local-services.ts',
  'src/charts/warm-up.ts',
  'src/services/outbox.ts',
  'src/services/pool-thread.ts',
  'src/services/thread-pool.ts',
  'src/services/user-names.ts',
  'src/slack/presenters/change-modal.ts',
  'src/solver/highs.ts',
]);

/** The body of every `catch (…) { … }` block, by file. */
function catchBlocks(file: string): string[] {
  const s = readFileSync(join(ROOT, file), 'utf8');
  const out: string[] = [];
  const re = /\bcatch\s*(\([^)]*\))?\s*\{/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    let depth = 1;
    let i = re.lastIndex;
    while (depth > 0 && i < s.length) {
      if (s[i] === '{') depth++;
      else if (s[i] === '}') depth--;
      i++;
    }
    out.push(s.slice(re.lastIndex, i - 1));
  }
  return out;
}

describe('caught errors', () => {
  it('are logged, rethrown or handed to a reporter in every catch block', () => {
    const silent = ['src', 'commands', 'jobs', 'db']
      .flatMap((d) =>
        sources(d, (p) => p.includes('slack-standin') || p.includes(join('src', 'cli'))),
      )
      .map((f) => f.split('\\').join('/'))
      .filter((f) => !HANDED_ON.has(f))
      .flatMap((f) =>
        catchBlocks(f)
          .filter((b) => !/logger\??\.|logUnexpected\(|\bthrow\b|tellUser\([^)]*logger/.test(b))
          .map((b) => `${f}: ${b.trim().slice(0, 80)}`),
      );
    expect(silent).toEqual([]);
  });

  it('tellUser logs an unexpected error once with its stack, and not a SopError', async () => {
    const logged: { obj: { err?: Error }; msg: string }[] = [];
    const logger = {
      error: (obj: { err?: Error }, msg: string) => logged.push({ obj, msg }),
      warn: (obj: { err?: Error }, msg: string) => logged.push({ obj, msg }),
    };
    const client = {} as Parameters<typeof tellUser>[0];
    await tellUser(client, {}, new Error('boom'), logger);
    expect(logged).toHaveLength(1);
    expect(logged[0]!.obj.err?.stack).toContain('boom');
    await tellUser(client, {}, new SopError('validation', 'fix the date'), logger);
    expect(logged).toHaveLength(1);
  });

  it('"is this error unexpected?" is answered in one place, reply.ts', () => {
    // A copy of the test (`code === 'internal'`, or a log guarded by `instanceof SopError`
    // alone, which let an internal SopError through unlogged) outside src/slack/reply.ts.
    const copies = ['src', 'commands', 'jobs', 'db']
      .flatMap((d) => sources(d, (p) => p.includes('slack-standin')))
      .map((f) => f.split('\\').join('/'))
      .filter((f) => f !== 'src/slack/reply.ts')
      .flatMap((f) =>
        readFileSync(join(ROOT, f), 'utf8')
          .split('\n')
          .flatMap((line, i) =>
            /code\s*[!=]==\s*'internal'|instanceof SopError\)\)\s*\S*logger/.test(line)
              ? [`${f}:${i + 1}: ${line.trim()}`]
              : [],
          ),
      );
    expect(copies).toEqual([]);
  });

  it('logUnexpected logs an internal SopError (its answer says "It has been logged")', () => {
    const logged: { obj: object; msg: string }[] = [];
    const logger = { error: (obj: object, msg: string) => logged.push({ obj, msg }) };
    const internal = new SopError('internal', 'Unexpected error: pool ended');
    logUnexpected(logger, internal, 'modal failed', { sub: 'plan' });
    expect(logged).toEqual([{ obj: { sub: 'plan', err: internal }, msg: 'modal failed' }]);
    logUnexpected(logger, new SopError('validation', 'fix the date'), 'modal failed');
    expect(logged).toHaveLength(1);
    expect(userMessage(internal)).toBe(INTERNAL_ERROR_TEXT);
  });

  it('the generic apology does not claim that nothing was saved', () => {
    expect(INTERNAL_ERROR_TEXT).not.toMatch(/nothing was saved/i);
  });
});
