// Small statistics and formatting helpers shared by the figures.

/** Median of a list of numbers (the mean of the middle two for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `{ median, min, max, runs }` of a list. */
export function summary(values) {
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    runs: values.length,
  };
}

/** Formats a summary as `median (min–max)` with `digits` decimals and a unit. */
export function fmt(s, unit, digits = 0) {
  const f = (x) => x.toFixed(digits);
  return `${f(s.median)} ${unit} (${f(s.min)}–${f(s.max)})`;
}

/** Throughput summary (MB/s, 1 MB = 10^6 bytes) from times in ms. */
export function throughput(bytes, timesMs) {
  return summary(timesMs.map((ms) => bytes / 1e6 / (ms / 1000)));
}

/** A ratio as `0.87×`. */
export function ratio(x, digits = 2) {
  return `${x.toFixed(digits)}×`;
}
