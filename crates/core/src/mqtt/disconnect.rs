//! DISCONNECT (§3.14) and AUTH (§3.15, MQTT 5 only): a reason code and
//! properties, both left out when they are 0 and empty. DISCONNECT may also
//! leave out the Property Length alone (§3.14.2.2.1: "If the Remaining Length
//! is less than 2, a value of 0 is used"); AUTH may not (§3.15.2.1 allows
//! leaving out both, §3.15.2.2.1 has no such default).

use super::coding::{Reader, Sec};
use super::error::{DecodeError, EncodeError};
use super::properties::{Properties, Props};
use super::types;
use super::{Protocol, ReasonCode};
use crate::protocol::PacketType;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Disconnect {
    pub code: ReasonCode,
    pub properties: Props,
}

/// The reason code's section.
fn code_section(t: PacketType) -> Sec {
    if t == PacketType::Auth {
        Sec("", "3.15.2.1")
    } else {
        Sec("", "3.14.2.1")
    }
}

impl Disconnect {
    pub(crate) fn read(r: &mut Reader, t: PacketType) -> Result<Disconnect, DecodeError> {
        let mut d = Disconnect::default();
        // 3.1.1 DISCONNECT has no variable header: any byte is caught as extra.
        if r.protocol == Protocol::V5 && !r.is_empty() {
            d.code = types::reason_code(r, t, code_section(t))?;
            if !r.is_empty() || t == PacketType::Auth {
                d.properties = Properties::read(r, t.into())?;
            }
        }
        Ok(d)
    }

    pub(crate) fn body(&self, p: Protocol, t: PacketType) -> Result<Vec<u8>, EncodeError> {
        let mut b = Vec::new();
        if p == Protocol::V5 {
            self.properties.check(t.into())?;
            // 0x00: Normal disconnection, or AUTH's Success.
            if self.code != ReasonCode::SUCCESS || !self.properties.is_empty() {
                b.push(self.code.0);
                if !self.properties.is_empty() || t == PacketType::Auth {
                    self.properties.write(&mut b);
                }
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
    fn disconnect_byte_literals() {
        assert_eq!(
            Packet::Disconnect(Disconnect::default())
                .encode(Protocol::V311)
                .unwrap(),
            [0xE0, 0]
        );
        let will = Disconnect {
            code: ReasonCode::DISCONNECT_WITH_WILL_MESSAGE,
            ..Disconnect::default()
        };
        assert_eq!(
            Packet::Disconnect(will).encode(Protocol::V5).unwrap(),
            [0xE0, 1, 0x04]
        );
        assert_eq!(
            decode(Protocol::V5, &[0xE0, 2, 0x8E, 0], None),
            Ok(Packet::Disconnect(Disconnect {
                code: ReasonCode::SESSION_TAKEN_OVER,
                ..Disconnect::default()
            }))
        );
        // Server Reference on DISCONNECT 0x9C (use another server).
        let Ok(Packet::Disconnect(d)) = decode(
            Protocol::V5,
            &[0xE0, 7, 0x9C, 5, 0x1C, 0, 2, b'h', b'2'],
            None,
        ) else {
            panic!()
        };
        assert_eq!(d.properties.server_reference.as_deref(), Some("h2"));
    }

    #[test]
    fn auth_keeps_its_property_length_unless_both_are_left_out() {
        // Found by the differential test (tests/diff): we wrote F0 01 18,
        // which mosquitto's handle__auth reads as malformed (it reads the
        // Property Length after the code) and mqtt-packet writes as F0 02 18 00.
        let cont = Disconnect {
            code: ReasonCode::CONTINUE_AUTHENTICATION,
            ..Disconnect::default()
        };
        assert_eq!(
            Packet::Auth(cont.clone()).encode(Protocol::V5).unwrap(),
            [0xF0, 2, 0x18, 0]
        );
        assert_eq!(
            decode(Protocol::V5, &[0xF0, 2, 0x18, 0], None),
            Ok(Packet::Auth(cont))
        );
        let e = decode(Protocol::V5, &[0xF0, 1, 0x18], None).unwrap_err();
        assert_eq!((e.kind, e.offset), (ErrorKind::Malformed, 3));
        // Remaining Length 0: Success, no properties (§3.15.2.1).
        assert_eq!(
            Packet::Auth(Disconnect::default())
                .encode(Protocol::V5)
                .unwrap(),
            [0xF0, 0]
        );
        // DISCONNECT may end after its code (§3.14.2.2.1).
        let taken_over = Disconnect {
            code: ReasonCode::SESSION_TAKEN_OVER,
            ..Disconnect::default()
        };
        assert_eq!(
            Packet::Disconnect(taken_over.clone())
                .encode(Protocol::V5)
                .unwrap(),
            [0xE0, 1, 0x8E]
        );
        assert_eq!(
            decode(Protocol::V5, &[0xE0, 1, 0x8E], None),
            Ok(Packet::Disconnect(taken_over))
        );
    }

    #[test]
    fn disconnect_rules() {
        // 3.1.1 DISCONNECT has nothing after the fixed header.
        assert_eq!(
            decode(Protocol::V311, &[0xE0, 1, 0], None)
                .unwrap_err()
                .kind,
            ErrorKind::Malformed
        );
        // 0x18 is an AUTH code, not a DISCONNECT code; and the reverse.
        assert!(decode(Protocol::V5, &[0xE0, 1, 0x18], None).is_err());
        assert!(decode(Protocol::V5, &[0xF0, 2, 0x18, 0], None).is_ok());
        assert!(decode(Protocol::V5, &[0xF0, 2, 0x8E, 0], None).is_err());
        // Session Expiry Interval is allowed in DISCONNECT, Topic Alias is not.
        assert!(decode(Protocol::V5, &[0xE0, 7, 0, 5, 0x11, 0, 0, 0, 1], None).is_ok());
        assert!(decode(Protocol::V5, &[0xE0, 5, 0, 3, 0x23, 0, 1], None).is_err());
        assert!(Packet::Auth(Disconnect::default())
            .encode(Protocol::V311)
            .is_err());
    }
}
