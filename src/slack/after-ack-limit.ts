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
 * the ack; a select's options): it must be quick anyway, within Slack's 3 s. A listener never
 * waits for a second slot while it holds one (there is no call to do so), so slots cannot
 * deadlock. A wait that needs no connection of the pool (the channel summary's batching, which
 * may wait a second or Slack's Retry-After) lets the slot go first (`leaveAfterAckSlot`).
 */
import type { App, ReceiverEvent } from '@slack/bolt';

/**
 * Half the bot's database pool (botPoolSize, src/bot.ts): a listener holding a connection
 * (an action's draw lock) may wait for one more.
 */
export const AFTER_ACK_CONCURRENCY = 10;

/** One request's claim on a slot. */
interface Claim {
  state: 'none' | 'waiting' | 'held' | 'left';
  /** While waiting: hands it the slot (or, `left`, wakes it without one). */
  wake?: () => void;
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
    const claim: Claim = { state: 'none', leave: () => give(claim) };
    claims.set(event.body, claim);
    try {
      return await processEvent({
        ...event,
        ack: async (response) => {
          // The ack goes out first: it never waits for a slot.
          await event.ack(response);
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
