/**
 * Records a performance measure `name` from `started` (a `performance.now()`) until now, keeping the
 * last 1000 of that name: the end-to-end test and the desktop benchmarks read them.
 */
export function measureSince(name: string, started: number) {
  if (typeof performance.measure !== 'function') return;
  if (performance.getEntriesByName(name).length >= 1000) performance.clearMeasures(name);
  performance.measure(name, { start: started, end: performance.now() });
}

/**
 * Runs `then` once the next frame is painted: after its animation frame, and the style, layout and
 * paint that follow it, as the next task. Returns what cancels it.
 */
export function afterPaint(then: () => void): () => void {
  let task: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    task = setTimeout(then, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(task);
  };
}

/**
 * When the user's latest input began, for measures that start at the keystroke rather than at the
 * handler that sees its change (a form library may render the keystroke before it reports it): the
 * `keydown` that led to an `input` event, or the `input` alone (a paste, a choice in a list). Spread
 * `handlers` on the element holding the fields; `take()` gives the time once, to the change it caused.
 */
export function inputTimer() {
  let keyAt: number | null = null;
  let inputAt: number | null = null;
  // An input that changed nothing leaves its time behind: a change much later is not its.
  const peek = (): number | null => (inputAt !== null && performance.now() - inputAt < 1000 ? inputAt : null);
  return {
    handlers: {
      onKeyDownCapture: (e: { timeStamp: number }) => {
        keyAt = e.timeStamp;
      },
      onInputCapture: (e: { timeStamp: number }) => {
        // The keydown of this input, when it came just before it (not a key that typed nothing).
        inputAt = keyAt !== null && e.timeStamp - keyAt < 100 ? keyAt : e.timeStamp;
        keyAt = null;
      },
    },
    take: (): number | null => {
      const at = peek();
      inputAt = null;
      return at;
    },
    /** The time `take()` would give, left for it. */
    peek,
  };
}

const STAGE = 'meshport:stage:';

/**
 * Marks the page's stage `name` (a performance mark), once: a later mark of the same name is left
 * out. The first view reports the stages with its paint (`pageStages`), so that the benchmark can
 * tell where the page's time went: its script, its first reads, React's render, the frame.
 */
export function markStage(name: string) {
  if (typeof performance.mark !== 'function') return;
  if (performance.getEntriesByName(STAGE + name, 'mark').length > 0) return;
  performance.mark(STAGE + name);
}

/**
 * The page's stages so far, in milliseconds since it began: `html` when its document was parsed (the
 * navigation's `domInteractive`), then each `markStage` in the order marked.
 */
export function pageStages(): Record<string, number> {
  const ms = (t: number) => Math.round(t * 10) / 10;
  const stages: Record<string, number> = {};
  if (typeof performance.getEntriesByType !== 'function') return stages;
  const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
  if (navigation && navigation.domInteractive > 0) stages.html = ms(navigation.domInteractive);
  for (const entry of performance.getEntriesByType('mark')) {
    if (entry.name.startsWith(STAGE)) stages[entry.name.slice(STAGE.length)] = ms(entry.startTime);
  }
  return stages;
}
