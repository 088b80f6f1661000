//! MQTT 5 properties (§2.2.2), written once as a table (§2.2.2.2, Table
//! 2-4) and expanded into the struct, the reader, the writer, the length and
//! the allowed-in check.

use super::coding::{self, Reader, Sec};
use super::error::{DecodeError, EncodeError, ErrorKind, Rule};
use super::Protocol;

/// Where a property block appears: the packets of Table 2-4, and the Will
/// Properties inside CONNECT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Connect,
    Connack,
    Publish,
    Will,
    Puback,
    Pubrec,
    Pubrel,
    Pubcomp,
    Subscribe,
    Suback,
    Unsubscribe,
    Unsuback,
    Disconnect,
    Auth,
}

impl Context {
    const fn bit(self) -> u16 {
        1 << self as u16
    }

    pub fn name(self) -> &'static str {
        match self {
            Context::Connect => "CONNECT",
            Context::Connack => "CONNACK",
            Context::Publish => "PUBLISH",
            Context::Will => "the Will Properties",
            Context::Puback => "PUBACK",
            Context::Pubrec => "PUBREC",
            Context::Pubrel => "PUBREL",
            Context::Pubcomp => "PUBCOMP",
            Context::Subscribe => "SUBSCRIBE",
            Context::Suback => "SUBACK",
            Context::Unsubscribe => "UNSUBSCRIBE",
            Context::Unsuback => "UNSUBACK",
            Context::Disconnect => "DISCONNECT",
            Context::Auth => "AUTH",
        }
    }

    /// The section of this packet's property block in 5.0.
    pub fn section(self) -> &'static str {
        match self {
            Context::Connect => "3.1.2.11",
            Context::Connack => "3.2.2.3",
            Context::Publish => "3.3.2.3",
            Context::Will => "3.1.3.2",
            Context::Puback => "3.4.2.2",
            Context::Pubrec => "3.5.2.2",
            Context::Pubrel => "3.6.2.2",
            Context::Pubcomp => "3.7.2.2",
            Context::Subscribe => "3.8.2.1",
            Context::Suback => "3.9.2.1",
            Context::Unsubscribe => "3.10.2.1",
            Context::Unsuback => "3.11.2.1",
            Context::Disconnect => "3.14.2.2",
            Context::Auth => "3.15.2.2",
        }
    }
}

const CONNECT: u16 = Context::Connect.bit();
const CONNACK: u16 = Context::Connack.bit();
const PUBLISH: u16 = Context::Publish.bit();
const WILL: u16 = Context::Will.bit();
const ACKS: u16 = Context::Puback.bit()
    | Context::Pubrec.bit()
    | Context::Pubrel.bit()
    | Context::Pubcomp.bit()
    | Context::Suback.bit()
    | Context::Unsuback.bit();
const SUBSCRIBE: u16 = Context::Subscribe.bit();
const DISCONNECT: u16 = Context::Disconnect.bit();
const AUTH: u16 = Context::Auth.bit();
const EVERYWHERE: u16 = (1 << 14) - 1;

/// The data types of §1.5 a property value can have.
trait Value: Sized {
    fn read(r: &mut Reader, what: &str) -> Result<Self, DecodeError>;
    fn write(&self, out: &mut Vec<u8>);
    fn len(&self) -> usize;
    fn check(&self, what: &str) -> Result<(), EncodeError>;
    fn show(&self) -> String;
}

impl Value for u8 {
    fn read(r: &mut Reader, what: &str) -> Result<Self, DecodeError> {
        r.u8(what)
    }
    fn write(&self, out: &mut Vec<u8>) {
        out.push(*self);
    }
    fn len(&self) -> usize {
        1
    }
    fn check(&self, _: &str) -> Result<(), EncodeError> {
        Ok(())
    }
    fn show(&self) -> String {
        self.to_string()
    }
}

impl Value for u16 {
    fn read(r: &mut Reader, what: &str) -> Result<Self, DecodeError> {
        r.u16(what)
    }
    fn write(&self, out: &mut Vec<u8>) {
        coding::put_u16(out, *self);
    }
    fn len(&self) -> usize {
        2
    }
    fn check(&self, _: &str) -> Result<(), EncodeError> {
        Ok(())
    }
    fn show(&self) -> String {
        self.to_string()
    }
}

impl Value for u32 {
    fn read(r: &mut Reader, what: &str) -> Result<Self, DecodeError> {
        r.u32(what)
    }
    fn write(&self, out: &mut Vec<u8>) {
        coding::put_u32(out, *self);
    }
    fn len(&self) -> usize {
        4
    }
    fn check(&self, _: &str) -> Result<(), EncodeError> {
        Ok(())
    }
    fn show(&self) -> String {
        self.to_string()
    }
}

impl Value for String {
    fn read(r: &mut Reader, what: &str) -> Result<Self, DecodeError> {
        r.utf8(what).map(str::to_string)
    }
    fn write(&self, out: &mut Vec<u8>) {
        coding::put_bytes(out, self.as_bytes());
    }
    fn len(&self) -> usize {
        coding::str_len(self)
    }
    fn check(&self, what: &str) -> Result<(), EncodeError> {
        coding::check_str(Protocol::V5, what, self)
    }
    fn show(&self) -> String {
        coding::quote(self)
    }
}

impl Value for Vec<u8> {
    fn read(r: &mut Reader, what: &str) -> Result<Self, DecodeError> {
        r.binary(what).map(<[u8]>::to_vec)
    }
    fn write(&self, out: &mut Vec<u8>) {
        coding::put_bytes(out, self);
    }
    fn len(&self) -> usize {
        2 + self.len()
    }
    fn check(&self, what: &str) -> Result<(), EncodeError> {
        coding::check_len(Protocol::V5, what, self)
    }
    fn show(&self) -> String {
        coding::show_bytes(self)
    }
}

/// A property value outside what the specification allows is a Protocol
/// Error (§2.2.2.2 and each property's definition).
const VALUE_RULE: Rule = Rule::both("§2.2.2.2");

macro_rules! properties {
    ($( $id:literal $field:ident : $ty:ty, $name:literal, in $ctx:expr, valid $valid:expr; )*) => {
        /// The properties of one packet (MQTT 5 only; empty on 3.1.1).
        /// Single-valued properties are `Option`s; User Property and
        /// Subscription Identifier may repeat.
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct Properties {
            $( pub $field: Option<$ty>, )*
            /// 0x26 User Property: name and value, in order; may repeat.
            pub user_properties: Vec<(String, String)>,
            /// 0x0B Subscription Identifier: once in SUBSCRIBE, any number of
            /// times in a PUBLISH to a client (§3.3.2.3.8).
            pub subscription_identifiers: Vec<u32>,
        }

        /// The name of a property identifier, if it is one (Table 2-4).
        pub fn name(id: u8) -> Option<&'static str> {
            match id {
                $( $id => Some($name), )*
                0x26 => Some("User Property"),
                0x0B => Some("Subscription Identifier"),
                _ => None,
            }
        }

        fn allowed(id: u8) -> u16 {
            match id {
                $( $id => $ctx, )*
                0x26 => EVERYWHERE,
                0x0B => PUBLISH | SUBSCRIBE,
                _ => 0,
            }
        }

        impl Properties {
            /// How many properties the block holds.
            pub fn count(&self) -> usize {
                $( usize::from(self.$field.is_some()) + )* self.user_properties.len()
                    + self.subscription_identifiers.len()
            }

            pub fn is_empty(&self) -> bool {
                $( self.$field.is_none() && )* self.user_properties.is_empty()
                    && self.subscription_identifiers.is_empty()
            }

            /// Reads one property (its identifier is already read) into self.
            fn read_one(&mut self, r: &mut Reader, ctx: Context, id: u8, start: usize) -> Result<(), DecodeError> {
                let sec = Sec("", ctx.section());
                match id {
                    $( $id => {
                        let v = <$ty as Value>::read(r, $name)?;
                        if self.$field.is_some() {
                            return Err(r.error_at(start, ErrorKind::ProtocolError,
                                format!("{} appears twice", $name), Rule::both("§2.2.2.2")));
                        }
                        let valid: fn(&$ty) -> bool = $valid;
                        if !valid(&v) {
                            return Err(r.error_at(start, ErrorKind::ProtocolError,
                                format!("{} = {} is not an allowed value", $name, v.show()), VALUE_RULE));
                        }
                        r.mark(start, $name, sec, || v.show());
                        self.$field = Some(v);
                    } )*
                    0x26 => {
                        let k = r.utf8("User Property name")?.to_string();
                        let v = r.utf8("User Property value")?.to_string();
                        r.mark(start, "User Property", sec, || {
                            format!("{} = {}", coding::quote(&k), coding::quote(&v))
                        });
                        self.user_properties.push((k, v));
                    }
                    _ => {
                        // 0x0B, the only identifier left that `allowed` accepts.
                        let v = r.varint("Subscription Identifier")?;
                        if v == 0 {
                            return Err(r.error_at(start, ErrorKind::ProtocolError,
                                "Subscription Identifier 0: it is from 1 to 268,435,455", Rule::both("§3.3.2.3.8")));
                        }
                        r.mark(start, "Subscription Identifier", sec, || v.to_string());
                        self.subscription_identifiers.push(v);
                    }
                }
                Ok(())
            }

            /// The bytes of the properties without the length prefix.
            fn body_len(&self) -> usize {
                let mut n = 0;
                $( if let Some(v) = &self.$field { n += 1 + Value::len(v); } )*
                for (k, v) in &self.user_properties {
                    n += 1 + coding::str_len(k) + coding::str_len(v);
                }
                for id in &self.subscription_identifiers {
                    n += 1 + coding::varint_len(*id as usize);
                }
                n
            }

            fn write_body(&self, out: &mut Vec<u8>) {
                $( if let Some(v) = &self.$field { out.push($id); v.write(out); } )*
                for (k, v) in &self.user_properties {
                    out.push(0x26);
                    coding::put_bytes(out, k.as_bytes());
                    coding::put_bytes(out, v.as_bytes());
                }
                for id in &self.subscription_identifiers {
                    out.push(0x0B);
                    coding::put_varint(out, *id as usize);
                }
            }

            /// Refuses what may not be sent in `ctx`, before anything is written.
            pub fn check(&self, ctx: Context) -> Result<(), EncodeError> {
                $( if let Some(v) = &self.$field {
                    if allowed($id) & ctx.bit() == 0 {
                        return Err(EncodeError::new(format!("{} is not allowed in {}", $name, ctx.name()), "§2.2.2.2"));
                    }
                    let valid: fn(&$ty) -> bool = $valid;
                    if !valid(v) {
                        return Err(EncodeError::new(format!("{} = {} is not an allowed value", $name, v.show()), "§2.2.2.2"));
                    }
                    v.check($name)?;
                } )*
                for (k, v) in &self.user_properties {
                    coding::check_str(Protocol::V5, "a User Property name", k)?;
                    coding::check_str(Protocol::V5, "a User Property value", v)?;
                }
                if !self.subscription_identifiers.is_empty() && allowed(0x0B) & ctx.bit() == 0 {
                    return Err(EncodeError::new(format!("Subscription Identifier is not allowed in {}", ctx.name()), "§2.2.2.2"));
                }
                if ctx == Context::Subscribe && self.subscription_identifiers.len() > 1 {
                    return Err(EncodeError::new("SUBSCRIBE carries at most one Subscription Identifier", "§3.8.2.1.2"));
                }
                if self.subscription_identifiers.iter().any(|&i| i == 0 || i as usize > coding::VARINT_MAX) {
                    return Err(EncodeError::new("a Subscription Identifier is from 1 to 268,435,455", "§3.8.2.1.2"));
                }
                Ok(())
            }
        }
    };
}

properties! {
    0x01 payload_format_indicator: u8, "Payload Format Indicator", in PUBLISH | WILL, valid |v| *v <= 1;
    0x02 message_expiry_interval: u32, "Message Expiry Interval", in PUBLISH | WILL, valid |_| true;
    0x03 content_type: String, "Content Type", in PUBLISH | WILL, valid |_| true;
    0x08 response_topic: String, "Response Topic", in PUBLISH | WILL,
        valid |t| !t.is_empty() && !t.contains(['+', '#']);
    0x09 correlation_data: Vec<u8>, "Correlation Data", in PUBLISH | WILL, valid |_| true;
    0x11 session_expiry_interval: u32, "Session Expiry Interval", in CONNECT | CONNACK | DISCONNECT, valid |_| true;
    0x12 assigned_client_identifier: String, "Assigned Client Identifier", in CONNACK, valid |_| true;
    0x13 server_keep_alive: u16, "Server Keep Alive", in CONNACK, valid |_| true;
    0x15 authentication_method: String, "Authentication Method", in CONNECT | CONNACK | AUTH, valid |_| true;
    0x16 authentication_data: Vec<u8>, "Authentication Data", in CONNECT | CONNACK | AUTH, valid |_| true;
    0x17 request_problem_information: u8, "Request Problem Information", in CONNECT, valid |v| *v <= 1;
    0x18 will_delay_interval: u32, "Will Delay Interval", in WILL, valid |_| true;
    0x19 request_response_information: u8, "Request Response Information", in CONNECT, valid |v| *v <= 1;
    0x1A response_information: String, "Response Information", in CONNACK, valid |_| true;
    0x1C server_reference: String, "Server Reference", in CONNACK | DISCONNECT, valid |_| true;
    0x1F reason_string: String, "Reason String", in CONNACK | ACKS | DISCONNECT | AUTH, valid |_| true;
    0x21 receive_maximum: u16, "Receive Maximum", in CONNECT | CONNACK, valid |v| *v > 0;
    0x22 topic_alias_maximum: u16, "Topic Alias Maximum", in CONNECT | CONNACK, valid |_| true;
    0x23 topic_alias: u16, "Topic Alias", in PUBLISH, valid |v| *v > 0;
    0x24 maximum_qos: u8, "Maximum QoS", in CONNACK, valid |v| *v <= 1;
    0x25 retain_available: u8, "Retain Available", in CONNACK, valid |v| *v <= 1;
    0x27 maximum_packet_size: u32, "Maximum Packet Size", in CONNECT | CONNACK, valid |v| *v > 0;
    0x28 wildcard_subscription_available: u8, "Wildcard Subscription Available", in CONNACK, valid |v| *v <= 1;
    0x29 subscription_identifier_available: u8, "Subscription Identifier Available", in CONNACK, valid |v| *v <= 1;
    0x2A shared_subscription_available: u8, "Shared Subscription Available", in CONNACK, valid |v| *v <= 1;
}

impl Properties {
    /// Reads a property block (length, then properties) in `ctx`.
    pub(crate) fn read(r: &mut Reader, ctx: Context) -> Result<Properties, DecodeError> {
        let group = r.open_group("Properties", Sec("", ctx.section()));
        let len_start = r.pos();
        let len = r.varint("the Property Length")? as usize;
        r.mark(len_start, "Property Length", Sec("", "2.2.2.1"), || {
            len.to_string()
        });
        if len > r.remaining() {
            return Err(r.error_at(
                len_start,
                ErrorKind::Malformed,
                format!(
                    "the Property Length ({len}) runs past the end of the packet ({} bytes left)",
                    r.remaining()
                ),
                Rule::both("§2.2.2.1"),
            ));
        }
        let end = r.pos() + len;
        let mut p = Properties::default();
        while r.pos() < end {
            let start = r.pos();
            let id = r.u8("a property identifier")?;
            if name(id).is_none() {
                return Err(r.error_at(
                    start,
                    ErrorKind::Malformed,
                    format!("0x{id:02X} is not a property identifier"),
                    Rule::both("§2.2.2.2"),
                ));
            }
            if allowed(id) & ctx.bit() == 0 {
                return Err(r.error_at(
                    start,
                    ErrorKind::ProtocolError,
                    format!(
                        "{} is not allowed in {}",
                        name(id).unwrap_or_default(),
                        ctx.name()
                    ),
                    Rule::both("§2.2.2.2"),
                ));
            }
            if id == 0x0B && ctx == Context::Subscribe && !p.subscription_identifiers.is_empty() {
                return Err(r.error_at(
                    start,
                    ErrorKind::ProtocolError,
                    "Subscription Identifier appears twice in SUBSCRIBE",
                    Rule::both("§3.8.2.1.2"),
                ));
            }
            p.read_one(r, ctx, id, start)?;
            if r.pos() > end {
                return Err(r.error_at(
                    start,
                    ErrorKind::Malformed,
                    "a property runs past the Property Length",
                    Rule::both("§2.2.2.1"),
                ));
            }
        }
        let count = p.count();
        r.close_group(group, || match count {
            0 => "none".into(),
            1 => "1 property".into(),
            n => format!("{n} properties"),
        });
        Ok(p)
    }

    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        coding::put_varint(out, self.body_len());
        self.write_body(out);
    }
}
