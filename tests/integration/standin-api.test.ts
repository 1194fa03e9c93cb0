/** The stand-in's Web API over real HTTP, through Slack's own WebClient and plain fetch. */
import { webApi } from '@slack/bolt';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { slackError, standinClient, useStandin } from '../helpers/slack.js';

const TOKEN = 'xoxb-standin-api';
let skewMs = 0;
// These tests exercise the methods themselves, whatever the app's scopes (standin-scopes tests those).
const standin = useStandin({
  now: () => Date.now() + skewMs,
  postMessageRate: false,
  scopes: null,
});
let client: webApi.WebClient;

beforeAll(async () => {
  client = standinClient(standin, TOKEN);
});

beforeEach(() => {
  skewMs = 0;
  standin.reset();
});

const section = (text: string) => ({
  type: 'section' as const,
  text: { type: 'mrkdwn' as const, text },
});
const modal = (title: string) => ({
  type: 'modal' as const,
  title: { type: 'plain_text' as const, text: title },
  blocks: [section('hello')],
});

describe('transport and auth', () => {
  it('accepts JSON bodies with a Bearer token and form bodies with a token field', async () => {
    const json = await fetch(`${standin.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'C_DEMAND', text: 'json', blocks: [section('json')] }),
    }).then((r) => r.json());
    expect(json).toMatchObject({ ok: true, channel: 'C_DEMAND' });
    const form = await fetch(`${standin.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: TOKEN, channel: 'sop-demand', text: 'form' }).toString(),
    }).then((r) => r.json());
    expect(form).toMatchObject({ ok: true, channel: 'C_DEMAND' });
    expect(standin.messagesIn('C_DEMAND').map((m) => m.text)).toEqual(['json', 'form']);
    expect(standin.messagesIn('C_DEMAND')[0]?.blocks).toEqual([section('json')]);
  });

  it('answers not_authed, invalid_auth and unknown_method', async () => {
    const call = (method: string, headers: Record<string, string>) =>
      fetch(`${standin.apiUrl}${method}`, { method: 'POST', headers }).then((r) => r.json());
    expect(await call('auth.test', {})).toEqual({ ok: false, error: 'not_authed' });
    expect(await call('auth.test', { authorization: 'Bearer nope' })).toEqual({
      ok: false,
      error: 'invalid_auth',
    });
    expect(await call('files.upload', { authorization: `Bearer ${TOKEN}` })).toEqual({
      ok: false,
      error: 'unknown_method',
    });
  });

  it('records calls with parsed args and responses, without the token', async () => {
    await client.chat.postMessage({ channel: 'C_EXEC', text: 'hi', blocks: [section('hi')] });
    const [call] = standin.callsTo('chat.postMessage');
    expect(call?.args).toMatchObject({ channel: 'C_EXEC', text: 'hi', blocks: [section('hi')] });
    expect(call?.args.token).toBeUndefined();
    expect(call?.response.ok).toBe(true);
    expect(call?.status).toBe(200);
  });
});

describe('chat', () => {
  it('timestamps are unique and increasing; threads and DMs work', async () => {
    const a = await client.chat.postMessage({ channel: 'C_DEMAND', text: 'a' });
    const b = await client.chat.postMessage({ channel: 'C_DEMAND', text: 'b' });
    const reply = await client.chat.postMessage({
      channel: 'C_DEMAND',
      text: 'r',
      thread_ts: a.ts!,
    });
    expect(Number(b.ts) > Number(a.ts)).toBe(true);
    expect(a.ts).toMatch(/^\d+\.\d{6}$/);
    expect(standin.messagesIn('C_DEMAND').map((m) => m.text)).toEqual(['a', 'b']);
    expect(standin.threadReplies('C_DEMAND', a.ts!).map((m) => m.ts)).toEqual([reply.ts]);
    expect(
      await slackError(
        client.chat.postMessage({ channel: 'C_DEMAND', text: 'x', thread_ts: '1.2' }),
      ),
    ).toBe('thread_not_found');
    const dm = await client.conversations.open({ users: 'U_ALICE' });
    await client.chat.postMessage({ channel: 'U_ALICE', text: 'psst' });
    expect(standin.messagesIn(dm.channel!.id!).map((m) => m.text)).toEqual(['psst']);
  });

  it('refuses unknown channels, empty messages and over-long block payloads', async () => {
    expect(await slackError(client.chat.postMessage({ channel: 'C_NOPE', text: 'x' }))).toBe(
      'channel_not_found',
    );
    expect(await slackError(client.chat.postMessage({ channel: 'C_DEMAND', text: '' }))).toBe(
      'no_text',
    );
    const blocks = Array.from({ length: 5 }, () => section('x'.repeat(2900)));
    expect(
      await slackError(client.chat.postMessage({ channel: 'C_DEMAND', text: 'big', blocks })),
    ).toBe('msg_blocks_too_long');
    expect(standin.messagesIn('C_DEMAND')).toEqual([]);
  });

  it('chat.update keeps the old blocks when none are given', async () => {
    const posted = await client.chat.postMessage({
      channel: 'C_EXEC',
      text: 'v1',
      blocks: [section('votes: 0')],
    });
    await client.chat.update({ channel: 'C_EXEC', ts: posted.ts!, text: 'v2' });
    let msg = standin.messagesIn('C_EXEC')[0];
    expect([msg?.text, msg?.blocks, msg?.edited !== undefined]).toEqual([
      'v2',
      [section('votes: 0')],
      true,
    ]);
    await client.chat.update({
      channel: 'C_EXEC',
      ts: posted.ts!,
      text: 'v3',
      blocks: [section('votes: 1')],
    });
    msg = standin.messagesIn('C_EXEC')[0];
    expect(msg?.blocks).toEqual([section('votes: 1')]);
    expect(standin.messagesIn('C_EXEC')).toHaveLength(1);
    expect(await slackError(client.chat.update({ channel: 'C_EXEC', ts: '9.9', text: 'x' }))).toBe(
      'message_not_found',
    );
  });

  it('ephemeral, delete, permalink and reactions', async () => {
    const eph = await client.chat.postEphemeral({
      channel: 'C_DEMAND',
      user: 'U_BOB',
      text: 'only you',
    });
    expect(standin.ephemeralsFor('U_BOB').map((e) => [e.text, e.ts])).toEqual([
      ['only you', eph.message_ts],
    ]);
    const posted = await client.chat.postMessage({ channel: 'C_DEMAND', text: 'bye' });
    const link = await client.chat.getPermalink({ channel: 'C_DEMAND', message_ts: posted.ts! });
    expect(link.permalink).toContain(`/archives/C_DEMAND/p${posted.ts!.replace('.', '')}`);
    await client.reactions.add({
      channel: 'C_DEMAND',
      timestamp: posted.ts!,
      name: 'white_check_mark',
    });
    expect(
      await slackError(
        client.reactions.add({
          channel: 'C_DEMAND',
          timestamp: posted.ts!,
          name: 'white_check_mark',
        }),
      ),
    ).toBe('already_reacted');
    expect(standin.messagesIn('C_DEMAND')[0]?.reactions).toEqual([
      { name: 'white_check_mark', users: ['U_SOPBOT'] },
    ]);
    await client.chat.delete({ channel: 'C_DEMAND', ts: posted.ts! });
    expect(standin.messagesIn('C_DEMAND')).toEqual([]);
    expect(
      await slackError(client.chat.getPermalink({ channel: 'C_DEMAND', message_ts: posted.ts! })),
    ).toBe('message_not_found');
  });

  it('chat.scheduleMessage: future, at most 120 days ahead, 30 per 5 minutes per channel', async () => {
    const nowS = Math.floor(Date.now() / 1000);
    const schedule = (postAt: number, channel = 'C_SUPPLY') =>
      client.chat.scheduleMessage({ channel, post_at: postAt, text: 'reminder' });
    expect(await slackError(schedule(nowS - 10))).toBe('time_in_past');
    expect(await slackError(schedule(nowS + 121 * 86400))).toBe('time_too_far');
    const ok = await schedule(nowS + 60);
    expect(ok.scheduled_message_id).toMatch(/^Q/);
    for (let i = 0; i < 29; i += 1) await schedule(nowS + 120 + i);
    expect(await slackError(schedule(nowS + 300))).toBe('restricted_too_many');
    expect(await slackError(schedule(nowS + 300, 'C_EXEC'))).toBe('none');
    expect(standin.deliverScheduled()).toEqual([]);
    skewMs = 61_000;
    expect(standin.deliverScheduled().map((m) => m.text)).toEqual(['reminder']);
    expect(standin.messagesIn('C_SUPPLY').map((m) => m.source)).toEqual(['scheduled']);
  });

  it('chat.update is a Tier 3 method: the 51st call in a minute gets 429', async () => {
    const posted = await client.chat.postMessage({ channel: 'C_EXEC', text: 'tally 0' });
    const outcomes: string[] = [];
    for (let i = 1; i <= 51; i += 1) {
      outcomes.push(
        await client.chat.update({ channel: 'C_EXEC', ts: posted.ts!, text: `tally ${i}` }).then(
          () => 'ok',
          (e: unknown) => (e as { code: string }).code,
        ),
      );
    }
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(50);
    expect(outcomes[50]).toBe(webApi.ErrorCode.RateLimitedError);
    expect(standin.messagesIn('C_EXEC')[0]?.text).toBe('tally 50');
  });

  it('a forced failure can name one conversation: only calls about it fail, the others go through', async () => {
    standin.failNext('chat.postMessage', {
      error: 'account_inactive',
      channel: 'D_U_BOB',
      times: 2,
    });
    standin.failNext('conversations.open', { error: 'user_disabled', channel: 'U_CARA' });
    expect(await slackError(client.chat.postMessage({ channel: 'C_EXEC', text: 'to all' }))).toBe(
      'none',
    );
    const bob = () => client.chat.postMessage({ channel: 'D_U_BOB', text: 'to Bob' });
    expect(await slackError(bob())).toBe('account_inactive');
    expect(await slackError(bob())).toBe('account_inactive');
    // Two times asked for, two used: the third goes through.
    expect(await slackError(bob())).toBe('none');
    expect(await slackError(client.conversations.open({ users: 'U_BOB' }))).toBe('none');
    expect(await slackError(client.conversations.open({ users: 'U_CARA' }))).toBe('user_disabled');
    expect(standin.messagesIn('D_U_BOB').map((m) => m.text)).toEqual(['to Bob']);
  });

  it('a held call takes effect only once released; calls about others go through meanwhile', async () => {
    const home = (text: string) => ({ type: 'home' as const, blocks: [section(text)] });
    const homeText = (user: string) => JSON.stringify(standin.homeView(user)?.definition ?? null);
    const held = standin.holdNext('views.publish', { channel: 'U_BOB' });
    const bobs = client.views.publish({ user_id: 'U_BOB', view: home('Bob, held') });
    await held.reached;
    await client.views.publish({ user_id: 'U_CARA', view: home('Cara, at once') });
    expect(homeText('U_CARA')).toContain('Cara, at once');
    // Arrived, but neither made nor recorded yet.
    expect(standin.homeView('U_BOB')).toBeUndefined();
    expect(standin.callsTo('views.publish').map((c) => c.args.user_id)).toEqual(['U_CARA']);
    held.release();
    expect((await bobs).ok).toBe(true);
    expect(homeText('U_BOB')).toContain('Bob, held');
    expect(standin.callsTo('views.publish').map((c) => c.args.user_id)).toEqual([
      'U_CARA',
      'U_BOB',
    ]);
  });

  it('the rate limit and forced failures can be combined with a status other than 429', async () => {
    standin.failNext('chat.postMessage', { status: 500, times: 2 });
    const strict = new webApi.WebClient(TOKEN, {
      slackApiUrl: standin.apiUrl,
      retryConfig: { retries: 0 },
      logLevel: webApi.LogLevel.ERROR,
    });
    const err = await strict.chat.postMessage({ channel: 'C_DEMAND', text: 'x' }).then(
      () => undefined,
      (e: unknown) => e as { code: string; statusCode: number },
    );
    expect(err?.code).toBe(webApi.ErrorCode.HTTPError);
    expect(err?.statusCode).toBe(500);
    expect(standin.callsTo('chat.postMessage').map((c) => c.status)).toEqual([500]);
  });
});

describe('directory', () => {
  it('users.info, conversations.info and conversations.open', async () => {
    const user = await client.users.info({ user: 'U_CARA' });
    expect(user.user).toMatchObject({ id: 'U_CARA', real_name: 'Cara Singh', tz: 'Asia/Kolkata' });
    expect(await slackError(client.users.info({ user: 'U_NOPE' }))).toBe('user_not_found');
    const info = await client.conversations.info({ channel: 'C_DEMAND' });
    expect(info.channel).toMatchObject({ id: 'C_DEMAND', name: 'sop-demand', is_channel: true });
    const dm = await client.conversations.open({ users: 'U_BOB' });
    expect(dm.channel?.id).toBe('D_U_BOB');
    const dmInfo = await client.conversations.info({ channel: 'D_U_BOB' });
    expect(dmInfo.channel).toMatchObject({ is_im: true, user: 'U_BOB' });
    expect(await slackError(client.conversations.open({ users: 'U_NOPE' }))).toBe('user_not_found');
  });
});

describe('views', () => {
  it('refuses an invalid modal with invalid_arguments and explains why', async () => {
    const trigger = standin.issueTrigger('U_ALICE');
    const err = await client.views.open({ trigger_id: trigger, view: modal('x'.repeat(25)) }).then(
      () => undefined,
      (e: unknown) =>
        (e as { data: { error: string; response_metadata: { messages: string[] } } }).data,
    );
    expect(err?.error).toBe('invalid_arguments');
    expect(err?.response_metadata.messages).toEqual([
      '[ERROR] must be less than 25 characters [json-pointer:/view/title/text]',
    ]);
  });

  it('views.update checks the hash; views.publish sets the home tab', async () => {
    const opened = await client.views.open({
      trigger_id: standin.issueTrigger('U_ALICE'),
      view: modal('One'),
    });
    const id = opened.view!.id!;
    const updated = await client.views.update({
      view_id: id,
      hash: opened.view!.hash!,
      view: modal('Two'),
    });
    expect(updated.view?.hash).not.toBe(opened.view?.hash);
    expect(
      await slackError(
        client.views.update({ view_id: id, hash: opened.view!.hash!, view: modal('Three') }),
      ),
    ).toBe('hash_conflict');
    expect(standin.openViews('U_ALICE')[0]?.definition.title).toEqual({
      type: 'plain_text',
      text: 'Two',
    });
    expect(await slackError(client.views.update({ view_id: 'V_NOPE', view: modal('x') }))).toBe(
      'not_found',
    );

    await client.views.publish({
      user_id: 'U_BOB',
      view: { type: 'home', blocks: [section('Cycle: Dec')] },
    });
    expect(standin.homeView('U_BOB')?.definition.blocks).toEqual([section('Cycle: Dec')]);
    expect(
      await slackError(client.views.publish({ user_id: 'U_BOB', view: modal('not home') })),
    ).toBe('invalid_arguments');
  });
});

describe('response_url', () => {
  const post = (url: string, body: object) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('replace_original edits and delete_original removes the message it came from', async () => {
    const posted = await client.chat.postMessage({
      channel: 'C_EXEC',
      text: 'Vote',
      blocks: [section('Vote')],
    });
    const url = standin.issueResponseUrl({
      channel: 'C_EXEC',
      user: 'U_ALICE',
      messageTs: posted.ts!,
    });
    expect((await post(url, { replace_original: true, text: 'Closed' })).status).toBe(200);
    expect(standin.messagesIn('C_EXEC')[0]?.text).toBe('Closed');
    expect((await post(url, { response_type: 'in_channel', text: 'Result: plan B' })).status).toBe(
      200,
    );
    expect(standin.messagesIn('C_EXEC').map((m) => m.text)).toEqual(['Closed', 'Result: plan B']);
    expect((await post(url, { delete_original: true })).status).toBe(200);
    expect(standin.messagesIn('C_EXEC').map((m) => m.text)).toEqual(['Result: plan B']);
  });

  it('replace_original from a click in an ephemeral edits that ephemeral, for its user only', async () => {
    await client.chat.postEphemeral({ channel: 'C_EXEC', user: 'U_ALICE', text: 'List' });
    const eph = standin.ephemeralsFor('U_ALICE').at(-1);
    const url = standin.issueResponseUrl({
      channel: 'C_EXEC',
      user: 'U_ALICE',
      ephemeralTs: eph?.ts ?? '',
    });
    const n = standin.ephemeralsFor('U_ALICE').length;
    expect((await post(url, { replace_original: true, text: 'List, one done' })).status).toBe(200);
    expect(standin.ephemeralsFor('U_ALICE')).toHaveLength(n);
    expect(standin.ephemeralsFor('U_ALICE').at(-1)).toMatchObject({
      ts: eph?.ts,
      text: 'List, one done',
    });
    // Without replace_original it is a new ephemeral, as before.
    expect((await post(url, { text: 'Refused' })).status).toBe(200);
    expect(
      standin
        .ephemeralsFor('U_ALICE')
        .map((e) => e.text)
        .slice(-2),
    ).toEqual(['List, one done', 'Refused']);
  });

  it('expires after 30 minutes and refuses invalid blocks', async () => {
    const url = standin.issueResponseUrl({ channel: 'C_EXEC', user: 'U_ALICE' });
    const bad = await post(url, {
      blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }],
    });
    expect([bad.status, ((await bad.json()) as { error: string }).error]).toEqual([
      400,
      'invalid_blocks',
    ]);
    skewMs = 31 * 60 * 1000;
    const late = await post(url, { text: 'too late' });
    expect([late.status, ((await late.json()) as { error: string }).error]).toEqual([
      404,
      'expired_url',
    ]);
    expect(standin.ephemeralsFor('U_ALICE')).toEqual([]);
  });
});

describe('inspection', () => {
  it('GET /_standin/state shows messages, files and views; reset() clears them', async () => {
    await client.chat.postMessage({ channel: 'C_DEMAND', text: 'visible' });
    await client.filesUploadV2({ channel_id: 'C_DEMAND', content: 'x', filename: 'x.txt' });
    const state = (await fetch(`${standin.url}/_standin/state`).then((r) => r.json())) as {
      messages: { text: string }[];
      files: { name: string; url_private: string }[];
    };
    expect(state.messages.map((m) => m.text)).toContain('visible');
    expect(state.files.map((f) => f.name)).toEqual(['x.txt']);
    const download = await fetch(state.files[0]!.url_private).then((r) => r.text());
    expect(download).toBe('x');
    standin.reset();
    expect([
      standin.calls.length,
      standin.files.length,
      standin.messagesIn('C_DEMAND').length,
    ]).toEqual([0, 0, 0]);
  });
});
