//! The client's protocol state: packet identifiers, the QoS 1 and 2 flows in
//! both directions, keepalive, and resending in-flight messages after a
//! reconnect that finds the session (MQTT-4.4.0-1). Sans-I/O: the caller
//! passes bytes and the time in; it takes bytes to send and events out.

use super::codec::{self, ConnectSpec, DecodeError, Decoder, Packet, Protocol};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// The largest packet this client accepts from a broker (bytes).
pub const MAX_PACKET: usize = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Will {
    pub topic: String,
    pub payload: Vec<u8>,
    pub qos: u8,
    pub retain: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub protocol: Protocol,
    pub client_id: String,
    pub clean_start: bool,
    pub keepalive_s: u16,
    pub username: Option<String>,
    pub password: Option<Vec<u8>>,
    pub will: Option<Will>,
    /// MQTT 5 session expiry; ignored on 3.1.1 (where clean_start = false keeps the session).
    pub session_expiry_s: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// CONNACK with reason 0, `elapsed_ms` after CONNECT was sent.
    Connected {
        session_present: bool,
        elapsed_ms: u64,
    },
    /// CONNACK refused the connection (MQTT 5 reason code or 3.1.1 return code).
    Refused {
        code: u8,
    },
    Message {
        topic: String,
        payload: Vec<u8>,
        qos: u8,
        retain: bool,
        dup: bool,
    },
    Subscribed {
        packet_id: u16,
        codes: Vec<u8>,
    },
    Unsubscribed {
        packet_id: u16,
    },
    /// Our QoS 1 or 2 message was acknowledged (PUBACK or PUBCOMP), with its reason code.
    Delivered {
        packet_id: u16,
        code: u8,
    },
    /// The broker sent DISCONNECT (MQTT 5, with a reason code).
    ServerDisconnect {
        code: u8,
    },
    /// No PINGRESP within the keepalive: the connection is dead.
    KeepaliveTimeout,
    /// The broker broke the protocol; the connection should be closed.
    ProtocolError(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Disconnected,
    Connecting { since_ms: u64 },
    Connected,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Outgoing {
    /// Waiting for PUBACK (QoS 1) or PUBREC (QoS 2): resend PUBLISH.
    Publish {
        topic: String,
        payload: Vec<u8>,
        qos: u8,
        retain: bool,
    },
    /// QoS 2 after PUBREC: resend PUBREL until PUBCOMP.
    Release,
}

#[derive(Debug, Clone)]
pub struct Client {
    options: Options,
    state: State,
    decoder: Decoder,
    next_id: u16,
    outgoing: BTreeMap<u16, Outgoing>,
    /// QoS 2 messages received and not yet released (so resends are not delivered twice).
    incoming_qos2: BTreeSet<u16>,
    last_sent_ms: u64,
    ping_sent_ms: Option<u64>,
    transmit: VecDeque<Vec<u8>>,
    events: VecDeque<Event>,
}

impl Client {
    pub fn new(options: Options) -> Self {
        Self {
            decoder: Decoder::new(options.protocol, MAX_PACKET),
            options,
            state: State::Disconnected,
            next_id: 0,
            outgoing: BTreeMap::new(),
            incoming_qos2: BTreeSet::new(),
            last_sent_ms: 0,
            ping_sent_ms: None,
            transmit: VecDeque::new(),
            events: VecDeque::new(),
        }
    }

    pub fn protocol(&self) -> Protocol {
        self.options.protocol
    }

    pub fn is_connected(&self) -> bool {
        self.state == State::Connected
    }

    /// Messages sent but not fully acknowledged.
    pub fn in_flight(&self) -> usize {
        self.outgoing.len()
    }

    fn send(&mut self, bytes: Vec<u8>, now_ms: u64) {
        self.last_sent_ms = now_ms;
        self.transmit.push_back(bytes);
    }

    /// Starts a connection (call when the transport has opened).
    pub fn connect(&mut self, now_ms: u64) {
        self.decoder = Decoder::new(self.options.protocol, MAX_PACKET);
        self.ping_sent_ms = None;
        self.transmit.clear();
        let o = &self.options;
        let bytes = codec::connect(&ConnectSpec {
            protocol: o.protocol,
            client_id: &o.client_id,
            clean_start: o.clean_start,
            keepalive_s: o.keepalive_s,
            username: o.username.as_deref(),
            password: o.password.as_deref(),
            will: o
                .will
                .as_ref()
                .map(|w| (w.topic.as_str(), w.payload.as_slice(), w.qos, w.retain)),
            session_expiry_s: o.session_expiry_s,
        });
        self.state = State::Connecting { since_ms: now_ms };
        self.send(bytes, now_ms);
    }

    /// The transport closed (or was closed): in-flight messages are kept
    /// for a resend if the next CONNACK finds the session.
    pub fn connection_lost(&mut self) {
        self.state = State::Disconnected;
        self.transmit.clear();
        self.ping_sent_ms = None;
    }

    fn packet_id(&mut self) -> u16 {
        // 1..=65535, skipping identifiers still in flight (MQTT-2.3.1-1, -2.2.1-3).
        for _ in 0..u16::MAX {
            self.next_id = self.next_id.wrapping_add(1).max(1);
            if !self.outgoing.contains_key(&self.next_id) {
                return self.next_id;
            }
        }
        self.next_id
    }

    /// Publishes; returns the packet identifier for QoS 1 and 2.
    pub fn publish(
        &mut self,
        topic: &str,
        payload: &[u8],
        qos: u8,
        retain: bool,
        now_ms: u64,
    ) -> Option<u16> {
        let qos = qos.min(2);
        let id = if qos > 0 { self.packet_id() } else { 0 };
        if qos > 0 {
            self.outgoing.insert(
                id,
                Outgoing::Publish {
                    topic: topic.into(),
                    payload: payload.to_vec(),
                    qos,
                    retain,
                },
            );
        }
        if self.is_connected() || qos == 0 {
            let bytes = codec::publish(
                self.options.protocol,
                topic,
                payload,
                qos,
                retain,
                false,
                id,
            );
            self.send(bytes, now_ms);
        }
        (qos > 0).then_some(id)
    }

    pub fn subscribe(&mut self, filter: &str, qos: u8, now_ms: u64) -> u16 {
        let id = self.packet_id();
        let bytes = codec::subscribe(self.options.protocol, id, filter, qos);
        self.send(bytes, now_ms);
        id
    }

    pub fn unsubscribe(&mut self, filter: &str, now_ms: u64) -> u16 {
        let id = self.packet_id();
        let bytes = codec::unsubscribe(self.options.protocol, id, filter);
        self.send(bytes, now_ms);
        id
    }

    /// A clean disconnect: the broker discards the Will.
    pub fn disconnect(&mut self, now_ms: u64) {
        let bytes = codec::disconnect(self.options.protocol, 0);
        self.send(bytes, now_ms);
        self.state = State::Disconnected;
    }

    /// Bytes from the broker.
    pub fn receive(&mut self, bytes: &[u8], now_ms: u64) {
        if let Err(e) = self.decoder.feed(bytes) {
            self.protocol_error(e);
            return;
        }
        while let Some(result) = self.decoder.next_packet() {
            match result {
                Ok(p) => self.handle(p, now_ms),
                Err(e) => {
                    self.protocol_error(e);
                    return;
                }
            }
        }
    }

    fn protocol_error(&mut self, e: DecodeError) {
        self.state = State::Disconnected;
        self.events.push_back(Event::ProtocolError(e.to_string()));
    }

    fn handle(&mut self, p: Packet, now_ms: u64) {
        match p {
            Packet::Connack {
                session_present,
                code,
            } => {
                let State::Connecting { since_ms } = self.state else {
                    self.protocol_error(DecodeError::Malformed("CONNACK while not connecting"));
                    return;
                };
                if code != 0 {
                    self.state = State::Disconnected;
                    self.events.push_back(Event::Refused { code });
                    return;
                }
                self.state = State::Connected;
                if session_present {
                    self.resend(now_ms);
                } else {
                    // The broker has no session: in-flight messages are gone on its side.
                    self.outgoing.clear();
                    self.incoming_qos2.clear();
                }
                self.events.push_back(Event::Connected {
                    session_present,
                    elapsed_ms: now_ms.saturating_sub(since_ms),
                });
            }
            Packet::Publish {
                dup,
                qos,
                retain,
                topic,
                packet_id,
                payload,
            } => {
                let message = Event::Message {
                    topic,
                    payload,
                    qos,
                    retain,
                    dup,
                };
                match (qos, packet_id) {
                    (0, _) => self.events.push_back(message),
                    (1, Some(id)) => {
                        self.events.push_back(message);
                        self.send(codec::ack(0x40, id), now_ms);
                    }
                    (_, Some(id)) => {
                        // Deliver once; a resent PUBLISH before PUBREL is acknowledged again only.
                        if self.incoming_qos2.insert(id) {
                            self.events.push_back(message);
                        }
                        self.send(codec::ack(0x50, id), now_ms);
                    }
                    _ => self.protocol_error(DecodeError::Malformed(
                        "QoS>0 PUBLISH without a packet identifier",
                    )),
                }
            }
            Packet::Puback { packet_id, code } => {
                if self.outgoing.remove(&packet_id).is_some() {
                    self.events.push_back(Event::Delivered { packet_id, code });
                }
            }
            Packet::Pubrec { packet_id, code } => {
                if code >= 0x80 {
                    self.outgoing.remove(&packet_id);
                    self.events.push_back(Event::Delivered { packet_id, code });
                } else {
                    self.outgoing.insert(packet_id, Outgoing::Release);
                    self.send(codec::ack(0x62, packet_id), now_ms);
                }
            }
            Packet::Pubrel { packet_id, .. } => {
                self.incoming_qos2.remove(&packet_id);
                self.send(codec::ack(0x70, packet_id), now_ms);
            }
            Packet::Pubcomp { packet_id, code } => {
                if self.outgoing.remove(&packet_id).is_some() {
                    self.events.push_back(Event::Delivered { packet_id, code });
                }
            }
            Packet::Suback { packet_id, codes } => self
                .events
                .push_back(Event::Subscribed { packet_id, codes }),
            Packet::Unsuback { packet_id, .. } => {
                self.events.push_back(Event::Unsubscribed { packet_id })
            }
            Packet::Pingresp => self.ping_sent_ms = None,
            Packet::Disconnect { code } => {
                self.state = State::Disconnected;
                self.events.push_back(Event::ServerDisconnect { code });
            }
            Packet::Auth { .. } => self.protocol_error(DecodeError::Malformed(
                "AUTH without enhanced authentication",
            )),
        }
    }

    /// After a CONNACK with the session present: PUBLISH again with DUP set,
    /// PUBREL again, in the original order (MQTT-4.4.0-1, 4.6.0-1).
    fn resend(&mut self, now_ms: u64) {
        let pending: Vec<(u16, Outgoing)> =
            self.outgoing.iter().map(|(k, v)| (*k, v.clone())).collect();
        for (id, o) in pending {
            let bytes = match o {
                Outgoing::Publish {
                    topic,
                    payload,
                    qos,
                    retain,
                } => codec::publish(
                    self.options.protocol,
                    &topic,
                    &payload,
                    qos,
                    retain,
                    true,
                    id,
                ),
                Outgoing::Release => codec::ack(0x62, id),
            };
            self.send(bytes, now_ms);
        }
    }

    /// Advances time: sends PINGREQ when the keepalive is due, and reports a
    /// dead connection when no PINGRESP came back within the keepalive.
    pub fn tick(&mut self, now_ms: u64) {
        let keepalive_ms = u64::from(self.options.keepalive_s) * 1000;
        if self.state != State::Connected || keepalive_ms == 0 {
            return;
        }
        if let Some(sent) = self.ping_sent_ms {
            if now_ms.saturating_sub(sent) >= keepalive_ms {
                self.state = State::Disconnected;
                self.events.push_back(Event::KeepaliveTimeout);
            }
            return;
        }
        if now_ms.saturating_sub(self.last_sent_ms) >= keepalive_ms {
            self.send(codec::pingreq(), now_ms);
            self.ping_sent_ms = Some(now_ms);
        }
    }

    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.transmit.pop_front()
    }

    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(protocol: Protocol, clean_start: bool) -> Options {
        Options {
            protocol,
            client_id: "t".into(),
            clean_start,
            keepalive_s: 10,
            username: None,
            password: None,
            will: None,
            session_expiry_s: 0,
        }
    }

    fn drain(c: &mut Client) -> Vec<Vec<u8>> {
        std::iter::from_fn(|| c.poll_transmit()).collect()
    }

    fn events(c: &mut Client) -> Vec<Event> {
        std::iter::from_fn(|| c.poll_event()).collect()
    }

    fn connected(protocol: Protocol, clean: bool) -> Client {
        let mut c = Client::new(options(protocol, clean));
        c.connect(1000);
        drain(&mut c);
        c.receive(&[0x20, 2, 0, 0], 1040);
        assert_eq!(
            events(&mut c),
            [Event::Connected {
                session_present: false,
                elapsed_ms: 40
            }]
        );
        c
    }

    #[test]
    fn refused_connack_reports_the_code() {
        let mut c = Client::new(options(Protocol::V5, true));
        c.connect(0);
        c.receive(&[0x20, 3, 0, 0x86, 0], 5);
        assert_eq!(events(&mut c), [Event::Refused { code: 0x86 }]);
        assert!(!c.is_connected());
    }

    #[test]
    fn keepalive_ping_and_timeout() {
        let mut c = connected(Protocol::V311, true);
        c.tick(10_999);
        assert!(drain(&mut c).is_empty());
        c.tick(11_000); // 10 s since the CONNECT was sent
        assert_eq!(drain(&mut c), [vec![0xC0, 0]]);
        c.receive(&[0xD0, 0], 11_050);
        c.tick(21_050);
        assert_eq!(drain(&mut c), [vec![0xC0, 0]]);
        c.tick(31_050); // no PINGRESP for a whole keepalive
        assert_eq!(events(&mut c), [Event::KeepaliveTimeout]);
        assert!(!c.is_connected());
    }

    #[test]
    fn qos2_outgoing_flow() {
        let mut c = connected(Protocol::V311, true);
        let id = c.publish("a", b"x", 2, false, 2000).unwrap();
        assert_eq!(
            drain(&mut c),
            [vec![0x34, 6, 0, 1, b'a', 0, id as u8, b'x']]
        );
        c.receive(&[0x50, 2, 0, id as u8], 2010); // PUBREC
        assert_eq!(drain(&mut c), [vec![0x62, 2, 0, id as u8]]); // PUBREL
        c.receive(&[0x70, 2, 0, id as u8], 2020); // PUBCOMP
        assert_eq!(
            events(&mut c),
            [Event::Delivered {
                packet_id: id,
                code: 0
            }]
        );
        assert_eq!(c.in_flight(), 0);
    }

    #[test]
    fn qos2_incoming_delivers_once() {
        let mut c = connected(Protocol::V311, true);
        let publish = [0x34, 6, 0, 1, b'a', 0, 7, b'x'];
        c.receive(&publish, 2000);
        assert_eq!(drain(&mut c), [vec![0x50, 2, 0, 7]]); // PUBREC
                                                          // The broker resends (DUP) before PUBREL: acknowledged, not delivered again.
        let mut dup = publish;
        dup[0] |= 0x08;
        c.receive(&dup, 2005);
        assert_eq!(drain(&mut c), [vec![0x50, 2, 0, 7]]);
        c.receive(&[0x62, 2, 0, 7], 2010); // PUBREL
        assert_eq!(drain(&mut c), [vec![0x70, 2, 0, 7]]); // PUBCOMP
        let msgs: Vec<Event> = events(&mut c);
        assert_eq!(msgs.len(), 1);
        assert!(matches!(&msgs[0], Event::Message { qos: 2, .. }));
    }

    #[test]
    fn reconnect_with_session_present_resends_with_dup() {
        let mut c = connected(Protocol::V311, false);
        let a = c.publish("a", b"1", 1, false, 2000).unwrap();
        let b = c.publish("b", b"2", 2, false, 2001).unwrap();
        drain(&mut c);
        c.receive(&[0x50, 2, 0, b as u8], 2010); // b reached PUBREC
        drain(&mut c);
        c.connection_lost();
        c.connect(5000);
        drain(&mut c);
        c.receive(&[0x20, 2, 1, 0], 5010); // session present
        let resent = drain(&mut c);
        // a's PUBLISH again with DUP (0x3A); b's PUBREL again.
        assert_eq!(
            resent,
            [
                vec![0x3A, 6, 0, 1, b'a', 0, a as u8, b'1'],
                vec![0x62, 2, 0, b as u8]
            ]
        );
        assert_eq!(c.in_flight(), 2);
    }

    #[test]
    fn reconnect_without_session_drops_in_flight() {
        let mut c = connected(Protocol::V311, false);
        c.publish("a", b"1", 1, false, 2000);
        c.connection_lost();
        c.connect(3000);
        drain(&mut c);
        c.receive(&[0x20, 2, 0, 0], 3010);
        assert!(drain(&mut c).is_empty());
        assert_eq!(c.in_flight(), 0);
    }

    #[test]
    fn malformed_input_is_an_event_not_a_panic() {
        let mut c = connected(Protocol::V5, true);
        c.receive(&[0x36, 3, 0, 1, b't'], 2000);
        assert_eq!(
            events(&mut c),
            [Event::ProtocolError(
                "malformed packet from the broker: PUBLISH with QoS 3".into()
            )]
        );
        assert!(!c.is_connected());
    }

    #[test]
    fn packet_ids_skip_those_in_flight_and_zero() {
        let mut c = connected(Protocol::V311, true);
        c.next_id = u16::MAX - 1;
        let a = c.publish("a", b"", 1, false, 0).unwrap();
        let b = c.publish("a", b"", 1, false, 0).unwrap();
        assert_eq!((a, b), (u16::MAX, 1));
    }
}
