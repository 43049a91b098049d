//! Building the npm package: one wasm build, `wasm-bindgen` for the `web`,
//! `bundler` and `nodejs` targets, `wasm-opt` from npm's binaryen, and one
//! package whose `exports` pick the right build.
//!
//! wasm-pack builds one target per package; driving wasm-bindgen directly
//! puts all three in one package with one version of every tool pinned here.

use crate::{output, run, setup};
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// wasm-bindgen-cli must equal the `wasm-bindgen` crate in Cargo.lock.
const WASM_BINDGEN_VERSION: &str = "0.2.130";
/// Budget for the shipped `.wasm`, gzipped.
const GZIP_BUDGET: usize = 60 * 1024;
/// wasm-bindgen target, package directory, wasm-opt level: browsers pay for
/// bytes, Node for CPU.
const TARGETS: [(&str, &str, &str); 3] = [
    ("web", "web", "-Oz"),
    ("bundler", "bundler", "-Oz"),
    ("nodejs", "node", "-O3"),
];

/// Installs what building the package needs, skipping what is present.
pub fn tools() -> Result<()> {
    setup()?;
    let installed = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    if installed.trim() == format!("wasm-bindgen {WASM_BINDGEN_VERSION}") {
        eprintln!("setup: wasm-bindgen {WASM_BINDGEN_VERSION} present");
    } else {
        // Without --locked: the index lacks one of its locked dependencies.
        run(
            "cargo",
            &[
                "install",
                "wasm-bindgen-cli",
                "--version",
                &format!("={WASM_BINDGEN_VERSION}"),
            ],
        )?;
    }
    if Path::new("node_modules/.bin/wasm-opt").exists()
        && Path::new("node_modules/.bin/tsc").exists()
    {
        eprintln!("setup: node_modules present");
    } else {
        run("npm", &["ci", "--no-audit", "--no-fund"])?;
    }
    Ok(())
}

/// Builds the package; returns its directory.
pub fn build(root: &Path) -> Result<PathBuf> {
    tools()?;
    run(
        "cargo",
        &[
            "build",
            "-p",
            "orgpolicy-wasm",
            "--target",
            crate::WASM_TARGET,
            "--profile",
            "wasm-release",
        ],
    )?;
    let input = root.join("target/wasm32-unknown-unknown/wasm-release/orgpolicy_wasm.wasm");
    let package = root.join("target/npm/orgpolicy");
    if package.exists() {
        std::fs::remove_dir_all(&package)?;
    }
    for (target, dir, level) in TARGETS {
        let out = package.join(dir);
        run(
            "wasm-bindgen",
            &[
                "--target",
                target,
                "--out-dir",
                path(&out)?,
                "--out-name",
                "orgpolicy_wasm",
                path(&input)?,
            ],
        )?;
        let wasm = out.join("orgpolicy_wasm_bg.wasm");
        run(
            &root.join("node_modules/.bin/wasm-opt").to_string_lossy(),
            &[
                level,
                "--strip-debug",
                "--strip-producers",
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-mutable-globals",
                "--enable-reference-types",
                "--enable-multivalue",
                path(&wasm)?,
                "-o",
                path(&wasm)?,
            ],
        )?;
    }
    let source = root.join("crates/orgpolicy-wasm/package");
    for file in ["package.json", "README.md"] {
        std::fs::copy(source.join(file), package.join(file))
            .with_context(|| format!("copying {file}"))?;
    }
    eprintln!("built {}", package.display());
    Ok(package)
}

fn path(path: &Path) -> Result<&str> {
    path.to_str().context("paths here are UTF-8")
}

fn gzip_size(bytes: &[u8]) -> Result<usize> {
    let mut child = Command::new("gzip")
        .args(["-9", "-c"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()?;
    child.stdin.take().context("gzip stdin")?.write_all(bytes)?;
    Ok(child.wait_with_output()?.stdout.len())
}

/// Prints the shipped sizes and fails past the budget.
pub fn size(root: &Path) -> Result<()> {
    let package = build(root)?;
    let wasm = std::fs::read(package.join("web/orgpolicy_wasm_bg.wasm"))?;
    let js = std::fs::read(package.join("web/orgpolicy_wasm.js"))?;
    let (wasm_gz, js_gz) = (gzip_size(&wasm)?, gzip_size(&js)?);
    println!(
        "orgpolicy_wasm_bg.wasm: {} bytes raw, {} bytes gzipped (budget {} gzipped)",
        wasm.len(),
        wasm_gz,
        GZIP_BUDGET
    );
    println!(
        "orgpolicy_wasm.js (web): {} bytes raw, {} bytes gzipped",
        js.len(),
        js_gz
    );
    if wasm_gz > GZIP_BUDGET {
        bail!("the shipped .wasm is {wasm_gz} bytes gzipped, over the {GZIP_BUDGET}-byte budget");
    }
    Ok(())
}
