/**
 * Records a performance measure `name` from `started` (a `performance.now()`) until now, keeping the
 * last 1000 of that name: the end-to-end test and the desktop benchmarks read them.
 */
export function measureSince(name: string, started: number) {
  if (typeof performance.measure !== 'function') return;
  if (performance.getEntriesByName(name).length >= 1000) performance.clearMeasures(name);
  performance.measure(name, { start: started, end: performance.now() });
}
