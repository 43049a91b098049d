//! Browser storage. Only the gateway URL and the request history are kept;
//! both are public data (the history holds methods, paths and bodies, never
//! headers), so nothing secret ever reaches storage.

/// The key holding the gateway URL.
pub const GATEWAY_KEY: &str = "orgpolicy.gateway";
/// The key holding the recent requests.
pub const HISTORY_KEY: &str = "orgpolicy.history";

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Reads a key; `None` when absent or when storage is unavailable.
pub fn get(key: &str) -> Option<String> {
    local()?.get_item(key).ok()?
}

/// Writes a key; `false` when storage refused (private mode, quota).
pub fn set(key: &str, value: &str) -> bool {
    local().is_some_and(|storage| storage.set_item(key, value).is_ok())
}

/// Removes a key.
pub fn remove(key: &str) {
    if let Some(storage) = local() {
        let _ = storage.remove_item(key);
    }
}
