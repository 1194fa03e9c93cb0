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
