//! The policy packs Meshport ships: the global pack of the mesh's federated governance and example
//! domain packs, embedded at build time from `packs/`.

use crate::policy::{PackError, PolicyPack, Source};

include!(concat!(env!("OUT_DIR"), "/packs.rs"));

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
    PolicyPack::from_sources(&format!("shipped:{name}"), sources.collect())
}
