//! Checks for the live broker connection: the WebSocket URL, and the
//! security warnings the chapter's lesson calls for.

use crate::claims::content::fill;
use crate::content::live as text;
use crate::fields::ChoiceSpec;
use crate::format::number;
use crate::mqtt::client::Limits;
use crate::mqtt::Protocol;

pub const VERSION: ChoiceSpec = ChoiceSpec {
    key: "v",
    label: "MQTT version",
    options: &[("5", "5.0"), ("3", "3.1.1")],
    default: "5",
};
pub const QOS: ChoiceSpec = ChoiceSpec {
    key: "qos",
    label: "QoS",
    options: &[("0", "0"), ("1", "1"), ("2", "2")],
    default: "1",
};

/// The QoS of a message published from the page: its own choice, beside
/// the publish box (issue 21: one QoS and one topic served both forms).
/// Not in the address; it starts at the subscription's [`QOS`].
pub const PUBLISH_QOS: ChoiceSpec = ChoiceSpec {
    key: "publish_qos",
    label: "Publish QoS",
    ..QOS
};

pub const KEEPALIVE: crate::fields::NumberSpec = crate::fields::NumberSpec {
    key: "keepalive",
    label: "Keepalive",
    unit: "s",
    min: 5.0,
    max: 65_535.0,
    step: 5.0,
    slider_max: 300.0,
    integer: true,
    default: 30.0,
};
pub const ROUND_TRIP: crate::fields::NumberSpec = crate::fields::NumberSpec {
    key: "n",
    label: "Messages in the round-trip test",
    unit: "",
    min: 1.0,
    max: 10_000.0,
    step: 10.0,
    slider_max: 1000.0,
    integer: true,
    default: 100.0,
};

/// Well-known public test brokers: anyone can subscribe to `#` there.
pub const PUBLIC_BROKERS: [&str; 6] = [
    "test.mosquitto.org",
    "broker.hivemq.com",
    "broker.emqx.io",
    "mqtt.eclipseprojects.io",
    "public.mqtthq.com",
    "broker.mqttdashboard.com",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WsUrl {
    pub secure: bool,
    pub host: String,
}

/// Accepts ws:// and wss:// URLs with a host.
pub fn parse_ws_url(text: &str) -> Result<WsUrl, String> {
    let t = text.trim();
    let (secure, rest) = if let Some(r) = t.strip_prefix("wss://") {
        (true, r)
    } else if let Some(r) = t.strip_prefix("ws://") {
        (false, r)
    } else {
        return Err(
            "use a WebSocket URL that starts with ws:// or wss://, for example ws://127.0.0.1:9001"
                .into(),
        );
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("").to_string()
    } else {
        host_port.split(':').next().unwrap_or("").to_string()
    };
    if host.is_empty() {
        return Err("the URL has no host name".into());
    }
    if authority.contains('@') {
        return Err(
            "do not put credentials in the URL: use the user name and password fields".into(),
        );
    }
    if let Some(port) = host_port
        .rsplit_once(':')
        .map(|(_, p)| p)
        .filter(|p| !p.contains(']') && !host_port.starts_with('['))
    {
        if port.parse::<u16>().map_or(true, |p| p == 0) {
            return Err(format!("“{port}” is not a port number"));
        }
    }
    Ok(WsUrl {
        secure,
        host: host.to_ascii_lowercase(),
    })
}

pub fn is_local(host: &str) -> bool {
    host == "localhost" || host.starts_with("127.") || host == "::1" || host.ends_with(".localhost")
}

/// Plain-language warnings for a URL, and whether the browser will refuse it.
///
/// From an https page, browsers block ws:// as mixed content, except to a
/// loopback host: the Mixed Content specification (§4.3) lets a "potentially
/// trustworthy" URL through, and loopback (127.0.0.0/8, ::1, localhost) is
/// one (Secure Contexts §3.2). Chromium and Firefox follow it; Safari has
/// refused such connections, so it is a warning, not a refusal.
pub fn warnings(url: &WsUrl, page_is_https: bool) -> (Option<String>, Vec<String>) {
    let local = is_local(&url.host);
    let blocked = (page_is_https && !url.secure && !local).then(|| text::MIXED_CONTENT.to_string());
    let mut w = Vec::new();
    if page_is_https && !url.secure && local {
        w.push(text::LOOPBACK_FROM_HTTPS.to_string());
    }
    if !url.secure && !local {
        w.push(fill(text::UNENCRYPTED, &[("host", &url.host)]));
    }
    if PUBLIC_BROKERS
        .iter()
        .any(|p| url.host == *p || url.host.ends_with(&format!(".{p}")))
    {
        w.push(fill(text::PUBLIC_BROKER, &[("host", &url.host)]));
    }
    (blocked, w)
}

/// The local broker for this widget: a recipe tested in CI by starting
/// mosquitto 2.0.11 with it and connecting over WebSocket and TCP.
pub mod snippets {
    use crate::claims::content::fill;
    use crate::content::live as text;
    use crate::snippets::comment;
    use crate::target::Target;

    /// mosquitto.conf for a broker on this machine that the page can reach
    /// at ws://127.0.0.1:{ws_port}. mosquitto 2.0 needs all three parts: from
    /// 2.0, a listener without a password file refuses every client unless
    /// `allow_anonymous true`; and 2.0.11 will not start with websockets
    /// listeners alone ("Unable to start any listening sockets"). The
    /// comments are `content/live.md`'s; the page shows this recipe in its
    /// explanation (`{{local-broker}}`).
    pub fn local_broker(t: &Target) -> String {
        format!(
            "{head}\
             {tcp}\
             listener {port} 127.0.0.1\n\
             {ws_note}\
             listener {ws} 127.0.0.1\n\
             protocol websockets\n\
             {anonymous}\
             allow_anonymous true\n",
            head = comment("# ", text::BROKER_HEAD),
            tcp = comment("# ", text::BROKER_TCP),
            ws_note = comment(
                "# ",
                &fill(text::BROKER_WS, &[("ws_port", &t.ws_port.to_string())])
            ),
            anonymous = comment("# ", text::BROKER_ANONYMOUS),
            port = t.port,
            ws = t.ws_port
        )
    }
}

/// A readable rendering of a payload: text when it is UTF-8 without control
/// characters, otherwise hex.
pub fn hex(payload: &[u8]) -> String {
    payload
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The payload of message `i` of round-trip run `run`: `rt:RUN:I`.
pub fn round_trip_payload(run: u32, i: u32) -> String {
    format!("rt:{run}:{i}")
}

/// Which message of round-trip run `run` a payload is, if it is one.
pub fn round_trip_index(payload: &[u8], run: u32) -> Option<usize> {
    let text = std::str::from_utf8(payload).ok()?.strip_prefix("rt:")?;
    let (r, i) = text.split_once(':')?;
    (r.parse::<u32>().ok()? == run).then(|| i.parse().ok())?
}

/// What the broker announced in CONNACK, in one line for the page (MQTT 5
/// §3.2.2.3; a 3.1.1 CONNACK carries none of it).
pub fn limits_text(protocol: Protocol, l: &Limits) -> String {
    let keepalive = match l.keep_alive_s {
        0 => "keepalive off".to_string(),
        s => format!("keepalive {} s", number(f64::from(s), 0)),
    };
    if protocol == Protocol::V311 {
        return format!(
            "An MQTT 3.1.1 CONNACK announces no limits; this page keeps at most {} QoS 1 and 2 messages of ours unacknowledged at once (a 3.1.1 broker cannot refuse one it has no room for); {keepalive}.",
            crate::mqtt::client::V311_MAX_IN_FLIGHT
        );
    }
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let packet = l
        .maximum_packet_size
        .map_or("none announced".to_string(), |m| {
            format!("{} bytes", number(f64::from(m), 0))
        });
    format!(
        "Receive Maximum {rm} (QoS 1 and 2 messages of ours unacknowledged at once; more wait), \
         Maximum Packet Size {packet}, Maximum QoS {qos}, Topic Alias Maximum {ta}, \
         retain {retain}, wildcard subscriptions {wild}, shared subscriptions {shared}, {keepalive}.",
        rm = number(f64::from(l.receive_maximum), 0),
        qos = l.maximum_qos.as_u8(),
        ta = l.topic_alias_maximum,
        retain = yes_no(l.retain_available),
        wild = yes_no(l.wildcard_subscriptions),
        shared = yes_no(l.shared_subscriptions),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_trip_payloads_name_their_run_and_index() {
        assert_eq!(super::round_trip_payload(3, 41), "rt:3:41");
        assert_eq!(super::round_trip_index(b"rt:3:41", 3), Some(41));
        assert_eq!(super::round_trip_index(b"rt:2:41", 3), None);
        assert_eq!(super::round_trip_index(b"rt:3:x", 3), None);
        assert_eq!(super::round_trip_index(&[0xFF], 3), None);
    }

    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            parse_ws_url("ws://127.0.0.1:9001/mqtt"),
            Ok(WsUrl {
                secure: false,
                host: "127.0.0.1".into()
            })
        );
        assert_eq!(
            parse_ws_url(" wss://Broker.Example.com "),
            Ok(WsUrl {
                secure: true,
                host: "broker.example.com".into()
            })
        );
        assert_eq!(
            parse_ws_url("ws://[::1]:8080"),
            Ok(WsUrl {
                secure: false,
                host: "::1".into()
            })
        );
        assert!(parse_ws_url("mqtt://host:1883")
            .unwrap_err()
            .contains("ws:// or wss://"));
        assert!(parse_ws_url("ws://").unwrap_err().contains("no host"));
        assert!(parse_ws_url("ws://u:p@host")
            .unwrap_err()
            .contains("credentials"));
        assert!(parse_ws_url("ws://host:99999")
            .unwrap_err()
            .contains("not a port"));
        assert!(parse_ws_url("ws://host:abc")
            .unwrap_err()
            .contains("not a port"));
    }

    #[test]
    fn security_warnings() {
        let local = parse_ws_url("ws://127.0.0.1:9001").unwrap();
        assert_eq!(warnings(&local, false), (None, vec![]));
        let remote = parse_ws_url("ws://test.mosquitto.org:8080").unwrap();
        let (blocked, w) = warnings(&remote, true);
        assert!(blocked.unwrap().contains("mixed content"));
        assert_eq!(w.len(), 2);
        assert!(w[0].contains("unencrypted") && w[1].contains("public test broker"));
        let (blocked, w) = warnings(
            &parse_ws_url("wss://broker.hivemq.com:8884/mqtt").unwrap(),
            true,
        );
        assert_eq!(blocked, None);
        assert_eq!(w.len(), 1);
        assert_eq!(hex(&[0, 255, 16]), "00 ff 10");
    }

    /// Issue 13, point 10: browsers allow ws:// to loopback from an https
    /// page, so it is a warning, not a refusal.
    #[test]
    fn loopback_ws_from_an_https_page_is_warned_about_not_refused() {
        for url in [
            "ws://127.0.0.1:9001",
            "ws://localhost:9001",
            "ws://[::1]:9001",
            "ws://127.1.2.3:9001",
        ] {
            let (blocked, w) = warnings(&parse_ws_url(url).unwrap(), true);
            assert_eq!(blocked, None, "{url}");
            assert_eq!(w.len(), 1, "{url}");
            assert!(w[0].contains("Chromium and Firefox allow that"), "{url}");
        }
        let (blocked, _) = warnings(&parse_ws_url("ws://192.168.1.10:9001").unwrap(), true);
        assert!(blocked.is_some());
    }

    /// Issue 13, point 6: the recipe is in the widget's text exactly as the
    /// suite tests it, with what it opens.
    #[test]
    fn the_widget_shows_the_tested_local_broker_recipe() {
        let conf = snippets::local_broker(&crate::target::Target::display());
        assert!(
            conf.contains("listener 1883 127.0.0.1\n")
                && conf.contains("listener 9001 127.0.0.1\nprotocol websockets\n")
        );
        assert!(conf.contains("\nallow_anonymous true\n"));
        // The page's explanation shows it where content/live.md says {{local-broker}}.
        let explain = crate::content::live::EXPLAIN;
        assert!(explain.contains(
            "<pre tabindex=\"0\" style=\"overflow-x:auto\"><code>{{local-broker}}\n</code></pre>"
        ));
        assert!(explain.contains("every network interface"));
    }

    #[test]
    fn limits_as_mosquitto_2_0_11_announces_them_and_as_a_small_broker_does() {
        use crate::mqtt::{Client, Event, Options};
        let connected = |connack: &[u8]| {
            let mut c = Client::new(Options {
                keep_alive_s: 30,
                ..Options::default()
            });
            c.connect(0).unwrap();
            c.receive(connack, 5);
            match c.poll_event() {
                Some(Event::Connected { limits, .. }) => limits,
                other => panic!("{other:?}"),
            }
        };
        // mosquitto 2.0.11, default settings, as seen on the wire: Topic Alias
        // Maximum 10, Receive Maximum 20.
        let mosquitto = connected(&[0x20, 9, 0, 0, 6, 0x22, 0, 10, 0x21, 0, 20]);
        assert_eq!(
            limits_text(Protocol::V5, &mosquitto),
            "Receive Maximum 20 (QoS 1 and 2 messages of ours unacknowledged at once; more wait), \
             Maximum Packet Size none announced, Maximum QoS 2, Topic Alias Maximum 10, retain yes, \
             wildcard subscriptions yes, shared subscriptions yes, keepalive 30 s."
        );
        // Receive Maximum 2, Maximum Packet Size 65,536, Maximum QoS 1, Retain
        // Available 0, Server Keep Alive 120.
        let small = connected(&[
            0x20, 18, 0, 0, 15, 0x21, 0, 2, 0x27, 0, 1, 0, 0, 0x24, 1, 0x25, 0, 0x13, 0, 120,
        ]);
        let text = limits_text(Protocol::V5, &small);
        assert!(
            text.starts_with("Receive Maximum 2 (")
                && text.contains("Maximum Packet Size 65,536 bytes, Maximum QoS 1, Topic Alias Maximum 0, retain no,")
                && text.ends_with("keepalive 120 s."),
            "{text}"
        );
        assert_eq!(
            limits_text(Protocol::V311, &small),
            "An MQTT 3.1.1 CONNACK announces no limits; this page keeps at most 20 QoS 1 and 2 messages of ours unacknowledged at once (a 3.1.1 broker cannot refuse one it has no room for); keepalive 120 s."
        );
    }
}
