//! The standards' own commands, arguments and printing only: `meshport upgrade`, and `validate`'s
//! `--severity RULE=LEVEL` and `--rules`. The work is `meshport_core::standards`'.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use meshport_core::standards::{DocumentUpgrade, RULES, Standard, UpgradeOutcome, files_upgrade};

#[derive(Debug, clap::Args)]
pub struct UpgradeArgs {
    /// The version to write; the newest ODCS version is the only one.
    #[arg(long, default_value = Standard::ODCS_LATEST.api_version(), value_name = "VERSION")]
    to: String,
    /// Write the upgraded files in place instead of printing a diff.
    #[arg(long)]
    write: bool,
    /// ODCS contracts (YAML or JSON); other documents in them are left as they are.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// Prints each file's diff on stdout (unless `--write`) and what happened to it on stderr.
pub fn upgrade(args: UpgradeArgs) -> anyhow::Result<ExitCode> {
    let upgrades = files_upgrade(&args.files, &args.to, args.write)?;
    let mut out = std::io::stdout().lock();
    for file in &upgrades {
        let which = |i: usize| {
            if file.documents > 1 {
                format!(" (document {})", i + 1)
            } else {
                String::new()
            }
        };
        match &file.outcome {
            UpgradeOutcome::Refused { document, refusals } => {
                eprintln!("{}{}: not upgraded, left unchanged:", file.path, which(*document));
                for refusal in refusals {
                    eprintln!("  {}: {}", refusal.path, refusal.message);
                }
            }
            UpgradeOutcome::Done { upgrades, diff, .. } => {
                for (i, doc) in upgrades.iter().enumerate() {
                    match doc {
                        DocumentUpgrade::Upgraded { from, changes } => {
                            eprintln!("{}{}: {from} → {}", file.path, which(i), args.to);
                            for change in changes {
                                eprintln!("  {change}");
                            }
                        }
                        DocumentUpgrade::Current => {
                            eprintln!("{}{}: already {}", file.path, which(i), args.to)
                        }
                        DocumentUpgrade::NotAContract => {
                            eprintln!("{}{}: not an ODCS contract, left as it is", file.path, which(i))
                        }
                    }
                }
                if let Some(diff) = diff {
                    out.write_all(diff.as_bytes())?;
                }
            }
        }
    }
    Ok(if upgrades.iter().any(|f| f.refused()) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The standard's rules, their default severities and what each covers.
pub fn rules_print(out: &mut impl Write) -> std::io::Result<()> {
    for (rule, severity, what) in RULES {
        // Severity's Display ignores widths; pad its text.
        let severity = severity.to_string();
        writeln!(out, "{rule:<30} {severity:<8} {what}")?;
    }
    Ok(())
}
