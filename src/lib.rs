//! MQTT Lab's browser app, as a library. Each binary in `src/bin/` mounts the
//! shell with one widget, or with none for the gallery, so that a page loads
//! only the code it shows (index.html's loader picks the binary from `?w=`).

mod app;
mod components;
mod embed;
mod inspector;
mod live;
mod panic_banner;
mod url_state;
pub mod widgets;
mod yield_now;

use leptos::prelude::AnyView;

/// A widget's view constructor.
pub type View = fn() -> AnyView;

/// Mounts the app: the gallery, or the widget this binary carries.
pub fn start(widget: Option<(&'static str, View)>) {
    panic_banner::install();
    leptos::mount::mount_to_body(move || app::app(widget));
}
