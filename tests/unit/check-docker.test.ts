/**
 * The static Docker checks CI runs instead of a Docker engine: the real files pass; each
 * kind of mistake is caught with a message naming it.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCiScript } from '../helpers/ci-script.js';

const repo = join(import.meta.dirname, '../..');
const roots: string[] = [];

/** A copy of the repository's Docker files, with `edit` applied to them. */
function tree(edit: (files: Record<string, string>) => void = () => {}): string {
  const root = mkdtempSync(join(tmpdir(), 'sopbot-docker-'));
  roots.push(root);
  const names = [
    'Dockerfile',
    '.dockerignore',
    'docker-compose.yml',
    'docker-compose.dev.yml',
    '.env.example',
  ];
  const files = Object.fromEntries(names.map((n) => [n, readFileSync(join(repo, n), 'utf8')]));
  edit(files);
  for (const [n, text] of Object.entries(files)) writeFileSync(join(root, n), text);
  for (const f of [
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    'tsconfig.build.json',
    'manifest.json',
  ])
    cpSync(join(repo, f), join(root, f));
  for (const d of ['src', 'commands', 'jobs', 'db']) mkdirSync(join(root, d));
  // What the files are checked against: the CLI's commands and the variables config reads.
  for (const f of ['src/cli.ts', 'src/config.ts']) cpSync(join(repo, f), join(root, f));
  return root;
}

const check = (root: string) => runCiScript('check-docker.mjs', root);

describe('Docker files check', () => {
  afterAll(() => {
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  });

  it("passes the repository's files", () => {
    const r = check(tree());
    expect(r.out).toContain('valid against the Compose Specification schema');
    expect(r.code).toBe(0);
  });

  it('catches what the schema and the rules forbid', () => {
    const r = check(
      tree((f) => {
        f['docker-compose.yml'] = f['docker-compose.yml']!.replace(
          '    restart: "no"\n',
          '    restart: "no"\n    helthcheck: {}\n',
        )
          .replace('    image: redis:7\n', '    image: redis:7\n    ports:\n      - "6379:6379"\n')
          .replace('      replicas: 2', '      replicas: 1')
          .replace('{POSTGRES_PASSWORD:?', '{PG_SECRET:?');
        f.Dockerfile = f
          .Dockerfile!.replace(/^USER node$/m, 'USER root')
          .replace(/^HEALTHCHECK[^\n]*\n[^\n]*\n/m, '')
          .replace('COPY db ./db', 'COPY tests ./tests');
      }),
    );
    expect(r.code).toBe(1);
    expect(r.out).toContain("/services/migrate must NOT have additional properties 'helthcheck'");
    expect(r.out).toContain('redis publishes ports');
    expect(r.out).toContain('run at least two workers');
    expect(r.out).toContain('PG_SECRET} is not documented in .env.example');
    expect(r.out).toContain('must switch to a non-root USER');
    expect(r.out).toContain('has no HEALTHCHECK');
    expect(r.out).toContain('COPY tests: no such file');
    expect(r.out).toContain('COPY tests is excluded by .dockerignore');
  });

  it('catches files that disagree with the code: the entry, a command, a variable', () => {
    // Before: each of these passed the check, and the image or a service would fail (or a
    // setting would be ignored) only once Docker ran it.
    const r = check(
      tree((f) => {
        f['docker-compose.yml'] = f['docker-compose.yml']!.replace(
          'BOT_METRICS_PORT: "9465"',
          'BOT_METRIC_PORT: "9465"',
        )
          .replace('command: ["worker"]', 'command: ["workers"]')
          .replace('"dist/src/cli.js", "worker", "--check"', '"dist/cli.js", "worker", "--check"');
        f.Dockerfile = f
          .Dockerfile!.replace(
            'ENTRYPOINT ["node", "dist/src/cli.js"]',
            'ENTRYPOINT ["node", "dist/src/main.js"]',
          )
          .replace('CMD ["bot"]', 'CMD ["serve"]')
          .replace('METRICS_PORT=9464', 'METRICS_PORT=9464 \\\n    SOPBOT_FONTS=/fonts');
      }),
    );
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      'Dockerfile ENTRYPOINT: runs dist/src/main.js, but there is no src/main.ts to compile it from',
    );
    expect(r.out).toContain(
      "Dockerfile: CMD runs 'sopbot serve', which is not a command of src/cli.ts",
    );
    expect(r.out).toContain('Dockerfile: ENV SOPBOT_FONTS is not a variable src/config.ts reads');
    expect(r.out).toContain(
      "docker-compose.yml: worker runs 'sopbot workers', which is not a command of src/cli.ts",
    );
    // dist/cli.js would be compiled from a cli.ts at the root: there is none.
    expect(r.out).toContain(
      "docker-compose.yml: worker's health check: runs dist/cli.js, but there is no cli.ts to compile it from",
    );
    expect(r.out).toContain(
      'docker-compose.yml: bot sets BOT_METRIC_PORT, which is not a variable src/config.ts reads',
    );
  });
});
