//! MQTT 5 properties (§2.2.2), written once as a table (§2.2.2.2, Table
//! 2-4): identifier, name, data type, the packets it is allowed in, and the
//! values it may take. One reader, one writer and one check walk the table;
//! a small macro only maps identifiers to the struct's fields.

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

/// The data types of §1.5 a property value has (Table 2-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Byte,
    Two,
    Four,
    Var,
    Str,
    Bin,
    Pair,
}

/// What values a property may take; anything else is a Protocol Error
/// (each property's definition in §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Valid {
    Any,
    ZeroOrOne,
    NonZero,
    /// A topic name: not empty, no wildcards (Response Topic, [MQTT-3.3.2-14]).
    TopicName,
}

struct Def {
    id: u8,
    name: &'static str,
    kind: Kind,
    allowed: u16,
    valid: Valid,
}

const fn def(id: u8, name: &'static str, kind: Kind, allowed: u16, valid: Valid) -> Def {
    Def {
        id,
        name,
        kind,
        allowed,
        valid,
    }
}

use Kind::*;
use Valid::*;

/// Table 2-4, in identifier order.
#[rustfmt::skip]
const TABLE: &[Def] = &[
    def(0x01, "Payload Format Indicator", Byte, PUBLISH | WILL, ZeroOrOne),
    def(0x02, "Message Expiry Interval", Four, PUBLISH | WILL, Any),
    def(0x03, "Content Type", Str, PUBLISH | WILL, Any),
    def(0x08, "Response Topic", Str, PUBLISH | WILL, TopicName),
    def(0x09, "Correlation Data", Bin, PUBLISH | WILL, Any),
    def(0x0B, "Subscription Identifier", Var, PUBLISH | SUBSCRIBE, NonZero),
    def(0x11, "Session Expiry Interval", Four, CONNECT | CONNACK | DISCONNECT, Any),
    def(0x12, "Assigned Client Identifier", Str, CONNACK, Any),
    def(0x13, "Server Keep Alive", Two, CONNACK, Any),
    def(0x15, "Authentication Method", Str, CONNECT | CONNACK | AUTH, Any),
    def(0x16, "Authentication Data", Bin, CONNECT | CONNACK | AUTH, Any),
    def(0x17, "Request Problem Information", Byte, CONNECT, ZeroOrOne),
    def(0x18, "Will Delay Interval", Four, WILL, Any),
    def(0x19, "Request Response Information", Byte, CONNECT, ZeroOrOne),
    def(0x1A, "Response Information", Str, CONNACK, Any),
    def(0x1C, "Server Reference", Str, CONNACK | DISCONNECT, Any),
    def(0x1F, "Reason String", Str, CONNACK | ACKS | DISCONNECT | AUTH, Any),
    def(0x21, "Receive Maximum", Two, CONNECT | CONNACK, NonZero),
    def(0x22, "Topic Alias Maximum", Two, CONNECT | CONNACK, Any),
    def(0x23, "Topic Alias", Two, PUBLISH, NonZero),
    def(0x24, "Maximum QoS", Byte, CONNACK, ZeroOrOne),
    def(0x25, "Retain Available", Byte, CONNACK, ZeroOrOne),
    def(0x26, "User Property", Pair, EVERYWHERE, Any),
    def(0x27, "Maximum Packet Size", Four, CONNECT | CONNACK, NonZero),
    def(0x28, "Wildcard Subscription Available", Byte, CONNACK, ZeroOrOne),
    def(0x29, "Subscription Identifier Available", Byte, CONNACK, ZeroOrOne),
    def(0x2A, "Shared Subscription Available", Byte, CONNACK, ZeroOrOne),
];

fn lookup(id: u8) -> Option<&'static Def> {
    TABLE.iter().find(|d| d.id == id)
}

/// The name of a property identifier, if it is one (Table 2-4).
pub fn name(id: u8) -> Option<&'static str> {
    lookup(id).map(|d| d.name)
}

/// A property's value, as read or to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value<'a> {
    Int(u32),
    Str(&'a str),
    Bin(&'a [u8]),
    Pair(&'a str, &'a str),
}

impl Value<'_> {
    fn int(&self) -> u32 {
        match self {
            Value::Int(n) => *n,
            _ => 0,
        }
    }
    fn text(&self) -> String {
        match self {
            Value::Str(s) => s.to_string(),
            _ => String::new(),
        }
    }
    fn bytes(&self) -> Vec<u8> {
        match self {
            Value::Bin(b) => b.to_vec(),
            _ => Vec::new(),
        }
    }
    fn show(&self) -> String {
        match self {
            Value::Int(n) => n.to_string(),
            Value::Str(s) => coding::quote(s),
            Value::Bin(b) => coding::show_bytes(b),
            Value::Pair(k, v) => format!("{} = {}", coding::quote(k), coding::quote(v)),
        }
    }
    fn encoded_len(&self, kind: Kind) -> usize {
        match (kind, self) {
            (Byte, _) => 1,
            (Two, _) => 2,
            (Four, _) => 4,
            (Var, Value::Int(n)) => coding::varint_len(*n as usize),
            (_, Value::Str(s)) => coding::str_len(s),
            (_, Value::Bin(b)) => 2 + b.len(),
            (_, Value::Pair(k, v)) => coding::str_len(k) + coding::str_len(v),
            _ => 0,
        }
    }
    fn write(&self, kind: Kind, out: &mut Vec<u8>) {
        match (kind, self) {
            (Byte, Value::Int(n)) => out.push(*n as u8),
            (Two, Value::Int(n)) => coding::put_u16(out, *n as u16),
            (Four, Value::Int(n)) => coding::put_u32(out, *n),
            (Var, Value::Int(n)) => coding::put_varint(out, *n as usize),
            (_, Value::Str(s)) => coding::put_bytes(out, s.as_bytes()),
            (_, Value::Bin(b)) => coding::put_bytes(out, b),
            (_, Value::Pair(k, v)) => {
                coding::put_bytes(out, k.as_bytes());
                coding::put_bytes(out, v.as_bytes());
            }
            _ => {}
        }
    }
}

impl Valid {
    fn accepts(self, kind: Kind, v: &Value) -> bool {
        match (self, v) {
            (Any, _) => true,
            (ZeroOrOne, Value::Int(n)) => *n <= 1,
            // A Variable Byte Integer holds at most 268,435,455 (§1.5.5); a Four
            // Byte Integer all its range (Maximum Packet Size: only 0 is refused).
            (NonZero, Value::Int(n)) => {
                *n > 0 && (kind != Var || (*n as usize) <= coding::VARINT_MAX)
            }
            (TopicName, Value::Str(t)) => !t.is_empty() && !super::topic::has_wildcard(t),
            _ => false,
        }
    }
}

fn read_value<'a>(r: &mut Reader<'a, '_>, d: &Def) -> Result<Value<'a>, DecodeError> {
    Ok(match d.kind {
        Byte => Value::Int(u32::from(r.u8(d.name)?)),
        Two => Value::Int(u32::from(r.u16(d.name)?)),
        Four => Value::Int(r.u32(d.name)?),
        Var => Value::Int(r.varint(d.name)?),
        Str => Value::Str(r.utf8(d.name)?),
        Bin => Value::Bin(r.binary(d.name)?),
        Pair => Value::Pair(r.utf8(d.name)?, r.utf8(d.name)?),
    })
}

macro_rules! fields {
    ($( $id:literal $field:ident: $ty:ty = $get:ident; )*) => {
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

        impl Properties {
            /// Stores a value; false when a single-valued property is set already.
            fn set(&mut self, id: u8, v: &Value) -> bool {
                match id {
                    $( $id => {
                        if self.$field.is_some() {
                            return false;
                        }
                        self.$field = Some(v.$get() as _);
                    } )*
                    0x26 => {
                        if let Value::Pair(k, x) = v {
                            self.user_properties.push((k.to_string(), x.to_string()));
                        }
                    }
                    _ => self.subscription_identifiers.push(v.int()),
                }
                true
            }

            /// No property set: what [`Props`] shows when it holds none.
            const EMPTY: Properties = Properties {
                $( $field: None, )*
                user_properties: Vec::new(),
                subscription_identifiers: Vec::new(),
            };

            /// No property set (the common case, checked without walking them).
            pub fn is_empty(&self) -> bool {
                $( self.$field.is_none() && )* self.user_properties.is_empty()
                    && self.subscription_identifiers.is_empty()
            }

            /// Every property set, in identifier order within each kind.
            fn each(&self, f: &mut dyn FnMut(u8, Value)) {
                $( if let Some(v) = &self.$field { f($id, to_value(v)); } )*
                for (k, v) in &self.user_properties {
                    f(0x26, Value::Pair(k, v));
                }
                for n in &self.subscription_identifiers {
                    f(0x0B, Value::Int(*n));
                }
            }
        }
    };
}

/// A field of the struct as a [`Value`].
trait AsValue {
    fn as_value(&self) -> Value<'_>;
}
impl AsValue for u8 {
    fn as_value(&self) -> Value<'_> {
        Value::Int(u32::from(*self))
    }
}
impl AsValue for u16 {
    fn as_value(&self) -> Value<'_> {
        Value::Int(u32::from(*self))
    }
}
impl AsValue for u32 {
    fn as_value(&self) -> Value<'_> {
        Value::Int(*self)
    }
}
impl AsValue for String {
    fn as_value(&self) -> Value<'_> {
        Value::Str(self)
    }
}
impl AsValue for Vec<u8> {
    fn as_value(&self) -> Value<'_> {
        Value::Bin(self)
    }
}
fn to_value<T: AsValue>(v: &T) -> Value<'_> {
    v.as_value()
}

fields! {
    0x01 payload_format_indicator: u8 = int;
    0x02 message_expiry_interval: u32 = int;
    0x03 content_type: String = text;
    0x08 response_topic: String = text;
    0x09 correlation_data: Vec<u8> = bytes;
    0x11 session_expiry_interval: u32 = int;
    0x12 assigned_client_identifier: String = text;
    0x13 server_keep_alive: u16 = int;
    0x15 authentication_method: String = text;
    0x16 authentication_data: Vec<u8> = bytes;
    0x17 request_problem_information: u8 = int;
    0x18 will_delay_interval: u32 = int;
    0x19 request_response_information: u8 = int;
    0x1A response_information: String = text;
    0x1C server_reference: String = text;
    0x1F reason_string: String = text;
    0x21 receive_maximum: u16 = int;
    0x22 topic_alias_maximum: u16 = int;
    0x23 topic_alias: u16 = int;
    0x24 maximum_qos: u8 = int;
    0x25 retain_available: u8 = int;
    0x27 maximum_packet_size: u32 = int;
    0x28 wildcard_subscription_available: u8 = int;
    0x29 subscription_identifier_available: u8 = int;
    0x2A shared_subscription_available: u8 = int;
}

/// A packet's properties, boxed only when it has any. Most packets have
/// none (every 3.1.1 packet, most 5.0 PUBLISH and acks): inline, the 330
/// bytes of [`Properties`] were zeroed, moved and dropped with every packet
/// (a 1 MiB frame of the smallest packets took about a fifth longer for
/// it). Reads see [`Properties`] through `Deref` (an empty one when
/// none is held); a write through `DerefMut` boxes it.
#[derive(Clone, Default)]
pub struct Props(Option<Box<Properties>>);

static EMPTY: Properties = Properties::EMPTY;

impl Props {
    /// No property set; without looking when none was ever stored.
    pub fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(|p| p.is_empty())
    }

    /// The properties, owned (an empty set when none is held).
    pub fn into_inner(self) -> Properties {
        self.0.map(|b| *b).unwrap_or_default()
    }
}

impl std::ops::Deref for Props {
    type Target = Properties;
    fn deref(&self) -> &Properties {
        self.0.as_deref().unwrap_or(&EMPTY)
    }
}

impl std::ops::DerefMut for Props {
    fn deref_mut(&mut self) -> &mut Properties {
        self.0.get_or_insert_with(Box::default)
    }
}

impl From<Properties> for Props {
    fn from(p: Properties) -> Self {
        Props((!p.is_empty()).then(|| Box::new(p)))
    }
}

impl PartialEq for Props {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}
impl Eq for Props {}

impl std::fmt::Debug for Props {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

const VALUE_RULE: Rule = Rule::both("§2.2.2.2");

impl Properties {
    /// How many properties the block holds.
    pub fn count(&self) -> usize {
        let mut n = 0;
        self.each(&mut |_, _| n += 1);
        n
    }

    /// Reads a property block (length, then properties) in `ctx`.
    pub(crate) fn read(r: &mut Reader, ctx: Context) -> Result<Props, DecodeError> {
        let sec = Sec("", ctx.section());
        let group = r.open_group("Properties", sec);
        let len_start = r.pos();
        let len = r.varint("the Property Length")? as usize;
        r.mark(len_start, "Property Length", Sec("", "2.2.2.1"), &|| {
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
        if len == 0 {
            // Most packets: nothing to build.
            r.close_group(group, &|| "none".into());
            return Ok(Props::default());
        }
        let end = r.pos() + len;
        let mut p = Properties::default();
        while r.pos() < end {
            let start = r.pos();
            let id = r.u8("a property identifier")?;
            let Some(d) = lookup(id) else {
                return Err(r.error_at(
                    start,
                    ErrorKind::Malformed,
                    format!("0x{id:02X} is not a property identifier"),
                    VALUE_RULE,
                ));
            };
            let fail = |r: &Reader, what: String| {
                r.error_at(start, ErrorKind::ProtocolError, what, VALUE_RULE)
            };
            if d.allowed & ctx.bit() == 0 {
                return Err(fail(
                    r,
                    format!("{} is not allowed in {}", d.name, ctx.name()),
                ));
            }
            let v = read_value(r, d)?;
            if id == 0x23 && matches!(v, Value::Int(0)) {
                // A receiver answers Topic Alias 0 with 0x94 Topic Alias
                // invalid (§3.3.2.3.4), not 0x82 as for other bad values.
                return Err(r.error_at(
                    start,
                    ErrorKind::TopicAliasInvalid,
                    "Topic Alias 0, which is not permitted".to_string(),
                    Rule {
                        v311: "",
                        v5: "[MQTT-3.3.2-8]",
                    },
                ));
            }
            if !d.valid.accepts(d.kind, &v) {
                return Err(fail(
                    r,
                    format!("{} = {} is not an allowed value", d.name, v.show()),
                ));
            }
            let twice_in_subscribe =
                id == 0x0B && ctx == Context::Subscribe && !p.subscription_identifiers.is_empty();
            if twice_in_subscribe || !p.set(id, &v) {
                return Err(fail(r, format!("{} appears twice", d.name)));
            }
            r.mark(start, d.name, sec, &|| v.show());
            if r.pos() > end {
                return Err(r.error_at(
                    start,
                    ErrorKind::Malformed,
                    "a property runs past the Property Length",
                    Rule::both("§2.2.2.1"),
                ));
            }
        }
        r.close_group(group, &|| match p.count() {
            0 => "none".into(),
            1 => "1 property".into(),
            n => format!("{n} properties"),
        });
        Ok(p.into())
    }

    /// Refuses what may not be sent in `ctx`, before anything is written.
    pub fn check(&self, ctx: Context) -> Result<(), EncodeError> {
        if self.is_empty() {
            return Ok(());
        }
        let mut result = Ok(());
        let mut sub_ids = 0;
        self.each(&mut |id, v| {
            let Some(d) = lookup(id) else { return };
            if result.is_err() {
                return;
            }
            sub_ids += usize::from(id == 0x0B);
            result = if d.allowed & ctx.bit() == 0 {
                Err(EncodeError::new(
                    format!("{} is not allowed in {}", d.name, ctx.name()),
                    "§2.2.2.2",
                ))
            } else if !d.valid.accepts(d.kind, &v) {
                Err(EncodeError::new(
                    format!("{} = {} is not an allowed value", d.name, v.show()),
                    "§2.2.2.2",
                ))
            } else {
                match v {
                    Value::Str(s) => coding::check_str(Protocol::V5, d.name, s),
                    Value::Bin(b) => coding::check_len(Protocol::V5, d.name, b),
                    Value::Pair(k, x) => coding::check_str(Protocol::V5, d.name, k)
                        .and_then(|_| coding::check_str(Protocol::V5, d.name, x)),
                    Value::Int(_) => Ok(()),
                }
            };
        });
        if result.is_ok() && ctx == Context::Subscribe && sub_ids > 1 {
            return Err(EncodeError::new(
                "SUBSCRIBE carries at most one Subscription Identifier",
                "§3.8.2.1.2",
            ));
        }
        result
    }

    fn body_len(&self) -> usize {
        if self.is_empty() {
            return 0;
        }
        let mut n = 0;
        self.each(&mut |id, v| n += 1 + lookup(id).map_or(0, |d| v.encoded_len(d.kind)));
        n
    }

    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        coding::put_varint(out, self.body_len());
        self.each(&mut |id, v| {
            if let Some(d) = lookup(id) {
                out.push(id);
                v.write(d.kind, out);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mqtt::packet::{decode, Packet};

    #[test]
    fn the_table_is_table_2_4() {
        // 27 properties; identifiers ascending and unique.
        assert_eq!(TABLE.len(), 27);
        assert!(TABLE.windows(2).all(|w| w[0].id < w[1].id));
        // Every single-valued property round-trips through the struct.
        for d in TABLE.iter().filter(|d| d.id != 0x0B && d.id != 0x26) {
            let v = match d.kind {
                Str => Value::Str("a"),
                Bin => Value::Bin(b"a"),
                _ => Value::Int(1),
            };
            let mut p = Properties::default();
            assert!(p.set(d.id, &v), "{}", d.name);
            assert!(!p.set(d.id, &v), "{} twice", d.name);
            let mut seen = Vec::new();
            p.each(&mut |id, x| seen.push((id, x.show())));
            assert_eq!(seen, [(d.id, v.show())], "{}", d.name);
        }
    }

    #[test]
    fn a_maximum_packet_size_above_the_largest_packet_is_allowed() {
        // Found by the differential test and the fuzzer: any non-zero Maximum
        // Packet Size is valid (5.0 §3.2.2.3.6: only 0 or twice is a Protocol
        // Error); 268,435,460, the largest packet with its header, is what a
        // server says for "no limit". Was refused above 268,435,455.
        let bytes = [0x20, 8, 0, 0, 5, 0x27, 0x10, 0, 0, 4];
        let Ok(Packet::Connack(c)) = decode(Protocol::V5, &bytes, None) else {
            panic!("refused")
        };
        assert_eq!(c.properties.maximum_packet_size, Some(268_435_460));
        assert_eq!(Packet::Connack(c).encode(Protocol::V5).unwrap(), bytes);
        let most = Properties {
            maximum_packet_size: Some(u32::MAX),
            ..Properties::default()
        };
        assert!(most.check(Context::Connect).is_ok());
        // A Subscription Identifier is a Variable Byte Integer: 268,435,455 at most.
        let mut sub = Properties::default();
        sub.subscription_identifiers.push(268_435_455);
        assert!(sub.check(Context::Publish).is_ok());
        sub.subscription_identifiers[0] = 268_435_456;
        assert!(sub.check(Context::Publish).is_err());
    }
}
