//! `?w=packets`: the shell with this one widget.
fn main() {
    mqtt_lab::start(Some(("packets", mqtt_lab::widgets::packets)));
}
