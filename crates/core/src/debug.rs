//! The debugging checklist: symptoms and observations to ranked causes, each
//! with its evidence, the step of the flow, the fix and a confirming command.
//! The rules are data ([`RULES`]); the chapter's cases are all here, and no
//! fix ever recommends another public broker.

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
}

pub const STEPS: [Step; 4] = [
    Step {
        slug: "connection",
        title: "1. Check the connection",
        tool: "Serial Monitor, or your client's log",
        check:
            "Wi-Fi joined, the TCP/TLS connection made, and a CONNACK with reason code 0 received.",
        // paho-mqtt logs each packet at DEBUG: without logging configured at DEBUG,
        // enable_logger() prints only its warnings and errors (claim paho-enable-logger).
        command: "import logging\nlogging.basicConfig(level=logging.DEBUG)\nclient.enable_logger()  # every packet: CONNECT, CONNACK, PUBLISH...",
    },
    Step {
        slug: "message-flow",
        title: "2. Verify the message flow",
        tool: "MQTT Explorer, or mosquitto_sub on everything",
        check: "The publisher's messages reach the broker at all.",
        command: "mosquitto_sub -h BROKER -p 8883 --cafile ca.crt -u USER -P PASS -t '#' -v",
    },
    Step {
        slug: "topics",
        title: "3. Validate the topics",
        tool: "mosquitto_sub with your subscription's exact filter",
        check: "Your filter matches the topics published, letter for letter.",
        command: "mosquitto_sub -h BROKER -t 'farm/+/moisture' -v",
    },
    Step {
        slug: "payloads",
        title: "4. Test the payloads",
        tool: "A decode in your on_message",
        check: "Payloads decode as UTF-8 and parse as the JSON you expect.",
        command:
            "python3 -c \"import json,sys; print(json.loads(sys.stdin.read()))\" < payload.bin",
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
            title: "The network loop is not running",
            step: "message-flow",
            explanation: "paho-mqtt reads the socket only inside loop(), loop_start()'s thread or loop_forever() [[paho-network-loop]]. Without one, no CONNACK or message is read, on_connect and on_message never fire, and no PINGREQ is sent, so the broker drops the client after 1.5 × keepalive. Publishing can look fine meanwhile: with no loop, publish() writes its packet at once, so a QoS 0 message still arrives and on_publish fires.",
            fix: "Call client.loop_start() after connect() (or loop_forever() in a program that only does MQTT).",
            confirm: "Turn on paho-mqtt's log (logging at DEBUG, then client.enable_logger(); without DEBUG only errors print [[paho-enable-logger]]): without a loop, no \"Received PUBLISH\" line ever appears.",
            reason_codes: &[0x8D],
        },
        symptoms: &["no-messages", "connects-then-disconnects"],
        base: 10,
        when: &[
            ("loop", "no", 100, "you said no network loop runs"),
            ("loop", "unsure", 30, "you are not sure a network loop runs"),
            ("loop", "yes", OUT, ""),
        ],
    },
    Rule {
        cause: Cause {
            slug: "callbacks-after-connect",
            title: "Callbacks assigned after connect()",
            step: "connection",
            explanation: "If on_connect or on_message is set after the CONNACK has been processed, the subscription made in on_connect never happens and messages have nowhere to go.",
            fix: "Assign every callback before connect(), and subscribe inside on_connect so subscriptions return after every reconnect.",
            confirm: "Print in on_connect: if it never prints, it was assigned too late.",
            reason_codes: &[],
        },
        symptoms: &["no-messages"],
        base: 5,
        when: &[("callbacks", "after", 90, "you assign callbacks after connect()"), ("callbacks", "before", OUT, "")],
    },
    Rule {
        cause: Cause {
            slug: "topic-mismatch",
            title: "Topic typo or wildcard mismatch",
            step: "topics",
            explanation: "Topics are case-sensitive and exact: farm/Sensor01 is not farm/sensor01, farm//data has an empty level, and + matches exactly one level.",
            fix: "Print the exact topic on both sides and compare; use + for one level and # only at the end.",
            confirm: "mosquitto_sub -h BROKER -t '#' -v shows the topics really published.",
            reason_codes: &[0x8F, 0x10],
        },
        symptoms: &["no-messages"],
        base: 40,
        when: &[("loop", "yes", 20, "the network loop runs, so the client would see matching messages")],
    },
    Rule {
        cause: Cause {
            slug: "qos-mismatch",
            title: "QoS mismatch: the subscriber downgrades delivery",
            step: "message-flow",
            explanation: "The broker delivers at the lower of the published QoS and the subscription's QoS (MQTT-3.8.4-8). A QoS 0 subscription receives QoS 1 messages at QoS 0: lost when its connection drops with them in flight.",
            fix: "Subscribe with the publisher's QoS (qos=1 on both sides) and keep the session (clean_start=False with a session expiry).",
            confirm: "Check the granted QoS in on_subscribe's reason_code_list.",
            reason_codes: &[0x00, 0x01],
        },
        symptoms: &["intermittent-loss"],
        base: 10,
        when: &[("qos_downgrade", "yes", 100, "the subscriber's QoS is below the publisher's"), ("qos_downgrade", "no", OUT, "")],
    },
    Rule {
        cause: Cause {
            slug: "connection-drops-in-flight",
            title: "Messages lost in connection drops",
            step: "message-flow",
            explanation: "MQTT loses a message when the connection drops with it in flight. QoS 0 does not resend it; QoS 1 and 2 do after the reconnect, if the session persists.",
            fix: "Use QoS 1 on both sides with a persistent session, and find out why connections drop (on_disconnect's reason code).",
            confirm: "Log on_disconnect with its reason code and time; losses line up with the drops.",
            reason_codes: &[0x8D],
        },
        symptoms: &["intermittent-loss"],
        base: 30,
        when: &[("effective_qos", "0", 20, "messages travel at QoS 0 to the subscriber")],
    },
    Rule {
        cause: Cause {
            slug: "duplicate-client-id",
            title: "Two clients with the same client id",
            step: "connection",
            explanation: "A broker allows one connection per client id: the second takes over and the first is disconnected (MQTT 5: DISCONNECT 0x8E Session taken over). If both reconnect automatically, they keep kicking each other out.",
            fix: "Give each device a unique id, for example from its MAC address or serial number.",
            confirm: "mosquitto's log shows “Client sensor-01 already connected, closing old connection”. On MQTT 5, on_disconnect gets 142 (0x8E) from mosquitto 2.0.15 on; 2.0.11 closes the connection without a DISCONNECT [[mosquitto-takeover]], and paho-mqtt reports 128 [[paho-takeover-local-128]].",
            reason_codes: &[0x8E],
        },
        symptoms: &["connects-then-disconnects", "intermittent-loss"],
        base: 20,
        when: &[
            ("client_id", "shared", 100, "two devices use the same client id"),
            ("client_id", "unsure", 30, "you are not sure the client ids are unique"),
            ("client_id", "unique", OUT, ""),
        ],
    },
    Rule {
        cause: Cause {
            slug: "auth-failure",
            title: "Refused by authentication or authorisation",
            step: "connection",
            explanation: "The TCP or TLS connection opens, then the broker answers CONNACK with a refusal and closes it.",
            fix: "Check the user name, password or client certificate and the broker's ACL; read on_connect's reason code.",
            confirm: "on_connect's reason_code: 134 (bad user name or password), 135 (not authorized), 138 (banned).",
            reason_codes: &[0x86, 0x87, 0x8A],
        },
        symptoms: &["connects-then-disconnects", "cannot-connect"],
        base: 25,
        when: &[("broker", "private", 15, "your own brokers usually require credentials"), ("broker", "cloud", 25, "cloud brokers always require credentials and policies")],
    },
    Rule {
        cause: Cause {
            slug: "broker-unreachable",
            title: "Broker unreachable or overloaded",
            step: "connection",
            explanation: "Nothing answers on the broker's port, or a shared public broker is too busy. Public test brokers promise no availability.",
            fix: "Run a private broker you control, with TLS and passwords; never switch production traffic to another public broker.",
            confirm: "nc -zv BROKER 8883 (or 1883) tells whether the port answers at all.",
            reason_codes: &[0x88, 0x89, 0x9F],
        },
        symptoms: &["cannot-connect"],
        base: 20,
        when: &[("broker", "public", 60, "public test brokers are shared and often overloaded")],
    },
    Rule {
        cause: Cause {
            slug: "firewall-or-tls",
            title: "Firewall, port or TLS certificate",
            step: "connection",
            explanation: "The port is blocked, the client talks plain MQTT to the TLS port (or the reverse), or the certificate does not verify (wrong CA, expired, host name mismatch, device clock not set).",
            fix: "Open the port, match port and TLS setting, give the client the right CA file, and set the device's clock (NTP) before TLS.",
            confirm: "openssl s_client -connect BROKER:8883 -CAfile ca.crt shows the certificate chain and any verification error.",
            reason_codes: &[],
        },
        symptoms: &["cannot-connect", "works-locally-fails-in-production"],
        base: 40,
        when: &[("tls", "on", 20, "TLS adds certificate checks and a port of its own"), ("broker", "private", 10, "your own broker's firewall is yours to check")],
    },
    Rule {
        cause: Cause {
            slug: "encoding-mismatch",
            title: "Payload encoding mismatch",
            step: "payloads",
            explanation: "MQTT payloads are bytes. Publisher and subscriber disagree on UTF-8 versus raw bytes, or on the JSON shape.",
            fix: "Decode with msg.payload.decode(\"utf-8\") inside try/except and parse with json.loads; send JSON as UTF-8 text from the device.",
            confirm: "mosquitto_sub -t TOPIC -F '%x' prints the payload in hex [[mosquitto-sub-hex]].",
            reason_codes: &[0x99],
        },
        symptoms: &["garbled-payload"],
        base: 100,
        when: &[],
    },
    Rule {
        cause: Cause {
            slug: "production-network-restrictions",
            title: "Production network restrictions",
            step: "connection",
            explanation: "Corporate and cellular networks often block outgoing 1883 and 8883, or need a proxy; cloud brokers also need the right policy for the device's identity.",
            fix: "Ask for the MQTT ports to be opened, or use MQTT over WebSockets on 443 (wss://) where only HTTPS is allowed; check the cloud policy.",
            confirm: "From the production network: nc -zv BROKER 8883, and openssl s_client -connect BROKER:8883.",
            reason_codes: &[0x87],
        },
        symptoms: &["works-locally-fails-in-production"],
        base: 50,
        when: &[("broker", "cloud", 20, "cloud brokers add identity policies"), ("tls", "off", 10, "port 1883 is often blocked outright")],
    },
    Rule {
        cause: Cause {
            slug: "public-broker-in-production",
            title: "A public test broker in production",
            step: "connection",
            explanation: "Public brokers limit connections and rates, drop clients, and let anyone read and publish your topics: no authentication, no ACLs, often no TLS.",
            fix: "Deploy a private broker with TLS on 8883, no anonymous clients, a password file and an ACL (the broker-cost widget has a configuration that is tested). Never move to another public broker.",
            confirm: "mosquitto_sub -h test.mosquitto.org -t '#' -v shows everyone's traffic, and would show yours.",
            reason_codes: &[0x9F, 0x97],
        },
        symptoms: &["works-locally-fails-in-production", "intermittent-loss", "connects-then-disconnects"],
        base: 0,
        when: &[("broker", "public", 80, "you use a public test broker")],
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
