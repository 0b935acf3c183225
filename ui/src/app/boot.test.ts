import { afterEach, describe, expect, it, vi } from 'vitest';
import { firstView, openOnTheCatalog } from './boot';

function address(hash: string) {
  const location = { hash } as Location;
  const replaceState = vi.fn(
    (_state: unknown, _unused: string, url: string) => {
      location.hash = url;
    },
  );
  const history = { state: { idx: 0 }, replaceState } as unknown as History;
  return { location, history, replaceState };
}

describe('the address the window opens on', () => {
  it('is the catalog when the window was given none', () => {
    for (const hash of ['', '#', '#/']) {
      const { location, history, replaceState } = address(hash);
      openOnTheCatalog(location, history);
      expect(location.hash).toBe('#/catalog');
      // Replaced, not pushed: Back does not lead to an empty view.
      expect(replaceState).toHaveBeenCalledWith({ idx: 0 }, '', '#/catalog');
    }
  });

  it('is left as it is when the window was opened on a view', () => {
    for (const hash of ['#/products/p-1?tab=quality', '#/jobs', '#/catalog']) {
      const { location, history, replaceState } = address(hash);
      openOnTheCatalog(location, history);
      expect(location.hash).toBe(hash);
      expect(replaceState).not.toHaveBeenCalled();
    }
  });
});

describe('when the window renders first', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  async function settledAfter(
    view: Promise<void>,
    ms: number,
  ): Promise<boolean> {
    let settled = false;
    void view.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(ms);
    return settled;
  }

  it('on the catalog, waits for the first search and no longer', async () => {
    vi.useFakeTimers();
    let answer!: () => void;
    const search = new Promise<void>((resolve) => {
      answer = resolve;
    });
    const view = firstView(search, 250, '#/catalog');
    expect(await settledAfter(view, 100)).toBe(false);
    answer();
    expect(await settledAfter(view, 0)).toBe(true);
  });

  it('on the catalog, renders without the answer once the wait is over', async () => {
    vi.useFakeTimers();
    const view = firstView(
      new Promise<void>(() => undefined),
      250,
      '#/catalog',
    );
    expect(await settledAfter(view, 249)).toBe(false);
    expect(await settledAfter(view, 1)).toBe(true);
  });

  it('on any other view, at once', async () => {
    vi.useFakeTimers();
    const view = firstView(
      new Promise<void>(() => undefined),
      250,
      '#/products/p-1',
    );
    expect(await settledAfter(view, 0)).toBe(true);
  });
});
