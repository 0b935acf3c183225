//! Generates the JSON Schemas in `schemas/` from the Rust types.
//!
//! Draft 7 with `definitions`, the dialect react-jsonschema-form and its AJV validator read without
//! extra set-up. The schemas are committed; `tests/model.rs` fails when they are stale.

use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema};
use serde_json::Value;

use crate::offline;
use crate::product::{ProductSummary, SaveOutcome};
use crate::{DataContract, DataProduct, Finding, ProvisioningRequest};

/// Every generated schema as `(file stem, schema)`; the file is `schemas/<stem>.schema.json`.
pub fn all() -> Vec<(&'static str, Value)> {
    vec![
        ("data-contract", schema_for::<DataContract>()),
        ("data-product", schema_for::<DataProduct>()),
        ("finding", schema_for::<Finding>()),
        (
            "validation-report",
            schema_for::<crate::finding::ValidationReport>(),
        ),
        ("product-summary", schema_for::<ProductSummary>()),
        ("provisioning-request", schema_for::<ProvisioningRequest>()),
        ("save-outcome", schema_for::<SaveOutcome>()),
        ("search-query", schema_for::<offline::SearchQuery>()),
        ("search-result", schema_for::<offline::SearchResult>()),
        ("product-view", schema_for::<offline::ProductView>()),
        ("incident-filter", schema_for::<offline::IncidentFilter>()),
        ("incident-list", schema_for::<offline::IncidentList>()),
        ("lineage-view", schema_for::<offline::LineageView>()),
        ("sync-status", schema_for::<offline::SyncStatus>()),
        ("draft", schema_for::<offline::Draft>()),
        ("draft-summary", schema_for::<offline::DraftSummary>()),
        ("outbox-item", schema_for::<offline::OutboxItem>()),
        ("submit-outcome", schema_for::<offline::SubmitOutcome>()),
        ("action-item", schema_for::<offline::ActionItem>()),
        ("profile-list", schema_for::<offline::ProfileList>()),
        ("access-list", schema_for::<offline::AccessList>()),
        ("access-asked", schema_for::<offline::AccessAsked>()),
        ("check-trend", schema_for::<offline::CheckTrend>()),
        ("quality-home", schema_for::<offline::QualityHome>()),
        ("notice-counts", schema_for::<offline::NoticeCounts>()),
        // What the desktop's access commands answer.
        ("access-request", schema_for::<crate::trust::AccessRequest>()),
        ("port-rows", schema_for::<crate::trust::PortRows>()),
        ("incident-action", schema_for::<crate::trust::IncidentAction>()),
        // What the desktop's job commands answer.
        (
            "provisioning-job",
            schema_for::<crate::platform::ProvisioningJob>(),
        ),
    ]
}

/// The draft-7 schema of one type.
pub fn schema_for<T: JsonSchema>() -> Value {
    // `Option` fields are skipped when absent, never written as null: say so in the schema, which also
    // keeps react-jsonschema-form from rendering a "null" choice on every optional field.
    let generator = SchemaSettings::draft07()
        .with_transform(RecursiveTransform(drop_null))
        .into_generator();
    generator.into_root_schema_for::<T>().to_value()
}

/// The text a schema file holds: pretty JSON with a trailing newline.
pub fn to_file_text(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).expect("a JSON value always serializes");
    text.push('\n');
    text
}

/// Removes the `null` alternative schemars gives every `Option`: Meshport never writes null.
fn drop_null(schema: &mut Schema) {
    if let Some(Value::Array(types)) = schema.get_mut("type") {
        types.retain(|t| t != "null");
        if let [single] = types.as_slice() {
            let single = single.clone();
            schema.insert("type".into(), single);
        }
    }
    let Some(Value::Array(any_of)) = schema.get_mut("anyOf") else {
        return;
    };
    any_of.retain(|alternative| alternative.get("type").is_none_or(|t| t != "null"));
    if let [Value::Object(single)] = any_of.as_slice() {
        let single = single.clone();
        schema.remove("anyOf");
        for (key, value) in single {
            schema.insert(key, value);
        }
    }
}
