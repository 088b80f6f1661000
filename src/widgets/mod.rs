//! One module per widget, each behind its own constructor: a binary links
//! only the widget it names (see `src/bin/`).

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

use leptos::prelude::*;

pub fn capacity() -> AnyView {
    view! { <capacity::Capacity /> }.into_any()
}
pub fn reason_codes() -> AnyView {
    view! { <reason_codes::ReasonCodes /> }.into_any()
}
pub fn backoff() -> AnyView {
    view! { <backoff::Backoff /> }.into_any()
}
pub fn tls_timeout() -> AnyView {
    view! { <tls_timeout::TlsTimeout /> }.into_any()
}
pub fn broker_cost() -> AnyView {
    view! { <broker_cost::BrokerCost /> }.into_any()
}
pub fn qos() -> AnyView {
    view! { <qos::Qos /> }.into_any()
}
pub fn debug() -> AnyView {
    view! { <debug::Debug /> }.into_any()
}
pub fn battery() -> AnyView {
    view! { <battery::Battery /> }.into_any()
}
pub fn live() -> AnyView {
    view! { <live::Live /> }.into_any()
}
pub fn packets() -> AnyView {
    view! { <packets::Packets /> }.into_any()
}
pub fn exercises() -> AnyView {
    view! { <exercises::Exercises /> }.into_any()
}
