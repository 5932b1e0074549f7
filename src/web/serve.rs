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

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
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
