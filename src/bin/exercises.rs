//! `?w=exercises`: the shell with this one widget.
fn main() {
    mqtt_lab::start(Some(("exercises", mqtt_lab::widgets::exercises)));
}
