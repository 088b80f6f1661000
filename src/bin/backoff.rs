//! One page of MQTT Lab: the widget whose slug is this file's name (`?w=NAME`),
//! or the gallery (`gallery.rs`). Every binary is this same line.
mqtt_lab::main!(env!("CARGO_BIN_NAME"));
