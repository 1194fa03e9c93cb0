/**
 * `dbAnswers`, what the worker blames a failed job on: false only when the database itself
 * does not answer, not when every connection of the pool is busy.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, dbAnswers } from '../../db/connect.js';
import { useDb } from '../helpers/db.js';

const t = useDb();

/** A port that accepts connections and never says a word (a network partition). */
async function silentServer(): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port, sockets };
}

describe('dbAnswers', () => {
  const opened: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const close of opened) await close();
  });

  it('is true while every connection of the pool is held by other work', async () => {
    const busy = createDb(t.url, { max: 1 });
    opened.push(() => busy.destroy());
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let holding!: () => void;
    const inUse = new Promise<void>((r) => {
      holding = r;
    });
    const work = busy.transaction().execute(async (trx) => {
      await trx.selectFrom('cycles').select('id').execute();
      holding();
      await held;
    });
    await inUse;
    try {
      expect(await dbAnswers(busy, 2_000)).toBe(true);
    } finally {
      release();
      await work;
    }
  });

  it('is false when nothing listens where the database should be', async () => {
    const { server, port } = await silentServer();
    await new Promise<void>((r) => server.close(() => r()));
    const gone = createDb(`postgres://postgres@127.0.0.1:${port}/none`);
    opened.push(() => gone.destroy());
    expect(await dbAnswers(gone, 2_000)).toBe(false);
  });

  it('is false, within its limit, when the database accepts a connection and never answers', async () => {
    const silent = await silentServer();
    opened.push(
      () =>
        new Promise<void>((r) => {
          for (const s of silent.sockets) s.destroy();
          silent.server.close(() => r());
        }),
    );
    const hung = createDb(`postgres://postgres@127.0.0.1:${silent.port}/none`);
    opened.push(() => hung.destroy());
    const started = Date.now();
    expect(await dbAnswers(hung, 1_000)).toBe(false);
    // Its own limit, not the pool's (which has none here): it comes back.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
