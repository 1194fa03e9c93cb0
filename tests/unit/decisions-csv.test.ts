import { describe, expect, it } from 'vitest';
import type { ActionRow } from '../../db/schema.js';
import { parseCsv } from '../../src/csv/parse.js';
import { decisionsCsv } from '../../src/services/decisions.js';

describe('the decisions CSV', () => {
  it('writes typed text that a spreadsheet would run as a formula as text', () => {
    const action = {
      id: '7',
      owner: 'U2',
      due_date: '2027-02-15',
      status: 'open',
      description: "@SUM(1+1)*cmd|' /C calc'!A0",
    } as unknown as ActionRow;
    const csv = decisionsCsv(
      [
        {
          id: '1',
          cycle: '2027-01',
          scenario: '=HYPERLINK("http://x.io/a","Open")',
          scenarioId: '2',
          runId: '3',
          rationale: '-1+2',
          decidedBy: 'U1',
          decidedAt: new Date('2027-01-20T10:00:00Z'),
          viaVote: true,
          tradeOff: null,
          actions: [action],
        },
      ],
      (id) => (id === 'U2' ? '+1-555 Mallory' : 'Chair, of the board'),
    );
    const [header, row] = parseCsv(csv).map((r) => r.fields);
    const cells = Object.fromEntries((header ?? []).map((h, i) => [h, row?.[i]]));
    // OWASP's rule: a leading ' makes the cell text; the typed text follows unchanged.
    expect(cells.scenario).toBe('\'=HYPERLINK("http://x.io/a","Open")');
    expect(cells.rationale).toBe("'-1+2");
    expect(cells.action).toBe("'@SUM(1+1)*cmd|' /C calc'!A0");
    expect(cells.owner_name).toBe("'+1-555 Mallory");
    // Text that starts no formula, and the ids and dates, are as they were.
    expect(cells.decided_by_name).toBe('Chair, of the board');
    expect(cells.cycle).toBe('2027-01');
    expect(cells.due_date).toBe('2027-02-15');
    expect(cells.decided_at).toBe('2027-01-20T10:00:00.000Z');
  });
});
