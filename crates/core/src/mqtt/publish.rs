//! PUBLISH (§3.3): an application message, in either direction.

use super::coding::{self, Reader, Sec};
use super::error::{DecodeError, EncodeError, ErrorKind, Rule};
use super::properties::{Properties, Props};
use super::topic;
use super::types::{self, QoS};
use super::Protocol;
use crate::protocol::PacketType;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Publish {
    pub dup: bool,
    pub qos: QoS,
    pub retain: bool,
    /// Empty on MQTT 5 when a Topic Alias stands for it.
    pub topic: String,
    /// 0 for QoS 0, which has none (3.1.1 [MQTT-2.3.1-5], 5.0 [MQTT-2.2.1-2]).
    pub packet_id: u16,
    pub properties: Props,
    pub payload: Vec<u8>,
}

const TOPIC: Sec = Sec("3.3.2.1", "3.3.2.1");
const PAYLOAD: Sec = Sec("3.3.3", "3.3.3");
const QOS_3: Rule = Rule::both("[MQTT-3.3.1-4]");
const DUP_QOS_0: Rule = Rule::both("[MQTT-3.3.1-2]");
const EMPTY_TOPIC: Rule = Rule {
    v311: "[MQTT-4.7.3-1]",
    v5: "§3.3.2.3.4",
};

impl Publish {
    pub(crate) fn flags(&self) -> u8 {
        u8::from(self.dup) << 3 | self.qos.as_u8() << 1 | u8::from(self.retain)
    }

    pub(crate) fn read(r: &mut Reader, flags: u8) -> Result<Publish, DecodeError> {
        let p = r.protocol;
        let qos = QoS::from_u8((flags >> 1) & 3).ok_or_else(|| {
            r.error_at(0, ErrorKind::Malformed, "QoS 3: both QoS bits are 1", QOS_3)
        })?;
        let dup = flags & 0x08 != 0;
        if dup && qos == QoS::AtMostOnce {
            return Err(r.error_at(
                0,
                ErrorKind::Malformed,
                "DUP is 1 on a QoS 0 message",
                DUP_QOS_0,
            ));
        }
        let topic_at = r.pos();
        let topic = r.utf8_field("Topic Name", TOPIC)?.to_string();
        if topic::has_wildcard(&topic) {
            return Err(r.error_at(
                topic_at,
                ErrorKind::Malformed,
                format!(
                    "the Topic Name {} contains a wildcard",
                    coding::quote(&topic)
                ),
                topic::NAME_RULE,
            ));
        }
        if topic.is_empty() && p == Protocol::V311 {
            return Err(r.error_at(
                topic_at,
                ErrorKind::Malformed,
                "the Topic Name is empty",
                EMPTY_TOPIC,
            ));
        }
        let packet_id = if qos == QoS::AtMostOnce {
            0
        } else {
            types::packet_id(r)?
        };
        let properties = if p == Protocol::V5 {
            Properties::read(r, PacketType::Publish.into())?
        } else {
            Props::default()
        };
        if topic.is_empty() && properties.topic_alias.is_none() {
            return Err(r.error_at(
                topic_at,
                ErrorKind::ProtocolError,
                "the Topic Name is empty and there is no Topic Alias",
                EMPTY_TOPIC,
            ));
        }
        let at = r.pos();
        let payload = r.rest();
        r.mark(at, "Payload", PAYLOAD, &|| coding::show_bytes(payload));
        Ok(Publish {
            dup,
            qos,
            retain: flags & 1 != 0,
            topic,
            packet_id,
            properties,
            payload: payload.to_vec(),
        })
    }

    pub(crate) fn body(&self, p: Protocol) -> Result<Vec<u8>, EncodeError> {
        let aliased = p == Protocol::V5 && self.properties.topic_alias.is_some();
        if !(aliased && self.topic.is_empty()) {
            topic::check_name(&self.topic).map_err(|why| {
                EncodeError::new(format!("the topic {why}"), topic::NAME_RULE.cite(p))
            })?;
        }
        coding::check_str(p, "the topic", &self.topic)?;
        if self.dup && self.qos == QoS::AtMostOnce {
            return Err(EncodeError::new(
                "DUP must be 0 for QoS 0",
                DUP_QOS_0.cite(p),
            ));
        }
        if (self.qos == QoS::AtMostOnce) != (self.packet_id == 0) {
            return Err(EncodeError::new(
                "QoS 1 and 2 need a Packet Identifier from 1 to 65,535, QoS 0 has none",
                Rule {
                    v311: "[MQTT-2.3.1-5]",
                    v5: "[MQTT-2.2.1-2]",
                }
                .cite(p),
            ));
        }
        let mut b = Vec::with_capacity(self.topic.len() + self.payload.len() + 8);
        coding::put_bytes(&mut b, self.topic.as_bytes());
        if self.qos != QoS::AtMostOnce {
            coding::put_u16(&mut b, self.packet_id);
        }
        if p == Protocol::V5 {
            self.properties.check(PacketType::Publish.into())?;
            self.properties.write(&mut b);
        }
        b.extend_from_slice(&self.payload);
        Ok(b)
    }
}

#[cfg(test)]
mod tests {
    use super::super::packet::{decode, Packet};
    use super::*;

    fn publish(p: Protocol, bytes: &[u8]) -> Result<Publish, DecodeError> {
        decode(p, bytes, None).map(|x| match x {
            Packet::Publish(m) => m,
            other => panic!("{other:?}"),
        })
    }

    #[test]
    fn byte_literals_both_versions() {
        let m = Publish {
            dup: true,
            qos: QoS::AtLeastOnce,
            retain: true,
            topic: "t".into(),
            packet_id: 7,
            payload: b"hi".to_vec(),
            ..Publish::default()
        };
        let v311 = [0x3B, 7, 0, 1, b't', 0, 7, b'h', b'i'];
        assert_eq!(
            Packet::Publish(m.clone()).encode(Protocol::V311).unwrap(),
            v311
        );
        assert_eq!(publish(Protocol::V311, &v311).unwrap(), m);
        let v5 = [0x3B, 8, 0, 1, b't', 0, 7, 0, b'h', b'i'];
        assert_eq!(Packet::Publish(m.clone()).encode(Protocol::V5).unwrap(), v5);
        assert_eq!(publish(Protocol::V5, &v5).unwrap(), m);
        // QoS 0 has no identifier.
        let q0 = Publish {
            topic: "t".into(),
            ..Publish::default()
        };
        assert_eq!(
            Packet::Publish(q0).encode(Protocol::V5).unwrap(),
            [0x30, 4, 0, 1, b't', 0]
        );
    }

    #[test]
    fn properties_of_a_message() {
        // Payload Format Indicator 1, Content Type "a", User Property ("k","v"),
        // Subscription Identifiers 1 and 300.
        let bytes = [
            0x30, 24, 0, 1, b't', 18, 0x01, 1, 0x03, 0, 1, b'a', 0x26, 0, 1, b'k', 0, 1, b'v',
            0x0B, 1, 0x0B, 0xAC, 0x02, b'x', b'y',
        ];
        let m = publish(Protocol::V5, &bytes).unwrap();
        let pr = &m.properties;
        assert_eq!(pr.payload_format_indicator, Some(1));
        assert_eq!(pr.content_type.as_deref(), Some("a"));
        assert_eq!(pr.user_properties, [("k".to_string(), "v".to_string())]);
        assert_eq!(pr.subscription_identifiers, [1, 300]);
        assert_eq!(m.payload, b"xy");
        assert_eq!(Packet::Publish(m).encode(Protocol::V5).unwrap(), bytes);
    }

    #[test]
    fn topic_rules() {
        // Wildcards in a topic name: malformed, at the topic's offset.
        let e = publish(Protocol::V311, &[0x30, 5, 0, 3, b'a', b'/', b'#']).unwrap_err();
        assert_eq!(
            (e.kind, e.offset, e.rule),
            (ErrorKind::Malformed, 2, "[MQTT-3.3.2-2]")
        );
        // Empty on 3.1.1; empty without an alias on 5.0.
        assert_eq!(
            publish(Protocol::V311, &[0x30, 2, 0, 0]).unwrap_err().rule,
            "[MQTT-4.7.3-1]"
        );
        assert_eq!(
            publish(Protocol::V5, &[0x30, 3, 0, 0, 0]).unwrap_err().kind,
            ErrorKind::ProtocolError
        );
        // Empty with Topic Alias 3: fine for the codec (the client resolves it).
        let m = publish(Protocol::V5, &[0x30, 6, 0, 0, 3, 0x23, 0, 3]).unwrap();
        assert_eq!(m.properties.topic_alias, Some(3));
        // Topic Alias 0 is not allowed: "Topic Alias invalid", 0x94 (§3.3.2.3.4).
        let e = publish(Protocol::V5, &[0x30, 7, 0, 1, b't', 3, 0x23, 0, 0]).unwrap_err();
        assert_eq!(
            (e.kind, e.rule),
            (ErrorKind::TopicAliasInvalid, "[MQTT-3.3.2-8]")
        );
    }

    #[test]
    fn flags_and_identifiers() {
        assert_eq!(
            publish(Protocol::V5, &[0x36, 3, 0, 1, b't'])
                .unwrap_err()
                .rule,
            "[MQTT-3.3.1-4]"
        );
        assert_eq!(
            publish(Protocol::V5, &[0x38, 4, 0, 1, b't', 0])
                .unwrap_err()
                .rule,
            "[MQTT-3.3.1-2]"
        );
        assert_eq!(
            publish(Protocol::V311, &[0x32, 5, 0, 1, b't', 0, 0])
                .unwrap_err()
                .rule,
            "[MQTT-2.3.1-1]"
        );
        // A subscription identifier of 0 is a protocol error.
        assert_eq!(
            publish(Protocol::V5, &[0x30, 6, 0, 1, b't', 2, 0x0B, 0])
                .unwrap_err()
                .kind,
            ErrorKind::ProtocolError
        );
    }

    #[test]
    fn encoding_refuses_what_must_not_be_sent() {
        let bad = |topic: &str, qos, id, dup| {
            Packet::Publish(Publish {
                topic: topic.into(),
                qos,
                packet_id: id,
                dup,
                ..Publish::default()
            })
            .encode(Protocol::V5)
        };
        assert!(bad("a/+", QoS::AtMostOnce, 0, false).is_err());
        assert!(bad("", QoS::AtMostOnce, 0, false).is_err());
        assert!(bad("a", QoS::AtLeastOnce, 0, false).is_err());
        assert!(bad("a", QoS::AtMostOnce, 0, true).is_err());
        assert!(bad(&"a".repeat(70_000), QoS::AtMostOnce, 0, false)
            .unwrap_err()
            .what
            .contains("65,535"));
        assert!(bad("a", QoS::ExactlyOnce, 9, true).is_ok());
    }

    #[test]
    fn string_properties_must_be_utf8_mqtt_1_5_7_1() {
        // A User Property whose value is C3 28 (ill-formed), a Content Type FF.
        let pair = [0x30, 12, 0, 1, b't', 8, 0x26, 0, 1, b'k', 0, 2, 0xC3, 0x28];
        assert_eq!(
            publish(Protocol::V5, &pair).unwrap_err().rule,
            "[MQTT-1.5.4-1]"
        );
        let ct = [0x30, 8, 0, 1, b't', 4, 0x03, 0, 1, 0xFF];
        assert_eq!(publish(Protocol::V5, &ct).unwrap_err().offset, 9);
        let rt = [0x30, 8, 0, 1, b't', 4, 0x08, 0, 1, 0xFF];
        assert_eq!(
            publish(Protocol::V5, &rt).unwrap_err().kind,
            ErrorKind::Malformed
        );
        // And a topic with U+0000 is refused before it is sent.
        let null = Publish {
            topic: "a\0b".into(),
            ..Publish::default()
        };
        assert_eq!(
            Packet::Publish(null).encode(Protocol::V5).unwrap_err().rule,
            "[MQTT-1.5.4-2]"
        );
    }
}
