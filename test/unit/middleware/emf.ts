import { jest } from '@jest/globals';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** An Embedded Metric Format line as CloudWatch reads it from a function's stdout. */
export interface Emf {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

/**
 * The EMF lines a fresh, enabled Metrics instance writes to stdout while `run` uses it (metrics are off in
 * the other tests: test/setup-env.ts), stored metrics flushed at the end as the middleware does.
 */
export function publishedEmf(run: (metrics: Metrics) => void): Emf[] {
  const disabled = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    const metrics = new Metrics({ namespace: 'eksops', serviceName: 'eksops' });
    run(metrics);
    metrics.publishStoredMetrics();
  } finally {
    write.mockRestore();
    process.env.POWERTOOLS_METRICS_DISABLED = disabled;
  }
  return lines.flatMap((line) => line.split('\n')).filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as Emf);
}
