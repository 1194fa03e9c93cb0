import { type MigrationResultSet, Migrator, NO_MIGRATIONS } from 'kysely';
import type { Db } from './connect.js';
import { migrations } from './migrations/index.js';

function migrator(db: Db): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

export interface MigrationReport {
  readonly applied: readonly { name: string; direction: 'Up' | 'Down'; status: string }[];
  readonly error: unknown;
}

function report(set: MigrationResultSet): MigrationReport {
  return {
    applied: (set.results ?? []).map((r) => ({
      name: r.migrationName,
      direction: r.direction,
      status: r.status,
    })),
    error: set.error,
  };
}

export async function migrateToLatest(db: Db): Promise<MigrationReport> {
  return report(await migrator(db).migrateToLatest());
}

export async function migrateDownAll(db: Db): Promise<MigrationReport> {
  return report(await migrator(db).migrateTo(NO_MIGRATIONS));
}

export async function migrateDownOne(db: Db): Promise<MigrationReport> {
  return report(await migrator(db).migrateDown());
}

export async function migrationStatus(db: Db) {
  return (await migrator(db).getMigrations()).map((m) => ({
    name: m.name,
    executedAt: m.executedAt ?? null,
  }));
}
