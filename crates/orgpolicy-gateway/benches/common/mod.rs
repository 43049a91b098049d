//! What the gateway benches share: serving a router through the same server
//! loop the binary runs, and reading percentiles.

use orgpolicy_sandbox::ServerLimits;

/// Serves `router` on a free loopback port through the production server
/// loop (its timeouts and connection cap); the base URL.
pub async fn serve(router: axum::Router, limits: ServerLimits) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(orgpolicy_sandbox::server::serve(
        listener,
        router,
        limits,
        std::future::pending(),
    ));
    format!("http://{address}")
}

/// The `p` percentile of sorted microseconds, in milliseconds.
pub fn percentile(sorted: &[u64], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index] as f64 / 1000.0
}
