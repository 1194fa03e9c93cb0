/** chat.* and reactions.add. */
import {
  type ApiContext,
  type ApiMethod,
  fail,
  isAnswer,
  messageContent,
  missing,
  ok,
} from './api.js';
import { str } from './json.js';
import { isMetadataError, messageMetadata } from './metadata.js';

const MAX_SCHEDULE_AHEAD_S = 120 * 24 * 3600;
const SCHEDULE_WINDOW_S = 5 * 60;
const SCHEDULE_PER_WINDOW = 30;

const postMessage: ApiMethod = (ctx) => {
  const { args, store } = ctx;
  const channel = store.resolveChannel(str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const content = messageContent(args);
  if (isAnswer(content)) return content;
  const meta = messageMetadata(args);
  if (isMetadataError(meta)) return meta;
  const threadTs = str(args, 'thread_ts');
  if (threadTs !== undefined && threadTs !== '' && !store.findMessage(channel.id, threadTs))
    return fail('thread_not_found');
  const message = store.addMessage({
    channel: channel.id,
    ...content,
    ...(threadTs ? { thread_ts: threadTs } : {}),
    ...(meta.metadata ? { metadata: meta.metadata } : {}),
    source: 'api',
  });
  return ok({
    channel: channel.id,
    ts: message.ts,
    message: store.messagePayload(message, { metadata: true }),
  });
};

const update: ApiMethod = ({ args, store }) => {
  const channel = store.resolveChannel(str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const ts = str(args, 'ts');
  if (ts === undefined) return missing('ts');
  const message = store.findMessage(channel.id, ts);
  if (!message) return fail('message_not_found');
  const content = messageContent(args);
  if (isAnswer(content)) return content;
  const meta = messageMetadata(args);
  if (isMetadataError(meta)) return meta;
  message.text = content.text;
  // Slack keeps the old blocks when an update gives none (the stand-in keeps metadata alike).
  if (content.blocks !== undefined) message.blocks = content.blocks;
  if (content.attachments !== undefined) message.attachments = content.attachments;
  if (meta.metadata !== undefined) message.metadata = meta.metadata;
  message.edited = { user: store.identity.botUserId, ts: store.nextTs() };
  return ok({
    channel: channel.id,
    ts,
    text: message.text,
    message: store.messagePayload(message, { metadata: true }),
  });
};

const postEphemeral: ApiMethod = ({ args, store }) => {
  const channel = store.resolveChannel(str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const user = str(args, 'user');
  if (user === undefined) return missing('user');
  if (!store.users.has(user)) return fail('user_not_in_channel');
  const content = messageContent(args);
  if (isAnswer(content)) return content;
  const threadTs = str(args, 'thread_ts');
  const eph = store.addEphemeral({
    channel: channel.id,
    user,
    text: content.text,
    ...(content.blocks !== undefined ? { blocks: content.blocks } : {}),
    ...(threadTs ? { thread_ts: threadTs } : {}),
    source: 'api',
  });
  return ok({ message_ts: eph.ts });
};

const del: ApiMethod = ({ args, store }) => {
  const channel = store.resolveChannel(str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const ts = str(args, 'ts');
  if (ts === undefined) return missing('ts');
  const message = store.findMessage(channel.id, ts);
  if (!message) return fail('message_not_found');
  message.deleted = true;
  return ok({ channel: channel.id, ts });
};

const getPermalink: ApiMethod = ({ args, store, baseUrl }) => {
  const channel = store.resolveChannel(str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const ts = str(args, 'message_ts');
  if (ts === undefined) return missing('message_ts');
  if (!store.findMessage(channel.id, ts)) return fail('message_not_found');
  return ok({
    channel: channel.id,
    permalink: `${baseUrl}/archives/${channel.id}/p${ts.replace('.', '')}`,
  });
};

const scheduleMessage: ApiMethod = (ctx: ApiContext) => {
  const { args, store } = ctx;
  const channel = store.resolveChannel(str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const postAt = Number(str(args, 'post_at'));
  if (!Number.isFinite(postAt)) return missing('post_at');
  const nowS = ctx.now / 1000;
  if (postAt <= nowS) return fail('time_in_past');
  if (postAt > nowS + MAX_SCHEDULE_AHEAD_S) return fail('time_too_far');
  const recent = store.scheduled.filter(
    (s) => s.channel === channel.id && s.created_at > nowS - SCHEDULE_WINDOW_S,
  );
  if (recent.length >= SCHEDULE_PER_WINDOW) return fail('restricted_too_many');
  const content = messageContent(args);
  if (isAnswer(content)) return content;
  const id = store.nextId('Q');
  store.scheduled.push({
    id,
    channel: channel.id,
    post_at: Math.floor(postAt),
    created_at: nowS,
    args,
    delivered: false,
  });
  return ok({
    channel: channel.id,
    scheduled_message_id: id,
    post_at: Math.floor(postAt),
    message: { type: 'message', text: content.text, bot_id: store.identity.botId },
  });
};

const reactionsAdd: ApiMethod = ({ args, store }) => {
  const channel = store.resolveChannel(str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const name = str(args, 'name');
  if (!name) return fail('invalid_name');
  const ts = str(args, 'timestamp');
  if (ts === undefined) return missing('timestamp');
  const message = store.findMessage(channel.id, ts);
  if (!message) return fail('message_not_found');
  const reaction = message.reactions.find((r) => r.name === name);
  const user = store.identity.botUserId;
  if (reaction?.users.includes(user)) return fail('already_reacted');
  if (reaction) reaction.users.push(user);
  else message.reactions.push({ name, users: [user] });
  return ok();
};

export const chatMethods: Readonly<Record<string, ApiMethod>> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'chat.delete': del,
  'chat.getPermalink': getPermalink,
  'chat.scheduleMessage': scheduleMessage,
  'reactions.add': reactionsAdd,
};
