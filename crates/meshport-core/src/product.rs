//! Operations on the local store: opening it, and the data products written locally.

use std::path::Path;

use meshport_catalog::LocalStore;
use meshport_governance::{Context, DocumentKind, PolicySet, schema_findings, semantic};
use meshport_model::product::{ProductSummary, SaveOutcome};
use meshport_model::{DataProduct, Finding, Severity};
use serde_json::Value;

use crate::{Result, demo};

/// Opens the local store at `path`, creating it and seeding the demo mesh on first use.
pub async fn local_store_open(path: &Path) -> Result<LocalStore> {
    let store = LocalStore::open(path).await?;
    store.seed_once(demo::SEED_KEY, &demo::products()).await?;
    Ok(store)
}

/// Every product written in the local store.
pub async fn products_list(store: &LocalStore) -> Result<Vec<ProductSummary>> {
    Ok(store.products_list().await?)
}

/// Validates `document` as an ODPS data product and, only if it has no error, stores it.
///
/// Invalid input is not an error: the outcome carries the findings, each on its field, and nothing is
/// written. `policies` are the governance of the platform the app runs against (the demo mesh's
/// packs for the demo platform): their findings are shown on their fields, as warnings.
pub async fn product_create(
    store: &LocalStore,
    policies: &PolicySet,
    document: Value,
) -> Result<SaveOutcome> {
    // Schema and semantic checks decide whether a draft may be stored; policy packs judge a product
    // when it is submitted for provisioning, so while it is being written their findings are warnings
    // that say what submission will require.
    let mut findings = schema_findings(DocumentKind::DataProduct, &document);
    semantic::product(&document, "", &Context::default(), &mut findings);
    // What Meshport stores keeps to its own schema, stricter than the standard where the standard
    // recommends (a UUID `id`, in the generated schema; semantic versioning, here): a file someone
    // else wrote is judged by the standard alone (`meshport validate`), a product saved here is not.
    let not_semver = |f: &Finding| {
        f.rule == "semver"
            && document
                .pointer(&f.path)
                .and_then(Value::as_str)
                .is_some_and(|v| !semantic::is_semver(v))
    };
    for finding in findings.iter_mut().filter(|f| not_semver(f)) {
        finding.severity = Severity::Error;
        finding.hint = format!(
            "Meshport saves products in semantic versioning, which the standard recommends. {}",
            finding.hint
        );
    }
    let domain = document.get("domain").and_then(Value::as_str);
    findings.extend(
        policies
            .evaluate(&document, Some(DocumentKind::DataProduct), domain)
            .findings
            .into_iter()
            .map(|mut finding| {
                if finding.is_error() {
                    finding.severity = Severity::Warning;
                    finding.hint = format!("Required before the product is submitted. {}", finding.hint);
                }
                finding
            }),
    );
    if findings.iter().any(Finding::is_error) {
        return Ok(SaveOutcome {
            saved: false,
            findings,
        });
    }
    let product: DataProduct = match serde_json::from_value(document) {
        Ok(product) => product,
        Err(e) => {
            // The schema is generated from the type, so this is unexpected; still report it, not panic.
            findings.push(Finding::error(
                "schema",
                "",
                e.to_string(),
                "Correct the document.",
            ));
            return Ok(SaveOutcome {
                saved: false,
                findings,
            });
        }
    };
    match store.products_insert(std::slice::from_ref(&product)).await {
        Ok(()) => Ok(SaveOutcome {
            saved: true,
            findings,
        }),
        Err(meshport_catalog::Error::AlreadyExists(id)) => {
            findings.push(Finding::error(
                "catalog-unique-id",
                "/id",
                format!("a data product with id {id} is already in the local store"),
                "Generate a new UUID for this product.",
            ));
            Ok(SaveOutcome {
                saved: false,
                findings,
            })
        }
        Err(e) => Err(e.into()),
    }
}
