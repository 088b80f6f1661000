//! One module per widget; the registry maps a slug to its view.

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

/// Whether a widget of the registry has been built yet.
pub fn is_ready(slug: &str) -> bool {
    matches!(
        slug,
        "capacity" | "backoff" | "broker-cost" | "reason-codes"
    )
}

/// The view of a widget, or a placeholder for one still to come.
pub fn render(slug: &'static str) -> AnyView {
    match slug {
        "capacity" => view! { <capacity::Capacity /> }.into_any(),
        "backoff" => view! { <backoff::Backoff /> }.into_any(),
        "broker-cost" => view! { <broker_cost::BrokerCost /> }.into_any(),
        "reason-codes" => view! { <reason_codes::ReasonCodes /> }.into_any(),
        "qos" => view! { <qos::Qos /> }.into_any(),
        "tls-timeout" => view! { <tls_timeout::TlsTimeout /> }.into_any(),
        "debug" => view! { <debug::Debug /> }.into_any(),
        "battery" => view! { <battery::Battery /> }.into_any(),
        "exercises" => view! { <exercises::Exercises /> }.into_any(),
        "live" => view! { <live::Live /> }.into_any(),
        _ => view! {
            <p class="coming-note">"This widget is coming soon. Meanwhile, try the "<a href="?w=capacity">"capacity planner"</a>"."</p>
        }
        .into_any(),
    }
}
