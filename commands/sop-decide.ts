/**
 * `/sop decide <scenario> "rationale" [supersedes "reason"]` (executives): record a decision
 * without a vote. With no text, it opens the decision modal (scenario, rationale, follow-up
 * actions). When the cycle already has a decision, the new one says why it supersedes it.
 */
import { codeSpan } from '../src/core/text.js';
import { UsageError } from '../src/errors.js';
import { requireOpenCycle } from '../src/services/cycles.js';
import {
  currentDecision,
  decisionChoices,
  handOverDecision,
  recordDecision,
  SupersedeReasonRequired,
  scenarioNamed,
} from '../src/services/decisions.js';
import { escalationsToDecide } from '../src/services/escalations.js';
import { refuseOutsideExecutive } from '../src/services/polls.js';
import { openForm } from '../src/slack/after-ack-limit.js';
import type { SopSubcommand } from '../src/slack/command-types.js';
import {
  decisionModal,
  INITIAL_ACTION_ROWS,
  typedDecisionBreaks,
} from '../src/slack/presenters/decision.js';
import { esc } from '../src/slack/presenters/format.js';

export const decide: SopSubcommand = {
  name: 'decide',
  usage: '/sop decide [<scenario> "rationale" [supersedes "reason"]]',
  summary: 'record the executive decision without a vote (no text: opens the form)',
  action: 'decision.decide',
  // No scenario named (no text, or `""`): the decision form, as handle() opens it.
  opensForm: (args) => !args[0],
  async handle(ctx) {
    const { db } = ctx.deps;
    const cycle = await requireOpenCycle(db);
    refuseOutsideExecutive(cycle, 'decision');
    const [name, ...why] = ctx.args;
    if (!name) {
      const choices = await decisionChoices(db, cycle.id);
      if (!choices)
        throw new UsageError(`Cycle ${cycle.month} has no plan run yet; run \`/sop plan\` first.`);
      // A form whose scenario select is empty is refused by Slack, and there is nothing to decide.
      if (choices.length === 0)
        throw new UsageError(
          `The latest plan run of ${cycle.month} has no feasible scenario to decide on; fix the plan and run \`/sop plan\` again.`,
        );
      const central = choices.find((c) => c.label.toLowerCase() === 'central') ?? choices[0];
      const current = await currentDecision(db, cycle.id);
      await openForm(ctx.client, ctx.command, {
        trigger_id: ctx.command.trigger_id,
        view: decisionModal(
          {
            cycleId: cycle.id,
            pollId: null,
            rows: INITIAL_ACTION_ROWS,
            supersedes: current?.id ?? null,
          },
          choices,
          central?.scenarioId ?? null,
          undefined,
          await escalationsToDecide(db, cycle.id),
        ),
      });
      return;
    }
    const cut = why.findIndex((w) => w.toLowerCase() === 'supersedes');
    const rationale = (cut < 0 ? why : why.slice(0, cut)).join(' ').trim();
    const supersedeReason =
      cut < 0
        ? null
        : why
            .slice(cut + 1)
            .join(' ')
            .trim() || null;
    if (!rationale)
      throw new UsageError(
        'Give the rationale too: `/sop decide central "protects service at the lowest cost"`.',
      );
    const scenario = await scenarioNamed(db, cycle, name);
    const rec = await recordDecision(ctx.deps, {
      cycleId: cycle.id,
      pollId: null,
      scenarioId: scenario.id,
      rationale,
      decidedBy: ctx.member.userId,
      requestKey: ctx.requestKey,
      actions: [],
      supersedeReason,
    }).catch((err: unknown) => {
      if (err instanceof SupersedeReasonRequired)
        throw new UsageError(
          `${err.message} Add it after the rationale: ${codeSpan(`/sop decide ${scenario.name} "rationale" supersedes "reason"`)}.`,
        );
      throw err;
    });
    // The decision log is posted by its `decision-publish` job, recorded with the decision:
    // a Slack error retries the post, it never undoes or hides the decision.
    const handedOver = await handOverDecision(ctx.deps, rec);
    await ctx.respond({
      response_type: 'ephemeral',
      text: !rec.created
        ? `Decision ${rec.decision.id} was already recorded.`
        : `Decision ${rec.decision.id} recorded: ${esc(rec.decision.title)}.${typedDecisionBreaks(rec.dispositions)}${handedOver ? '' : ' The job queue is unavailable: its decision log will be posted as soon as the queue is back.'}`,
    });
  },
};
