//! The chapter's four exercises as data: order the steps, match the concepts,
//! find the bug, label the flow. Each has exactly one correct answer set
//! (tested), and scoring says which answers are wrong and why.

use crate::content::exercises as text;
use crate::fields::ChoiceSpec;

pub const TAB: ChoiceSpec = ChoiceSpec {
    key: "tab",
    label: "Exercise",
    options: &[
        ("order", "Order the steps"),
        ("match", "Match the concepts"),
        ("code", "Find the bug"),
        ("label", "Label the flow"),
    ],
    default: "order",
};

/// A sequence to put in order; `steps` are listed in the correct order.
pub struct Ordering {
    pub title: &'static str,
    /// (step, why it comes at this point)
    pub steps: &'static [(&'static str, &'static str)],
    /// The order the steps are first shown in (a permutation of indices).
    pub shuffled: &'static [usize],
}

pub const ORDERINGS: [Ordering; 2] = [
    Ordering {
        title: text::ORDER_1_TITLE,
        steps: &[
            (text::ORDER_1_STEP_1, text::ORDER_1_WHY_1),
            (text::ORDER_1_STEP_2, text::ORDER_1_WHY_2),
            (text::ORDER_1_STEP_3, text::ORDER_1_WHY_3),
            (text::ORDER_1_STEP_4, text::ORDER_1_WHY_4),
        ],
        shuffled: &[2, 0, 3, 1],
    },
    Ordering {
        title: text::ORDER_2_TITLE,
        steps: &[
            (text::ORDER_2_STEP_1, text::ORDER_2_WHY_1),
            (text::ORDER_2_STEP_2, text::ORDER_2_WHY_2),
            (text::ORDER_2_STEP_3, text::ORDER_2_WHY_3),
            (text::ORDER_2_STEP_4, text::ORDER_2_WHY_4),
            (text::ORDER_2_STEP_5, text::ORDER_2_WHY_5),
        ],
        shuffled: &[3, 1, 4, 0, 2],
    },
];

/// (concept, definition); the definitions are shown in `MATCH_SHOWN` order.
pub const CONCEPTS: [(&str, &str); 9] = [
    ("MQTT", text::CONCEPT_1_DEFINITION),
    ("Broker", text::CONCEPT_2_DEFINITION),
    ("Topic", text::CONCEPT_3_DEFINITION),
    ("QoS level", text::CONCEPT_4_DEFINITION),
    ("Retained message", text::CONCEPT_5_DEFINITION),
    ("Last Will and Testament", text::CONCEPT_6_DEFINITION),
    ("Persistent session", text::CONCEPT_7_DEFINITION),
    ("Keepalive", text::CONCEPT_8_DEFINITION),
    ("Clean start", text::CONCEPT_9_DEFINITION),
];

/// The order definitions are listed in (a permutation of 0..9).
pub const MATCH_SHOWN: [usize; 9] = [4, 7, 0, 8, 2, 6, 1, 5, 3];

/// A short paho-mqtt 2.x program with one real bug.
pub struct Challenge {
    pub title: &'static str,
    pub lines: &'static [&'static str],
    /// Index of the faulty line.
    pub faulty: usize,
    /// Fix choices; exactly one is right.
    pub fixes: &'static [&'static str],
    pub correct_fix: usize,
    pub explanation: &'static str,
    /// The widget that teaches it (slug and query).
    pub learn_more: &'static str,
}

pub const CHALLENGES: [Challenge; 7] = [
    Challenge {
        title: text::CODE_1_TITLE,
        lines: &[
            "client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)",
            "client.on_message = on_message",
            "client.connect(\"broker.example.internal\", 1883)",
            "client.subscribe(\"farm/+/moisture\", qos=1)",
            "while True:",
            "    time.sleep(1)",
        ],
        faulty: 5,
        fixes: &[
            "Replace the sleep loop with client.loop_forever()",
            "Subscribe with qos=0",
            "Use port 8883",
        ],
        correct_fix: 0,
        explanation: text::CODE_1_EXPLANATION,
        learn_more: "?w=debug&symptom=no-messages&loop=no",
    },
    Challenge {
        title: text::CODE_2_TITLE,
        lines: &[
            "client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)",
            "client.connect(\"broker.example.internal\", 1883)",
            "client.loop_start()",
            "client.on_connect = on_connect",
        ],
        faulty: 3,
        fixes: &[
            "Move the assignment before connect()",
            "Call loop_forever() instead of loop_start()",
            "Add keepalive=120",
        ],
        correct_fix: 0,
        explanation: text::CODE_2_EXPLANATION,
        learn_more: "?w=debug&symptom=no-messages&callbacks=after",
    },
    Challenge {
        title: text::CODE_3_TITLE,
        lines: &[
            "# the sensors publish with qos=1",
            "client.subscribe(\"farm/+/moisture\", qos=0)",
            "client.loop_forever()",
        ],
        faulty: 1,
        fixes: &[
            "Subscribe with qos=1",
            "Publish with qos=0 too",
            "Subscribe to farm/#",
        ],
        correct_fix: 0,
        explanation: text::CODE_3_EXPLANATION,
        learn_more: "?w=qos&pub=1&sub=0",
    },
    Challenge {
        title: text::CODE_4_TITLE,
        lines: &[
            "def on_connect(client, userdata, flags, rc):",
            "    client.subscribe(\"farm/#\")",
            "client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)",
            "client.on_connect = on_connect",
        ],
        faulty: 0,
        fixes: &[
            "def on_connect(client, userdata, flags, reason_code, properties):",
            "Use CallbackAPIVersion.VERSION1 and keep rc",
            "def on_connect(client, rc):",
        ],
        correct_fix: 0,
        explanation: text::CODE_4_EXPLANATION,
        learn_more: "?w=reason-codes&code=0",
    },
    Challenge {
        title: text::CODE_5_TITLE,
        lines: &[
            "def on_connect(client, userdata, flags, reason_code, properties):",
            "    if reason_code == 149:",
            "        print(\"Connection rate exceeded: backing off\")",
        ],
        faulty: 1,
        fixes: &[
            "if reason_code == 159:",
            "if reason_code == 136:",
            "if reason_code == 135:",
        ],
        correct_fix: 0,
        explanation: text::CODE_5_EXPLANATION,
        learn_more: "?w=reason-codes&code=159",
    },
    Challenge {
        title: text::CODE_6_TITLE,
        lines: &[
            "client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=\"pump-7\")",
            "client.connect(\"test.mosquitto.org\", 1883)",
            "client.publish(\"plant/pump-7/cmd\", \"start\")",
        ],
        faulty: 1,
        fixes: &[
            "Connect to your own broker on 8883 with TLS and credentials",
            "Connect to broker.hivemq.com instead",
            "Use a longer, secret-looking topic",
        ],
        correct_fix: 0,
        explanation: text::CODE_6_EXPLANATION,
        learn_more: "?w=broker-cost",
    },
    Challenge {
        title: text::CODE_7_TITLE,
        lines: &[
            "WiFiClientSecure espClient;",
            "espClient.setCACert(root_ca);",
            "espClient.setTimeout(60000);  // \"60 seconds\"",
            "mqttClient.setSocketTimeout(60);",
        ],
        faulty: 2,
        fixes: &[
            "espClient.setHandshakeTimeout(60);  // seconds",
            "espClient.setTimeout(60000000);",
            "mqttClient.setSocketTimeout(60000);",
        ],
        correct_fix: 0,
        explanation: text::CODE_7_EXPLANATION,
        learn_more: "?w=tls-timeout",
    },
];

/// The troubleshooting flowchart's four tool boxes, in flow order, and the
/// question each answers.
pub const FLOW_BOXES: [(&str, &str); 4] = [
    ("Serial Monitor", text::LABEL_1_QUESTION),
    ("MQTT Explorer", text::LABEL_2_QUESTION),
    ("mosquitto_sub -t '#' -v", text::LABEL_3_QUESTION),
    ("Payload decode test", text::LABEL_4_QUESTION),
];
/// The order the labels are offered in.
pub const LABELS_SHOWN: [usize; 4] = [2, 0, 3, 1];

/// Per-position verdicts for an ordering answer (indices into `steps`).
pub fn check_order(o: &Ordering, answer: &[usize]) -> Vec<bool> {
    (0..o.steps.len())
        .map(|pos| answer.get(pos) == Some(&pos))
        .collect()
}

/// Per-concept verdicts; `answer[i]` is the definition index chosen for concept i.
pub fn check_match(answer: &[Option<usize>]) -> Vec<bool> {
    answer
        .iter()
        .enumerate()
        .map(|(i, a)| *a == Some(i))
        .collect()
}

/// (line right, fix right)
pub fn check_challenge(c: &Challenge, line: Option<usize>, fix: Option<usize>) -> (bool, bool) {
    (line == Some(c.faulty), fix == Some(c.correct_fix))
}

/// Per-box verdicts; `answer[i]` is the label index placed on box i.
pub fn check_labels(answer: &[Option<usize>]) -> Vec<bool> {
    answer
        .iter()
        .enumerate()
        .map(|(i, a)| *a == Some(i))
        .collect()
}

/// Moves item `from` one place up (`up`) or down; returns the new position.
pub fn move_item(items: &mut [usize], from: usize, up: bool) -> usize {
    if from >= items.len() {
        return from;
    }
    let to = if up {
        from.saturating_sub(1)
    } else {
        (from + 1).min(items.len() - 1)
    };
    items.swap(from, to);
    to
}

/// Moves the item at `from` to position `to` (drag and drop).
pub fn drop_item(items: &mut Vec<usize>, from: usize, to: usize) {
    if from < items.len() && to < items.len() {
        let item = items.remove(from);
        items.insert(to, item);
    }
}

pub fn count(v: &[bool]) -> usize {
    v.iter().filter(|b| **b).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_permutation(p: &[usize], n: usize) -> bool {
        let mut seen = vec![false; n];
        p.len() == n
            && p.iter()
                .all(|&i| i < n && !std::mem::replace(&mut seen[i], true))
    }

    #[test]
    fn each_exercise_has_exactly_one_correct_answer_set() {
        for o in &ORDERINGS {
            assert!(is_permutation(o.shuffled, o.steps.len()));
            // The shown order is not already solved.
            assert!(count(&check_order(o, o.shuffled)) < o.steps.len());
            // Steps are distinct, so only the identity order is all right.
            let identity: Vec<usize> = (0..o.steps.len()).collect();
            assert_eq!(count(&check_order(o, &identity)), o.steps.len());
        }
        assert!(is_permutation(&MATCH_SHOWN, CONCEPTS.len()));
        let right: Vec<Option<usize>> = (0..9).map(Some).collect();
        assert_eq!(count(&check_match(&right)), 9);
        for c in &CHALLENGES {
            assert!(c.faulty < c.lines.len() && c.correct_fix < c.fixes.len());
            assert!(c.fixes.iter().enumerate().all(|(i, f)| c
                .fixes
                .iter()
                .skip(i + 1)
                .all(|g| g != f)));
            assert_eq!(
                check_challenge(c, Some(c.faulty), Some(c.correct_fix)),
                (true, true)
            );
        }
        assert!(is_permutation(&LABELS_SHOWN, FLOW_BOXES.len()));
    }

    #[test]
    fn wrong_answers_are_reported_wrong() {
        let o = &ORDERINGS[0];
        assert_eq!(check_order(o, &[2, 0, 3, 1]), [false, false, false, false]);
        assert_eq!(check_order(o, &[0, 2, 1, 3]), [true, false, false, true]);
        let mut m: Vec<Option<usize>> = (0..9).map(Some).collect();
        m.swap(0, 1);
        assert_eq!(count(&check_match(&m)), 7);
        assert_eq!(check_match(&[None; 9]).iter().filter(|b| **b).count(), 0);
        let c = &CHALLENGES[4];
        assert_eq!(check_challenge(c, Some(0), Some(1)), (false, false));
        assert_eq!(
            check_labels(&[Some(1), Some(0), Some(2), Some(3)]),
            [false, false, true, true]
        );
    }

    #[test]
    fn moving_items() {
        let mut v = vec![2, 0, 3, 1];
        assert_eq!(move_item(&mut v, 0, true), 0);
        assert_eq!(v, [2, 0, 3, 1]);
        assert_eq!(move_item(&mut v, 0, false), 1);
        assert_eq!(v, [0, 2, 3, 1]);
        assert_eq!(move_item(&mut v, 3, false), 3);
        assert_eq!(move_item(&mut v, 9, true), 9);
        drop_item(&mut v, 3, 1);
        assert_eq!(v, [0, 1, 2, 3]);
        drop_item(&mut v, 7, 0);
        assert_eq!(v, [0, 1, 2, 3]);
    }

    #[test]
    fn the_public_broker_challenge_does_not_teach_another_public_broker() {
        let c = &CHALLENGES[5];
        assert!(!c.fixes[c.correct_fix].contains("hivemq"));
        assert!(c.fixes[c.correct_fix].contains("own broker"));
    }
}
