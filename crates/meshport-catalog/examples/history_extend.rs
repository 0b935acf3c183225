//! Extends the quality history a cache holds for one product back to `DAYS` days: each of its
//! checks gets a point a day before its earliest one, with that point's status and a value that
//! wanders around it. `cargo xtask bench-desktop` uses it to time the product page in the window
//! with 90 days of every check of the demo's Order Lines (synced for real, then extended here).
//!
//! `cargo run -p meshport-catalog --example history_extend -- CACHE.db PRODUCT_ID DAYS`

use std::path::PathBuf;
use std::process::ExitCode;

use meshport_catalog::cache::Cache;
use meshport_model::trust::{QualityHistory, QualityPoint};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, product, days] = args.as_slice() else {
        eprintln!("usage: history_extend CACHE.db PRODUCT_ID DAYS");
        return ExitCode::from(2);
    };
    let Ok(days) = days.parse::<i64>() else {
        eprintln!("DAYS: a number of days, such as 90");
        return ExitCode::from(2);
    };
    match extend(&PathBuf::from(path), product, days).await {
        Ok((checks, points)) => {
            println!("{product}: {checks} checks, {points} points added, {days} days of history");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

async fn extend(
    path: &std::path::Path,
    product: &str,
    days: i64,
) -> Result<(usize, usize), Box<dyn std::error::Error>> {
    let cache = Cache::open(path).await?;
    let trends = cache.quality_history(product, 90, None).await?;
    if trends.is_empty() {
        return Err(format!("the cache holds no quality history of {product}").into());
    }
    let oldest = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * days);
    let mut added = 0;
    let history: Vec<QualityHistory> = trends
        .iter()
        .filter_map(|trend| {
            let first = trend.points.first()?;
            let from: jiff::Timestamp = first.at.parse().ok()?;
            let points: Vec<QualityPoint> = (1..)
                .map(|day| (day, from - jiff::SignedDuration::from_hours(24 * day)))
                .take_while(|(_, at)| *at > oldest)
                .map(|(day, at)| QualityPoint {
                    at: at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
                    status: first.status,
                    // Within 2 % of the first value, so that the line is not flat.
                    value: first
                        .value
                        .map(|v| v * (1.0 + 0.02 * ((day * 37 % 11) as f64 - 5.0) / 5.0)),
                })
                .collect();
            added += points.len();
            Some(QualityHistory {
                check: trend.check.clone(),
                points,
            })
        })
        .collect();
    cache.quality_history_put(product, &[], &history).await?;
    Ok((trends.len(), added))
}
