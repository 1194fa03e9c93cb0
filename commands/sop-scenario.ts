/**
 * `/sop scenario list|set <name>|delete <name>|reset` (planners): the cycle's scenarios. `set`
 * opens the modal on the scenario's version (commands/scenario.ts saves it); the next plan run
 * uses them.
 */
import { SCENARIO_NAME } from '../src/core/scenarios/schema.js';
import { codeSpan } from '../src/core/text.js';
import { UsageError } from '../src/errors.js';
import { requireOpenCycle } from '../src/services/cycles.js';
import {
  deleteCycleScenario,
  listCycleScenarios,
  resetCycleScenarios,
  scenarioLimitMessage,
  scenarioVersion,
} from '../src/services/scenarios.js';
import { openForm } from '../src/slack/after-ack-limit.js';
import type { SopSubcommand } from '../src/slack/command-types.js';
import {
  scenarioDeletedText,
  scenarioListText,
  scenarioModal,
} from '../src/slack/presenters/scenario.js';

const USAGE = '/sop scenario list | set <name> | delete <name> | reset';

/**
 * The scenario named after `set` or `delete`: one word, read in lower case. Words after it are
 * refused, not dropped (`set Cash First` worked on `cash`), with the one word they make where
 * it is a name (`cash-first`).
 */
function scenarioName(words: readonly string[]): string {
  const key = (words[0] ?? '').toLowerCase();
  if (words.length > 1) {
    const joined = words.join('-').toLowerCase();
    throw new UsageError(
      SCENARIO_NAME.test(joined)
        ? `A scenario name is one word; did you mean \`${joined}\`? Nothing was changed.`
        : `A scenario name is one word of lower-case letters, digits and dashes, such as \`central\` or \`cash-first\`, not ${codeSpan(words.join(' '))}. Nothing was changed.`,
    );
  }
  if (!SCENARIO_NAME.test(key))
    throw new UsageError(
      `Name the scenario: a short lower-case name such as \`central\` or \`cash-first\`.\nUsage: ${USAGE}`,
    );
  return key;
}

export const scenario: SopSubcommand = {
  name: 'scenario',
  usage: USAGE,
  summary: 'list, edit (in a form), delete or reset the cycle’s scenarios',
  action: 'scenario.set',
  keywords: ['list', 'set', 'delete', 'reset'],
  // `set <name>`: the scenario's form (more words are refused, and open none).
  opensForm: (args) => args[0] === 'set' && args.length === 2,
  async handle({ deps, args, respond, client, command, member }) {
    const cycle = await requireOpenCycle(deps.db);
    const [what = 'list', ...words] = args;
    if ((what === 'list' || what === 'reset') && words.length > 0)
      throw new UsageError(
        `\`/sop scenario ${what}\` takes nothing after it, not ${codeSpan(words.join(' '))}; nothing was changed.\nUsage: ${USAGE}`,
      );
    if (what === 'list') {
      const list = await listCycleScenarios(deps.db, cycle.id);
      await respond({ response_type: 'ephemeral', text: scenarioListText(cycle.month, list) });
      return;
    }
    if (what === 'reset') {
      const list = await resetCycleScenarios(deps.db, cycle.id, member.userId);
      await respond({
        response_type: 'ephemeral',
        text: `Back to the default scenarios; the next plan run uses them.\n${scenarioListText(cycle.month, list)}`,
      });
      return;
    }
    if (what !== 'set' && what !== 'delete')
      throw new UsageError(`Unknown \`/sop scenario ${what}\`.\nUsage: ${USAGE}`);
    const key = scenarioName(words);
    if (what === 'delete') {
      const list = await deleteCycleScenario(deps.db, cycle.id, key, member.userId);
      await respond({ response_type: 'ephemeral', text: scenarioDeletedText(cycle.month, list) });
      return;
    }
    if (what === 'set') {
      const list = await listCycleScenarios(deps.db, cycle.id);
      // Before the form: no answer in it could get past the cycle's limit.
      const limit = scenarioLimitMessage(list.scenarios, key);
      if (limit) throw new UsageError(limit);
      const current = list.scenarios.find((s) => s.name === key) ?? null;
      await openForm(client, command, {
        trigger_id: command.trigger_id,
        view: scenarioModal(
          {
            cycleId: cycle.id,
            month: cycle.month,
            name: key,
            channel: command.channel_id,
            seen: scenarioVersion(current),
          },
          current,
        ),
      });
      return;
    }
  },
};
