/**
 * Every processor, by job name. jobs/runtime.ts dispatches on this map; a job without an
 * entry fails as unrecoverable. Add one line per processor.
 */
import { actionReminder } from './action-reminder.js';
import { baseline } from './baseline.js';
import type { JobName } from './contracts.js';
import { nudge } from './nudge.js';
import { pack } from './pack.js';
import { phaseDeadline } from './phase-deadline.js';
import { plan } from './plan.js';
import { pollDeadline } from './poll-deadline.js';
import { pollRefresh } from './poll-refresh.js';
import { postCharts } from './post-charts.js';
import type { Processor } from './processor-types.js';
import { recompute } from './recompute.js';
import { whatif } from './whatif.js';

export const PROCESSORS: { [N in JobName]?: Processor<N> } = {
  recompute,
  baseline,
  plan,
  whatif,
  'post-charts': postCharts,
  // The meeting's jobs.
  'phase-deadline': phaseDeadline,
  nudge,
  'action-reminder': actionReminder,
  'poll-deadline': pollDeadline,
  'poll-refresh': pollRefresh,
  pack,
};
