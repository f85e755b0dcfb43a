//! `server`: starts Tillit (`server admin …`: the administrator's commands, see
//! `server::admin`). Every failure at start is one clear line on stderr and exit code 1.

use server::config::{Config, Limits};
use server::{admin, startup, telemetry};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("admin") {
        return match admin::run(&args[1..]).await {
            Ok(output) => {
                println!("{output}");
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("error: {err}");
                ExitCode::FAILURE
            }
        };
    }
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
