/** What a member's App Home shows: role, families, the open cycle, their submissions and actions. */
import { type SubmissionRow, submissionsOf } from '../../db/queries/adjustments.js';
import type { ActionRow, CycleRow } from '../../db/schema.js';
import type { AppDeps } from '../deps.js';
import { listActions } from './actions.js';
import { getOpenCycle } from './cycles.js';
import { getMember, type Member } from './members.js';

export interface HomeData {
  readonly member: Member;
  readonly cycle: CycleRow | null;
  readonly submissions: readonly SubmissionRow[];
  readonly actions: readonly ActionRow[];
}

export async function homeData(deps: AppDeps, userId: string): Promise<HomeData> {
  const [member, cycle, actions] = await Promise.all([
    getMember(deps.db, userId, deps.config.SOPBOT_ADMIN_USERS),
    getOpenCycle(deps.db),
    listActions(deps.db, { owner: userId, filter: 'open', now: deps.clock.now() }),
  ]);
  const submissions = cycle ? await submissionsOf(deps.db, cycle.id, userId, 10) : [];
  return { member, cycle, submissions, actions };
}
