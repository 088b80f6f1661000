//! What every packet file shares, below them all: the quality of service,
//! the packet types, who may send each, and the two fields many packets
//! carry (a packet identifier, a reason code). `packet` dispatches to the
//! per-packet files; they take these from here, so no packet file imports
//! the dispatch back.

use super::coding::{Reader, Sec};
use super::error::{DecodeError, ErrorKind, Rule};
use super::Protocol;
use crate::reason_codes;

/// Quality of service (§4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub enum QoS {
    #[default]
    AtMostOnce = 0,
    AtLeastOnce = 1,
    ExactlyOnce = 2,
}

impl QoS {
    pub fn from_u8(v: u8) -> Option<QoS> {
        match v {
            0 => Some(QoS::AtMostOnce),
            1 => Some(QoS::AtLeastOnce),
            2 => Some(QoS::ExactlyOnce),
            _ => None,
        }
    }
    pub fn as_u8(self) -> u8 {
        self as u8
    }
}

/// The packet types of the fixed header (5.0 Table 2-1, 3.1.1 Table 2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum PacketType {
    Connect = 1,
    Connack,
    Publish,
    Puback,
    Pubrec,
    Pubrel,
    Pubcomp,
    Subscribe,
    Suback,
    Unsubscribe,
    Unsuback,
    Pingreq,
    Pingresp,
    Disconnect,
    Auth,
}

/// Who may send a packet type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    Client,
    Server,
    Both,
}

impl PacketType {
    pub fn from_u8(v: u8) -> Option<PacketType> {
        use PacketType::*;
        Some(match v {
            1 => Connect,
            2 => Connack,
            3 => Publish,
            4 => Puback,
            5 => Pubrec,
            6 => Pubrel,
            7 => Pubcomp,
            8 => Subscribe,
            9 => Suback,
            10 => Unsubscribe,
            11 => Unsuback,
            12 => Pingreq,
            13 => Pingresp,
            14 => Disconnect,
            15 => Auth,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        use PacketType::*;
        match self {
            Connect => "CONNECT",
            Connack => "CONNACK",
            Publish => "PUBLISH",
            Puback => "PUBACK",
            Pubrec => "PUBREC",
            Pubrel => "PUBREL",
            Pubcomp => "PUBCOMP",
            Subscribe => "SUBSCRIBE",
            Suback => "SUBACK",
            Unsubscribe => "UNSUBSCRIBE",
            Unsuback => "UNSUBACK",
            Pingreq => "PINGREQ",
            Pingresp => "PINGRESP",
            Disconnect => "DISCONNECT",
            Auth => "AUTH",
        }
    }

    /// The section that defines the packet (§3.1 to §3.15).
    pub fn section(self) -> &'static str {
        use PacketType::*;
        match self {
            Connect => "3.1",
            Connack => "3.2",
            Publish => "3.3",
            Puback => "3.4",
            Pubrec => "3.5",
            Pubrel => "3.6",
            Pubcomp => "3.7",
            Subscribe => "3.8",
            Suback => "3.9",
            Unsubscribe => "3.10",
            Unsuback => "3.11",
            Pingreq => "3.12",
            Pingresp => "3.13",
            Disconnect => "3.14",
            Auth => "3.15",
        }
    }

    /// The direction column of Table 2-1 (3.1.1: DISCONNECT is the client's only).
    pub fn sender(self, p: Protocol) -> Sender {
        use PacketType::*;
        match self {
            Connect | Subscribe | Unsubscribe | Pingreq => Sender::Client,
            Connack | Suback | Unsuback | Pingresp => Sender::Server,
            Disconnect if p == Protocol::V311 => Sender::Client,
            _ => Sender::Both,
        }
    }

    /// The fixed-header flags this type must carry (all but PUBLISH):
    /// 0010 for PUBREL, SUBSCRIBE and UNSUBSCRIBE, 0000 for the rest.
    pub(crate) fn required_flags(self) -> Option<u8> {
        use PacketType::*;
        match self {
            Publish => None,
            Pubrel | Subscribe | Unsubscribe => Some(0b0010),
            _ => Some(0),
        }
    }

    /// The reason-code table's name for this packet, where it has codes.
    pub(crate) fn codes(self) -> Option<reason_codes::Packet> {
        use reason_codes::Packet as R;
        Some(match self {
            PacketType::Connack => R::Connack,
            PacketType::Puback => R::Puback,
            PacketType::Pubrec => R::Pubrec,
            PacketType::Pubrel => R::Pubrel,
            PacketType::Pubcomp => R::Pubcomp,
            PacketType::Suback => R::Suback,
            PacketType::Unsuback => R::Unsuback,
            PacketType::Disconnect => R::Disconnect,
            PacketType::Auth => R::Auth,
            _ => return None,
        })
    }
}

/// A new SUBSCRIBE, UNSUBSCRIBE or QoS > 0 PUBLISH carries a non-zero,
/// unused Packet Identifier.
pub(crate) const NEW_ID: Rule = Rule {
    v311: "[MQTT-2.3.1-1]",
    v5: "[MQTT-2.2.1-3]",
};

/// Reads a packet identifier that must not be 0 (5.0 §2.2.1, 3.1.1 §2.3.1).
pub(crate) fn packet_id(r: &mut Reader) -> Result<u16, DecodeError> {
    let start = r.pos();
    let id = r.u16_field("Packet Identifier", Sec("2.3.1", "2.2.1"))?;
    if id == 0 {
        return Err(r.error_at(
            start,
            ErrorKind::Malformed,
            "Packet Identifier 0: identifiers are from 1 to 65,535",
            NEW_ID,
        ));
    }
    Ok(id)
}

/// Reads a reason code and checks that Table 2-6 (3.1.1: the packet's own
/// table) allows it in packet `t`.
pub(crate) fn reason_code(r: &mut Reader, t: PacketType, sec: Sec) -> Result<u8, DecodeError> {
    let p = r.protocol;
    let start = r.pos();
    let code = r.u8("the Reason Code")?;
    let valid = match (p, t) {
        // 3.1.1 SUBACK: 0x00, 0x01, 0x02 granted, 0x80 failure (§3.9.3).
        (Protocol::V311, PacketType::Suback) => matches!(code, 0..=2 | 0x80),
        // 3.1.1 CONNACK: 6-255 are reserved, but a client must still read
        // them as a refusal (§3.2.2.3).
        (Protocol::V311, _) => true,
        // §3.2.2.2 lists 0x99 for CONNACK, though Table 2-6 does not.
        (Protocol::V5, PacketType::Connack) if code == 0x99 => true,
        (Protocol::V5, _) => reason_codes::find_short(p, code)
            .is_some_and(|c| t.codes().is_some_and(|pk| c.appears_in(pk))),
    };
    if !valid {
        return Err(r.error_at(
            start,
            ErrorKind::ProtocolError,
            format!("0x{code:02X} is not a {} reason code", t.name()),
            Rule {
                v311: "§3.9.3",
                v5: "§2.4",
            },
        ));
    }
    r.mark(start, reason_code_name(p), sec, &|| {
        describe_code(p, t, code)
    });
    Ok(code)
}

fn reason_code_name(p: Protocol) -> &'static str {
    match p {
        Protocol::V311 => "Return Code",
        Protocol::V5 => "Reason Code",
    }
}

/// "0x87 Not authorized" with the name it has in packet `t`.
pub fn describe_code(p: Protocol, t: PacketType, code: u8) -> String {
    let name = reason_codes::find_short(p, code).and_then(|c| match t.codes() {
        Some(pk) => c.name_in(pk),
        None => c.names.first().map(|(_, n)| *n),
    });
    match (p, t, name) {
        (Protocol::V311, PacketType::Suback, _) if code <= 2 => {
            format!("0x{code:02X} Success, maximum QoS {code}")
        }
        (_, _, Some(n)) => format!("0x{code:02X} {n}"),
        _ => format!("0x{code:02X}"),
    }
}
