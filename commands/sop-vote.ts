/**
 * `/sop vote [72 | 72h | 3d | 3 days]` (planners, executives): post the scenario vote of the open cycle's
 * latest plan run, in the executive channel (or here when none is set). Only in the executive
 * phase; an open vote on an older run is closed and replaced. `/sop vote mode|quorum` (admins)
 * configure the next votes in any phase.
 */
import { codeSpan } from '../src/core/text.js';
import { otherWriting, otherWritingAdvice, readTypedNumber } from '../src/core/typed-number.js';
import { type VoteLength, voteLengthText } from '../src/core/vote.js';
import type { AppDeps } from '../src/deps.js';
import { UsageError } from '../src/errors.js';
import { requireOpenCycle } from '../src/services/cycles.js';
import { membersWhoMay, requirePermission } from '../src/services/members.js';
import { attachPollMessage, createPoll, DEFAULT_POLL_LENGTH } from '../src/services/polls.js';
import { getSettings, updateSettings } from '../src/services/settings.js';
import type { SopCommandContext, SopSubcommand } from '../src/slack/command-types.js';
import { MOVED_TO_DM, type PostedWhere, postWhereInvoked } from '../src/slack/invoking-channel.js';
import { PostInFlightError, postMessageOnce, refusalsOf } from '../src/slack/post-ledger.js';
import { slackDate } from '../src/slack/presenters/format.js';
import { refusedPostHelp } from '../src/slack/presenters/undelivered.js';
import {
  unreachableQuorumText,
  VOTE_MODE_WORDS,
  voteMessage,
} from '../src/slack/presenters/vote.js';

/** Two weeks: the longest a vote stays open, in days, and in hours for a length typed in hours. */
const MAX_VOTE_DAYS = 14;
const MAX_VOTE_HOURS = 24 * MAX_VOTE_DAYS;

/**
 * The words of a vote's length: hours (`72h`), real hours; days (`3 days`) and weeks (`1 week`,
 * 7 days), calendar days in the company's zone, so a vote closes at the time of day it opened.
 */
const UNITS_OF: Readonly<Record<string, { unit: VoteLength['unit']; per: number }>> = {
  h: { unit: 'hours', per: 1 },
  hour: { unit: 'hours', per: 1 },
  hours: { unit: 'hours', per: 1 },
  d: { unit: 'days', per: 1 },
  day: { unit: 'days', per: 1 },
  days: { unit: 'days', per: 1 },
  w: { unit: 'days', per: 7 },
  week: { unit: 'days', per: 7 },
  weeks: { unit: 'days', per: 7 },
};
const UNITS = Object.keys(UNITS_OF);

/** Why `word` says no length of a vote, and how to write one. */
const lengthRefusal = (word: string) =>
  new UsageError(
    `${codeSpan(word)}: give how long the vote stays open as whole hours or days, from 1 hour to ${MAX_VOTE_DAYS} days, e.g. \`/sop vote 72\` or \`/sop vote 3 days\`.`,
  );

/**
 * How long a vote stays open, as typed after `/sop vote`: `72`, `72h` (hours), `3d`, `3 days`,
 * `1 week` (days; undefined: nothing typed, the default). Every other word is refused by name,
 * so `3 fortnights` never opens a vote of 3 hours; a length outside 1 hour to two weeks (336
 * hours, or 14 days) is refused, weeks with what they come to in days.
 */
function voteLength(words: readonly string[]): VoteLength | undefined {
  const [first, second, ...more] = words;
  if (first === undefined) return undefined;
  const m = /^(\d{1,6})([a-z]*)$/i.exec(first);
  if (!m) {
    const other = otherWriting(first);
    if (other) throw new UsageError(`${codeSpan(first)} ${otherWritingAdvice(other)}`);
    throw lengthRefusal(first);
  }
  const glued = m[2]?.toLowerCase() ?? '';
  if (glued !== '' && !(glued in UNITS_OF)) throw lengthRefusal(first);
  // `3d` takes no word after it; `3` takes one unit.
  const unit = glued !== '' ? glued : (second?.toLowerCase() ?? 'h');
  if (glued !== '' && second !== undefined) throw lengthRefusal(second);
  const of = UNITS_OF[unit];
  if (!of) throw lengthRefusal(second ?? first);
  if (more[0] !== undefined) throw lengthRefusal(more[0]);
  const count = Number(m[1]) * of.per;
  if (count < 1 || count > (of.unit === 'hours' ? MAX_VOTE_HOURS : MAX_VOTE_DAYS)) {
    const typed = words.join(' ');
    const inDays = of.per === 1 ? '' : ` is ${count} days`;
    throw new UsageError(
      `${codeSpan(typed)}${inDays}: a vote stays open from 1 hour to ${MAX_VOTE_DAYS} days (${MAX_VOTE_HOURS} hours), e.g. \`/sop vote 72\` or \`/sop vote 3 days\`.`,
    );
  }
  return { unit: of.unit, count };
}

/**
 * A quorum of more executives than there are can never be reached: said when it is set, and
 * when a vote opens with it. "there are 2 executives now: until 3 have the role …, only the
 * chair or the deadline closes `closes`", or null when the quorum can be reached.
 */
async function quorumOutOfReach(
  deps: Pick<AppDeps, 'db'>,
  quorum: number | null,
  closes: string,
): Promise<string | null> {
  if (quorum === null) return null;
  const voters = (await membersWhoMay(deps.db, 'vote.counted')).length;
  if (voters >= quorum) return null;
  return unreachableQuorumText(voters, quorum, `only the chair or the deadline closes ${closes}`);
}

export const vote: SopSubcommand = {
  name: 'vote',
  usage: '/sop vote [hours or days open: 72, 3 days; default 48 hours]',
  summary: 'post the scenario vote in the executive phase (only executives count)',
  action: 'vote.start',
  keywords: ['mode', 'quorum', 'named', 'open', 'anonymous', 'off', ...UNITS],
  parts: [
    {
      usage: '/sop vote mode named|anonymous · /sop vote quorum N|off',
      summary: 'how the next votes run',
      action: 'vote.configure',
      brief: '`/sop vote mode|quorum`',
    },
  ],
  async handle(ctx) {
    if (ctx.args[0] === 'mode' || ctx.args[0] === 'quorum') return configure(ctx);
    const length = voteLength(ctx.args);
    const { db } = ctx.deps;
    const cycle = await requireOpenCycle(db);
    const { view, replaced, closesWithPhase } = await createPoll(ctx.deps, {
      cycle,
      createdBy: ctx.member.userId,
      requestKey: ctx.requestKey,
      ...(length !== undefined ? { length } : {}),
    });
    const settings = await getSettings(db);
    const post = {
      logger: ctx.deps.logger,
      key: `poll:${view.poll.id}:message`,
      ...voteMessage(view),
    };
    const exec = settings.exec_channel;
    // Attached whether this call posted it or an earlier attempt did (and stopped before).
    // An open vote whose message was never posted comes back here: this posts it.
    let msg: PostedWhere;
    try {
      // In the executive channel when one is set: the executives vote there, so no DM will
      // do instead. Else where the command was typed (or the DM, where the bot cannot post).
      msg = exec
        ? {
            channel: exec,
            ts: (await postMessageOnce(db, ctx.client, { ...post, channel: exec })).ts,
            inDm: false,
          }
        : await postWhereInvoked(db, ctx.client, {
            ...post,
            user: ctx.member.userId,
            channel: ctx.command.channel_id,
          });
    } catch (err) {
      const refused = refusalsOf(err)[0];
      if (exec && refused) {
        await ctx.respond({
          response_type: 'ephemeral',
          text: `:warning: Vote ${view.poll.id} is saved, but I can't post it in <#${exec}>: ${refusedPostHelp(refused.error, exec, 'exec', 'type `/sop vote` again to post it')}`,
        });
        return;
      }
      // The vote is saved: say so, and how to post its message. Another request posting it
      // right now (a double click) is not a failure.
      if (err instanceof PostInFlightError) {
        await ctx.respond({
          response_type: 'ephemeral',
          text: `Vote ${view.poll.id} is saved and its message is being posted; type \`/sop vote\` in a minute if it does not appear.`,
        });
        return;
      }
      ctx.deps.logger.error(
        { err, pollId: view.poll.id },
        'vote saved, but its message was not posted',
      );
      await ctx.respond({
        response_type: 'ephemeral',
        text: `:warning: Vote ${view.poll.id} is saved, but its message could not be posted (it has been logged). Type \`/sop vote\` again to post it.`,
      });
      return;
    }
    await attachPollMessage(db, view.poll.id, msg.channel, msg.ts);
    const chair =
      view.poll.created_by === ctx.member.userId
        ? 'you chair it'
        : `<@${view.poll.created_by}> chairs it`;
    const instead = replaced
      ? ` It replaces vote ${replaced.id}, whose plan run ${replaced.runId} was out of date.`
      : '';
    const unreachable = await quorumOutOfReach(ctx.deps, view.poll.quorum, 'it');
    const typedLength = length ?? DEFAULT_POLL_LENGTH;
    const early =
      closesWithPhase && view.poll.closes_at
        ? ` It closes ${slackDate(view.poll.closes_at, view.timezone)}, before its ${voteLengthText(typedLength)} ${typedLength.count === 1 ? 'is' : 'are'} up: the executive phase ends then and closes the cycle, after which no decision can be recorded.`
        : '';
    await ctx.respond({
      response_type: 'ephemeral',
      text: `${msg.inDm ? `${MOVED_TO_DM} ` : ''}Vote ${view.poll.id} is open in <#${msg.channel}> with ${view.options.length} scenarios; ${chair} (Close button).${early}${instead}${unreachable ? ` Its quorum is ${view.poll.quorum} votes, and ${unreachable}` : ''}`,
    });
  },
};

/** The value typed after `mode` or `quorum`, as a refusal quotes it. */
const typedValue = (value: string | undefined): string =>
  value === undefined ? 'nothing' : codeSpan(value);

/**
 * `/sop vote mode named|anonymous`, `/sop vote quorum N|off` (admins): how the next votes run.
 * `open`, the older word for `named` (and the stored value), is still taken.
 */
async function configure(ctx: SopCommandContext): Promise<void> {
  requirePermission(ctx.member, 'vote.configure', 'change how votes run');
  const [what, value] = ctx.args;
  if (what === 'mode') {
    const mode =
      value === 'named' || value === 'open' ? 'open' : value === 'anonymous' ? value : null;
    if (mode === null)
      throw new UsageError(
        `mode: use \`named\` (${VOTE_MODE_WORDS.open}) or \`anonymous\` (counts only), got ${typedValue(value)}.`,
      );
    await updateSettings(ctx.deps.db, { vote_mode: mode }, { by: ctx.member.userId });
    await ctx.respond({
      response_type: 'ephemeral',
      text:
        mode === 'open'
          ? `Next votes show each voter by name (${VOTE_MODE_WORDS.open}).`
          : 'Next votes are anonymous: the tally shows counts only.',
    });
    return;
  }
  // Read as every typed number is: `Number` took `0x10` for 16 and `1e1` for 10.
  const typed = value === undefined ? null : readTypedNumber(value);
  if (typed?.kind === 'other-writing')
    throw new UsageError(`quorum: ${codeSpan(value ?? '')} ${typed.message}`);
  const n = value === 'off' ? null : typed?.kind === 'number' ? typed.value : Number.NaN;
  if (n !== null && (!Number.isInteger(n) || n < 1 || n > 100))
    throw new UsageError(
      `quorum: give a number of executive votes from 1 to 100, or \`off\`, got ${typedValue(value)}.`,
    );
  await updateSettings(ctx.deps.db, { vote_quorum: n }, { by: ctx.member.userId });
  const unreachable = await quorumOutOfReach(ctx.deps, n, 'a vote');
  await ctx.respond({
    response_type: 'ephemeral',
    text:
      n === null
        ? 'Next votes have no quorum; the chair or the deadline closes them.'
        : `Next votes close when ${n} executive${n === 1 ? ' has' : 's have'} voted.${unreachable ? ` ${unreachable[0]?.toUpperCase()}${unreachable.slice(1)}` : ''}`,
  });
}
