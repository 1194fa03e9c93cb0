/** Posts to a `response_url`: at most 5 within 30 minutes, recorded like messages. */
import { type ApiAnswer, isAnswer, messageContent } from './api.js';
import { bool, type JsonObject, str } from './json.js';
import type { StandinStore } from './store.js';

export const RESPONSE_URL_MAX_POSTS = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

function answer(status: number, body: JsonObject): ApiAnswer {
  return { status, body };
}

export function postToResponseUrl(store: StandinStore, id: string, args: JsonObject): ApiAnswer {
  const record = store.responseUrls.get(id);
  if (!record) return answer(404, { ok: false, error: 'invalid_url' });
  if (store.now() - record.issuedAt > RESPONSE_URL_TTL_MS)
    return answer(404, { ok: false, error: 'expired_url' });
  if (record.posts >= RESPONSE_URL_MAX_POSTS) return answer(404, { ok: false, error: 'used_url' });
  record.posts += 1;
  const original = record.messageTs
    ? store.findMessage(record.channel, record.messageTs)
    : undefined;
  if (bool(args, 'delete_original')) {
    if (original) original.deleted = true;
    return answer(200, { ok: true });
  }
  const content = messageContent(args);
  if (isAnswer(content)) return answer(400, content.body);
  if (bool(args, 'replace_original') && record.ephemeralTs) {
    const at = store.ephemerals.findIndex(
      (e) => e.ts === record.ephemeralTs && e.user === record.user,
    );
    const eph = store.ephemerals[at];
    if (eph) {
      store.ephemerals[at] = {
        ...eph,
        text: content.text,
        ...(content.blocks !== undefined ? { blocks: content.blocks } : {}),
      };
      return answer(200, { ok: true });
    }
  }
  if (bool(args, 'replace_original') && original) {
    original.text = content.text;
    if (content.blocks !== undefined) original.blocks = content.blocks;
    original.edited = { user: store.identity.botUserId, ts: store.nextTs() };
    return answer(200, { ok: true });
  }
  const threadTs = str(args, 'thread_ts');
  if (str(args, 'response_type') === 'in_channel') {
    store.addMessage({
      channel: record.channel,
      ...content,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      source: 'response_url',
    });
  } else {
    store.addEphemeral({
      channel: record.channel,
      user: record.user,
      text: content.text,
      ...(content.blocks !== undefined ? { blocks: content.blocks } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      source: 'response_url',
    });
  }
  return answer(200, { ok: true });
}
