/**
 * Block Kit validation, the limits Slack enforces on messages, modals and the Home tab.
 * Pure: blocks in, a list of violations out. Each violation names a JSON pointer, like
 * Slack's own `response_metadata.messages` ("[ERROR] ... [json-pointer:/blocks/0/text]").
 */
import { arr, isObject, type JsonObject, obj, str } from './json.js';

export type Surface = 'message' | 'modal' | 'home';

export interface Violation {
  readonly pointer: string;
  readonly message: string;
}

export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  optionGroupLabel: 75,
  overflowOptions: { min: 2, max: 5 },
  choiceOptions: 10,
  selectOptions: 100,
  actionsElements: 25,
  contextElements: 10,
  viewTitle: 24,
  callbackId: 255,
  privateMetadata: 3000,
  blockId: 255,
  actionId: 255,
  altText: 2000,
  placeholder: 150,
  inputLabel: 2000,
  buttonUrl: 3000,
  accessibilityLabel: 75,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  textInputLength: 3000,
  /** Slack fails messages whose blocks serialise to about this many characters. */
  messageBlocksChars: 13_000,
} as const;

const MESSAGE_BLOCK_TYPES = new Set([
  'actions',
  'context',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'video',
]);

const SELECT_TYPES = new Set([
  'static_select',
  'multi_static_select',
  'external_select',
  'multi_external_select',
  'users_select',
  'multi_users_select',
  'conversations_select',
  'multi_conversations_select',
  'channels_select',
  'multi_channels_select',
]);

const ELEMENT_TYPES = new Set([
  ...SELECT_TYPES,
  'button',
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'timepicker',
  'email_text_input',
  'url_text_input',
  'number_input',
  'plain_text_input',
  'radio_buttons',
  'overflow',
  'image',
  'rich_text_input',
  'file_input',
]);

/** Elements that only collect input: Slack refuses them in an actions block or an accessory. */
const INPUT_ONLY_TYPES = new Set([
  'plain_text_input',
  'number_input',
  'email_text_input',
  'url_text_input',
  'rich_text_input',
  'file_input',
]);

/** Elements that do not collect input: Slack refuses them as an input block's element. */
const NOT_INPUT_TYPES = new Set(['button', 'overflow', 'image']);

/** Where an element sits, which decides the element types Slack accepts there. */
type Container = 'actions' | 'accessory' | 'input';

type Report = (pointer: string, message: string) => void;

/** Validates a `blocks` array for a surface. An empty result means Slack would accept it. */
export function validateBlocks(
  blocks: unknown,
  surface: Surface,
  pointer = '/blocks',
): Violation[] {
  const out: Violation[] = [];
  const report: Report = (p, message) => out.push({ pointer: p, message });
  if (!Array.isArray(blocks)) {
    report(pointer, 'must be an array of blocks');
    return out;
  }
  const max = surface === 'message' ? LIMITS.messageBlocks : LIMITS.viewBlocks;
  if (blocks.length > max) report(pointer, `no more than ${max} items allowed`);
  const seen = new Set<string>();
  blocks.forEach((block, i) => {
    const p = `${pointer}/${i}`;
    if (!isObject(block)) {
      report(p, 'must be an object');
      return;
    }
    const blockId = str(block, 'block_id');
    if (blockId !== undefined) {
      checkLength(report, `${p}/block_id`, blockId, LIMITS.blockId);
      if (seen.has(blockId)) report(`${p}/block_id`, `duplicate block_id '${blockId}'`);
      seen.add(blockId);
    }
    validateBlock(report, p, block, surface);
  });
  return out;
}

/** Validates a modal or Home tab view object (views.open / update / push / publish). */
export function validateView(view: unknown, pointer = '/view'): Violation[] {
  const out: Violation[] = [];
  const report: Report = (p, message) => out.push({ pointer: p, message });
  if (!isObject(view)) {
    report(pointer, 'must be a view object');
    return out;
  }
  const type = str(view, 'type');
  if (type !== 'modal' && type !== 'home') {
    report(`${pointer}/type`, "must be 'modal' or 'home'");
    return out;
  }
  if (type === 'modal') {
    const title = obj(view, 'title');
    if (title === undefined) report(`${pointer}/title`, 'is required for a modal');
    else checkText(report, `${pointer}/title`, title, LIMITS.viewTitle, 'plain_text');
    for (const key of ['submit', 'close']) {
      const t = obj(view, key);
      if (t !== undefined)
        checkText(report, `${pointer}/${key}`, t, LIMITS.viewTitle, 'plain_text');
    }
    const blocks = arr(view, 'blocks') ?? [];
    const hasInput = blocks.some((b) => isObject(b) && str(b, 'type') === 'input');
    if (hasInput && obj(view, 'submit') === undefined)
      report(`${pointer}/submit`, 'is required when the view has input blocks');
  }
  const callbackId = str(view, 'callback_id');
  if (callbackId !== undefined)
    checkLength(report, `${pointer}/callback_id`, callbackId, LIMITS.callbackId);
  const meta = str(view, 'private_metadata');
  if (meta !== undefined)
    checkLength(report, `${pointer}/private_metadata`, meta, LIMITS.privateMetadata);
  const externalId = str(view, 'external_id');
  if (externalId !== undefined) checkLength(report, `${pointer}/external_id`, externalId, 255);
  out.push(...validateBlocks(view.blocks, type, `${pointer}/blocks`));
  return out;
}

/**
 * The app's answer to an options request (block_suggestion) for an external select: an
 * object with `options` or `option_groups`, each at most 100, options as in a static select.
 * Slack shows nothing to pick from an answer it cannot read.
 */
export function validateOptionsResponse(body: unknown): Violation[] {
  const out: Violation[] = [];
  const report: Report = (p, message) => out.push({ pointer: p, message });
  if (!isObject(body)) report('', "must be a JSON object with 'options' or 'option_groups'");
  else {
    validateOptionsList(report, '', body, LIMITS.selectOptions, true);
    const groups = arr(body, 'option_groups');
    if (groups && groups.length > LIMITS.selectOptions)
      report('/option_groups', `no more than ${LIMITS.selectOptions} items allowed`);
  }
  return out;
}

/** True when the serialised blocks exceed what Slack accepts in one message. */
export function blocksTooLong(blocks: unknown): boolean {
  return JSON.stringify(blocks ?? []).length > LIMITS.messageBlocksChars;
}

/** Formats violations the way Slack's `response_metadata.messages` does. */
export function formatViolations(violations: readonly Violation[]): string[] {
  return violations.map((v) => `[ERROR] ${v.message} [json-pointer:${v.pointer}]`);
}

/** A block's `elements`: 1 to `max` of them, each checked by `check` at its pointer. */
function eachElement(
  report: Report,
  p: string,
  block: JsonObject,
  max: number,
  check: (pointer: string, element: unknown) => void,
): void {
  const elements = arr(block, 'elements');
  if (elements === undefined || elements.length === 0) {
    report(`${p}/elements`, 'must hold at least 1 element');
    return;
  }
  if (elements.length > max) report(`${p}/elements`, `no more than ${max} items allowed`);
  elements.forEach((e, i) => {
    check(`${p}/elements/${i}`, e);
  });
}

function validateBlock(report: Report, p: string, block: JsonObject, surface: Surface): void {
  const type = str(block, 'type');
  if (type === undefined || !MESSAGE_BLOCK_TYPES.has(type)) {
    report(`${p}/type`, `unknown block type '${type ?? ''}'`);
    return;
  }
  switch (type) {
    case 'section': {
      validateSection(report, p, block, surface);
      return;
    }
    case 'header': {
      const text = obj(block, 'text');
      if (text === undefined) {
        report(`${p}/text`, 'is required');
        return;
      }
      checkText(report, `${p}/text`, text, LIMITS.headerText, 'plain_text');
      return;
    }
    case 'actions': {
      // Slack: "`action_id` \"x\" already exists [json-pointer:/blocks/0/elements/1/action_id]".
      const actionIds = new Set<string>();
      eachElement(report, p, block, LIMITS.actionsElements, (ep, e) => {
        validateElement(report, ep, e, 'actions');
        const id = isObject(e) ? str(e, 'action_id') : undefined;
        if (id === undefined) return;
        if (actionIds.has(id)) report(`${ep}/action_id`, `\`action_id\` "${id}" already exists`);
        actionIds.add(id);
      });
      return;
    }
    case 'context':
      eachElement(report, p, block, LIMITS.contextElements, (ep, e) => {
        if (!isObject(e)) {
          report(ep, 'must be an object');
          return;
        }
        if (str(e, 'type') === 'image') {
          validateImage(report, ep, e);
          return;
        }
        checkText(report, ep, e, LIMITS.sectionText);
      });
      return;
    case 'image':
      validateImage(report, p, block);
      if (obj(block, 'title') !== undefined)
        checkText(report, `${p}/title`, obj(block, 'title')!, 2000, 'plain_text');
      return;
    case 'input': {
      const label = obj(block, 'label');
      if (label === undefined) report(`${p}/label`, 'is required');
      else checkText(report, `${p}/label`, label, LIMITS.inputLabel, 'plain_text');
      const element = block.element;
      if (element === undefined) {
        report(`${p}/element`, 'is required');
        return;
      }
      validateElement(report, `${p}/element`, element, 'input');
      const hint = obj(block, 'hint');
      if (hint !== undefined) checkText(report, `${p}/hint`, hint, LIMITS.inputLabel, 'plain_text');
      return;
    }
    default:
      return;
  }
}

function validateSection(report: Report, p: string, block: JsonObject, _s: Surface): void {
  const text = obj(block, 'text');
  const fields = arr(block, 'fields');
  if (text === undefined && fields === undefined) report(p, "a section needs 'text' or 'fields'");
  if (text !== undefined) checkText(report, `${p}/text`, text, LIMITS.sectionText);
  if (fields !== undefined) {
    if (fields.length > LIMITS.sectionFields)
      report(`${p}/fields`, `no more than ${LIMITS.sectionFields} items allowed`);
    fields.forEach((f, i) => {
      if (!isObject(f)) {
        report(`${p}/fields/${i}`, 'must be a text object');
        return;
      }
      checkText(report, `${p}/fields/${i}`, f, LIMITS.fieldText);
    });
  }
  if (block.accessory !== undefined)
    validateElement(report, `${p}/accessory`, block.accessory, 'accessory');
}

function validateImage(report: Report, p: string, image: JsonObject): void {
  const alt = str(image, 'alt_text');
  if (alt === undefined || alt.length === 0) report(`${p}/alt_text`, 'is required');
  else checkLength(report, `${p}/alt_text`, alt, LIMITS.altText);
  const hasUrl = str(image, 'image_url') !== undefined;
  const file = obj(image, 'slack_file');
  const hasFile = file !== undefined;
  if (hasUrl === hasFile) report(p, "must give exactly one of 'image_url' or 'slack_file'");
  if (file !== undefined && str(file, 'id') === undefined && str(file, 'url') === undefined)
    report(`${p}/slack_file`, "needs 'id' or 'url'");
}

function validateElement(report: Report, p: string, element: unknown, container: Container): void {
  if (!isObject(element)) {
    report(p, 'must be an element object');
    return;
  }
  const type = str(element, 'type');
  if (type === undefined || !ELEMENT_TYPES.has(type)) {
    report(`${p}/type`, `unknown element type '${type ?? ''}'`);
    return;
  }
  if (container === 'input' ? NOT_INPUT_TYPES.has(type) : INPUT_ONLY_TYPES.has(type)) {
    report(
      `${p}/type`,
      container === 'input'
        ? `'${type}' is not allowed in an input block`
        : `'${type}' is allowed in an input block only`,
    );
    return;
  }
  const actionId = str(element, 'action_id');
  if (actionId !== undefined) checkLength(report, `${p}/action_id`, actionId, LIMITS.actionId);
  const placeholder = obj(element, 'placeholder');
  if (placeholder !== undefined)
    checkText(report, `${p}/placeholder`, placeholder, LIMITS.placeholder, 'plain_text');
  const confirm = obj(element, 'confirm');
  if (confirm !== undefined) validateConfirm(report, `${p}/confirm`, confirm);
  if (type === 'button') {
    const text = obj(element, 'text');
    if (text === undefined) report(`${p}/text`, 'is required');
    else checkText(report, `${p}/text`, text, LIMITS.buttonText, 'plain_text');
    const value = str(element, 'value');
    if (value !== undefined) checkLength(report, `${p}/value`, value, LIMITS.buttonValue);
    const url = str(element, 'url');
    if (url !== undefined) checkLength(report, `${p}/url`, url, LIMITS.buttonUrl);
    const label = str(element, 'accessibility_label');
    if (label !== undefined)
      checkLength(report, `${p}/accessibility_label`, label, LIMITS.accessibilityLabel);
    const style = str(element, 'style');
    if (style !== undefined && style !== 'primary' && style !== 'danger')
      report(`${p}/style`, "must be 'primary' or 'danger'");
    return;
  }
  if (type === 'image') {
    validateImage(report, p, element);
    return;
  }
  if (type === 'static_select' || type === 'multi_static_select') {
    validateOptionsList(report, p, element, LIMITS.selectOptions, true);
    // Slack refuses a static select with nothing to pick (the view or message fails with
    // invalid_arguments); an external select fills its list later, so it has no such rule.
    // (Neither given is reported above.)
    const options = arr(element, 'options');
    const groups = arr(element, 'option_groups');
    const given = options !== undefined || groups !== undefined;
    if (given && (options?.length ?? 0) + (groups?.length ?? 0) === 0)
      report(`${p}/options`, 'needs at least one option or option group');
    checkInitialOptions(report, p, element);
    return;
  }
  if (type === 'overflow') {
    validateOptionsList(report, p, element, LIMITS.overflowOptions.max, false);
    const n = arr(element, 'options')?.length;
    if (n !== undefined && n < LIMITS.overflowOptions.min)
      report(`${p}/options`, `must hold at least ${LIMITS.overflowOptions.min} items`);
    return;
  }
  if (type === 'radio_buttons' || type === 'checkboxes') {
    validateOptionsList(report, p, element, LIMITS.choiceOptions, false, 'mrkdwn');
    if (arr(element, 'options')?.length === 0) report(`${p}/options`, 'must hold at least 1 item');
    checkInitialOptions(report, p, element);
    return;
  }
  if (type === 'number_input' && element.is_decimal_allowed === undefined)
    report(`${p}/is_decimal_allowed`, 'is required');
  if (type === 'plain_text_input') {
    for (const key of ['min_length', 'max_length']) {
      const n = element[key];
      if (n !== undefined && (typeof n !== 'number' || n < 0 || n > LIMITS.textInputLength))
        report(`${p}/${key}`, `must be a number from 0 to ${LIMITS.textInputLength}`);
    }
  }
  if (type === 'datepicker') {
    const date = element.initial_date;
    if (date !== undefined && (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)))
      report(`${p}/initial_date`, "must be a date written 'YYYY-MM-DD'");
  }
}

/** A confirmation dialog: title, text, confirm and deny, all plain_text with their limits. */
function validateConfirm(report: Report, p: string, confirm: JsonObject): void {
  const parts = [
    ['title', LIMITS.confirmTitle],
    ['text', LIMITS.confirmText],
    ['confirm', LIMITS.confirmButton],
    ['deny', LIMITS.confirmButton],
  ] as const;
  for (const [key, max] of parts) {
    const t = obj(confirm, key);
    if (t === undefined) report(`${p}/${key}`, 'is required');
    else checkText(report, `${p}/${key}`, t, max, 'plain_text');
  }
  const style = str(confirm, 'style');
  if (style !== undefined && style !== 'primary' && style !== 'danger')
    report(`${p}/style`, "must be 'primary' or 'danger'");
}

/**
 * A static select's, radio group's or checkbox group's initial option(s) must be among its
 * options, text and value alike (an external select's may be anything).
 */
function checkInitialOptions(report: Report, p: string, element: JsonObject): void {
  const offered = [
    ...(arr(element, 'options') ?? []),
    ...(arr(element, 'option_groups') ?? []).flatMap((g) =>
      isObject(g) ? (arr(g, 'options') ?? []) : [],
    ),
  ].map((o) => JSON.stringify(optionKey(o)));
  const check = (pointer: string, o: unknown) => {
    if (!offered.includes(JSON.stringify(optionKey(o))))
      report(pointer, 'must be one of the options given');
  };
  const initial = element.initial_option;
  if (initial !== undefined) check(`${p}/initial_option`, initial);
  const initials = element.initial_options;
  if (Array.isArray(initials))
    initials.forEach((o, i) => {
      check(`${p}/initial_options/${i}`, o);
    });
}

/** What makes two options the same option: their value and their text. */
function optionKey(o: unknown): unknown {
  if (!isObject(o)) return o;
  const text = obj(o, 'text');
  return [str(o, 'value'), text ? [str(text, 'type'), str(text, 'text')] : null];
}

function validateOptionsList(
  report: Report,
  p: string,
  element: JsonObject,
  max: number,
  groupsAllowed: boolean,
  /** Radio buttons and checkboxes may use mrkdwn; selects and overflow menus plain_text only. */
  textKind: 'plain_text' | 'mrkdwn' = 'plain_text',
): void {
  const options = arr(element, 'options');
  const groups = groupsAllowed ? arr(element, 'option_groups') : undefined;
  if (options === undefined && groups === undefined) {
    report(`${p}/options`, groupsAllowed ? "needs 'options' or 'option_groups'" : 'is required');
    return;
  }
  if (options !== undefined && groups !== undefined)
    report(p, "give 'options' or 'option_groups', not both");
  if (options !== undefined) {
    if (options.length > max) report(`${p}/options`, `no more than ${max} items allowed`);
    options.forEach((o, i) => {
      validateOption(report, `${p}/options/${i}`, o, textKind);
    });
  }
  groups?.forEach((g, gi) => {
    const gp = `${p}/option_groups/${gi}`;
    if (!isObject(g)) {
      report(gp, 'must be an option group');
      return;
    }
    const label = obj(g, 'label');
    if (label === undefined) report(`${gp}/label`, 'is required');
    else checkText(report, `${gp}/label`, label, LIMITS.optionGroupLabel, 'plain_text');
    const gopts = arr(g, 'options') ?? [];
    if (gopts.length > max) report(`${gp}/options`, `no more than ${max} items allowed`);
    gopts.forEach((o, i) => {
      validateOption(report, `${gp}/options/${i}`, o, textKind);
    });
  });
}

function validateOption(
  report: Report,
  p: string,
  option: unknown,
  textKind: 'plain_text' | 'mrkdwn',
): void {
  if (!isObject(option)) {
    report(p, 'must be an option object');
    return;
  }
  const only = textKind === 'plain_text' ? 'plain_text' : undefined;
  const text = obj(option, 'text');
  if (text === undefined) report(`${p}/text`, 'is required');
  else checkText(report, `${p}/text`, text, LIMITS.optionText, only);
  const description = obj(option, 'description');
  if (description !== undefined)
    checkText(report, `${p}/description`, description, LIMITS.optionDescription, only);
  const value = str(option, 'value');
  if (value === undefined) report(`${p}/value`, 'is required');
  else checkLength(report, `${p}/value`, value, LIMITS.optionValue);
}

function checkText(
  report: Report,
  p: string,
  text: JsonObject,
  max: number,
  only?: 'plain_text',
): void {
  const type = str(text, 'type');
  if (type !== 'plain_text' && type !== 'mrkdwn') {
    report(`${p}/type`, "must be 'plain_text' or 'mrkdwn'");
    return;
  }
  if (only === 'plain_text' && type !== 'plain_text') {
    report(`${p}/type`, "must be 'plain_text'");
    return;
  }
  // Slack: "invalid additional property: emoji" on a mrkdwn text, and alike.
  const allowed = type === 'plain_text' ? PLAIN_TEXT_KEYS : MRKDWN_KEYS;
  for (const key of Object.keys(text))
    if (!allowed.has(key)) report(p, `invalid additional property: ${key}`);
  const value = text.text;
  if (typeof value !== 'string' || value.length === 0) {
    report(`${p}/text`, 'must be at least 1 characters');
    return;
  }
  checkLength(report, `${p}/text`, value, max);
}

const PLAIN_TEXT_KEYS = new Set(['type', 'text', 'emoji']);
const MRKDWN_KEYS = new Set(['type', 'text', 'verbatim']);

function checkLength(report: Report, p: string, value: string, max: number): void {
  if (value.length > max) report(p, `must be less than ${max + 1} characters`);
}
