/** CloudWatch units the handlers use. */
export type MetricUnit = 'Count' | 'Milliseconds';

/**
 * Metrics in CloudWatch Embedded Metric Format: one JSON line per invocation on stdout, which CloudWatch Logs turns
 * into metrics asynchronously — no PutMetricData call on the request path and no metrics library at cold start.
 */
export class Metrics {
  private readonly values = new Map<string, { unit: MetricUnit; value: number }>();

  constructor(private readonly namespace: string, private readonly service: string) {}

  /** Adds `value` to the metric in the current invocation's document. */
  add(name: string, unit: MetricUnit, value: number): void {
    const current = this.values.get(name);
    this.values.set(name, { unit, value: (current?.value ?? 0) + value });
  }

  /** Writes the invocation's metrics (dimension: service) and starts a new document. */
  flush(properties: Record<string, unknown> = {}): void {
    if (this.values.size === 0) return;
    const document: Record<string, unknown> = {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [{
          Namespace: this.namespace,
          Dimensions: [['service']],
          Metrics: [...this.values].map(([name, { unit }]) => ({ Name: name, Unit: unit })),
        }],
      },
      service: this.service,
      ...properties,
    };
    for (const [name, { value }] of this.values) document[name] = value;
    this.values.clear();
    process.stdout.write(`${JSON.stringify(document)}\n`);
  }
}
