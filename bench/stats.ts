// Summaries and plain-text tables for the benchmark's printout.

export interface Summary {
  count: number;
  mean: number;
  p50: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles: with few samples p99 is the worst one, which is the honest reading. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { count: 0, mean: 0, p50: 0, p99: 0, max: 0 };
  const ordered = [...values].sort((a, b) => a - b);
  const rank = (p: number) => ordered[Math.min(ordered.length - 1, Math.max(0, Math.ceil((p / 100) * ordered.length) - 1))] as number;
  return {
    count: ordered.length,
    mean: ordered.reduce((sum, v) => sum + v, 0) / ordered.length,
    p50: rank(50),
    p99: rank(99),
    max: ordered[ordered.length - 1] as number,
  };
}

/** Left-aligns the first `textColumns` columns (default 1) and right-aligns the rest; the first row is the header. */
export function table(rows: readonly (readonly string[])[], textColumns = 1): string {
  const widths = (rows[0] ?? []).map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]) =>
    row.map((cell, column) => (column < textColumns ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  const [header, ...body] = rows;
  return [line(header ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function ms(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(1)}×` : '∞';
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

export function verdict(met: boolean): string {
  return met ? 'MET' : 'NOT MET';
}
