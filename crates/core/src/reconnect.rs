//! What the live client does when a connection ends, and what it tells the
//! learner: retry with backoff, or stop because retrying cannot help. The
//! decision follows the reason-code explorer's advice for each code.

use crate::mqtt::client::{Event, Timeout};
use crate::mqtt::packet::{describe_code, PacketType};
use crate::mqtt::Protocol;
use crate::reason_codes::{self as rc, Retry};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// The event does not end the connection.
    Continue,
    /// Reconnect with backoff; the text says why the connection ended.
    Retry(String),
    /// Do not reconnect: retrying cannot help until something changes.
    Stop(String),
}

/// The decision and the words for an event of the client.
pub fn after(protocol: Protocol, event: &Event) -> Next {
    match event {
        Event::Refused {
            code,
            protocol: table,
            reason_string,
        } => {
            let what = describe_code(*table, PacketType::Connack, *code);
            let because = reason(reason_string);
            if *table != protocol {
                return Next::Stop(format!(
                    "The broker answered in MQTT 3.1.1 with {what}: it does not speak MQTT 5. Connect with version 3.1.1.{because}"
                ));
            }
            match retry_of(*table, *code) {
                Retry::No => Next::Stop(format!(
                    "The broker refused the connection with {what}: retrying cannot help until that is fixed.{because}"
                )),
                _ => Next::Retry(format!(
                    "The broker refused the connection with {what}.{because}"
                )),
            }
        }
        Event::ServerDisconnect {
            code,
            reason_string,
            server_reference,
        } => {
            let what = describe_code(protocol, PacketType::Disconnect, *code);
            let because = reason(reason_string);
            if let Some(server) = server_reference {
                return Next::Stop(format!(
                    "The broker disconnected this client with {what} and names another server: {server}. Connect there.{because}"
                ));
            }
            match retry_of(protocol, *code) {
                Retry::No => Next::Stop(format!(
                    "The broker disconnected this client with {what}; reconnecting cannot help until that is fixed.{because}"
                )),
                _ => Next::Retry(format!(
                    "The broker disconnected this client with {what}.{because}"
                )),
            }
        }
        Event::ProtocolError(e) => Next::Stop(format!(
            "The broker broke the protocol, so this client closed the connection: {e}. The packet inspector shows the bytes."
        )),
        Event::Timeout(Timeout::Connack) => Next::Retry(
            "The broker accepted the WebSocket but sent no CONNACK within 10 s.".into(),
        ),
        Event::Timeout(Timeout::Keepalive) => Next::Retry(
            "No PINGRESP came back within the keepalive: the connection is dead.".into(),
        ),
        _ => Next::Continue,
    }
}

/// After a connection ended with nothing that forbids a retry (`why`: how it
/// ended): reconnect with backoff only if this session had connected before.
/// A first connection that never got its CONNACK stops at once and says what
/// did not answer: a wrong address retried forever teaches nothing (issue 21).
pub fn after_close(connected_before: bool, url: &str, why: String) -> Next {
    if connected_before {
        Next::Retry(why)
    } else {
        Next::Stop(format!(
            "{why} No MQTT broker answered at {url}, so this page stops here instead of retrying: check the address, or start a broker on your machine, then press Retry."
        ))
    }
}

fn retry_of(p: Protocol, code: u8) -> Retry {
    rc::find_short(p, code).map_or(Retry::WithBackoff, |c| c.retry)
}

fn reason(s: &Option<String>) -> String {
    s.as_ref()
        .map(|r| format!(" The broker says: “{r}”."))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mqtt::DecodeError;

    fn disconnect(code: u8) -> Event {
        Event::ServerDisconnect {
            code,
            reason_string: None,
            server_reference: None,
        }
    }

    #[test]
    fn session_taken_over_stops_the_reconnect_loop() {
        // Two clients with one id would take the session from each other forever.
        let Next::Stop(text) = after(Protocol::V5, &disconnect(0x8E)) else {
            panic!()
        };
        assert!(text.contains("0x8E Session taken over"), "{text}");
    }

    #[test]
    fn server_shutting_down_retries_and_refusals_follow_the_explorer() {
        assert!(matches!(
            after(Protocol::V5, &disconnect(0x8B)),
            Next::Retry(_)
        ));
        for code in [0x81, 0x82, 0x87] {
            assert!(
                matches!(after(Protocol::V5, &disconnect(code)), Next::Stop(_)),
                "{code}"
            );
        }
        let refused = |code, table| Event::Refused {
            code,
            protocol: table,
            reason_string: Some("go away".into()),
        };
        let Next::Stop(t) = after(Protocol::V5, &refused(0x86, Protocol::V5)) else {
            panic!()
        };
        assert!(
            t.contains("0x86 Bad User Name or Password") && t.contains("“go away”"),
            "{t}"
        );
        assert!(matches!(
            after(Protocol::V5, &refused(0x89, Protocol::V5)),
            Next::Retry(_)
        ));
        // 3.1.1 return code 3 (server unavailable): retry.
        assert!(matches!(
            after(Protocol::V311, &refused(3, Protocol::V311)),
            Next::Retry(_)
        ));
    }

    #[test]
    fn a_311_answer_to_a_5_connect_says_which_version_to_use() {
        let e = Event::Refused {
            code: 1,
            protocol: Protocol::V311,
            reason_string: None,
        };
        let Next::Stop(t) = after(Protocol::V5, &e) else {
            panic!()
        };
        assert!(
            t.contains("0x01 Connection Refused, unacceptable protocol version")
                && t.contains("3.1.1"),
            "{t}"
        );
    }

    #[test]
    fn a_server_reference_is_shown_not_retried() {
        let e = Event::ServerDisconnect {
            code: 0x9C,
            reason_string: None,
            server_reference: Some("b2.example.com".into()),
        };
        assert!(matches!(after(Protocol::V5, &e), Next::Stop(t) if t.contains("b2.example.com")));
    }

    #[test]
    fn protocol_errors_stop_with_the_rule() {
        let e = Event::ProtocolError(DecodeError {
            offset: 0,
            kind: crate::mqtt::ErrorKind::Malformed,
            what: "QoS 3: both QoS bits are 1".into(),
            rule: "[MQTT-3.3.1-4]",
        });
        let Next::Stop(t) = after(Protocol::V5, &e) else {
            panic!()
        };
        assert!(t.contains("[MQTT-3.3.1-4]") && t.contains("byte 0"), "{t}");
        assert_eq!(
            after(Protocol::V5, &Event::Ignored("x".into())),
            Next::Continue
        );
    }
    #[test]
    fn only_a_session_that_connected_before_reconnects() {
        let why = "The connection was lost.".to_string();
        assert_eq!(
            after_close(true, "ws://127.0.0.1:9001", why.clone()),
            Next::Retry(why.clone())
        );
        let Next::Stop(text) = after_close(false, "ws://127.0.0.1:9", why) else {
            panic!("a first connection that failed must stop");
        };
        assert!(
            text.starts_with(
                "The connection was lost. No MQTT broker answered at ws://127.0.0.1:9,"
            ),
            "{text}"
        );
        assert!(text.ends_with("then press Retry."), "{text}");
    }
}
