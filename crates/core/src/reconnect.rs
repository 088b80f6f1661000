//! What the live client does when a connection ends, and what it tells the
//! learner: retry with backoff, or stop because retrying cannot help. The
//! decision follows the reason-code explorer's advice for each code.

use crate::mqtt::client::{Ended, Event, Timeout};
use crate::mqtt::packet::PacketType;
use crate::mqtt::{Protocol, ReasonCode};
use crate::reason_codes::Retry;

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
    after_on(protocol, false, event)
}

/// [`after`], knowing whether this is the session's first connection (no
/// CONNACK has accepted one yet): only then can a silent broker be one that
/// does not speak the version of the CONNECT.
pub fn after_on(protocol: Protocol, first_connect: bool, event: &Event) -> Next {
    match event {
        Event::Refused {
            code,
            protocol: table,
            reason_string,
        } => {
            let what = code.describe(*table, PacketType::Connack);
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
            let what = code.describe(protocol, PacketType::Disconnect);
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
        Event::Timeout(Timeout::Connack) => Next::Retry(format!(
            "The broker accepted the WebSocket but sent no CONNACK within 10 s.{}",
            if protocol == Protocol::V5 && first_connect {
                " A broker that does not speak MQTT 5 may stay silent at a version 5 CONNECT (amqtt 0.12.1 does): try version 3.1.1."
            } else {
                ""
            }
        )),
        Event::Timeout(Timeout::Keepalive) => Next::Retry(
            "No PINGRESP came back within the keepalive: the connection is dead.".into(),
        ),
        _ => Next::Continue,
    }
}

/// How long a connection must have stayed up before the backoff starts
/// over at attempt 1: the AWS IoT Device SDK's minimum connected time
/// (claim `aws-mqtt5-reconnect` in claims.rs: 30,000 ms). Restarting on every CONNACK lets a
/// broker that accepts and then drops a client (rumqttd 0.20.0 over a
/// SUBSCRIBE it cannot validate, bytebeamio/rumqtt#650) get a new
/// connection about twice a second for ever (issue 23).
pub const STABLE_MS: u64 = 30_000;

/// Closes without a CONNACK in a row after which a session that had
/// connected before stops retrying: the broker is refusing it without
/// saying so, and more attempts will not change that.
pub const GIVE_UP_WITHOUT_CONNACK: u32 = 3;

/// The backoff attempt of the next reconnect after a close: attempt 1 again
/// if the connection that closed had stayed up [`STABLE_MS`] (`connected_for_ms`:
/// CONNACK to close; `None` if it never got one), otherwise the next.
pub fn next_attempt(attempt: u32, connected_for_ms: Option<u64>) -> u32 {
    match connected_for_ms {
        Some(ms) if ms >= STABLE_MS => 1,
        _ => attempt.saturating_add(1),
    }
}

/// Why a connection that closed with nothing the client read about it
/// ended, in words: `ended` as the client saw it, the WebSocket's close
/// code, whether the WebSocket had opened, the version of the CONNECT, and
/// whether this was the session's first connection.
pub fn close_words(
    protocol: Protocol,
    ended: Ended,
    ws_code: u16,
    opened: bool,
    first_connect: bool,
) -> String {
    match ended {
        Ended::Later => "The connection was lost.".to_string(),
        Ended::WithoutConnack => format!(
            "The broker accepted the WebSocket and this page's CONNECT, then closed the connection without a CONNACK: it refused the connection without saying why. A wrong user name or password is the usual reason (rumqttd 0.20.0 closes like this where 3.1.1 §3.1.4 says it SHOULD send CONNACK 4 or 5); check them.{}",
            if protocol == Protocol::V5 && first_connect {
                " A broker that does not speak MQTT 5 may also close at a version 5 CONNECT (rumqttd 0.20.0 does; 3.1.1 §3.1.4 lets it): connect with version 3.1.1."
            } else {
                ""
            }
        ),
        // Browsers hide the cause on purpose. A server that does not
        // choose "mqtt" fails the handshake in the browser itself
        // (RFC 6455 §4.1), so the page's own check is for the rest.
        Ended::BeforeConnect if ws_code == 1006 && !opened => "The connection could not be made: refused, a wrong port or path, no WebSocket listener, a TLS certificate the browser does not trust, or a server that did not choose the subprotocol “mqtt” [MQTT-6.0.0-4].".to_string(),
        Ended::BeforeConnect => format!("The connection closed (WebSocket code {ws_code})."),
    }
}

/// After a connection ended with nothing that forbids a retry (`why`: how it
/// ended): reconnect with backoff only if this session had connected before,
/// and not after [`GIVE_UP_WITHOUT_CONNACK`] closes without a CONNACK in a
/// row (`without_connack`, this one included). A first connection that never
/// got its CONNACK stops at once and says what did not answer: a wrong
/// address retried forever teaches nothing (issue 21).
pub fn after_close(
    connected_before: bool,
    without_connack: u32,
    ended: Ended,
    url: &str,
    why: String,
) -> Next {
    if connected_before && without_connack < GIVE_UP_WITHOUT_CONNACK {
        Next::Retry(why)
    } else if connected_before {
        Next::Stop(format!(
            "{why} That is {without_connack} connections in a row closed without a CONNACK, so this page stops retrying: press Connect when it is fixed."
        ))
    } else if ended == Ended::WithoutConnack {
        Next::Stop(format!(
            "{why} This page stops here instead of retrying: press Retry when it is fixed."
        ))
    } else {
        Next::Stop(format!(
            "{why} No MQTT broker answered at {url}, so this page stops here instead of retrying: check the address, or start a broker on your machine, then press Retry."
        ))
    }
}

/// The table's advice; a code it does not have is retried with backoff.
fn retry_of(p: Protocol, code: ReasonCode) -> Retry {
    code.retry(p).unwrap_or(Retry::WithBackoff)
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

    fn disconnect(code: ReasonCode) -> Event {
        Event::ServerDisconnect {
            code,
            reason_string: None,
            server_reference: None,
        }
    }

    #[test]
    fn session_taken_over_stops_the_reconnect_loop() {
        // Two clients with one id would take the session from each other forever.
        let Next::Stop(text) = after(Protocol::V5, &disconnect(ReasonCode::SESSION_TAKEN_OVER))
        else {
            panic!()
        };
        assert!(text.contains("0x8E Session taken over"), "{text}");
    }

    #[test]
    fn server_shutting_down_retries_and_refusals_follow_the_explorer() {
        assert!(matches!(
            after(Protocol::V5, &disconnect(ReasonCode::SERVER_SHUTTING_DOWN)),
            Next::Retry(_)
        ));
        for code in [
            ReasonCode::MALFORMED_PACKET,
            ReasonCode::PROTOCOL_ERROR,
            ReasonCode::NOT_AUTHORIZED,
        ] {
            assert!(
                matches!(after(Protocol::V5, &disconnect(code)), Next::Stop(_)),
                "{code:?}"
            );
        }
        let refused = |code, table| Event::Refused {
            code,
            protocol: table,
            reason_string: Some("go away".into()),
        };
        let Next::Stop(t) = after(
            Protocol::V5,
            &refused(ReasonCode::BAD_USER_NAME_OR_PASSWORD, Protocol::V5),
        ) else {
            panic!()
        };
        assert!(
            t.contains("0x86 Bad User Name or Password") && t.contains("“go away”"),
            "{t}"
        );
        assert!(matches!(
            after(
                Protocol::V5,
                &refused(ReasonCode::SERVER_BUSY, Protocol::V5)
            ),
            Next::Retry(_)
        ));
        // 3.1.1 return code 3 (server unavailable): retry.
        assert!(matches!(
            after(
                Protocol::V311,
                &refused(ReasonCode::V311_SERVER_UNAVAILABLE, Protocol::V311)
            ),
            Next::Retry(_)
        ));
    }

    #[test]
    fn a_311_answer_to_a_5_connect_says_which_version_to_use() {
        let e = Event::Refused {
            code: ReasonCode::V311_UNACCEPTABLE_PROTOCOL_VERSION,
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
            code: ReasonCode::USE_ANOTHER_SERVER,
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
            after_close(true, 0, Ended::Later, "ws://127.0.0.1:9001", why.clone()),
            Next::Retry(why.clone())
        );
        let Next::Stop(text) = after_close(false, 0, Ended::BeforeConnect, "ws://127.0.0.1:9", why)
        else {
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

    #[test]
    fn the_backoff_starts_over_only_after_a_connection_stayed_up() {
        // Dropped 500 ms after each CONNACK (rumqttd 0.20.0 over a SUBSCRIBE
        // it cannot validate): the attempts keep counting, so the ceiling
        // doubles to the cap instead of staying at 1 s.
        let mut attempt = 0;
        for _ in 0..6 {
            attempt = next_attempt(attempt, Some(500));
        }
        assert_eq!(attempt, 6);
        let policy = crate::backoff::Policy {
            base_s: 1.0,
            factor: 2.0,
            cap_s: 16.0,
            jitter: crate::backoff::Jitter::Full,
        };
        assert_eq!(policy.ceiling_s(attempt), 16.0);
        // Closed before any CONNACK: counts on too.
        assert_eq!(next_attempt(6, None), 7);
        // Up for 29.999 s: not yet; for 30 s: attempt 1 again.
        assert_eq!(next_attempt(6, Some(STABLE_MS - 1)), 7);
        assert_eq!(next_attempt(6, Some(STABLE_MS)), 1);
    }

    #[test]
    fn a_close_without_connack_says_so_and_suggests_311_after_a_5_connect() {
        let v5 = close_words(Protocol::V5, Ended::WithoutConnack, 1006, true, true);
        let again = close_words(Protocol::V5, Ended::WithoutConnack, 1006, true, false);
        // A broker that had accepted a version 5 CONNECT speaks 5: no such advice.
        assert!(!again.contains("version 3.1.1"), "{again}");
        assert!(
            v5.contains("closed the connection without a CONNACK"),
            "{v5}"
        );
        assert!(v5.contains("connect with version 3.1.1"), "{v5}");
        let v3 = close_words(Protocol::V311, Ended::WithoutConnack, 1006, true, true);
        assert!(
            v3.contains("closed the connection without a CONNACK"),
            "{v3}"
        );
        assert!(!v3.contains("version 3.1.1"), "{v3}");
        assert!(v3.contains("user name or password"), "{v3}");
        // A first connection closed so stops, without blaming the address.
        let Next::Stop(t) = after_close(false, 1, Ended::WithoutConnack, "ws://h:1", v3) else {
            panic!()
        };
        assert!(!t.contains("No MQTT broker answered"), "{t}");
        assert!(t.ends_with("press Retry when it is fixed."), "{t}");
        // A session that had connected retries a few times, then stops.
        let why = close_words(Protocol::V311, Ended::WithoutConnack, 1006, true, false);
        assert!(matches!(
            after_close(true, 2, Ended::WithoutConnack, "ws://h:1", why.clone()),
            Next::Retry(_)
        ));
        let Next::Stop(t) = after_close(
            true,
            GIVE_UP_WITHOUT_CONNACK,
            Ended::WithoutConnack,
            "ws://h:1",
            why,
        ) else {
            panic!()
        };
        assert!(
            t.contains("3 connections in a row closed without a CONNACK"),
            "{t}"
        );
        // Timeouts: after a version 5 CONNECT, the words suggest 3.1.1.
        let Next::Retry(t) = after_on(Protocol::V5, true, &Event::Timeout(Timeout::Connack)) else {
            panic!()
        };
        assert!(t.contains("try version 3.1.1"), "{t}");
        let Next::Retry(t) = after_on(Protocol::V5, false, &Event::Timeout(Timeout::Connack))
        else {
            panic!()
        };
        assert!(!t.contains("3.1.1"), "{t}");
        // The transport's own failures keep their words.
        assert!(
            close_words(Protocol::V5, Ended::BeforeConnect, 1006, false, true)
                .starts_with("The connection could not be made")
        );
        assert_eq!(
            close_words(Protocol::V5, Ended::BeforeConnect, 1000, true, true),
            "The connection closed (WebSocket code 1000)."
        );
        assert_eq!(
            close_words(Protocol::V5, Ended::Later, 1006, true, false),
            "The connection was lost."
        );
    }
}
