/**
 * A bound on the work listeners do after they ack, per running bot (`afterAck`). Under a burst, the
 * excess waits in this queue (cheap) instead of running as hundreds of interleaved database
 * and HTTP chains, so the event loop stays free to read and ack new requests quickly.
 */
import type { AppDeps } from '../deps.js';

/** Half the bot's database pool (BOT_POOL_SIZE, src/bot.ts): a listener may use two connections. */
export const AFTER_ACK_CONCURRENCY = 10;

interface Slots {
  active: number;
  readonly waiting: (() => void)[];
}

const slotsByDeps = new WeakMap<AppDeps, Slots>();

/** Runs `work` when one of the bot's after-ack slots is free. */
export async function afterAck<T>(deps: AppDeps, work: () => Promise<T>): Promise<T> {
  let slots = slotsByDeps.get(deps);
  if (!slots) {
    slots = { active: 0, waiting: [] };
    slotsByDeps.set(deps, slots);
  }
  const s = slots;
  if (s.active >= AFTER_ACK_CONCURRENCY) await new Promise<void>((r) => s.waiting.push(r));
  else s.active += 1;
  try {
    return await work();
  } finally {
    const next = s.waiting.shift();
    if (next) next();
    else s.active -= 1;
  }
}
