// Which way imports point: one rule per layer of docs/architecture.md ("Layers" and "Which
// way imports point"). `npm run lint` runs it; tests/unit/dependency-rules.test.ts plants a
// violation of every rule and shows that the rule catches it.
//
// Paths are relative to the repository root. The parser is swc: TypeScript 7 has no JS API
// for dependency-cruiser to use, and swc does not tell `import type` from `import`, so a
// type-only import counts as a dependency here. Every known exception below says so.

/** npm packages that do I/O: Slack, the queue, Redis, the database, logging, workers. */
const IO_PACKAGES =
  '^node_modules/(@slack/[^/]+|bullmq|ioredis|kysely|pg|pg-[^/]+|pino|piscina|prom-client)/';

/** Composition roots and the processes' entry points: nothing inside the house imports them. */
const ROOTS = '^(src/(bot|worker|cli)\\.ts$|src/cli/|src/demo/|src/sopbot\\.mjs$)';

/**
 * One rule: no import from `from` to `to`; every rule is an error.
 * @returns {import('dependency-cruiser').IForbiddenRuleType}
 */
const forbid = (name, comment, from, to) => ({ name, comment, severity: 'error', from, to });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // src/core: the planning math, plain data in and out.
    forbid(
      'core-inward',
      'src/core imports nothing of the project outside src/core.',
      { path: '^src/core/' },
      { dependencyTypes: ['local'], pathNot: '^src/core/' },
    ),
    forbid(
      'core-no-builtins',
      'src/core does no I/O: no node built-in (fs, net, child_process, module...).',
      { path: '^src/core/' },
      { dependencyTypes: ['core'] },
    ),
    forbid(
      'core-packages',
      'src/core uses zod, and luxon for time zones in calendar.ts; no other package.',
      { path: '^src/core/' },
      { path: '^node_modules/', pathNot: '^node_modules/(zod|luxon)/' },
    ),
    forbid(
      'core-luxon-in-calendar',
      "Time zones are calendar.ts's business: the rest of core gets plain dates.",
      { path: '^src/core/', pathNot: '^src/core/calendar\\.ts$' },
      { path: '^node_modules/luxon/' },
    ),

    // src/charts: spec builders and the renderer.
    forbid(
      'charts-inward',
      'src/charts imports only src/core and src/charts.',
      { path: '^src/charts/' },
      { dependencyTypes: ['local'], pathNot: '^src/(core|charts)/' },
    ),
    forbid(
      'charts-packages',
      'src/charts draws with vega-lite, vega and resvg; no Slack, queue or database.',
      { path: '^src/charts/' },
      {
        path: '^node_modules/',
        pathNot: '^node_modules/(vega|vega-lite|@resvg/resvg-js)/',
      },
    ),
    forbid(
      'charts-builtins',
      'src/charts reads its bundled font files (fs, path) and nothing else of the machine: no network, no processes.',
      { path: '^src/charts/' },
      { dependencyTypes: ['core'], pathNot: '^(node:)?(fs|path)$' },
    ),

    // src/solver: the HiGHS adapter behind core's LpSolver.
    forbid(
      'solver-inward',
      "src/solver adapts HiGHS to core's LpSolver: it imports src/core, src/solver and highs only.",
      { path: '^src/solver/' },
      { pathNot: '^(src/(core|solver)/|node_modules/highs/)' },
    ),

    // db/: table types, the connection, migrations, queries.
    forbid(
      'db-inward',
      'db/ imports db/ and core types, nothing of the layers that use it.',
      { path: '^db/' },
      { dependencyTypes: ['local'], pathNot: '^(db|src/core)/' },
    ),
    forbid(
      'migrations-frozen',
      'A migration is frozen once it lands: it is written against Kysely<any> and imports only kysely and other migrations, never the schema or code that will change.',
      { path: '^db/migrations/' },
      { pathNot: '^(db/migrations/|node_modules/kysely/)' },
    ),
    forbid(
      'queries-only-db',
      'db/queries: query functions taking `db | trx` first. Of the project only db/queries, the table types, the `Db` type (db/connect.ts) and core types; of packages only kysely.',
      { path: '^db/queries/' },
      {
        pathNot: '^(db/queries/|db/(schema|connect)\\.ts$|src/core/|node_modules/kysely/)',
      },
    ),

    // src/services: the use cases.
    forbid(
      'services-not-commands',
      'Services do not import commands/: a command calls a service, never the other way.',
      { path: '^src/services/' },
      { path: '^commands/' },
    ),
    forbid(
      'services-enqueue-through-contract',
      'Of jobs/, services import only jobs/contracts.ts (to enqueue), never a processor.',
      { path: '^src/services/' },
      { path: '^jobs/', pathNot: '^jobs/contracts\\.ts$' },
    ),
    forbid(
      'services-not-bolt-wiring',
      'Of src/slack/, services import only presenters (pure Block Kit) and the post ledger (the one way to post); never the Bolt app or its handlers.',
      { path: '^src/services/' },
      { path: '^src/slack/', pathNot: '^src/slack/(presenters/|post-ledger\\.ts$)' },
    ),

    // src/slack/presenters: pure functions from data to Block Kit.
    forbid(
      'presenters-do-not-query',
      'Presenters do not query or send: no connection, no SQL, no queue, no Web API client, no post ledger. Known exception: the row types SubmissionRow, FamilyActivity, ResourceActivity and PollOptionRow are imported (type-only) from their query modules until the queries move (issue #12, item 1).',
      { path: '^src/slack/presenters/' },
      {
        path: [
          '^db/(connect|migrate)\\.ts$',
          '^db/migrations/',
          '^db/queries/',
          '^src/slack/(post-ledger|app|handlers)\\.ts$',
          '^node_modules/(kysely|pg|bullmq|ioredis|@slack/web-api|pino)/',
        ],
        pathNot: '^db/queries/(adjustments|capacity|polls)\\.ts$',
      },
    ),
    forbid(
      'presenters-pure',
      'Presenters import no command and no job.',
      { path: '^src/slack/presenters/' },
      { path: ['^commands/', '^jobs/'] },
    ),

    // commands/: ack, parse, call a service, answer.
    forbid(
      'commands-no-job-processor',
      'Commands enqueue through jobs/contracts.ts (deps.queue.enqueue); they never import a processor, the queues or the runtime.',
      { path: '^commands/' },
      { path: '^jobs/', pathNot: '^jobs/contracts\\.ts$' },
    ),
    forbid(
      'commands-no-sql',
      'Commands hold no SQL and no I/O client of their own: no kysely, pg, Redis or queue.',
      { path: '^commands/' },
      { path: ['^db/(connect|migrate)\\.ts$', '^node_modules/(kysely|pg|bullmq|ioredis)/'] },
    ),
    forbid(
      'commands-through-services',
      'Commands call services, not query modules.',
      { path: '^commands/' },
      { path: '^db/queries/' },
    ),

    // jobs/: the contract, the queues, the runtime, one processor per job.
    forbid(
      'jobs-not-commands',
      'A job never runs Slack command code: jobs/ imports no commands/.',
      { path: '^jobs/' },
      { path: '^commands/' },
    ),
    forbid(
      'contract-is-pure',
      'jobs/contracts.ts is imported by every producer: it holds names, zod schemas and job ids, and imports only zod, core and node:crypto (SHA-256 ids) (no BullMQ, no Redis).',
      { path: '^jobs/contracts\\.ts$' },
      { pathNot: '^(src/core/|node_modules/zod/|crypto$)' },
    ),

    // src/slack/: Bolt wiring, the post ledger, presenters.
    forbid(
      'slack-commands-through-registry',
      'Of commands/, src/slack/ knows only the registry in handlers.ts.',
      { path: '^src/slack/', pathNot: '^src/slack/handlers\\.ts$' },
      { path: '^commands/' },
    ),
    forbid(
      'slack-no-job-processor',
      'src/slack/ enqueues through jobs/contracts.ts and never imports a processor.',
      { path: '^src/slack/' },
      { path: '^jobs/', pathNot: '^jobs/contracts\\.ts$' },
    ),

    // src/slack-standin/: a local Slack, independent of the bot it stands in for.
    forbid(
      'standin-independent',
      "The stand-in speaks Slack's wire protocol with node built-ins only; of the project it uses src/cli/args.ts.",
      { path: '^src/slack-standin/' },
      {
        dependencyTypesNot: ['core'],
        pathNot: '^(src/slack-standin/|src/cli/args\\.ts$)',
      },
    ),

    // The whole house.
    forbid(
      'roots-are-roots',
      'The composition roots (src/bot.ts, src/worker.ts, src/cli*, src/demo/) build the house; nothing in it imports them (src/cli/args.ts is a plain helper).',
      { path: '^(src|commands|jobs|db)/', pathNot: ROOTS },
      { path: ROOTS, pathNot: '^src/cli/args\\.ts$' },
    ),
    forbid(
      'production-not-tests',
      'Production code imports nothing from tests/ or bench/.',
      { path: '^(src|commands|jobs|db)/' },
      { path: '^(tests|bench)/' },
    ),
    forbid(
      'io-stays-out-of-the-math',
      'Pure layers (src/core, src/charts, src/solver, jobs/contracts.ts) take no I/O package even through a dynamic import or require.',
      { path: ['^src/(core|charts|solver)/', '^jobs/contracts\\.ts$'] },
      { path: IO_PACKAGES },
    ),
    forbid('no-circular', 'No import cycles.', {}, { circular: true }),
    forbid(
      'declared-packages',
      'Every package imported is a dependency in package.json (not one that comes along with another).',
      {},
      { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    ),
    forbid(
      'no-dev-deps-in-production',
      'Production code imports no devDependency: `npm ci --omit=dev` must run it.',
      { path: '^(src|commands|jobs|db)/' },
      { dependencyTypes: ['npm-dev'] },
    ),
    forbid(
      'resolvable',
      'Every import resolves to a file or a package.',
      {},
      { couldNotResolve: true },
    ),
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    moduleSystems: ['es6', 'cjs'],
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
