//! Provisioning jobs on the platform: read one, cancel it, retry it. Each answer is also recorded
//! on the outbox submissions that started the job, so the outbox row and the job page agree (a
//! retried job waits again, and the background flush follows it again).

use meshport_catalog::LocalStore;
use meshport_client::Client;
use meshport_model::platform::ProvisioningJob;

use crate::Result;

/// The job `id` as the platform has it now.
pub async fn job_get(store: &LocalStore, client: &Client, id: &str) -> Result<ProvisioningJob> {
    seen(store, client.request_get(id).await?).await
}

/// Cancels the job `id`: a queued job at once, a running one at its next step.
pub async fn job_cancel(store: &LocalStore, client: &Client, id: &str) -> Result<ProvisioningJob> {
    seen(store, client.request_cancel(id).await?).await
}

/// Runs the failed job `id` again, from its first step that did not succeed.
pub async fn job_retry(store: &LocalStore, client: &Client, id: &str) -> Result<ProvisioningJob> {
    seen(store, client.request_retry(id).await?).await
}

/// Starts unprovisioning the product `product_id` (a job of kind `unprovision`). The same
/// `idempotency_key` sent again (a repeated click, a retry after a lost answer) starts nothing new.
pub async fn product_unprovision(
    client: &Client,
    product_id: &str,
    idempotency_key: &str,
) -> Result<ProvisioningJob> {
    Ok(client
        .product_unprovision(product_id, Some(idempotency_key))
        .await?
        .job)
}

async fn seen(store: &LocalStore, job: ProvisioningJob) -> Result<ProvisioningJob> {
    store.outbox_job_seen(&job.id, job.state).await?;
    Ok(job)
}
