//! MQTT reason codes: the complete MQTT 5.0 table (OASIS MQTT Protocol 5.0,
//! §2.4 Reason Code, Table 2-6) and MQTT 3.1.1's CONNACK return codes (§3.2.2.3,
//! Table 3.1) and SUBACK failure (§3.9.3), with what each means for a client.
//!
//! Each table is written once, in a `codes!` invocation, which expands into the
//! rows the explorer lists and into the named constants of [`ReasonCode`] that
//! the codec, the client and the pages use (quinn-proto's `transport_error.rs`
//! does the same with its `errors!`): no code outside this file says a reason
//! code by its number (`crates/core/tests/reason_code_literals.rs` checks).

use crate::content::reason_codes as text;
use crate::protocol::{PacketType, Protocol};
use serde::Serialize;

/// The packets a reason code can appear in, in the order the page lists them.
pub const PACKETS: [PacketType; 9] = [
    PacketType::Connack,
    PacketType::Puback,
    PacketType::Pubrec,
    PacketType::Pubrel,
    PacketType::Pubcomp,
    PacketType::Suback,
    PacketType::Unsuback,
    PacketType::Disconnect,
    PacketType::Auth,
];

/// The packet a `?packet=` value names ("connack", any case), if it is one
/// with reason codes; `None` for "all".
pub fn packet_from_slug(s: &str) -> Option<PacketType> {
    PACKETS
        .into_iter()
        .find(|p| p.name().eq_ignore_ascii_case(s.trim()))
}

const CONNACK: u16 = PacketType::Connack.bit();
const PUBACK: u16 = PacketType::Puback.bit();
const PUBREC: u16 = PacketType::Pubrec.bit();
const PUBREL: u16 = PacketType::Pubrel.bit();
const PUBCOMP: u16 = PacketType::Pubcomp.bit();
const SUBACK: u16 = PacketType::Suback.bit();
const UNSUBACK: u16 = PacketType::Unsuback.bit();
const DISCONNECT: u16 = PacketType::Disconnect.bit();
const AUTH: u16 = PacketType::Auth.bit();
const ALL_ACKS: u16 = CONNACK | PUBACK | PUBREC | SUBACK | UNSUBACK | DISCONNECT;

/// Whether an automatic reconnect (or resend) should try again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Retry {
    /// Nothing failed, or trying again cannot help until something is changed.
    No,
    /// Try again now (another server, a fresh connection).
    Yes,
    /// Try again later, with backoff and jitter: the broker is overloaded or limiting.
    WithBackoff,
}

impl Retry {
    pub fn slug(self) -> &'static str {
        match self {
            Retry::No => "no",
            Retry::Yes => "yes",
            Retry::WithBackoff => "with-backoff",
        }
    }
}

/// A reason code (MQTT 5.0 §2.4) or an MQTT 3.1.1 return code, the byte as it
/// is on the wire. Every code of the tables below has a name here:
/// `ReasonCode::NOT_AUTHORIZED` (0x87), `ReasonCode::V311_FAILURE` (3.1.1's
/// SUBACK 0x80); a 3.1.1 code's name starts with `V311_`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct ReasonCode(pub u8);

impl ReasonCode {
    /// MQTT 5.0: a refusal or an error, from 0x80 on (§2.4). An MQTT 3.1.1
    /// CONNACK refuses with 1 to 5 (Table 3.1): compare it with
    /// [`ReasonCode::V311_CONNECTION_ACCEPTED`] instead.
    pub fn is_failure(self) -> bool {
        self.0 >= 0x80
    }

    /// The QoS a SUBACK grants with this code (Granted QoS 0 to 2; 3.1.1's
    /// "Success - Maximum QoS" 0 to 2 are the same bytes), or None for a refusal.
    pub fn granted_qos(self) -> Option<u8> {
        match self {
            ReasonCode::GRANTED_QOS_0 => Some(0),
            ReasonCode::GRANTED_QOS_1 => Some(1),
            ReasonCode::GRANTED_QOS_2 => Some(2),
            _ => None,
        }
    }

    /// Whether the table of `p` allows this code in packet `t` (5.0 Table
    /// 2-6; 3.1.1: the return codes of CONNACK, SUBACK's failure).
    pub fn appears_in(self, p: Protocol, t: PacketType) -> bool {
        find_short(p, self).is_some_and(|c| c.appears_in(t))
    }

    /// The name the table of `p` gives this code in packet `t` (its first
    /// name where `t` has no such code), if the table has it.
    pub fn name_in(self, p: Protocol, t: PacketType) -> Option<&'static str> {
        find_short(p, self).and_then(|c| c.name_in(t))
    }

    /// The table's advice on trying again after this code, if the table of
    /// `p` has it.
    pub fn retry(self, p: Protocol) -> Option<Retry> {
        find_short(p, self).map(|c| c.retry)
    }

    /// "0x87 Not authorized", with the name it has in packet `t`; a 3.1.1
    /// SUBACK's granted QoS as that version says it.
    pub fn describe(self, p: Protocol, t: PacketType) -> String {
        let name = match (p, t, self.granted_qos()) {
            (Protocol::V311, PacketType::Suback, Some(qos)) => {
                return format!("0x{:02X} Success, maximum QoS {qos}", self.0);
            }
            _ => self.name_in(p, t),
        };
        let mut s = format!("0x{:02X}", self.0);
        if let Some(n) = name {
            s.push(' ');
            s.push_str(n);
        }
        s
    }
}

/// "ReasonCode(0x87)": the hex the specification's tables use.
impl std::fmt::Debug for ReasonCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ReasonCode(0x{:02X})", self.0)
    }
}

/// One reason code (or 3.1.1 return code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Code {
    pub value: u8,
    /// Names by packet: most codes have one name; 0x00 has three.
    pub names: &'static [(u16, &'static str)],
    /// The packets of Table 2-6 (3.1.1: the packet it is returned in).
    packets: u16,
    pub meaning: &'static str,
    pub cause: &'static str,
    pub action: &'static str,
    pub retry: Retry,
    /// A refusal or error: from 0x80 in MQTT 5.0 (§2.4); in MQTT 3.1.1 every
    /// CONNACK return code but 0 ("Connection Refused", Table 3.1) and 0x80.
    failure: bool,
    /// Where the specification contradicts itself about this code.
    pub spec_note: Option<&'static str>,
    /// Where the course chapter gets this code wrong.
    pub erratum: Option<&'static str>,
}

impl Code {
    pub fn packets(&self) -> impl Iterator<Item = PacketType> + '_ {
        PACKETS.into_iter().filter(|p| self.packets & p.bit() != 0)
    }

    pub fn appears_in(&self, p: PacketType) -> bool {
        self.packets & p.bit() != 0
    }

    /// The name of this code, all names joined when it has several.
    pub fn name(&self) -> String {
        self.names
            .iter()
            .map(|(_, n)| *n)
            .collect::<Vec<_>>()
            .join(" / ")
    }

    /// The name it has in packet `p`, if it appears there.
    pub fn name_in(&self, p: PacketType) -> Option<&'static str> {
        self.names
            .iter()
            .find(|(mask, _)| mask & p.bit() != 0)
            .map(|(_, n)| *n)
    }

    /// "0x95"
    pub fn hex(&self) -> String {
        format!("0x{:02X}", self.value)
    }

    /// "CONNACK, DISCONNECT"
    pub fn packet_list(&self) -> String {
        self.packets()
            .map(PacketType::name)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// MQTT 5.0: success below 0x80, failure from 0x80 (§2.4). MQTT 3.1.1:
    /// return codes 1–5 are all "Connection Refused" (Table 3.1), and paho
    /// reports them as 132–136, whose `is_failure` is true.
    pub fn is_failure(&self) -> bool {
        self.failure
    }

    pub fn kind(&self) -> &'static str {
        if self.is_failure() {
            "failure"
        } else {
            "success"
        }
    }
}

/// Writes one table of codes once: each row (value, then each name it has as
/// a constant, its spelling and the packets it has that name in, then the
/// explorer's texts) becomes a row of the table and a constant of
/// [`ReasonCode`]. `failure from` is the first failing value of the version.
macro_rules! codes {
    (
        $(#[$meta:meta])*
        pub const $table:ident, failure from $failure_from:literal;
        $(
            $value:literal $( $konst:ident $name:literal ($packets:expr) ),+ {
                meaning: $meaning:expr,
                cause: $cause:expr,
                action: $action:expr,
                retry: $retry:ident,
                $( spec_note: $note:expr, )?
                $( erratum: $erratum:expr, )?
            }
        )*
    ) => {
        impl ReasonCode {
            $($(
                #[doc = concat!(stringify!($value), " ", $name)]
                pub const $konst: ReasonCode = ReasonCode($value);
            )+)*
        }

        $(#[$meta])*
        pub const $table: &[Code] = &[
            $(
                Code {
                    value: $value,
                    names: &[$(($packets, $name)),+],
                    packets: 0 $(| $packets)+,
                    meaning: $meaning,
                    cause: $cause,
                    action: $action,
                    retry: Retry::$retry,
                    failure: $value >= $failure_from,
                    spec_note: codes!(@optional $($note)?),
                    erratum: codes!(@optional $($erratum)?),
                },
            )*
        ];
    };
    (@optional) => { None };
    (@optional $text:expr) => { Some($text) };
}

codes! {
    /// MQTT 5.0, Table 2-6, every code from 0x00 to 0xA2: a failure from 0x80 (§2.4).
    pub const V5, failure from 0x80;
    0x00
        SUCCESS "Success" (CONNACK | PUBACK | PUBREC | PUBREL | PUBCOMP | UNSUBACK | AUTH),
        NORMAL_DISCONNECTION "Normal disconnection" (DISCONNECT),
        GRANTED_QOS_0 "Granted QoS 0" (SUBACK)
    {
        meaning: text::V5_00_MEANING,
        cause: text::V5_00_CAUSE,
        action: text::V5_00_ACTION,
        retry: No,
    }
    0x01 GRANTED_QOS_1 "Granted QoS 1" (SUBACK) {
        meaning: text::V5_01_MEANING,
        cause: text::V5_01_CAUSE,
        action: text::V5_01_ACTION,
        retry: No,
    }
    0x02 GRANTED_QOS_2 "Granted QoS 2" (SUBACK) {
        meaning: text::V5_02_MEANING,
        cause: text::V5_02_CAUSE,
        action: text::V5_02_ACTION,
        retry: No,
    }
    0x04 DISCONNECT_WITH_WILL_MESSAGE "Disconnect with Will Message" (DISCONNECT) {
        meaning: text::V5_04_MEANING,
        cause: text::V5_04_CAUSE,
        action: text::V5_04_ACTION,
        retry: No,
    }
    0x10 NO_MATCHING_SUBSCRIBERS "No matching subscribers" (PUBACK | PUBREC) {
        meaning: text::V5_10_MEANING,
        cause: text::V5_10_CAUSE,
        action: text::V5_10_ACTION,
        retry: No,
    }
    0x11 NO_SUBSCRIPTION_EXISTED "No subscription existed" (UNSUBACK) {
        meaning: text::V5_11_MEANING,
        cause: text::V5_11_CAUSE,
        action: text::V5_11_ACTION,
        retry: No,
    }
    0x18 CONTINUE_AUTHENTICATION "Continue authentication" (AUTH) {
        meaning: text::V5_18_MEANING,
        cause: text::V5_18_CAUSE,
        action: text::V5_18_ACTION,
        retry: No,
    }
    0x19 RE_AUTHENTICATE "Re-authenticate" (AUTH) {
        meaning: text::V5_19_MEANING,
        cause: text::V5_19_CAUSE,
        action: text::V5_19_ACTION,
        retry: No,
    }
    0x80 UNSPECIFIED_ERROR "Unspecified error" (ALL_ACKS) {
        meaning: text::V5_80_MEANING,
        cause: text::V5_80_CAUSE,
        action: text::V5_80_ACTION,
        retry: WithBackoff,
    }
    0x81 MALFORMED_PACKET "Malformed Packet" (CONNACK | DISCONNECT) {
        meaning: text::V5_81_MEANING,
        cause: text::V5_81_CAUSE,
        action: text::V5_81_ACTION,
        retry: No,
    }
    0x82 PROTOCOL_ERROR "Protocol Error" (CONNACK | DISCONNECT) {
        meaning: text::V5_82_MEANING,
        cause: text::V5_82_CAUSE,
        action: text::V5_82_ACTION,
        retry: No,
    }
    0x83 IMPLEMENTATION_SPECIFIC_ERROR "Implementation specific error" (ALL_ACKS) {
        meaning: text::V5_83_MEANING,
        cause: text::V5_83_CAUSE,
        action: text::V5_83_ACTION,
        retry: WithBackoff,
    }
    0x84 UNSUPPORTED_PROTOCOL_VERSION "Unsupported Protocol Version" (CONNACK) {
        meaning: text::V5_84_MEANING,
        cause: text::V5_84_CAUSE,
        action: text::V5_84_ACTION,
        retry: No,
    }
    0x85 CLIENT_IDENTIFIER_NOT_VALID "Client Identifier not valid" (CONNACK) {
        meaning: text::V5_85_MEANING,
        cause: text::V5_85_CAUSE,
        action: text::V5_85_ACTION,
        retry: No,
    }
    0x86 BAD_USER_NAME_OR_PASSWORD "Bad User Name or Password" (CONNACK) {
        meaning: text::V5_86_MEANING,
        cause: text::V5_86_CAUSE,
        action: text::V5_86_ACTION,
        retry: No,
    }
    0x87 NOT_AUTHORIZED "Not authorized" (ALL_ACKS) {
        meaning: text::V5_87_MEANING,
        cause: text::V5_87_CAUSE,
        action: text::V5_87_ACTION,
        retry: No,
    }
    0x88 SERVER_UNAVAILABLE "Server unavailable" (CONNACK) {
        meaning: text::V5_88_MEANING,
        cause: text::V5_88_CAUSE,
        action: text::V5_88_ACTION,
        retry: WithBackoff,
    }
    0x89 SERVER_BUSY "Server busy" (CONNACK | DISCONNECT) {
        meaning: text::V5_89_MEANING,
        cause: text::V5_89_CAUSE,
        action: text::V5_89_ACTION,
        retry: WithBackoff,
    }
    0x8A BANNED "Banned" (CONNACK) {
        meaning: text::V5_8A_MEANING,
        cause: text::V5_8A_CAUSE,
        action: text::V5_8A_ACTION,
        retry: No,
    }
    0x8B SERVER_SHUTTING_DOWN "Server shutting down" (DISCONNECT) {
        meaning: text::V5_8B_MEANING,
        cause: text::V5_8B_CAUSE,
        action: text::V5_8B_ACTION,
        retry: WithBackoff,
    }
    0x8C BAD_AUTHENTICATION_METHOD "Bad authentication method" (CONNACK | DISCONNECT) {
        meaning: text::V5_8C_MEANING,
        cause: text::V5_8C_CAUSE,
        action: text::V5_8C_ACTION,
        retry: No,
    }
    0x8D KEEP_ALIVE_TIMEOUT "Keep Alive timeout" (DISCONNECT) {
        meaning: text::V5_8D_MEANING,
        cause: text::V5_8D_CAUSE,
        action: text::V5_8D_ACTION,
        retry: Yes,
    }
    0x8E SESSION_TAKEN_OVER "Session taken over" (DISCONNECT) {
        meaning: text::V5_8E_MEANING,
        cause: text::V5_8E_CAUSE,
        action: text::V5_8E_ACTION,
        retry: No,
    }
    0x8F TOPIC_FILTER_INVALID "Topic Filter invalid" (SUBACK | UNSUBACK | DISCONNECT) {
        meaning: text::V5_8F_MEANING,
        cause: text::V5_8F_CAUSE,
        action: text::V5_8F_ACTION,
        retry: No,
    }
    0x90 TOPIC_NAME_INVALID "Topic Name invalid" (CONNACK | PUBACK | PUBREC | DISCONNECT) {
        meaning: text::V5_90_MEANING,
        cause: text::V5_90_CAUSE,
        action: text::V5_90_ACTION,
        retry: No,
    }
    0x91 PACKET_IDENTIFIER_IN_USE "Packet Identifier in use" (PUBACK | PUBREC | SUBACK | UNSUBACK) {
        meaning: text::V5_91_MEANING,
        cause: text::V5_91_CAUSE,
        action: text::V5_91_ACTION,
        retry: Yes,
    }
    0x92 PACKET_IDENTIFIER_NOT_FOUND "Packet Identifier not found" (PUBREL | PUBCOMP) {
        meaning: text::V5_92_MEANING,
        cause: text::V5_92_CAUSE,
        action: text::V5_92_ACTION,
        retry: No,
    }
    0x93 RECEIVE_MAXIMUM_EXCEEDED "Receive Maximum exceeded" (DISCONNECT) {
        meaning: text::V5_93_MEANING,
        cause: text::V5_93_CAUSE,
        action: text::V5_93_ACTION,
        retry: No,
    }
    0x94 TOPIC_ALIAS_INVALID "Topic Alias invalid" (DISCONNECT) {
        meaning: text::V5_94_MEANING,
        cause: text::V5_94_CAUSE,
        action: text::V5_94_ACTION,
        retry: No,
    }
    0x95 PACKET_TOO_LARGE "Packet too large" (CONNACK | DISCONNECT) {
        meaning: text::V5_95_MEANING,
        cause: text::V5_95_CAUSE,
        action: text::V5_95_ACTION,
        retry: No,
    }
    0x96 MESSAGE_RATE_TOO_HIGH "Message rate too high" (DISCONNECT) {
        meaning: text::V5_96_MEANING,
        cause: text::V5_96_CAUSE,
        action: text::V5_96_ACTION,
        retry: WithBackoff,
    }
    0x97 QUOTA_EXCEEDED "Quota exceeded" (CONNACK | PUBACK | PUBREC | SUBACK | DISCONNECT) {
        meaning: text::V5_97_MEANING,
        cause: text::V5_97_CAUSE,
        action: text::V5_97_ACTION,
        retry: WithBackoff,
    }
    0x98 ADMINISTRATIVE_ACTION "Administrative action" (DISCONNECT) {
        meaning: text::V5_98_MEANING,
        cause: text::V5_98_CAUSE,
        action: text::V5_98_ACTION,
        retry: No,
    }
    0x99 PAYLOAD_FORMAT_INVALID "Payload format invalid" (PUBACK | PUBREC | DISCONNECT) {
        meaning: text::V5_99_MEANING,
        cause: text::V5_99_CAUSE,
        action: text::V5_99_ACTION,
        retry: No,
        spec_note: text::V5_99_SPEC_NOTE,
    }
    0x9A RETAIN_NOT_SUPPORTED "Retain not supported" (CONNACK | DISCONNECT) {
        meaning: text::V5_9A_MEANING,
        cause: text::V5_9A_CAUSE,
        action: text::V5_9A_ACTION,
        retry: No,
    }
    0x9B QOS_NOT_SUPPORTED "QoS not supported" (CONNACK | DISCONNECT) {
        meaning: text::V5_9B_MEANING,
        cause: text::V5_9B_CAUSE,
        action: text::V5_9B_ACTION,
        retry: No,
    }
    0x9C USE_ANOTHER_SERVER "Use another server" (CONNACK | DISCONNECT) {
        meaning: text::V5_9C_MEANING,
        cause: text::V5_9C_CAUSE,
        action: text::V5_9C_ACTION,
        retry: Yes,
    }
    0x9D SERVER_MOVED "Server moved" (CONNACK | DISCONNECT) {
        meaning: text::V5_9D_MEANING,
        cause: text::V5_9D_CAUSE,
        action: text::V5_9D_ACTION,
        retry: Yes,
    }
    0x9E SHARED_SUBSCRIPTIONS_NOT_SUPPORTED "Shared Subscriptions not supported" (SUBACK | DISCONNECT) {
        meaning: text::V5_9E_MEANING,
        cause: text::V5_9E_CAUSE,
        action: text::V5_9E_ACTION,
        retry: No,
    }
    0x9F CONNECTION_RATE_EXCEEDED "Connection rate exceeded" (CONNACK | DISCONNECT) {
        meaning: text::V5_9F_MEANING,
        cause: text::V5_9F_CAUSE,
        action: text::V5_9F_ACTION,
        retry: WithBackoff,
        erratum: text::V5_9F_ERRATUM,
    }
    0xA0 MAXIMUM_CONNECT_TIME "Maximum connect time" (DISCONNECT) {
        meaning: text::V5_A0_MEANING,
        cause: text::V5_A0_CAUSE,
        action: text::V5_A0_ACTION,
        retry: Yes,
    }
    0xA1 SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED "Subscription Identifiers not supported" (SUBACK | DISCONNECT) {
        meaning: text::V5_A1_MEANING,
        cause: text::V5_A1_CAUSE,
        action: text::V5_A1_ACTION,
        retry: No,
    }
    0xA2 WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED "Wildcard Subscriptions not supported" (SUBACK | DISCONNECT) {
        meaning: text::V5_A2_MEANING,
        cause: text::V5_A2_CAUSE,
        action: text::V5_A2_ACTION,
        retry: No,
        erratum: text::V5_A2_ERRATUM,
    }
}

codes! {
    /// MQTT 3.1.1 CONNACK return codes (§3.2.2.3, Table 3.1; 6–255 reserved) and
    /// the SUBACK failure return code 0x80 (§3.9.3): every code but 0 is a
    /// refusal or a failure ("Connection Refused", Table 3.1).
    pub const V311, failure from 0x01;
    0x00 V311_CONNECTION_ACCEPTED "Connection Accepted" (CONNACK) {
        meaning: text::V311_00_MEANING,
        cause: text::V311_00_CAUSE,
        action: text::V311_00_ACTION,
        retry: No,
    }
    0x01 V311_UNACCEPTABLE_PROTOCOL_VERSION "Connection Refused, unacceptable protocol version" (CONNACK) {
        meaning: text::V311_01_MEANING,
        cause: text::V311_01_CAUSE,
        action: text::V311_01_ACTION,
        retry: No,
    }
    0x02 V311_IDENTIFIER_REJECTED "Connection Refused, identifier rejected" (CONNACK) {
        meaning: text::V311_02_MEANING,
        cause: text::V311_02_CAUSE,
        action: text::V311_02_ACTION,
        retry: No,
    }
    0x03 V311_SERVER_UNAVAILABLE "Connection Refused, Server unavailable" (CONNACK) {
        meaning: text::V311_03_MEANING,
        cause: text::V311_03_CAUSE,
        action: text::V311_03_ACTION,
        retry: WithBackoff,
    }
    0x04 V311_BAD_USER_NAME_OR_PASSWORD "Connection Refused, bad user name or password" (CONNACK) {
        meaning: text::V311_04_MEANING,
        cause: text::V311_04_CAUSE,
        action: text::V311_04_ACTION,
        retry: No,
    }
    0x05 V311_NOT_AUTHORIZED "Connection Refused, not authorized" (CONNACK) {
        meaning: text::V311_05_MEANING,
        cause: text::V311_05_CAUSE,
        action: text::V311_05_ACTION,
        retry: No,
    }
    0x80 V311_FAILURE "Failure" (SUBACK) {
        meaning: text::V311_80_MEANING,
        cause: text::V311_80_CAUSE,
        action: text::V311_80_ACTION,
        retry: No,
    }
}

pub const VERSION: crate::fields::ChoiceSpec = crate::fields::ChoiceSpec {
    key: "v",
    label: "Protocol version",
    options: &[("5", "MQTT 5.0"), ("3", "MQTT 3.1.1")],
    default: "5",
};

pub const PACKET: crate::fields::ChoiceSpec = crate::fields::ChoiceSpec {
    key: "packet",
    label: "Packet",
    options: &[
        ("all", "All packets"),
        ("connack", "CONNACK"),
        ("puback", "PUBACK"),
        ("pubrec", "PUBREC"),
        ("pubrel", "PUBREL"),
        ("pubcomp", "PUBCOMP"),
        ("suback", "SUBACK"),
        ("unsuback", "UNSUBACK"),
        ("disconnect", "DISCONNECT"),
        ("auth", "AUTH"),
    ],
    default: "all",
};

pub fn table(v: Protocol) -> &'static [Code] {
    match v {
        Protocol::V311 => V311,
        Protocol::V5 => V5,
    }
}

pub fn find(v: Protocol, value: u8) -> Option<&'static Code> {
    table(v).iter().find(|c| c.value == value)
}

/// What the codec and the live client need of a code: its names, packets
/// and retry advice. Derived from the tables at compile time, so that pages
/// that only name codes (the live broker, the packet inspector) carry none
/// of the explorer's explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Short {
    value: u8,
    names: &'static [(u16, &'static str)],
    packets: u16,
    retry: Retry,
}

impl Short {
    fn appears_in(&self, p: PacketType) -> bool {
        self.packets & p.bit() != 0
    }

    /// The name it has in packet `p`, or its first name.
    fn name_in(&self, p: PacketType) -> Option<&'static str> {
        self.names
            .iter()
            .find(|(mask, _)| mask & p.bit() != 0)
            .or(self.names.first())
            .map(|(_, n)| *n)
    }
}

const fn shorten<const N: usize>(t: &[Code]) -> [Short; N] {
    let mut out = [Short {
        value: 0,
        names: &[],
        packets: 0,
        retry: Retry::No,
    }; N];
    let mut i = 0;
    while i < N {
        out[i] = Short {
            value: t[i].value,
            names: t[i].names,
            packets: t[i].packets,
            retry: t[i].retry,
        };
        i += 1;
    }
    out
}

const V5_SHORT: [Short; V5.len()] = shorten(V5);
const V311_SHORT: [Short; V311.len()] = shorten(V311);

/// A code's names, packets and retry advice (see [`Short`]).
fn find_short(v: Protocol, code: ReasonCode) -> Option<&'static Short> {
    let t: &'static [Short] = match v {
        Protocol::V311 => &V311_SHORT,
        Protocol::V5 => &V5_SHORT,
    };
    t.iter().find(|c| c.value == code.0)
}

/// The MQTT 5 reason code that paho-mqtt 2.x hands a VERSION2 on_connect for
/// an MQTT 3.1.1 CONNACK return code (client.py, convert_connack_rc_to_reason_code):
/// 0→0, 1→132, 2→133, 3→136, 4→134, 5→135, anything else→128.
pub fn paho_v5_equivalent(return_code: u8) -> u8 {
    match return_code {
        0 => 0x00,
        1 => 0x84,
        2 => 0x85,
        3 => 0x88,
        4 => 0x86,
        5 => 0x87,
        _ => 0x80,
    }
}

/// Parses "149", "0x95" or "0X95" into a code value.
pub fn parse_code(text: &str) -> Result<u8, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("enter a code: decimal (149) or hex (0x95)".into());
    }
    let parsed = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => u16::from_str_radix(hex, 16).ok(),
        None => t.parse::<u16>().ok(),
    };
    match parsed {
        Some(v) if v <= 255 => Ok(v as u8),
        Some(_) => Err(format!("{t} is above 255: reason codes are one byte")),
        None => Err(format!(
            "“{}” is not a code: use decimal (149) or hex (0x95)",
            t.chars().take(20).collect::<String>()
        )),
    }
}

/// Codes of `v` that appear in `packet` (all when None) and match the search
/// text: a number (decimal or 0x hex) or words of the name or meaning.
pub fn search(v: Protocol, packet: Option<PacketType>, query: &str) -> Vec<&'static Code> {
    let q = query.trim().to_ascii_lowercase();
    let number = parse_code(&q).ok();
    table(v)
        .iter()
        .filter(|c| packet.is_none_or(|p| c.appears_in(p)))
        .filter(|c| {
            q.is_empty()
                || number == Some(c.value)
                || c.hex().to_ascii_lowercase().contains(&q)
                || c.name().to_ascii_lowercase().contains(&q)
                || c.meaning.to_ascii_lowercase().contains(&q)
        })
        .collect()
}

/// Why `value` is or is not a code of `packet`, in one sentence, when it is not.
pub fn packet_mismatch(v: Protocol, value: u8, packet: PacketType) -> Option<String> {
    let code = find(v, value)?;
    if code.appears_in(packet) {
        return None;
    }
    let mut s = crate::claims::content::fill(
        text::NOT_THIS_PACKET,
        &[
            ("value", &value.to_string()),
            ("hex", &code.hex()),
            ("packet", packet.name()),
            ("packets", &code.packet_list()),
        ],
    );
    if let (Protocol::V5, PacketType::Connack, Some(note)) = (v, packet, code.spec_note) {
        s.push(' ');
        s.push_str(note);
    }
    Some(s)
}

/// The sentence for a value that is no code at all in `v`.
pub fn unknown_code(v: Protocol, value: u8) -> String {
    let template = match v {
        Protocol::V311 => text::UNKNOWN_V311,
        Protocol::V5 => text::UNKNOWN_V5,
    };
    crate::claims::content::fill(
        template,
        &[
            ("value", &value.to_string()),
            ("hex", &format!("0x{value:02X}")),
        ],
    )
}

/// The name paho-mqtt 2.x gives reason code `value` in `packet`
/// (reasoncodes.py, `ReasonCode.names`, identical in 2.1 and 2.2). A
/// `ReasonCode` compares equal to a str only with exactly this spelling.
pub fn paho_name(value: u8, packet: PacketType) -> Option<&'static str> {
    let name = match value {
        0x00 => match packet {
            PacketType::Disconnect => "Normal disconnection",
            PacketType::Suback => "Granted QoS 0",
            _ => "Success",
        },
        0x01 => "Granted QoS 1",
        0x02 => "Granted QoS 2",
        0x04 => "Disconnect with will message",
        0x10 => "No matching subscribers",
        0x11 => "No subscription found",
        0x18 => "Continue authentication",
        0x19 => "Re-authenticate",
        0x80 => "Unspecified error",
        0x81 => "Malformed packet",
        0x82 => "Protocol error",
        0x83 => "Implementation specific error",
        0x84 => "Unsupported protocol version",
        0x85 => "Client identifier not valid",
        0x86 => "Bad user name or password",
        0x87 => "Not authorized",
        0x88 => "Server unavailable",
        0x89 => "Server busy",
        0x8A => "Banned",
        0x8B => "Server shutting down",
        0x8C => "Bad authentication method",
        0x8D => "Keep alive timeout",
        0x8E => "Session taken over",
        0x8F => "Topic filter invalid",
        0x90 => "Topic name invalid",
        0x91 => "Packet identifier in use",
        0x92 => "Packet identifier not found",
        0x93 => "Receive maximum exceeded",
        0x94 => "Topic alias invalid",
        0x95 => "Packet too large",
        0x96 => "Message rate too high",
        0x97 => "Quota exceeded",
        0x98 => "Administrative action",
        0x99 => "Payload format invalid",
        0x9A => "Retain not supported",
        0x9B => "QoS not supported",
        0x9C => "Use another server",
        0x9D => "Server moved",
        0x9E => "Shared subscription not supported",
        0x9F => "Connection rate exceeded",
        0xA0 => "Maximum connect time",
        0xA1 => "Subscription identifiers not supported",
        0xA2 => "Wildcard subscription not supported",
        _ => return None,
    };
    Some(name)
}

/// Generated paho-mqtt 2.x programs that handle one reason code.
pub mod snippets {
    use super::{find, paho_name, paho_v5_equivalent, Code, PacketType, Protocol, Retry};
    use crate::claims::content::fill;
    use crate::content::reason_codes as text;
    use crate::snippets::{comment, trailing};
    use crate::target::Target;

    /// The packet a snippet is about: the one asked for if the code appears
    /// in it, otherwise the first the code appears in.
    pub fn packet_of(code: &Code, packet: Option<PacketType>) -> PacketType {
        packet
            .filter(|p| code.appears_in(*p))
            .or_else(|| code.packets().next())
            .unwrap_or(PacketType::Connack)
    }

    /// The value a VERSION2 callback compares with: on MQTT 3.1.1 paho
    /// converts CONNACK return codes to their MQTT 5 equivalents first
    /// (SUBACK's 0x80 stays 128).
    pub fn paho_value(v: Protocol, code: &Code, packet: PacketType) -> u8 {
        match (v, packet) {
            (Protocol::V311, PacketType::Connack) => paho_v5_equivalent(code.value),
            _ => code.value,
        }
    }

    /// A complete paho-mqtt 2.x program whose callback handles `code` as
    /// `packet` (or the first packet the code appears in).
    pub fn paho(v: Protocol, code: &Code, packet: Option<PacketType>, t: &Target) -> String {
        let packet = packet_of(code, packet);
        let value = paho_value(v, code, packet);
        let name = paho_name(value, packet)
            .or_else(|| find(Protocol::V5, value).and_then(|c| c.name_in(packet)))
            .unwrap_or("");
        let protocol = match v {
            Protocol::V5 => "mqtt.MQTTv5",
            Protocol::V311 => "mqtt.MQTTv311",
        };
        let hex = format!("0x{value:02X}");
        // The slots of this code's comments.
        let says = |entry: &str| {
            fill(
                entry,
                &[("value", &value.to_string()), ("hex", &hex), ("name", name)],
            )
        };
        let head = format!(
            "import paho.mqtt.client as mqtt\n\
             \n\
             {plain}\
             HOST, PORT = \"{host}\", {port}\n\
             \n",
            plain = comment(
                "# ",
                &fill(text::PLAIN_PORT, &[("port", &t.port.to_string())])
            ),
            host = t.host,
            port = t.port
        );
        let client = format!(
            "client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=\"sensor-0042\",\n\
             \x20                    protocol={protocol})\n"
        );
        let run = "client.connect(HOST, PORT)\nclient.loop_forever()\n";
        // Compare with the number: paho's names differ from the specification's
        // capitalisation, and a str comparison is case-sensitive.
        let compare = format!(
            "if reason_code == {value}:  # {}",
            trailing(&says(text::PAHO_NAME))
        );
        let handle = |indent: &str, stop: &str| -> String {
            let body = if !code.is_failure() {
                "print(f\"ok: {reason_code}\")".to_string()
            } else {
                match code.retry {
                    Retry::No => format!(
                        "{}print(f\"refused: {{reason_code}}; not retrying\"){stop}",
                        comment("# ", text::NO_RETRY)
                    ),
                    Retry::WithBackoff => format!(
                        "{}print(f\"{{reason_code}}: retrying with backoff\")",
                        comment("# ", text::WITH_BACKOFF)
                    ),
                    Retry::Yes => "print(f\"{reason_code}: reconnecting\")".to_string(),
                }
            };
            let mut out = format!("{indent}{compare}\n");
            for line in body.lines() {
                out.push_str(&format!("{indent}    {line}\n"));
            }
            out.push_str(&format!(
                "{indent}elif reason_code.is_failure:\n{indent}    print(f\"other failure: {{reason_code}}\")\n\
                 {indent}else:\n{indent}    print(f\"other: {{reason_code}}\")\n"
            ));
            out
        };
        let stop_connection = format!(
            "\nclient.disconnect()  # {}",
            trailing(text::STOPS_RECONNECT)
        );
        match packet {
            PacketType::Disconnect => format!(
                "{head}def on_disconnect(client, userdata, flags, reason_code, properties):\n{}\n{client}client.on_disconnect = on_disconnect\n{run}",
                handle("    ", &stop_connection)
            ),
            PacketType::Puback | PacketType::Pubcomp => {
                let qos = if packet == PacketType::Puback { 1 } else { 2 };
                format!(
                    "{head}def on_connect(client, userdata, flags, reason_code, properties):\n\
                     \x20   client.publish(\"sensors/0042/moisture\", \"45\", qos={qos})\n\
                     \n\
                     {reaches}\
                     def on_publish(client, userdata, mid, reason_code, properties):\n{}\
                     \x20   client.disconnect()  # {done}\n\
                     \n{client}client.on_connect = on_connect\nclient.on_publish = on_publish\n{run}",
                    handle("    ", &format!("\n{}", comment("# ", text::FIX_MESSAGE))),
                    reaches = comment(
                        "# ",
                        &fill(
                            text::ON_PUBLISH,
                            &[("packet", packet.name()), ("qos", &qos.to_string())]
                        )
                    ),
                    done = trailing(text::ONE_MESSAGE),
                )
            }
            PacketType::Pubrec => format!(
                "{head}{ignored}def on_connect(client, userdata, flags, reason_code, properties):\n\
                 \x20   client.publish(\"sensors/0042/moisture\", \"45\", qos=2)\n\
                 \n\
                 def on_publish(client, userdata, mid, reason_code, properties):\n\
                 \x20   print(f\"on_publish: {{reason_code}}\")  # {pubcomp}\n\
                 \x20   client.disconnect()\n\
                 \n{client}client.on_connect = on_connect\nclient.on_publish = on_publish\n{run}",
                ignored = comment("# ", &says(text::PUBREC_IGNORED)),
                pubcomp = trailing(text::PUBCOMP_CODE),
            ),
            PacketType::Pubrel => format!(
                "{head}{handled}def on_connect(client, userdata, flags, reason_code, properties):\n\
                 \x20   client.subscribe(\"sensors/#\", qos=2)\n\
                 \n\
                 def on_message(client, userdata, msg):\n\
                 \x20   print(f\"received {{msg.topic}}\")\n\
                 \n{client}client.on_connect = on_connect\nclient.on_message = on_message\n{run}",
                handled = comment("# ", text::PUBREL_HANDLED),
            ),
            PacketType::Suback => format!(
                "{head}def on_connect(client, userdata, flags, reason_code, properties):\n\
                 \x20   client.subscribe(\"sensors/#\", qos=2)\n\
                 \n\
                 def on_subscribe(client, userdata, mid, reason_code_list, properties):\n\
                 \x20   for reason_code in reason_code_list:\n{}\
                 \n{client}client.on_connect = on_connect\nclient.on_subscribe = on_subscribe\n{run}",
                handle("        ", &format!("\n{}", comment("# ", text::FIX_FILTER)))
            ),
            PacketType::Unsuback => format!(
                "{head}def on_connect(client, userdata, flags, reason_code, properties):\n\
                 \x20   client.subscribe(\"sensors/#\", qos=1)\n\
                 \x20   client.unsubscribe(\"sensors/#\")\n\
                 \n\
                 def on_unsubscribe(client, userdata, mid, reason_code_list, properties):\n\
                 \x20   for reason_code in reason_code_list:\n{}\
                 \n{client}client.on_connect = on_connect\nclient.on_unsubscribe = on_unsubscribe\n{run}",
                handle("        ", &format!("\n{}", comment("# ", text::CHECK_FILTER)))
            ),
            PacketType::Auth => format!(
                "{head}{no_auth}def on_disconnect(client, userdata, flags, reason_code, properties):\n\
                 \x20   print(f\"disconnected: {{reason_code}}\")\n\
                 \x20   client.disconnect()  # {stop}\n\
                 \n{client}client.on_disconnect = on_disconnect\n{run}",
                no_auth = comment("# ", &says(text::NO_AUTH)),
                stop = trailing(text::AUTH_STOP),
            ),
            // CONNACK: `packet_of` returns only packets with reason codes,
            // so no other type reaches this arm.
            _ => {
                let note = match (v, code.value) {
                    (Protocol::V311, 1) => comment("# ", text::V311_RC1),
                    (Protocol::V311, rc) => comment(
                        "# ",
                        &fill(
                            text::V311_CONVERTED,
                            &[("rc", &rc.to_string()), ("value", &value.to_string())],
                        ),
                    ),
                    _ => String::new(),
                };
                format!(
                    "{head}{note}def on_connect(client, userdata, flags, reason_code, properties):\n{}\n{client}client.on_connect = on_connect\n{run}",
                    handle("    ", &stop_connection)
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Table 2-6 of MQTT 5.0, transcribed independently: value, packets.
    const TABLE_2_6: &[(u8, &[&str])] = &[
        (
            0x00,
            &[
                "CONNACK",
                "PUBACK",
                "PUBREC",
                "PUBREL",
                "PUBCOMP",
                "SUBACK",
                "UNSUBACK",
                "DISCONNECT",
                "AUTH",
            ],
        ),
        (0x01, &["SUBACK"]),
        (0x02, &["SUBACK"]),
        (0x04, &["DISCONNECT"]),
        (0x10, &["PUBACK", "PUBREC"]),
        (0x11, &["UNSUBACK"]),
        (0x18, &["AUTH"]),
        (0x19, &["AUTH"]),
        (
            0x80,
            &[
                "CONNACK",
                "PUBACK",
                "PUBREC",
                "SUBACK",
                "UNSUBACK",
                "DISCONNECT",
            ],
        ),
        (0x81, &["CONNACK", "DISCONNECT"]),
        (0x82, &["CONNACK", "DISCONNECT"]),
        (
            0x83,
            &[
                "CONNACK",
                "PUBACK",
                "PUBREC",
                "SUBACK",
                "UNSUBACK",
                "DISCONNECT",
            ],
        ),
        (0x84, &["CONNACK"]),
        (0x85, &["CONNACK"]),
        (0x86, &["CONNACK"]),
        (
            0x87,
            &[
                "CONNACK",
                "PUBACK",
                "PUBREC",
                "SUBACK",
                "UNSUBACK",
                "DISCONNECT",
            ],
        ),
        (0x88, &["CONNACK"]),
        (0x89, &["CONNACK", "DISCONNECT"]),
        (0x8A, &["CONNACK"]),
        (0x8B, &["DISCONNECT"]),
        (0x8C, &["CONNACK", "DISCONNECT"]),
        (0x8D, &["DISCONNECT"]),
        (0x8E, &["DISCONNECT"]),
        (0x8F, &["SUBACK", "UNSUBACK", "DISCONNECT"]),
        (0x90, &["CONNACK", "PUBACK", "PUBREC", "DISCONNECT"]),
        (0x91, &["PUBACK", "PUBREC", "SUBACK", "UNSUBACK"]),
        (0x92, &["PUBREL", "PUBCOMP"]),
        (0x93, &["DISCONNECT"]),
        (0x94, &["DISCONNECT"]),
        (0x95, &["CONNACK", "DISCONNECT"]),
        (0x96, &["DISCONNECT"]),
        (
            0x97,
            &["CONNACK", "PUBACK", "PUBREC", "SUBACK", "DISCONNECT"],
        ),
        (0x98, &["DISCONNECT"]),
        (0x99, &["PUBACK", "PUBREC", "DISCONNECT"]),
        (0x9A, &["CONNACK", "DISCONNECT"]),
        (0x9B, &["CONNACK", "DISCONNECT"]),
        (0x9C, &["CONNACK", "DISCONNECT"]),
        (0x9D, &["CONNACK", "DISCONNECT"]),
        (0x9E, &["SUBACK", "DISCONNECT"]),
        (0x9F, &["CONNACK", "DISCONNECT"]),
        (0xA0, &["DISCONNECT"]),
        (0xA1, &["SUBACK", "DISCONNECT"]),
        (0xA2, &["SUBACK", "DISCONNECT"]),
    ];

    #[test]
    fn every_code_matches_table_2_6() {
        assert_eq!(V5.len(), TABLE_2_6.len());
        for (value, packets) in TABLE_2_6 {
            let code =
                find(Protocol::V5, *value).unwrap_or_else(|| panic!("0x{value:02X} missing"));
            assert_eq!(code.packet_list(), packets.join(", "), "0x{value:02X}");
            assert_eq!(code.is_failure(), *value >= 0x80);
        }
        // Ascending and unique.
        assert!(V5.windows(2).all(|w| w[0].value < w[1].value));
    }

    #[test]
    fn names_are_the_specs() {
        let n = |v| find(Protocol::V5, v).unwrap().name();
        assert_eq!(n(0x95), "Packet too large");
        assert_eq!(n(0x9F), "Connection rate exceeded");
        assert_eq!(n(0x86), "Bad User Name or Password");
        assert_eq!(n(0x97), "Quota exceeded");
        let zero = find(Protocol::V5, 0).unwrap();
        assert_eq!(
            zero.name_in(PacketType::Disconnect),
            Some("Normal disconnection")
        );
        assert_eq!(zero.name_in(PacketType::Suback), Some("Granted QoS 0"));
        assert_eq!(zero.name_in(PacketType::Connack), Some("Success"));
        assert_eq!(
            zero.name(),
            "Success / Normal disconnection / Granted QoS 0"
        );
    }

    #[test]
    fn chapter_errata_are_corrected() {
        // 149 is Packet too large, not a rate limit; 159 is.
        assert_eq!(find(Protocol::V5, 149).unwrap().name(), "Packet too large");
        assert_eq!(find(Protocol::V5, 149).unwrap().retry, Retry::No);
        assert_eq!(find(Protocol::V5, 159).unwrap().retry, Retry::WithBackoff);
        // 162 is not a CONNACK code.
        assert_eq!(
            packet_mismatch(Protocol::V5, 162, PacketType::Connack).unwrap(),
            "162 (0xA2) is not a CONNACK code; it appears in SUBACK, DISCONNECT."
        );
        assert!(find(Protocol::V5, 162).unwrap().erratum.is_some());
        // A value that is no code (MQTT 5.0 defines no 0x03; 3.1.1 CONNACK stops at 5).
        assert_eq!(
            unknown_code(Protocol::V5, 3),
            "3 (0x03) is not an MQTT 5.0 reason code. Codes below 0x80 are successes, 0x80 and above failures; the defined ones are listed below."
        );
        assert!(unknown_code(Protocol::V311, 200)
            .starts_with("200 (0xC8) is not an MQTT 3.1.1 return code: CONNACK uses 0–5"));
        assert!(find(Protocol::V5, 159)
            .unwrap()
            .erratum
            .unwrap()
            .contains("149"));
    }

    #[test]
    fn the_spec_contradiction_on_0x99_is_stated() {
        let c = find(Protocol::V5, 0x99).unwrap();
        assert!(c.spec_note.unwrap().contains("§3.2.2.2"));
        let s = packet_mismatch(Protocol::V5, 0x99, PacketType::Connack).unwrap();
        assert!(s.contains("contradicts itself"), "{s}");
    }

    #[test]
    fn v311_return_codes() {
        assert_eq!(V311.len(), 7);
        assert_eq!(
            find(Protocol::V311, 3).unwrap().name(),
            "Connection Refused, Server unavailable"
        );
        assert_eq!(find(Protocol::V311, 0x80).unwrap().packet_list(), "SUBACK");
        assert!(find(Protocol::V311, 6).is_none());
        assert!(unknown_code(Protocol::V311, 6).contains("6–255 are reserved"));
        // paho's conversion for VERSION2 callbacks: 3 becomes 136 Server unavailable.
        assert_eq!(paho_v5_equivalent(3), 136);
        assert_eq!(paho_v5_equivalent(4), 134);
        assert_eq!(paho_v5_equivalent(1), 132);
        assert_eq!(paho_v5_equivalent(9), 128);
    }

    #[test]
    fn parse_and_search() {
        assert_eq!(parse_code("149"), Ok(149));
        assert_eq!(parse_code(" 0x95 "), Ok(0x95));
        assert_eq!(parse_code("0X9f"), Ok(0x9F));
        assert!(parse_code("256").unwrap_err().contains("above 255"));
        assert!(parse_code("abc").is_err());
        assert!(parse_code("-1").is_err());
        let by_hex: Vec<u8> = search(Protocol::V5, None, "0x95")
            .iter()
            .map(|c| c.value)
            .collect();
        assert_eq!(by_hex, [0x95]);
        let by_dec: Vec<u8> = search(Protocol::V5, None, "159")
            .iter()
            .map(|c| c.value)
            .collect();
        assert_eq!(by_dec, [0x9F]);
        let by_word: Vec<u8> = search(Protocol::V5, None, "rate")
            .iter()
            .map(|c| c.value)
            .collect();
        assert_eq!(by_word, [0x96, 0x9F]);
        let connack = search(Protocol::V5, Some(PacketType::Connack), "");
        assert_eq!(connack.len(), 21);
        assert!(connack.iter().all(|c| c.appears_in(PacketType::Connack)));
    }

    fn snippet(v: Protocol, value: u8, packet: Option<PacketType>) -> String {
        snippets::paho(
            v,
            find(v, value).unwrap(),
            packet,
            &crate::target::Target::display(),
        )
    }

    #[test]
    fn snippets_compare_the_right_number() {
        let s = snippet(Protocol::V5, 0x9F, None);
        assert!(s.contains("def on_connect(client, userdata, flags, reason_code, properties):"));
        assert!(
            s.contains("if reason_code == 159:  # 0x9F, \"Connection rate exceeded\" in paho-mqtt"),
            "{s}"
        );
        assert!(s.contains("CallbackAPIVersion.VERSION2"));
        let s = snippet(Protocol::V311, 3, None);
        assert!(s.contains("if reason_code == 136:"), "{s}");
        assert!(s.contains("turns return code 3 into reason code 136"));
        let s = snippet(Protocol::V5, 0x8E, None);
        assert!(s.contains("def on_disconnect("));
        assert!(s.contains("client.disconnect()"));
        let s = snippet(Protocol::V5, 0xA2, Some(PacketType::Connack));
        assert!(s.contains("def on_subscribe("), "{s}");
        assert!(s.contains("        if reason_code == 162:"), "{s}");
    }

    /// Issue 13, point 1: MQTT 3.1.1 return codes 1–5 are "Connection Refused".
    #[test]
    fn v311_refusals_are_failures_with_a_refusal_handler() {
        for rc in 1..=5u8 {
            let c = find(Protocol::V311, rc).unwrap();
            assert_eq!(c.kind(), "failure", "{rc}");
            let s = snippet(Protocol::V311, rc, None);
            assert!(
                !s.contains("nothing failed") && !s.contains("print(f\"ok:"),
                "{s}"
            );
        }
        assert_eq!(find(Protocol::V311, 0).unwrap().kind(), "success");
        assert_eq!(find(Protocol::V311, 0x80).unwrap().kind(), "failure");
    }

    /// Issue 13, point 2: no snippet compares a ReasonCode with a str, and the
    /// names quoted are paho's own spelling (its str comparison is case-sensitive).
    #[test]
    fn snippets_compare_numbers_and_quote_pahos_names() {
        for v in [Protocol::V311, Protocol::V5] {
            for c in table(v) {
                for p in c.packets() {
                    let s = snippet(v, c.value, Some(p));
                    assert!(!s.contains("reason_code == \""), "{s}");
                    if let Some(line) = s.lines().find(|l| l.contains("if reason_code == ")) {
                        let value = snippets::paho_value(v, c, p);
                        let name = paho_name(value, p).unwrap();
                        assert!(
                            line.ends_with(&format!("\"{name}\" in paho-mqtt")),
                            "{line}"
                        );
                    }
                }
            }
        }
        assert_eq!(
            paho_name(0x86, PacketType::Connack),
            Some("Bad user name or password")
        );
        assert_ne!(
            find(Protocol::V5, 0x86).unwrap().name(),
            "Bad user name or password"
        );
    }

    /// Issue 13, points 3 and 4: what paho does with PUBREC, PUBCOMP, AUTH
    /// and the 3.1.1 return code 1, said exactly.
    #[test]
    fn snippets_say_what_paho_does_with_pubrec_pubcomp_auth_and_rc1() {
        let pubrec = snippet(Protocol::V5, 0x87, Some(PacketType::Pubrec));
        assert!(
            pubrec.contains("ignores a PUBREC's reason code: it answers PUBREL anyway"),
            "{pubrec}"
        );
        assert!(!pubrec.contains("if reason_code == 135"));
        let pubcomp = snippet(Protocol::V5, 0x92, Some(PacketType::Pubcomp));
        assert!(
            pubcomp.contains("def on_publish(") && pubcomp.contains("if reason_code == 146:"),
            "{pubcomp}"
        );
        assert!(pubcomp.contains("qos=2"));
        let auth = snippet(Protocol::V5, 0x18, Some(PacketType::Auth));
        assert!(
            auth.contains("unrecognised command") && auth.contains("130 Protocol error (2.2)"),
            "{auth}"
        );
        let rc1 = snippet(Protocol::V311, 1, None);
        assert!(rc1.contains("retries at once with MQTT 3.1"), "{rc1}");
        assert!(rc1.contains("if reason_code == 132:"));
    }

    #[test]
    fn every_code_has_text_and_a_snippet() {
        for v in [Protocol::V311, Protocol::V5] {
            for c in table(v) {
                assert!(
                    !c.meaning.is_empty() && !c.cause.is_empty() && !c.action.is_empty(),
                    "{}",
                    c.hex()
                );
                for p in c.packets() {
                    assert!(c.name_in(p).is_some(), "{} in {}", c.hex(), p.name());
                    assert!(snippet(v, c.value, Some(p)).contains("client.connect(HOST, PORT)"));
                }
            }
        }
    }
}
