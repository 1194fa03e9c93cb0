/**
 * The scenario vote message: the comparison grid (one section of fields per scenario), one
 * button per scenario, the live tally (voters by name, or counts only when anonymous), a Close
 * button for the chair; once closed, the outcome instead of the buttons.
 */
import type { types } from '@slack/bolt';
import type { PollOptionRow } from '../../../db/queries/polls.js';
import { LATE_PHASE_END_MS } from '../../core/cycle.js';
import { type BillGap, type OpeningAmounts, openingLeftOut } from '../../core/finance.js';
import { formatMoney, moneyAlike } from '../../core/number-format.js';
import { periodSpan } from '../../core/period.js';
import { rolesFor } from '../../core/policy.js';
import {
  budgetEndBefore,
  CASES_WORDS,
  EXCESS_STOCK,
  peakWorkingCapital,
  tradeOffSentences,
  workingCapitalVsBudgetWords,
} from '../../core/scenarios/trade-off.js';
import { withoutBidiControls } from '../../core/text.js';
import { ON_THE_LATEST_RUN, replacedRunNotice } from '../../core/vote.js';
import { ROLE_LABEL, type RoleChange } from '../../services/members.js';
import type { PollView } from '../../services/polls.js';
import { andMore, clipMrkdwn, MESSAGE_BLOCKS_CHARS } from './fit.js';
import {
  clip,
  esc,
  escInMarks,
  fmtQty,
  mrkdwn,
  notificationText,
  plain,
  slackDate,
} from './format.js';

export const VOTE_CAST = 'vote_cast';
export const VOTE_CLOSE = 'vote_close';
/** Button on the chair's DM when a quorum or the deadline closed the vote. */
export const DECISION_OPEN = 'decision_open';

const pct = (x: number | null | undefined) =>
  typeof x === 'number' ? `${(x * 100).toFixed(1)}%` : 'n/a';

const money = (x: number | null | undefined) => (typeof x === 'number' ? formatMoney(x) : 'n/a');
/** Amounts read together in one field, at one precision: "$85.7M / $80.0M". */
const alike = (...xs: (number | null | undefined)[]): string[] => moneyAlike(xs.map(money));

/**
 * What "bad case" means in the fields, said once (the P10 of margin, cash and fill rate, the
 * P90 of peak working capital), and "good case" in the trade-off sentences (the P90 of margin).
 */
export const BAD_CASE_NOTE = `Each plan against the same demand samples · ${CASES_WORDS}`;

/**
 * The period the fields' money covers and what kind of figure each is, said once: margin and
 * cash are totals over the run's months, working capital (where it is shown) the highest
 * month-end; and, where cash is shown (`opening`), what it counts of the invoices and bills
 * open when the first month began (`openingCash`). The vote, the plan run's headline and `/sop whatif` say it
 * alike.
 */
export function moneyNote(
  horizon: readonly string[],
  workingCapital = true,
  opening: OpeningCash | null = null,
): string | null {
  const first = horizon[0];
  if (first === undefined) return null;
  const months = `${horizon.length} month${horizon.length === 1 ? '' : 's'}`;
  const invoices = opening ? `; ${openingLeftOut(first, opening, 'cash')}` : '';
  return `Money over ${periodSpan(horizon)} (${months}): margin and cash generated are totals for the period${workingCapital ? ', working capital its highest month-end' : ''}${invoices}`;
}

/**
 * What a run's cash counts of the invoices and the bills open when it began: an amount each,
 * or null (not counted).
 */
export type OpeningCash = OpeningAmounts;

/**
 * The invoices and bills open when the run began, as its scenarios' KPIs keep them
 * (`openingReceivables`, `openingPayables`, the same for each; a run stored before either was
 * counted has none), or null when none of them has cash figures. `billsGap`: the family still
 * producing whose production a month lacks, named when the bills are left out or estimated
 * for it.
 */
export function openingCash(
  kpis: readonly Readonly<Record<string, number | null | undefined>>[],
  billsGap: BillGap | null = null,
  /** The bills estimated from the sales at unit cost (the stress test's `openingPayablesEstimated`). */
  billsEstimated = false,
): OpeningCash | null {
  if (!kpis.some((k) => typeof k.cashFlow === 'number' || typeof k.cashFlowP10 === 'number'))
    return null;
  const amount = (key: 'openingReceivables' | 'openingPayables'): number | null =>
    kpis.map((k) => k[key]).find((v) => typeof v === 'number') ?? null;
  const payables = amount('openingPayables');
  const estimated = payables !== null && billsEstimated;
  return {
    receivables: amount('openingReceivables'),
    payables,
    ...((payables === null || estimated) && billsGap ? { billsGap } : {}),
    ...(estimated ? { billsEstimated: true } : {}),
  };
}

/**
 * Peak working capital, expected and in a bad case (the P90: more cash tied up), and the
 * expected peak against the budget's where the budget covers the run's months, as the pack's
 * question 4 says it. A run stored before the bad case was kept shows the expected peak alone.
 */
function workingCapitalField(k: PollOptionRow['kpis'], horizon: readonly string[]): string {
  const w = peakWorkingCapital(k);
  const head =
    w.badCase === null
      ? `*Expected peak working capital*\n${money(w.expected)}`
      : `*Peak working capital expected / bad case*\n${alike(w.expected, w.badCase).join(' / ')}`;
  const vsBudget = workingCapitalVsBudgetWords(w, budgetEndBefore(k, horizon));
  return vsBudget === null
    ? head
    : `${head}\n${vsBudget.charAt(0).toUpperCase()}${vsBudget.slice(1)}`;
}

function scenarioFields(o: PollOptionRow, horizon: readonly string[]): types.MrkdwnElement[] {
  const k = o.kpis;
  if (typeof k.expectedMargin !== 'number') {
    // A run from before the stress test: its plan's own figures.
    return [
      mrkdwn(`*Margin*\n${money(k.grossMargin)}`),
      mrkdwn(`*Fill rate*\n${pct(k.fillRate)}`),
      mrkdwn(
        `*Avg inventory*\n${typeof k.averageInventory === 'number' ? fmtQty(k.averageInventory) : 'n/a'}`,
      ),
      mrkdwn(`*Utilisation avg / peak*\n${pct(k.averageUtilisation)} / ${pct(k.peakUtilisation)}`),
    ];
  }
  // "Bad case" (the P10; of working capital the P90) is said in words once, in the context
  // under the header.
  const [margin, marginBad] = alike(k.expectedMargin, k.marginP10);
  return [
    mrkdwn(`*Expected margin*\n${margin} (bad case ${marginBad})`),
    mrkdwn(`*Fill rate expected / bad case*\n${pct(k.expectedFillRate)} / ${pct(k.serviceAtRisk)}`),
    mrkdwn(`*Cash generated expected / bad case*\n${alike(k.cashFlow, k.cashFlowP10).join(' / ')}`),
    mrkdwn(`*${EXCESS_STOCK}*\n${money(k.excessInventoryValue)} expected`),
    mrkdwn(workingCapitalField(k, horizon)),
    mrkdwn(`*Utilisation avg / peak*\n${pct(k.averageUtilisation)} / ${pct(k.peakUtilisation)}`),
    ...(typeof k.makingCost === 'number' ? [mrkdwn(makingCostField(k.makingCost, o))] : []),
  ];
}

/**
 * What the plan spends to make and hold what it plans (`makingCost`: production, overtime,
 * subcontracting, crew, holding; the solver's penalties are not in it), with the levers a
 * plan pulls to meet more demand named, so the grid shows what each plan costs, not its
 * margin alone.
 */
function makingCostField(cost: number, o: PollOptionRow): string {
  const b = o.costBreakdown;
  const levers = [
    typeof b.overtime === 'number' ? `overtime ${money(b.overtime)}` : null,
    typeof b.subcontract === 'number' ? `subcontracting ${money(b.subcontract)}` : null,
  ].filter((x): x is string => x !== null);
  return `*Making cost at planned demand*\n${money(cost)}${levers.length ? ` (${levers.join(', ')})` : ''}`;
}

/** The trade-off each option accepts, one sentence per scenario (empty before the stress test). */
export function tradeOffs(
  options: readonly PollOptionRow[],
  horizon: readonly string[] = [],
): (string | null)[] {
  return tradeOffSentences(
    options.map((o) => ({ label: o.label, kpis: o.kpis })),
    { horizon },
  );
}

/**
 * How a vote's mode is named to people (the tally, `/sop vote mode`): "open" (the stored
 * value) read as "the vote is still open" under a closed vote's tally.
 */
export const VOTE_MODE_WORDS: Readonly<Record<PollView['poll']['mode'], string>> = {
  open: 'votes shown by name',
  anonymous: 'anonymous votes',
};

/** One line per option: counts, and the voters' names unless the vote is anonymous. */
export function tallyText(v: PollView): string {
  const lines = v.tally.options.map((o) => {
    const who =
      v.poll.mode === 'open' && o.voters.length
        ? ` ${o.voters.map((u) => `<@${u}>`).join(' ')}`
        : '';
    return `*${escInMarks(o.label)}*: ${o.votes} vote${o.votes === 1 ? '' : 's'}${who}`;
  });
  const quorum = v.poll.quorum ? ` · quorum ${v.tally.total}/${v.poll.quorum}` : '';
  lines.push(
    `_${v.tally.total} executive vote${v.tally.total === 1 ? '' : 's'} counted${quorum} · ${VOTE_MODE_WORDS[v.poll.mode]}_`,
  );
  return lines.join('\n');
}

/**
 * Why a vote its deadline job closed is closed: "deadline passed", and when its job ran more
 * than `LATE_PHASE_END_MS` after the deadline (the worker down across it), both instants, as
 * a phase that ended late says (the vote took no votes after its deadline, `castVote`).
 */
function deadlinePassed(v: PollView): string {
  const { closes_at: due, closed_at: closed } = v.poll;
  if (!due || !closed || closed.getTime() - due.getTime() <= LATE_PHASE_END_MS)
    return 'deadline passed';
  return `deadline passed ${slackDate(due, v.timezone)}; counted late, ${slackDate(closed, v.timezone)}`;
}

/**
 * Why a vote the cycle's close at its deadline closed is closed: "the cycle closed at its
 * deadline", and when the close came more than `LATE_PHASE_END_MS` after the vote stopped
 * taking votes (the worker down across the executive phase's deadline, `endAtDeadline` closing
 * the cycle when it was back), both instants: the cycle's deadline, or the vote's own when that
 * came first and its job had not run either.
 */
function cycleDeadlinePassed(v: PollView): string {
  const closed = v.poll.closed_at;
  const own = v.poll.closes_at;
  const cycle = v.cycleDeadline ?? null;
  const due = own && (!cycle || own.getTime() < cycle.getTime()) ? own : cycle;
  if (!due || !closed || closed.getTime() - due.getTime() <= LATE_PHASE_END_MS)
    return 'the cycle closed at its deadline';
  const [passed, counted] =
    due === cycle
      ? ["the cycle's deadline passed", 'counted late']
      : ['deadline passed', 'counted late, when the cycle closed'];
  return `${passed} ${slackDate(due, v.timezone)}; ${counted}, ${slackDate(closed, v.timezone)}`;
}

export function outcomeText(v: PollView): string {
  const why =
    v.poll.close_reason === 'quorum'
      ? 'quorum reached'
      : v.poll.close_reason === 'deadline'
        ? deadlinePassed(v)
        : v.poll.close_reason === 'cycle'
          ? v.poll.closed_by === 'deadline'
            ? cycleDeadlinePassed(v)
            : `<@${v.poll.closed_by}> closed the cycle`
          : v.poll.close_reason === 'decided'
            ? `<@${v.poll.closed_by}> recorded the decision`
            : v.poll.close_reason === 'replaced'
              ? `<@${v.poll.closed_by}> started a new vote on the latest plan run`
              : `closed by <@${v.poll.closed_by}>`;
  const winner = v.tally.winner
    ? v.tally.options.find((o) => o.id === v.tally.winner)?.label
    : null;
  const lead = winner
    ? `Most votes: *${escInMarks(winner)}*.`
    : v.tally.tie
      ? 'The vote is tied.'
      : 'No executive voted.';
  if (v.decision) {
    // Adopted by the vote or by an executive without one (the decision's post says which);
    // who is named here recorded it: a chair who is a planner adopts nothing.
    // A vote the decision itself closed names its recorder already ("@x recorded the decision").
    const by =
      v.poll.close_reason === 'decided'
        ? 'adopted.'
        : `adopted, recorded by <@${v.decision.decided_by}>.`;
    const adopted = v.decisionScenario;
    // A decision on a newer run (`/sop decide`) settled this vote: none of its options.
    if (adopted && adopted.runId !== v.poll.run_id)
      return `:white_check_mark: Vote closed (${why}). ${lead} Its figures were out of date: plan run ${adopted.runId} replaced run ${v.poll.run_id}. Decision: *${escInMarks(adopted.label)}* of run ${adopted.runId} ${by}`;
    const label =
      v.options.find((o) => o.scenarioId === v.decision!.scenario_id)?.label ??
      adopted?.label ??
      v.decision.scenario_id;
    return `:white_check_mark: Vote closed (${why}). ${lead} Decision: *${escInMarks(label)}* ${by}`;
  }
  if (v.poll.close_reason === 'cycle')
    return `:lock: Vote closed (${why}). ${lead} No decision was recorded: the cycle closed without one.`;
  // No decision is asked for on figures a newer run has replaced.
  if (v.replacedBy) {
    const next = v.poll.close_reason === 'replaced' ? '' : ` ${ON_THE_LATEST_RUN}`;
    return `:lock: Vote closed (${why}). ${lead} Its figures are out of date: plan run ${v.replacedBy} replaced run ${v.poll.run_id}.${next}`;
  }
  return `:lock: Vote closed (${why}). ${lead} Decision pending from the chair <@${v.poll.created_by}>.`;
}

/**
 * Each scenario's section followed by its trade-off sentence, as many sentences as the
 * message's budget (MESSAGE_BLOCKS_CHARS, with the `used` characters of the rest) holds, in
 * the scenarios' order; the sentences left out are said in one line after the last section,
 * with where to read them (the pack's question 6 states each). The sections are always kept.
 */
function withTradeOffs(
  sections: readonly types.KnownBlock[],
  sentences: readonly (types.KnownBlock | null)[],
  used: number,
): types.KnownBlock[] {
  const size = (b: types.KnownBlock) => JSON.stringify(b).length + 1;
  const more = (n: number): types.KnownBlock => ({
    type: 'context',
    elements: [mrkdwn(andMore(n, 'trade-offs', '`/sop pack md` states each under question 6'))],
  });
  let left = MESSAGE_BLOCKS_CHARS - used - sections.reduce((n, b) => n + size(b), 0);
  const all = sentences.reduce((n, b) => n + (b ? size(b) : 0), 0);
  const fitsAll = all <= left;
  if (!fitsAll) left -= size(more(sentences.length));
  const out: types.KnownBlock[] = [];
  let dropped = 0;
  sections.forEach((section, i) => {
    out.push(section);
    const sentence = sentences[i];
    if (!sentence) return;
    if (fitsAll || size(sentence) <= left) {
      out.push(sentence);
      left -= size(sentence);
    } else dropped++;
  });
  if (dropped > 0) out.push(more(dropped));
  return out;
}

export function voteMessage(v: PollView): { text: string; blocks: types.KnownBlock[] } {
  const open = v.poll.status === 'open';
  const note = moneyNote(
    v.horizon ?? [],
    true,
    openingCash(
      v.options.map((o) => o.kpis),
      v.options.find((o) => o.billsGap)?.billsGap ?? null,
      v.options.some((o) => o.billsEstimated === true),
    ),
  );
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: plain(clip(`Scenario vote: ${v.poll.question}`, 150)) },
    {
      type: 'context',
      elements: [
        mrkdwn(
          `Plan run ${v.poll.run_id} · chair <@${v.poll.created_by}> · only executives' votes count${v.poll.closes_at && open ? ` · closes ${slackDate(v.poll.closes_at, v.timezone)}` : ''}`,
        ),
        ...(v.options.some((o) => typeof o.kpis.expectedMargin === 'number')
          ? [mrkdwn(BAD_CASE_NOTE)]
          : []),
        ...(note ? [mrkdwn(note)] : []),
      ],
    },
  ];
  if (v.chartFileId) {
    blocks.push({
      type: 'image',
      slack_file: { id: v.chartFileId },
      alt_text: withoutBidiControls(chartAltText(v)),
    });
  }
  const shown = v.options.slice(0, 10);
  const sections: types.KnownBlock[] = shown.map((o) => ({
    type: 'section',
    text: mrkdwn(`*${escInMarks(clip(o.label, 200))}*`),
    fields: scenarioFields(o, v.horizon ?? []),
  }));
  const sentences: (types.KnownBlock | null)[] = tradeOffs(shown, v.horizon).map((sentence) =>
    sentence
      ? { type: 'context', elements: [mrkdwn(clip(`:scales: ${esc(sentence)}`, 3000))] }
      : null,
  );
  const tail: types.KnownBlock[] = [
    { type: 'divider' },
    { type: 'section', text: mrkdwn(clip(tallyText(v), 3000)) },
  ];
  // A newer run replaced the one this vote is on: no buttons to vote on its figures.
  const replaced = open && v.replacedBy ? v.replacedBy : null;
  if (replaced)
    tail.push({
      type: 'section',
      text: mrkdwn(`:warning: ${replacedRunNotice(replaced, v.poll.run_id)}`),
    });
  if (open) {
    tail.push({
      type: 'actions',
      block_id: 'vote_buttons',
      elements: [
        ...(replaced ? [] : v.options.slice(0, 20)).map((o) => ({
          type: 'button' as const,
          action_id: `${VOTE_CAST}_${o.position}`,
          text: plain(clip(o.label, 75)),
          value: `${v.poll.id}:${o.scenarioId}`,
        })),
        {
          type: 'button' as const,
          action_id: VOTE_CLOSE,
          text: plain('Close vote'),
          style: 'danger' as const,
          value: v.poll.id,
          confirm: {
            title: plain('Close the vote?'),
            text: plain('No more votes are counted after this. The outcome is shown to everyone.'),
            confirm: plain('Close vote'),
            deny: plain('Keep it open'),
          },
        },
      ],
    });
  } else {
    tail.push({ type: 'section', text: mrkdwn(clip(outcomeText(v), 3000)) });
  }
  blocks.push(...withTradeOffs(sections, sentences, JSON.stringify([...blocks, ...tail]).length));
  blocks.push(...tail);
  const text = replaced
    ? `:warning: ${replacedRunNotice(replaced, v.poll.run_id)}`
    : open
      ? openVoteText(v)
      : outcomeText(v);
  return { text: notificationText(clipMrkdwn(text, 3000)), blocks };
}

/**
 * An open vote's notification and screen-reader text: its question, the scenarios to choose
 * from, by when, who votes, and the count so far, which changes with the tally as the message is
 * edited ("Scenario vote: Which scenario do we adopt for 2027-01? Choose one of 3 scenarios:
 * Central, Upside, Cautious. Executives vote with the buttons by Fri, Jan 22 10:00 AM. 2
 * executive votes counted so far.").
 */
function openVoteText(v: PollView): string {
  const q = esc(v.poll.question.trim());
  const labels = v.options.map((o) => esc(o.label));
  const by = v.poll.closes_at ? ` by ${slackDate(v.poll.closes_at, v.timezone)}` : '';
  const n = v.tally.total;
  const quorum = v.poll.quorum ? ` of the ${v.poll.quorum} it needs` : ' so far';
  return `Scenario vote: ${q}${/[.?!]$/.test(q) ? '' : '.'} Choose one of ${labels.length} scenario${labels.length === 1 ? '' : 's'}: ${labels.join(', ')}. Executives vote with the buttons${by}. ${n} executive vote${n === 1 ? '' : 's'} counted${quorum}.`;
}

/**
 * The scenario chart's alt text, for a screen reader or a picture not loaded: what it draws
 * (the run's scenarios side by side) and each one's figures the chart's bars show.
 */
function chartAltText(v: PollView): string {
  const each = v.options.map((o) => {
    const k = o.kpis;
    const figures =
      typeof k.expectedMargin === 'number'
        ? `expected fill rate ${pct(k.expectedFillRate)}, expected margin ${money(k.expectedMargin)} (bad case ${money(k.marginP10)})`
        : `fill rate ${pct(k.fillRate)}, margin ${money(k.grossMargin)}`;
    return `${o.label}: ${figures}, peak utilisation ${pct(k.peakUtilisation)}.`;
  });
  return clip(
    `Bar charts comparing the ${v.options.length === 1 ? 'scenario' : `${v.options.length} scenarios`} of plan run ${v.poll.run_id}. ${each.join(' ')}`,
    2000,
  );
}

/** The chair's DM after a quorum or deadline closed the vote: a button that opens the decision modal. */
export function chairDecisionPrompt(v: PollView): { text: string; blocks: types.KnownBlock[] } {
  const text = `${outcomeText(v)} Record the decision and its follow-up actions.`;
  return {
    text: notificationText(clipMrkdwn(text, 3000)),
    blocks: [
      { type: 'section', text: mrkdwn(clipMrkdwn(text, 3000)) },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: DECISION_OPEN,
            style: 'primary',
            text: plain('Record the decision'),
            value: v.poll.id,
          },
        ],
      },
    ],
  };
}

/** What a voter is told privately. */
export function voteReceipt(outcome: string, label: string, standing?: string): string {
  switch (outcome) {
    case 'earlier':
      // Two clicks that reached sopbot in the other order: the later one is the vote.
      return `Your vote for *${escInMarks(standing ?? label)}* stands: you clicked it after *${escInMarks(label)}*, and that earlier click reached sopbot last. Click *${escInMarks(label)}* again to vote for it.`;
    case 'recorded':
      return `Your vote for *${escInMarks(label)}* is counted. You can change it until the vote closes.`;
    case 'changed':
      return `Your vote is now *${escInMarks(label)}*; your previous vote no longer counts.`;
    case 'same':
      return `You already voted for *${escInMarks(label)}*; nothing changed.`;
    case 'duplicate':
      return `Your vote for *${escInMarks(label)}* was already received.`;
    default:
      return `Only executives' votes count, so your click for *${escInMarks(label)}* is kept for the record but not counted.`;
  }
}

/** "*Central* in vote 3 (2027-03)", each vote of a role change, joined in a sentence. */
function votesNamed(votes: RoleChange['uncounted']): string {
  const named = votes.map((v) => `*${escInMarks(v.label)}* in vote ${v.pollId} (${v.month})`);
  return named.length < 2
    ? (named[0] ?? '')
    : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
}

/**
 * What the admin who changed a role is told of the open votes it touched, or '' when none:
 * the votes that stopped counting (their tally redrawn), or, given a role whose votes count
 * again, the votes to cast again.
 */
export function roleVotesText(change: Pick<RoleChange, 'uncounted' | 'voteAgain'>): string {
  const counting = rolesFor('vote.counted')
    .map((r) => ROLE_LABEL[r])
    .join(' or ');
  const { uncounted, voteAgain } = change;
  if (uncounted.length === 1)
    return `Their vote for ${votesNamed(uncounted)}, still open, no longer counts: the vote's tally and quorum are redrawn without it. Made ${counting} again while it is open, they vote again to be counted.`;
  if (uncounted.length > 1)
    return `Their votes for ${votesNamed(uncounted)}, still open, no longer count: those votes' tallies and quorums are redrawn without them. Made ${counting} again while they are open, they vote again to be counted.`;
  if (voteAgain.length === 1)
    return `Their vote for ${votesNamed(voteAgain)} stopped counting when their role changed; the vote is still open, so they vote again with its buttons to be counted.`;
  if (voteAgain.length > 1)
    return `Their votes for ${votesNamed(voteAgain)} stopped counting when their role changed; those votes are still open, so they vote again with their buttons to be counted.`;
  return '';
}

const executivesNow = (voters: number) =>
  voters === 1 ? 'is 1 executive' : `are ${voters} executives`;

/**
 * A quorum more executives than there are: "there are 2 executives now: until 3 have the role
 * (`/sop role @person exec`), <closer>." Said when it is set, when a vote opens with it and
 * when a role change puts an open vote's quorum out of reach (roleQuorumText).
 */
export function unreachableQuorumText(voters: number, quorum: number, closer: string): string {
  return `there ${executivesNow(voters)} now: until ${quorum} have the role (\`/sop role @person exec\`), ${closer}.`;
}

/**
 * What the admin who took away an executive's role is told of the open votes whose quorum
 * can no longer be reached, or '' when there are none: "Vote 3 (2027-03) closes when 2
 * executives have voted, and there is 1 executive now: …".
 */
export function roleQuorumText(change: Pick<RoleChange, 'quorumOutOfReach'>): string {
  const { polls, voters } = change.quorumOutOfReach;
  if (polls.length === 0) return '';
  const are = executivesNow(voters);
  const named = polls.map(
    (p) => `Vote ${p.pollId} (${p.month}) closes when ${p.quorum} executives have voted`,
  );
  const what =
    polls.length === 1
      ? `${named[0]}, and ${unreachableQuorumText(voters, polls[0]?.quorum ?? 0, 'only its chair or its deadline closes it')}`
      : `${named.join('; ')}; there ${are} now: until enough have the role (\`/sop role @person exec\`), only their chairs or their deadlines close them.`;
  return what;
}
