//! `?w=qos`: the shell with this one widget.
fn main() {
    mqtt_lab::start(Some(("qos", mqtt_lab::widgets::qos)));
}
