/**
 * SQL lives in db/queries (docs/architecture.md, "Layers"): the query functions take `db` or
 * `trx` first and the services, commands and jobs call them. No file outside db/ builds a
 * query of its own (Kysely's selectFrom, insertInto, updateTable, deleteFrom, or a raw sql``).
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, sources } from '../helpers/sources.js';

const QUERY = /\.(selectFrom|insertInto|updateTable|deleteFrom|selectNoFrom)\(|\bsql`/;

describe('SQL lives in db/queries', () => {
  it('no service, command, job or other module outside db/ builds a query', () => {
    const builders = ['src', 'commands', 'jobs']
      .flatMap((d) => sources(d))
      .filter((f) => QUERY.test(readFileSync(join(ROOT, f), 'utf8')))
      .map((f) => relative('.', f).split('\\').join('/'));
    expect(builders).toEqual([]);
  });
});
