//! A sans-I/O MQTT 3.1.1 and 5.0 client: bytes in, events out, time passed
//! in (OASIS MQTT 3.1.1 and 5.0). No sockets, no clock: the browser feeds
//! WebSocket frames and wakes the client when `poll_timeout` says.
//!
//! The codec has one file per packet (as rumqttc's mqttbytes), each with
//! byte-literal tests; `properties` expands MQTT 5's Table 2-4 from one
//! table; `decoder` finds packets in a byte stream in linear time; `topic`
//! implements §4.7; `client` is the state machine; `conformance` maps the
//! specifications' normative statements to the tests that cover them.

mod ack;
pub mod client;
pub mod coding;
pub mod conformance;
mod connack;
pub mod connect;
pub mod decoder;
mod disconnect;
pub mod error;
pub mod packet;
pub mod properties;
mod publish;
mod subscribe;
pub mod topic;
mod types;
mod unsubscribe;

pub use client::{Client, Event, Options};
pub use decoder::Decoder;
pub use error::{DecodeError, EncodeError, ErrorKind};
pub use packet::{
    decode, Ack, Connack, Connect, Disconnect, LastWill, Packet, PacketType, Publish, QoS, Suback,
    Subscribe, Subscription, Unsuback, Unsubscribe,
};
pub use properties::{Properties, Props};

pub use crate::protocol::Protocol;
pub use crate::reason_codes::ReasonCode;
