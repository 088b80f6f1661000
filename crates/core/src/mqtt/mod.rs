//! A focused, sans-I/O MQTT 3.1.1 and 5.0 client: bytes in, events out,
//! time passed in (OASIS MQTT 3.1.1 and 5.0, section 3 for the packets).
//! No sockets, no clock: the browser feeds WebSocket frames and a timer.

pub mod client;
pub mod codec;

pub use client::{Client, Event, Options, Will};
pub use codec::{DecodeError, Decoder, Packet, Protocol};
