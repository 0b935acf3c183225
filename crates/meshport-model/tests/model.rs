//! Integration tests of the model: generated schemas are fresh, and standard examples read and write
//! back the same tree.

use std::path::{Path, PathBuf};

use meshport_model::contract::{
    DataContract, QualityRule, QualityType, SchemaItems, SchemaProperty, ServerType, allowed_fields,
    required_fields,
};
use meshport_model::{DataProduct, ProvisioningRequest, schema};
use serde::Serialize;
use serde::de::DeserializeOwned;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn standards() -> PathBuf {
    workspace_root().join("../shared/standards")
}

/// Regenerates `schemas/` and fails, naming the command, if any committed file differed.
#[test]
fn generated_schemas_are_fresh() {
    let dir = workspace_root().join("schemas");
    std::fs::create_dir_all(&dir).unwrap();
    let mut stale = Vec::new();
    for (stem, value) in schema::all() {
        let path = dir.join(format!("{stem}.schema.json"));
        let fresh = schema::to_file_text(&value);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != fresh {
            std::fs::write(&path, fresh).unwrap();
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated schemas, now rewritten: {stale:?}\n\
         Review and commit them (regenerate with `cargo test -p meshport-model --test model`)."
    );
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn odps_examples_round_trip() {
    let files = yaml_files(&standards().join("odps/examples"));
    assert!(!files.is_empty());
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let tree: serde_json::Value = serde_yaml_ng::from_str(&text).unwrap();
        let product: DataProduct = serde_json::from_value(tree.clone())
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
        let back = serde_json::to_value(&product).unwrap();
        assert_eq!(back, tree, "{} does not round-trip", path.display());
    }
}

#[test]
fn unknown_status_is_refused() {
    let doc =
        serde_json::json!({"apiVersion": "v1.0.0", "kind": "DataProduct", "id": "x", "status": "shiny"});
    let err = serde_json::from_value::<DataProduct>(doc)
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown variant `shiny`"), "{err}");
}

/// Reads a YAML file as a JSON tree.
fn yaml_tree(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()))
}

/// Parses `tree` as `T` and checks it writes back the same tree, and that the JSON text round trip
/// gives the same value and the same text.
fn assert_round_trip<T>(path: &Path, tree: &serde_json::Value) -> T
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let parsed: T = serde_json::from_value(tree.clone())
        .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
    let back = serde_json::to_value(&parsed).unwrap();
    assert_eq!(&back, tree, "{} does not round-trip", path.display());
    let text = serde_json::to_string(&parsed).unwrap();
    let reparsed: T = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} does not parse from its own JSON: {e}", path.display()));
    assert_eq!(reparsed, parsed, "{} JSON text round trip", path.display());
    assert_eq!(serde_json::to_string(&reparsed).unwrap(), text);
    parsed
}

/// The round-trip comparisons rely on map equality ignoring key order, `preserve_order` or not.
#[test]
fn json_map_equality_ignores_key_order() {
    let a: serde_json::Value = serde_json::from_str(r#"{"a": 1, "b": {"c": 2, "d": 3}}"#).unwrap();
    let b: serde_json::Value = serde_json::from_str(r#"{"b": {"d": 3, "c": 2}, "a": 1}"#).unwrap();
    assert_eq!(a, b);
    let keys: Vec<_> = b.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["b", "a"], "preserve_order keeps document order");
}

#[test]
fn odcs_examples_round_trip() {
    let files = yaml_files(&standards().join("odcs/examples"));
    assert!(files.len() >= 18);
    for path in files {
        let tree = yaml_tree(&path);
        assert_round_trip::<DataContract>(&path, &tree);
    }
}

#[test]
fn provisioning_fixtures_round_trip() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/provisioning");
    let files = yaml_files(&dir);
    let names: Vec<_> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap())
        .collect();
    assert_eq!(names, ["customer-request.yaml", "orders-request.yaml"]);
    for path in files {
        let tree = yaml_tree(&path);
        let request: ProvisioningRequest = assert_round_trip(&path, &tree);
        assert_eq!(request.contracts.len(), 1);
        let contract_id = &request.contracts[0].id;
        let ports = request.product.output_ports.as_deref().unwrap_or_default();
        assert!(
            ports
                .iter()
                .any(|port| port.contract_id.as_ref() == Some(contract_id)),
            "{}: an output port serves the contract",
            path.display()
        );
        let infrastructure = &request.infrastructure;
        assert!(infrastructure.storage.is_some() && infrastructure.processing.is_some());
        assert!(infrastructure.orchestration.is_some() && infrastructure.quality.is_some());
        assert!(infrastructure.discovery.is_some() && infrastructure.security.is_some());
    }
}

/// How an invalid ODCS example is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    /// The types refuse it: deserializing fails with an error mentioning this text.
    Serde(&'static str),
    /// The types read it; a semantic check must refuse it, for the reason given.
    Other(&'static str),
}

/// For each file of the official invalid examples, who refuses it.
fn expected_refusal(file: &str) -> Refusal {
    use Refusal::{Other, Serde};
    match file {
        "additional-unknown-property.odcs.yaml" => Serde("unknown field `unknownRootField`"),
        "invalid-api-version.odcs.yaml" => Serde("unknown variant `v4.0.0`"),
        "invalid-kind.odcs.yaml" => Serde("unknown variant `DataModel`"),
        "invalid-quality-dimension.odcs.yaml" => Serde("unknown variant `validity`"),
        "invalid-quality-metric.odcs.yaml" => Serde("unknown variant `invalidMetric`"),
        "invalid-quality-type.odcs.yaml" => Serde("unknown variant `unknown`"),
        "missing-required-fields.odcs.yaml" => Serde("missing field `id`"),
        "quality-custom-missing-implementation.odcs.yaml" => {
            Other("a custom quality rule needs `engine` and `implementation`")
        }
        "quality-element-field.odcs.yaml" => Serde("unknown field `element`"),
        "quality-library-missing-metric.odcs.yaml" => Other("a library quality rule needs `metric`"),
        "quality-multiple-operators.odcs.yaml" => {
            Other("a quality rule takes at most one comparison operator")
        }
        "quality-mustbebetween-wrong-size.odcs.yaml" => {
            Other("`mustBeBetween` and `mustNotBeBetween` take exactly two numbers")
        }
        "quality-sql-missing-query.odcs.yaml" => Other("a sql quality rule needs `query`"),
        "relationship-property-level-with-from.odcs.yaml" => {
            Other("a property-level relationship has no `from`: the property is its source")
        }
        "relationship-schema-level-missing-from-to.odcs.yaml" => Serde("missing field `from`"),
        "schema-property-invalid-logicaltype.odcs.yaml" => Serde("unknown variant `binary`"),
        "schema-property-missing-name.odcs.yaml" => Serde("missing field `name`"),
        "server-invalid-type.odcs.yaml" => Serde("unknown variant `mongodb`"),
        "server-missing-conditional-fields.odcs.yaml" => {
            Other("a server has the fields its type requires (athena: `stagingDir`, `schema`)")
        }
        "server-missing-required-fields.odcs.yaml" => Serde("missing field `server`"),
        "sla-missing-required-value.odcs.yaml" => Serde("missing field `value`"),
        other => panic!("no expected refusal for {other}: add it to the table"),
    }
}

fn all_properties(contract: &DataContract) -> Vec<&SchemaProperty> {
    fn walk<'a>(
        properties: Option<&'a Vec<SchemaProperty>>,
        items: Option<&'a SchemaItems>,
        out: &mut Vec<&'a SchemaProperty>,
    ) {
        for property in properties.into_iter().flatten() {
            out.push(property);
            walk(property.properties.as_ref(), property.items.as_deref(), out);
        }
        if let Some(items) = items {
            walk(items.properties.as_ref(), items.items.as_deref(), out);
        }
    }
    let mut out = Vec::new();
    for object in contract.schema.iter().flatten() {
        walk(object.properties.as_ref(), None, &mut out);
    }
    out
}

fn all_rules(contract: &DataContract) -> Vec<&QualityRule> {
    let objects = contract
        .schema
        .iter()
        .flatten()
        .flat_map(|o| o.quality.iter().flatten());
    let properties = all_properties(contract)
        .into_iter()
        .flat_map(|p| p.quality.iter().flatten());
    objects.chain(properties).collect()
}

/// Whether the defect the file's name gives is visible in what the types read.
fn shows_defect(file: &str, contract: &DataContract) -> bool {
    let rules = all_rules(contract);
    let kind = |rule: &QualityRule| rule.kind.unwrap_or_default();
    match file {
        "quality-custom-missing-implementation.odcs.yaml" => rules
            .iter()
            .any(|r| kind(r) == QualityType::Custom && r.implementation.is_none()),
        "quality-library-missing-metric.odcs.yaml" => rules
            .iter()
            .any(|r| kind(r) == QualityType::Library && r.metric.is_none()),
        "quality-multiple-operators.odcs.yaml" => rules.iter().any(|r| r.operators().len() > 1),
        "quality-mustbebetween-wrong-size.odcs.yaml" => rules
            .iter()
            .any(|r| r.must_be_between.as_ref().is_some_and(|b| b.len() != 2)),
        "quality-sql-missing-query.odcs.yaml" => rules
            .iter()
            .any(|r| kind(r) == QualityType::Sql && r.query.is_none()),
        "relationship-property-level-with-from.odcs.yaml" => all_properties(contract)
            .iter()
            .flat_map(|p| p.relationships.iter().flatten())
            .any(|relationship| relationship.from.is_some()),
        "server-missing-conditional-fields.odcs.yaml" => contract.servers.iter().flatten().any(|server| {
            let tree = serde_json::to_value(server).unwrap();
            required_fields(server.kind)
                .iter()
                .any(|field| tree.get(field).is_none())
        }),
        other => panic!("no defect check for {other}"),
    }
}

#[test]
fn odcs_invalid_examples_are_refused_by_serde_or_left_to_checks() {
    let files = yaml_files(&standards().join("odcs/invalid"));
    assert!(files.len() >= 21);
    let mut report = Vec::new();
    for path in files {
        let file = path.file_name().unwrap().to_str().unwrap().to_owned();
        let tree = yaml_tree(&path);
        let parsed = serde_json::from_value::<DataContract>(tree.clone());
        match expected_refusal(&file) {
            Refusal::Serde(mention) => {
                let err = parsed
                    .err()
                    .unwrap_or_else(|| panic!("{file} parses but must not"));
                let err = err.to_string();
                assert!(
                    err.contains(mention),
                    "{file}: error `{err}` does not mention `{mention}`"
                );
                report.push(format!("serde  {file}: {err}"));
            }
            Refusal::Other(reason) => {
                let contract: DataContract = assert_round_trip(&path, &tree);
                assert!(shows_defect(&file, &contract), "{file}: defect not visible");
                report.push(format!("check  {file}: {reason}"));
            }
        }
    }
    println!("{}", report.join("\n"));
}

/// `required_fields`, `allowed_fields` and `ServerType` agree with the official schema.
#[test]
fn server_types_match_the_official_schema() {
    let path = standards().join("odcs/schema/odcs-json-schema-v3.1.0.json");
    let official: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let defs = &official["$defs"];
    let names: Vec<_> = ServerType::ALL.iter().map(|t| t.as_str()).collect();
    let enumerated: Vec<_> = defs["Server"]["properties"]["type"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(names, enumerated);
    let strings = |value: &serde_json::Value| -> Vec<String> {
        value
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    for condition in defs["Server"]["allOf"].as_array().unwrap() {
        let name = condition["if"]["properties"]["type"]["const"].as_str().unwrap();
        let kind: ServerType = serde_json::from_value(name.into()).unwrap();
        assert_eq!(kind.as_str(), name);
        let source = condition["then"]["$ref"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap();
        let source = &defs["ServerSource"][source];
        assert_eq!(
            required_fields(kind),
            strings(&source["required"]),
            "required of {name}"
        );
        let allowed: Vec<String> = source["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(allowed_fields(kind), allowed, "allowed of {name}");
        // Every field a type allows is a field of `Server`.
        let mut doc = serde_json::json!({"server": "s", "type": name});
        for field in &allowed {
            doc[field] = if field == "port" { 1.into() } else { "x".into() };
        }
        serde_json::from_value::<meshport_model::contract::Server>(doc)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn explicit_null_operator_is_kept() {
    let rule = serde_json::json!({"metric": "nullValues", "mustBe": null});
    let parsed: QualityRule = serde_json::from_value(rule.clone()).unwrap();
    assert_eq!(parsed.must_be, Some(serde_json::Value::Null));
    assert_eq!(serde_json::to_value(&parsed).unwrap(), rule);
    let absent: QualityRule = serde_json::from_value(serde_json::json!({"metric": "rowCount"})).unwrap();
    assert_eq!(absent.must_be, None);
}

#[test]
fn team_reads_both_shapes() {
    let object = serde_json::json!({"name": "t", "members": [{"username": "a"}]});
    let legacy = serde_json::json!([{"username": "a", "role": "owner"}]);
    for team in [object, legacy] {
        let parsed: meshport_model::contract::ContractTeam = serde_json::from_value(team.clone()).unwrap();
        assert_eq!(parsed.members()[0].username, "a");
        assert_eq!(serde_json::to_value(&parsed).unwrap(), team);
    }
}
