//! How long a (constrained) device takes to connect to a broker over TLS, and
//! the connect timeout and keepalive to configure.
//!
//! Model: a connection is a sequence of phases: Wi-Fi (re)association, DNS
//! (1 round trip unless cached), TCP handshake (1 RTT), TLS handshake (round
//! trips: TLS 1.2 full 2, TLS 1.3 full 1, resumption 1; plus the device's
//! crypto time), MQTT CONNECT/CONNACK (1 RTT), and the broker's delay under load.
//! Expected case: the values as given, the device's typical crypto time and
//! half the broker delay. Worst case: round trips and Wi-Fi doubled (a lost
//! segment costs at least one more round trip), the slowest published crypto
//! time, and the full broker delay. Timeout = worst case × safety factor,
//! rounded up to whole seconds.

use crate::fields::{check_all, ChoiceSpec, FieldError, NumberSpec};
use serde::Serialize;

/// A device's TLS crypto time for a full handshake, with where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Profile {
    pub slug: &'static str,
    pub label: &'static str,
    /// Typical and slowest full-handshake crypto time on the device (ms).
    pub crypto_ms: (f64, f64),
    /// The chapter's figure, when it gives one.
    pub chapter_ms: Option<f64>,
    /// Where the figures come from.
    pub source: &'static str,
}

/// Resumption skips the key exchange and certificate checks. The esp8266
/// Arduino core's maintainer measured reconnections about 80 % faster with
/// BearSSL sessions (esp8266/Arduino issue 5110, PR 5160): resumed crypto is
/// taken as 20 % of a full handshake's. (The chapter says 40–60 % faster.)
pub const RESUMED_CRYPTO_FRACTION: f64 = 0.2;

pub const PROFILES: &[Profile] = &[
    Profile {
        slug: "esp32",
        label: "ESP32, 240 MHz (mbedTLS)",
        crypto_ms: (1200.0, 2500.0),
        chapter_ms: Some(800.0),
        source: crate::content::tls_timeout::SOURCE_ESP32,
    },
    Profile {
        slug: "esp8266-160",
        label: "ESP8266, 160 MHz (BearSSL)",
        crypto_ms: (2000.0, 5000.0),
        chapter_ms: None,
        source: crate::content::tls_timeout::SOURCE_ESP8266_160,
    },
    Profile {
        slug: "esp8266-80",
        label: "ESP8266, 80 MHz (BearSSL)",
        crypto_ms: (3500.0, 10000.0),
        chapter_ms: Some(3500.0),
        source: crate::content::tls_timeout::SOURCE_ESP8266_80,
    },
    Profile {
        slug: "rpi",
        label: "Raspberry Pi class (Linux, OpenSSL)",
        crypto_ms: (30.0, 100.0),
        chapter_ms: None,
        source: crate::content::tls_timeout::SOURCE_RPI,
    },
    Profile {
        slug: "desktop",
        label: "Desktop or server",
        crypto_ms: (5.0, 20.0),
        chapter_ms: None,
        source: crate::content::tls_timeout::SOURCE_DESKTOP,
    },
    Profile {
        slug: "custom",
        label: "Custom (your measurement)",
        crypto_ms: (0.0, 0.0),
        chapter_ms: None,
        source: crate::content::tls_timeout::SOURCE_CUSTOM,
    },
];

pub const DEVICE: ChoiceSpec = ChoiceSpec {
    key: "device",
    label: "Device",
    options: &[
        ("esp32", "ESP32, 240 MHz"),
        ("esp8266-160", "ESP8266, 160 MHz"),
        ("esp8266-80", "ESP8266, 80 MHz"),
        ("rpi", "Raspberry Pi class"),
        ("desktop", "Desktop or server"),
        ("custom", "Custom"),
    ],
    default: "esp32",
};
pub const TLS: ChoiceSpec = ChoiceSpec {
    key: "tls",
    label: "TLS version",
    options: &[("1.2", "TLS 1.2"), ("1.3", "TLS 1.3")],
    default: "1.2",
};
pub const KEX: ChoiceSpec = ChoiceSpec {
    key: "kex",
    label: "Certificates and key exchange",
    options: &[("p256", "ECDHE, P-256"), ("rsa2048", "RSA-2048")],
    default: "p256",
};
pub const RESUME: ChoiceSpec = ChoiceSpec {
    key: "resume",
    label: "Session resumption",
    options: &[("0", "Full handshake"), ("1", "Resumed session")],
    default: "0",
};
pub const DNS: ChoiceSpec = ChoiceSpec {
    key: "dns",
    label: "DNS lookup",
    options: &[("1", "Looked up"), ("0", "Cached")],
    default: "1",
};
pub const RTT: NumberSpec = NumberSpec {
    key: "rtt_ms",
    label: "Network round trip",
    unit: "ms",
    min: 0.0,
    max: 10_000.0,
    step: 10.0,
    slider_max: 1000.0,
    integer: false,
    default: 100.0,
};
pub const WIFI: NumberSpec = NumberSpec {
    key: "wifi_ms",
    label: "Wi-Fi (re)association",
    unit: "ms",
    min: 0.0,
    max: 60_000.0,
    step: 100.0,
    slider_max: 10_000.0,
    integer: false,
    default: 0.0,
};
pub const LOAD: NumberSpec = NumberSpec {
    key: "load_ms",
    label: "Broker delay under load",
    unit: "ms",
    min: 0.0,
    max: 60_000.0,
    step: 100.0,
    slider_max: 5000.0,
    integer: false,
    default: 0.0,
};
pub const SAFETY: NumberSpec = NumberSpec {
    key: "safety",
    label: "Safety factor",
    unit: "×",
    min: 1.0,
    max: 20.0,
    step: 0.5,
    slider_max: 10.0,
    integer: false,
    default: 2.0,
};
pub const CRYPTO: NumberSpec = NumberSpec {
    key: "crypto_ms",
    label: "Crypto time, custom device",
    unit: "ms",
    min: 0.0,
    max: 120_000.0,
    step: 50.0,
    slider_max: 10_000.0,
    integer: false,
    default: 1000.0,
};

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Inputs {
    pub device: &'static Profile,
    pub tls13: bool,
    pub rsa2048: bool,
    pub resume: bool,
    pub dns_lookup: bool,
    pub rtt_ms: f64,
    pub wifi_ms: f64,
    pub load_ms: f64,
    pub safety: f64,
    pub crypto_ms: f64,
}

pub fn profile(slug: &str) -> &'static Profile {
    PROFILES
        .iter()
        .find(|p| p.slug == slug)
        .unwrap_or(&PROFILES[0])
}

impl Default for Inputs {
    fn default() -> Self {
        Self {
            device: &PROFILES[0],
            tls13: false,
            rsa2048: false,
            resume: false,
            dns_lookup: true,
            rtt_ms: RTT.default,
            wifi_ms: WIFI.default,
            load_ms: LOAD.default,
            safety: SAFETY.default,
            crypto_ms: CRYPTO.default,
        }
    }
}

/// The phases, in order.
pub const PHASES: [&str; 6] = [
    "Wi-Fi",
    "DNS",
    "TCP",
    "TLS handshake",
    "MQTT CONNECT",
    "Broker load",
];

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Outputs {
    /// Milliseconds per phase, in [`PHASES`] order.
    pub expected_phases_ms: [f64; 6],
    pub worst_phases_ms: [f64; 6],
    pub connect_ms: f64,
    pub worst_case_ms: f64,
    pub recommended_timeout_s: u64,
    pub keepalive_s: u64,
    /// TLS round trips used.
    pub tls_round_trips: u32,
}

impl Inputs {
    pub fn validate(&self) -> Result<(), FieldError> {
        check_all(
            &[RTT, WIFI, LOAD, SAFETY, CRYPTO],
            &[
                self.rtt_ms,
                self.wifi_ms,
                self.load_ms,
                self.safety,
                self.crypto_ms,
            ],
        )
    }

    /// (typical, slowest) full-handshake crypto time.
    fn full_crypto_ms(&self) -> (f64, f64) {
        if self.device.slug == "custom" {
            (self.crypto_ms, self.crypto_ms * 2.0)
        } else {
            self.device.crypto_ms
        }
    }

    /// TLS round trips: 1.2 full 2; 1.3 full 1; resumed 1 (RFC 5246 §7.3, RFC 8446 §2).
    pub fn tls_round_trips(&self) -> u32 {
        if self.tls13 || self.resume {
            1
        } else {
            2
        }
    }
}

pub fn compute(i: &Inputs) -> Result<Outputs, FieldError> {
    i.validate()?;
    let (typical, slowest) = i.full_crypto_ms();
    let crypto_factor = if i.resume {
        RESUMED_CRYPTO_FRACTION
    } else {
        1.0
    };
    let rtts = f64::from(i.tls_round_trips());
    let dns = if i.dns_lookup { 1.0 } else { 0.0 };
    let phases = |rtt: f64, wifi: f64, crypto: f64, load: f64| {
        [
            wifi,
            dns * rtt,
            rtt,
            rtts * rtt + crypto * crypto_factor,
            rtt,
            load,
        ]
    };
    let expected = phases(i.rtt_ms, i.wifi_ms, typical, i.load_ms / 2.0);
    let worst = phases(i.rtt_ms * 2.0, i.wifi_ms * 2.0, slowest, i.load_ms);
    let connect_ms: f64 = expected.iter().sum();
    let worst_case_ms: f64 = worst.iter().sum();
    let timeout_s = (worst_case_ms * i.safety / 1000.0).ceil().max(1.0) as u64;
    Ok(Outputs {
        expected_phases_ms: expected,
        worst_phases_ms: worst,
        connect_ms,
        worst_case_ms,
        recommended_timeout_s: timeout_s,
        // paho-mqtt 2.0 and 2.1 use the keepalive as the socket timeout of the
        // TLS handshake (client.py, _ssl_wrap_socket: settimeout(self._keepalive);
        // 2.2 uses connect_timeout), and 60 s is paho's default keepalive:
        // never below the timeout.
        keepalive_s: timeout_s.max(60),
        tls_round_trips: i.tls_round_trips(),
    })
}

/// The unit of a timeout argument, per library, version and class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Unit {
    Seconds,
    Milliseconds,
    /// The call does nothing.
    Ignored,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TimeoutUnit {
    pub library: &'static str,
    pub version: &'static str,
    pub class: &'static str,
    pub method: &'static str,
    pub unit: Unit,
    /// The claim in [`crate::claims`] that sources it.
    pub claim: &'static str,
}

/// Every timeout setter the app's Arduino code calls or discusses.
pub const TIMEOUT_UNITS: &[TimeoutUnit] = &[
    TimeoutUnit {
        library: "arduino-esp32",
        version: "1.0.5 and later",
        class: "WiFiClientSecure",
        method: "setHandshakeTimeout",
        unit: Unit::Seconds,
        claim: "esp32-handshake-timeout",
    },
    TimeoutUnit {
        library: "arduino-esp32",
        version: "1.x, 2.x",
        class: "WiFiClient",
        method: "setTimeout",
        unit: Unit::Seconds,
        claim: "esp32-wificlient-settimeout",
    },
    TimeoutUnit {
        library: "arduino-esp32",
        version: "1.x, 2.x before PR 6562",
        class: "WiFiClientSecure",
        method: "setTimeout",
        unit: Unit::Ignored,
        claim: "esp32-secure-settimeout-noop",
    },
    TimeoutUnit {
        library: "arduino-esp32",
        version: "2.x after PR 6562",
        class: "WiFiClientSecure",
        method: "setTimeout",
        unit: Unit::Seconds,
        claim: "esp32-secure-settimeout-noop",
    },
    TimeoutUnit {
        library: "arduino-esp32",
        version: "3.x",
        class: "WiFiClientSecure",
        method: "setTimeout",
        unit: Unit::Milliseconds,
        claim: "esp32-settimeout-3x",
    },
    TimeoutUnit {
        library: "esp8266 core",
        version: "2.6.0 to 3.1.2",
        class: "BearSSL::WiFiClientSecure",
        method: "setTimeout",
        unit: Unit::Milliseconds,
        claim: "esp8266-bearssl-timeouts",
    },
    TimeoutUnit {
        library: "PubSubClient",
        version: "2.8",
        class: "PubSubClient",
        method: "setSocketTimeout",
        unit: Unit::Seconds,
        claim: "pubsubclient-socket-timeout",
    },
    TimeoutUnit {
        library: "PubSubClient",
        version: "2.8",
        class: "PubSubClient",
        method: "setKeepAlive",
        unit: Unit::Seconds,
        claim: "pubsubclient-keepalive",
    },
];

/// BearSSL's fixed handshake timeout in the esp8266 core (2.6.0 to 3.1.2,
/// from PR 6449; 2.5.2's handshake has none: claim esp8266-bearssl-timeouts).
pub const ESP8266_HANDSHAKE_MS: u64 = 15_000;

pub mod snippets {
    use super::{Inputs, Outputs, ESP8266_HANDSHAKE_MS};
    use crate::claims::content::fill;
    use crate::content::tls_timeout as text;
    use crate::snippets::{comment, trailing};
    use crate::target::Target;

    /// The comments of the three snippets are `content/tls-timeout.md`'s.
    pub fn paho(i: &Inputs, o: &Outputs, t: &Target) -> String {
        let worst = crate::format::fixed(o.worst_case_ms / 1000.0, 1);
        let resumed = if i.resume {
            format!("\n{}", text::PAHO_RESUMED_NOTE)
        } else {
            String::new()
        };
        format!(
            "import ssl\n\
             import paho.mqtt.client as mqtt\n\
             \n\
             def on_connect(client, userdata, flags, reason_code, properties):\n\
             \x20   print(f\"on_connect: {{reason_code}}\")\n\
             \n\
             context = ssl.create_default_context(cafile=\"{ca}\")\n\
             client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=\"gateway-01\")\n\
             client.on_connect = on_connect\n\
             client.tls_set_context(context)\n\
             {connect_timeout}\
             client.connect_timeout = {timeout}\n\
             {keepalive_note}\
             client.connect(\"{host}\", {port}, keepalive={keepalive})\n\
             client.loop_forever()\n",
            connect_timeout = comment("# ", text::PAHO_CONNECT_TIMEOUT),
            keepalive_note = comment(
                "# ",
                &fill(
                    text::PAHO_KEEPALIVE,
                    &[("worst_s", &worst), ("resumed", &resumed)]
                )
            ),
            ca = t.ca_file,
            host = t.host,
            port = t.tls_port,
            timeout = o.recommended_timeout_s,
            keepalive = o.keepalive_s,
        )
    }

    /// The sketch's CA certificate, a placeholder the learner replaces.
    const ROOT_CA: &str = "const char* root_ca =\n\
         \x20 \"-----BEGIN CERTIFICATE-----\\n\"\n\
         \x20 \"(your CA certificate, PEM)\\n\"\n\
         \x20 \"-----END CERTIFICATE-----\\n\";\n";

    fn arduino_loop() -> &'static str {
        "\n\
         void loop() {\n\
         \x20 if (!mqtt.connected()) {\n\
         \x20   mqtt.connect(\"sensor-0042\");\n\
         \x20 }\n\
         \x20 mqtt.loop();\n\
         }\n"
    }

    /// PubSubClient's two timeouts, in seconds: the same lines in both sketches.
    fn pubsubclient(o: &Outputs, t: &Target) -> String {
        format!(
            "\x20 mqtt.setServer(\"{host}\", {port});\n\
             \x20 mqtt.setSocketTimeout({timeout});  // {socket}\n\
             \x20 mqtt.setKeepAlive({keepalive});  // {keepalive_unit}\n",
            socket = trailing(text::PUBSUBCLIENT_SOCKET_TIMEOUT),
            keepalive_unit = trailing(text::PUBSUBCLIENT_KEEPALIVE),
            timeout = o.recommended_timeout_s,
            keepalive = o.keepalive_s,
            host = t.host,
            port = t.tls_port,
        )
    }

    /// arduino-esp32 with the chapter's class, WiFiClientSecure.
    pub fn esp32(o: &Outputs, t: &Target) -> String {
        format!(
            "#include <WiFi.h>\n\
             #include <WiFiClientSecure.h>\n\
             #include <PubSubClient.h>\n\
             \n\
             {ROOT_CA}\
             WiFiClientSecure net;\n\
             PubSubClient mqtt(net);\n\
             \n\
             void setup() {{\n\
             \x20 net.setCACert(root_ca);\n\
             \x20 net.setHandshakeTimeout({timeout});  // {handshake}\n\
             {not_set_timeout}\
             {pubsubclient}\
             }}\n\
             {loop}",
            handshake = trailing(text::ESP32_HANDSHAKE_TIMEOUT),
            not_set_timeout = comment("  // ", text::ESP32_NOT_SET_TIMEOUT),
            pubsubclient = pubsubclient(o, t),
            timeout = o.recommended_timeout_s,
            loop = arduino_loop(),
        )
    }

    /// The esp8266 core's BearSSL client, which has no configurable handshake timeout.
    pub fn esp8266(o: &Outputs, t: &Target) -> String {
        let worst = crate::format::fixed(o.worst_case_ms / 1000.0, 1);
        let fits = if o.worst_case_ms <= ESP8266_HANDSHAKE_MS as f64 {
            text::ESP8266_FITS
        } else {
            text::ESP8266_DOES_NOT_FIT
        };
        format!(
            "#include <ESP8266WiFi.h>\n\
             #include <PubSubClient.h>\n\
             \n\
             {ROOT_CA}\
             BearSSL::WiFiClientSecure net;\n\
             BearSSL::Session session;  // {session}\n\
             BearSSL::X509List ca(root_ca);\n\
             PubSubClient mqtt(net);\n\
             \n\
             void setup() {{\n\
             {mhz}\
             \x20 net.setTrustAnchors(&ca);\n\
             \x20 net.setSession(&session);\n\
             {no_timeout}\
             {fits}\
             {pubsubclient}\
             }}\n\
             {loop}",
            session = trailing(text::ESP8266_SESSION),
            mhz = comment("  // ", text::ESP8266_160MHZ),
            no_timeout = comment(
                "  // ",
                &fill(
                    text::ESP8266_NO_TIMEOUT,
                    &[("handshake_s", &(ESP8266_HANDSHAKE_MS / 1000).to_string())]
                )
            ),
            fits = comment("  // ", &fill(fits, &[("worst_s", &worst)])),
            pubsubclient = pubsubclient(o, t),
            loop = arduino_loop(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn esp8266_80() -> Inputs {
        Inputs {
            device: profile("esp8266-80"),
            ..Inputs::default()
        }
    }

    #[test]
    fn esp32_defaults_by_hand() {
        // TLS 1.2 full: 2 RTT; 100 ms RTT; DNS + TCP + TLS + MQTT = 5 RTT; crypto 1.2 s.
        let o = compute(&Inputs::default()).unwrap();
        assert_eq!(o.connect_ms, 500.0 + 1200.0);
        // Worst: 5 × 200 ms + 2.5 s = 3.5 s; × 2 = 7 s.
        assert_eq!(o.worst_case_ms, 3500.0);
        assert_eq!(o.recommended_timeout_s, 7);
        assert_eq!(o.keepalive_s, 60);
        assert_eq!(
            o.expected_phases_ms,
            [0.0, 100.0, 100.0, 1400.0, 100.0, 0.0]
        );
    }

    #[test]
    fn chapter_worst_case_of_six_seconds_holds() {
        // ESP8266 with 500 ms latency and 2 s broker load: at least the chapter's 6 s.
        let i = Inputs {
            rtt_ms: 500.0,
            load_ms: 2000.0,
            ..esp8266_80()
        };
        let o = compute(&i).unwrap();
        assert!(o.worst_case_ms >= 6000.0, "{}", o.worst_case_ms);
        // 5 RTT × 1 s + 10 s crypto + 2 s load = 17 s; × 2 → 34 s.
        assert_eq!(o.worst_case_ms, 17_000.0);
        assert_eq!(o.recommended_timeout_s, 34);
    }

    #[test]
    fn tls13_and_resumption_save_round_trips_and_crypto() {
        let base = Inputs::default();
        let full = compute(&base).unwrap();
        let t13 = compute(&Inputs {
            tls13: true,
            ..base
        })
        .unwrap();
        assert_eq!(full.connect_ms - t13.connect_ms, 100.0); // one RTT fewer
        let resumed = compute(&Inputs {
            resume: true,
            ..base
        })
        .unwrap();
        // One RTT fewer and 80 % of 1.2 s of crypto saved.
        assert!((full.connect_ms - resumed.connect_ms - 100.0 - 960.0).abs() < 1e-9);
        assert_eq!(resumed.tls_round_trips, 1);
    }

    #[test]
    fn custom_device_uses_its_crypto_time() {
        let i = Inputs {
            device: profile("custom"),
            crypto_ms: 400.0,
            dns_lookup: false,
            rtt_ms: 50.0,
            ..Inputs::default()
        };
        let o = compute(&i).unwrap();
        assert_eq!(o.connect_ms, 4.0 * 50.0 + 400.0);
        assert_eq!(o.worst_case_ms, 4.0 * 100.0 + 800.0);
    }

    /// Every `object.method(N);  // unit` call of the Arduino snippets,
    /// checked against [`TIMEOUT_UNITS`]: the class of the object from its
    /// declaration, the unit in the comment, and N from the model.
    #[test]
    fn arduino_timeout_arguments_have_the_units_of_the_table() {
        let t = crate::target::Target::display();
        for (n, i) in [Inputs::default(), esp8266_80()].into_iter().enumerate() {
            let o = compute(&i).unwrap();
            for code in [snippets::esp32(&o, &t), snippets::esp8266(&o, &t)] {
                let mut checked = 0;
                for line in code.lines() {
                    let Some((call, comment)) = line.trim().split_once(";  // ") else {
                        continue;
                    };
                    let Some((object, rest)) = call.split_once('.') else {
                        continue;
                    };
                    let Some((method, arg)) = rest.split_once('(') else {
                        continue;
                    };
                    if !method.ends_with("Timeout") && method != "setKeepAlive" {
                        continue;
                    }
                    let class = code
                        .lines()
                        .find_map(|l| {
                            l.strip_suffix(&format!(" {object};"))
                                .or_else(|| l.split_once(&format!(" {object}(")).map(|(c, _)| c))
                        })
                        .unwrap_or_else(|| panic!("no declaration of {object}"));
                    let row = TIMEOUT_UNITS
                        .iter()
                        .find(|r| r.class == class && r.method == method && r.unit != Unit::Ignored)
                        .unwrap_or_else(|| panic!("{class}::{method} is not in TIMEOUT_UNITS"));
                    assert!(crate::claims::find(row.claim).is_some(), "{}", row.claim);
                    let value: u64 = arg.trim_end_matches(')').parse().unwrap();
                    match row.unit {
                        Unit::Seconds => {
                            assert!(comment.starts_with("seconds"), "{line}");
                            let expected = if method == "setKeepAlive" {
                                o.keepalive_s
                            } else {
                                o.recommended_timeout_s
                            };
                            assert_eq!(value, expected, "case {n}: {line}");
                        }
                        Unit::Milliseconds => {
                            assert!(comment.starts_with("milliseconds"), "{line}");
                            assert_eq!(value, o.recommended_timeout_s * 1000, "{line}");
                        }
                        Unit::Ignored => unreachable!(),
                    }
                    checked += 1;
                }
                assert!(checked >= 2, "{code}");
                // No call whose unit differs between versions of the class.
                assert!(
                    !code
                        .lines()
                        .any(|l| l.trim_start().starts_with("net.setTimeout(")),
                    "{code}"
                );
            }
        }
    }

    #[test]
    fn esp8266_snippet_says_whether_the_fixed_handshake_timeout_fits() {
        let t = crate::target::Target::display();
        let fits = compute(&Inputs::default()).unwrap();
        assert!(snippets::esp8266(&fits, &t).contains("The worst case here, 3.5 s, fits."));
        let slow = compute(&Inputs {
            rtt_ms: 500.0,
            load_ms: 2000.0,
            ..esp8266_80()
        })
        .unwrap();
        assert!(snippets::esp8266(&slow, &t).contains("The worst case here, 17.0 s, does not"));
    }

    #[test]
    fn paho_snippet_sets_the_timeout_in_seconds_for_both_paho_versions() {
        let o = compute(&esp8266_80()).unwrap();
        let s = snippets::paho(&esp8266_80(), &o, &crate::target::Target::display());
        assert!(s.contains(&format!(
            "client.connect_timeout = {}\n",
            o.recommended_timeout_s
        )));
        assert!(s.contains(&format!("keepalive={})", o.keepalive_s)));
        assert!(s.contains("paho-mqtt 2.2") && s.contains("2.0 and 2.1"));
    }

    fn any_inputs() -> impl Strategy<Value = Inputs> {
        (
            0usize..PROFILES.len(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            0.0..5000.0f64,
            0.0..20000.0f64,
            0.0..20000.0f64,
            1.0..10.0f64,
            0.0..60000.0f64,
        )
            .prop_map(
                |(
                    d,
                    tls13,
                    rsa2048,
                    resume,
                    dns_lookup,
                    rtt_ms,
                    wifi_ms,
                    load_ms,
                    safety,
                    crypto_ms,
                )| Inputs {
                    device: &PROFILES[d],
                    tls13,
                    rsa2048,
                    resume,
                    dns_lookup,
                    rtt_ms,
                    wifi_ms,
                    load_ms,
                    safety,
                    crypto_ms,
                },
            )
    }

    proptest! {
        #[test]
        fn monotone_and_safe(i in any_inputs(), extra in 1.0..1000.0f64) {
            let o = compute(&i).unwrap();
            // Every added delay raises the total.
            for bumped in [
                Inputs { rtt_ms: i.rtt_ms + extra, ..i },
                Inputs { wifi_ms: i.wifi_ms + extra, ..i },
                Inputs { load_ms: i.load_ms + extra, ..i },
            ] {
                let b = compute(&bumped).unwrap();
                prop_assert!(b.connect_ms > o.connect_ms && b.worst_case_ms > o.worst_case_ms);
            }
            // TLS 1.3 is never slower than 1.2; resumption never slower than full.
            let t13 = compute(&Inputs { tls13: true, ..i }).unwrap();
            let t12 = compute(&Inputs { tls13: false, ..i }).unwrap();
            prop_assert!(t13.connect_ms <= t12.connect_ms && t13.worst_case_ms <= t12.worst_case_ms);
            let res = compute(&Inputs { resume: true, ..i }).unwrap();
            let full = compute(&Inputs { resume: false, ..i }).unwrap();
            prop_assert!(res.connect_ms <= full.connect_ms && res.worst_case_ms <= full.worst_case_ms);
            // The timeout is never below the worst case.
            prop_assert!(o.recommended_timeout_s as f64 * 1000.0 >= o.worst_case_ms);
            prop_assert!(o.keepalive_s >= o.recommended_timeout_s);
        }

        #[test]
        fn bad_values_are_refused(rtt in any::<f64>(), safety in any::<f64>()) {
            let i = Inputs { rtt_ms: rtt, safety, ..Inputs::default() };
            match compute(&i) {
                Ok(o) => prop_assert!(o.worst_case_ms.is_finite()),
                Err(e) => prop_assert!(["rtt_ms", "safety"].contains(&e.key)),
            }
        }
    }
}
