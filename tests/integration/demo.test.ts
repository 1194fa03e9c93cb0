/**
 * `npm run demo` is the README's main job: this runs it in-process, end to end (stand-in,
 * real bot and worker, a database of its own, Redis) and checks what it leaves behind.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/run.js';
import { adminUrl, withAdmin } from '../helpers/pg-admin.js';

describe('npm run demo', () => {
  let out = '';
  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('runs a whole cycle: adjustments, plan runs, charts, the vote and the decision, then cleans up', async () => {
    out = await mkdtemp(join(tmpdir(), 'sopbot-demo-'));
    const lines: string[] = [];
    const result = await runDemo({
      databaseUrl: adminUrl(),
      redisUrl: 'redis://127.0.0.1:6379',
      outDir: out,
      families: 12,
      keepDatabase: false,
      log: (l) => lines.push(l),
    });
    expect(result.decision).toMatchObject({ scenario: 'Central', actions: 2 });
    expect(result.planRuns).toBeGreaterThanOrEqual(2);
    expect(result.chartsPosted).toBeGreaterThanOrEqual(4);

    const transcript = await readFile(result.transcriptPath, 'utf8');
    expect(transcript).toContain('## #sop-demand');
    expect(transcript).toContain('FAM-1* 2027-05..2027-07 +15% (promotion)');
    expect(transcript).toContain('executive pack');
    expect(transcript).toContain('Decision: *Central* adopted');
    expect(transcript).toMatch(/frozen zone/);
    const pack = await readFile(join(out, 'pack.md'), 'utf8');
    for (let q = 1; q <= 10; q++) expect(pack).toContain(`${q}. `);
    // The trade-offs are stated on the vote and in the pack (questions 4 to 6).
    expect(transcript).toMatch(/Ambitious: [+−]\$[\d.]+[kMB]? margin if demand comes \(P90\)/);
    expect(pack).toMatch(/Ambitious: [+−]\$[\d.]+[kMB]? margin if demand comes \(P90\)/);
    expect(pack).toContain('Against uncertain demand: expected margin');
    expect(pack).toContain('Demand risk, Cautious: fill rate');

    const pngs = (await readdir(out)).filter((f) => f.endsWith('.png'));
    expect(pngs.length).toBe(result.chartsPosted);
    const img = PNG.sync.read(await readFile(join(out, pngs[0]!)));
    expect(img.width).toBeGreaterThan(600);

    const left = await withAdmin(adminUrl(), (c) =>
      c.query('select 1 from pg_database where datname = $1', [result.database]),
    );
    expect(left.rowCount).toBe(0);
    expect(lines.join('\n')).toContain('Decision: Central adopted, 2 follow-up actions');
    // The whole cycle runs in ~10-25 s alone; beside the rest of the suite on 2 cores it can
    // take several times that (Slack-like rate limits delay posts by their Retry-After).
  }, 300_000);
});
