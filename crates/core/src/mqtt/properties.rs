//! MQTT 5 properties (§2.2.2), written once as a table (§2.2.2.2, Table
//! 2-4): one `properties!` invocation lists each property's identifier, its
//! name, the struct field that holds it, its data type, the values it may
//! take and the blocks it is allowed in, and expands into the identifiers
//! ([`id`]), the fields of [`Properties`], the table that the reader, the
//! writer and the allowed-in check walk, and the struct's storing and walking
//! code (quinn-proto's `apply_params!` does the same for QUIC's transport
//! parameters).

use super::coding::{self, Reader, Sec};
use super::error::{DecodeError, EncodeError, ErrorKind, Rule};
use super::Protocol;
use crate::protocol::PacketType;

/// Where a property block appears: a packet's own block (Table 2-4 names the
/// packets), or the Will Properties inside CONNECT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    Packet(PacketType),
    Will,
}

impl From<PacketType> for Block {
    fn from(t: PacketType) -> Block {
        Block::Packet(t)
    }
}

impl Block {
    /// The packet type's bit; the Will Properties take bit 0, which no
    /// packet type has (type 0 is Reserved, Table 2-1).
    const fn bit(self) -> u16 {
        match self {
            Block::Packet(t) => t.bit(),
            Block::Will => 1,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Block::Packet(t) => t.name(),
            Block::Will => "the Will Properties",
        }
    }

    /// The section of this property block in 5.0.
    pub fn section(self) -> &'static str {
        use PacketType as T;
        match self {
            Block::Packet(T::Connect) => "3.1.2.11",
            Block::Packet(T::Connack) => "3.2.2.3",
            Block::Packet(T::Publish) => "3.3.2.3",
            Block::Will => "3.1.3.2",
            Block::Packet(T::Puback) => "3.4.2.2",
            Block::Packet(T::Pubrec) => "3.5.2.2",
            Block::Packet(T::Pubrel) => "3.6.2.2",
            Block::Packet(T::Pubcomp) => "3.7.2.2",
            Block::Packet(T::Subscribe) => "3.8.2.1",
            Block::Packet(T::Suback) => "3.9.2.1",
            Block::Packet(T::Unsubscribe) => "3.10.2.1",
            Block::Packet(T::Unsuback) => "3.11.2.1",
            Block::Packet(T::Disconnect) => "3.14.2.2",
            Block::Packet(T::Auth) => "3.15.2.2",
            // PINGREQ and PINGRESP have no property block: the packet's own.
            Block::Packet(t) => t.section(),
        }
    }
}

const CONNECT: u16 = PacketType::Connect.bit();
const CONNACK: u16 = PacketType::Connack.bit();
const PUBLISH: u16 = PacketType::Publish.bit();
const WILL: u16 = Block::Will.bit();
const ACKS: u16 = PacketType::Puback.bit()
    | PacketType::Pubrec.bit()
    | PacketType::Pubrel.bit()
    | PacketType::Pubcomp.bit()
    | PacketType::Suback.bit()
    | PacketType::Unsuback.bit();
const SUBSCRIBE: u16 = PacketType::Subscribe.bit();
const DISCONNECT: u16 = PacketType::Disconnect.bit();
const AUTH: u16 = PacketType::Auth.bit();
/// Every block (PINGREQ and PINGRESP, which have none, are never read).
const EVERYWHERE: u16 = u16::MAX;

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

use Kind::*;
use Valid::*;

/// Writes the property table once. Each row: identifier, its constant in
/// [`id`], the name of Table 2-4, then the field of [`Properties`] with its
/// type (`Option` for a property that appears at most once, `Vec` for one that
/// may repeat), the data type, the values allowed, and the blocks allowed in.
macro_rules! properties {
    ($(
        $id:literal $konst:ident $name:literal:
            $field:ident $slot:ident<$ty:ty>, $kind:ident, $valid:ident, in $allowed:expr;
    )*) => {
        /// The property identifiers of Table 2-4.
        pub mod id {
            $(
                #[doc = $name]
                pub const $konst: u8 = $id;
            )*
        }

        /// Table 2-4, in identifier order.
        const TABLE: &[Def] = &[
            $( Def { id: $id, name: $name, kind: $kind, allowed: $allowed, valid: $valid }, )*
        ];

        /// The properties of one packet (MQTT 5 only; empty on 3.1.1).
        /// Single-valued properties are `Option`s; User Property (name and
        /// value, in order) may repeat anywhere, Subscription Identifier once
        /// in SUBSCRIBE and any number of times in a PUBLISH to a client
        /// (§3.3.2.3.8).
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct Properties {
            $(
                #[doc = concat!(stringify!($id), " ", $name)]
                pub $field: $slot<$ty>,
            )*
        }

        impl Properties {
            /// Stores a value; false when a single-valued property is set already.
            fn set(&mut self, id: u8, v: &Value) -> bool {
                match id {
                    $( $id => properties!(@put $slot, self.$field, v), )*
                    // Not a property: `read` refuses it before it gets here.
                    _ => true,
                }
            }

            /// No property set: what [`Props`] shows when it holds none.
            const EMPTY: Properties = Properties {
                $( $field: properties!(@empty $slot), )*
            };

            /// No property set (the common case, checked without walking them).
            pub fn is_empty(&self) -> bool {
                $( properties!(@unset $slot, self.$field) && )* true
            }

            /// Every property set: the single-valued ones in identifier
            /// order, then the repeatable ones from the last row up (User
            /// Property, then Subscription Identifier): the order this codec
            /// has always written them in, so no packet's bytes changed.
            fn each(&self, f: &mut dyn FnMut(u8, Value)) {
                $( properties!(@single $slot, self.$field, $id, f); )*
                properties!(@repeated_from_last self, f; $( ($slot $field $id) )*);
            }
        }
    };
    (@put Option, $place:expr, $v:ident) => {{
        if $place.is_some() {
            return false;
        }
        $place = Some(FromValue::from_value($v));
        true
    }};
    (@put Vec, $place:expr, $v:ident) => {{
        $place.push(FromValue::from_value($v));
        true
    }};
    (@empty Option) => { None };
    (@empty Vec) => { Vec::new() };
    (@unset Option, $place:expr) => { $place.is_none() };
    (@unset Vec, $place:expr) => { $place.is_empty() };
    (@single Option, $place:expr, $id:literal, $f:ident) => {
        if let Some(v) = &$place {
            $f($id, v.as_value());
        }
    };
    (@single Vec, $place:expr, $id:literal, $f:ident) => {};
    // The repeatable properties, the last row first (recursion, then the row).
    (@repeated_from_last $s:ident, $f:ident;) => {};
    (@repeated_from_last $s:ident, $f:ident; (Option $field:ident $id:literal) $($rest:tt)*) => {
        properties!(@repeated_from_last $s, $f; $($rest)*);
    };
    (@repeated_from_last $s:ident, $f:ident; (Vec $field:ident $id:literal) $($rest:tt)*) => {
        properties!(@repeated_from_last $s, $f; $($rest)*);
        for v in &$s.$field {
            $f($id, v.as_value());
        }
    };
}

properties! {
    0x01 PAYLOAD_FORMAT_INDICATOR "Payload Format Indicator":
        payload_format_indicator Option<u8>, Byte, ZeroOrOne, in PUBLISH | WILL;
    0x02 MESSAGE_EXPIRY_INTERVAL "Message Expiry Interval":
        message_expiry_interval Option<u32>, Four, Any, in PUBLISH | WILL;
    0x03 CONTENT_TYPE "Content Type":
        content_type Option<String>, Str, Any, in PUBLISH | WILL;
    0x08 RESPONSE_TOPIC "Response Topic":
        response_topic Option<String>, Str, TopicName, in PUBLISH | WILL;
    0x09 CORRELATION_DATA "Correlation Data":
        correlation_data Option<Vec<u8>>, Bin, Any, in PUBLISH | WILL;
    0x0B SUBSCRIPTION_IDENTIFIER "Subscription Identifier":
        subscription_identifiers Vec<u32>, Var, NonZero, in PUBLISH | SUBSCRIBE;
    0x11 SESSION_EXPIRY_INTERVAL "Session Expiry Interval":
        session_expiry_interval Option<u32>, Four, Any, in CONNECT | CONNACK | DISCONNECT;
    0x12 ASSIGNED_CLIENT_IDENTIFIER "Assigned Client Identifier":
        assigned_client_identifier Option<String>, Str, Any, in CONNACK;
    0x13 SERVER_KEEP_ALIVE "Server Keep Alive":
        server_keep_alive Option<u16>, Two, Any, in CONNACK;
    0x15 AUTHENTICATION_METHOD "Authentication Method":
        authentication_method Option<String>, Str, Any, in CONNECT | CONNACK | AUTH;
    0x16 AUTHENTICATION_DATA "Authentication Data":
        authentication_data Option<Vec<u8>>, Bin, Any, in CONNECT | CONNACK | AUTH;
    0x17 REQUEST_PROBLEM_INFORMATION "Request Problem Information":
        request_problem_information Option<u8>, Byte, ZeroOrOne, in CONNECT;
    0x18 WILL_DELAY_INTERVAL "Will Delay Interval":
        will_delay_interval Option<u32>, Four, Any, in WILL;
    0x19 REQUEST_RESPONSE_INFORMATION "Request Response Information":
        request_response_information Option<u8>, Byte, ZeroOrOne, in CONNECT;
    0x1A RESPONSE_INFORMATION "Response Information":
        response_information Option<String>, Str, Any, in CONNACK;
    0x1C SERVER_REFERENCE "Server Reference":
        server_reference Option<String>, Str, Any, in CONNACK | DISCONNECT;
    0x1F REASON_STRING "Reason String":
        reason_string Option<String>, Str, Any, in CONNACK | ACKS | DISCONNECT | AUTH;
    0x21 RECEIVE_MAXIMUM "Receive Maximum":
        receive_maximum Option<u16>, Two, NonZero, in CONNECT | CONNACK;
    0x22 TOPIC_ALIAS_MAXIMUM "Topic Alias Maximum":
        topic_alias_maximum Option<u16>, Two, Any, in CONNECT | CONNACK;
    0x23 TOPIC_ALIAS "Topic Alias":
        topic_alias Option<u16>, Two, NonZero, in PUBLISH;
    0x24 MAXIMUM_QOS "Maximum QoS":
        maximum_qos Option<u8>, Byte, ZeroOrOne, in CONNACK;
    0x25 RETAIN_AVAILABLE "Retain Available":
        retain_available Option<u8>, Byte, ZeroOrOne, in CONNACK;
    0x26 USER_PROPERTY "User Property":
        user_properties Vec<(String, String)>, Pair, Any, in EVERYWHERE;
    0x27 MAXIMUM_PACKET_SIZE "Maximum Packet Size":
        maximum_packet_size Option<u32>, Four, NonZero, in CONNECT | CONNACK;
    0x28 WILDCARD_SUBSCRIPTION_AVAILABLE "Wildcard Subscription Available":
        wildcard_subscription_available Option<u8>, Byte, ZeroOrOne, in CONNACK;
    0x29 SUBSCRIPTION_IDENTIFIER_AVAILABLE "Subscription Identifier Available":
        subscription_identifier_available Option<u8>, Byte, ZeroOrOne, in CONNACK;
    0x2A SHARED_SUBSCRIPTION_AVAILABLE "Shared Subscription Available":
        shared_subscription_available Option<u8>, Byte, ZeroOrOne, in CONNACK;
}

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

/// A field's value read from a [`Value`] of its property's data type.
trait FromValue {
    fn from_value(v: &Value) -> Self;
}
impl FromValue for u8 {
    fn from_value(v: &Value) -> Self {
        v.int() as u8
    }
}
impl FromValue for u16 {
    fn from_value(v: &Value) -> Self {
        v.int() as u16
    }
}
impl FromValue for u32 {
    fn from_value(v: &Value) -> Self {
        v.int()
    }
}
impl FromValue for String {
    fn from_value(v: &Value) -> Self {
        match v {
            Value::Str(s) => s.to_string(),
            _ => String::new(),
        }
    }
}
impl FromValue for Vec<u8> {
    fn from_value(v: &Value) -> Self {
        match v {
            Value::Bin(b) => b.to_vec(),
            _ => Vec::new(),
        }
    }
}
impl FromValue for (String, String) {
    fn from_value(v: &Value) -> Self {
        match v {
            Value::Pair(k, x) => (k.to_string(), x.to_string()),
            _ => Default::default(),
        }
    }
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
impl AsValue for (String, String) {
    fn as_value(&self) -> Value<'_> {
        Value::Pair(&self.0, &self.1)
    }
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
const SUBSCRIBE_BLOCK: Block = Block::Packet(PacketType::Subscribe);

impl Properties {
    /// How many properties the block holds.
    pub fn count(&self) -> usize {
        let mut n = 0;
        self.each(&mut |_, _| n += 1);
        n
    }

    /// Reads a property block (length, then properties) in `block`.
    pub(crate) fn read(r: &mut Reader, block: Block) -> Result<Props, DecodeError> {
        let sec = Sec("", block.section());
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
            if d.allowed & block.bit() == 0 {
                return Err(fail(
                    r,
                    format!("{} is not allowed in {}", d.name, block.name()),
                ));
            }
            let v = read_value(r, d)?;
            if id == id::TOPIC_ALIAS && matches!(v, Value::Int(0)) {
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
            let twice_in_subscribe = id == id::SUBSCRIPTION_IDENTIFIER
                && block == SUBSCRIBE_BLOCK
                && !p.subscription_identifiers.is_empty();
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

    /// Refuses what may not be sent in `block`, before anything is written.
    pub fn check(&self, block: Block) -> Result<(), EncodeError> {
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
            sub_ids += usize::from(id == id::SUBSCRIPTION_IDENTIFIER);
            result = if d.allowed & block.bit() == 0 {
                Err(EncodeError::new(
                    format!("{} is not allowed in {}", d.name, block.name()),
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
        if result.is_ok() && block == SUBSCRIBE_BLOCK && sub_ids > 1 {
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
        for d in TABLE
            .iter()
            .filter(|d| d.id != id::SUBSCRIPTION_IDENTIFIER && d.id != id::USER_PROPERTY)
        {
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
    fn repeatable_properties_come_last_user_property_first() {
        // The order this codec wrote before the table became one macro: the
        // single-valued properties by identifier, then 0x26, then 0x0B.
        let p = Properties {
            subscription_identifiers: vec![5],
            user_properties: vec![("k".into(), "v".into())],
            reason_string: Some("r".into()),
            ..Properties::default()
        };
        let mut out = Vec::new();
        p.write(&mut out);
        assert_eq!(
            out,
            [13, 0x1F, 0, 1, b'r', 0x26, 0, 1, b'k', 0, 1, b'v', 0x0B, 5]
        );
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
        assert!(most.check(PacketType::Connect.into()).is_ok());
        // A Subscription Identifier is a Variable Byte Integer: 268,435,455 at most.
        let mut sub = Properties::default();
        sub.subscription_identifiers.push(268_435_455);
        assert!(sub.check(PacketType::Publish.into()).is_ok());
        sub.subscription_identifiers[0] = 268_435_456;
        assert!(sub.check(PacketType::Publish.into()).is_err());
    }
}
