import { createDb } from '../../db/connect.js';
import type { MigrationReport } from '../../db/migrate.js';
import {
  migrateDownAll,
  migrateDownOne,
  migrateToLatest,
  migrationStatus,
} from '../../db/migrate.js';
import { loadConfig } from '../config.js';
import { parseCommand } from './command.js';
import { ensureDatabase } from './db.js';
import type { CliIo } from './types.js';

const USAGE = `Usage: sopbot migrate [up|down|down-all|redo|reset|status]
  up        apply every pending migration (default); creates the database if it does not exist
  down      undo the last migration
  down-all  undo every migration
  redo      undo the last migration, then apply it again
  reset     undo every migration, then apply them all again (erases all data)
  status    list migrations and when they ran`;

const ACTIONS = {
  up: [migrateToLatest],
  down: [migrateDownOne],
  'down-all': [migrateDownAll],
  redo: [migrateDownOne, migrateToLatest],
  reset: [migrateDownAll, migrateToLatest],
} as const;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommand(argv, {}, USAGE, io);
  if (!args) return 0;
  const action = args.positionals[0] ?? 'up';
  if (action !== 'status' && !Object.hasOwn(ACTIONS, action)) {
    io.stderr(`sopbot migrate: unknown action '${action}'.\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig(io.env);
  if (action === 'up' && (await ensureDatabase(config.DATABASE_URL)))
    io.stdout('created the database\n');
  const db = createDb(config.DATABASE_URL, { max: 1, applicationName: 'sopbot-migrate' });
  try {
    if (action === 'status') {
      for (const m of await migrationStatus(db)) {
        io.stdout(
          `${m.executedAt ? m.executedAt.toISOString() : 'pending'.padEnd(24)}  ${m.name}\n`,
        );
      }
      return 0;
    }
    const steps = ACTIONS[action as keyof typeof ACTIONS];
    for (const step of steps) {
      const res = await step(db);
      if (res.error) throw stepFailed(res);
      for (const r of res.applied)
        io.stdout(`${r.direction === 'Up' ? 'applied' : 'undone '} ${r.name}: ${r.status}\n`);
    }
    io.stdout('migrations: up to date\n');
    return 0;
  } finally {
    await db.destroy();
  }
}

/**
 * The error of a step that failed, for the CLI to log once with its stack (the migration's
 * error as its cause): the migration that failed, and the ones of the step before it, which
 * ran in the same transaction and were rolled back with it (so none is reported as applied).
 */
function stepFailed(res: MigrationReport): Error {
  const failed = res.applied.find((r) => r.status === 'Error');
  const before = res.applied.filter((r) => r.status === 'Success').length;
  const verb = failed?.direction === 'Down' ? 'undone' : 'applied';
  const message = res.error instanceof Error ? res.error.message : String(res.error);
  const rolledBack =
    before > 0
      ? `; the ${before} migration${before === 1 ? '' : 's'} ${verb} before it in this step ${before === 1 ? 'was' : 'were'} rolled back with it`
      : '';
  return new Error(`${failed ? `${failed.name}: ` : ''}${message}${rolledBack}`, {
    cause: res.error,
  });
}
