//! The packet inspector's logic: hex dumps in (as pasted from Wireshark or
//! typed), packets with their fields and bytes out; a live session as JSON
//! to hand in and to view again; and the links to the specifications.

use crate::format::json_string;
use crate::mqtt::client::wire::{Dir, WireEntry};
use crate::mqtt::coding::{self, Field};
use crate::mqtt::packet::{self, Packet};
use crate::mqtt::{DecodeError, Protocol};

/// The largest dump the inspector decodes (bytes).
pub const MAX_DUMP: usize = 64 * 1024;

/// Dumps to start from: (name, MQTT version slug, hex).
pub const EXAMPLES: &[(&str, &str, &str)] = &[
    (
        "CONNECT and CONNACK (5.0)",
        "5",
        "10 15 00 04 4d 51 54 54 05 02 00 3c 00 00 08 6d 71 74 74 2d 6c 61 62 20 09 00 00 06 21 00 14 22 00 0a",
    ),
    ("QoS 2, one message (5.0)", "5", "34 0a 00 03 61 2f 62 00 01 00 68 69 50 02 00 01 62 02 00 01 70 02 00 01"),
    ("A broken PUBLISH (3.1.1)", "3", "36 03 00 01 74"),
];

/// The OASIS standard's HTML, where each section number is in the contents.
pub fn spec_url(p: Protocol) -> &'static str {
    match p {
        Protocol::V311 => "https://docs.oasis-open.org/mqtt/mqtt/v3.1.1/os/mqtt-v3.1.1-os.html",
        Protocol::V5 => "https://docs.oasis-open.org/mqtt/mqtt/v5.0/os/mqtt-v5.0-os.html",
    }
}

/// Bytes from a hex dump: pairs of hex digits, with any spacing, `0x`
/// prefixes, `:` or `-` separators; a Wireshark or `xxd` dump line's offset
/// column and text column are skipped.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut words: Vec<&str> = line.split_whitespace().collect();
        // An offset column: "00000010:" (xxd) or "0010" before byte pairs
        // (Wireshark's "Copy as hex dump").
        let offset = words.first().is_some_and(|w| {
            w.strip_suffix(':').is_some_and(is_hex)
                || (w.len() >= 4 && is_hex(w) && words.get(1).is_some_and(|b| b.len() == 2))
        });
        if offset {
            words.remove(0);
        }
        let tokens: Vec<&str> = words
            .iter()
            .flat_map(|w| w.split([':', '-', ',']))
            .filter(|t| !t.is_empty())
            .collect();
        let mut pending = String::new();
        for t in tokens {
            let t = t
                .strip_prefix("0x")
                .or_else(|| t.strip_prefix("0X"))
                .unwrap_or(t);
            if !is_hex(t) {
                // The text column of a dump ends the bytes of its line.
                if out.is_empty()
                    && pending.is_empty()
                    && !text.lines().skip(n + 1).any(|l| !l.trim().is_empty())
                {
                    return Err(format!(
                        "“{}” is not hexadecimal: use pairs of 0-9 and a-f, like 10 0d 00 04",
                        short(t)
                    ));
                }
                break;
            }
            pending.push_str(t);
        }
        if pending.len() % 2 == 1 {
            return Err(format!(
                "line {} has an odd number of hex digits: each byte is two digits",
                n + 1
            ));
        }
        for i in (0..pending.len()).step_by(2) {
            out.push(u8::from_str_radix(&pending[i..i + 2], 16).map_err(|e| e.to_string())?);
        }
        if out.len() > MAX_DUMP {
            return Err(format!(
                "more than {} KiB: paste one conversation at a time",
                MAX_DUMP / 1024
            ));
        }
    }
    if out.is_empty() {
        return Err("paste the bytes of one or more MQTT packets in hex, e.g. 20 02 00 00".into());
    }
    Ok(out)
}

fn is_hex(t: &str) -> bool {
    !t.is_empty() && t.chars().all(|c| c.is_ascii_hexdigit())
}

fn short(t: &str) -> String {
    t.chars().take(12).collect()
}

/// One packet of a dump, decoded with its fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Explained {
    /// Offset of the packet's first byte in the dump.
    pub start: usize,
    pub raw: Vec<u8>,
    pub fields: Vec<Field>,
    pub result: Result<Packet, DecodeError>,
}

impl Explained {
    pub fn summary(&self) -> String {
        match &self.result {
            Ok(p) => p.summary(),
            Err(e) => format!("refused: {e}"),
        }
    }
}

/// Splits a dump into packets and decodes each. A packet that breaks a rule
/// is shown with the fields read before the error; decoding goes on with
/// the next packet when the fixed header said where this one ends.
pub fn explain(p: Protocol, bytes: &[u8]) -> Vec<Explained> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let rest = &bytes[at..];
        let (size, complete) = match packet::header(rest) {
            Ok(Some((_, header, body))) => {
                let size = header + body;
                (size.min(rest.len()), size <= rest.len())
            }
            _ => (rest.len(), false),
        };
        let raw = rest[..size].to_vec();
        let mut fields = Vec::new();
        let result = packet::decode(p, &raw, Some(&mut fields));
        out.push(Explained {
            start: at,
            raw,
            fields,
            result,
        });
        if !complete {
            break;
        }
        at += size;
    }
    out
}

/// A packet's fields for display: decoded again from its bytes.
pub fn fields(p: Protocol, raw: &[u8]) -> (Vec<Field>, Option<DecodeError>) {
    let mut fields = Vec::new();
    let err = packet::decode(p, raw, Some(&mut fields)).err();
    (fields, err)
}

/// Where a row of a sequence diagram goes: between lanes, or across them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Arrow {
    /// From lane `0` to lane `1` (indices into the diagram's lanes).
    Between(usize, usize),
    /// A packet whose direction a dump does not tell (types both sides send).
    Either,
    /// Not a packet: a note across all lanes (a connection opened or closed).
    Note,
}

/// One row of a sequence diagram, in words and place.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Row {
    pub key: u64,
    pub arrow: Arrow,
    /// "PUBLISH qos=1 id=7 \"sensors/t\"", or the note.
    pub label: String,
    /// What the row is, beyond its type: "keepalive", "retransmission",
    /// "refused", "reconnect after 2.4 s".
    pub badge: Option<String>,
    /// Milliseconds since the first row; None where there are no times (a
    /// pasted dump), and the row's position is shown instead.
    pub at_ms: Option<u64>,
    pub refused: bool,
}

impl Row {
    /// What the row shows, as one number: its position and every field that
    /// is drawn. A diagram keys its rows by this, so a row whose content
    /// changed (another flow, another sample, an opened session reusing the
    /// positions) is drawn anew; keyed by position alone, a changed list kept
    /// the old drawing (issue 21's stale rows). FNV-1a: small, no random state.
    pub fn identity(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        struct Fnv(u64);
        impl Hasher for Fnv {
            fn finish(&self) -> u64 {
                self.0
            }
            fn write(&mut self, bytes: &[u8]) {
                for b in bytes {
                    self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
                }
            }
        }
        let mut h = Fnv(0xcbf2_9ce4_8422_2325);
        self.hash(&mut h);
        h.finish()
    }

    /// For people and screen readers: direction and time in words.
    pub fn text(&self, lanes: &[&str]) -> String {
        let badge = self
            .badge
            .as_ref()
            .map(|b| format!(" ({b})"))
            .unwrap_or_default();
        format!(
            "{}, {}: {}{badge}",
            self.when(),
            self.direction(lanes),
            self.label
        )
    }

    /// "client → broker", "either direction" or "note".
    pub fn direction(&self, lanes: &[&str]) -> String {
        match self.arrow {
            Arrow::Between(a, b) => format!(
                "{} → {}",
                lanes.get(a).copied().unwrap_or("?"),
                lanes.get(b).copied().unwrap_or("?")
            ),
            Arrow::Either => "either direction".into(),
            Arrow::Note => "note".into(),
        }
    }

    /// "12 ms", or "#3" for a row without a time.
    pub fn when(&self) -> String {
        match self.at_ms {
            Some(ms) => format!("{ms} ms"),
            None => format!("#{}", self.key + 1),
        }
    }
}

/// The diagram rows of a live session's wire log (client lane 0, broker
/// lane 1): keepalive pings, retransmissions and the reconnect gap named.
/// `closed_at` carries the last "connection closed" time across calls, so
/// that entries can be turned into rows as they arrive.
pub fn wire_rows(
    p: Protocol,
    entries: &[WireEntry],
    t0: u64,
    closed_at: &mut Option<u64>,
) -> Vec<Row> {
    entries
        .iter()
        .map(|e| {
            let kind = e.raw.first().map(|b| b >> 4);
            let badge = match (e.dir, kind) {
                _ if e.error.is_some() => Some("refused".to_string()),
                (_, Some(12 | 13)) => Some("keepalive".into()),
                (_, Some(3)) if e.raw[0] & 0x08 != 0 => Some("retransmission, DUP=1".into()),
                (Dir::Note, _) if e.note.starts_with("WebSocket open") => {
                    closed_at.take().map(|c| {
                        format!(
                            "reconnect after {} s",
                            crate::format::fixed((e.at_ms.saturating_sub(c)) as f64 / 1000.0, 1)
                        )
                    })
                }
                _ => None,
            };
            if e.dir == Dir::Note && e.note.starts_with("connection closed") {
                *closed_at = Some(e.at_ms);
            }
            Row {
                key: e.seq,
                arrow: match e.dir {
                    Dir::Sent => Arrow::Between(0, 1),
                    Dir::Received => Arrow::Between(1, 0),
                    Dir::Note => Arrow::Note,
                },
                label: e.summary(p),
                badge,
                at_ms: Some(e.at_ms.saturating_sub(t0)),
                refused: e.error.is_some(),
            }
        })
        .collect()
}

/// The diagram rows of a pasted dump: direction from the packet type where
/// only one side sends it.
pub fn dump_rows(p: Protocol, packets: &[Explained]) -> Vec<Row> {
    use crate::mqtt::packet::{PacketType, Sender};
    packets
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let sender = x
                .raw
                .first()
                .and_then(|b| PacketType::from_u8(b >> 4))
                .map(|t| t.sender(p));
            Row {
                key: i as u64,
                arrow: match sender {
                    Some(Sender::Client) => Arrow::Between(0, 1),
                    Some(Sender::Server) => Arrow::Between(1, 0),
                    _ => Arrow::Either,
                },
                label: x.summary(),
                badge: x.result.is_err().then(|| "refused".into()),
                at_ms: None,
                refused: x.result.is_err(),
            }
        })
        .collect()
}

/// A received message's MQTT 5 properties for people, one (name, value)
/// pair each: user properties, content type, payload format, response
/// topic, correlation data, message expiry, subscription identifiers, and
/// the topic alias it came with (already resolved to the topic).
pub fn message_properties(p: &crate::mqtt::Publish) -> Vec<(&'static str, String)> {
    let pr = &p.properties;
    let mut out = Vec::new();
    for (k, v) in &pr.user_properties {
        out.push((
            "User Property",
            format!("{} = {}", coding::quote(k), coding::quote(v)),
        ));
    }
    if let Some(c) = &pr.content_type {
        out.push(("Content Type", coding::quote(c)));
    }
    if let Some(f) = pr.payload_format_indicator {
        out.push((
            "Payload Format",
            if f == 1 {
                "UTF-8 text".into()
            } else {
                "bytes".into()
            },
        ));
    }
    if let Some(t) = &pr.response_topic {
        out.push(("Response Topic", coding::quote(t)));
    }
    if let Some(d) = &pr.correlation_data {
        out.push(("Correlation Data", coding::show_bytes(d)));
    }
    if let Some(e) = pr.message_expiry_interval {
        out.push(("Message Expiry", format!("{e} s left")));
    }
    if !pr.subscription_identifiers.is_empty() {
        let ids: Vec<String> = pr
            .subscription_identifiers
            .iter()
            .map(u32::to_string)
            .collect();
        out.push(("Subscription Identifiers", ids.join(", ")));
    }
    if let Some(a) = pr.topic_alias {
        out.push(("Topic Alias", format!("{a} → {}", coding::quote(&p.topic))));
    }
    out
}

/// The properties a learner sets on a message to publish, from the form's
/// text: user properties one `name=value` per line, content type, expiry in
/// seconds (empty: none), response topic, correlation data (as text).
pub fn publish_properties(
    user: &str,
    content_type: &str,
    expiry_s: &str,
    response_topic: &str,
    correlation: &str,
) -> Result<crate::mqtt::Properties, String> {
    let mut pr = crate::mqtt::Properties::default();
    for (n, line) in user
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let (k, v) = line
            .split_once('=')
            .ok_or_else(|| format!("user property line {} needs name=value", n + 1))?;
        pr.user_properties
            .push((k.trim().to_string(), v.trim().to_string()));
    }
    let text = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    pr.content_type = text(content_type);
    pr.response_topic = text(response_topic);
    pr.correlation_data = text(correlation).map(String::into_bytes);
    if let Some(e) = text(expiry_s) {
        pr.message_expiry_interval = Some(e.parse::<u32>().map_err(|_| {
            format!(
                "message expiry “{}” is not a whole number of seconds (0 to 4,294,967,295)",
                short(&e)
            )
        })?);
    }
    if let Some(t) = &pr.response_topic {
        crate::mqtt::topic::check_name(t).map_err(|why| format!("the response topic {why}"))?;
    }
    pr.check(crate::mqtt::PacketType::Publish.into())
        .map_err(|e| e.to_string())?;
    Ok(pr)
}

/// A session file, as read by the browser's JSON parser: what crossed the
/// wire, with times. (The file also lists each packet's fields, for people
/// reading it; they are recomputed from the bytes when shown.)
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SessionFile {
    /// "mqtt-lab-session/1"
    pub format: String,
    /// "3.1.1" or "5.0"
    pub protocol: String,
    pub packets: Vec<SessionPacket>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SessionPacket {
    pub seq: u64,
    pub at_ms: u64,
    /// "sent", "received" or "note"
    pub dir: String,
    pub hex: String,
    pub summary: String,
    pub error: Option<String>,
}

pub const FORMAT: &str = "mqtt-lab-session/1";

fn version_label(p: Protocol) -> &'static str {
    match p {
        Protocol::V311 => "3.1.1",
        Protocol::V5 => "5.0",
    }
}

/// The session file for wire-log entries (JSON, one packet per element).
pub fn export(p: Protocol, entries: &[WireEntry]) -> String {
    let mut out = format!(
        "{{\n  \"format\": {},\n  \"protocol\": {},\n  \"packets\": [",
        json_string(FORMAT),
        json_string(version_label(p))
    );
    for (i, e) in entries.iter().enumerate() {
        let dir = match e.dir {
            Dir::Sent => "sent",
            Dir::Received => "received",
            Dir::Note => "note",
        };
        let fields = if e.raw.is_empty() {
            Vec::new()
        } else {
            fields(p, &e.raw).0
        };
        let fields = fields
            .iter()
            .map(|f| {
                format!(
                    "{{\"name\": {}, \"value\": {}, \"section\": {}, \"start\": {}, \"end\": {}}}",
                    json_string(f.name),
                    json_string(&f.value),
                    json_string(f.section),
                    f.start,
                    f.end
                )
            })
            .collect::<Vec<_>>()
            .join(",\n        ");
        out.push_str(&format!(
            "{}\n    {{\"seq\": {}, \"at_ms\": {}, \"dir\": \"{dir}\", \"hex\": \"{}\", \"summary\": {}, \"error\": {},\n      \"fields\": [{}{fields}]}}",
            if i == 0 { "" } else { "," },
            e.seq,
            e.at_ms,
            coding::hex(&e.raw),
            json_string(&e.summary(p)),
            e.error.as_deref().map_or("null".into(), json_string),
            if fields.is_empty() { "" } else { "\n        " },
        ));
    }
    out.push_str("\n  ]\n}\n");
    out
}

/// Reads a session file back: its protocol and entries (bytes re-read from
/// hex; fields are recomputed when shown, never trusted from the file).
pub fn import(file: SessionFile) -> Result<(Protocol, Vec<WireEntry>), String> {
    if file.format != FORMAT {
        return Err(format!("format “{}” is not {FORMAT}", short(&file.format)));
    }
    let p = match file.protocol.as_str() {
        "3.1.1" => Protocol::V311,
        "5.0" => Protocol::V5,
        other => {
            return Err(format!(
                "protocol “{}” is neither 3.1.1 nor 5.0",
                short(other)
            ))
        }
    };
    let mut entries = Vec::with_capacity(file.packets.len());
    for (i, x) in file.packets.into_iter().enumerate() {
        let dir = match x.dir.as_str() {
            "sent" => Dir::Sent,
            "received" => Dir::Received,
            "note" => Dir::Note,
            other => return Err(format!("packet {}: direction “{}”", i + 1, short(other))),
        };
        let raw = if x.hex.is_empty() {
            Vec::new()
        } else {
            parse_hex(&x.hex).map_err(|e| format!("packet {}: {e}", i + 1))?
        };
        entries.push(WireEntry {
            seq: x.seq,
            at_ms: x.at_ms,
            dir,
            raw,
            note: if dir == Dir::Note {
                x.summary
            } else {
                String::new()
            },
            error: x.error,
        });
    }
    Ok((p, entries))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mqtt::ErrorKind;

    /// Issue 21's blocker: on `?w=qos&pub=2&sub=2`, choosing drop point 2
    /// kept the third row of the flow without a drop ("PUBREL id=1"), because
    /// the diagram keyed rows by position. Rows at the same position with
    /// other content must have other identities; equal rows the same one.
    #[test]
    fn a_row_is_identified_by_what_it_shows() {
        use crate::qos_flow::flow;
        let i = crate::qos::Inputs {
            pub_qos: 2,
            sub_qos: 2,
            ..Default::default()
        };
        let (plain, cut) = (flow(&i, None), flow(&i, Some(1)));
        assert_eq!(plain.rows[2].label, "PUBREL id=1");
        assert_ne!(cut.rows[2].label, "PUBREL id=1");
        assert_eq!(plain.rows[2].key, cut.rows[2].key);
        assert_ne!(plain.rows[2].identity(), cut.rows[2].identity());
        let r = plain.rows[2].clone();
        assert_eq!(r.identity(), plain.rows[2].identity());
        let changed = [
            Row {
                key: 3,
                ..r.clone()
            },
            Row {
                arrow: Arrow::Between(1, 0),
                ..r.clone()
            },
            Row {
                label: "PUBREL id=2".into(),
                ..r.clone()
            },
            Row {
                badge: Some("resent".into()),
                ..r.clone()
            },
            Row {
                at_ms: Some(0),
                ..r.clone()
            },
            Row {
                refused: true,
                ..r.clone()
            },
        ];
        for c in &changed {
            assert_ne!(c.identity(), r.identity(), "{c:?}");
        }
    }

    #[test]
    fn message_properties_for_people() {
        use crate::mqtt::{Properties, Publish};
        let p = Publish {
            topic: "a/b".into(),
            properties: Properties {
                user_properties: vec![("unit".into(), "°C".into())],
                content_type: Some("application/json".into()),
                payload_format_indicator: Some(1),
                message_expiry_interval: Some(30),
                subscription_identifiers: vec![7],
                topic_alias: Some(3),
                ..Properties::default()
            }
            .into(),
            ..Publish::default()
        };
        let shown: Vec<String> = message_properties(&p)
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        assert_eq!(
            shown,
            [
                "User Property: \"unit\" = \"°C\"",
                "Content Type: \"application/json\"",
                "Payload Format: UTF-8 text",
                "Message Expiry: 30 s left",
                "Subscription Identifiers: 7",
                "Topic Alias: 3 → \"a/b\"",
            ]
        );
    }

    #[test]
    fn publish_properties_from_the_form() {
        let pr = publish_properties(
            "unit=C\n\n site = lab 2 ",
            "text/plain",
            "60",
            "replies/me",
            "req-1",
        )
        .unwrap();
        assert_eq!(
            pr.user_properties,
            [("unit".into(), "C".into()), ("site".into(), "lab 2".into())]
        );
        assert_eq!(pr.message_expiry_interval, Some(60));
        assert_eq!(pr.correlation_data.as_deref(), Some(&b"req-1"[..]));
        assert!(publish_properties("novalue", "", "", "", "")
            .unwrap_err()
            .contains("line 1"));
        assert!(publish_properties("", "", "-1", "", "")
            .unwrap_err()
            .contains("whole number"));
        assert!(publish_properties("", "", "", "replies/#", "")
            .unwrap_err()
            .contains("wildcard"));
        assert_eq!(
            publish_properties("", "", "", "", "").unwrap(),
            crate::mqtt::Properties::default()
        );
    }

    #[test]
    fn hex_in_the_forms_people_paste() {
        assert_eq!(parse_hex("20 02 00 00"), Ok(vec![0x20, 2, 0, 0]));
        assert_eq!(parse_hex("20020000"), Ok(vec![0x20, 2, 0, 0]));
        assert_eq!(parse_hex("0x20, 0x02,0x00 0x00"), Ok(vec![0x20, 2, 0, 0]));
        assert_eq!(parse_hex("20:02:00:00"), Ok(vec![0x20, 2, 0, 0]));
        // Wireshark "Copy as hex dump": offset, bytes, text.
        let dump = "0000   10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 61   ....MQTT...<..a\n";
        assert_eq!(
            parse_hex(dump),
            Ok(vec![
                0x10, 13, 0, 4, b'M', b'Q', b'T', b'T', 4, 2, 0, 60, 0, 1, b'a'
            ])
        );
        // xxd: offset with a colon, bytes in groups of two.
        assert_eq!(
            parse_hex("00000000: 2002 0000                                  ...."),
            Ok(vec![0x20, 2, 0, 0])
        );
        assert!(parse_hex("2").unwrap_err().contains("odd number"));
        assert!(parse_hex("hello").unwrap_err().contains("not hexadecimal"));
        assert!(parse_hex("  ").unwrap_err().contains("paste"));
        assert!(parse_hex(&"00".repeat(MAX_DUMP + 1))
            .unwrap_err()
            .contains("KiB"));
    }

    #[test]
    fn the_examples_decode_as_their_names_say() {
        let summaries = |i: usize| {
            let (_, v, hex) = EXAMPLES[i];
            let p = Protocol::from_slug(v);
            explain(p, &parse_hex(hex).unwrap())
                .iter()
                .map(Explained::summary)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            summaries(0),
            [
                "CONNECT clean_start=1 keepalive=60 id=\"mqtt-lab\"",
                "CONNACK session_present=0 0x00"
            ]
        );
        assert_eq!(
            summaries(1),
            [
                "PUBLISH qos=2 id=1 \"a/b\"",
                "PUBREC id=1",
                "PUBREL id=1",
                "PUBCOMP id=1"
            ]
        );
        assert_eq!(
            summaries(2),
            ["refused: Malformed packet at byte 0: QoS 3: both QoS bits are 1 ([MQTT-3.3.1-4])"]
        );
    }

    #[test]
    fn a_dump_of_several_packets_with_an_error_in_the_middle() {
        // CONNACK, a PUBLISH with QoS 3 (malformed), PINGRESP.
        let bytes = [0x20, 3, 0, 0, 0, 0x36, 3, 0, 1, b't', 0xD0, 0];
        let x = explain(Protocol::V5, &bytes);
        assert_eq!(x.len(), 3);
        assert_eq!(x[0].summary(), "CONNACK session_present=0 0x00");
        assert_eq!(x[1].start, 5);
        let e = x[1].result.clone().unwrap_err();
        assert_eq!(
            (e.offset, e.kind, e.rule),
            (0, ErrorKind::Malformed, "[MQTT-3.3.1-4]")
        );
        // The fixed header was read before the error.
        assert_eq!(x[1].fields[0].name, "Packet Type");
        assert_eq!(x[2].result, Ok(Packet::Pingresp));
    }

    #[test]
    fn a_truncated_dump_says_where_it_ends() {
        let x = explain(Protocol::V311, &[0x30, 10, 0, 3, b'a']);
        assert_eq!(x.len(), 1);
        let e = x[0].result.clone().unwrap_err();
        assert!(e.what.contains("says 10 bytes follow, but 3 do"), "{e}");
    }

    #[test]
    fn passwords_are_redacted_with_their_length_kept() {
        let c = Packet::Connect(Box::new(crate::mqtt::Connect {
            client_id: "a".into(),
            username: Some("u".into()),
            password: Some(b"secret".to_vec()),
            ..Default::default()
        }))
        .encode(Protocol::V5)
        .unwrap();
        let r = crate::mqtt::packet::redact_password(Protocol::V5, &c);
        assert_eq!(r.len(), c.len());
        assert!(r.ends_with(b"\x00\x06******"));
        assert!(!r.windows(6).any(|w| w == b"secret"));
    }

    fn entry(seq: u64, at_ms: u64, dir: Dir, raw: &[u8], note: &str) -> WireEntry {
        WireEntry {
            seq,
            at_ms,
            dir,
            raw: raw.to_vec(),
            note: note.into(),
            error: None,
        }
    }

    #[test]
    fn wire_rows_name_pings_retransmissions_and_the_reconnect_gap() {
        let rows = wire_rows(
            Protocol::V5,
            &[
                entry(1, 1000, Dir::Sent, &[0xC0, 0], ""),
                entry(2, 1010, Dir::Received, &[0xD0, 0], ""),
                entry(
                    3,
                    1500,
                    Dir::Note,
                    &[],
                    "connection closed: WebSocket code 1006",
                ),
                entry(4, 3900, Dir::Note, &[], "WebSocket open, subprotocol mqtt"),
                entry(
                    5,
                    3901,
                    Dir::Sent,
                    &[0x3A, 6, 0, 1, b'a', 0, 1, b'x'],
                    "PUBLISH qos=1 id=1 dup=1 \"a\"",
                ),
            ],
            1000,
            &mut None,
        );
        let badges: Vec<Option<&str>> = rows.iter().map(|r| r.badge.as_deref()).collect();
        assert_eq!(
            badges,
            [
                Some("keepalive"),
                Some("keepalive"),
                None,
                Some("reconnect after 2.4 s"),
                Some("retransmission, DUP=1")
            ]
        );
        assert_eq!(rows[1].arrow, Arrow::Between(1, 0));
        assert_eq!(rows[2].arrow, Arrow::Note);
        assert_eq!(
            rows[0].text(&["client", "broker"]),
            "0 ms, client → broker: PINGREQ (keepalive)"
        );
    }

    #[test]
    fn dump_rows_take_the_direction_from_the_type() {
        let x = explain(
            Protocol::V5,
            &[
                0x10, 13, 0, 4, b'M', b'Q', b'T', b'T', 5, 2, 0, 60, 0, 0, 0, 0x20, 3, 0, 0, 0,
                0x30, 4, 0, 1, b't', 0,
            ],
        );
        let arrows: Vec<Arrow> = dump_rows(Protocol::V5, &x)
            .iter()
            .map(|r| r.arrow)
            .collect();
        assert_eq!(
            arrows,
            [Arrow::Between(0, 1), Arrow::Between(1, 0), Arrow::Either]
        );
    }

    /// The file as a real JSON parser (serde_json, not ours) reads it.
    fn parse(text: &str) -> SessionFile {
        let v: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
        let s = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
        SessionFile {
            format: s(&v["format"]),
            protocol: s(&v["protocol"]),
            packets: v["packets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| SessionPacket {
                    seq: p["seq"].as_u64().unwrap(),
                    at_ms: p["at_ms"].as_u64().unwrap(),
                    dir: s(&p["dir"]),
                    hex: s(&p["hex"]),
                    summary: s(&p["summary"]),
                    error: p["error"].as_str().map(str::to_string),
                })
                .collect(),
        }
    }

    #[test]
    fn a_session_file_round_trips_and_bad_files_are_refused() {
        let mut entries = vec![
            entry(1, 5, Dir::Sent, &[0xC0, 0], ""),
            entry(
                2,
                9,
                Dir::Note,
                &[],
                "connection closed: \"quoted\"\n\\ \u{1}",
            ),
            entry(3, 12, Dir::Received, &[0x30, 3, 0, 1, b'#'], ""),
        ];
        entries[2].error = Some("Malformed packet at byte 2".into());
        let text = export(Protocol::V5, &entries);
        assert!(text.contains("\"name\": \"Packet Type\""));
        let file = parse(&text);
        assert_eq!(import(file.clone()), Ok((Protocol::V5, entries)));
        let bad = |f: fn(&mut SessionFile)| {
            let mut x = file.clone();
            f(&mut x);
            import(x).unwrap_err()
        };
        assert!(bad(|x| x.format = "x".into()).contains("format"));
        assert!(bad(|x| x.protocol = "4".into()).contains("neither"));
        assert!(bad(|x| x.packets[0].hex = "c0z0".into()).contains("packet 1"));
        assert!(bad(|x| x.packets[1].dir = "up".into()).contains("direction"));
    }
}
