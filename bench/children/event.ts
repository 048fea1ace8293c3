/** Result lines are marked, because the handlers log to stdout too (bench/processes.ts looks for the marker). */
const RESULT_MARKER = 'BENCH_RESULT ';

export function report(result: unknown): void {
  process.stdout.write(`\n${RESULT_MARKER}${JSON.stringify(result)}\n`);
}
