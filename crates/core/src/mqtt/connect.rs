//! CONNECT (§3.1): what a client asks for when it connects.

use super::coding::{self, Reader, Sec};
use super::error::{DecodeError, EncodeError, ErrorKind, Rule};
use super::properties::{Block, Properties, Props};
use super::topic;
use super::types::QoS;
use super::Protocol;
use crate::protocol::PacketType;

/// The Will: published by the broker if the connection ends without a
/// DISCONNECT (§3.1.2.5).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LastWill {
    pub topic: String,
    pub payload: Vec<u8>,
    pub qos: QoS,
    pub retain: bool,
    /// MQTT 5 Will Properties (§3.1.3.2).
    pub properties: Props,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connect {
    pub protocol: Protocol,
    pub clean_start: bool,
    pub keep_alive_s: u16,
    pub properties: Props,
    pub client_id: String,
    pub will: Option<LastWill>,
    pub username: Option<String>,
    pub password: Option<Vec<u8>>,
}

impl Default for Connect {
    fn default() -> Self {
        Self {
            protocol: Protocol::V5,
            clean_start: true,
            keep_alive_s: 60,
            properties: Props::default(),
            client_id: String::new(),
            will: None,
            username: None,
            password: None,
        }
    }
}

const PROTOCOL_NAME: Sec = Sec("3.1.2.1", "3.1.2.1");
const PROTOCOL_LEVEL: Sec = Sec("3.1.2.2", "3.1.2.2");
const FLAGS: Sec = Sec("3.1.2.3", "3.1.2.3");
const KEEP_ALIVE: Sec = Sec("3.1.2.10", "3.1.2.10");
const CLIENT_ID: Sec = Sec("3.1.3.1", "3.1.3.1");
const WILL_TOPIC: Sec = Sec("3.1.3.2", "3.1.3.3");
const WILL_PAYLOAD: Sec = Sec("3.1.3.3", "3.1.3.4");
const USER_NAME: Sec = Sec("3.1.3.4", "3.1.3.5");
const PASSWORD: Sec = Sec("3.1.3.5", "3.1.3.6");
const RESERVED_FLAG: Rule = Rule::both("[MQTT-3.1.2-3]");
const PASSWORD_NEEDS_USER: Rule = Rule {
    v311: "[MQTT-3.1.2-22]",
    v5: "",
};

impl Connect {
    pub(crate) fn read(r: &mut Reader) -> Result<Connect, DecodeError> {
        let start = r.pos();
        let name = r.utf8("the Protocol Name")?;
        r.mark(start, "Protocol Name", PROTOCOL_NAME, &|| {
            coding::quote(name)
        });
        if name != "MQTT" {
            return Err(r.error_at(
                start,
                ErrorKind::ProtocolError,
                format!("the Protocol Name is {}, not \"MQTT\"", coding::quote(name)),
                Rule {
                    v311: "[MQTT-3.1.2-1]",
                    v5: "[MQTT-3.1.2-1]",
                },
            ));
        }
        let level_at = r.pos();
        let level = r.u8("the Protocol Level")?;
        // The CONNECT says which version the rest of the session speaks.
        r.protocol = match level {
            4 => Protocol::V311,
            5 => Protocol::V5,
            _ => {
                return Err(r.error_at(
                    level_at,
                    ErrorKind::ProtocolError,
                    format!("Protocol Level {level} is neither 4 (3.1.1) nor 5 (5.0)"),
                    Rule::both("§3.1.2.2"),
                ))
            }
        };
        r.mark(level_at, "Protocol Level", PROTOCOL_LEVEL, &|| {
            format!("{level} ({})", r_label(level))
        });
        let p = r.protocol;
        let flags_at = r.pos();
        let flags = r.u8("the Connect Flags")?;
        if flags & 1 != 0 {
            return Err(r.error_at(
                flags_at,
                ErrorKind::Malformed,
                "the reserved bit 0 of the Connect Flags is 1",
                RESERVED_FLAG,
            ));
        }
        let will_flag = flags & 0x04 != 0;
        let will_qos = (flags >> 3) & 3;
        let will_retain = flags & 0x20 != 0;
        let (has_password, has_user) = (flags & 0x40 != 0, flags & 0x80 != 0);
        if will_qos == 3 {
            return Err(r.error_at(
                flags_at,
                ErrorKind::Malformed,
                "Will QoS 3",
                Rule {
                    v311: "[MQTT-3.1.2-14]",
                    v5: "[MQTT-3.1.2-12]",
                },
            ));
        }
        if !will_flag && (will_qos != 0 || will_retain) {
            return Err(r.error_at(
                flags_at,
                ErrorKind::Malformed,
                "Will QoS or Will Retain set without the Will Flag",
                Rule {
                    v311: "[MQTT-3.1.2-13]",
                    v5: "[MQTT-3.1.2-11]",
                },
            ));
        }
        if p == Protocol::V311 && has_password && !has_user {
            return Err(r.error_at(
                flags_at,
                ErrorKind::Malformed,
                "the Password Flag is set without the User Name Flag",
                PASSWORD_NEEDS_USER,
            ));
        }
        r.mark(flags_at, "Connect Flags", FLAGS, &|| {
            format!(
                "user name {}, password {}, will retain {}, will QoS {}, will {}, clean {} {}",
                u8::from(has_user),
                u8::from(has_password),
                u8::from(will_retain),
                will_qos,
                u8::from(will_flag),
                if p == Protocol::V5 {
                    "start"
                } else {
                    "session"
                },
                (flags >> 1) & 1
            )
        });
        let keep_alive_s = r.u16_field("Keep Alive", KEEP_ALIVE)?;
        let properties = if p == Protocol::V5 {
            Properties::read(r, PacketType::Connect.into())?
        } else {
            Props::default()
        };
        let client_id = r.utf8_field("Client Identifier", CLIENT_ID)?.to_string();
        let will = if will_flag {
            let properties = if p == Protocol::V5 {
                Properties::read(r, Block::Will)?
            } else {
                Props::default()
            };
            // Whether the broker accepts the topic is its decision (0x90 in CONNACK).
            let topic = r.utf8_field("Will Topic", WILL_TOPIC)?.to_string();
            let payload = r.binary_field(
                if p == Protocol::V5 {
                    "Will Payload"
                } else {
                    "Will Message"
                },
                WILL_PAYLOAD,
            )?;
            Some(LastWill {
                topic,
                payload: payload.to_vec(),
                qos: QoS::from_u8(will_qos).unwrap_or_default(),
                retain: will_retain,
                properties,
            })
        } else {
            None
        };
        let username = if has_user {
            Some(r.utf8_field("User Name", USER_NAME)?.to_string())
        } else {
            None
        };
        let password = if has_password {
            let at = r.pos();
            let pw = r.binary("the Password")?;
            // Never shown: a password in a shared inspector is a leak.
            r.mark(at, "Password", PASSWORD, &|| {
                format!("({} bytes, hidden)", pw.len())
            });
            Some(pw.to_vec())
        } else {
            None
        };
        Ok(Connect {
            protocol: p,
            clean_start: flags & 0x02 != 0,
            keep_alive_s,
            properties,
            client_id,
            will,
            username,
            password,
        })
    }

    pub(crate) fn body(&self, p: Protocol) -> Result<Vec<u8>, EncodeError> {
        // The CONNECT speaks the version it names; `p` is the session's.
        let p = if self.protocol == p { p } else { self.protocol };
        coding::check_str(p, "the Client Identifier", &self.client_id)?;
        if p == Protocol::V311 && self.password.is_some() && self.username.is_none() {
            return Err(EncodeError::new(
                "MQTT 3.1.1 allows a password only with a user name",
                "[MQTT-3.1.2-22]",
            ));
        }
        if p == Protocol::V311 && self.client_id.is_empty() && !self.clean_start {
            return Err(EncodeError::new(
                "an empty Client Identifier needs a clean session",
                "[MQTT-3.1.3-7]",
            ));
        }
        if let Some(u) = &self.username {
            coding::check_str(p, "the User Name", u)?;
        }
        if let Some(pw) = &self.password {
            coding::check_len(p, "the Password", pw)?;
        }
        if let Some(w) = &self.will {
            topic::check_name(&w.topic).map_err(|why| {
                EncodeError::new(
                    format!("the Will Topic {why}"),
                    topic::NO_WILDCARD_IN_NAME.cite(p),
                )
            })?;
            coding::check_str(p, "the Will Topic", &w.topic)?;
            coding::check_len(p, "the Will Payload", &w.payload)?;
        }
        let mut b = Vec::new();
        coding::put_bytes(&mut b, b"MQTT");
        b.push(p.level());
        let mut flags = u8::from(self.clean_start) << 1;
        if let Some(w) = &self.will {
            flags |= 0x04 | (w.qos.as_u8() << 3) | (u8::from(w.retain) << 5);
        }
        flags |= u8::from(self.password.is_some()) << 6 | u8::from(self.username.is_some()) << 7;
        b.push(flags);
        coding::put_u16(&mut b, self.keep_alive_s);
        if p == Protocol::V5 {
            self.properties.check(PacketType::Connect.into())?;
            self.properties.write(&mut b);
        }
        coding::put_bytes(&mut b, self.client_id.as_bytes());
        if let Some(w) = &self.will {
            if p == Protocol::V5 {
                w.properties.check(Block::Will)?;
                w.properties.write(&mut b);
            }
            coding::put_bytes(&mut b, w.topic.as_bytes());
            coding::put_bytes(&mut b, &w.payload);
        }
        if let Some(u) = &self.username {
            coding::put_bytes(&mut b, u.as_bytes());
        }
        if let Some(pw) = &self.password {
            coding::put_bytes(&mut b, pw);
        }
        Ok(b)
    }
}

fn r_label(level: u8) -> &'static str {
    if level == 4 {
        "MQTT 3.1.1"
    } else {
        "MQTT 5.0"
    }
}

#[cfg(test)]
mod tests {
    use super::super::packet::{decode, Packet};
    use super::*;

    fn encode(c: Connect) -> Result<Vec<u8>, EncodeError> {
        let p = c.protocol;
        Packet::Connect(Box::new(c)).encode(p)
    }

    #[test]
    fn minimal_311_connect() {
        // 3.1.1 §3.1: "MQTT", level 4, clean session, keepalive 60, client id "a".
        let c = Connect {
            protocol: Protocol::V311,
            client_id: "a".into(),
            ..Connect::default()
        };
        let bytes = [
            0x10, 13, 0, 4, b'M', b'Q', b'T', b'T', 4, 0x02, 0, 60, 0, 1, b'a',
        ];
        assert_eq!(encode(c.clone()).unwrap(), bytes);
        assert_eq!(
            decode(Protocol::V311, &bytes, None),
            Ok(Packet::Connect(Box::new(c)))
        );
    }

    #[test]
    fn mqtt5_connect_with_properties_will_and_credentials() {
        let c = Connect {
            protocol: Protocol::V5,
            clean_start: false,
            keep_alive_s: 30,
            properties: Properties {
                session_expiry_interval: Some(3600),
                maximum_packet_size: Some(262_144),
                ..Properties::default()
            }
            .into(),
            client_id: "c".into(),
            will: Some(LastWill {
                topic: "w".into(),
                payload: b"x".to_vec(),
                qos: QoS::AtLeastOnce,
                retain: true,
                properties: Props::default(),
            }),
            username: Some("u".into()),
            password: Some(b"p".to_vec()),
        };
        let expected: Vec<u8> = [
            vec![0x10, 37, 0, 4, b'M', b'Q', b'T', b'T', 5],
            // user, password, will retain, will QoS 1, will flag; no clean start
            vec![0x80 | 0x40 | 0x20 | 0x08 | 0x04, 0, 30],
            // properties: session expiry 3600, maximum packet size 262,144
            vec![10, 0x11, 0, 0, 0x0E, 0x10, 0x27, 0, 4, 0, 0],
            vec![0, 1, b'c'],
            vec![0, 0, 1, b'w', 0, 1, b'x'],
            vec![0, 1, b'u', 0, 1, b'p'],
        ]
        .concat();
        assert_eq!(encode(c.clone()).unwrap(), expected);
        // Decoding as 3.1.1 still reads it as 5.0: the level says so.
        assert_eq!(
            decode(Protocol::V311, &expected, None),
            Ok(Packet::Connect(Box::new(c)))
        );
    }

    #[test]
    fn a_311_password_without_user_name_is_refused_both_ways() {
        let c = Connect {
            protocol: Protocol::V311,
            client_id: "a".into(),
            password: Some(b"p".to_vec()),
            ..Connect::default()
        };
        assert_eq!(encode(c).unwrap_err().rule, "[MQTT-3.1.2-22]");
        let bytes = [
            0x10, 16, 0, 4, b'M', b'Q', b'T', b'T', 4, 0x42, 0, 60, 0, 1, b'a', 0, 1, b'p',
        ];
        assert_eq!(
            decode(Protocol::V311, &bytes, None).unwrap_err().rule,
            "[MQTT-3.1.2-22]"
        );
        // MQTT 5 allows it (§3.1.2.9).
        let c5 = Connect {
            protocol: Protocol::V5,
            client_id: "a".into(),
            password: Some(b"p".to_vec()),
            ..Connect::default()
        };
        assert!(encode(c5).is_ok());
    }

    #[test]
    fn reserved_flag_and_will_flags_are_checked() {
        let mut bytes = vec![
            0x10, 13, 0, 4, b'M', b'Q', b'T', b'T', 4, 0x03, 0, 60, 0, 1, b'a',
        ];
        assert_eq!(
            decode(Protocol::V311, &bytes, None).unwrap_err().rule,
            "[MQTT-3.1.2-3]"
        );
        bytes[9] = 0x02 | 0x20; // will retain without will flag
        assert_eq!(
            decode(Protocol::V311, &bytes, None).unwrap_err().rule,
            "[MQTT-3.1.2-13]"
        );
    }

    #[test]
    fn the_password_is_never_shown_in_a_trace() {
        let c = Connect {
            protocol: Protocol::V5,
            client_id: "a".into(),
            username: Some("u".into()),
            password: Some(b"secret".to_vec()),
            ..Connect::default()
        };
        let bytes = encode(c).unwrap();
        let mut trace = Vec::new();
        decode(Protocol::V5, &bytes, Some(&mut trace)).unwrap();
        let pw = trace.iter().find(|f| f.name == "Password").unwrap();
        assert_eq!(pw.value, "(6 bytes, hidden)");
        assert!(trace.iter().all(|f| !f.value.contains("secret")));
    }

    #[test]
    fn a_311_will_is_topic_then_message_and_an_empty_id_needs_a_clean_session() {
        let c = Connect {
            protocol: Protocol::V311,
            client_id: "a".into(),
            will: Some(LastWill {
                topic: "w".into(),
                payload: b"x".to_vec(),
                qos: QoS::ExactlyOnce,
                ..LastWill::default()
            }),
            ..Connect::default()
        };
        // Flags: will QoS 2 (0x10), will flag, clean session.
        let bytes = [
            0x10, 19, 0, 4, b'M', b'Q', b'T', b'T', 4, 0x16, 0, 60, 0, 1, b'a', 0, 1, b'w', 0, 1,
            b'x',
        ];
        assert_eq!(encode(c.clone()).unwrap(), bytes);
        assert_eq!(
            decode(Protocol::V311, &bytes, None),
            Ok(Packet::Connect(Box::new(c)))
        );
        let empty = Connect {
            protocol: Protocol::V311,
            clean_start: false,
            ..Connect::default()
        };
        assert_eq!(encode(empty).unwrap_err().rule, "[MQTT-3.1.3-7]");
        // The protocol name must be "MQTT" (3.1's "MQIsdp" is not).
        let mqisdp = [
            0x10, 14, 0, 6, b'M', b'Q', b'I', b's', b'd', b'p', 3, 0x02, 0, 60, 0, 0,
        ];
        assert_eq!(
            decode(Protocol::V311, &mqisdp, None).unwrap_err().rule,
            "[MQTT-3.1.2-1]"
        );
    }

    #[test]
    fn will_flags_in_5_have_their_own_tags() {
        // Will QoS 1 without the Will Flag, then Will QoS 3 with it.
        let mut v5 = vec![
            0x10,
            14,
            0,
            4,
            b'M',
            b'Q',
            b'T',
            b'T',
            5,
            0x02 | 0x08,
            0,
            60,
            0,
            0,
            1,
            b'a',
        ];
        assert_eq!(
            decode(Protocol::V5, &v5, None).unwrap_err().rule,
            "[MQTT-3.1.2-11]"
        );
        v5[9] = 0x02 | 0x04 | 0x18;
        assert_eq!(
            decode(Protocol::V5, &v5, None).unwrap_err().rule,
            "[MQTT-3.1.2-12]"
        );
    }
}
