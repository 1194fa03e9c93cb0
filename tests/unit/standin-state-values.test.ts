import { describe, expect, it } from 'vitest';
import { buildStateValues } from '../../src/slack-standin/state-values.js';

const plain = (text: string) => ({ type: 'plain_text', text });
const option = (v: string) => ({ text: plain(v), value: v });
const input = (block_id: string, element: object, optional = false) => ({
  type: 'input',
  block_id,
  optional,
  label: plain(block_id),
  element,
});

const blocks = [
  input('note', { type: 'plain_text_input', action_id: 'v', max_length: 10 }, true),
  input('qty', { type: 'number_input', action_id: 'v', is_decimal_allowed: false }),
  input('fam', { type: 'static_select', action_id: 'v', options: [option('A'), option('B')] }),
  input(
    'fams',
    { type: 'multi_static_select', action_id: 'v', options: [option('A'), option('B')] },
    true,
  ),
  input('due', { type: 'datepicker', action_id: 'v', initial_date: '2026-12-01' }),
  input('owner', { type: 'users_select', action_id: 'v' }, true),
  input(
    'pick',
    { type: 'radio_buttons', action_id: 'v', options: [option('yes'), option('no')] },
    true,
  ),
  {
    type: 'actions',
    block_id: 'act',
    elements: [{ type: 'button', action_id: 'go', text: plain('Go') }],
  },
];

describe('buildStateValues', () => {
  it('builds the entries Slack sends for each element type, with initial values', () => {
    const values = buildStateValues(blocks, {
      qty: { v: '42' },
      fam: { v: 'B' },
      fams: { v: ['A', 'B'] },
      owner: { v: 'U_ALICE' },
      pick: { v: 'no' },
    });
    expect(values).toEqual({
      note: { v: { type: 'plain_text_input', value: null } },
      qty: { v: { type: 'number_input', value: '42' } },
      fam: { v: { type: 'static_select', selected_option: option('B') } },
      fams: { v: { type: 'multi_static_select', selected_options: [option('A'), option('B')] } },
      due: { v: { type: 'datepicker', selected_date: '2026-12-01' } },
      owner: { v: { type: 'users_select', selected_user: 'U_ALICE' } },
      pick: { v: { type: 'radio_buttons', selected_option: option('no') } },
    });
  });

  it('refuses what the Slack client would refuse', () => {
    const base = { qty: { v: '1' }, fam: { v: 'A' } };
    expect(() => buildStateValues(blocks, { fam: { v: 'A' } })).toThrow(/'qty' is required/);
    expect(() => buildStateValues(blocks, { ...base, qty: { v: 'ten' } })).toThrow(/not a number/);
    expect(() => buildStateValues(blocks, { ...base, fam: { v: 'Z' } })).toThrow(
      /no option with value 'Z'/,
    );
    expect(() => buildStateValues(blocks, { ...base, note: { v: 'x'.repeat(11) } })).toThrow(
      /at most 10/,
    );
    expect(() => buildStateValues(blocks, { ...base, due: { v: '01/12/2026' } })).toThrow(
      /YYYY-MM-DD/,
    );
    expect(() => buildStateValues(blocks, { ...base, nope: { v: 'x' } })).toThrow(
      /block_id='nope'/,
    );
  });
});

describe('buildStateValues: external selects', () => {
  const site = [input('site', { type: 'external_select', action_id: 'v' })];
  const offered = [option('S-1'), { text: plain('Lyon'), value: 'S-2' }];

  it('picks only among the options the app offered, and sends the option as offered', () => {
    expect(buildStateValues(site, { site: { v: 'S-2' } }, true, () => offered)).toEqual({
      site: {
        v: { type: 'external_select', selected_option: { text: plain('Lyon'), value: 'S-2' } },
      },
    });
    expect(() => buildStateValues(site, { site: { v: 'S-3' } }, true, () => offered)).toThrow(
      /'S-3' is not among the options the app offered \(have: S-1, S-2\)/,
    );
  });

  it('offers nothing until the app answered an options request, except the initial option', () => {
    expect(() => buildStateValues(site, { site: { v: 'S-1' } })).toThrow(/not among the options/);
    const withInitial = [
      input('site', { type: 'external_select', action_id: 'v', initial_option: option('S-9') }),
    ];
    expect(buildStateValues(withInitial, { site: { v: 'S-9' } })).toEqual({
      site: { v: { type: 'external_select', selected_option: option('S-9') } },
    });
  });
});
