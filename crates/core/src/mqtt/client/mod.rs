//! The client's protocol state machine, sans-I/O as quinn-proto's
//! `Connection`: the caller passes bytes and the time in, takes bytes to
//! send and events out, and asks `poll_timeout` when to wake it next.
//!
//! What it keeps: the broker's limits from CONNACK, the QoS 1 and 2 flows in
//! both directions with the packets' send order, reserved packet
//! identifiers, topic aliases, keepalive, and timeouts. What it refuses: a
//! broker that breaks a rule (a DISCONNECT with the reason on MQTT 5, then
//! nothing more is read), and an action of ours that a rule or the broker's
//! limits forbid (an error before anything is sent).

mod session;
pub mod wire;

use super::decoder::{Decoder, Failure};
use super::error::{DecodeError, EncodeError, ErrorKind, Rule};
use super::packet::{
    Ack, Connack, Connect, Disconnect, LastWill, Packet, PacketType, Publish, QoS, Sender,
    Subscribe, Subscription, Unsubscribe,
};
use super::properties::{Properties, Props};
use super::{topic, Protocol, ReasonCode};
pub use session::Abandoned;
use session::{Incoming, PendingAck, Session};
use std::collections::{HashMap, VecDeque};
use wire::{Dir, WireLog};

/// The largest packet this client accepts (bytes, fixed header included);
/// declared to MQTT 5 brokers as Maximum Packet Size.
pub const MAX_PACKET: usize = 256 * 1024;
/// Topic aliases a MQTT 5 broker may use towards this client.
pub const TOPIC_ALIAS_MAXIMUM: u16 = 32;
/// QoS 1 and 2 messages this client takes unacknowledged at once, declared
/// to MQTT 5 brokers as Receive Maximum (§3.1.2.11.3): libmosquitto's
/// default (`MOSQ_OPT_RECEIVE_MAXIMUM`, "Defaults to 20", include/mosquitto.h),
/// which mosquitto_sub and mosquitto_pub send.
///
/// More is the broker's error, and §3.3.4 names the answer, DISCONNECT
/// 0x93, which a client SHOULD send and then close (§4.13.1). This client
/// takes the messages instead and says so ([`Event::OverReceiveMaximum`],
/// a note in the wire log): mosquitto 2.0.11 exceeds it after every
/// reconnect that finds QoS 2 messages queued (20 more for each PUBCOMP:
/// 39 unacknowledged after the first, issue 23's fault test;
/// eclipse-mosquitto/mosquitto#2301 and #3002), and since it sends all of
/// those again on the next connection, closing would stop the session for
/// good. A larger declared maximum does not help: given 1,000 at once,
/// mosquitto 2.0.11 dropped the packet that overflowed its queue of 1,000
/// outgoing packets ("Outgoing messages are being dropped") and lost the
/// message until the next reconnect.
pub const RECEIVE_MAXIMUM: u16 = 20;
/// How long to wait for CONNACK after CONNECT (a client "SHOULD close the
/// Network Connection" after a reasonable time, 5.0 §3.1.4).
pub const CONNACK_TIMEOUT_MS: u64 = 10_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub protocol: Protocol,
    pub client_id: String,
    pub clean_start: bool,
    pub keep_alive_s: u16,
    pub username: Option<String>,
    pub password: Option<Vec<u8>>,
    pub will: Option<LastWill>,
    /// MQTT 5 Session Expiry Interval; 3.1.1 keeps a session while
    /// `clean_start` is false.
    pub session_expiry_s: u32,
    pub connack_timeout_ms: u64,
    /// Packets kept in the wire log (0: none).
    pub wire_log_entries: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            protocol: Protocol::V5,
            client_id: String::new(),
            clean_start: true,
            keep_alive_s: 60,
            username: None,
            password: None,
            will: None,
            session_expiry_s: 0,
            connack_timeout_ms: CONNACK_TIMEOUT_MS,
            wire_log_entries: 500,
        }
    }
}

/// What the broker allows, from CONNACK (MQTT 5 §3.2.2.3; 3.1.1 has none
/// of these, and the defaults apply).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    pub receive_maximum: u16,
    pub maximum_packet_size: Option<u32>,
    pub maximum_qos: QoS,
    pub retain_available: bool,
    pub wildcard_subscriptions: bool,
    pub shared_subscriptions: bool,
    pub topic_alias_maximum: u16,
    /// The keepalive in force: the broker's Server Keep Alive, or ours.
    pub keep_alive_s: u16,
}

impl Limits {
    pub(crate) fn new(keep_alive_s: u16) -> Self {
        Self {
            receive_maximum: u16::MAX,
            maximum_packet_size: None,
            maximum_qos: QoS::ExactlyOnce,
            retain_available: true,
            wildcard_subscriptions: true,
            shared_subscriptions: true,
            topic_alias_maximum: 0,
            keep_alive_s,
        }
    }

    fn from_connack(p: &Properties, keep_alive_s: u16) -> Self {
        let flag = |v: Option<u8>| v != Some(0);
        Self {
            receive_maximum: p.receive_maximum.unwrap_or(u16::MAX),
            maximum_packet_size: p.maximum_packet_size,
            maximum_qos: p
                .maximum_qos
                .and_then(QoS::from_u8)
                .unwrap_or(QoS::ExactlyOnce),
            retain_available: flag(p.retain_available),
            wildcard_subscriptions: flag(p.wildcard_subscription_available),
            shared_subscriptions: flag(p.shared_subscription_available),
            topic_alias_maximum: p.topic_alias_maximum.unwrap_or(0),
            keep_alive_s: p.server_keep_alive.unwrap_or(keep_alive_s),
        }
    }
}

/// QoS 1 and 2 messages of ours unacknowledged at once on MQTT 3.1.1, whose
/// CONNACK announces no Receive Maximum: paho-mqtt 2.2.0's default
/// (`self._max_inflight_messages = 20` in `Client.__init__`,
/// src/paho/mqtt/client.py), and mosquitto 2.0's `max_inflight_messages`
/// default (mosquitto.conf(5)).
pub const V311_MAX_IN_FLIGHT: u16 = 20;

/// How a connection ended, as [`Client::transport_closed`] tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// CONNECT was never sent on it (the transport did not open).
    BeforeConnect,
    /// CONNECT was sent and the broker closed the connection without any
    /// CONNACK, accepting or refusing.
    WithoutConnack,
    /// After a CONNACK, or ended by this client (a timeout, an error, a
    /// refusal it read, DISCONNECT).
    Later,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeout {
    /// No CONNACK within `connack_timeout_ms` of CONNECT.
    Connack,
    /// No PINGRESP within the keepalive of a PINGREQ.
    Keepalive,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// CONNACK with reason 0, `elapsed_ms` after CONNECT was sent.
    Connected {
        session_present: bool,
        elapsed_ms: u64,
        /// MQTT 5: the id the broker gave a client that sent an empty one.
        assigned_client_id: Option<String>,
        limits: Limits,
        /// QoS > 0 messages that were in flight when the broker answered
        /// without our session: gone ([MQTT-3.2.2-5] in 5.0, 3.1.1 §3.2.2.2).
        lost_in_flight: usize,
    },
    /// CONNACK refused the connection; `protocol` is the table its code
    /// belongs to (a 3.1.1 broker answers a 5.0 CONNECT in 3.1.1).
    Refused {
        code: ReasonCode,
        protocol: Protocol,
        reason_string: Option<String>,
    },
    /// A QoS 1 or 2 PUBLISH arrived while `unacknowledged` (this one
    /// included) were more than our [`RECEIVE_MAXIMUM`]: the broker's error
    /// ([MQTT-3.3.4-9]), taken all the same (see [`RECEIVE_MAXIMUM`]).
    OverReceiveMaximum {
        unacknowledged: usize,
    },
    /// An application message; a topic alias is already resolved. Boxed:
    /// far larger than the other events.
    Message(Box<Publish>),
    Subscribed {
        packet_id: u16,
        filters: Vec<String>,
        codes: Vec<ReasonCode>,
    },
    Unsubscribed {
        packet_id: u16,
        filters: Vec<String>,
        codes: Vec<ReasonCode>,
    },
    /// Our QoS 1 or 2 message is done: PUBACK or PUBCOMP, or a PUBREC
    /// with a failure code.
    Delivered {
        packet_id: u16,
        code: ReasonCode,
    },
    /// Our QoS 1 or 2 message sent again, DUP 1, on a connection that has
    /// the session ([MQTT-4.4.0-1]).
    Resent {
        packet_id: u16,
        qos: QoS,
    },
    /// Our PUBREL sent again on a connection that has the session
    /// ([MQTT-4.4.0-1]): the second half of a QoS 2 exchange the drop cut,
    /// answered by PUBCOMP ([`Event::Delivered`]).
    Rereleased {
        packet_id: u16,
    },
    /// A QoS 2 message arrived again before its PUBREL (the broker resent
    /// it): acknowledged again, not delivered again ([MQTT-4.3.3-9]).
    Duplicate {
        packet_id: u16,
    },
    /// A message of the session that the new CONNACK forbids sending (its
    /// Maximum QoS, Retain Available or Maximum Packet Size): given up, not
    /// sent; why, with the rule.
    Abandoned {
        message: Abandoned,
        why: EncodeError,
    },
    /// The broker sent DISCONNECT (MQTT 5).
    ServerDisconnect {
        code: ReasonCode,
        reason_string: Option<String>,
        server_reference: Option<String>,
    },
    Timeout(Timeout),
    /// The broker broke a rule; the client sent DISCONNECT with the reason
    /// (MQTT 5) and the connection must be closed.
    ProtocolError(DecodeError),
    /// Something the broker sent that the client set aside without harm,
    /// e.g. an acknowledgement for an identifier it does not know.
    Ignored(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// No transport.
    Idle,
    AwaitingConnack {
        since_ms: u64,
    },
    Connected,
    /// The connection is over (DISCONNECT sent or received, an error, a
    /// timeout): nothing more is sent or read until the transport closes.
    Closing,
}

/// An outgoing message: what the application publishes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Message {
    pub topic: String,
    pub payload: Vec<u8>,
    pub qos: QoS,
    pub retain: bool,
    pub properties: Properties,
}

#[derive(Debug, Clone)]
pub struct Client {
    options: Options,
    state: State,
    decoder: Decoder,
    session: Session,
    limits: Limits,
    /// Topic aliases the broker set on this connection (MQTT 5 §3.3.2.3.4).
    aliases: HashMap<u16, String>,
    last_sent_ms: u64,
    ping_sent_ms: Option<u64>,
    /// The broker went over our Receive Maximum on this connection (noted once).
    over_receive_maximum: bool,
    transmit: VecDeque<Vec<u8>>,
    events: VecDeque<Event>,
    wire: WireLog,
}

/// Bytes the wire log keeps at the most.
const WIRE_LOG_BYTES: usize = 4 * 1024 * 1024;

impl Client {
    pub fn new(options: Options) -> Self {
        Self {
            decoder: Decoder::new(options.protocol, MAX_PACKET),
            limits: Limits::new(options.keep_alive_s),
            wire: WireLog::new(options.wire_log_entries, WIRE_LOG_BYTES),
            options,
            state: State::Idle,
            session: Session::default(),
            aliases: HashMap::new(),
            last_sent_ms: 0,
            ping_sent_ms: None,
            over_receive_maximum: false,
            transmit: VecDeque::new(),
            events: VecDeque::new(),
        }
    }

    pub fn protocol(&self) -> Protocol {
        self.options.protocol
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    pub fn is_connected(&self) -> bool {
        self.state == State::Connected
    }

    /// The broker's limits on this connection.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// QoS > 0 messages sent and not yet completed.
    pub fn in_flight(&self) -> usize {
        self.session.in_flight()
    }

    /// Messages waiting for the broker's Receive Maximum to allow them.
    pub fn waiting(&self) -> usize {
        self.session.waiting()
    }

    /// Messages in flight from an earlier connection that the new one's
    /// Receive Maximum does not yet let go again.
    pub fn held(&self) -> usize {
        self.session.held()
    }

    /// Bytes held for a packet whose end has not arrived (at most [`MAX_PACKET`]).
    pub fn buffered(&self) -> usize {
        self.decoder.buffered()
    }

    pub fn wire(&self) -> &WireLog {
        &self.wire
    }

    /// Adds a line to the wire log that is not a packet.
    pub fn note(&mut self, now_ms: u64, text: impl Into<String>) {
        self.wire.push(now_ms, Dir::Note, &[], text.into(), None);
    }

    fn send_packet(&mut self, packet: &Packet, now_ms: u64) -> Result<(), EncodeError> {
        let bytes = packet.encode(self.options.protocol)?;
        if let Some(max) = self.limits.maximum_packet_size {
            if bytes.len() > max as usize {
                return Err(EncodeError::new(
                    format!(
                        "this {} is {} bytes; the broker's Maximum Packet Size is {max}",
                        packet.packet_type().name(),
                        bytes.len()
                    ),
                    "[MQTT-3.2.2-15]",
                ));
            }
        }
        if matches!(packet, Packet::Connect(c) if c.password.is_some()) {
            let logged = super::packet::redact_password(self.options.protocol, &bytes);
            self.wire
                .push(now_ms, Dir::Sent, &logged, String::new(), None);
        } else {
            self.wire
                .push(now_ms, Dir::Sent, &bytes, String::new(), None);
        }
        self.last_sent_ms = now_ms;
        self.transmit.push_back(bytes);
        Ok(())
    }

    /// Sends a packet this client builds itself, whose encoding cannot fail.
    fn send_own(&mut self, packet: Packet, now_ms: u64) {
        if let Err(e) = self.send_packet(&packet, now_ms) {
            // Acks and pings have no field that can be refused; should the
            // broker's limit be below a few bytes, say so rather than panic.
            self.events.push_back(Event::Ignored(format!(
                "could not send {}: {e}",
                packet.summary()
            )));
        }
    }

    /// The CONNECT these options make.
    fn connect_packet(o: &Options) -> Packet {
        let mut properties = Properties::default();
        if o.protocol == Protocol::V5 {
            properties.session_expiry_interval =
                (o.session_expiry_s > 0).then_some(o.session_expiry_s);
            // Tell the broker what we accept ([MQTT-3.1.2-24]: it must not send more).
            properties.receive_maximum = Some(RECEIVE_MAXIMUM);
            properties.maximum_packet_size = Some(MAX_PACKET as u32);
            properties.topic_alias_maximum = Some(TOPIC_ALIAS_MAXIMUM);
        }
        Packet::Connect(Box::new(Connect {
            protocol: o.protocol,
            clean_start: o.clean_start,
            keep_alive_s: o.keep_alive_s,
            properties: properties.into(),
            client_id: o.client_id.clone(),
            will: o.will.clone(),
            username: o.username.clone(),
            password: o.password.clone(),
        }))
    }

    /// Whether these options make a CONNECT that may be sent (for a form,
    /// before connecting): e.g. 3.1.1 refuses a password without a user name.
    pub fn check(o: &Options) -> Result<(), EncodeError> {
        Self::connect_packet(o).encode(o.protocol).map(|_| ())
    }

    /// Starts a connection (call when the transport has opened).
    pub fn connect(&mut self, now_ms: u64) -> Result<(), EncodeError> {
        let connect = Self::connect_packet(&self.options);
        self.decoder = Decoder::new(self.options.protocol, MAX_PACKET);
        self.limits = Limits::new(self.options.keep_alive_s);
        self.aliases.clear();
        self.ping_sent_ms = None;
        self.over_receive_maximum = false;
        self.transmit.clear();
        self.session.connection_lost();
        self.send_packet(&connect, now_ms)?;
        self.state = State::AwaitingConnack { since_ms: now_ms };
        Ok(())
    }

    /// The transport closed. The session's in-flight messages are kept for
    /// a resend if the next CONNACK has the session.
    pub fn connection_lost(&mut self, now_ms: u64, why: &str) {
        if self.state != State::Idle {
            self.note(now_ms, format!("connection closed: {why}"));
        }
        self.state = State::Idle;
        self.transmit.clear();
        self.ping_sent_ms = None;
        self.session.connection_lost();
    }

    /// The transport closed; `received_before` are the bytes that arrived
    /// before the close and were not yet given to [`Client::receive`]. They
    /// are decoded first: a 3.1.1 broker closes right after a refusing
    /// CONNACK ([MQTT-3.2.2-5]), and its code must not be lost to the close
    /// (issue 23: aedes 1.2.0's `20 02 00 01`). Returns how the connection
    /// ended; the events of what was decoded wait in `poll_event`.
    pub fn transport_closed(&mut self, received_before: &[u8], now_ms: u64, why: &str) -> Ended {
        self.receive(received_before, now_ms);
        let ended = match self.state {
            State::Idle => Ended::BeforeConnect,
            State::AwaitingConnack { .. } => Ended::WithoutConnack,
            State::Connected | State::Closing => Ended::Later,
        };
        self.connection_lost(now_ms, why);
        ended
    }

    /// Publishes, or refuses what may not be sent: a malformed topic, more
    /// than the broker's Maximum QoS or packet size, retain where it has
    /// none. Beyond the broker's Receive Maximum the message waits.
    pub fn publish(&mut self, m: Message, now_ms: u64) -> Result<(), EncodeError> {
        if self.state != State::Connected {
            return Err(EncodeError::new("not connected", "§3.3"));
        }
        if m.properties.topic_alias.is_some() {
            // Sending aliases is not implemented: never more than the broker
            // allows, which by default is none ([MQTT-3.2.2-18]).
            return Err(EncodeError::new(
                "this client does not send Topic Aliases",
                "[MQTT-3.2.2-18]",
            ));
        }
        if !m.properties.subscription_identifiers.is_empty() {
            return Err(EncodeError::new(
                "a PUBLISH from a client carries no Subscription Identifier",
                "[MQTT-3.3.4-6]",
            ));
        }
        // Check the encoding now, with a stand-in identifier, so that a
        // queued message cannot fail later.
        let probe =
            self.session
                .publish_packet(&m, if m.qos == QoS::AtMostOnce { 0 } else { 1 }, false);
        if let Some(e) = self.forbidden(&probe) {
            return Err(e);
        }
        if m.qos == QoS::AtMostOnce {
            let p = self.session.publish_packet(&m, 0, false);
            return self.send_packet(&Packet::Publish(p), now_ms);
        }
        self.session.queue(m);
        self.send_waiting(now_ms);
        Ok(())
    }

    /// Why the broker's limits forbid sending this PUBLISH, if they do: a
    /// QoS above its Maximum QoS, retain where it has none, or more bytes
    /// than its Maximum Packet Size (or an encoding that fails).
    fn forbidden(&self, p: &Publish) -> Option<EncodeError> {
        if p.qos > self.limits.maximum_qos {
            return Some(EncodeError::new(
                format!(
                    "the broker's Maximum QoS is {}: it does not accept QoS {}",
                    self.limits.maximum_qos.as_u8(),
                    p.qos.as_u8()
                ),
                "[MQTT-3.2.2-11]",
            ));
        }
        if p.retain && !self.limits.retain_available {
            return Some(EncodeError::new(
                "the broker does not support retained messages (Retain Available 0)",
                "[MQTT-3.2.2-14]",
            ));
        }
        let size = match Packet::Publish(p.clone()).encode(self.options.protocol) {
            Ok(bytes) => bytes.len(),
            Err(e) => return Some(e),
        };
        match self.limits.maximum_packet_size {
            Some(max) if size > max as usize => Some(EncodeError::new(
                format!("this PUBLISH is {size} bytes; the broker's Maximum Packet Size is {max}"),
                "[MQTT-3.2.2-15]",
            )),
            _ => None,
        }
    }

    /// Sends QoS > 0 messages while the broker's Receive Maximum allows:
    /// first those in flight from an earlier connection, then new ones.
    fn send_waiting(&mut self, now_ms: u64) {
        while self.state == State::Connected {
            let Some(p) = self.session.next_publish(self.limits.receive_maximum) else {
                break;
            };
            self.send_publish(p, now_ms);
        }
    }

    /// Sends a PUBLISH of the session; a resend is also an event.
    fn send_publish(&mut self, p: Publish, now_ms: u64) {
        if p.dup {
            self.events.push_back(Event::Resent {
                packet_id: p.packet_id,
                qos: p.qos,
            });
        }
        self.send_own(Packet::Publish(p), now_ms);
    }

    pub fn subscribe(
        &mut self,
        filters: Vec<Subscription>,
        now_ms: u64,
    ) -> Result<u16, EncodeError> {
        if self.state != State::Connected {
            return Err(EncodeError::new("not connected", "§3.8"));
        }
        for s in &filters {
            let filter = topic::shared(&s.filter)
                .and_then(Result::ok)
                .map_or(s.filter.as_str(), |(_, f)| f);
            if topic::has_wildcard(filter) && !self.limits.wildcard_subscriptions {
                return Err(EncodeError::new(
                    "the broker does not support wildcard subscriptions (Wildcard Subscription Available 0)",
                    "§3.2.2.3.11",
                ));
            }
            if topic::shared(&s.filter).is_some() && !self.limits.shared_subscriptions {
                return Err(EncodeError::new(
                    "the broker does not support shared subscriptions (Shared Subscription Available 0)",
                    "§3.2.2.3.13",
                ));
            }
        }
        let id = self.session.reserve_id().ok_or_else(no_free_id)?;
        let names = filters.iter().map(|s| s.filter.clone()).collect();
        let packet = Packet::Subscribe(Subscribe {
            packet_id: id,
            properties: Props::default(),
            filters,
        });
        match self.send_packet(&packet, now_ms) {
            Ok(()) => {
                self.session.await_ack(id, PacketType::Subscribe, names);
                Ok(id)
            }
            Err(e) => {
                self.session.release_id(id);
                Err(e)
            }
        }
    }

    pub fn unsubscribe(&mut self, filters: Vec<String>, now_ms: u64) -> Result<u16, EncodeError> {
        if self.state != State::Connected {
            return Err(EncodeError::new("not connected", "§3.10"));
        }
        let id = self.session.reserve_id().ok_or_else(no_free_id)?;
        let packet = Packet::Unsubscribe(Unsubscribe {
            packet_id: id,
            properties: Props::default(),
            filters: filters.clone(),
        });
        match self.send_packet(&packet, now_ms) {
            Ok(()) => {
                self.session.await_ack(id, PacketType::Unsubscribe, filters);
                Ok(id)
            }
            Err(e) => {
                self.session.release_id(id);
                Err(e)
            }
        }
    }

    /// A clean disconnect: the broker discards the Will. Nothing is sent
    /// after it ([MQTT-3.14.4-1]).
    pub fn disconnect(&mut self, now_ms: u64) {
        if self.state == State::Connected {
            self.send_own(Packet::Disconnect(Disconnect::default()), now_ms);
        }
        self.state = State::Closing;
    }

    /// Bytes from the broker. Stops at the first packet that ends the
    /// connection: the rest of the frame is not read.
    pub fn receive(&mut self, mut bytes: &[u8], now_ms: u64) {
        while matches!(self.state, State::AwaitingConnack { .. } | State::Connected) {
            match self.decoder.next_packet(&mut bytes) {
                None => break,
                Some(Ok(d)) => {
                    self.wire
                        .push(now_ms, Dir::Received, &d.raw, String::new(), None);
                    self.handle(d.packet, now_ms);
                }
                Some(Err(Failure { error, raw })) => {
                    self.wire.push(
                        now_ms,
                        Dir::Received,
                        &raw,
                        String::new(),
                        Some(error.to_string()),
                    );
                    self.protocol_error(error, now_ms);
                }
            }
        }
    }

    /// Ends the connection for a broken rule: DISCONNECT with the reason
    /// code on MQTT 5 (§4.13), then close.
    fn protocol_error(&mut self, e: DecodeError, now_ms: u64) {
        if self.options.protocol == Protocol::V5 {
            let d = Disconnect {
                code: e.kind.reason_code(),
                properties: Props::default(),
            };
            self.send_own(Packet::Disconnect(d), now_ms);
        }
        self.state = State::Closing;
        self.events.push_back(Event::ProtocolError(e));
    }

    /// A rule broken by a packet that decoded fine: offset 0 (the packet).
    fn violation(&mut self, kind: ErrorKind, what: impl Into<String>, rule: Rule, now_ms: u64) {
        let e = DecodeError {
            offset: 0,
            kind,
            what: what.into(),
            rule: rule.cite(self.options.protocol),
        };
        self.protocol_error(e, now_ms);
    }

    fn handle(&mut self, packet: Packet, now_ms: u64) {
        let t = packet.packet_type();
        if t.sender(self.options.protocol) == Sender::Client {
            let rule = Rule {
                v311: "§2.2.1",
                v5: "§2.1.2",
            };
            return self.violation(
                ErrorKind::ProtocolError,
                format!("a broker does not send {}", t.name()),
                rule,
                now_ms,
            );
        }
        if let State::AwaitingConnack { since_ms } = self.state {
            return match packet {
                Packet::Connack(c) => self.on_connack(c, since_ms, now_ms),
                other => self.violation(
                    ErrorKind::ProtocolError,
                    format!(
                        "{} before CONNACK: the broker's first packet must be CONNACK",
                        other.packet_type().name()
                    ),
                    Rule::both("[MQTT-3.2.0-1]"),
                    now_ms,
                ),
            };
        }
        match packet {
            Packet::Connack(_) => self.violation(
                ErrorKind::ProtocolError,
                "a second CONNACK on one connection",
                Rule::both("§3.2"),
                now_ms,
            ),
            Packet::Publish(p) => self.on_publish(p, now_ms),
            Packet::Puback(a) => self.on_ack(PacketType::Puback, a, now_ms),
            Packet::Pubrec(a) => self.on_ack(PacketType::Pubrec, a, now_ms),
            Packet::Pubcomp(a) => self.on_ack(PacketType::Pubcomp, a, now_ms),
            Packet::Pubrel(a) => self.on_pubrel(a, now_ms),
            Packet::Suback(s) => match self.session.take_ack(s.packet_id, PacketType::Subscribe) {
                PendingAck::Matched(filters) if filters.len() == s.codes.len() => {
                    self.events.push_back(Event::Subscribed {
                        packet_id: s.packet_id,
                        filters,
                        codes: s.codes,
                    })
                }
                PendingAck::OtherKind(t) => self.wrong_ack(PacketType::Suback, t, s.packet_id, now_ms),
                PendingAck::Matched(filters) => self.violation(
                    ErrorKind::ProtocolError,
                    format!(
                        "SUBACK has {} codes for {} topic filters",
                        s.codes.len(),
                        filters.len()
                    ),
                    Rule {
                        v311: "[MQTT-3.8.4-5]",
                        v5: "[MQTT-3.8.4-6]",
                    },
                    now_ms,
                ),
                PendingAck::Unknown => self.events.push_back(Event::Ignored(format!(
                    "SUBACK for packet identifier {} that no SUBSCRIBE is waiting for",
                    s.packet_id
                ))),
            },
            Packet::Unsuback(u) => match self.session.take_ack(u.packet_id, PacketType::Unsubscribe) {
                PendingAck::Matched(filters)
                    if self.options.protocol == Protocol::V311
                        || filters.len() == u.codes.len() =>
                {
                    self.events.push_back(Event::Unsubscribed {
                        packet_id: u.packet_id,
                        filters,
                        codes: u.codes,
                    })
                }
                PendingAck::OtherKind(t) => self.wrong_ack(PacketType::Unsuback, t, u.packet_id, now_ms),
                PendingAck::Matched(filters) => self.violation(
                    ErrorKind::ProtocolError,
                    format!(
                        "UNSUBACK has {} codes for {} topic filters",
                        u.codes.len(),
                        filters.len()
                    ),
                    Rule {
                        v311: "",
                        v5: "[MQTT-3.11.3-1]",
                    },
                    now_ms,
                ),
                PendingAck::Unknown => self.events.push_back(Event::Ignored(format!(
                    "UNSUBACK for packet identifier {} that no UNSUBSCRIBE is waiting for",
                    u.packet_id
                ))),
            },
            Packet::Pingresp => self.ping_sent_ms = None,
            Packet::Disconnect(d) if d.properties.session_expiry_interval.is_some() => self
                .violation(
                    ErrorKind::ProtocolError,
                    "the broker's DISCONNECT carries a Session Expiry Interval, which only a client may send",
                    Rule {
                        v311: "",
                        v5: "[MQTT-3.14.2-2]",
                    },
                    now_ms,
                ),
            Packet::Disconnect(d) => {
                self.state = State::Closing;
                let p = d.properties.into_inner();
                self.events.push_back(Event::ServerDisconnect {
                    code: d.code,
                    reason_string: p.reason_string,
                    server_reference: p.server_reference,
                });
            }
            Packet::Auth(_) => self.violation(
                ErrorKind::ProtocolError,
                "AUTH, but this client asked for no enhanced authentication",
                Rule {
                    v311: "§2.2.1",
                    v5: "[MQTT-4.12.0-6]",
                },
                now_ms,
            ),
            // Client-only types were refused above.
            Packet::Connect(_)
            | Packet::Subscribe(_)
            | Packet::Unsubscribe(_)
            | Packet::Pingreq => {}
        }
    }

    fn on_connack(&mut self, c: Connack, since_ms: u64, now_ms: u64) {
        // 0 accepts in both versions (3.1.1: Connection Accepted).
        if c.code != ReasonCode::SUCCESS {
            self.state = State::Closing;
            self.events.push_back(Event::Refused {
                code: c.code,
                protocol: c.protocol,
                reason_string: c.properties.into_inner().reason_string,
            });
            return;
        }
        if c.protocol != self.options.protocol {
            // A two-byte CONNACK accepting a 5.0 CONNECT: the broker speaks 3.1.1.
            return self.violation(
                ErrorKind::Malformed,
                "the broker accepted an MQTT 5 CONNECT with an MQTT 3.1.1 CONNACK",
                Rule::both("§3.2.2.3"),
                now_ms,
            );
        }
        if c.properties.authentication_method.is_some() {
            // This client never sends an Authentication Method.
            return self.violation(
                ErrorKind::ProtocolError,
                "the CONNACK carries an Authentication Method, but this client's CONNECT had none",
                Rule {
                    v311: "",
                    v5: "[MQTT-4.12.0-6]",
                },
                now_ms,
            );
        }
        if c.session_present && self.options.clean_start {
            return self.violation(
                ErrorKind::ProtocolError,
                "Session Present is 1 although this client asked for a clean start",
                Rule {
                    v311: "[MQTT-3.2.2-1]",
                    v5: "[MQTT-3.2.2-2]",
                },
                now_ms,
            );
        }
        self.limits = Limits::from_connack(&c.properties, self.options.keep_alive_s);
        if self.options.protocol == Protocol::V311 {
            // A 3.1.1 broker announces no limit, and cannot refuse a message
            // it has no room for: mosquitto 2.0.11 (max_inflight_messages 20)
            // answered the 21st QoS 2 PUBLISH in flight with a PUBREC and
            // dropped it (issue 23). Keep to paho's default instead.
            self.limits.receive_maximum = V311_MAX_IN_FLIGHT;
        }
        self.state = State::Connected;
        let lost_in_flight = if c.session_present {
            0
        } else {
            // The broker has no session: in-flight messages are gone on its side.
            self.session.discard()
        };
        // What the session holds was checked against the last CONNACK's
        // limits; this one may be stricter (a broker restarted with another
        // configuration). A PUBLISH it forbids may not be sent, not even
        // again ([MQTT-3.2.2-11], [MQTT-3.2.2-14], [MQTT-3.2.2-15]): give it
        // up and say so, rather than hold it for a broker that may never
        // take it.
        let mut session = std::mem::take(&mut self.session);
        let abandoned = session.abandon(|p| self.forbidden(p));
        self.session = session;
        self.events.push_back(Event::Connected {
            session_present: c.session_present,
            elapsed_ms: now_ms.saturating_sub(since_ms),
            assigned_client_id: c.properties.assigned_client_identifier.clone(),
            limits: self.limits.clone(),
            lost_in_flight,
        });
        for (message, why) in abandoned {
            self.events.push_back(Event::Abandoned { message, why });
        }
        if c.session_present {
            // PUBLISH again with DUP set and PUBREL again, in the order the
            // originals were sent ([MQTT-4.4.0-1], [MQTT-4.6.0-1]), as far as
            // this connection's Receive Maximum allows ([MQTT-3.3.4-7]).
            for p in self.session.resend(self.limits.receive_maximum) {
                match p {
                    Packet::Publish(p) => self.send_publish(p, now_ms),
                    other => {
                        if let Packet::Pubrel(a) = &other {
                            self.events.push_back(Event::Rereleased {
                                packet_id: a.packet_id,
                            });
                        }
                        self.send_own(other, now_ms)
                    }
                }
            }
        }
        self.send_waiting(now_ms);
    }

    /// A SUBACK or UNSUBACK whose identifier is held by a request of the
    /// other kind: a broken rule, not a confirmation.
    fn wrong_ack(&mut self, ack: PacketType, request: PacketType, id: u16, now_ms: u64) {
        self.violation(
            ErrorKind::ProtocolError,
            format!(
                "{} carries the packet identifier {id} of a pending {}",
                ack.name(),
                request.name()
            ),
            Rule {
                v311: "[MQTT-2.3.1-7]",
                v5: "[MQTT-2.2.1-6]",
            },
            now_ms,
        )
    }

    fn on_publish(&mut self, mut p: Publish, now_ms: u64) {
        if !p.properties.subscription_identifiers.is_empty() {
            // This client's SUBSCRIBE never carries one, so no PUBLISH may (§3.3.4).
            return self.violation(
                ErrorKind::ProtocolError,
                "the PUBLISH carries a Subscription Identifier, but no SUBSCRIBE of this client had one",
                Rule {
                    v311: "",
                    v5: "§3.3.4",
                },
                now_ms,
            );
        }
        if let Some(alias) = p.properties.topic_alias {
            if alias > TOPIC_ALIAS_MAXIMUM {
                return self.violation(
                    ErrorKind::TopicAliasInvalid,
                    format!("Topic Alias {alias} is above the {TOPIC_ALIAS_MAXIMUM} this client declared"),
                    Rule {
                        v311: "",
                        v5: "[MQTT-3.3.2-10]",
                    },
                    now_ms,
                );
            }
            if p.topic.is_empty() {
                match self.aliases.get(&alias) {
                    Some(t) => p.topic = t.clone(),
                    None => {
                        return self.violation(
                            ErrorKind::ProtocolError,
                            format!("Topic Alias {alias} was never set on this connection"),
                            Rule::both("§3.3.2.3.4"),
                            now_ms,
                        )
                    }
                }
            } else {
                self.aliases.insert(alias, p.topic.clone());
            }
        }
        let copy = p.qos == QoS::ExactlyOnce && self.session.is_unreleased(p.packet_id);
        if self.options.protocol == Protocol::V5
            && p.qos != QoS::AtMostOnce
            && !copy
            && self.session.unreleased() >= usize::from(RECEIVE_MAXIMUM)
        {
            // Our QoS 1 messages are acknowledged as they arrive; QoS 2 ones
            // count until PUBCOMP. One more than we declared breaks
            // [MQTT-3.3.4-9]: said in the wire log (once a connection) and
            // as an event, and taken.
            let unacknowledged = self.session.unreleased() + 1;
            if !self.over_receive_maximum {
                self.over_receive_maximum = true;
                self.note(
                    now_ms,
                    format!(
                        "the broker exceeded this client's Receive Maximum of {RECEIVE_MAXIMUM}: a QoS {} PUBLISH while {} QoS 2 messages wait for PUBREL [MQTT-3.3.4-9]; taken, not answered with DISCONNECT 0x93",
                        p.qos.as_u8(),
                        unacknowledged - 1
                    ),
                );
            }
            self.events
                .push_back(Event::OverReceiveMaximum { unacknowledged });
        }
        match p.qos {
            QoS::AtMostOnce => self.events.push_back(Event::Message(Box::new(p))),
            QoS::AtLeastOnce => {
                let id = p.packet_id;
                self.events.push_back(Event::Message(Box::new(p)));
                self.send_own(Packet::Puback(ack(id, ReasonCode::SUCCESS)), now_ms);
            }
            QoS::ExactlyOnce => {
                let id = p.packet_id;
                match self.session.receive_qos2(id) {
                    Incoming::New => self.events.push_back(Event::Message(Box::new(p))),
                    // A resend before PUBREL: acknowledged again, not delivered again.
                    Incoming::Duplicate => {
                        self.events.push_back(Event::Duplicate { packet_id: id })
                    }
                }
                self.send_own(Packet::Pubrec(ack(id, ReasonCode::SUCCESS)), now_ms);
            }
        }
    }

    fn on_ack(&mut self, t: PacketType, a: Ack, now_ms: u64) {
        use session::AckResult as R;
        match self.session.acknowledge(t, a.packet_id, a.code) {
            R::Done => {
                self.events.push_back(Event::Delivered {
                    packet_id: a.packet_id,
                    code: a.code,
                });
                self.send_waiting(now_ms);
            }
            R::Release => self.send_own(
                Packet::Pubrel(ack(a.packet_id, ReasonCode::SUCCESS)),
                now_ms,
            ),
            R::Unknown => {
                if t == PacketType::Pubrec
                    && self.options.protocol == Protocol::V5
                    && !a.code.is_failure()
                {
                    // Answer without creating state: 0x92 Packet Identifier not found.
                    let code = ReasonCode::PACKET_IDENTIFIER_NOT_FOUND;
                    self.send_own(Packet::Pubrel(ack(a.packet_id, code)), now_ms);
                }
                self.events.push_back(Event::Ignored(format!(
                    "{} for packet identifier {}, which has no message in flight",
                    t.name(),
                    a.packet_id
                )));
            }
            R::WrongFlow(expected) => self.violation(
                ErrorKind::ProtocolError,
                format!(
                    "{} for packet identifier {}, whose flow expects {}",
                    t.name(),
                    a.packet_id,
                    expected
                ),
                Rule::both("§4.3"),
                now_ms,
            ),
        }
    }

    fn on_pubrel(&mut self, a: Ack, now_ms: u64) {
        let known = self.session.release_qos2(a.packet_id);
        // 5.0: 0x92 when the identifier is unknown; 3.1.1 always answers PUBCOMP.
        let code = if known || self.options.protocol == Protocol::V311 {
            ReasonCode::SUCCESS
        } else {
            ReasonCode::PACKET_IDENTIFIER_NOT_FOUND
        };
        self.send_own(Packet::Pubcomp(ack(a.packet_id, code)), now_ms);
    }

    /// When the client must be woken next (ms): the CONNACK timeout, the
    /// next PINGREQ, or the PINGRESP timeout.
    pub fn poll_timeout(&self) -> Option<u64> {
        match self.state {
            State::AwaitingConnack { since_ms } => Some(since_ms + self.options.connack_timeout_ms),
            State::Connected if self.limits.keep_alive_s > 0 => {
                let keepalive_ms = u64::from(self.limits.keep_alive_s) * 1000;
                Some(match self.ping_sent_ms {
                    Some(sent) => sent + keepalive_ms,
                    None => self.last_sent_ms + keepalive_ms,
                })
            }
            _ => None,
        }
    }

    /// Call at (or after) `poll_timeout`: sends PINGREQ when due, or ends a
    /// connection whose CONNACK or PINGRESP did not come.
    pub fn handle_timeout(&mut self, now_ms: u64) {
        let Some(due) = self.poll_timeout() else {
            return;
        };
        if now_ms < due {
            return;
        }
        match self.state {
            State::AwaitingConnack { .. } => {
                self.state = State::Closing;
                self.events.push_back(Event::Timeout(Timeout::Connack));
            }
            State::Connected if self.ping_sent_ms.is_some() => {
                self.state = State::Closing;
                self.events.push_back(Event::Timeout(Timeout::Keepalive));
            }
            State::Connected => {
                self.send_own(Packet::Pingreq, now_ms);
                self.ping_sent_ms = Some(now_ms);
            }
            _ => {}
        }
    }

    /// Whether the connection is over and the transport should be closed.
    pub fn should_close(&self) -> bool {
        self.state == State::Closing
    }

    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.transmit.pop_front()
    }

    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }
}

fn no_free_id() -> EncodeError {
    EncodeError::new("all 65,535 packet identifiers are in use", "§2.2.1")
}

fn ack(packet_id: u16, code: ReasonCode) -> Ack {
    Ack {
        packet_id,
        code,
        properties: Props::default(),
    }
}

#[cfg(test)]
mod tests;
