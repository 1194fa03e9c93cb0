/**
 * Table types: one interface per table, composed into `Database`. Months are 'YYYY-MM'
 * strings; quantities and money are numbers (double precision).
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Role } from '../src/core/company.js';
import type { CyclePhase } from '../src/core/cycle.js';
import type { DemandPriceKind, PriceKind } from '../src/core/supply/duals.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;
/** bigint columns come back as strings from pg; we pass numbers or strings in. */
type BigId = ColumnType<string, number | string, number | string>;
/** A nullable bigint reference; optional on insert. */
type NullableBigId = ColumnType<
  string | null,
  number | string | null | undefined,
  number | string | null
>;
type GeneratedBigId = ColumnType<string, number | string | undefined, never>;
type Json<T> = ColumnType<T, string | T, string | T>;
type JsonDefault<T> = ColumnType<T, string | T | undefined, string | T>;
/** A column with a default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;
/** A nullable column added to an existing table: optional on insert, null when left out. */
type Optional<T> = Defaulted<T | null>;

/** A cycle's phase (src/core/cycle.ts has the phase machine). */
export type Phase = CyclePhase;
export type AdjustmentKindColumn = 'set' | 'delta_units' | 'delta_pct';

export interface WorkspaceSettingsTable {
  team_id: string;
  demand_channel: string | null;
  supply_channel: string | null;
  exec_channel: string | null;
  horizon_months: Defaulted<number>;
  frozen_months: Defaulted<number>;
  slushy_months: Defaulted<number>;
  comment_threshold_pct: Defaulted<number>;
  vote_mode: Defaulted<'open' | 'anonymous'>;
  vote_quorum: number | null;
  /** Working days each phase lasts, by phase name. */
  phase_days: JsonDefault<Partial<Record<Phase, number>>>;
  timezone: Defaulted<string>;
  /** Local time of day (HH:MM, 24-hour) every deadline of a new cycle falls at. */
  deadline_time: Defaulted<string>;
  /** S&OE thresholds: production below plan, receipts below expected, frozen-zone break (%). */
  soe_production_shortfall_pct: Defaulted<number>;
  soe_receipt_shortfall_pct: Defaulted<number>;
  soe_frozen_break_pct: Defaulted<number>;
  /** Working days a deviation's owner gets. */
  soe_due_days: Defaulted<number>;
  /** Days sales outstanding and days payables outstanding (cash by month). */
  dso_days: Defaulted<number>;
  dpo_days: Defaulted<number>;
  stress_samples: Defaulted<number>;
  stress_seed: Defaulted<number>;
  updated_at: Timestamp;
}

export interface FamiliesTable {
  id: Generated<number>;
  code: string;
  name: string;
  unit: Defaulted<string>;
  price: number;
  unit_cost: number;
  holding_cost: number;
  backlog_cost: number;
  subcontract_cost: number | null;
  /** Most units bought outside per month; null: no limit. */
  subcontract_limit: Optional<number>;
  safety_stock: Defaulted<number>;
  min_stock_units: Optional<number>;
  min_stock_share: Optional<number>;
  min_stock_days: Optional<number>;
  shelf_life_months: Optional<number>;
  scrap_cost: Optional<number>;
  active: Defaulted<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MembersTable {
  slack_user_id: string;
  display_name: string | null;
  role: Role;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MemberFamiliesTable {
  slack_user_id: string;
  family_id: number;
}

export interface ResourcesTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: 'line' | 'workforce' | 'supplier' | 'storage';
  unit: Defaulted<string>;
  regular_capacity: number;
  overtime_limit: Defaulted<number>;
  overtime_cost: Defaulted<number>;
  initial_workers: number | null;
  hours_per_worker: number | null;
  cost_per_worker: number | null;
  hire_cost: number | null;
  layoff_cost: number | null;
  overtime_hours_per_worker: number | null;
  min_workers: number | null;
  max_workers: number | null;
  crew_overtime_limit: Optional<number>;
  integer_workers: Defaulted<boolean>;
  lead_time_months: Optional<number>;
  min_order_qty: Optional<number>;
  active: Defaulted<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ResourceLoadsTable {
  family_id: number;
  resource_id: number;
  load_per_unit: number;
}

export interface SalesHistoryTable {
  family_id: number;
  period: string;
  units: number;
  revenue: number | null;
  updated_at: Timestamp;
}

export interface InventorySnapshotsTable {
  family_id: number;
  period: string;
  on_hand: number;
  backlog: Defaulted<number>;
  updated_at: Timestamp;
}

export interface BudgetTable {
  family_id: number;
  period: string;
  volume: number;
  revenue: number;
  updated_at: Timestamp;
}

export interface ResourceCapacitiesTable {
  resource_id: number;
  period: string;
  capacity: number;
  overtime_limit: number | null;
  updated_at: Timestamp;
}

export interface FamilyPeriodCostsTable {
  family_id: number;
  period: string;
  price: number | null;
  unit_cost: number | null;
  holding_cost: number | null;
  backlog_cost: number | null;
  subcontract_cost: number | null;
  updated_at: Timestamp;
}

export interface ResourcePeriodCostsTable {
  resource_id: number;
  period: string;
  overtime_cost: number | null;
  cost_per_worker: number | null;
  hire_cost: number | null;
  layoff_cost: number | null;
  updated_at: Timestamp;
}

export interface CyclesTable {
  id: Generated<number>;
  month: string;
  phase: Defaulted<Phase>;
  /** ISO timestamps of each phase's deadline, by phase name. */
  deadlines: JsonDefault<Partial<Record<Phase, string>>>;
  /** Per phase, the company holidays its deadline count stepped over when the cycle opened. */
  skipped_holidays: JsonDefault<Partial<Record<Phase, readonly SkippedHoliday[]>>>;
  phase_entered_at: Timestamp;
  opened_by: string | null;
  opened_at: Timestamp;
  closed_at: NullableTimestamp;
  adopted_scenario_id: NullableBigId;
}

export interface BaselineModelsTable {
  cycle_id: number;
  family_id: number;
  method: string;
  params: JsonDefault<Record<string, number>>;
  aicc: number | null;
  history_hash: string;
  fitted_at: Timestamp;
}

export interface BaselineForecastsTable {
  cycle_id: number;
  family_id: number;
  period: string;
  value: number;
  naive: number | null;
  lo80: number | null;
  hi80: number | null;
  lo95: number | null;
  hi95: number | null;
}

export interface ForecastAdjustmentsTable {
  id: GeneratedBigId;
  cycle_id: number;
  family_id: number;
  period: string;
  author: string;
  author_role: Role;
  kind: AdjustmentKindColumn;
  value: number;
  reason_code: string;
  comment: string | null;
  status: Defaulted<'accepted' | 'flagged' | 'superseded' | 'withdrawn'>;
  zone: 'frozen' | 'slushy' | 'liquid';
  before_value: number | null;
  after_value: number | null;
  /** `carried`: copied from the previous cycle when this one started (`carried_from`). */
  source: 'modal' | 'command' | 'cli' | 'api' | 'carried';
  request_key: string;
  slack_team_id: string | null;
  slack_channel_id: string | null;
  created_at: Timestamp;
  /** The adjustment of the previous cycle this one was carried from. */
  carried_from: ColumnType<string | null, number | string | null | undefined, never>;
}

export interface NoChangeDeclarationsTable {
  cycle_id: number;
  slack_user_id: string;
  family_id: number;
  created_at: Timestamp;
}

export interface CapacityUpdatesTable {
  id: GeneratedBigId;
  cycle_id: number | null;
  resource_id: number;
  period: string;
  kind: AdjustmentKindColumn;
  value: number;
  reason_code: string;
  comment: string | null;
  is_constraint: Defaulted<boolean>;
  status: Defaulted<'open' | 'resolved' | 'withdrawn'>;
  before_value: number | null;
  after_value: number | null;
  author: string;
  source: 'modal' | 'command' | 'cli' | 'api' | 'import';
  request_key: string;
  created_at: Timestamp;
  /** When the constraint was resolved or withdrawn. */
  resolved_at: NullableTimestamp;
  /** Who resolved or withdrew it (a Slack user id). */
  resolved_by: string | null;
}

export interface PlanRunsTable {
  id: GeneratedBigId;
  cycle_id: number | null;
  /** Deterministic key of the request that produced the run (idempotency). */
  run_key: string;
  trigger: string;
  requested_by: string | null;
  periods: Json<string[]>;
  input_hash: string;
  problem: Json<unknown>;
  consensus: JsonDefault<unknown>;
  capacity_check: JsonDefault<unknown>;
  solver_ms: number | null;
  total_ms: number | null;
  /** The month of the inventory count the plan opened on (the latest before its first month). */
  opening_stock_month: ColumnType<string | null, string | null | undefined, string | null>;
  /**
   * When the run read its inputs (before solving; `created_at` is when it was stored, after):
   * null for a run stored before it was kept.
   */
  inputs_read_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface PlanScenariosTable {
  id: GeneratedBigId;
  run_id: BigId;
  name: string;
  label: string;
  assumptions: Json<unknown>;
  status: 'optimal' | 'infeasible' | 'unbounded' | 'error';
  message: string | null;
  total_cost: number | null;
  cost_breakdown: JsonDefault<Record<string, number>>;
  kpis: JsonDefault<Record<string, number | null>>;
  /** The plan against the demand samples (src/core/stress); null in runs before it. */
  stress: ColumnType<unknown, string | null | undefined, never>;
}

export interface CycleScenariosTable {
  cycle_id: number;
  name: string;
  position: number;
  assumptions: Json<unknown>;
  /** Who set the scenario; kept when it is carried into the next cycle. */
  updated_by: string;
  updated_at: Timestamp;
  /** The cycle the list was carried from when this cycle started; null once a planner sets it. */
  carried_from_cycle_id: Optional<number>;
}

export interface PlanFamilyResultsTable {
  scenario_id: BigId;
  family_id: number;
  period: string;
  demand: number;
  production: number;
  subcontract: number;
  inventory: number;
  backlog: number;
  lost_sales: Defaulted<number>;
  revenue: Defaulted<number>;
  /** Units that expired in the month (families with a shelf life). */
  scrapped: Defaulted<number>;
}

export interface PlanResourceResultsTable {
  scenario_id: BigId;
  resource_id: number;
  period: string;
  load: number;
  capacity: number;
  overtime: Defaulted<number>;
  utilisation: number;
  workers: number | null;
  hires: number | null;
  layoffs: number | null;
}

/** Shadow prices of a scenario's resource capacities (migration 20261203T1800). */
export interface PlanResourceDualsTable {
  scenario_id: BigId;
  resource_id: number;
  period: string;
  shadow_price: number | null;
  overtime_shadow_price: number | null;
  overtime_limit: number | null;
  /** 'exact' or 'rate' (core's PriceKind); null with no price, or before 20261210T1000. */
  shadow_price_kind: PriceKind | null;
}

/** Marginal cost of demand per family and month of a scenario (migration 20261203T1800). */
export interface PlanFamilyDualsTable {
  scenario_id: BigId;
  family_id: number;
  period: string;
  /** Null when no plan meets one more unit (`unserved`). */
  demand_price: number | null;
  /** Core's DemandPriceKind; null for rows written before 20261210T1000. */
  demand_price_kind: DemandPriceKind | null;
}

export interface PollsTable {
  id: GeneratedBigId;
  cycle_id: number;
  run_id: BigId;
  poll_key: string;
  question: string;
  mode: 'open' | 'anonymous';
  quorum: number | null;
  status: Defaulted<'open' | 'closed'>;
  channel_id: string | null;
  message_ts: string | null;
  closes_at: NullableTimestamp;
  created_by: string;
  created_at: Timestamp;
  closed_by: string | null;
  closed_at: NullableTimestamp;
  close_reason: string | null;
}

export interface PollOptionsTable {
  poll_id: BigId;
  scenario_id: BigId;
  position: number;
  label: string;
}

export interface VotesTable {
  id: GeneratedBigId;
  poll_id: BigId;
  voter: string;
  scenario_id: BigId;
  /** False for votes from people who may not vote: kept for audit, never tallied. */
  counted: boolean;
  request_key: string;
  created_at: Timestamp;
  /** Set when the voter changed their mind, or (with `superseded_reason`) stopped counting. */
  superseded_at: NullableTimestamp;
  /**
   * Why the vote stopped counting other than a later vote of its voter: `role`, the voter
   * stopped being an executive while the vote was open. Null otherwise.
   */
  superseded_reason: Optional<'role'>;
  /**
   * When the voter clicked (Slack's `action_ts`): of two clicks that reach the bot in the other
   * order, the later click's vote stands. Null for votes stored before it was kept.
   */
  clicked_at: NullableTimestamp;
}

export interface DecisionsTable {
  id: GeneratedBigId;
  cycle_id: number;
  poll_id: NullableBigId;
  scenario_id: BigId;
  title: string;
  rationale: string;
  decided_by: string;
  decided_at: Timestamp;
  request_key: string;
  /** What adopting the scenario accepts, in one sentence (null before the stress test). */
  trade_off: ColumnType<string | null, string | null | undefined, never>;
  /** The earlier decision of the cycle this one replaces, and why. */
  supersedes_id: ColumnType<string | null, number | string | null | undefined, never>;
  supersede_reason: ColumnType<string | null, string | null | undefined, never>;
}

/** What a decision disposed of a break of the frozen plan escalated to its meeting. */
export interface BreakDispositionsTable {
  decision_id: BigId;
  deviation_id: BigId;
  disposition: 'exception' | 'hold' | 'defer';
  note: string | null;
  /**
   * Someone chose it in the decision form; false: the decision chose nothing for it (typed
   * `/sop decide`, or the break did not fit in the form), recorded as `defer`.
   */
  chosen: Generated<boolean>;
  created_at: Generated<Timestamp>;
}

export interface ActionsTable {
  id: GeneratedBigId;
  decision_id: NullableBigId;
  cycle_id: number;
  description: string;
  owner: string;
  /** YYYY-MM-DD in the workspace time zone. */
  due_date: string;
  status: Defaulted<'open' | 'done' | 'cancelled'>;
  snoozed_until: NullableTimestamp;
  created_by: string;
  created_at: Timestamp;
  done_at: NullableTimestamp;
  done_by: string | null;
  request_key: string;
  /**
   * The Slack message it was raised from ("Make an S&OP action"), its channel and ts, both or
   * neither; null for a decision's action or one weekly S&OE raised.
   */
  source_channel: string | null;
  source_ts: string | null;
  /** The thread that message is a reply in (its note goes there); null at the top level. */
  source_thread_ts: string | null;
}

/** Ledger of what the bot posted, keyed by what it posted about (exactly-once posting). */
export interface SlackPostsTable {
  post_key: string;
  channel_id: string;
  ts: string | null;
  thread_ts: string | null;
  file_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Who made the current claim (a job: `job:<id>`), when the caller said. */
  holder: string | null;
}

export interface AuditLogTable {
  id: GeneratedBigId;
  at: Timestamp;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  details: JsonDefault<Record<string, unknown>>;
}

export interface ProcessedRequestsTable {
  request_key: string;
  kind: string;
  created_at: Timestamp;
}

/** A cycle's forecast for the month `lag` months after it, kept so later cycles score it. */
export interface ForecastSnapshotsTable {
  cycle_id: number;
  family_id: number;
  period: string;
  lag: number;
  naive: number;
  baseline: number;
  consensus: number;
  /** The adjustment chain: author, reason code, before and after, in order. */
  steps: JsonDefault<{ author: string; reasonCode: string; before: number; after: number }[]>;
  created_at: Timestamp;
}

export interface ProductionActualsTable {
  family_id: number;
  period: string;
  units: number;
  updated_at: Timestamp;
}

/** Customer order lines: requested and shipped dates are YYYY-MM-DD. */
export interface OrderLinesTable {
  order_id: string;
  line: number;
  family_id: number;
  requested_date: string;
  shipped_date: string | null;
  ordered_qty: number;
  shipped_qty: Defaulted<number>;
  updated_at: Timestamp;
}

/** Weekly actuals; `week` is the week's Monday (YYYY-MM-DD). */
export interface WeeklyActualsTable {
  family_id: number;
  week: string;
  kind: 'sales' | 'production';
  units: number;
  updated_at: Timestamp;
}

export interface SupplierReceiptsTable {
  resource_id: number;
  week: string;
  expected: number;
  received: number;
  updated_at: Timestamp;
}

export type DeviationKind =
  | 'sales_above_p90'
  | 'production_below_plan'
  | 'supplier_short'
  | 'reported';

export interface DeviationsTable {
  id: GeneratedBigId;
  dedupe_key: string;
  kind: DeviationKind;
  week: string;
  family_id: number | null;
  resource_id: number | null;
  actual: number | null;
  expected: number | null;
  summary: string;
  comment: string | null;
  reported_by: string | null;
  frozen_break: Defaulted<boolean>;
  /** When it became a frozen-zone break: recorded as one, or made one by a corrected import. */
  frozen_break_at: NullableTimestamp;
  action_id: NullableBigId;
  created_at: Timestamp;
}

export interface SlackUserNamesTable {
  slack_user_id: string;
  display_name: string;
  fetched_at: Timestamp;
}

/** Each person's DM channel with the bot, as conversations.open gave it (src/slack/dm-channel.ts). */
export interface SlackDmChannelsTable {
  slack_user_id: string;
  channel_id: string;
  opened_at: Generated<Timestamp>;
}

/** A company holiday a cycle's deadline count stepped over: its day and name, as then. */
export interface SkippedHoliday {
  readonly day: string;
  readonly name: string | null;
}

/** Days off besides weekends, which deadline counting skips (`/sop cycle holidays`). */
export interface CompanyHolidaysTable {
  /** The local date in the company's zone, YYYY-MM-DD. */
  day: string;
  name: string | null;
  added_by: string;
  added_at: Timestamp;
}

/** Who has opened the bot's App Home, and when last (src/slack/home.ts). */
export interface HomeViewersTable {
  slack_user_id: string;
  opened_at: Generated<Timestamp>;
}

/** The actions a morning's reminder digest listed (its ledger key), in order. */
export interface ReminderDigestItemsTable {
  digest_key: string;
  action_id: BigId;
  position: number;
  /** Due date minus the digest's day: 2, 0, or negative when overdue. */
  days_left: number;
}

/**
 * What `user_change` last said of a person sopbot knows (src/services/user-change.ts), for
 * every process: when their account last changed, since when it is deactivated (null while
 * live), and when the admins were told of that deactivation (null until then).
 */
export interface SlackPersonChangesTable {
  slack_user_id: string;
  changed_at: Timestamp;
  deactivated_at: NullableTimestamp;
  left_notified_at: NullableTimestamp;
}

/**
 * What Slack refused to deliver for good, by conversation (a channel id, or a DM's user id)
 * and ledger key; resolved when a later post there goes through (src/services/undelivered.ts).
 */
export interface SlackRefusalsTable {
  id: GeneratedBigId;
  conversation: string;
  post_key: string;
  /** Slack's error code (not_in_channel, is_archived, account_inactive…). */
  reason: string;
  first_refused_at: Date;
  last_refused_at: Date;
  resolved_at: NullableTimestamp;
}

/** Job requests written with the change that owes them; a relay delivers them to BullMQ. */
export interface JobOutboxTable {
  id: GeneratedBigId;
  job_name: string;
  payload: Json<Record<string, unknown>>;
  run_at: Timestamp;
  debounce_ms: number | null;
  created_at: Timestamp;
  delivered_at: NullableTimestamp;
  job_id: string | null;
  attempts: Generated<number>;
  last_error: string | null;
}

/** Which ledger key posts a chart picture in a channel (post-charts' "already shown"). */
export interface ChartFingerprintsTable {
  channel_id: string;
  fingerprint: string;
  post_key: string;
  created_at: Timestamp;
  /** What the picture showed when claimed (`shownForm`); null for a claim from before it was kept. */
  shown: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface Database {
  workspace_settings: WorkspaceSettingsTable;
  families: FamiliesTable;
  members: MembersTable;
  member_families: MemberFamiliesTable;
  resources: ResourcesTable;
  resource_loads: ResourceLoadsTable;
  sales_history: SalesHistoryTable;
  inventory_snapshots: InventorySnapshotsTable;
  budget: BudgetTable;
  resource_capacities: ResourceCapacitiesTable;
  family_period_costs: FamilyPeriodCostsTable;
  resource_period_costs: ResourcePeriodCostsTable;
  cycles: CyclesTable;
  baseline_models: BaselineModelsTable;
  baseline_forecasts: BaselineForecastsTable;
  forecast_adjustments: ForecastAdjustmentsTable;
  no_change_declarations: NoChangeDeclarationsTable;
  capacity_updates: CapacityUpdatesTable;
  plan_runs: PlanRunsTable;
  plan_scenarios: PlanScenariosTable;
  cycle_scenarios: CycleScenariosTable;
  plan_family_results: PlanFamilyResultsTable;
  plan_resource_results: PlanResourceResultsTable;
  plan_resource_duals: PlanResourceDualsTable;
  plan_family_duals: PlanFamilyDualsTable;
  polls: PollsTable;
  poll_options: PollOptionsTable;
  votes: VotesTable;
  decisions: DecisionsTable;
  actions: ActionsTable;
  break_dispositions: BreakDispositionsTable;
  slack_posts: SlackPostsTable;
  audit_log: AuditLogTable;
  processed_requests: ProcessedRequestsTable;
  forecast_snapshots: ForecastSnapshotsTable;
  production_actuals: ProductionActualsTable;
  order_lines: OrderLinesTable;
  weekly_actuals: WeeklyActualsTable;
  supplier_receipts: SupplierReceiptsTable;
  deviations: DeviationsTable;
  slack_user_names: SlackUserNamesTable;
  slack_dm_channels: SlackDmChannelsTable;
  home_viewers: HomeViewersTable;
  company_holidays: CompanyHolidaysTable;
  reminder_digest_items: ReminderDigestItemsTable;
  slack_refusals: SlackRefusalsTable;
  slack_person_changes: SlackPersonChangesTable;
  job_outbox: JobOutboxTable;
  chart_fingerprints: ChartFingerprintsTable;
}

export type FamilyRow = Selectable<FamiliesTable>;
export type ResourceRow = Selectable<ResourcesTable>;
export type CycleRow = Selectable<CyclesTable>;
export type SettingsRow = Selectable<WorkspaceSettingsTable>;
export type HolidayRow = Selectable<CompanyHolidaysTable>;
export type AdjustmentRow = Selectable<ForecastAdjustmentsTable>;
export type NewAdjustment = Insertable<ForecastAdjustmentsTable>;
export type CapacityUpdateRow = Selectable<CapacityUpdatesTable>;
export type PlanRunRow = Selectable<PlanRunsTable>;
export type PlanScenarioRow = Selectable<PlanScenariosTable>;
export type PollRow = Selectable<PollsTable>;
export type VoteRow = Selectable<VotesTable>;
export type DecisionRow = Selectable<DecisionsTable>;
export type ActionRow = Selectable<ActionsTable>;
