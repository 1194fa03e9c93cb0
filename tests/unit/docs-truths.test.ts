/**
 * What the pages people read say the code has, checked against the code: README's
 * Configuration table and .env.example against src/config.ts, every other variable and
 * constant the docs name, the repository paths they name, docs/data-format.md's sections
 * against the import kinds (columns, keys, aliases), and docs/architecture.md's lists of the
 * services that post to Slack and its table of import rules. A doc that drifts from the code
 * fails here, naming what to mend.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOB_QUEUE } from '../../jobs/contracts.js';
import { DEFAULT_FONT_DIR } from '../../src/charts/render.js';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config.js';
import { IMPORT_KINDS, KIND_ALIASES, KIND_SPECS } from '../../src/import/kinds.js';
import { ROOT, sources } from '../helpers/sources.js';

const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');
const DOCS = [
  'README.md',
  'bench/README.md',
  ...[
    'architecture',
    'data-format',
    'explain',
    'jobs',
    'meeting',
    'plan-format',
    'reliability',
    'slack-standin',
  ].map((d) => `docs/${d}.md`),
];
const between = (text: string, from: string, to: string) => {
  const start = text.indexOf(from);
  expect(start, `'${from}' not found`).toBeGreaterThanOrEqual(0);
  const end = text.indexOf(to, start + from.length);
  return text.slice(start, end < 0 ? undefined : end);
};
const CODE_DIRS = ['src', 'commands', 'jobs', 'db', 'bench', 'tests'];
const code = CODE_DIRS.flatMap((d) => sources(d))
  .map((f) => read(f))
  .join('\n');
const others = ['.ci/check-docker.mjs', 'src/sopbot.mjs', 'docker-compose.yml', 'Dockerfile']
  .map(read)
  .join('\n');
const WORDS =
  'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen'.split(
    ' ',
  );

describe("README's Configuration table", () => {
  const section = between(read('README.md'), '## Configuration', '\n## ');
  const rows = section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => {
      const cells = l.split('|').map((c) => c.trim());
      return { name: (cells[1] ?? '').replace(/`/g, ''), dflt: cells[2] ?? '' };
    });

  it('has a row for exactly the variables src/config.ts reads, and .env.example one line each', () => {
    expect(rows.map((r) => r.name).sort()).toEqual([...CONFIG_VARIABLES].sort());
    const example = read('.env.example');
    for (const v of CONFIG_VARIABLES) expect(example, v).toMatch(new RegExp(`^${v}=`, 'm'));
  });

  it('gives each default as the code takes it', () => {
    const config: Record<string, unknown> = loadConfig({});
    for (const { name, dflt } of rows) {
      const literal = /^`([^`]*)`/.exec(dflt)?.[1];
      const value = config[name];
      if (name === 'SOPBOT_FONT_DIR') {
        // Unset in the config: the renderer's own default applies.
        expect(value).toBeUndefined();
        expect(literal).toBe(DEFAULT_FONT_DIR);
      } else if (literal !== undefined) expect(String(value), name).toBe(literal);
      else if (dflt === 'empty') expect(value, name).toEqual([]);
      else
        expect(value, `${name}: '${dflt}' names no value, so the code must have none`).toBe(
          undefined,
        );
    }
  });
});

describe('names the docs give', () => {
  const envRead = new Set(
    [...code.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1] ?? ''),
  );

  it('every SOPBOT_, SLACK_ or _URL variable named is one src/config.ts or the code reads', () => {
    for (const doc of DOCS) {
      const named = read(doc).match(/\b(?:SOPBOT_|SLACK_)[A-Z0-9_]*[A-Z0-9]\b|\b[A-Z_]+_URL\b/g);
      for (const v of new Set(named)) {
        const known = (CONFIG_VARIABLES as readonly string[]).includes(v) || envRead.has(v);
        expect(known, `${doc} names ${v}, which nothing reads`).toBe(true);
      }
    }
  });

  it('every constant named in a code span is in the code', () => {
    const everything = `${code}\n${others}`;
    for (const doc of DOCS) {
      for (const [, name] of read(doc).matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`/g)) {
        expect(new RegExp(`\\b${name}\\b`).test(everything), `${doc}: ${name}`).toBe(true);
      }
    }
  });

  it('every repository path named (in a code span or a link) exists', () => {
    // Placeholders for a new thing, and what a run writes rather than what is committed.
    const placeholder = /foo|<|\*|…|^(dist|demo-output|img)\//;
    const files = [...CODE_DIRS, 'docs', 'examples', '.ci'].flatMap((d) =>
      readdirSync(join(ROOT, d), { recursive: true, encoding: 'utf8' }).map(
        (f) => `${d}/${f.split('\\').join('/')}`,
      ),
    );
    for (const doc of DOCS) {
      const text = read(doc);
      const named = [
        ...[...text.matchAll(/`([^`\s]+)`/g)].map((m) => m[1] ?? ''),
        ...[...text.matchAll(/\]\(([^)#\s]+)/g)].map((m) => m[1] ?? ''),
      ].filter(
        (p) =>
          p.includes('/') &&
          !/^(https?:|\/|[a-z]+:\/\/|\$)/.test(p) &&
          /\.(ts|mjs|cjs|md|json|csv|yml|png|js)$|\/$/.test(p) &&
          !placeholder.test(p),
      );
      for (const p of new Set(named)) {
        const exact = [normalize(join(dirname(doc), p)), normalize(p)].some((c) =>
          existsSync(join(ROOT, c)),
        );
        // A path within its layer's folder (`supply/duals.ts` in src/core's row).
        const within = files.some((f) => f.endsWith(`/${p}`) || f.includes(`/${p}`));
        expect(exact || within, `${doc} names ${p}, which does not exist`).toBe(true);
      }
      // Bare file names (`scenario-carry.ts`) name a source somewhere.
      for (const [, name] of text.matchAll(/`([\w.-]+\.(?:ts|mjs))`/g)) {
        const found = files.some((f) => basename(f) === name) || existsSync(join(ROOT, name!));
        expect(found, `${doc} names ${name}, which does not exist`).toBe(true);
      }
    }
  });
});

describe('docs/data-format.md', () => {
  const sections = read('docs/data-format.md').split(/^## /m).slice(1);

  it('has, for each import kind, its file, its key and exactly its columns, required ones marked', () => {
    expect(IMPORT_KINDS).toHaveLength(15);
    for (const kind of IMPORT_KINDS) {
      const spec = KIND_SPECS[kind];
      const section = sections.find((s) => (s.split('\n')[0] ?? '').includes(`\`${spec.file}\``));
      expect(section, `no section names ${spec.file}`).toBeDefined();
      const head = section?.split('\n')[0] ?? '';
      const key = [...(/key: (.*)$/.exec(head)?.[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]);
      expect(key, `${spec.file}'s key`).toEqual(spec.key);
      const documented = new Map<string, string>();
      for (const row of (section ?? '').split('\n').filter((l) => /^\| [a-z]/.test(l))) {
        const [, columns = '', required = ''] = row.split('|').map((c) => c.trim());
        if (columns === 'column') continue;
        for (const c of columns.split(',')) documented.set(c.trim(), required);
      }
      expect([...documented.keys()].sort(), `${spec.file}'s columns`).toEqual(
        [...spec.columns].sort(),
      );
      for (const c of spec.columns) {
        const marked = documented.get(c) === 'yes';
        expect(marked, `${spec.file}: ${c} required`).toBe(spec.required.includes(c));
      }
    }
  });

  it("names every alias `sopbot import` takes for a kind, in that kind's heading", () => {
    const documented: Record<string, string> = {};
    for (const kind of IMPORT_KINDS) {
      const head = sections.find((s) =>
        (s.split('\n')[0] ?? '').includes(`\`${KIND_SPECS[kind].file}\``),
      );
      const aliases = /; alias(?:es)? ([^)]*)\)/.exec(head?.split('\n')[0] ?? '')?.[1] ?? '';
      for (const [, alias] of aliases.matchAll(/`([^`]+)`/g)) documented[alias ?? ''] = kind;
    }
    expect(documented).toEqual(KIND_ALIASES);
  });
});

describe("docs/architecture.md's services that post", () => {
  const paragraph = between(
    read('docs/architecture.md'),
    'What no rule checks',
    '`sopbot doctor`',
  ).replace(/\s+/g, ' ');
  const servicesImporting = (re: RegExp) =>
    sources('src/services')
      .filter((f) => re.test(read(f)))
      .map((f) => basename(f))
      .sort();
  const named = (text: string) =>
    [...new Set([...text.matchAll(/`([\w-]+\.ts)`/g)].map((m) => m[1] ?? ''))].sort();

  it('names, and counts, every service that imports a presenter', () => {
    const importing = servicesImporting(/from '\.\.\/slack\/presenters\//);
    const list = between(paragraph, 'import presenters', ').');
    expect(named(list)).toEqual(importing);
    expect(paragraph).toContain(`${WORDS[importing.length]} services post to Slack themselves`);
  });

  it('names, and counts, every service that imports the post ledger', () => {
    const importing = servicesImporting(/from '\.\.\/slack\/post-ledger\.js'/);
    const list = between(paragraph, 'import `src/slack/post-ledger.ts`:', '; ');
    expect(named(list).filter((n) => n !== 'post-ledger.ts')).toEqual(importing);
    const count = WORDS[importing.length] ?? '';
    expect(paragraph).toContain(`${count.charAt(0).toUpperCase()}${count.slice(1)} import`);
  });
});

describe("docs/architecture.md's import rules", () => {
  it('names exactly the rules .dependency-cruiser.cjs has', () => {
    const config = read('.dependency-cruiser.cjs');
    const rules = [...config.matchAll(/forbid\(\s*'([a-z-]+)'/g)].map((m) => m[1]);
    expect(rules.length).toBeGreaterThan(20);
    const table = between(read('docs/architecture.md'), '| rule | what it keeps |', '\n\n');
    const named = table
      .split('\n')
      .slice(2)
      .flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([a-z-]+)`/g)].map((m) => m[1]));
    expect([...named].sort()).toEqual([...rules].sort());
  });
});

describe("docs/jobs.md's jobs of another version", () => {
  it('names every job that came after 0.1.0, whose workers fail it', () => {
    // 0.1.0's contract (jobs/contracts.ts of 2026-11-22), written out by hand.
    const in010 = ['recompute', 'baseline', 'plan', 'whatif', 'post-charts', 'poll-refresh'];
    in010.push('poll-deadline', 'phase-deadline', 'nudge', 'action-reminder', 'pack');
    const since = Object.keys(JOB_QUEUE).filter((j) => !in010.includes(j));
    const sentence = between(read('docs/jobs.md'), 'came after 0.1.0:', ')').replace(/\s+/g, ' ');
    const named = [...sentence.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]);
    expect([...named].sort()).toEqual([...since].sort());
    expect(read('docs/jobs.md').replace(/\s+/g, ' ')).toContain(
      `(${WORDS[since.length]} jobs came after 0.1.0:`,
    );
  });
});
