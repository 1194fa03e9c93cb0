/**
 * The migration list, in order. A static provider (rather than a folder scan) works the same
 * under tsx, vitest and the compiled dist/. Names are timestamps; never edit a landed one.
 */
import type { Migration } from 'kysely';
import * as initial from './20261122T0400-initial.js';
import * as dropProcessedRequestsResult from './20261203T1200-drop-processed-requests-result.js';
import * as supplyDepth from './20261203T1300-supply-depth.js';
import * as scenariosCash from './20261203T1400-scenarios-cash.js';
import * as review from './20261203T1500-review.js';
import * as execution from './20261203T1530-execution.js';
import * as userNames from './20261203T1600-user-names.js';
import * as planDuals from './20261203T1800-plan-duals.js';
import * as jobOutbox from './20261203T1900-job-outbox.js';
import * as chartFingerprints from './20261203T1910-chart-fingerprints.js';
import * as decisionSupersedes from './20261203T1920-decision-supersedes.js';
import * as postHolder from './20261203T1930-post-holder.js';
import * as adjustmentsCarried from './20261204T0300-adjustments-carried.js';
import * as familyResultsScrapped from './20261204T0310-family-results-scrapped.js';
import * as dmChannels from './20261204T0400-dm-channels.js';
import * as planRunOpeningStock from './20261204T1000-plan-run-opening-stock.js';
import * as deviationFrozenBreakAt from './20261204T1100-deviation-frozen-break-at.js';
import * as constraintResolvedBy from './20261204T1300-constraint-resolved-by.js';
import * as scenariosCarried from './20261205T0900-scenarios-carried.js';
import * as reminderDigests from './20261206T0900-reminder-digests.js';
import * as slackRefusals from './20261207T0900-slack-refusals.js';
import * as homeViewers from './20261208T0900-home-viewers.js';
import * as voteSupersededReason from './20261209T0900-vote-superseded-reason.js';
import * as deviationRangeWords from './20261210T0900-deviation-range-words.js';
import * as priceKinds from './20261210T1000-price-kinds.js';
import * as companyCalendar from './20261210T1100-company-calendar.js';
import * as voteClickedAt from './20261213T1800-vote-clicked-at.js';
import * as breakDispositions from './20261214T0427-break-dispositions.js';
import * as digestItemsByAction from './20261214T0820-digest-items-by-action.js';
import * as actionSourceMessage from './20261215T0920-action-source-message.js';
import * as productionActualsByMonth from './20261215T1000-production-actuals-by-month.js';
import * as actionSourceThread from './20261215T1030-action-source-thread.js';
import * as slackPersonChanges from './20261215T1100-slack-person-changes.js';
import * as breakDispositionChosen from './20261216T1300-break-disposition-chosen.js';
import * as codesUniqueInAnyCase from './20261217T1208-codes-unique-in-any-case.js';
import * as shownChartsAndInputsRead from './20261217T1214-shown-charts-and-inputs-read.js';

export const migrations: Record<string, Migration> = {
  '20261122T0400-initial': initial,
  '20261203T1200-drop-processed-requests-result': dropProcessedRequestsResult,
  '20261203T1300-supply-depth': supplyDepth,
  '20261203T1400-scenarios-cash': scenariosCash,
  '20261203T1500-review': review,
  '20261203T1530-execution': execution,
  '20261203T1600-user-names': userNames,
  '20261203T1800-plan-duals': planDuals,
  '20261203T1900-job-outbox': jobOutbox,
  '20261203T1910-chart-fingerprints': chartFingerprints,
  '20261203T1920-decision-supersedes': decisionSupersedes,
  '20261203T1930-post-holder': postHolder,
  '20261204T0300-adjustments-carried': adjustmentsCarried,
  '20261204T0310-family-results-scrapped': familyResultsScrapped,
  '20261204T0400-dm-channels': dmChannels,
  '20261204T1000-plan-run-opening-stock': planRunOpeningStock,
  '20261204T1100-deviation-frozen-break-at': deviationFrozenBreakAt,
  '20261204T1300-constraint-resolved-by': constraintResolvedBy,
  '20261205T0900-scenarios-carried': scenariosCarried,
  '20261206T0900-reminder-digests': reminderDigests,
  '20261207T0900-slack-refusals': slackRefusals,
  '20261208T0900-home-viewers': homeViewers,
  '20261209T0900-vote-superseded-reason': voteSupersededReason,
  '20261210T0900-deviation-range-words': deviationRangeWords,
  '20261210T1000-price-kinds': priceKinds,
  '20261210T1100-company-calendar': companyCalendar,
  '20261213T1800-vote-clicked-at': voteClickedAt,
  '20261214T0427-break-dispositions': breakDispositions,
  '20261214T0820-digest-items-by-action': digestItemsByAction,
  '20261215T0920-action-source-message': actionSourceMessage,
  '20261215T1000-production-actuals-by-month': productionActualsByMonth,
  '20261215T1030-action-source-thread': actionSourceThread,
  '20261215T1100-slack-person-changes': slackPersonChanges,
  '20261216T1300-break-disposition-chosen': breakDispositionChosen,
  '20261217T1208-codes-unique-in-any-case': codesUniqueInAnyCase,
  '20261217T1214-shown-charts-and-inputs-read': shownChartsAndInputsRead,
};
