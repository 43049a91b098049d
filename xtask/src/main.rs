//! `cargo xtask`: the project's build, test, bench and fuzz commands.
//!
//! Every command installs what it needs first, idempotently: a tool already
//! present at the right version is left alone.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

mod browser;
mod wasm;

#[derive(Parser)]
#[command(about = "orgpolicy's build, test, bench and fuzz commands")]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Install what the build and tests need (idempotent).
    Setup,
    /// Build the console and run the gateway over the embedded sandbox on
    /// 127.0.0.1 (data kept in .orgpolicy/ between runs).
    Serve {
        /// Extra arguments for the gateway (see `orgpolicy-gateway --help`).
        #[arg(trailing_var_arg = true)]
        args: Vec<String>,
    },
    /// Format check, clippy (native and wasm32), dependency rules, every test.
    Test,
    /// Run the performance workload and print the figures against the targets.
    Bench,
    /// The npm package against a plain-JS checker on the same workload, in Node.
    BenchNode,
    /// The same in headless Chromium (the `web` build): loading and
    /// `isAuthorized` by kind.
    BenchBrowser,
    /// Organization gets through the gateway against straight to the
    /// sandbox; latency under 500 idle sockets and the heaviest searches.
    BenchGateway,
    /// The console in headless Chromium: transfer, first render, keystroke to snippet.
    BenchConsole,
    /// Build the npm package into target/npm/orgpolicy (web, bundler, nodejs).
    Wasm,
    /// Build the npm package and print its sizes; fails past the budget.
    Size,
    /// Build the console into target/console and print its gzipped transfer.
    Console,
    /// Run a fuzz target (needs cargo-fuzz; installs it if missing).
    Fuzz {
        /// `parse_evaluate`, `differential` or `request_matcher`.
        #[arg(default_value = "differential")]
        target: String,
        /// How long to fuzz.
        #[arg(long, default_value_t = 600)]
        seconds: u64,
    },
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let root = project_root()?;
    std::env::set_current_dir(&root)?;
    match cli.command {
        Task::Setup => setup(),
        Task::Serve { args } => serve(&root, &args),
        Task::Test => test(),
        Task::Bench => bench(&root),
        Task::BenchNode => bench_js(&root, "bench/node.mjs"),
        Task::BenchBrowser => bench_js(&root, "bench/browser.mjs"),
        Task::BenchGateway => run(
            "cargo",
            &["bench", "-p", "orgpolicy-gateway", "--bench", "gateway"],
        )
        .and_then(|()| {
            run(
                "cargo",
                &["bench", "-p", "orgpolicy-gateway", "--bench", "siege"],
            )
        }),
        Task::BenchConsole => bench_console(&root),
        Task::Wasm => wasm::build(&root).map(|_| ()),
        Task::Size => wasm::size(&root),
        Task::Console => wasm::console_size(&root),
        Task::Fuzz { target, seconds } => fuzz(&target, seconds),
    }
}

fn project_root() -> Result<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map(Path::to_path_buf)
        .context("xtask lives one level below the root")
}

pub(crate) fn run(program: &str, args: &[&str]) -> Result<()> {
    eprintln!("$ {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .status()
        .with_context(|| format!("starting {program}"))?;
    if !status.success() {
        bail!("`{program} {}` failed: {status}", args.join(" "));
    }
    Ok(())
}

pub(crate) fn output(program: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(program)
        .args(args)
        .stderr(Stdio::inherit())
        .output()?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

pub(crate) const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The console crate (web/): wasm-only, built and tested for the browser.
const CONSOLE_CRATE: &str = "orgpolicy-console";

pub(crate) fn setup() -> Result<()> {
    let installed = output("rustup", &["target", "list", "--installed"])?;
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        eprintln!("setup: {WASM_TARGET} target present");
    } else {
        run("rustup", &["target", "add", WASM_TARGET])?;
    }
    Ok(())
}

/// Sums `test result:` lines of cargo test output.
#[derive(Debug, Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    fn add_cargo_output(&mut self, text: &str) {
        for line in text.lines() {
            // node --test: "# pass 118" / "# fail 0"
            if let Some(count) = line
                .strip_prefix("# pass ")
                .and_then(|n| n.trim().parse::<u64>().ok())
            {
                self.passed += count;
                continue;
            }
            if let Some(count) = line
                .strip_prefix("# fail ")
                .and_then(|n| n.trim().parse::<u64>().ok())
            {
                self.failed += count;
                continue;
            }
            let Some(rest) = line.trim().strip_prefix("test result: ") else {
                continue;
            };
            for part in rest.split(';') {
                let mut words = part.split_whitespace().rev();
                let (Some(label), Some(count)) = (words.next(), words.next()) else {
                    continue;
                };
                let Ok(count) = count.parse::<u64>() else {
                    continue;
                };
                match label {
                    "passed" => self.passed += count,
                    "failed" => self.failed += count,
                    _ => {}
                }
            }
        }
    }
}

/// Runs a test command, echoing its output, and tallies its results.
fn run_tests(tally: &mut Tally, program: &str, args: &[&str]) -> Result<bool> {
    run_tests_env(tally, program, args, &[])
}

fn run_tests_env(
    tally: &mut Tally,
    program: &str,
    args: &[&str],
    env: &[(&str, &str)],
) -> Result<bool> {
    run_tests_capture(tally, program, args, env).map(|(ok, _)| ok)
}

/// Like [`run_tests_env`], and fails unless the output says `must_say` and
/// at least one test passed (a browser run can skip everything and exit 0).
fn run_tests_insisting(
    tally: &mut Tally,
    program: &str,
    args: &[&str],
    env: &[(&str, &str)],
    must_say: &str,
) -> Result<bool> {
    let before = tally.passed;
    let (ok, said) = run_tests_capture(tally, program, args, env)?;
    if !said.contains(must_say) || tally.passed == before {
        eprintln!(
            "FAILED: `{program} {}` did not say `{must_say}` or passed no test",
            args.join(" ")
        );
        tally.failed += 1;
        return Ok(false);
    }
    Ok(ok)
}

/// Runs a test command, echoing and tallying it; returns success and all it printed.
fn run_tests_capture(
    tally: &mut Tally,
    program: &str,
    args: &[&str],
    env: &[(&str, &str)],
) -> Result<(bool, String)> {
    eprintln!("$ {program} {}", args.join(" "));
    let out = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .stderr(Stdio::piped())
        .stdout(Stdio::piped())
        .output()?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    print!("{stdout}");
    eprint!("{stderr}");
    let before = tally.failed;
    tally.add_cargo_output(&stdout);
    if !out.status.success() && tally.failed == before {
        // A build failure or crash: count it, so the summary cannot read green.
        tally.failed += 1;
    }
    Ok((out.status.success(), format!("{stdout}{stderr}")))
}

/// The version of Stytch's Python SDK the conformance test drives.
const PYTHON_SDK_VERSION: &str = "15.3.0";

/// A Python with Stytch's SDK at [`PYTHON_SDK_VERSION`], in a virtual
/// environment under `target/` (created, or upgraded, only when it is not
/// there at that version). Returns its interpreter's path.
fn python_sdk(root: &Path) -> Result<String> {
    let venv = root.join("target").join("python-sdk");
    let python = venv.join("bin").join("python");
    let python_path = python.to_str().context("UTF-8 path")?.to_owned();
    let installed = Command::new(&python)
        .args([
            "-c",
            "import importlib.metadata as m; print(m.version('stytch'))",
        ])
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == PYTHON_SDK_VERSION);
    if installed {
        eprintln!("setup: stytch {PYTHON_SDK_VERSION} (Python) present");
        return Ok(python_path);
    }
    let venv_path = venv.to_str().context("UTF-8 path")?;
    run("python3", &["-m", "venv", venv_path])?;
    run(
        &python_path,
        &[
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            &format!("stytch=={PYTHON_SDK_VERSION}"),
        ],
    )?;
    Ok(python_path)
}

/// Crates the core must never depend on: it is pure and target-neutral.
const FORBIDDEN_IN_CORE: &[&str] = &[
    "wasm-bindgen",
    "js-sys",
    "web-sys",
    "tokio",
    "axum",
    "hyper",
    "reqwest",
    "rusqlite",
    "gloo-net",
    "leptos",
];

fn check_core_dependencies() -> Result<()> {
    let tree = output(
        "cargo",
        &[
            "tree",
            "-p",
            "orgpolicy-core",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--target",
            "all",
        ],
    )?;
    let found: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| FORBIDDEN_IN_CORE.contains(name))
        .collect();
    if !found.is_empty() {
        bail!(
            "orgpolicy-core depends on {found:?}: the core must stay free of I/O and platform crates"
        );
    }
    eprintln!("core dependencies: none of {FORBIDDEN_IN_CORE:?}");
    // The npm runtime ships the policy core only, never the API description.
    let runtime = output(
        "cargo",
        &[
            "tree",
            "-p",
            "orgpolicy-wasm",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--target",
            "all",
            "--features",
            "tools",
        ],
    )?;
    if runtime
        .lines()
        .any(|line| line.split_whitespace().next() == Some("orgpolicy-api"))
    {
        bail!(
            "orgpolicy-wasm depends on orgpolicy-api: the npm package depends on the policy core only"
        );
    }
    eprintln!("npm package dependencies: the policy core, not orgpolicy-api");
    Ok(())
}

/// Records a failed step (its error printed) by name.
fn note(failed: &mut Vec<String>, name: &str, result: Result<()>) {
    if let Err(error) = result {
        eprintln!("FAILED: {name}: {error:#}");
        failed.push(name.to_owned());
    }
}

fn test() -> Result<()> {
    setup()?;
    let root = project_root()?;
    // Steps that are not test runners: each failure counts once.
    let mut failed_steps: Vec<String> = Vec::new();
    note(
        &mut failed_steps,
        "rustfmt",
        run("cargo", &["fmt", "--all", "--check"]),
    );
    note(
        &mut failed_steps,
        "clippy (native)",
        run(
            "cargo",
            &[
                "clippy",
                "--workspace",
                "--exclude",
                CONSOLE_CRATE,
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
    );
    note(
        &mut failed_steps,
        "clippy (wasm32)",
        run(
            "cargo",
            &[
                "clippy",
                "-p",
                "orgpolicy-core",
                "-p",
                "orgpolicy-api",
                "-p",
                "orgpolicy-wasm",
                "-p",
                CONSOLE_CRATE,
                // Both of the package's modules.
                "--features",
                "orgpolicy-wasm/tools",
                "--target",
                WASM_TARGET,
                "--",
                "-D",
                "warnings",
            ],
        ),
    );
    note(
        &mut failed_steps,
        "clippy (console tests, wasm32)",
        run(
            "cargo",
            &[
                "clippy",
                "-p",
                CONSOLE_CRATE,
                "--target",
                WASM_TARGET,
                "--tests",
                "--",
                "-D",
                "warnings",
            ],
        ),
    );
    note(
        &mut failed_steps,
        "core dependency rules",
        check_core_dependencies(),
    );
    note(
        &mut failed_steps,
        "fuzz targets build",
        run(
            "cargo",
            &["check", "--manifest-path", "fuzz/Cargo.toml", "--bins"],
        ),
    );

    // Test runners: their own counts go into the tally.
    let mut tally = Tally::default();
    let mut failed_runners: Vec<&str> = Vec::new();
    // The console is wasm-only: its tests run in Chromium below.
    if !run_tests(
        &mut tally,
        "cargo",
        &["test", "--workspace", "--exclude", CONSOLE_CRATE],
    )? {
        failed_runners.push("cargo test");
    }
    // The npm package, built, then the corpus and hostile input in Node and
    // in headless Chromium.
    let built = wasm::build(&root)
        .and_then(|_| wasm::build_console(&root))
        .and_then(|_| run("cargo", &["build", "-p", "orgpolicy-gateway"]))
        .and_then(|()| browser::chromium())
        .and_then(|chromium| Ok((chromium, python_sdk(&root)?)));
    match built {
        Ok((chromium, python)) => {
            note(
                &mut failed_steps,
                "TypeScript consumer (tsc --strict)",
                run("node_modules/.bin/tsc", &["-p", "tests/ts/tsconfig.json"]),
            );
            note(
                &mut failed_steps,
                "TypeScript consumer with generated permission types (tsc --strict)",
                run(
                    "node_modules/.bin/tsc",
                    &["-p", "tests/ts/typed/tsconfig.json"],
                ),
            );
            let args = [
                "--test",
                "--test-reporter=tap",
                "tests/node/",
                "tests/browser/",
                "tests/package/",
                "tests/react/",
                "tests/e2e/",
                "tests/sdk/",
            ];
            if !run_tests_env(
                &mut tally,
                "node",
                &args,
                &[
                    ("CHROMIUM", chromium.as_str()),
                    ("ORGPOLICY_PYTHON_SDK", python.as_str()),
                ],
            )? {
                failed_runners.push("node --test");
            }
            // The shims' wasm-bindgen tests, under Node and then in Chromium.
            let webdriver = root
                .join("tests/webdriver.json")
                .to_string_lossy()
                .into_owned();
            let chromedriver = browser::chromedriver()?;
            let mut env = vec![
                (
                    "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                    "wasm-bindgen-test-runner",
                ),
                ("WASM_BINDGEN_TEST_TIMEOUT", "120"),
                ("CHROMEDRIVER", chromedriver.as_str()),
                ("WASM_BINDGEN_TEST_WEBDRIVER_JSON", webdriver.as_str()),
            ];
            let args = [
                "test",
                "--target",
                WASM_TARGET,
                "-p",
                "orgpolicy-wasm",
                "--features",
                "tools",
                "--test",
                "shims",
            ];
            if !run_tests_insisting(&mut tally, "cargo", &args, &env, "running 4 tests")? {
                failed_runners.push("wasm-bindgen-test (Node)");
            }
            // The same shims in Chromium, then the console's component
            // tests (`run_in_browser`, Chromium only).
            env.push(("WASM_BINDGEN_USE_BROWSER", "1"));
            let console_args = [
                "test",
                "--target",
                WASM_TARGET,
                "-p",
                CONSOLE_CRATE,
                "--test",
                "components",
            ];
            for (args, name) in [
                (&args[..], "wasm-bindgen-test (Chromium)"),
                (&console_args[..], "console components (Chromium)"),
            ] {
                if !run_tests_insisting(
                    &mut tally,
                    "cargo",
                    args,
                    &env,
                    "Running headless tests in Chrome",
                )? {
                    failed_runners.push(name);
                }
            }
        }
        Err(error) => note(
            &mut failed_steps,
            "npm package, console or gateway build",
            Err(error),
        ),
    }

    tally.failed += failed_steps.len() as u64;
    if !failed_steps.is_empty() || !failed_runners.is_empty() {
        eprintln!(
            "failed: {}",
            failed_steps
                .iter()
                .map(String::as_str)
                .chain(failed_runners.iter().copied())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    println!("{} passed, {} failed", tally.passed, tally.failed);
    if tally.failed > 0 || !failed_runners.is_empty() {
        std::process::exit(1);
    }
    Ok(())
}

/// Reads criterion's mean estimate (ns per iteration) for a benchmark.
fn criterion_mean_ns(root: &Path, id: &str) -> Result<f64> {
    let path = root
        .join("target/criterion/workload")
        .join(id)
        .join("new/estimates.json");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let estimates: serde_json::Value = serde_json::from_str(&text)?;
    estimates
        .pointer("/mean/point_estimate")
        .and_then(serde_json::Value::as_f64)
        .context("mean.point_estimate in criterion estimates")
}

fn bench(root: &Path) -> Result<()> {
    run(
        "cargo",
        &["bench", "-p", "orgpolicy-core", "--bench", "workload"],
    )?;
    let checks = 1_000_000.0;
    let naive_checks = 100_000.0;
    let compile_ms = criterion_mean_ns(root, "compile")? / 1e6;
    let handles = criterion_mean_ns(root, "check_handles")? / checks;
    let strings = criterion_mean_ns(root, "check_strings")? / checks;
    let naive = criterion_mean_ns(root, "check_naive")? / naive_checks;
    let verdict = |value: f64, limit: f64| if value <= limit { "ok" } else { "OVER TARGET" };
    println!("\n| measure | figure | target | vs naive reference |");
    println!("|---|---|---|---|");
    println!(
        "| compile the workload policy | {compile_ms:.2} ms | <= 20 ms ({}) | |",
        verdict(compile_ms, 20.0)
    );
    println!(
        "| check through handles | {handles:.1} ns | <= 20 ns ({}) | {:.0}x faster |",
        verdict(handles, 20.0),
        naive / handles
    );
    println!(
        "| check through string ids | {strings:.1} ns | <= 100 ns ({}) | {:.1}x faster |",
        verdict(strings, 100.0),
        naive / strings
    );
    println!("| naive reference check | {naive:.1} ns | | 1x |");
    Ok(())
}

fn serve(root: &Path, args: &[String]) -> Result<()> {
    let mut command = vec!["run", "--release", "-p", "orgpolicy-gateway", "--"];
    let console;
    if !args.iter().any(|arg| arg.starts_with("--static-dir")) {
        console = wasm::build_console(root)?;
        command.extend(["--static-dir", console.to_str().context("UTF-8 path")?]);
    }
    command.extend(args.iter().map(String::as_str));
    run("cargo", &command)
}

/// Builds the npm package and the workload, then runs a JS bench over them.
fn bench_js(root: &Path, script: &str) -> Result<()> {
    wasm::build(root)?;
    let workload = root.join("target/workload");
    run(
        "cargo",
        &[
            "run",
            "--release",
            "-p",
            "orgpolicy-workload",
            "--",
            workload.to_str().context("UTF-8 path")?,
        ],
    )?;
    run("node", &[script])
}

fn bench_console(root: &Path) -> Result<()> {
    wasm::build_console(root)?;
    run("cargo", &["build", "--release", "-p", "orgpolicy-gateway"])?;
    let chromium = browser::chromium()?;
    let gateway = root.join("target/release/orgpolicy-gateway");
    eprintln!("$ node bench/console.mjs");
    let status = Command::new("node")
        .arg("bench/console.mjs")
        .env("CHROMIUM", chromium)
        .env("ORGPOLICY_GATEWAY_BIN", gateway)
        .status()?;
    if !status.success() {
        bail!("bench/console.mjs failed");
    }
    Ok(())
}

fn fuzz(target: &str, seconds: u64) -> Result<()> {
    let has_fuzz = Command::new("cargo")
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_fuzz {
        run(
            "cargo",
            &["install", "cargo-fuzz", "--version", "=0.13.2", "--locked"],
        )?;
    }
    let time = format!("-max_total_time={seconds}");
    eprintln!("$ RUSTC_BOOTSTRAP=1 cargo fuzz run -O {target} -- {time}");
    // cargo-fuzz needs nightly flags (sanitizers); the stable toolchain
    // accepts them with RUSTC_BOOTSTRAP, as only stable is installed here.
    let status = Command::new("cargo")
        .args(["fuzz", "run", "-O", target, "--", &time, "-max_len=4096"])
        .current_dir("fuzz")
        .env("RUSTC_BOOTSTRAP", "1")
        .status()?;
    if !status.success() {
        bail!("fuzzing {target} found a failure: see fuzz/artifacts/{target}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn tally_sums_cargo_result_lines() {
        let mut tally = Tally::default();
        tally.add_cargo_output(
            "test result: ok. 17 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.79s\n\
             noise\n\
             test result: FAILED. 2 passed; 3 failed; 0 ignored; 0 measured; 0 filtered out\n",
        );
        assert_eq!((tally.passed, tally.failed), (19, 3));
    }
}
