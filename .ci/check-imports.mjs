#!/usr/bin/env node
// Dependency-direction check: the arrows point inward (see docs/architecture.md).
// - src/core is pure math: no Slack, queue, Redis or database code, and nothing of the outer layers.
// - src/charts may use core, but not Slack, the queue or the database.
// - commands/ never import job processors (jobs/*.ts other than jobs/contracts.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const rootFlag = process.argv.indexOf('--root');
const root =
  rootFlag > 0
    ? resolve(process.argv[rootFlag + 1])
    : resolve(dirname(new URL(import.meta.url).pathname), '..');
const IO_PACKAGES = /^(@slack\/|bullmq$|ioredis$|kysely$|kysely\/|pg$|pg\/|pino$)/;

/** @type {{ scope: string, forbid: (spec: string, target: string | null) => string | null }[]} */
const rules = [
  {
    scope: 'src/core',
    forbid: (spec, target) => {
      if (IO_PACKAGES.test(spec)) return `imports I/O package '${spec}'`;
      if (target && !target.startsWith('src/core/')) return `imports outer layer '${target}'`;
      return null;
    },
  },
  {
    scope: 'src/charts',
    forbid: (spec, target) => {
      if (IO_PACKAGES.test(spec) && spec !== 'pino') return `imports I/O package '${spec}'`;
      if (target && !(target.startsWith('src/core/') || target.startsWith('src/charts/')))
        return `imports '${target}'`;
      return null;
    },
  },
  {
    scope: 'commands',
    forbid: (_spec, target) => {
      if (target?.startsWith('jobs/') && target !== 'jobs/contracts.ts')
        return `imports job processor '${target}' (enqueue through jobs/contracts.ts instead)`;
      return null;
    },
  },
];

function walk(dir) {
  let out = [];
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(walk(p));
    else if (/\.(ts|mts|js|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

const IMPORT_RE =
  /(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const problems = [];
for (const rule of rules) {
  for (const file of walk(join(root, rule.scope))) {
    const src = readFileSync(file, 'utf8');
    const rel = relative(root, file);
    for (const m of src.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2];
      let target = null;
      if (spec.startsWith('.')) {
        target = relative(root, resolve(dirname(file), spec)).replace(/\.js$/, '.ts');
      }
      const why = rule.forbid(spec, target);
      if (why) {
        const line = src.slice(0, m.index).split('\n').length;
        problems.push(`${rel}:${line}: ${why}`);
      }
    }
  }
}
if (problems.length > 0) {
  console.error('Dependency-direction check failed:');
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log('dependency-direction check: ok');
