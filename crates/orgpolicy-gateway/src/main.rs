//! `orgpolicy-gateway`: serves the console and forwards the API with
//! server-side credentials. By default the upstream is the embedded sandbox
//! (SQLite in `--data-dir`, credentials generated once and kept there);
//! `--upstream URL` with `STYTCH_PROJECT_ID`/`STYTCH_SECRET` forwards to the
//! real API instead.

use anyhow::{Context, Result, bail};
use axum::http::HeaderValue;
use clap::Parser;
use orgpolicy_gateway::{GatewayConfig, GatewayState, Upstream, UpstreamKind, app};
use orgpolicy_sandbox::store::Store;
use orgpolicy_sandbox::{AppState, Credentials};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

#[derive(Parser, Debug)]
#[command(about = "Serve the orgpolicy console and forward the API with server-side credentials")]
struct Args {
    /// Address to listen on. Anything but loopback requires --access-token.
    #[arg(long, default_value = "127.0.0.1:8787")]
    bind: SocketAddr,
    /// Where the sandbox keeps its database and credentials.
    #[arg(long, default_value = ".orgpolicy")]
    data_dir: PathBuf,
    /// Forward to this API instead of the embedded sandbox
    /// (credentials from STYTCH_PROJECT_ID and STYTCH_SECRET).
    #[arg(long)]
    upstream: Option<String>,
    /// The console's built files.
    #[arg(long)]
    static_dir: Option<PathBuf>,
    /// A project policy (JSON) for the sandbox; Stytch's default otherwise.
    #[arg(long)]
    policy_file: Option<PathBuf>,
    /// Origins allowed to call the gateway cross-origin (repeatable).
    #[arg(long = "allow-origin")]
    allowed_origins: Vec<String>,
    /// Token every request must carry in `x-gateway-token`.
    #[arg(long, env = "ORGPOLICY_GATEWAY_TOKEN", hide_env_values = true)]
    access_token: Option<String>,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    body_limit: usize,
    /// Seconds to wait for the upstream.
    #[arg(long, default_value_t = 15)]
    timeout_seconds: u64,
}

/// The sandbox's credentials: given in ORGPOLICY_SANDBOX_PROJECT_ID and
/// ORGPOLICY_SANDBOX_SECRET, else read from (or generated into) `path`.
fn load_or_create_credentials(path: &Path) -> Result<Credentials> {
    let given = (
        std::env::var("ORGPOLICY_SANDBOX_PROJECT_ID"),
        std::env::var("ORGPOLICY_SANDBOX_SECRET"),
    );
    match given {
        (Ok(project_id), Ok(secret)) if !project_id.is_empty() && !secret.is_empty() => {
            return Ok(Credentials { project_id, secret });
        }
        (Ok(_), Err(_)) | (Err(_), Ok(_)) => {
            bail!("set both ORGPOLICY_SANDBOX_PROJECT_ID and ORGPOLICY_SANDBOX_SECRET, or neither");
        }
        _ => {}
    }
    if path.exists() {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        return serde_json::from_str(&text)
            .with_context(|| format!("{} is not valid credentials", path.display()));
    }
    let credentials = Credentials::generate();
    std::fs::write(path, serde_json::to_string_pretty(&credentials)?)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(credentials)
}

async fn start_sandbox(args: &Args) -> Result<Upstream> {
    std::fs::create_dir_all(&args.data_dir)
        .with_context(|| format!("creating {}", args.data_dir.display()))?;
    let credentials = load_or_create_credentials(&args.data_dir.join("credentials.json"))?;
    let policy = match &args.policy_file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            orgpolicy_core::parse_policy(&text)
                .map_err(|error| anyhow::anyhow!("{}: {error}", path.display()))?
                .policy
        }
        None => orgpolicy_core::stytch::default_policy(),
    };
    let store = Store::open(&args.data_dir.join("sandbox.sqlite3"))
        .context("opening the sandbox database")?;
    let authorization = HeaderValue::from_str(&credentials.header_value())?;
    let state = AppState {
        store: Arc::new(store),
        credentials: Arc::new(credentials),
        policy: Arc::new(policy),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move {
        if let Err(error) = orgpolicy_sandbox::serve(listener, state, std::future::pending()).await
        {
            tracing::error!(%error, "the sandbox stopped");
        }
    });
    Ok(Upstream {
        base: format!("http://{address}"),
        kind: UpstreamKind::Sandbox,
        authorization: Some(authorization),
    })
}

fn remote_upstream(base: &str) -> Result<Upstream> {
    let base = base.trim_end_matches('/').to_owned();
    if !(base.starts_with("https://")
        || base.starts_with("http://127.0.0.1")
        || base.starts_with("http://localhost"))
    {
        bail!("--upstream must be https:// (or http on loopback): {base}");
    }
    let project_id = std::env::var("STYTCH_PROJECT_ID")
        .ok()
        .filter(|v| !v.is_empty());
    let secret = std::env::var("STYTCH_SECRET")
        .ok()
        .filter(|v| !v.is_empty());
    let kind = match project_id.as_deref() {
        Some(id) if id.starts_with("project-live-") => UpstreamKind::Live,
        _ => UpstreamKind::Test,
    };
    let authorization = match (project_id, secret) {
        (Some(project_id), Some(secret)) => Some(HeaderValue::from_str(
            &Credentials { project_id, secret }.header_value(),
        )?),
        _ => {
            tracing::warn!(
                "STYTCH_PROJECT_ID or STYTCH_SECRET is not set: requests go upstream without credentials"
            );
            None
        }
    };
    Ok(Upstream {
        base,
        kind,
        authorization,
    })
}

#[tokio::main]
async fn main() -> Result<()> {
    // Logs to stderr; stdout carries only the banner with the URL.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    if !args.bind.ip().is_loopback() && args.access_token.is_none() {
        bail!(
            "binding to {} exposes the gateway beyond this machine: set --access-token",
            args.bind
        );
    }
    let upstream = match &args.upstream {
        Some(base) => remote_upstream(base)?,
        None => start_sandbox(&args).await?,
    };
    // Bind first: with port 0 the Host check needs the port actually given.
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("binding {}", args.bind))?;
    let port = listener.local_addr()?.port();
    let allowed_hosts = if args.bind.ip().is_loopback() {
        vec![
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
        ]
    } else {
        Vec::new()
    };
    let allowed_origins = args
        .allowed_origins
        .iter()
        .map(|o| HeaderValue::from_str(o))
        .collect::<Result<Vec<_>, _>>()?;
    let kind = upstream.kind;
    let config = GatewayConfig {
        upstream,
        static_dir: args.static_dir.clone(),
        allowed_origins,
        allowed_hosts,
        access_token: args.access_token.clone(),
        body_limit: args.body_limit,
        upstream_timeout: Duration::from_secs(args.timeout_seconds),
    };
    println!(
        "orgpolicy gateway: http://{}/ (upstream: {kind:?})",
        listener.local_addr()?
    );
    axum::serve(listener, app(GatewayState::new(config)?))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

/// Ctrl-C, or SIGTERM (service managers, containers, test harnesses).
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
