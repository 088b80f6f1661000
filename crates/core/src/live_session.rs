//! What the live page shows about its connection, as one model changed by
//! one reducer ([`LiveSession::apply`]) over what the transport reports (the
//! client's events, status changes) and what the learner does (connect,
//! subscribe, unsubscribe, start a round trip). The page only derives its
//! views from it and carries out the [`Effect`]s it returns; the whole
//! behaviour is tested here, natively, through whole sessions.

use crate::claims::content::fill;
use crate::content::live as text;
use crate::inspect::message_properties;
use crate::live::{limits_text, round_trip_index};
use crate::mqtt::packet::PacketType;
use crate::mqtt::{Event, Protocol, Publish, ReasonCode, Subscription};
use crate::topic_tree::TopicTree;
use std::collections::HashMap;

/// The log keeps this many messages; older ones are dropped and counted.
pub const LOG_MAX: usize = 200;
/// Bytes of a payload kept for display; the total length is always shown.
pub const PAYLOAD_SHOWN: usize = 4096;
/// The broker statistic the page can watch (mosquitto's `$SYS` tree).
pub const SYS_CLIENTS: &str = "$SYS/broker/clients/connected";

/// Where the connection stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Status {
    #[default]
    Disconnected,
    Connecting,
    Connected,
    Reconnecting,
    Failed,
}

impl Status {
    pub fn slug(self) -> &'static str {
        match self {
            Status::Disconnected => "disconnected",
            Status::Connecting => "connecting",
            Status::Connected => "connected",
            Status::Reconnecting => "reconnecting",
            Status::Failed => "failed",
        }
    }
}

/// A subscription as the page lists it: what was asked, and what the broker
/// granted.
#[derive(Debug, Clone, PartialEq)]
pub struct SubscriptionRow {
    /// What was asked (filter, QoS and the MQTT 5 options), renewed on reconnect.
    pub sub: Subscription,
    /// None: not sent (no connection).
    pub packet_id: Option<u16>,
    /// SUBACK's code for it: the granted QoS, or a failure from 0x80.
    pub granted: Option<ReasonCode>,
}

impl SubscriptionRow {
    /// "QoS 1: downgraded from 2", "waiting for SUBACK", "refused (0x87 …)".
    pub fn granted_text(&self, p: Protocol) -> String {
        let asked = self.sub.qos.as_u8();
        match (self.granted, self.granted.and_then(ReasonCode::granted_qos)) {
            (None, _) if self.packet_id.is_none() => "not sent".to_string(),
            (None, _) => "waiting for SUBACK".to_string(),
            (Some(_), Some(g)) if g < asked => format!("QoS {g}: downgraded from {asked}"),
            (Some(_), Some(g)) => format!("QoS {g}"),
            (Some(c), None) => format!("refused ({})", c.describe(p, PacketType::Suback)),
        }
    }

    /// The MQTT 5 options it was asked with, for people: " (No Local, …)".
    pub fn options_text(&self) -> String {
        let mut o = Vec::new();
        if self.sub.no_local {
            o.push("No Local".to_string());
        }
        if self.sub.retain_as_published {
            o.push("Retain As Published".to_string());
        }
        if self.sub.retain_handling > 0 {
            o.push(format!("Retain Handling {}", self.sub.retain_handling));
        }
        if o.is_empty() {
            String::new()
        } else {
            format!(" ({})", o.join(", "))
        }
    }
}

/// The round-trip test: messages published to ourselves and seen back.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RoundTrip {
    pub run: u32,
    pub sent: u32,
    pub qos: u8,
    /// seen[i]: message i came back at least once.
    pub seen: Vec<bool>,
    pub received: u32,
    pub duplicates: u32,
    /// The page's clock (ms) when the messages were published, and how long
    /// after that each first copy came back, in arrival order.
    pub started_ms: f64,
    pub back_after_ms: Vec<f64>,
}

impl RoundTrip {
    /// How long the messages took to come back: the first, the median and
    /// the last first copy, in ms after they were all published (they go out
    /// together, so each is that message's publish-to-delivery time, plus
    /// its wait behind the ones before it).
    pub fn latency(&self) -> Option<(f64, f64, f64)> {
        let t = &self.back_after_ms;
        let (first, last) = (*t.first()?, *t.last()?);
        let mut sorted = t.clone();
        sorted.sort_by(f64::total_cmp);
        Some((first, sorted[sorted.len() / 2], last))
    }

    /// [`RoundTrip::latency`] in words.
    pub fn latency_text(&self) -> Option<String> {
        self.latency().map(|(first, median, last)| {
            let ms = |v: f64| format!("{} ms", crate::format::number(v, 0));
            fill(
                text::BACK_AFTER,
                &[
                    ("first", &ms(first)),
                    ("median", &ms(median)),
                    ("last", &ms(last)),
                ],
            )
        })
    }

    /// The measurement, and the QoS simulator's prediction only where the
    /// measurement agrees with it; where it does not, why they can differ
    /// (issue 23: "20 of 50 delivered at QoS 2" printed beside "predicts
    /// 100 %" with no word on it).
    pub fn summary(&self) -> Option<String> {
        (self.run > 0).then(|| {
            let qos = self.qos.to_string();
            let measured = fill(
                text::ROUND_TRIP,
                &[
                    ("run", &self.run.to_string()),
                    ("received", &self.received.to_string()),
                    ("sent", &self.sent.to_string()),
                    ("qos", &qos),
                    ("duplicates", &self.duplicates.to_string()),
                ],
            );
            let missing = self.sent.saturating_sub(self.received);
            let comment = if missing == 0 && self.duplicates == 0 {
                text::ROUND_TRIP_AS_PREDICTED.to_string()
            } else if missing == 0 && self.qos == 1 {
                text::ROUND_TRIP_QOS1_TWICE.to_string()
            } else if missing == 0 {
                fill(text::ROUND_TRIP_DUPLICATES, &[("qos", &qos)])
            } else {
                fill(
                    text::ROUND_TRIP_MISSING,
                    &[
                        ("missing", &missing.to_string()),
                        (
                            "qos0",
                            if self.qos == 0 {
                                text::ROUND_TRIP_QOS0
                            } else {
                                ""
                            },
                        ),
                    ],
                )
            };
            measured + " " + &comment
        })
    }
}

/// One message as the log shows it: received, or sent by the learner.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    /// 1 for the session's first message (received and sent are counted
    /// apart: a row is known by `sent` and `seq`).
    pub seq: u64,
    /// Published from this page (the log is a conversation).
    pub sent: bool,
    /// The page's clock (ms since 1970) when it was logged.
    pub at_ms: f64,
    pub topic: String,
    pub qos: u8,
    pub retain: bool,
    pub dup: bool,
    /// At most [`PAYLOAD_SHOWN`] bytes.
    pub payload: Vec<u8>,
    pub size: usize,
    /// MQTT 5 properties for people (name, value).
    pub props: Vec<(&'static str, String)>,
}

impl LogEntry {
    pub fn new(seq: u64, p: &Publish) -> Self {
        Self {
            seq,
            sent: false,
            at_ms: 0.0,
            topic: p.topic.clone(),
            qos: p.qos.as_u8(),
            retain: p.retain,
            dup: p.dup,
            payload: p.payload[..p.payload.len().min(PAYLOAD_SHOWN)].to_vec(),
            size: p.payload.len(),
            props: message_properties(p),
        }
    }
}

/// What changes the model.
#[derive(Debug, Clone)]
pub enum Input {
    /// The learner pressed Connect with these settings.
    Connect {
        protocol: Protocol,
        /// Where the round trip publishes to itself.
        round_trip_topic: String,
        /// Subscribe to [`SYS_CLIENTS`] on every connect.
        watch_sys: bool,
    },
    /// The transport's status and its words.
    Status(Status, String),
    /// The client's events since the last batch, oldest first.
    Events(Vec<Event>),
    /// A subscription was sent (`Ok(packet id)`) or could not be (`Err`).
    Subscribing(Subscription, Result<u16, String>),
    Unsubscribed(String),
    /// The learner started a round trip of `n` messages at `qos`.
    RoundTrip {
        n: u32,
        qos: u8,
    },
    /// The page's clock, in ms, applied before the input it stamps.
    Clock(f64),
    /// The learner published this message (accepted by the client).
    Published(Publish),
}

/// What the page must do after an [`Input`].
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Send SUBSCRIBE (renewing the session's subscriptions on a connect).
    Subscribe(Subscription),
    /// Show these messages in the log; `dropped` more arrived in the same
    /// batch than the log keeps.
    Log { rows: Vec<LogEntry>, dropped: u64 },
}

#[derive(Debug, Clone, Default)]
pub struct LiveSession {
    pub protocol: Option<Protocol>,
    pub status: Status,
    pub status_text: String,
    /// The last CONNACK or DISCONNECT code, with the table it belongs to.
    pub reason: Option<(ReasonCode, Protocol, PacketType)>,
    /// WebSocket open to CONNACK, of the last connection.
    pub connect_ms: Option<u64>,
    /// What the broker announced in its CONNACK.
    pub broker_limits: Option<String>,
    pub received: u64,
    pub subscriptions: Vec<SubscriptionRow>,
    /// The broker's own count of connected clients (`$SYS`), and whether it
    /// came as a retained message: the value of the broker's last `$SYS`
    /// update, which may be older than this connection (mosquitto publishes
    /// `$SYS` every `sys_interval`, 10 s by default, mosquitto.conf(5)).
    pub sys_clients: Option<(u64, bool)>,
    pub round_trip: RoundTrip,
    pub tree: TopicTree,
    /// QoS 1 and 2 messages of ours the client sent again, DUP 1, on a
    /// connection that had the session (QoS at work: each is one the broker
    /// had not acknowledged when a connection ended).
    pub resent: u64,
    /// Copies of a message that had already arrived: QoS 2 copies the
    /// client recognised by their identifier before PUBREL and did not
    /// deliver again, and QoS 1 copies this page recognises (DUP 1, with
    /// the identifier, topic and payload of the last QoS 1 message that had
    /// that identifier), which are delivered again: QoS 1 is at least once.
    pub arrived_twice: u64,
    /// Of `arrived_twice`, the QoS 1 copies (delivered again).
    pub arrived_twice_qos1: u64,
    /// QoS 1/2 messages the broker sent beyond this page's Receive Maximum
    /// ([MQTT-3.3.4-9]), taken all the same.
    pub over_receive_maximum: u64,
    /// Messages of the session given up unsent because a new CONNACK's
    /// limits forbid them (its Maximum QoS, Retain Available or Maximum
    /// Packet Size).
    pub abandoned: u64,
    /// The last QoS 1 message received with each identifier: a digest of
    /// its topic and payload.
    qos1_by_id: HashMap<u16, u64>,
    /// `over_receive_maximum` on this connection (said once in the status).
    over_receive_maximum_here: u64,
    /// PUBRELs sent again on this connection and not yet answered by PUBCOMP.
    rereleased: Vec<u16>,
    round_trip_topic: String,
    watch_sys: bool,
    now_ms: f64,
    published: u64,
}

impl LiveSession {
    fn protocol(&self) -> Protocol {
        self.protocol.unwrap_or(Protocol::V5)
    }

    /// Where the round trip publishes to itself (set on connect).
    pub fn round_trip_topic(&self) -> &str {
        &self.round_trip_topic
    }

    /// The one way the model changes. Returns what the page must do.
    pub fn apply(&mut self, input: Input) -> Vec<Effect> {
        match input {
            Input::Connect {
                protocol,
                round_trip_topic,
                watch_sys,
            } => {
                self.protocol = Some(protocol);
                self.round_trip_topic = round_trip_topic;
                self.watch_sys = watch_sys;
                self.reason = None;
                self.connect_ms = None;
                self.broker_limits = None;
                Vec::new()
            }
            Input::Status(status, mut text) => {
                if self.status == Status::Connected
                    && matches!(status, Status::Reconnecting | Status::Failed)
                {
                    text.push_str(&self.unanswered());
                }
                // What the last CONNACK said is not the state of a connection
                // being made again (issue 21: "Reason code 0" and the broker's
                // limits shown while reconnecting); a refusal or the broker's
                // DISCONNECT stays, it says why.
                if matches!(status, Status::Connecting | Status::Reconnecting) {
                    if matches!(
                        self.reason,
                        Some((ReasonCode::SUCCESS, _, PacketType::Connack))
                    ) {
                        self.reason = None;
                    }
                    self.broker_limits = None;
                    self.sys_clients = None;
                }
                self.status = status;
                self.status_text = text;
                Vec::new()
            }
            Input::Events(batch) => self.events(batch),
            Input::Subscribing(sub, sent) => {
                self.subscriptions.retain(|x| x.sub.filter != sub.filter);
                self.subscriptions.push(SubscriptionRow {
                    sub,
                    packet_id: sent.ok(),
                    granted: None,
                });
                Vec::new()
            }
            Input::Unsubscribed(filter) => {
                self.subscriptions.retain(|x| x.sub.filter != filter);
                Vec::new()
            }
            Input::RoundTrip { n, qos } => {
                self.round_trip = RoundTrip {
                    run: self.round_trip.run + 1,
                    sent: n,
                    qos,
                    seen: vec![false; n as usize],
                    received: 0,
                    duplicates: 0,
                    started_ms: self.now_ms,
                    back_after_ms: Vec::new(),
                };
                Vec::new()
            }
            Input::Clock(now_ms) => {
                self.now_ms = now_ms;
                Vec::new()
            }
            Input::Published(p) => {
                self.published += 1;
                let mut row = LogEntry::new(self.published, &p);
                row.sent = true;
                row.at_ms = self.now_ms;
                vec![Effect::Log {
                    rows: vec![row],
                    dropped: 0,
                }]
            }
        }
    }

    /// For the words of a dropped connection: what this page sent on it
    /// that got no answer before the drop, which a broker may have closed
    /// the connection over. Empty if there is none. Issue 23: rumqttd
    /// 0.20.0 closes the connection at a PUBREL sent again after a
    /// reconnect, and drops a client whose SUBSCRIBE it cannot validate
    /// (bytebeamio/rumqtt#650; the page's `$SYS` watch is one). The
    /// PUBRELs go first (they are sent on the CONNACK, before the
    /// subscriptions are renewed), so they are named first.
    fn unanswered(&self) -> String {
        let waiting: Vec<&str> = self
            .subscriptions
            .iter()
            .filter(|x| x.packet_id.is_some() && x.granted.is_none())
            .map(|x| x.sub.filter.as_str())
            .collect();
        let list = waiting
            .iter()
            .map(|f| format!("“{f}”"))
            .collect::<Vec<_>>()
            .join(", ");
        if !self.rereleased.is_empty() {
            let n = self.rereleased.len();
            let mut ids = self
                .rereleased
                .iter()
                .take(5)
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            if n > 5 {
                ids.push_str(&format!(" and {} more", n - 5));
            }
            let (template, it) = if n == 1 {
                (text::PUBREL_UNANSWERED_ONE, "it")
            } else {
                (text::PUBREL_UNANSWERED_MANY, "them")
            };
            let (them, tag) = match self.protocol() {
                Protocol::V311 => (text::PUBCOMP_V311, "[MQTT-4.3.3-2]"),
                Protocol::V5 => (text::PUBCOMP_V5, "[MQTT-4.3.3-11]"),
            };
            let subs = if waiting.is_empty() {
                String::new()
            } else {
                let subscriptions = if waiting.len() == 1 {
                    "subscription"
                } else {
                    "subscriptions"
                };
                format!(
                    " {}",
                    fill(
                        text::SUBSCRIBED_AFTER,
                        &[
                            ("subscriptions", subscriptions),
                            ("it", it),
                            ("list", &list)
                        ],
                    )
                )
            };
            return format!(
                " {}",
                fill(
                    template,
                    &[
                        ("ids", &ids),
                        ("answer", them),
                        ("rule", tag),
                        ("subs", &subs),
                    ],
                )
            );
        }
        if waiting.is_empty() {
            return String::new();
        }
        let sys = if waiting.contains(&SYS_CLIENTS) {
            format!(" {}", text::SYS_UNTICK)
        } else {
            String::new()
        };
        format!(
            " {}",
            fill(text::SUBACK_UNANSWERED, &[("list", &list), ("sys", &sys)])
        )
    }

    fn events(&mut self, batch: Vec<Event>) -> Vec<Effect> {
        let mut effects = Vec::new();
        let mut messages = Vec::new();
        let mut abandoned = Vec::new();
        let p = self.protocol();
        for e in batch {
            match e {
                Event::Connected {
                    elapsed_ms,
                    session_present,
                    assigned_client_id,
                    lost_in_flight,
                    limits,
                } => {
                    self.over_receive_maximum_here = 0;
                    self.rereleased.clear();
                    self.connect_ms = Some(elapsed_ms);
                    self.broker_limits = Some(limits_text(p, &limits));
                    self.reason = Some((ReasonCode::SUCCESS, p, PacketType::Connack));
                    let mut status = if session_present {
                        text::CONNECTED_KEPT.to_string()
                    } else {
                        text::CONNECTED.to_string()
                    };
                    if let Some(id) = assigned_client_id {
                        status.push(' ');
                        status.push_str(&fill(text::ASSIGNED_ID, &[("id", &id)]));
                    }
                    if lost_in_flight > 0 {
                        status.push(' ');
                        status.push_str(&fill(
                            text::NO_SESSION,
                            &[("lost", &lost_in_flight.to_string())],
                        ));
                    }
                    self.status_text = status;
                    // Subscriptions belong to the session: renew them on every connect.
                    effects.extend(
                        self.subscriptions
                            .iter()
                            .map(|s| Effect::Subscribe(s.sub.clone())),
                    );
                    let watching = self
                        .subscriptions
                        .iter()
                        .any(|x| x.sub.filter == SYS_CLIENTS);
                    if self.watch_sys && !watching {
                        effects.push(Effect::Subscribe(Subscription {
                            filter: SYS_CLIENTS.into(),
                            ..Subscription::default()
                        }));
                    }
                }
                Event::Refused {
                    code,
                    protocol: table,
                    ..
                } => self.reason = Some((code, table, PacketType::Connack)),
                Event::ServerDisconnect { code, .. } => {
                    self.reason = Some((code, p, PacketType::Disconnect))
                }
                Event::Subscribed {
                    packet_id, codes, ..
                } => {
                    if let Some(x) = self
                        .subscriptions
                        .iter_mut()
                        .find(|x| x.packet_id == Some(packet_id))
                    {
                        x.granted = codes.first().copied();
                    }
                }
                Event::Message(m) => {
                    if self.is_qos1_copy(&m) {
                        self.arrived_twice += 1;
                        self.arrived_twice_qos1 += 1;
                    }
                    messages.push(m)
                }
                Event::Resent { .. } => self.resent += 1,
                Event::Rereleased { packet_id } => self.rereleased.push(packet_id),
                Event::Delivered { packet_id, .. } => self.rereleased.retain(|&x| x != packet_id),
                Event::OverReceiveMaximum { unacknowledged } => {
                    if self.over_receive_maximum_here == 0 {
                        self.status_text.push(' ');
                        self.status_text.push_str(&fill(
                            text::OVER_RECEIVE_MAXIMUM,
                            &[
                                ("unacknowledged", &unacknowledged.to_string()),
                                ("maximum", &crate::mqtt::client::RECEIVE_MAXIMUM.to_string()),
                            ],
                        ));
                    }
                    self.over_receive_maximum += 1;
                    self.over_receive_maximum_here += 1;
                }
                Event::Duplicate { .. } => self.arrived_twice += 1,
                Event::Abandoned { message, why } => {
                    self.abandoned += 1;
                    abandoned.push((message, why));
                }
                Event::Ignored(why) => {
                    self.status_text = fill(text::SET_ASIDE, &[("why", &why.to_string())])
                }
                Event::Unsubscribed { .. } | Event::Timeout(_) | Event::ProtocolError(_) => {}
            }
        }
        if let Some((first, why)) = abandoned.first() {
            let n = abandoned.len();
            let qos = first.qos.as_u8();
            self.status_text.push(' ');
            self.status_text.push_str(&fill(
                if n == 1 {
                    text::GIVEN_UP_ONE
                } else {
                    text::GIVEN_UP
                },
                &[
                    ("n", &crate::format::number(n as f64, 0)),
                    ("qos", &qos.to_string()),
                    ("topic", &first.topic),
                    ("why", &why.to_string()),
                ],
            ));
        }
        if !messages.is_empty() {
            effects.push(self.messages(&messages));
        }
        effects
    }

    /// Whether `m` is a QoS 1 copy of a message that already arrived: DUP
    /// 1, and the identifier, topic and payload of the last QoS 1 message
    /// with that identifier. A broker reuses an identifier only after our
    /// PUBACK, and resends with the original one ([MQTT-4.4.0-1]), so a
    /// copy that matches is the same message again (or one published twice
    /// with the same content, which the learner also sees twice).
    fn is_qos1_copy(&mut self, m: &Publish) -> bool {
        if m.qos != crate::mqtt::QoS::AtLeastOnce {
            return false;
        }
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (&m.topic, &m.payload).hash(&mut h);
        let digest = h.finish();
        let before = self.qos1_by_id.insert(m.packet_id, digest);
        m.dup && before == Some(digest)
    }

    /// Counts, the topic tree, `$SYS` and the round trip take every message;
    /// the log the newest [`LOG_MAX`] of the batch.
    fn messages(&mut self, messages: &[Box<Publish>]) -> Effect {
        let first = self.received + 1;
        self.received += messages.len() as u64;
        let skip = messages.len().saturating_sub(LOG_MAX);
        let mut rows = Vec::with_capacity(messages.len() - skip);
        for (i, m) in messages.iter().enumerate() {
            self.tree.add(&m.topic, m.retain);
            if m.topic == SYS_CLIENTS {
                self.sys_clients = std::str::from_utf8(&m.payload)
                    .ok()
                    .and_then(|t| t.trim().parse().ok())
                    .map(|n| (n, m.retain));
            }
            if m.topic == self.round_trip_topic {
                let r = &mut self.round_trip;
                if let Some(i) = round_trip_index(&m.payload, r.run) {
                    match r.seen.get_mut(i) {
                        Some(seen) if *seen => r.duplicates += 1,
                        Some(seen) => {
                            *seen = true;
                            r.received += 1;
                            r.back_after_ms.push(self.now_ms - r.started_ms);
                        }
                        None => {}
                    }
                }
            }
            if i >= skip {
                let mut row = LogEntry::new(first + i as u64, m);
                row.at_ms = self.now_ms;
                rows.push(row);
            }
        }
        Effect::Log {
            rows,
            dropped: skip as u64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::round_trip_payload;
    use crate::mqtt::client::{Abandoned, Limits};
    use crate::mqtt::error::EncodeError;
    use crate::mqtt::QoS;

    fn message(topic: &str, payload: &str) -> Event {
        Event::Message(Box::new(Publish {
            topic: topic.into(),
            payload: payload.as_bytes().to_vec(),
            qos: QoS::AtLeastOnce,
            ..Publish::default()
        }))
    }

    fn connected(session_present: bool, lost_in_flight: usize) -> Event {
        Event::Connected {
            session_present,
            elapsed_ms: 42,
            assigned_client_id: None,
            limits: Limits::new(60),
            lost_in_flight,
        }
    }

    fn sub(filter: &str, qos: QoS) -> Subscription {
        Subscription {
            filter: filter.into(),
            qos,
            ..Subscription::default()
        }
    }

    fn session() -> LiveSession {
        let mut s = LiveSession::default();
        s.apply(Input::Connect {
            protocol: Protocol::V5,
            round_trip_topic: "mqtt-lab/rtt/me".into(),
            watch_sys: true,
        });
        s.apply(Input::Status(
            Status::Connecting,
            "Opening ws://127.0.0.1:9001…".into(),
        ));
        s
    }

    #[test]
    fn connect_subscribe_and_a_downgraded_grant() {
        let mut s = session();
        assert_eq!(
            (s.status, s.status_text.as_str()),
            (Status::Connecting, "Opening ws://127.0.0.1:9001…")
        );
        let effects = s.apply(Input::Events(vec![connected(false, 0)]));
        // $SYS is watched from the first connect.
        assert_eq!(
            effects,
            [Effect::Subscribe(sub(SYS_CLIENTS, QoS::AtMostOnce))]
        );
        assert_eq!(s.status_text, "Connected.");
        assert_eq!(s.connect_ms, Some(42));
        assert_eq!(
            s.reason,
            Some((ReasonCode::SUCCESS, Protocol::V5, PacketType::Connack))
        );
        s.apply(Input::Subscribing(
            sub("sensors/#", QoS::ExactlyOnce),
            Ok(3),
        ));
        assert_eq!(
            s.subscriptions[0].granted_text(Protocol::V5),
            "waiting for SUBACK"
        );
        s.apply(Input::Events(vec![Event::Subscribed {
            packet_id: 3,
            filters: vec!["sensors/#".into()],
            codes: vec![ReasonCode::GRANTED_QOS_1],
        }]));
        assert_eq!(
            s.subscriptions[0].granted_text(Protocol::V5),
            "QoS 1: downgraded from 2"
        );
        // A refused subscription names its code in the 5.0 table.
        s.apply(Input::Subscribing(sub("secret/#", QoS::AtMostOnce), Ok(4)));
        s.apply(Input::Events(vec![Event::Subscribed {
            packet_id: 4,
            filters: vec!["secret/#".into()],
            codes: vec![ReasonCode::NOT_AUTHORIZED],
        }]));
        assert_eq!(
            s.subscriptions[1].granted_text(Protocol::V5),
            "refused (0x87 Not authorized)"
        );
        // Subscribing again to the same filter replaces the row.
        s.apply(Input::Subscribing(
            sub("secret/#", QoS::AtMostOnce),
            Err("not connected".into()),
        ));
        assert_eq!(s.subscriptions.len(), 2);
        assert_eq!(s.subscriptions[1].granted_text(Protocol::V5), "not sent");
        s.apply(Input::Unsubscribed("sensors/#".into()));
        assert_eq!(s.subscriptions.len(), 1);
    }

    #[test]
    fn a_flood_past_the_log_bound_is_counted_whole_and_logged_newest() {
        let mut s = session();
        s.apply(Input::Events(vec![connected(false, 0)]));
        let batch: Vec<Event> = (0..LOG_MAX + 50)
            .map(|i| message(&format!("farm/{}", i % 3), &i.to_string()))
            .chain([message(SYS_CLIENTS, "17")])
            .collect();
        let effects = s.apply(Input::Events(batch));
        assert_eq!(s.received, LOG_MAX as u64 + 51);
        assert_eq!(s.sys_clients, Some((17, false)));
        assert_eq!(s.tree.topics(), 4);
        let [Effect::Log { rows, dropped }] = &effects[..] else {
            panic!("{effects:?}")
        };
        assert_eq!(*dropped, 51);
        assert_eq!(rows.len(), LOG_MAX);
        // The newest are kept, numbered from the session's first message.
        assert_eq!(rows[0].seq, 52);
        assert_eq!(rows[0].payload, b"51");
        assert_eq!(rows.last().map(|r| r.topic.as_str()), Some(SYS_CLIENTS));
        // The next batch goes on counting.
        let effects = s.apply(Input::Events(vec![message("farm/x", "late")]));
        assert!(
            matches!(&effects[..], [Effect::Log { rows, dropped: 0 }] if rows[0].seq == LOG_MAX as u64 + 52)
        );
    }

    #[test]
    fn a_long_payload_is_cut_for_display_with_its_size_kept() {
        let mut s = session();
        let big = "x".repeat(PAYLOAD_SHOWN + 10);
        let effects = s.apply(Input::Events(vec![message("a", &big)]));
        let [Effect::Log { rows, .. }] = &effects[..] else {
            panic!()
        };
        assert_eq!(
            (rows[0].payload.len(), rows[0].size),
            (PAYLOAD_SHOWN, PAYLOAD_SHOWN + 10)
        );
    }

    #[test]
    fn refusal_and_server_disconnect_name_their_code_and_table() {
        let mut s = session();
        // A 3.1.1 broker answers a 5.0 CONNECT in 3.1.1: its table.
        s.apply(Input::Events(vec![Event::Refused {
            code: ReasonCode::V311_NOT_AUTHORIZED,
            protocol: Protocol::V311,
            reason_string: None,
        }]));
        assert_eq!(
            s.reason,
            Some((
                ReasonCode::V311_NOT_AUTHORIZED,
                Protocol::V311,
                PacketType::Connack
            ))
        );
        s.apply(Input::Status(
            Status::Failed,
            "Refused: not authorised.".into(),
        ));
        assert_eq!(s.status.slug(), "failed");
        let mut s = session();
        s.apply(Input::Events(vec![connected(false, 0)]));
        s.apply(Input::Events(vec![Event::ServerDisconnect {
            code: ReasonCode::SESSION_TAKEN_OVER,
            reason_string: None,
            server_reference: None,
        }]));
        assert_eq!(
            s.reason,
            Some((
                ReasonCode::SESSION_TAKEN_OVER,
                Protocol::V5,
                PacketType::Disconnect
            ))
        );
    }

    #[test]
    fn a_reconnect_renews_every_subscription_and_says_what_was_lost() {
        let mut s = session();
        s.apply(Input::Events(vec![connected(false, 0)]));
        s.apply(Input::Subscribing(sub("a/+", QoS::AtLeastOnce), Ok(1)));
        s.apply(Input::Subscribing(sub("b/#", QoS::ExactlyOnce), Ok(2)));
        s.apply(Input::Status(
            Status::Reconnecting,
            "Reconnecting in 1.3 s…".into(),
        ));
        assert_eq!(s.status, Status::Reconnecting);
        let effects = s.apply(Input::Events(vec![connected(false, 2)]));
        assert_eq!(
            effects,
            [
                Effect::Subscribe(sub("a/+", QoS::AtLeastOnce)),
                Effect::Subscribe(sub("b/#", QoS::ExactlyOnce)),
                Effect::Subscribe(sub(SYS_CLIENTS, QoS::AtMostOnce)),
            ]
        );
        assert_eq!(
            s.status_text,
            "Connected. The broker had no session: 2 QoS 1/2 messages in flight were lost."
        );
        let effects = s.apply(Input::Events(vec![connected(true, 0)]));
        assert_eq!(effects.len(), 3);
        assert_eq!(s.status_text, "Connected; the broker kept your session.");
    }

    #[test]
    fn the_log_is_a_conversation_stamped_with_the_page_clock() {
        let mut s = session();
        s.apply(Input::Events(vec![connected(false, 0)]));
        s.apply(Input::Clock(1_000.0));
        let sent = s.apply(Input::Published(Publish {
            topic: "farm/a".into(),
            payload: b"on".to_vec(),
            qos: QoS::AtLeastOnce,
            retain: true,
            ..Publish::default()
        }));
        s.apply(Input::Clock(1_250.0));
        let got = s.apply(Input::Events(vec![message("farm/a", "on")]));
        let [Effect::Log { rows: out, .. }] = &sent[..] else {
            panic!("{sent:?}")
        };
        let [Effect::Log { rows: back, .. }] = &got[..] else {
            panic!("{got:?}")
        };
        assert_eq!(
            (
                out[0].sent,
                out[0].seq,
                out[0].at_ms,
                out[0].retain,
                out[0].size
            ),
            (true, 1, 1_000.0, true, 2)
        );
        assert_eq!(
            (back[0].sent, back[0].seq, back[0].at_ms),
            (false, 1, 1_250.0)
        );
        // Sent messages are not counted as received.
        assert_eq!(s.received, 1);
    }

    #[test]
    fn reconnecting_clears_what_the_last_connack_said_but_keeps_a_refusal() {
        let mut s = session();
        s.apply(Input::Events(vec![connected(false, 0)]));
        let retained = Event::Message(Box::new(Publish {
            topic: SYS_CLIENTS.into(),
            payload: b"3".to_vec(),
            retain: true,
            ..Publish::default()
        }));
        s.apply(Input::Events(vec![retained]));
        assert_eq!(s.sys_clients, Some((3, true)));
        assert!(s.reason.is_some() && s.broker_limits.is_some());
        s.apply(Input::Status(
            Status::Reconnecting,
            "Retrying in 1 s".into(),
        ));
        assert_eq!(
            (s.reason, s.broker_limits.clone(), s.sys_clients),
            (None, None, None)
        );
        // A server DISCONNECT says why the connection went: it stays.
        s.apply(Input::Events(vec![connected(false, 0)]));
        s.apply(Input::Events(vec![Event::ServerDisconnect {
            code: ReasonCode::SERVER_SHUTTING_DOWN,
            reason_string: None,
            server_reference: None,
        }]));
        s.apply(Input::Status(Status::Reconnecting, "Retrying".into()));
        assert_eq!(
            s.reason,
            Some((
                ReasonCode::SERVER_SHUTTING_DOWN,
                Protocol::V5,
                PacketType::Disconnect
            ))
        );
    }

    #[test]
    fn the_round_trip_times_each_first_copy() {
        let mut s = session();
        s.apply(Input::Events(vec![connected(false, 0)]));
        s.apply(Input::Clock(10_000.0));
        s.apply(Input::RoundTrip { n: 3, qos: 1 });
        let run = s.round_trip.run;
        let back = |i| message("mqtt-lab/rtt/me", &round_trip_payload(run, i));
        for (t, i) in [(10_012.0, 1), (10_020.0, 0), (10_021.0, 0), (10_047.0, 2)] {
            s.apply(Input::Clock(t));
            s.apply(Input::Events(vec![back(i)]));
        }
        // The duplicate at 10,021 is not a first copy.
        assert_eq!(s.round_trip.back_after_ms, vec![12.0, 20.0, 47.0]);
        assert_eq!(s.round_trip.latency(), Some((12.0, 20.0, 47.0)));
        assert_eq!(
            s.round_trip.latency_text().as_deref(),
            Some("Back after: first 12 ms, median 20 ms, last 47 ms.")
        );
        assert_eq!(RoundTrip::default().latency(), None);
    }

    #[test]
    fn the_round_trip_counts_each_message_once_and_duplicates_apart() {
        let mut s = session();
        s.apply(Input::Events(vec![connected(false, 0)]));
        s.apply(Input::RoundTrip { n: 3, qos: 1 });
        let run = s.round_trip.run;
        let back = |i| message("mqtt-lab/rtt/me", &round_trip_payload(run, i));
        s.apply(Input::Events(vec![back(0), back(2), back(2)]));
        // A message of an earlier run, or another topic, is not counted.
        s.apply(Input::Events(vec![
            message("mqtt-lab/rtt/me", &round_trip_payload(run + 7, 1)),
            message("elsewhere", &round_trip_payload(run, 1)),
        ]));
        assert_eq!((s.round_trip.received, s.round_trip.duplicates), (2, 1));
        assert_eq!(
            s.round_trip.summary().as_deref(),
            Some("Round trip 1: 2 of 3 delivered at QoS 1, 1 duplicates. 1 not back (yet). The QoS simulator's 100 % assumes a broker that takes every message and a connection that stays up; if they do not come, the packet inspector shows what happened to them: a refusing acknowledgement, a broker over its in-flight limit, or a lost connection.")
        );
        // Never the prediction beside a measurement that contradicts it.
        s.apply(Input::Events(vec![back(1)]));
        assert_eq!(
            s.round_trip.summary().as_deref(),
            Some("Round trip 1: 3 of 3 delivered at QoS 1, 1 duplicates. All arrived, as the QoS simulator predicts; it predicts no duplicates with no connection drops, but QoS 1 is at least once: a resent message can arrive twice.")
        );
        s.apply(Input::RoundTrip { n: 2, qos: 2 });
        let run = s.round_trip.run;
        let back = |i| message("mqtt-lab/rtt/me", &round_trip_payload(run, i));
        s.apply(Input::Events(vec![back(0), back(1), back(1)]));
        let t = s.round_trip.summary().unwrap();
        assert!(t.contains("2 of 2 delivered at QoS 2, 1 duplicates. Duplicates at QoS 2: the QoS simulator predicts none"), "{t}");
        assert!(!t.contains("100 %"), "{t}");
    }

    #[test]
    fn options_are_listed_for_people() {
        let row = SubscriptionRow {
            sub: Subscription {
                filter: "a".into(),
                no_local: true,
                retain_handling: 2,
                ..Subscription::default()
            },
            packet_id: Some(1),
            granted: Some(ReasonCode::GRANTED_QOS_0),
        };
        assert_eq!(row.options_text(), " (No Local, Retain Handling 2)");
        assert_eq!(row.granted_text(Protocol::V5), "QoS 0");
    }

    #[test]
    fn a_drop_names_the_subscription_that_got_no_suback() {
        let mut s = session();
        s.apply(Input::Events(vec![connected(false, 0)]));
        s.apply(Input::Status(Status::Connected, String::new()));
        let sys = Subscription {
            filter: SYS_CLIENTS.into(),
            ..Subscription::default()
        };
        s.apply(Input::Subscribing(sys, Ok(1)));
        s.apply(Input::Status(
            Status::Reconnecting,
            "The connection was lost. Retrying in 0.6 s (attempt 1, full jitter up to 1 s).".into(),
        ));
        assert!(
            s.status_text.ends_with("Just before, this page had subscribed to “$SYS/broker/clients/connected” and no SUBACK had come: a broker may close the connection over a filter it does not accept (rumqttd 0.20.0 does). Unsubscribe from it (untick the $SYS watch to leave it out) if the drops go on."),
            "{}",
            s.status_text
        );
        // The next attempt's own words are not followed by it.
        s.apply(Input::Status(
            Status::Reconnecting,
            "Opening ws://h…".into(),
        ));
        assert_eq!(s.status_text, "Opening ws://h…");
        // A subscription that got its SUBACK is not named.
        s.apply(Input::Status(Status::Connected, String::new()));
        s.apply(Input::Events(vec![Event::Subscribed {
            packet_id: 1,
            filters: vec![SYS_CLIENTS.into()],
            codes: vec![ReasonCode::GRANTED_QOS_0],
        }]));
        s.apply(Input::Status(Status::Reconnecting, "Lost.".into()));
        assert_eq!(s.status_text, "Lost.");
    }

    /// Issue 23: rumqttd 0.20.0 closes the connection at a PUBREL sent
    /// again after a reconnect. The page names the PUBREL, which went
    /// first, not the subscriptions renewed after it; once PUBCOMP has
    /// come, a later drop names neither.
    #[test]
    fn a_drop_after_a_resent_pubrel_names_the_pubrel_first() {
        let mut s = LiveSession::default();
        s.apply(Input::Connect {
            protocol: Protocol::V311,
            round_trip_topic: "mqtt-lab/rtt/me".into(),
            watch_sys: false,
        });
        s.apply(Input::Events(vec![connected(false, 0)]));
        s.apply(Input::Status(Status::Connected, String::new()));
        s.apply(Input::Subscribing(sub("farm/#", QoS::ExactlyOnce), Ok(1)));
        s.apply(Input::Events(vec![Event::Subscribed {
            packet_id: 1,
            filters: vec!["farm/#".into()],
            codes: vec![ReasonCode::GRANTED_QOS_2],
        }]));
        s.apply(Input::Status(Status::Reconnecting, "Lost.".into()));
        assert_eq!(s.status_text, "Lost.");
        let effects = s.apply(Input::Events(vec![
            connected(true, 0),
            Event::Rereleased { packet_id: 7 },
        ]));
        assert_eq!(effects.len(), 1, "{effects:?}");
        s.apply(Input::Subscribing(sub("farm/#", QoS::ExactlyOnce), Ok(8)));
        s.apply(Input::Status(Status::Connected, String::new()));
        s.apply(Input::Status(Status::Reconnecting, "Lost.".into()));
        assert_eq!(
            s.status_text,
            "Lost. Just before, this page had sent PUBREL again (identifier 7: the second half of a QoS 2 exchange an earlier drop cut) and no PUBCOMP had come. A broker must answer a PUBREL with PUBCOMP ([MQTT-4.3.3-2]); rumqttd 0.20.0 closes the connection instead, at every reconnect. The subscription sent after it (“farm/#”) got no SUBACK either. To give the message up, disconnect, tick Clean start and connect again."
        );
        // Several: the first five named, the rest counted.
        s.apply(Input::Events(
            std::iter::once(connected(true, 0))
                .chain((30..38).map(|packet_id| Event::Rereleased { packet_id }))
                .collect(),
        ));
        s.apply(Input::Status(Status::Connected, String::new()));
        s.apply(Input::Status(Status::Reconnecting, "Lost.".into()));
        assert!(
            s.status_text.starts_with("Lost. Just before, this page had sent PUBREL again (identifiers 30, 31, 32, 33, 34 and 3 more: the second halves of QoS 2 exchanges an earlier drop cut) and no PUBCOMP had come."),
            "{}",
            s.status_text
        );
        assert!(s.status_text.ends_with(
            " To give the messages up, disconnect, tick Clean start and connect again."
        ));
        // Answered this time: the next drop is not put on it.
        s.apply(Input::Events(vec![
            connected(true, 0),
            Event::Rereleased { packet_id: 7 },
            Event::Delivered {
                packet_id: 7,
                code: ReasonCode::SUCCESS,
            },
            Event::Subscribed {
                packet_id: 8,
                filters: vec!["farm/#".into()],
                codes: vec![ReasonCode::GRANTED_QOS_2],
            },
        ]));
        s.apply(Input::Status(Status::Connected, String::new()));
        s.apply(Input::Status(Status::Reconnecting, "Lost.".into()));
        assert_eq!(s.status_text, "Lost.");
    }

    /// Issue 23: the page counts what QoS did across a reconnect: its own
    /// messages the client resent (DUP 1), and copies that arrived again:
    /// QoS 2 ones the client recognised and did not deliver, QoS 1 ones
    /// the page recognises by DUP, identifier, topic and payload.
    #[test]
    fn the_page_counts_its_resends_and_what_arrived_twice() {
        let mut s = session();
        s.apply(Input::Events(vec![connected(false, 0)]));
        let q1 = |id: u16, dup: bool, payload: &str| {
            Event::Message(Box::new(Publish {
                topic: "farm/a".into(),
                payload: payload.as_bytes().to_vec(),
                qos: QoS::AtLeastOnce,
                packet_id: id,
                dup,
                ..Publish::default()
            }))
        };
        s.apply(Input::Events(vec![q1(1, false, "m1"), q1(2, false, "m2")]));
        s.apply(Input::Events(vec![
            connected(true, 0),
            Event::Resent {
                packet_id: 7,
                qos: QoS::AtLeastOnce,
            },
            Event::Resent {
                packet_id: 8,
                qos: QoS::ExactlyOnce,
            },
            // The broker resends 2, which had arrived, and 3, whose first
            // copy was lost with the connection: one copy.
            q1(2, true, "m2"),
            q1(3, true, "m3"),
            // Identifier 1 again with other content: a new message.
            q1(1, true, "m4"),
            // The same content without DUP: published twice, not resent.
            q1(5, false, "m2"),
            q1(5, false, "m2"),
            Event::Duplicate { packet_id: 9 },
        ]));
        assert_eq!(
            (s.resent, s.arrived_twice, s.arrived_twice_qos1, s.received),
            (2, 2, 1, 7)
        );
    }

    #[test]
    fn a_broker_over_our_receive_maximum_is_said_once_a_connection() {
        let mut s = session();
        let over = |n| Event::OverReceiveMaximum { unacknowledged: n };
        s.apply(Input::Events(vec![connected(true, 0), over(21), over(22)]));
        s.apply(Input::Events(vec![over(23)]));
        assert_eq!(s.over_receive_maximum, 3);
        assert_eq!(
            s.status_text,
            "Connected; the broker kept your session. The broker sent more QoS 1/2 messages unacknowledged (21) than this page's Receive Maximum of 20 allows ([MQTT-3.3.4-9]; a broker may, after a reconnect that finds messages queued). The specification's answer is DISCONNECT 0x93; this page takes them instead, so that nothing is lost."
        );
        s.apply(Input::Events(vec![connected(true, 0)]));
        assert_eq!(s.status_text, "Connected; the broker kept your session.");
    }

    #[test]
    fn messages_the_new_connack_forbids_are_reported_given_up() {
        let mut s = session();
        let gone = |id, topic: &str| Event::Abandoned {
            message: Abandoned {
                packet_id: id,
                topic: topic.into(),
                qos: QoS::ExactlyOnce,
            },
            why: EncodeError::new(
                "the broker's Maximum QoS is 1: it does not accept QoS 2",
                "[MQTT-3.2.2-11]",
            ),
        };
        s.apply(Input::Events(vec![
            connected(true, 0),
            gone(Some(1), "q2"),
            gone(None, "w"),
        ]));
        assert_eq!(s.abandoned, 2);
        assert_eq!(
            s.status_text,
            "Connected; the broker kept your session. Given up, not sent: 2 messages of your session that the broker's new limits forbid; the first, QoS 2 to “q2”: the broker's Maximum QoS is 1: it does not accept QoS 2 ([MQTT-3.2.2-11])."
        );
    }
}
