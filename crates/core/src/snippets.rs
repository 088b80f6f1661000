//! The registry of every code snippet the app generates, and the one
//! mechanism by which they are pointed at a broker: [`Target`].
//!
//! A generator takes a `&Target` for everything that differs between the page
//! and a test: host, ports, the address listeners bind to, certificate,
//! password and ACL file paths. The app passes [`Target::display`]; the snippet
//! suite (`scripts/test.sh`, `tests/snippets/`) passes loopback ports and the
//! files it generates, then runs every case of every entry by its kind:
//! Python against paho-mqtt and a real mosquitto (or a fake broker), a
//! mosquitto.conf by starting mosquitto with it, Arduino code through
//! `g++ -fsyntax-only` against stub headers, shell through `bash -n`.
//!
//! Every generator is listed in [`REGISTRY`] with a grid of inputs; a test
//! fails when a module's `snippets` has a generator the registry does not
//! call (see the tests of [`crate::claims`]).

use crate::claims;
use crate::target::Target;
use serde::Serialize;

/// How the suite checks a snippet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Kind {
    /// A complete paho-mqtt 2.x program: compiled with warnings as errors and run.
    Python,
    /// One or two lines meant for an existing program (`client` exists):
    /// compiled with warnings as errors.
    PythonFragment,
    /// Started with mosquitto -c, which must stay up.
    MosquittoConf,
    /// g++ -fsyntax-only against the stub headers in tests/snippets/stubs.
    Arduino,
    /// bash -n.
    Shell,
    /// A systemd drop-in: parsed as an INI file.
    Systemd,
}

impl Kind {
    pub fn slug(self) -> &'static str {
        match self {
            Kind::Python => "python",
            Kind::PythonFragment => "python-fragment",
            Kind::MosquittoConf => "mosquitto-conf",
            Kind::Arduino => "arduino",
            Kind::Shell => "shell",
            Kind::Systemd => "systemd",
        }
    }
}

/// One snippet of an entry's grid, with what the suite needs to check it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    /// Which grid point: "defaults", "worked example", "extreme: …".
    pub name: String,
    pub kind: Kind,
    pub code: String,
    /// Facts the check needs (the limit configured, the code expected…).
    pub params: Vec<(&'static str, String)>,
}

impl Case {
    pub fn new(name: impl Into<String>, kind: Kind, code: String) -> Case {
        Case {
            name: name.into(),
            kind,
            code,
            params: Vec::new(),
        }
    }

    pub fn with(mut self, key: &'static str, value: impl ToString) -> Case {
        self.params.push((key, value.to_string()));
        self
    }
}

/// A snippet generator: where the page shows it, the claims it relies on,
/// and its grid of inputs.
#[derive(Clone, Copy)]
pub struct Entry {
    /// Stable id; the suite's behavioural checks are keyed by it.
    pub id: &'static str,
    pub widget: &'static str,
    pub claims: &'static [&'static str],
    pub cases: fn(&Target) -> Vec<Case>,
}

impl Entry {
    pub fn find(id: &str) -> Option<&'static Entry> {
        REGISTRY.iter().find(|e| e.id == id)
    }
}

/// Every generator, each with its grid.
pub const REGISTRY: &[Entry] = &[
    Entry {
        id: "capacity.mosquitto-conf",
        widget: "capacity",
        claims: &[
            "mosquitto-max-connections",
            "mosquitto-max-connections-2011",
            "paho-connect-fail-tls",
        ],
        cases: grids::capacity_conf,
    },
    Entry {
        id: "capacity.file-limit",
        widget: "capacity",
        claims: &[],
        cases: grids::capacity_file_limit,
    },
    Entry {
        id: "capacity.on-connect",
        widget: "capacity",
        claims: &[
            "paho-v311-connack",
            "paho-v311-rc1-downgrade",
            "paho-connect-fail-tls",
            "mosquitto-max-connections",
            "mosquitto-wrong-password",
            "paho-loop-ends",
        ],
        cases: grids::capacity_on_connect,
    },
    Entry {
        id: "capacity.monitor",
        widget: "capacity",
        claims: &[
            "mosquitto-sys-maximum",
            "mosquitto-sys-interval",
            "mosquitto-wrong-password",
            "paho-loop-ends",
        ],
        cases: grids::capacity_monitor,
    },
    Entry {
        id: "backoff.python",
        widget: "backoff",
        claims: &["paho-reconnect-delay", "paho-loop-return"],
        cases: grids::backoff,
    },
    Entry {
        id: "battery.python",
        widget: "battery",
        claims: &[
            "paho-loop-start-thread",
            "paho-network-loop",
            "paho-disconnect-writes",
            "paho-loop-ends",
            "paho-reconnect-delay",
        ],
        cases: grids::battery,
    },
    Entry {
        id: "broker-cost.mosquitto-conf",
        widget: "broker-cost",
        claims: &["mosquitto-comments", "mosquitto-wrong-password"],
        cases: grids::broker_cost_conf,
    },
    Entry {
        id: "broker-cost.client",
        widget: "broker-cost",
        claims: &["paho-no-tls-resumption", "cpython-tls-session"],
        cases: grids::broker_cost_client,
    },
    Entry {
        id: "qos.python",
        widget: "qos",
        claims: &["paho-resend-on-reconnect", "mosquitto-queue-qos0"],
        cases: grids::qos,
    },
    Entry {
        id: "tls-timeout.paho",
        widget: "tls-timeout",
        claims: &[
            "paho-tls-handshake-timeout",
            "paho-no-tls-resumption",
            "cpython-tls-session",
        ],
        cases: grids::tls_paho,
    },
    Entry {
        id: "tls-timeout.esp32",
        widget: "tls-timeout",
        claims: &[
            "esp32-handshake-timeout",
            "esp32-wificlient-settimeout",
            "esp32-secure-settimeout-noop",
            "esp32-settimeout-3x",
            "pubsubclient-socket-timeout",
            "pubsubclient-keepalive",
        ],
        cases: grids::tls_esp32,
    },
    Entry {
        id: "tls-timeout.esp8266",
        widget: "tls-timeout",
        claims: &[
            "esp8266-bearssl-timeouts",
            "esp8266-160mhz",
            "esp8266-session",
            "pubsubclient-socket-timeout",
            "pubsubclient-keepalive",
        ],
        cases: grids::tls_esp8266,
    },
    Entry {
        id: "reason-codes.paho",
        widget: "reason-codes",
        claims: &[
            "paho-v311-connack",
            "paho-v311-rc1-downgrade",
            "paho-reasoncode-names",
            "paho-pubrec-ignored",
            "paho-pubcomp-on-publish",
            "paho-pubrel-ignored",
            "paho-no-auth",
            "paho-enable-logger",
            "paho-reconnect-delay",
            "paho-loop-ends",
        ],
        cases: grids::reason_codes,
    },
    Entry {
        id: "debug.commands",
        widget: "debug",
        claims: &["paho-enable-logger", "mosquitto-sub-hex"],
        cases: grids::debug_commands,
    },
    Entry {
        id: "live.local-broker",
        widget: "live",
        claims: &[
            "mosquitto-anonymous-default",
            "mosquitto-websockets-alone",
            "mosquitto-websockets-bind",
        ],
        cases: grids::live_broker,
    },
];

/// A snippet's comment: `text`, a `plain` entry of a content file with its
/// `{{slots}}` filled, each line after `prefix` (`"# "`, `"  // "`). Its
/// claim markers, written at the ends of lines, are left out: code carries
/// no links, and the registry entry lists the claims for the snippet suite
/// (a test checks both).
pub fn comment(prefix: &str, text: &str) -> String {
    without_markers(text)
        .lines()
        .map(|l| format!("{prefix}{}\n", l.trim_end()))
        .collect()
}

/// A comment at the end of a line of code (after `  # `): `text` without
/// its claim markers.
pub fn trailing(text: &str) -> String {
    without_markers(text).trim_end().to_string()
}

/// A line of code with a comment after it, `text`'s further lines under
/// its first (`mark` is `#` or `//`), ending in a newline.
pub fn after(code: &str, mark: &str, text: &str) -> String {
    let indent = format!("{:width$}{mark} ", "", width = code.len() + 2);
    let lines = comment(&indent, text);
    format!("{code}  {mark} {}", &lines[indent.len()..])
}

/// `text` without its claim markers. It does not look the ids up (a
/// core test checks that each is in the claims table), so that a page with
/// snippets carries neither the table nor the lookup; and it looks for `[`
/// only, not for the string `[[` (which would link the substring searcher).
fn without_markers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(k) = rest.find('[') {
        let end = rest[k..]
            .strip_prefix("[[")
            .and_then(|r| r.find(']'))
            .filter(|&e| rest[k + 2 + e..].starts_with("]]"));
        match end {
            Some(e) => {
                out.push_str(&rest[..k]);
                rest = &rest[k + 2 + e + 2..];
            }
            None => {
                out.push_str(&rest[..=k]);
                rest = &rest[k + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every case of every entry, with its entry's id.
pub fn all_cases(t: &Target) -> Vec<(&'static Entry, Case)> {
    REGISTRY
        .iter()
        .flat_map(|e| (e.cases)(t).into_iter().map(move |c| (e, c)))
        .collect()
}

/// The claims of the table an entry relies on, all of which must exist.
pub fn entry_claims(e: &Entry) -> Vec<&'static claims::Claim> {
    e.claims.iter().filter_map(|id| claims::find(id)).collect()
}

/// The grids of inputs: defaults, the worked examples and the extremes of
/// every field, per generator.
mod grids {
    use super::{Case, Kind, Target};
    use crate::{
        backoff, battery, broker_cost, capacity, debug, live, qos, reason_codes, tls_timeout,
    };

    fn capacity_inputs() -> Vec<(&'static str, capacity::Inputs)> {
        let d = capacity::Inputs::default();
        vec![
            ("defaults (the chapter's worked example)", d),
            (
                "small fleet",
                capacity::Inputs {
                    devices: 1.0,
                    backend_services: 0.0,
                    monitoring_tools: 0.0,
                    ..d
                },
            ),
            (
                "extreme: no devices",
                capacity::Inputs {
                    devices: 0.0,
                    backend_services: 0.0,
                    monitoring_tools: 1.0,
                    ..d
                },
            ),
            (
                "extreme: largest fleet, alert at 10 %",
                capacity::Inputs {
                    devices: capacity::DEVICES.max,
                    backend_services: capacity::BACKEND.max,
                    monitoring_tools: capacity::MONITORING.max,
                    alert_pct: capacity::ALERT.min,
                    ..d
                },
            ),
            (
                "extreme: alert at 100 %",
                capacity::Inputs {
                    alert_pct: capacity::ALERT.max,
                    ..d
                },
            ),
        ]
    }

    fn capacity_outputs() -> Vec<(&'static str, capacity::Inputs, capacity::Outputs)> {
        capacity_inputs()
            .into_iter()
            .filter_map(|(n, i)| capacity::compute(&i).ok().map(|o| (n, i, o)))
            .collect()
    }

    pub fn capacity_conf(t: &Target) -> Vec<Case> {
        capacity_outputs()
            .into_iter()
            .map(|(n, _, o)| {
                Case::new(
                    n,
                    Kind::MosquittoConf,
                    capacity::snippets::mosquitto_conf(&o, t),
                )
                .with("max_connections", o.recommended_limit)
            })
            .collect()
    }

    pub fn capacity_file_limit(_: &Target) -> Vec<Case> {
        capacity_outputs()
            .into_iter()
            .flat_map(|(n, _, o)| {
                let (unit, shell) = capacity::snippets::file_limit(&o);
                [
                    Case::new(n, Kind::Systemd, unit).with("nofile", o.file_descriptors),
                    Case::new(n, Kind::Shell, shell).with("nofile", o.file_descriptors),
                ]
            })
            .collect()
    }

    pub fn capacity_on_connect(t: &Target) -> Vec<Case> {
        vec![Case::new(
            "the only one",
            Kind::Python,
            capacity::snippets::on_connect(t),
        )]
    }

    pub fn capacity_monitor(t: &Target) -> Vec<Case> {
        capacity_outputs()
            .into_iter()
            .map(|(n, i, o)| {
                Case::new(
                    n,
                    Kind::Python,
                    capacity::snippets::monitor(&o, i.alert_pct, t),
                )
                .with("limit", o.recommended_limit)
            })
            .collect()
    }

    pub fn backoff(t: &Target) -> Vec<Case> {
        let d = backoff::Policy::default();
        let mut out = Vec::new();
        for j in backoff::Jitter::ALL {
            for (n, p) in [
                ("defaults", d),
                (
                    "extreme: smallest base, factor 1",
                    backoff::Policy {
                        base_s: backoff::BASE.min,
                        factor: backoff::FACTOR.min,
                        cap_s: backoff::BASE.min,
                        ..d
                    },
                ),
                (
                    "extreme: largest values",
                    backoff::Policy {
                        base_s: backoff::BASE.max,
                        factor: backoff::FACTOR.max,
                        cap_s: backoff::CAP.max,
                        ..d
                    },
                ),
            ] {
                let p = backoff::Policy { jitter: j, ..p };
                if p.validate().is_ok() {
                    out.push(
                        Case::new(
                            format!("{} jitter, {n}", j.slug()),
                            Kind::Python,
                            backoff::snippets::python(&p, t),
                        )
                        .with("builtin", p.is_paho_builtin())
                        .with("base_s", crate::format::plain(p.base_s)),
                    );
                }
            }
        }
        out
    }

    pub fn battery(t: &Target) -> Vec<Case> {
        battery::STRATEGY
            .options
            .iter()
            .map(|(slug, _)| {
                Case::new(*slug, Kind::Python, battery::snippets::python(slug, t))
                    .with("strategy", slug)
            })
            .collect()
    }

    pub fn broker_cost_conf(t: &Target) -> Vec<Case> {
        vec![Case::new(
            "the only one",
            Kind::MosquittoConf,
            broker_cost::snippets::mosquitto_conf(t),
        )]
    }

    pub fn broker_cost_client(t: &Target) -> Vec<Case> {
        vec![Case::new(
            "the only one",
            Kind::Python,
            broker_cost::snippets::paho_client(t),
        )]
    }

    pub fn qos(t: &Target) -> Vec<Case> {
        let mut out = Vec::new();
        for pub_qos in 0..=2u8 {
            for sub_qos in 0..=2u8 {
                for persistent in [true, false] {
                    let i = qos::Inputs {
                        pub_qos,
                        sub_qos,
                        persistent,
                        ..qos::Inputs::default()
                    };
                    out.push(
                        Case::new(
                            format!(
                                "pub {pub_qos}, sub {sub_qos}, {}",
                                if persistent { "persistent" } else { "clean" }
                            ),
                            Kind::Python,
                            qos::snippets::python(&i, t),
                        )
                        .with("qos", pub_qos.max(sub_qos)),
                    );
                }
            }
        }
        out
    }

    fn tls_inputs() -> Vec<(String, tls_timeout::Inputs)> {
        let d = tls_timeout::Inputs::default();
        let mut out: Vec<(String, tls_timeout::Inputs)> = tls_timeout::PROFILES
            .iter()
            .map(|p| {
                (
                    format!("{} defaults", p.slug),
                    tls_timeout::Inputs { device: p, ..d },
                )
            })
            .collect();
        out.push((
            "worked example: ESP8266 80 MHz, 500 ms, 2 s load".into(),
            tls_timeout::Inputs {
                device: tls_timeout::profile("esp8266-80"),
                rtt_ms: 500.0,
                load_ms: 2000.0,
                ..d
            },
        ));
        out.push(("resumed".into(), tls_timeout::Inputs { resume: true, ..d }));
        out.push((
            "extreme: every maximum".into(),
            tls_timeout::Inputs {
                device: tls_timeout::profile("custom"),
                rtt_ms: tls_timeout::RTT.max,
                wifi_ms: tls_timeout::WIFI.max,
                load_ms: tls_timeout::LOAD.max,
                safety: tls_timeout::SAFETY.max,
                crypto_ms: tls_timeout::CRYPTO.max,
                ..d
            },
        ));
        out.push((
            "extreme: every minimum".into(),
            tls_timeout::Inputs {
                device: tls_timeout::profile("custom"),
                rtt_ms: 0.0,
                wifi_ms: 0.0,
                load_ms: 0.0,
                safety: 1.0,
                crypto_ms: 0.0,
                dns_lookup: false,
                tls13: true,
                ..d
            },
        ));
        out
    }

    pub fn tls_paho(t: &Target) -> Vec<Case> {
        tls_inputs()
            .into_iter()
            .filter_map(|(n, i)| tls_timeout::compute(&i).ok().map(|o| (n, i, o)))
            .map(|(n, i, o)| {
                Case::new(n, Kind::Python, tls_timeout::snippets::paho(&i, &o, t))
                    .with("timeout_s", o.recommended_timeout_s)
                    .with("keepalive_s", o.keepalive_s)
            })
            .collect()
    }

    pub fn tls_esp32(t: &Target) -> Vec<Case> {
        tls_inputs()
            .into_iter()
            .filter_map(|(n, i)| tls_timeout::compute(&i).ok().map(|o| (n, o)))
            .map(|(n, o)| {
                Case::new(n, Kind::Arduino, tls_timeout::snippets::esp32(&o, t))
                    .with("timeout_s", o.recommended_timeout_s)
                    .with("keepalive_s", o.keepalive_s)
            })
            .collect()
    }

    pub fn tls_esp8266(t: &Target) -> Vec<Case> {
        tls_inputs()
            .into_iter()
            .filter_map(|(n, i)| tls_timeout::compute(&i).ok().map(|o| (n, o)))
            .map(|(n, o)| {
                Case::new(n, Kind::Arduino, tls_timeout::snippets::esp8266(&o, t))
                    .with("timeout_s", o.recommended_timeout_s)
                    .with("keepalive_s", o.keepalive_s)
            })
            .collect()
    }

    pub fn reason_codes(t: &Target) -> Vec<Case> {
        use crate::protocol::Protocol;
        use reason_codes::table;
        let mut out = Vec::new();
        for v in [Protocol::V311, Protocol::V5] {
            for c in table(v) {
                for p in c.packets() {
                    let s = reason_codes::snippets::paho(v, c, Some(p), t);
                    out.push(
                        Case::new(
                            format!("{} {} in {}", v.label(), c.hex(), p.name()),
                            Kind::Python,
                            s,
                        )
                        .with("version", v.slug())
                        .with("code", c.value)
                        .with("packet", p.name().to_ascii_lowercase())
                        .with("paho_code", reason_codes::snippets::paho_value(v, c, p)),
                    );
                }
            }
        }
        out
    }

    pub fn debug_commands(_: &Target) -> Vec<Case> {
        debug::STEPS
            .iter()
            .map(|s| {
                let kind = if s.command.starts_with("client.") || s.command.starts_with("import ") {
                    Kind::PythonFragment
                } else {
                    Kind::Shell
                };
                Case::new(s.slug, kind, s.code())
            })
            .collect()
    }

    pub fn live_broker(t: &Target) -> Vec<Case> {
        vec![Case::new(
            "the only one",
            Kind::MosquittoConf,
            live::snippets::local_broker(t),
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_leave_claim_markers_out() {
        assert_eq!(
            comment(
                "# ",
                "paho does this [[paho-loop-ends]]\nand [that] a[0]. [[mosquitto-takeover]]"
            ),
            "# paho does this\n# and [that] a[0].\n"
        );
        assert_eq!(trailing("x [[paho-loop-ends]]"), "x");
        assert_eq!(trailing("[[a] [b]] [["), "[[a] [b]] [[");
    }
}
