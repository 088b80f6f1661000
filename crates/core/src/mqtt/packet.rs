//! The control packets of §3 (both versions) as one enum, the fixed header
//! (5.0 §2.1, 3.1.1 §2.2), and decoding or encoding one whole packet.

use super::coding::{self, Field, Reader, Sec};
use super::error::{DecodeError, EncodeError, ErrorKind, Rule};
use super::{
    ack, connack, connect, disconnect, publish, subscribe, unsubscribe, Protocol, ReasonCode,
};

pub use super::types::{QoS, Sender};
pub use crate::protocol::PacketType;

pub use ack::Ack;
pub use connack::Connack;
pub use connect::{Connect, LastWill};
pub use disconnect::Disconnect;
pub use publish::Publish;
pub use subscribe::{Suback, Subscribe, Subscription};
pub use unsubscribe::{Unsuback, Unsubscribe};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Packet {
    /// Boxed: CONNECT is the largest packet and the rarest.
    Connect(Box<Connect>),
    Connack(Connack),
    Publish(Publish),
    Puback(Ack),
    Pubrec(Ack),
    Pubrel(Ack),
    Pubcomp(Ack),
    Subscribe(Subscribe),
    Suback(Suback),
    Unsubscribe(Unsubscribe),
    Unsuback(Unsuback),
    Pingreq,
    Pingresp,
    Disconnect(Disconnect),
    Auth(Disconnect),
}

const TYPE: Sec = Sec("2.2.1", "2.1.2");
const FLAGS: Sec = Sec("2.2.2", "2.1.3");
const REMAINING_LENGTH: Sec = Sec("2.2.3", "2.1.4");
const RESERVED_FLAGS: Rule = Rule {
    v311: "[MQTT-2.2.2-1]",
    v5: "[MQTT-2.1.3-1]",
};

impl Packet {
    pub fn packet_type(&self) -> PacketType {
        use PacketType as T;
        match self {
            Packet::Connect(_) => T::Connect,
            Packet::Connack(_) => T::Connack,
            Packet::Publish(_) => T::Publish,
            Packet::Puback(_) => T::Puback,
            Packet::Pubrec(_) => T::Pubrec,
            Packet::Pubrel(_) => T::Pubrel,
            Packet::Pubcomp(_) => T::Pubcomp,
            Packet::Subscribe(_) => T::Subscribe,
            Packet::Suback(_) => T::Suback,
            Packet::Unsubscribe(_) => T::Unsubscribe,
            Packet::Unsuback(_) => T::Unsuback,
            Packet::Pingreq => T::Pingreq,
            Packet::Pingresp => T::Pingresp,
            Packet::Disconnect(_) => T::Disconnect,
            Packet::Auth(_) => T::Auth,
        }
    }

    /// Encodes the packet, or refuses it whole: every rule this client keeps
    /// when sending is checked before a byte is written.
    pub fn encode(&self, p: Protocol) -> Result<Vec<u8>, EncodeError> {
        let t = self.packet_type();
        if p == Protocol::V311 && t == PacketType::Auth {
            return Err(EncodeError::new("AUTH exists only in MQTT 5", "§2.1.2"));
        }
        let (flags, body) = match self {
            Packet::Connect(c) => (0, c.body(p)?),
            Packet::Connack(c) => (0, c.body(p)?),
            Packet::Publish(x) => (x.flags(), x.body(p)?),
            Packet::Puback(a) | Packet::Pubrec(a) | Packet::Pubrel(a) | Packet::Pubcomp(a) => {
                (t.required_flags().unwrap_or(0), a.body(p, t)?)
            }
            Packet::Subscribe(s) => (0b0010, s.body(p)?),
            Packet::Suback(s) => (0, s.body(p)?),
            Packet::Unsubscribe(u) => (0b0010, u.body(p)?),
            Packet::Unsuback(u) => (0, u.body(p)?),
            Packet::Pingreq | Packet::Pingresp => (0, Vec::new()),
            Packet::Disconnect(d) | Packet::Auth(d) => (0, d.body(p, t)?),
        };
        frame((t as u8) << 4 | flags, body)
    }

    /// One line for a sequence diagram: the type and its key fields, e.g.
    /// `PUBLISH qos=1 id=7 "sensors/t"`, `PUBACK id=7 0x10`.
    pub fn summary(&self) -> String {
        let code = |c: ReasonCode| {
            if c == ReasonCode::SUCCESS {
                String::new()
            } else {
                format!(" 0x{:02X}", c.0)
            }
        };
        match self {
            Packet::Connect(c) => format!(
                "CONNECT clean_start={} keepalive={}{}",
                u8::from(c.clean_start),
                c.keep_alive_s,
                if c.client_id.is_empty() {
                    String::new()
                } else {
                    format!(" id={}", coding::quote(&c.client_id))
                }
            ),
            Packet::Connack(c) => format!(
                "CONNACK session_present={} 0x{:02X}",
                u8::from(c.session_present),
                c.code.0
            ),
            Packet::Publish(x) => {
                let mut s = format!("PUBLISH qos={}", x.qos.as_u8());
                if x.qos != QoS::AtMostOnce {
                    s.push_str(&format!(" id={}", x.packet_id));
                }
                if x.dup {
                    s.push_str(" dup=1");
                }
                if x.retain {
                    s.push_str(" retain=1");
                }
                s.push(' ');
                s.push_str(&if x.topic.is_empty() {
                    format!("alias={}", x.properties.topic_alias.unwrap_or_default())
                } else {
                    coding::quote(&x.topic)
                });
                s
            }
            Packet::Puback(a) | Packet::Pubrec(a) | Packet::Pubrel(a) | Packet::Pubcomp(a) => {
                format!(
                    "{} id={}{}",
                    self.packet_type().name(),
                    a.packet_id,
                    code(a.code)
                )
            }
            Packet::Subscribe(s) => format!(
                "SUBSCRIBE id={} {}",
                s.packet_id,
                s.filters
                    .iter()
                    .map(|f| format!("{} qos={}", coding::quote(&f.filter), f.qos.as_u8()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Packet::Suback(s) => format!(
                "SUBACK id={} {}",
                s.packet_id,
                s.codes
                    .iter()
                    .map(|c| format!("0x{:02X}", c.0))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            Packet::Unsubscribe(u) => format!(
                "UNSUBSCRIBE id={} {}",
                u.packet_id,
                u.filters
                    .iter()
                    .map(|f| coding::quote(f))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Packet::Unsuback(u) => format!("UNSUBACK id={}", u.packet_id),
            Packet::Pingreq => "PINGREQ".into(),
            Packet::Pingresp => "PINGRESP".into(),
            Packet::Disconnect(d) => format!("DISCONNECT{}", code(d.code)),
            Packet::Auth(d) => format!("AUTH{}", code(d.code)),
        }
    }
}

/// The fixed header and the body: refuses a body beyond 268,435,455 bytes.
fn frame(first: u8, body: Vec<u8>) -> Result<Vec<u8>, EncodeError> {
    if body.len() > coding::VARINT_MAX {
        return Err(EncodeError::new(
            format!(
                "the packet body is {} bytes; MQTT allows at most 268,435,455",
                body.len()
            ),
            "§2.1.4",
        ));
    }
    // The header goes in front of the body's own buffer (from the stack).
    let (len, used) = coding::varint_bytes(body.len());
    let mut out = body;
    out.splice(
        0..0,
        std::iter::once(first).chain(len[..used].iter().copied()),
    );
    Ok(out)
}

/// The first byte, the length of the fixed header and of the body.
pub(crate) type Header = (u8, usize, usize);

/// The fixed header of a whole packet in `bytes`: type, flags, the length of
/// the header and of the body. `Ok(None)` until enough bytes arrived.
pub(crate) fn header(bytes: &[u8]) -> Result<Option<Header>, (usize, &'static str)> {
    let Some(&first) = bytes.first() else {
        return Ok(None);
    };
    match coding::read_varint(&bytes[1..]) {
        coding::Varint::Value(len, n) => Ok(Some((first, 1 + n, len as usize))),
        coding::Varint::Incomplete => Ok(None),
        coding::Varint::TooLong => Err((1, "the Remaining Length is longer than four bytes")),
        coding::Varint::NotMinimal => Err((
            1,
            "the Remaining Length does not use the fewest bytes possible",
        )),
    }
}

/// Decodes exactly one packet that fills `bytes`, recording its fields in
/// `trace` when given. A CONNECT decodes with the protocol level it carries.
pub fn decode(
    p: Protocol,
    bytes: &[u8],
    trace: Option<&mut Vec<Field>>,
) -> Result<Packet, DecodeError> {
    let mut r = Reader::new(p, bytes, trace);
    let first = r.u8("the fixed header")?;
    let kind = first >> 4;
    let flags = first & 0x0F;
    let t = PacketType::from_u8(kind)
        .filter(|t| !(p == Protocol::V311 && *t == PacketType::Auth))
        .ok_or_else(|| {
            r.error_at(
                0,
                ErrorKind::Malformed,
                format!("packet type {kind} is reserved"),
                Rule {
                    v311: "§2.2.1",
                    v5: "§2.1.2",
                },
            )
        })?;
    r.mark(0, "Packet Type", TYPE, &|| format!("{kind} ({})", t.name()));
    if let Some(required) = t.required_flags() {
        if flags != required {
            return Err(r.error_at(
                0,
                ErrorKind::Malformed,
                format!(
                    "the flags of {} must be {required:04b}, not {flags:04b}",
                    t.name()
                ),
                RESERVED_FLAGS,
            ));
        }
        r.mark(0, "Flags", FLAGS, &|| format!("{flags:04b} (reserved)"));
    } else {
        r.mark(0, "Flags", FLAGS, &|| {
            format!(
                "DUP={} QoS={} RETAIN={}",
                flags >> 3,
                (flags >> 1) & 3,
                flags & 1
            )
        });
    }
    let len = r.varint("the Remaining Length")? as usize;
    r.mark(1, "Remaining Length", REMAINING_LENGTH, &|| len.to_string());
    if len != r.remaining() {
        return Err(r.error(
            ErrorKind::Malformed,
            format!(
                "the Remaining Length says {len} bytes follow, but {} do",
                r.remaining()
            ),
            Rule {
                v311: "§2.2.3",
                v5: "§2.1.4",
            },
        ));
    }
    let packet = match t {
        PacketType::Connect => Packet::Connect(Box::new(Connect::read(&mut r)?)),
        PacketType::Connack => Packet::Connack(Connack::read(&mut r)?),
        PacketType::Publish => Packet::Publish(Publish::read(&mut r, flags)?),
        PacketType::Puback => Packet::Puback(Ack::read(&mut r, t)?),
        PacketType::Pubrec => Packet::Pubrec(Ack::read(&mut r, t)?),
        PacketType::Pubrel => Packet::Pubrel(Ack::read(&mut r, t)?),
        PacketType::Pubcomp => Packet::Pubcomp(Ack::read(&mut r, t)?),
        PacketType::Subscribe => Packet::Subscribe(Subscribe::read(&mut r)?),
        PacketType::Suback => Packet::Suback(Suback::read(&mut r)?),
        PacketType::Unsubscribe => Packet::Unsubscribe(Unsubscribe::read(&mut r)?),
        PacketType::Unsuback => Packet::Unsuback(Unsuback::read(&mut r)?),
        PacketType::Pingreq => Packet::Pingreq,
        PacketType::Pingresp => Packet::Pingresp,
        PacketType::Disconnect => Packet::Disconnect(Disconnect::read(&mut r, t)?),
        PacketType::Auth => Packet::Auth(Disconnect::read(&mut r, t)?),
    };
    if !r.is_empty() {
        return Err(r.error(
            ErrorKind::Malformed,
            format!(
                "{} has {} bytes more than its fields",
                t.name(),
                r.remaining()
            ),
            Rule::both(match t {
                PacketType::Pingreq => "§3.12",
                PacketType::Pingresp => "§3.13",
                _ => "§2.1.4",
            }),
        ));
    }
    Ok(packet)
}

/// A CONNECT's bytes with the password replaced by `*` (its length kept),
/// so that neither the packet inspector nor an exported session shows it.
pub fn redact_password(p: Protocol, raw: &[u8]) -> Vec<u8> {
    let mut out = raw.to_vec();
    let mut fields = Vec::new();
    let _ = decode(p, raw, Some(&mut fields));
    if let Some(f) = fields.iter().find(|f| f.name == "Password") {
        // The two length bytes stay; the password's own bytes go.
        for b in out.iter_mut().take(f.end).skip(f.start + 2) {
            *b = b'*';
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_flags_are_malformed_for_every_type_but_publish() {
        // CONNACK with flags 0001, PUBREL with 0000: [MQTT-2.1.3-1].
        for (p, bytes, rule) in [
            (Protocol::V5, vec![0x21, 3, 0, 0, 0], "[MQTT-2.1.3-1]"),
            (Protocol::V311, vec![0x21, 2, 0, 0], "[MQTT-2.2.2-1]"),
            (Protocol::V5, vec![0x60, 2, 0, 1], "[MQTT-2.1.3-1]"),
            (Protocol::V311, vec![0x80, 2, 0, 1], "[MQTT-2.2.2-1]"),
            (Protocol::V5, vec![0xD1, 0], "[MQTT-2.1.3-1]"),
            (Protocol::V5, vec![0xA0, 4, 0, 1, 0, 0], "[MQTT-2.1.3-1]"),
            (
                Protocol::V311,
                vec![0xA3, 5, 0, 1, 0, 1, b'a'],
                "[MQTT-2.2.2-1]",
            ),
            (Protocol::V5, vec![0xE1, 0], "[MQTT-2.1.3-1]"),
            (Protocol::V5, vec![0xF2, 0], "[MQTT-2.1.3-1]"),
        ] {
            let e = decode(p, &bytes, None).unwrap_err();
            assert_eq!(
                (e.kind, e.offset, e.rule),
                (ErrorKind::Malformed, 0, rule),
                "{bytes:02x?}"
            );
        }
    }

    #[test]
    fn type_0_and_auth_on_311_are_reserved() {
        assert!(decode(Protocol::V5, &[0x00, 0], None)
            .unwrap_err()
            .what
            .contains("type 0"));
        assert!(decode(Protocol::V311, &[0xF0, 0], None)
            .unwrap_err()
            .what
            .contains("type 15"));
        assert_eq!(
            decode(Protocol::V5, &[0xF0, 0], None),
            Ok(Packet::Auth(Disconnect::default()))
        );
    }

    #[test]
    fn fixed_size_packets_refuse_extra_bytes() {
        // PINGRESP with a body.
        let e = decode(Protocol::V5, &[0xD0, 1, 0], None).unwrap_err();
        assert_eq!((e.offset, e.rule), (2, "§3.13"));
        assert_eq!(
            decode(Protocol::V311, &[0xD0, 0], None),
            Ok(Packet::Pingresp)
        );
    }

    #[test]
    fn remaining_length_must_match_and_be_minimal() {
        // D0 80 00: PINGRESP whose length 0 takes two bytes ([MQTT-1.5.5-1]).
        let e = decode(Protocol::V5, &[0xD0, 0x80, 0x00], None).unwrap_err();
        assert_eq!((e.offset, e.rule), (1, "[MQTT-1.5.5-1]"));
        let e = decode(Protocol::V311, &[0x40, 3, 0, 1], None).unwrap_err();
        assert!(e.what.contains("says 3 bytes follow, but 2 do"), "{e}");
    }

    #[test]
    fn a_body_beyond_the_largest_remaining_length_is_refused_before_sending() {
        let big = Publish {
            topic: "t".into(),
            payload: vec![0; coding::VARINT_MAX],
            ..Publish::default()
        };
        let e = Packet::Publish(big).encode(Protocol::V311).unwrap_err();
        assert!(e.what.contains("268,435,455"), "{e}");
    }

    #[test]
    fn summaries_name_the_key_fields() {
        let p = Packet::Publish(Publish {
            qos: QoS::AtLeastOnce,
            packet_id: 7,
            topic: "sensors/t".into(),
            ..Publish::default()
        });
        assert_eq!(p.summary(), "PUBLISH qos=1 id=7 \"sensors/t\"");
        let a = Packet::Puback(Ack {
            packet_id: 7,
            code: ReasonCode::NO_MATCHING_SUBSCRIBERS,
            ..Ack::default()
        });
        assert_eq!(a.summary(), "PUBACK id=7 0x10");
        assert_eq!(Packet::Pingreq.summary(), "PINGREQ");
    }

    #[test]
    fn a_trace_covers_the_fixed_header() {
        let mut trace = Vec::new();
        decode(Protocol::V5, &[0x40, 3, 0, 5, 0x10], Some(&mut trace)).unwrap();
        let names: Vec<_> = trace
            .iter()
            .map(|f| (f.name, f.start, f.end, f.value.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("Packet Type", 0, 1, "4 (PUBACK)"),
                ("Flags", 0, 1, "0000 (reserved)"),
                ("Remaining Length", 1, 2, "3"),
                ("Packet Identifier", 2, 4, "5"),
                ("Reason Code", 4, 5, "0x10 No matching subscribers"),
            ]
        );
    }
}
