/** What a member's App Home shows: role, families, the open cycle, their submissions and actions. */
import {
  type SubmissionRow,
  submissionCountOf,
  submissionsOf,
} from '../../db/queries/adjustments.js';
import type { ActionRow, CycleRow } from '../../db/schema.js';
import type { AppDeps } from '../deps.js';
import { listActions, today } from './actions.js';
import { getOpenCycle } from './cycles.js';
import { getMember, type Member } from './members.js';
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
}

/** How many of a member's submissions App Home lists. */
export const HOME_SUBMISSIONS = 10;

export async function homeData(deps: AppDeps, userId: string): Promise<HomeData> {
  const { timezone } = await getSettings(deps.db);
  const day = today(deps.clock.now(), timezone);
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
  return { member, cycle, submissions, submissionCount, actions, timezone, today: day };
}
