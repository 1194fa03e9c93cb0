import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCiScript } from '../helpers/ci-script.js';

const root = mkdtempSync(join(tmpdir(), 'sopbot-deps-'));
function file(path: string, text: string) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}
const run = () => runCiScript('check-imports.mjs', root);

describe('dependency-direction check', () => {
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('passes a tree whose arrows point inward', () => {
    file('src/core/a.ts', "import { b } from './b.js';\n");
    file('src/core/b.ts', 'export const b = 1;\n');
    file(
      'commands/x.ts',
      "import { jobId } from '../jobs/contracts.js';\nimport { a } from '../src/core/a.js';\n",
    );
    expect(run().code).toBe(0);
  });

  it('fails when core imports the database, Slack or an outer layer, or a command imports a processor', () => {
    file(
      'src/core/bad.ts',
      "import { Kysely } from 'kysely';\nimport type { App } from '@slack/bolt';\nimport { x } from '../slack/app.js';\n",
    );
    file('commands/y.ts', "import { run } from '../jobs/plan.js';\n");
    const r = run();
    expect(r.code).toBe(1);
    expect(r.out).toContain("src/core/bad.ts:1: imports I/O package 'kysely'");
    expect(r.out).toContain("src/core/bad.ts:2: imports I/O package '@slack/bolt'");
    expect(r.out).toContain("src/core/bad.ts:3: imports outer layer 'src/slack/app.ts'");
    expect(r.out).toContain("commands/y.ts:1: imports job processor 'jobs/plan.ts'");
  });
});
