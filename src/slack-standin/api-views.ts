/** views.open / push / update / publish, with trigger and modal-stack rules. */
import { type ApiAnswer, type ApiContext, type ApiMethod, fail, missing, ok } from './api.js';
import { type JsonObject, obj, str } from './json.js';
import { formatViolations, validateView } from './rules.js';
import type { StandinStore } from './store.js';
import type { StoredView } from './types.js';

export const TRIGGER_TTL_MS = 3000;
export const MAX_MODAL_STACK = 3;

/** Checks a view definition; answers invalid_arguments with Slack-style messages. */
function checkView(args: JsonObject, expected: 'modal' | 'home' | 'any'): JsonObject | ApiAnswer {
  const view = obj(args, 'view');
  if (view === undefined) return missing('view');
  const violations = validateView(view);
  if (violations.length > 0) return fail('invalid_arguments', formatViolations(violations));
  if (expected !== 'any' && str(view, 'type') !== expected)
    return fail('invalid_arguments', [
      `[ERROR] view.type must be '${expected}' [json-pointer:/view/type]`,
    ]);
  return view;
}

function isView(v: JsonObject | ApiAnswer): v is JsonObject {
  return !('status' in v && 'body' in v);
}

/** Consumes a trigger_id: single use, valid for 3 s, and only ones the driver issued. */
function useTrigger(ctx: ApiContext): { user: string } | ApiAnswer {
  const id = str(ctx.args, 'trigger_id') ?? str(ctx.args, 'interactivity_pointer');
  if (id === undefined) return missing('trigger_id');
  const trigger = ctx.store.triggers.get(id);
  if (!trigger) return fail('invalid_trigger_id');
  if (trigger.used || ctx.now - trigger.issuedAt > TRIGGER_TTL_MS)
    return fail('expired_trigger_id');
  trigger.used = true;
  return { user: trigger.user };
}

function newView(
  store: StandinStore,
  user: string,
  definition: JsonObject,
  stack: readonly string[],
): StoredView {
  const id = store.nextId('V');
  const externalId = str(definition, 'external_id');
  const view: StoredView = {
    id,
    user,
    type: str(definition, 'type') === 'home' ? 'home' : 'modal',
    hash: store.nextId('h').toLowerCase(),
    definition,
    root_view_id: stack[0] ?? id,
    previous_view_id: stack.at(-1) ?? null,
    ...(externalId ? { external_id: externalId } : {}),
  };
  store.views.set(id, view);
  return view;
}

const open: ApiMethod = (ctx) => {
  const view = checkView(ctx.args, 'modal');
  if (!isView(view)) return view;
  const trigger = useTrigger(ctx);
  if ('status' in trigger) return trigger;
  const stored = newView(ctx.store, trigger.user, view, []);
  ctx.store.stacks.set(trigger.user, [stored.id]);
  return ok({ view: ctx.store.viewPayload(stored) });
};

const push: ApiMethod = (ctx) => {
  const view = checkView(ctx.args, 'modal');
  if (!isView(view)) return view;
  const trigger = useTrigger(ctx);
  if ('status' in trigger) return trigger;
  const stack = ctx.store.stacks.get(trigger.user) ?? [];
  if (stack.length === 0) return fail('not_found');
  if (stack.length >= MAX_MODAL_STACK) return fail('push_limit_reached');
  const stored = newView(ctx.store, trigger.user, view, stack);
  stack.push(stored.id);
  return ok({ view: ctx.store.viewPayload(stored) });
};

const update: ApiMethod = (ctx) => {
  const view = checkView(ctx.args, 'any');
  if (!isView(view)) return view;
  const { store } = ctx;
  const viewId = str(ctx.args, 'view_id');
  const externalId = str(ctx.args, 'external_id');
  if (viewId === undefined && externalId === undefined) return missing('view_id or external_id');
  const stored =
    viewId !== undefined
      ? store.views.get(viewId)
      : [...store.views.values()].find((v) => v.external_id === externalId);
  // A closed modal can no longer be updated.
  if (!stored || (stored.type === 'modal' && store.stackOwner(stored.id) === undefined))
    return fail('not_found');
  if (str(view, 'type') !== stored.type)
    return fail('invalid_arguments', [
      `[ERROR] view.type must be '${stored.type}', the type of the view it updates [json-pointer:/view/type]`,
    ]);
  const hash = str(ctx.args, 'hash');
  if (hash !== undefined && hash !== stored.hash) return fail('hash_conflict');
  stored.definition = view;
  stored.hash = store.nextId('h').toLowerCase();
  return ok({ view: store.viewPayload(stored) });
};

const publish: ApiMethod = (ctx) => {
  const view = checkView(ctx.args, 'home');
  if (!isView(view)) return view;
  const user = str(ctx.args, 'user_id');
  if (user === undefined) return missing('user_id');
  if (!ctx.store.users.has(user)) return fail('user_not_found');
  const previous = ctx.store.homeViews.get(user);
  const hash = str(ctx.args, 'hash');
  const old = previous ? ctx.store.views.get(previous) : undefined;
  if (hash !== undefined && old && hash !== old.hash) return fail('hash_conflict');
  const stored = newView(ctx.store, user, view, []);
  ctx.store.homeViews.set(user, stored.id);
  return ok({ view: ctx.store.viewPayload(stored) });
};

export const viewMethods: Readonly<Record<string, ApiMethod>> = {
  'views.open': open,
  'views.push': push,
  'views.update': update,
  'views.publish': publish,
};
