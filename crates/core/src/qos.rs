//! QoS delivery over two hops (publisher → broker → subscriber) when
//! connections drop with messages in flight.
//!
//! MQTT runs over TCP, which already retransmits lost segments: an MQTT
//! message is lost when the connection drops while it is in flight. QoS 1 and
//! 2 recover by resending after the reconnect (MQTT 3.1.1 §4.4, MQTT 5.0
//! §4.4, MQTT-4.4.0-1), which needs the session to persist on the side that
//! must resend.
//!
//! Model, per hop: every packet of the exchange is cut by a connection drop
//! with probability p; a cut ends the attempt; with a persistent session the
//! sender resumes after reconnecting, for at most `retries` reconnects. The
//! broker resends to the subscriber only when the subscriber's session
//! persists; the publisher (paho-mqtt) resends whenever its Client object
//! reconnects, whatever the session setting (`Inputs::hop_in`). QoS 1 receivers deliver every PUBLISH
//! they get (a resend after a cut PUBACK is a duplicate, MQTT-4.3.2-2). QoS 2
//! receivers store the first PUBLISH, answer resends with PUBREC only, and
//! deliver when PUBREL arrives: mosquitto 2.0.11 forwards an incoming QoS 2
//! message on PUBREL (`src/handle_publish.c` stores it,
//! `db__message_release_incoming` in `src/database.c` releases it), and
//! paho-mqtt 2.2 calls `on_message` on PUBREL (`_handle_pubrel`), "Method A"
//! of Figure 4.3 in §4.3.3. With a clean session, paho 2.2 restarts an
//! unfinished QoS 2 message from PUBLISH with DUP=1 after a reconnect
//! (`_messages_reconnect_reset_out`), and the broker, whose session (and the
//! stored message) the clean start discarded, takes it as new: if the first
//! copy had been released (the PUBCOMP was cut), it is delivered twice.
//! Effective QoS to the subscriber = min(published QoS, granted subscription
//! QoS) (MQTT-3.8.4-6 in 3.1.1, MQTT-3.8.4-8 in 5.0).
//!
//! End to end we follow the message's first copy to reach the broker:
//! delivery = P(hop in) × P(hop out). Extra copies (QoS 1 duplicates on hop
//! in) are forwarded too and counted as duplicates; that they could also make
//! up for a loss downstream is ignored, an effect of order p².
//!
//! The analytic figures are an exact dynamic programme over the same
//! per-attempt transitions ([`attempt`]) that the Monte Carlo samples.

use crate::fields::{check_all, ChoiceSpec, FieldError, NumberSpec};
use crate::rng::Rng;
use serde::Serialize;

pub const PUB_QOS: NumberSpec = NumberSpec {
    key: "pub",
    label: "Publisher QoS",
    unit: "",
    min: 0.0,
    max: 2.0,
    step: 1.0,
    slider_max: 2.0,
    integer: true,
    default: 1.0,
};
pub const SUB_QOS: NumberSpec = NumberSpec {
    key: "sub",
    label: "Subscriber QoS",
    unit: "",
    min: 0.0,
    max: 2.0,
    step: 1.0,
    slider_max: 2.0,
    integer: true,
    default: 0.0,
};
pub const LOSS: NumberSpec = NumberSpec {
    key: "loss_pct",
    label: "Messages cut in flight",
    unit: "%",
    min: 0.0,
    max: 100.0,
    step: 0.5,
    slider_max: 30.0,
    integer: false,
    default: 5.0,
};
pub const LOSS_IN: NumberSpec = NumberSpec {
    key: "loss_in_pct",
    label: "Publisher → broker, cut in flight",
    ..LOSS
};
pub const LOSS_OUT: NumberSpec = NumberSpec {
    key: "loss_out_pct",
    label: "Broker → subscriber, cut in flight",
    ..LOSS
};
pub const RETRIES: NumberSpec = NumberSpec {
    key: "retries",
    label: "Reconnects allowed per message",
    unit: "",
    min: 0.0,
    max: 20.0,
    step: 1.0,
    slider_max: 10.0,
    integer: true,
    default: 5.0,
};
pub const MESSAGES: NumberSpec = NumberSpec {
    key: "messages",
    label: "Messages to simulate",
    unit: "",
    min: 1.0,
    max: 10_000_000.0,
    step: 1000.0,
    slider_max: 1_000_000.0,
    integer: true,
    default: 100_000.0,
};
pub use crate::fields::SEED;
pub const PUB_CHOICE: ChoiceSpec = ChoiceSpec {
    key: "pub",
    label: "Publisher QoS",
    options: &[("0", "0"), ("1", "1"), ("2", "2")],
    default: "1",
};
pub const SUB_CHOICE: ChoiceSpec = ChoiceSpec {
    key: "sub",
    label: "Subscriber QoS",
    options: &[("0", "0"), ("1", "1"), ("2", "2")],
    default: "0",
};

/// An optional per-hop override: empty means "same as loss_pct".
pub fn parse_override(spec: &NumberSpec, text: &str) -> Result<Option<f64>, FieldError> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        spec.parse(text).map(Some)
    }
}

pub const SESSION: ChoiceSpec = ChoiceSpec {
    key: "session",
    label: "Session",
    options: &[
        ("persistent", "Persistent (resend after reconnect)"),
        ("clean", "Clean (the broker resends nothing)"),
    ],
    default: "persistent",
};

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Inputs {
    pub pub_qos: u8,
    pub sub_qos: u8,
    pub loss_in_pct: f64,
    pub loss_out_pct: f64,
    pub persistent: bool,
    pub retries: u32,
}

impl Default for Inputs {
    fn default() -> Self {
        Self {
            pub_qos: 1,
            sub_qos: 0,
            loss_in_pct: LOSS.default,
            loss_out_pct: LOSS.default,
            persistent: true,
            retries: 5,
        }
    }
}

impl Inputs {
    pub fn validate(&self) -> Result<(), FieldError> {
        check_all(
            &[PUB_QOS, SUB_QOS, LOSS_IN, LOSS_OUT, RETRIES],
            &[
                f64::from(self.pub_qos),
                f64::from(self.sub_qos),
                self.loss_in_pct,
                self.loss_out_pct,
                f64::from(self.retries),
            ],
        )
    }

    pub fn effective_qos(&self) -> u8 {
        self.pub_qos.min(self.sub_qos)
    }

    /// Publisher → broker. paho-mqtt resends unacknowledged QoS 1 and 2
    /// messages whenever the same Client object reconnects, whatever the
    /// session setting (client.py, `_messages_reconnect_reset_out`): on this
    /// hop the session only matters if the publishing process restarts,
    /// which the model does not include.
    /// With a clean session the publisher's QoS 2 messages restart from
    /// PUBLISH after each reconnect (paho 2.2 `_messages_reconnect_reset_out`,
    /// `_check_clean_session`) and the broker has forgotten them.
    fn hop_in(&self) -> Hop {
        Hop {
            qos: self.pub_qos,
            p: self.loss_in_pct / 100.0,
            attempts: self.retries + 1,
            restart: !self.persistent,
        }
    }

    fn hop_out(&self) -> Hop {
        Hop {
            qos: self.effective_qos(),
            p: self.loss_out_pct / 100.0,
            attempts: if self.persistent { self.retries + 1 } else { 1 },
            restart: false,
        }
    }
}

/// Where the sender is in a message's exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Nothing acknowledged yet: (re)send PUBLISH.
    Publish,
    /// QoS 2: PUBREC received, (re)send PUBREL.
    Release,
    /// The exchange completed, or the message was given up.
    Done,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Hop {
    qos: u8,
    p: f64,
    attempts: u32,
    /// After a reconnect the sender starts the exchange again from PUBLISH
    /// and the receiver kept nothing of it (a clean session, QoS 2).
    restart: bool,
}

/// (probability, next phase, new copies delivered, packets sent)
pub type Outcome = (f64, Phase, u32, u32);

/// Up to five outcomes of one attempt, without allocating.
#[derive(Debug, Clone, Copy)]
pub struct Outcomes {
    items: [Outcome; 5],
    len: usize,
}

impl Outcomes {
    fn of(list: &[Outcome]) -> Self {
        let mut items = [(0.0, Phase::Done, 0, 0); 5];
        let len = list.len().min(5);
        items[..len].copy_from_slice(&list[..len]);
        Self { items, len }
    }

    pub fn as_slice(&self) -> &[Outcome] {
        &self.items[..self.len]
    }
}

/// One attempt's possible outcomes from `phase`, given whether a copy was
/// already delivered and whether a reconnect restarts the exchange with a
/// receiver that forgot it (`restart`: a clean session, QoS 2). The single
/// source of truth for both the analytic and the simulated figures.
pub fn attempt(qos: u8, p: f64, phase: Phase, delivered: bool, restart: bool) -> Outcomes {
    let ok = 1.0 - p;
    // A QoS 2 receiver delivers on PUBREL, once: a copy is new if it had
    // not delivered one yet, or if it forgot the message (a restart).
    let new = u32::from(!delivered || restart);
    match (qos, phase) {
        (_, Phase::Done) => Outcomes::of(&[(1.0, Phase::Done, 0, 0)]),
        // PUBLISH, fire and forget: a cut loses it.
        (0, _) => Outcomes::of(&[(ok, Phase::Done, 1, 1), (p, Phase::Done, 0, 1)]),
        // PUBLISH then PUBACK. Every PUBLISH that arrives is delivered.
        (1, _) => Outcomes::of(&[
            (p, Phase::Publish, 0, 1),
            (ok * p, Phase::Publish, 1, 2),
            (ok * ok, Phase::Done, 1, 2),
        ]),
        // PUBLISH, PUBREC, PUBREL, PUBCOMP; delivered when PUBREL arrives.
        // A cut before PUBREC has arrived means PUBLISH again; after it,
        // PUBREL again, unless a clean session restarts from PUBLISH.
        (_, Phase::Publish) => {
            let released = if restart {
                Phase::Publish
            } else {
                Phase::Release
            };
            Outcomes::of(&[
                (p, Phase::Publish, 0, 1),
                (ok * p, Phase::Publish, 0, 2),
                (ok * ok * p, released, 0, 3),
                (ok * ok * ok * p, released, new, 4),
                (ok * ok * ok * ok, Phase::Done, new, 4),
            ])
        }
        (_, Phase::Release) => Outcomes::of(&[
            (p, Phase::Release, 0, 1),
            (ok * p, Phase::Release, new, 2),
            (ok * ok, Phase::Done, new, 2),
        ]),
    }
}

/// Exact per-hop figures: the distribution of copies delivered and the
/// expected packets sent.
#[derive(Debug, Clone, PartialEq)]
pub struct HopStats {
    /// copies[k] = probability that exactly k copies are delivered.
    pub copies: Vec<f64>,
    pub packets: f64,
}

impl HopStats {
    pub fn delivered(&self) -> f64 {
        1.0 - self.copies.first().copied().unwrap_or(1.0)
    }
    pub fn mean_copies(&self) -> f64 {
        self.copies
            .iter()
            .enumerate()
            .map(|(k, p)| k as f64 * p)
            .sum()
    }
}

fn hop_stats(h: Hop) -> HopStats {
    let max_copies = h.attempts as usize + 1;
    // mass[(phase, copies)], as a small dense table: phase index × copies.
    let idx = |ph: Phase| match ph {
        Phase::Publish => 0,
        Phase::Release => 1,
        Phase::Done => 2,
    };
    let phases = [Phase::Publish, Phase::Release, Phase::Done];
    let mut mass = vec![[0.0f64; 3]; max_copies + 1];
    mass[0][0] = 1.0;
    let mut packets = 0.0;
    for _ in 0..h.attempts {
        let mut next = vec![[0.0f64; 3]; max_copies + 1];
        for (k, row) in mass.iter().enumerate() {
            for ph in phases {
                let m = row[idx(ph)];
                if m == 0.0 {
                    continue;
                }
                for &(prob, to, new, sent) in attempt(h.qos, h.p, ph, k > 0, h.restart).as_slice() {
                    let w = m * prob;
                    packets += w * f64::from(sent);
                    let k2 = (k + new as usize).min(max_copies);
                    next[k2][idx(to)] += w;
                }
            }
        }
        mass = next;
    }
    HopStats {
        copies: mass.iter().map(|row| row.iter().sum()).collect(),
        packets,
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Outputs {
    pub effective_qos: u8,
    /// Percent of messages the subscriber receives.
    pub delivery_pct: f64,
    /// Extra copies the subscriber receives, as a percent of messages published.
    pub duplicate_pct: f64,
    /// Packets sent on both hops per message published, resends included.
    pub packets_per_message: f64,
    pub hop_in_pct: f64,
    pub hop_out_pct: f64,
}

pub fn analytic(i: &Inputs) -> Result<Outputs, FieldError> {
    i.validate()?;
    let hin = hop_stats(i.hop_in());
    let hout = hop_stats(i.hop_out());
    let delivery = hin.delivered() * hout.delivered();
    let copies_at_sub = hin.mean_copies() * hout.mean_copies();
    Ok(Outputs {
        effective_qos: i.effective_qos(),
        delivery_pct: delivery * 100.0,
        duplicate_pct: (copies_at_sub - delivery).max(0.0) * 100.0,
        packets_per_message: hin.packets + hin.mean_copies() * hout.packets,
        hop_in_pct: hin.delivered() * 100.0,
        hop_out_pct: hout.delivered() * 100.0,
    })
}

/// A hop's outcomes precomputed from [`attempt`], with cumulative
/// probabilities: one uniform draw picks an attempt's outcome.
struct HopTable {
    attempts: u32,
    /// Publish phase before any delivery and after one, then the Release
    /// phase before and after.
    rows: [Vec<Outcome>; 4],
}

impl HopTable {
    fn new(h: Hop) -> Self {
        let row = |phase, delivered| {
            let mut acc = 0.0;
            attempt(h.qos, h.p, phase, delivered, h.restart)
                .as_slice()
                .iter()
                .map(|&(p, to, new, sent)| {
                    acc += p;
                    (acc, to, new, sent)
                })
                .collect()
        };
        Self {
            attempts: h.attempts,
            rows: [
                row(Phase::Publish, false),
                row(Phase::Publish, true),
                row(Phase::Release, false),
                row(Phase::Release, true),
            ],
        }
    }
}

/// Monte Carlo over messages, resumable in slices (see [`Simulation::advance`]).
#[derive(Debug, Clone)]
pub struct Simulation {
    inputs: Inputs,
    rng: Rng,
    pub total: u64,
    pub done: u64,
    pub delivered: u64,
    pub duplicates: u64,
    pub packets: u64,
}

impl Simulation {
    pub fn new(i: &Inputs, messages: u64, seed: u64) -> Result<Self, FieldError> {
        i.validate()?;
        MESSAGES.check(messages as f64)?;
        Ok(Self {
            inputs: *i,
            rng: Rng::new(seed),
            total: messages,
            done: 0,
            delivered: 0,
            duplicates: 0,
            packets: 0,
        })
    }

    /// Samples one hop: (copies delivered, packets sent).
    fn run_hop(rng: &mut Rng, h: &HopTable) -> (u32, u32) {
        let (mut phase, mut copies, mut packets) = (Phase::Publish, 0u32, 0u32);
        for _ in 0..h.attempts {
            let row = match phase {
                Phase::Publish => &h.rows[usize::from(copies > 0)],
                Phase::Release => &h.rows[2 + usize::from(copies > 0)],
                Phase::Done => break,
            };
            let u = rng.unit();
            let pick = row.iter().position(|o| u < o.0).unwrap_or(row.len() - 1);
            let (_, to, new, sent) = row[pick];
            phase = to;
            copies += new;
            packets += sent;
        }
        (copies, packets)
    }

    /// Simulates up to `n` more messages; true once all are done.
    pub fn advance(&mut self, n: u64) -> bool {
        let (hin, hout) = (
            HopTable::new(self.inputs.hop_in()),
            HopTable::new(self.inputs.hop_out()),
        );
        let end = self.done.saturating_add(n).min(self.total);
        while self.done < end {
            let (at_broker, p_in) = Self::run_hop(&mut self.rng, &hin);
            let mut packets = u64::from(p_in);
            let mut at_sub = 0u32;
            let mut first_arrived = false;
            for copy in 0..at_broker {
                let (c, p) = Self::run_hop(&mut self.rng, &hout);
                packets += u64::from(p);
                at_sub += c;
                if copy == 0 {
                    first_arrived = c > 0;
                }
            }
            self.delivered += u64::from(first_arrived);
            self.duplicates += u64::from(at_sub - u32::from(first_arrived));
            self.packets += packets;
            self.done += 1;
        }
        self.done >= self.total
    }

    /// Standard error of the delivered fraction, from the analytic probability.
    pub fn standard_error(probability: f64, messages: u64) -> f64 {
        (probability * (1.0 - probability) / messages.max(1) as f64).sqrt()
    }
}

/// Delivery % against loss % (same on both hops) from 0 to 30, for a QoS pair.
pub fn delivery_curve(i: &Inputs, pub_qos: u8, sub_qos: u8) -> Vec<(f64, f64)> {
    let upto = curve_end_pct(i);
    (0..=30)
        .filter_map(|k| {
            let loss = upto * f64::from(k) / 30.0;
            let j = Inputs {
                pub_qos,
                sub_qos,
                loss_in_pct: loss,
                loss_out_pct: loss,
                ..*i
            };
            analytic(&j).ok().map(|o| (loss, o.delivery_pct))
        })
        .collect()
}

/// Where the delivery curves end: 30 % of messages cut, or the next ten
/// past the loss the student chose (so that their point is on the curves).
pub fn curve_end_pct(i: &Inputs) -> f64 {
    let chosen = i.loss_in_pct.max(i.loss_out_pct);
    if chosen.is_finite() && chosen > 30.0 {
        ((chosen / 10.0).floor() * 10.0 + 10.0).min(100.0)
    } else {
        30.0
    }
}

pub mod snippets {
    use super::Inputs;
    use crate::claims::content::fill;
    use crate::content::qos as text;
    use crate::snippets::{comment, trailing};
    use crate::target::Target;

    /// The comments are `content/qos.md`'s.
    pub fn python(i: &Inputs, t: &Target) -> String {
        let q = i.pub_qos.max(i.sub_qos);
        // mosquitto.conf(5), 2.0.11: queue_qos0_messages defaults to false, so a
        // persistent session keeps no QoS 0 message (claim mosquitto-queue-qos0).
        let (session, session_note, v3_session) = match (i.persistent, q) {
            (true, 0) => (
                "clean_start=False,\n               properties=session_props",
                text::SESSION_PERSISTENT_QOS0,
                "clean_session=False",
            ),
            (true, _) => (
                "clean_start=False,\n               properties=session_props",
                text::SESSION_PERSISTENT,
                "clean_session=False",
            ),
            (false, _) => (
                "clean_start=True",
                text::SESSION_CLEAN,
                "clean_session=True",
            ),
        };
        let props = if i.persistent {
            format!(
                "session_props = Properties(PacketTypes.CONNECT)\n\
                 session_props.SessionExpiryInterval = 3600  # {}\n",
                trailing(text::SESSION_EXPIRY)
            )
        } else {
            String::new()
        };
        let imports = if i.persistent {
            "from paho.mqtt.packettypes import PacketTypes\nfrom paho.mqtt.properties import Properties\n"
        } else {
            ""
        };
        let port = t.tls_port.to_string();
        format!(
            "import paho.mqtt.client as mqtt\n\
             {imports}\
             \n\
             QOS = {q}  # {same}\n\
             \n\
             def on_connect(client, userdata, flags, reason_code, properties):\n\
             \x20   if not reason_code.is_failure:\n\
             {subscribe}\
             \x20       client.subscribe(\"farm/+/moisture\", qos=QOS)\n\
             \n\
             def on_message(client, userdata, msg):\n\
             \x20   print(f\"received {{msg.topic}} {{msg.payload.decode()}} at QoS {{msg.qos}}\")\n\
             \n\
             {session_note}\
             {props}\
             client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=\"dashboard-1\",\n\
             \x20                    protocol=mqtt.MQTTv5)\n\
             client.on_connect = on_connect\n\
             client.on_message = on_message\n\
             client.tls_set(ca_certs=\"{ca}\")  # {tls}\n\
             client.connect(\"{host}\", {port}, {session})\n\
             client.loop_start()\n\
             \n\
             {publisher}\
             info = client.publish(\"farm/sensor01/moisture\", \"45\", qos=QOS)\n\
             info.wait_for_publish(timeout=10)\n\
             \n\
             {v311}",
            same = trailing(text::SAME_QOS),
            subscribe = comment("        # ", text::SUBSCRIBE_IN_ON_CONNECT),
            session_note = comment("# ", &fill(session_note, &[("q", &q.to_string())])),
            tls = trailing(crate::content::snippets::TLS_PORT),
            publisher = comment("# ", text::PUBLISHER_RESENDS),
            v311 = comment(
                "# ",
                &fill(text::V311_INSTEAD, &[("session", v3_session), ("port", &port)])
            ),
            ca = t.ca_file,
            host = t.host,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn inputs(pub_qos: u8, sub_qos: u8, loss: f64, persistent: bool, retries: u32) -> Inputs {
        Inputs {
            pub_qos,
            sub_qos,
            loss_in_pct: loss,
            loss_out_pct: loss,
            persistent,
            retries,
        }
    }

    #[test]
    fn chapter_example_qos1_publisher_qos0_subscriber() {
        // Effective QoS 0 on the way out: 95 % at 5 % loss, however reliable hop in is.
        let o = analytic(&inputs(1, 0, 5.0, true, 5)).unwrap();
        assert_eq!(o.effective_qos, 0);
        assert!((o.delivery_pct - 95.0).abs() < 0.1, "{}", o.delivery_pct);
        // Exactly: (1 − 0.05^6) × 0.95.
        assert!((o.delivery_pct - (1.0 - 0.05f64.powi(6)) * 95.0).abs() < 1e-9);
    }

    #[test]
    fn matching_qos1_with_a_persistent_session_recovers() {
        let o = analytic(&inputs(1, 1, 5.0, true, 5)).unwrap();
        assert!(o.delivery_pct > 99.99, "{}", o.delivery_pct);
        // (1 − 0.05^6)² exactly.
        assert!((o.delivery_pct / 100.0 - (1.0 - 0.05f64.powi(6)).powi(2)).abs() < 1e-12);
        assert!(o.duplicate_pct > 0.0);
    }

    #[test]
    fn a_clean_session_resends_only_on_the_publishers_hop() {
        // The broker resends nothing to a clean-session subscriber (0.95), but
        // paho's publisher resends after every reconnect (1 − 0.05^6).
        let o = analytic(&inputs(1, 1, 5.0, false, 5)).unwrap();
        assert!((o.delivery_pct / 100.0 - (1.0 - 0.05f64.powi(6)) * 0.95).abs() < 1e-12);
        assert!(o.delivery_pct > 94.99 && o.delivery_pct < 95.0);
        assert!((o.hop_in_pct / 100.0 - (1.0 - 0.05f64.powi(6))).abs() < 1e-12);
        assert!((o.hop_out_pct - 95.0).abs() < 1e-9);
        // Duplicates come from the publisher's resends only.
        assert!(o.duplicate_pct > 0.0);
    }

    #[test]
    fn qos1_duplicates_by_hand() {
        // One hop QoS 1, one retry, p = 0.1: a duplicate needs PUBLISH ok,
        // PUBACK cut (0.9 × 0.1), then the resent PUBLISH ok (0.9): 0.081.
        let h = hop_stats(Hop {
            qos: 1,
            p: 0.1,
            attempts: 2,
            restart: false,
        });
        assert!((h.copies[2] - 0.081).abs() < 1e-12);
        assert!((h.copies[0] - 0.01).abs() < 1e-12); // both PUBLISH cut
        assert!((h.copies.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // Packets: attempt 1 sends 1 + 0.9; attempt 2 happens with 0.1 + 0.09.
        assert!((h.packets - (1.9 + 0.19 * 1.9)).abs() < 1e-12);
    }

    /// One QoS 2 hop, one retry, p = 0.1, delivered when PUBREL arrives.
    /// An attempt from PUBLISH ends: PUBLISH cut 0.1, PUBREC cut 0.09, PUBREL
    /// cut 0.081, PUBCOMP cut 0.0729 (released), complete 0.6561 (released).
    #[test]
    fn qos2_by_hand() {
        let hop = |restart| {
            hop_stats(Hop {
                qos: 2,
                p: 0.1,
                attempts: 2,
                restart,
            })
        };
        // Persistent: after a cut PUBREL the retry sends PUBREL (0.9 gets
        // through); after a cut PUBLISH or PUBREC it sends PUBLISH (0.729).
        let h = hop(false);
        let delivered = 0.0729 + 0.6561 + 0.19 * 0.729 + 0.081 * 0.9;
        assert!(
            (h.delivered() - delivered).abs() < 1e-12,
            "{}",
            h.delivered()
        );
        assert_eq!(h.copies.get(2).copied().unwrap_or(0.0), 0.0);
        // Clean (paho restarts from PUBLISH, the broker forgot): every cut
        // means a whole new exchange, and a cut PUBCOMP after the release
        // makes a second copy with probability 0.0729 × 0.729.
        let h = hop(true);
        assert!((h.copies[2] - 0.0729 * 0.729).abs() < 1e-12);
        assert!((h.copies[0] - 0.271 * 0.271).abs() < 1e-12);
        assert!((h.mean_copies() - (0.729 + 0.3439 * 0.729)).abs() < 1e-12);
        // End to end 2 → 2 with a clean session: duplicates from hop in only.
        let o = analytic(&inputs(2, 2, 10.0, false, 1)).unwrap();
        assert!(
            (o.duplicate_pct / 100.0 - 0.0729 * 0.729 * 0.729).abs() < 1e-12,
            "{}",
            o.duplicate_pct
        );
    }

    #[test]
    fn packets_without_loss() {
        for (q, per_hop) in [(0, 1.0), (1, 2.0), (2, 4.0)] {
            let o = analytic(&inputs(q, q, 0.0, true, 5)).unwrap();
            assert_eq!(o.packets_per_message, 2.0 * per_hop);
            assert_eq!(o.delivery_pct, 100.0);
        }
    }

    #[test]
    fn monte_carlo_agrees_within_four_standard_errors() {
        for i in [
            inputs(1, 0, 5.0, true, 5),
            inputs(1, 1, 20.0, true, 2),
            inputs(2, 2, 30.0, true, 1),
            inputs(2, 1, 10.0, false, 5),
        ] {
            let a = analytic(&i).unwrap();
            let n = 100_000;
            let mut sim = Simulation::new(&i, n, 7).unwrap();
            assert!(sim.advance(u64::MAX));
            let p = a.delivery_pct / 100.0;
            let se = Simulation::standard_error(p, n);
            let got = sim.delivered as f64 / n as f64;
            assert!(
                (got - p).abs() <= 4.0 * se.max(1e-9),
                "{i:?}: {got} vs {p} ± {se}"
            );
            let dups = sim.duplicates as f64 / n as f64;
            assert!(
                (dups - a.duplicate_pct / 100.0).abs() < 0.01,
                "{i:?}: dups {dups}"
            );
            let pk = sim.packets as f64 / n as f64;
            assert!(
                (pk - a.packets_per_message).abs() < 0.05,
                "{i:?}: packets {pk} vs {}",
                a.packets_per_message
            );
        }
    }

    #[test]
    fn curve_and_snippet() {
        let c = delivery_curve(&Inputs::default(), 1, 0);
        assert_eq!(c.len(), 31);
        assert_eq!(c[0], (0.0, 100.0));
        assert!((c[5].1 - 95.0).abs() < 0.01);
        // At 60 % cut, the curves run on past the student's point (to 70 %,
        // 31 points 7/3 % apart).
        let far = delivery_curve(&inputs(1, 0, 60.0, true, 5), 1, 0);
        assert_eq!(far.len(), 31);
        assert_eq!(far.last().map(|p| p.0), Some(70.0));
        assert_eq!(far[18].0, 42.0);
        assert_eq!(curve_end_pct(&inputs(1, 0, 95.0, true, 5)), 100.0);
        let s = snippets::python(
            &inputs(1, 0, 5.0, true, 5),
            &crate::target::Target::display(),
        );
        assert!(s.contains("QOS = 1"));
        assert!(s.contains("clean_start=False"));
    }

    #[test]
    #[ignore = "benchmark, run by scripts/bench.sh"]
    fn bench_qos_monte_carlo() {
        for (name, i) in [
            ("QoS 1 → 0, 5 %", inputs(1, 0, 5.0, true, 5)),
            ("QoS 2 → 2, 30 %", inputs(2, 2, 30.0, true, 5)),
        ] {
            let mut times = Vec::new();
            for seed in 0..5 {
                let t = std::time::Instant::now();
                let mut sim = Simulation::new(&i, 1_000_000, seed).unwrap();
                sim.advance(u64::MAX);
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            times.sort_by(f64::total_cmp);
            println!(
                "| QoS Monte Carlo, 1,000,000 messages, {name} | {:.1} | {:.1} M messages/s |",
                times[2],
                1000.0 / times[2]
            );
        }
    }

    proptest! {
        #[test]
        fn qos2_never_duplicates_and_probabilities_are_probabilities(
            pub_qos in 0u8..=2, sub_qos in 0u8..=2, loss_in in 0.0..=100.0f64, loss_out in 0.0..=100.0f64,
            persistent in any::<bool>(), retries in 0u32..=20,
        ) {
            let i = Inputs { pub_qos, sub_qos, loss_in_pct: loss_in, loss_out_pct: loss_out, persistent, retries };
            let o = analytic(&i).unwrap();
            prop_assert!((0.0..=100.0 + 1e-9).contains(&o.delivery_pct));
            prop_assert!(o.duplicate_pct >= 0.0 && o.duplicate_pct.is_finite());
            prop_assert!(o.packets_per_message >= 1.0 - 1e-9);
            // QoS 2 end to end duplicates only when a clean session makes the
            // publisher restart a released message (qos2_by_hand).
            if pub_qos == 2 && sub_qos == 2 && persistent {
                prop_assert!(o.duplicate_pct < 1e-9);
            }
            // More retries never hurt.
            if persistent && retries < 20 {
                let more = analytic(&Inputs { retries: retries + 1, ..i }).unwrap();
                prop_assert!(more.delivery_pct >= o.delivery_pct - 1e-9);
            }
        }

        #[test]
        fn bad_values_are_refused(loss in any::<f64>(), pub_qos in any::<u8>()) {
            let i = Inputs { pub_qos, loss_in_pct: loss, ..Inputs::default() };
            match analytic(&i) {
                Ok(o) => prop_assert!(o.delivery_pct.is_finite()),
                Err(e) => prop_assert!(["pub", "loss_in_pct"].contains(&e.key)),
            }
        }
    }
}
