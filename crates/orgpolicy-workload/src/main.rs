//! Writes the standard workload to a directory, for benchmarks outside Rust:
//! `policy.json`, `organizations.json` (`[[organization_id, {roles}]]`),
//! `members.json` (`[[organization index, [roles]]]`), `names.json`
//! (`{organizations, resources, actions}`) and `checks.bin` (little-endian
//! u32 quadruples: member, organization, resource, action).

use orgpolicy_workload::{Shape, Workload};
use std::io::Write;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: orgpolicy-workload OUT_DIR")?,
    );
    std::fs::create_dir_all(&out)?;
    let workload = Workload::generate(Shape::STANDARD, 0x5EED);
    std::fs::write(
        out.join("policy.json"),
        serde_json::to_string(&workload.policy)?,
    )?;
    let organizations: Vec<_> = workload.organization_policy_pairs().collect();
    std::fs::write(
        out.join("organizations.json"),
        serde_json::to_string(&organizations)?,
    )?;
    let members: Vec<_> = workload
        .members
        .iter()
        .map(|m| (m.organization, &m.roles))
        .collect();
    std::fs::write(out.join("members.json"), serde_json::to_string(&members)?)?;
    let names = serde_json::json!({
        "organizations": workload.organization_ids,
        "resources": workload.resource_ids,
        "actions": workload.action_names,
    });
    std::fs::write(out.join("names.json"), names.to_string())?;
    let mut checks = std::io::BufWriter::new(std::fs::File::create(out.join("checks.bin"))?);
    for check in &workload.checks {
        for value in [
            check.member,
            check.organization,
            check.resource,
            check.action,
        ] {
            checks.write_all(&value.to_le_bytes())?;
        }
    }
    checks.flush()?;
    eprintln!("wrote the workload to {}", out.display());
    Ok(())
}
