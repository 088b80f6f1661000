//! `?w=tls-timeout`: the shell with this one widget.
fn main() {
    mqtt_lab::start(Some(("tls-timeout", mqtt_lab::widgets::tls_timeout)));
}
