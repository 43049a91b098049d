//! `orgpolicy-gateway`: serves the console and forwards the API with
//! server-side credentials. By default the upstream is the embedded sandbox
//! (SQLite in `--data-dir`, credentials generated once and kept there);
//! `--upstream URL` with `STYTCH_PROJECT_ID`/`STYTCH_SECRET` forwards to the
//! real API instead.

use anyhow::{Context, Result, bail};
use axum::http::HeaderValue;
use clap::Parser;
use orgpolicy_gateway::{GatewayConfig, GatewayState, Upstream, UpstreamKind, app};
use orgpolicy_sandbox::server::serve;
use orgpolicy_sandbox::store::Store;
use orgpolicy_sandbox::{AppState, Credentials, ServerLimits};
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
    /// A project policy (JSON) for the sandbox. Without it, the demo
    /// project's policy (Stytch's default plus documents, invoices and
    /// reports), or Stytch's default with --empty.
    #[arg(long)]
    policy_file: Option<PathBuf>,
    /// Start the sandbox without the demo project: Stytch's default policy
    /// and, on a new database, no organizations.
    #[arg(long, conflicts_with = "upstream")]
    empty: bool,
    /// An origin (`scheme://host[:port]`) allowed to call the gateway
    /// cross-origin, such as a console hosted elsewhere (repeatable).
    #[arg(long = "allow-origin")]
    allowed_origins: Vec<String>,
    /// Token API requests must carry in `x-gateway-token` (or set
    /// ORGPOLICY_GATEWAY_TOKEN; empty counts as unset).
    #[arg(long)]
    access_token: Option<String>,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    body_limit: usize,
    /// Largest upstream response passed on, in bytes.
    #[arg(long, default_value_t = 16 << 20)]
    response_limit: usize,
    /// Seconds to wait for the upstream.
    #[arg(long, default_value_t = 15)]
    timeout_seconds: u64,
    /// Seconds a client has to send a request's headers, and may stay idle
    /// between requests.
    #[arg(long, default_value_t = 10)]
    header_timeout_seconds: u64,
    /// Seconds a client has to send a request's body.
    #[arg(long, default_value_t = 10)]
    body_timeout_seconds: u64,
    /// Connections served at once (lowered to fit the open-file limit).
    #[arg(long, default_value_t = 1024)]
    max_connections: usize,
}

/// The access token: `--access-token` (never empty), else a non-empty
/// ORGPOLICY_GATEWAY_TOKEN.
fn access_token(given: Option<&str>) -> Result<Option<String>> {
    match given {
        Some(token) if token.trim().is_empty() => {
            bail!("--access-token is empty: an empty token would let every request through")
        }
        Some(token) => Ok(Some(token.to_owned())),
        None => Ok(std::env::var("ORGPOLICY_GATEWAY_TOKEN")
            .ok()
            .filter(|token| !token.trim().is_empty())),
    }
}

/// An `--allow-origin` value as browsers send it in `Origin`:
/// `http(s)://host[:port]`, nothing else.
fn allowed_origin(given: &str) -> Result<HeaderValue> {
    let url = url::Url::parse(given)
        .map_err(|error| anyhow::anyhow!("--allow-origin {given:?} is not an origin: {error}"))?;
    if !matches!(url.scheme(), "http" | "https")
        || url.host().is_none()
        || !url.username().is_empty()
        || url.password().is_some()
        || url.path() != "/"
        || url.query().is_some()
        || url.fragment().is_some()
    {
        bail!(
            "--allow-origin {given:?} is not an origin: give scheme://host[:port], no path, user, query or fragment"
        );
    }
    Ok(HeaderValue::from_str(&url.origin().ascii_serialization())?)
}

/// `--upstream`: `https://` anywhere, or `http://` to a loopback IP
/// literal or `localhost`; never with a user name or password, a path, a
/// query or a fragment. Returns the base URL without a trailing slash.
fn upstream_base(given: &str) -> Result<String> {
    let url = url::Url::parse(given)
        .map_err(|error| anyhow::anyhow!("--upstream {given:?} is not a URL: {error}"))?;
    if !url.username().is_empty() || url.password().is_some() {
        bail!("--upstream must not carry a user name or password");
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        bail!("--upstream is scheme://host[:port] only: no path, query or fragment");
    }
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    match url.scheme() {
        "https" if url.host().is_some() => {}
        "http" if loopback => {}
        _ => bail!(
            "--upstream must be https://, or http:// to a loopback address (127.0.0.0/8, [::1] or localhost): the secret would travel in clear text"
        ),
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// The static dir must not hold the data dir (credentials, database).
fn check_static_dir(static_dir: &Path, data_dir: &Path) -> Result<()> {
    let served = static_dir
        .canonicalize()
        .with_context(|| format!("--static-dir {}", static_dir.display()))?;
    if let Ok(data) = data_dir.canonicalize()
        && data.starts_with(&served)
    {
        bail!(
            "--static-dir {} contains the data dir {}, which holds the credentials: serve another folder or move --data-dir",
            static_dir.display(),
            data_dir.display()
        );
    }
    Ok(())
}

/// Connections to serve at once: what was asked, within the open-file
/// limit (raised to its hard limit first), keeping room for the upstream
/// side and the embedded sandbox.
fn connection_cap(asked: usize) -> usize {
    let files = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(256);
    let room = usize::try_from(files.saturating_sub(64) / 2).unwrap_or(usize::MAX);
    let cap = asked.min(room).max(8);
    if cap < asked {
        tracing::warn!(
            asked,
            cap,
            open_file_limit = files,
            "connection cap lowered to fit the open-file limit"
        );
    }
    cap
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
    write_private(path, serde_json::to_string_pretty(&credentials)?.as_bytes())?;
    Ok(credentials)
}

/// Writes a new file readable by its owner only from the first byte: it is
/// created with mode 0600, never widened and narrowed afterwards.
fn write_private(path: &Path, contents: &[u8]) -> Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(contents)?;
    file.sync_all()?;
    Ok(())
}

async fn start_sandbox(args: &Args) -> Result<Upstream> {
    std::fs::create_dir_all(&args.data_dir)
        .with_context(|| format!("creating {}", args.data_dir.display()))?;
    let credentials = load_or_create_credentials(&args.data_dir.join("credentials.json"))?;
    // The demo: without a policy file or --empty.
    let demo = args.policy_file.is_none() && !args.empty;
    let policy = match &args.policy_file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            orgpolicy_core::parse_policy(&text)
                .map_err(|error| anyhow::anyhow!("{}: {error}", path.display()))?
                .policy
        }
        None if demo => orgpolicy_sandbox::demo::demo_policy().map_err(anyhow::Error::msg)?,
        None => orgpolicy_core::stytch::default_policy(),
    };
    let database = args.data_dir.join("sandbox.sqlite3");
    let new_database = !database.exists();
    let store = Store::open(&database).context("opening the sandbox database")?;
    let authorization = HeaderValue::from_str(&credentials.header_value())?;
    let state = AppState {
        store: Arc::new(store),
        credentials: Arc::new(credentials),
        policy: Arc::new(policy),
    };
    if demo && new_database {
        let seeded = orgpolicy_sandbox::demo::seed(state.clone())
            .await
            .map_err(anyhow::Error::msg)?;
        tracing::info!(
            organizations = seeded.organizations,
            members = seeded.members,
            "a new sandbox starts with the demo project (--empty starts without it)"
        );
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    // Only this gateway connects to the embedded sandbox.
    let limits = ServerLimits {
        max_connections: 256,
        ..ServerLimits::default()
    };
    tokio::spawn(async move {
        if let Err(error) =
            orgpolicy_sandbox::serve(listener, state, limits, std::future::pending()).await
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

fn remote_upstream(given: &str) -> Result<Upstream> {
    let base = upstream_base(given)?;
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
    let access_token = access_token(args.access_token.as_deref())?;
    if !args.bind.ip().is_loopback() && access_token.is_none() {
        bail!(
            "binding to {} exposes the gateway beyond this machine: set --access-token",
            args.bind
        );
    }
    let allowed_origins = args
        .allowed_origins
        .iter()
        .map(|origin| allowed_origin(origin))
        .collect::<Result<Vec<_>>>()?;
    let upstream = match &args.upstream {
        Some(base) => remote_upstream(base)?,
        None => start_sandbox(&args).await?,
    };
    if let Some(static_dir) = &args.static_dir {
        check_static_dir(static_dir, &args.data_dir)?;
        let missing = orgpolicy_gateway::missing_console_files(static_dir);
        if !missing.is_empty() {
            tracing::warn!(
                dir = %static_dir.display(),
                missing = ?missing,
                "the console is not built: its page says so until `cargo xtask console` builds it"
            );
        }
    }
    // Bind first: with port 0 the Host check needs the port actually given.
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("binding {}", args.bind))?;
    let bound = listener.local_addr()?;
    let allowed_hosts = if bound.ip().is_loopback() {
        let port = bound.port();
        let mut hosts = vec![
            bound.to_string(),
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
        ];
        hosts.sort();
        hosts.dedup();
        hosts
    } else {
        Vec::new()
    };
    let kind = upstream.kind;
    let config = GatewayConfig {
        upstream,
        static_dir: args.static_dir.clone(),
        allowed_origins,
        allowed_hosts,
        access_token,
        body_limit: args.body_limit,
        response_limit: args.response_limit,
        upstream_timeout: Duration::from_secs(args.timeout_seconds),
    };
    let limits = ServerLimits {
        header_timeout: Duration::from_secs(args.header_timeout_seconds.max(1)),
        body_timeout: Duration::from_secs(args.body_timeout_seconds.max(1)),
        max_connections: connection_cap(args.max_connections),
        ..ServerLimits::default()
    };
    println!("orgpolicy gateway: http://{bound}/ (upstream: {kind:?})");
    serve(
        listener,
        app(GatewayState::new(config)?),
        limits,
        shutdown_signal(),
    )
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
