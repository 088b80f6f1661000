//! Finds packets in a byte stream. A WebSocket frame may hold many packets,
//! or part of one ([MQTT-6.0.0-2]): whole packets are decoded straight from
//! the frame, and only the unfinished tail is kept, so every byte is copied
//! at most once and a frame of any size costs time linear in its length.

use super::error::{DecodeError, ErrorKind, Rule};
use super::packet::{self, Packet};
use super::Protocol;
use std::borrow::Cow;

/// A decoded packet with its bytes on the wire: borrowed from the input when
/// the packet was whole in it (the common case, no copy), owned when it was
/// put together from pieces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    pub packet: Packet,
    pub raw: Cow<'a, [u8]>,
}

/// A packet that breaks a rule, with the bytes of it that arrived (the whole
/// packet, or its first bytes when it was refused by its size or header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub error: DecodeError,
    pub raw: Vec<u8>,
}

/// The most bytes of a refused packet kept to show it.
const FAILURE_BYTES: usize = 64;

#[derive(Debug, Clone)]
pub struct Decoder {
    protocol: Protocol,
    /// The largest whole packet accepted (fixed header included, as MQTT 5's
    /// Maximum Packet Size counts it, §3.1.2.11.4).
    max_packet: usize,
    /// The start of a packet whose end has not arrived yet.
    partial: Vec<u8>,
    /// After an error the stream cannot be trusted: nothing more is decoded.
    failed: bool,
}

/// 5.0: the broker must not send more than the Maximum Packet Size this
/// client declared in CONNECT. 3.1.1 has no such limit: it is this client's.
const TOO_LARGE: Rule = Rule {
    v311: "",
    v5: "[MQTT-3.1.2-24]",
};

impl Decoder {
    pub fn new(protocol: Protocol, max_packet: usize) -> Self {
        Self {
            protocol,
            max_packet,
            partial: Vec::new(),
            failed: false,
        }
    }

    /// Bytes held for an unfinished packet.
    pub fn buffered(&self) -> usize {
        self.partial.len()
    }

    /// The next packet from `input` (advanced past what was used), an error,
    /// or None when `input` is used up without completing a packet.
    pub fn next_packet<'a>(
        &mut self,
        input: &mut &'a [u8],
    ) -> Option<Result<Decoded<'a>, Failure>> {
        if self.failed {
            *input = &[];
            return None;
        }
        let result = if self.partial.is_empty() {
            self.whole_from_input(input)
        } else {
            self.complete_partial(input)
        };
        if matches!(result, Some(Err(_))) {
            self.failed = true;
            self.partial = Vec::new();
            *input = &[];
        }
        result
    }

    /// The whole packet size announced by the header at the start of `bytes`.
    fn size(&self, bytes: &[u8]) -> Result<Option<usize>, DecodeError> {
        match packet::header(bytes) {
            Ok(Some((_, header, body))) => {
                let size = header + body;
                if size > self.max_packet {
                    return Err(DecodeError {
                        offset: 1,
                        kind: ErrorKind::TooLarge,
                        what: format!(
                            "a {size}-byte packet; this client accepts at most {} bytes",
                            self.max_packet
                        ),
                        rule: TOO_LARGE.cite(self.protocol),
                    });
                }
                Ok(Some(size))
            }
            Ok(None) => Ok(None),
            Err((offset, what)) => Err(DecodeError {
                offset,
                kind: ErrorKind::Malformed,
                what: what.into(),
                rule: Rule {
                    v311: "§2.2.3",
                    v5: "[MQTT-1.5.5-1]",
                }
                .cite(self.protocol),
            }),
        }
    }

    fn whole_from_input<'a>(
        &mut self,
        input: &mut &'a [u8],
    ) -> Option<Result<Decoded<'a>, Failure>> {
        if input.is_empty() {
            return None;
        }
        match self.size(input) {
            Err(error) => Some(Err(Failure {
                error,
                raw: input[..input.len().min(FAILURE_BYTES)].to_vec(),
            })),
            Ok(Some(size)) if size <= input.len() => {
                let (raw, rest) = input.split_at(size);
                *input = rest;
                Some(self.decode(Cow::Borrowed(raw)))
            }
            // Unfinished: keep the tail, bounded by the size check above (or
            // by the five bytes of an unfinished header).
            Ok(_) => {
                self.partial.extend_from_slice(input);
                *input = &[];
                None
            }
        }
    }

    fn complete_partial<'a>(&mut self, input: &mut &[u8]) -> Option<Result<Decoded<'a>, Failure>> {
        // Complete the header first (at most five bytes), then the packet. A
        // header that turns out malformed is reported by `size` below.
        while let Ok(None) = packet::header(&self.partial) {
            let (&b, rest) = input.split_first()?;
            self.partial.push(b);
            *input = rest;
        }
        let size = match self.size(&self.partial) {
            Ok(size) => size.unwrap_or(0),
            Err(error) => {
                return Some(Err(Failure {
                    error,
                    raw: self.partial.clone(),
                }))
            }
        };
        let need = size.saturating_sub(self.partial.len()).min(input.len());
        self.partial.extend_from_slice(&input[..need]);
        *input = &input[need..];
        if self.partial.len() < size {
            return None;
        }
        let raw = std::mem::take(&mut self.partial);
        Some(self.decode(Cow::Owned(raw)))
    }

    fn decode<'a>(&self, raw: Cow<'a, [u8]>) -> Result<Decoded<'a>, Failure> {
        match packet::decode(self.protocol, &raw, None) {
            Ok(packet) => Ok(Decoded { packet, raw }),
            Err(error) => Err(Failure {
                error,
                raw: raw.into_owned(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mqtt::packet::{Ack, Publish, QoS};

    fn all(d: &mut Decoder, mut bytes: &[u8]) -> Vec<Result<Packet, DecodeError>> {
        std::iter::from_fn(|| d.next_packet(&mut bytes))
            .map(|r| r.map(|x| x.packet).map_err(|f| f.error))
            .collect()
    }

    #[test]
    fn packets_split_anywhere_across_frames() {
        let stream = [
            0x40, 2, 0, 9, 0x32, 7, 0, 1, b't', 0, 9, b'o', b'k', 0xD0, 0,
        ];
        let expected = vec![
            Ok(Packet::Puback(Ack {
                packet_id: 9,
                ..Ack::default()
            })),
            Ok(Packet::Publish(Publish {
                qos: QoS::AtLeastOnce,
                topic: "t".into(),
                packet_id: 9,
                payload: b"ok".to_vec(),
                ..Publish::default()
            })),
            Ok(Packet::Pingresp),
        ];
        for cut in 0..stream.len() {
            for cut2 in cut..stream.len() {
                let mut d = Decoder::new(Protocol::V311, 1024);
                let mut got = all(&mut d, &stream[..cut]);
                got.extend(all(&mut d, &stream[cut..cut2]));
                got.extend(all(&mut d, &stream[cut2..]));
                assert_eq!(got, expected, "cut at {cut} and {cut2}");
                assert_eq!(d.buffered(), 0);
            }
        }
    }

    #[test]
    fn a_frame_may_hold_far_more_than_the_packet_limit_in_whole_packets() {
        // [MQTT-6.0.0-2]: 10,000 PINGRESPs in one frame, limit 16 bytes.
        let frame: Vec<u8> = [0xD0, 0].repeat(10_000);
        let mut d = Decoder::new(Protocol::V5, 16);
        let got = all(&mut d, &frame);
        assert_eq!(got.len(), 10_000);
        assert!(got.iter().all(|p| p == &Ok(Packet::Pingresp)));
    }

    #[test]
    fn an_announced_size_over_the_limit_is_refused_before_buffering() {
        // Announces 2,000 bytes (D0 0F) against a 1,024-byte limit.
        let mut d = Decoder::new(Protocol::V5, 1024);
        let got = all(&mut d, &[0x30, 0xD0, 0x0F]);
        assert_eq!(got.len(), 1);
        let e = got[0].clone().unwrap_err();
        assert_eq!((e.kind, e.rule), (ErrorKind::TooLarge, "[MQTT-3.1.2-24]"));
        assert_eq!(d.buffered(), 0);
        // Nothing after an error is decoded.
        assert!(all(&mut d, &[0xD0, 0]).is_empty());
    }

    #[test]
    fn a_five_byte_remaining_length_is_malformed() {
        let mut d = Decoder::new(Protocol::V311, 1024);
        let got = all(&mut d, &[0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]);
        assert_eq!(got[0].clone().unwrap_err().kind, ErrorKind::Malformed);
    }

    #[test]
    fn a_malformed_remaining_length_split_across_frames_is_refused() {
        // Found by the fuzzer (crates/core/examples/fuzz.rs): a Remaining
        // Length that became too long or non-minimal only with the next frame
        // stalled the decoder silently (no error, nothing decoded any more).
        for (first, second) in [
            (&[0x30, 0x80][..], &[0x80, 0x80, 0x80, 0xD0, 0x00][..]),
            (&[0xD0, 0x80][..], &[0x00, 0xD0, 0x00][..]),
        ] {
            let mut d = Decoder::new(Protocol::V5, 1024);
            assert!(all(&mut d, first).is_empty());
            let got = all(&mut d, second);
            assert_eq!(got.len(), 1, "{got:?}");
            assert_eq!(got[0].clone().unwrap_err().kind, ErrorKind::Malformed);
            assert_eq!(d.buffered(), 0);
        }
    }

    #[test]
    fn raw_bytes_come_with_each_packet() {
        let mut d = Decoder::new(Protocol::V5, 64);
        let mut input: &[u8] = &[0xD0, 0, 0x40, 2, 0, 1];
        let a = d.next_packet(&mut input).unwrap().unwrap();
        let b = d.next_packet(&mut input).unwrap().unwrap();
        assert_eq!(
            (&a.raw[..], &b.raw[..]),
            (&[0xD0, 0][..], &[0x40, 2, 0, 1][..])
        );
        assert!(d.next_packet(&mut input).is_none());
    }
}
