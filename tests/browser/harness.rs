//! What every browser test shares: diagnoza on a free port, chromedriver on
//! another, one fresh headless Chromium per test, DevTools commands, and
//! waiting for conditions instead of sleeping.
//!
//! A test is written as
//!
//! ```ignore
//! #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
//! async fn something() {
//!     with_browser(Options::default(), |b| async move {
//!         b.open("/pl/").await;
//!         ...
//!     })
//!     .await;
//! }
//! ```
//!
//! `with_browser` skips (prints `skipped: ...` and returns) when Chromium or
//! chromedriver is missing, unless `DIAGNOZA_BROWSER_TESTS=require`; then
//! it fails. Debian's `/usr/bin/chromium` and `/usr/bin/chromedriver` are
//! used unless `DIAGNOZA_CHROMIUM` and `DIAGNOZA_CHROMEDRIVER` name others. The browser is closed and chromedriver stopped even when the
//! test panics.

use std::future::Future;
use std::io::Write as _;
use std::net::SocketAddr;
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use axum::http::Method;
use diagnoza::config::Config;
use diagnoza::{Build, Shared};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// Chromium: Debian's launcher, or `DIAGNOZA_CHROMIUM`.
pub static CHROMIUM: LazyLock<String> = LazyLock::new(|| {
    std::env::var("DIAGNOZA_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
});
/// chromedriver of the same version as Chromium: Debian's, or `DIAGNOZA_CHROMEDRIVER`.
pub static CHROMEDRIVER: LazyLock<String> = LazyLock::new(|| {
    std::env::var("DIAGNOZA_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into())
});
/// axe-core, as `npm ci` installs it from package-lock.json.
pub const AXE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/node_modules/axe-core/axe.min.js"
);

/// How long a condition may take to come true before the test fails.
///
/// Generous because CI shares two cores between builds; a passing test
/// never waits this long, as every wait ends when its condition holds.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// How often a condition is checked again.
const POLL: Duration = Duration::from_millis(25);

/// What a test needs besides a browser.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Browser,
    /// The browser and axe-core.
    Axe,
}

/// Returns why the browser tests cannot run on this machine, if they cannot.
fn missing(needs: Needs) -> Option<String> {
    let mut missing = Vec::new();
    let (chromium, chromedriver) = (CHROMIUM.as_str(), CHROMEDRIVER.as_str());
    if !Path::new(chromium).exists() {
        missing.push(format!("{chromium} (apt-get install chromium)"));
    }
    if !Path::new(chromedriver).exists() {
        missing.push(format!("{chromedriver} (apt-get install chromium-driver)"));
    }
    if needs == Needs::Axe && !Path::new(AXE).exists() {
        missing.push(format!("{AXE} (npm ci)"));
    }
    (!missing.is_empty()).then(|| format!("no {}", missing.join(", no ")))
}

/// Tells whether the browser tests must run (CI) rather than skip.
fn required() -> bool {
    std::env::var("DIAGNOZA_BROWSER_TESTS").is_ok_and(|v| v == "require")
}

/// Returns whether a test can run; prints why not, or fails when the tests
/// are required.
pub fn available(needs: Needs) -> bool {
    let Some(why) = missing(needs) else {
        return true;
    };
    let test = std::thread::current()
        .name()
        .unwrap_or("a browser test")
        .to_string();
    assert!(
        !required(),
        "{test}: {why}, and DIAGNOZA_BROWSER_TESTS=require forbids skipping"
    );
    // Straight to standard error: libtest captures `eprintln!` of passing
    // tests, and a skip should be seen.
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {test}: {why}; set DIAGNOZA_BROWSER_TESTS=require to make this a failure"
    );
    false
}

/// The build of the embedded content, made once for all the tests.
static BUILD: LazyLock<Shared> = LazyLock::new(|| {
    let build = Build::embedded(&Config::default())
        .unwrap_or_else(|p| panic!("the embedded content has problems:\n{p}"));
    Arc::new(ArcSwap::from_pointee(build))
});

/// At most this many browsers at once, however many tests libtest runs.
static BROWSERS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Starts diagnoza on a free port of 127.0.0.1 in this runtime and returns
/// its base URL. `public_url` is the address the pages name as their own
/// (the base URL when `None`).
pub async fn serve(public_url: Option<&str>) -> String {
    let shared = tokio::task::spawn_blocking(|| BUILD.clone())
        .await
        .expect("the build is made");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port for diagnoza");
    let addr = listener.local_addr().expect("a bound address");
    let base = format!("http://{addr}");
    let config = Config {
        base_url: public_url.unwrap_or(&base).to_string(),
        ..Config::default()
    };
    let app = diagnoza::app(shared, &config).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

/// How a browser is started.
#[derive(Clone, Copy)]
pub struct Options {
    /// Whether pages may run scripts.
    pub javascript: bool,
    /// The window's width and height in CSS pixels.
    pub size: (u32, u32),
    pub needs: Needs,
    /// The address the site calls its own on result pages; the real one when `None`.
    pub public_url: Option<&'static str>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            javascript: true,
            size: (1280, 900),
            needs: Needs::Browser,
            public_url: None,
        }
    }
}

impl Options {
    /// A browser that runs no page scripts, as with JavaScript turned off.
    pub fn without_javascript() -> Options {
        Options {
            javascript: false,
            ..Options::default()
        }
    }

    /// A browser for the axe-core checks.
    pub fn axe() -> Options {
        Options {
            needs: Needs::Axe,
            ..Options::default()
        }
    }
}

/// chromedriver, stopped with everything it started when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    /// Starts chromedriver on a free port and waits until it listens.
    async fn start(log: &Path) -> Driver {
        let mut last_error = String::new();
        // A port found free can be taken before chromedriver binds it; try another.
        for _ in 0..3 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("a free port for chromedriver")
                .port();
            let child = Command::new(CHROMEDRIVER.as_str())
                .arg(format!("--port={port}"))
                .arg(format!("--log-path={}", log.display()))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                // Its own process group, so that stopping it stops Chromium too.
                .process_group(0)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", *CHROMEDRIVER));
            let mut driver = Driver {
                child,
                url: format!("http://127.0.0.1:{port}/"),
            };
            let started = Instant::now();
            while started.elapsed() < PATIENCE {
                if let Ok(Some(status)) = driver.child.try_wait() {
                    last_error = format!("chromedriver exited with {status}");
                    break;
                }
                if tokio::net::TcpStream::connect(("127.0.0.1", port))
                    .await
                    .is_ok()
                {
                    return driver;
                }
                tokio::time::sleep(POLL).await;
            }
            if last_error.is_empty() {
                last_error = format!("chromedriver did not listen on port {port}");
            }
            drop(driver);
        }
        panic!("{last_error}; the end of its log:\n{}", log_tail(log));
    }
}

/// Returns the last lines of chromedriver's log, to show why it failed.
fn log_tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The whole group: chromedriver and any Chromium it left behind.
        if let Ok(pid) = i32::try_from(self.child.id()) {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `probe` until it answers `Ok`, and returns that; fails the test
/// with `what` and the last `Err` after [`PATIENCE`].
pub async fn eventually<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
    let started = Instant::now();
    loop {
        match probe().await {
            Ok(value) => return value,
            Err(last) if started.elapsed() >= PATIENCE => {
                panic!("waited {}s for {what}; {last}", PATIENCE.as_secs())
            }
            Err(_) => tokio::time::sleep(POLL).await,
        }
    }
}

/// One browser session on one running diagnoza.
#[derive(Clone)]
pub struct Browser {
    pub client: Client,
    /// The site's base URL, `http://127.0.0.1:PORT`.
    pub base: String,
}

/// Runs a test with a fresh browser on a fresh server, or skips it.
///
/// The browser and chromedriver are stopped afterwards even when the test
/// panics; the panic is then passed on.
pub async fn with_browser<F, Fut>(options: Options, test: F)
where
    F: FnOnce(Browser) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    if !available(options.needs) {
        return;
    }
    let _permit = BROWSERS.acquire().await.expect("the semaphore is open");
    let base = serve(options.public_url).await;
    let profile = tempfile::tempdir().expect("a temporary folder for the profile");
    let log = profile.path().join("chromedriver.log");
    let driver = Driver::start(&log).await;
    let client = match connect(&driver, &profile.path().join("profile"), options).await {
        Ok(client) => client,
        Err(e) => panic!(
            "cannot start Chromium through chromedriver: {e}\nthe end of chromedriver's log:\n{}",
            log_tail(&log)
        ),
    };
    let browser = Browser {
        client: client.clone(),
        base,
    };
    let outcome = tokio::spawn(test(browser)).await;
    let _ = client.close().await;
    drop(driver);
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("the test did not finish: {e}"),
        }
    }
}

/// Opens a WebDriver session with headless Chromium.
async fn connect(
    driver: &Driver,
    profile: &Path,
    options: Options,
) -> Result<Client, fantoccini::error::NewSessionError> {
    let (width, height) = options.size;
    let mut args = vec![
        "--headless".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        // Phones draw scrollbars over the page; so do the screenshots.
        "--hide-scrollbars".into(),
        // No smooth scrolling: WebDriver clicks where an element is now.
        "--force-prefers-reduced-motion".into(),
        format!("--user-data-dir={}", profile.display()),
        format!("--window-size={width},{height}"),
    ];
    if !options.javascript {
        args.push("--blink-settings=scriptEnabled=false".into());
    }
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM.as_str(),
            "args": args,
        },
    });
    let Value::Object(capabilities) = capabilities else {
        unreachable!("an object literal")
    };
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await?;
    // Headless windows have no browser chrome, so this is the viewport the
    // tests measure; set again in case the command line's size was adjusted.
    client
        .set_window_size(width, height)
        .await
        .expect("the window can be sized");
    Ok(client)
}

/// A DevTools command sent through chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct Cdp {
    method: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (Method, Option<String>) {
        let body = json!({ "cmd": self.method, "params": self.params });
        (Method::POST, Some(body.to_string()))
    }
}

impl Browser {
    /// Returns the absolute URL of a path of the site.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Opens a path of the site and waits for it to load.
    pub async fn open(&self, path: &str) {
        self.client
            .goto(&self.url(path))
            .await
            .unwrap_or_else(|e| panic!("cannot open {path}: {e}"));
    }

    /// Returns the path, query and fragment of the current page.
    pub async fn location(&self) -> String {
        let url = self.client.current_url().await.expect("a current URL");
        let mut s = url.path().to_string();
        if let Some(q) = url.query() {
            s.push('?');
            s.push_str(q);
        }
        if let Some(f) = url.fragment() {
            s.push('#');
            s.push_str(f);
        }
        s
    }

    /// Sends a DevTools command and returns its result.
    pub async fn cdp(&self, method: &'static str, params: Value) -> Value {
        self.client
            .issue_cmd(Cdp { method, params })
            .await
            .unwrap_or_else(|e| panic!("DevTools {method} failed: {e}"))
    }

    /// Runs a script (a function body; `arguments` holds `args`) and returns its value.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("the script failed: {e}\n{script}"))
    }

    /// Runs an asynchronous script: it calls `arguments[arguments.length - 1]`
    /// with its result.
    pub async fn js_async(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute_async(script, args)
            .await
            .unwrap_or_else(|e| panic!("the script failed: {e}\n{script}"))
    }

    /// Waits until a script returns something truthy and returns it.
    pub async fn until(&self, what: &str, script: &str) -> Value {
        eventually(what, || async move {
            let value = self.js(script, vec![]).await;
            let truthy = match &value {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::String(s) => !s.is_empty(),
                Value::Number(n) => n.as_f64() != Some(0.0),
                Value::Array(_) | Value::Object(_) => true,
            };
            if truthy {
                Ok(value)
            } else {
                Err(format!("the last answer was {value}"))
            }
        })
        .await
    }

    /// Waits for an element to be on the page and returns it.
    pub async fn element(&self, css: &str) -> Element {
        let found = self
            .client
            .wait()
            .at_most(PATIENCE)
            .every(POLL)
            .for_element(Locator::Css(css))
            .await;
        match found {
            Ok(element) => element,
            Err(e) => panic!("no {css} on {}: {e}", self.location_lossy().await),
        }
    }

    /// Returns every element matching a selector, now.
    pub async fn all(&self, css: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("cannot look for {css}: {e}"))
    }

    async fn location_lossy(&self) -> String {
        match self.client.current_url().await {
            Ok(url) => url.to_string(),
            Err(_) => "(no page)".into(),
        }
    }

    /// Presses one key (a [`fantoccini::key::Key`] or a character) on
    /// whatever has the focus.
    pub async fn press(&self, key: impl Into<char>) -> Result<(), CmdError> {
        let key = key.into();
        let actions = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.client.perform_actions(actions).await
    }

    /// Returns a description of the focused element: tag, id and classes.
    pub async fn focused(&self) -> String {
        self.js(
            "var e = document.activeElement;
             if (!e) { return '(none)'; }
             var s = e.tagName.toLowerCase();
             if (e.id) { s += '#' + e.id; }
             if (e.classList.length) { s += '.' + Array.prototype.join.call(e.classList, '.'); }
             return s;",
            vec![],
        )
        .await
        .as_str()
        .unwrap_or("(none)")
        .to_string()
    }

    /// Sets the width and height of the page's viewport.
    pub async fn resize(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .expect("the window can be sized");
        self.until(
            &format!("a viewport {width} px wide"),
            &format!("return window.innerWidth === {width};"),
        )
        .await;
    }

    /// Emulates CSS media: a type (`screen`, `print`, or empty) and features
    /// such as `prefers-color-scheme`.
    pub async fn emulate_media(&self, media: &str, features: &[(&str, &str)]) {
        let features: Vec<Value> = features
            .iter()
            .map(|(name, value)| json!({ "name": name, "value": value }))
            .collect();
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "media": media, "features": features }),
        )
        .await;
    }

    /// Fills the paste box on the current page without typing it (fast for
    /// large texts), as a paste would.
    pub async fn fill_paste_box(&self, text: &str) {
        self.element("#paste-text").await;
        self.js(
            "var t = document.getElementById('paste-text');
             t.value = arguments[0];
             t.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!(text)],
        )
        .await;
    }

    /// Clicks the paste box's button.
    pub async fn submit_paste(&self) {
        self.element("#paste-form button[type=submit]")
            .await
            .click()
            .await
            .expect("the paste button can be clicked");
    }
}

/// A Postfix bounce of the most common case: relaying denied.
pub const RELAY_BOUNCE: &str = "This is the mail system at host mail.example.org.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

<jan@example.com>: host mx.example.com[192.0.2.1] said: 554 5.7.1
    <jan@example.com>: Relay access denied (in reply to RCPT TO command)";
