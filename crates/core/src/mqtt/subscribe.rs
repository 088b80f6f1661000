//! SUBSCRIBE (§3.8) and SUBACK (§3.9).

use super::coding::{self, Reader, Sec};
use super::error::{DecodeError, EncodeError, ErrorKind, Rule};
use super::properties::{Properties, Props};
use super::topic;
use super::types::{self, QoS};
use super::{Protocol, ReasonCode};
use crate::protocol::PacketType;

/// One topic filter with its options (5.0 §3.8.3.1; 3.1.1 has the QoS only).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Subscription {
    pub filter: String,
    pub qos: QoS,
    /// 5.0: do not send me my own messages.
    pub no_local: bool,
    /// 5.0: keep the RETAIN flag as published, instead of 0 for live messages.
    pub retain_as_published: bool,
    /// 5.0: 0 send retained messages at subscribe, 1 only for a new
    /// subscription, 2 never.
    pub retain_handling: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Subscribe {
    pub packet_id: u16,
    pub properties: Props,
    pub filters: Vec<Subscription>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Suback {
    pub packet_id: u16,
    pub properties: Props,
    /// One per filter: granted QoS (0-2) or a failure (0x80 and above).
    pub codes: Vec<ReasonCode>,
}

const FILTER: Sec = Sec("3.8.3", "3.8.3");
const OPTIONS: Sec = Sec("3.8.3", "3.8.3.1");
const SUBACK_CODES: Sec = Sec("3.9.3", "3.9.3");
const AT_LEAST_ONE: Rule = Rule {
    v311: "[MQTT-3.8.3-3]",
    v5: "[MQTT-3.8.3-2]",
};

impl Subscribe {
    pub(crate) fn read(r: &mut Reader) -> Result<Subscribe, DecodeError> {
        let p = r.protocol;
        let packet_id = types::packet_id(r)?;
        let properties = if p == Protocol::V5 {
            Properties::read(r, PacketType::Subscribe.into())?
        } else {
            Props::default()
        };
        let mut filters = Vec::new();
        while !r.is_empty() {
            let group = r.open_group("Subscription", FILTER);
            let filter = r.utf8_field("Topic Filter", FILTER)?.to_string();
            let at = r.pos();
            let o = r.u8("the Subscription Options")?;
            let reserved = if p == Protocol::V5 {
                o & 0xC0
            } else {
                o & 0xFC
            };
            if reserved != 0 {
                return Err(r.error_at(
                    at,
                    ErrorKind::Malformed,
                    format!("reserved bits of the subscription options are set ({o:08b})"),
                    Rule {
                        v311: "§3.8.3.1",
                        v5: "[MQTT-3.8.3-5]",
                    },
                ));
            }
            let qos = QoS::from_u8(o & 3).ok_or_else(|| {
                r.error_at(
                    at,
                    ErrorKind::Malformed,
                    "requested QoS 3",
                    Rule::both("§3.8.3.1"),
                )
            })?;
            let s = Subscription {
                filter,
                qos,
                no_local: o & 0x04 != 0,
                retain_as_published: o & 0x08 != 0,
                retain_handling: (o >> 4) & 3,
            };
            if s.retain_handling == 3 {
                return Err(r.error_at(
                    at,
                    ErrorKind::ProtocolError,
                    "Retain Handling 3",
                    Rule::both("§3.8.3.1"),
                ));
            }
            if s.no_local && topic::shared(&s.filter).is_some() {
                return Err(r.error_at(
                    at,
                    ErrorKind::ProtocolError,
                    "No Local on a shared subscription",
                    Rule {
                        v311: "",
                        v5: "[MQTT-3.8.3-4]",
                    },
                ));
            }
            r.mark(
                at,
                if p == Protocol::V5 {
                    "Subscription Options"
                } else {
                    "Requested QoS"
                },
                OPTIONS,
                &|| {
                    if p == Protocol::V5 {
                        format!(
                            "QoS {}, No Local {}, Retain As Published {}, Retain Handling {}",
                            s.qos.as_u8(),
                            u8::from(s.no_local),
                            u8::from(s.retain_as_published),
                            s.retain_handling
                        )
                    } else {
                        format!("QoS {}", s.qos.as_u8())
                    }
                },
            );
            let shown = coding::quote(&s.filter);
            r.close_group(group, &|| shown.clone());
            filters.push(s);
        }
        if filters.is_empty() {
            return Err(r.error(
                ErrorKind::ProtocolError,
                "SUBSCRIBE without a topic filter",
                AT_LEAST_ONE,
            ));
        }
        Ok(Subscribe {
            packet_id,
            properties,
            filters,
        })
    }

    pub(crate) fn body(&self, p: Protocol) -> Result<Vec<u8>, EncodeError> {
        if self.packet_id == 0 {
            return Err(EncodeError::new(
                "SUBSCRIBE needs a Packet Identifier",
                types::NEW_ID.cite(p),
            ));
        }
        if self.filters.is_empty() {
            return Err(EncodeError::new(
                "SUBSCRIBE needs at least one topic filter",
                AT_LEAST_ONE.cite(p),
            ));
        }
        let mut b = Vec::new();
        coding::put_u16(&mut b, self.packet_id);
        if p == Protocol::V5 {
            self.properties.check(PacketType::Subscribe.into())?;
            self.properties.write(&mut b);
        }
        for s in &self.filters {
            topic::check_filter(&s.filter).map_err(|why| {
                EncodeError::new(
                    format!("the topic filter {} {why}", coding::quote(&s.filter)),
                    topic::FILTER_RULE.cite(p),
                )
            })?;
            coding::check_str(p, "the topic filter", &s.filter)?;
            let mut o = s.qos.as_u8();
            if p == Protocol::V5 {
                if s.retain_handling > 2 {
                    return Err(EncodeError::new("Retain Handling is 0, 1 or 2", "§3.8.3.1"));
                }
                if s.no_local && topic::shared(&s.filter).is_some() {
                    return Err(EncodeError::new(
                        "No Local cannot be set on a shared subscription",
                        "[MQTT-3.8.3-4]",
                    ));
                }
                o |= u8::from(s.no_local) << 2
                    | u8::from(s.retain_as_published) << 3
                    | s.retain_handling << 4;
            }
            coding::put_bytes(&mut b, s.filter.as_bytes());
            b.push(o);
        }
        Ok(b)
    }
}

impl Suback {
    pub(crate) fn read(r: &mut Reader) -> Result<Suback, DecodeError> {
        let packet_id = types::packet_id(r)?;
        let properties = if r.protocol == Protocol::V5 {
            Properties::read(r, PacketType::Suback.into())?
        } else {
            Props::default()
        };
        let mut codes = Vec::new();
        while !r.is_empty() {
            codes.push(types::reason_code(r, PacketType::Suback, SUBACK_CODES)?);
        }
        if codes.is_empty() {
            return Err(r.error(
                ErrorKind::ProtocolError,
                "SUBACK without a reason code: it has one per topic filter",
                Rule::both("§3.9.3"),
            ));
        }
        Ok(Suback {
            packet_id,
            properties,
            codes,
        })
    }

    pub(crate) fn body(&self, p: Protocol) -> Result<Vec<u8>, EncodeError> {
        let mut b = Vec::new();
        coding::put_u16(&mut b, self.packet_id);
        if p == Protocol::V5 {
            self.properties.check(PacketType::Suback.into())?;
            self.properties.write(&mut b);
        }
        for c in &self.codes {
            b.push(c.0);
        }
        Ok(b)
    }
}

#[cfg(test)]
mod tests {
    use super::super::packet::{decode, Packet};
    use super::*;

    fn sub(filter: &str, qos: QoS) -> Subscription {
        Subscription {
            filter: filter.into(),
            qos,
            ..Subscription::default()
        }
    }

    #[test]
    fn subscribe_byte_literals() {
        let s = Subscribe {
            packet_id: 1,
            filters: vec![sub("a/b", QoS::AtLeastOnce)],
            ..Subscribe::default()
        };
        let v311 = [0x82, 8, 0, 1, 0, 3, b'a', b'/', b'b', 1];
        assert_eq!(
            Packet::Subscribe(s.clone()).encode(Protocol::V311).unwrap(),
            v311
        );
        assert_eq!(
            decode(Protocol::V311, &v311, None),
            Ok(Packet::Subscribe(s))
        );
        // 5.0: No Local, Retain As Published, Retain Handling 2, QoS 2 = 0b101110.
        let s5 = Subscribe {
            packet_id: 1,
            filters: vec![Subscription {
                filter: "a".into(),
                qos: QoS::ExactlyOnce,
                no_local: true,
                retain_as_published: true,
                retain_handling: 2,
            }],
            ..Subscribe::default()
        };
        let v5 = [0x82, 7, 0, 1, 0, 0, 1, b'a', 0x2E];
        assert_eq!(
            Packet::Subscribe(s5.clone()).encode(Protocol::V5).unwrap(),
            v5
        );
        assert_eq!(decode(Protocol::V5, &v5, None), Ok(Packet::Subscribe(s5)));
    }

    #[test]
    fn subscribe_rules() {
        // No filter at all.
        assert_eq!(
            decode(Protocol::V311, &[0x82, 2, 0, 1], None)
                .unwrap_err()
                .rule,
            "[MQTT-3.8.3-3]"
        );
        // Reserved option bits.
        assert_eq!(
            decode(Protocol::V5, &[0x82, 7, 0, 1, 0, 0, 1, b'a', 0x40], None)
                .unwrap_err()
                .rule,
            "[MQTT-3.8.3-5]"
        );
        assert_eq!(
            decode(Protocol::V311, &[0x82, 6, 0, 1, 0, 1, b'a', 0x04], None)
                .unwrap_err()
                .kind,
            ErrorKind::Malformed
        );
        // An invalid filter is refused before it is sent.
        let bad = Subscribe {
            packet_id: 1,
            filters: vec![sub("sport+", QoS::AtMostOnce)],
            ..Subscribe::default()
        };
        assert_eq!(
            Packet::Subscribe(bad)
                .encode(Protocol::V5)
                .unwrap_err()
                .rule,
            "[MQTT-4.7.1-1]"
        );
    }

    #[test]
    fn suback_codes() {
        let ok = decode(Protocol::V5, &[0x90, 5, 0, 1, 0, 0x01, 0x80], None);
        assert_eq!(
            ok,
            Ok(Packet::Suback(Suback {
                packet_id: 1,
                codes: vec![ReasonCode::GRANTED_QOS_1, ReasonCode::UNSPECIFIED_ERROR],
                ..Suback::default()
            }))
        );
        // 3.1.1 allows 0, 1, 2 and 0x80 only; 5.0 refuses a non-SUBACK code.
        assert!(decode(Protocol::V311, &[0x90, 3, 0, 1, 0x87], None).is_err());
        assert!(decode(Protocol::V5, &[0x90, 4, 0, 1, 0, 0x87], None).is_ok());
        assert!(decode(Protocol::V5, &[0x90, 4, 0, 1, 0, 0x92], None).is_err());
        assert!(decode(Protocol::V5, &[0x90, 3, 0, 1, 0], None)
            .unwrap_err()
            .what
            .contains("one per topic filter"));
    }

    #[test]
    fn a_subscribe_without_filters_is_not_sent() {
        let none = Subscribe {
            packet_id: 1,
            ..Subscribe::default()
        };
        assert_eq!(
            Packet::Subscribe(none.clone())
                .encode(Protocol::V311)
                .unwrap_err()
                .rule,
            "[MQTT-3.8.3-3]"
        );
        assert_eq!(
            Packet::Subscribe(none)
                .encode(Protocol::V5)
                .unwrap_err()
                .rule,
            "[MQTT-3.8.3-2]"
        );
    }
}
