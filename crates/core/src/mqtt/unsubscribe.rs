//! UNSUBSCRIBE (§3.10) and UNSUBACK (§3.11).

use super::coding::{self, Reader, Sec};
use super::error::{DecodeError, EncodeError, ErrorKind, Rule};
use super::properties::{Properties, Props};
use super::topic;
use super::types;
use super::{Protocol, ReasonCode};
use crate::protocol::PacketType;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Unsubscribe {
    pub packet_id: u16,
    pub properties: Props,
    pub filters: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Unsuback {
    pub packet_id: u16,
    pub properties: Props,
    /// 5.0: one per filter; 3.1.1 has none.
    pub codes: Vec<ReasonCode>,
}

const FILTER: Sec = Sec("3.10.3", "3.10.3");
const UNSUBACK_CODES: Sec = Sec("3.11.3", "3.11.3");
const AT_LEAST_ONE: Rule = Rule::both("[MQTT-3.10.3-2]");

impl Unsubscribe {
    pub(crate) fn read(r: &mut Reader) -> Result<Unsubscribe, DecodeError> {
        let packet_id = types::packet_id(r)?;
        let properties = if r.protocol == Protocol::V5 {
            Properties::read(r, PacketType::Unsubscribe.into())?
        } else {
            Props::default()
        };
        let mut filters = Vec::new();
        while !r.is_empty() {
            filters.push(r.utf8_field("Topic Filter", FILTER)?.to_string());
        }
        if filters.is_empty() {
            return Err(r.error(
                ErrorKind::ProtocolError,
                "UNSUBSCRIBE without a topic filter",
                AT_LEAST_ONE,
            ));
        }
        Ok(Unsubscribe {
            packet_id,
            properties,
            filters,
        })
    }

    pub(crate) fn body(&self, p: Protocol) -> Result<Vec<u8>, EncodeError> {
        if self.packet_id == 0 {
            return Err(EncodeError::new(
                "UNSUBSCRIBE needs a Packet Identifier",
                types::NEW_ID.cite(p),
            ));
        }
        if self.filters.is_empty() {
            return Err(EncodeError::new(
                "UNSUBSCRIBE needs at least one topic filter",
                AT_LEAST_ONE.cite(p),
            ));
        }
        let mut b = Vec::new();
        coding::put_u16(&mut b, self.packet_id);
        if p == Protocol::V5 {
            self.properties.check(PacketType::Unsubscribe.into())?;
            self.properties.write(&mut b);
        }
        for f in &self.filters {
            topic::check_filter(f).map_err(|why| {
                EncodeError::new(
                    format!("the topic filter {} {why}", coding::quote(f)),
                    topic::FILTER_RULE.cite(p),
                )
            })?;
            coding::check_str(p, "the topic filter", f)?;
            coding::put_bytes(&mut b, f.as_bytes());
        }
        Ok(b)
    }
}

impl Unsuback {
    pub(crate) fn read(r: &mut Reader) -> Result<Unsuback, DecodeError> {
        let packet_id = types::packet_id(r)?;
        let mut u = Unsuback {
            packet_id,
            ..Unsuback::default()
        };
        if r.protocol == Protocol::V5 {
            u.properties = Properties::read(r, PacketType::Unsuback.into())?;
            while !r.is_empty() {
                u.codes
                    .push(types::reason_code(r, PacketType::Unsuback, UNSUBACK_CODES)?);
            }
            if u.codes.is_empty() {
                return Err(r.error(
                    ErrorKind::ProtocolError,
                    "UNSUBACK without a reason code: it has one per topic filter",
                    Rule::both("§3.11.3"),
                ));
            }
        }
        Ok(u)
    }

    pub(crate) fn body(&self, p: Protocol) -> Result<Vec<u8>, EncodeError> {
        let mut b = Vec::new();
        coding::put_u16(&mut b, self.packet_id);
        if p == Protocol::V5 {
            self.properties.check(PacketType::Unsuback.into())?;
            self.properties.write(&mut b);
            for c in &self.codes {
                b.push(c.0);
            }
        }
        Ok(b)
    }
}

#[cfg(test)]
mod tests {
    use super::super::packet::{decode, Packet};
    use super::*;

    #[test]
    fn unsubscribe_byte_literals() {
        let u = Unsubscribe {
            packet_id: 2,
            filters: vec!["a/#".into()],
            ..Unsubscribe::default()
        };
        let v5 = [0xA2, 8, 0, 2, 0, 0, 3, b'a', b'/', b'#'];
        assert_eq!(
            Packet::Unsubscribe(u.clone()).encode(Protocol::V5).unwrap(),
            v5
        );
        assert_eq!(decode(Protocol::V5, &v5, None), Ok(Packet::Unsubscribe(u)));
        assert_eq!(
            decode(Protocol::V311, &[0xB0, 2, 0, 2], None),
            Ok(Packet::Unsuback(Unsuback {
                packet_id: 2,
                ..Unsuback::default()
            }))
        );
        assert_eq!(
            decode(Protocol::V5, &[0xB0, 5, 0, 2, 0, 0x11, 0], None),
            Ok(Packet::Unsuback(Unsuback {
                packet_id: 2,
                codes: vec![ReasonCode::NO_SUBSCRIPTION_EXISTED, ReasonCode::SUCCESS],
                ..Unsuback::default()
            }))
        );
    }

    #[test]
    fn unsubscribe_rules() {
        assert_eq!(
            decode(Protocol::V5, &[0xA2, 3, 0, 2, 0], None)
                .unwrap_err()
                .rule,
            "[MQTT-3.10.3-2]"
        );
        // 3.1.1 UNSUBACK of length 3, 5.0 UNSUBACK without codes.
        assert!(decode(Protocol::V311, &[0xB0, 3, 0, 2, 0], None).is_err());
        assert!(decode(Protocol::V5, &[0xB0, 3, 0, 2, 0], None).is_err());
        // UNSUBSCRIBE flags must be 0010.
        assert!(decode(Protocol::V5, &[0xA0, 3, 0, 2, 0], None).is_err());
    }

    #[test]
    fn an_unsubscribe_without_filters_is_not_sent() {
        let none = Unsubscribe {
            packet_id: 2,
            ..Unsubscribe::default()
        };
        assert_eq!(
            Packet::Unsubscribe(none)
                .encode(Protocol::V311)
                .unwrap_err()
                .rule,
            "[MQTT-3.10.3-2]"
        );
    }
}
