//! The policy packs Meshport ships: the demo mesh's governance (its global pack and two domain
//! packs), embedded at build time from `packs/`. They are not applied unless asked for by name
//! (`meshport validate --policies demo`) or by the desktop app while it runs against the demo mesh:
//! a user's own contracts are checked against the standard and the packs they opted into.

use crate::policy::{PackError, PolicyPack, Source};

include!(concat!(env!("OUT_DIR"), "/packs.rs"));

/// The pack sets Meshport ships, by the name `--policies` takes, with what each is.
pub const SETS: &[(&str, &str)] = &[(
    "demo",
    "the demo retail mesh's governance: the global pack and the marketing and sales domain packs",
)];

/// The packs of the shipped set `name`, if there is one.
pub fn set(name: &str) -> Option<Vec<PolicyPack>> {
    match name {
        "demo" => Some(shipped()),
        _ => None,
    }
}

/// The shipped packs, ready to compile. They are tested, so a failure here is a build defect.
pub fn shipped() -> Vec<PolicyPack> {
    SHIPPED
        .iter()
        .map(|(name, files)| shipped_pack(name, files).unwrap_or_else(|e| panic!("shipped pack {name}: {e}")))
        .collect()
}

fn shipped_pack(name: &str, files: &[(&str, &str)]) -> Result<PolicyPack, PackError> {
    let sources = files.iter().map(|(path, text)| Source {
        path: (*path).to_owned(),
        text: (*text).to_owned(),
    });
    PolicyPack::from_sources_unparsed(&format!("shipped:{name}"), sources.collect())
}
