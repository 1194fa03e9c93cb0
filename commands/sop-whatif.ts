/**
 * `/sop whatif <assumption>`: the cycle's first scenario (Central) against it + the assumption. "Solving…" is posted
 * where the answer goes, and the job edits it into the differences, the scenario chart in its
 * thread: typed in the executive channel, as `/sop plan` there, a reply in the cycle's plans
 * thread; elsewhere, in that channel (or the person's DM, when the bot cannot post there).
 * The same request retried by Slack is one message and one job (ledger key and job id from
 * the request key). Bad syntax or unknown codes get an ephemeral answer showing what to write.
 */
import { WHATIF_TEXT_MAX } from '../jobs/contracts.js';
import {
  parseWhatIfs,
  WHAT_IF_SYNTAX,
  WhatIfError,
  whatIfMonthOutside,
  whatIfSpan,
  zeroWhatIfMessage,
} from '../src/core/scenarios/what-if.js';
import { DEFAULT_SCENARIOS } from '../src/core/scenarios.js';
import { codeSpan, controlCharacterMessage, namedCodes } from '../src/core/text.js';
import { UsageError } from '../src/errors.js';
import { horizonOf } from '../src/services/adjustments.js';
import { companyDataGap } from '../src/services/company-data.js';
import { getOpenCycle } from '../src/services/cycles.js';
import { enqueueDurably } from '../src/services/outbox.js';
import { openPlansThread } from '../src/services/plan-threads.js';
import {
  activeCodesOf,
  inactiveWhatIfCode,
  knownCodes,
  listCycleScenarios,
  unknownWhatIfCode,
} from '../src/services/scenarios.js';
import { getSettings } from '../src/services/settings.js';
import { userNamesFor } from '../src/services/user-names.js';
import type { SopSubcommand } from '../src/slack/command-types.js';
import { MOVED_TO_DM, postWhereInvoked } from '../src/slack/invoking-channel.js';
import { PostInFlightError, postMessageOnce } from '../src/slack/post-ledger.js';
import { esc } from '../src/slack/presenters/format.js';

const USAGE = '/sop whatif <assumption>[; <assumption>…]';

const syntax = (): string =>
  Object.values(WHAT_IF_SYNTAX)
    .map((s) => `• \`${s}\``)
    .join('\n');

export const whatif: SopSubcommand = {
  name: 'whatif',
  usage: '/sop whatif demand FAM-3 +20% 2027-04..2027-06 [; another assumption]',
  summary: 'central solved again with what changes; the differences and their chart',
  action: 'whatif.run',
  async handle({ deps, rest, command, client, member, requestKey, respond }) {
    const text = rest.trim();
    const control = controlCharacterMessage('The what-if', text);
    if (control) throw new UsageError(control);
    if (!text) throw new UsageError(`Say what to change. Usage: \`${USAGE}\`\n${syntax()}`);
    // Before anything is posted: the job carries the text, and takes at most this much.
    if (text.length > WHATIF_TEXT_MAX)
      throw new UsageError(
        `The what-if is ${text.length} characters long; \`/sop whatif\` takes at most ${WHATIF_TEXT_MAX}. Shorten it, or ask in two what-ifs.`,
      );
    let parsed: ReturnType<typeof parseWhatIfs>;
    try {
      parsed = parseWhatIfs(text);
    } catch (err) {
      if (err instanceof WhatIfError)
        throw new UsageError(
          err.listsSyntax ? err.message : `${err.message}\nWrite one of:\n${syntax()}`,
        );
      throw err;
    }
    if (parsed.length === 0)
      throw new UsageError(`Say what to change. Usage: \`${USAGE}\`\n${syntax()}`);
    // +0% changes nothing: it would be solved and answered as Central.
    const zero = zeroWhatIfMessage(parsed);
    if (zero) throw new UsageError(zero);
    // No families or resources yet: no central plan to compare with, and no code to name.
    const gap = await companyDataGap(deps.db);
    if (gap) throw new UsageError(`There is no plan to compare with. ${gap}`);
    // Codes in any case, as /forecast reads them; the job reads them the same way.
    const codes = await knownCodes(deps.db);
    // The choices offered are the codes a plan is made of: an inactive one would fail the job.
    const families = namedCodes(activeCodesOf(codes, 'family'));
    const resources = namedCodes(activeCodesOf(codes, 'resource'));
    const unknown = unknownWhatIfCode(parsed, codes);
    if (unknown?.kind === 'family')
      throw new UsageError(
        `There is no family ${codeSpan(unknown.code)}. Use \`all\` or a family code: ${families}.`,
      );
    if (unknown?.kind === 'resource')
      throw new UsageError(
        `There is no resource ${codeSpan(unknown.code)}. Use a resource code: ${resources}.`,
      );
    const inactive = inactiveWhatIfCode(parsed, codes);
    if (inactive?.kind === 'family')
      throw new UsageError(
        `Family ${codeSpan(inactive.code)} is inactive, so no plan includes it. Use \`all\` or an active family code: ${families}.`,
      );
    if (inactive?.kind === 'resource')
      throw new UsageError(
        `Resource ${codeSpan(inactive.code)} is inactive, so no plan includes it. Use an active resource code: ${resources}.`,
      );
    const cycle = await getOpenCycle(deps.db);
    if (!cycle)
      throw new UsageError('No S&OP cycle is open, so there is no central plan to compare with.');
    // The plan covers the cycle's horizon: a change outside it would change nothing in it.
    const settings = await getSettings(deps.db);
    const months = horizonOf(cycle, settings);
    const outside = whatIfMonthOutside(parsed, months);
    if (outside)
      throw new UsageError(
        `${outside} is outside the months the plan covers (${months[0]} to ${months.at(-1)}), so the what-if would change nothing: name months within them, or leave the months out to change every month.`,
      );
    // The scenario it is solved against (the cycle's first), named as planners named it.
    const { scenarios } = await listCycleScenarios(deps.db, cycle.id);
    const reference = scenarios[0] ?? DEFAULT_SCENARIOS[0]!;
    // Named, not mentioned: a mention in this new post would notify them of their own question.
    // A person is waiting: no retry; a name Slack cannot give shows the id, logged.
    const asker = await userNamesFor(deps.db, client, deps.logger).name(member.userId);
    const asked = `:crystal_ball: ${esc(asker)} asked: what if ${esc(whatIfSpan(text))}? Solving against ${esc(reference.label)}…`;
    const key = `whatif-request:${requestKey}`;
    const exec = settings.exec_channel;
    const inExec = exec !== null && command.channel_id === exec;
    // Where the answer goes: "Solving…" is posted there, and the job edits it into the answer.
    let at: { channel: string; threadTs: string; ts: string; inDm: boolean } | null = null;
    if (inExec) {
      // As `/sop plan` there: a reply in the cycle's plans thread, where its runs answer. Its
      // message may be in flight (the ledger finds it within a minute): then in the channel.
      const threadTs = await openPlansThread(deps.db, client, cycle, exec).catch((err) => {
        if (err instanceof PostInFlightError) return null;
        throw err;
      });
      if (threadTs) {
        const out = await postMessageOnce(deps.db, client, {
          logger: deps.logger,
          key,
          channel: exec,
          threadTs,
          text: asked,
        });
        at = { channel: exec, threadTs, ts: out.ts, inDm: false };
      }
    }
    if (!at) {
      const msg = await postWhereInvoked(deps.db, client, {
        logger: deps.logger,
        user: member.userId,
        key,
        channel: command.channel_id,
        text: asked,
      });
      at = { channel: msg.channel, threadTs: msg.ts, ts: msg.ts, inDm: msg.inDm };
    }
    const d = await enqueueDurably(deps, 'whatif', {
      cycleId: cycle.id,
      text,
      requestedBy: member.userId,
      requestKey,
      replyTo: { channel: at.channel, threadTs: at.threadTs },
      answerTs: at.ts,
    });
    if (at.inDm) await respond({ response_type: 'ephemeral', text: MOVED_TO_DM });
    // Told once the request is recorded (the outbox), so "Solving…" is true when it is read.
    else if (at.threadTs !== at.ts)
      await respond({
        response_type: 'ephemeral',
        text: `:crystal_ball: Solving… the answer will follow in the thread of *Plans for S&OP ${cycle.month}* in this channel.`,
      });
    if (d.pending > 0)
      await respond({
        response_type: 'ephemeral',
        text: ':hourglass: Your what-if is saved, but the job queue is unavailable: it will be solved as soon as the queue is back, its “Solving…” message then turned into the answer.',
      });
  },
};
