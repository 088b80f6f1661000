//! Encoding and decoding of the packets a client sends and receives.
//! The decoder never panics, never allocates more than the maximum packet
//! size it is given, and reports malformed input as an error.

use std::fmt;

/// Protocol level in CONNECT (3.1.1 §3.1.2.2: 4; 5.0 §3.1.2.2: 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    V311,
    V5,
}

impl Protocol {
    pub fn level(self) -> u8 {
        match self {
            Protocol::V311 => 4,
            Protocol::V5 => 5,
        }
    }
}

/// Packets a client receives (and, for tests, the acks it sends).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Packet {
    Connack {
        session_present: bool,
        code: u8,
    },
    Publish {
        dup: bool,
        qos: u8,
        retain: bool,
        topic: String,
        packet_id: Option<u16>,
        payload: Vec<u8>,
    },
    Puback {
        packet_id: u16,
        code: u8,
    },
    Pubrec {
        packet_id: u16,
        code: u8,
    },
    Pubrel {
        packet_id: u16,
        code: u8,
    },
    Pubcomp {
        packet_id: u16,
        code: u8,
    },
    Suback {
        packet_id: u16,
        codes: Vec<u8>,
    },
    Unsuback {
        packet_id: u16,
        codes: Vec<u8>,
    },
    Pingresp,
    Disconnect {
        code: u8,
    },
    Auth {
        code: u8,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The bytes do not form a valid packet; what is wrong, in words.
    Malformed(&'static str),
    /// The packet announces more bytes than the client accepts.
    TooLarge { size: usize, max: usize },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Malformed(what) => write!(f, "malformed packet from the broker: {what}"),
            DecodeError::TooLarge { size, max } => {
                write!(
                    f,
                    "the broker sent a {size}-byte packet; this client accepts at most {max} bytes"
                )
            }
        }
    }
}

// ---------- encoding ----------

fn put_varint(out: &mut Vec<u8>, mut n: usize) {
    // §1.5.5 (3.1.1 §2.2.3): 7 bits per byte, high bit = more; at most 4 bytes.
    loop {
        let mut byte = (n % 128) as u8;
        n /= 128;
        if n > 0 {
            byte |= 0x80;
        }
        out.push(byte);
        if n == 0 {
            break;
        }
    }
}

fn put_u16(out: &mut Vec<u8>, n: u16) {
    out.extend_from_slice(&n.to_be_bytes());
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    // Length-prefixed: at most 65,535 bytes; callers keep strings within it.
    let len = b.len().min(usize::from(u16::MAX));
    put_u16(out, len as u16);
    out.extend_from_slice(&b[..len]);
}

fn packet(first: u8, body: Vec<u8>) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 5);
    out.push(first);
    put_varint(&mut out, body.len());
    out.extend(body);
    out
}

/// What CONNECT carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectSpec<'a> {
    pub protocol: Protocol,
    pub client_id: &'a str,
    pub clean_start: bool,
    pub keepalive_s: u16,
    pub username: Option<&'a str>,
    pub password: Option<&'a [u8]>,
    /// (topic, payload, qos, retain)
    pub will: Option<(&'a str, &'a [u8], u8, bool)>,
    /// MQTT 5: Session Expiry Interval (property 0x11), seconds.
    pub session_expiry_s: u32,
}

pub fn connect(c: &ConnectSpec) -> Vec<u8> {
    let mut body = Vec::new();
    put_bytes(&mut body, b"MQTT");
    body.push(c.protocol.level());
    let mut flags = 0u8;
    if c.clean_start {
        flags |= 0x02;
    }
    if let Some((_, _, qos, retain)) = c.will {
        flags |= 0x04 | (qos.min(2) << 3);
        if retain {
            flags |= 0x20;
        }
    }
    if c.password.is_some() {
        flags |= 0x40;
    }
    if c.username.is_some() {
        flags |= 0x80;
    }
    body.push(flags);
    put_u16(&mut body, c.keepalive_s);
    if c.protocol == Protocol::V5 {
        if c.session_expiry_s > 0 {
            body.push(5);
            body.push(0x11);
            body.extend_from_slice(&c.session_expiry_s.to_be_bytes());
        } else {
            body.push(0);
        }
    }
    put_bytes(&mut body, c.client_id.as_bytes());
    if let Some((topic, payload, _, _)) = c.will {
        if c.protocol == Protocol::V5 {
            body.push(0); // will properties
        }
        put_bytes(&mut body, topic.as_bytes());
        put_bytes(&mut body, payload);
    }
    if let Some(u) = c.username {
        put_bytes(&mut body, u.as_bytes());
    }
    if let Some(p) = c.password {
        put_bytes(&mut body, p);
    }
    packet(0x10, body)
}

pub fn publish(
    p: Protocol,
    topic: &str,
    payload: &[u8],
    qos: u8,
    retain: bool,
    dup: bool,
    packet_id: u16,
) -> Vec<u8> {
    let qos = qos.min(2);
    let first = 0x30 | (u8::from(dup && qos > 0) << 3) | (qos << 1) | u8::from(retain);
    let mut body = Vec::with_capacity(topic.len() + payload.len() + 5);
    put_bytes(&mut body, topic.as_bytes());
    if qos > 0 {
        put_u16(&mut body, packet_id);
    }
    if p == Protocol::V5 {
        body.push(0);
    }
    body.extend_from_slice(payload);
    packet(first, body)
}

/// PUBACK (0x40), PUBREC (0x50), PUBREL (0x62), PUBCOMP (0x70) with reason 0.
pub fn ack(first: u8, packet_id: u16) -> Vec<u8> {
    vec![first, 2, (packet_id >> 8) as u8, packet_id as u8]
}

pub fn subscribe(p: Protocol, packet_id: u16, filter: &str, qos: u8) -> Vec<u8> {
    let mut body = Vec::new();
    put_u16(&mut body, packet_id);
    if p == Protocol::V5 {
        body.push(0);
    }
    put_bytes(&mut body, filter.as_bytes());
    body.push(qos.min(2));
    packet(0x82, body)
}

pub fn unsubscribe(p: Protocol, packet_id: u16, filter: &str) -> Vec<u8> {
    let mut body = Vec::new();
    put_u16(&mut body, packet_id);
    if p == Protocol::V5 {
        body.push(0);
    }
    put_bytes(&mut body, filter.as_bytes());
    packet(0xA2, body)
}

pub fn pingreq() -> Vec<u8> {
    vec![0xC0, 0]
}

/// DISCONNECT; on MQTT 5 with a reason code (0 may be omitted, §3.14.2.1).
pub fn disconnect(p: Protocol, code: u8) -> Vec<u8> {
    if p == Protocol::V5 && code != 0 {
        vec![0xE0, 2, code, 0]
    } else {
        vec![0xE0, 0]
    }
}

// ---------- decoding ----------

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn u8(&mut self) -> Result<u8, DecodeError> {
        let v = *self
            .b
            .get(self.at)
            .ok_or(DecodeError::Malformed("packet ends early"))?;
        self.at += 1;
        Ok(v)
    }
    fn u16(&mut self) -> Result<u16, DecodeError> {
        Ok(u16::from(self.u8()?) << 8 | u16::from(self.u8()?))
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.b.len())
            .ok_or(DecodeError::Malformed("length beyond the packet"))?;
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn string(&mut self) -> Result<String, DecodeError> {
        let n = usize::from(self.u16()?);
        String::from_utf8(self.take(n)?.to_vec())
            .map_err(|_| DecodeError::Malformed("a string is not valid UTF-8"))
    }
    fn varint(&mut self) -> Result<usize, DecodeError> {
        let mut n = 0usize;
        for shift in 0..4 {
            let b = self.u8()?;
            n |= usize::from(b & 0x7F) << (7 * shift);
            if b & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err(DecodeError::Malformed(
            "variable byte integer longer than 4 bytes",
        ))
    }
    /// Skips an MQTT 5 property block.
    fn properties(&mut self) -> Result<(), DecodeError> {
        let n = self.varint()?;
        self.take(n).map(|_| ())
    }
    fn rest(&self) -> &'a [u8] {
        &self.b[self.at.min(self.b.len())..]
    }
    fn done(&self) -> bool {
        self.at >= self.b.len()
    }
}

/// Decodes one packet body (after the fixed header).
fn decode_body(p: Protocol, first: u8, body: &[u8]) -> Result<Packet, DecodeError> {
    let mut r = Reader { b: body, at: 0 };
    let kind = first >> 4;
    let flags = first & 0x0F;
    // An ack's reason code (0 when omitted, MQTT 5 §3.4.2.1).
    let ack = |r: &mut Reader| -> Result<(u16, u8), DecodeError> {
        let id = r.u16()?;
        let code = if p == Protocol::V5 && !r.done() {
            r.u8()?
        } else {
            0
        };
        Ok((id, code))
    };
    match kind {
        2 => {
            let ack_flags = r.u8()?;
            if ack_flags & 0xFE != 0 {
                return Err(DecodeError::Malformed("CONNACK reserved flags set"));
            }
            let code = r.u8()?;
            if p == Protocol::V5 && !r.done() {
                r.properties()?;
            }
            Ok(Packet::Connack {
                session_present: ack_flags & 1 == 1,
                code,
            })
        }
        3 => {
            let qos = (flags >> 1) & 3;
            if qos == 3 {
                return Err(DecodeError::Malformed("PUBLISH with QoS 3"));
            }
            let topic = r.string()?;
            let packet_id = if qos > 0 { Some(r.u16()?) } else { None };
            if packet_id == Some(0) {
                return Err(DecodeError::Malformed("packet identifier 0"));
            }
            if p == Protocol::V5 {
                r.properties()?;
            }
            Ok(Packet::Publish {
                dup: flags & 8 != 0,
                qos,
                retain: flags & 1 != 0,
                topic,
                packet_id,
                payload: r.rest().to_vec(),
            })
        }
        4 => ack(&mut r).map(|(packet_id, code)| Packet::Puback { packet_id, code }),
        5 => ack(&mut r).map(|(packet_id, code)| Packet::Pubrec { packet_id, code }),
        6 => ack(&mut r).map(|(packet_id, code)| Packet::Pubrel { packet_id, code }),
        7 => ack(&mut r).map(|(packet_id, code)| Packet::Pubcomp { packet_id, code }),
        9 | 11 => {
            let packet_id = r.u16()?;
            if p == Protocol::V5 {
                r.properties()?;
            }
            let codes = r.rest().to_vec();
            if kind == 9 {
                if codes.is_empty() {
                    return Err(DecodeError::Malformed("SUBACK without return codes"));
                }
                Ok(Packet::Suback { packet_id, codes })
            } else {
                Ok(Packet::Unsuback { packet_id, codes })
            }
        }
        13 => Ok(Packet::Pingresp),
        14 => Ok(Packet::Disconnect {
            code: if r.done() { 0 } else { r.u8()? },
        }),
        15 if p == Protocol::V5 => Ok(Packet::Auth {
            code: if r.done() { 0 } else { r.u8()? },
        }),
        _ => Err(DecodeError::Malformed(
            "a packet type a broker does not send to clients",
        )),
    }
}

/// A streaming decoder: feed it bytes as they arrive; take packets out.
#[derive(Debug, Clone)]
pub struct Decoder {
    protocol: Protocol,
    max_packet: usize,
    buf: Vec<u8>,
}

impl Decoder {
    pub fn new(protocol: Protocol, max_packet: usize) -> Self {
        Self {
            protocol,
            max_packet,
            buf: Vec::new(),
        }
    }

    /// Adds bytes; refuses to buffer beyond one maximum-size packet.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), DecodeError> {
        let limit = self.max_packet.saturating_add(5);
        if self.buf.len().saturating_add(bytes.len()) > limit.saturating_mul(2) {
            // Several whole packets in one frame are fine; a flood is not.
            let size = self.buf.len() + bytes.len();
            self.buf.clear();
            return Err(DecodeError::TooLarge {
                size,
                max: self.max_packet,
            });
        }
        self.buf.extend_from_slice(bytes);
        Ok(())
    }

    /// The next complete packet, an error, or None until more bytes arrive.
    pub fn next_packet(&mut self) -> Option<Result<Packet, DecodeError>> {
        let first = *self.buf.first()?;
        let mut len = 0usize;
        let mut header = 1;
        loop {
            let b = *self.buf.get(header)?;
            len |= usize::from(b & 0x7F) << (7 * (header - 1));
            header += 1;
            if b & 0x80 == 0 {
                break;
            }
            if header > 4 {
                self.buf.clear();
                return Some(Err(DecodeError::Malformed(
                    "remaining length longer than 4 bytes",
                )));
            }
        }
        if len > self.max_packet {
            self.buf.clear();
            return Some(Err(DecodeError::TooLarge {
                size: len,
                max: self.max_packet,
            }));
        }
        if self.buf.len() < header + len {
            return None;
        }
        let result = decode_body(self.protocol, first, &self.buf[header..header + len]);
        self.buf.drain(..header + len);
        Some(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn spec(p: Protocol) -> ConnectSpec<'static> {
        ConnectSpec {
            protocol: p,
            client_id: "a",
            clean_start: true,
            keepalive_s: 60,
            username: None,
            password: None,
            will: None,
            session_expiry_s: 0,
        }
    }

    #[test]
    fn connect_311_minimal() {
        // 3.1.1 §3.1: "MQTT", level 4, clean session, keepalive 60, client id "a".
        assert_eq!(
            connect(&spec(Protocol::V311)),
            [0x10, 13, 0, 4, b'M', b'Q', b'T', b'T', 4, 0x02, 0, 60, 0, 1, b'a']
        );
    }

    #[test]
    fn connect_5_with_session_expiry_will_and_credentials() {
        let c = ConnectSpec {
            protocol: Protocol::V5,
            client_id: "c",
            clean_start: false,
            keepalive_s: 30,
            username: Some("u"),
            password: Some(b"p"),
            will: Some(("w", b"x", 1, true)),
            session_expiry_s: 3600,
        };
        let bytes = connect(&c);
        let expected: Vec<u8> = [
            vec![0x10, 32, 0, 4, b'M', b'Q', b'T', b'T', 5], // 10 + 6 + 3 + 7 + 6 = 32
            // flags: user, password, will retain, will QoS 1, will flag; no clean start
            vec![0x80 | 0x40 | 0x20 | 0x08 | 0x04, 0, 30],
            vec![5, 0x11, 0, 0, 0x0E, 0x10], // properties: session expiry 3600
            vec![0, 1, b'c'],
            vec![0, 0, 1, b'w', 0, 1, b'x'], // will properties, topic, payload
            vec![0, 1, b'u', 0, 1, b'p'],
        ]
        .concat();
        assert_eq!(bytes, expected);
    }

    #[test]
    fn small_packets() {
        assert_eq!(pingreq(), [0xC0, 0]);
        assert_eq!(disconnect(Protocol::V311, 0), [0xE0, 0]);
        assert_eq!(disconnect(Protocol::V5, 0x04), [0xE0, 2, 0x04, 0]);
        assert_eq!(ack(0x62, 0x1234), [0x62, 2, 0x12, 0x34]);
        assert_eq!(
            subscribe(Protocol::V311, 1, "a/b", 1),
            [0x82, 8, 0, 1, 0, 3, b'a', b'/', b'b', 1]
        );
        assert_eq!(
            subscribe(Protocol::V5, 1, "a", 2),
            [0x82, 7, 0, 1, 0, 0, 1, b'a', 2]
        );
        assert_eq!(
            publish(Protocol::V311, "t", b"hi", 1, true, true, 7),
            [0x3B, 7, 0, 1, b't', 0, 7, b'h', b'i']
        );
        assert_eq!(
            publish(Protocol::V5, "t", b"", 0, false, true, 0),
            [0x30, 4, 0, 1, b't', 0]
        );
    }

    #[test]
    fn varint_boundaries() {
        // §1.5.5 Table 1-1: 127 → 1 byte, 128 → 2, 16,383 → 2, 16,384 → 3, 2,097,152 → 4.
        for (n, expected) in [
            (0, vec![0x00]),
            (127, vec![0x7F]),
            (128, vec![0x80, 0x01]),
            (16_383, vec![0xFF, 0x7F]),
            (16_384, vec![0x80, 0x80, 0x01]),
            (2_097_152, vec![0x80, 0x80, 0x80, 0x01]),
        ] {
            let mut out = Vec::new();
            put_varint(&mut out, n);
            assert_eq!(out, expected, "{n}");
            assert_eq!(Reader { b: &out, at: 0 }.varint(), Ok(n));
        }
    }

    fn decode_all(p: Protocol, bytes: &[u8]) -> Vec<Result<Packet, DecodeError>> {
        let mut d = Decoder::new(p, 1024);
        d.feed(bytes).unwrap();
        std::iter::from_fn(|| d.next_packet()).collect()
    }

    #[test]
    fn decodes_broker_packets() {
        assert_eq!(
            decode_all(Protocol::V311, &[0x20, 2, 0, 0]),
            [Ok(Packet::Connack {
                session_present: false,
                code: 0
            })]
        );
        assert_eq!(
            decode_all(Protocol::V311, &[0x20, 2, 1, 4]),
            [Ok(Packet::Connack {
                session_present: true,
                code: 4
            })]
        );
        // MQTT 5 CONNACK 0x86 with a property (receive maximum 10).
        assert_eq!(
            decode_all(Protocol::V5, &[0x20, 6, 0, 0x86, 3, 0x21, 0, 10]),
            [Ok(Packet::Connack {
                session_present: false,
                code: 0x86
            })]
        );
        assert_eq!(
            decode_all(
                Protocol::V311,
                &[0x32, 7, 0, 1, b't', 0, 9, b'o', b'k', 0xD0, 0]
            ),
            [
                Ok(Packet::Publish {
                    dup: false,
                    qos: 1,
                    retain: false,
                    topic: "t".into(),
                    packet_id: Some(9),
                    payload: b"ok".to_vec()
                }),
                Ok(Packet::Pingresp)
            ]
        );
        assert_eq!(
            decode_all(Protocol::V5, &[0x90, 4, 0, 1, 0, 0x80]),
            [Ok(Packet::Suback {
                packet_id: 1,
                codes: vec![0x80]
            })]
        );
        assert_eq!(
            decode_all(Protocol::V5, &[0x40, 3, 0, 5, 0x10]),
            [Ok(Packet::Puback {
                packet_id: 5,
                code: 0x10
            })]
        );
        assert_eq!(
            decode_all(Protocol::V5, &[0xE0, 2, 0x8E, 0]),
            [Ok(Packet::Disconnect { code: 0x8E })]
        );
    }

    #[test]
    fn split_frames_and_errors() {
        let mut d = Decoder::new(Protocol::V311, 1024);
        d.feed(&[0x20]).unwrap();
        assert_eq!(d.next_packet(), None);
        d.feed(&[2, 0]).unwrap();
        assert_eq!(d.next_packet(), None);
        d.feed(&[0]).unwrap();
        assert_eq!(
            d.next_packet(),
            Some(Ok(Packet::Connack {
                session_present: false,
                code: 0
            }))
        );
        // A 5-byte remaining length.
        assert_eq!(
            decode_all(Protocol::V311, &[0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
            [Err(DecodeError::Malformed(
                "remaining length longer than 4 bytes"
            ))]
        );
        // Announces 2,000 bytes against a 1,024-byte limit: refused before buffering them.
        assert_eq!(
            decode_all(Protocol::V311, &[0x30, 0xD0, 0x0F]),
            [Err(DecodeError::TooLarge {
                size: 2000,
                max: 1024
            })]
        );
        assert_eq!(
            decode_all(Protocol::V311, &[0x36, 3, 0, 1, b't']),
            [Err(DecodeError::Malformed("PUBLISH with QoS 3"))]
        );
        assert_eq!(
            decode_all(Protocol::V311, &[0x30, 3, 0, 1, 0xFF]),
            [Err(DecodeError::Malformed("a string is not valid UTF-8"))]
        );
        assert_eq!(
            decode_all(Protocol::V311, &[0x10, 0]),
            [Err(DecodeError::Malformed(
                "a packet type a broker does not send to clients"
            ))]
        );
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600), p in prop_oneof![Just(Protocol::V311), Just(Protocol::V5)]) {
            let mut d = Decoder::new(p, 256);
            if d.feed(&bytes).is_ok() {
                let mut n = 0;
                while let Some(r) = d.next_packet() {
                    n += 1;
                    prop_assert!(n <= bytes.len());
                    if let Ok(Packet::Publish { payload, .. }) = r {
                        prop_assert!(payload.len() <= 256);
                    }
                }
                prop_assert!(d.buf.len() <= 256 + 5 || d.buf.len() <= bytes.len());
            }
        }

        #[test]
        fn publish_round_trips(topic in "[a-z/]{1,20}", payload in proptest::collection::vec(any::<u8>(), 0..300), qos in 0u8..=2, retain in any::<bool>(), id in 1u16..) {
            for p in [Protocol::V311, Protocol::V5] {
                let bytes = publish(p, &topic, &payload, qos, retain, false, id);
                let got = decode_all(p, &bytes);
                let expected_id = (qos > 0).then_some(id);
                prop_assert_eq!(got, vec![Ok(Packet::Publish { dup: false, qos, retain, topic: topic.clone(), packet_id: expected_id, payload: payload.clone() })]);
            }
        }
    }
}
