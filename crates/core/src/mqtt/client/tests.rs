//! Scenarios: the client against a broker played byte by byte. Each test
//! names the normative statement it guards; the conformance matrix refers
//! to these names.

use super::*;
use crate::mqtt::packet::{Connack, Subscription};

fn options(protocol: Protocol, clean_start: bool) -> Options {
    Options {
        protocol,
        client_id: "t".into(),
        clean_start,
        keep_alive_s: 10,
        ..Options::default()
    }
}

fn sent(c: &mut Client) -> Vec<Vec<u8>> {
    std::iter::from_fn(|| c.poll_transmit()).collect()
}

fn events(c: &mut Client) -> Vec<Event> {
    std::iter::from_fn(|| c.poll_event()).collect()
}

fn encode(p: Protocol, packet: Packet) -> Vec<u8> {
    packet.encode(p).unwrap()
}

/// A client connected at t = 1,000 ms with the CONNACK's `properties`.
fn connected_with(protocol: Protocol, clean: bool, properties: Properties) -> Client {
    let mut c = Client::new(options(protocol, clean));
    c.connect(1000).unwrap();
    sent(&mut c);
    let connack = Connack {
        properties: properties.into(),
        protocol,
        ..Connack::default()
    };
    c.receive(&encode(protocol, Packet::Connack(connack)), 1040);
    let e = events(&mut c);
    assert!(
        matches!(e[..], [Event::Connected { elapsed_ms: 40, .. }]),
        "{e:?}"
    );
    c
}

fn connected(protocol: Protocol, clean: bool) -> Client {
    connected_with(protocol, clean, Properties::default())
}

fn message(topic: &str, qos: QoS) -> Message {
    Message {
        topic: topic.into(),
        payload: b"x".to_vec(),
        qos,
        ..Message::default()
    }
}

fn closed_with(c: &mut Client, kind: ErrorKind, rule: &str) {
    let e = events(c);
    match &e[..] {
        [Event::ProtocolError(err)] => assert_eq!((err.kind, err.rule), (kind, rule), "{err}"),
        other => panic!("{other:?}"),
    }
    assert!(c.should_close());
}

#[test]
fn connect_declares_what_the_client_accepts_on_5_and_nothing_on_311() {
    let mut c = Client::new(options(Protocol::V5, true));
    c.connect(0).unwrap();
    // Properties: Receive Maximum 20 (0x21), Topic Alias Maximum 32 (0x22),
    // Maximum Packet Size 262,144 (0x27).
    let expected = [
        vec![0x10, 25, 0, 4, b'M', b'Q', b'T', b'T', 5, 0x02, 0, 10],
        vec![11, 0x21, 0, 20, 0x22, 0, 32, 0x27, 0, 4, 0, 0],
        vec![0, 1, b't'],
    ]
    .concat();
    assert_eq!(sent(&mut c), [expected]);
    let mut c = Client::new(options(Protocol::V311, true));
    c.connect(0).unwrap();
    assert_eq!(
        sent(&mut c),
        [vec![
            0x10, 13, 0, 4, b'M', b'Q', b'T', b'T', 4, 0x02, 0, 10, 0, 1, b't'
        ]]
    );
}

#[test]
fn a_311_password_without_user_name_is_refused_before_sending() {
    let mut c = Client::new(Options {
        password: Some(b"p".to_vec()),
        ..options(Protocol::V311, true)
    });
    assert_eq!(c.connect(0).unwrap_err().rule, "[MQTT-3.1.2-22]");
    assert!(sent(&mut c).is_empty());
}

#[test]
fn refusals_report_the_code_of_the_right_table() {
    let mut c = Client::new(options(Protocol::V5, true));
    c.connect(0).unwrap();
    c.receive(&[0x20, 3, 0, 0x86, 0], 5);
    assert_eq!(
        events(&mut c),
        [Event::Refused {
            code: ReasonCode::BAD_USER_NAME_OR_PASSWORD,
            protocol: Protocol::V5,
            reason_string: None
        }]
    );
    assert!(c.should_close());
    // A 3.1.1 broker answers a 5.0 CONNECT with return code 1: a 3.1.1 code.
    let mut c = Client::new(options(Protocol::V5, true));
    c.connect(0).unwrap();
    c.receive(&[0x20, 2, 0, 1], 5);
    assert_eq!(
        events(&mut c),
        [Event::Refused {
            code: ReasonCode::V311_UNACCEPTABLE_PROTOCOL_VERSION,
            protocol: Protocol::V311,
            reason_string: None
        }]
    );
}

#[test]
fn no_connack_within_the_timeout_ends_the_attempt() {
    let mut c = Client::new(options(Protocol::V5, true));
    c.connect(1000).unwrap();
    assert_eq!(c.poll_timeout(), Some(1000 + CONNACK_TIMEOUT_MS));
    c.handle_timeout(1000 + CONNACK_TIMEOUT_MS - 1);
    assert!(events(&mut c).is_empty());
    c.handle_timeout(1000 + CONNACK_TIMEOUT_MS);
    assert_eq!(events(&mut c), [Event::Timeout(Timeout::Connack)]);
    assert!(c.should_close());
}

#[test]
fn pingreq_exactly_when_the_keepalive_is_due_mqtt_3_1_2_20() {
    let mut c = connected(Protocol::V311, true);
    // CONNECT was the last packet sent, at 1,000 ms; keepalive 10 s.
    assert_eq!(c.poll_timeout(), Some(11_000));
    c.handle_timeout(10_999);
    assert!(sent(&mut c).is_empty());
    c.handle_timeout(11_000);
    assert_eq!(sent(&mut c), [vec![0xC0, 0]]);
    c.receive(&[0xD0, 0], 11_050);
    // Next ping a keepalive after the last packet sent (the PINGREQ).
    assert_eq!(c.poll_timeout(), Some(21_000));
    c.handle_timeout(21_000);
    assert_eq!(sent(&mut c), [vec![0xC0, 0]]);
    // No PINGRESP within a keepalive: the connection is dead.
    assert_eq!(c.poll_timeout(), Some(31_000));
    c.handle_timeout(31_000);
    assert_eq!(events(&mut c), [Event::Timeout(Timeout::Keepalive)]);
    assert!(c.should_close());
}

#[test]
fn server_keep_alive_replaces_ours_mqtt_3_2_2_21() {
    let c = connected_with(
        Protocol::V5,
        true,
        Properties {
            server_keep_alive: Some(3),
            ..Properties::default()
        },
    );
    assert_eq!(c.limits().keep_alive_s, 3);
    assert_eq!(c.poll_timeout(), Some(4_000));
}

#[test]
fn receive_maximum_holds_back_publishes_but_not_other_packets_mqtt_3_3_4_7() {
    let mut c = connected_with(
        Protocol::V5,
        true,
        Properties {
            receive_maximum: Some(2),
            ..Properties::default()
        },
    );
    for i in 0..5 {
        c.publish(message(&format!("t{i}"), QoS::AtLeastOnce), 2000)
            .unwrap();
    }
    assert_eq!(sent(&mut c).len(), 2);
    assert_eq!((c.in_flight(), c.waiting()), (2, 3));
    // The quota does not delay SUBSCRIBE ([MQTT-3.3.4-8], [MQTT-4.9.0-3]).
    c.subscribe(
        vec![Subscription {
            filter: "a".into(),
            ..Subscription::default()
        }],
        2001,
    )
    .unwrap();
    assert_eq!(sent(&mut c).len(), 1);
    // One PUBACK frees one slot: exactly one more PUBLISH goes.
    c.receive(&[0x40, 2, 0, 1], 2010);
    let next = sent(&mut c);
    assert_eq!(next.len(), 1);
    assert_eq!(&next[0][..6], &[0x32, 8, 0, 2, b't', b'2']);
    assert_eq!((c.in_flight(), c.waiting()), (2, 2));
}

#[test]
fn maximum_packet_size_maximum_qos_and_retain_available_are_honoured() {
    let mut c = connected_with(
        Protocol::V5,
        true,
        Properties {
            maximum_packet_size: Some(128),
            maximum_qos: Some(1),
            retain_available: Some(0),
            ..Properties::default()
        },
    );
    let big = Message {
        payload: vec![b'x'; 200],
        ..message("t", QoS::AtMostOnce)
    };
    assert_eq!(c.publish(big, 2000).unwrap_err().rule, "[MQTT-3.2.2-15]");
    assert_eq!(
        c.publish(message("t", QoS::ExactlyOnce), 2000)
            .unwrap_err()
            .rule,
        "[MQTT-3.2.2-11]"
    );
    let retained = Message {
        retain: true,
        ..message("t", QoS::AtMostOnce)
    };
    assert_eq!(
        c.publish(retained, 2000).unwrap_err().rule,
        "[MQTT-3.2.2-14]"
    );
    assert!(sent(&mut c).is_empty());
    // 2 + 3 (topic) + 1 (no properties) + 122 bytes of payload = 128: allowed.
    let fits = Message {
        payload: vec![b'x'; 122],
        ..message("t", QoS::AtMostOnce)
    };
    c.publish(fits, 2000).unwrap();
    assert_eq!(sent(&mut c)[0].len(), 128);
}

#[test]
fn topic_aliases_resolve_and_do_not_outlive_the_connection_mqtt_3_3_2_7() {
    let mut c = connected(Protocol::V5, false);
    // PUBLISH "a/b" setting alias 1, then PUBLISH "" with alias 1.
    c.receive(&[0x30, 9, 0, 3, b'a', b'/', b'b', 3, 0x23, 0, 1], 2000);
    c.receive(&[0x30, 7, 0, 0, 3, 0x23, 0, 1, b'y'], 2001);
    let topics: Vec<String> = events(&mut c)
        .into_iter()
        .map(|e| match e {
            Event::Message(p) => p.topic,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(topics, ["a/b", "a/b"]);
    // A new connection starts without aliases.
    c.connection_lost(3000, "test");
    c.connect(3000).unwrap();
    c.receive(&[0x20, 3, 1, 0, 0], 3010);
    events(&mut c);
    sent(&mut c);
    c.receive(&[0x30, 6, 0, 0, 3, 0x23, 0, 1], 3020);
    closed_with(&mut c, ErrorKind::ProtocolError, "§3.3.2.3.4");
    // Our DISCONNECT says why: 0x82 Protocol Error.
    assert_eq!(sent(&mut c), [vec![0xE0, 1, 0x82]]);
}

#[test]
fn an_alias_above_the_declared_maximum_is_refused_with_0x94_mqtt_3_3_2_10() {
    let mut c = connected(Protocol::V5, true);
    c.receive(&[0x30, 7, 0, 1, b't', 3, 0x23, 0, 33], 2000);
    closed_with(&mut c, ErrorKind::TopicAliasInvalid, "[MQTT-3.3.2-10]");
    assert_eq!(sent(&mut c), [vec![0xE0, 1, 0x94]]);
}

#[test]
fn session_present_with_clean_start_is_a_protocol_error_mqtt_3_2_2_2() {
    let mut c = Client::new(options(Protocol::V5, true));
    c.connect(0).unwrap();
    c.receive(&[0x20, 3, 1, 0, 0], 5);
    closed_with(&mut c, ErrorKind::ProtocolError, "[MQTT-3.2.2-2]");
    let mut c = Client::new(options(Protocol::V311, true));
    c.connect(0).unwrap();
    c.receive(&[0x20, 2, 1, 0], 5);
    closed_with(&mut c, ErrorKind::ProtocolError, "[MQTT-3.2.2-1]");
}

#[test]
fn nothing_but_connack_first_mqtt_3_2_0_1() {
    // A QoS 1 PUBLISH before CONNACK: not delivered, not acknowledged.
    let mut c = Client::new(options(Protocol::V311, true));
    c.connect(0).unwrap();
    sent(&mut c);
    c.receive(&[0x32, 6, 0, 1, b't', 0, 9, b'x', 0x20, 2, 0, 0], 5);
    closed_with(&mut c, ErrorKind::ProtocolError, "[MQTT-3.2.0-1]");
    assert!(sent(&mut c).is_empty());
}

#[test]
fn nothing_is_read_after_a_disconnect_or_an_error() {
    // DISCONNECT 0x8E, then a QoS 1 PUBLISH in the same frame.
    let mut c = connected(Protocol::V5, true);
    c.receive(
        &[0xE0, 2, 0x8E, 0, 0x32, 7, 0, 1, b't', 0, 9, 0, b'x'],
        2000,
    );
    assert_eq!(
        events(&mut c),
        [Event::ServerDisconnect {
            code: ReasonCode::SESSION_TAKEN_OVER,
            reason_string: None,
            server_reference: None
        }]
    );
    assert!(sent(&mut c).is_empty());
    // A malformed packet, then a PINGRESP: the DISCONNECT 0x81 is the last thing sent.
    let mut c = connected(Protocol::V5, true);
    c.receive(&[0x36, 3, 0, 1, b't', 0xD0, 0], 2000);
    closed_with(&mut c, ErrorKind::Malformed, "[MQTT-3.3.1-4]");
    assert_eq!(sent(&mut c), [vec![0xE0, 1, 0x81]]);
    c.receive(&[0xD0, 0], 2001);
    assert!(events(&mut c).is_empty());
}

#[test]
fn a_311_broker_does_not_send_disconnect() {
    let mut c = connected(Protocol::V311, true);
    c.receive(&[0xE0, 0], 2000);
    closed_with(&mut c, ErrorKind::ProtocolError, "§2.2.1");
    // 3.1.1 has no DISCONNECT from the client for an error: just close.
    assert!(sent(&mut c).is_empty());
}

#[test]
fn auth_without_an_authentication_method_is_refused_mqtt_4_12_0_6() {
    let mut c = connected(Protocol::V5, true);
    c.receive(&[0xF0, 0], 2000);
    closed_with(&mut c, ErrorKind::ProtocolError, "[MQTT-4.12.0-6]");
    // The client answers with DISCONNECT, never AUTH ([MQTT-4.12.0-7]).
    assert!(sent(&mut c).iter().all(|p| p[0] >> 4 != 15));
}

#[test]
fn connect_is_the_first_packet_mqtt_3_1_0_1() {
    let mut c = Client::new(options(Protocol::V5, true));
    assert!(c.publish(message("a", QoS::AtMostOnce), 0).is_err());
    assert!(c
        .subscribe(
            vec![Subscription {
                filter: "a".into(),
                ..Subscription::default()
            }],
            0
        )
        .is_err());
    assert!(sent(&mut c).is_empty());
    c.connect(0).unwrap();
    assert_eq!(sent(&mut c)[0][0], 0x10);
    // Waiting for CONNACK: still nothing else goes out.
    assert!(c.publish(message("a", QoS::AtMostOnce), 1).is_err());
    assert!(sent(&mut c).is_empty());
}

#[test]
fn clean_start_discards_the_session_mqtt_3_1_2_4() {
    let mut c = connected(Protocol::V311, false);
    c.publish(message("a", QoS::AtLeastOnce), 2000).unwrap();
    c.receive(&[0x34, 6, 0, 1, b'q', 0, 5, b'x'], 2001); // QoS 2 in, no PUBREL yet
    c.connection_lost(2010, "test");
    let mut c = Client {
        options: options(Protocol::V311, true),
        ..c
    };
    c.connect(3000).unwrap();
    sent(&mut c);
    c.receive(&[0x20, 2, 0, 0], 3010);
    assert!(matches!(
        events(&mut c).last(),
        Some(Event::Connected {
            lost_in_flight: 1,
            ..
        })
    ));
    assert!(sent(&mut c).is_empty());
    // The QoS 2 id 5 is forgotten too: the same id is a new message again.
    c.receive(&[0x34, 6, 0, 1, b'q', 0, 5, b'y'], 3020);
    assert!(matches!(&events(&mut c)[..], [Event::Message(m)] if m.payload == b"y"));
}

#[test]
fn an_identifier_is_a_new_message_again_after_puback_and_pubcomp_mqtt_4_3_2_5() {
    let mut c = connected(Protocol::V5, true);
    let q1 = [0x32, 7, 0, 1, b'a', 0, 4, 0, b'x'];
    c.receive(&q1, 2000);
    c.receive(&q1, 2001);
    let q2 = [0x34, 7, 0, 1, b'a', 0, 5, 0, b'x'];
    c.receive(&q2, 2002);
    c.receive(&[0x62, 2, 0, 5], 2003);
    c.receive(&q2, 2004);
    let delivered = events(&mut c)
        .into_iter()
        .filter(|e| matches!(e, Event::Message(_)))
        .count();
    assert_eq!(delivered, 4);
}

#[test]
fn the_client_sends_neither_topic_aliases_nor_subscription_identifiers() {
    let mut c = connected(Protocol::V5, true);
    let mut m = message("a", QoS::AtMostOnce);
    m.properties.topic_alias = Some(1);
    assert_eq!(c.publish(m, 2000).unwrap_err().rule, "[MQTT-3.2.2-18]");
    let mut m = message("a", QoS::AtMostOnce);
    m.properties.subscription_identifiers = vec![1];
    assert_eq!(c.publish(m, 2000).unwrap_err().rule, "[MQTT-3.3.4-6]");
    // A Response Topic with a wildcard is refused ([MQTT-3.3.2-14]).
    let mut m = message("a", QoS::AtMostOnce);
    m.properties.response_topic = Some("replies/#".into());
    assert!(c
        .publish(m, 2000)
        .unwrap_err()
        .what
        .contains("Response Topic"));
    // No Local on a shared subscription ([MQTT-3.8.3-4]).
    let shared = Subscription {
        filter: "$share/g/a".into(),
        no_local: true,
        ..Subscription::default()
    };
    assert_eq!(
        c.subscribe(vec![shared], 2000).unwrap_err().rule,
        "[MQTT-3.8.3-4]"
    );
    assert!(sent(&mut c).is_empty());
    // With properties that are allowed, the message goes out with them.
    let mut m = message("a", QoS::AtMostOnce);
    m.properties.content_type = Some("text/plain".into());
    m.properties.user_properties = vec![("k".into(), "v".into())];
    c.publish(m, 2000).unwrap();
    assert_eq!(
        sent(&mut c),
        [vec![
            0x30, 25, 0, 1, b'a', 20, 0x03, 0, 10, b't', b'e', b'x', b't', b'/', b'p', b'l', b'a',
            b'i', b'n', 0x26, 0, 1, b'k', 0, 1, b'v', b'x'
        ]]
    );
}

#[test]
fn qos2_outgoing_flow_and_a_failed_pubrec_mqtt_4_3_3_4() {
    let mut c = connected(Protocol::V5, true);
    c.publish(message("a", QoS::ExactlyOnce), 2000).unwrap();
    assert_eq!(sent(&mut c), [vec![0x34, 7, 0, 1, b'a', 0, 1, 0, b'x']]);
    c.receive(&[0x50, 2, 0, 1], 2010);
    assert_eq!(sent(&mut c), [vec![0x62, 2, 0, 1]]);
    c.receive(&[0x70, 2, 0, 1], 2020);
    assert_eq!(
        events(&mut c),
        [Event::Delivered {
            packet_id: 1,
            code: ReasonCode::SUCCESS
        }]
    );
    // PUBREC 0x87: done, no PUBREL, never resent ([MQTT-4.4.0-2]).
    c.publish(message("a", QoS::ExactlyOnce), 3000).unwrap();
    sent(&mut c);
    c.receive(&[0x50, 3, 0, 2, 0x87], 3010);
    assert!(sent(&mut c).is_empty());
    assert_eq!(
        events(&mut c),
        [Event::Delivered {
            packet_id: 2,
            code: ReasonCode::NOT_AUTHORIZED
        }]
    );
    assert_eq!(c.in_flight(), 0);
}

#[test]
fn acks_are_checked_against_the_flow() {
    // An unsolicited PUBREC: 5.0 answers PUBREL 0x92 and keeps no state.
    let mut c = connected(Protocol::V5, true);
    c.receive(&[0x50, 2, 0, 7], 2000);
    assert_eq!(sent(&mut c), [vec![0x62, 3, 0, 7, 0x92]]);
    assert!(matches!(events(&mut c)[..], [Event::Ignored(_)]));
    assert_eq!(c.in_flight(), 0);
    // 3.1.1 has no such code: nothing is sent.
    let mut c = connected(Protocol::V311, true);
    c.receive(&[0x50, 2, 0, 7], 2000);
    assert!(sent(&mut c).is_empty());
    // A failing PUBREC for an unknown id reports nothing delivered.
    let mut c = connected(Protocol::V5, true);
    c.receive(&[0x50, 3, 0, 7, 0x80], 2000);
    assert!(matches!(events(&mut c)[..], [Event::Ignored(_)]));
    // A PUBACK for a QoS 2 message breaks the flow.
    let mut c = connected(Protocol::V5, true);
    c.publish(message("a", QoS::ExactlyOnce), 2000).unwrap();
    c.receive(&[0x40, 2, 0, 1], 2010);
    closed_with(&mut c, ErrorKind::ProtocolError, "§4.3");
    // PUBREL for an unknown id: PUBCOMP 0x92 on 5.0, PUBCOMP on 3.1.1.
    let mut c = connected(Protocol::V5, true);
    c.receive(&[0x62, 2, 0, 9], 2000);
    assert_eq!(sent(&mut c), [vec![0x70, 3, 0, 9, 0x92]]);
    let mut c = connected(Protocol::V311, true);
    c.receive(&[0x62, 2, 0, 9], 2000);
    assert_eq!(sent(&mut c), [vec![0x70, 2, 0, 9]]);
}

#[test]
fn qos2_incoming_is_delivered_once_and_acked_in_order_mqtt_4_3_3_2() {
    let mut c = connected(Protocol::V311, true);
    let publish = [0x34, 6, 0, 1, b'a', 0, 7, b'x'];
    let mut dup = publish;
    dup[0] |= 0x08;
    c.receive(
        &[&publish[..], &[0x32, 6, 0, 1, b'b', 0, 8, b'y'], &dup[..]].concat(),
        2000,
    );
    // PUBREC 7, PUBACK 8, PUBREC 7 again: in the order received ([MQTT-4.6.0-2/3]).
    assert_eq!(
        sent(&mut c),
        [
            vec![0x50, 2, 0, 7],
            vec![0x40, 2, 0, 8],
            vec![0x50, 2, 0, 7]
        ]
    );
    c.receive(&[0x62, 2, 0, 7], 2010);
    assert_eq!(sent(&mut c), [vec![0x70, 2, 0, 7]]);
    let delivered = events(&mut c)
        .into_iter()
        .filter(|e| matches!(e, Event::Message(_)))
        .count();
    assert_eq!(delivered, 2);
}

#[test]
fn resend_with_dup_in_send_order_when_the_session_is_present_mqtt_4_4_0_1() {
    let mut c = connected(Protocol::V311, false);
    c.publish(message("a", QoS::AtLeastOnce), 2000).unwrap();
    c.publish(message("b", QoS::ExactlyOnce), 2001).unwrap();
    c.publish(message("c", QoS::AtLeastOnce), 2002).unwrap();
    sent(&mut c);
    c.receive(&[0x50, 2, 0, 2], 2010); // b reached PUBREC: PUBREL sent
    sent(&mut c);
    c.connection_lost(2020, "test");
    c.connect(5000).unwrap();
    sent(&mut c);
    events(&mut c);
    c.receive(&[0x20, 2, 1, 0], 5010);
    assert_eq!(
        sent(&mut c),
        [
            vec![0x3A, 6, 0, 1, b'a', 0, 1, b'x'],
            vec![0x3A, 6, 0, 1, b'c', 0, 3, b'x'],
            vec![0x62, 2, 0, 2],
        ]
    );
    assert_eq!(c.in_flight(), 3);
    // Each resend is an event: the PUBREL one names its identifier, so the
    // page can say what a connection dropped right after was waiting for.
    let e = events(&mut c);
    assert!(matches!(
        e[1..],
        [
            Event::Resent { packet_id: 1, .. },
            Event::Resent { packet_id: 3, .. },
            Event::Rereleased { packet_id: 2 },
        ]
    ));
    c.receive(&[0x70, 2, 0, 2], 5020);
    assert_eq!(
        events(&mut c),
        [Event::Delivered {
            packet_id: 2,
            code: ReasonCode::SUCCESS
        }]
    );
}

#[test]
fn without_the_session_in_flight_messages_are_reported_lost_mqtt_3_2_2_5() {
    let mut c = connected(Protocol::V5, false);
    c.publish(message("a", QoS::AtLeastOnce), 2000).unwrap();
    c.connection_lost(2010, "test");
    c.connect(3000).unwrap();
    sent(&mut c);
    c.receive(&[0x20, 3, 0, 0, 0], 3010);
    assert!(matches!(
        events(&mut c)[..],
        [Event::Connected {
            lost_in_flight: 1,
            ..
        }]
    ));
    assert!(sent(&mut c).is_empty());
    assert_eq!(c.in_flight(), 0);
}

#[test]
fn a_first_transmission_never_carries_dup_mqtt_3_3_1_1() {
    // Queued behind Receive Maximum 1 across a reconnect: sent with DUP 0.
    let mut c = connected_with(
        Protocol::V5,
        false,
        Properties {
            receive_maximum: Some(1),
            ..Properties::default()
        },
    );
    c.publish(message("a", QoS::AtLeastOnce), 2000).unwrap();
    c.publish(message("b", QoS::AtLeastOnce), 2000).unwrap();
    sent(&mut c);
    c.connection_lost(2010, "test");
    c.connect(3000).unwrap();
    sent(&mut c);
    c.receive(&[0x20, 6, 1, 0, 3, 0x21, 0, 1], 3010);
    let out = sent(&mut c);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0][0], 0x3A); // a again, with DUP
    c.receive(&[0x40, 2, 0, 1], 3020);
    assert_eq!(sent(&mut c)[0][0], 0x32); // b for the first time: DUP 0
}

#[test]
fn subscribe_identifiers_stay_reserved_until_suback_mqtt_2_2_1_3() {
    let mut c = connected(Protocol::V5, true);
    let sub = c
        .subscribe(
            vec![Subscription {
                filter: "a/#".into(),
                ..Subscription::default()
            }],
            2000,
        )
        .unwrap();
    c.publish(message("a", QoS::AtLeastOnce), 2001).unwrap();
    let out = sent(&mut c);
    assert_eq!(sub, 1);
    assert_eq!(&out[1][..7], &[0x32, 7, 0, 1, b'a', 0, 2]);
    c.receive(&[0x90, 4, 0, 1, 0, 0], 2010);
    assert!(
        matches!(&events(&mut c)[..], [Event::Subscribed { packet_id: 1, codes, .. }] if codes == &[ReasonCode::GRANTED_QOS_0])
    );
}

#[test]
fn a_suback_with_the_wrong_number_of_codes_is_refused_mqtt_3_8_4_6() {
    let mut c = connected(Protocol::V5, true);
    c.subscribe(
        vec![Subscription {
            filter: "a".into(),
            ..Subscription::default()
        }],
        2000,
    )
    .unwrap();
    c.receive(&[0x90, 5, 0, 1, 0, 0, 1], 2010);
    closed_with(&mut c, ErrorKind::ProtocolError, "[MQTT-3.8.4-6]");
}

#[test]
fn nothing_is_sent_after_our_disconnect_mqtt_3_14_4_1() {
    let mut c = connected(Protocol::V5, true);
    c.disconnect(2000);
    assert_eq!(sent(&mut c), [vec![0xE0, 0]]);
    assert!(c.should_close());
    assert!(c.publish(message("a", QoS::AtMostOnce), 2001).is_err());
    c.handle_timeout(100_000);
    assert!(sent(&mut c).is_empty());
    assert_eq!(c.poll_timeout(), None);
}

#[test]
fn the_wire_log_never_holds_the_password() {
    let mut c = Client::new(Options {
        username: Some("u".into()),
        password: Some(b"hunter22".to_vec()),
        ..options(Protocol::V311, true)
    });
    c.connect(0).unwrap();
    let on_wire = sent(&mut c).remove(0);
    assert!(on_wire.ends_with(b"hunter22"));
    let logged = &c.wire().entries()[0].raw;
    assert_eq!(logged.len(), on_wire.len());
    assert!(logged.ends_with(b"********"));
}

#[test]
fn the_wire_log_records_both_directions_and_refusals() {
    let mut c = connected(Protocol::V5, true);
    c.receive(&[0x30, 3, 0, 1, b'#'], 2000);
    let log: Vec<(Dir, String, bool)> = c
        .wire()
        .entries()
        .iter()
        .map(|e| (e.dir, e.summary(Protocol::V5), e.error.is_some()))
        .collect();
    assert_eq!(log[0].0, Dir::Sent);
    assert!(log[0].1.starts_with("CONNECT clean_start=1 keepalive=10"));
    assert_eq!(
        log[1],
        (
            Dir::Received,
            "CONNACK session_present=0 0x00".into(),
            false
        )
    );
    assert_eq!((log[2].0, log[2].2), (Dir::Received, true));
    assert_eq!(log[3], (Dir::Sent, "DISCONNECT 0x81".into(), false));
}

/// Issue 23: aedes 1.2.0 answers a version 5 CONNECT with `20 02 00 01` and
/// closes; mosquitto 2.0.11 answers a wrong 3.1.1 password with `20 02 00 05`
/// and closes ([MQTT-3.2.2-5]). The bytes that came before the close are
/// decoded before the close is acted on: the refusal, not a lost connection.
#[test]
fn bytes_received_before_the_close_are_decoded_first_mqtt_3_2_2_5() {
    let mut c = Client::new(options(Protocol::V5, true));
    c.connect(0).unwrap();
    sent(&mut c);
    assert_eq!(
        c.transport_closed(&[0x20, 2, 0, 1], 5, "WebSocket code 1006"),
        Ended::Later
    );
    let e = events(&mut c);
    assert_eq!(
        e,
        [Event::Refused {
            code: ReasonCode::V311_UNACCEPTABLE_PROTOCOL_VERSION,
            protocol: Protocol::V311,
            reason_string: None
        }]
    );
    assert!(matches!(
        crate::reconnect::after(Protocol::V5, &e[0]),
        crate::reconnect::Next::Stop(t) if t.contains("Connect with version 3.1.1")
    ));
    // In the wire log: the CONNACK, then the close.
    let log: Vec<_> = c.wire().entries().iter().map(|w| w.dir).collect();
    assert_eq!(log, [Dir::Sent, Dir::Received, Dir::Note]);

    let mut c = Client::new(options(Protocol::V311, true));
    c.connect(0).unwrap();
    c.transport_closed(&[0x20, 2, 0, 5], 5, "WebSocket code 1006");
    assert_eq!(
        events(&mut c),
        [Event::Refused {
            code: ReasonCode::V311_NOT_AUTHORIZED,
            protocol: Protocol::V311,
            reason_string: None
        }]
    );
    // Nothing came: the broker closed without a CONNACK (rumqttd 0.20.0 on a
    // wrong password or a version 5 CONNECT).
    let mut c = Client::new(options(Protocol::V311, true));
    c.connect(0).unwrap();
    assert_eq!(
        c.transport_closed(&[], 5, "WebSocket code 1006"),
        Ended::WithoutConnack
    );
    assert!(events(&mut c).is_empty());
    assert!(!c.is_connected());
    // Before CONNECT, and after a CONNACK.
    let mut c = Client::new(options(Protocol::V311, true));
    assert_eq!(c.transport_closed(&[], 5, "x"), Ended::BeforeConnect);
    let mut c = connected(Protocol::V311, true);
    assert_eq!(c.transport_closed(&[], 2000, "x"), Ended::Later);
}

/// Issue 23: on 3.1.1 the broker announces no Receive Maximum and cannot
/// refuse a message it has no room for (mosquitto 2.0.11 dropped the 21st
/// QoS 2 message in flight and later ones): the client keeps at most
/// paho-mqtt 2.2.0's default of 20 in flight, and the rest wait.
#[test]
fn at_most_20_messages_in_flight_on_311() {
    let mut c = connected(Protocol::V311, true);
    assert_eq!(c.limits().receive_maximum, V311_MAX_IN_FLIGHT);
    for _ in 0..50 {
        c.publish(message("t", QoS::ExactlyOnce), 2000).unwrap();
    }
    assert_eq!(sent(&mut c).len(), 20);
    assert_eq!(c.in_flight(), 20);
    assert_eq!(c.waiting(), 30);
    // PUBREC for the first: it stays in flight (PUBREL) and nothing more goes.
    c.receive(&[0x50, 2, 0, 1], 2010);
    assert_eq!(sent(&mut c), [vec![0x62, 2, 0, 1]]);
    // PUBCOMP: its place goes to the 21st.
    c.receive(&[0x70, 2, 0, 1], 2020);
    let out = sent(&mut c);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0][0], 0x34, "a QoS 2 PUBLISH");
    assert_eq!(c.in_flight(), 20);
    // MQTT 5 takes the broker's Receive Maximum, 65,535 when it announces none.
    let c = connected(Protocol::V5, true);
    assert_eq!(c.limits().receive_maximum, u16::MAX);
}

/// Issue 23: at keepalive the client sends PINGREQ and reads PINGRESP with
/// no event at all; only the wire log grows, so the page must look at the
/// wire log, not at events, to show them while idle.
#[test]
fn pings_grow_the_wire_log_without_events() {
    let mut c = connected(Protocol::V5, true);
    let before = c.wire().last_seq();
    c.handle_timeout(11_000);
    assert_eq!(sent(&mut c), [vec![0xC0, 0]]);
    c.receive(&[0xD0, 0], 11_020);
    assert!(events(&mut c).is_empty());
    assert_eq!(c.wire().last_seq(), before + 2);
}

/// Issue 23: Topic Alias 0 in a received PUBLISH is "Topic Alias invalid",
/// DISCONNECT 0x94 (§3.3.2.3.4), not the 0x82 of other bad property values.
#[test]
fn a_received_topic_alias_0_is_refused_with_0x94_mqtt_3_3_2_8() {
    let mut c = connected(Protocol::V5, true);
    c.receive(&[0x30, 7, 0, 1, b't', 3, 0x23, 0, 0], 2000);
    closed_with(&mut c, ErrorKind::TopicAliasInvalid, "[MQTT-3.3.2-8]");
    assert_eq!(sent(&mut c), [vec![0xE0, 1, 0x94]]);
}

/// Issue 23: a SUBACK or UNSUBACK is matched to the request of its own kind
/// that used the identifier: one carrying the identifier of a pending
/// request of the other kind is a protocol error, not a confirmation.
#[test]
fn an_ack_of_the_other_kind_is_a_protocol_error_mqtt_2_2_1_6() {
    let mut c = connected(Protocol::V5, true);
    let id = c.unsubscribe(vec!["a".into()], 2000).unwrap();
    sent(&mut c);
    // SUBACK, reason 0, for the UNSUBSCRIBE's identifier.
    c.receive(&[0x90, 4, 0, id as u8, 0, 0], 2010);
    closed_with(&mut c, ErrorKind::ProtocolError, "[MQTT-2.2.1-6]");
    assert_eq!(sent(&mut c), [vec![0xE0, 1, 0x82]]);
    // And the reverse: UNSUBACK for a pending SUBSCRIBE.
    let mut c = connected(Protocol::V5, true);
    let id = c
        .subscribe(
            vec![Subscription {
                filter: "a".into(),
                ..Subscription::default()
            }],
            2000,
        )
        .unwrap();
    sent(&mut c);
    c.receive(&[0xB0, 4, 0, id as u8, 0, 0], 2010);
    closed_with(&mut c, ErrorKind::ProtocolError, "[MQTT-2.2.1-6]");
    // The right kind confirms.
    let mut c = connected(Protocol::V5, true);
    let id = c.unsubscribe(vec!["a".into()], 2000).unwrap();
    c.receive(&[0xB0, 4, 0, id as u8, 0, 0], 2010);
    assert!(matches!(&events(&mut c)[..], [Event::Unsubscribed { .. }]));
}

#[test]
fn an_ack_of_the_other_kind_is_a_protocol_error_on_311_mqtt_2_3_1_7() {
    let mut c = connected(Protocol::V311, true);
    let id = c.unsubscribe(vec!["a".into()], 2000).unwrap();
    sent(&mut c);
    c.receive(&[0x90, 3, 0, id as u8, 0], 2010);
    closed_with(&mut c, ErrorKind::ProtocolError, "[MQTT-2.3.1-7]");
    // 3.1.1 has no DISCONNECT from the client for it: the connection just closes.
    assert!(sent(&mut c).is_empty());
    let mut c = connected(Protocol::V311, true);
    let id = c
        .subscribe(
            vec![Subscription {
                filter: "a".into(),
                ..Subscription::default()
            }],
            2000,
        )
        .unwrap();
    c.receive(&[0xB0, 2, 0, id as u8], 2010);
    closed_with(&mut c, ErrorKind::ProtocolError, "[MQTT-2.3.1-7]");
}

/// Issue 23: this client's SUBSCRIBE never carries a Subscription
/// Identifier, so a PUBLISH that carries one is a protocol error (§3.3.4:
/// the server includes the identifiers of the subscriptions that had one).
#[test]
fn a_publish_with_a_subscription_identifier_never_sent_is_a_protocol_error_3_3_4() {
    let mut c = connected(Protocol::V5, true);
    c.receive(&[0x30, 6, 0, 1, b't', 2, 0x0B, 7], 2000);
    closed_with(&mut c, ErrorKind::ProtocolError, "§3.3.4");
    assert_eq!(sent(&mut c), [vec![0xE0, 1, 0x82]]);
}

/// Issue 23: a CONNACK with an Authentication Method answers a CONNECT
/// that had none ([MQTT-4.12.0-6]): a protocol error, not a connection.
#[test]
fn a_connack_with_an_authentication_method_not_sent_is_refused_mqtt_4_12_0_6() {
    let mut c = Client::new(options(Protocol::V5, true));
    c.connect(0).unwrap();
    sent(&mut c);
    // CONNACK 0 with Authentication Method "x".
    c.receive(&[0x20, 7, 0, 0, 4, 0x15, 0, 1, b'x'], 5);
    closed_with(&mut c, ErrorKind::ProtocolError, "[MQTT-4.12.0-6]");
    assert!(!c.is_connected());
}

/// Issue 23: only a client may send Session Expiry Interval in DISCONNECT
/// ([MQTT-3.14.2-2]): a broker's DISCONNECT with one is a protocol error.
#[test]
fn a_server_disconnect_with_session_expiry_is_a_protocol_error_mqtt_3_14_2_2() {
    let mut c = connected(Protocol::V5, true);
    c.receive(&[0xE0, 7, 0x8B, 5, 0x11, 0, 0, 0, 10], 2000);
    closed_with(&mut c, ErrorKind::ProtocolError, "[MQTT-3.14.2-2]");
    // Without it: the broker's DISCONNECT, as it is.
    let mut c = connected(Protocol::V5, true);
    c.receive(&[0xE0, 1, 0x8B], 2000);
    assert!(matches!(
        &events(&mut c)[..],
        [Event::ServerDisconnect {
            code: ReasonCode::SERVER_SHUTTING_DOWN,
            ..
        }]
    ));
}

/// Issue 23: the send quota belongs to the connection (§4.9: "not preserved
/// across Network Connections"). After a reconnect the unacknowledged
/// PUBLISHes go again only as far as the new CONNACK's Receive Maximum
/// allows, counting the QoS 2 messages between PUBREC and PUBCOMP (their
/// PUBREL goes at once: it is not a PUBLISH); the rest keep their place and
/// go, DUP 1 and in order, as acknowledgements free places, before any new
/// message.
#[test]
fn resends_respect_the_new_connacks_receive_maximum_mqtt_3_3_4_7() {
    let mut c = connected(Protocol::V5, false);
    for t in ["a", "b", "c", "d", "e"] {
        c.publish(message(t, QoS::AtLeastOnce), 2000).unwrap();
    }
    c.publish(message("f", QoS::ExactlyOnce), 2000).unwrap();
    c.receive(&[0x50, 2, 0, 6], 2010); // f reached PUBREC: PUBREL sent
    assert_eq!(sent(&mut c).len(), 7);
    events(&mut c);
    c.connection_lost(2020, "test");
    c.connect(3000).unwrap();
    sent(&mut c);
    // CONNACK, session present, Receive Maximum 3.
    c.receive(&[0x20, 6, 1, 0, 3, 0x21, 0, 3], 3010);
    let dup = |t: u8, id: u8| vec![0x3A, 7, 0, 1, t, 0, id, 0, b'x'];
    // f's PUBREL counts (mosquitto counts the QoS 2 message it holds), so
    // only a and b go again; c, d and e wait with their identifiers.
    assert_eq!(
        sent(&mut c),
        [dup(b'a', 1), dup(b'b', 2), vec![0x62, 2, 0, 6]]
    );
    assert!(matches!(
        &events(&mut c)[..],
        [
            Event::Connected { .. },
            Event::Resent {
                packet_id: 1,
                qos: QoS::AtLeastOnce
            },
            Event::Resent { packet_id: 2, .. },
            Event::Rereleased { packet_id: 6 }
        ]
    ));
    assert_eq!((c.in_flight(), c.held(), c.waiting()), (6, 3, 0));
    // A new message waits behind the held ones.
    c.publish(message("g", QoS::AtLeastOnce), 3020).unwrap();
    assert!(sent(&mut c).is_empty());
    // Each acknowledgement lets exactly one more go, oldest first.
    c.receive(&[0x40, 2, 0, 1], 3030);
    assert_eq!(sent(&mut c), [dup(b'c', 3)]);
    c.receive(&[0x70, 2, 0, 6], 3040);
    assert_eq!(sent(&mut c), [dup(b'd', 4)]);
    c.receive(&[0x40, 2, 0, 2], 3050);
    assert_eq!(sent(&mut c), [dup(b'e', 5)]);
    // Then g, for the first time: DUP 0, the next free identifier.
    c.receive(&[0x40, 2, 0, 3], 3060);
    assert_eq!(sent(&mut c), [vec![0x32, 7, 0, 1, b'g', 0, 7, 0, b'x']]);
    assert_eq!((c.in_flight(), c.held(), c.waiting()), (3, 0, 0));
}

/// Issue 23: what the session holds was allowed by the last CONNACK; a new
/// one may be stricter (a broker restarted with another configuration). A
/// PUBLISH it forbids may not be sent, not even again: the message is given
/// up and reported, its identifier kept out of use; a QoS 2 message past
/// PUBREC completes (PUBREL is no PUBLISH).
#[test]
fn what_the_new_connack_forbids_is_given_up_not_resent_mqtt_3_2_2_11() {
    let mut c = connected_with(
        Protocol::V5,
        false,
        Properties {
            receive_maximum: Some(5),
            ..Properties::default()
        },
    );
    c.publish(message("q2", QoS::ExactlyOnce), 2000).unwrap(); // id 1
    let retained = Message {
        retain: true,
        ..message("r", QoS::AtLeastOnce)
    };
    c.publish(retained, 2000).unwrap(); // id 2
    let big = Message {
        payload: vec![b'x'; 30],
        ..message("big", QoS::AtLeastOnce)
    };
    c.publish(big, 2000).unwrap(); // id 3
    c.publish(message("ok", QoS::AtLeastOnce), 2000).unwrap(); // id 4
    c.publish(message("rel", QoS::ExactlyOnce), 2000).unwrap(); // id 5
    c.publish(message("w", QoS::ExactlyOnce), 2000).unwrap(); // waits
    c.receive(&[0x50, 2, 0, 5], 2010);
    sent(&mut c);
    events(&mut c);
    c.connection_lost(2020, "test");
    c.connect(3000).unwrap();
    sent(&mut c);
    // Session present; Maximum QoS 1, Retain Available 0, Maximum Packet Size 20.
    c.receive(
        &[0x20, 12, 1, 0, 9, 0x24, 1, 0x25, 0, 0x27, 0, 0, 0, 20],
        3010,
    );
    assert_eq!(
        sent(&mut c),
        [
            vec![0x3A, 8, 0, 2, b'o', b'k', 0, 4, 0, b'x'],
            vec![0x62, 2, 0, 5]
        ]
    );
    let e = events(&mut c);
    let given_up: Vec<(Option<u16>, &str, &str)> = e
        .iter()
        .filter_map(|e| match e {
            Event::Abandoned { message, why } => {
                Some((message.packet_id, message.topic.as_str(), why.rule))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        given_up,
        [
            (Some(1), "q2", "[MQTT-3.2.2-11]"),
            (Some(2), "r", "[MQTT-3.2.2-14]"),
            (Some(3), "big", "[MQTT-3.2.2-15]"),
            (None, "w", "[MQTT-3.2.2-11]"),
        ]
    );
    assert!(matches!(
        e[e.len() - 2..],
        [
            Event::Resent { packet_id: 4, .. },
            Event::Rereleased { packet_id: 5 }
        ]
    ));
    assert_eq!((c.in_flight(), c.held(), c.waiting()), (2, 0, 0));
    // An acknowledgement for a given-up identifier finds nothing in flight.
    c.receive(&[0x40, 2, 0, 2], 3020);
    assert!(matches!(&events(&mut c)[..], [Event::Ignored(_)]));
}

/// Issue 23: this client declares Receive Maximum 20 in CONNECT. It
/// acknowledges QoS 1 at once, so the unacknowledged ones are QoS 2
/// messages waiting for PUBREL; a QoS 1 or 2 PUBLISH beyond 20 of them is the
/// broker's error ([MQTT-3.3.4-9]). The client takes it (mosquitto 2.0.11
/// does it after every reconnect with queued QoS 2 messages, and would do it
/// again on the next connection: see RECEIVE_MAXIMUM), reports each as an
/// event, and names the rule once a connection in the wire log, where the
/// inspector shows it. A copy of a message already counted is not a new one.
#[test]
fn more_publishes_than_our_receive_maximum_are_reported_mqtt_3_3_4_9() {
    let qos2 = |id: u8| [0x34, 7, 0, 1, b't', 0, id, 0, b'x'];
    let mut c = connected(Protocol::V5, true);
    for id in 1..=20 {
        c.receive(&qos2(id), 2000);
    }
    // A copy of 20 (DUP 1): acknowledged again, not delivered, not counted.
    let mut copy = qos2(20);
    copy[0] |= 0x08;
    c.receive(&copy, 2001);
    // PUBREL 1, PUBCOMP 1: a place is free for one more.
    c.receive(&[0x62, 2, 0, 1], 2002);
    c.receive(&qos2(21), 2003);
    let out = sent(&mut c);
    assert_eq!(out.len(), 23);
    assert_eq!(out[20], [0x50, 2, 0, 20]);
    assert_eq!(out[21], [0x70, 2, 0, 1]);
    let e = events(&mut c);
    assert_eq!(
        e.iter().filter(|e| matches!(e, Event::Message(_))).count(),
        21
    );
    assert!(e.contains(&Event::Duplicate { packet_id: 20 }));
    assert!(!e
        .iter()
        .any(|e| matches!(e, Event::OverReceiveMaximum { .. })));
    let notes = |c: &Client| {
        c.wire()
            .entries()
            .iter()
            .filter(|w| w.dir == Dir::Note)
            .map(|w| w.note.clone())
            .collect::<Vec<_>>()
    };
    assert!(notes(&c).is_empty());
    // 20 wait for PUBREL: a QoS 1 PUBLISH and a QoS 2 one are one and two too many.
    c.receive(&[0x32, 7, 0, 1, b't', 0, 22, 0, b'x'], 2004);
    c.receive(&qos2(23), 2005);
    assert_eq!(
        events(&mut c),
        [
            Event::OverReceiveMaximum { unacknowledged: 21 },
            Event::Message(Box::new(Publish {
                qos: QoS::AtLeastOnce,
                topic: "t".into(),
                packet_id: 22,
                payload: b"x".to_vec(),
                ..Publish::default()
            })),
            Event::OverReceiveMaximum { unacknowledged: 21 },
            Event::Message(Box::new(Publish {
                qos: QoS::ExactlyOnce,
                topic: "t".into(),
                packet_id: 23,
                payload: b"x".to_vec(),
                ..Publish::default()
            })),
        ]
    );
    // Acknowledged as usual; nothing closes.
    assert_eq!(sent(&mut c), [vec![0x40, 2, 0, 22], vec![0x50, 2, 0, 23]]);
    assert!(!c.should_close());
    assert_eq!(
        notes(&c),
        ["the broker exceeded this client's Receive Maximum of 20: a QoS 1 PUBLISH while 20 QoS 2 messages wait for PUBREL [MQTT-3.3.4-9]; taken, not answered with DISCONNECT 0x93"]
    );
    // 3.1.1 declares no Receive Maximum: 25 unreleased are nothing to report.
    let mut c = connected(Protocol::V311, true);
    for id in 1..=25 {
        c.receive(&[0x34, 6, 0, 1, b't', 0, id, b'x'], 2000);
    }
    assert_eq!(sent(&mut c).len(), 25);
    assert!(!events(&mut c)
        .iter()
        .any(|e| matches!(e, Event::OverReceiveMaximum { .. })));
}

/// Issue 23: this client declares Maximum Packet Size 262,144 in CONNECT; a
/// broker must not send more ([MQTT-3.1.2-24]), and a packet that does is
/// refused by its header, before its body arrives: DISCONNECT 0x95
/// (§3.1.2.11.4), the refused bytes in the inspector with the rule. One of
/// exactly 262,144 bytes is taken.
#[test]
fn a_packet_over_our_maximum_packet_size_is_disconnect_0x95_mqtt_3_1_2_24() {
    assert_eq!(MAX_PACKET, 262_144);
    // PUBLISH QoS 0, Remaining Length 262,140 (FC FF 0F): 1 + 3 + 262,140
    // bytes; topic "t", no properties, 262,136 bytes of payload.
    let mut fits = vec![0x30, 0xFC, 0xFF, 0x0F, 0, 1, b't', 0];
    fits.resize(262_144, b'x');
    let mut c = connected(Protocol::V5, true);
    c.receive(&fits, 2000);
    assert!(matches!(&events(&mut c)[..], [Event::Message(m)] if m.payload.len() == 262_136));
    // Remaining Length 262,141 (FD FF 0F): one byte too many, refused at once.
    c.receive(&[0x30, 0xFD, 0xFF, 0x0F], 2010);
    closed_with(&mut c, ErrorKind::TooLarge, "[MQTT-3.1.2-24]");
    assert_eq!(sent(&mut c), [vec![0xE0, 1, 0x95]]);
    let log = c.wire().entries();
    let refused = &log[log.len() - 2];
    assert_eq!(
        (refused.dir, refused.raw.as_slice()),
        (Dir::Received, &[0x30, 0xFD, 0xFF, 0x0F][..])
    );
    assert_eq!(
        refused.error.as_deref(),
        Some("Packet too large at byte 1: a 262145-byte packet; this client accepts at most 262144 bytes ([MQTT-3.1.2-24])")
    );
    assert_eq!(log[log.len() - 1].summary(Protocol::V5), "DISCONNECT 0x95");
}
