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

/// What a binary carries: one widget (its slug and view), or `None` for the
/// gallery.
pub type Page = Option<(&'static str, View)>;

/// Every binary in `src/bin/` is this one line, its slug taken from its own
/// file name, so that a widget's binary is written without naming it:
///
/// ```ignore
/// mqtt_lab::main!(env!("CARGO_BIN_NAME"));
/// ```
///
/// The page is chosen at compile time (a `const`), so a binary refers to one
/// widget's constructor only and links no other widget; a file name that is
/// neither `gallery` nor a slug of [`widgets::VIEWS`] does not compile.
#[macro_export]
macro_rules! main {
    ($bin:expr) => {
        fn main() {
            const PAGE: $crate::Page = $crate::page($bin);
            $crate::start(PAGE);
        }
    };
}

/// The page of the binary called `bin`: the gallery for
/// [`GALLERY_BIN`](mqtt_lab_core::widgets::GALLERY_BIN), else the widget of
/// that slug. For [`main!`], at compile time.
pub const fn page(bin: &'static str) -> Page {
    if widgets::same(bin, mqtt_lab_core::widgets::GALLERY_BIN) {
        return None;
    }
    match widgets::view_of(bin) {
        Some(view) => Some((bin, view)),
        None => panic!("src/bin: this binary's name is neither `gallery` nor a slug of src/widgets/mod.rs VIEWS"),
    }
}

/// Mounts the app: the gallery, or the widget this binary carries. Inlined
/// into each binary's `main`, so that the gallery's (`start(None)`) links
/// neither the widget page nor its share control.
#[inline(always)]
pub fn start(widget: Page) {
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
