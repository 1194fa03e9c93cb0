/**
 * One test run = one template database, migrated from scratch. Each test file clones it
 * (CREATE DATABASE ... TEMPLATE) into a database of its own, and everything is dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { createDb } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { adminUrl, dbUrl, dropDatabasesLike, withAdmin } from './helpers/pg-admin.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dbTemplate: string;
    runId: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const template = `sopbot_tpl_${runId}`;
  await withAdmin(adminUrl(), async (c) => {
    await c.query(`create database ${template}`);
  });
  const db = createDb(dbUrl(template), { max: 1 });
  try {
    const res = await migrateToLatest(db);
    if (res.error) throw res.error;
  } finally {
    await db.destroy();
  }
  project.provide('dbTemplate', template);
  project.provide('runId', runId);
  return async () => {
    await dropDatabasesLike(`sopbot_t_${runId}_%`);
    await dropDatabasesLike(template);
  };
}
