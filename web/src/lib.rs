//! The orgpolicy console: a "Try it" console for the organization, member
//! and RBAC endpoints, and a policy playground, running in the browser.
//!
//! Everything the console knows about endpoints, validation, snippets and
//! authorization comes from `orgpolicy-core`, compiled into this module: the
//! console renders and sends, the core decides. Requests go to a gateway,
//! which adds the credentials; the console never holds a secret.

pub mod app;
pub mod browse;
pub mod dom;
pub mod fields;
pub mod gateway;
pub mod http;
pub mod playground;
pub mod roles;
pub mod storage;
pub mod tryit;

pub use app::App;

/// Mounts the console on the page's `<main id="app">` (or the body).
pub fn start() {
    use wasm_bindgen::JsCast;
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("app"))
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    match root {
        Some(root) => leptos::mount::mount_to(root, App).forget(),
        None => leptos::mount::mount_to_body(App),
    }
}
