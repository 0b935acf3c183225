import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SyncStatus } from '../../bindings';
import { onSyncStatus } from '../../lib/ipc';
import { subscribeSyncStatus } from './subscription';

vi.mock('../../lib/ipc', () => ({ onSyncStatus: vi.fn() }));

const status = (phase: SyncStatus['phase'], lastSuccessAt: string | null = null) =>
  ({ phase, lastSuccessAt }) as SyncStatus;

let emit: (status: SyncStatus) => void = () => {
  throw new Error('not subscribed');
};
let subscribed: (unlisten: () => void) => void = () => undefined;
const unlisten = vi.fn();

beforeEach(() => {
  unlisten.mockReset();
  vi.mocked(onSyncStatus).mockImplementation(
    (handler) =>
      new Promise((resolve) => {
        emit = handler;
        subscribed = resolve;
      }),
  );
});

describe('subscribeSyncStatus', () => {
  it('keeps the events that come before a handler attaches and gives them to it first, in order', async () => {
    const events = subscribeSyncStatus();
    subscribed(unlisten);
    await events.ready;
    emit(status('syncing'));
    emit(status('idle', '2026-12-05T09:00:00Z'));
    const seen: SyncStatus[] = [];
    const detach = events.attach((s) => seen.push(s));
    expect(seen.map((s) => s.phase)).toEqual(['syncing', 'idle']);
    emit(status('offline'));
    expect(seen.map((s) => s.phase)).toEqual(['syncing', 'idle', 'offline']);

    // Detached (a remount), the events are kept again for the next handler, not lost.
    detach();
    emit(status('syncing'));
    const next: SyncStatus[] = [];
    events.attach((s) => next.push(s));
    expect(next.map((s) => s.phase)).toEqual(['syncing']);
    expect(seen).toHaveLength(3);
  });

  it('says it listens once the shell answered the subscription, not before', async () => {
    const events = subscribeSyncStatus();
    expect(events.listening).toBe(false);
    subscribed(unlisten);
    await events.ready;
    expect(events.listening).toBe(true);
  });

  it('stops listening when stopped, even before the shell answered the subscription', async () => {
    const events = subscribeSyncStatus();
    events.stop();
    subscribed(unlisten);
    await events.ready;
    expect(unlisten).toHaveBeenCalledTimes(1);

    const later = subscribeSyncStatus();
    subscribed(unlisten);
    await later.ready;
    later.stop();
    expect(unlisten).toHaveBeenCalledTimes(2);
  });

  it('fails `ready` when the shell refuses the subscription', async () => {
    vi.mocked(onSyncStatus).mockRejectedValue(new Error('no event plugin'));
    const refused = subscribeSyncStatus();
    await expect(refused.ready).rejects.toThrow('no event plugin');
    expect(refused.listening).toBe(false);
  });
});
