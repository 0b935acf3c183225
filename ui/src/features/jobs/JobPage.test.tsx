import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { cancelJob, getJob, retryJob } from '../../lib/ipc';
import type { ProvisioningJob } from '../../lib/ipc';
import { JobPage } from './JobPage';

vi.mock('../../lib/ipc', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  getJob: vi.fn(),
  cancelJob: vi.fn(),
  retryJob: vi.fn(),
}));

function job(extra: Partial<ProvisioningJob> = {}): ProvisioningJob {
  return {
    id: 'pr_1',
    kind: 'provision',
    productId: 'p-1',
    productName: 'Returns',
    domain: 'orders',
    state: 'running',
    submittedBy: 'owen',
    createdAt: '2025-03-01T10:00:00Z',
    updatedAt: '2025-03-01T10:00:00Z',
    attempt: 1,
    cancelRequested: false,
    findings: [],
    steps: [
      { name: 'validate', status: 'succeeded', messages: ['3 checks passed'] },
      { name: 'plan', status: 'succeeded', messages: [] },
      { name: 'port:returns', status: 'running', messages: ['creating table returns'] },
      { name: 'register', status: 'pending', messages: [] },
      { name: 'publish', status: 'pending', messages: [] },
    ],
    ...extra,
  };
}

function renderPage() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={['/jobs/pr_1']}>
        <Routes>
          <Route path="/jobs/:jobId" element={<JobPage />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  vi.mocked(getJob).mockReset();
  vi.mocked(cancelJob).mockReset();
  vi.mocked(retryJob).mockReset();
});

describe('a job’s page', () => {
  it('follows the steps live until the job ends', async () => {
    vi.mocked(getJob)
      .mockResolvedValueOnce(job())
      .mockResolvedValue(
        job({
          state: 'succeeded',
          steps: job().steps.map((s) => ({ ...s, status: 'succeeded' as const })),
        }),
      );
    renderPage();
    expect(await screen.findByText('Provision port returns')).toBeTruthy();
    expect(screen.getByText('creating table returns')).toBeTruthy();
    expect(screen.getByTestId('job-state').textContent).toBe('running');
    expect(screen.getByRole('button', { name: 'Cancel job' })).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('job-state').textContent).toBe('succeeded'), { timeout: 3_000 });
    expect(screen.getAllByTestId('job-step').map((s) => s.getAttribute('data-status'))).toEqual(
      Array(5).fill('succeeded'),
    );
    expect(screen.queryByRole('button', { name: 'Cancel job' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
    const reads = vi.mocked(getJob).mock.calls.length;
    await new Promise((r) => setTimeout(r, 1_300));
    expect(vi.mocked(getJob).mock.calls.length).toBe(reads);
  });

  it('shows why a job failed, and retries it', async () => {
    const failed = job({
      state: 'failed',
      error: 'port returns: the adapter could not create the table',
      steps: [
        { name: 'validate', status: 'succeeded', messages: [] },
        { name: 'plan', status: 'succeeded', messages: [] },
        { name: 'port:returns', status: 'failed', messages: ['disk I/O error'] },
        { name: 'register', status: 'skipped', messages: [] },
        { name: 'publish', status: 'skipped', messages: [] },
      ],
    });
    vi.mocked(getJob).mockResolvedValue(failed);
    vi.mocked(retryJob).mockResolvedValue(job({ state: 'queued', attempt: 2 }));
    const user = userEvent.setup();
    renderPage();
    expect((await screen.findByTestId('job-error')).textContent).toContain('the adapter could not create the table');
    expect(screen.getByText('disk I/O error')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(retryJob).toHaveBeenCalledWith('pr_1');
    await waitFor(() => expect(screen.getByTestId('job-state').textContent).toBe('queued'));
  });

  it('says when the platform refuses an action, and keeps the job', async () => {
    vi.mocked(getJob).mockResolvedValue(job());
    vi.mocked(cancelJob).mockRejectedValue({ code: 'conflict', message: 'The job already finished.' });
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole('button', { name: 'Cancel job' }));
    expect((await screen.findByTestId('error-banner')).textContent).toContain('The job already finished.');
    expect(screen.getByText('Provision port returns')).toBeTruthy();
  });
});
