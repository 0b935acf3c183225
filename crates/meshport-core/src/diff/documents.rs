//! The documents compared: reading one from a file, telling a product from a contract, pairing the
//! two versions (of one kind), and a product's contracts by id, each version on its side.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::{
    ContractResolver, DiffError, DiffReport, DocumentKind, Side, contract_report, list, product_report, text,
    version_key,
};
use crate::{Error, Result};

/// What a document is, or why it is neither a product nor a contract (with the fix).
pub fn document_kind(doc: &Value) -> std::result::Result<DocumentKind, String> {
    match meshport_governance::document_kind(doc) {
        Ok(kind @ (DocumentKind::DataProduct | DocumentKind::DataContract)) => Ok(kind),
        Ok(DocumentKind::ProvisioningRequest) => Err(
            "is a provisioning request; diff compares data products (kind: DataProduct) or data contracts \
             (kind: DataContract): give the product or the contract itself"
                .to_owned(),
        ),
        Err(finding) => Err(format!("{} ({})", finding.message, finding.hint)),
    }
}

/// Reads one product or contract from a YAML or JSON file as `meshport convert` reads it (every field
/// checked against the model, an error naming the line and the field otherwise).
pub fn document_read(path: &Path) -> Result<(DocumentKind, Value)> {
    let (_, value) = crate::validate::document_read(path)?;
    let kind = document_kind(&value).map_err(|message| Error::Document {
        path: path.display().to_string(),
        message,
    })?;
    Ok((kind, value))
}

/// Contracts by id, for a [`ContractResolver`]. An id given in several versions (OLD's and NEW's
/// versions of one contract, say a local file and the catalog's) resolves to its lowest `version` on
/// the OLD side and to its highest on the NEW side.
#[derive(Debug, Clone, Default)]
pub struct Contracts {
    by_id: BTreeMap<String, Vec<Value>>,
}

impl Contracts {
    /// Adds a contract (keyed by its `id`), unless a contract of that id and version is there already.
    pub fn insert(&mut self, contract: Value) {
        let id = text(&contract, "id").unwrap_or_default().to_owned();
        let versions = self.by_id.entry(id).or_default();
        if versions
            .iter()
            .any(|c| text(c, "version") == text(&contract, "version"))
        {
            return;
        }
        versions.push(contract);
        versions.sort_by_key(|c| version_key(text(c, "version")));
    }

    pub fn contains(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    /// The contract `id` as it stands on `side`.
    pub fn resolve(&self, side: Side, id: &str) -> Option<Value> {
        let versions = self.by_id.get(id)?;
        match side {
            Side::Old => versions.first(),
            Side::New => versions.last(),
        }
        .cloned()
    }
}

/// The contract ids a product's output ports reference, in order, each once.
pub fn contract_ids(product: &Value) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for port in list(product, "outputPorts") {
        if let Some(id) = text(port, "contractId")
            && !ids.iter().any(|i| i == id)
        {
            ids.push(id.to_owned());
        }
    }
    ids
}

/// Compares two documents of one kind: two products (their contracts resolved by `contracts`) or
/// two contracts.
pub fn documents_diff(
    old: &Value,
    new: &Value,
    contracts: &ContractResolver,
) -> std::result::Result<DiffReport, DiffError> {
    let kind = |side, doc| document_kind(doc).map_err(|message| DiffError::NotADocument { side, message });
    match (kind(Side::Old, old)?, kind(Side::New, new)?) {
        (DocumentKind::DataProduct, DocumentKind::DataProduct) => product_report(old, new, contracts),
        (DocumentKind::DataContract, DocumentKind::DataContract) => Ok(contract_report(old, new)),
        (old, new) => Err(DiffError::KindMismatch { old, new }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::product_diff;
    use crate::diff::test_support::{contract, product};
    use serde_json::json;

    #[test]
    fn one_contract_id_in_two_versions_resolves_old_to_the_lower_and_new_to_the_higher() {
        let mut contracts = Contracts::default();
        contracts.insert(contract("1.10.0", json!([{"name": "id"}])));
        contracts.insert(contract("1.9.0", json!([{"name": "id"}, {"name": "amount"}])));
        assert_eq!(contracts.resolve(Side::Old, "c1").unwrap()["version"], "1.9.0");
        assert_eq!(contracts.resolve(Side::New, "c1").unwrap()["version"], "1.10.0");
        assert!(contracts.resolve(Side::New, "c2").is_none());
        let port = json!([{"name": "orders", "version": "1.0.0", "contractId": "c1"}]);
        let changes = product_diff(
            &product("1.0.0", port.clone()),
            &product("1.0.1", port),
            &|side, id| contracts.resolve(side, id),
        )
        .unwrap();
        assert_eq!(
            changes.iter().map(|c| c.kind.as_str()).collect::<Vec<_>>(),
            ["column-removed"]
        );
    }

    #[test]
    fn documents_of_other_kinds_or_of_two_kinds_are_refused() {
        let c = contract("1.0.0", json!([]));
        let p = product("1.0.0", json!([]));
        let none = |_: Side, _: &str| None;
        assert_eq!(
            documents_diff(&p, &c, &none).unwrap_err(),
            DiffError::KindMismatch {
                old: DocumentKind::DataProduct,
                new: DocumentKind::DataContract
            }
        );
        let request = json!({"apiVersion": "meshport/v1", "kind": "ProvisioningRequest"});
        let error = documents_diff(&request, &c, &none).unwrap_err();
        assert!(
            matches!(error, DiffError::NotADocument { side: Side::Old, .. }),
            "{error:?}"
        );
        assert!(error.to_string().contains("provisioning request"), "{error}");
        let other = json!({"kind": "Pod"});
        assert!(document_kind(&other).unwrap_err().contains("Pod"));
    }

    #[test]
    fn every_official_example_is_unchanged_against_itself() {
        let standards = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/standards");
        let mut read = 0;
        for folder in ["odcs/examples", "odps/examples"] {
            for entry in std::fs::read_dir(standards.join(folder)).unwrap() {
                let path = entry.unwrap().path();
                let (kind, doc) = document_read(&path).unwrap();
                let report = documents_diff(&doc, &doc, &|_, _| Some(json!({}))).unwrap();
                assert!(
                    report.changes.is_empty(),
                    "{}: {:?}",
                    path.display(),
                    report.changes
                );
                assert_eq!(report.kind, kind);
                read += 1;
            }
        }
        assert!(read > 10);
    }
}
