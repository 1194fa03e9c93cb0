/**
 * Time fences, counted from the cycle month (month 1 = the cycle month): months
 * 1..frozenMonths are frozen, the next slushyMonths are slushy, later months are liquid and
 * months before the cycle month are past.
 *
 * - past: refused (history is not planned).
 * - frozen: refused for sales, ops and planners, with a reason that names the roles the policy
 *   lets change it (executives and admins), who may change it, flagged as an exception (the
 *   service adds who holds them, by name: `frozenRefusal` in src/services/adjustments.ts).
 * - slushy: accepted and flagged for review.
 * - liquid: accepted.
 */
import type { Role, TimeFences } from './company.js';
import { monthsBetween, type Period } from './period.js';
import { can, roleNames } from './policy.js';

export type Zone = 'past' | 'frozen' | 'slushy' | 'liquid';

export interface FenceVerdict {
  readonly zone: Zone;
  readonly accepted: boolean;
  readonly flagged: boolean;
  readonly reason: string | null;
}

function checkFences(fences: TimeFences): void {
  for (const [name, v] of [
    ['frozenMonths', fences.frozenMonths],
    ['slushyMonths', fences.slushyMonths],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw new RangeError(`time fence ${name} must be a whole number ≥ 0, got ${v}`);
  }
}

export function zoneOf(cycleMonth: Period, period: Period, fences: TimeFences): Zone {
  checkFences(fences);
  const month = monthsBetween(cycleMonth, period) + 1;
  if (month < 1) return 'past';
  if (month <= fences.frozenMonths) return 'frozen';
  if (month <= fences.frozenMonths + fences.slushyMonths) return 'slushy';
  return 'liquid';
}

function frozenSpan(fences: TimeFences): string {
  return fences.frozenMonths === 1 ? 'month 1' : `months 1–${fences.frozenMonths}`;
}

export function checkFence(
  cycleMonth: Period,
  period: Period,
  fences: TimeFences,
  role: Role,
): FenceVerdict {
  const zone = zoneOf(cycleMonth, period, fences);
  const month = monthsBetween(cycleMonth, period) + 1;
  switch (zone) {
    case 'past':
      return {
        zone,
        accepted: false,
        flagged: false,
        reason: `${period} is before the cycle month ${cycleMonth}: past months cannot be changed.`,
      };
    case 'frozen':
      if (can({ role }, 'forecast.frozen-exception')) {
        return {
          zone,
          accepted: true,
          flagged: true,
          reason: `${period} is in the frozen zone (${frozenSpan(fences)} from ${cycleMonth}): accepted as an executive exception and flagged.`,
        };
      }
      return {
        zone,
        accepted: false,
        flagged: false,
        reason: `${period} is in the frozen zone (${frozenSpan(fences)} from ${cycleMonth}), where the plan is locked so operations can execute it. Only ${roleNames('forecast.frozen-exception')} can change it, as a flagged executive exception.`,
      };
    case 'slushy':
      return {
        zone,
        accepted: true,
        flagged: true,
        reason: `${period} is in the slushy zone (month ${month} of the cycle): the change is accepted and flagged for review.`,
      };
    case 'liquid':
      return { zone, accepted: true, flagged: false, reason: null };
  }
}
