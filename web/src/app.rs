//! The console's shell: gateway settings, the two views and hash routing.
//!
//! Routes live in the hash (`#/try/<endpoint id>`, `#/playground`) so a
//! link can open an endpoint; nothing in the address is ever read for the
//! gateway.

use crate::fields::BoundInput;
use crate::gateway::{self, Info, InfoState};
use crate::playground::Playground;
use crate::tryit::{DEFAULT_ENDPOINT, TryIt};
use leptos::prelude::*;
use leptos::task::spawn_local;
use orgpolicy_api::catalog::Method;
use orgpolicy_core::Policy;

/// State shared by the views. Every piece is public data except the access
/// token, which lives in memory only and is never written anywhere.
#[derive(Debug, Clone, Copy)]
pub struct Console {
    /// The validated gateway origin.
    pub gateway: RwSignal<Option<String>>,
    /// The gateway's access token, for gateways off loopback (memory only).
    pub token: RwSignal<String>,
    pub info: RwSignal<InfoState>,
    /// The project policy, once the playground has it (validates
    /// organization policy bodies in the Try-it forms too).
    pub project: RwSignal<Option<Policy>>,
    /// The Try-it form: other views fill its ids.
    pub form: crate::fields::FormState,
    /// An organization the playground is asked to load (from Browse).
    pub playground_request: RwSignal<Option<String>>,
}

/// What a request needs before a gateway is set.
pub const NO_GATEWAY: &str = "Set the gateway URL first.";

impl Console {
    /// Where requests go now: the gateway's origin and the access token
    /// (empty when none); `None` until a gateway is set.
    pub fn target(&self) -> Option<(String, String)> {
        let base = self.gateway.get_untracked()?;
        Some((base, self.token.get_untracked()))
    }
}

/// Which view the hash asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Try(String),
    Browse,
    Playground,
}

/// The endpoint id of a `#/try/...` hash that names none in the catalog.
pub fn unknown_endpoint(hash: &str) -> Option<String> {
    let hash = hash.trim_start_matches('#').trim_start_matches('/');
    let id = hash.strip_prefix("try/")?;
    (!id.is_empty() && crate::tryit::endpoint(id).is_none()).then(|| id.to_owned())
}

/// Reads a hash (`#/try/members.create`); unknown hashes open the default.
pub fn route_from_hash(hash: &str) -> Route {
    let hash = hash.trim_start_matches('#').trim_start_matches('/');
    if hash == "playground" {
        return Route::Playground;
    }
    if hash == "browse" {
        return Route::Browse;
    }
    match hash.strip_prefix("try/") {
        Some(id) if crate::tryit::endpoint(id).is_some() => Route::Try(id.to_owned()),
        _ => Route::Try(DEFAULT_ENDPOINT.to_owned()),
    }
}

fn current_hash() -> String {
    web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .unwrap_or_default()
}

fn load_info(console: Console) {
    let Some((base, token)) = console.target() else {
        console.info.set(InfoState::Unknown);
        return;
    };
    console.info.set(InfoState::Loading);
    spawn_local(async move {
        let answer =
            crate::http::fetch_json(&base, &token, Method::Get, "/_gateway/info", None).await;
        let state = match answer {
            Ok(text) => match serde_json::from_str::<Info>(&text) {
                Ok(info) => InfoState::Loaded(info),
                Err(_) => {
                    InfoState::Failed(format!("{base} does not look like an orgpolicy gateway"))
                }
            },
            Err(message) => InfoState::Failed(message),
        };
        // Only if the gateway did not change meanwhile.
        if console.gateway.get_untracked().as_deref() == Some(base.as_str()) {
            console.info.set(state);
        }
    });
}

#[component]
pub fn App() -> impl IntoView {
    let console = Console {
        gateway: RwSignal::new(gateway::initial_url()),
        token: RwSignal::new(String::new()),
        info: RwSignal::new(InfoState::Unknown),
        project: RwSignal::new(None),
        form: crate::fields::FormState::new(),
        playground_request: RwSignal::new(None),
    };
    let route = RwSignal::new(route_from_hash(&current_hash()));
    // Said when a link names an endpoint the catalog does not have.
    let notice = RwSignal::new(unknown_endpoint(&current_hash()));
    let selected = RwSignal::new(match route.get_untracked() {
        Route::Try(id) => id,
        Route::Browse | Route::Playground => DEFAULT_ENDPOINT.to_owned(),
    });
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        notice.set(unknown_endpoint(&current_hash()));
        let next = route_from_hash(&current_hash());
        if let Route::Try(id) = &next {
            selected.set(id.clone());
        }
        route.set(next);
    });
    on_cleanup(move || handle.remove());
    load_info(console);

    let is_playground = move || route.get() == Route::Playground;
    let is_browse = move || route.get() == Route::Browse;
    let is_try = move || matches!(route.get(), Route::Try(_));
    // The page's title follows the view (and the endpoint).
    Effect::new(move |_| {
        let title = match route.get() {
            Route::Playground => "Policy playground · orgpolicy console".to_owned(),
            Route::Browse => "Browse · orgpolicy console".to_owned(),
            Route::Try(_) => {
                let summary = crate::tryit::endpoint(&selected.get())
                    .map_or("Try it", |endpoint| endpoint.summary);
                format!("{summary} · Try it · orgpolicy console")
            }
        };
        crate::dom::set_title(&title);
    });
    let skip = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        crate::dom::focus(match route.get_untracked() {
            Route::Playground => "sources-title",
            Route::Browse => "organizations-title",
            Route::Try(_) => "endpoint-title",
        });
    };
    view! {
        <a class="skip-link" href="#main" on:click=skip>
            {move || match route.get() {
                Route::Playground => "Skip to the playground",
                Route::Browse => "Skip to the organizations",
                Route::Try(_) => "Skip to the request form",
            }}
        </a>
        <header class="top">
            <h1>"orgpolicy console"</h1>
            <nav aria-label="Views" class="views">
                <a
                    href=move || format!("#/try/{}", selected.get())
                    aria-current=move || is_try().then_some("page")
                >
                    "Try it"
                </a>
                <a href="#/browse" aria-current=move || is_browse().then_some("page")>
                    "Browse"
                </a>
                <a href="#/playground" aria-current=move || is_playground().then_some("page")>
                    "Policy playground"
                </a>
            </nav>
            <GatewayPanel console=console />
        </header>
        <main id="main">
            {move || {
                notice
                    .get()
                    .map(|id| {
                        view! {
                            <p id="route-notice" class="hint" role="status">
                                "No endpoint "
                                <code>{id}</code>
                                " in the catalog: showing "
                                {crate::tryit::endpoint(crate::tryit::DEFAULT_ENDPOINT).map(|e| e.summary)}
                                "."
                            </p>
                        }
                    })
            }}
            <div id="view-try" hidden=move || !is_try()>
                <TryIt console=console selected=selected />
            </div>
            <div id="view-browse" hidden=move || !is_browse()>
                <crate::browse::Browse console=console selected=selected active=Signal::derive(is_browse) />
            </div>
            <div id="view-playground" hidden=move || !is_playground()>
                <Playground console=console />
            </div>
        </main>
    }
}

#[component]
fn GatewayPanel(console: Console) -> impl IntoView {
    let draft = RwSignal::new(console.gateway.get_untracked().unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let saved_note = RwSignal::new(String::new());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match gateway::validate_url(&draft.get_untracked()) {
            Ok(url) => {
                error.set(None);
                let stored = crate::storage::set(crate::storage::GATEWAY_KEY, &url);
                saved_note.set(if stored {
                    format!("Saved {url}")
                } else {
                    format!("Using {url} (browser storage is unavailable, so it is not kept)")
                });
                draft.set(url.clone());
                console.gateway.set(Some(url));
                load_info(console);
            }
            Err(message) => {
                saved_note.set(String::new());
                error.set(Some(message));
            }
        }
    };
    let badge = move || {
        console.info.with(|info| match info {
            InfoState::Unknown => view! { <span class="badge muted">"no gateway"</span> }.into_any(),
            InfoState::Loading => view! { <span class="badge muted">"checking…"</span> }.into_any(),
            InfoState::Failed(message) => view! {
                <span class="badge bad" id="gateway-badge">"unreachable"</span>
                " "
                <span class="gateway-problem">{message.clone()}</span>
            }
            .into_any(),
            InfoState::Loaded(info) => {
                let kind = gateway::badge(info);
                let credentials = if info.credentials_configured {
                    "credentials configured"
                } else {
                    "no credentials configured"
                };
                view! {
                    <span class=format!("badge {kind}") id="gateway-badge">{kind}</span>
                    " "
                    <span id="gateway-credentials" class=if info.credentials_configured { "ok" } else { "bad" }>
                        {credentials}
                    </span>
                }
                .into_any()
            }
        })
    };
    view! {
        <section class="gateway" aria-labelledby="gateway-title">
            <h2 id="gateway-title" class="visually-hidden">"Gateway"</h2>
            <form on:submit=save class="gateway-form">
                <label for="gateway-url">"Gateway URL"</label>
                <BoundInput
                    id="gateway-url"
                    value=draft
                    kind="url"
                    autocomplete="url"
                    invalid=Signal::derive(move || error.with(Option::is_some))
                    described_by="gateway-error"
                />
                <button type="submit" id="gateway-save">"Save"</button>
                <details class="token">
                    <summary>"Access token"</summary>
                    <label for="gateway-token">"Gateway access token (kept in memory only)"</label>
                    <BoundInput id="gateway-token" value=console.token kind="password" />
                </details>
            </form>
            <p id="gateway-error" class="field-error">
                {move || error.get().map(|message| crate::dom::rich_text(&message))}
            </p>
            <p class="gateway-status" aria-live="polite">{badge}</p>
            <p class="saved" aria-live="polite">{move || saved_note.get()}</p>
        </section>
    }
}
