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

/// wasm-bindgen-cli must equal the `wasm-bindgen` crate in Cargo.lock.
const WASM_BINDGEN_VERSION: &str = "0.2.130";
/// Budget for the main entry's `.wasm` (what every page loads), gzipped:
/// the package's 40 KB target (60 KB until explanations moved to
/// `orgpolicy/tools`, 50 KB until `Session` moved to JS and the answers to
/// the snippet: 39.7 KB after).
const GZIP_BUDGET: usize = 40 * 1024;
/// The package's two modules, built from one crate: (cargo features, name).
/// `orgpolicy` is the main entry (`Engine`, `Session`); `orgpolicy_tools` is
/// `orgpolicy/tools` (explanations, validation, diffs, effective roles, M2M).
const MODULES: [(&[&str], &str); 2] = [
    (&[], "orgpolicy"),
    (
        &["--no-default-features", "--features", "tools"],
        "orgpolicy_tools",
    ),
];
/// Target for the console's whole transfer (wasm, JS, CSS, HTML), gzipped:
/// 350 KB until the console gained Browse, the role editor, examples and
/// id pickers (+34 KB); first render stays far under its 1 s target.
const CONSOLE_BUDGET: usize = 400 * 1024;
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
        && Path::new("node_modules/.bin/esbuild").exists()
        && Path::new("node_modules/.bin/tsc").exists()
        && Path::new("node_modules/axe-core/axe.min.js").exists()
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
    let package = root.join("target/npm/orgpolicy");
    if package.exists() {
        std::fs::remove_dir_all(&package)?;
    }
    for (features, name) in MODULES {
        let mut selection = vec!["-p", "orgpolicy-wasm"];
        selection.extend_from_slice(features);
        let input = build_wasm(root, &selection, "orgpolicy_wasm", "wasm-release")?;
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
                    name,
                    path(&input)?,
                ],
            )?;
            optimize(root, level, &out.join(format!("{name}_bg.wasm")))?;
        }
    }
    // `js/orgpolicy.js` is an ES module; say so, so Node loads it as one
    // (the `nodejs` build requires it) instead of trying CommonJS first.
    // Each build says what its own files are: the `web` and `bundler`
    // builds are ES modules, the `nodejs` build CommonJS (the package's
    // own `type`), so resolvers and type checkers read each right.
    for (_, dir, _) in TARGETS {
        export_session(&package.join(dir), dir == "node")?;
        if dir == "web" {
            let build = package.join(dir);
            minify(root, &build.join(snippet(&build)?))?;
        }
        module_kind(&package.join(dir).join("snippets"), "module")?;
        module_kind(
            &package.join(dir),
            if dir == "node" { "commonjs" } else { "module" },
        )?;
    }
    let source = root.join("crates/orgpolicy-wasm/package");
    copy_files(&source, &package, &["package.json", "README.md"])?;
    copy_files(root, &package, &["LICENSE-MIT", "LICENSE-APACHE"])?;
    // The React bindings: plain ES modules over any build's `Engine`.
    copy_files(
        &source.join("react"),
        &package.join("react"),
        &["index.js", "index.d.ts"],
    )?;
    module_kind(&package.join("react"), "module")?;
    // `orgpolicy-types`: project policy in, permission types out.
    copy_files(
        &source.join("bin"),
        &package.join("bin"),
        &["orgpolicy-types.js"],
    )?;
    eprintln!("built {}", package.display());
    Ok(package)
}

/// Copies `files` from `from` into `to` (created if missing).
fn copy_files(from: &Path, to: &Path, files: &[&str]) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for file in files {
        std::fs::copy(from.join(file), to.join(file))
            .with_context(|| format!("copying {} into {}", file, to.display()))?;
    }
    Ok(())
}

/// Re-exports `Session` from the main entry of the build in `dir`.
/// `Session` is JS over `Engine` (`js/orgpolicy.js`, which wasm-bindgen
/// copies into the build's `snippets`), and wasm-bindgen's glue exports
/// only the module's Rust items; its types are in the glue's `.d.ts`
/// already (`src/runtime.rs`).
fn export_session(dir: &Path, commonjs: bool) -> Result<()> {
    let module = snippet(dir)?;
    let line = if commonjs {
        format!("exports.Session = require(\"{module}\").Session;\n")
    } else {
        format!("export {{ Session }} from \"{module}\";\n")
    };
    let entry = dir.join("orgpolicy.js");
    let mut glue = std::fs::read_to_string(&entry)?;
    if !glue.ends_with('\n') {
        glue.push('\n');
    }
    glue.push_str(&line);
    std::fs::write(&entry, glue).with_context(|| format!("writing {}", entry.display()))
}

/// The path of the build in `dir`'s copy of `js/orgpolicy.js`, relative to
/// `dir` (`./snippets/<crate-hash>/js/orgpolicy.js`): there must be exactly
/// one.
fn snippet(dir: &Path) -> Result<String> {
    let mut snippets = Vec::new();
    for entry in std::fs::read_dir(dir.join("snippets"))? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            snippets.push(entry.file_name());
        }
    }
    let [snippet] = snippets.as_slice() else {
        bail!(
            "expected one snippet directory in {}, found {snippets:?}",
            dir.display()
        );
    };
    let module = format!("./snippets/{}/js/orgpolicy.js", snippet.to_string_lossy());
    if !dir.join(&module).exists() {
        bail!("{} has no {module}", dir.display());
    }
    Ok(module)
}

/// Minifies the `web` build's copy of the snippet in place with npm's
/// esbuild: whitespace, comments and syntax, not names, so stack traces
/// and `Session.name` read as written (renaming saves 0.6 KB more, and
/// keeping class names through it needs class static blocks, newer
/// syntax than the snippet's). That build is the one loaded without a
/// bundler, straight from a page or a CDN: 8.7 KB gzipped with its
/// comments, 4.3 KB minified. The `bundler` and `nodejs` builds keep the
/// readable source (bundlers minify; Node reads it once).
fn minify(root: &Path, file: &Path) -> Result<()> {
    let file = path(file)?;
    run(
        &root.join("node_modules/.bin/esbuild").to_string_lossy(),
        &[
            file,
            "--minify-whitespace",
            "--minify-syntax",
            "--format=esm",
            "--log-level=warning",
            "--allow-overwrite",
            &format!("--outfile={file}"),
        ],
    )
}

/// Says what the `.js` files of `dir` are (`"module"` or `"commonjs"`), in a
/// `package.json` of their own.
fn module_kind(dir: &Path, kind: &str) -> Result<()> {
    std::fs::write(
        dir.join("package.json"),
        format!("{{ \"type\": \"{kind}\" }}\n"),
    )
    .with_context(|| format!("writing {}", dir.join("package.json").display()))
}

/// Builds a crate for wasm32 with the one wasm profile; returns the module.
fn build_wasm(root: &Path, selection: &[&str], artifact: &str, profile: &str) -> Result<PathBuf> {
    let mut args = vec!["build"];
    args.extend_from_slice(selection);
    args.extend(["--target", crate::WASM_TARGET, "--profile", profile]);
    run("cargo", &args)?;
    Ok(root.join(format!(
        "target/{}/{profile}/{artifact}.wasm",
        crate::WASM_TARGET
    )))
}

/// Runs npm binaryen's wasm-opt in place (never a system wasm-opt: Debian's
/// corrupts wasm-bindgen output).
fn optimize(root: &Path, level: &str, wasm: &Path) -> Result<()> {
    run(
        &root.join("node_modules/.bin/wasm-opt").to_string_lossy(),
        &[
            level,
            // Passes again until the module stops shrinking (about 1% more).
            "--converge",
            "--strip-debug",
            "--strip-producers",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-reference-types",
            "--enable-multivalue",
            path(wasm)?,
            "-o",
            path(wasm)?,
        ],
    )
}

/// Builds the console (web/) into `target/console`: the wasm module,
/// wasm-bindgen's loader, `index.html`, `main.js` and `style.css`.
pub fn build_console(root: &Path) -> Result<PathBuf> {
    tools()?;
    let input = build_wasm(
        root,
        &["-p", "orgpolicy-console", "--bin", "orgpolicy-console"],
        "orgpolicy-console",
        "console-release",
    )?;
    let out = root.join("target/console");
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    run(
        "wasm-bindgen",
        &[
            "--target",
            "web",
            "--no-typescript",
            "--out-dir",
            path(&out)?,
            path(&input)?,
        ],
    )?;
    optimize(root, "-Oz", &out.join("orgpolicy-console_bg.wasm"))?;
    for (from, to) in [
        ("index.html", "index.html"),
        ("web/main.js", "main.js"),
        ("web/style.css", "style.css"),
    ] {
        std::fs::copy(root.join(from), out.join(to)).with_context(|| format!("copying {from}"))?;
    }
    eprintln!("built {}", out.display());
    Ok(out)
}

/// The console's transfer, gzipped: every file a first visit downloads.
pub fn console_size(root: &Path) -> Result<()> {
    let out = build_console(root)?;
    let mut total = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&out)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let bytes = std::fs::read(entry.path())?;
        let gz = gzip_size(&bytes)?;
        total += gz;
        println!(
            "{}: {} bytes raw, {gz} bytes gzipped",
            entry.file_name().to_string_lossy(),
            bytes.len()
        );
    }
    println!("console total: {total} bytes gzipped (target {CONSOLE_BUDGET})");
    if total > CONSOLE_BUDGET {
        bail!("the console is {total} bytes gzipped, over the {CONSOLE_BUDGET}-byte target");
    }
    Ok(())
}

fn path(path: &Path) -> Result<&str> {
    path.to_str().context("paths here are UTF-8")
}

/// The size of `bytes` gzipped at level 9, as a server would send them.
fn gzip_size(bytes: &[u8]) -> Result<usize> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len())
}

/// Prints the shipped sizes and fails when the main entry's `.wasm` is past
/// the budget. `orgpolicy/tools` is printed beside it: only pages that
/// validate or diff policies load it.
pub fn size(root: &Path) -> Result<()> {
    let package = build(root)?;
    let mut main_gz = 0;
    for (_, name) in MODULES {
        for file in [format!("{name}_bg.wasm"), format!("{name}.js")] {
            let bytes = std::fs::read(package.join("web").join(&file))?;
            let gz = gzip_size(&bytes)?;
            println!("web/{file}: {} bytes raw, {gz} bytes gzipped", bytes.len());
            if file == "orgpolicy_bg.wasm" {
                main_gz = gz;
            }
        }
    }
    // The JS half both modules import (minified in this build).
    let web = package.join("web");
    let module = snippet(&web)?;
    let bytes = std::fs::read(web.join(&module))?;
    println!(
        "web/{}: {} bytes raw, {} bytes gzipped",
        module.trim_start_matches("./"),
        bytes.len(),
        gzip_size(&bytes)?
    );
    println!("main entry .wasm: {main_gz} bytes gzipped (budget {GZIP_BUDGET})");
    if main_gz > GZIP_BUDGET {
        bail!(
            "the main entry's .wasm is {main_gz} bytes gzipped, over the {GZIP_BUDGET}-byte budget"
        );
    }
    Ok(())
}
