//! Headless Chromium for browser tests: Debian's package, installed if absent
//! (with curl, which the console's end-to-end tests run snippets with).

use crate::run;
use anyhow::{Result, bail};
use std::process::Command;

fn find(program: &str) -> Option<String> {
    let out = Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .ok()?;
    let path = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    (!path.is_empty()).then_some(path)
}

/// The path of a working Chromium, installing Debian's chromium and
/// chromium-driver first if there is none.
pub fn chromium() -> Result<String> {
    // curl runs the console's snippets in the end-to-end tests.
    if let (Some(path), Some(_), Some(_)) = (find("chromium"), find("chromedriver"), find("curl")) {
        eprintln!("setup: chromium at {path}");
        return Ok(path);
    }
    run("apt-get", &["update", "-qq"])?;
    run(
        "apt-get",
        &[
            "install",
            "-y",
            "-qq",
            "--no-install-recommends",
            "chromium",
            "chromium-driver",
            "curl",
        ],
    )?;
    match find("chromium") {
        Some(path) => Ok(path),
        None => bail!("chromium is not on PATH after installing it"),
    }
}

/// The path of chromedriver (Debian's chromium-driver, installed with chromium).
pub fn chromedriver() -> Result<String> {
    chromium()?;
    match find("chromedriver") {
        Some(path) => Ok(path),
        None => bail!("chromedriver is not on PATH after installing chromium-driver"),
    }
}
