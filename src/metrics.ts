/**
 * Prometheus metrics of the worker, in the text exposition format (no client library: two
 * metric families do not justify a dependency). Queue depth is read from Redis at scrape
 * time; job durations are a histogram per job name and outcome.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Seconds. */
export const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] as const;

export type JobOutcome = 'completed' | 'failed' | 'delayed';

interface Series {
  readonly counts: number[];
  sum: number;
  count: number;
}

export interface QueueDepthSource {
  readonly name: string;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
}

export const QUEUE_STATES = [
  'waiting',
  'active',
  'delayed',
  'waiting-children',
  'prioritized',
  'failed',
  'completed',
] as const;

export class Metrics {
  private readonly series = new Map<string, Series>();

  constructor(private readonly queues: readonly QueueDepthSource[] = []) {}

  observeJob(name: string, outcome: JobOutcome, seconds: number): void {
    const key = `${name}\u0000${outcome}`;
    let s = this.series.get(key);
    if (!s) {
      s = { counts: DURATION_BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    DURATION_BUCKETS.forEach((le, i) => {
      if (seconds <= le) s.counts[i] = (s.counts[i] ?? 0) + 1;
    });
    s.sum += seconds;
    s.count += 1;
  }

  async render(): Promise<string> {
    const lines: string[] = [
      '# HELP sopbot_queue_jobs Jobs in each queue by state.',
      '# TYPE sopbot_queue_jobs gauge',
    ];
    for (const q of this.queues) {
      const counts = await q.getJobCounts(...QUEUE_STATES);
      for (const state of QUEUE_STATES)
        lines.push(
          `sopbot_queue_jobs{queue="${esc(q.name)}",state="${state}"} ${counts[state] ?? 0}`,
        );
    }
    lines.push(
      '# HELP sopbot_job_duration_seconds Time a worker spent on one job attempt.',
      '# TYPE sopbot_job_duration_seconds histogram',
    );
    for (const [key, s] of [...this.series.entries()].sort()) {
      const [name = '', outcome = ''] = key.split('\u0000');
      const labels = `job="${esc(name)}",outcome="${outcome}"`;
      DURATION_BUCKETS.forEach((le, i) => {
        lines.push(`sopbot_job_duration_seconds_bucket{${labels},le="${le}"} ${s.counts[i] ?? 0}`);
      });
      lines.push(`sopbot_job_duration_seconds_bucket{${labels},le="+Inf"} ${s.count}`);
      lines.push(`sopbot_job_duration_seconds_sum{${labels}} ${s.sum}`);
      lines.push(`sopbot_job_duration_seconds_count{${labels}} ${s.count}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
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
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
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
