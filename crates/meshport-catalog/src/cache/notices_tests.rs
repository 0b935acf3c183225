//! Notices come from the feed pages after the first sync, once each, for the user's domains and
//! requests only; the desktop is handed each once; opening a view sees its notices.

use serde_json::{Value, json};

use super::*;
use meshport_model::offline::NoticeCounts;
use meshport_model::platform::DomainRole;

fn incident(id: &str, domain: &str, state: &str) -> Value {
    json!({"id": id, "productId": "p", "productName": "Order Lines", "domain": domain, "check": "channel",
        "port": "out", "state": state, "severity": "error", "title": "channel is 4.1 percent", "failures": 1,
        "openedAt": "2026-12-01T00:00:00Z", "updatedAt": "2026-12-02T00:00:00Z", "events": []})
}

fn access(id: &str, consumer: &str, state: &str) -> Value {
    json!({"id": id, "productId": "p", "productName": "Order Lines", "domain": "orders",
        "outputPort": "order-lines", "consumer": consumer, "purpose": "Forecasts", "state": state,
        "requestedAt": "2026-12-01T00:00:00Z", "updatedAt": "2026-12-02T00:00:00Z", "decidedBy": "owen",
        "reason": "For the forecast"})
}

fn page(seq: i64, changes: Vec<(ChangeEntity, &str, Value)>) -> ChangePage {
    let changes: Vec<Change> = changes
        .into_iter()
        .enumerate()
        .map(|(n, (entity, id, document))| Change {
            seq: seq + n as i64,
            at: "2026-12-02T00:00:00Z".into(),
            entity,
            id: id.into(),
            deleted: false,
            document: Some(document),
        })
        .collect();
    let next = changes.last().map_or(seq, |c| c.seq);
    ChangePage {
        changes,
        next,
        has_more: false,
    }
}

async fn as_user(cache: &Cache, user: &str, roles: &[(&str, &str)]) {
    cache
        .user_roles_set(&UserRoles {
            user: user.into(),
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
}

#[tokio::test]
async fn a_first_sync_tells_of_nothing_then_news_is_told_once() {
    let cache = Cache::open_in_memory().await.unwrap();
    as_user(&cache, "sam", &[("steward", "orders"), ("consumer", "*")]).await;
    // The first sync: a resync, whatever it holds, is not news.
    let mut resync = cache.resync_begin().await.unwrap();
    resync
        .page_apply(&page(
            1,
            vec![(ChangeEntity::Incident, "old", incident("old", "orders", "open"))],
        ))
        .await
        .unwrap();
    resync.commit("p", 1, "2026-12-02T00:00:00Z").await.unwrap();
    assert!(cache.notices_to_notify().await.unwrap().is_empty());

    cache
        .page_apply(
            "p",
            &page(
                2,
                vec![
                    (ChangeEntity::Incident, "i1", incident("i1", "orders", "open")),
                    (ChangeEntity::Incident, "i2", incident("i2", "finance", "open")),
                    (
                        ChangeEntity::Incident,
                        "old",
                        incident("old", "orders", "acknowledged"),
                    ),
                    (
                        ChangeEntity::AccessRequest,
                        "a1",
                        access("a1", "sam", "requested"),
                    ),
                ],
            ),
        )
        .await
        .unwrap();
    assert_eq!(
        cache.notice_counts().await.unwrap(),
        NoticeCounts {
            incidents: 1,
            access: 0
        }
    );
    // The same incident again, and sam's request decided.
    cache
        .page_apply(
            "p",
            &page(
                6,
                vec![
                    (ChangeEntity::Incident, "i1", incident("i1", "orders", "open")),
                    (ChangeEntity::AccessRequest, "a1", access("a1", "sam", "active")),
                    (
                        ChangeEntity::Incident,
                        "old",
                        incident("old", "orders", "reopened"),
                    ),
                ],
            ),
        )
        .await
        .unwrap();
    let told = cache.notices_to_notify().await.unwrap();
    let titles: Vec<&str> = told.iter().map(|n| n.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "New incident on Order Lines",
            "Your access to Order Lines · order-lines was approved",
            "Incident reopened on Order Lines"
        ]
    );
    assert_eq!(told[1].body, "owen: For the forecast");
    assert!(
        cache.notices_to_notify().await.unwrap().is_empty(),
        "each is told once"
    );
    assert_eq!(
        cache.notice_counts().await.unwrap(),
        NoticeCounts {
            incidents: 2,
            access: 1
        }
    );
    cache.notices_seen("incidents").await.unwrap();
    assert_eq!(
        cache.notice_counts().await.unwrap(),
        NoticeCounts {
            incidents: 0,
            access: 1
        }
    );
}

#[tokio::test]
async fn an_owner_hears_of_requests_on_their_domains_not_of_their_own() {
    let cache = Cache::open_in_memory().await.unwrap();
    as_user(&cache, "owen", &[("owner", "orders"), ("consumer", "*")]).await;
    cache
        .page_apply(
            "p",
            &page(
                1,
                vec![
                    (
                        ChangeEntity::AccessRequest,
                        "a1",
                        access("a1", "cora", "requested"),
                    ),
                    (
                        ChangeEntity::AccessRequest,
                        "a2",
                        access("a2", "owen", "requested"),
                    ),
                ],
            ),
        )
        .await
        .unwrap();
    let told = cache.notices_to_notify().await.unwrap();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].title, "cora asks for Order Lines · order-lines");
    assert_eq!(told[0].view, "access");
}
