//! Reading and writing documents: YAML or JSON text to a JSON tree, remembering where each value
//! stood in the text so that a finding's JSON pointer can be shown as a line and column.

use std::collections::HashMap;
use std::fmt::Write as _;

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, Yaml, YamlData, YamlEmitter};
use serde_json::{Map, Number, Value};

use meshport_model::finding::pointer_token;

/// The text format of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

impl Format {
    /// The format a file name suggests: JSON for `.json`, YAML otherwise.
    pub fn from_path(path: &std::path::Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Yaml,
        }
    }
}

/// A 1-based line and column in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Where each value of a document stood, by JSON pointer.
#[derive(Debug, Clone, Default)]
pub struct Positions(HashMap<String, Position>);

impl Positions {
    /// Positions that place every pointer at one spot, such as where a syntax error stopped reading.
    pub fn at(line: usize, column: usize) -> Positions {
        Positions(HashMap::from([(String::new(), Position { line, column })]))
    }

    /// The positions within the value at `prefix`, with pointers relative to it.
    pub fn within(&self, prefix: &str) -> Positions {
        Positions(
            self.0
                .iter()
                .filter_map(|(pointer, position)| {
                    let rest = pointer.strip_prefix(prefix)?;
                    (rest.is_empty() || rest.starts_with('/')).then(|| (rest.to_owned(), *position))
                })
                .collect(),
        )
    }

    /// The position of the value at `pointer`, or of its nearest ancestor that has one.
    pub fn locate(&self, pointer: &str) -> Option<Position> {
        let mut pointer = pointer;
        loop {
            if let Some(position) = self.0.get(pointer) {
                return Some(*position);
            }
            let (parent, _) = pointer.rsplit_once('/')?;
            pointer = parent;
        }
    }
}

/// A document read from text.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub value: Value,
    pub positions: Positions,
}

/// Text that is not a document, with the line and column where reading stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Reads every document in `text` (YAML may hold several, separated by `---`).
///
/// JSON is read as YAML, of which it is a subset, so positions work the same for both; YAML is read
/// with the 1.2 core schema, where `2024-01-01` and `1.0.0` are strings and `yes` is not a boolean.
pub fn parse(text: &str) -> Result<Vec<Parsed>, ParseError> {
    let docs = MarkedYaml::load_from_str(text).map_err(|e| ParseError {
        line: e.marker().line(),
        column: e.marker().col() + 1,
        message: e.info().to_owned(),
    })?;
    docs.iter()
        .map(|doc| {
            let mut positions = Positions::default();
            let value = to_json(doc, &mut String::new(), &mut positions)?;
            Ok(Parsed { value, positions })
        })
        .collect()
}

fn to_json(
    node: &MarkedYaml<'_>,
    pointer: &mut String,
    positions: &mut Positions,
) -> Result<Value, ParseError> {
    let start = node.span.start;
    positions.0.insert(
        pointer.clone(),
        Position {
            line: start.line(),
            column: start.col() + 1,
        },
    );
    let error = |message: String| ParseError {
        line: start.line(),
        column: start.col() + 1,
        message,
    };
    Ok(match &node.data {
        YamlData::Value(scalar) => {
            scalar_to_json(scalar).ok_or_else(|| error("a number that JSON cannot hold".into()))?
        }
        YamlData::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (index, item) in items.iter().enumerate() {
                let len = pointer.len();
                write!(pointer, "/{index}").expect("writing to a String cannot fail");
                out.push(to_json(item, pointer, positions)?);
                pointer.truncate(len);
            }
            Value::Array(out)
        }
        YamlData::Mapping(entries) => {
            let mut out = Map::with_capacity(entries.len());
            for (key, value) in entries {
                let key = match &key.data {
                    YamlData::Value(Scalar::String(s)) => s.to_string(),
                    YamlData::Value(other) => match scalar_to_json(other) {
                        Some(Value::String(s)) => s,
                        Some(v) => v.to_string(),
                        None => return Err(error("a mapping key that is not a string".into())),
                    },
                    _ => return Err(error("a mapping key that is not a string".into())),
                };
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&pointer_token(&key));
                let value = to_json(value, pointer, positions)?;
                pointer.truncate(len);
                out.insert(key, value);
            }
            Value::Object(out)
        }
        YamlData::Tagged(_, inner) => to_json(inner, pointer, positions)?,
        YamlData::Alias(_) => {
            return Err(error(
                "YAML aliases are not supported; write the value out".into(),
            ));
        }
        YamlData::BadValue => return Err(error("a value that cannot be read".into())),
        YamlData::Representation(text, _, _) => Value::String(text.to_string()),
    })
}

fn scalar_to_json(scalar: &Scalar<'_>) -> Option<Value> {
    Some(match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(*b),
        Scalar::Integer(i) => Value::Number((*i).into()),
        Scalar::FloatingPoint(f) => Value::Number(Number::from_f64(f.into_inner())?),
        Scalar::String(s) => Value::String(s.to_string()),
    })
}

/// Writes `value` as YAML (block style, no document marker) or as pretty JSON.
pub fn write(value: &Value, format: Format) -> String {
    match format {
        Format::Json => {
            let mut text = serde_json::to_string_pretty(value).expect("a JSON value always serializes");
            text.push('\n');
            text
        }
        Format::Yaml => {
            let mut text = String::new();
            let mut emitter = YamlEmitter::new(&mut text);
            emitter.multiline(true);
            emitter
                .dump(&to_yaml(value))
                .expect("writing to a String cannot fail");
            let mut text = text.strip_prefix("---\n").map(str::to_owned).unwrap_or(text);
            text.push('\n');
            text
        }
    }
}

fn to_yaml(value: &Value) -> Yaml<'static> {
    match value {
        Value::Null => Yaml::Value(Scalar::Null),
        Value::Bool(b) => Yaml::Value(Scalar::Boolean(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Yaml::Value(Scalar::Integer(i)),
            None => Yaml::Value(Scalar::FloatingPoint(n.as_f64().unwrap_or(f64::NAN).into())),
        },
        Value::String(s) => Yaml::Value(Scalar::String(s.clone().into())),
        Value::Array(items) => Yaml::Sequence(items.iter().map(to_yaml).collect()),
        Value::Object(map) => Yaml::Mapping(
            map.iter()
                .map(|(k, v)| (Yaml::Value(Scalar::String(k.clone().into())), to_yaml(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_1_2_core_schema_keeps_versions_and_dates_as_strings() {
        let doc = parse("version: 1.0.0\ndate: 2024-01-01\nyes: yes\nn: 12\nf: 1.5\nnothing: ~\n")
            .unwrap()
            .remove(0);
        assert_eq!(
            doc.value,
            serde_json::json!({"version": "1.0.0", "date": "2024-01-01", "yes": "yes", "n": 12, "f": 1.5, "nothing": null})
        );
    }

    #[test]
    fn written_yaml_quotes_strings_that_would_read_back_as_other_types() {
        let value =
            serde_json::json!({"a": "1.5", "b": "true", "c": "null", "d": "", "e": "- x", "f": "a: b"});
        let text = write(&value, Format::Yaml);
        assert_eq!(parse(&text).unwrap().remove(0).value, value, "{text}");
    }

    #[test]
    fn several_documents_in_one_file() {
        let docs = parse("a: 1\n---\nb: 2\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].positions.locate("/b").unwrap().line, 3);
    }
}
