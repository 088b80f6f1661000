//! Issue 22's corrections, each guarded where it lives: a statement that the
//! snippet suite can ask of paho-mqtt or mosquitto is an Oracle claim (and
//! the suite fails without its check); these tests pin the corrected words,
//! the version and the source file read, so that the old text cannot return.

// `Target` comes with the parent's imports, wherever it is defined.
use super::*;

/// A source file of the repository, read at test time.
fn read(path: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn claim(id: &str) -> &'static Claim {
    find(id).unwrap_or_else(|| panic!("no claim {id}"))
}

/// Item 1: with QoS 0 on both sides a persistent session keeps no message
/// (mosquitto's queue_qos0_messages defaults to false), and QoS 0 has nothing
/// to resend; with QoS 1 the promise stands.
#[test]
fn item_1_the_qos_snippet_promises_no_kept_qos0_message() {
    let t = Target::display();
    let qos0 = crate::qos::snippets::python(
        &crate::qos::Inputs {
            pub_qos: 0,
            sub_qos: 0,
            persistent: true,
            ..crate::qos::Inputs::default()
        },
        &t,
    );
    assert!(!qos0.contains("resends unacknowledged"), "{qos0}");
    assert!(!qos0.contains("keeps\n# QoS 0"), "{qos0}");
    assert!(qos0.contains("not your QoS 0 messages"), "{qos0}");
    assert!(
        qos0.contains("queue_qos0_messages is false by default"),
        "{qos0}"
    );
    let qos1 = crate::qos::snippets::python(
        &crate::qos::Inputs {
            pub_qos: 1,
            sub_qos: 1,
            persistent: true,
            ..crate::qos::Inputs::default()
        },
        &t,
    );
    assert!(
        qos1.contains("the broker keeps\n# QoS 1 messages for you"),
        "{qos1}"
    );
    let c = claim("mosquitto-queue-qos0");
    assert_eq!(c.check, Check::Oracle);
    assert_eq!(c.source.path, "man/mosquitto.conf.5.xml");
    assert!(c.statement.contains("defaults to false"));
    let e = crate::snippets::Entry::find("qos.python").unwrap();
    assert!(e.claims.contains(&"mosquitto-queue-qos0"));
}

/// Item 3: paho writes without a loop (`_packet_queue` calls `loop_write()`
/// when no loop thread runs); only reading needs one.
#[test]
fn item_3_paho_writes_without_a_loop() {
    let c = claim("paho-network-loop");
    assert_eq!(c.check, Check::Oracle);
    assert_eq!(c.source.at, "v2.2.0");
    assert!(c.statement.contains("_packet_queue calls loop_write()"));
    assert!(c.statement.contains("fires on_publish"));
    assert!(!c.statement.contains("reads and writes the socket only"));
    let debug = read("crates/core/src/debug.rs");
    assert!(!debug.contains("only reads and writes the socket"));
    assert!(debug.contains("publish() writes its packet at once"));
}

/// Item 4: errors are logged at ERROR, which logging's last-resort handler
/// prints even when logging is not configured.
#[test]
fn item_4_enable_logger_errors_print_unconfigured() {
    let c = claim("paho-enable-logger");
    assert!(c.statement.contains("Caught exception in on_connect"));
    assert!(c.statement.contains("at ERROR"));
    assert!(c.statement.contains("last-resort handler"));
    assert!(!c.statement.contains("nothing is printed unless"));
    assert!(!read("crates/core/src/debug.rs").contains("enable_logger() alone prints nothing"));
}

/// Item 5: a trailing comment breaks string options only.
#[test]
fn item_5_trailing_comments_break_string_options_only() {
    let c = claim("mosquitto-comments");
    assert_eq!((c.source.path, c.source.at), ("src/conf.c", "v2.0.11"));
    assert_eq!(c.check, Check::Oracle);
    for s in [
        "allow_anonymous true # c",
        "max_connections 5 # c",
        "listener 18838 127.0.0.1 # c",
        "\"Unable to open pwfile\"",
    ] {
        assert!(c.statement.contains(s), "{s}");
    }
}

/// Item 6: 2.0.11's miscount is in net__socket_close, on any listener.
#[test]
fn item_6_the_2011_miscount_is_not_tls_only() {
    let c = claim("mosquitto-max-connections-2011");
    assert_eq!((c.source.path, c.source.at), ("lib/net_mosq.c", "v2.0.12"));
    assert!(c.statement.contains("plain TCP and TLS listeners alike"));
    assert!(c.statement.contains("79542158"));
    assert!(!c.statement.contains("connected over TLS and gone"));
    let o = crate::capacity::compute(&crate::capacity::Inputs::default()).unwrap();
    let conf = crate::capacity::snippets::mosquitto_conf(&o, &Target::display());
    assert!(
        conf.contains("2.0.11 miscounts on every listener, TLS or\n# not"),
        "{conf}"
    );
}

/// Item 7: max_packet_size is enforced in lib/packet_mosq.c, packet__read.
#[test]
fn item_7_max_packet_size_is_read_in_packet_mosq() {
    let c = claim("mosquitto-max-packet-size");
    assert_eq!(
        (c.source.path, c.source.at),
        ("lib/packet_mosq.c", "v2.0.11")
    );
    assert!(c.statement.contains("packet__read"));
}

/// Item 12: on MQTT 3.1.1, 132 arrives too (return code 1, then paho's
/// refused MQTT 3.1 retry: claim paho-v311-rc1-downgrade).
#[test]
fn item_12_capacity_on_connect_counts_132() {
    let s = crate::capacity::snippets::on_connect(&Target::display());
    assert!(!s.contains("only 133, 134, 135 and 136"), "{s}");
    assert!(s.contains("On 3.1.1 only 132 to 136 can arrive"), "{s}");
    let e = crate::snippets::Entry::find("capacity.on-connect").unwrap();
    assert!(e.claims.contains(&"paho-v311-rc1-downgrade"));
}

/// Item 13: the capacity clients log in to the capacity broker (which has
/// allow_anonymous false), and the monitor reports a refusal. The snippet
/// suite runs both against that configuration, right and wrong password.
#[test]
fn item_13_capacity_clients_log_in() {
    let t = Target::display();
    let on_connect = crate::capacity::snippets::on_connect(&t);
    assert!(on_connect
        .contains("client.username_pw_set(\"sensor-0042\", os.environ[\"MQTT_PASSWORD\"])"));
    let o = crate::capacity::compute(&crate::capacity::Inputs::default()).unwrap();
    let monitor = crate::capacity::snippets::monitor(&o, 80.0, &t);
    assert!(monitor
        .contains("client.username_pw_set(\"capacity-monitor\", os.environ[\"MQTT_PASSWORD\"])"));
    assert!(
        monitor.contains("    if reason_code.is_failure:\n"),
        "{monitor}"
    );
    assert!(monitor.contains("Fix the credentials; not retrying."));
}

/// Item 14: no loop() after disconnect() in the battery snippet.
#[test]
fn item_14_no_loop_after_disconnect() {
    let s = crate::battery::snippets::python("loop", &Target::display());
    let after = s.split("client.disconnect()").nth(1).expect("disconnects");
    assert!(!after.contains("client.loop("), "{s}");
    assert!(!s.contains("# send the DISCONNECT"));
    assert_eq!(claim("paho-disconnect-writes").check, Check::Oracle);
    let e = crate::snippets::Entry::find("battery.python").unwrap();
    assert!(e.claims.contains(&"paho-disconnect-writes"));
}

/// Item 17: the manual loop() is not the only way to let a device sleep.
#[test]
fn item_17_every_loop_can_end() {
    let battery = read("src/widgets/battery.rs");
    assert!(!battery.contains("The only one of the three"));
    assert!(battery.contains("loop_forever() returns once disconnect() is called, and loop_stop() ends loop_start()'s thread [[paho-loop-ends]]"));
    assert_eq!(claim("paho-loop-ends").check, Check::Oracle);
}
