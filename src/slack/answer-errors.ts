/**
 * What a person sees when a listener fails with an error it did not catch (a database or Redis
 * call outside its own try, as with PostgreSQL restarting): the apology, where they acted, and
 * the error logged once with its stack. Decided once, as Bolt global middleware, so a command,
 * button or form added later cannot forget it.
 *
 * Not acked yet (Slack's 3 s are running): the ack answers. A slash command's private reply, a
 * form's error on its first input (`response_action: 'errors'`; the form stays open), no
 * options for a select. Acked already: a command, button or shortcut is answered privately
 * (`tellUser`), a form by DM, and an App Home that could not be drawn is drawn with the apology.
 */
import type { AnyMiddlewareArgs, App, Middleware, ReceiverEvent } from '@slack/bolt';
import type { AppDeps } from '../deps.js';
import { messageModal } from './presenters/change-modal.js';
import { homeNoticeView } from './presenters/home.js';
import { logUnexpected, tellUser, userMessage, warningText } from './reply.js';

/** Per request (its body), whether it has been acked: Bolt does not tell middleware. */
const acks = new WeakMap<object, { acked: boolean }>();

/** Notes each request's ack, for `answerErrors`. Installed once, before any module. */
export function trackAcks(app: App): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event: ReceiverEvent) => {
    const state = { acked: false };
    acks.set(event.body, state);
    return processEvent({
      ...event,
      ack: (response) => {
        state.acked = true;
        return event.ack(response);
      },
    });
  };
}

type Ack = (response?: unknown) => Promise<void>;

interface FailedBody {
  readonly type?: string;
  readonly command?: string;
  readonly view?: {
    readonly blocks?: readonly { readonly type?: string; readonly block_id?: string }[];
    readonly title?: { readonly text?: string };
  };
  readonly event?: { readonly type?: string; readonly tab?: string; readonly user?: string };
}

/** The answer to a form that failed before its ack: the sentence on its first input. */
function formAnswer(view: FailedBody['view'], err: unknown): object {
  const input = view?.blocks?.find((b) => b.type === 'input' && b.block_id);
  if (input?.block_id)
    return { response_action: 'errors', errors: { [input.block_id]: userMessage(err) } };
  return {
    response_action: 'update',
    view: messageModal(view?.title?.text ?? 'sopbot', warningText(err)),
  };
}

async function answer(
  args: AnyMiddlewareArgs & { client: App['client'] },
  err: unknown,
  logger: AppDeps['logger'],
) {
  const body = args.body as FailedBody;
  const { client } = args;
  // Logged by answerErrors; a failure to tell is logged by tellUser, once.
  const tell = () => tellUser(client, body, err, logger, { logged: true });
  // Unknown (no tracker): taken as acked, so the ack is never sent twice.
  const acked = acks.get(args.body)?.acked ?? true;
  const ack = acked ? undefined : (args as { ack?: Ack }).ack;
  if (body.command !== undefined) {
    if (ack) await ack({ response_type: 'ephemeral', text: warningText(err) });
    else await tell();
    return;
  }
  switch (body.type) {
    case 'view_submission':
      if (ack) await ack(formAnswer(body.view, err));
      else await tell();
      return;
    case 'block_suggestion':
      await ack?.({ options: [] });
      return;
    case 'event_callback': {
      const e = body.event;
      if (e?.type === 'app_home_opened' && e.tab === 'home' && e.user)
        await client.views.publish({
          user_id: e.user,
          view: homeNoticeView(warningText(err)),
        });
      return;
    }
    default:
      await ack?.();
      await tell();
  }
}

/** The global middleware: every listener's uncaught error is logged once and answered. */
export function answerErrors(deps: AppDeps): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    try {
      await args.next();
    } catch (err) {
      logUnexpected(deps.logger, err, 'unhandled error in a handler', {
        retryNum: args.context.retryNum,
      });
      await answer(args, err, deps.logger).catch((e: unknown) =>
        deps.logger.warn({ err: e }, 'could not tell the user about an error'),
      );
    }
  };
}
