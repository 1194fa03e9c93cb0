import { describe, expect, it } from 'vitest';
import {
  blocksTooLong,
  formatViolations,
  validateBlocks,
  validateOptionsResponse,
  validateView,
} from '../../src/slack-standin/rules.js';

const plain = (text: string) => ({ type: 'plain_text', text });
const md = (text: string) => ({ type: 'mrkdwn', text });
const option = (text: string, value: string) => ({ text: plain(text), value });
const button = (text: string, value = 'v') => ({
  type: 'button',
  action_id: 'b',
  text: plain(text),
  value,
});
const pointers = (blocks: unknown, surface: 'message' | 'modal' | 'home' = 'message') =>
  validateBlocks(blocks, surface).map((v) => v.pointer);

describe('validateBlocks: counts per surface', () => {
  const dividers = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));
  it('allows 50 blocks in a message and refuses 51', () => {
    expect(validateBlocks(dividers(50), 'message')).toEqual([]);
    expect(validateBlocks(dividers(51), 'message')).toEqual([
      { pointer: '/blocks', message: 'no more than 50 items allowed' },
    ]);
  });
  it('allows 100 blocks in a modal or home tab and refuses 101', () => {
    expect(validateBlocks(dividers(100), 'modal')).toEqual([]);
    expect(pointers(dividers(101), 'home')).toEqual(['/blocks']);
  });
  it('refuses a non-array and unknown block types', () => {
    expect(pointers({ type: 'divider' })).toEqual(['/blocks']);
    expect(pointers([{ type: 'table' }])).toEqual(['/blocks/0/type']);
  });
  it('refuses duplicate and over-long block ids', () => {
    const blocks = [
      { type: 'divider', block_id: 'a' },
      { type: 'divider', block_id: 'a' },
      { type: 'divider', block_id: 'x'.repeat(256) },
    ];
    expect(pointers(blocks)).toEqual(['/blocks/1/block_id', '/blocks/2/block_id']);
  });
});

describe('validateBlocks: sections and headers', () => {
  // The text at its limit, one character over, and a text the block refuses otherwise.
  it.each([
    ['section text is 1 to 3000 characters', 'section', md, 3000, md(''), '/blocks/0/text/text'],
    [
      'header text is plain_text of at most 150 characters',
      'header',
      plain,
      150,
      md('*bold*'),
      '/blocks/0/text/type',
    ],
  ] as const)('%s', (_, type, text, max, bad, at) => {
    expect(pointers([{ type, text: text('x'.repeat(max)) }])).toEqual([]);
    expect(pointers([{ type, text: text('x'.repeat(max + 1)) }])).toEqual(['/blocks/0/text/text']);
    expect(pointers([{ type, text: bad }])).toEqual([at]);
  });
  it('a section needs text or fields', () => {
    expect(pointers([{ type: 'section' }])).toEqual(['/blocks/0']);
  });
  it('at most 10 fields of at most 2000 characters', () => {
    const fields = Array.from({ length: 10 }, () => md('f'));
    expect(pointers([{ type: 'section', fields }])).toEqual([]);
    expect(pointers([{ type: 'section', fields: [...fields, md('f')] }])).toEqual([
      '/blocks/0/fields',
    ]);
    expect(pointers([{ type: 'section', fields: [md('x'.repeat(2001))] }])).toEqual([
      '/blocks/0/fields/0/text',
    ]);
  });
  it('checks a section accessory like any element', () => {
    expect(
      pointers([{ type: 'section', text: md('x'), accessory: button('y'.repeat(76)) }]),
    ).toEqual(['/blocks/0/accessory/text/text']);
  });
});

describe('validateBlocks: elements', () => {
  it('button text at most 75, value at most 2000', () => {
    expect(
      pointers([{ type: 'actions', elements: [button('x'.repeat(75), 'v'.repeat(2000))] }]),
    ).toEqual([]);
    expect(pointers([{ type: 'actions', elements: [button('x'.repeat(76))] }])).toEqual([
      '/blocks/0/elements/0/text/text',
    ]);
    expect(pointers([{ type: 'actions', elements: [button('ok', 'v'.repeat(2001))] }])).toEqual([
      '/blocks/0/elements/0/value',
    ]);
  });
  it('button style is primary or danger', () => {
    const b = { ...button('ok'), style: 'green' };
    expect(pointers([{ type: 'actions', elements: [b] }])).toEqual(['/blocks/0/elements/0/style']);
  });
  it('an actions block holds 1 to 25 elements', () => {
    const many = Array.from({ length: 26 }, (_, i) => ({ ...button('b'), action_id: `b${i}` }));
    expect(pointers([{ type: 'actions', elements: many.slice(0, 25) }])).toEqual([]);
    expect(pointers([{ type: 'actions', elements: many }])).toEqual(['/blocks/0/elements']);
    expect(pointers([{ type: 'actions', elements: [] }])).toEqual(['/blocks/0/elements']);
  });
  it('static select: at most 100 options, option text 75 and value 150', () => {
    const opts = Array.from({ length: 101 }, (_, i) => option(`o${i}`, `v${i}`));
    const select = (options: unknown[]) => [
      { type: 'actions', elements: [{ type: 'static_select', action_id: 's', options }] },
    ];
    expect(pointers(select(opts.slice(0, 100)))).toEqual([]);
    expect(pointers(select(opts))).toEqual(['/blocks/0/elements/0/options']);
    expect(pointers(select([option('x'.repeat(76), 'v')]))).toEqual([
      '/blocks/0/elements/0/options/0/text/text',
    ]);
    expect(pointers(select([option('t', 'v'.repeat(150))]))).toEqual([]);
    expect(pointers(select([option('t', 'v'.repeat(151))]))).toEqual([
      '/blocks/0/elements/0/options/0/value',
    ]);
  });
  it('option groups are checked too', () => {
    const el = {
      type: 'static_select',
      action_id: 's',
      option_groups: [{ label: plain('g'), options: [option('t', 'v'.repeat(151))] }],
    };
    expect(pointers([{ type: 'actions', elements: [el] }])).toEqual([
      '/blocks/0/elements/0/option_groups/0/options/0/value',
    ]);
  });
  it('a static select needs at least one option or option group; an external one does not', () => {
    // Slack refuses both (see Backblaze/boardwalk#232); an external select's list comes later.
    const actions = (el: Record<string, unknown>) => [{ type: 'actions', elements: [el] }];
    const of = (el: Record<string, unknown>) => validateBlocks(actions(el), 'modal');
    for (const type of ['static_select', 'multi_static_select'])
      for (const empty of [{ options: [] }, { option_groups: [] }])
        expect(of({ type, action_id: 's', ...empty })).toEqual([
          {
            pointer: '/blocks/0/elements/0/options',
            message: 'needs at least one option or option group',
          },
        ]);
    expect(of({ type: 'external_select', action_id: 's' })).toEqual([]);
    expect(of({ type: 'static_select', action_id: 's', options: [option('a', 'a')] })).toEqual([]);
  });
  it('number_input needs is_decimal_allowed', () => {
    const input = (element: object) => [{ type: 'input', label: plain('n'), element }];
    expect(pointers(input({ type: 'number_input', is_decimal_allowed: false }), 'modal')).toEqual(
      [],
    );
    expect(pointers(input({ type: 'number_input' }), 'modal')).toEqual([
      '/blocks/0/element/is_decimal_allowed',
    ]);
  });
  it('an input block needs a label and an element', () => {
    expect(pointers([{ type: 'input' }], 'modal')).toEqual([
      '/blocks/0/label',
      '/blocks/0/element',
    ]);
  });
  it('refuses unknown element types', () => {
    expect(pointers([{ type: 'actions', elements: [{ type: 'slider' }] }])).toEqual([
      '/blocks/0/elements/0/type',
    ]);
  });
});

describe('validateBlocks: images', () => {
  it('needs alt_text', () => {
    expect(pointers([{ type: 'image', image_url: 'https://x/y.png' }])).toEqual([
      '/blocks/0/alt_text',
    ]);
  });
  it('needs exactly one of image_url or slack_file', () => {
    expect(pointers([{ type: 'image', alt_text: 'a', image_url: 'https://x/y.png' }])).toEqual([]);
    expect(pointers([{ type: 'image', alt_text: 'a', slack_file: { id: 'F1' } }])).toEqual([]);
    expect(pointers([{ type: 'image', alt_text: 'a' }])).toEqual(['/blocks/0']);
    expect(
      pointers([
        { type: 'image', alt_text: 'a', image_url: 'https://x/y.png', slack_file: { id: 'F1' } },
      ]),
    ).toEqual(['/blocks/0']);
  });
});

describe('validateView', () => {
  const base = {
    type: 'modal',
    callback_id: 'cb',
    title: plain('Adjust'),
    submit: plain('Save'),
    blocks: [
      { type: 'input', block_id: 'q', label: plain('Qty'), element: { type: 'plain_text_input' } },
    ],
  };
  it('accepts a well-formed modal', () => {
    expect(validateView(base)).toEqual([]);
  });
  it('title, submit and close are at most 24 characters', () => {
    const long = plain('x'.repeat(25));
    expect(
      validateView({ ...base, title: long, submit: long, close: long }).map((v) => v.pointer),
    ).toEqual(['/view/title/text', '/view/submit/text', '/view/close/text']);
  });
  it('callback_id at most 255, private_metadata at most 3000', () => {
    const v = { ...base, callback_id: 'c'.repeat(256), private_metadata: 'm'.repeat(3001) };
    expect(validateView(v).map((x) => x.pointer)).toEqual([
      '/view/callback_id',
      '/view/private_metadata',
    ]);
    expect(validateView({ ...base, private_metadata: 'm'.repeat(3000) })).toEqual([]);
  });
  it('needs a type, a title for modals, and submit when there are inputs', () => {
    expect(validateView({ blocks: [] }).map((x) => x.pointer)).toEqual(['/view/type']);
    const { title: _t, submit: _s, ...bare } = base;
    expect(validateView(bare).map((x) => x.pointer)).toEqual(['/view/title', '/view/submit']);
  });
  it('a home view has no title and up to 100 blocks', () => {
    const blocks = Array.from({ length: 100 }, () => ({ type: 'divider' }));
    expect(validateView({ type: 'home', blocks })).toEqual([]);
    expect(validateView({ type: 'home', blocks: [...blocks, { type: 'divider' }] })).toHaveLength(
      1,
    );
  });
});

describe('size and formatting', () => {
  it('flags blocks over about 13k characters', () => {
    const block = (n: number) => ({ type: 'section', text: md('x'.repeat(n)) });
    expect(blocksTooLong([block(2900), block(2900), block(2900), block(2900)])).toBe(false);
    expect(blocksTooLong([block(2900), block(2900), block(2900), block(2900), block(2900)])).toBe(
      true,
    );
  });
  it('formats violations like Slack response_metadata messages', () => {
    expect(formatViolations([{ pointer: '/blocks/0', message: 'is bad' }])).toEqual([
      '[ERROR] is bad [json-pointer:/blocks/0]',
    ]);
  });
});

describe('validateOptionsResponse: the answer to an options request', () => {
  const options = (n: number) => Array.from({ length: n }, (_, i) => option(`O${i}`, `v${i}`));
  it('takes up to 100 options, or groups of up to 100', () => {
    expect(validateOptionsResponse({ options: options(100) })).toEqual([]);
    expect(validateOptionsResponse({ options: [] })).toEqual([]);
    expect(
      validateOptionsResponse({ option_groups: [{ label: plain('All'), options: options(100) }] }),
    ).toEqual([]);
  });
  it('refuses 101 options, both lists, neither, and options Slack would refuse in a select', () => {
    expect(validateOptionsResponse({ options: options(101) })).toEqual([
      { pointer: '/options', message: 'no more than 100 items allowed' },
    ]);
    expect(
      validateOptionsResponse({ options: options(1), option_groups: [] }).map((v) => v.message),
    ).toEqual(["give 'options' or 'option_groups', not both"]);
    expect(validateOptionsResponse({}).map((v) => v.pointer)).toEqual(['/options']);
    expect(validateOptionsResponse('').map((v) => v.pointer)).toEqual(['']);
    expect(
      validateOptionsResponse({ options: [option('x'.repeat(76), 'v')] }).map((v) => v.pointer),
    ).toEqual(['/options/0/text/text']);
  });
});

describe('validateBlocks: what Slack refuses that sopbot could send', () => {
  const actions = (...elements: unknown[]) => [{ type: 'actions', elements }];
  const select = (extra: Record<string, unknown>) => ({
    type: 'static_select',
    action_id: 's',
    options: [option('One', '1'), option('Two', '2')],
    ...extra,
  });
  it('action ids are unique within a block, not across blocks', () => {
    // Slack: "`action_id` \"x\" already exists [json-pointer:/blocks/0/elements/1/action_id]".
    expect(validateBlocks(actions(button('A'), button('B')), 'message')).toEqual([
      { pointer: '/blocks/0/elements/1/action_id', message: '`action_id` "b" already exists' },
    ]);
    expect(pointers([...actions(button('A')), ...actions(button('B'))])).toEqual([]);
  });
  it('a mrkdwn text takes no emoji field, a plain_text one no verbatim field', () => {
    expect(
      validateBlocks([{ type: 'section', text: { ...md('*x*'), emoji: true } }], 'message'),
    ).toEqual([{ pointer: '/blocks/0/text', message: 'invalid additional property: emoji' }]);
    expect(pointers([{ type: 'header', text: { ...plain('x'), verbatim: true } }])).toEqual([
      '/blocks/0/text',
    ]);
    expect(pointers([{ type: 'section', text: { ...md('x'), verbatim: true } }])).toEqual([]);
    expect(pointers([{ type: 'header', text: { ...plain('x'), emoji: true } }])).toEqual([]);
  });
  it('select and overflow options are plain_text; radio and checkbox options may be mrkdwn', () => {
    const mdOption = { text: md('*One*'), value: '1' };
    expect(pointers(actions(select({ options: [mdOption] })))).toEqual([
      '/blocks/0/elements/0/options/0/text/type',
    ]);
    expect(
      pointers(
        actions({ type: 'overflow', action_id: 'o', options: [mdOption, option('b', '2')] }),
      ),
    ).toEqual(['/blocks/0/elements/0/options/0/text/type']);
    expect(pointers(actions({ type: 'checkboxes', action_id: 'c', options: [mdOption] }))).toEqual(
      [],
    );
  });
  it('an overflow menu holds 2 to 5 options', () => {
    const overflow = (n: number) => ({
      type: 'overflow',
      action_id: 'o',
      options: Array.from({ length: n }, (_, i) => option(`o${i}`, `v${i}`)),
    });
    expect(pointers(actions(overflow(1)))).toEqual(['/blocks/0/elements/0/options']);
    expect(pointers(actions(overflow(2)))).toEqual([]);
    expect(pointers(actions(overflow(5)))).toEqual([]);
    expect(pointers(actions(overflow(6)))).toEqual(['/blocks/0/elements/0/options']);
  });
  it('an initial option is one of the options, text and value alike', () => {
    expect(pointers(actions(select({ initial_option: option('Two', '2') })))).toEqual([]);
    expect(pointers(actions(select({ initial_option: option('Three', '3') })))).toEqual([
      '/blocks/0/elements/0/initial_option',
    ]);
    // The same value under another label is another option to Slack.
    expect(pointers(actions(select({ initial_option: option('2', '2') })))).toEqual([
      '/blocks/0/elements/0/initial_option',
    ]);
    const grouped = {
      type: 'static_select',
      action_id: 'g',
      option_groups: [{ label: plain('G'), options: [option('One', '1')] }],
      initial_option: option('One', '1'),
    };
    expect(pointers(actions(grouped))).toEqual([]);
    const boxes = {
      type: 'checkboxes',
      action_id: 'c',
      options: [option('One', '1')],
      initial_options: [option('One', '1'), option('Two', '2')],
    };
    expect(pointers(actions(boxes))).toEqual(['/blocks/0/elements/0/initial_options/1']);
    // An external select's initial option comes from no list.
    const external = { type: 'external_select', action_id: 'e', initial_option: option('X', 'x') };
    expect(pointers(actions(external))).toEqual([]);
  });
  it('text inputs only in input blocks; buttons and overflow menus never in one', () => {
    const text = { type: 'plain_text_input', action_id: 't' };
    expect(pointers(actions(text))).toEqual(['/blocks/0/elements/0/type']);
    expect(pointers([{ type: 'section', text: md('x'), accessory: text }])).toEqual([
      '/blocks/0/accessory/type',
    ]);
    const input = (element: unknown) => [{ type: 'input', label: plain('L'), element }];
    expect(pointers(input(text), 'modal')).toEqual([]);
    expect(pointers(input(button('B')), 'modal')).toEqual(['/blocks/0/element/type']);
  });
  it('a confirm dialog has a title (100), text (300), confirm and deny (30), in plain_text', () => {
    const confirm = {
      title: plain('t'.repeat(100)),
      text: plain('x'.repeat(300)),
      confirm: plain('c'.repeat(30)),
      deny: plain('d'.repeat(30)),
    };
    const confirmed = (c: unknown) => actions({ ...button('B'), confirm: c });
    expect(pointers(confirmed(confirm))).toEqual([]);
    expect(
      pointers(confirmed({ ...confirm, title: plain('t'.repeat(101)), deny: undefined })),
    ).toEqual(['/blocks/0/elements/0/confirm/title/text', '/blocks/0/elements/0/confirm/deny']);
    expect(pointers(confirmed({ ...confirm, text: md('*x*') }))).toEqual([
      '/blocks/0/elements/0/confirm/text/type',
    ]);
  });
  it("a datepicker's initial date is written YYYY-MM-DD; a text input's lengths are 0 to 3000", () => {
    const input = (element: unknown) => [{ type: 'input', label: plain('L'), element }];
    const date = (d: string) => input({ type: 'datepicker', action_id: 'd', initial_date: d });
    expect(pointers(date('2027-01-14'), 'modal')).toEqual([]);
    expect(pointers(date('14/01/2027'), 'modal')).toEqual(['/blocks/0/element/initial_date']);
    const text = (max: number) =>
      input({ type: 'plain_text_input', action_id: 't', max_length: max });
    expect(pointers(text(3000), 'modal')).toEqual([]);
    expect(pointers(text(3001), 'modal')).toEqual(['/blocks/0/element/max_length']);
  });
});
