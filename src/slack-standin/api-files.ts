/** files.getUploadURLExternal / completeUploadExternal / info (the three calls of filesUploadV2). */
import { type ApiMethod, fail, missing, ok } from './api.js';
import { arr, isObject, str } from './json.js';
import type { StandinStore } from './store.js';
import type { StoredFile } from './types.js';

const MIME: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  csv: 'text/csv',
  txt: 'text/plain',
  json: 'application/json',
  pdf: 'application/pdf',
};

export function filePayload(store: StandinStore, baseUrl: string, f: StoredFile) {
  const ext = f.name.includes('.') ? (f.name.split('.').pop() ?? '').toLowerCase() : '';
  const url = `${baseUrl}/files/${f.id}/${encodeURIComponent(f.name)}`;
  const shares: Record<string, Record<string, { ts: string; thread_ts?: string }[]>> = {};
  for (const s of f.shares) {
    const kind = store.channels.get(s.channel)?.is_private ? 'private' : 'public';
    const bucket = shares[kind] ?? {};
    shares[kind] = bucket;
    const list = bucket[s.channel] ?? [];
    bucket[s.channel] = list;
    list.push({ ts: s.ts, ...(s.thread_ts ? { thread_ts: s.thread_ts } : {}) });
  }
  return {
    id: f.id,
    created: f.created,
    timestamp: f.created,
    name: f.name,
    title: f.title,
    mimetype: MIME[ext] ?? 'application/octet-stream',
    filetype: ext || 'binary',
    user: store.identity.botUserId,
    size: f.bytes?.length ?? f.length,
    is_public: f.channels.some((c) => !store.channels.get(c)?.is_private),
    url_private: url,
    url_private_download: url,
    permalink: `${baseUrl}/files/${f.id}`,
    channels: [...f.channels],
    shares,
  };
}

const getUploadUrl: ApiMethod = ({ args, store, baseUrl, now }) => {
  const filename = str(args, 'filename');
  if (!filename) return missing('filename');
  const length = Number(str(args, 'length'));
  if (!Number.isInteger(length) || length <= 0)
    return fail('invalid_arguments', ['[ERROR] length must be a positive integer (bytes)']);
  const id = store.nextId('F');
  store.files.set(id, {
    id,
    name: filename,
    length,
    created: Math.floor(now / 1000),
    title: filename,
    completed: false,
    channels: [],
    shares: [],
  });
  return ok({ upload_url: `${baseUrl}/upload/${id}`, file_id: id });
};

const completeUpload: ApiMethod = ({ args, store }) => {
  const files = arr(args, 'files');
  if (files === undefined || files.length === 0) return missing('files');
  const entries: StoredFile[] = [];
  for (const entry of files) {
    const id = isObject(entry) ? str(entry, 'id') : undefined;
    const file = id !== undefined ? store.files.get(id) : undefined;
    if (!file?.bytes) return fail('file_not_found');
    if (isObject(entry)) file.title = str(entry, 'title') ?? file.title;
    entries.push(file);
  }
  const channelRef = str(args, 'channel_id') ?? str(args, 'channels')?.split(',')[0];
  const threadTs = str(args, 'thread_ts');
  const comment = str(args, 'initial_comment');
  if (channelRef !== undefined) {
    const channel = store.resolveChannel(channelRef);
    if (!channel) return fail('channel_not_found');
    if (threadTs && !store.findMessage(channel.id, threadTs)) return fail('thread_not_found');
    const message = store.addMessage({
      channel: channel.id,
      text: comment ?? '',
      files: entries.map((f) => f.id),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      source: 'file_share',
    });
    for (const f of entries) {
      f.channels.push(channel.id);
      f.shares.push({
        channel: channel.id,
        ts: message.ts,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
    }
  }
  for (const f of entries) {
    f.completed = true;
    if (comment !== undefined) f.initial_comment = comment;
  }
  return ok({ files: entries.map((f) => ({ id: f.id, title: f.title })) });
};

const info: ApiMethod = ({ args, store, baseUrl }) => {
  const id = str(args, 'file');
  if (id === undefined) return missing('file');
  const f = store.files.get(id);
  if (!f?.completed) return fail('file_not_found');
  return ok({ file: filePayload(store, baseUrl, f) });
};

export const fileMethods: Readonly<Record<string, ApiMethod>> = {
  'files.getUploadURLExternal': getUploadUrl,
  'files.completeUploadExternal': completeUpload,
  'files.info': info,
};
