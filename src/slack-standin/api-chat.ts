/** chat.* and reactions.add. */
import {
  type ApiAnswer,
  type ApiContext,
  type ApiMethod,
  fail,
  isAnswer,
  type MessageContent,
  messageContent,
  missing,
  ok,
} from './api.js';
import { type JsonObject, str } from './json.js';
import { isMetadataError, type MetadataArg, messageMetadata } from './metadata.js';
import type { ChannelRecord, StoredMessage } from './types.js';

const MAX_SCHEDULE_AHEAD_S = 120 * 24 * 3600;
const SCHEDULE_WINDOW_S = 5 * 60;
const SCHEDULE_PER_WINDOW = 30;

/** What chat.postMessage and chat.update write: the message's content and its metadata. */
function contentWithMetadata(
  args: JsonObject,
): { readonly content: MessageContent; readonly meta: MetadataArg } | ApiAnswer {
  const content = messageContent(args);
  if (isAnswer(content)) return content;
  const meta = messageMetadata(args);
  if (isMetadataError(meta)) return meta;
  return { content, meta };
}

/**
 * The conversation a call about a posted message names. Only chat.postMessage (and the calls
 * that post) may name a person to reach their DM; to edit, delete, link or react, Slack wants
 * the DM's own id (D…): a user id there is channel_not_found.
 */
function existingConversation(
  store: ApiContext['store'],
  ref: string | undefined,
): ChannelRecord | undefined {
  if (ref !== undefined && store.users.has(ref)) return undefined;
  return store.resolveChannel(ref);
}

/** The message a call names by `channel` and the timestamp in `tsField`, or why not. */
function namedMessage(
  { args, store }: ApiContext,
  tsField: string,
):
  | { readonly channel: ChannelRecord; readonly ts: string; readonly message: StoredMessage }
  | ApiAnswer {
  const channel = existingConversation(store, str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const ts = str(args, tsField);
  if (ts === undefined) return missing(tsField);
  const message = store.findMessage(channel.id, ts);
  if (!message) return fail('message_not_found');
  return { channel, ts, message };
}

const postMessage: ApiMethod = (ctx) => {
  const { args, store } = ctx;
  const channel = store.resolveChannel(str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const written = contentWithMetadata(args);
  if (isAnswer(written)) return written;
  const { content, meta } = written;
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

/** Slack lets a bot edit or delete only the messages it posted itself. */
const postedByBot = (ctx: ApiContext, message: StoredMessage): boolean =>
  message.bot_id === ctx.store.identity.botId;

const update: ApiMethod = (ctx) => {
  const { store } = ctx;
  const named = namedMessage(ctx, 'ts');
  if (isAnswer(named)) return named;
  const { channel, ts, message } = named;
  if (!postedByBot(ctx, message)) return fail('cant_update_message');
  const written = contentWithMetadata(ctx.args);
  if (isAnswer(written)) return written;
  const { content, meta } = written;
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
  // A DM's only members are its person and the bot (other memberships are not modelled).
  if (!store.users.has(user) || (channel.is_im && channel.user !== user))
    return fail('user_not_in_channel');
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

const del: ApiMethod = (ctx) => {
  const named = namedMessage(ctx, 'ts');
  if (isAnswer(named)) return named;
  if (!postedByBot(ctx, named.message)) return fail('cant_delete_message');
  named.message.deleted = true;
  return ok({ channel: named.channel.id, ts: named.ts });
};

const getPermalink: ApiMethod = (ctx) => {
  const named = namedMessage(ctx, 'message_ts');
  if (isAnswer(named)) return named;
  const { channel, ts } = named;
  return ok({
    channel: channel.id,
    permalink: `${ctx.baseUrl}/archives/${channel.id}/p${ts.replace('.', '')}`,
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
  const channel = existingConversation(store, str(args, 'channel'));
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
