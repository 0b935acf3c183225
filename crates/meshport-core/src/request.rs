//! The provisioning request the wizard builds: a new one, its checks as the user types, and its
//! files, ODPS and ODCS documents read in (as `meshport convert` reads them) and written out.

use std::path::{Path, PathBuf};

use meshport_governance::document::{self, Format};
use meshport_governance::policy::{rego_value, rego_value_with};
use meshport_governance::{
    Context, DocumentKind, PolicySet, RegoValue, document_validate, document_validate_with,
};
use meshport_model::Finding;
use serde_json::{Value, json};

use crate::outbox::request_of;
use crate::{Error, Result, validate};

/// Whether `document` is a whole provisioning request rather than a bare product.
pub fn is_request(document: &Value) -> bool {
    document.get("kind").and_then(Value::as_str) == Some("ProvisioningRequest")
}

/// A fresh request for the wizard: a product as the product form starts one (a new UUID, no name,
/// status `draft`), no contracts yet, and the platform's
/// [standard infrastructure](crate::outbox::standard_infrastructure).
pub fn request_new() -> Value {
    request_of(&product_new())
}

fn product_new() -> Value {
    json!({
        "apiVersion": "v1.0.0",
        "kind": "DataProduct",
        "id": uuid::Uuid::new_v4().to_string(),
        "name": "",
        "status": "draft",
    })
}

/// The checks a submit runs, without queueing anything: the schema, the semantic rules and
/// `policies` (the synced packs the platform applies). `document` is a whole provisioning request,
/// whose findings point into the request (`/contracts/0/schema/0/properties/3/name`), or a bare
/// product, checked as the request the form would submit, whose findings point into the product
/// (`/name`).
pub fn request_check(policies: &PolicySet, document: &Value) -> Vec<Finding> {
    if is_request(document) {
        return document_validate(document, policies, &Context::default()).findings;
    }
    let mut findings = document_validate(&request_of(document), policies, &Context::default()).findings;
    for finding in &mut findings {
        if let Some(rest) = finding.path.strip_prefix("/product")
            && (rest.is_empty() || rest.starts_with('/'))
        {
            finding.path = rest.to_owned();
        }
    }
    findings
}

/// The contracts of the request being typed, kept between its checks so that a keystroke in the
/// product sends, parses and converts for the policies the rest of the request alone. The window
/// names each contracts array it sends with a key of its own (a new key for every change of the
/// contracts); the last array sent is kept under its key, with its Rego form, and a request that
/// omits its contracts is checked with the kept ones when it gives that key.
#[derive(Debug, Default)]
pub struct KeptContracts(std::sync::Mutex<Option<Kept>>);

#[derive(Debug)]
struct Kept {
    key: String,
    contracts: Value,
    rego: RegoValue,
}

/// A request that omitted its contracts, under a key that is not the one kept (the shell started
/// again, or another request was checked meanwhile): the caller sends them again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractsNotKept;

impl KeptContracts {
    /// [`request_check`] of `document`, a request with its contracts or without them. With no `key`,
    /// exactly `request_check`. With a key, contracts the request holds are kept under it after the
    /// check; a request without contracts (no `contracts` member at all) is checked with those kept
    /// under `key`, or refused with [`ContractsNotKept`] when other contracts, or none, are kept.
    pub fn request_check(
        &self,
        policies: &PolicySet,
        mut document: Value,
        key: Option<&str>,
    ) -> std::result::Result<Vec<Finding>, ContractsNotKept> {
        let Some(key) = key.filter(|_| is_request(&document)) else {
            return Ok(request_check(policies, &document));
        };
        let mut slot = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Out of the slot while in use: should the check panic, nothing is kept (the window then
        // sends the contracts again) rather than contracts half taken.
        let kept = slot.take();
        let (contracts, rego) = match document.get("contracts") {
            Some(contracts) => (None, rego_value(contracts)),
            None => match kept {
                Some(kept) if kept.key == key => (Some(kept.contracts), kept.rego),
                other => {
                    // Refused: what is kept stays for the request it belongs to.
                    *slot = other;
                    return Err(ContractsNotKept);
                }
            },
        };
        let input = rego_value_with(&document, "contracts", rego.clone());
        // `is_request` read `kind` from it: the document is an object.
        let request = document.as_object_mut().ok_or(ContractsNotKept)?;
        if let Some(contracts) = contracts {
            request.insert("contracts".to_owned(), contracts);
        }
        let findings = request_findings(policies, &document, input);
        *slot = document
            .as_object_mut()
            .and_then(|request| request.remove("contracts"))
            .map(|contracts| Kept {
                key: key.to_owned(),
                contracts,
                rego,
            });
        Ok(findings)
    }
}

/// The findings of `request` with its Rego form `input` made beforehand.
fn request_findings(policies: &PolicySet, request: &Value, input: RegoValue) -> Vec<Finding> {
    document_validate_with(request, Some(input), policies, &Context::default()).findings
}

fn text<'a>(value: &'a Value, field: &str) -> Option<&'a str> {
    value.get(field).and_then(Value::as_str)
}

/// Reads ODPS product and ODCS contract files (YAML or JSON, each read through the model, so
/// nothing is lost or added) into one provisioning request: the product, its contracts in the order
/// of the output ports that name them (then any contract no port names, in the order given), and
/// the standard infrastructure. Contracts without a product get an empty product whose output ports
/// refer to them, one each. A file holding a whole provisioning request is taken as it is, alone.
/// A file that cannot be read, or does not fit, is an error naming it and why.
pub fn documents_import(paths: &[PathBuf]) -> Result<Value> {
    if paths.is_empty() {
        return Err(Error::Invalid(
            "no file to import: choose an ODPS product (.odps.yaml) and/or ODCS contracts (.odcs.yaml)"
                .into(),
        ));
    }
    let mut product: Option<(String, Value)> = None;
    let mut contracts: Vec<(String, Value)> = Vec::new();
    for path in paths {
        let (kind, value) = validate::document_read(path)?;
        let shown = path.display().to_string();
        let refuse = |message: String| {
            Err(Error::Document {
                path: shown.clone(),
                message,
            })
        };
        match kind {
            DocumentKind::ProvisioningRequest if paths.len() == 1 => return Ok(value),
            DocumentKind::ProvisioningRequest => {
                return refuse(
                    "is a whole provisioning request; import it alone, not with other files".into(),
                );
            }
            DocumentKind::DataProduct => {
                if let Some((first, _)) = &product {
                    return refuse(format!(
                        "is a second data product (the first is {first}); a request holds one product"
                    ));
                }
                product = Some((shown, value));
            }
            DocumentKind::DataContract => {
                let id = text(&value, "id").unwrap_or_default();
                if let Some((first, _)) = contracts.iter().find(|(_, c)| text(c, "id") == Some(id)) {
                    return refuse(format!(
                        "has the contract id `{id}` of {first}; a request holds each contract once"
                    ));
                }
                contracts.push((shown, value));
            }
        }
    }
    let product = match product {
        Some((_, product)) => product,
        None => {
            let mut product = product_new();
            let ports: Vec<Value> = contracts.iter().map(|(_, c)| port_for(c)).collect();
            if !ports.is_empty() {
                product["outputPorts"] = Value::Array(ports);
            }
            product
        }
    };
    let mut ordered = Vec::with_capacity(contracts.len());
    let named: Vec<String> = product
        .get("outputPorts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|port| text(port, "contractId").map(str::to_owned))
        .collect();
    for id in named {
        if let Some(at) = contracts.iter().position(|(_, c)| text(c, "id") == Some(&id)) {
            ordered.push(contracts.remove(at).1);
        }
    }
    ordered.extend(contracts.into_iter().map(|(_, c)| c));
    let mut request = request_of(&product);
    request["contracts"] = Value::Array(ordered);
    Ok(request)
}

/// The output port an empty product gets for `contract`: named after the contract, at its version.
fn port_for(contract: &Value) -> Value {
    let id = text(contract, "id").unwrap_or_default();
    let name = text(contract, "name")
        .filter(|n| !n.trim().is_empty())
        .unwrap_or(id);
    let name: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    json!({
        "name": name,
        "version": text(contract, "version").unwrap_or("1.0.0"),
        "contractId": id,
    })
}

/// A request's documents as YAML, exactly as [`request_export`] writes them: the product, then each
/// contract with its id.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RequestYaml {
    pub product: String,
    pub contracts: Vec<ContractYaml>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ContractYaml {
    pub id: String,
    pub yaml: String,
}

/// The YAML of `document`'s product and contracts (a bare product has no contracts), for the wizard's
/// review.
pub fn request_yaml(document: &Value) -> RequestYaml {
    let (product, contracts) = if is_request(document) {
        (
            document.get("product").unwrap_or(&Value::Null),
            document.get("contracts"),
        )
    } else {
        (document, None)
    };
    RequestYaml {
        product: document::write(product, Format::Yaml),
        contracts: contracts
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, c)| ContractYaml {
                id: text(c, "id").map_or_else(|| format!("contract-{}", i + 1), str::to_owned),
                yaml: document::write(c, Format::Yaml),
            })
            .collect(),
    }
}

/// Writes the request's product as `<name>.odps.yaml` (its id when it has no name) and each
/// contract as `<contract id>.odcs.yaml` in `dir` (created if missing), as `meshport convert` writes
/// YAML, and returns the files written, product first. The request is written as it stands, checked
/// or not: exporting is how a half-written request leaves the app too.
pub fn request_export(document: &Value, dir: &Path) -> Result<Vec<PathBuf>> {
    let (product, contracts) = if is_request(document) {
        (document.get("product"), document.get("contracts"))
    } else {
        (Some(document), None)
    };
    let product = product.filter(|p| p.is_object()).ok_or_else(|| {
        Error::Invalid("the request has no product to export (`product` must be an object)".into())
    })?;
    let product_stem = [text(product, "name"), text(product, "id")]
        .into_iter()
        .flatten()
        .map(file_stem)
        .find(|stem| !stem.is_empty())
        .unwrap_or_else(|| "product".to_owned());
    let mut files = vec![(dir.join(format!("{product_stem}.odps.yaml")), product)];
    for (i, contract) in contracts
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let stem = text(contract, "id")
            .map(file_stem)
            .filter(|stem| !stem.is_empty())
            .unwrap_or_else(|| format!("contract-{}", i + 1));
        let path = dir.join(format!("{stem}.odcs.yaml"));
        if files.iter().any(|(p, _)| *p == path) {
            return Err(Error::Invalid(format!(
                "two contracts of the request would both be written to {}: give each its own id",
                path.display()
            )));
        }
        files.push((path, contract));
    }
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.display().to_string(),
        source,
    })?;
    let mut written = Vec::with_capacity(files.len());
    for (path, value) in files {
        std::fs::write(&path, document::write(value, Format::Yaml)).map_err(|source| Error::Write {
            path: path.display().to_string(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}

/// `name` as a file name on every system: separators, reserved and control characters become `-`.
fn file_stem(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '-'
            } else {
                c
            }
        })
        .collect::<String>()
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .to_owned()
}
