//! The gallery page: the shell without any widget code.
fn main() {
    mqtt_lab::start(None);
}
