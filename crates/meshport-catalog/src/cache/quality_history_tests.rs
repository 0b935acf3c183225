//! A check's history in the cache: a point per run from each quality summary the feed brings, the
//! 90 days the platform's report fills in once per product, and what is pruned.

use serde_json::{Value, json};

use super::*;

/// A time `days` ago, as the platform writes times.
fn ago(days: i64) -> String {
    let at = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(days * 24);
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn summary(product: &str, at: &str, value: f64) -> Value {
    json!({"productId": product, "lastRunAt": at, "passed": 1, "failed": 1, "warnings": 0, "errors": 0,
        "latest": [{"at": at, "status": "passed", "value": 812.0}, {"at": at, "status": "failed", "value": value}],
        "checks": ["rows", "channel"], "slos": []})
}

fn change(seq: i64, entity: ChangeEntity, id: &str, document: Option<Value>) -> Change {
    Change {
        seq,
        at: "2025-03-01T10:00:00Z".into(),
        entity,
        id: id.into(),
        deleted: document.is_none(),
        document,
    }
}

fn page(changes: Vec<Change>) -> ChangePage {
    let next = changes.last().map_or(0, |c| c.seq);
    ChangePage {
        changes,
        next,
        has_more: false,
    }
}

#[tokio::test]
async fn each_run_in_the_feed_adds_a_point_and_the_report_fills_ninety_days() {
    let cache = Cache::open_in_memory().await.unwrap();
    let (day2, day1) = (ago(2), ago(1));
    cache
        .page_apply(
            "p",
            &page(vec![change(
                1,
                ChangeEntity::Quality,
                "orders",
                Some(summary("orders", &day2, 1.5)),
            )]),
        )
        .await
        .unwrap();
    cache
        .page_apply(
            "p",
            &page(vec![change(
                2,
                ChangeEntity::Quality,
                "orders",
                Some(summary("orders", &day1, 4.1)),
            )]),
        )
        .await
        .unwrap();
    let trends = cache.quality_history("orders", 7, None).await.unwrap();
    assert_eq!(
        trends.iter().map(|t| t.check.as_str()).collect::<Vec<_>>(),
        ["channel", "rows"]
    );
    let channel = &trends[0];
    assert_eq!(
        channel.points.iter().map(|p| p.value).collect::<Vec<_>>(),
        [Some(1.5), Some(4.1)]
    );
    assert_eq!(channel.points[1].status, CheckStatus::Failed);
    assert_eq!(channel.threshold, None, "no threshold before the report");

    // Once per product, the report's 90 days: older points join, none twice, thresholds come.
    assert_eq!(cache.quality_backfill_due(10).await.unwrap(), ["orders"]);
    let old = |days| QualityPoint {
        at: ago(days),
        status: CheckStatus::Passed,
        value: Some(0.0),
    };
    let history = vec![QualityHistory {
        check: "channel".into(),
        points: vec![
            old(100),
            old(60),
            old(20),
            QualityPoint {
                at: day1.clone(),
                status: CheckStatus::Failed,
                value: Some(4.1),
            },
        ],
    }];
    let check = QualityCheck {
        check: "channel".into(),
        port: "order-lines".into(),
        object: "order_lines".into(),
        property: Some("channel".into()),
        index: 0,
        kind: "library".into(),
        metric: Some("invalidValues".into()),
        description: None,
        dimension: None,
        severity: "error".into(),
        threshold: "mustBeLessThan 1".into(),
        unit: "percent".into(),
    };
    cache
        .quality_history_put("orders", &[check], &history)
        .await
        .unwrap();
    assert!(cache.quality_backfill_due(10).await.unwrap().is_empty());
    let ninety = cache
        .quality_history("orders", 90, Some("channel"))
        .await
        .unwrap();
    assert_eq!(ninety.len(), 1, "one check asked for");
    assert_eq!(ninety[0].threshold.as_deref(), Some("mustBeLessThan 1"));
    assert_eq!(ninety[0].unit.as_deref(), Some("percent"));
    assert_eq!(
        ninety[0].points.len(),
        4,
        "60 and 20 days ago, the two runs; 100 days is outside: {:?}",
        ninety[0].points
    );
    assert_eq!(
        cache
            .quality_history("orders", 30, Some("channel"))
            .await
            .unwrap()[0]
            .points
            .len(),
        3
    );
    assert_eq!(
        cache.quality_history("orders", 7, Some("channel")).await.unwrap()[0]
            .points
            .len(),
        2
    );

    // A sync prunes what is older than 90 days, and the history of a product gone from the cache.
    cache.sync_succeeded(&ago(0)).await.unwrap();
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM quality_points WHERE product_id = 'orders'")
        .fetch_one(&cache.pool)
        .await
        .unwrap();
    assert_eq!(
        kept, 6,
        "the 100-day point is pruned: 4 points of channel and 2 of rows stay"
    );
    cache
        .page_apply("p", &page(vec![change(3, ChangeEntity::Quality, "orders", None)]))
        .await
        .unwrap();
    cache.sync_succeeded(&ago(0)).await.unwrap();
    assert!(
        cache
            .quality_history("orders", 90, None)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(cache.quality_backfill_due(10).await.unwrap().is_empty());
}
