/** Every `/sop` subcommand. Add one line per module (commands/sop-<name>.ts). */
import type { SopSubcommand } from '../src/slack/command-types.js';
import { actions } from './sop-actions.js';
import { constraints } from './sop-constraints.js';
import { cycle } from './sop-cycle.js';
import { decide } from './sop-decide.js';
import { decisions } from './sop-decisions.js';
import { execution } from './sop-execution.js';
import { explain } from './sop-explain.js';
import { families } from './sop-families.js';
import { helpOver } from './sop-help.js';
import { pack } from './sop-pack.js';
import { plan } from './sop-plan.js';
import { role } from './sop-role.js';
import { scenario } from './sop-scenario.js';
import { settings } from './sop-settings.js';
import { status } from './sop-status.js';
import { vote } from './sop-vote.js';
import { whatif } from './sop-whatif.js';

/**
 * `/sop cycle` shows the cycle to anyone and lets `cycle.manage` change it; its module names one
 * usage for both, so its help is split here, each use under its own row.
 */
const cycleWithParts: SopSubcommand = {
  ...cycle,
  usage: '/sop cycle',
  summary: 'the open cycle, its phase and deadlines',
  parts: [
    {
      usage: '/sop cycle start YYYY-MM | next [phase] | close | deadlines phase=days ... at=HH:MM',
      summary:
        'open, advance or close the cycle; its deadlines (working days per phase, time of day)',
      action: 'cycle.manage',
      brief: '`/sop cycle start|next|close|deadlines`',
    },
    {
      usage: '/sop cycle holidays',
      summary: 'the company holidays ahead (deadlines skip them)',
      action: 'cycle.read',
      brief: '`/sop cycle holidays`',
    },
    {
      usage: '/sop cycle holidays add YYYY-MM-DD [name] | remove YYYY-MM-DD',
      summary: 'list a company holiday, or take one off',
      action: 'cycle.manage',
      brief: '`/sop cycle holidays add|remove`',
    },
  ],
};

export const SOP_SUBCOMMANDS: readonly SopSubcommand[] = [
  helpOver(() => SOP_SUBCOMMANDS),
  role,
  families,
  settings,
  cycleWithParts,
  pack,
  vote,
  decide,
  actions,
  decisions,
  plan,
  scenario,
  whatif,
  status,
  execution,
  constraints,
  explain,
];
