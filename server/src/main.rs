//! `server`: starts Tillit. Every failure at start is one clear line on stderr and exit code 1.

use server::config::{Config, Limits};
use server::{startup, telemetry};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    telemetry::init();
    let result = async {
        let config = Config::from_env()?;
        let limits = Limits::from_env()?;
        let server = startup::build_with(config, limits).await?;
        tracing::info!(addr = %server.addr(), "listening");
        server.run_until(startup::shutdown_signal()).await
    }
    .await;
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
