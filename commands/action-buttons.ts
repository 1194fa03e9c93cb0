/**
 * Done, Snooze and Reassign buttons on follow-up actions (DMs and App Home), and the Reassign
 * form. Answers go through `tellPrivately`: an App Home click has no channel, so they go to the
 * clicker's DM. The form gives the action through the service of `/sop actions reassign`
 * (src/services/action-reassign.ts): the same checks, audit and handover job.
 */
import type { App, BlockAction, ButtonAction, Context } from '@slack/bolt';
import { z } from 'zod';
import { can } from '../src/core/policy.js';
import type { AppDeps } from '../src/deps.js';
import { SopError, ValidationError } from '../src/errors.js';
import { rowIdString, rowIdText } from '../src/row-id.js';
import {
  drawClickedAction,
  editRefusedForGood,
  handOverReassignment,
  type ReassignInput,
  type Reassignment,
  reassignAction,
  reassignmentOfRequest,
  repeatedReassignment,
  retireGivenAwayButtons,
} from '../src/services/action-reassign.js';
import {
  getAction,
  isActionMessage,
  markDone,
  redrawClosedLater,
  reminderDigestAt,
  type Snooze,
  snoozeAction,
} from '../src/services/actions.js';
import { roleNames } from '../src/services/members.js';
import { once } from '../src/services/requests.js';
import { getSettings } from '../src/services/settings.js';
import { userNamesFor } from '../src/services/user-names.js';
import { formFirst, openForm, slotAfterForm } from '../src/slack/after-ack-limit.js';
import { type HomeRedraw, noteHomeOpen, redrawHome, redrawHomes } from '../src/slack/home.js';
import { memberOf } from '../src/slack/member-context.js';
import {
  ACTION_DONE,
  ACTION_REASSIGN,
  ACTION_SNOOZE_DAY,
  ACTION_SNOOZE_WEEK,
  actionClosedMessage,
  doneText,
  REASSIGN_BLOCK,
  REASSIGN_CALLBACK,
  REASSIGN_USER,
  reassignedAlreadyText,
  reassignedText,
  reassignModal,
  reassignNotGivenText,
  reminderDigestDm,
  snoozedText,
} from '../src/slack/presenters/actions.js';
import { messageModal } from '../src/slack/presenters/change-modal.js';
import { fieldErrorText, logUnexpected, tellPrivately, tellUser } from '../src/slack/reply.js';
import { viewRequestKey } from '../src/slack/request-key.js';

type Click = BlockAction<ButtonAction>;

/**
 * How old a Reassign form's claim is when its sending is taken to have failed without giving
 * it back: well past the longest a sending takes (Slack's users.info gives up after
 * SOPBOT_BOT_SLACK_TIMEOUT_MS, 10 s by default, and the database's connections after 2 s).
 */
const ABANDONED_SENDING_MS = 30_000;

/** The Reassign form as submitted: the person picked (Slack requires one; null if not). */
const reassignState = z.object({
  [REASSIGN_BLOCK]: z.object({
    [REASSIGN_USER]: z.object({ selected_user: z.string().min(1).nullish() }),
  }),
});

/** The person the Reassign form names, or a ValidationError saying to pick one. */
function pickedPerson(values: unknown): string {
  const parsed = reassignState.safeParse(values);
  const user = parsed.success ? parsed.data[REASSIGN_BLOCK][REASSIGN_USER].selected_user : null;
  if (!user) throw new ValidationError('Choose the person who takes the action over.');
  return user;
}

export function register(app: App, deps: AppDeps): void {
  /** The policy says who may change anyone's action; its owner may change theirs. */
  const managesAny = async (context: Context) => can(await memberOf(context), 'action.manage-any');

  /**
   * A click on App Home: drawn again so the action's row reflects the change (a 429 waited
   * out, `redrawHome`); null for a click elsewhere.
   */
  const refreshHome = async (
    body: Click,
    client: App['client'],
    verb: string,
  ): Promise<HomeRedraw | null> => {
    if (body.container?.type !== 'view' || body.view?.type !== 'home') return null;
    return redrawHome(deps, client, body.user.id, `${verb} on an action`);
  };

  /**
   * Once a click's change is saved (`saved` says it): draws the clicked message or App Home
   * again (`redraw`, which says what became of App Home's), then, if `confirm`, tells the person
   * `saved`. Slack refusing or rate-limiting either does not undo the change: it is logged
   * once, and a failed redraw is answered with `saved` and that the message may still show its
   * buttons, rather than the apology for an error, which would ask them to try again. When
   * Slack asks App Home's redraw to wait (a 429), the person is told it is tried again.
   */
  const showSaved = async (
    body: Click,
    client: App['client'],
    saved: string,
    confirm: boolean,
    redraw: () => Promise<HomeRedraw | null>,
    /** Whether the message a failed redraw left is drawn again later (`redrawClosedLater`). */
    drawnLater: () => boolean = () => false,
  ) => {
    const tell = (text: string) =>
      tellPrivately(client, body, text).catch((err: unknown) =>
        deps.logger.error({ err }, 'a click was saved, but the person could not be told'),
      );
    let home: HomeRedraw | null;
    try {
      home = await redraw();
    } catch (err) {
      deps.logger.error({ err }, 'a click was saved, but Slack did not let it be shown');
      home = 'failed';
    }
    if (home === 'failed') {
      const where = body.container?.type === 'view' ? 'App Home' : 'this message';
      await tell(
        drawnLater()
          ? `${saved} Slack did not let me redraw ${where} just now; it loses its buttons as soon as Slack lets me.`
          : `${saved} Slack did not let me redraw ${where}, so it may still show the buttons.`,
      );
      return;
    }
    if (home === 'waiting') {
      await tell(
        `${saved} Slack asked me to wait before redrawing App Home; I will try again shortly.`,
      );
      return;
    }
    if (confirm) await tell(saved);
  };

  /**
   * A click refused because the action is no longer the clicker's (given to someone else): their
   * DMs about it are redrawn at once as the handover job redraws them, the buttons giving way to
   * the line saying to whom it went (`retireGivenAwayButtons`), rather than left to offer what
   * is refused. Nothing when it was never given away from them. Slack refusing the redraw is
   * logged once; the refusal is told all the same.
   */
  const retireGivenAway = async (client: App['client'], actionId: string, user: string) => {
    try {
      const out = await retireGivenAwayButtons({ db: deps.db, slack: client }, actionId, user);
      if (out && out.notEdited > 0)
        deps.logger.info(
          { actionId, user, notEdited: out.notEdited },
          "Slack would not edit some of the old owner's DMs about the action (deleted since?); they keep their buttons",
        );
    } catch (err) {
      deps.logger.error(
        { err, actionId, user },
        "a click on an action given away was refused, but the old owner's DMs about it were not redrawn",
      );
    }
  };

  /**
   * A Done or Snooze refused in its write (`conflict`): the action was given away between the
   * click's read of its owner and the write (`givenMeanwhile`), or closed. Given away, the
   * clicker's DMs about it are redrawn (`retireGivenAway`); the caller then tells the refusal.
   */
  const retireIfGivenAway = async (
    body: Click,
    client: App['client'],
    id: string,
    err: unknown,
  ) => {
    if (err instanceof SopError && err.code === 'conflict')
      await retireGivenAway(client, id, body.user.id);
  };

  /**
   * The clicked action, if it exists and the clicker may change it, and whether they may change
   * anyone's (`manageAny`: Done and Snooze then change it whoever owns it by then; else only
   * while it is still theirs); otherwise says why.
   */
  const ownedAction = async (
    body: Click,
    client: App['client'],
    action: ButtonAction,
    context: Context,
    verb: string,
  ) => {
    const a = await getAction(deps.db, rowIdText(action.value, "The action's id"));
    if (!a) {
      await tellPrivately(client, body, 'This action no longer exists.');
      return null;
    }
    const manageAny = await managesAny(context);
    if (body.user.id !== a.owner && !manageAny) {
      // Given away from them: the buttons they pressed give way to the line saying to whom.
      // That takes the action's lock and reads beside it: a Reassign click, which opens its
      // form before it waits for an after-ack slot, takes one first (Done and Snooze hold one).
      await slotAfterForm(body);
      await retireGivenAway(client, a.id, body.user.id);
      await tellPrivately(
        client,
        body,
        `Only <@${a.owner}> (the owner) or ${roleNames('action.manage-any')} can ${verb} this action.`,
      );
      return null;
    }
    return { a, manageAny };
  };

  /**
   * A click on an item of a morning's reminder digest (of more than one action, and listing
   * `id`): the digest redrawn in place from its actions as they stand now, so the clicked item
   * shows what became of it and the others are as they were. False when the message is not one.
   */
  const redrawDigest = async (
    body: Click,
    client: App['client'],
    id: string,
    timezone: string,
  ): Promise<boolean> => {
    const channel = body.channel?.id ?? body.container?.channel_id;
    const ts = body.message?.ts ?? body.container?.message_ts;
    if (!channel || !ts || body.container?.type !== 'message') return false;
    const items = await reminderDigestAt(deps.db, channel, ts);
    if (!items || items.length < 2 || !items.some((it) => it.id === id)) return false;
    const msg = reminderDigestDm(items, timezone, deps.clock.now());
    await client.chat.update({ channel, ts, text: msg.text, blocks: msg.blocks });
    return true;
  };

  app.action<Click>(ACTION_DONE, async ({ ack, body, action, client, context }) => {
    await ack();
    try {
      const owned = await ownedAction(body, client, action, context, 'close');
      if (!owned) return;
      const { a, manageAny } = owned;
      const channel = body.channel?.id ?? body.container?.channel_id;
      const ts = body.message?.ts ?? body.container?.message_ts;
      // Only the bot's own DM about this action is rewritten, as the ledger knows it: the
      // payload's channel and ts are the clicker's to forge.
      const own =
        channel && ts && body.container?.type === 'message'
          ? await isActionMessage(deps.db, a.id, channel, ts)
          : false;
      let marked: Awaited<ReturnType<typeof markDone>>;
      try {
        // The owner's other DMs about it lose their buttons in the `action-closed` job; this
        // one is drawn here.
        marked = await markDone(deps, a.id, body.user.id, {
          manageAny,
          ...(own && ts ? { shown: ts } : {}),
        });
      } catch (err) {
        await retireIfGivenAway(body, client, a.id, err);
        await tellUser(client, body, err, deps.logger);
        return;
      }
      const { action: done, changed, closing } = marked;
      const { timezone } = await getSettings(deps.db);
      const saved = changed
        ? `Action #${a.id} is ${doneText(done, timezone)}.`
        : `Action #${a.id} is already ${done.status}.`;
      // The bot's own message shows it done; elsewhere (another message, App Home) the
      // person is told, and on App Home only when it was done already.
      const confirm = !own && (body.container?.type === 'message' || !changed);
      let drawnLater = false;
      // Drawn from the action as it stands under the lock its jobs draw under, so a job that
      // read it open (a reopening) cannot land its edit after this one; a job holding the lock
      // too long leaves the message to the click's own job, which takes it in the worker.
      const drawOwn = async () => {
        if (!own) return;
        const drawn = await drawClickedAction(deps.db, a.id, async (now) => {
          if (await redrawDigest(body, client, a.id, timezone)) {
            // The digest shows it done, beside the other actions it lists.
          } else if (channel && ts && now.status !== 'open') {
            // Closed already, it may be cancelled (a corrected import, before this click); one
            // opened again since is drawn open by the reopening's job.
            const msg = actionClosedMessage(now, body.user.id, timezone);
            await client.chat.update({ channel, ts, text: msg.text, blocks: msg.blocks });
          }
        });
        if (drawn === 'busy' && closing && ts) await redrawClosedLater(deps, a.id, closing, ts);
      };
      await showSaved(
        body,
        client,
        saved,
        confirm,
        async () => {
          try {
            await drawOwn();
          } catch (err) {
            // The action-closed job leaves this message to the click (`shown`): once Slack
            // refused the click's edit for now, a job of its own draws it; refused for good
            // (deleted, archived), no job would, and it keeps its buttons.
            if (closing && ts && !editRefusedForGood(err)) {
              await redrawClosedLater(deps, a.id, closing, ts);
              drawnLater = true;
            }
            throw err;
          }
          return refreshHome(body, client, 'Done');
        },
        () => drawnLater,
      );
    } catch (err) {
      await tellUser(client, body, err, deps.logger);
    }
  });

  const snooze =
    (kind: Snooze) =>
    async ({
      ack,
      body,
      action,
      client,
      context,
    }: {
      ack: () => Promise<void>;
      body: Click;
      action: ButtonAction;
      client: App['client'];
      context: Context;
    }) => {
      await ack();
      try {
        const owned = await ownedAction(body, client, action, context, 'snooze');
        if (!owned) return;
        const { a, manageAny } = owned;
        let snoozed: Awaited<ReturnType<typeof snoozeAction>>;
        try {
          snoozed = await snoozeAction(deps, a.id, body.user.id, kind, { manageAny });
        } catch (err) {
          await retireIfGivenAway(body, client, a.id, err);
          await tellUser(client, body, err, deps.logger);
          return;
        }
        const { timezone } = await getSettings(deps.db);
        const saved = snoozedText(a.id, snoozed.end, timezone);
        await showSaved(body, client, saved, true, async () => {
          // Under the locks of every action the digest lists, as a Done's redraw of it: a job
          // or click drawing it about another of them lands before or after, not in between.
          // A job keeping them past the click's wait leaves the digest as it was (its buttons
          // still work; the person is told the snooze).
          const drawn = await drawClickedAction(deps.db, a.id, async () => {
            await redrawDigest(body, client, a.id, timezone);
          });
          if (drawn === 'busy')
            deps.logger.info(
              { actionId: a.id },
              'a snoozed digest was not redrawn: a redraw of its actions kept their locks',
            );
          return refreshHome(body, client, 'Snooze');
        });
      } catch (err) {
        await tellUser(client, body, err, deps.logger);
      }
    };
  app.action<Click>(ACTION_SNOOZE_DAY, snooze('1d'));
  app.action<Click>(ACTION_SNOOZE_WEEK, snooze('1w'));

  // The form opens only for an open action the clicker may give (a stale DM or Home is told
  // why at once, as Done and Snooze are); the service checks again when it is sent, and a
  // refusal then shows under the person picked. The checks read the database only, well
  // inside the trigger's 3 s.
  app.action<Click>(ACTION_REASSIGN, async ({ ack, body, action, client, context }) => {
    formFirst(body);
    await ack();
    try {
      const owned = await ownedAction(body, client, action, context, 'reassign');
      if (!owned) return;
      const { a } = owned;
      if (a.status !== 'open') {
        await tellPrivately(client, body, `Action #${a.id} is already ${a.status}.`);
        return;
      }
      await openForm(client, body, { trigger_id: body.trigger_id, view: reassignModal(a) });
      // Clicked on App Home: they have it open, so the reassignment draws theirs again (written
      // after the form is open, in the slot openForm took, not out of the trigger's 3 s).
      if (body.view?.type === 'home') await noteHomeOpen(deps, body.user.id);
    } catch (err) {
      await tellUser(client, body, err, deps.logger);
    }
  });

  app.view(REASSIGN_CALLBACK, async ({ ack, view, client, context }) => {
    const requestKey = viewRequestKey(view);
    /** A refusal, shown under the person picked; the form stays open for another pick. */
    const refuse = async (err: unknown) => {
      const text = await fieldErrorText(err, userNamesFor(deps.db, client, deps.logger));
      await ack({ response_action: 'errors', errors: { [REASSIGN_BLOCK]: text.slice(0, 2000) } });
    };
    let done: Reassignment | null = null;
    let ran: boolean;
    let input: ReassignInput;
    try {
      const actionId = rowIdString.parse(view.private_metadata);
      const to = pickedPerson(view.state.values);
      input = { actionId, to, member: await memberOf(context), requestKey };
      // A second click on Reassign, or Slack's retry of this submission, gives it once. A
      // sending that failed with Postgres gone, claim and all, is not the last word: the form
      // sent again once its claim is old does the work (the owner's compare-and-set keeps it
      // to one reassignment whatever happens).
      const request = input;
      ran = await once(
        deps.db,
        requestKey,
        'action.reassign',
        async () => {
          done = await reassignAction({ ...deps, slack: client }, request);
        },
        {
          afterMs: ABANDONED_SENDING_MS,
          done: async () => (await reassignmentOfRequest(deps, actionId, requestKey)) !== null,
        },
      );
    } catch (err) {
      logUnexpected(deps.logger, err, 'reassign form failed');
      await refuse(err);
      return;
    }
    const given = done as Reassignment | null;
    if (!ran || !given) {
      // Sent again (a double click, Slack's retry) while the first sending holds the form:
      // answered at once with what the first has written, or with the refusal it gives (the
      // same checks asked again, nothing written, Slack for at most OWNER_CHECK_MS), rather than
      // closed without a word: a retry came because an answer was slow.
      deps.logger.info({ requestKey }, 'reassign form sent again: answered with what is written');
      let repeat: Awaited<ReturnType<typeof repeatedReassignment>>;
      try {
        repeat = await repeatedReassignment({ ...deps, slack: client }, input);
      } catch (err) {
        // The checks failed (Postgres, or Slack for good: a missing scope): what the first
        // sending did is unknown.
        deps.logger.error({ err, requestKey }, 'reassign form sent again: its checks failed');
        repeat = { unknown: true };
      }
      if ('refused' in repeat) {
        await refuse(repeat.refused);
        return;
      }
      await ack({
        response_action: 'update',
        view: messageModal(
          'Reassign action',
          'given' in repeat
            ? reassignedAlreadyText(repeat.given.action, repeat.given.handover)
            : reassignNotGivenText(input.actionId),
        ),
      });
      return;
    }
    await ack({
      response_action: 'update',
      view: messageModal('Reassign action', reassignedText(given.action, given.handover)),
    });
    await handOverReassignment(deps, given);
    // The action leaves the old owner's To-do and joins the new owner's.
    await redrawHomes(deps, client, [given.handover.from, given.handover.to], 'a reassignment');
  });
}
