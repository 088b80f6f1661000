//! The data representations of §1.5 (MQTT 3.1.1: §1.5 and §2.2.3): integers,
//! UTF-8 strings, binary data, variable byte integers; a reader that can
//! record every field it reads with its bytes (for the packet inspector), and
//! the writers.

use super::error::{DecodeError, EncodeError, ErrorKind, Rule};
use super::Protocol;

/// The largest value of a variable byte integer, and so the largest packet
/// body (5.0 §1.5.5, 3.1.1 §2.2.3).
pub const VARINT_MAX: usize = 268_435_455;

/// A section of the specification in each version, e.g. the Packet
/// Identifier is §2.3.1 in 3.1.1 and §2.2.1 in 5.0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sec(pub &'static str, pub &'static str);

impl Sec {
    pub fn get(self, p: Protocol) -> &'static str {
        match p {
            Protocol::V311 => self.0,
            Protocol::V5 => self.1,
        }
    }
}

/// One field of a decoded packet: its bytes (offsets from the packet's first
/// byte, end exclusive), its name, its value for people, and the section
/// that defines it. `depth` nests fields inside groups (a property inside the
/// property block, a filter inside a subscription).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Field {
    pub start: usize,
    pub end: usize,
    pub depth: u8,
    pub name: &'static str,
    pub value: String,
    pub section: &'static str,
}

pub(crate) const UTF8_WELL_FORMED: Rule = Rule {
    v311: "[MQTT-1.5.3-1]",
    v5: "[MQTT-1.5.4-1]",
};
pub(crate) const UTF8_NO_NULL: Rule = Rule {
    v311: "[MQTT-1.5.3-2]",
    v5: "[MQTT-1.5.4-2]",
};
const VARINT_MINIMAL: Rule = Rule {
    v311: "§2.2.3",
    v5: "[MQTT-1.5.5-1]",
};

/// Reads one packet's bytes; optionally records each field it reads.
pub(crate) struct Reader<'a, 't> {
    pub protocol: Protocol,
    buf: &'a [u8],
    pos: usize,
    trace: Option<&'t mut Vec<Field>>,
    pub depth: u8,
}

impl<'a, 't> Reader<'a, 't> {
    pub fn new(protocol: Protocol, buf: &'a [u8], trace: Option<&'t mut Vec<Field>>) -> Self {
        Self {
            protocol,
            buf,
            pos: 0,
            trace,
            depth: 0,
        }
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// An error at byte `offset` of the packet.
    pub fn error_at(
        &self,
        offset: usize,
        kind: ErrorKind,
        what: impl Into<String>,
        rule: Rule,
    ) -> DecodeError {
        DecodeError {
            offset,
            kind,
            what: what.into(),
            rule: rule.cite(self.protocol),
        }
    }

    /// An error at the current position.
    pub fn error(&self, kind: ErrorKind, what: impl Into<String>, rule: Rule) -> DecodeError {
        self.error_at(self.pos, kind, what, rule)
    }

    /// Records a field that started at `start` and ends here; `value` is only
    /// computed when a trace is being kept.
    pub fn mark(
        &mut self,
        start: usize,
        name: &'static str,
        section: Sec,
        value: &dyn Fn() -> String,
    ) {
        let (end, depth, protocol) = (self.pos, self.depth, self.protocol);
        if let Some(t) = self.trace.as_deref_mut() {
            t.push(Field {
                start,
                end,
                depth,
                name,
                value: value(),
                section: section.get(protocol),
            });
        }
    }

    /// Records a group header (a property block, a subscription) whose
    /// members follow at `depth + 1`; returns its index to close it later.
    pub fn open_group(&mut self, name: &'static str, section: Sec) -> Option<usize> {
        let (start, depth, protocol) = (self.pos, self.depth, self.protocol);
        self.depth += 1;
        self.trace.as_deref_mut().map(|t| {
            t.push(Field {
                start,
                end: start,
                depth,
                name,
                value: String::new(),
                section: section.get(protocol),
            });
            t.len() - 1
        })
    }

    pub fn close_group(&mut self, group: Option<usize>, value: &dyn Fn() -> String) {
        self.depth = self.depth.saturating_sub(1);
        let end = self.pos;
        if let (Some(t), Some(i)) = (self.trace.as_deref_mut(), group) {
            if let Some(f) = t.get_mut(i) {
                f.end = end;
                f.value = value();
            }
        }
    }

    fn truncated(&self, what: &str) -> DecodeError {
        self.error(
            ErrorKind::Malformed,
            format!("the packet ends inside {what}"),
            Rule {
                v311: "§2.2.3",
                v5: "§1.5",
            },
        )
    }

    pub fn u8(&mut self, what: &str) -> Result<u8, DecodeError> {
        let v = *self.buf.get(self.pos).ok_or_else(|| self.truncated(what))?;
        self.pos += 1;
        Ok(v)
    }

    pub fn u16(&mut self, what: &str) -> Result<u16, DecodeError> {
        let b = self.take(2, what)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    pub fn u32(&mut self, what: &str) -> Result<u32, DecodeError> {
        let b = self.take(4, what)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], DecodeError> {
        if n > self.remaining() {
            return Err(self.truncated(what));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// The rest of the packet (a PUBLISH payload, SUBACK codes).
    pub fn rest(&mut self) -> &'a [u8] {
        let s = &self.buf[self.pos.min(self.buf.len())..];
        self.pos = self.buf.len();
        s
    }

    /// A variable byte integer (5.0 §1.5.5): at most four bytes, minimal.
    pub fn varint(&mut self, what: &str) -> Result<u32, DecodeError> {
        let start = self.pos;
        let (value, len) = match read_varint(&self.buf[self.pos..]) {
            Varint::Value(v, len) => (v, len),
            Varint::Incomplete => return Err(self.truncated(what)),
            Varint::TooLong => {
                return Err(self.error_at(
                    start,
                    ErrorKind::Malformed,
                    format!("{what} is longer than four bytes"),
                    Rule {
                        v311: "§2.2.3",
                        v5: "§1.5.5",
                    },
                ))
            }
            Varint::NotMinimal => {
                return Err(self.error_at(
                    start,
                    ErrorKind::Malformed,
                    format!("{what} does not use the fewest bytes possible"),
                    VARINT_MINIMAL,
                ))
            }
        };
        self.pos += len;
        Ok(value)
    }

    /// A UTF-8 encoded string: two-byte length, then well-formed UTF-8
    /// without U+0000 (5.0 §1.5.4, 3.1.1 §1.5.3).
    pub fn utf8(&mut self, what: &str) -> Result<&'a str, DecodeError> {
        let n = usize::from(self.u16(what)?);
        let start = self.pos;
        let bytes = self.take(n, what)?;
        let s = std::str::from_utf8(bytes).map_err(|e| {
            self.error_at(
                start + e.valid_up_to(),
                ErrorKind::Malformed,
                format!("{what} is not well-formed UTF-8"),
                UTF8_WELL_FORMED,
            )
        })?;
        // U+0000 is the only character with a zero byte in UTF-8.
        if let Some(i) = bytes.iter().position(|&b| b == 0) {
            return Err(self.error_at(
                start + i,
                ErrorKind::Malformed,
                format!("{what} contains the null character U+0000"),
                UTF8_NO_NULL,
            ));
        }
        Ok(s)
    }

    /// Binary data: two-byte length, then the bytes (5.0 §1.5.6).
    pub fn binary(&mut self, what: &str) -> Result<&'a [u8], DecodeError> {
        let n = usize::from(self.u16(what)?);
        self.take(n, what)
    }

    // Read and record in one step: the common case of a simple field.

    pub fn u16_field(&mut self, name: &'static str, sec: Sec) -> Result<u16, DecodeError> {
        let start = self.pos;
        let v = self.u16(name)?;
        self.mark(start, name, sec, &|| v.to_string());
        Ok(v)
    }

    pub fn utf8_field(&mut self, name: &'static str, sec: Sec) -> Result<&'a str, DecodeError> {
        let start = self.pos;
        let v = self.utf8(name)?;
        self.mark(start, name, sec, &|| quote(v));
        Ok(v)
    }

    pub fn binary_field(&mut self, name: &'static str, sec: Sec) -> Result<&'a [u8], DecodeError> {
        let start = self.pos;
        let v = self.binary(name)?;
        self.mark(start, name, sec, &|| show_bytes(v));
        Ok(v)
    }
}

/// A string for people: quoted, with control characters escaped.
pub fn quote(s: &str) -> String {
    // By hand rather than with `{:?}`: the same text, without pulling the
    // standard library's Debug escaping into every page.
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Bytes for people: as a quoted string when they are printable UTF-8,
/// otherwise as hex; long values are cut with the total length given.
pub fn show_bytes(b: &[u8]) -> String {
    const SHOWN: usize = 64;
    let head = &b[..b.len().min(SHOWN)];
    let more = if b.len() > SHOWN {
        format!(" … ({} bytes)", b.len())
    } else {
        String::new()
    };
    match std::str::from_utf8(head) {
        Ok(s) if !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') => {
            format!("{}{more}", quote(s))
        }
        _ => format!("0x{}{more}", hex(head)),
    }
}

/// Lower-case hex without separators.
pub fn hex(b: &[u8]) -> String {
    use std::fmt::Write;
    b.iter()
        .fold(String::with_capacity(b.len() * 2), |mut s, x| {
            let _ = write!(s, "{x:02x}");
            s
        })
}

pub(crate) enum Varint {
    Value(u32, usize),
    Incomplete,
    TooLong,
    NotMinimal,
}

/// Reads a variable byte integer from the start of `b`.
pub(crate) fn read_varint(b: &[u8]) -> Varint {
    let mut value = 0u32;
    for i in 0..4 {
        let Some(&byte) = b.get(i) else {
            return Varint::Incomplete;
        };
        value |= u32::from(byte & 0x7F) << (7 * i);
        if byte & 0x80 == 0 {
            // A last byte of 0 after a continuation is a longer encoding than needed.
            if i > 0 && byte == 0 {
                return Varint::NotMinimal;
            }
            return Varint::Value(value, i + 1);
        }
    }
    Varint::TooLong
}

// ---------- writing ----------

pub(crate) fn varint_len(n: usize) -> usize {
    match n {
        0..=127 => 1,
        128..=16_383 => 2,
        16_384..=2_097_151 => 3,
        _ => 4,
    }
}

/// A variable byte integer's bytes and how many of them are used; callers
/// keep `n` within [`VARINT_MAX`].
pub fn varint_bytes(mut n: usize) -> ([u8; 4], usize) {
    let mut b = [0u8; 4];
    let mut used = 0;
    loop {
        let mut byte = (n % 128) as u8;
        n /= 128;
        if n > 0 {
            byte |= 0x80;
        }
        b[used.min(3)] = byte;
        used += 1;
        if n == 0 || used == 4 {
            return (b, used);
        }
    }
}

/// Writes a variable byte integer; callers keep `n` within [`VARINT_MAX`].
pub fn put_varint(out: &mut Vec<u8>, n: usize) {
    let (b, used) = varint_bytes(n);
    out.extend_from_slice(&b[..used]);
}

pub(crate) fn put_u16(out: &mut Vec<u8>, n: u16) {
    out.extend_from_slice(&n.to_be_bytes());
}

pub(crate) fn put_u32(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(&n.to_be_bytes());
}

/// Two-byte length, then the bytes; the caller checked the length with
/// [`check_len`].
pub(crate) fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put_u16(out, b.len() as u16);
    out.extend_from_slice(b);
}

/// A string or binary field must fit a two-byte length (5.0 §1.5.4, §1.5.6;
/// 3.1.1 §1.5.3): refused whole, never cut.
pub(crate) fn check_len(p: Protocol, what: &str, b: &[u8]) -> Result<(), EncodeError> {
    if b.len() > usize::from(u16::MAX) {
        return Err(EncodeError::new(
            format!(
                "{what} is {} bytes; MQTT strings and binary fields hold at most 65,535",
                b.len()
            ),
            Rule {
                v311: "§1.5.3",
                v5: "§1.5.4",
            }
            .cite(p),
        ));
    }
    Ok(())
}

/// A UTF-8 string we send: within 65,535 bytes and without U+0000.
pub(crate) fn check_str(p: Protocol, what: &str, s: &str) -> Result<(), EncodeError> {
    check_len(p, what, s.as_bytes())?;
    if s.contains('\0') {
        return Err(EncodeError::new(
            format!("{what} contains the null character U+0000"),
            UTF8_NO_NULL.cite(p),
        ));
    }
    Ok(())
}

pub(crate) fn str_len(s: &str) -> usize {
    2 + s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varint_boundaries_of_table_1_1() {
        // 5.0 §1.5.5: 127 → 1 byte, 128 → 2, 16,383 → 2, 16,384 → 3,
        // 2,097,151 → 3, 2,097,152 → 4, 268,435,455 → FF FF FF 7F.
        for (n, bytes) in [
            (0usize, vec![0x00]),
            (127, vec![0x7F]),
            (128, vec![0x80, 0x01]),
            (16_383, vec![0xFF, 0x7F]),
            (16_384, vec![0x80, 0x80, 0x01]),
            (2_097_151, vec![0xFF, 0xFF, 0x7F]),
            (2_097_152, vec![0x80, 0x80, 0x80, 0x01]),
            (VARINT_MAX, vec![0xFF, 0xFF, 0xFF, 0x7F]),
        ] {
            let mut out = Vec::new();
            put_varint(&mut out, n);
            assert_eq!(out, bytes, "{n}");
            assert_eq!(varint_len(n), bytes.len(), "{n}");
            assert!(
                matches!(read_varint(&bytes), Varint::Value(v, l) if v as usize == n && l == bytes.len())
            );
        }
    }

    #[test]
    fn varint_refuses_five_bytes_and_longer_than_needed_encodings() {
        assert!(matches!(
            read_varint(&[0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
            Varint::TooLong
        ));
        // 0 written in two bytes, 127 in three: [MQTT-1.5.5-1].
        assert!(matches!(read_varint(&[0x80, 0x00]), Varint::NotMinimal));
        assert!(matches!(
            read_varint(&[0xFF, 0x80, 0x00]),
            Varint::NotMinimal
        ));
        assert!(matches!(read_varint(&[0x80]), Varint::Incomplete));
    }

    #[test]
    fn strings_refuse_ill_formed_utf8_and_null_with_the_offset() {
        // "a", then an unpaired surrogate D800 encoded as ED A0 80.
        let bytes = [0, 4, b'a', 0xED, 0xA0, 0x80];
        let e = Reader::new(Protocol::V5, &bytes, None)
            .utf8("Topic Name")
            .unwrap_err();
        assert_eq!((e.offset, e.rule), (3, "[MQTT-1.5.4-1]"));
        let e = Reader::new(Protocol::V311, &[0, 3, b'a', 0, b'b'], None)
            .utf8("Topic Name")
            .unwrap_err();
        assert_eq!((e.offset, e.rule), (3, "[MQTT-1.5.3-2]"));
        assert_eq!(e.kind, ErrorKind::Malformed);
        // The BOM is a character like any other ([MQTT-1.5.4-3]): kept.
        let bom = [0, 3, 0xEF, 0xBB, 0xBF];
        assert_eq!(
            Reader::new(Protocol::V5, &bom, None).utf8("x"),
            Ok("\u{FEFF}")
        );
    }

    #[test]
    fn strings_that_do_not_fit_are_refused_not_cut() {
        let long = "é".repeat(40_000); // 80,000 bytes
        assert!(check_str(Protocol::V5, "Topic Name", &long)
            .unwrap_err()
            .what
            .contains("80000 bytes"));
        assert!(check_str(Protocol::V5, "Topic Name", &"a".repeat(65_535)).is_ok());
        assert_eq!(
            check_str(Protocol::V311, "Topic Name", "a\0b")
                .unwrap_err()
                .rule,
            "[MQTT-1.5.3-2]"
        );
    }

    #[test]
    fn fields_are_recorded_with_their_bytes() {
        let mut trace = Vec::new();
        let mut r = Reader::new(Protocol::V5, &[0, 2, b'h', b'i', 0, 7], Some(&mut trace));
        r.utf8_field("Topic Name", Sec("3.3.2.1", "3.3.2.1"))
            .unwrap();
        r.u16_field("Packet Identifier", Sec("2.3.1", "2.2.1"))
            .unwrap();
        assert_eq!(
            trace,
            [
                Field {
                    start: 0,
                    end: 4,
                    depth: 0,
                    name: "Topic Name",
                    value: "\"hi\"".into(),
                    section: "3.3.2.1"
                },
                Field {
                    start: 4,
                    end: 6,
                    depth: 0,
                    name: "Packet Identifier",
                    value: "7".into(),
                    section: "2.2.1"
                }
            ]
        );
    }

    #[test]
    fn quoted_as_rust_debug_quotes_them() {
        for s in [
            "a/b",
            "say \"hi\"",
            "back\\slash",
            "tab\tnew\nline",
            "bell\u{7}",
            "é ∑ 🙂",
            "",
        ] {
            assert_eq!(quote(s), format!("{s:?}"), "{s}");
        }
    }

    #[test]
    fn bytes_for_people() {
        assert_eq!(show_bytes(b"ok"), "\"ok\"");
        assert_eq!(show_bytes(&[0, 255]), "0x00ff");
        assert_eq!(
            show_bytes(&[b'a'; 70]),
            format!("\"{}\" … (70 bytes)", "a".repeat(64))
        );
    }
}
