//! `?w=capacity`: the shell with this one widget.
fn main() {
    mqtt_lab::start(Some(("capacity", mqtt_lab::widgets::capacity)));
}
