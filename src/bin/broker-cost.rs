//! `?w=broker-cost`: the shell with this one widget.
fn main() {
    mqtt_lab::start(Some(("broker-cost", mqtt_lab::widgets::broker_cost)));
}
