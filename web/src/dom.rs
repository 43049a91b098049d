//! The few page operations the views need besides rendering: focus, scroll
//! into view, the document's title, and text with `code` spans.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn element(id: &str) -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .get_element_by_id(id)?
        .dyn_into::<web_sys::HtmlElement>()
        .ok()
}

/// Moves focus to the element with this id, if there is one.
pub fn focus(id: &str) {
    if let Some(element) = element(id) {
        let _ = element.focus();
    }
}

/// Focuses the first element matching `selector` inside the element `id`;
/// whether one was found.
pub fn focus_first(id: &str, selector: &str) -> bool {
    let found = element(id)
        .and_then(|root| root.query_selector(selector).ok().flatten())
        .and_then(|found| found.dyn_into::<web_sys::HtmlElement>().ok());
    match found {
        Some(found) => found.focus().is_ok(),
        None => false,
    }
}

/// Scrolls the element with this id into view, as little as needed.
pub fn reveal(id: &str) {
    if let Some(element) = element(id) {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
        element.scroll_into_view_with_scroll_into_view_options(&options);
    }
}

/// Sets the document's title.
pub fn set_title(title: &str) {
    if let Some(document) = web_sys::window().and_then(|window| window.document()) {
        document.set_title(title);
    }
}

/// Text in which `` `spans` `` are code, as the core's messages and the
/// catalog's docs write them: rendered as `<code>`, never with literal
/// backticks. Text with an unmatched backtick is shown as it is.
pub fn rich_text(text: &str) -> impl IntoView + use<> {
    let parts: Vec<String> = text.split('`').map(str::to_owned).collect();
    if parts.len().is_multiple_of(2) {
        return text.to_owned().into_any();
    }
    parts
        .into_iter()
        .enumerate()
        .map(|(index, part)| {
            if !index.is_multiple_of(2) {
                view! { <code>{part}</code> }.into_any()
            } else {
                part.into_any()
            }
        })
        .collect_view()
        .into_any()
}
