/**
 * Typed numbers (src/core/typed-number.ts) and its readers: a comma groups thousands or is
 * refused with advice to use a dot, in `/forecast` text and in the change modal alike; a %
 * typed with a kind in units is refused naming the kind; the scenario and execution forms read
 * numbers the same way. Values written out by hand.
 */
import { describe, expect, it } from 'vitest';
import { readTypedNumber } from '../../src/core/typed-number.js';
import { FieldError } from '../../src/services/adjustments.js';
import { inputFromState } from '../../src/slack/change-state.js';
import { parseChangeText, parseChangeValue } from '../../src/slack/parse-change.js';
import { parseExecutionState } from '../../src/slack/presenters/execution.js';
import { parseScenarioState } from '../../src/slack/presenters/scenario.js';

const ADVICE = 'a comma only separates thousands, as in 1,000.';

describe('readTypedNumber', () => {
  it('reads commas that group thousands, dots for decimals, signs and spaces', () => {
    const cases: [string, number][] = [
      ['1,000', 1000],
      ['12,345,678', 12345678],
      ['1,234.5', 1234.5],
      ['-1,200', -1200],
      ['−15', -15],
      ['+0.5', 0.5],
      ['.5', 0.5],
      [' 1 200 ', 1200],
      ['1500', 1500],
    ];
    for (const [typed, value] of cases)
      expect(readTypedNumber(typed), typed).toEqual({ kind: 'number', value });
  });

  it('refuses every other comma, with the dot to use when one comma is all', () => {
    const cases: [string, string][] = [
      ['1,5', `use a dot for decimals (1.5); ${ADVICE}`],
      ['0,5', `use a dot for decimals (0.5); ${ADVICE}`],
      ['1,50', `use a dot for decimals (1.50); ${ADVICE}`],
      ['12,34', `use a dot for decimals (12.34); ${ADVICE}`],
      ['1,2345', `use a dot for decimals (1.2345); ${ADVICE}`],
      [',5', `use a dot for decimals (.5); ${ADVICE}`],
      // Dots that group thousands beside a decimal comma: one reading, named.
      ['1.000,5', `use a dot for decimals (1000.5); ${ADVICE}`],
      ['1,00,000', `use a dot for decimals; ${ADVICE}`],
    ];
    for (const [typed, message] of cases)
      expect(readTypedNumber(typed), typed).toEqual({ kind: 'decimal-comma', message });
  });

  it('reads a space between digits only where it groups them by three, as a comma does', () => {
    // 1 200 with a space or a no-break space (French) is twelve hundred; '- 150' a sign apart.
    expect(readTypedNumber('1\u00a0200')).toEqual({ kind: 'number', value: 1200 });
    expect(readTypedNumber('1 200 000.5')).toEqual({ kind: 'number', value: 1200000.5 });
    expect(readTypedNumber('- 150')).toEqual({ kind: 'number', value: -150 });
    // Any other space is a typo: '1 2' is not 12, nor '12 50' 1250.
    for (const typed of ['1 2', '12 50', '1 2345', '1200 5', '1 200 00'])
      expect(readTypedNumber(typed), typed).toEqual({ kind: 'not-a-number' });
    // The change form refuses it rather than setting the forecast to 12.
    expect(refusal(() => inputFromState(state('set', '1 2')))).toEqual([
      'value',
      '"1 2" is not a number; enter e.g. 1200, -150 or 15.',
    ]);
  });

  it('says what is not a number at all', () => {
    for (const typed of ['ten', '0x10', '1.2.3', '', '5.', '--5'])
      expect(readTypedNumber(typed), typed).toEqual({ kind: 'not-a-number' });
  });
});

/** The FieldError a call throws, as [field, message]. */
function refusal(f: () => unknown): [string, string] {
  try {
    f();
  } catch (err) {
    if (err instanceof FieldError) return [err.field, err.message];
    throw err;
  }
  throw new Error('not refused');
}

describe('/forecast and /capacity text', () => {
  it('keeps 1,200 as twelve hundred and refuses a decimal comma on the value', () => {
    expect(parseChangeValue('=1,200', 'forecast')).toEqual({ kind: 'set', value: 1200 });
    expect(parseChangeValue('+1,000%', 'forecast')).toEqual({ kind: 'delta_pct', value: 1000 });
    expect(parseChangeValue('-0.5%', 'forecast')).toEqual({ kind: 'delta_pct', value: -0.5 });
    expect(refusal(() => parseChangeValue('-0,5%', 'forecast'))).toEqual([
      'value',
      `\`-0,5%\`: use a dot for decimals (-0.5%); ${ADVICE}`,
    ]);
    expect(refusal(() => parseChangeValue('=1,5', 'forecast'))).toEqual([
      'value',
      `\`=1,5\`: use a dot for decimals (=1.5); ${ADVICE}`,
    ]);
    expect(
      refusal(() =>
        parseChangeText('FAM-1 2027-03 +2,5 promotion', ['promotion'], 'forecast', '2027-01'),
      ),
    ).toEqual(['value', `\`+2,5\`: use a dot for decimals (+2.5); ${ADVICE}`]);
  });
});

/** The change modal's state with `kind` and the Value typed as `value`. */
const state = (kind: string, value: string) => ({
  target: { forecast_target_pick: { selected_option: { value: 'FAM-1' } } },
  from: { from_pick: { selected_option: { value: '2027-03' } } },
  kind: { kind_pick: { selected_option: { value: kind } } },
  value: { value_input: { value } },
  reason: { reason_pick: { selected_option: { value: 'promotion' } } },
});

describe('a space inside the number of /forecast text', () => {
  it('is refused on the value with both ways to write it, not taken for the reason', () => {
    // "=1 200" was read as =1 with the reason "200".
    expect(
      refusal(() =>
        parseChangeText('FAM-1 2027-03 =1 200 promotion', ['promotion'], 'forecast', '2027-01'),
      ),
    ).toEqual([
      'value',
      '`=1 200`: a command reads a space as the end of the number; write =1200 or =1,200.',
    ]);
    expect(
      refusal(() =>
        parseChangeText(
          'FAM-1 2027-03 - 12\u00a0500% promotion',
          ['promotion'],
          'forecast',
          '2027-01',
        ),
      ),
    ).toEqual([
      'value',
      '`-12 500%`: a command reads a space as the end of the number; write -12500% or -12,500%.',
    ]);
  });
});

describe('a dot that may group thousands, in units', () => {
  it('refuses =1.200 in /forecast and /capacity text, with both readings', () => {
    // In Germany, Italy or Brazil 1.200 is twelve hundred; read as decimals it is 1.2.
    expect(refusal(() => parseChangeValue('=1.200', 'forecast'))).toEqual([
      'value',
      '`=1.200` would be 1.2 units (a dot marks decimals): for 1,200 write =1200 or =1,200; for 1.2, write =1.2.',
    ]);
    expect(refusal(() => parseChangeValue('-12.500', 'forecast'))).toEqual([
      'value',
      '`-12.500` would be -12.5 units (a dot marks decimals): for 12,500 write -12500 or -12,500; for 12.5, write -12.5.',
    ]);
    // Three decimals that all count: a fourth digit (0) keeps them and reads as typed.
    expect(refusal(() => parseChangeValue('+2.125', 'forecast'))).toEqual([
      'value',
      '`+2.125` would be 2.125 units (a dot marks decimals): for 2,125 write +2125 or +2,125; for 2.125, write +2.1250.',
    ]);
    expect(parseChangeValue('+2.1250', 'forecast')).toEqual({ kind: 'delta_units', value: 2.125 });
  });

  it('in /capacity, whose quantities are in the resource’s unit (hours for a line), names no units', () => {
    expect(refusal(() => parseChangeValue('=1.200', 'capacity'))).toEqual([
      'value',
      '`=1.200` would be 1.2 (a dot marks decimals): for 1,200 write =1200 or =1,200; for 1.2, write =1.2.',
    ]);
    expect(
      refusal(() =>
        parseChangeText(
          'LINE-1 2027-03 +1.500 maintenance',
          ['maintenance'],
          'capacity',
          '2027-01',
        ),
      ),
    ).toEqual([
      'value',
      '`+1.500` would be 1.5 (a dot marks decimals): for 1,500 write +1500 or +1,500; for 1.5, write +1.5.',
    ]);
    // The capacity form's Value alike (its target select is `target_pick`).
    const form = {
      ...state('set', '1.000'),
      target: { target_pick: { selected_option: { value: 'LINE-1' } } },
    };
    expect(refusal(() => inputFromState(form))).toEqual([
      'value',
      '"1.000" would be 1 (a dot marks decimals): for 1,000 write 1000 or 1,000; for 1, write 1.',
    ]);
  });

  it('a change that is not one: /forecast says units, /capacity the resource’s unit', () => {
    expect(
      refusal(() =>
        parseChangeText('FAM-1 2027-03 200 promotion', ['promotion'], 'forecast', '2027-01'),
      ),
    ).toEqual([
      'value',
      '`200` is not a change; write =1200 (set), +200 or -150 (units), +15% or -10%.',
    ]);
    expect(
      refusal(() =>
        parseChangeText('LINE-1 2027-03 200 maintenance', ['maintenance'], 'capacity', '2027-01'),
      ),
    ).toEqual([
      'value',
      "`200` is not a change; write =1200 (set), +200 or -150 (in the resource's unit), +15% or -10%.",
    ]);
  });

  it('reads what cannot be thousands as typed: a lone 0, other decimals, a percentage', () => {
    expect(parseChangeValue('=0.500', 'forecast')).toEqual({ kind: 'set', value: 0.5 });
    expect(parseChangeValue('=1.25', 'forecast')).toEqual({ kind: 'set', value: 1.25 });
    expect(parseChangeValue('=1,200', 'forecast')).toEqual({ kind: 'set', value: 1200 });
    expect(parseChangeValue('+1.500%', 'forecast')).toEqual({ kind: 'delta_pct', value: 1.5 });
  });

  it('refuses 1.200 in the modal’s Value in units, not in %', () => {
    expect(refusal(() => inputFromState(state('set', '1.000')))).toEqual([
      'value',
      '"1.000" would be 1 unit (a dot marks decimals): for 1,000 write 1000 or 1,000; for 1, write 1.',
    ]);
    expect(refusal(() => inputFromState(state('delta_units', '-2.500')))).toEqual([
      'value',
      '"-2.500" would be -2.5 units (a dot marks decimals): for 2,500 write -2500 or -2,500; for 2.5, write -2.5.',
    ]);
    expect(inputFromState(state('delta_pct', '2.500')).value).toBe(2.5);
  });
});

describe('the change modal’s Value', () => {
  it('reads grouped thousands and a % with a kind in %', () => {
    expect(inputFromState(state('set', '1,200')).value).toBe(1200);
    expect(inputFromState(state('delta_pct', '-12.5%')).value).toBe(-12.5);
    expect(inputFromState(state('delta_pct', '15')).value).toBe(15);
  });

  it('refuses a decimal comma, and a % in a field of units naming it', () => {
    expect(refusal(() => inputFromState(state('delta_units', '1,5')))).toEqual([
      'value',
      `"1,5": use a dot for decimals (1.5); ${ADVICE}`,
    ]);
    expect(refusal(() => inputFromState(state('set', '15%')))).toEqual([
      'value',
      '"15%": Set to (units) is in units, not %; enter 15, or choose Change by % (+/-).',
    ]);
    expect(refusal(() => inputFromState(state('delta_units', '-20 %')))).toEqual([
      'value',
      '"-20 %": Change by units (+/-) is in units, not %; enter -20, or choose Change by % (+/-).',
    ]);
    // The capacity form's (its target select is `target_pick`): a resource's own unit.
    const capacity = {
      ...state('set', '15%'),
      target: { target_pick: { selected_option: { value: 'LINE-1' } } },
    };
    expect(refusal(() => inputFromState(capacity))).toEqual([
      'value',
      `"15%": Set to (in the resource's unit) is in the resource's unit, not %; enter 15, or choose Change by % (+/-).`,
    ]);
  });
});

describe('the scenario and execution forms', () => {
  const v = (value: string) => ({ v: { value } });

  it('the scenario form reads 12,500 and refuses -0,5 on its field', () => {
    const ok = parseScenarioState('cash', {
      label: v('Cash'),
      invest_size: v('10'),
      invest_cost: v('12,500'),
    });
    expect(ok.input?.capacityInvestment).toEqual({ resource: null, sizePct: 10, cost: 12500 });
    const bad = parseScenarioState('cash', { label: v('Cash'), plan_pct: v('-0,5') });
    expect(bad.errors).toEqual({ plan_pct: `'-0,5': use a dot for decimals (-0.5); ${ADVICE}` });
  });

  it('the execution form reads 1,000 and refuses 62,5 on its field', () => {
    const r = parseExecutionState({
      kind: { pick: { selected_option: { value: 'quality_hold' } } },
      code: { value: { value: 'FAM-2' } },
      day: { date: { selected_date: '2027-02-10' } },
      expected: { value: { value: '1,000' } },
      actual: { value: { value: '62,5' } },
      comment: { value: { value: 'held at QA' } },
    });
    expect(r.errors).toEqual({ actual: `'62,5': use a dot for decimals (62.5); ${ADVICE}` });
    const ok = parseExecutionState({
      kind: { pick: { selected_option: { value: 'quality_hold' } } },
      code: { value: { value: 'FAM-2' } },
      day: { date: { selected_date: '2027-02-10' } },
      expected: { value: { value: '1,000' } },
      actual: { value: { value: '625' } },
      comment: { value: { value: 'held at QA' } },
    });
    expect(ok.errors).toEqual({});
    expect(ok).toMatchObject({ expected: 1000, actual: 625 });
  });
});
