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

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // src/core: the planning math, plain data in and out.
    {
      name: 'core-inward',
      comment: 'src/core imports nothing of the project outside src/core.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['local'], pathNot: '^src/core/' },
    },
    {
      name: 'core-no-builtins',
      comment: 'src/core does no I/O: no node built-in (fs, net, child_process, module...).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-packages',
      comment: 'src/core uses zod, and luxon for time zones in calendar.ts; no other package.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^node_modules/', pathNot: '^node_modules/(zod|luxon)/' },
    },
    {
      name: 'core-luxon-in-calendar',
      comment: "Time zones are calendar.ts's business: the rest of core gets plain dates.",
      severity: 'error',
      from: { path: '^src/core/', pathNot: '^src/core/calendar\\.ts$' },
      to: { path: '^node_modules/luxon/' },
    },

    // src/charts: spec builders and the renderer.
    {
      name: 'charts-inward',
      comment: 'src/charts imports only src/core and src/charts.',
      severity: 'error',
      from: { path: '^src/charts/' },
      to: { dependencyTypes: ['local'], pathNot: '^src/(core|charts)/' },
    },
    {
      name: 'charts-packages',
      comment: 'src/charts draws with vega-lite, vega and resvg; no Slack, queue or database.',
      severity: 'error',
      from: { path: '^src/charts/' },
      to: {
        path: '^node_modules/',
        pathNot: '^node_modules/(vega|vega-lite|@resvg/resvg-js)/',
      },
    },
    {
      name: 'charts-builtins',
      comment:
        'src/charts reads its bundled font files (fs, path) and nothing else of the machine: no network, no processes.',
      severity: 'error',
      from: { path: '^src/charts/' },
      to: { dependencyTypes: ['core'], pathNot: '^(node:)?(fs|path)$' },
    },

    // src/solver: the HiGHS adapter behind core's LpSolver.
    {
      name: 'solver-inward',
      comment:
        "src/solver adapts HiGHS to core's LpSolver: it imports src/core, src/solver and highs only.",
      severity: 'error',
      from: { path: '^src/solver/' },
      to: { pathNot: '^(src/(core|solver)/|node_modules/highs/)' },
    },

    // db/: table types, the connection, migrations, queries.
    {
      name: 'db-inward',
      comment: 'db/ imports db/ and core types, nothing of the layers that use it.',
      severity: 'error',
      from: { path: '^db/' },
      to: { dependencyTypes: ['local'], pathNot: '^(db|src/core)/' },
    },
    {
      name: 'migrations-frozen',
      comment:
        'A migration is frozen once it lands: it is written against Kysely<any> and imports only kysely and other migrations, never the schema or code that will change.',
      severity: 'error',
      from: { path: '^db/migrations/' },
      to: { pathNot: '^(db/migrations/|node_modules/kysely/)' },
    },
    {
      name: 'queries-only-db',
      comment:
        'db/queries: query functions taking `db | trx` first. Of the project only db/queries, the table types, the `Db` type (db/connect.ts) and core types; of packages only kysely.',
      severity: 'error',
      from: { path: '^db/queries/' },
      to: {
        pathNot: '^(db/queries/|db/(schema|connect)\\.ts$|src/core/|node_modules/kysely/)',
      },
    },

    // src/services: the use cases.
    {
      name: 'services-not-commands',
      comment: 'Services do not import commands/: a command calls a service, never the other way.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: '^commands/' },
    },
    {
      name: 'services-enqueue-through-contract',
      comment: 'Of jobs/, services import only jobs/contracts.ts (to enqueue), never a processor.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: '^jobs/', pathNot: '^jobs/contracts\\.ts$' },
    },
    {
      name: 'services-not-bolt-wiring',
      comment:
        'Of src/slack/, services import only presenters (pure Block Kit) and the post ledger (the one way to post); never the Bolt app or its handlers.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: '^src/slack/', pathNot: '^src/slack/(presenters/|post-ledger\\.ts$)' },
    },

    // src/slack/presenters: pure functions from data to Block Kit.
    {
      name: 'presenters-do-not-query',
      comment:
        'Presenters do not query or send: no connection, no SQL, no queue, no Web API client, no post ledger. Known exception: the row types SubmissionRow, FamilyActivity, ResourceActivity and PollOptionRow are imported (type-only) from their query modules until the queries move (issue #12, item 1).',
      severity: 'error',
      from: { path: '^src/slack/presenters/' },
      to: {
        path: [
          '^db/(connect|migrate)\\.ts$',
          '^db/migrations/',
          '^db/queries/',
          '^src/slack/(post-ledger|app|handlers)\\.ts$',
          '^node_modules/(kysely|pg|bullmq|ioredis|@slack/web-api|pino)/',
        ],
        pathNot: '^db/queries/(adjustments|capacity|polls)\\.ts$',
      },
    },
    {
      name: 'presenters-pure',
      comment: 'Presenters import no command and no job.',
      severity: 'error',
      from: { path: '^src/slack/presenters/' },
      to: { path: ['^commands/', '^jobs/'] },
    },

    // commands/: ack, parse, call a service, answer.
    {
      name: 'commands-no-job-processor',
      comment:
        'Commands enqueue through jobs/contracts.ts (deps.queue.enqueue); they never import a processor, the queues or the runtime.',
      severity: 'error',
      from: { path: '^commands/' },
      to: { path: '^jobs/', pathNot: '^jobs/contracts\\.ts$' },
    },
    {
      name: 'commands-no-sql',
      comment:
        'Commands hold no SQL and no I/O client of their own: no kysely, pg, Redis or queue.',
      severity: 'error',
      from: { path: '^commands/' },
      to: { path: ['^db/(connect|migrate)\\.ts$', '^node_modules/(kysely|pg|bullmq|ioredis)/'] },
    },
    {
      name: 'commands-through-services',
      comment:
        'Commands call services, not query modules. Known exceptions until issue #12 item 1 moves them: forecast.ts, sop-decide.ts and sop-whatif.ts.',
      severity: 'error',
      from: {
        path: '^commands/',
        pathNot: '^commands/(forecast|sop-decide|sop-whatif)\\.ts$',
      },
      to: { path: '^db/queries/' },
    },

    // jobs/: the contract, the queues, the runtime, one processor per job.
    {
      name: 'jobs-not-commands',
      comment: 'A job never runs Slack command code: jobs/ imports no commands/.',
      severity: 'error',
      from: { path: '^jobs/' },
      to: { path: '^commands/' },
    },
    {
      name: 'contract-is-pure',
      comment:
        'jobs/contracts.ts is imported by every producer: it holds names, zod schemas and job ids, and imports only zod and core (no BullMQ, no Redis).',
      severity: 'error',
      from: { path: '^jobs/contracts\\.ts$' },
      to: { pathNot: '^(src/core/|node_modules/zod/)' },
    },

    // src/slack/: Bolt wiring, the post ledger, presenters.
    {
      name: 'slack-commands-through-registry',
      comment: 'Of commands/, src/slack/ knows only the registry in handlers.ts.',
      severity: 'error',
      from: { path: '^src/slack/', pathNot: '^src/slack/handlers\\.ts$' },
      to: { path: '^commands/' },
    },
    {
      name: 'slack-no-job-processor',
      comment: 'src/slack/ enqueues through jobs/contracts.ts and never imports a processor.',
      severity: 'error',
      from: { path: '^src/slack/' },
      to: { path: '^jobs/', pathNot: '^jobs/contracts\\.ts$' },
    },

    // src/slack-standin/: a local Slack, independent of the bot it stands in for.
    {
      name: 'standin-independent',
      comment:
        "The stand-in speaks Slack's wire protocol with node built-ins only; of the project it uses src/cli/args.ts.",
      severity: 'error',
      from: { path: '^src/slack-standin/' },
      to: {
        dependencyTypesNot: ['core'],
        pathNot: '^(src/slack-standin/|src/cli/args\\.ts$)',
      },
    },

    // The whole house.
    {
      name: 'roots-are-roots',
      comment:
        'The composition roots (src/bot.ts, src/worker.ts, src/cli*, src/demo/) build the house; nothing in it imports them (src/cli/args.ts is a plain helper).',
      severity: 'error',
      from: { path: '^(src|commands|jobs|db)/', pathNot: ROOTS },
      to: { path: ROOTS, pathNot: '^src/cli/args\\.ts$' },
    },
    {
      name: 'production-not-tests',
      comment: 'Production code imports nothing from tests/ or bench/.',
      severity: 'error',
      from: { path: '^(src|commands|jobs|db)/' },
      to: { path: '^(tests|bench)/' },
    },
    {
      name: 'io-stays-out-of-the-math',
      comment:
        'Pure layers (src/core, src/charts, src/solver, jobs/contracts.ts) take no I/O package even through a dynamic import or require.',
      severity: 'error',
      from: { path: ['^src/(core|charts|solver)/', '^jobs/contracts\\.ts$'] },
      to: { path: IO_PACKAGES },
    },
    {
      name: 'no-circular',
      comment:
        'No import cycles. Known exception: commands/sop-help.ts and commands/sop-registry.ts (help lists the registry, the registry holds help).',
      severity: 'error',
      from: { pathNot: '^commands/sop-(help|registry)\\.ts$' },
      to: { circular: true },
    },
    {
      name: 'declared-packages',
      comment:
        'Every package imported is a dependency in package.json (not one that comes along with another).',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-dev-deps-in-production',
      comment: 'Production code imports no devDependency: `npm ci --omit=dev` must run it.',
      severity: 'error',
      from: { path: '^(src|commands|jobs|db)/' },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'resolvable',
      comment: 'Every import resolves to a file or a package.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
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
