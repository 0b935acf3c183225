-- A submit refuses a second job for a product while one is queued or running; without this index
-- that question read every queued job, so each submit cost more the longer the queue behind it.
CREATE INDEX jobs_by_product ON jobs (product_id, state);
