import { describe, expect, it } from 'vitest';
import { byteSize } from './format';

describe('byteSize', () => {
  it('shows sizes as file managers do', () => {
    expect(byteSize(0)).toBe('0 bytes');
    expect(byteSize(1)).toBe('1 byte');
    expect(byteSize(999)).toBe('999 bytes');
    expect(byteSize(1000)).toBe('1.0 kB');
    expect(byteSize(4_231_168)).toBe('4.2 MB');
    expect(byteSize(13_100_000)).toBe('13 MB');
    expect(byteSize(2_500_000_000)).toBe('2.5 GB');
  });
});
