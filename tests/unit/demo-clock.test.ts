/** The demo's clock: the story's time, moved forward only, running at the real pace between. */
import { describe, expect, it } from 'vitest';
import { demoClock } from '../../src/demo/clock.js';

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
