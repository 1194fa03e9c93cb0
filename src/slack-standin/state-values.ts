/**
 * Builds `view.state.values` the way Slack does on submit: every input block's element,
 * with the value the user typed or picked (or the element's initial value), plus the
 * interactive elements of other blocks that the test gave a value for.
 * Slack's client refuses to submit a modal with an empty required input; so does this.
 */
import { arr, isObject, type JsonObject, obj, str } from './json.js';

/** What a test types or picks: text, an option value, a date, a user id, or several of them. */
export type InputValue = string | readonly string[] | null;
export type GivenValues = Readonly<Record<string, Readonly<Record<string, InputValue>>>>;
export type StateValues = Record<string, Record<string, JsonObject>>;
/**
 * The options the app last answered for an external select (block_suggestion): Slack lets
 * people pick only among those (or the element's initial option).
 */
export type OfferedOptions = (l: LocatedElement) => readonly JsonObject[] | undefined;

export interface LocatedElement {
  readonly blockId: string;
  readonly actionId: string;
  readonly blockType: string;
  readonly block: JsonObject;
  readonly element: JsonObject;
}

/** Every interactive element of a block list, with the ids Slack would give it. */
export function locateElements(blocks: readonly unknown[]): LocatedElement[] {
  const out: LocatedElement[] = [];
  blocks.forEach((block, bi) => {
    if (!isObject(block)) return;
    const blockId = str(block, 'block_id') ?? `block_${bi}`;
    const blockType = str(block, 'type') ?? '';
    const elements: unknown[] = [];
    if (blockType === 'input') elements.push(block.element);
    if (blockType === 'actions') elements.push(...(arr(block, 'elements') ?? []));
    if (blockType === 'section' && block.accessory !== undefined) elements.push(block.accessory);
    elements.forEach((element, ei) => {
      if (!isObject(element)) return;
      const actionId = str(element, 'action_id') ?? `action_${bi}_${ei}`;
      out.push({ blockId, actionId, blockType, block, element });
    });
  });
  return out;
}

/**
 * `requireInputs`: on submission Slack refuses a modal whose required inputs are empty; a
 * dispatched action (block_actions) carries whatever state the form has so far.
 */
export function buildStateValues(
  blocks: readonly unknown[],
  given: GivenValues,
  requireInputs = true,
  offered: OfferedOptions = () => undefined,
): StateValues {
  const located = locateElements(blocks);
  for (const [blockId, actions] of Object.entries(given)) {
    for (const actionId of Object.keys(actions)) {
      if (!located.some((l) => l.blockId === blockId && l.actionId === actionId))
        throw new Error(
          `view has no element block_id='${blockId}' action_id='${actionId}' (have: ${located
            .map((l) => `${l.blockId}.${l.actionId}`)
            .join(', ')})`,
        );
    }
  }
  const values: StateValues = {};
  for (const l of located) {
    const value = given[l.blockId]?.[l.actionId];
    if (l.blockType !== 'input' && value === undefined) continue;
    if (!requireInputs && l.blockType === 'input' && isEmpty(value ?? initialOf(l.element)))
      continue;
    if (l.blockType === 'input' && isEmpty(value ?? initialOf(l.element)) && !l.block.optional)
      throw new Error(
        `Slack would not submit: input block '${l.blockId}' is required and has no value`,
      );
    const bucket = values[l.blockId] ?? {};
    values[l.blockId] = bucket;
    bucket[l.actionId] = elementState(l, value, offered);
  }
  return values;
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

function initialOf(element: JsonObject): unknown {
  for (const key of [
    'initial_value',
    'initial_option',
    'initial_options',
    'initial_date',
    'initial_time',
    'initial_user',
    'initial_users',
    'initial_conversation',
    'initial_channel',
  ])
    if (element[key] !== undefined) return element[key];
  return undefined;
}

/** All options of a select / radio / checkbox element, groups flattened. */
function optionsOf(element: JsonObject): JsonObject[] {
  const direct = arr(element, 'options') ?? [];
  const grouped = (arr(element, 'option_groups') ?? []).flatMap((g) =>
    isObject(g) ? (arr(g, 'options') ?? []) : [],
  );
  return [...direct, ...grouped].filter(isObject);
}

function findOption(l: LocatedElement, value: string, offered: OfferedOptions): JsonObject {
  if (str(l.element, 'type')?.includes('external')) {
    const initial = [
      obj(l.element, 'initial_option'),
      ...(arr(l.element, 'initial_options') ?? []),
    ];
    const pool = [...(offered(l) ?? []), ...initial.filter(isObject)];
    const picked = pool.find((o) => str(o, 'value') === value);
    if (!picked)
      throw new Error(
        `${l.blockId}.${l.actionId}: '${value}' is not among the options the app offered (have: ${pool
          .map((o) => str(o, 'value'))
          .join(', ')}); an external select shows only what its options request answered`,
      );
    return picked;
  }
  const option = optionsOf(l.element).find((o) => str(o, 'value') === value);
  if (!option)
    throw new Error(
      `${l.blockId}.${l.actionId}: no option with value '${value}' (have: ${optionsOf(l.element)
        .map((o) => str(o, 'value'))
        .join(', ')})`,
    );
  return option;
}

function one(l: LocatedElement, v: InputValue | undefined): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string')
    throw new Error(`${l.blockId}.${l.actionId}: expects one value, got a list`);
  return v;
}

function many(v: InputValue | undefined): readonly string[] {
  if (v === undefined || v === null) return [];
  return typeof v === 'string' ? [v] : v;
}

/** The state entry for one element, as Slack sends it. */
export function elementState(
  l: LocatedElement,
  v: InputValue | undefined,
  offered: OfferedOptions = () => undefined,
): JsonObject {
  const type = str(l.element, 'type') ?? '';
  const given = v !== undefined;
  switch (type) {
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input': {
      const value = given ? one(l, v) : (str(l.element, 'initial_value') ?? null);
      const max = Number(l.element.max_length ?? Number.POSITIVE_INFINITY);
      if (value !== null && value.length > max)
        throw new Error(`${l.blockId}.${l.actionId}: Slack allows at most ${max} characters`);
      if (type === 'number_input' && value !== null && !/^-?\d+(\.\d+)?$/.test(value))
        throw new Error(`${l.blockId}.${l.actionId}: '${value}' is not a number`);
      return { type, value };
    }
    case 'button': {
      // A click sends the button's own value, whatever the person had in mind.
      const own = str(l.element, 'value');
      if (v !== undefined && v !== null && v !== own)
        throw new Error(
          `${l.blockId}.${l.actionId}: a click sends the button's value '${own ?? ''}', not '${String(v)}'`,
        );
      return {
        type,
        text: l.element.text,
        ...(own !== undefined ? { value: own } : {}),
        ...(l.element.style !== undefined ? { style: l.element.style } : {}),
      };
    }
    case 'static_select':
    case 'external_select':
    case 'overflow':
    case 'radio_buttons': {
      const value = one(l, v ?? null);
      const initial = obj(l.element, 'initial_option') ?? null;
      return { type, selected_option: given ? value && findOption(l, value, offered) : initial };
    }
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes': {
      const initial = arr(l.element, 'initial_options') ?? [];
      return {
        type,
        selected_options: given ? many(v).map((x) => findOption(l, x, offered)) : initial,
      };
    }
    case 'datepicker': {
      const value = given ? one(l, v) : (str(l.element, 'initial_date') ?? null);
      if (value !== null && !/^\d{4}-\d{2}-\d{2}$/.test(value))
        throw new Error(`${l.blockId}.${l.actionId}: a date must be YYYY-MM-DD, got '${value}'`);
      return { type, selected_date: value };
    }
    case 'timepicker':
      return { type, selected_time: given ? one(l, v) : (str(l.element, 'initial_time') ?? null) };
    case 'users_select':
      return { type, selected_user: given ? one(l, v) : (str(l.element, 'initial_user') ?? null) };
    case 'multi_users_select':
      return { type, selected_users: given ? many(v) : (arr(l.element, 'initial_users') ?? []) };
    case 'conversations_select':
      return { type, selected_conversation: given ? one(l, v) : null };
    case 'multi_conversations_select':
      return { type, selected_conversations: given ? many(v) : [] };
    case 'channels_select':
      return { type, selected_channel: given ? one(l, v) : null };
    case 'multi_channels_select':
      return { type, selected_channels: given ? many(v) : [] };
    default:
      return { type, value: given ? one(l, v) : null };
  }
}
