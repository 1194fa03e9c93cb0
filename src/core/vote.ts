import { addLocalDays } from './calendar.js';
import { formatNumber } from './number-format.js';

/**
 * Tallying a scenario vote: only counted votes, only each voter's latest, a winner only when
 * one option leads alone, and the quorum as a number of distinct counted voters.
 */

export interface BallotOption {
  readonly id: string;
  readonly label: string;
}

export interface Ballot {
  readonly voter: string;
  readonly optionId: string;
  /** False for people who may not vote (kept for audit, never tallied). */
  readonly counted: boolean;
  readonly at: Date;
  /** Set when the voter changed their mind; a superseded ballot is never tallied. */
  readonly supersededAt: Date | null;
}

export interface OptionTally {
  readonly id: string;
  readonly label: string;
  readonly votes: number;
  /** Voters for this option, in the order they voted. */
  readonly voters: readonly string[];
}

export interface Tally {
  readonly options: readonly OptionTally[];
  /** Distinct counted voters. */
  readonly total: number;
  /** The option with strictly the most votes, or null (no votes, or a tie). */
  readonly winner: string | null;
  readonly tie: boolean;
  readonly quorum: number | null;
  readonly quorumReached: boolean;
  /** Ballots kept for audit but not counted. */
  readonly notCounted: number;
}

export function tally(
  options: readonly BallotOption[],
  ballots: readonly Ballot[],
  quorum: number | null = null,
): Tally {
  const latest = new Map<string, Ballot>();
  let notCounted = 0;
  for (const b of ballots) {
    if (!b.counted) {
      notCounted++;
      continue;
    }
    if (b.supersededAt !== null) continue;
    const prev = latest.get(b.voter);
    if (!prev || prev.at.getTime() <= b.at.getTime()) latest.set(b.voter, b);
  }
  const known = new Set(options.map((o) => o.id));
  const byOption = new Map<string, string[]>(options.map((o) => [o.id, []]));
  const ordered = [...latest.values()].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const b of ordered) {
    if (known.has(b.optionId)) byOption.get(b.optionId)!.push(b.voter);
  }
  const rows = options.map((o) => {
    const voters = byOption.get(o.id) ?? [];
    return { id: o.id, label: o.label, votes: voters.length, voters };
  });
  const total = rows.reduce((s, r) => s + r.votes, 0);
  const top = Math.max(0, ...rows.map((r) => r.votes));
  const leaders = rows.filter((r) => r.votes === top && top > 0);
  return {
    options: rows,
    total,
    winner: leaders.length === 1 ? leaders[0]!.id : null,
    tie: leaders.length > 1,
    quorum,
    quorumReached: quorum !== null && quorum > 0 && total >= quorum,
    notCounted,
  };
}

/** The executives' vote a decision was attached to, as it stood when the decision was taken. */
export interface DecisionVote {
  /** Counted votes for the adopted scenario. */
  readonly forIt: number;
  /** Counted votes in all. */
  readonly total: number;
  /** The most counted votes any other scenario had. */
  readonly topOther: number;
  /** The decision closed the vote while it was still open (`/sop decide` during it). */
  readonly closedByDecision: boolean;
  /**
   * Set when the vote was on an older plan run than the adopted scenario's (`/sop decide` on
   * the latest run settled it): its tally is of figures that run replaced and says nothing of
   * the decision. Null or absent: the vote was on the adopted scenario's run.
   */
  readonly outOfDate?: OutOfDateVote | null;
}

/** A vote on plan run `votedRun`, settled by a decision on the newer run `adoptedRun`. */
export interface OutOfDateVote {
  readonly pollId: string;
  readonly votedRun: string;
  readonly adoptedRun: string;
}

/** The vote `pollId` on run `votedRun` is out of date for a decision on `adoptedRun`, or null. */
export function outOfDateVote(
  pollId: string,
  votedRun: string,
  adoptedRun: string,
): OutOfDateVote | null {
  return votedRun === adoptedRun ? null : { pollId, votedRun, adoptedRun };
}

/** A decision's vote from the vote's tally: the adopted scenario's votes against the rest. */
export function decisionVoteOf(
  tally: Tally,
  adopted: string,
  closedByDecision: boolean,
  outOfDate: OutOfDateVote | null = null,
): DecisionVote {
  let forIt = 0;
  let topOther = 0;
  for (const o of tally.options) {
    if (o.id === adopted) forIt = o.votes;
    else topOther = Math.max(topOther, o.votes);
  }
  return { forIt, total: tally.total, topOther, closedByDecision, outOfDate };
}

/**
 * How a decision was taken, with the vote's real tally: "adopted by the executives' vote (3–0);
 * recorded by @Carla", or "recorded by @Carla without a vote". A decision that closed its vote
 * early, or went against it, says so rather than claiming the vote; one on figures a newer run
 * replaced is no vote on the adopted plan, and says which it was. `by` is who recorded it (and
 * when, if the caller says when). One wording for the decision log, the pack and the review.
 */
export function decidedHow(vote: DecisionVote | null, by: string): string {
  if (!vote) return `recorded by ${by} without a vote`;
  const stale = vote.outOfDate;
  if (stale)
    return `recorded by ${by} without a vote on plan run ${stale.adoptedRun}: vote ${stale.pollId} was on run ${stale.votedRun}, whose figures were out of date`;
  const num = (n: number) => formatNumber(n);
  const share = `${num(vote.forIt)} of ${num(vote.total)} ${vote.total === 1 ? 'vote' : 'votes'} for it`;
  if (vote.closedByDecision)
    return vote.total === 0
      ? `recorded by ${by}, closing the executives' vote before anyone voted`
      : `recorded by ${by}, closing the executives' vote early (${share})`;
  if (vote.total === 0) return `recorded by ${by}; no executive voted`;
  if (vote.forIt > vote.topOther)
    return `adopted by the executives' vote (${num(vote.forIt)}–${num(vote.total - vote.forIt)}); recorded by ${by}`;
  if (vote.forIt === vote.topOther) return `recorded by ${by} after a tied vote (${share})`;
  return `recorded by ${by} against the executives' vote (${share})`;
}

/** "Plan run 5 replaced run 3, which this vote is on; its figures are out of date". */
function runReplaced(newer: string, older: string, vote: string): string {
  return `Plan run ${newer} replaced run ${older}, which ${vote} is on; its figures are out of date`;
}

/**
 * How to go on once a closed vote's figures are out of date: a decision on the latest run, or
 * a new vote on it.
 */
export const ON_THE_LATEST_RUN =
  '`/sop decide` decides on the latest run, or `/sop vote` starts a new vote on it.';

/**
 * What a vote says once a newer plan run of its cycle exists (`newer` replaced `older`, the run
 * the vote is on): its figures are out of date, so it takes no more votes, and a new vote
 * (`/sop vote`, which closes this one) is on the latest run. One wording for the vote message,
 * its thread and a refused click.
 */
export function replacedRunNotice(newer: string, older: string): string {
  return `${runReplaced(newer, older, 'this vote')}, so the vote takes no more votes. \`/sop vote\` starts a new vote on the latest run and closes this one.`;
}

/**
 * What is said of open vote `pollId` away from its message (an executive's nudge): its run
 * `older` was replaced by `newer`, so it takes no more votes, and how to go on.
 */
export function replacedVoteNotice(newer: string, older: string, pollId: string): string {
  return `${runReplaced(newer, older, `vote ${pollId}`)}, so it takes no more votes. \`/sop vote\` starts a new vote on the latest run and closes vote ${pollId}.`;
}

/**
 * Why vote `pollId` (on run `older`, which `newer` replaced) takes no decision: its figures are
 * out of date; and how to go on. One wording for a refused "Record the decision", a refused
 * decision form and the closed vote's thread.
 */
export function replacedRunDecisionNotice(newer: string, older: string, pollId: string): string {
  return `${runReplaced(newer, older, `vote ${pollId}`)}, so no decision can be recorded on them. ${ON_THE_LATEST_RUN}`;
}

/**
 * How long a vote stays open, as typed: whole hours (`72`, `72h`), which are real hours, or
 * calendar days (`3 days`, `1 week` as 7), which end at the same wall-clock time that many days
 * later in the company's zone, as a person reading "3 days" from Friday 17:00 expects Monday
 * 17:00, across a DST change too (then 71 or 73 hours).
 */
export type VoteLength =
  | { readonly unit: 'hours'; readonly count: number }
  | { readonly unit: 'days'; readonly count: number };

/** "48 hours", "1 hour", "3 days", "1 day": a vote's length as its messages say it. */
export function voteLengthText(length: VoteLength): string {
  const word = length.unit === 'hours' ? 'hour' : 'day';
  return `${length.count} ${word}${length.count === 1 ? '' : 's'}`;
}

/** When a vote closes, and whether the executive phase's end is what closes it. */
export interface VoteClose {
  readonly at: Date;
  /** True when the phase's deadline comes before the vote's length is up, and closes it. */
  readonly withPhase: boolean;
}

/**
 * When a vote opened at `now` for `length` closes: `now` plus its hours, or the same local time
 * its days later in the company's `zone` (`addLocalDays`, as a snooze ends); or at `phaseEnd`
 * (the executive phase's deadline) when that comes first, since the cycle closes at that
 * deadline and its vote with it (no decision can be recorded after). A deadline already past is
 * the cycle's own business (its job is late): the vote keeps its length.
 */
export function voteClose(
  now: Date,
  length: VoteLength,
  zone: string,
  phaseEnd: Date | null,
): VoteClose {
  const byLength =
    length.unit === 'hours'
      ? new Date(now.getTime() + length.count * 3600_000)
      : addLocalDays(now, length.count, zone);
  return phaseEnd && phaseEnd.getTime() > now.getTime() && phaseEnd.getTime() < byLength.getTime()
    ? { at: phaseEnd, withPhase: true }
    : { at: byLength, withPhase: false };
}
