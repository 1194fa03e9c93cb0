/**
 * The `/sop` router: acks at once, tokenises the text (the subcommand's keywords read in any
 * case), checks the subcommand's row of the
 * policy for the member on the context and hands over. Unknown subcommands get the help list.
 * A use that opens a form (the subcommand's `opensForm`) is acked without waiting for an
 * after-ack slot (`formFirst`): the subcommand's `openForm` takes it once the form is open.
 */
import type { App } from '@slack/bolt';
import { codeSpan } from '../src/core/text.js';
import type { AppDeps } from '../src/deps.js';
import { requirePermission } from '../src/services/members.js';
import { once } from '../src/services/requests.js';
import { formFirst } from '../src/slack/after-ack-limit.js';
import { memberOf } from '../src/slack/member-context.js';
import { esc } from '../src/slack/presenters/format.js';
import { logUnexpected, warningText } from '../src/slack/reply.js';
import { commandRequestKey } from '../src/slack/request-key.js';
import { readKeywords, tokenise } from '../src/slack/tokenise.js';
import { helpFor } from './sop-help.js';
import { SOP_SUBCOMMANDS } from './sop-registry.js';

export function register(app: App, deps: AppDeps): void {
  app.command('/sop', async ({ ack, command, client, respond, context }) => {
    const text = command.text.trim();
    const [first, ...typed] = tokenise(text);
    const name = (first ?? 'help').toLowerCase();
    const sub = SOP_SUBCOMMANDS.find((s) => s.name === name);
    // Its verbs, setting names and filters in any case, as the subcommand name is read.
    const args = readKeywords(typed, sub?.keywords ?? [], sub?.freeTextFrom?.bind(sub));
    if (sub?.opensForm?.(args)) formFirst(command);
    await ack();
    try {
      const member = await memberOf(context);
      if (!sub) {
        await respond({
          response_type: 'ephemeral',
          text: `Unknown subcommand ${esc(codeSpan(first ?? ''))}.\n\n${await helpFor(deps, SOP_SUBCOMMANDS, member)}`,
        });
        return;
      }
      requirePermission(member, sub.action, `use \`/sop ${sub.name}\``);
      const requestKey = commandRequestKey(command);
      // Slack's retries of this very command (x-slack-retry-num) do nothing a second time.
      const ran = await once(deps.db, requestKey, `sop:${sub.name}`, () =>
        sub.handle({
          deps,
          command,
          args,
          rest: first === undefined ? '' : text.slice(text.indexOf(first) + first.length).trim(),
          client,
          respond,
          member,
          requestKey,
        }),
      );
      if (!ran) deps.logger.info({ sub: sub.name, requestKey }, '/sop retry ignored');
    } catch (err) {
      logUnexpected(deps.logger, err, '/sop failed', { sub: sub?.name ?? name });
      await respond({ response_type: 'ephemeral', text: warningText(err) });
    }
  });
}
