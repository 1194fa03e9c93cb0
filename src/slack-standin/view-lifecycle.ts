/** What Slack does to the modal stack after the app acks a view_submission or view_closed. */

import { MAX_MODAL_STACK } from './api-views.js';
import { isObject, type JsonObject, obj, str } from './json.js';
import { formatViolations, validateView } from './rules.js';
import type { StandinStore } from './store.js';

export type ViewOutcome =
  | { readonly action: 'closed' }
  | { readonly action: 'errors'; readonly errors: Readonly<Record<string, string>> }
  | { readonly action: 'updated' | 'pushed'; readonly viewId: string }
  | { readonly action: 'cleared' }
  /** Slack would show the user an error: the ack body was not acceptable. */
  | { readonly action: 'rejected'; readonly reason: string };

/** Applies a view_submission ack body (`response_action`) to the user's modal stack. */
export function applyViewAck(
  store: StandinStore,
  user: string,
  viewId: string,
  ackBody: unknown,
): ViewOutcome {
  const stack = store.stacks.get(user) ?? [];
  const body: JsonObject = isObject(ackBody) ? ackBody : {};
  const action = str(body, 'response_action');
  if (action === undefined) {
    const at = stack.indexOf(viewId);
    if (at >= 0) stack.splice(at, 1);
    if (stack.length === 0) store.stacks.delete(user);
    return { action: 'closed' };
  }
  if (action === 'errors') {
    const errors = obj(body, 'errors');
    if (!errors)
      return { action: 'rejected', reason: "response_action 'errors' needs an 'errors' object" };
    const blocks = store.views.get(viewId)?.definition.blocks;
    const inputIds = new Set(
      (Array.isArray(blocks) ? blocks : [])
        .filter((b) => isObject(b) && str(b, 'type') === 'input')
        .map((b) => (isObject(b) ? str(b, 'block_id') : undefined)),
    );
    const unknown = Object.keys(errors).filter((k) => !inputIds.has(k));
    if (unknown.length > 0)
      return { action: 'rejected', reason: `errors name no input block: ${unknown.join(', ')}` };
    return { action: 'errors', errors: errors as Record<string, string> };
  }
  if (action === 'clear') {
    store.stacks.delete(user);
    return { action: 'cleared' };
  }
  if (action === 'update' || action === 'push') {
    const view = obj(body, 'view');
    const violations = validateView(view);
    if (!view || violations.length > 0)
      return { action: 'rejected', reason: formatViolations(violations).join('; ') };
    if (str(view, 'type') !== 'modal')
      return { action: 'rejected', reason: `response_action '${action}' takes a modal view` };
    if (action === 'update') {
      const stored = store.views.get(viewId);
      if (!stored) return { action: 'rejected', reason: `view ${viewId} is not open` };
      stored.definition = view;
      stored.hash = store.nextId('h').toLowerCase();
      return { action: 'updated', viewId };
    }
    if (stack.length >= MAX_MODAL_STACK)
      return { action: 'rejected', reason: 'push_limit_reached' };
    const id = store.nextId('V');
    store.views.set(id, {
      id,
      user,
      type: 'modal',
      hash: store.nextId('h').toLowerCase(),
      definition: view,
      root_view_id: stack[0] ?? id,
      previous_view_id: stack.at(-1) ?? null,
    });
    stack.push(id);
    return { action: 'pushed', viewId: id };
  }
  return { action: 'rejected', reason: `unknown response_action '${action}'` };
}
