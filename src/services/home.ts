/** What a member's App Home shows: role, families, the open cycle, their submissions and actions. */
import { type SubmissionRow, submissionsOf } from '../../db/queries/adjustments.js';
import type { ActionRow, CycleRow } from '../../db/schema.js';
import type { AppDeps } from '../deps.js';
import { listActions, today } from './actions.js';
import { getOpenCycle } from './cycles.js';
import { getMember, type Member } from './members.js';
import { getSettings } from './settings.js';

export interface HomeData {
  readonly member: Member;
  readonly cycle: CycleRow | null;
  readonly submissions: readonly SubmissionRow[];
  readonly actions: readonly ActionRow[];
  /** The company's time zone (settings.timezone). */
  readonly timezone: string;
}

export async function homeData(deps: AppDeps, userId: string): Promise<HomeData> {
  const { timezone } = await getSettings(deps.db);
  const [member, cycle, actions] = await Promise.all([
    getMember(deps.db, userId, deps.config.SOPBOT_ADMIN_USERS),
    getOpenCycle(deps.db),
    listActions(deps.db, {
      owner: userId,
      filter: 'open',
      today: today(deps.clock.now(), timezone),
    }),
  ]);
  const submissions = cycle ? await submissionsOf(deps.db, cycle.id, userId, 10) : [];
  return { member, cycle, submissions, actions, timezone };
}
