//! `?w=backoff`: the shell with this one widget.
fn main() {
    mqtt_lab::start(Some(("backoff", mqtt_lab::widgets::backoff)));
}
