//! One module per widget; the registry maps a slug to its view. One list:
//! the gallery, the router and the tests all read it, so they cannot disagree.

mod backoff;
mod battery;
mod broker_cost;
mod capacity;
mod debug;
mod exercises;
mod live;
mod qos;
mod reason_codes;
mod tls_timeout;

use leptos::prelude::*;

type View = fn() -> AnyView;

/// The built widgets, by the slugs of `mqtt_lab_core::widgets::ALL`.
const BUILT: &[(&str, View)] = &[
    ("capacity", || view! { <capacity::Capacity /> }.into_any()),
    ("reason-codes", || {
        view! { <reason_codes::ReasonCodes /> }.into_any()
    }),
    ("backoff", || view! { <backoff::Backoff /> }.into_any()),
    ("tls-timeout", || {
        view! { <tls_timeout::TlsTimeout /> }.into_any()
    }),
    ("broker-cost", || {
        view! { <broker_cost::BrokerCost /> }.into_any()
    }),
    ("qos", || view! { <qos::Qos /> }.into_any()),
    ("debug", || view! { <debug::Debug /> }.into_any()),
    ("battery", || view! { <battery::Battery /> }.into_any()),
    ("live", || view! { <live::Live /> }.into_any()),
    ("exercises", || {
        view! { <exercises::Exercises /> }.into_any()
    }),
];

fn built(slug: &str) -> Option<View> {
    BUILT.iter().find(|(s, _)| *s == slug).map(|(_, v)| *v)
}

/// Whether a widget of the registry has been built yet.
pub fn is_ready(slug: &str) -> bool {
    built(slug).is_some()
}

/// The view of a widget, or a placeholder for one still to come.
pub fn render(slug: &str) -> AnyView {
    match built(slug) {
        Some(view) => view(),
        None => view! {
            <p class="coming-note">"This widget is coming soon. Meanwhile, try the "<a href="?w=capacity">"capacity planner"</a>"."</p>
        }
        .into_any(),
    }
}
