import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { ErrorBanner } from '../../components/ui/ErrorBanner';
import { clockTime } from '../../lib/format';
import { cancelJob, getJob, retryJob, toIpcError } from '../../lib/ipc';
import type { JobStep, ProvisioningJob } from '../../lib/ipc';
import { paths } from '../../lib/paths';
import { outboxKeys } from './queries';

/** How often a job that has not finished is read again. */
export const JOB_POLL_MS = 1_000;

const FINAL = new Set<ProvisioningJob['state']>(['succeeded', 'failed', 'cancelled']);

export const jobKeys = {
  detail: (id: string) => ['jobs', id] as const,
};

const STEP_LABEL: Record<JobStep['status'], string> = {
  pending: 'Pending',
  running: 'Running',
  succeeded: 'Done',
  failed: 'Failed',
  skipped: 'Skipped',
};

/** A step's name as people read it: `provision:orders` is "Provision port orders". */
function stepTitle(name: string): string {
  const [kind, rest] = name.split(/:(.*)/s);
  const words: Record<string, string> = {
    validate: 'Validate',
    plan: 'Plan',
    provision: 'Provision port',
    port: 'Provision port',
    register: 'Register',
    publish: 'Publish',
    unprovision: 'Unprovision',
  };
  const word = words[kind ?? ''] ?? name;
  return rest ? `${word} ${rest}` : word;
}

/** The page of one provisioning job: its steps as they run, with cancel and retry where they apply. */
export function JobPage() {
  const { jobId = '' } = useParams();
  const queryClient = useQueryClient();
  const job = useQuery({
    queryKey: jobKeys.detail(jobId),
    queryFn: () => getJob(jobId),
    refetchInterval: (query) => (query.state.data && FINAL.has(query.state.data.state) ? false : JOB_POLL_MS),
  });
  const act = useMutation({
    mutationFn: (action: 'cancel' | 'retry') => (action === 'cancel' ? cancelJob(jobId) : retryJob(jobId)),
    onSuccess: (next) => {
      queryClient.setQueryData(jobKeys.detail(jobId), next);
      void queryClient.invalidateQueries({ queryKey: outboxKeys.all });
    },
  });

  const data = job.data;
  return (
    <div className="page">
      <section className="panel job-page" aria-labelledby="job-heading" data-testid="job-page">
        <div className="panel-head">
          <h2 id="job-heading">{data ? `Job of “${data.productName}”` : 'Job'}</h2>
          <Link to={paths.jobs} className="btn btn-ghost">
            All jobs
          </Link>
        </div>
        {job.isError ? (
          <ErrorBanner
            title="The job could not be read."
            error={toIpcError(job.error)}
            onRetry={() => void job.refetch()}
          />
        ) : null}
        {act.isError ? (
          <ErrorBanner
            title="The platform did not take the action."
            error={toIpcError(act.error)}
            onDismiss={() => act.reset()}
          />
        ) : null}
        {!data && !job.isError ? <p className="empty">Reading the job…</p> : null}
        {data ? (
          <>
            <dl className="job-facts">
              <div>
                <dt>State</dt>
                <dd>
                  <span
                    className={`badge job-badge-${data.state}`}
                    data-testid="job-state"
                    data-state={data.state}
                    role="status"
                    aria-live="polite"
                  >
                    {data.state}
                    {data.cancelRequested && !FINAL.has(data.state) ? ' (cancel asked)' : ''}
                  </span>
                </dd>
              </div>
              <div>
                <dt>Domain</dt>
                <dd>{data.domain}</dd>
              </div>
              <div>
                <dt>Submitted by</dt>
                <dd>{data.submittedBy}</dd>
              </div>
              <div>
                <dt>Attempt</dt>
                <dd>{data.attempt}</dd>
              </div>
              <div>
                <dt>Id</dt>
                <dd className="mono">{data.id}</dd>
              </div>
            </dl>
            {data.error ? (
              <div className="banner banner-error" role="alert" data-testid="job-error">
                <strong>The job failed.</strong> {data.error}
              </div>
            ) : null}
            <ol className="job-steps" aria-label="Steps" data-testid="job-steps">
              {data.steps.map((step) => (
                <li
                  key={step.name}
                  className={`job-step job-step-${step.status}`}
                  data-testid="job-step"
                  data-status={step.status}
                >
                  <div className="job-step-head">
                    <span className={`badge step-badge-${step.status}`}>{STEP_LABEL[step.status] ?? step.status}</span>
                    <span className="job-step-name">{stepTitle(step.name)}</span>
                    <span className="job-step-time">
                      {step.finishedAt
                        ? clockTime(step.finishedAt, '')
                        : step.startedAt
                          ? `since ${clockTime(step.startedAt, '')}`
                          : ''}
                    </span>
                  </div>
                  {(step.messages ?? []).length > 0 ? (
                    <ul className="job-step-messages">
                      {(step.messages ?? []).map((m, i) => (
                        <li key={i}>{m}</li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ol>
            <div className="form-actions">
              {!FINAL.has(data.state) ? (
                <button
                  type="button"
                  className="btn btn-danger"
                  disabled={act.isPending || data.cancelRequested}
                  onClick={() => act.mutate('cancel')}
                >
                  Cancel job
                </button>
              ) : null}
              {data.state === 'failed' || data.state === 'cancelled' ? (
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={act.isPending}
                  onClick={() => act.mutate('retry')}
                >
                  Retry
                </button>
              ) : null}
            </div>
          </>
        ) : null}
      </section>
    </div>
  );
}
