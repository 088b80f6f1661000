//! `?w=debug`: the shell with this one widget.
fn main() {
    mqtt_lab::start(Some(("debug", mqtt_lab::widgets::debug)));
}
