/** The demo's clock: the story's time, moved forward only, running at the real pace between. */
import { describe, expect, it } from 'vitest';
import { demoClock } from '../../src/demo/clock.js';
import { storyDue } from '../../src/demo/drain.js';

const near = (d: Date, iso: string) =>
  expect(Math.abs(d.getTime() - new Date(iso).getTime())).toBeLessThan(1_000);

describe('demoClock', () => {
  it('starts at the story, not the machine, and moves forward to a later step', () => {
    const clock = demoClock(new Date('2027-01-04T09:00:00Z'));
    near(clock.now(), '2027-01-04T09:00:00Z');
    clock.advanceTo(new Date('2027-03-08T10:00:00Z'));
    near(clock.now(), '2027-03-08T10:00:00Z');
  });

  it('refuses to go back, which would put a later step before an earlier one', () => {
    const clock = demoClock(new Date('2027-03-08T10:00:00Z'));
    expect(() => clock.advanceTo(new Date('2027-02-01T09:00:00Z'))).toThrow(
      "the demo's clock runs forward only: 2027-02-01T09:00:00.000Z is before 2027-03-08T10:",
    );
    near(clock.now(), '2027-03-08T10:00:00Z');
  });

  it("maps each machine instant to the story's time it had then, across moves", () => {
    // The machine's clock, moved by hand: the run starts at 12:00:00.000 on 2026-12-04.
    let machine = Date.parse('2026-12-04T12:00:00Z');
    const clock = demoClock(new Date('2027-01-04T09:00:00Z'), () => machine);
    const posted1 = machine + 5_000; // a message 5 s into the run
    machine += 10_000;
    clock.advanceTo(new Date('2027-02-01T09:00:00Z'));
    const posted2 = machine + 2_000; // a message 2 s after the move
    machine += 3_000;
    // Before the move: 2027-01-04 09:00:05. After: 2027-02-01 09:00:02 (the move at +10 s).
    expect(new Date(clock.storyTime(posted1)).toISOString()).toBe('2027-01-04T09:00:05.000Z');
    expect(new Date(clock.storyTime(posted2)).toISOString()).toBe('2027-02-01T09:00:02.000Z');
    expect(clock.now().toISOString()).toBe('2027-02-01T09:00:03.000Z');
  });
});

describe('storyDue', () => {
  it("places a delayed job on the story's clock, from the instant it was delayed at", () => {
    let machine = Date.parse('2026-12-04T12:00:00Z');
    const clock = demoClock(new Date('2027-01-25T15:00:00Z'), () => machine);
    // A reminder for 2027-03-24 09:00 scheduled 1 s into the run (story 2027-01-25 15:00:01):
    // 57 days, 17 hours and 59:59 later, by hand: 57 × 86,400 + 17 × 3,600 + 3,599 s.
    const added = machine + 1_000;
    const delay = (57 * 86_400 + 17 * 3_600 + 3_599) * 1_000;
    machine += 5_000;
    clock.advanceTo(new Date('2027-02-01T09:00:00Z'));
    // The clock has moved since: the job's machine time would put it in late February.
    expect(new Date(storyDue(clock, { timestamp: added, delay })).toISOString()).toBe(
      '2027-03-24T09:00:00.000Z',
    );
    // Taken early and delayed again 2 s after the move (story 2027-02-01 09:00:02) by the
    // time left, 51 days less 2 s: from when it last started, not when it was added.
    const ran = machine + 2_000;
    const left = (51 * 86_400 - 2) * 1_000;
    expect(
      new Date(storyDue(clock, { timestamp: added, processedOn: ran, delay: left })).toISOString(),
    ).toBe('2027-03-24T09:00:00.000Z');
  });
});
