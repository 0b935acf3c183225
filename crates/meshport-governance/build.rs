//! Embeds the shipped policy packs (`packs/<name>/`) into the crate, so the binaries carry them and
//! the library reads no files at run time.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("packs");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut packs: Vec<_> = std::fs::read_dir(&root)
        .expect("packs/ exists")
        .map(|e| e.unwrap().path())
        .collect();
    packs.sort();
    let mut out = String::from("/// Every shipped pack: its folder name and its files (path, text).\n");
    out.push_str("pub static SHIPPED: &[(&str, &[(&str, &str)])] = &[\n");
    for pack in packs.iter().filter(|p| p.is_dir()) {
        println!("cargo:rerun-if-changed={}", pack.display());
        let mut files: Vec<_> = std::fs::read_dir(pack)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let name = pack.file_name().unwrap().to_string_lossy();
        writeln!(out, "    ({name:?}, &[").unwrap();
        for file in files.iter().filter(|f| f.is_file()) {
            println!("cargo:rerun-if-changed={}", file.display());
            let file_name = file.file_name().unwrap().to_string_lossy();
            writeln!(
                out,
                "        ({file_name:?}, include_str!({:?})),",
                file.display().to_string()
            )
            .unwrap();
        }
        out.push_str("    ]),\n");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("packs.rs");
    std::fs::write(dest, out).unwrap();
}
