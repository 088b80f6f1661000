//! MQTT reason codes: the complete MQTT 5.0 table (OASIS MQTT Protocol 5.0,
//! §2.4 Reason Code, Table 2-6) and MQTT 3.1.1's CONNACK return codes (§3.2.2.3,
//! Table 3.1) and SUBACK failure (§3.9.3), with what each means for a client.

use crate::protocol::Protocol;
use serde::Serialize;

/// The packets a reason code can appear in, in the order the page lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Packet {
    Connack,
    Puback,
    Pubrec,
    Pubrel,
    Pubcomp,
    Suback,
    Unsuback,
    Disconnect,
    Auth,
}

impl Packet {
    pub const ALL: [Packet; 9] = [
        Packet::Connack,
        Packet::Puback,
        Packet::Pubrec,
        Packet::Pubrel,
        Packet::Pubcomp,
        Packet::Suback,
        Packet::Unsuback,
        Packet::Disconnect,
        Packet::Auth,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Packet::Connack => "CONNACK",
            Packet::Puback => "PUBACK",
            Packet::Pubrec => "PUBREC",
            Packet::Pubrel => "PUBREL",
            Packet::Pubcomp => "PUBCOMP",
            Packet::Suback => "SUBACK",
            Packet::Unsuback => "UNSUBACK",
            Packet::Disconnect => "DISCONNECT",
            Packet::Auth => "AUTH",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Packet::Connack => "connack",
            Packet::Puback => "puback",
            Packet::Pubrec => "pubrec",
            Packet::Pubrel => "pubrel",
            Packet::Pubcomp => "pubcomp",
            Packet::Suback => "suback",
            Packet::Unsuback => "unsuback",
            Packet::Disconnect => "disconnect",
            Packet::Auth => "auth",
        }
    }

    pub fn from_slug(s: &str) -> Option<Packet> {
        Packet::ALL
            .into_iter()
            .find(|p| p.slug().eq_ignore_ascii_case(s.trim()))
    }

    const fn bit(self) -> u16 {
        1 << self as u16
    }
}

const CONNACK: u16 = Packet::Connack.bit();
const PUBACK: u16 = Packet::Puback.bit();
const PUBREC: u16 = Packet::Pubrec.bit();
const PUBREL: u16 = Packet::Pubrel.bit();
const PUBCOMP: u16 = Packet::Pubcomp.bit();
const SUBACK: u16 = Packet::Suback.bit();
const UNSUBACK: u16 = Packet::Unsuback.bit();
const DISCONNECT: u16 = Packet::Disconnect.bit();
const AUTH: u16 = Packet::Auth.bit();

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
    pub fn packets(&self) -> impl Iterator<Item = Packet> + '_ {
        Packet::ALL
            .into_iter()
            .filter(|p| self.packets & p.bit() != 0)
    }

    pub fn appears_in(&self, p: Packet) -> bool {
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
    pub fn name_in(&self, p: Packet) -> Option<&'static str> {
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
            .map(Packet::name)
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

const ALL_ACKS: u16 = CONNACK | PUBACK | PUBREC | SUBACK | UNSUBACK | DISCONNECT;

macro_rules! code {
    ($v:expr, $packets:expr, $name:expr, $meaning:expr, $cause:expr, $action:expr, $retry:ident) => {
        Code {
            value: $v,
            names: &[($packets, $name)],
            packets: $packets,
            meaning: $meaning,
            cause: $cause,
            action: $action,
            retry: Retry::$retry,
            failure: $v >= 0x80,
            spec_note: None,
            erratum: None,
        }
    };
}

/// An MQTT 3.1.1 return code: anything but 0 is a refusal or a failure.
macro_rules! v3 {
    ($v:expr, $packets:expr, $name:expr, $meaning:expr, $cause:expr, $action:expr, $retry:ident) => {
        Code {
            failure: $v != 0,
            ..code!($v, $packets, $name, $meaning, $cause, $action, $retry)
        }
    };
}

/// MQTT 5.0, Table 2-6, every code from 0x00 to 0xA2.
pub const V5: &[Code] = &[
    Code {
        value: 0x00,
        names: &[
            (CONNACK | PUBACK | PUBREC | PUBREL | PUBCOMP | UNSUBACK | AUTH, "Success"),
            (DISCONNECT, "Normal disconnection"),
            (SUBACK, "Granted QoS 0"),
        ],
        packets: CONNACK | PUBACK | PUBREC | PUBREL | PUBCOMP | SUBACK | UNSUBACK | DISCONNECT | AUTH,
        meaning: "It worked. In DISCONNECT: the connection is closed on purpose and the Will is not sent. In SUBACK: the subscription is granted at QoS 0.",
        cause: "Nothing went wrong.",
        action: "Carry on. After a CONNACK, subscribe here (in on_connect) so subscriptions come back after every reconnect. A SUBACK of 0 when you asked for QoS 1 or 2 is a downgrade: messages to you may be lost.",
        retry: Retry::No,
        failure: false,
        spec_note: None,
        erratum: None,
    },
    code!(0x01, SUBACK, "Granted QoS 1", "The subscription is granted at QoS 1.", "You asked for QoS 1, or for 2 and the broker allows at most 1.", "If you asked for QoS 2, the broker downgraded it: expect possible duplicates.", No),
    code!(0x02, SUBACK, "Granted QoS 2", "The subscription is granted at QoS 2.", "You asked for QoS 2.", "Nothing to do.", No),
    code!(0x04, DISCONNECT, "Disconnect with Will Message", "A client closes the connection and asks the broker to publish its Will anyway.", "Sent by a client, never by a broker.", "Use it when a device shuts down on purpose but its watchers should hear the Will.", No),
    code!(0x10, PUBACK | PUBREC, "No matching subscribers", "The message was accepted, but nobody is subscribed to its topic.", "No subscriber yet, or a topic typo on one side.", "A success: the broker has the message. If you expected subscribers, compare the topic with their filters (mosquitto_sub -t '#' -v).", No),
    code!(0x11, UNSUBACK, "No subscription existed", "There was no such subscription to remove.", "Unsubscribing from a filter you never subscribed to, or a different spelling.", "Nothing to do, or check the filter text.", No),
    code!(0x18, AUTH, "Continue authentication", "The enhanced authentication exchange goes on.", "Part of an AUTH challenge-response (for example SCRAM).", "Answer with the next AUTH step.", No),
    code!(0x19, AUTH, "Re-authenticate", "The client starts authenticating again on a live connection.", "Sent by a client, for example before its token expires.", "Nothing for a broker's client to handle.", No),
    code!(0x80, ALL_ACKS, "Unspecified error", "It failed and the broker does not say why.", "Anything: look at the broker's log.", "Log it and check the broker's log; retry later.", WithBackoff),
    code!(0x81, CONNACK | DISCONNECT, "Malformed Packet", "The broker could not parse what the client sent.", "A client library bug, or a non-MQTT client on the MQTT port.", "Update the client library; check that you talk MQTT to an MQTT port (TLS on 8883, WebSocket on its own port).", No),
    code!(0x82, CONNACK | DISCONNECT, "Protocol Error", "The packet parsed but broke the protocol's rules.", "A library bug, or mixing protocol versions.", "Update the client; check the protocol version the client asks for.", No),
    code!(0x83, ALL_ACKS, "Implementation specific error", "The broker refused for a reason of its own.", "A broker-specific rule or plugin (an authentication plugin, a rule engine).", "Read the broker's documentation and log; retry later if it is transient.", WithBackoff),
    code!(0x84, CONNACK, "Unsupported Protocol Version", "The broker does not speak the MQTT version the client asked for.", "An MQTT 5 client against an old broker, or the reverse.", "Connect with the version the broker supports: protocol=mqtt.MQTTv311 or mqtt.MQTTv5 when the Client is created.", No),
    code!(0x85, CONNACK, "Client Identifier not valid", "The broker rejects the client id.", "Empty, too long, or with characters the broker refuses. MQTT 3.1.1 only guarantees 1–23 characters of 0-9, a-z, A-Z.", "Use a short, unique id built from letters and digits.", No),
    code!(0x86, CONNACK, "Bad User Name or Password", "The credentials are wrong.", "A typo, a rotated password, or a user missing from the password file. Brokers differ: mosquitto 2.0 answers a wrong password with 135 Not authorized instead, so handle both [[mosquitto-wrong-password]].", "Fix the credentials; retrying with the same ones cannot succeed and may get you banned.", No),
    code!(0x87, ALL_ACKS, "Not authorized", "Not allowed to do this: in CONNACK, not allowed to connect.", "An ACL forbids the topic or the subscription. mosquitto 2.0.11 answers a QoS 1 PUBLISH its ACL forbids with PUBACK 135 [[mosquitto-acl-publish]], but grants a SUBSCRIBE its ACL forbids and then delivers nothing [[mosquitto-acl-subscribe]]. In CONNACK it can also mean wrong credentials: mosquitto 2.0 sends 135, not 134, for a wrong password [[mosquitto-wrong-password]].", "Check the credentials and the ACL; retrying unchanged cannot succeed.", No),
    code!(0x88, CONNACK, "Server unavailable", "The broker cannot serve the client now.", "Overload, maintenance, or a cluster node that is not ready.", "Retry later with backoff and jitter.", WithBackoff),
    code!(0x89, CONNACK | DISCONNECT, "Server busy", "The broker is busy.", "Overload.", "Retry later with backoff and jitter.", WithBackoff),
    code!(0x8A, CONNACK, "Banned", "This client is banned.", "An administrator or an automatic rule banned it (too many failed logins, abuse).", "Contact the broker's administrator; do not retry.", No),
    code!(0x8B, DISCONNECT, "Server shutting down", "The broker is going down.", "A restart or maintenance.", "Reconnect with backoff and jitter: the whole fleet got this at once.", WithBackoff),
    code!(0x8C, CONNACK | DISCONNECT, "Bad authentication method", "The broker does not support this authentication method, or it changed.", "Enhanced authentication set up differently on both sides.", "Use a method the broker supports.", No),
    code!(0x8D, DISCONNECT, "Keep Alive timeout", "Nothing arrived from the client within 1.5 times its keepalive.", "The network loop stopped running, a long blocking call in a callback, or a lossy link.", "Keep the network loop running (loop_start or loop_forever); reconnect.", Yes),
    code!(0x8E, DISCONNECT, "Session taken over", "Another connection with the same client id took this session. mosquitto sends it from 2.0.15 on; 2.0.11 just closes the old connection [[mosquitto-takeover]], and paho-mqtt then reports 128 Unspecified error, made up locally [[paho-takeover-local-128]].", "Two devices (or two processes) with the same client id: they keep kicking each other out.", "Give every device a unique client id. Reconnecting at once only restarts the fight.", No),
    code!(0x8F, SUBACK | UNSUBACK | DISCONNECT, "Topic Filter invalid", "The topic filter is not valid here.", "A misplaced wildcard (sensors/#/temp, sensor+), or a filter the broker refuses.", "Fix the filter: # only at the end, + for a whole level.", No),
    code!(0x90, CONNACK | PUBACK | PUBREC | DISCONNECT, "Topic Name invalid", "The topic name is well formed, but the server will not accept it. In CONNACK: the Will topic.", "A topic the broker's rules refuse. A wildcard in a topic name is not this: it makes the PUBLISH malformed. paho-mqtt refuses to send one (ValueError) [[paho-publish-wildcard]], and mosquitto 2.0.11 answers one with DISCONNECT 0x82 Protocol Error [[mosquitto-wildcard-publish]].", "Publish to a topic the broker accepts.", No),
    code!(0x91, PUBACK | PUBREC | SUBACK | UNSUBACK, "Packet Identifier in use", "The packet identifier is already in use.", "Client and broker disagree on session state, for example after a reconnect.", "Let the library pick identifiers; reconnect with a clean session if it persists.", Yes),
    code!(0x92, PUBREL | PUBCOMP, "Packet Identifier not found", "The packet identifier is unknown.", "Session state lost on one side during a QoS 2 exchange.", "Usually harmless at the end of a QoS 2 flow after a reconnect; check session persistence.", No),
    code!(0x93, DISCONNECT, "Receive Maximum exceeded", "The client sent more unacknowledged QoS 1/2 messages than the broker allows.", "Ignoring the Receive Maximum in CONNACK.", "Respect the Receive Maximum the broker sends in CONNACK (limit the messages in flight: max_inflight_messages_set).", No),
    code!(0x94, DISCONNECT, "Topic Alias invalid", "A topic alias was out of range or unknown.", "A library bug with topic aliases.", "Update the client or stop using topic aliases.", No),
    code!(0x95, CONNACK | DISCONNECT, "Packet too large", "A packet exceeded the maximum packet size.", "A packet over the broker's maximum packet size: mosquitto's max_packet_size ends the connection with DISCONNECT 0x95 [[mosquitto-max-packet-size]]. Its message_size_limit is different: mosquitto 2.0.11 drops the message and answers a QoS 1 or 2 PUBLISH with PUBACK or PUBREC 0x95, a code Table 2-6 does not allow there [[mosquitto-message-size-limit]], which paho-mqtt cannot decode [[paho-oversize-puback]].", "Send smaller messages or raise the broker's limit.", No),
    code!(0x96, DISCONNECT, "Message rate too high", "The client publishes faster than allowed.", "A rate limit on the broker.", "Publish less often; reconnect with backoff.", WithBackoff),
    code!(0x97, CONNACK | PUBACK | PUBREC | SUBACK | DISCONNECT, "Quota exceeded", "An implementation or administrative limit was exceeded.", "A quota: connections, messages, subscriptions or bytes, depending on the broker.", "Find which quota in the broker's documentation; retry later or raise it.", WithBackoff),
    code!(0x98, DISCONNECT, "Administrative action", "An administrator disconnected the client.", "A kick from the admin console or API.", "Ask why before reconnecting.", No),
    Code {
        value: 0x99,
        names: &[(PUBACK | PUBREC | DISCONNECT, "Payload format invalid")],
        packets: PUBACK | PUBREC | DISCONNECT,
        meaning: "The payload does not match its Payload Format Indicator (it says UTF-8 but is not).",
        cause: "Binary data sent with the payload format set to UTF-8 text.",
        action: "Send valid UTF-8, or do not mark the payload as text.",
        retry: Retry::No,
        failure: true,
        spec_note: Some("The specification contradicts itself: Table 2-6 lists 0x99 for PUBACK, PUBREC and DISCONNECT only, but §3.2.2.2 lists it as a CONNACK reason code too (the Will payload does not match its format indicator). A broker may send it in CONNACK."),
        erratum: None,
    },
    code!(0x9A, CONNACK | DISCONNECT, "Retain not supported", "The broker does not support retained messages.", "A retained publish, or a retained Will, on a broker with retain disabled.", "Publish without retain.", No),
    code!(0x9B, CONNACK | DISCONNECT, "QoS not supported", "The broker does not support this QoS.", "A QoS above the Maximum QoS in CONNACK (some cloud brokers have no QoS 2).", "Use the highest QoS the broker supports.", No),
    code!(0x9C, CONNACK | DISCONNECT, "Use another server", "Connect to another server for now.", "Load balancing or maintenance; the Server Reference property names the server.", "Connect to the server named in the Server Reference.", Yes),
    code!(0x9D, CONNACK | DISCONNECT, "Server moved", "The server moved for good.", "A migration; the Server Reference property names the new server.", "Update the configured address.", Yes),
    code!(0x9E, SUBACK | DISCONNECT, "Shared Subscriptions not supported", "The broker does not support $share/ subscriptions.", "A shared subscription on a broker without them.", "Subscribe without $share/ or change broker.", No),
    Code {
        value: 0x9F,
        names: &[(CONNACK | DISCONNECT, "Connection rate exceeded")],
        packets: CONNACK | DISCONNECT,
        meaning: "Too many connection attempts: the broker is rate-limiting new connections.",
        cause: "A reconnection storm: many devices retrying in step, or one client reconnecting in a tight loop.",
        action: "Back off with jitter before the next attempt (see the backoff widget).",
        retry: Retry::WithBackoff,
        failure: true,
        spec_note: None,
        erratum: Some("The chapter gives “Connection Rate Exceeded” both to 149 and to 159 and tests reason_code == 149 for it: the rate limit is 159 (0x9F) only."),
    },
    code!(0xA0, DISCONNECT, "Maximum connect time", "The connection lasted as long as it is allowed to.", "A broker policy that limits session length.", "Reconnect.", Yes),
    code!(0xA1, SUBACK | DISCONNECT, "Subscription Identifiers not supported", "The broker does not support subscription identifiers.", "A SUBSCRIBE with a Subscription Identifier property.", "Subscribe without it.", No),
    Code {
        value: 0xA2,
        names: &[(SUBACK | DISCONNECT, "Wildcard Subscriptions not supported")],
        packets: SUBACK | DISCONNECT,
        meaning: "The broker does not support wildcard subscriptions.",
        cause: "A filter with + or # on a broker that forbids them.",
        action: "Subscribe to explicit topics.",
        retry: Retry::No,
        failure: true,
        spec_note: None,
        erratum: Some("The chapter lists 162 among the CONNACK codes of on_connect: it is not a CONNACK code. It appears only in SUBACK (a refused subscription) and DISCONNECT."),
    },
];

/// MQTT 3.1.1 CONNACK return codes (§3.2.2.3, Table 3.1; 6–255 reserved) and
/// the SUBACK failure return code 0x80 (§3.9.3).
pub const V311: &[Code] = &[
    v3!(0x00, CONNACK, "Connection Accepted", "The broker accepted the connection.", "Nothing went wrong.", "Subscribe in on_connect, so subscriptions come back after every reconnect.", No),
    v3!(0x01, CONNACK, "Connection Refused, unacceptable protocol version", "The broker does not support the protocol level the client asked for.", "An MQTT 3.1.1 client against an MQTT 3.1-only broker, or the reverse.", "Use a protocol version the broker supports. paho-mqtt never reports this code as such: it retries at once with MQTT 3.1 and calls on_connect with 132 only if that is refused too [[paho-v311-rc1-downgrade]].", No),
    v3!(0x02, CONNACK, "Connection Refused, identifier rejected", "The client id is not allowed.", "Empty with clean session off, too long, or unusual characters: only 1–23 characters of 0-9, a-z, A-Z are guaranteed.", "Use a short, unique id of letters and digits.", No),
    v3!(0x03, CONNACK, "Connection Refused, Server unavailable", "The network connection works but the MQTT service is unavailable.", "Overload or maintenance.", "Retry later with backoff and jitter.", WithBackoff),
    v3!(0x04, CONNACK, "Connection Refused, bad user name or password", "The credentials are wrong or malformed.", "A typo, a rotated password, or a missing user.", "Fix the credentials; retrying with the same ones cannot succeed.", No),
    v3!(0x05, CONNACK, "Connection Refused, not authorized", "The client is not authorised to connect.", "An ACL, anonymous access turned off, or wrong credentials: mosquitto 2.0 answers a wrong password with 5, not 4 [[mosquitto-wrong-password]].", "Get the permission or the credentials you need.", No),
    v3!(0x80, SUBACK, "Failure", "The broker refused the subscription.", "The ACL forbids the filter, or the filter is invalid.", "Check the filter and your ACL; paho-mqtt reports it as reason code 128 (Unspecified error) in on_subscribe [[paho-v311-suback]].", No),
];

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
pub struct Short {
    pub value: u8,
    pub names: &'static [(u16, &'static str)],
    packets: u16,
    pub retry: Retry,
}

impl Short {
    pub fn appears_in(&self, p: Packet) -> bool {
        self.packets & p.bit() != 0
    }

    /// The name it has in packet `p`, or its first name.
    pub fn name_in(&self, p: Packet) -> Option<&'static str> {
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
pub fn find_short(v: Protocol, value: u8) -> Option<&'static Short> {
    let t: &'static [Short] = match v {
        Protocol::V311 => &V311_SHORT,
        Protocol::V5 => &V5_SHORT,
    };
    t.iter().find(|c| c.value == value)
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
pub fn search(v: Protocol, packet: Option<Packet>, query: &str) -> Vec<&'static Code> {
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
pub fn packet_mismatch(v: Protocol, value: u8, packet: Packet) -> Option<String> {
    let code = find(v, value)?;
    if code.appears_in(packet) {
        return None;
    }
    let mut s = format!(
        "{} ({}) is not a {} code; it appears in {}.",
        value,
        code.hex(),
        packet.name(),
        code.packet_list()
    );
    if let (Protocol::V5, Packet::Connack, Some(note)) = (v, packet, code.spec_note) {
        s.push(' ');
        s.push_str(note);
    }
    Some(s)
}

/// The sentence for a value that is no code at all in `v`.
pub fn unknown_code(v: Protocol, value: u8) -> String {
    match v {
        Protocol::V311 => format!(
            "{value} (0x{value:02X}) is not an MQTT 3.1.1 return code: CONNACK uses 0–5 (6–255 are reserved) and SUBACK uses 0–2 for granted QoS and 0x80 for failure."
        ),
        Protocol::V5 => format!(
            "{value} (0x{value:02X}) is not an MQTT 5.0 reason code. Codes below 0x80 are successes, 0x80 and above failures; the defined ones are listed below."
        ),
    }
}

/// The name paho-mqtt 2.x gives reason code `value` in `packet`
/// (reasoncodes.py, `ReasonCode.names`, identical in 2.1 and 2.2). A
/// `ReasonCode` compares equal to a str only with exactly this spelling.
pub fn paho_name(value: u8, packet: Packet) -> Option<&'static str> {
    let name = match value {
        0x00 => match packet {
            Packet::Disconnect => "Normal disconnection",
            Packet::Suback => "Granted QoS 0",
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
    use super::{find, paho_name, paho_v5_equivalent, Code, Packet, Protocol, Retry};
    use crate::target::Target;

    /// The packet a snippet is about: the one asked for if the code appears
    /// in it, otherwise the first the code appears in.
    pub fn packet_of(code: &Code, packet: Option<Packet>) -> Packet {
        packet
            .filter(|p| code.appears_in(*p))
            .or_else(|| code.packets().next())
            .unwrap_or(Packet::Connack)
    }

    /// The value a VERSION2 callback compares with: on MQTT 3.1.1 paho
    /// converts CONNACK return codes to their MQTT 5 equivalents first
    /// (SUBACK's 0x80 stays 128).
    pub fn paho_value(v: Protocol, code: &Code, packet: Packet) -> u8 {
        match (v, packet) {
            (Protocol::V311, Packet::Connack) => paho_v5_equivalent(code.value),
            _ => code.value,
        }
    }

    /// A complete paho-mqtt 2.x program whose callback handles `code` as
    /// `packet` (or the first packet the code appears in).
    pub fn paho(v: Protocol, code: &Code, packet: Option<Packet>, t: &Target) -> String {
        let packet = packet_of(code, packet);
        let value = paho_value(v, code, packet);
        let name = paho_name(value, packet)
            .or_else(|| find(Protocol::V5, value).and_then(|c| c.name_in(packet)))
            .unwrap_or("");
        let protocol = match v {
            Protocol::V5 => "mqtt.MQTTv5",
            Protocol::V311 => "mqtt.MQTTv311",
        };
        let head = format!(
            "import paho.mqtt.client as mqtt\n\
             \n\
             # {port} is plain MQTT, unencrypted: for trying this out. In production\n\
             # connect to 8883 with client.tls_set().\n\
             HOST, PORT = \"{host}\", {port}\n\
             \n",
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
        let compare =
            format!("if reason_code == {value}:  # 0x{value:02X}, \"{name}\" in paho-mqtt");
        let handle = |indent: &str, stop: &str| -> String {
            let body = if !code.is_failure() {
                "print(f\"ok: {reason_code}\")".to_string()
            } else {
                match code.retry {
                    Retry::No => format!(
                        "# Retrying cannot help until something is changed.\n\
                         print(f\"refused: {{reason_code}}; not retrying\"){stop}"
                    ),
                    Retry::WithBackoff => {
                        "# Transient: the automatic reconnect backs off (reconnect_delay_set).\n\
                         print(f\"{reason_code}: retrying with backoff\")"
                            .to_string()
                    }
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
        let stop_connection = "\nclient.disconnect()  # also stops the automatic reconnect";
        match packet {
            Packet::Connack => {
                let note = match (v, code.value) {
                    (Protocol::V311, 1) => "# MQTT 3.1.1 return code 1 never reaches on_connect as such: paho-mqtt\n\
                         # retries at once with MQTT 3.1 and calls on_connect with 132 only if\n\
                         # that is refused too.\n"
                        .to_string(),
                    (Protocol::V311, rc) => format!(
                        "# MQTT 3.1.1: paho-mqtt turns return code {rc} into reason code {value}\n\
                         # before it calls a VERSION2 on_connect.\n"
                    ),
                    _ => String::new(),
                };
                format!(
                    "{head}{note}def on_connect(client, userdata, flags, reason_code, properties):\n{}\n{client}client.on_connect = on_connect\n{run}",
                    handle("    ", stop_connection)
                )
            }
            Packet::Disconnect => format!(
                "{head}def on_disconnect(client, userdata, flags, reason_code, properties):\n{}\n{client}client.on_disconnect = on_disconnect\n{run}",
                handle("    ", stop_connection)
            ),
            Packet::Puback | Packet::Pubcomp => {
                let qos = if packet == Packet::Puback { 1 } else { 2 };
                format!(
                    "{head}def on_connect(client, userdata, flags, reason_code, properties):\n\
                     \x20   client.publish(\"sensors/0042/moisture\", \"45\", qos={qos})\n\
                     \n\
                     # The {p} reason code of the QoS {qos} message reaches on_publish.\n\
                     def on_publish(client, userdata, mid, reason_code, properties):\n{}\
                     \x20   client.disconnect()  # one message, then done\n\
                     \n{client}client.on_connect = on_connect\nclient.on_publish = on_publish\n{run}",
                    handle("    ", "\n# fix the message before publishing it again"),
                    p = packet.name()
                )
            }
            Packet::Pubrec => format!(
                "{head}# paho-mqtt ignores a PUBREC's reason code: it answers PUBREL anyway, and\n\
                 # on_publish gets the reason code of the PUBCOMP that follows. A PUBREC\n\
                 # refusal such as {value} (0x{value:02X}) never reaches a callback: read the broker's log,\n\
                 # or publish at QoS 1, whose PUBACK reason code does reach on_publish.\n\
                 def on_connect(client, userdata, flags, reason_code, properties):\n\
                 \x20   client.publish(\"sensors/0042/moisture\", \"45\", qos=2)\n\
                 \n\
                 def on_publish(client, userdata, mid, reason_code, properties):\n\
                 \x20   print(f\"on_publish: {{reason_code}}\")  # PUBCOMP's code, not PUBREC's\n\
                 \x20   client.disconnect()\n\
                 \n{client}client.on_connect = on_connect\nclient.on_publish = on_publish\n{run}"
            ),
            Packet::Pubrel => format!(
                "{head}# paho-mqtt handles PUBREL itself: it delivers the QoS 2 message to\n\
                 # on_message and answers PUBCOMP. No callback sees PUBREL's reason code.\n\
                 def on_connect(client, userdata, flags, reason_code, properties):\n\
                 \x20   client.subscribe(\"sensors/#\", qos=2)\n\
                 \n\
                 def on_message(client, userdata, msg):\n\
                 \x20   print(f\"received {{msg.topic}}\")\n\
                 \n{client}client.on_connect = on_connect\nclient.on_message = on_message\n{run}"
            ),
            Packet::Suback => format!(
                "{head}def on_connect(client, userdata, flags, reason_code, properties):\n\
                 \x20   client.subscribe(\"sensors/#\", qos=2)\n\
                 \n\
                 def on_subscribe(client, userdata, mid, reason_code_list, properties):\n\
                 \x20   for reason_code in reason_code_list:\n{}\
                 \n{client}client.on_connect = on_connect\nclient.on_subscribe = on_subscribe\n{run}",
                handle("        ", "\n# fix the filter before subscribing again")
            ),
            Packet::Unsuback => format!(
                "{head}def on_connect(client, userdata, flags, reason_code, properties):\n\
                 \x20   client.subscribe(\"sensors/#\", qos=1)\n\
                 \x20   client.unsubscribe(\"sensors/#\")\n\
                 \n\
                 def on_unsubscribe(client, userdata, mid, reason_code_list, properties):\n\
                 \x20   for reason_code in reason_code_list:\n{}\
                 \n{client}client.on_connect = on_connect\nclient.on_unsubscribe = on_unsubscribe\n{run}",
                handle("        ", "\n# check the filter text")
            ),
            Packet::Auth => format!(
                "{head}# paho-mqtt 2.x has no enhanced authentication: to paho an AUTH packet is\n\
                 # an unrecognised command, and it closes the connection. on_disconnect then\n\
                 # gets 128 Unspecified error (paho-mqtt 2.0, 2.1) or 130 Protocol error (2.2),\n\
                 # never the AUTH reason code {value} (0x{value:02X}).\n\
                 def on_disconnect(client, userdata, flags, reason_code, properties):\n\
                 \x20   print(f\"disconnected: {{reason_code}}\")\n\
                 \x20   client.disconnect()  # the broker would send AUTH again: stop\n\
                 \n{client}client.on_disconnect = on_disconnect\n{run}"
            ),
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
            zero.name_in(Packet::Disconnect),
            Some("Normal disconnection")
        );
        assert_eq!(zero.name_in(Packet::Suback), Some("Granted QoS 0"));
        assert_eq!(zero.name_in(Packet::Connack), Some("Success"));
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
            packet_mismatch(Protocol::V5, 162, Packet::Connack).unwrap(),
            "162 (0xA2) is not a CONNACK code; it appears in SUBACK, DISCONNECT."
        );
        assert!(find(Protocol::V5, 162).unwrap().erratum.is_some());
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
        let s = packet_mismatch(Protocol::V5, 0x99, Packet::Connack).unwrap();
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
        let connack = search(Protocol::V5, Some(Packet::Connack), "");
        assert_eq!(connack.len(), 21);
        assert!(connack.iter().all(|c| c.appears_in(Packet::Connack)));
    }

    fn snippet(v: Protocol, value: u8, packet: Option<Packet>) -> String {
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
        let s = snippet(Protocol::V5, 0xA2, Some(Packet::Connack));
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
            paho_name(0x86, Packet::Connack),
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
        let pubrec = snippet(Protocol::V5, 0x87, Some(Packet::Pubrec));
        assert!(
            pubrec.contains("ignores a PUBREC's reason code: it answers PUBREL anyway"),
            "{pubrec}"
        );
        assert!(!pubrec.contains("if reason_code == 135"));
        let pubcomp = snippet(Protocol::V5, 0x92, Some(Packet::Pubcomp));
        assert!(
            pubcomp.contains("def on_publish(") && pubcomp.contains("if reason_code == 146:"),
            "{pubcomp}"
        );
        assert!(pubcomp.contains("qos=2"));
        let auth = snippet(Protocol::V5, 0x18, Some(Packet::Auth));
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
