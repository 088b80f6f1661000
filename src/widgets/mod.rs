//! One module per widget, each behind its own constructor, and [`VIEWS`],
//! which names each constructor by its slug. A binary takes its widget from
//! [`VIEWS`] at compile time (`mqtt_lab::main!`), so it links only that one.

mod backoff;
mod battery;
mod broker_cost;
mod capacity;
mod debug;
mod exercises;
mod live;
mod packets;
mod qos;
mod reason_codes;
mod tls_timeout;

use crate::View;
use leptos::prelude::*;

/// Every widget's view by its slug: the slugs of the registry
/// (`crates/core/src/widgets.rs`), whose test checks that each has a binary.
pub const VIEWS: &[(&str, View)] = &[
    ("capacity", capacity),
    ("reason-codes", reason_codes),
    ("backoff", backoff),
    ("tls-timeout", tls_timeout),
    ("broker-cost", broker_cost),
    ("qos", qos),
    ("debug", debug),
    ("battery", battery),
    ("live", live),
    ("packets", packets),
    ("exercises", exercises),
];

/// The view of the widget `slug`, if [`VIEWS`] has it; usable in a `const`.
pub const fn view_of(slug: &str) -> Option<View> {
    let mut i = 0;
    while i < VIEWS.len() {
        if same(VIEWS[i].0, slug) {
            return Some(VIEWS[i].1);
        }
        i += 1;
    }
    None
}

/// String equality that a `const` can evaluate (`==` on `str` cannot).
pub const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

fn capacity() -> AnyView {
    view! { <capacity::Capacity /> }.into_any()
}
fn reason_codes() -> AnyView {
    view! { <reason_codes::ReasonCodes /> }.into_any()
}
fn backoff() -> AnyView {
    view! { <backoff::Backoff /> }.into_any()
}
fn tls_timeout() -> AnyView {
    view! { <tls_timeout::TlsTimeout /> }.into_any()
}
fn broker_cost() -> AnyView {
    view! { <broker_cost::BrokerCost /> }.into_any()
}
fn qos() -> AnyView {
    view! { <qos::Qos /> }.into_any()
}
fn debug() -> AnyView {
    view! { <debug::Debug /> }.into_any()
}
fn battery() -> AnyView {
    view! { <battery::Battery /> }.into_any()
}
fn live() -> AnyView {
    view! { <live::Live /> }.into_any()
}
fn packets() -> AnyView {
    view! { <packets::Packets /> }.into_any()
}
fn exercises() -> AnyView {
    view! { <exercises::Exercises /> }.into_any()
}
