//! Wiring: config → built site → database → listener → router. [`build`] does everything
//! that can fail before the first request, so a bad start is one clear error; tests call it
//! with port 0 and a temporary data directory.

use crate::config::{Config, Limits};
use crate::db::Db;
use crate::error::StartupError;
use crate::hashing::Hasher;
use crate::http::{self, AppState};
use crate::secret::Secret;
use crate::site::{Site, HASH_FILE, OUTPUT_NAME, PKG_DIR};
use app::App;
use axum::serve::{ListenerExt, TapIo};
use leptos::prelude::LeptosOptions;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::{TcpListener, TcpStream};

pub struct Server {
    listener: TcpListener,
    router: axum::Router,
    db: Db,
    retention: crate::maintenance::Retention,
    push: Arc<crate::push::Pusher>,
    reminders: crate::checkins::reminders::Schedule,
}

/// Connections the kernel holds for the server before it accepts them. A burst larger than
/// this queue (1,024 with `TcpListener::bind`) is not refused but dropped, and each dropped
/// client tries again only after a second (TCP's first retransmission): 1,000 sign-ups at
/// once then waited over a second for an answer the server gives in milliseconds. The
/// kernel caps it at `net.core.somaxconn` (4,096 on current Linux).
const ACCEPT_QUEUE: u32 = 8192;

/// Binds and listens on `addr` with a deep accept queue ([`ACCEPT_QUEUE`]).
fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    // As `TcpListener::bind`: a restarted server can take its port at once.
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(ACCEPT_QUEUE)
}

/// Sets `TCP_NODELAY` on every connection the server accepts.
///
/// Without it, Nagle's algorithm holds the end of a response that follows a small write (the
/// headers, then the body) until the browser acknowledges the first part, and the browser
/// delays that acknowledgement (up to 40 ms on Linux, longer on some systems). A page load
/// asks for dozens of files over a few kept-alive connections. Measured here: the second
/// request on one connection took 44 ms instead of under 1, and a first visit to `/` was
/// hydrated at 226 ms instead of 199 (Chromium, median of 12, servers alternating).
fn without_nagle(listener: TcpListener) -> TapIo<TcpListener, fn(&mut TcpStream)> {
    listener.tap_io(set_nodelay)
}

fn set_nodelay(stream: &mut TcpStream) {
    if let Err(err) = stream.set_nodelay(true) {
        tracing::debug!(%err, "could not set TCP_NODELAY");
    }
}

/// [`build_with`] the default [`Limits`].
pub async fn build(config: Config) -> Result<Server, StartupError> {
    build_with(config, Limits::default()).await
}

pub async fn build_with(config: Config, limits: Limits) -> Result<Server, StartupError> {
    let routes = leptos_axum::generate_route_list(App);
    let static_paths: Vec<String> = routes
        .iter()
        .map(|route| route.path().to_owned())
        .filter(|path| !path.contains([':', '*']))
        .collect();
    let site = Arc::new(Site::load(&config.site_root, &static_paths)?);
    let db = Db::open(&config.data_dir, config.database_url.as_deref()).await?;
    let secret = Secret::load_or_create(&config.data_dir)?;
    let push = crate::push::Pusher::load_or_create(&config.data_dir, db.clone(), limits.push_allow_loopback)?;
    let listener = listen(config.addr).map_err(|source| StartupError::Bind {
        addr: config.addr,
        source,
    })?;
    let addr = listener.local_addr().map_err(|source| StartupError::Bind {
        addr: config.addr,
        source,
    })?;

    let leptos = LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(site.root.to_string_lossy().as_ref())
        .site_pkg_dir(PKG_DIR)
        .site_addr(addr)
        .hash_files(true)
        // Absolute, so Leptos finds it wherever the binary lives (it joins this to the
        // executable's directory, and joining an absolute path replaces the base).
        .hash_file(Arc::from(site.root.join(HASH_FILE).to_string_lossy().as_ref()))
        .build();
    let state = AppState {
        db: db.clone(),
        site,
        leptos,
        hasher: Hasher::new(limits.hashing_queue, limits.hash_cost),
        limits: Arc::new(limits),
        secret: Arc::new(secret),
        push: Arc::new(push),
    };
    let (push, reminders) = (state.push.clone(), state.limits.reminders);
    let retention = crate::maintenance::Retention {
        checkins_ms: state.limits.checkin_retention_ms,
        history_ms: state.limits.history_keep_ms,
    };
    Ok(Server {
        listener,
        router: http::router(state, routes),
        db,
        retention,
        push,
        reminders,
    })
}

impl Server {
    pub fn addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight and closes
    /// the database.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), StartupError> {
        let purging = crate::maintenance::spawn(self.db.clone(), self.retention);
        let reminding = crate::checkins::reminders::spawn(self.db.clone(), self.push, self.reminders);
        // With the peer address: login throttling counts failures per address.
        let served = axum::serve(
            without_nagle(self.listener),
            self.router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        purging.abort();
        reminding.abort();
        self.db.close().await;
        tracing::info!("stopped");
        served.map_err(StartupError::Serve)
    }
}

/// Completes on Ctrl-C or SIGTERM (what a service manager or container runtime sends).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::serve::Listener;

    #[tokio::test]
    async fn accepted_connections_send_without_waiting_for_acknowledgements() {
        let listener = listen("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = listener.local_addr().unwrap();
        let mut listener = without_nagle(listener);
        let client = TcpStream::connect(addr);
        let ((accepted, _), client) = tokio::join!(listener.accept(), client);
        client.unwrap();
        assert!(accepted.nodelay().unwrap());
    }
}
