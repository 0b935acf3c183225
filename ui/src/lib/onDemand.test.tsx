import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ErrorBoundary } from '../components/ui/ErrorBoundary';
import { onDemand } from './onDemand';

function Shown({ code }: { code: ReturnType<typeof onDemand<{ text: string }>> }) {
  const module = code.useLoaded();
  return <p>{module ? module.text : 'Loading…'}</p>;
}

describe('onDemand', () => {
  it('loads once, and shows a module loaded before at the first render', async () => {
    const load = vi.fn(() => Promise.resolve({ text: 'The chart' }));
    const code = onDemand(load);
    const first = render(<Shown code={code} />);
    expect(screen.getByText('Loading…')).toBeTruthy();
    expect(await screen.findByText('The chart')).toBeTruthy();
    first.unmount();
    // Preloaded and loaded: no placeholder, no second load.
    await code.preload();
    render(<Shown code={code} />);
    expect(screen.getByText('The chart')).toBeTruthy();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('throws a failed load to the error boundary, and loads again the next time', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const load = vi
      .fn<() => Promise<{ text: string }>>()
      .mockRejectedValueOnce(new Error('chunk missing'))
      .mockResolvedValueOnce({ text: 'The graph' });
    const code = onDemand(load);
    const failed = render(
      <ErrorBoundary what="The graph">
        <Shown code={code} />
      </ErrorBoundary>,
    );
    expect(await screen.findByText(/chunk missing/)).toBeTruthy();
    failed.unmount();
    render(<Shown code={code} />);
    expect(await screen.findByText('The graph')).toBeTruthy();
    expect(load).toHaveBeenCalledTimes(2);
  });
});
