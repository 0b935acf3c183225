//! The stewards' home read from the cache: products by health, failing checks, SLOs and open
//! incidents, across the domains the user stewards.

use serde_json::{Value, json};

use super::*;
use meshport_model::offline::{HealthCounts, SloCounts};
use meshport_model::platform::DomainRole;

fn product(id: &str, domain: &str) -> Value {
    json!({"apiVersion": "v1.0.0", "kind": "DataProduct", "id": id, "name": id.to_uppercase(),
        "domain": domain, "status": "active", "version": "1.0.0"})
}

fn quality(id: &str, failing: &[&str], slo: &str) -> Value {
    let checks = ["rows", "channel", "email"];
    let latest: Vec<Value> = checks
        .iter()
        .map(|c| json!({"at": "2026-12-03T10:00:00Z", "status": if failing.contains(c) { "failed" } else { "passed" }, "value": 1.0}))
        .collect();
    json!({"productId": id, "lastRunAt": "2026-12-03T10:00:00Z", "passed": 3 - failing.len(),
        "failed": failing.len(), "warnings": 0, "errors": 0, "latest": latest, "checks": checks,
        "slos": [{"slo": "freshness", "port": "out", "property": "latency", "status": slo, "detail": "x"}]})
}

fn incident(id: &str, product: &str, domain: &str, state: &str) -> Value {
    json!({"id": id, "productId": product, "productName": product, "domain": domain, "check": "channel",
        "port": "out", "state": state, "severity": "error", "title": "channel failed", "failures": 1,
        "openedAt": "2026-12-01T00:00:00Z", "updatedAt": "2026-12-02T00:00:00Z", "events": []})
}

async fn mesh(roles: &[(&str, &str)]) -> Cache {
    let cache = Cache::open_in_memory().await.unwrap();
    let documents = [
        (ChangeEntity::Product, "lines", product("lines", "orders")),
        (ChangeEntity::Product, "orders", product("orders", "orders")),
        (ChangeEntity::Product, "returns", product("returns", "orders")),
        (ChangeEntity::Product, "attr", product("attr", "marketing")),
        (
            ChangeEntity::Quality,
            "lines",
            quality("lines", &["channel", "email"], "breached"),
        ),
        (ChangeEntity::Quality, "orders", quality("orders", &[], "met")),
        (
            ChangeEntity::Quality,
            "attr",
            quality("attr", &["rows"], "at-risk"),
        ),
        (
            ChangeEntity::Incident,
            "i1",
            incident("i1", "lines", "orders", "open"),
        ),
        (
            ChangeEntity::Incident,
            "i2",
            incident("i2", "lines", "orders", "resolved"),
        ),
        (
            ChangeEntity::Incident,
            "i3",
            incident("i3", "attr", "marketing", "assigned"),
        ),
    ];
    let changes = documents
        .into_iter()
        .enumerate()
        .map(|(n, (entity, id, document))| Change {
            seq: n as i64 + 1,
            at: "2026-12-03T10:00:00Z".into(),
            entity,
            id: id.into(),
            deleted: false,
            document: Some(document),
        })
        .collect();
    cache
        .page_apply(
            "p",
            &ChangePage {
                changes,
                next: 10,
                has_more: false,
            },
        )
        .await
        .unwrap();
    cache
        .user_roles_set(&UserRoles {
            user: "sam".into(),
            roles: roles
                .iter()
                .map(|(role, domain)| DomainRole {
                    role: (*role).into(),
                    domain: (*domain).into(),
                })
                .collect(),
        })
        .await
        .unwrap();
    cache
}

#[tokio::test]
async fn a_steward_of_one_domain_sees_that_domain() {
    let home = mesh(&[("steward", "Orders"), ("consumer", "*")])
        .await
        .quality_home()
        .await
        .unwrap();
    assert_eq!(home.user.as_deref(), Some("sam"));
    assert!(home.stewarded);
    assert_eq!(home.domains, ["orders"]);
    assert_eq!(
        home.products,
        HealthCounts {
            total: 3,
            healthy: 1,
            failing: 1,
            unmeasured: 1
        }
    );
    assert_eq!(home.failing_products.len(), 1);
    let lines = &home.failing_products[0];
    assert_eq!(
        (
            lines.id.as_str(),
            lines.failed,
            lines.passed,
            lines.open_incidents
        ),
        ("lines", 2, 1, 1)
    );
    assert_eq!(home.failing_checks_total, 2);
    let checks: Vec<&str> = home.failing_checks.iter().map(|c| c.check.as_str()).collect();
    assert_eq!(checks, ["channel", "email"]);
    assert_eq!(
        home.slos,
        SloCounts {
            met: 1,
            at_risk: 0,
            breached: 1,
            unknown: 0
        }
    );
    assert_eq!(home.open_incidents_total, 1);
    assert_eq!(home.open_incidents[0].id, "i1");
}

#[tokio::test]
async fn a_steward_of_every_domain_or_of_none_sees_the_whole_mesh() {
    for roles in [&[("steward", "*")][..], &[("owner", "orders")][..]] {
        let home = mesh(roles).await.quality_home().await.unwrap();
        assert_eq!(home.domains, ["*"]);
        assert_eq!(home.stewarded, roles[0].0 == "steward", "{roles:?}");
        assert_eq!(home.products.total, 4);
        assert_eq!(home.products.failing, 2);
        assert_eq!(
            home.failing_products[0].id, "lines",
            "the most failed checks first"
        );
        assert_eq!(home.failing_checks_total, 3);
        assert_eq!(
            home.slos,
            SloCounts {
                met: 1,
                at_risk: 1,
                breached: 1,
                unknown: 0
            }
        );
        assert_eq!(home.open_incidents_total, 2);
    }
}
