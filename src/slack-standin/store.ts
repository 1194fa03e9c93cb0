/** The stand-in's workspace state: channels, users, messages, files, views, triggers. */
import { randomBytes } from 'node:crypto';
import type { JsonObject } from './json.js';
import type {
  ChannelRecord,
  ChannelSeed,
  MessageSource,
  ResponseUrlRecord,
  ScheduledMessage,
  StoredEphemeral,
  StoredFile,
  StoredMessage,
  StoredView,
  TriggerRecord,
  UserSeed,
} from './types.js';

export interface Identity {
  readonly teamId: string;
  readonly teamDomain: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
}

export const DEFAULT_IDENTITY: Identity = {
  teamId: 'T_SOP',
  teamDomain: 'sop-demo',
  botUserId: 'U_SOPBOT',
  botId: 'B_SOPBOT',
  appId: 'A_SOPBOT',
};

export const DEFAULT_CHANNELS: readonly ChannelSeed[] = [
  { id: 'C_GENERAL', name: 'general' },
  { id: 'C_DEMAND', name: 'sop-demand' },
  { id: 'C_SUPPLY', name: 'sop-supply' },
  { id: 'C_EXEC', name: 'sop-exec' },
];

export const DEFAULT_USERS: readonly UserSeed[] = [
  { id: 'U_ALICE', name: 'alice', real_name: 'Alice Martin', tz: 'Europe/Paris' },
  { id: 'U_BOB', name: 'bob', real_name: 'Bob Chen', tz: 'America/New_York' },
  { id: 'U_CARA', name: 'cara', real_name: 'Cara Singh', tz: 'Asia/Kolkata' },
];

export class StandinStore {
  readonly channels = new Map<string, ChannelRecord>();
  readonly users = new Map<string, UserSeed>();
  messages: StoredMessage[] = [];
  ephemerals: StoredEphemeral[] = [];
  readonly files = new Map<string, StoredFile>();
  readonly views = new Map<string, StoredView>();
  /** Open modal stack per user, bottom first (view ids). */
  readonly stacks = new Map<string, string[]>();
  readonly homeViews = new Map<string, string>();
  readonly triggers = new Map<string, TriggerRecord>();
  readonly responseUrls = new Map<string, ResponseUrlRecord>();
  scheduled: ScheduledMessage[] = [];
  private lastMicros = 0;
  private seq = 0;

  constructor(
    readonly identity: Identity,
    private readonly seeds: { channels: readonly ChannelSeed[]; users: readonly UserSeed[] },
    readonly now: () => number,
  ) {
    this.reset();
  }

  reset(): void {
    this.channels.clear();
    this.users.clear();
    this.messages = [];
    this.ephemerals = [];
    this.files.clear();
    this.views.clear();
    this.stacks.clear();
    this.homeViews.clear();
    this.triggers.clear();
    this.responseUrls.clear();
    this.scheduled = [];
    const created = Math.floor(this.now() / 1000);
    for (const c of this.seeds.channels)
      this.channels.set(c.id, { ...c, is_private: c.is_private ?? false, is_im: false, created });
    for (const u of this.seeds.users) this.users.set(u.id, u);
    this.users.set(this.identity.botUserId, {
      id: this.identity.botUserId,
      name: 'sopbot',
      real_name: 'S&OP Bot',
      tz: 'UTC',
      is_bot: true,
    });
  }

  /** A unique, strictly increasing message timestamp ('seconds.micros'). */
  nextTs(): string {
    const micros = Math.max(Math.floor(this.now() * 1000), this.lastMicros + 1);
    this.lastMicros = micros;
    const sec = Math.floor(micros / 1e6);
    return `${sec}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  /** A unique id with a Slack-like prefix (F for files, V for views...). */
  nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}${this.seq.toString(36).toUpperCase().padStart(8, '0')}`;
  }

  /** Finds a channel by id, by name (with or without '#'), or opens the DM for a user id. */
  resolveChannel(ref: string | undefined): ChannelRecord | undefined {
    if (ref === undefined || ref === '') return undefined;
    const byId = this.channels.get(ref);
    if (byId) return byId;
    const name = ref.replace(/^#/, '');
    for (const c of this.channels.values()) if (!c.is_im && c.name === name) return c;
    if (this.users.has(ref)) return this.openDm(ref);
    const dmUser = /^D_(.+)$/.exec(ref)?.[1];
    if (dmUser !== undefined && this.users.has(dmUser)) return this.openDm(dmUser);
    return undefined;
  }

  openDm(user: string): ChannelRecord {
    const id = `D_${user}`;
    const existing = this.channels.get(id);
    if (existing) return existing;
    const dm: ChannelRecord = {
      id,
      name: id,
      is_private: true,
      is_im: true,
      user,
      created: Math.floor(this.now() / 1000),
    };
    this.channels.set(id, dm);
    return dm;
  }

  findMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts && !m.deleted);
  }

  addMessage(fields: {
    channel: string;
    text: string;
    blocks?: readonly unknown[];
    attachments?: readonly unknown[];
    thread_ts?: string;
    files?: readonly string[];
    metadata?: JsonObject;
    source: MessageSource;
    /** A person's message (no bot_id); default: the bot's. For tests of what people post. */
    user?: string;
  }): StoredMessage {
    const message: StoredMessage = {
      channel: fields.channel,
      ts: this.nextTs(),
      user: fields.user ?? this.identity.botUserId,
      ...(fields.user === undefined ? { bot_id: this.identity.botId } : {}),
      text: fields.text,
      files: fields.files ?? [],
      deleted: false,
      reactions: [],
      source: fields.source,
      ...(fields.thread_ts !== undefined ? { thread_ts: fields.thread_ts } : {}),
      ...(fields.blocks !== undefined ? { blocks: fields.blocks } : {}),
      ...(fields.attachments !== undefined ? { attachments: fields.attachments } : {}),
      ...(fields.metadata !== undefined ? { metadata: fields.metadata } : {}),
    };
    this.messages.push(message);
    return message;
  }

  addEphemeral(fields: Omit<StoredEphemeral, 'ts'>): StoredEphemeral {
    const eph: StoredEphemeral = { ...fields, ts: this.nextTs() };
    this.ephemerals.push(eph);
    return eph;
  }

  issueTrigger(user: string): string {
    const id = `${Math.floor(this.now())}.${this.nextId('')}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, { id, user, issuedAt: this.now(), used: false });
    return id;
  }

  issueResponseUrl(
    baseUrl: string,
    at: { channel: string; user: string; messageTs?: string; ephemeralTs?: string },
  ) {
    const id = this.nextId('R');
    this.responseUrls.set(id, { id, ...at, issuedAt: this.now(), posts: 0 });
    return `${baseUrl}/response/${id}`;
  }

  /** The open modal stack of a user, bottom first. */
  stackOf(user: string): StoredView[] {
    const ids = this.stacks.get(user) ?? [];
    return ids.map((id) => this.views.get(id)).filter((v): v is StoredView => v !== undefined);
  }

  /** The user whose modal stack holds this view, if any. */
  stackOwner(viewId: string): string | undefined {
    for (const [user, ids] of this.stacks) if (ids.includes(viewId)) return user;
    return undefined;
  }

  /** The view object as Slack sends it in payloads and API answers. */
  viewPayload(view: StoredView): Record<string, unknown> {
    const d = view.definition;
    return {
      id: view.id,
      team_id: this.identity.teamId,
      type: view.type,
      blocks: d.blocks ?? [],
      private_metadata: d.private_metadata ?? '',
      callback_id: d.callback_id ?? '',
      state: { values: {} },
      hash: view.hash,
      title: d.title ?? null,
      clear_on_close: d.clear_on_close ?? false,
      notify_on_close: d.notify_on_close ?? false,
      close: d.close ?? null,
      submit: d.submit ?? null,
      previous_view_id: view.previous_view_id,
      root_view_id: view.root_view_id,
      app_id: this.identity.appId,
      external_id: view.external_id ?? '',
      app_installed_team_id: this.identity.teamId,
      bot_id: this.identity.botId,
    };
  }

  /**
   * The message as the Web API returns it. Its metadata only with `metadata: true` (what
   * conversations.history and .replies give with include_all_metadata).
   */
  messagePayload(m: StoredMessage, opts: { metadata?: boolean } = {}): Record<string, unknown> {
    const replies = m.thread_ts === undefined ? this.replyCount(m) : 0;
    return {
      type: 'message',
      subtype: m.files.length > 0 ? 'file_share' : undefined,
      ts: m.ts,
      user: m.user,
      bot_id: m.bot_id,
      app_id: this.identity.appId,
      team: this.identity.teamId,
      text: m.text,
      ...(m.blocks !== undefined ? { blocks: m.blocks } : {}),
      ...(m.attachments !== undefined ? { attachments: m.attachments } : {}),
      ...(m.thread_ts !== undefined ? { thread_ts: m.thread_ts } : {}),
      ...(replies > 0 ? { thread_ts: m.ts, reply_count: replies } : {}),
      ...(m.edited !== undefined ? { edited: m.edited } : {}),
      ...(m.files.length > 0 ? { files: m.files.map((id) => this.fileId(id)) } : {}),
      ...(m.reactions.length > 0
        ? { reactions: m.reactions.map((r) => ({ ...r, count: r.users.length })) }
        : {}),
      ...(opts.metadata && m.metadata !== undefined ? { metadata: m.metadata } : {}),
    };
  }

  private fileId(id: string): { id: string; name?: string } {
    const f = this.files.get(id);
    return f ? { id, name: f.name } : { id };
  }

  private replyCount(parent: StoredMessage): number {
    return this.messages.filter(
      (m) =>
        m.channel === parent.channel &&
        m.thread_ts === parent.ts &&
        m.ts !== parent.ts &&
        !m.deleted,
    ).length;
  }
}
