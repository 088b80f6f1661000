//! `?w=live`: the shell with this one widget.
fn main() {
    mqtt_lab::start(Some(("live", mqtt_lab::widgets::live)));
}
