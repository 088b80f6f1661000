//! What crossed the wire: every packet sent and received, with its bytes
//! and time, and the connection's own events (opened, closed), bounded by
//! count and by bytes so that a flood cannot fill the memory.

use std::collections::VecDeque;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dir {
    /// Client to broker.
    Sent,
    /// Broker to client.
    Received,
    /// Not a packet: the transport opened or closed, a timer fired.
    Note,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WireEntry {
    /// 1 for the first entry ever logged; never reused.
    pub seq: u64,
    pub at_ms: u64,
    pub dir: Dir,
    pub raw: Vec<u8>,
    /// A note's text (empty for packets: see [`WireEntry::summary`]).
    pub note: String,
    /// Why the packet was refused, with the rule it broke.
    pub error: Option<String>,
}

impl WireEntry {
    /// One line: `PUBLISH qos=1 id=7 "sensors/t"`, or the note's text.
    /// Computed from the bytes when shown, not when logged: a flood logs
    /// far more packets than anyone looks at.
    pub fn summary(&self, p: crate::mqtt::Protocol) -> String {
        if self.dir == Dir::Note {
            return self.note.clone();
        }
        match crate::mqtt::packet::decode(p, &self.raw, None) {
            Ok(packet) if self.error.is_none() => packet.summary(),
            _ => "(refused)".into(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct WireLog {
    entries: VecDeque<WireEntry>,
    max_entries: usize,
    max_bytes: usize,
    bytes: usize,
    next_seq: u64,
    dropped: u64,
}

impl WireLog {
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        Self {
            entries: VecDeque::new(),
            max_entries,
            max_bytes,
            bytes: 0,
            next_seq: 1,
            dropped: 0,
        }
    }

    /// Logs `raw` (copied). Once the log is full, the oldest entry's buffer
    /// takes the copy: a flood logs without allocating per packet.
    pub(crate) fn push(
        &mut self,
        at_ms: u64,
        dir: Dir,
        raw: &[u8],
        note: String,
        error: Option<String>,
    ) {
        if self.max_entries == 0 {
            return;
        }
        let mut buffer = if self.entries.len() >= self.max_entries {
            self.drop_oldest().unwrap_or_default()
        } else {
            Vec::new()
        };
        buffer.clear();
        buffer.extend_from_slice(raw);
        let raw = buffer;
        let seq = self.next_seq;
        self.next_seq += 1;
        self.bytes += raw.len();
        self.entries.push_back(WireEntry {
            seq,
            at_ms,
            dir,
            raw,
            note,
            error,
        });
        // The count stays within its bound by the reuse above; the bytes may
        // need more to go.
        while self.bytes > self.max_bytes && self.entries.len() > 1 {
            self.drop_oldest();
        }
    }

    /// Drops the oldest entry, counting it; its buffer, to reuse.
    fn drop_oldest(&mut self) -> Option<Vec<u8>> {
        let old = self.entries.pop_front()?;
        self.bytes -= old.raw.len();
        self.dropped += 1;
        Some(old.raw)
    }

    /// Entries with a sequence number above `after`, oldest first: what a
    /// view that has shown up to `after` still has to add.
    pub fn since(&self, after: u64) -> impl Iterator<Item = &WireEntry> {
        let skip = self.entries.partition_point(|e| e.seq <= after);
        self.entries.range(skip..)
    }

    pub fn entries(&self) -> &VecDeque<WireEntry> {
        &self.entries
    }

    /// Entries dropped to stay within the bounds.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    pub fn last_seq(&self) -> u64 {
        self.next_seq - 1
    }

    pub fn clear(&mut self) {
        self.dropped += self.entries.len() as u64;
        self.entries.clear();
        self.bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_by_count_and_bytes() {
        let mut log = WireLog::new(3, 10);
        for i in 0..5u8 {
            log.push(u64::from(i), Dir::Sent, &[i], format!("p{i}"), None);
        }
        assert_eq!(
            log.entries().iter().map(|e| e.seq).collect::<Vec<_>>(),
            [3, 4, 5]
        );
        assert_eq!(log.dropped(), 2);
        // A 9-byte packet pushes out the others; a single entry is always kept.
        log.push(9, Dir::Received, &[0; 9], "big".into(), None);
        assert_eq!(log.entries().len(), 2);
        log.push(10, Dir::Received, &[0; 20], "huge".into(), None);
        assert_eq!(log.entries().len(), 1);
        assert_eq!(log.since(6).map(|e| e.seq).collect::<Vec<_>>(), [7]);
        assert_eq!(log.last_seq(), 7);
    }
}
