/**
 * The `/sop execution` form's submission: validate, record the deviation and its action (a
 * double submit records one: the request key is the view's), answer Slack, then hand the
 * posts (supply channel, owner DM, reminders) to the `deviation-publish` job.
 */
import type { App } from '@slack/bolt';
import type { AppDeps } from '../src/deps.js';
import { SopError } from '../src/errors.js';
import { reportDeviation } from '../src/services/execution.js';
import { requirePermission } from '../src/services/members.js';
import { memberOf } from '../src/slack/member-context.js';
import { EXECUTION_CALLBACK, parseExecutionState } from '../src/slack/presenters/execution.js';
import { userMessage } from '../src/slack/reply.js';
import { viewRequestKey } from '../src/slack/request-key.js';

export function register(app: App, deps: AppDeps): void {
  app.view(EXECUTION_CALLBACK, async ({ ack, body, view, context }) => {
    const parsed = parseExecutionState(
      view.state.values as Parameters<typeof parseExecutionState>[0],
    );
    if (Object.keys(parsed.errors).length || !parsed.kind) {
      await ack({ response_action: 'errors', errors: { ...parsed.errors } });
      return;
    }
    let deviationId: string | null;
    try {
      requirePermission(await memberOf(context), 'execution.report', 'report a deviation');
      const made = await reportDeviation(deps, {
        kind: parsed.kind,
        code: parsed.code,
        day: parsed.day,
        expected: parsed.expected,
        actual: parsed.actual,
        comment: parsed.comment,
        reportedBy: body.user.id,
        requestKey: viewRequestKey(view),
      });
      deviationId = made?.id ?? null;
    } catch (err) {
      if (!(err instanceof SopError) || err.code === 'internal')
        deps.logger.error({ err }, 'execution report failed');
      const field = err instanceof SopError && /^code:/.test(err.message) ? 'code' : 'comment';
      await ack({
        response_action: 'errors',
        errors: { [field]: userMessage(err).slice(0, 2000) },
      });
      return;
    }
    await ack();
    if (deviationId) await deps.queue.enqueue('deviation-publish', { deviationId });
  });
}
