/**
 * Numbers written as spreadsheets, word processors and other keyboards write them (a dash for
 * a minus, full-width digits, an accounting negative, a currency sign, an exponent, dots that
 * group thousands) and marks for no value (N/A, -, —): one reader (src/core/typed-number.ts)
 * and the same advice in each form and command that reads a number. Expected texts and values
 * written out by hand.
 */
import { describe, expect, it } from 'vitest';
import { parseWhatIf, WhatIfError } from '../../src/core/scenarios/what-if.js';
import { decimalCommaAdvice, readTypedNumber } from '../../src/core/typed-number.js';
import { FieldError } from '../../src/services/adjustments.js';
import { inputFromState } from '../../src/slack/change-state.js';
import { parseChangeText, parseChangeValue } from '../../src/slack/parse-change.js';
import { parseExecutionState } from '../../src/slack/presenters/execution.js';
import { parseScenarioState } from '../../src/slack/presenters/scenario.js';

const HYPHEN = "type the keyboard's hyphen-minus,";

describe('readTypedNumber: a number written another way', () => {
  it('names what it is and what to write', () => {
    const cases: [string, string][] = [
      ['–120', `uses an en dash (–) for a minus sign: ${HYPHEN} -120.`],
      ['—120', `uses an em dash (—) for a minus sign: ${HYPHEN} -120.`],
      ['‐5.5', `uses a hyphen (‐, U+2010) for a minus sign: ${HYPHEN} -5.5.`],
      ['１２０', 'is written in full-width characters: write 120.'],
      ['－１２０', 'is written in full-width characters: write -120.'],
      [
        '（１２０）',
        'is written in full-width characters, and is an accounting negative (a number in brackets): write -120.',
      ],
      ['(120)', 'is an accounting negative (a number in brackets): write -120.'],
      ['($1,200.50)', 'is an accounting negative (a number in brackets): write -1,200.50.'],
      ['$1,200', 'has a currency sign ($): write 1,200.'],
      ['1 200 €', 'has a currency sign (€): write 1200.'],
      ['EUR 75', 'has a currency sign (EUR): write 75.'],
      // 1.200 with a € is twelve hundred or 1.2: no one number to write.
      ['€1.200', 'has a currency sign (€): write the number alone, without it.'],
      ['1e3', 'is in scientific notation: write 1000.'],
      ['1E+03', 'is in scientific notation: write 1000.'],
      ['1,2E+03', 'is in scientific notation: write 1200.'],
      ['2.5e-1', 'is in scientific notation: write 0.25.'],
      ['1.200.000', 'has dots grouping thousands: write 1200000.'],
      ["1'200.50", 'has apostrophes grouping thousands: write 1200.50.'],
      ['1’200', 'has apostrophes grouping thousands: write 1200.'],
    ];
    for (const [typed, message] of cases)
      expect(readTypedNumber(typed), typed).toEqual({ kind: 'other-writing', message });
  });

  it('reads the minus sign sopbot itself writes, and groups by a no-break or narrow no-break space', () => {
    expect(readTypedNumber('−120')).toEqual({ kind: 'number', value: -120 });
    expect(readTypedNumber('1\u00a0200')).toEqual({ kind: 'number', value: 1200 });
    expect(readTypedNumber('1\u202f200')).toEqual({ kind: 'number', value: 1200 });
  });

  it('offers no fix that would carry a mark of mrkdwn or a backtick from the typed text', () => {
    for (const typed of ['(1`x`)', '–1*2*', '$<!here>1', '（１｀）'])
      expect(readTypedNumber(typed), typed).toEqual({ kind: 'not-a-number' });
  });

  it('leaves an exponent past what any field takes to the field, which names its range', () => {
    expect(readTypedNumber('1e30')).toEqual({ kind: 'not-a-number' });
    // Past the largest double: never "write Infinity"; below the smallest: never "write 0".
    expect(readTypedNumber('1e400')).toEqual({ kind: 'not-a-number' });
    expect(readTypedNumber('1e-400')).toEqual({ kind: 'not-a-number' });
  });

  it('offers a full-width text as the fix only when it reads as a number', () => {
    const inDigits = 'is written in full-width characters: write the number in digits.';
    // `１２ｘ` is no number, and `１，５` folded is 1,5, which the reader refuses: no "write 12x".
    expect(readTypedNumber('１２ｘ')).toEqual({ kind: 'other-writing', message: inDigits });
    expect(readTypedNumber('１，５')).toEqual({ kind: 'other-writing', message: inDigits });
    expect(readTypedNumber('１ｅ４００')).toEqual({ kind: 'other-writing', message: inDigits });
    // No digit at all: no number written another way ("write NA", "write test" before).
    expect(readTypedNumber('ＮＡ')).toEqual({ kind: 'not-a-number' });
    expect(readTypedNumber('ｔｅｓｔ')).toEqual({ kind: 'not-a-number' });
    // A number keeps its fix, with its = and %.
    expect(readTypedNumber('１，２００')).toEqual({
      kind: 'other-writing',
      message: 'is written in full-width characters: write 1,200.',
    });
    expect(readTypedNumber('＝１５％')).toEqual({
      kind: 'other-writing',
      message: 'is written in full-width characters: write =15%.',
    });
  });

  it('knows a mark for no value, and never reads it as 0', () => {
    for (const typed of ['N/A', 'n/a', 'NA', '#N/A', '-', '–', '—', '−'])
      expect(readTypedNumber(typed), typed).toEqual({ kind: 'no-value' });
  });

  it('writes the one reading of thousands grouped by dots or spaces beside a decimal comma', () => {
    const tail = 'a comma only separates thousands, as in 1,000.';
    expect(decimalCommaAdvice('1.200,5')).toBe(`use a dot for decimals (1200.5); ${tail}`);
    expect(decimalCommaAdvice('1\u202f200,5')).toBe(`use a dot for decimals (1200.5); ${tail}`);
    expect(decimalCommaAdvice('-1.234.567,25%')).toBe(
      `use a dot for decimals (-1234567.25%); ${tail}`,
    );
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

/** The change modal's state: the forecast form, or the capacity form, with a kind and a Value. */
const state = (subject: 'forecast' | 'capacity', kind: string, value: string) => ({
  target:
    subject === 'forecast'
      ? { forecast_target_pick: { selected_option: { value: 'FAM-1' } } }
      : { target_pick: { selected_option: { value: 'LINE-1' } } },
  from: { from_pick: { selected_option: { value: '2027-03' } } },
  kind: { kind_pick: { selected_option: { value: kind } } },
  value: { value_input: { value } },
  reason: { reason_pick: { selected_option: { value: 'promotion' } } },
});

describe('the change modal and the /forecast and /capacity text', () => {
  it('say what to write for N/A, for the form or the command, the forecast or the capacity', () => {
    expect(refusal(() => inputFromState(state('forecast', 'set', 'N/A')))).toEqual([
      'value',
      '"N/A" is no number: to leave the forecast as it is, close the form; for none, choose Set to (units) and enter 0.',
    ]);
    expect(refusal(() => inputFromState(state('capacity', 'delta_units', '-')))).toEqual([
      'value',
      `"-" is no number: to leave the capacity as it is, close the form; for none, choose Set to (in the resource's unit) and enter 0.`,
    ]);
    expect(refusal(() => parseChangeValue('n/a', 'capacity'))).toEqual([
      'value',
      '`n/a` is no number: to leave the capacity as it is, send no change; for none, write =0.',
    ]);
  });

  it('keep the = and the % of the change in what to write', () => {
    const cases: [string, string][] = [
      ['–15%', `\`–15%\` uses an en dash (–) for a minus sign: ${HYPHEN} -15%.`],
      ['=–120', `\`=–120\` uses an en dash (–) for a minus sign: ${HYPHEN} =-120.`],
      ['＋１５％', '`＋１５％` is written in full-width characters: write +15%.'],
      ['=$1,200', '`=$1,200` has a currency sign ($): write =1,200.'],
      ['+1e3', '`+1e3` is in scientific notation: write +1000.'],
      ['=1.200.000', '`=1.200.000` has dots grouping thousands: write =1200000.'],
    ];
    for (const [token, message] of cases)
      expect(
        refusal(() => parseChangeValue(token, 'forecast')),
        token,
      ).toEqual(['value', message]);
    expect(
      refusal(() =>
        parseChangeText('FAM-1 2027-03 (120) promotion', ['promotion'], 'forecast', '2027-01'),
      ),
    ).toEqual(['value', '`(120)` is an accounting negative (a number in brackets): write -120.']);
    // The minus sign is a minus, as before.
    expect(parseChangeValue('−120', 'forecast')).toEqual({ kind: 'delta_units', value: -120 });
  });

  it('the modal says what to enter for a % in units the way every number is written', () => {
    // Before: "enter –15", the en dash kept.
    expect(refusal(() => inputFromState(state('forecast', 'delta_units', '–15%')))).toEqual([
      'value',
      '"–15%": Change by units (+/-) is in units, not %; enter -15, or choose Change by % (+/-).',
    ]);
  });

  it('the modal reads the Value the same way', () => {
    expect(refusal(() => inputFromState(state('forecast', 'delta_pct', '–15%')))).toEqual([
      'value',
      `"–15%" uses an en dash (–) for a minus sign: ${HYPHEN} -15.`,
    ]);
    expect(refusal(() => inputFromState(state('capacity', 'set', '1e3')))).toEqual([
      'value',
      '"1e3" is in scientific notation: write 1000.',
    ]);
  });
});

describe('the other readers of typed numbers', () => {
  it('/sop whatif keeps the % in what to write', () => {
    let message = '';
    try {
      parseWhatIf('price all –5%');
    } catch (err) {
      if (err instanceof WhatIfError) message = err.message;
    }
    expect(message).toBe(
      `\`price all –5%\`: \`–5%\` uses an en dash (–) for a minus sign: ${HYPHEN} -5%.`,
    );
  });

  it('the scenario form says to leave an N/A field empty, and what to write for an exponent', () => {
    const v = (value: string) => ({ v: { value } });
    const r = parseScenarioState('cash', {
      label: v('Cash'),
      plan_pct: v('N/A'),
      invest_size: v('10'),
      invest_cost: v('1,2E+04'),
    });
    expect(r.errors).toEqual({
      plan_pct: "'N/A' is no number: leave the field empty to leave it out.",
      invest_cost: "'1,2E+04' is in scientific notation: write 12000.",
    });
  });

  it('the scenario form refuses a % on the one-off cost and the days of cover, where it dropped it', () => {
    // Before: '30%' was read as 30 days of cover and '5%' as a cost of 5.
    const v = (value: string) => ({ v: { value } });
    const r = parseScenarioState('cash', {
      label: v('Cash'),
      plan_pct: v('-10%'),
      invest_size: v('10%'),
      invest_cost: v('5%'),
      cover_days: v('30 %'),
    });
    expect(r.errors).toEqual({
      invest_cost:
        "'5%': the one-off cost is an amount of money, not %; enter the amount, e.g. 250000.",
      cover_days: "'30 %': stock targets are in days of cover, not %; enter 30 for 30 days.",
    });
    // The fields in % take their % as before.
    const ok = parseScenarioState('cash', {
      label: v('Cash'),
      plan_pct: v('-10%'),
      invest_size: v('10%'),
    });
    expect(ok.errors).toEqual({});
    expect(ok.input).toMatchObject({ demandMultiplier: 0.9, capacityInvestment: { sizePct: 10 } });
  });

  it('the execution form says to leave N/A quantities empty, and what to write for brackets', () => {
    const r = parseExecutionState({
      kind: { pick: { selected_option: { value: 'quality_hold' } } },
      code: { value: { value: 'FAM-2' } },
      day: { date: { selected_date: '2027-02-10' } },
      expected: { value: { value: 'N/A' } },
      actual: { value: { value: '(40)' } },
      comment: { value: { value: 'held at QA' } },
    });
    expect(r.errors).toEqual({
      expected: "Quantity expected: 'N/A' is no number; leave both quantities empty, or give each.",
      actual: "'(40)' is an accounting negative (a number in brackets): write -40.",
    });
  });
});
