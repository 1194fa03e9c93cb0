/**
 * The `/sop execution` form's submission: validate, record the deviation, its action and the
 * `deviation-publish` request (job outbox) in one transaction (a double submit records one:
 * the request key is the view's), answer Slack, then hand the request to the queue. The job
 * posts in the supply channel, DMs the owner and schedules the reminders; with Redis down the
 * request waits in the outbox and the relay delivers it once Redis is back.
 */
import type { App } from '@slack/bolt';
import type { AppDeps } from '../src/deps.js';
import { SopError } from '../src/errors.js';
import { reportDeviation } from '../src/services/execution.js';
import { requirePermission } from '../src/services/members.js';
import { deliverJobs } from '../src/services/outbox.js';
import { userNamesFor } from '../src/services/user-names.js';
import { memberOf } from '../src/slack/member-context.js';
import { EXECUTION_CALLBACK, parseExecutionState } from '../src/slack/presenters/execution.js';
import { fieldErrorText, logUnexpected } from '../src/slack/reply.js';
import { viewRequestKey } from '../src/slack/request-key.js';

export function register(app: App, deps: AppDeps): void {
  app.view(EXECUTION_CALLBACK, async ({ ack, body, view, context, client }) => {
    const parsed = parseExecutionState(
      view.state.values as Parameters<typeof parseExecutionState>[0],
    );
    if (Object.keys(parsed.errors).length || !parsed.kind) {
      await ack({ response_action: 'errors', errors: { ...parsed.errors } });
      return;
    }
    let publishRequest: string | null;
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
      publishRequest = made?.publishRequest ?? null;
    } catch (err) {
      logUnexpected(deps.logger, err, 'execution report failed');
      // A refusal names its field first ("code: …", "expected: …"); the rest go on the comment.
      const named = err instanceof SopError ? /^(code|expected|actual):/.exec(err.message) : null;
      const field = named?.[1] ?? 'comment';
      // Slack shows a field's error as plain text: commands in quotes, people by name.
      const text = await fieldErrorText(err, userNamesFor(deps.db, client, deps.logger));
      await ack({ response_action: 'errors', errors: { [field]: text.slice(0, 2000) } });
      return;
    }
    await ack();
    if (!publishRequest) return;
    try {
      const d = await deliverJobs(deps.db, deps.queue, { ids: [publishRequest] });
      if (d.pending > 0)
        deps.logger.info(
          { reason: d.error?.message },
          'job queue unavailable: the deviation waits in the outbox to be published',
        );
    } catch (err) {
      deps.logger.error({ err }, 'could not hand the deviation over to be published');
    }
  });
}
