//! The accept loop: HTTP/1.1 and HTTP/2 (prior knowledge) on one port, with
//! deadlines for slow clients and a graceful shutdown.
//!
//! `axum::serve` gives hyper no timer, so a client that sends its request
//! head one byte a minute, or connects and sends nothing, keeps its
//! connection (and a file descriptor) for as long as it likes. Here a new
//! connection must show its first bytes, and every HTTP/1 request its whole
//! head, within the request timeout; a keep-alive connection that stays idle
//! that long is closed. What a request may cost once its head is in (body,
//! work, concurrency) is limited by the layers in [`super::router`].
//!
//! On shutdown the listener is closed at once, idle connections are closed,
//! and requests in flight are answered, for up to [`SHUTDOWN_GRACE`].
//!
//! The server runs one thread per core, each with its own single-threaded
//! runtime and its own listener on the same port ([`bind`], SO_REUSEPORT):
//! the kernel spreads new connections over the threads, and a request is
//! answered on the thread that read it, with no hand-over between threads.
//! Pages are answered 9% to 24% faster than by one runtime whose workers
//! share all connections (BENCHMARKS.md, "Articles against nginx").
//! Classifying a long paste, the one slow thing, runs on the blocking pool.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use socket2::{Domain, Protocol, Socket, Type};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt;

/// How long requests in flight get to finish once shutdown begins.
///
/// Longer than the default request timeout, so that a request the timeout
/// lets finish is not cut off by the shutdown.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);

/// The HTTP/2 connection preface; a connection that starts with a prefix of
/// it may still turn out to be HTTP/2.
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// How the server stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stopped {
    /// Every request in flight was answered.
    Drained,
    /// Connections were still open when the grace period ended.
    GraceExpired,
}

/// Binds `count` listeners to one address, all on the same port
/// (SO_REUSEPORT), for [`serve_on_threads`]. With port 0 the first picks a
/// free port and the others join it.
pub fn bind(addr: SocketAddr, count: usize) -> io::Result<Vec<std::net::TcpListener>> {
    // SO_REUSEPORT would let a second server started on this port share it
    // silently; a plain bind first fails as usual when the port is taken
    // (and picks the port when the address asks for any).
    let addr = std::net::TcpListener::bind(addr)?.local_addr()?;
    (0..count.max(1))
        .map(|_| {
            let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
            socket.set_reuse_address(true)?;
            #[cfg(unix)]
            socket.set_reuse_port(true)?;
            socket.set_nonblocking(true)?;
            socket.bind(&addr.into())?;
            socket.listen(1024)?;
            Ok(socket.into())
        })
        .collect()
}

/// Serves an app on one thread per listener (see [`bind`]), each with its
/// own single-threaded runtime, until `shutdown` resolves; then every
/// thread finishes its requests in flight (for at most `grace`).
///
/// The calling thread serves the first listener on `runtime`, in whose
/// context `shutdown` was made (signal handlers belong to a runtime).
pub fn serve_on_threads(
    runtime: &tokio::runtime::Runtime,
    listeners: Vec<std::net::TcpListener>,
    app: Router,
    header_timeout: Duration,
    grace: Duration,
    shutdown: impl Future<Output = ()>,
) -> io::Result<Stopped> {
    let (stop, stopping) = watch::channel(false);
    let mut listeners = listeners.into_iter();
    let first = listeners
        .next()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no listener to serve"))?;
    let threads: Vec<_> = listeners
        .enumerate()
        .map(|(i, listener)| {
            let app = app.clone();
            let mut stopping = stopping.clone();
            std::thread::Builder::new()
                .name(format!("diagnoza-{}", i + 1))
                .spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()?;
                    let stopped = async move {
                        let _ = stopping.wait_for(|stop| *stop).await;
                    };
                    runtime.block_on(serve_std(listener, app, header_timeout, grace, stopped))
                })
        })
        .collect::<io::Result<_>>()?;
    let stopped = async move {
        shutdown.await;
        let _ = stop.send(true);
    };
    let mut result = runtime.block_on(serve_std(first, app, header_timeout, grace, stopped));
    for thread in threads {
        let joined = thread
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("a server thread panicked")));
        result = match (result, joined) {
            (Err(e), _) | (_, Err(e)) => Err(e),
            (Ok(Stopped::GraceExpired), _) | (_, Ok(Stopped::GraceExpired)) => {
                Ok(Stopped::GraceExpired)
            }
            _ => Ok(Stopped::Drained),
        };
    }
    result
}

/// [`serve`] on a listener from [`bind`], within the runtime that runs it.
async fn serve_std(
    listener: std::net::TcpListener,
    app: Router,
    header_timeout: Duration,
    grace: Duration,
    shutdown: impl Future<Output = ()>,
) -> io::Result<Stopped> {
    let listener = TcpListener::from_std(listener)?;
    Ok(serve(listener, app, header_timeout, grace, shutdown).await)
}

/// Serves an app until `shutdown` resolves, then finishes the requests in
/// flight (for at most `grace`).
///
/// `header_timeout` bounds how long a client may take to send its first
/// bytes and each request head, and how long a keep-alive connection may
/// stay idle.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    header_timeout: Duration,
    grace: Duration,
    shutdown: impl Future<Output = ()>,
) -> Stopped {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let builder = Arc::new(builder);
    let graceful = GracefulShutdown::new();
    // Tells connections still waiting for their first bytes to give up.
    let (stop, stopping) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);

    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) if is_per_connection(&e) => continue,
            Err(e) => {
                // Out of file descriptors, most likely: wait for some to be
                // freed rather than spin.
                tracing::error!(error = %e, "cannot accept connections; trying again in a second");
                tokio::select! {
                    () = &mut shutdown => break,
                    () = tokio::time::sleep(Duration::from_secs(1)) => continue,
                }
            }
        };
        // Answers are written whole; there is nothing for Nagle to batch.
        let _ = stream.set_nodelay(true);
        let watcher = graceful.watcher();
        let builder = builder.clone();
        let app = app.clone();
        let mut stopping = stopping.clone();
        tokio::spawn(async move {
            let shown = tokio::select! {
                shown = tokio::time::timeout(header_timeout, first_bytes(&stream)) => {
                    shown.unwrap_or(false)
                }
                _ = stopping.wait_for(|stop| *stop) => false,
            };
            if !shown {
                return;
            }
            let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
                let mut req = req.map(Body::new);
                req.extensions_mut().insert(ConnectInfo(peer));
                app.clone().oneshot(req)
            });
            let conn = builder.serve_connection(TokioIo::new(stream), service);
            // Errors here are the client's (reset, broken request, too slow);
            // hyper has answered what could be answered.
            let _ = watcher.watch(conn).await;
        });
    }

    drop(listener);
    let _ = stop.send(true);
    tokio::select! {
        () = graceful.shutdown() => Stopped::Drained,
        () = tokio::time::sleep(grace) => Stopped::GraceExpired,
    }
}

/// Waits until a connection has sent enough for hyper to tell HTTP/1 from
/// HTTP/2 at once; returns `false` if it closed first.
///
/// hyper reads those first bytes without a deadline, so the caller puts one
/// around this wait. Peeking leaves the bytes for hyper.
async fn first_bytes(stream: &TcpStream) -> bool {
    let mut buf = [0u8; H2_PREFACE.len()];
    loop {
        match stream.peek(&mut buf).await {
            Ok(0) | Err(_) => return false,
            Ok(n) if n == buf.len() || !H2_PREFACE.starts_with(&buf[..n]) => return true,
            // Part of the HTTP/2 preface, the rest still on its way: peeking
            // again at once would find the same bytes, so wait a little.
            Ok(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

/// Tells whether an accept error concerns only the connection being
/// accepted, so the next accept can follow at once.
fn is_per_connection(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
    )
}

/// Replaces the panic message on standard error with a log line that says
/// only where the panic happened.
///
/// A panic's message may quote the data being handled (slicing a string
/// at a wrong index quotes the string), and for a server that data is
/// pasted text, which must never reach the logs. The request itself is
/// answered with a 500 by the router's guard.
pub fn log_panics_without_messages() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!(
            %location,
            "panicked; the message is not logged, as it may quote pasted text"
        );
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listeners_share_one_port_that_a_second_server_cannot_take() {
        let any: SocketAddr = "127.0.0.1:0".parse().expect("an address");
        let listeners = bind(any, 2).expect("a free port binds");
        let addr = listeners[0].local_addr().expect("bound");
        assert_eq!(listeners.len(), 2);
        assert_eq!(listeners[1].local_addr().expect("bound"), addr);
        let again = bind(addr, 2).expect_err("the port is taken");
        assert_eq!(again.kind(), io::ErrorKind::AddrInUse);
    }
}
