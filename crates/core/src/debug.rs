//! The debugging checklist: symptoms and observations to ranked causes, each
//! with its evidence, the step of the flow, the fix and a confirming command.
//! The rules are data ([`RULES`]); the chapter's cases are all here, and no
//! fix ever recommends another public broker.

use crate::content::debug as text;
use crate::fields::ChoiceSpec;
use serde::Serialize;

pub const SYMPTOM: ChoiceSpec = ChoiceSpec {
    key: "symptom",
    label: "What you see",
    options: &[
        ("no-messages", "Connects, but no messages arrive"),
        ("cannot-connect", "Cannot connect (times out or is refused)"),
        ("connects-then-disconnects", "Connects, then disconnects"),
        ("garbled-payload", "Messages arrive garbled"),
        ("intermittent-loss", "Some messages arrive, some do not"),
        (
            "works-locally-fails-in-production",
            "Works locally, fails in production",
        ),
    ],
    default: "no-messages",
};
pub const BROKER: ChoiceSpec = ChoiceSpec {
    key: "broker",
    label: "Broker",
    options: &[
        ("public", "Public test broker"),
        ("private", "Your own"),
        ("cloud", "Cloud service"),
    ],
    default: "private",
};
pub const LOOP: ChoiceSpec = ChoiceSpec {
    key: "loop",
    label: "Is a network loop running?",
    options: &[("yes", "Yes"), ("no", "No"), ("unsure", "Not sure")],
    default: "yes",
};
pub const PUB_QOS: ChoiceSpec = ChoiceSpec {
    key: "pub_qos",
    label: "Publisher QoS",
    options: &[("0", "0"), ("1", "1"), ("2", "2")],
    default: "1",
};
pub const SUB_QOS: ChoiceSpec = ChoiceSpec {
    key: "sub_qos",
    label: "Subscriber QoS",
    options: &[("0", "0"), ("1", "1"), ("2", "2")],
    default: "1",
};
pub const CLIENT_ID: ChoiceSpec = ChoiceSpec {
    key: "client_id",
    label: "Client ids",
    options: &[
        ("unique", "Unique per device"),
        ("shared", "Same id on two devices"),
        ("unsure", "Not sure"),
    ],
    default: "unique",
};
pub const TLS: ChoiceSpec = ChoiceSpec {
    key: "tls",
    label: "TLS",
    options: &[("on", "On (8883)"), ("off", "Off (1883)")],
    default: "on",
};
pub const CALLBACKS: ChoiceSpec = ChoiceSpec {
    key: "callbacks",
    label: "Callbacks assigned",
    options: &[("before", "Before connect()"), ("after", "After connect()")],
    default: "before",
};
pub const CHOICES: [&ChoiceSpec; 8] = [
    &SYMPTOM, &BROKER, &LOOP, &PUB_QOS, &SUB_QOS, &CLIENT_ID, &TLS, &CALLBACKS,
];

/// The steps of the chapter's debugging flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Step {
    pub slug: &'static str,
    pub title: &'static str,
    pub tool: &'static str,
    pub check: &'static str,
    pub command: &'static str,
    /// A comment after the command's last line ("" for none): the page and
    /// the snippet suite take [`Step::code`].
    pub note: &'static str,
}

impl Step {
    /// The command as the page shows it, with its note.
    pub fn code(&self) -> String {
        match self.note {
            "" => self.command.to_string(),
            note => format!("{}  # {}", self.command, crate::snippets::trailing(note)),
        }
    }
}

pub const STEPS: [Step; 4] = [
    Step {
        slug: "connection",
        title: text::STEP_CONNECTION_TITLE,
        tool: text::STEP_CONNECTION_TOOL,
        check: text::STEP_CONNECTION_CHECK,
        // paho-mqtt logs each packet at DEBUG: without logging configured at DEBUG,
        // enable_logger() prints only its warnings and errors (claim paho-enable-logger).
        command: "import logging\nlogging.basicConfig(level=logging.DEBUG)\nclient.enable_logger()",
        note: text::STEP_CONNECTION_NOTE,
    },
    Step {
        slug: "message-flow",
        title: text::STEP_MESSAGE_FLOW_TITLE,
        tool: text::STEP_MESSAGE_FLOW_TOOL,
        check: text::STEP_MESSAGE_FLOW_CHECK,
        command: "mosquitto_sub -h BROKER -p 8883 --cafile ca.crt -u USER -P PASS -t '#' -v",
        note: "",
    },
    Step {
        slug: "topics",
        title: text::STEP_TOPICS_TITLE,
        tool: text::STEP_TOPICS_TOOL,
        check: text::STEP_TOPICS_CHECK,
        command: "mosquitto_sub -h BROKER -t 'farm/+/moisture' -v",
        note: "",
    },
    Step {
        slug: "payloads",
        title: text::STEP_PAYLOADS_TITLE,
        tool: text::STEP_PAYLOADS_TOOL,
        check: text::STEP_PAYLOADS_CHECK,
        command:
            "python3 -c \"import json,sys; print(json.loads(sys.stdin.read()))\" < payload.bin",
        note: "",
    },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cause {
    pub slug: &'static str,
    pub title: &'static str,
    /// The step of the flow that finds it.
    pub step: &'static str,
    pub explanation: &'static str,
    pub fix: &'static str,
    pub confirm: &'static str,
    /// Reason codes a client sees for it (linked to the explorer).
    pub reason_codes: &'static [u8],
}

/// A rule: a cause applies to some symptoms with a base score; observations
/// add to it or rule it out (a large negative weight).
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub cause: Cause,
    pub symptoms: &'static [&'static str],
    pub base: i32,
    /// (observation key, value, weight, the evidence in words)
    pub when: &'static [(&'static str, &'static str, i32, &'static str)],
}

const OUT: i32 = -1000;

pub const RULES: &[Rule] = &[
    Rule {
        cause: Cause {
            slug: "missing-network-loop",
            title: text::MISSING_NETWORK_LOOP_TITLE,
            step: "message-flow",
            explanation: text::MISSING_NETWORK_LOOP_EXPLANATION,
            fix: text::MISSING_NETWORK_LOOP_FIX,
            confirm: text::MISSING_NETWORK_LOOP_CONFIRM,
            reason_codes: &[0x8D],
        },
        symptoms: &["no-messages", "connects-then-disconnects"],
        base: 10,
        when: &[
            ("loop", "no", 100, text::MISSING_NETWORK_LOOP_WHEN_LOOP_NO),
            (
                "loop",
                "unsure",
                30,
                text::MISSING_NETWORK_LOOP_WHEN_LOOP_UNSURE,
            ),
            ("loop", "yes", OUT, ""),
        ],
    },
    Rule {
        cause: Cause {
            slug: "callbacks-after-connect",
            title: text::CALLBACKS_AFTER_CONNECT_TITLE,
            step: "connection",
            explanation: text::CALLBACKS_AFTER_CONNECT_EXPLANATION,
            fix: text::CALLBACKS_AFTER_CONNECT_FIX,
            confirm: text::CALLBACKS_AFTER_CONNECT_CONFIRM,
            reason_codes: &[],
        },
        symptoms: &["no-messages"],
        base: 5,
        when: &[
            (
                "callbacks",
                "after",
                90,
                text::CALLBACKS_AFTER_CONNECT_WHEN_CALLBACKS_AFTER,
            ),
            ("callbacks", "before", OUT, ""),
        ],
    },
    Rule {
        cause: Cause {
            slug: "topic-mismatch",
            title: text::TOPIC_MISMATCH_TITLE,
            step: "topics",
            explanation: text::TOPIC_MISMATCH_EXPLANATION,
            fix: text::TOPIC_MISMATCH_FIX,
            confirm: text::TOPIC_MISMATCH_CONFIRM,
            reason_codes: &[0x8F, 0x10],
        },
        symptoms: &["no-messages"],
        base: 40,
        when: &[("loop", "yes", 20, text::TOPIC_MISMATCH_WHEN_LOOP_YES)],
    },
    Rule {
        cause: Cause {
            slug: "qos-mismatch",
            title: text::QOS_MISMATCH_TITLE,
            step: "message-flow",
            explanation: text::QOS_MISMATCH_EXPLANATION,
            fix: text::QOS_MISMATCH_FIX,
            confirm: text::QOS_MISMATCH_CONFIRM,
            reason_codes: &[0x00, 0x01],
        },
        symptoms: &["intermittent-loss"],
        base: 10,
        when: &[
            (
                "qos_downgrade",
                "yes",
                100,
                text::QOS_MISMATCH_WHEN_QOS_DOWNGRADE_YES,
            ),
            ("qos_downgrade", "no", OUT, ""),
        ],
    },
    Rule {
        cause: Cause {
            slug: "connection-drops-in-flight",
            title: text::CONNECTION_DROPS_IN_FLIGHT_TITLE,
            step: "message-flow",
            explanation: text::CONNECTION_DROPS_IN_FLIGHT_EXPLANATION,
            fix: text::CONNECTION_DROPS_IN_FLIGHT_FIX,
            confirm: text::CONNECTION_DROPS_IN_FLIGHT_CONFIRM,
            reason_codes: &[0x8D],
        },
        symptoms: &["intermittent-loss"],
        base: 30,
        when: &[(
            "effective_qos",
            "0",
            20,
            text::CONNECTION_DROPS_IN_FLIGHT_WHEN_EFFECTIVE_QOS_0,
        )],
    },
    Rule {
        cause: Cause {
            slug: "duplicate-client-id",
            title: text::DUPLICATE_CLIENT_ID_TITLE,
            step: "connection",
            explanation: text::DUPLICATE_CLIENT_ID_EXPLANATION,
            fix: text::DUPLICATE_CLIENT_ID_FIX,
            confirm: text::DUPLICATE_CLIENT_ID_CONFIRM,
            reason_codes: &[0x8E],
        },
        symptoms: &["connects-then-disconnects", "intermittent-loss"],
        base: 20,
        when: &[
            (
                "client_id",
                "shared",
                100,
                text::DUPLICATE_CLIENT_ID_WHEN_CLIENT_ID_SHARED,
            ),
            (
                "client_id",
                "unsure",
                30,
                text::DUPLICATE_CLIENT_ID_WHEN_CLIENT_ID_UNSURE,
            ),
            ("client_id", "unique", OUT, ""),
        ],
    },
    Rule {
        cause: Cause {
            slug: "auth-failure",
            title: text::AUTH_FAILURE_TITLE,
            step: "connection",
            explanation: text::AUTH_FAILURE_EXPLANATION,
            fix: text::AUTH_FAILURE_FIX,
            confirm: text::AUTH_FAILURE_CONFIRM,
            reason_codes: &[0x86, 0x87, 0x8A],
        },
        symptoms: &["connects-then-disconnects", "cannot-connect"],
        base: 25,
        when: &[
            (
                "broker",
                "private",
                15,
                text::AUTH_FAILURE_WHEN_BROKER_PRIVATE,
            ),
            ("broker", "cloud", 25, text::AUTH_FAILURE_WHEN_BROKER_CLOUD),
        ],
    },
    Rule {
        cause: Cause {
            slug: "broker-unreachable",
            title: text::BROKER_UNREACHABLE_TITLE,
            step: "connection",
            explanation: text::BROKER_UNREACHABLE_EXPLANATION,
            fix: text::BROKER_UNREACHABLE_FIX,
            confirm: text::BROKER_UNREACHABLE_CONFIRM,
            reason_codes: &[0x88, 0x89, 0x9F],
        },
        symptoms: &["cannot-connect"],
        base: 20,
        when: &[(
            "broker",
            "public",
            60,
            text::BROKER_UNREACHABLE_WHEN_BROKER_PUBLIC,
        )],
    },
    Rule {
        cause: Cause {
            slug: "firewall-or-tls",
            title: text::FIREWALL_OR_TLS_TITLE,
            step: "connection",
            explanation: text::FIREWALL_OR_TLS_EXPLANATION,
            fix: text::FIREWALL_OR_TLS_FIX,
            confirm: text::FIREWALL_OR_TLS_CONFIRM,
            reason_codes: &[],
        },
        symptoms: &["cannot-connect", "works-locally-fails-in-production"],
        base: 40,
        when: &[
            ("tls", "on", 20, text::FIREWALL_OR_TLS_WHEN_TLS_ON),
            (
                "broker",
                "private",
                10,
                text::FIREWALL_OR_TLS_WHEN_BROKER_PRIVATE,
            ),
        ],
    },
    Rule {
        cause: Cause {
            slug: "encoding-mismatch",
            title: text::ENCODING_MISMATCH_TITLE,
            step: "payloads",
            explanation: text::ENCODING_MISMATCH_EXPLANATION,
            fix: text::ENCODING_MISMATCH_FIX,
            confirm: text::ENCODING_MISMATCH_CONFIRM,
            reason_codes: &[0x99],
        },
        symptoms: &["garbled-payload"],
        base: 100,
        when: &[],
    },
    Rule {
        cause: Cause {
            slug: "production-network-restrictions",
            title: text::PRODUCTION_NETWORK_RESTRICTIONS_TITLE,
            step: "connection",
            explanation: text::PRODUCTION_NETWORK_RESTRICTIONS_EXPLANATION,
            fix: text::PRODUCTION_NETWORK_RESTRICTIONS_FIX,
            confirm: text::PRODUCTION_NETWORK_RESTRICTIONS_CONFIRM,
            reason_codes: &[0x87],
        },
        symptoms: &["works-locally-fails-in-production"],
        base: 50,
        when: &[
            (
                "broker",
                "cloud",
                20,
                text::PRODUCTION_NETWORK_RESTRICTIONS_WHEN_BROKER_CLOUD,
            ),
            (
                "tls",
                "off",
                10,
                text::PRODUCTION_NETWORK_RESTRICTIONS_WHEN_TLS_OFF,
            ),
        ],
    },
    Rule {
        cause: Cause {
            slug: "public-broker-in-production",
            title: text::PUBLIC_BROKER_IN_PRODUCTION_TITLE,
            step: "connection",
            explanation: text::PUBLIC_BROKER_IN_PRODUCTION_EXPLANATION,
            fix: text::PUBLIC_BROKER_IN_PRODUCTION_FIX,
            confirm: text::PUBLIC_BROKER_IN_PRODUCTION_CONFIRM,
            reason_codes: &[0x9F, 0x97],
        },
        symptoms: &[
            "works-locally-fails-in-production",
            "intermittent-loss",
            "connects-then-disconnects",
        ],
        base: 0,
        when: &[(
            "broker",
            "public",
            80,
            text::PUBLIC_BROKER_IN_PRODUCTION_WHEN_BROKER_PUBLIC,
        )],
    },
];

/// Observations derived from the choices (QoS downgrade, effective QoS).
fn observations(choices: &[(&str, &str)]) -> Vec<(String, String)> {
    let get = |k: &str| {
        choices
            .iter()
            .find(|(key, _)| *key == k)
            .map(|(_, v)| *v)
            .unwrap_or("")
    };
    let mut obs: Vec<(String, String)> = choices
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if let (Ok(p), Ok(s)) = (get("pub_qos").parse::<u8>(), get("sub_qos").parse::<u8>()) {
        obs.push((
            "qos_downgrade".into(),
            if s < p { "yes" } else { "no" }.into(),
        ));
        obs.push(("effective_qos".into(), p.min(s).to_string()));
    }
    obs
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnosis {
    pub cause: Cause,
    pub score: i32,
    /// Why it ranks where it does, in words.
    pub evidence: Vec<&'static str>,
}

/// Ranked likely causes for the given choices (`(key, slug)` pairs of [`CHOICES`]).
pub fn diagnose(choices: &[(&str, &str)]) -> Vec<Diagnosis> {
    let obs = observations(choices);
    let symptom = obs
        .iter()
        .find(|(k, _)| k == "symptom")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    let mut out: Vec<Diagnosis> = RULES
        .iter()
        .filter(|r| r.symptoms.contains(&symptom))
        .filter_map(|r| {
            let mut score = r.base;
            let mut evidence = Vec::new();
            for (key, value, weight, why) in r.when {
                if obs.iter().any(|(k, v)| k == key && v == value) {
                    score += weight;
                    if *weight > 0 {
                        evidence.push(*why);
                    }
                }
            }
            (score > 0).then_some(Diagnosis {
                cause: r.cause,
                score,
                evidence,
            })
        })
        .collect();
    out.sort_by_key(|d| std::cmp::Reverse(d.score));
    out
}

pub fn step(slug: &str) -> Option<&'static Step> {
    STEPS.iter().find(|s| s.slug == slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn top(choices: &[(&str, &str)]) -> &'static str {
        diagnose(choices)
            .first()
            .map(|d| d.cause.slug)
            .unwrap_or("none")
    }

    fn defaults_with(
        overrides: &[(&'static str, &'static str)],
    ) -> Vec<(&'static str, &'static str)> {
        CHOICES
            .iter()
            .map(|c| {
                (
                    c.key,
                    overrides
                        .iter()
                        .find(|(k, _)| *k == c.key)
                        .map_or(c.default, |(_, v)| *v),
                )
            })
            .collect()
    }

    #[test]
    fn issue_must_holds() {
        assert_eq!(
            top(&defaults_with(&[
                ("symptom", "no-messages"),
                ("loop", "no")
            ])),
            "missing-network-loop"
        );
        assert_eq!(
            top(&defaults_with(&[
                ("symptom", "intermittent-loss"),
                ("pub_qos", "1"),
                ("sub_qos", "0")
            ])),
            "qos-mismatch"
        );
    }

    #[test]
    fn chapter_cases() {
        assert_eq!(
            top(&defaults_with(&[("symptom", "no-messages")])),
            "topic-mismatch"
        );
        assert_eq!(
            top(&defaults_with(&[
                ("symptom", "no-messages"),
                ("callbacks", "after")
            ])),
            "callbacks-after-connect"
        );
        assert_eq!(
            top(&defaults_with(&[
                ("symptom", "cannot-connect"),
                ("broker", "public")
            ])),
            "broker-unreachable"
        );
        assert_eq!(
            top(&defaults_with(&[("symptom", "cannot-connect")])),
            "firewall-or-tls"
        );
        assert_eq!(
            top(&defaults_with(&[
                ("symptom", "connects-then-disconnects"),
                ("client_id", "shared")
            ])),
            "duplicate-client-id"
        );
        assert_eq!(
            top(&defaults_with(&[("symptom", "garbled-payload")])),
            "encoding-mismatch"
        );
        assert_eq!(
            top(&defaults_with(&[
                ("symptom", "works-locally-fails-in-production"),
                ("broker", "public")
            ])),
            "public-broker-in-production"
        );
        assert_eq!(
            top(&defaults_with(&[
                ("symptom", "works-locally-fails-in-production"),
                ("broker", "cloud")
            ])),
            "production-network-restrictions"
        );
        // Matching QoS: the downgrade is ruled out, drops remain.
        let d = diagnose(&defaults_with(&[
            ("symptom", "intermittent-loss"),
            ("pub_qos", "1"),
            ("sub_qos", "1"),
        ]));
        assert!(d.iter().all(|x| x.cause.slug != "qos-mismatch"));
        assert_eq!(d[0].cause.slug, "connection-drops-in-flight");
    }

    #[test]
    fn evidence_is_given_and_steps_exist() {
        let d = diagnose(&defaults_with(&[
            ("symptom", "no-messages"),
            ("loop", "no"),
        ]));
        assert_eq!(d[0].evidence, ["you said no network loop runs"]);
        for r in RULES {
            assert!(step(r.cause.step).is_some(), "{}", r.cause.slug);
            assert!(r
                .symptoms
                .iter()
                .all(|s| SYMPTOM.options.iter().any(|(o, _)| o == s)));
        }
    }

    #[test]
    fn never_recommends_another_public_broker() {
        for r in RULES {
            let fix = r.cause.fix.to_ascii_lowercase();
            for public in [
                "hivemq.com",
                "test.mosquitto.org",
                "emqx.io",
                "another public",
            ] {
                assert!(
                    !fix.contains(public) || fix.contains("never"),
                    "{}: {}",
                    r.cause.slug,
                    r.cause.fix
                );
            }
        }
    }

    #[test]
    fn every_symptom_has_a_diagnosis_for_every_combination() {
        // Exhaustive over all 6 × 3 × 3 × 3 × 3 × 3 × 2 × 2 = 5,832 combinations.
        let mut n = 0;
        for s in SYMPTOM.options {
            for b in BROKER.options {
                for l in LOOP.options {
                    for p in PUB_QOS.options {
                        for q in SUB_QOS.options {
                            for c in CLIENT_ID.options {
                                for t in TLS.options {
                                    for cb in CALLBACKS.options {
                                        let choices = [
                                            ("symptom", s.0),
                                            ("broker", b.0),
                                            ("loop", l.0),
                                            ("pub_qos", p.0),
                                            ("sub_qos", q.0),
                                            ("client_id", c.0),
                                            ("tls", t.0),
                                            ("callbacks", cb.0),
                                        ];
                                        assert!(!diagnose(&choices).is_empty(), "{choices:?}");
                                        n += 1;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(n, 5832);
    }
}
