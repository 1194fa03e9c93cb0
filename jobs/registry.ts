/**
 * Every processor, by job name: the type makes a job named in jobs/contracts.ts without a
 * processor a compile error. jobs/runtime.ts dispatches on this map; a job whose name is not
 * in it (an old or foreign job left in Redis) fails as unrecoverable.
 */
import { actionClosed } from './action-closed.js';
import { actionHandover } from './action-handover.js';
import { actionRaised } from './action-raised.js';
import { actionReminder } from './action-reminder.js';
import { actionReopened } from './action-reopened.js';
import { baseline } from './baseline.js';
import type { JobName } from './contracts.js';
import { decisionPublish } from './decision-publish.js';
import { deviationPublish, deviationRollup, executionCheck, executionDigest } from './execution.js';
import { nudge } from './nudge.js';
import { pack } from './pack.js';
import { phaseAnnounce } from './phase-announce.js';
import { phaseDeadline } from './phase-deadline.js';
import { plan } from './plan.js';
import { pollDeadline } from './poll-deadline.js';
import { pollRefresh } from './poll-refresh.js';
import { postCharts } from './post-charts.js';
import type { Processor } from './processor-types.js';
import { recompute, recomputeDaily } from './recompute.js';
import { refusalNotice } from './refusal-notice.js';
import { remindersRezone } from './reminders-rezone.js';
import { review } from './review.js';
import { userLeft } from './user-left.js';
import { whatif } from './whatif.js';

export const PROCESSORS: { readonly [N in JobName]: Processor<N> } = {
  recompute,
  'recompute-daily': recomputeDaily,
  baseline,
  plan,
  whatif,
  'post-charts': postCharts,
  // The meeting's jobs.
  'phase-announce': phaseAnnounce,
  'phase-deadline': phaseDeadline,
  nudge,
  'action-reminder': actionReminder,
  'action-handover': actionHandover,
  'action-closed': actionClosed,
  'action-reopened': actionReopened,
  'action-raised': actionRaised,
  'reminders-rezone': remindersRezone,
  'poll-deadline': pollDeadline,
  'poll-refresh': pollRefresh,
  'decision-publish': decisionPublish,
  pack,
  review,
  // Weekly S&OE.
  'execution-check': executionCheck,
  'deviation-publish': deviationPublish,
  'deviation-rollup': deviationRollup,
  'execution-digest': executionDigest,
  // What Slack refuses for good, told to the admins.
  'refusal-notice': refusalNotice,
  // Someone sopbot knows left the workspace, told to the admins.
  'user-left': userLeft,
};
