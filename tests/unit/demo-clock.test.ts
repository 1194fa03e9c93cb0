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
});
