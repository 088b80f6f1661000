//! One message's packets from publisher to broker to subscriber, step by
//! step, with the connection dropping at a chosen packet: what is resent,
//! what is delivered twice, what is discarded and what is lost. The
//! protocol is walked packet by packet here (sender and receiver state, as
//! §4.3 and §4.4 describe it), independently of the QoS model's table of
//! outcomes; a test checks that the two agree for every drop point.

use crate::claims::content::fill;
use crate::content::qos as text;
use crate::inspect::{Arrow, Row};
use crate::qos::Inputs;

/// The lanes of the diagram.
pub const LANES: &[&str] = &["publisher", "broker", "subscriber"];
const PUBLISHER: usize = 0;
const BROKER: usize = 1;
const SUBSCRIBER: usize = 2;

/// One message's walk through both hops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub rows: Vec<Row>,
    /// Copies the subscriber's application received.
    pub delivered: u32,
    /// Packets sent on both hops, resends included.
    pub packets: u32,
}

/// How many arrows the flow without a drop has: the drop points.
pub fn drop_points(i: &Inputs) -> usize {
    exchange(i.pub_qos).len() + exchange(i.effective_qos()).len()
}

/// The packets of one exchange at `qos`, from the sender's side (true) or
/// the receiver's.
fn exchange(qos: u8) -> &'static [(bool, &'static str)] {
    match qos {
        0 => &[(true, "PUBLISH")],
        1 => &[(true, "PUBLISH"), (false, "PUBACK")],
        _ => &[
            (true, "PUBLISH"),
            (false, "PUBREC"),
            (true, "PUBREL"),
            (false, "PUBCOMP"),
        ],
    }
}

struct Walk {
    rows: Vec<Row>,
    packets: u32,
}

impl Walk {
    fn push(&mut self, from: usize, to: usize, label: String, badge: Option<String>, cut: bool) {
        self.packets += u32::from(from != to);
        self.rows.push(Row {
            key: self.rows.len() as u64,
            arrow: if from == to {
                Arrow::Note
            } else {
                Arrow::Between(from, to)
            },
            label,
            badge,
            at_ms: None,
            refused: cut,
        });
    }

    fn note(&mut self, text: &str) {
        self.push(0, 0, text.into(), None, false);
    }

    /// One hop: `sender` sends one message to `receiver` at `qos`, the
    /// connection drops at packet `cut` (if any), and the sender resends after
    /// the reconnect if `resend`. With `clean`, the reconnect has a clean
    /// session: the receiver kept nothing, and a QoS 2 sender starts again
    /// from PUBLISH (paho-mqtt 2.2 `_messages_reconnect_reset_out`). Returns
    /// how many copies the receiver's side delivered as new messages: QoS 0
    /// and 1 on PUBLISH, QoS 2 on PUBREL (mosquitto 2.0.11 and paho 2.2
    /// both release a stored QoS 2 message when PUBREL arrives).
    fn hop(
        &mut self,
        sender: usize,
        receiver: usize,
        qos: u8,
        cut: Option<usize>,
        resend: bool,
        clean: bool,
    ) -> u32 {
        let id = 1;
        let mut accepted = 0u32;
        // The receiver's QoS 2 state: the message is stored until PUBREL.
        let mut holding = false;
        // The sender's state: waiting for PUBACK/PUBREC, or PUBREL sent.
        let mut released = false;
        let mut done = false;
        let mut dup = false;
        // After a reconnect in the release phase, the next PUBREL is a resend.
        let mut pubrel_again = false;
        let mut k = 0usize; // packets of this hop so far
        let mut attempt_cut = cut;
        // The narration's words are content/qos.md's (flow-…).
        let (passed_on, what) = if receiver == SUBSCRIBER {
            (text::FLOW_DELIVERED, text::FLOW_DELIVERED_WHAT)
        } else {
            (text::FLOW_ACCEPTED, text::FLOW_ACCEPTED_WHAT)
        };
        while !done {
            let steps: Vec<(bool, &str)> = if released {
                vec![(true, "PUBREL"), (false, "PUBCOMP")]
            } else {
                exchange(qos).to_vec()
            };
            let mut broke = false;
            for (from_sender, name) in steps {
                let (from, to) = if from_sender {
                    (sender, receiver)
                } else {
                    (receiver, sender)
                };
                let label = match name {
                    "PUBLISH" if qos == 0 => "PUBLISH qos=0".to_string(),
                    "PUBLISH" => format!(
                        "PUBLISH qos={qos} id={id}{}",
                        if dup { " dup=1" } else { "" }
                    ),
                    other => format!("{other} id={id}"),
                };
                let is_cut = attempt_cut == Some(k);
                k += 1;
                if is_cut {
                    let badge = match (name, qos) {
                        ("PUBLISH", 0) => text::FLOW_CUT_QOS0,
                        ("PUBLISH", _) => text::FLOW_CUT_PUBLISH,
                        ("PUBREL", _) => text::FLOW_CUT_PUBREL,
                        _ => text::FLOW_CUT_ACK,
                    };
                    self.push(from, to, label, Some(badge.into()), true);
                    broke = true;
                    break;
                }
                // What the receiving side does with a PUBLISH or a PUBREL.
                let again = |n: u32| {
                    if n > 1 {
                        fill(text::FLOW_AGAIN, &[("passed_on", passed_on)])
                    } else {
                        passed_on.to_string()
                    }
                };
                let badge = match name {
                    "PUBLISH" if qos == 2 && holding => Some(text::FLOW_STORED_AGAIN.to_string()),
                    "PUBLISH" if qos == 2 => {
                        holding = true;
                        Some(text::FLOW_STORED.to_string())
                    }
                    "PUBLISH" => {
                        accepted += 1;
                        Some(again(accepted))
                    }
                    "PUBREL" => {
                        let resent = std::mem::take(&mut pubrel_again);
                        let b = if std::mem::take(&mut holding) {
                            accepted += 1;
                            let released = if accepted > 1 {
                                text::FLOW_RELEASED_AGAIN
                            } else {
                                text::FLOW_RELEASED
                            };
                            fill(released, &[("what", what)])
                        } else {
                            text::FLOW_NOTHING_STORED.to_string()
                        };
                        Some(if resent {
                            fill(text::FLOW_RESENT_PUBREL, &[("then", &b)])
                        } else {
                            b
                        })
                    }
                    _ => None,
                };
                let badge = match (dup, name) {
                    (true, "PUBLISH") => {
                        badge.map(|b| fill(text::FLOW_RESENT_DUP, &[("then", &b)]))
                    }
                    _ => badge,
                };
                self.push(from, to, label, badge, false);
                if name == "PUBREC" {
                    released = true;
                }
            }
            if !broke {
                done = true;
                continue;
            }
            // The connection dropped: a QoS 0 message or a sender without the
            // session's state gives up; otherwise it reconnects and resends
            // PUBLISH (DUP=1) or, after PUBREC, PUBREL; with a clean session
            // a QoS 2 sender starts again from PUBLISH.
            attempt_cut = None;
            if qos == 0 {
                done = true;
            } else if !resend {
                self.note(text::FLOW_LOST);
                done = true;
            } else if clean {
                // The broker's session is gone (Session Present 0) and with
                // it a stored QoS 2 message.
                holding = false;
                released = false;
                dup = true;
                self.note(text::FLOW_CLEAN);
            } else if released {
                self.note(text::FLOW_PUBREL_AGAIN);
                pubrel_again = true;
            } else {
                self.note(text::FLOW_PUBLISH_AGAIN);
                dup = true;
            }
        }
        accepted
    }
}

/// The flow of one message with the connection dropping at arrow `drop`
/// (an index into the arrows of the flow without a drop), or without a drop.
pub fn flow(i: &Inputs, drop: Option<usize>) -> Flow {
    let n_in = exchange(i.pub_qos).len();
    let (cut_in, cut_out) = match drop {
        Some(d) if d < n_in => (Some(d), None),
        Some(d) => (None, Some(d - n_in)),
        None => (None, None),
    };
    let mut w = Walk {
        rows: Vec::new(),
        packets: 0,
    };
    // The publisher's client resends whenever it reconnects (paho-mqtt:
    // whatever the session setting); the broker resends to the subscriber
    // only with a persistent session. Both only if a reconnect is allowed.
    let at_broker = w.hop(
        PUBLISHER,
        BROKER,
        i.pub_qos,
        cut_in,
        i.retries > 0,
        !i.persistent,
    );
    let eq = i.effective_qos();
    let mut delivered = 0;
    for copy in 0..at_broker {
        if copy > 0 {
            w.note(text::FLOW_FORWARDS_DUPLICATE);
        }
        let cut = if copy == 0 { cut_out } else { None };
        delivered += w.hop(
            BROKER,
            SUBSCRIBER,
            eq,
            cut,
            i.persistent && i.retries > 0,
            false,
        );
    }
    if at_broker == 0 {
        w.note(text::FLOW_NEVER_GOT_IT);
    }
    Flow {
        rows: w.rows,
        delivered,
        packets: w.packets,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qos::{attempt, Phase};

    fn inputs(pub_qos: u8, sub_qos: u8, persistent: bool, retries: u32) -> Inputs {
        Inputs {
            pub_qos,
            sub_qos,
            persistent,
            retries,
            ..Inputs::default()
        }
    }

    /// The model's case for one hop with a cut at packet `k` (or none): the
    /// outcome of `attempt` that a cut there is (with p = 0.25, a cut at k
    /// has probability 0.75^k × 0.25), then a whole attempt if a resend is
    /// allowed. Returns (copies, packets).
    fn model_hop(qos: u8, cut: Option<usize>, resend: bool, restart: bool) -> (u32, u32) {
        let (phase, copies, sent) = match cut {
            None => {
                let row = attempt(qos, 0.0, Phase::Publish, false, restart).as_slice()[..]
                    .iter()
                    .copied()
                    .find(|o| o.0 == 1.0)
                    .unwrap();
                (row.1, row.2, row.3)
            }
            Some(k) => {
                let want = 0.75f64.powi(k as i32) * 0.25;
                let row = attempt(qos, 0.25, Phase::Publish, false, restart)
                    .as_slice()
                    .iter()
                    .copied()
                    .find(|o| (o.0 - want).abs() < 1e-12)
                    .unwrap_or_else(|| panic!("no outcome for a cut at {k} at QoS {qos}"));
                (row.1, row.2, row.3)
            }
        };
        if phase == Phase::Done || !resend {
            return (copies, sent);
        }
        let next = attempt(qos, 0.0, phase, copies > 0, restart)
            .as_slice()
            .iter()
            .copied()
            .find(|o| o.0 == 1.0)
            .unwrap();
        (copies + next.2, sent + next.3)
    }

    #[test]
    fn every_drop_point_agrees_with_the_model() {
        let mut cases = 0;
        for pub_qos in 0..=2 {
            for sub_qos in 0..=2 {
                for persistent in [true, false] {
                    for retries in [0, 1, 5] {
                        let i = inputs(pub_qos, sub_qos, persistent, retries);
                        let n_in = exchange(pub_qos).len();
                        for d in (0..drop_points(&i)).map(Some).chain([None]) {
                            let f = flow(&i, d);
                            let (cut_in, cut_out) = match d {
                                Some(d) if d < n_in => (Some(d), None),
                                Some(d) => (None, Some(d - n_in)),
                                None => (None, None),
                            };
                            let (at_broker, sent_in) =
                                model_hop(pub_qos, cut_in, retries > 0, !persistent);
                            let eq = i.effective_qos();
                            let resend_out = persistent && retries > 0;
                            let (mut delivered, mut sent) = (0, sent_in);
                            for copy in 0..at_broker {
                                let (c, s) = model_hop(
                                    eq,
                                    if copy == 0 { cut_out } else { None },
                                    resend_out,
                                    false,
                                );
                                delivered += c;
                                sent += s;
                            }
                            assert_eq!((f.delivered, f.packets), (delivered, sent), "{pub_qos}→{sub_qos} persistent {persistent} retries {retries} drop {d:?}");
                            cases += 1;
                        }
                    }
                }
            }
        }
        // 6 session settings × Σ over the 9 QoS pairs of (arrows in + arrows out + no drop).
        assert_eq!(cases, 270);
    }

    #[test]
    fn a_cut_puback_makes_a_duplicate_and_a_cut_pubrec_does_not() {
        let labels = |f: &Flow| {
            f.rows
                .iter()
                .map(|r| (r.label.clone(), r.badge.clone().unwrap_or_default()))
                .collect::<Vec<_>>()
        };
        // QoS 1 → 1, the PUBACK from the broker cut: the resend is a duplicate.
        let f = flow(&inputs(1, 1, true, 5), Some(1));
        assert_eq!(f.delivered, 2);
        let l = labels(&f);
        assert_eq!(l[0], ("PUBLISH qos=1 id=1".into(), "accepted".into()));
        assert_eq!(
            l[1].1,
            "cut: the connection drops before the acknowledgement arrives"
        );
        assert_eq!(
            l[3],
            (
                "PUBLISH qos=1 id=1 dup=1".into(),
                "resent, DUP=1; accepted again: a duplicate".into()
            )
        );
        // QoS 2 → 2, PUBREC cut: the resent PUBLISH is recognised, and the
        // message is passed on when PUBREL arrives.
        let f = flow(&inputs(2, 2, true, 5), Some(1));
        assert_eq!(f.delivered, 1);
        let l = labels(&f);
        assert_eq!(
            l[0],
            ("PUBLISH qos=2 id=1".into(), "stored until PUBREL".into())
        );
        assert_eq!(
            l[3].1,
            "resent, DUP=1; already stored: PUBREC again, not delivered again"
        );
        assert_eq!(
            l[5],
            (
                "PUBREL id=1".into(),
                "released: forwarded to subscribers".into()
            )
        );
        // A clean session on the broker's hop: a cut there loses the message.
        let f = flow(&inputs(1, 1, false, 5), Some(2));
        assert_eq!(f.delivered, 0);
        assert!(labels(&f)
            .iter()
            .any(|(l, _)| l.contains("without the session")));
        // Issue 22, point 2: with a clean session, a cut PUBCOMP on the first
        // hop is no "session present: PUBREL again". paho 2.2 restarts from
        // PUBLISH with DUP=1 and the broker, which kept nothing, releases the
        // message a second time: a duplicate even at QoS 2.
        let f = flow(&inputs(2, 2, false, 5), Some(3));
        let l = labels(&f);
        assert!(l
            .iter()
            .all(|(l, b)| !l.contains("session present") && !b.contains("session present")));
        assert_eq!(l[4].0, "reconnect with a clean session (Session Present 0): the broker kept nothing; the publishing client sends the PUBLISH again with DUP=1");
        assert_eq!(
            l[5],
            (
                "PUBLISH qos=2 id=1 dup=1".into(),
                "resent, DUP=1; stored until PUBREL".into()
            )
        );
        assert_eq!(
            l[7].1,
            "released: forwarded to subscribers again, a duplicate"
        );
        assert_eq!(f.delivered, 2);
        // The same cut with the session kept: PUBREL again, nothing stored.
        let f = flow(&inputs(2, 2, true, 5), Some(3));
        let l = labels(&f);
        assert_eq!(l[4].0, "reconnect, session present: PUBREL is sent again");
        assert_eq!(
            l[5].1,
            "resent after the reconnect; nothing stored: only PUBCOMP"
        );
        assert_eq!(f.delivered, 1);
        // QoS 0 cut: lost, never resent.
        let f = flow(&inputs(0, 0, true, 5), Some(0));
        assert_eq!((f.delivered, f.packets), (0, 1));
    }

    #[test]
    fn arrows_go_between_the_right_lanes() {
        let f = flow(&inputs(2, 1, true, 5), None);
        let arrows: Vec<Arrow> = f.rows.iter().map(|r| r.arrow).collect();
        assert_eq!(
            arrows,
            [
                Arrow::Between(0, 1),
                Arrow::Between(1, 0),
                Arrow::Between(0, 1),
                Arrow::Between(1, 0),
                Arrow::Between(1, 2),
                Arrow::Between(2, 1),
            ]
        );
        assert_eq!(
            (f.delivered, f.packets, drop_points(&inputs(2, 1, true, 5))),
            (1, 6, 6)
        );
    }
}
