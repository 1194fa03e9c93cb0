/** Records the stand-in keeps. They mirror the shapes Slack's Web API answers with. */
import type { JsonObject } from './json.js';

export interface ChannelSeed {
  readonly id: string;
  readonly name: string;
  readonly is_private?: boolean;
}

export interface UserSeed {
  readonly id: string;
  readonly name: string;
  readonly real_name: string;
  readonly tz: string;
  readonly is_bot?: boolean;
  /** A deactivated account: `users.info` answers `deleted: true`, as Slack does for one who left. */
  readonly deleted?: boolean;
}

export interface ChannelRecord {
  readonly id: string;
  readonly name: string;
  readonly is_private: boolean;
  readonly is_im: boolean;
  /** For a DM: the other user. */
  readonly user?: string;
  readonly created: number;
}

export type MessageSource = 'api' | 'response_url' | 'ack' | 'file_share' | 'scheduled';

export interface StoredMessage {
  readonly channel: string;
  readonly ts: string;
  readonly thread_ts?: string;
  readonly user: string;
  readonly bot_id?: string;
  text: string;
  blocks?: readonly unknown[];
  attachments?: readonly unknown[];
  metadata?: JsonObject;
  files: readonly string[];
  edited?: { readonly user: string; readonly ts: string };
  deleted: boolean;
  readonly reactions: { readonly name: string; readonly users: string[] }[];
  readonly source: MessageSource;
}

export interface StoredEphemeral {
  readonly channel: string;
  readonly user: string;
  readonly ts: string;
  readonly thread_ts?: string;
  readonly text: string;
  readonly blocks?: readonly unknown[];
  readonly source: MessageSource;
}

export interface StoredFile {
  readonly id: string;
  readonly name: string;
  readonly length: number;
  readonly created: number;
  title: string;
  bytes?: Buffer;
  completed: boolean;
  readonly channels: string[];
  readonly shares: { readonly channel: string; readonly ts: string; readonly thread_ts?: string }[];
  initial_comment?: string;
}

export interface StoredView {
  readonly id: string;
  readonly user: string;
  readonly type: 'modal' | 'home';
  hash: string;
  definition: JsonObject;
  readonly root_view_id: string;
  readonly previous_view_id: string | null;
  external_id?: string;
}

export interface ScheduledMessage {
  readonly id: string;
  readonly channel: string;
  readonly post_at: number;
  readonly created_at: number;
  readonly args: JsonObject;
  delivered: boolean;
}

export interface TriggerRecord {
  readonly id: string;
  readonly user: string;
  readonly issuedAt: number;
  used: boolean;
}

export interface ResponseUrlRecord {
  readonly id: string;
  readonly channel: string;
  readonly user: string;
  readonly messageTs?: string;
  /** The ephemeral message it came from (a click in one): replace_original edits it. */
  readonly ephemeralTs?: string;
  readonly issuedAt: number;
  posts: number;
}

export interface RecordedCall {
  /** Web API method, or `upload` / `response_url` for those endpoints. */
  readonly method: string;
  readonly args: JsonObject;
  readonly at: number;
  readonly status: number;
  readonly response: JsonObject;
}

/** An answer held back: the call takes effect at once, its answer is sent `ms` later. */
export interface ForcedDelay {
  readonly ms: number;
  /** Only calls about this conversation are held (as ForcedFailure's `channel`). */
  readonly channel?: string;
}

/**
 * A call held before it takes effect (holdNext): `reached` resolves when it arrives, and it
 * is made, recorded and answered once `release()` is called.
 */
export interface HeldCall {
  readonly reached: Promise<void>;
  release(): void;
}

export interface ForcedFailure {
  /** HTTP status; 429 adds a `Retry-After` header. Default 200 with `ok: false`. */
  readonly status?: number;
  readonly retryAfter?: number;
  /** Slack error code. Default `ratelimited` for 429, `internal_error` otherwise. */
  readonly error?: string;
  /** How many calls in a row fail. Default 1. */
  readonly times?: number;
  /**
   * No answer at all: the connection is closed under the call, as when a proxy or the network
   * drops it (the client sees a reset, "socket hang up" or "other side closed"). The call is
   * recorded, with status 0, and takes no effect. `status` and `error` are then unused.
   */
  readonly drop?: boolean;
  /**
   * Only calls about this conversation fail (its `channel` argument, `users` for
   * `conversations.open`, the person whose Home `views.publish` draws, `user_id`, or the
   * person `users.info` is asked about, `user`): e.g. `D_U_BOB` with `account_inactive` for a
   * deactivated person's DM, `C_SUPPLY` with `not_in_channel`, or `U_RITA` with a 429. Other
   * calls to the method go through untouched.
   */
  readonly channel?: string;
}
