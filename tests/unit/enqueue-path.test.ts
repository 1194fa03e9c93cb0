/**
 * One path for job requests (docs/reliability.md, docs/architecture.md "Exactly once"): every
 * job a change owes is recorded in the job outbox (`requestJob`, `enqueueDurably` in
 * src/services/outbox.ts) and handed to BullMQ from there, so Redis being down loses none.
 * Only the outbox calls `JobQueue.enqueue`, besides the metrics' wrapper of the queue (which
 * counts failed enqueues) and the demo's script (which stands in for the weekly digest's
 * scheduler).
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, sources } from '../helpers/sources.js';

describe('one path for job requests', () => {
  it('only the job outbox calls enqueue (besides the metrics wrapper and the demo)', () => {
    const callers = ['src', 'commands', 'jobs', 'db']
      .flatMap((d) => sources(d))
      .filter((f) => /\.enqueue\(/.test(readFileSync(join(ROOT, f), 'utf8')))
      .map((f) => relative('.', f).split('\\').join('/'));
    expect(callers.sort()).toEqual([
      'src/demo/loop.ts',
      'src/metrics.ts',
      'src/services/outbox.ts',
    ]);
  });
});
