/**
 * What a member's App Home shows: role, families, the open cycle, what it asks of them now
 * (forecast input owed, the scenario vote), their submissions and actions.
 */
import {
  type SubmissionRow,
  submissionCountOf,
  submissionsOf,
} from '../../db/queries/adjustments.js';
import { repsOwingInput } from '../../db/queries/cycle-inputs.js';
import { pollAwaitingDecision } from '../../db/queries/decisions.js';
import { countedVoters, getPoll } from '../../db/queries/polls.js';
import type { ActionRow, CycleRow } from '../../db/schema.js';
import { can, coversFamilies, familyCoveringRoles } from '../core/policy.js';
import type { AppDeps } from '../deps.js';
import { listActions, today } from './actions.js';
import { adjustmentsOpen, getOpenCycle } from './cycles.js';
import { getMember, type Member } from './members.js';
import { recorderRefusal, runReplacing } from './polls.js';
import { getSettings } from './settings.js';

export interface HomeData {
  readonly member: Member;
  readonly cycle: CycleRow | null;
  /** The latest of them (`HOME_SUBMISSIONS`). */
  readonly submissions: readonly SubmissionRow[];
  /** How many the member has submitted this cycle, shown or not. */
  readonly submissionCount: number;
  readonly actions: readonly ActionRow[];
  /** The company's time zone (settings.timezone). */
  readonly timezone: string;
  /** The company's today (YYYY-MM-DD), from the clock. */
  readonly today: string;
  /** The clock's now (a snooze still running shows on its action). */
  readonly now: Date;
  /**
   * The member's families with neither an adjustment nor a no-change declaration this cycle,
   * while adjustments are taken and the member is a sales rep covering families; else null.
   */
  readonly owedFamilies: readonly string[] | null;
  /** The executive phase's vote, when it asks something of the member; else null. */
  readonly vote: HomeVote | null;
}

/**
 * The scenario vote as it concerns a member: open, for an executive (whose vote counts),
 * with whether theirs is in; or closed and owed its decision, for who may record it (its
 * chair, executives, admins).
 */
export type HomeVote =
  | {
      readonly status: 'open';
      readonly channelId: string | null;
      readonly voted: boolean;
    }
  | { readonly status: 'closed'; readonly channelId: string | null; readonly pollId: string };

/** How many of a member's submissions App Home lists. */
export const HOME_SUBMISSIONS = 10;

export async function homeData(deps: AppDeps, userId: string): Promise<HomeData> {
  const { timezone } = await getSettings(deps.db);
  const now = deps.clock.now();
  const day = today(now, timezone);
  const [member, cycle, actions] = await Promise.all([
    getMember(deps.db, userId, deps.config.SOPBOT_ADMIN_USERS),
    getOpenCycle(deps.db),
    listActions(deps.db, {
      owner: userId,
      filter: 'open',
      today: day,
    }),
  ]);
  const [submissions, submissionCount] = cycle
    ? await Promise.all([
        submissionsOf(deps.db, cycle.id, userId, HOME_SUBMISSIONS),
        submissionCountOf(deps.db, cycle.id, userId),
      ])
    : [[], 0];
  const [owedFamilies, vote] = cycle
    ? await Promise.all([owedBy(deps, cycle, member), voteFor(deps, cycle, member)])
    : [null, null];
  return {
    member,
    cycle,
    submissions,
    submissionCount,
    actions,
    timezone,
    today: day,
    now,
    owedFamilies,
    vote,
  };
}

/** The families `member` still owes input for (as `/sop status` counts them), or null. */
async function owedBy(
  deps: AppDeps,
  cycle: CycleRow,
  member: Member,
): Promise<readonly string[] | null> {
  if (!coversFamilies(member) || member.families.length === 0 || !adjustmentsOpen(cycle.phase))
    return null;
  const owing = await repsOwingInput(deps.db, cycle.id, familyCoveringRoles());
  return owing.find((r) => r.userId === member.userId)?.families ?? [];
}

/** The vote `member` should act on in the executive phase: cast, or record its decision. */
async function voteFor(deps: AppDeps, cycle: CycleRow, member: Member): Promise<HomeVote | null> {
  if (cycle.phase !== 'executive') return null;
  const awaiting = await pollAwaitingDecision(deps.db, cycle.id);
  const poll = awaiting ? await getPoll(deps.db, awaiting.id) : null;
  // A vote on figures a newer plan run replaced takes no votes and no decision.
  if (!poll || (await runReplacing(deps.db, cycle.id, poll.run_id))) return null;
  if (poll.status === 'open') {
    if (!can(member, 'vote.counted')) return null;
    const voted = (await countedVoters(deps.db, poll.id)).has(member.userId);
    return { status: 'open', channelId: poll.channel_id, voted };
  }
  if (recorderRefusal(member, poll)) return null;
  return { status: 'closed', channelId: poll.channel_id, pollId: poll.id };
}
