/**
 * A bound on the work listeners do after they ack, per running bot. Every request's ack goes
 * out at once; what its listener does after the ack waits for one of the bot's after-ack slots
 * and keeps it until the listener is done. It is installed where requests enter the app
 * (`boundAfterAck`, on `App.processEvent`, as `trackAcks` is), so every listener of every
 * module is bounded and none can forget it: the slot is taken inside the ack, whose promise
 * resolves once the ack has been sent and a slot is free. An event (Bolt acks it before any
 * middleware) waits for its slot before its listener runs.
 *
 * Under a burst (the meeting's 40 executives voting at once, a digest's Done buttons, everyone
 * opening App Home after an announcement) the excess waits in this queue, cheaply, instead of
 * taking every connection of the pool: a Done click holds its action's draw lock on one
 * connection while it reads on another, and with more such clicks at once than the pool has
 * connections each waited for a connection none gave back, until pg's timeout answered them
 * with an error.
 *
 * What a listener does before its ack is not bounded (a form's validation, whose errors go in
 * the ack; a select's options): it must be quick anyway, within Slack's 3 s. Nor is what a form
 * opener does before `views.open`: its trigger_id lives 3 s, once, and queued behind the slots
 * during a burst it would expire, the chair's decision form failing while 40 executives vote.
 * Such a listener says so before its ack (`formFirst`), so its ack takes no slot, and opens its
 * form with `openForm`, which takes one once the form is open, for the rest (reading the
 * form's data, `views.update`); one that decides to open none and still has work to do takes
 * it itself (`slotAfterForm`). tests/unit/form-first.test.ts fails for a listener that opens a
 * form otherwise. Its checks before the form are a few reads, one connection at a time, for
 * the pool's two connections beyond the slots' (two a slot).
 *
 * A listener never waits for a slot while it holds one or holds a connection (no call does so
 * inside a transaction), so slots cannot deadlock. A wait that needs no connection of the pool
 * (the channel summary's batching, which may wait a second or Slack's Retry-After) lets the
 * slot go first (`leaveAfterAckSlot`).
 */
import type { App, ReceiverEvent, webApi } from '@slack/bolt';

/**
 * Half the bot's database pool (botPoolSize, src/bot.ts): a listener holding a connection
 * (an action's draw lock) may wait for one more.
 */
export const AFTER_ACK_CONCURRENCY = 10;

/** One request's claim on a slot. */
interface Claim {
  /** `form`: acked without a slot, its form first; it takes one with `slotAfterForm`. */
  state: 'none' | 'form' | 'waiting' | 'held' | 'left';
  /** While waiting: hands it the slot (or, `left`, wakes it without one). */
  wake?: () => void;
  /** Waits for a slot and holds it (resolves at once when one is free). */
  take(): Promise<void>;
  /** Lets the slot go (or stops waiting for one); idempotent. */
  leave(): void;
}

/** The claim of each request in progress, by its body (the object listeners get as `body`). */
const claims = new WeakMap<object, Claim>();

/** Bounds the after-ack work of every listener of `app` to `size` at once. */
export function boundAfterAck(app: App, size = AFTER_ACK_CONCURRENCY): void {
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`after-ack slots must be a whole number of at least 1, got ${size}`);
  let active = 0;
  const waiting: Claim[] = [];
  const take = (c: Claim): Promise<void> => {
    if (active < size) {
      active += 1;
      c.state = 'held';
      return Promise.resolve();
    }
    c.state = 'waiting';
    return new Promise<void>((resolve) => {
      c.wake = resolve;
      waiting.push(c);
    });
  };
  const give = (c: Claim) => {
    if (c.state === 'held') {
      c.state = 'left';
      const next = waiting.shift();
      if (next) {
        // The slot passes straight to the next in line: `active` stays.
        next.state = 'held';
        next.wake?.();
      } else active -= 1;
    } else if (c.state === 'waiting') {
      // Done without waiting for its ack (a listener that did not await it): out of the line.
      waiting.splice(waiting.indexOf(c), 1);
      c.state = 'left';
      c.wake?.();
    } else c.state = 'left';
  };
  const processEvent = app.processEvent.bind(app);
  app.processEvent = async (event: ReceiverEvent) => {
    const claim: Claim = { state: 'none', take: () => take(claim), leave: () => give(claim) };
    claims.set(event.body, claim);
    try {
      return await processEvent({
        ...event,
        ack: async (response) => {
          // The ack goes out first: it never waits for a slot.
          await event.ack(response);
          // A second ack, or a form opener's (formFirst), takes nothing.
          if (claim.state === 'none') await take(claim);
        },
      });
    } finally {
      give(claim);
    }
  };
}

/**
 * Lets the request's after-ack slot go before its listener is done, for a wait that uses no
 * connection of the pool (the channel summary's batching). What follows runs unbounded.
 */
export function leaveAfterAckSlot(body: object): void {
  claims.get(body)?.leave();
}

/**
 * Said by a listener before its ack when it opens a form first (`openForm`, with the request's
 * trigger_id, which lives 3 s): its ack does not wait for a slot, `openForm` takes it once the
 * form is open. Said after the ack, it is too late (the ack has taken a slot, or waits for
 * one): an error.
 */
export function formFirst(body: object): void {
  const claim = claims.get(body);
  if (!claim) return;
  if (claim.state !== 'none' && claim.state !== 'form')
    throw new Error('formFirst must be said before the ack: the ack already took a slot');
  claim.state = 'form';
}

/**
 * For a form opener (see `formFirst`): waits for an after-ack slot, held until the request is
 * done, as an ack's. `openForm` calls it; a listener calls it itself when it opens no form
 * and has work left (a refusal, then a message to redraw). Nothing for any other request, nor
 * a second time. Never call it holding a connection (inside a transaction).
 */
export async function slotAfterForm(body: object): Promise<void> {
  const claim = claims.get(body);
  if (claim?.state === 'form') await claim.take();
}

/**
 * `views.open` for a listener that said `formFirst`: the form opens at once, then (opened or
 * refused) the request waits for its after-ack slot, so what follows is bounded. With nothing
 * after it, the wait costs only a place in the line.
 */
export async function openForm(
  client: webApi.WebClient,
  body: object,
  args: webApi.ViewsOpenArguments,
): Promise<webApi.ViewsOpenResponse> {
  try {
    return await client.views.open(args);
  } finally {
    await slotAfterForm(body);
  }
}
