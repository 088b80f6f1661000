//! What every packet file shares, below them all: the quality of service,
//! who may send each packet type, and the two fields many packets carry (a
//! packet identifier, a reason code). `packet` dispatches to the
//! per-packet files; they take these from here, so no packet file imports
//! the dispatch back.

use super::coding::{Reader, Sec};
use super::error::{DecodeError, ErrorKind, Rule};
use crate::protocol::{PacketType, Protocol};
use crate::reason_codes::ReasonCode;

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

/// Who may send a packet type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    Client,
    Server,
    Both,
}

/// What the codec knows of each packet type beyond its name (the type itself
/// is the workspace's, in `protocol.rs`).
impl PacketType {
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
pub(crate) fn reason_code(
    r: &mut Reader,
    t: PacketType,
    sec: Sec,
) -> Result<ReasonCode, DecodeError> {
    let p = r.protocol;
    let start = r.pos();
    let code = ReasonCode(r.u8("the Reason Code")?);
    let valid = match (p, t) {
        // 3.1.1 SUBACK: 0x00, 0x01, 0x02 granted, 0x80 failure (§3.9.3).
        (Protocol::V311, PacketType::Suback) => {
            code.granted_qos().is_some() || code == ReasonCode::V311_FAILURE
        }
        // 3.1.1 CONNACK: 6-255 are reserved, but a client must still read
        // them as a refusal (§3.2.2.3).
        (Protocol::V311, _) => true,
        // §3.2.2.2 lists 0x99 for CONNACK, though Table 2-6 does not.
        (Protocol::V5, PacketType::Connack) if code == ReasonCode::PAYLOAD_FORMAT_INVALID => true,
        (Protocol::V5, _) => code.appears_in(p, t),
    };
    if !valid {
        return Err(r.error_at(
            start,
            ErrorKind::ProtocolError,
            format!("0x{:02X} is not a {} reason code", code.0, t.name()),
            Rule {
                v311: "§3.9.3",
                v5: "§2.4",
            },
        ));
    }
    r.mark(start, reason_code_name(p), sec, &|| code.describe(p, t));
    Ok(code)
}

fn reason_code_name(p: Protocol) -> &'static str {
    match p {
        Protocol::V311 => "Return Code",
        Protocol::V5 => "Reason Code",
    }
}
