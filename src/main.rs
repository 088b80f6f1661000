//! Mounts the app; everything else lives in the modules.

mod app;
mod components;
mod live;
mod panic_banner;
mod url_state;
mod widgets;
mod yield_now;

fn main() {
    panic_banner::install();
    leptos::mount::mount_to_body(app::App);
}
