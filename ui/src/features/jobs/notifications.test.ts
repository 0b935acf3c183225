import { describe, expect, it } from 'vitest';
import type { OutboxItem } from '../../bindings';
import { jobEndedText, jobsEnded } from './queries';

function item(id: string, extra: Partial<OutboxItem> = {}): OutboxItem {
  return {
    id,
    profile: 'work',
    productId: `p-${id}`,
    name: `Product ${id}`,
    idempotencyKey: `k-${id}`,
    state: 'delivered',
    attempts: 1,
    submittedAt: '2025-03-01T10:00:00Z',
    jobId: `job-${id}`,
    jobState: 'running',
    ...extra,
  };
}

describe('job notifications', () => {
  it('name the jobs that ended since the last read, once', () => {
    const before = new Map([
      ['a', 'running'],
      ['b', 'running'],
      ['c', 'succeeded'],
      ['d', ''],
    ]);
    const now = [
      item('a', { jobState: 'succeeded' }),
      item('b', { jobState: 'running' }),
      // Ended before the last read: already told.
      item('c', { jobState: 'succeeded' }),
      item('d', { jobState: 'failed', lastError: 'disk full' }),
      // Never delivered: no job to speak of.
      item('e', { state: 'queued', jobState: undefined, jobId: undefined }),
    ];
    expect(jobsEnded(now, before).map((i) => i.id)).toEqual(['a', 'd']);
    // A job retried after it failed, and ended again, is told again.
    expect(jobsEnded([item('d', { jobState: 'succeeded' })], new Map([['d', 'running']])).map((i) => i.id)).toEqual(['d']);
  });

  it('say what happened', () => {
    expect(jobEndedText(item('a', { jobState: 'succeeded' }))).toBe('“Product a” is provisioned.');
    expect(jobEndedText(item('a', { jobState: 'failed', lastError: 'disk full' }))).toBe(
      'The job of “Product a” failed: disk full',
    );
    expect(jobEndedText(item('a', { jobState: 'cancelled' }))).toBe('The job of “Product a” was cancelled.');
  });
});
