/**
 * What Slack refused to deliver for good, in words: Slack's reason, what to do about it, and
 * what each refused post was. The admins' DM, `/sop status` and `sopbot doctor` say a channel's
 * problem with the same sentences (refusalWords, channelFix).
 */
import type { Role } from '../../core/company.js';
import { PHASE_LABEL } from '../../core/cycle.js';
import { coversFamilies } from '../../core/policy.js';
import { ROLE_LABEL, roleNames } from '../../services/members.js';
import { esc } from './format.js';

/** Slack's refusals in plain words (PERMANENT_REFUSALS of src/slack/post-ledger.ts). */
const WORDS: Readonly<Record<string, string>> = {
  not_in_channel: 'the bot is not in the channel',
  is_archived: 'the channel is archived',
  channel_not_found:
    'Slack cannot find the channel: it was deleted, or it is private and the bot is not in it',
  account_inactive: 'their Slack account is deactivated',
  // sopbot's own, not Slack's answer (DEACTIVATED): users.info says so, and nothing is sent.
  deactivated: 'their Slack account is deactivated',
  user_disabled: 'their Slack account is deactivated',
  user_not_found: 'Slack does not know this person: they were removed from the workspace',
  user_not_visible: 'the bot may not see this person',
  cannot_dm_bot: 'this is a bot, and a bot cannot be sent DMs',
  restricted_action: "the workspace's settings do not let the bot post there",
  missing_scope: "the bot's token lacks a permission this needs",
  not_authed: "the bot's token is missing",
  invalid_auth: "the bot's token is not valid",
  token_revoked: "the bot's token was revoked",
};

/** Slack's reason `code` in plain words ("the bot is not in the channel"). */
export function refusalWords(code: string): string {
  return WORDS[code] ?? `Slack answered \`${esc(code)}\``;
}

export type ChannelSetting = 'demand' | 'supply' | 'exec';

const TOKEN_FIX =
  'run `sopbot doctor` on the server: it says which token or permission is missing and how to install it';

/**
 * What an admin does about Slack refusing `code` in the channel `where` (`<#C…>` in Slack,
 * `#sop-exec` in a terminal), which the settings name as the `settings` channel(s).
 */
export function channelFix(
  code: string,
  where: string,
  settings: readonly ChannelSetting[],
): string {
  const setting = settings[0];
  const setAgain = setting ? `\`/sop settings channels ${setting} #channel\`` : null;
  switch (code) {
    case 'not_in_channel':
      return `invite the bot: in ${where}, type \`/invite @sopbot\``;
    case 'is_archived':
      return setAgain
        ? `unarchive ${where}, or set another channel with ${setAgain}`
        : `unarchive ${where} if it should still hear from sopbot`;
    case 'channel_not_found':
      return setAgain
        ? `set the channel again with ${setAgain} (invite the bot to a private one: \`/invite @sopbot\`)`
        : `if ${where} is private, invite the bot to it: \`/invite @sopbot\``;
    case 'restricted_action':
      return `ask a Slack admin to let the bot post in ${where}`;
    default:
      return TOKEN_FIX;
  }
}

/**
 * For the person whose command asked for a post in `channel` (the `setting` channel) that
 * Slack refused for good with `code`: why, what to do, and then `again` ("`/sop pack post`
 * again"). "the bot is not in the channel. Invite the bot: in <#C…>, type `/invite @sopbot`;
 * then …".
 */
export function refusedPostHelp(
  code: string,
  channel: string,
  setting: ChannelSetting,
  again: string,
): string {
  const fix = asSentence(channelFix(code, `<#${channel}>`, [setting])).slice(0, -1);
  return `${refusalWords(code)}. ${fix}; then ${again}.`;
}

/** A person a DM was refused to, and what of theirs waits on them. */
export interface PersonAtStake {
  readonly role: Role | null;
  readonly families: readonly string[];
  /** Their open follow-up actions, by due date. */
  readonly openActions: readonly {
    readonly id: string;
    readonly description: string;
    readonly due_date: string;
  }[];
  /**
   * The open cycle's vote they chair that still waits for its decision (its chair is asked to
   * close it and record the decision); null or absent when none.
   */
  readonly chairs?: { readonly id: string; readonly status: 'open' | 'closed' } | null;
}

const MAX_ACTIONS = 10;

/** What an admin does about Slack refusing `code` for DMs to `user`. */
export function personFix(code: string, user: string, p: PersonAtStake): string {
  if (['missing_scope', 'not_authed', 'invalid_auth', 'token_revoked'].includes(code))
    return `${TOKEN_FIX}.`;
  if (code === 'user_not_visible' || code === 'cannot_dm_bot')
    return `check who <@${user}> is: sopbot DMs people of this workspace only.`;
  return [`if <@${user}> has left, give their part to someone else.`, ...theirPart(user, p)].join(
    ' ',
  );
}

/**
 * What `user` holds that someone else must take over, a sentence each with the commands that
 * do it: their role (and a rep's families), the vote they chair, their open follow-up actions.
 */
function theirPart(user: string, p: PersonAtStake): string[] {
  const parts: string[] = [];
  if (p.role && p.role !== 'admin') {
    const role = `\`/sop role @someone ${p.role}\``;
    parts.push(
      // Only a rep covers families as sopbot asks about them: another role's kept list (a rep
      // made planner) is given with `/sop families` to a rep only, so it is not named.
      coversFamilies(p) && p.families.length > 0
        ? // A family may have several reps: theirs go too, or each demand review would nudge
          // them again (refused again, and the admins told again).
          `They are ${ROLE_LABEL[p.role]} for ${esc(p.families.join(', '))}: ${role}, then \`/sop families @someone ${esc(p.families.join(' '))}\`, and take theirs away with \`/sop role <@${user}> none\` (their families go with it), so they are not asked for forecast input again.`
        : `They are ${ROLE_LABEL[p.role]}: ${role}, and take theirs away with \`/sop role <@${user}> none\`.`,
    );
  }
  if (p.chairs)
    parts.push(
      p.chairs.status === 'open'
        ? `They chair vote ${p.chairs.id}, still open: ${roleNames('vote.close')} close it (*Close vote* on the vote), and ${roleNames('decision.record')} record its decision (*Record the decision* in their App Home).`
        : `They chair vote ${p.chairs.id}, closed and waiting for its decision: ${roleNames('decision.record')} record it (*Record the decision* in their App Home, or \`/sop decide\`).`,
    );
  const n = p.openActions.length;
  if (n > 0) {
    const listed = p.openActions
      .slice(0, MAX_ACTIONS)
      .map((a) => `#${a.id} ${esc(a.description)} (due ${a.due_date})`);
    const more = n > MAX_ACTIONS ? `; and ${n - MAX_ACTIONS} more` : '';
    const first = p.openActions[0]?.id ?? '';
    parts.push(
      n === 1
        ? `They own an open follow-up action nobody will be reminded of: ${listed.join('; ')}. Give it to someone else with \`/sop actions reassign #${first} @someone\`.`
        : `They own ${n} open follow-up actions nobody will be reminded of: ${listed.join('; ')}${more}. Give each to someone else with \`/sop actions reassign #id @someone\` (\`/sop actions <@${user}>\` lists them).`,
    );
  }
  return parts;
}

/** Whether sopbot knows `p` for anything they hold (a role, families, open actions, a vote). */
export function holdsAnything(p: PersonAtStake): boolean {
  return p.role !== null || p.families.length > 0 || p.openActions.length > 0 || !!p.chairs;
}

/**
 * The DM to each admin when Slack says `user`'s account was deactivated (`user_change`): who
 * left and what of theirs someone else must take over. `bootstrapAdmin`: SOPBOT_ADMIN_USERS
 * names them.
 */
export function userLeftDm(
  user: string,
  p: PersonAtStake,
  bootstrapAdmin: boolean,
): { text: string } {
  const lines = [
    `:wave: <@${user}> left the workspace: Slack deactivated their account. What sopbot knows them for:`,
    ...theirPart(user, p),
  ];
  if (p.role === 'admin')
    lines.push(`They are an admin: take it away with \`/sop role <@${user}> none\`.`);
  if (bootstrapAdmin)
    lines.push(
      `SOPBOT_ADMIN_USERS names them: take them out of it where the bot and the workers are configured.`,
    );
  return { text: lines.join('\n') };
}

/**
 * The ids a ledger key names whose cycle month describes it: `cycle:<id>` or `poll:<id>`
 * (describePost's `months`).
 */
export function monthRefs(key: string): string[] {
  const cycle = /^(?:phase|nudge|pack|review|cycle):(\d+)(?::|$)/.exec(key);
  if (cycle) return [`cycle:${cycle[1]}`];
  const poll = /^poll:(\d+):/.exec(key);
  return poll ? [`poll:${poll[1]}`] : [];
}

const phaseLabel = (p: string) => PHASE_LABEL[p as keyof typeof PHASE_LABEL] ?? esc(p);

/**
 * What the post under ledger `key` was, in words ("the pack of cycle 2027-03"); `months` gives
 * the cycle month of each monthRefs entry.
 */
export function describePost(key: string, months: ReadonlyMap<string, string>): string {
  const parts = key.split(':');
  const [head, id = '', a = '', b = ''] = parts;
  const of = (ref: string) => {
    const m = months.get(ref);
    return m ? ` of cycle ${m}` : '';
  };
  switch (head) {
    case 'phase': {
      const month = months.get(`cycle:${id}`);
      return `the announcement that ${month ? `cycle ${month}` : 'the cycle'} entered ${phaseLabel(a)}`;
    }
    case 'nudge':
      return `<@${b}>'s ${phaseLabel(a)} nudge${of(`cycle:${id}`)}`;
    case 'pack':
      return `the pack${of(`cycle:${id}`)}`;
    case 'review':
      return a === 'trend'
        ? `the trend chart of the performance review${of(`cycle:${id}`)}`
        : `the performance review${of(`cycle:${id}`)}`;
    case 'cycle':
      return `the ${a === 'supply-summary' ? 'supply' : 'demand'} summary${of(`cycle:${id}`)}`;
    case 'poll':
      if (a === 'message') return `the vote${of(`poll:${id}`)}`;
      if (a === 'replaced')
        return `the note in the vote's thread that plan run #${b} replaced its figures`;
      if (a === 'chair-prompt')
        return `the chair's prompt to record the vote's decision${of(`poll:${id}`)}`;
      break;
    case 'decision':
      // decision:<id>:breaks:<owner>, the DM to a break's owner; decision:<id>:log
      return a === 'breaks'
        ? `the DM telling the owner what decision #${id} decided about their breaks of the frozen plan`
        : `the decision log entry of decision #${id}`;
    case 'run':
      return a === 'headline'
        ? `the results of plan run #${id}`
        : `the ${esc(parts.slice(2).join(' '))} chart of plan run #${id}`;
    case 'action':
      if (a === 'assigned') return `the DM assigning action #${id}`;
      if (a === 'handover')
        return parts[4] === 'old'
          ? `the DM telling the old owner of action #${id} it was given to someone else`
          : `the DM giving action #${id} to its new owner`;
      return `the update on action #${id}`;
    case 'reminder':
      return `the reminder for action #${id}`;
    case 'reminder-digest':
      return `the reminder digest of ${esc(a)}`;
    case 'deviation':
      return a === 'revision' ? `the correction of S&OE deviation #${id}` : `S&OE deviation #${id}`;
    case 'deviation-rollup':
      return a === 'owner' ? "an S&OE roll-up's DM" : 'the S&OE roll-up';
    case 'digest':
      return `the S&OE digest of the week of ${esc(id)}`;
    case 'whatif':
      return "a what-if's answer";
    case 'plan':
      return "a plan's answer in its thread";
    case 'user-left':
      // user-left:<user>:<day>:<admin>
      return `the notice to the admins that ${conversationRef(id)} left the workspace`;
    case 'undelivered':
      // undelivered:<conversation>:<reason>:<day>:<admin>
      return `the notice of ${esc(b)} to the admins that Slack refused posts to ${conversationRef(id)}`;
  }
  return `a message (\`${esc(key)}\`)`;
}

const MAX_POSTS = 8;

/** "the pack of cycle 2027-03, the vote of cycle 2027-03 and 3 more". */
export function postList(descriptions: readonly string[]): string {
  const unique = [...new Set(descriptions)];
  const shown = unique.slice(0, MAX_POSTS);
  const more = unique.length - shown.length;
  return `${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}

/** `<#C…>` for a channel, `<@U…>` for a person (a DM's conversation is its user id). */
export function conversationRef(conversation: string): string {
  return isPerson(conversation) ? `<@${conversation}>` : `<#${conversation}>`;
}

/** A conversation recorded under a user id: the DMs to a person. */
export function isPerson(conversation: string): boolean {
  return /^[UW]/.test(conversation);
}

/** A fix as a sentence of its own: capitalised, with its full stop. */
export function asSentence(fix: string): string {
  const s = `${fix.charAt(0).toUpperCase()}${fix.slice(1)}`;
  return s.endsWith('.') ? s : `${s}.`;
}

const count = (n: number, person: boolean) =>
  `${n} ${person ? (n === 1 ? 'DM' : 'DMs') : n === 1 ? 'post' : 'posts'}`;

export interface RefusalNotice {
  readonly conversation: string;
  readonly reason: string;
  /** Each refused post, described (describePost). */
  readonly posts: readonly string[];
  /** What to do (channelFix or personFix). */
  readonly fix: string;
}

/** The DM to each admin: what Slack refused, where, why, and what to do. */
export function refusalNoticeDm(n: RefusalNotice): { text: string } {
  const person = isPerson(n.conversation);
  const where = conversationRef(n.conversation);
  return {
    text: [
      n.reason === 'deactivated' // DEACTIVATED of src/slack/post-ledger.ts
        ? // Slack would have taken them, into a DM nobody reads: sopbot sent none.
          `:warning: ${count(n.posts.length, person)} to ${where} not sent: ${refusalWords(n.reason)} (Slack's users.info says so).`
        : `:warning: Slack refused ${count(n.posts.length, person)} to ${where} for good: ${refusalWords(n.reason)}.`,
      `Not delivered, and not tried again: ${postList(n.posts)}.`,
      `What to do: ${asSentence(n.fix)}`,
      `\`/sop status\` shows this until a ${person ? 'DM' : 'post'} to ${where} goes through.`,
    ].join('\n'),
  };
}

/** One conversation's unresolved refusals, for `/sop status`. */
export interface UndeliveredLine {
  readonly conversation: string;
  readonly reason: string;
  /** The company-zone day of the first refusal (YYYY-MM-DD). */
  readonly since: string;
  readonly posts: number;
  readonly fix: string;
}

/** `/sop status`'s lines for admins: "Undelivered since 2027-03-02: 3 posts to #sop-exec (…)". */
export function undeliveredText(lines: readonly UndeliveredLine[]): string | null {
  if (lines.length === 0) return null;
  return lines
    .map(
      (l) =>
        `:warning: *Undelivered since ${l.since}*: ${count(l.posts, isPerson(l.conversation))} to ${conversationRef(l.conversation)} (${refusalWords(l.reason)}). ${asSentence(l.fix)}`,
    )
    .join('\n');
}
