//! `?w=battery`: the shell with this one widget.
fn main() {
    mqtt_lab::start(Some(("battery", mqtt_lab::widgets::battery)));
}
