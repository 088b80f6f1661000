//! The client's half of the session state (5.0 §4.1, 3.1.1 §4.1): QoS 1
//! and 2 messages sent and not completed, in the order they were sent; QoS
//! 2 messages received and not released; and the packet identifiers in use,
//! including those of SUBSCRIBE and UNSUBSCRIBE until their ack.
//!
//! The send quota (5.0 §4.9) belongs to a connection, not to the session:
//! "The send quota and Receive Maximum value are not preserved across
//! Network Connections". After a reconnect the unacknowledged PUBLISHes are
//! sent again (DUP 1) only as far as the new CONNACK's Receive Maximum
//! allows; the others keep their identifiers and their place, and go (DUP 1,
//! in their original order, before any new message) as acknowledgements
//! free places ([MQTT-3.3.4-7], [MQTT-4.6.0-1]).

use super::Message;
use crate::mqtt::packet::{Ack, Packet, PacketType, Publish, QoS};
use crate::mqtt::ReasonCode;
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

/// A message the session held that the new CONNACK forbids sending: not
/// sent, and gone from the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Abandoned {
    /// The identifier it was sent with (None: it was never sent).
    pub packet_id: Option<u16>,
    pub topic: String,
    pub qos: QoS,
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
    /// Identifiers of messages given up unacknowledged (the new CONNACK
    /// forbade sending them again): not available for reuse while the
    /// session lasts, since their acknowledgement never came (§2.2.1: an
    /// identifier is free again once its PUBACK, PUBCOMP or failing PUBREC
    /// has been processed) and the broker may still hold the message by it.
    retired: BTreeSet<u16>,
    /// PUBLISHes in flight from an earlier connection not yet sent again on
    /// this one, by send order: `(seq, id)`. They do not count against this
    /// connection's Receive Maximum until they go.
    held: BTreeSet<(u64, u16)>,
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

    /// Messages that count against the broker's Receive Maximum on this
    /// connection: every PUBLISH sent on it and not yet acknowledged, and
    /// every QoS 2 message between PUBREC and PUBCOMP, including those whose
    /// PUBLISH went on an earlier connection. §4.9 would let the latter go
    /// uncounted (their PUBCOMP "might" increment the quota above its
    /// initial value), but the broker counts them: mosquitto 2.0's
    /// `db__message_reconnect_reset_incoming` (src/database.c) takes each
    /// QoS 2 message it holds off the receive quota of the new connection,
    /// and answers a PUBLISH over it with 0x97 Quota exceeded. Sending
    /// fewer than the quota allows is always allowed.
    fn counted(&self) -> usize {
        self.outgoing.len() - self.held.len()
    }

    /// Messages in flight that wait to be sent again on this connection.
    pub fn held(&self) -> usize {
        self.held.len()
    }

    /// Sends a held message again: DUP 1, now counted.
    fn unhold(&mut self, seq: u64, id: u16) -> Option<Publish> {
        self.held.remove(&(seq, id));
        match self.outgoing.get(&id) {
            Some(Outgoing::Publish { publish, .. }) => Some(Publish {
                dup: true,
                ..(**publish).clone()
            }),
            _ => None,
        }
    }

    /// The next PUBLISH that the Receive Maximum lets go: first a message in
    /// flight from an earlier connection (DUP 1, oldest first), then a
    /// waiting one (DUP 0, with a new identifier).
    pub fn next_publish(&mut self, receive_maximum: u16) -> Option<Publish> {
        if self.counted() >= usize::from(receive_maximum) {
            return None;
        }
        if let Some(&(seq, id)) = self.held.first() {
            return self.unhold(seq, id);
        }
        if self.waiting.is_empty() || self.outgoing.len() >= MAX_IN_FLIGHT {
            return None;
        }
        self.start_next()
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
    fn start_next(&mut self) -> Option<Publish> {
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
            if !self.outgoing.contains_key(&self.next_id)
                && !self.acks.contains_key(&self.next_id)
                && !self.retired.contains(&self.next_id)
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

    pub fn acknowledge(&mut self, t: PacketType, id: u16, code: ReasonCode) -> AckResult {
        let (qos, seq) = match self.outgoing.get(&id) {
            None => return AckResult::Unknown,
            Some(Outgoing::Publish { publish, seq }) => (Some(publish.qos), *seq),
            Some(Outgoing::Release { seq }) => (None, *seq),
        };
        // An acknowledgement of a message not yet sent again on this
        // connection (the broker had it from the last one) ends its wait.
        let was_held = self.held.contains(&(seq, id));
        let result = self.acknowledged(t, id, code, qos);
        if was_held && matches!(result, AckResult::Done | AckResult::Release) {
            self.held.remove(&(seq, id));
        }
        result
    }

    fn acknowledged(
        &mut self,
        t: PacketType,
        id: u16,
        code: ReasonCode,
        qos: Option<QoS>,
    ) -> AckResult {
        match (t, qos) {
            (PacketType::Puback, Some(QoS::AtLeastOnce)) | (PacketType::Pubcomp, None) => {
                self.outgoing.remove(&id);
                AckResult::Done
            }
            (PacketType::Pubrec, Some(QoS::ExactlyOnce)) if code.is_failure() => {
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

    /// QoS 2 messages received and not yet released (PUBREC sent, PUBCOMP
    /// not yet): unacknowledged in the sense of our Receive Maximum.
    pub fn unreleased(&self) -> usize {
        self.incoming_qos2.len()
    }

    /// Whether a QoS 2 message with this identifier waits for its PUBREL.
    pub fn is_unreleased(&self, id: u16) -> bool {
        self.incoming_qos2.contains(&id)
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

    /// (sequence, packet id) of each PUBLISH sent and not yet acknowledged
    /// (waiting for PUBACK or PUBREC); not the QoS 2 messages past PUBREC.
    fn publishes_in_flight(&self) -> impl Iterator<Item = (u64, u16)> + '_ {
        self.outgoing.iter().filter_map(|(id, o)| match o {
            Outgoing::Publish { seq, .. } => Some((*seq, *id)),
            Outgoing::Release { .. } => None,
        })
    }

    /// The connection closed: unanswered SUBSCRIBE and UNSUBSCRIBE will not
    /// be answered on the next one, and no PUBLISH is on the next one's wire.
    pub fn connection_lost(&mut self) {
        self.acks.clear();
        self.held = self.publishes_in_flight().collect();
    }

    /// The broker has no session: drop ours ([MQTT-3.2.2-5] in 5.0);
    /// returns how many messages in flight are lost. Waiting messages were
    /// never sent and are kept.
    pub fn discard(&mut self) -> usize {
        let lost = self.outgoing.len();
        self.outgoing.clear();
        self.incoming_qos2.clear();
        self.retired.clear();
        self.held.clear();
        lost
    }

    /// Takes out of the session the messages, in flight (waiting for PUBACK
    /// or PUBREC) or waiting, for which `forbidden` gives a reason: the new
    /// CONNACK's limits forbid sending them (a QoS above its Maximum QoS,
    /// retain without Retain Available, a packet over its Maximum Packet
    /// Size). QoS 2 messages between PUBREC and PUBCOMP stay: PUBREL is not
    /// a PUBLISH, and the broker has the message already.
    pub fn abandon<E>(
        &mut self,
        mut forbidden: impl FnMut(&Publish) -> Option<E>,
    ) -> Vec<(Abandoned, E)> {
        let mut out = Vec::new();
        let mut ids: Vec<(u64, u16)> = self.publishes_in_flight().collect();
        ids.sort_unstable();
        for (_, id) in ids {
            let Some(Outgoing::Publish { publish, seq }) = self.outgoing.get(&id) else {
                continue;
            };
            let seq = *seq;
            if let Some(why) = forbidden(&Publish {
                dup: true,
                ..(**publish).clone()
            }) {
                out.push((
                    Abandoned {
                        packet_id: Some(id),
                        topic: publish.topic.clone(),
                        qos: publish.qos,
                    },
                    why,
                ));
                self.outgoing.remove(&id);
                self.held.remove(&(seq, id));
                self.retired.insert(id);
            }
        }
        let mut kept = VecDeque::with_capacity(self.waiting.len());
        for m in std::mem::take(&mut self.waiting) {
            // A stand-in identifier: the size is that of the packet to be sent.
            match forbidden(&self.publish_packet(&m, 1, false)) {
                Some(why) => out.push((
                    Abandoned {
                        packet_id: None,
                        topic: m.topic.clone(),
                        qos: m.qos,
                    },
                    why,
                )),
                None => kept.push_back(m),
            }
        }
        self.waiting = kept;
        out
    }

    /// The packets to send again on a connection that has the session, in
    /// the order they were last sent: every PUBREL (not a PUBLISH: never
    /// held back, [MQTT-3.3.4-8]), and the PUBLISHes in flight, DUP 1, while
    /// `receive_maximum` allows; those after the first that it does not
    /// allow are held for [`Session::next_publish`], which keeps their
    /// order.
    pub fn resend(&mut self, receive_maximum: u16) -> Vec<Packet> {
        let mut entries: Vec<(u64, u16)> =
            self.outgoing.iter().map(|(id, o)| (o.seq(), *id)).collect();
        entries.sort_unstable();
        let mut full = false;
        let mut out = Vec::new();
        for (seq, id) in entries {
            match self.outgoing.get(&id) {
                Some(Outgoing::Release { .. }) => out.push(Packet::Pubrel(Ack {
                    packet_id: id,
                    ..Ack::default()
                })),
                Some(Outgoing::Publish { .. }) if !full && self.held.contains(&(seq, id)) => {
                    if self.counted() >= usize::from(receive_maximum) {
                        full = true;
                        continue;
                    }
                    out.extend(self.unhold(seq, id).map(Packet::Publish));
                }
                _ => {}
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A message given up unacknowledged keeps its identifier out of use
    /// until the session ends (§2.2.1); a new session frees it.
    #[test]
    fn a_given_up_identifier_is_not_reused_while_the_session_lasts() {
        let mut s = Session::default();
        s.queue(Message {
            topic: "a".into(),
            qos: QoS::AtLeastOnce,
            ..Message::default()
        });
        assert_eq!(s.next_publish(10).map(|p| p.packet_id), Some(1));
        let gone = s.abandon(|p| (p.topic == "a").then_some("forbidden"));
        assert_eq!(gone.len(), 1);
        assert_eq!(gone[0].0.packet_id, Some(1));
        s.next_id = 0;
        assert_eq!(s.reserve_id(), Some(2));
        s.discard();
        s.next_id = 0;
        assert_eq!(s.reserve_id(), Some(1));
    }
}
