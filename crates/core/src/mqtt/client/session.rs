//! The client's half of the session state (5.0 §4.1, 3.1.1 §4.1): QoS 1
//! and 2 messages sent and not completed, in the order they were sent; QoS
//! 2 messages received and not released; and the packet identifiers in use,
//! including those of SUBSCRIBE and UNSUBSCRIBE until their ack.

use super::Message;
use crate::mqtt::packet::{Ack, Packet, PacketType, Publish, QoS};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Outgoing {
    /// Waiting for PUBACK (QoS 1) or PUBREC (QoS 2).
    Publish { publish: Box<Publish>, seq: u64 },
    /// QoS 2 after PUBREC: PUBREL sent, waiting for PUBCOMP. `seq` is when
    /// the PUBREC came: PUBRELs go in that order ([MQTT-4.6.0-4]).
    Release { seq: u64 },
}

impl Outgoing {
    fn seq(&self) -> u64 {
        match self {
            Outgoing::Publish { seq, .. } | Outgoing::Release { seq } => *seq,
        }
    }
}

/// What an acknowledgement of ours does to the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckResult {
    /// The flow is complete (PUBACK, PUBCOMP, or a PUBREC that refuses).
    Done,
    /// PUBREC accepted: send PUBREL.
    Release,
    /// No message in flight has this identifier.
    Unknown,
    /// The identifier's flow expects another packet (named).
    WrongFlow(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Incoming {
    New,
    Duplicate,
}

/// Never more QoS > 0 messages in flight than this, whatever the broker's
/// Receive Maximum: identifiers stay free for SUBSCRIBE and UNSUBSCRIBE.
const MAX_IN_FLIGHT: usize = 65_000;

/// What an identifier of a SUBACK or UNSUBACK was used for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PendingAck {
    /// A request of the ack's kind: its filters.
    Matched(Vec<String>),
    /// A request of the other kind waits for it.
    OtherKind(PacketType),
    /// Nothing waits for it.
    Unknown,
}

#[derive(Debug, Clone, Default)]
pub struct Session {
    outgoing: BTreeMap<u16, Outgoing>,
    /// Published, not yet sent: the broker's Receive Maximum is reached.
    waiting: VecDeque<Message>,
    /// SUBSCRIBE and UNSUBSCRIBE waiting for their ack: the request's type
    /// and its filters (a SUBACK answers only a SUBSCRIBE, an UNSUBACK only
    /// an UNSUBSCRIBE).
    acks: BTreeMap<u16, (PacketType, Vec<String>)>,
    incoming_qos2: BTreeSet<u16>,
    next_id: u16,
    next_seq: u64,
}

impl Session {
    pub fn in_flight(&self) -> usize {
        self.outgoing.len()
    }

    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }

    pub fn may_send(&self, receive_maximum: u16) -> bool {
        !self.waiting.is_empty()
            && self.outgoing.len() < usize::from(receive_maximum).min(MAX_IN_FLIGHT)
    }

    pub fn publish_packet(&self, m: &Message, packet_id: u16, dup: bool) -> Publish {
        Publish {
            dup,
            qos: m.qos,
            retain: m.retain,
            topic: m.topic.clone(),
            packet_id,
            properties: m.properties.clone().into(),
            payload: m.payload.clone(),
        }
    }

    pub fn queue(&mut self, m: Message) {
        self.waiting.push_back(m);
    }

    fn seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// The next waiting message, now in flight with an identifier; its first
    /// transmission has DUP 0 ([MQTT-3.3.1-1] sets it only on a resend).
    pub fn start_next(&mut self) -> Option<Publish> {
        let id = self.free_id()?;
        let m = self.waiting.pop_front()?;
        let publish = self.publish_packet(&m, id, false);
        let seq = self.seq();
        self.outgoing.insert(
            id,
            Outgoing::Publish {
                publish: Box::new(publish.clone()),
                seq,
            },
        );
        Some(publish)
    }

    /// 1..=65535, skipping identifiers in use by any flow ([MQTT-2.2.1-3]).
    fn free_id(&mut self) -> Option<u16> {
        for _ in 0..u16::MAX {
            self.next_id = self.next_id.wrapping_add(1).max(1);
            if !self.outgoing.contains_key(&self.next_id) && !self.acks.contains_key(&self.next_id)
            {
                return Some(self.next_id);
            }
        }
        None
    }

    /// An identifier for SUBSCRIBE or UNSUBSCRIBE, held until its ack.
    pub fn reserve_id(&mut self) -> Option<u16> {
        let id = self.free_id()?;
        self.acks.insert(id, (PacketType::Subscribe, Vec::new()));
        Some(id)
    }

    /// `request`: SUBSCRIBE or UNSUBSCRIBE, sent with `id` and `filters`.
    pub fn await_ack(&mut self, id: u16, request: PacketType, filters: Vec<String>) {
        self.acks.insert(id, (request, filters));
    }

    pub fn release_id(&mut self, id: u16) {
        self.acks.remove(&id);
    }

    /// The filters of the `request` (SUBSCRIBE or UNSUBSCRIBE) that waits
    /// for `id`; the other type when a request of that type holds the id.
    pub fn take_ack(&mut self, id: u16, request: PacketType) -> PendingAck {
        match self.acks.get(&id) {
            None => PendingAck::Unknown,
            Some((t, _)) if *t != request => PendingAck::OtherKind(*t),
            Some(_) => {
                PendingAck::Matched(self.acks.remove(&id).map(|(_, f)| f).unwrap_or_default())
            }
        }
    }

    pub fn acknowledge(&mut self, t: PacketType, id: u16, code: u8) -> AckResult {
        let qos = match self.outgoing.get(&id) {
            None => return AckResult::Unknown,
            Some(Outgoing::Publish { publish, .. }) => Some(publish.qos),
            Some(Outgoing::Release { .. }) => None,
        };
        match (t, qos) {
            (PacketType::Puback, Some(QoS::AtLeastOnce)) | (PacketType::Pubcomp, None) => {
                self.outgoing.remove(&id);
                AckResult::Done
            }
            (PacketType::Pubrec, Some(QoS::ExactlyOnce)) if code >= 0x80 => {
                self.outgoing.remove(&id);
                AckResult::Done
            }
            (PacketType::Pubrec, Some(QoS::ExactlyOnce)) => {
                let seq = self.seq();
                self.outgoing.insert(id, Outgoing::Release { seq });
                AckResult::Release
            }
            // PUBREC again after our PUBREL: send PUBREL again, keep its place.
            (PacketType::Pubrec, None) => AckResult::Release,
            (_, Some(QoS::AtLeastOnce)) => AckResult::WrongFlow("PUBACK"),
            (_, Some(_)) => AckResult::WrongFlow("PUBREC"),
            (_, None) => AckResult::WrongFlow("PUBCOMP"),
        }
    }

    pub fn receive_qos2(&mut self, id: u16) -> Incoming {
        if self.incoming_qos2.insert(id) {
            Incoming::New
        } else {
            Incoming::Duplicate
        }
    }

    /// PUBREL: whether the identifier was waiting for it.
    pub fn release_qos2(&mut self, id: u16) -> bool {
        self.incoming_qos2.remove(&id)
    }

    /// The connection closed: unanswered SUBSCRIBE and UNSUBSCRIBE will not
    /// be answered on the next one.
    pub fn connection_lost(&mut self) {
        self.acks.clear();
    }

    /// The broker has no session: drop ours ([MQTT-3.2.2-5] in 5.0);
    /// returns how many messages in flight are lost. Waiting messages were
    /// never sent and are kept.
    pub fn discard(&mut self) -> usize {
        let lost = self.outgoing.len();
        self.outgoing.clear();
        self.incoming_qos2.clear();
        lost
    }

    /// The packets to send again on a connection that has the session:
    /// PUBLISH with DUP 1 and PUBREL, in the order they were last sent.
    pub fn resend(&self) -> Vec<Packet> {
        let mut entries: Vec<(&u16, &Outgoing)> = self.outgoing.iter().collect();
        entries.sort_by_key(|(_, o)| o.seq());
        entries
            .into_iter()
            .map(|(id, o)| match o {
                Outgoing::Publish { publish, .. } => Packet::Publish(Publish {
                    dup: true,
                    ..(**publish).clone()
                }),
                Outgoing::Release { .. } => Packet::Pubrel(Ack {
                    packet_id: *id,
                    ..Ack::default()
                }),
            })
            .collect()
    }
}
