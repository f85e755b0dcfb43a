//! The engine's interface on the server, where nothing syncs (see `engine.rs`).

use super::protocol::{Account, NetError};
use super::state::{Holding, SyncState};
use crate::model::record::RecordId;

pub fn set_enabled(_: SyncState, _: bool) {}
pub fn set_account(_: SyncState, _: Option<Account>) {}
pub fn now() {}
pub fn changed() {}
pub fn dismiss_conflict(_: SyncState, _: RecordId) {}
pub async fn forget_account(_: SyncState) {}
pub async fn forget_deleted_account(_: SyncState) {}
pub async fn holding() -> Result<Holding, String> {
    Err(String::new())
}
pub async fn tie_to_account(_: SyncState, _: bool) -> Result<bool, String> {
    Ok(false)
}
pub async fn clear_phone(_: SyncState, _: bool) -> Result<(), String> {
    Ok(())
}
pub async fn refresh_account(_: SyncState) {}
pub async fn read_shared(_: SyncState) -> Result<(), String> {
    Ok(())
}
pub async fn api<T: serde::de::DeserializeOwned>(
    _: &str,
    _: &str,
    _: Option<&impl serde::Serialize>,
) -> Result<Option<T>, NetError> {
    Err(NetError::Offline)
}
pub const NO_BODY: Option<&()> = None;
