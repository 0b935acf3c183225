//! The stewards' home ("Quality"): products by health, the checks failing now, SLO attainment and the
//! open incidents, across the domains the user stewards, read in one snapshot. Each figure is one
//! statement over the products, the counts kept beside each quality summary and the checks failing
//! now (migration 0006: no summary is opened to read them) and the incidents; `benches/views.rs` times it on
//! 100,000 products.

use meshport_model::offline::{FailingCheck, HealthCounts, ProductHealth, QualityHome, SloCounts};
use meshport_model::trust::Incident;
use sqlx::Row;

use super::{Cache, typed, user_roles_in};
use crate::Result;

/// A product `p` of the domains shown: `?1` is a JSON array of domains, `["*"]` for every domain.
const IN_DOMAINS: &str = "(?1 = '[\"*\"]' OR p.domain IN (SELECT value FROM json_each(?1)))";

impl Cache {
    /// The stewards' home across the domains the user stewards; across every domain when the user
    /// stewards none (or `*`).
    pub async fn quality_home(&self) -> Result<QualityHome> {
        let mut tx = self.pool.begin().await?;
        let roles = user_roles_in(&mut tx).await?;
        let mut stewarded: Vec<String> = roles
            .iter()
            .flat_map(|r| r.roles.iter())
            .filter(|r| r.role == "steward")
            .map(|r| r.domain.to_lowercase())
            .collect();
        stewarded.sort();
        stewarded.dedup();
        let domains = if stewarded.is_empty() || stewarded.iter().any(|d| d == "*") {
            vec!["*".to_owned()]
        } else {
            stewarded.clone()
        };
        let filter = serde_json::to_string(&domains).expect("strings always serialize");

        let total: i64 = if domains == ["*"] {
            sqlx::query_scalar("SELECT COUNT(*) FROM products")
                .fetch_one(&mut *tx)
                .await?
        } else {
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM products p WHERE {IN_DOMAINS}"
            )))
            .bind(&filter)
            .fetch_one(&mut *tx)
            .await?
        };
        // The measured products and their SLOs, from the counts kept beside each summary.
        let counts = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) AS measured, COALESCE(SUM(q.failed > 0), 0) AS failing, \
               COALESCE(SUM(q.slos_met), 0) AS met, COALESCE(SUM(q.slos_at_risk), 0) AS at_risk, \
               COALESCE(SUM(q.slos_breached), 0) AS breached, COALESCE(SUM(q.slos_unknown), 0) AS unknown \
             FROM quality q JOIN products p ON p.id = q.product_id WHERE {IN_DOMAINS}"
        )))
        .bind(&filter)
        .fetch_one(&mut *tx)
        .await?;
        let count = |name: &str| -> Result<u64> { Ok(counts.try_get::<i64, _>(name)?.max(0) as u64) };
        let (measured, failing) = (count("measured")?, count("failing")?);
        let products = HealthCounts {
            total: total.max(0) as u64,
            healthy: measured - failing,
            failing,
            unmeasured: (total.max(0) as u64).saturating_sub(measured),
        };
        let slos = SloCounts {
            met: count("met")?,
            at_risk: count("at_risk")?,
            breached: count("breached")?,
            unknown: count("unknown")?,
        };

        let failing_products = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT p.id, p.name, p.domain, q.failed, q.passed, q.last_run_at, \
               (SELECT COUNT(*) FROM incidents i WHERE i.product_id = p.id AND i.state <> 'resolved') AS open_incidents \
             FROM quality q JOIN products p ON p.id = q.product_id \
             WHERE q.failed > 0 AND {IN_DOMAINS} \
             ORDER BY q.failed DESC, q.last_run_at DESC, p.id LIMIT 50"
        )))
        .bind(&filter)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|row| {
            Ok(ProductHealth {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                domain: row.try_get("domain")?,
                failed: row.try_get::<i64, _>("failed")?.max(0) as u64,
                passed: row.try_get::<i64, _>("passed")?.max(0) as u64,
                last_run_at: row.try_get::<Option<String>, _>("last_run_at")?.unwrap_or_default(),
                open_incidents: row.try_get::<i64, _>("open_incidents")?.max(0) as u64,
            })
        })
        .collect::<Result<Vec<_>>>()?;

        let failing_checks = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT p.id, p.name, p.domain, f.check_id, f.value, f.at \
             FROM quality_failing f JOIN products p ON p.id = f.product_id WHERE {IN_DOMAINS} \
             ORDER BY f.at DESC, p.id, f.check_id LIMIT 100"
        )))
        .bind(&filter)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|row| {
            Ok(FailingCheck {
                product_id: row.try_get("id")?,
                product_name: row.try_get("name")?,
                domain: row.try_get("domain")?,
                check: row.try_get("check_id")?,
                value: row.try_get("value")?,
                at: row.try_get("at")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let failing_checks_total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM quality_failing f JOIN products p ON p.id = f.product_id WHERE {IN_DOMAINS}"
        )))
        .bind(&filter)
        .fetch_one(&mut *tx)
        .await?;

        let incidents_where = "state <> 'resolved' AND \
             (?1 = '[\"*\"]' OR lower(document ->> '$.domain') IN (SELECT value FROM json_each(?1)))";
        let open: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT id, document FROM incidents WHERE {incidents_where} \
             ORDER BY document ->> '$.updatedAt' DESC, id LIMIT 50"
        )))
        .bind(&filter)
        .fetch_all(&mut *tx)
        .await?;
        let open_incidents_total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM incidents WHERE {incidents_where}"
        )))
        .bind(&filter)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;

        Ok(QualityHome {
            user: roles.map(|r| r.user),
            stewarded: !stewarded.is_empty(),
            domains,
            products,
            failing_products,
            failing_checks,
            failing_checks_total: failing_checks_total.max(0) as u64,
            slos,
            open_incidents: open
                .iter()
                .map(|(id, d)| typed::<Incident>(d, id))
                .collect::<Result<_>>()?,
            open_incidents_total: open_incidents_total.max(0) as u64,
        })
    }
}
