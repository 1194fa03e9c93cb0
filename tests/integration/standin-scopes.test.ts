/**
 * The stand-in's OAuth scopes: a method called without its scope answers missing_scope, as
 * Slack does; by default the tokens hold what manifest.json asks for, so the whole suite
 * runs the product with exactly the scopes an installed app would have.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type Standin, startStandin } from '../../src/slack-standin/index.js';
import { manifestScopes } from '../../src/slack-standin/scopes.js';
import { slackFailure, standinClient } from '../helpers/slack.js';

const TOKEN = 'xoxb-standin-scopes';
let standin: Standin | undefined;

afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

async function start(scopes?: readonly string[] | null) {
  standin = await startStandin({
    postMessageRate: false,
    channels: [
      { id: 'C_PUBLIC', name: 'public' },
      { id: 'C_SECRET', name: 'secret', is_private: true },
    ],
    ...(scopes === undefined ? {} : { scopes }),
  });
  return { s: standin, client: standinClient(standin, TOKEN, { retries: 0 }) };
}

/** Slack's whole error answer (needed, provided) for a call. */
async function refusal(call: Promise<unknown>) {
  try {
    await call;
  } catch (err) {
    return (err as { data?: Record<string, unknown> }).data;
  }
  return undefined;
}

describe('stand-in scopes', () => {
  it('holds the bot scopes of manifest.json by default', async () => {
    const manifest = JSON.parse(
      readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'),
    ) as { oauth_config: { scopes: { bot: string[] } } };
    expect(manifestScopes()).toEqual(manifest.oauth_config.scopes.bot);
    expect(() => manifestScopes(new URL('file:///nonexistent/manifest.json'))).toThrow(
      /cannot read the app's scopes from \/nonexistent\/manifest.json/,
    );
    const { client } = await start();
    const posted = await client.chat.postMessage({ channel: 'C_PUBLIC', text: 'hello' });
    expect(posted.ok).toBe(true);
  });

  it('answers missing_scope with what was needed and what was provided', async () => {
    const { client } = await start(['chat:write', 'files:write']);
    const posted = await client.chat.postMessage({ channel: 'C_PUBLIC', text: 'hello' });
    expect(posted.ok).toBe(true);
    expect(await refusal(client.files.info({ file: 'F123' }))).toMatchObject({
      ok: false,
      error: 'missing_scope',
      needed: 'files:read',
      provided: 'chat:write,files:write',
    });
    expect((await slackFailure(client.users.info({ user: 'U_ALICE' }))).error).toBe(
      'missing_scope',
    );
  });

  it('asks the conversation methods for the scope of the conversation’s kind', async () => {
    const { client } = await start(['chat:write', 'im:write', 'channels:history']);
    const needed = async (call: Promise<unknown>) => (await refusal(call))?.needed ?? 'none';
    expect(await needed(client.conversations.history({ channel: 'C_PUBLIC' }))).toBe('none');
    expect(await needed(client.conversations.history({ channel: 'C_SECRET' }))).toBe(
      'groups:history',
    );
    const dm = await client.conversations.open({ users: 'U_ALICE' });
    const im = dm.channel?.id ?? '';
    expect(im).not.toBe('');
    expect(await needed(client.conversations.history({ channel: im }))).toBe('im:history');
    const parent = await client.chat.postMessage({ channel: 'C_SECRET', text: 'thread' });
    expect(
      await needed(client.conversations.replies({ channel: 'C_SECRET', ts: parent.ts ?? '' })),
    ).toBe('groups:history');
    expect(await needed(client.conversations.info({ channel: 'C_PUBLIC' }))).toBe('channels:read');
  });

  it('needs no scope for auth.test, and checks none with scopes: null', async () => {
    const { client } = await start([]);
    expect((await client.auth.test()).ok).toBe(true);
    expect(
      (await slackFailure(client.chat.postMessage({ channel: 'C_PUBLIC', text: 'x' }))).error,
    ).toBe('missing_scope');
    await standin?.close();
    const open = await start(null);
    expect((await open.client.files.info({ file: 'F_NONE' }).catch((e) => e.data)).error).toBe(
      'file_not_found',
    );
  });
});
