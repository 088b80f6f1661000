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

/// Mounts the app: the gallery, or the widget this binary carries. Inlined
/// into each binary's `main`, so that the gallery's (`start(None)`) links
/// neither the widget page nor its share control.
#[inline(always)]
pub fn start(widget: Option<(&'static str, View)>) {
    match widget {
        Some((slug, view)) => start_widget(slug, view),
        None => start_gallery(),
    }
}

fn start_widget(slug: &'static str, view: View) {
    panic_banner::install();
    let carried = app::Carried {
        slug,
        view,
        page: app::widget_page,
    };
    leptos::mount::mount_to_body(move || app::app(Some(carried)));
}

fn start_gallery() {
    panic_banner::install();
    leptos::mount::mount_to_body(|| app::app(None));
}
