/**
 * Sends requests to the bot the way Slack does: signed, form-encoded slash commands and
 * interaction payloads, Events API callbacks, with retries and the 3 s ack deadline.
 * Trigger ids and response URLs are issued by the stand-in so its rules apply to them.
 */

import { randomUUID } from 'node:crypto';
import { manifestSlashCommands, slackCommandText } from './command-text.js';
import { manifestBotEvents, subscriptionFor } from './events.js';
import { arr, isObject, type JsonObject, str } from './json.js';
import {
  blocksTooLong,
  formatViolations,
  validateBlocks,
  validateOptionsResponse,
} from './rules.js';
import type { Standin } from './server.js';
import { manifestShortcuts } from './shortcuts.js';
import { slackSignatureHeaders } from './signing.js';
import type { SocketAck } from './socket-mode.js';
import {
  buildStateValues,
  elementState,
  type GivenValues,
  type InputValue,
  type LocatedElement,
  locateElements,
  type OfferedOptions,
} from './state-values.js';
import { applyViewAck, type ViewOutcome } from './view-lifecycle.js';

export const ACK_DEADLINE_MS = 3000;

export interface DriverOptions {
  /** The bot's request URL, e.g. http://127.0.0.1:3000/slack/events. */
  readonly botUrl: string;
  readonly signingSecret: string;
  readonly standin: Standin;
  /**
   * How Slack reaches the app: 'http' (the default) posts signed requests to `botUrl`;
   * 'socket' sends every command, interaction and event as a Socket Mode envelope to the app
   * connected to the stand-in (an app started with an app-level token), and reads its ack
   * from the socket. Over a socket nothing is signed, and there are no retry headers.
   */
  readonly transport?: 'http' | 'socket';
  /**
   * The events the app subscribes to, as bot_events names (`app_mention`, `message.im`):
   * `event` refuses any other. Default: manifest.json's `settings.event_subscriptions.bot_events`.
   */
  readonly botEvents?: readonly string[];
}

export interface SendOptions {
  /** Sign with a timestamp this many seconds in the past (Bolt rejects > 300). */
  readonly staleBySeconds?: number;
  /** 'bad' signs with the wrong secret; 'none' sends no signature headers. */
  readonly signature?: 'valid' | 'bad' | 'none';
  /** Marks the request as Slack's nth retry (`x-slack-retry-num`). */
  readonly retryNum?: number;
  readonly retryReason?: string;
}

export interface SentRequest {
  readonly kind: string;
  readonly body: string;
  readonly contentType: string;
}

export interface AckResult {
  readonly status: number;
  /** Parsed JSON when the bot answered JSON, else the text ('' for an empty ack). */
  readonly body: unknown;
  readonly ackMs: number;
  /** 200 within the 3 s deadline. */
  readonly ok: boolean;
  readonly request: SentRequest;
}

/**
 * What people did, in order, as the driver played it: slash commands typed, buttons clicked
 * and modals submitted (the view as shown, with the values entered). The demo's page shows
 * them the way Slack would have.
 */
export type UserAction =
  | {
      readonly kind: 'command';
      readonly at: number;
      readonly user: string;
      readonly channel: string;
      readonly command: string;
      readonly text: string;
    }
  | {
      readonly kind: 'click';
      readonly at: number;
      readonly user: string;
      readonly channel: string;
      readonly ts: string;
      readonly label: string;
    }
  | {
      readonly kind: 'submit';
      readonly at: number;
      readonly user: string;
      readonly view: JsonObject;
      readonly values: JsonObject;
      readonly accepted: boolean;
    };

export interface AckFailure {
  readonly kind: string;
  readonly status: number;
  readonly ackMs: number;
  /**
   * operation_timeout: acked after 3 s; http_error: not a 200; invalid_command_response: a
   * slash command's ack body Slack cannot show (its blocks break Block Kit's rules).
   */
  readonly reason: 'operation_timeout' | 'http_error' | 'invalid_command_response';
  /** For invalid_command_response: what Slack finds wrong, as in `response_metadata.messages`. */
  readonly messages?: readonly string[];
}

export interface CommandResult extends AckResult {
  readonly triggerId: string;
  readonly responseUrl: string;
}

export interface ViewSubmitResult extends AckResult {
  readonly triggerId: string;
  /** What Slack did with the modal stack after this ack. */
  readonly outcome: ViewOutcome;
}

export interface SuggestResult extends AckResult {
  /** The options offered (groups flattened); none when the answer was late or invalid. */
  readonly options: readonly JsonObject[];
  /** What Slack would find wrong with the answer, as in `response_metadata.messages`. */
  readonly violations: readonly string[];
}

export interface Who {
  readonly user: string;
}

/** Which of several elements with one action_id (one per block, as Slack allows) is meant. */
export interface InBlock {
  /** The block_id of the element's block; the first element with the action_id otherwise. */
  readonly blockId?: string;
}

export interface Driver {
  /** Every ack that was late (operation_timeout) or not a 200. */
  readonly failures: readonly AckFailure[];
  /** Every command, click and modal submission, in order. */
  readonly actions: readonly UserAction[];
  command(
    command: string,
    opts: Who & { readonly channel: string; readonly text?: string } & SendOptions,
  ): Promise<CommandResult>;
  /** The same slash command delivered over Socket Mode (an envelope to the connected app). */
  socketCommand(
    command: string,
    opts: Who & { readonly channel: string; readonly text?: string },
  ): Promise<SocketAck & { readonly triggerId: string; readonly responseUrl: string }>;
  clickButton(
    channel: string,
    ts: string,
    actionId: string,
    opts: Who & SendOptions & InBlock,
  ): Promise<AckResult & { readonly triggerId: string; readonly responseUrl: string }>;
  /** A button clicked in an ephemeral message (found by its user and ts). */
  clickEphemeralButton(
    ts: string,
    actionId: string,
    opts: Who & SendOptions & InBlock,
  ): Promise<AckResult & { readonly triggerId: string; readonly responseUrl: string }>;
  /**
   * A message shortcut chosen on a message (`message_action`). Refused, as Slack would not
   * offer it, unless manifest.json declares a message shortcut with this callback_id.
   */
  messageShortcut(
    channel: string,
    ts: string,
    callbackId: string,
    opts: Who & SendOptions,
  ): Promise<AckResult & { readonly triggerId: string; readonly responseUrl: string }>;
  /**
   * A select (or other input) changed, or a button clicked, inside a modal or a Home tab:
   * block_actions with a view container. `blockId` picks one of several elements that share
   * an action_id (a list's buttons); the first otherwise.
   */
  selectOption(
    viewId: string,
    actionId: string,
    value: InputValue,
    opts: Who & { readonly values?: GivenValues } & SendOptions & InBlock,
  ): Promise<AckResult & { readonly triggerId: string }>;
  /**
   * An external_select asks for options (block_suggestion). The answer is checked as Slack
   * reads it; the options it offers are then the only ones selectOption and submitView may
   * pick in that select (besides its initial option), as in Slack.
   */
  suggest(
    viewId: string,
    actionId: string,
    query: string,
    opts: Who & SendOptions,
  ): Promise<SuggestResult>;
  submitView(
    viewId: string,
    opts: Partial<Who> & { readonly values?: GivenValues } & SendOptions,
  ): Promise<ViewSubmitResult>;
  /**
   * The user closes the modal (the whole stack). Slack sends view_closed only when the view
   * has `notify_on_close: true`; otherwise this resolves with null and nothing is sent.
   */
  closeView(viewId: string, opts?: Partial<Who> & SendOptions): Promise<AckResult | null>;
  /**
   * An Events API callback. Refused, as Slack would not send it, unless the app subscribes to
   * the event (DriverOptions.botEvents; a message by its channel_type's `message.*`, which the
   * driver adds from the channel when not given). With `slackRetries`, a failed or late ack is
   * retried up to 3 times at once, as Slack does (it waits 1 min and 5 min between them; the
   * driver does not).
   */
  event(
    event: JsonObject,
    opts?: SendOptions & { readonly eventId?: string; readonly slackRetries?: boolean },
  ): Promise<AckResult & { readonly eventId: string; readonly attempts: readonly AckResult[] }>;
  urlVerification(challenge: string): Promise<AckResult>;
  /** Sends an earlier request again, freshly signed (use with retryNum for Slack retries). */
  resend(request: SentRequest, opts?: SendOptions): Promise<AckResult>;
}

export function createDriver(opts: DriverOptions): Driver {
  const { standin } = opts;
  const { identity, store } = standin;
  const failures: AckFailure[] = [];
  const actions: UserAction[] = [];
  /** Per view, per block and action id: the options the app last offered. */
  const offered = new Map<string, readonly JsonObject[]>();
  const offeredKey = (viewId: string, blockId: string, actionId: string) =>
    JSON.stringify([viewId, blockId, actionId]);
  const offeredIn =
    (viewId: string): OfferedOptions =>
    (l) =>
      offered.get(offeredKey(viewId, l.blockId, l.actionId));

  const userObj = (user: string) => ({
    id: user,
    username: store.users.get(user)?.name ?? user,
    name: store.users.get(user)?.name ?? user,
    team_id: identity.teamId,
  });
  const team = { id: identity.teamId, domain: identity.teamDomain };

  /** The Socket Mode envelope type and payload of a request built for HTTP. */
  const envelopeOf = (request: SentRequest) => {
    if (request.kind === 'url_verification')
      throw new Error('driver: Slack sends no url_verification over Socket Mode');
    if (request.kind === 'event_callback')
      return { type: 'events_api' as const, payload: JSON.parse(request.body) as unknown };
    const fields = new URLSearchParams(request.body);
    if (request.kind === 'slash_command')
      return { type: 'slash_commands' as const, payload: Object.fromEntries(fields) };
    return { type: 'interactive' as const, payload: JSON.parse(fields.get('payload') ?? '{}') };
  };

  /** `request` as a Socket Mode envelope; the app's ack payload is the answer's body. */
  const sendOverSocket = async (request: SentRequest, o: SendOptions): Promise<AckResult> => {
    const signed = o.signature === undefined || o.signature === 'valid';
    if (!signed || o.staleBySeconds !== undefined || o.retryNum !== undefined)
      throw new Error(
        'driver: a Socket Mode envelope has no signature, timestamp or retry headers to set',
      );
    const { type, payload } = envelopeOf(request);
    // Waits past the 3 s deadline, so a late ack is recorded as over HTTP.
    const ack = await standin.socketMode.send(type, payload, 4 * ACK_DEADLINE_MS);
    // An ack with no payload is an empty ack, as an empty HTTP 200.
    const body = isObject(ack.payload) && Object.keys(ack.payload).length === 0 ? '' : ack.payload;
    const ok = ack.ackMs <= ACK_DEADLINE_MS;
    if (!ok)
      failures.push({
        kind: request.kind,
        status: 200,
        ackMs: ack.ackMs,
        reason: 'operation_timeout',
      });
    return { status: 200, body, ackMs: ack.ackMs, ok, request };
  };

  const send = async (request: SentRequest, o: SendOptions = {}): Promise<AckResult> => {
    if (opts.transport === 'socket') return sendOverSocket(request, o);
    const timestamp = Math.floor(Date.now() / 1000) - (o.staleBySeconds ?? 0);
    const secret = o.signature === 'bad' ? `${opts.signingSecret}-wrong` : opts.signingSecret;
    const headers: Record<string, string> = {
      'content-type': request.contentType,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...(o.signature === 'none' ? {} : slackSignatureHeaders(secret, timestamp, request.body)),
      ...(o.retryNum !== undefined
        ? {
            'x-slack-retry-num': String(o.retryNum),
            'x-slack-retry-reason': o.retryReason ?? 'http_timeout',
          }
        : {}),
    };
    const started = performance.now();
    const res = await fetch(opts.botUrl, { method: 'POST', headers, body: request.body });
    const text = await res.text();
    const ackMs = performance.now() - started;
    const isJson = (res.headers.get('content-type') ?? '').includes('json');
    const body = isJson && text !== '' ? (JSON.parse(text) as unknown) : text;
    const late = ackMs > ACK_DEADLINE_MS;
    const ok = res.status === 200 && !late;
    if (!ok)
      failures.push({
        kind: request.kind,
        status: res.status,
        ackMs,
        reason: late ? 'operation_timeout' : 'http_error',
      });
    return { status: res.status, body, ackMs, ok, request };
  };

  const form = (kind: string, fields: Record<string, string>): SentRequest => ({
    kind,
    body: new URLSearchParams(fields).toString(),
    contentType: 'application/x-www-form-urlencoded',
  });
  const interaction = (payload: JsonObject): SentRequest =>
    form(str(payload, 'type') ?? 'interaction', { payload: JSON.stringify(payload) });

  const openView = (viewId: string) => {
    const view = store.views.get(viewId);
    if (!view) throw new Error(`driver: no view '${viewId}' in the stand-in`);
    return view;
  };
  /**
   * Slack shows a modal or a Home tab to one person only, and only while it is shown (an open
   * modal, the latest Home tab published): nobody else can act in it, nor in a view gone.
   */
  const onlyTheirView = (view: { id: string; user: string; type: string }, user: string) => {
    const owner = view.type === 'home' ? view.user : store.stackOwner(view.id);
    if (owner === undefined) throw new Error(`driver: view '${view.id}' is not open`);
    if (view.type === 'home' && store.homeViews.get(owner) !== view.id)
      throw new Error(`driver: view '${view.id}' is no longer ${owner}'s Home tab`);
    if (owner !== user)
      throw new Error(
        `driver: ${user} cannot act in view '${view.id}': Slack shows it to ${owner} only`,
      );
  };
  /** A DM with the bot is seen by its person only: nobody else can click in it. */
  const onlyTheirDm = (ch: { id: string; is_im: boolean; user?: string }, user: string) => {
    if (ch.is_im && ch.user !== user)
      throw new Error(`driver: ${user} cannot act in ${ch.id}: it is ${ch.user}'s DM with the bot`);
  };
  const findElement = (
    blocks: unknown,
    actionId: string,
    where: string,
    blockId?: string,
  ): LocatedElement => {
    const found = locateElements(Array.isArray(blocks) ? blocks : []).find(
      (l) => l.actionId === actionId && (blockId === undefined || l.blockId === blockId),
    );
    if (!found)
      throw new Error(
        `driver: no element with action_id '${actionId}'${blockId ? ` in block '${blockId}'` : ''} in ${where}`,
      );
    return found;
  };

  /** block_actions for a button in a message (or an ephemeral one) in channel `ch`. */
  const click = async (
    ch: { id: string; name: string },
    ts: string,
    blocks: unknown,
    actionId: string,
    o: Who & SendOptions & InBlock,
    at: { responseUrl: string; ephemeral: boolean; message?: JsonObject },
  ) => {
    const l = findElement(
      blocks,
      actionId,
      `${at.ephemeral ? 'ephemeral' : 'message'} ${ts}`,
      o.blockId,
    );
    const label = isObject(l.element.text) ? (str(l.element.text, 'text') ?? actionId) : actionId;
    actions.push({ kind: 'click', at: Date.now(), user: o.user, channel: ch.id, ts, label });
    const triggerId = standin.issueTrigger(o.user);
    const payload = {
      type: 'block_actions',
      user: userObj(o.user),
      api_app_id: identity.appId,
      token: 'legacy-verification-token',
      container: { type: 'message', message_ts: ts, channel_id: ch.id, is_ephemeral: at.ephemeral },
      trigger_id: triggerId,
      team,
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: ch.id, name: ch.name },
      ...(at.message ? { message: at.message } : {}),
      state: { values: {} },
      response_url: at.responseUrl,
      actions: [
        {
          action_id: l.actionId,
          block_id: l.blockId,
          text: l.element.text,
          value: l.element.value,
          type: str(l.element, 'type'),
          ...(l.element.style !== undefined ? { style: l.element.style } : {}),
          action_ts: actionTs(),
        },
      ],
    };
    return { ...(await send(interaction(payload), o)), triggerId, responseUrl: at.responseUrl };
  };

  /** The events Slack sends the app: those it subscribes to. */
  const botEvents = new Set(opts.botEvents ?? manifestBotEvents());
  const botEventsSource =
    opts.botEvents === undefined ? "manifest.json's bot_events" : "the driver's botEvents";
  /** `event` as Slack would send it (a message gets its channel_type), or an Error if never. */
  const subscribed = (event: JsonObject): JsonObject => {
    const type = str(event, 'type');
    if (type === undefined) throw new Error('driver: an event needs a type');
    let sent = event;
    if (type === 'message' && str(event, 'channel_type') === undefined) {
      const ch = store.resolveChannel(str(event, 'channel'));
      if (!ch)
        throw new Error(
          `driver: a message event needs a channel_type or a known channel, not '${str(event, 'channel') ?? ''}'`,
        );
      sent = { ...event, channel_type: ch.is_im ? 'im' : ch.is_private ? 'group' : 'channel' };
    }
    const channelType = str(sent, 'channel_type');
    const subscription = subscriptionFor(type, channelType);
    if (subscription === undefined)
      throw new Error(`driver: Slack has no message events with channel_type '${channelType}'`);
    if (!botEvents.has(subscription)) {
      const what =
        type === 'message' ? `'message' event (channel_type '${channelType}')` : `'${type}' event`;
      throw new Error(
        `driver: Slack sends the app no ${what}: '${subscription}' is not in ${botEventsSource} (${[...botEvents].join(', ') || 'none'})`,
      );
    }
    return sent;
  };

  /** The commands whose text Slack escapes, as manifest.json declares them. */
  const escaped = new Set(
    manifestSlashCommands()
      .filter((c) => c.should_escape === true)
      .map((c) => c.command),
  );

  /**
   * The fields of a slash command as Slack sends them (form fields over HTTP, JSON over a
   * socket); `text` is what the person typed, escaped as Slack escapes it (command-text.ts).
   */
  const commandFields = (command: string, o: { user: string; channel: string; text?: string }) => {
    const channel = store.resolveChannel(o.channel);
    if (!channel) throw new Error(`driver: unknown channel '${o.channel}'`);
    const triggerId = standin.issueTrigger(o.user);
    const responseUrl = standin.issueResponseUrl({ channel: channel.id, user: o.user });
    const fields = {
      token: 'legacy-verification-token',
      team_id: identity.teamId,
      team_domain: identity.teamDomain,
      channel_id: channel.id,
      channel_name: channel.is_im ? 'directmessage' : channel.name,
      user_id: o.user,
      user_name: store.users.get(o.user)?.name ?? o.user,
      command,
      text: slackCommandText(o.text ?? '', escaped.has(command)),
      api_app_id: identity.appId,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: triggerId,
    };
    return { fields, channelId: channel.id, triggerId, responseUrl };
  };

  return {
    failures,
    actions,

    async command(command, o) {
      const { fields, channelId, triggerId, responseUrl } = commandFields(command, o);
      actions.push({
        kind: 'command',
        at: Date.now(),
        user: o.user,
        channel: channelId,
        command,
        text: o.text ?? '',
      });
      const result = await send(form('slash_command', fields), o);
      // A late ack's body is never shown: Slack has told the user operation_timeout already.
      if (result.ok) recordCommandAck(result.body, channelId, o.user, result.ackMs);
      return { ...result, triggerId, responseUrl };
    },

    async socketCommand(command, o) {
      const { fields, triggerId, responseUrl } = commandFields(command, o);
      const ack = await standin.socketMode.send('slash_commands', fields);
      return { ...ack, triggerId, responseUrl };
    },

    async clickButton(channel, ts, actionId, o) {
      const ch = store.resolveChannel(channel);
      const message = ch ? store.findMessage(ch.id, ts) : undefined;
      if (!ch || !message) throw new Error(`driver: no message ${channel}/${ts} to click`);
      onlyTheirDm(ch, o.user);
      const responseUrl = standin.issueResponseUrl({ channel: ch.id, user: o.user, messageTs: ts });
      return click(ch, ts, message.blocks, actionId, o, {
        responseUrl,
        ephemeral: false,
        message: store.messagePayload(message),
      });
    },

    async clickEphemeralButton(ts, actionId, o) {
      const eph = store.ephemerals.find((e) => e.ts === ts && e.user === o.user);
      if (!eph) throw new Error(`driver: no ephemeral ${ts} for ${o.user} to click`);
      const ch = store.resolveChannel(eph.channel);
      if (!ch) throw new Error(`driver: unknown channel '${eph.channel}'`);
      // Slack sends no copy of an ephemeral message with its clicks; its response_url may
      // replace it (replace_original), as for a message.
      const responseUrl = standin.issueResponseUrl({
        channel: ch.id,
        user: o.user,
        ephemeralTs: ts,
      });
      return click(ch, ts, eph.blocks, actionId, o, { responseUrl, ephemeral: true });
    },

    async messageShortcut(channel, ts, callbackId, o) {
      const declared = manifestShortcuts().some(
        (s) => s.type === 'message' && s.callback_id === callbackId,
      );
      if (!declared)
        throw new Error(`driver: manifest.json declares no message shortcut '${callbackId}'`);
      const ch = store.resolveChannel(channel);
      const message = ch ? store.findMessage(ch.id, ts) : undefined;
      if (!ch || !message) throw new Error(`driver: no message ${channel}/${ts}`);
      onlyTheirDm(ch, o.user);
      const triggerId = standin.issueTrigger(o.user);
      const responseUrl = standin.issueResponseUrl({ channel: ch.id, user: o.user });
      const payload = {
        type: 'message_action',
        token: 'legacy-verification-token',
        action_ts: actionTs(),
        team,
        user: userObj(o.user),
        channel: { id: ch.id, name: ch.name },
        is_enterprise_install: false,
        enterprise: null,
        callback_id: callbackId,
        trigger_id: triggerId,
        response_url: responseUrl,
        message_ts: ts,
        message: store.messagePayload(message),
      };
      return { ...(await send(interaction(payload), o)), triggerId, responseUrl };
    },

    async selectOption(viewId, actionId, value, o) {
      const view = openView(viewId);
      onlyTheirView(view, o.user);
      const blocks = Array.isArray(view.definition.blocks) ? view.definition.blocks : [];
      const l = findElement(blocks, actionId, `view ${viewId}`, o.blockId);
      if (l.blockType === 'input' && l.block.dispatch_action !== true)
        throw new Error(
          `driver: Slack sends no block_actions for '${actionId}': its input block lacks dispatch_action`,
        );
      const triggerId = standin.issueTrigger(o.user);
      const values = buildStateValues(
        blocks,
        {
          ...(o.values ?? {}),
          [l.blockId]: { ...(o.values?.[l.blockId] ?? {}), [l.actionId]: value },
        },
        false,
        offeredIn(viewId),
      );
      const payload = {
        type: 'block_actions',
        user: userObj(o.user),
        api_app_id: identity.appId,
        token: 'legacy-verification-token',
        container: { type: 'view', view_id: viewId },
        trigger_id: triggerId,
        team,
        enterprise: null,
        is_enterprise_install: false,
        view: { ...store.viewPayload(view), state: { values } },
        actions: [
          {
            ...elementState(l, value, offeredIn(viewId)),
            action_id: l.actionId,
            block_id: l.blockId,
            action_ts: actionTs(),
          },
        ],
      };
      return { ...(await send(interaction(payload), o)), triggerId };
    },

    async suggest(viewId, actionId, query, o) {
      const view = openView(viewId);
      onlyTheirView(view, o.user);
      const l = findElement(view.definition.blocks, actionId, `view ${viewId}`);
      const payload = {
        type: 'block_suggestion',
        user: userObj(o.user),
        container: { type: 'view', view_id: viewId },
        api_app_id: identity.appId,
        token: 'legacy-verification-token',
        action_id: l.actionId,
        block_id: l.blockId,
        value: query,
        team,
        enterprise: null,
        is_enterprise_install: false,
        view: store.viewPayload(view),
      };
      const result = await send(interaction(payload), o);
      if (!result.ok) return { ...result, options: [], violations: [] };
      const violations = formatViolations(validateOptionsResponse(result.body));
      const body = isObject(result.body) ? result.body : {};
      const groups = (arr(body, 'option_groups') ?? []).filter(isObject);
      const options =
        violations.length > 0
          ? []
          : [
              ...(arr(body, 'options') ?? []),
              ...groups.flatMap((g) => arr(g, 'options') ?? []),
            ].filter(isObject);
      offered.set(offeredKey(viewId, l.blockId, l.actionId), options);
      return { ...result, options, violations };
    },

    async submitView(viewId, o) {
      const view = openView(viewId);
      const owner = store.stackOwner(viewId);
      if (owner === undefined)
        throw new Error(`driver: view '${viewId}' is not open; nothing to submit`);
      const user = o.user ?? owner;
      onlyTheirView(view, user);
      const blocks = Array.isArray(view.definition.blocks) ? view.definition.blocks : [];
      const values = buildStateValues(blocks, o.values ?? {}, true, offeredIn(viewId));
      const triggerId = standin.issueTrigger(user);
      const payload = {
        type: 'view_submission',
        team,
        user: userObj(user),
        api_app_id: identity.appId,
        token: 'legacy-verification-token',
        trigger_id: triggerId,
        view: { ...store.viewPayload(view), state: { values } },
        response_urls: [],
        is_enterprise_install: false,
        enterprise: null,
      };
      // As shown when submitted: the bot's answer may update the view in place.
      const shown = structuredClone(view.definition);
      const result = await send(interaction(payload), o);
      // After 3 s Slack shows the person an error and ignores the ack: the modal stays as it was.
      const outcome: ViewOutcome =
        result.status !== 200
          ? { action: 'rejected', reason: `bot answered HTTP ${result.status}` }
          : !result.ok
            ? { action: 'rejected', reason: 'operation_timeout' }
            : applyViewAck(store, user, viewId, result.body);
      actions.push({
        kind: 'submit',
        at: Date.now(),
        user,
        view: shown,
        values: structuredClone(values) as JsonObject,
        accepted: outcome.action !== 'rejected' && outcome.action !== 'errors',
      });
      return { ...result, triggerId, outcome };
    },

    async closeView(viewId, o = {}) {
      const view = openView(viewId);
      const user = o.user ?? store.stackOwner(viewId) ?? view.user;
      onlyTheirView(view, user);
      const payload = {
        type: 'view_closed',
        team,
        user: userObj(user),
        api_app_id: identity.appId,
        token: 'legacy-verification-token',
        view: store.viewPayload(view),
        is_cleared: true,
        is_enterprise_install: false,
        enterprise: null,
      };
      store.stacks.delete(user);
      if (view.definition.notify_on_close !== true) return null;
      return send(interaction(payload), o);
    },

    async event(given, o = {}) {
      const event = subscribed(given);
      const eventId = o.eventId ?? `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
      const envelope = {
        token: 'legacy-verification-token',
        team_id: identity.teamId,
        api_app_id: identity.appId,
        event: { event_ts: actionTs(), ...event },
        type: 'event_callback',
        event_id: eventId,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [
          {
            enterprise_id: null,
            team_id: identity.teamId,
            user_id: identity.botUserId,
            is_bot: true,
            is_enterprise_install: false,
          },
        ],
        is_ext_shared_channel: false,
      };
      const request: SentRequest = {
        kind: 'event_callback',
        body: JSON.stringify(envelope),
        contentType: 'application/json',
      };
      let result = await send(request, o);
      const attempts = [result];
      for (let n = 1; o.slackRetries && !result.ok && n <= 3; n += 1) {
        const retryReason = result.ackMs > ACK_DEADLINE_MS ? 'http_timeout' : 'http_error';
        result = await send(request, { ...o, retryNum: n, retryReason });
        attempts.push(result);
      }
      return { ...result, eventId, attempts };
    },

    urlVerification(challenge) {
      const body = JSON.stringify({
        token: 'legacy-verification-token',
        challenge,
        type: 'url_verification',
      });
      return send({ kind: 'url_verification', body, contentType: 'application/json' });
    },

    resend: (request, o) => send(request, o),
  };

  /**
   * Slack shows a slash command's non-empty ack body to the user (or channel), unless its
   * blocks break the rules of a message: then the user sees only that the command failed.
   */
  function recordCommandAck(body: unknown, channel: string, user: string, ackMs: number): void {
    if (body === '' || body === undefined) return;
    const msg: JsonObject = isObject(body) ? body : { text: String(body) };
    const text = str(msg, 'text') ?? '';
    const blocks = Array.isArray(msg.blocks) ? msg.blocks : undefined;
    const violations = formatViolations(
      msg.blocks === undefined ? [] : validateBlocks(msg.blocks, 'message'),
    );
    if (violations.length === 0 && blocks !== undefined && blocksTooLong(blocks))
      violations.push('[ERROR] blocks are too long for one message [json-pointer:/blocks]');
    if (violations.length > 0) {
      failures.push({
        kind: 'slash_command',
        status: 200,
        ackMs,
        reason: 'invalid_command_response',
        messages: violations,
      });
      return;
    }
    if (str(msg, 'response_type') === 'in_channel')
      store.addMessage({ channel, text, ...(blocks ? { blocks } : {}), source: 'ack' });
    else store.addEphemeral({ channel, user, text, ...(blocks ? { blocks } : {}), source: 'ack' });
  }
}

function actionTs(): string {
  const now = Date.now() * 1000;
  return `${Math.floor(now / 1e6)}.${String(now % 1e6).padStart(6, '0')}`;
}
