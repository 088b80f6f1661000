//! CONNACK (§3.2): the broker's answer to CONNECT.

use super::coding::{Reader, Sec};
use super::error::{DecodeError, EncodeError, ErrorKind, Rule};
use super::properties::{Properties, Props};
use super::types;
use super::{Protocol, ReasonCode};
use crate::protocol::PacketType;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connack {
    pub session_present: bool,
    /// MQTT 5 reason code, or 3.1.1 return code (see `protocol`).
    pub code: ReasonCode,
    pub properties: Props,
    /// The version the answer is in. A 3.1.1-only broker answers a 5.0
    /// CONNECT with a two-byte 3.1.1 CONNACK, usually return code 1
    /// (unacceptable protocol version): its code is then a 3.1.1 code.
    pub protocol: Protocol,
}

impl Default for Connack {
    fn default() -> Self {
        Self {
            session_present: false,
            code: ReasonCode::SUCCESS,
            properties: Props::default(),
            protocol: Protocol::V5,
        }
    }
}

const FLAGS: Sec = Sec("3.2.2.1", "3.2.2.1");
const CODE: Sec = Sec("3.2.2.3", "3.2.2.2");

impl Connack {
    pub(crate) fn read(r: &mut Reader) -> Result<Connack, DecodeError> {
        // A two-byte answer to a 5.0 CONNECT is a 3.1.1 CONNACK.
        if r.protocol == Protocol::V5 && r.remaining() == 2 {
            r.protocol = Protocol::V311;
        }
        let p = r.protocol;
        if p == Protocol::V311 && r.remaining() != 2 {
            return Err(r.error(
                ErrorKind::Malformed,
                format!(
                    "a 3.1.1 CONNACK has 2 bytes after the fixed header, not {}",
                    r.remaining()
                ),
                Rule::both("§3.2"),
            ));
        }
        let at = r.pos();
        let flags = r.u8("the Connect Acknowledge Flags")?;
        if flags & 0xFE != 0 {
            return Err(r.error_at(
                at,
                ErrorKind::Malformed,
                format!("reserved bits of the Connect Acknowledge Flags are set ({flags:08b})"),
                Rule {
                    v311: "§3.2.2.1",
                    v5: "[MQTT-3.2.2-1]",
                },
            ));
        }
        let session_present = flags & 1 == 1;
        r.mark(at, "Session Present", FLAGS, &|| (flags & 1).to_string());
        let code = types::reason_code(r, PacketType::Connack, CODE)?;
        // 0 accepts in both versions (3.1.1: Connection Accepted).
        if code != ReasonCode::SUCCESS && session_present {
            return Err(r.error_at(
                at,
                ErrorKind::ProtocolError,
                "Session Present is 1 in a CONNACK that refuses the connection",
                Rule {
                    v311: "[MQTT-3.2.2-4]",
                    v5: "[MQTT-3.2.2-6]",
                },
            ));
        }
        let properties = if p == Protocol::V5 {
            Properties::read(r, PacketType::Connack.into())?
        } else {
            Props::default()
        };
        Ok(Connack {
            session_present,
            code,
            properties,
            protocol: p,
        })
    }

    pub(crate) fn body(&self, p: Protocol) -> Result<Vec<u8>, EncodeError> {
        let mut b = vec![u8::from(self.session_present), self.code.0];
        if p == Protocol::V5 && self.protocol == Protocol::V5 {
            self.properties.check(PacketType::Connack.into())?;
            self.properties.write(&mut b);
        }
        Ok(b)
    }
}

#[cfg(test)]
mod tests {
    use super::super::packet::{decode, Packet};
    use super::*;

    fn connack(p: Protocol, bytes: &[u8]) -> Result<Connack, DecodeError> {
        decode(p, bytes, None).map(|x| match x {
            Packet::Connack(c) => c,
            other => panic!("{other:?}"),
        })
    }

    #[test]
    fn accepted_and_refused() {
        assert_eq!(
            connack(Protocol::V311, &[0x20, 2, 1, 0]).unwrap(),
            Connack {
                session_present: true,
                protocol: Protocol::V311,
                ..Connack::default()
            }
        );
        // MQTT 5 0x86 with Receive Maximum 10.
        let c = connack(Protocol::V5, &[0x20, 6, 0, 0x86, 3, 0x21, 0, 10]).unwrap();
        assert_eq!(
            (c.code, c.properties.receive_maximum),
            (ReasonCode::BAD_USER_NAME_OR_PASSWORD, Some(10))
        );
    }

    #[test]
    fn a_311_answer_to_a_5_connect_is_read_as_311() {
        // mosquitto configured for 3.1.1 only, or any 3.1.1 broker: return code 1.
        let c = connack(Protocol::V5, &[0x20, 2, 0, 1]).unwrap();
        assert_eq!(
            (c.protocol, c.code),
            (
                Protocol::V311,
                ReasonCode::V311_UNACCEPTABLE_PROTOCOL_VERSION
            )
        );
        assert_eq!(
            c.code.describe(c.protocol, PacketType::Connack),
            "0x01 Connection Refused, unacceptable protocol version"
        );
    }

    #[test]
    fn wrong_lengths_reserved_bits_and_session_present_on_refusal() {
        assert!(connack(Protocol::V311, &[0x20, 3, 0, 0, 0])
            .unwrap_err()
            .what
            .contains("2 bytes"));
        assert_eq!(
            connack(Protocol::V5, &[0x20, 3, 2, 0, 0]).unwrap_err().rule,
            "[MQTT-3.2.2-1]"
        );
        assert_eq!(
            connack(Protocol::V5, &[0x20, 3, 1, 0x87, 0])
                .unwrap_err()
                .rule,
            "[MQTT-3.2.2-6]"
        );
        assert_eq!(
            connack(Protocol::V311, &[0x20, 2, 1, 5]).unwrap_err().rule,
            "[MQTT-3.2.2-4]"
        );
        // A property length that runs past the packet.
        let e = connack(Protocol::V5, &[0x20, 4, 0, 0, 5, 0x21]).unwrap_err();
        assert_eq!((e.offset, e.kind), (4, ErrorKind::Malformed));
        // Not a CONNACK reason code: 0x10 (No matching subscribers).
        assert_eq!(
            connack(Protocol::V5, &[0x20, 3, 0, 0x10, 0])
                .unwrap_err()
                .kind,
            ErrorKind::ProtocolError
        );
    }

    #[test]
    fn properties_are_parsed_and_checked() {
        // Receive Maximum 0, Maximum QoS 2: values the spec forbids.
        let e = connack(Protocol::V5, &[0x20, 6, 0, 0, 3, 0x21, 0, 0]).unwrap_err();
        assert_eq!((e.kind, e.offset), (ErrorKind::ProtocolError, 5));
        let e = connack(Protocol::V5, &[0x20, 5, 0, 0, 2, 0x24, 2]).unwrap_err();
        assert!(e.what.contains("Maximum QoS = 2"), "{e}");
        // Twice Server Keep Alive.
        let e = connack(Protocol::V5, &[0x20, 9, 0, 0, 6, 0x13, 0, 5, 0x13, 0, 6]).unwrap_err();
        assert!(e.what.contains("twice"), "{e}");
        // Topic Alias (PUBLISH only) and an unknown identifier 0x7F.
        let e = connack(Protocol::V5, &[0x20, 6, 0, 0, 3, 0x23, 0, 1]).unwrap_err();
        assert!(e.what.contains("not allowed in CONNACK"), "{e}");
        let e = connack(Protocol::V5, &[0x20, 5, 0, 0, 2, 0x7F, 0]).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Malformed);
        // An Assigned Client Identifier that is not UTF-8.
        let e = connack(Protocol::V5, &[0x20, 8, 0, 0, 5, 0x12, 0, 2, 0xC3, 0x28]).unwrap_err();
        assert_eq!(e.rule, "[MQTT-1.5.4-1]");
        // All of them, well-formed.
        let c = connack(
            Protocol::V5,
            &[
                0x20, 19, 0, 0, 16, 0x13, 0, 20, 0x21, 0, 2, 0x27, 0, 0, 0, 128, 0x22, 0, 0, 0x24,
                1,
            ],
        )
        .unwrap();
        let pr = c.properties;
        assert_eq!(
            (
                pr.server_keep_alive,
                pr.receive_maximum,
                pr.maximum_packet_size,
                pr.topic_alias_maximum,
                pr.maximum_qos
            ),
            (Some(20), Some(2), Some(128), Some(0), Some(1))
        );
    }
}
