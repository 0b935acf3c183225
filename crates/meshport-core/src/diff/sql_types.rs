//! Types and how one fits in another: the verdict on a type change ([`Compat`]), and physical (SQL)
//! types parsed (`varchar(100)`, `decimal(10,2)`, `timestamp(3) with time zone`, dialects' aliases)
//! so that widening and narrowing are told by size, length, precision and scale.

use std::cmp::Ordering;

use super::ChangeKind;

/// How a type changed, from a reader's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Compat {
    Same,
    /// The same type spelled another way.
    Equivalent,
    Widened,
    Narrowed,
    Changed,
}

impl Compat {
    pub(super) fn kind(self) -> Option<ChangeKind> {
        match self {
            Compat::Same => None,
            Compat::Equivalent => Some(ChangeKind::TypeRespelled),
            Compat::Widened => Some(ChangeKind::TypeWidened),
            Compat::Narrowed => Some(ChangeKind::TypeNarrowed),
            Compat::Changed => Some(ChangeKind::TypeChanged),
        }
    }

    pub(super) fn verb(self) -> &'static str {
        match self {
            Compat::Same | Compat::Equivalent => "is respelled",
            Compat::Widened => "widened",
            Compat::Narrowed => "narrowed",
            Compat::Changed => "changed incompatibly",
        }
    }
}

pub(super) fn order<T: Ord>(old: T, new: T) -> Compat {
    match new.cmp(&old) {
        Ordering::Greater => Compat::Widened,
        Ordering::Less => Compat::Narrowed,
        Ordering::Equal => Compat::Same,
    }
}

/// Both changes at once: any narrowing narrows.
fn both(a: Compat, b: Compat) -> Compat {
    match (a, b) {
        (Compat::Changed, _) | (_, Compat::Changed) => Compat::Changed,
        (Compat::Narrowed, _) | (_, Compat::Narrowed) => Compat::Narrowed,
        (Compat::Widened, _) | (_, Compat::Widened) => Compat::Widened,
        _ => Compat::Same,
    }
}

/// A physical (SQL-ish) type, as far as widening goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Physical {
    /// Bits.
    Int(u32),
    /// Bits.
    Float(u32),
    /// Precision (`None`: unbounded) and scale.
    Decimal(Option<u64>, u64),
    /// Maximum length (`None`: unbounded).
    Text(Option<u64>),
    Binary(Option<u64>),
    Date,
    Timestamp {
        tz: bool,
        precision: u64,
    },
    Time {
        tz: bool,
        precision: u64,
    },
    Bool,
    /// Anything else, normalized: equal or not.
    Other(String),
}

/// Lowercase, spaces collapsed.
fn normalized(raw: &str) -> String {
    raw.trim()
        .to_ascii_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(", ", ",")
}

fn physical_parse(raw: &str) -> Physical {
    let lower = normalized(raw);
    if lower.contains(['<', '[']) {
        return Physical::Other(lower);
    }
    // The parameters are the parenthesized part, wherever it is (`timestamp(3) with time zone`).
    let (base, params) = match (lower.find('('), lower.find(')')) {
        (Some(open), Some(close)) if open < close => (
            format!("{} {}", &lower[..open], &lower[close + 1..]),
            lower[open + 1..close]
                .split(',')
                .map(|p| p.trim().to_owned())
                .collect::<Vec<_>>(),
        ),
        _ => (lower.clone(), Vec::new()),
    };
    let base = base.split_whitespace().collect::<Vec<_>>().join(" ");
    let param = |i: usize| params.get(i).and_then(|p| p.parse::<u64>().ok());
    use Physical::*;
    match base.as_str() {
        "tinyint" | "int1" | "byte" => Int(8),
        "smallint" | "int2" | "short" | "smallserial" | "serial2" => Int(16),
        "mediumint" => Int(24),
        "int" | "integer" | "int4" | "serial" | "serial4" | "int32" => Int(32),
        "bigint" | "int8" | "long" | "bigserial" | "serial8" | "int64" => Int(64),
        "hugeint" | "int128" => Int(128),
        "real" | "float4" | "float32" => Float(32),
        "double" | "double precision" | "float8" | "float64" => Float(64),
        // `float(p)` is single precision up to 24 bits of mantissa; a bare `float` is read as single,
        // so that going from `double` to it is never missed.
        "float" => Float(if param(0).is_some_and(|p| p > 24) { 64 } else { 32 }),
        "decimal" | "numeric" | "dec" | "number" | "bignumeric" | "bigdecimal" => {
            Decimal(param(0), param(1).unwrap_or(0))
        }
        "varchar" | "character varying" | "nvarchar" | "varchar2" | "nvarchar2" | "string" | "text"
        | "clob" | "nclob" | "longtext" | "mediumtext" | "ntext" | "citext" => Text(param(0)),
        "char" | "character" | "nchar" | "bpchar" => Text(Some(param(0).unwrap_or(1))),
        "tinytext" => Text(Some(255)),
        "binary" | "varbinary" | "bytea" | "blob" | "bytes" | "longblob" | "image" => Binary(param(0)),
        "date" => Date,
        "timestamp"
        | "datetime"
        | "datetime2"
        | "timestamp_ntz"
        | "timestamp without time zone"
        | "smalldatetime" => Timestamp {
            tz: false,
            precision: param(0).unwrap_or(6),
        },
        "timestamptz"
        | "timestamp_tz"
        | "timestamp_ltz"
        | "timestamp with time zone"
        | "timestamp with local time zone"
        | "datetimeoffset" => Timestamp {
            tz: true,
            precision: param(0).unwrap_or(6),
        },
        "time" | "time without time zone" => Time {
            tz: false,
            precision: param(0).unwrap_or(6),
        },
        "timetz" | "time with time zone" => Time {
            tz: true,
            precision: param(0).unwrap_or(6),
        },
        "boolean" | "bool" => Bool,
        "bit" if param(0).unwrap_or(1) == 1 => Bool,
        _ => Other(lower),
    }
}

/// Decimal digits an integer of `bits` needs.
fn int_digits(bits: u32) -> u64 {
    match bits {
        0..=8 => 3,
        9..=16 => 5,
        17..=24 => 8,
        25..=32 => 10,
        33..=64 => 19,
        _ => 39,
    }
}

fn length(old: Option<u64>, new: Option<u64>) -> Compat {
    match (old, new) {
        (None, None) => Compat::Same,
        (Some(_), None) => Compat::Widened,
        (None, Some(_)) => Compat::Narrowed,
        (Some(a), Some(b)) => order(a, b),
    }
}

pub(super) fn physical_compat(old: &str, new: &str) -> Compat {
    if normalized(old) == normalized(new) {
        return Compat::Same;
    }
    use Physical::*;
    let compat = match (physical_parse(old), physical_parse(new)) {
        (Int(a), Int(b)) | (Float(a), Float(b)) => order(a, b),
        (Int(_), Float(_)) => Compat::Widened,
        (Int(bits), Decimal(precision, scale)) => match precision {
            Some(p) if p.saturating_sub(scale) < int_digits(bits) => Compat::Narrowed,
            _ => Compat::Widened,
        },
        (Decimal(precision, scale), Int(bits)) => match precision {
            Some(p) if scale == 0 && p <= int_digits(bits) => Compat::Widened,
            _ => Compat::Narrowed,
        },
        (Float(_), Int(_)) | (Float(_), Decimal(..)) | (Decimal(..), Float(_)) => Compat::Narrowed,
        (Decimal(p1, s1), Decimal(p2, s2)) => match (p1, p2) {
            (None, None) => order(s1, s2),
            (Some(_), None) => Compat::Widened,
            (None, Some(_)) => Compat::Narrowed,
            (Some(p1), Some(p2)) => both(order(p1.saturating_sub(s1), p2.saturating_sub(s2)), order(s1, s2)),
        },
        (Text(a), Text(b)) | (Binary(a), Binary(b)) => length(a, b),
        (Date, Timestamp { .. }) => Compat::Widened,
        (Timestamp { .. }, Date) => Compat::Narrowed,
        (
            Timestamp {
                tz: tz1,
                precision: p1,
            },
            Timestamp {
                tz: tz2,
                precision: p2,
            },
        )
        | (
            Time {
                tz: tz1,
                precision: p1,
            },
            Time {
                tz: tz2,
                precision: p2,
            },
        ) => {
            if tz1 == tz2 {
                order(p1, p2)
            } else {
                Compat::Changed
            }
        }
        (Date, Date) | (Bool, Bool) => Compat::Same,
        (Other(a), Other(b)) if a == b => Compat::Same,
        _ => Compat::Changed,
    };
    if compat == Compat::Same {
        Compat::Equivalent
    } else {
        compat
    }
}

#[cfg(test)]
mod tests {
    use crate::diff::test_support::column;
    use serde_json::json;

    fn physical(old: &str, new: &str) -> Vec<(&'static str, bool)> {
        column(
            json!({"name": "a", "physicalType": old}),
            json!({"name": "a", "physicalType": new}),
        )
    }

    #[test]
    fn physical_types_widen_and_narrow_by_size_length_and_precision() {
        assert_eq!(physical("varchar(100)", "varchar(50)"), [("type-narrowed", true)]);
        assert_eq!(physical("varchar(50)", "varchar(100)"), [("type-widened", false)]);
        assert_eq!(physical("varchar(50)", "text"), [("type-widened", false)]);
        assert_eq!(
            physical("VARCHAR(50)", "varchar( 50 )"),
            [],
            "only spelled in other case"
        );
        assert_eq!(physical("bigint", "int"), [("type-narrowed", true)]);
        assert_eq!(physical("int", "bigint"), [("type-widened", false)]);
        assert_eq!(physical("int", "integer"), [("type-respelled", false)]);
        assert_eq!(physical("smallint", "int4"), [("type-widened", false)]);
        assert_eq!(physical("int", "double"), [("type-widened", false)]);
        assert_eq!(physical("double", "float"), [("type-narrowed", true)]);
        assert_eq!(physical("double", "int"), [("type-narrowed", true)]);
        assert_eq!(
            physical("decimal(10,2)", "decimal(12,2)"),
            [("type-widened", false)]
        );
        assert_eq!(
            physical("decimal(10,2)", "decimal(10,1)"),
            [("type-narrowed", true)]
        );
        assert_eq!(
            physical("decimal(10,2)", "numeric(12,4)"),
            [("type-widened", false)]
        );
        assert_eq!(physical("int", "decimal(5,0)"), [("type-narrowed", true)]);
        assert_eq!(physical("int", "decimal(18,2)"), [("type-widened", false)]);
        assert_eq!(physical("timestamp", "date"), [("type-narrowed", true)]);
        assert_eq!(physical("date", "timestamp"), [("type-widened", false)]);
        assert_eq!(
            physical("timestamp(6)", "timestamp(3)"),
            [("type-narrowed", true)]
        );
        assert_eq!(physical("timestamp", "timestamptz"), [("type-changed", true)]);
        assert_eq!(physical("varchar(10)", "int"), [("type-changed", true)]);
        assert_eq!(physical("int", "varchar(10)"), [("type-changed", true)]);
        assert_eq!(physical("array<string>", "array<int>"), [("type-changed", true)]);
        assert_eq!(physical("char(2)", "varchar(2)"), [("type-respelled", false)]);
        assert_eq!(physical("boolean", "bool"), [("type-respelled", false)]);
    }
}
