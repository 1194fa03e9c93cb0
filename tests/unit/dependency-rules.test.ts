// The layer rules of .dependency-cruiser.cjs, shown to bite: a small tree whose imports all
// point the allowed way passes, and the same tree with one planted violation per rule fails
// with that rule, from that file, to that target. A rule added to the config without a
// planted violation here fails the last test.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const config = require(join(repo, '.dependency-cruiser.cjs')) as {
  forbidden: { name: string }[];
};
const depcruise = join(repo, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const repoPackage = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

type Files = Record<string, string>;

/** Packages the planted files import; each becomes a one-file package in node_modules. */
const STUB_PACKAGES = [
  'zod',
  'luxon',
  'kysely',
  'pg',
  'bullmq',
  'ioredis',
  'pino',
  'highs',
  'vega',
  '@slack/bolt',
  '@slack/web-api',
  'vitest',
  'undeclared-package',
];

/** A tree in which every import points the allowed way, the known exceptions included. */
const ALLOWED: Files = {
  'src/core/calendar.ts': "import { DateTime } from 'luxon';\nexport const c = DateTime;\n",
  'src/core/math.ts': [
    "import { z } from 'zod';",
    "import { c } from './calendar.js';",
    "// import { Kysely } from 'kysely'; a comment is not an import",
    'export const m = [z, c];',
  ].join('\n'),
  'src/charts/spec.ts':
    "import { readFileSync } from 'node:fs';\nimport { parse } from 'vega';\nimport { m } from '../core/math.js';\nexport const s = [readFileSync, parse, m];\n",
  'src/solver/highs.ts':
    "import highs from 'highs';\nimport { m } from '../core/math.js';\nexport const h = [highs, m];\n",
  'db/schema.ts': "import type { m } from '../src/core/math.js';\nexport type T = typeof m;\n",
  'db/connect.ts':
    "import { Kysely } from 'kysely';\nimport pg from 'pg';\nimport type { T } from './schema.js';\nexport const k = [Kysely, pg];\nexport type Db = T;\n",
  'db/migrations/0001-init.ts':
    "import type { Kysely } from 'kysely';\nexport type K = Kysely<unknown>;\n",
  'db/queries/rows.ts':
    "import { sql } from 'kysely';\nimport type { Db } from '../connect.js';\nimport type { T } from '../schema.js';\nimport { m } from '../../src/core/math.js';\nexport const q = [sql, m];\nexport type R = [Db, T];\n",
  'db/queries/adjustments.ts': 'export type SubmissionRow = { id: number };\n',
  'jobs/contracts.ts':
    "import { z } from 'zod';\nimport { m } from '../src/core/math.js';\nexport const jobId = [z, m];\n",
  'jobs/plan.ts':
    "import { Worker } from 'bullmq';\nimport { s } from '../src/charts/spec.js';\nimport { svc } from '../src/services/svc.js';\nimport { jobId } from './contracts.js';\nexport const run = [Worker, s, svc, jobId];\n",
  'src/slack/presenters/format.ts':
    "import type { SubmissionRow } from '../../../db/queries/adjustments.js';\nexport const fmt = (r: SubmissionRow) => r.id;\n",
  'src/slack/post-ledger.ts':
    "import { WebClient } from '@slack/web-api';\nimport { q } from '../../db/queries/rows.js';\nexport const post = [WebClient, q];\n",
  'src/services/svc.ts': [
    "import { Kysely } from 'kysely';",
    "import { q } from '../../db/queries/rows.js';",
    "import { jobId } from '../../jobs/contracts.js';",
    "import { fmt } from '../slack/presenters/format.js';",
    "import { post } from '../slack/post-ledger.js';",
    "import { s } from '../charts/spec.js';",
    'export const svc = [Kysely, q, jobId, fmt, post, s];',
  ].join('\n'),
  'commands/capacity.ts': [
    "import { App } from '@slack/bolt';",
    "import { z } from 'zod';",
    "import { jobId } from '../jobs/contracts.js';",
    "import { svc } from '../src/services/svc.js';",
    "import { fmt } from '../src/slack/presenters/format.js';",
    'export const cap = [App, z, jobId, svc, fmt];',
  ].join('\n'),
  'src/slack/handlers.ts':
    "import { cap } from '../../commands/capacity.js';\nexport const handlers = [cap];\n",
  'src/cli/args.ts': 'export const args = 1;\n',
  'src/slack-standin/server.ts':
    "import { createServer } from 'node:http';\nimport { args } from '../cli/args.js';\nexport const server = [createServer, args];\n",
  'src/bot.ts':
    "import { handlers } from './slack/handlers.js';\nimport { Redis } from 'ioredis';\nexport const bot = [handlers, Redis];\n",
  'src/worker.ts': "import { run } from '../jobs/plan.js';\nexport const worker = [run];\n",
  'src/cli/bot.ts': "import { bot } from '../bot.js';\nexport const cli = [bot];\n",
  'tests/helper.ts':
    "import { it } from 'vitest';\nimport { bot } from '../src/bot.js';\nexport const t = [it, bot];\n",
};

/** One planted file per rule: [rule, file, its text, the target the rule must name]. */
const PLANTED: [rule: string, file: string, text: string, target: string][] = [
  [
    'core-inward',
    'src/core/p1.ts',
    "import { svc } from '../services/svc.js';\n",
    'src/services/svc.ts',
  ],
  ['core-no-builtins', 'src/core/p2.ts', "import { readFileSync } from 'node:fs';\n", 'fs'],
  [
    'core-no-builtins',
    'src/core/p3.ts',
    "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nexport const k = require('kysely');\n",
    'module',
  ],
  ['core-packages', 'src/core/p4.ts', "import { Queue } from 'bullmq';\n", 'node_modules/bullmq/'],
  [
    'core-luxon-in-calendar',
    'src/core/p5.ts',
    "import { DateTime } from 'luxon';\n",
    'node_modules/luxon/',
  ],
  [
    'charts-inward',
    'src/charts/p6.ts',
    "import { q } from '../../db/queries/rows.js';\n",
    'db/queries/rows.ts',
  ],
  ['charts-packages', 'src/charts/p7.ts', "import pino from 'pino';\n", 'node_modules/pino/'],
  ['charts-builtins', 'src/charts/p8.ts', "import { request } from 'node:https';\n", 'https'],
  [
    'solver-inward',
    'src/solver/p9.ts',
    "import { fmt } from '../slack/presenters/format.js';\n",
    'src/slack/presenters/format.ts',
  ],
  [
    'db-inward',
    'db/p10.ts',
    "import { svc } from '../src/services/svc.js';\n",
    'src/services/svc.ts',
  ],
  [
    'migrations-frozen',
    'db/migrations/0002-p11.ts',
    "import type { T } from '../schema.js';\n",
    'db/schema.ts',
  ],
  [
    'queries-only-db',
    'db/queries/p12.ts',
    "import { jobId } from '../../jobs/contracts.js';\n",
    'jobs/contracts.ts',
  ],
  [
    'services-not-commands',
    'src/services/p13.ts',
    "import { cap } from '../../commands/capacity.js';\n",
    'commands/capacity.ts',
  ],
  [
    'services-enqueue-through-contract',
    'src/services/p14.ts',
    "import { run } from '../../jobs/plan.js';\n",
    'jobs/plan.ts',
  ],
  [
    'services-not-bolt-wiring',
    'src/services/p15.ts',
    "import { handlers } from '../slack/handlers.js';\n",
    'src/slack/handlers.ts',
  ],
  [
    'presenters-do-not-query',
    'src/slack/presenters/p16.ts',
    "import { q } from '../../../db/queries/rows.js';\n",
    'db/queries/rows.ts',
  ],
  [
    'presenters-do-not-query',
    'src/slack/presenters/p17.ts',
    "import { WebClient } from '@slack/web-api';\n",
    'node_modules/@slack/web-api/',
  ],
  [
    'presenters-pure',
    'src/slack/presenters/p18.ts',
    "import { jobId } from '../../../jobs/contracts.js';\n",
    'jobs/contracts.ts',
  ],
  [
    'commands-no-job-processor',
    'commands/p19.ts',
    "const plan = () => import('../jobs/plan.js');\n",
    'jobs/plan.ts',
  ],
  ['commands-no-sql', 'commands/p20.ts', "import { sql } from 'kysely';\n", 'node_modules/kysely/'],
  [
    'commands-through-services',
    'commands/p21.ts',
    "import { q } from '../db/queries/rows.js';\n",
    'db/queries/rows.ts',
  ],
  [
    'jobs-not-commands',
    'jobs/p22.ts',
    "import { cap } from '../commands/capacity.js';\n",
    'commands/capacity.ts',
  ],
  [
    'contract-is-pure', // the contract reaching for BullMQ: every producer would pull the queue in
    'jobs/contracts.ts',
    "import { z } from 'zod';\nimport { Queue } from 'bullmq';\nexport const jobId = [z, Queue];\n",
    'node_modules/bullmq/',
  ],
  [
    'slack-commands-through-registry',
    'src/slack/p24.ts',
    "import { cap } from '../../commands/capacity.js';\n",
    'commands/capacity.ts',
  ],
  [
    'slack-no-job-processor',
    'src/slack/p25.ts',
    "import { run } from '../../jobs/plan.js';\n",
    'jobs/plan.ts',
  ],
  [
    'standin-independent',
    'src/slack-standin/p26.ts',
    "import { svc } from '../services/svc.js';\n",
    'src/services/svc.ts',
  ],
  [
    'roots-are-roots',
    'src/services/p27.ts',
    "import { worker } from '../worker.js';\n",
    'src/worker.ts',
  ],
  [
    'production-not-tests',
    'jobs/p28.ts',
    "import { t } from '../tests/helper.js';\n",
    'tests/helper.ts',
  ],
  [
    'io-stays-out-of-the-math',
    'src/core/p29.ts',
    "export const load = () => import('pg');\n",
    'node_modules/pg/',
  ],
  [
    'io-stays-out-of-the-math',
    'src/core/p3.ts',
    "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nexport const k = require('kysely');\n",
    'node_modules/kysely/',
  ],
  [
    'no-circular',
    'src/services/p30a.ts',
    "import { b } from './p30b.js';\nexport const a = b;\n",
    'src/services/p30b.ts',
  ],
  [
    'declared-packages',
    'src/services/p31.ts',
    "import x from 'undeclared-package';\n",
    'node_modules/undeclared-package/',
  ],
  [
    'no-dev-deps-in-production',
    'src/services/p32.ts',
    "import { it } from 'vitest';\n",
    'node_modules/vitest/',
  ],
  [
    'resolvable',
    'src/services/p33.ts',
    "import { nothing } from './not-there.js';\n",
    './not-there.js',
  ],
];

/** The other half of the planted cycle. */
const PLANTED_EXTRA: Files = {
  'src/services/p30b.ts': "import { a } from './p30a.js';\nexport const b = a;\n",
};

const roots: string[] = [];

function write(root: string, path: string, text: string) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

function tree(files: Files): string {
  const root = mkdtempSync(join(tmpdir(), 'sopbot-deprules-'));
  roots.push(root);
  copyFileSync(join(repo, '.dependency-cruiser.cjs'), join(root, '.dependency-cruiser.cjs'));
  copyFileSync(join(repo, 'tsconfig.json'), join(root, 'tsconfig.json'));
  write(
    root,
    'package.json',
    JSON.stringify({
      name: 'planted',
      type: 'module',
      dependencies: repoPackage.dependencies,
      devDependencies: repoPackage.devDependencies,
    }),
  );
  for (const name of STUB_PACKAGES) {
    write(root, `node_modules/${name}/package.json`, JSON.stringify({ name, main: 'index.js' }));
    write(root, `node_modules/${name}/index.js`, 'module.exports = {};\n');
  }
  for (const [path, text] of Object.entries(files)) write(root, path, text);
  return root;
}

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}

function depcruiseIn(root: string, outputType: 'json' | 'err') {
  return spawnSync(
    process.execPath,
    [
      depcruise,
      '--config',
      '.dependency-cruiser.cjs',
      '--output-type',
      outputType,
      'src',
      'commands',
      'jobs',
      'db',
      'tests',
    ],
    { cwd: root, encoding: 'utf8' },
  );
}

function cruise(root: string): Violation[] {
  const r = depcruiseIn(root, 'json');
  if (!r.stdout) throw new Error(`dependency-cruiser printed nothing: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { summary: { violations: Violation[] } };
  return out.summary.violations;
}

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it('pass a tree whose imports point the allowed way, known exceptions and a commented import included', () => {
    const root = tree(ALLOWED);
    expect(cruise(root)).toEqual([]);
    expect(depcruiseIn(root, 'err').status).toBe(0);
  });

  const planted: Files = { ...ALLOWED, ...PLANTED_EXTRA };
  for (const [, file, text] of PLANTED) planted[file] = text;
  let plantedRoot: string | undefined;
  let result: Violation[] | undefined;
  const violations = () => {
    plantedRoot ??= tree(planted);
    result ??= cruise(plantedRoot);
    return result;
  };

  for (const [rule, from, , to] of PLANTED) {
    it(`${rule} fails on ${from} → ${to}`, () => {
      const hit = violations().filter(
        (v) => v.rule.name === rule && v.from === from && v.to.startsWith(to),
      );
      expect(hit).toHaveLength(1);
    });
  }

  it('fails the lint step (non-zero exit, each rule named) on the planted tree', () => {
    violations();
    const r = depcruiseIn(plantedRoot as string, 'err');
    expect(r.status).not.toBe(0);
    for (const [rule] of PLANTED) expect(r.stdout).toContain(`error ${rule}:`);
  });

  it('plants a violation for every rule in the config', () => {
    const planted = new Set(PLANTED.map(([rule]) => rule));
    expect(config.forbidden.map((r) => r.name).filter((n) => !planted.has(n))).toEqual([]);
  });

  it('runs on the repository in npm run lint', () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.lint).toContain('depcruise');
    expect(pkg.scripts.lint).toContain('.dependency-cruiser.cjs');
  });
});
