//! `?w=reason-codes`: the shell with this one widget.
fn main() {
    mqtt_lab::start(Some(("reason-codes", mqtt_lab::widgets::reason_codes)));
}
