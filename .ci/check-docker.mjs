#!/usr/bin/env node
/**
 * Static checks of the Docker files, since CI has no Docker engine to run them:
 *  - every compose file validates against the Compose Specification's JSON Schema
 *    (vendored in .ci/compose-spec/ with its source and licence), after YAML anchors and
 *    merge keys are resolved as Compose resolves them;
 *  - the compose files hold together: depends_on names services, the database ports are not
 *    published by the base file, every ${VAR} it needs is documented in .env.example, the
 *    sopbot services use the image, and the worker has a health check;
 *  - the Dockerfile: multi-stage, runs as a non-root USER, has a HEALTHCHECK, installs
 *    fonts-dejavu-core, and every COPY source exists and is not excluded by .dockerignore;
 *  - the files agree with the code: each `dist/….js` the image or a health check runs is
 *    compiled from a source tsconfig.build.json includes, each command a sopbot service (or
 *    the image's CMD) runs is a subcommand of src/cli.ts, and each variable the image or a
 *    sopbot service sets is one src/config.ts reads (a misspelt one would be ignored).
 * Usage: node .ci/check-docker.mjs [--root DIR]  (exit 1 with the problems listed).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { parse } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const rootArg = process.argv.indexOf('--root');
const root = resolve(rootArg > 0 ? process.argv[rootArg + 1] : join(here, '..'));
const schema = JSON.parse(readFileSync(join(here, 'compose-spec', 'compose-spec.json'), 'utf8'));
const problems = [];

// --- compose -----------------------------------------------------------------------------
const ajv = new Ajv({ allErrors: true, strict: false });
// The schema names its draft by an https URL ajv does not map; it is draft-07, ajv's default.
const { $schema: _draft, ...schemaBody } = schema;
const validate = ajv.compile(schemaBody);

function loadCompose(file) {
  const text = readFileSync(join(root, file), 'utf8');
  try {
    return { text, doc: parse(text, { merge: true, maxAliasCount: 1000 }) };
  } catch (err) {
    problems.push(`${file}: not valid YAML: ${err.message}`);
    return { text, doc: null };
  }
}

const composeFiles = ['docker-compose.yml', 'docker-compose.dev.yml'].filter((f) =>
  existsSync(join(root, f)),
);
if (!composeFiles.includes('docker-compose.yml')) problems.push('docker-compose.yml is missing');
const docs = {};
for (const file of composeFiles) {
  const { text, doc } = loadCompose(file);
  if (!doc) continue;
  docs[file] = { text, doc };
  if (!validate(doc)) {
    for (const e of validate.errors ?? [])
      problems.push(
        `${file}: ${e.instancePath || '(top)'} ${e.message}${e.params?.additionalProperty ? ` '${e.params.additionalProperty}'` : ''}`,
      );
  }
}

const base = docs['docker-compose.yml']?.doc;
if (base?.services) {
  const names = new Set(Object.keys(base.services));
  for (const [name, svc] of Object.entries(base.services)) {
    const deps = Array.isArray(svc.depends_on) ? svc.depends_on : Object.keys(svc.depends_on ?? {});
    for (const d of deps)
      if (!names.has(d))
        problems.push(`docker-compose.yml: ${name} depends on unknown service '${d}'`);
    const image = String(svc.image ?? '');
    if ((name === 'postgres' || name === 'redis') && svc.ports?.length)
      problems.push(
        `docker-compose.yml: ${name} publishes ports; publish database ports only in docker-compose.dev.yml`,
      );
    if (['migrate', 'bot', 'worker'].includes(name) && (!svc.build || !image.startsWith('sopbot')))
      problems.push(
        `docker-compose.yml: ${name} must use the sopbot image built from the Dockerfile`,
      );
    if (svc.volumes?.some((v) => String(typeof v === 'string' ? v : v.source).startsWith('.')))
      problems.push(`docker-compose.yml: ${name} bind-mounts the source; use the image`);
  }
  for (const required of ['migrate', 'bot', 'worker'])
    if (!names.has(required)) problems.push(`docker-compose.yml: no '${required}' service`);
  const worker = base.services.worker;
  if (worker && (!worker.healthcheck || worker.healthcheck.disable))
    problems.push('docker-compose.yml: the worker has no health check');
  if (worker && (worker.deploy?.replicas ?? 1) < 2)
    problems.push('docker-compose.yml: run at least two workers (deploy.replicas)');
  // Variables interpolated from .env must be documented in .env.example.
  const example = existsSync(join(root, '.env.example'))
    ? readFileSync(join(root, '.env.example'), 'utf8')
    : '';
  const documented = new Set([...example.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]));
  const used = new Set(
    [...docs['docker-compose.yml'].text.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]),
  );
  for (const v of used)
    if (!documented.has(v))
      problems.push(`docker-compose.yml: \${${v}} is not documented in .env.example`);
}

// --- Dockerfile --------------------------------------------------------------------------
const dockerfilePath = join(root, 'Dockerfile');
if (!existsSync(dockerfilePath)) {
  problems.push('Dockerfile is missing');
} else {
  // Join continuation lines, drop comments.
  const lines = readFileSync(dockerfilePath, 'utf8')
    .replace(/\\\r?\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const instr = lines.map((l) => {
    const [op, ...rest] = l.split(/\s+/);
    return { op: op.toUpperCase(), args: rest.join(' ') };
  });
  const stages = instr.filter((i) => i.op === 'FROM');
  if (stages.length < 2) problems.push('Dockerfile: not multi-stage (build and runtime stages)');
  const lastFrom = instr.map((i) => i.op).lastIndexOf('FROM');
  const final = instr.slice(lastFrom);
  const user = final.filter((i) => i.op === 'USER').at(-1);
  if (!user || /^(root|0)(:|$)/.test(user.args))
    problems.push('Dockerfile: the final stage must switch to a non-root USER');
  if (!final.some((i) => i.op === 'HEALTHCHECK' && !/^NONE/i.test(i.args)))
    problems.push('Dockerfile: the final stage has no HEALTHCHECK');
  if (!final.some((i) => i.op === 'RUN' && i.args.includes('fonts-dejavu-core')))
    problems.push('Dockerfile: the final stage must install fonts-dejavu-core (chart fonts)');
  if (!final.some((i) => i.op === 'ENTRYPOINT' || i.op === 'CMD'))
    problems.push('Dockerfile: the final stage has no ENTRYPOINT or CMD');
  const ignore = existsSync(join(root, '.dockerignore'))
    ? readFileSync(join(root, '.dockerignore'), 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'))
    : [];
  if (!ignore.length) problems.push('.dockerignore is missing or empty');
  for (const must of ['.env', 'node_modules', '.git'])
    if (!ignore.includes(must)) problems.push(`.dockerignore: '${must}' must be excluded`);
  for (const c of instr.filter((i) => i.op === 'COPY' && !/--from=/.test(i.args))) {
    const parts = c.args.split(/\s+/).filter((p) => !p.startsWith('--'));
    for (const src of parts.slice(0, -1)) {
      if (!existsSync(join(root, src))) problems.push(`Dockerfile: COPY ${src}: no such file`);
      const top = src.replace(/^\.\//, '').split('/')[0];
      if (ignore.includes(top))
        problems.push(`Dockerfile: COPY ${src} is excluded by .dockerignore`);
    }
  }
}

// --- the files against the code ------------------------------------------------------------
/** The source text of `file` under the root, or '' when it is not there (said once). */
function source(file) {
  if (existsSync(join(root, file))) return readFileSync(join(root, file), 'utf8');
  problems.push(`${file} is missing: the Docker files cannot be checked against it`);
  return '';
}
const cliSource = source('src/cli.ts');
const subcommandBlock = /const SUBCOMMANDS[\s\S]*?\n\};/.exec(cliSource)?.[0] ?? '';
const subcommands = new Set(
  [...subcommandBlock.matchAll(/^ {2}([a-z][a-z-]*): \{/gm)].map((m) => m[1]),
);
const configSource = source('src/config.ts');
const variables = new Set([...configSource.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]));
variables.add('NODE_ENV'); // Node's and the packages', not sopbot's
const buildIncludes = existsSync(join(root, 'tsconfig.build.json'))
  ? (JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')).include ?? [])
  : [];

/** Each `dist/x.js` in `args` is compiled from an `x.ts` that tsconfig.build.json includes. */
function checkBuilt(where, args) {
  for (const a of args) {
    const m = /^dist\/(.+)\.js$/.exec(String(a));
    if (!m) continue;
    const src = `${m[1]}.ts`;
    if (!existsSync(join(root, src)))
      problems.push(`${where}: runs ${a}, but there is no ${src} to compile it from`);
    else if (!buildIncludes.some((inc) => src === inc || src.startsWith(`${inc}/`)))
      problems.push(`${where}: runs ${a}, but tsconfig.build.json does not compile ${src}`);
  }
}
const words = (v) =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(/\s+/).filter(Boolean) : [];

if (existsSync(dockerfilePath)) {
  const text = readFileSync(dockerfilePath, 'utf8').replace(/\\\r?\n/g, ' ');
  const lastStage = text.slice(text.lastIndexOf('\nFROM '));
  const json = (op) => {
    const line = [...lastStage.matchAll(new RegExp(`^${op}\\s+(\\[.*\\])\\s*$`, 'gm'))].at(-1);
    try {
      return line ? JSON.parse(line[1]) : [];
    } catch {
      problems.push(`Dockerfile: ${op} is not a JSON array`);
      return [];
    }
  };
  checkBuilt('Dockerfile ENTRYPOINT', json('ENTRYPOINT'));
  const cmd = json('CMD')[0];
  if (cmd !== undefined && subcommands.size && !subcommands.has(cmd))
    problems.push(`Dockerfile: CMD runs 'sopbot ${cmd}', which is not a command of src/cli.ts`);
  for (const m of lastStage.matchAll(/^ENV\s+(.+)$/gm))
    for (const v of m[1].matchAll(/([A-Za-z_][A-Za-z0-9_]*)=/g))
      if (!variables.has(v[1]))
        problems.push(`Dockerfile: ENV ${v[1]} is not a variable src/config.ts reads`);
}
for (const [file, { doc }] of Object.entries(docs)) {
  for (const [name, svc] of Object.entries(doc.services ?? {})) {
    if (!String(svc.image ?? '').startsWith('sopbot')) continue;
    const command = words(svc.command);
    if (command[0] !== undefined && subcommands.size && !subcommands.has(command[0]))
      problems.push(
        `${file}: ${name} runs 'sopbot ${command[0]}', which is not a command of src/cli.ts`,
      );
    const test = words(svc.healthcheck?.test);
    checkBuilt(`${file}: ${name}'s health check`, test);
    const env = Array.isArray(svc.environment)
      ? svc.environment.map((e) => String(e).split('=')[0])
      : Object.keys(svc.environment ?? {});
    for (const v of env)
      if (!variables.has(v))
        problems.push(`${file}: ${name} sets ${v}, which is not a variable src/config.ts reads`);
  }
}

if (problems.length) {
  console.error('Docker files check failed:');
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(
  `docker files check: ok (${composeFiles.join(', ')} valid against the Compose Specification schema; Dockerfile)`,
);
