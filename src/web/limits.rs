//! Limits that keep one client from taking the server: a per-client rate
//! limit on the identify and search endpoints, and a capped body reader.
//!
//! The global limits (concurrency, timeout) are layers in
//! [`super::router`]; these two need to know the endpoint, so the handlers
//! call them.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::header::CONTENT_LENGTH;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName};
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::Config;

/// The endpoints that share a bucket per client.
#[derive(Clone, Copy, Debug)]
pub enum Bucket {
    /// `POST /{lang}/identify` and `POST /api/identify`.
    Identify,
    /// `GET /{lang}/search?q=` and `GET /api/search`.
    Search,
}

/// Seconds between sweeps of clients that have not been seen for a while.
const SWEEP_EVERY: u64 = 60;

/// The per-client rate limits.
///
/// Identify and search have a bucket each, so that instant search while
/// typing does not use up the pastes of a support tool.
pub struct RateLimits {
    identify: DefaultKeyedRateLimiter<IpAddr>,
    search: DefaultKeyedRateLimiter<IpAddr>,
    trust_forwarded_for: bool,
    started: Instant,
    /// Seconds since `started` of the last sweep.
    last_sweep: AtomicU64,
}

impl RateLimits {
    pub fn new(config: &Config) -> RateLimits {
        let burst = NonZeroU32::new(config.rate_limit_burst).unwrap_or(NonZeroU32::MIN);
        let per_minute = config.rate_limit_per_minute.max(1);
        let period = Duration::from_secs(60) / per_minute;
        let quota = Quota::with_period(period)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(burst);
        RateLimits {
            identify: RateLimiter::keyed(quota),
            search: RateLimiter::keyed(quota),
            trust_forwarded_for: config.trust_forwarded_for,
            started: Instant::now(),
            last_sweep: AtomicU64::new(0),
        }
    }

    /// Counts a request against its client's bucket.
    ///
    /// Returns the seconds to wait when the bucket is empty.
    pub fn check(&self, bucket: Bucket, parts: &Parts) -> Result<(), u64> {
        self.sweep();
        let client = client_key(parts, self.trust_forwarded_for);
        let limiter = match bucket {
            Bucket::Identify => &self.identify,
            Bucket::Search => &self.search,
        };
        limiter.check_key(&client).map_err(|not_until| {
            // The limiter's own clock: making a new one calibrates it, which
            // would cost far more than the refusal itself.
            let wait = not_until.wait_time_from(limiter.clock().now());
            wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
        })
    }

    /// Forgets clients whose buckets are full again, once a minute at most,
    /// so the maps do not grow with every address ever seen.
    fn sweep(&self) {
        let now = self.started.elapsed().as_secs();
        let last = self.last_sweep.load(Ordering::Relaxed);
        if now < last + SWEEP_EVERY {
            return;
        }
        // One request does the sweep; the others go on.
        if self
            .last_sweep
            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
        {
            for limiter in [&self.identify, &self.search] {
                limiter.retain_recent();
                limiter.shrink_to_fit();
            }
        }
    }
}

static X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// Returns the address a client is counted under.
///
/// That is the peer address, or, when the proxy is trusted, the address the
/// proxy appended last to `X-Forwarded-For` (the one it saw connect; entries
/// before it are the client's own claims). IPv6 clients are counted by their
/// /64, as one host usually holds a whole /64.
pub fn client_key(parts: &Parts, trust_forwarded_for: bool) -> IpAddr {
    let forwarded = trust_forwarded_for
        .then(|| forwarded_for(&parts.headers))
        .flatten();
    let ip = forwarded.unwrap_or_else(|| {
        parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
    });
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(Ipv6Addr::from(prefix))
            }
        },
        v4 => v4,
    }
}

fn forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    let last = headers.get_all(&X_FORWARDED_FOR).iter().next_back()?;
    last.to_str()
        .ok()?
        .rsplit(',')
        .map(str::trim)
        .find(|s| !s.is_empty())?
        .parse()
        .ok()
}

/// Why a body could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Over the cap; the rest was not read.
    TooLarge,
    /// The client went away or sent a broken body.
    Unreadable,
}

/// Reads a request body of at most `cap` bytes.
///
/// A declared `Content-Length` over the cap is refused before reading.
pub async fn read_body(body: Body, headers: &HeaderMap, cap: usize) -> Result<Bytes, BodyError> {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > cap as u64) {
        return Err(BodyError::TooLarge);
    }
    axum::body::to_bytes(body, cap).await.map_err(|e| {
        let source = e.into_inner();
        if source
            .downcast_ref::<http_body_util::LengthLimitError>()
            .is_some()
        {
            BodyError::TooLarge
        } else {
            BodyError::Unreadable
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(peer: &str, xff: Option<&str>) -> Parts {
        let mut req = Request::builder().uri("/api/identify");
        if let Some(xff) = xff {
            req = req.header("x-forwarded-for", xff);
        }
        let mut req = req.body(()).unwrap();
        req.extensions_mut()
            .insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        req.into_parts().0
    }

    #[test]
    fn forwarded_for_is_used_only_when_trusted() {
        let p = parts("10.0.0.1:5000", Some("203.0.113.9, 198.51.100.7"));
        assert_eq!(client_key(&p, false), "10.0.0.1".parse::<IpAddr>().unwrap());
        assert_eq!(
            client_key(&p, true),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        let garbage = parts("10.0.0.1:5000", Some("not an address"));
        assert_eq!(
            client_key(&garbage, true),
            "10.0.0.1".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn ipv6_clients_count_by_their_64() {
        let a = parts("[2001:db8:1:2:aaaa::1]:1", None);
        let b = parts("[2001:db8:1:2:bbbb::2]:1", None);
        let c = parts("[2001:db8:1:3::1]:1", None);
        assert_eq!(client_key(&a, false), client_key(&b, false));
        assert_ne!(client_key(&a, false), client_key(&c, false));
        let mapped = parts("[::ffff:192.0.2.1]:1", None);
        assert_eq!(
            client_key(&mapped, false),
            "192.0.2.1".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn a_burst_passes_and_then_the_bucket_is_empty() {
        let limits = RateLimits::new(&Config {
            rate_limit_burst: 3,
            rate_limit_per_minute: 1,
            ..Config::default()
        });
        let p = parts("192.0.2.1:1", None);
        for _ in 0..3 {
            assert_eq!(limits.check(Bucket::Identify, &p), Ok(()));
        }
        let wait = limits.check(Bucket::Identify, &p).unwrap_err();
        assert!((1..=60).contains(&wait), "{wait}");
        // The other bucket and other clients are untouched.
        assert_eq!(limits.check(Bucket::Search, &p), Ok(()));
        assert_eq!(
            limits.check(Bucket::Identify, &parts("192.0.2.2:1", None)),
            Ok(())
        );
    }
}
