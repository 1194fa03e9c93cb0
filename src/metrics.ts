/**
 * Prometheus metrics, by prom-client: the process's own (CPU, memory, handles, GC, event-loop
 * delay), and sopbot's. Each process keeps a registry of its own (no global one), served on
 * its own port:
 * - the worker: queue depth per queue and state, read from Redis at scrape time; the time
 *   spent on each job attempt, per job name and outcome;
 * - the bot: how long a listener took to ack, listener errors, and enqueues that failed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App, ReceiverEvent } from '@slack/bolt';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { JobQueue } from '../jobs/contracts.js';
import { listenNamingPort, type PortOwner } from './errors.js';

/** Seconds. */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** Seconds; Slack wants an ack within 3. */
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3];

export type JobOutcome = 'completed' | 'failed' | 'delayed';

export interface QueueDepthSource {
  readonly name: string;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
}

const QUEUE_STATES = [
  'waiting',
  'active',
  'delayed',
  'waiting-children',
  'prioritized',
  'failed',
  'completed',
] as const;

export class Metrics {
  readonly registry = new Registry();
  private readonly jobs: Histogram<'job' | 'outcome'>;
  private readonly acks: Histogram<'kind'>;
  private readonly handlerErrors: Counter<'kind'>;
  private readonly enqueueFailures: Counter<'job'>;

  constructor(queues: readonly QueueDepthSource[] = []) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'sopbot_queue_jobs',
      help: 'Jobs in each queue by state.',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        for (const q of queues) {
          const counts = await q.getJobCounts(...QUEUE_STATES);
          for (const state of QUEUE_STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
        }
      },
    });
    this.jobs = new Histogram({
      name: 'sopbot_job_duration_seconds',
      help: 'Time a worker spent on one job attempt.',
      labelNames: ['job', 'outcome'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.acks = new Histogram({
      name: 'sopbot_ack_seconds',
      help: 'Time from the bot receiving a request to its listener acking it, by kind of request.',
      labelNames: ['kind'],
      buckets: ACK_BUCKETS,
      registers,
    });
    this.handlerErrors = new Counter({
      name: 'sopbot_handler_errors_total',
      help: 'Listeners that ended in an error, by kind of request.',
      labelNames: ['kind'],
      registers,
    });
    this.enqueueFailures = new Counter({
      name: 'sopbot_enqueue_failures_total',
      help: 'Jobs that could not be enqueued (Redis down, a payload refused), by job name.',
      labelNames: ['job'],
      registers,
    });
  }

  observeJob(name: string, outcome: JobOutcome, seconds: number): void {
    this.jobs.observe({ job: name, outcome }, seconds);
  }

  observeAck(kind: string, seconds: number): void {
    this.acks.observe({ kind }, seconds);
  }

  countHandlerError(kind: string): void {
    this.handlerErrors.inc({ kind });
  }

  countEnqueueFailure(job: string): void {
    this.enqueueFailures.inc({ job });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}

/** The same queue, counting the enqueues that fail (the error still reaches the caller). */
export function countingEnqueueFailures<Q extends JobQueue>(queue: Q, metrics: Metrics): Q {
  return {
    ...queue,
    enqueue: ((name, input, opts) =>
      queue.enqueue(name, input, opts).catch((err: unknown) => {
        metrics.countEnqueueFailure(name);
        throw err;
      })) as JobQueue['enqueue'],
  };
}

/** What a Slack request is, as a label: `slash_command`, `block_actions`, `view_submission`... */
function requestKind(body: unknown): string {
  const b = (body ?? {}) as { command?: unknown; type?: unknown };
  if (typeof b.command === 'string') return 'slash_command';
  return typeof b.type === 'string' ? b.type : 'unknown';
}

/**
 * A handler module for the Bolt app (SlackAppOptions.modules). It times each ack from the
 * moment the receiver hands the request to the app (`App.processEvent`, which both the HTTP
 * and the Socket Mode receivers call), and counts the listeners that throw with a global
 * middleware (the error goes on to the app's error handler). Bolt gives each middleware a
 * copy of the request's arguments, so the ack can only be wrapped where the event enters.
 */
export function slackMetricsModule(metrics: Metrics): { register(app: App): void } {
  return {
    register(app) {
      const processEvent = app.processEvent.bind(app);
      app.processEvent = (event: ReceiverEvent) => {
        const started = performance.now();
        const kind = requestKind(event.body);
        return processEvent({
          ...event,
          ack: (response) => {
            metrics.observeAck(kind, (performance.now() - started) / 1000);
            return event.ack(response);
          },
        });
      };
      app.use(async ({ body, next }) => {
        try {
          await next();
        } catch (err) {
          metrics.countHandlerError(requestKind(body));
          throw err;
        }
      });
    },
  };
}

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The endpoint a process asked for: the option when given (a port, 0 for any free one, or
 * null for none), else the configured port, where 0 turns the endpoint off.
 */
export function serveMetricsIfAsked(
  metrics: Metrics,
  option: number | null | undefined,
  configured: number,
  owner: PortOwner,
): Promise<MetricsServer | null> {
  const port = option === undefined ? (configured > 0 ? configured : null) : option;
  return port === null
    ? Promise.resolve(null)
    : listenNamingPort(serveMetrics(metrics, port), port, owner);
}

/** Serves GET /metrics. Port 0 picks a free port. */
export async function serveMetrics(metrics: Metrics, port: number): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404).end('not found\n');
      return;
    }
    metrics.render().then(
      (body) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(body);
      },
      (err: unknown) => {
        res.writeHead(500).end(`metrics unavailable: ${String(err)}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
