//! The server loop's limits over real sockets: half-sent headers, idle
//! keep-alive connections and slow bodies are cut off, and the connection
//! cap holds. Short limits (1 s) keep the tests quick; every wait has a
//! deadline.

use super::*;
use orgpolicy_sandbox::ServerLimits;
use std::time::Instant;
use tokio::net::TcpStream;

const LIMITS: ServerLimits = ServerLimits {
    header_timeout: Duration::from_secs(1),
    body_timeout: Duration::from_secs(1),
    max_connections: 3,
    drain: Duration::from_secs(1),
};
/// Longest any test waits for the server to act.
const DEADLINE: Duration = Duration::from_secs(8);

async fn serve_limited(router: Router) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(orgpolicy_sandbox::server::serve(
        listener,
        router,
        LIMITS,
        std::future::pending(),
    ));
    address
}

async fn limited_gateway() -> std::net::SocketAddr {
    let (upstream, _) = sandbox().await;
    serve_limited(gateway(config(upstream))).await
}

/// Reads until the server closes the connection; what it sent, and when.
async fn read_until_closed(socket: &mut TcpStream) -> (String, Duration) {
    let start = Instant::now();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match tokio::time::timeout(DEADLINE, socket.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => received.extend_from_slice(&buffer[..n]),
            Err(_) => panic!("the server held the connection past {DEADLINE:?}"),
        }
    }
    (
        String::from_utf8_lossy(&received).into_owned(),
        start.elapsed(),
    )
}

const GET: &[u8] = b"GET /_gateway/info HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

#[tokio::test]
async fn half_sent_headers_are_cut_off_in_gateway_and_sandbox() {
    let (upstream, _) = sandbox().await;
    let state_sandbox = {
        let credentials = Credentials::generate();
        AppState {
            store: Arc::new(Store::in_memory().unwrap()),
            credentials: Arc::new(credentials),
            policy: Arc::new(orgpolicy_core::stytch::default_policy()),
        }
    };
    let sandbox_address = {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(orgpolicy_sandbox::serve(
            listener,
            state_sandbox,
            LIMITS,
            std::future::pending(),
        ));
        address
    };
    for address in [
        serve_limited(gateway(config(upstream))).await,
        sandbox_address,
    ] {
        let mut socket = TcpStream::connect(address).await.unwrap();
        socket
            .write_all(b"GET /v1/b2b/rbac/policy HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            .await
            .unwrap();
        let (answer, waited) = read_until_closed(&mut socket).await;
        assert!(!answer.contains("200 OK"), "{answer}");
        assert!(
            waited >= Duration::from_millis(900),
            "closed after {waited:?}"
        );
    }
}

#[tokio::test]
async fn idle_keep_alive_connections_are_closed() {
    let address = limited_gateway().await;
    let mut socket = TcpStream::connect(address).await.unwrap();
    socket.write_all(GET).await.unwrap();
    let (answer, _) = read_until_closed(&mut socket).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    // And a socket that never says anything.
    let mut silent = TcpStream::connect(address).await.unwrap();
    let (answer, _) = read_until_closed(&mut silent).await;
    assert!(!answer.contains("200 OK"));
}

#[tokio::test]
async fn slow_bodies_are_cut_off() {
    let address = limited_gateway().await;
    let mut socket = TcpStream::connect(address).await.unwrap();
    socket
        .write_all(b"POST /v1/b2b/organizations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
        .await
        .unwrap();
    // One byte every 200 ms: the body would take 20 s.
    let writer = tokio::spawn(async move {
        for _ in 0..40 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if socket.write_all(b" ").await.is_err() {
                break;
            }
            let mut peek = [0u8; 1024];
            if let Ok(Ok(n)) =
                tokio::time::timeout(Duration::from_millis(1), socket.read(&mut peek)).await
            {
                return String::from_utf8_lossy(&peek[..n]).into_owned();
            }
        }
        String::new()
    });
    let answer = tokio::time::timeout(DEADLINE, writer)
        .await
        .unwrap()
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("body_timeout"), "{answer}");
}

#[tokio::test]
async fn the_connection_cap_holds_and_frees_as_connections_close() {
    let address = limited_gateway().await;
    let mut idle = Vec::new();
    for _ in 0..LIMITS.max_connections {
        idle.push(TcpStream::connect(address).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let start = Instant::now();
    let mut waiting = TcpStream::connect(address).await.unwrap();
    waiting.write_all(GET).await.unwrap();
    let mut buffer = [0u8; 4096];
    // Not served while the cap is taken...
    let early = tokio::time::timeout(Duration::from_millis(500), waiting.read(&mut buffer)).await;
    assert!(early.is_err(), "served past the connection cap");
    // ...and served once the idle ones are closed for idling.
    let n = tokio::time::timeout(DEADLINE, waiting.read(&mut buffer))
        .await
        .unwrap()
        .unwrap();
    let answer = String::from_utf8_lossy(&buffer[..n]);
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert!(start.elapsed() >= Duration::from_millis(800));
    drop(idle);
}
