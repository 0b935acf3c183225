import { afterEach, describe, expect, it, vi } from 'vitest';
import { inputTimer, markStage, pageStages } from './measure';

describe('inputTimer', () => {
  afterEach(() => vi.restoreAllMocks());

  it('gives the keydown that led to an input, once', () => {
    const timer = inputTimer();
    vi.spyOn(performance, 'now').mockReturnValue(1_040);
    timer.handlers.onKeyDownCapture({ timeStamp: 1_000 });
    timer.handlers.onInputCapture({ timeStamp: 1_004 });
    expect(timer.peek()).toBe(1_000);
    expect(timer.take()).toBe(1_000);
    expect(timer.take()).toBeNull();
  });

  it('gives an input alone its own time, and not a keydown that typed nothing long before', () => {
    const timer = inputTimer();
    vi.spyOn(performance, 'now').mockReturnValue(5_010);
    timer.handlers.onKeyDownCapture({ timeStamp: 2_000 }); // an arrow key
    timer.handlers.onInputCapture({ timeStamp: 5_000 }); // a paste
    expect(timer.take()).toBe(5_000);
  });

  it('forgets an input no change followed', () => {
    const timer = inputTimer();
    timer.handlers.onInputCapture({ timeStamp: 1_000 });
    vi.spyOn(performance, 'now').mockReturnValue(9_000);
    expect(timer.take()).toBeNull();
  });
});

describe('the page stages', () => {
  it('keeps the first mark of a stage, in the order marked, and leaves other marks out', async () => {
    markStage('script');
    performance.mark('someone-else');
    await new Promise((resolve) => setTimeout(resolve, 5));
    markStage('answer');
    markStage('script');
    const stages = pageStages();
    const ours = Object.keys(stages).filter((name) => name !== 'html');
    expect(ours).toEqual(['script', 'answer']);
    expect(stages.answer).toBeGreaterThan(stages.script ?? Infinity);
    expect(performance.getEntriesByName('meshport:stage:script', 'mark')).toHaveLength(1);
  });
});
