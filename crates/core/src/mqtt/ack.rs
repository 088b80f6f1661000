//! PUBACK, PUBREC, PUBREL and PUBCOMP (§3.4 to §3.7): one shape, a packet
//! identifier, and on MQTT 5 a reason code and properties that may be left
//! out when they are 0 and empty.

use super::coding::{self, Reader, Sec};
use super::error::{DecodeError, EncodeError, Rule};
use super::properties::{Properties, Props};
use super::types;
use super::{Protocol, ReasonCode};
use crate::protocol::PacketType;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Ack {
    pub packet_id: u16,
    /// Success on 3.1.1, which has no reason codes here.
    pub code: ReasonCode,
    pub properties: Props,
}

/// The reason code's section: §3.4.2.1 for PUBACK, §3.5.2.1 for PUBREC...
fn code_section(t: PacketType) -> Sec {
    match t {
        PacketType::Puback => Sec("", "3.4.2.1"),
        PacketType::Pubrec => Sec("", "3.5.2.1"),
        PacketType::Pubrel => Sec("", "3.6.2.1"),
        _ => Sec("", "3.7.2.1"),
    }
}

impl Ack {
    pub(crate) fn read(r: &mut Reader, t: PacketType) -> Result<Ack, DecodeError> {
        let packet_id = types::packet_id(r)?;
        let mut a = Ack {
            packet_id,
            ..Ack::default()
        };
        if r.protocol == Protocol::V5 {
            // Remaining Length 2: Success, no properties; 3: no properties.
            if !r.is_empty() {
                a.code = types::reason_code(r, t, code_section(t))?;
            }
            if !r.is_empty() {
                a.properties = Properties::read(r, t.into())?;
            }
        }
        Ok(a)
    }

    pub(crate) fn body(&self, p: Protocol, t: PacketType) -> Result<Vec<u8>, EncodeError> {
        if self.packet_id == 0 {
            return Err(EncodeError::new(
                format!("{} needs the Packet Identifier of its PUBLISH", t.name()),
                Rule {
                    v311: "[MQTT-2.3.1-6]",
                    v5: "[MQTT-2.2.1-5]",
                }
                .cite(p),
            ));
        }
        let mut b = Vec::with_capacity(4);
        coding::put_u16(&mut b, self.packet_id);
        if p == Protocol::V5 {
            self.properties.check(t.into())?;
            if self.code != ReasonCode::SUCCESS || !self.properties.is_empty() {
                b.push(self.code.0);
            }
            if !self.properties.is_empty() {
                self.properties.write(&mut b);
            }
        }
        Ok(b)
    }
}

#[cfg(test)]
mod tests {
    use super::super::error::ErrorKind;
    use super::super::packet::{decode, Packet};
    use super::*;

    #[test]
    fn the_three_lengths_of_a_5_ack() {
        let ok = Ack {
            packet_id: 5,
            ..Ack::default()
        };
        assert_eq!(
            decode(Protocol::V5, &[0x40, 2, 0, 5], None),
            Ok(Packet::Puback(ok.clone()))
        );
        assert_eq!(
            decode(Protocol::V5, &[0x40, 3, 0, 5, 0], None),
            Ok(Packet::Puback(ok.clone()))
        );
        assert_eq!(
            decode(Protocol::V5, &[0x40, 4, 0, 5, 0, 0], None),
            Ok(Packet::Puback(ok.clone()))
        );
        assert_eq!(
            Packet::Puback(ok).encode(Protocol::V5).unwrap(),
            [0x40, 2, 0, 5]
        );
        let no_subscribers = Ack {
            packet_id: 5,
            code: ReasonCode::NO_MATCHING_SUBSCRIBERS,
            ..Ack::default()
        };
        assert_eq!(
            Packet::Puback(no_subscribers.clone())
                .encode(Protocol::V5)
                .unwrap(),
            [0x40, 3, 0, 5, 0x10]
        );
        assert_eq!(
            decode(Protocol::V5, &[0x40, 3, 0, 5, 0x10], None),
            Ok(Packet::Puback(no_subscribers))
        );
        // Reason String "x".
        let with_reason = [0x50, 8, 0, 5, 0x87, 4, 0x1F, 0, 1, b'x'];
        let Ok(Packet::Pubrec(a)) = decode(Protocol::V5, &with_reason, None) else {
            panic!()
        };
        assert_eq!(
            (a.code, a.properties.reason_string.as_deref()),
            (ReasonCode::NOT_AUTHORIZED, Some("x"))
        );
        assert_eq!(Packet::Pubrec(a).encode(Protocol::V5).unwrap(), with_reason);
    }

    #[test]
    fn malformed_acks() {
        // 3.1.1 PUBACK of length 3.
        assert_eq!(
            decode(Protocol::V311, &[0x40, 3, 0, 5, 0], None)
                .unwrap_err()
                .kind,
            ErrorKind::Malformed
        );
        // Packet identifier 0.
        assert!(decode(Protocol::V5, &[0x40, 2, 0, 0], None)
            .unwrap_err()
            .what
            .contains("Packet Identifier 0"));
        // A property length that runs past the packet.
        let e = decode(Protocol::V5, &[0x40, 4, 0, 5, 0, 9], None).unwrap_err();
        assert_eq!((e.kind, e.offset), (ErrorKind::Malformed, 5));
        // 0x92 is a PUBREL/PUBCOMP code, not a PUBACK code.
        assert_eq!(
            decode(Protocol::V5, &[0x40, 3, 0, 5, 0x92], None)
                .unwrap_err()
                .kind,
            ErrorKind::ProtocolError
        );
        assert!(decode(Protocol::V5, &[0x62, 3, 0, 5, 0x92], None).is_ok());
        // PUBREL flags must be 0010.
        assert_eq!(
            decode(Protocol::V311, &[0x60, 2, 0, 1], None)
                .unwrap_err()
                .rule,
            "[MQTT-2.2.2-1]"
        );
    }
}
