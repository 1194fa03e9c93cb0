/** What a Web API method handler gets and gives back. */
import { arr, isObject, type JsonObject, str } from './json.js';
import { blocksTooLong, formatViolations, validateBlocks } from './rules.js';
import type { StandinStore } from './store.js';

export interface ApiContext {
  readonly args: JsonObject;
  readonly store: StandinStore;
  /** Base address of the stand-in, e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly baseUrl: string;
  readonly now: number;
}

export interface ApiAnswer {
  readonly status: number;
  readonly body: JsonObject;
  readonly headers?: Readonly<Record<string, string>>;
}

export type ApiMethod = (ctx: ApiContext) => ApiAnswer;

export function ok(extra: JsonObject = {}): ApiAnswer {
  return { status: 200, body: { ok: true, ...extra } };
}

export function fail(error: string, messages?: readonly string[]): ApiAnswer {
  const body: JsonObject =
    messages && messages.length > 0
      ? { ok: false, error, response_metadata: { messages } }
      : { ok: false, error };
  return { status: 200, body };
}

/** A missing or malformed argument, explained the way Slack does. */
export function missing(name: string): ApiAnswer {
  return fail('invalid_arguments', [`[ERROR] missing required field: ${name}`]);
}

export interface MessageContent {
  readonly text: string;
  readonly blocks?: readonly unknown[];
  readonly attachments?: readonly unknown[];
}

/**
 * Reads text / blocks / attachments and applies the message rules: something to show,
 * Block Kit limits (invalid_blocks) and the overall size (msg_blocks_too_long).
 */
export function messageContent(
  args: JsonObject,
  requireSomething = true,
): MessageContent | ApiAnswer {
  if (args.blocks !== undefined && !Array.isArray(args.blocks))
    return fail('invalid_blocks_format', [
      '[ERROR] blocks must be a JSON array [json-pointer:/blocks]',
    ]);
  const blocks = arr(args, 'blocks');
  const attachments = arr(args, 'attachments');
  const text = str(args, 'text') ?? '';
  if (
    requireSomething &&
    text === '' &&
    (blocks?.length ?? 0) === 0 &&
    (attachments?.length ?? 0) === 0
  )
    return fail('no_text', ['[ERROR] provide text, blocks or attachments']);
  if (blocks !== undefined) {
    const violations = validateBlocks(blocks, 'message');
    if (violations.length > 0) return fail('invalid_blocks', formatViolations(violations));
    if (blocksTooLong(blocks))
      return fail('msg_blocks_too_long', [
        '[ERROR] blocks are too long for one message [json-pointer:/blocks]',
      ]);
  }
  return {
    text,
    ...(blocks !== undefined ? { blocks } : {}),
    ...(attachments !== undefined ? { attachments } : {}),
  };
}

/** Whether a reader gave Slack's error answer instead of what it reads. */
export function isAnswer<T extends object>(v: T | ApiAnswer): v is ApiAnswer {
  return isObject((v as ApiAnswer).body) && typeof (v as ApiAnswer).status === 'number';
}
