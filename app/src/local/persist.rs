//! Persistent storage: browsers may evict IndexedDB under storage pressure (and Safari after
//! seven days without use) unless the site's storage is marked persistent.

use wasm_bindgen_futures::JsFuture;

/// Whether the browser has marked this site's storage as persistent (`None`: cannot tell).
pub async fn is_persisted() -> Option<bool> {
    let storage = web_sys::window()?.navigator().storage();
    let value = JsFuture::from(storage.persisted().ok()?).await.ok()?;
    value.as_bool()
}

/// Asks for persistence; browsers decide silently (Chromium by engagement, Firefox asks).
pub async fn request() -> Option<bool> {
    let storage = web_sys::window()?.navigator().storage();
    let value = JsFuture::from(storage.persist().ok()?).await.ok()?;
    value.as_bool()
}
