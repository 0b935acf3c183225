//! The standards' own commands: `meshport upgrade` (ODCS v3.0.x contracts rewritten as v3.1.0, shown
//! as a diff or written), and `validate`'s `--severity RULE=LEVEL` and `--rules`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use meshport_core::validate::DocumentReport;
use meshport_governance::Standard;
use meshport_governance::semantic::RULES;
use meshport_governance::upgrade::{DocumentUpgrade, UpgradeError, contracts_upgrade};
use meshport_model::{Finding, Severity};

#[derive(Debug, clap::Args)]
pub struct UpgradeArgs {
    /// The version to write; the newest ODCS version is the only one.
    #[arg(long, default_value = "v3.1.0", value_name = "VERSION")]
    to: String,
    /// Write the upgraded files in place instead of printing a diff.
    #[arg(long)]
    write: bool,
    /// ODCS contracts (YAML or JSON); other documents in them are left as they are.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

pub fn upgrade(args: UpgradeArgs) -> anyhow::Result<ExitCode> {
    if args.to != Standard::ODCS_LATEST.api_version() {
        anyhow::bail!(
            "--to {}: upgrade writes {} only",
            args.to,
            Standard::ODCS_LATEST.api_version()
        );
    }
    let mut refused = false;
    let mut out = std::io::stdout().lock();
    for file in &args.files {
        let shown = file.display().to_string();
        let text = std::fs::read_to_string(file).with_context(|| format!("reading {shown}"))?;
        let upgraded = match contracts_upgrade(&text, &args.to) {
            Ok(upgraded) => upgraded,
            Err(UpgradeError::Refused { document, refusals }) => {
                refused = true;
                let which = if text.contains("\n---") {
                    format!(" (document {})", document + 1)
                } else {
                    String::new()
                };
                eprintln!("{shown}{which}: not upgraded, left unchanged:");
                for refusal in refusals {
                    eprintln!("  {}: {}", refusal.path, refusal.message);
                }
                continue;
            }
            Err(error @ UpgradeError::Syntax(_)) => anyhow::bail!("{shown}: {error}"),
            Err(error @ UpgradeError::Target(_)) => anyhow::bail!("{error}"),
        };
        for (i, doc) in upgraded.documents.iter().enumerate() {
            let which = if upgraded.documents.len() > 1 {
                format!(" (document {})", i + 1)
            } else {
                String::new()
            };
            match doc {
                DocumentUpgrade::Upgraded { from, changes } => {
                    eprintln!("{shown}{which}: {from} → {}", args.to);
                    for change in changes {
                        eprintln!("  {change}");
                    }
                }
                DocumentUpgrade::Current => eprintln!("{shown}{which}: already {}", args.to),
                DocumentUpgrade::NotAContract => {
                    eprintln!("{shown}{which}: not an ODCS contract, left as it is")
                }
            }
        }
        if !upgraded.changed() {
            continue;
        }
        if args.write {
            std::fs::write(file, &upgraded.text).with_context(|| format!("writing {shown}"))?;
        } else {
            out.write_all(unified_diff(&shown, &text, &upgraded.text).as_bytes())?;
        }
    }
    Ok(if refused {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A unified diff of two texts, three lines of context, as `diff -u` prints it.
fn unified_diff(path: &str, old: &str, new: &str) -> String {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    // The common head and tail are left out of the quadratic part: upgrades change a few lines.
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    // Longest common subsequence of the middle, then the edit script.
    let mut lcs = vec![vec![0u32; mb.len() + 1]; ma.len() + 1];
    for i in (0..ma.len()).rev() {
        for j in (0..mb.len()).rev() {
            lcs[i][j] = if ma[i] == mb[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    // Each line: (' ' | '-' | '+', text, index in old, index in new).
    let mut script: Vec<(char, &str, usize, usize)> = (0..head).map(|i| (' ', a[i], i, i)).collect();
    let (mut i, mut j) = (0, 0);
    while i < ma.len() || j < mb.len() {
        if i < ma.len() && j < mb.len() && ma[i] == mb[j] {
            script.push((' ', ma[i], head + i, head + j));
            i += 1;
            j += 1;
        } else if j < mb.len() && (i == ma.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            script.push(('+', mb[j], head + i, head + j));
            j += 1;
        } else {
            script.push(('-', ma[i], head + i, head + j));
            i += 1;
        }
    }
    for k in 0..tail {
        script.push((' ', a[a.len() - tail + k], a.len() - tail + k, b.len() - tail + k));
    }
    let mut out = format!("--- {path}\n+++ {path} (upgraded)\n");
    let changed: Vec<usize> = (0..script.len()).filter(|&k| script[k].0 != ' ').collect();
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(3);
        let mut end = (changed[k] + 4).min(script.len());
        while k + 1 < changed.len() && changed[k + 1] < end + 3 {
            k += 1;
            end = (changed[k] + 4).min(script.len());
        }
        let hunk = &script[start..end];
        let old_lines = hunk.iter().filter(|l| l.0 != '+').count();
        let new_lines = hunk.iter().filter(|l| l.0 != '-').count();
        out.push_str(&format!(
            "@@ -{},{old_lines} +{},{new_lines} @@\n",
            hunk[0].2 + 1,
            hunk[0].3 + 1
        ));
        for (sign, line, ..) in hunk {
            out.push(*sign);
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
        k += 1;
    }
    out
}

/// `RULE=LEVEL` of `--severity`, the level one of error, warning, info.
pub fn severity_parse(text: &str) -> Result<(String, Severity), String> {
    let (rule, level) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` is not RULE=LEVEL"))?;
    let severity = match level {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        "info" => Severity::Info,
        other => return Err(format!("level `{other}` is not one of error, warning, info")),
    };
    // A policy's rule is `pack/rule`; any other name must be one of the standard's.
    if !rule.contains('/') && !meshport_governance::semantic::is_rule(rule) {
        return Err(format!(
            "`{rule}` is neither one of the standard's rules ({}) nor a policy's `pack/rule`",
            RULES
                .iter()
                .map(|(name, ..)| *name)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok((rule.to_owned(), severity))
}

/// Applies `--severity` to every finding of the rules named, then says again whether each document
/// is valid.
pub fn severities_apply(docs: &mut [DocumentReport], severities: &[(String, Severity)]) {
    if severities.is_empty() {
        return;
    }
    for doc in docs {
        for finding in &mut doc.report.findings {
            if let Some((_, severity)) = severities.iter().rev().find(|(rule, _)| *rule == finding.rule) {
                finding.severity = *severity;
            }
        }
        doc.report.valid = !doc.report.findings.iter().any(Finding::is_error);
    }
}

/// The standard's rules, their default severities and what each covers.
pub fn rules_print(out: &mut impl Write) -> std::io::Result<()> {
    for (rule, severity, what) in RULES {
        writeln!(out, "{rule:<30} {severity:<8} {what}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_read_like_diff_u() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nD\ne\nf\ng\nh\n";
        assert_eq!(
            unified_diff("x", old, new),
            "--- x\n+++ x (upgraded)\n@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n"
        );
    }

    #[test]
    fn severity_flags_name_known_rules_and_levels() {
        assert_eq!(
            severity_parse("semver=error"),
            Ok(("semver".into(), Severity::Error))
        );
        assert!(severity_parse("global/owner=info").is_ok());
        assert!(severity_parse("semvr=error").unwrap_err().contains("semver"));
        assert!(severity_parse("semver=fatal").is_err());
    }
}
