//! The claims table: every statement the app makes about how a library or
//! broker behaves, with its versions and source ([`CLAIMS`]), and the link a
//! text's `[[id]]` marker becomes ([`anchor`]).
//!
//! Apart from [`super`], the core's build script (`crates/core/build.rs`)
//! includes this file by path, to turn the markers of the content files into
//! links when it renders them; so it uses nothing else of the crate, and no
//! dependency.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Library {
    /// paho-mqtt, the Python client (eclipse/paho.mqtt.python).
    Paho,
    Mosquitto,
    ArduinoEsp32,
    /// The esp8266 Arduino core (esp8266/Arduino), BearSSL's WiFiClientSecure.
    Esp8266,
    PubSubClient,
    MqttJs,
    AwsSdk,
    HiveMq,
    PahoC,
    CPython,
}

impl Library {
    pub const ALL: [Library; 10] = [
        Library::Paho,
        Library::Mosquitto,
        Library::ArduinoEsp32,
        Library::Esp8266,
        Library::PubSubClient,
        Library::MqttJs,
        Library::AwsSdk,
        Library::HiveMq,
        Library::PahoC,
        Library::CPython,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Library::Paho => "paho-mqtt",
            Library::Mosquitto => "mosquitto",
            Library::ArduinoEsp32 => "arduino-esp32",
            Library::Esp8266 => "esp8266 Arduino core",
            Library::PubSubClient => "PubSubClient",
            Library::MqttJs => "MQTT.js",
            Library::AwsSdk => "AWS IoT Device SDK",
            Library::HiveMq => "HiveMQ MQTT Client",
            Library::PahoC => "Paho C",
            Library::CPython => "CPython",
        }
    }
}

/// How a claim is known to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Read in the source named; not run by the tests.
    Source,
    /// Also asked of the real system by the snippet suite (a check of the
    /// same id in `claim_checks` of tests/snippets/run.py).
    Oracle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    /// GitHub owner/name.
    pub repo: &'static str,
    /// A file, or `issues/N` / `pull/N`.
    pub path: &'static str,
    /// The tag or commit the file was read at (empty for issues).
    pub at: &'static str,
}

impl Source {
    pub fn url(&self) -> String {
        if self.path.starts_with("issues/") || self.path.starts_with("pull/") {
            format!("https://github.com/{}/{}", self.repo, self.path)
        } else {
            format!(
                "https://github.com/{}/blob/{}/{}",
                self.repo, self.at, self.path
            )
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    pub id: &'static str,
    pub library: Library,
    /// The versions it holds for.
    pub version: &'static str,
    /// The class, function or option it is about.
    pub subject: &'static str,
    pub statement: &'static str,
    pub source: Source,
    pub check: Check,
}

const PAHO: &str = "eclipse/paho.mqtt.python";
const PAHO_CLIENT: &str = "src/paho/mqtt/client.py";
const MOSQ: &str = "eclipse/mosquitto";
const ESP32: &str = "espressif/arduino-esp32";
const ESP8266: &str = "esp8266/Arduino";
const BEARSSL_CPP: &str = "libraries/ESP8266WiFi/src/WiFiClientSecureBearSSL.cpp";

macro_rules! claim {
    ($id:expr, $lib:ident, $ver:expr, $subject:expr, $statement:expr, ($repo:expr, $path:expr, $at:expr), $check:ident) => {
        Claim {
            id: $id,
            library: Library::$lib,
            version: $ver,
            subject: $subject,
            statement: $statement,
            source: Source {
                repo: $repo,
                path: $path,
                at: $at,
            },
            check: Check::$check,
        }
    };
}

pub const CLAIMS: &[Claim] = &[
    // --- paho-mqtt (Python)
    claim!("paho-v311-connack", Paho, "2.0–2.2", "Client._handle_connack, convert_connack_rc_to_reason_code",
        "On MQTT 3.1.1, paho turns the CONNACK return code into an MQTT 5 ReasonCode before it calls a VERSION2 on_connect: 1→132, 2→133, 3→136, 4→134, 5→135.",
        (PAHO, PAHO_CLIENT, "v2.1.0"), Oracle),
    claim!("paho-v311-rc1-downgrade", Paho, "2.0–2.2", "Client._handle_connack",
        "On MQTT 3.1.1, a CONNACK with return code 1 is not passed to on_connect: paho reconnects with MQTT 3.1 and calls on_connect (with 132) only if that is refused too. With reconnect_on_failure=False it drops the connection instead.",
        (PAHO, PAHO_CLIENT, "v2.1.0"), Oracle),
    claim!("paho-v311-suback", Paho, "2.0–2.2", "decode_suback (2.2), Client._handle_suback (2.1)",
        "On MQTT 3.1.1, a SUBACK failure return code 0x80 reaches on_subscribe as ReasonCode 128, Unspecified error.",
        (PAHO, PAHO_CLIENT, "v2.1.0"), Oracle),
    claim!("paho-reasoncode-names", Paho, "2.0–2.2", "ReasonCode.__eq__, ReasonCode.names",
        "ReasonCode compares equal to an int by value and to a str by paho's own name, case-sensitively: \"Bad user name or password\", not the specification's \"Bad User Name or Password\".",
        (PAHO, "src/paho/mqtt/reasoncodes.py", "v2.1.0"), Oracle),
    claim!("paho-pubrec-ignored", Paho, "2.0–2.2", "Client._handle_pubrec",
        "paho ignores the reason code of a PUBREC and sends PUBREL anyway; on_publish then gets PUBCOMP's reason code, so a PUBREC refusal never reaches a callback.",
        (PAHO, PAHO_CLIENT, "v2.1.0"), Oracle),
    claim!("paho-pubcomp-on-publish", Paho, "2.0–2.2", "Client._handle_pubackcomp",
        "The reason code of a PUBACK (QoS 1) or a PUBCOMP (QoS 2) reaches on_publish.",
        (PAHO, PAHO_CLIENT, "v2.1.0"), Oracle),
    claim!("paho-pubrel-ignored", Paho, "2.0–2.2", "Client._handle_pubrel",
        "paho ignores the reason code of a PUBREL it receives: it delivers the message and answers PUBCOMP; no callback sees the code.",
        (PAHO, PAHO_CLIENT, "v2.1.0"), Source),
    claim!("paho-no-auth", Paho, "2.0–2.2", "Client._packet_handle",
        "paho has no enhanced authentication: an AUTH packet is an unrecognised command, paho closes the connection and on_disconnect reports 128 Unspecified error (2.0, 2.1) or 130 Protocol error (2.2).",
        (PAHO, PAHO_CLIENT, "v2.1.0"), Oracle),
    claim!("paho-enable-logger", Paho, "2.0–2.2", "Client.enable_logger, Client._easy_log, LOGGING_LEVEL",
        "enable_logger() sends paho's messages to the logger \"paho.mqtt.client\" at their own levels: the packet traces (\"Sending CONNECT\", \"Received CONNACK\") at DEBUG, which print only once Python logging is configured at DEBUG, for example logging.basicConfig(level=logging.DEBUG); errors such as \"Caught exception in on_connect\" at ERROR, which print even with logging unconfigured, through logging's last-resort handler on stderr.",
        (PAHO, PAHO_CLIENT, "v2.2.0"), Oracle),
    claim!("paho-resend-on-reconnect", Paho, "2.0–2.2", "Client._messages_reconnect_reset_out",
        "When the same Client object reconnects, paho resends unacknowledged outgoing QoS 1 messages (with DUP set) and restarts or continues QoS 2 ones, whatever the clean session or clean start setting: the publisher's side of a clean session still resends while the process lives.",
        (PAHO, PAHO_CLIENT, "v2.1.0"), Oracle),
    claim!("paho-qos2-clean-restart", Paho, "2.0–2.2", "Client._messages_reconnect_reset_out, _check_clean_session",
        "With a clean session (clean_session=True on 3.1.1, clean_start=True on 5.0), a reconnecting Client sends an unfinished outgoing QoS 2 message again from PUBLISH with DUP set, even when it had already sent PUBREL; with the session kept it sends PUBREL again instead.",
        (PAHO, PAHO_CLIENT, "v2.1.0"), Oracle),
    claim!("paho-reconnect-delay", Paho, "2.0–2.2", "Client.reconnect_delay_set, Client._reconnect_wait",
        "The automatic reconnect waits min_delay (default 1 s), doubles after each failure up to max_delay (default 120 s), starts over only after a successful CONNACK, and adds no jitter.",
        (PAHO, PAHO_CLIENT, "v2.1.0"), Source),
    claim!("paho-loop-start-thread", Paho, "2.0–2.2", "Client.loop_start",
        "loop_start() runs loop_forever() in a background thread; both wait in select() with a timeout rather than spinning.",
        (PAHO, PAHO_CLIENT, "v2.1.0"), Oracle),
    claim!("paho-loop-return", Paho, "2.0–2.2", "Client.loop, Client._loop",
        "loop() returns MQTT_ERR_SUCCESS (0) while the connection lasts and an error code once it has ended: MQTT_ERR_CONN_LOST (7) when the broker closes the connection, MQTT_ERR_NO_CONN (4) when there is none; a program's own loop can end on any non-zero value.",
        (PAHO, PAHO_CLIENT, "v2.2.0"), Oracle),
    claim!("paho-network-loop", Paho, "2.0–2.2", "Client.loop, loop_start, loop_forever, Client._packet_queue",
        "paho reads the socket only inside loop(), loop_start()'s thread or loop_forever(): without one no CONNACK, acknowledgement or message is read, on_connect and on_message never fire, and no PINGREQ is sent. Writing does not wait for a loop: with no loop thread, publish(), subscribe() and disconnect() write their packet at once (_packet_queue calls loop_write()), so a QoS 0 publish without any loop reaches the broker and fires on_publish.",
        (PAHO, PAHO_CLIENT, "v2.2.0"), Oracle),
    claim!("paho-disconnect-writes", Paho, "2.0–2.2", "Client.disconnect, Client._packet_write",
        "With no loop thread, disconnect() writes the DISCONNECT at once and closes the socket itself (_packet_write); no loop() is needed after it, and a loop() called afterwards returns 4, MQTT_ERR_NO_CONN.",
        (PAHO, PAHO_CLIENT, "v2.2.0"), Oracle),
    claim!("paho-loop-ends", Paho, "2.0–2.2", "Client.loop_forever, Client.loop_stop",
        "loop_forever() returns once disconnect() has been called (from a callback or another thread), without reconnecting, and loop_stop() ends loop_start()'s thread: every one of the three loops lets a program disconnect and stop before the device sleeps.",
        (PAHO, PAHO_CLIENT, "v2.2.0"), Oracle),
    claim!("paho-tls-handshake-timeout", Paho, "2.0–2.2", "Client._ssl_wrap_socket, Client.connect_timeout",
        "The TLS handshake's socket timeout is the keepalive in paho 2.0 and 2.1 and connect_timeout (seconds, default 5.0) in 2.2; connect_timeout always bounds the TCP connect.",
        (PAHO, PAHO_CLIENT, "v2.2.0"), Oracle),
    claim!("paho-no-tls-resumption", Paho, "2.0–2.2", "Client._ssl_wrap_socket",
        "paho never passes session= to wrap_socket, so every reconnect is a full TLS handshake.",
        (PAHO, PAHO_CLIENT, "v2.1.0"), Source),
    claim!("paho-publish-wildcard", Paho, "2.0–2.2", "Client.publish",
        "publish() raises ValueError for a topic with + or #: paho never sends a wildcard topic name.",
        (PAHO, PAHO_CLIENT, "v2.1.0"), Oracle),
    claim!("paho-connect-fail-tls", Paho, "2.0–2.2", "Client.on_connect_fail, Client.loop_forever",
        "When the broker closes the socket before the TLS handshake completes (mosquitto at max_connections on a TLS listener), the automatic reconnect calls on_connect_fail, not on_connect or on_disconnect.",
        (PAHO, PAHO_CLIENT, "v2.1.0"), Oracle),
    claim!("paho-takeover-local-128", Paho, "2.0–2.2", "Client.on_disconnect",
        "When a broker closes the connection without a DISCONNECT packet, on_disconnect gets 128 Unspecified error, made up by paho locally.",
        (PAHO, PAHO_CLIENT, "v2.1.0"), Oracle),
    claim!("paho-oversize-puback", Paho, "2.0–2.2", "ReasonCode.unpack",
        "A PUBACK whose reason code is not a PUBACK code in Table 2-6 (mosquitto's 0x95) is not decoded: paho 2.2 drops the connection with 130 Protocol error, and in paho 2.1 the ValueError ends the network thread.",
        (PAHO, "src/paho/mqtt/reasoncodes.py", "v2.1.0"), Oracle),
    // --- CPython
    claim!("cpython-tls-session", CPython, "3.6 and later", "ssl.SSLContext.wrap_socket(session=...)",
        "CPython resumes a TLS session only when a previous SSLSession is passed to wrap_socket(session=...); OpenSSL keeps no client-side session cache by default.",
        ("python/cpython", "Doc/library/ssl.rst", "v3.11.7"), Source),
    // --- mosquitto
    claim!("mosquitto-comments", Mosquitto, "2.0.11", "mosquitto.conf(5) File Format; conf__parse_string, conf__parse_bool, conf__parse_int",
        "Only a line whose very first character is # is a comment (mosquitto.conf(5)). A # after an option is not one, and what it does depends on the option's type: a string option (password_file, tls_version, cafile) takes the rest of the line as its value, and 2.0.11 refuses to start (\"Unable to open pwfile\", \"Unsupported tls_version\"); a boolean or number option reads one word and ignores the rest, so allow_anonymous true # c, max_connections 5 # c and listener 18838 127.0.0.1 # c start as if the comment were not there.",
        (MOSQ, "src/conf.c", "v2.0.11"), Oracle),
    claim!("mosquitto-queue-qos0", Mosquitto, "2.0", "queue_qos0_messages, max_queued_messages",
        "queue_qos0_messages defaults to false: a QoS 0 message published while a subscriber with a persistent session is disconnected is not kept and never reaches it; QoS 1 and 2 messages are queued for it (up to max_queued_messages, default 1000) and delivered when it returns.",
        (MOSQ, "man/mosquitto.conf.5.xml", "v2.0.11"), Oracle),
    claim!("mosquitto-anonymous-default", Mosquitto, "2.0", "allow_anonymous",
        "From 2.0, allow_anonymous defaults to false: with a listener defined and no password file, every client is refused (135 Not authorized, 5 on 3.1.1).",
        (MOSQ, "man/mosquitto.conf.5.xml", "v2.0.11"), Oracle),
    claim!("mosquitto-websockets-alone", Mosquitto, "2.0.11", "listener, protocol websockets",
        "mosquitto 2.0.11 with only websockets listeners exits with \"Unable to start any listening sockets\"; with a TCP listener as well it starts.",
        (MOSQ, "src/mosquitto.c", "v2.0.11"), Oracle),
    claim!("mosquitto-websockets-bind", Mosquitto, "2.0.11", "listener PORT ADDRESS, protocol websockets",
        "mosquitto 2.0.11's websockets listener listens on every interface even when the listener names 127.0.0.1; the TCP listener honours the address.",
        (MOSQ, "src/websockets.c", "v2.0.11"), Oracle),
    claim!("mosquitto-qos2-release-on-pubrel", Mosquitto, "2.0.11", "handle__publish, db__message_release_incoming",
        "An incoming QoS 2 message is stored when its PUBLISH arrives and passed on to subscribers only when PUBREL arrives; a resent PUBLISH with the same identifier is answered with PUBREC and not passed on again; a clean start discards the session with the messages still stored.",
        (MOSQ, "src/handle_publish.c", "v2.0.11"), Oracle),
    claim!("mosquitto-takeover", Mosquitto, "2.0.11, 2.0.15", "connect__on_authorised",
        "When a second client connects with the same client id, mosquitto closes the first connection; from 2.0.15 it first sends an MQTT 5 client DISCONNECT 0x8E Session taken over, 2.0.11 closes without one (\"Client X already connected, closing old connection\").",
        (MOSQ, "src/handle_connect.c", "v2.0.15"), Oracle),
    claim!("mosquitto-max-connections", Mosquitto, "2.0", "max_connections, net__socket_accept",
        "max_connections is per listener (default -1, no limit of mosquitto's own); over it, mosquitto closes the new socket in src/net.c right after accepting it, before any TLS handshake or CONNACK, and logs “Client connection from ... denied: max_connections exceeded”.",
        (MOSQ, "src/net.c", "v2.0.11"), Oracle),
    claim!("mosquitto-max-connections-2011", Mosquitto, "2.0.11 (fixed in 2.0.12)", "max_connections, net__socket_close",
        "mosquitto 2.0.11 miscounts max_connections on plain TCP and TLS listeners alike: net__socket_close (lib/net_mosq.c) lowers the listener's client count every time it runs for a client, and it runs more than once, so each client that has connected and gone (on plain TCP even a connection closed before its CONNECT) lowers the count once too often and after N such clients the limit lets N more connections in. 2.0.12 fixes it (commit 79542158, “Fix max_connections option not being correctly counted”, which forgets the listener after the first decrement).",
        (MOSQ, "lib/net_mosq.c", "v2.0.12"), Oracle),
    claim!("mosquitto-wrong-password", Mosquitto, "2.0", "password_file",
        "mosquitto 2.0 answers a wrong password, or a client without one, with 135 Not authorized (MQTT 5) or 5 (MQTT 3.1.1), not 134 or 4.",
        (MOSQ, "src/handle_connect.c", "v2.0.11"), Oracle),
    claim!("mosquitto-wildcard-publish", Mosquitto, "2.0.11", "handle__publish",
        "A PUBLISH whose topic name contains + or # is a protocol error to mosquitto 2.0.11: an MQTT 5 client gets DISCONNECT 0x82 Protocol Error and the connection is closed.",
        (MOSQ, "src/handle_publish.c", "v2.0.11"), Oracle),
    claim!("mosquitto-max-packet-size", Mosquitto, "2.0.11", "max_packet_size, packet__read",
        "A packet larger than max_packet_size ends the connection: packet__read (lib/packet_mosq.c) checks the Remaining Length as soon as it has read it, sends an MQTT 5 client DISCONNECT 0x95 Packet too large (an MQTT 3.1.1 client gets none) and closes.",
        (MOSQ, "lib/packet_mosq.c", "v2.0.11"), Oracle),
    claim!("mosquitto-message-size-limit", Mosquitto, "2.0.11", "message_size_limit, handle__publish",
        "A QoS 1 or 2 message with a payload over message_size_limit is dropped and answered with PUBACK or PUBREC 0x95, a code Table 2-6 does not allow in those packets; QoS 0 is dropped silently.",
        (MOSQ, "src/handle_publish.c", "v2.0.11"), Oracle),
    claim!("mosquitto-acl-publish", Mosquitto, "2.0.11", "acl_file, handle__publish",
        "A QoS 1 PUBLISH that the ACL does not allow is answered with PUBACK 0x87 Not authorized (MQTT 5) and not delivered; with no subscriber at all the PUBACK carries 0x10 No matching subscribers.",
        (MOSQ, "src/handle_publish.c", "v2.0.11"), Oracle),
    claim!("mosquitto-acl-subscribe", Mosquitto, "2.0.11", "acl_file, handle__subscribe",
        "A SUBSCRIBE to a filter the ACL does not allow reading is still granted (SUBACK with the QoS asked for); mosquitto then withholds the messages at delivery.",
        (MOSQ, "src/handle_subscribe.c", "v2.0.11"), Oracle),
    claim!("mosquitto-sys-maximum", Mosquitto, "2.0", "$SYS/broker/clients/maximum",
        "$SYS/broker/clients/maximum is the largest number of clients connected at the same time since the broker started, not a limit; max_connections is not published under $SYS.",
        (MOSQ, "man/mosquitto.8.xml", "v2.0.11"), Source),
    claim!("mosquitto-sys-interval", Mosquitto, "2.0", "sys_interval",
        "$SYS topics are updated every sys_interval seconds, 10 by default.",
        (MOSQ, "man/mosquitto.conf.5.xml", "v2.0.11"), Source),
    claim!("mosquitto-sub-hex", Mosquitto, "2.0", "mosquitto_sub -F %x",
        "mosquitto_sub -F '%x' prints each payload in hexadecimal.",
        (MOSQ, "man/mosquitto_sub.1.xml", "v2.0.11"), Oracle),
    // --- arduino-esp32
    claim!("esp32-wificlient-settimeout", ArduinoEsp32, "1.x, 2.x", "WiFiClient::setTimeout(uint32_t seconds)",
        "WiFiClient::setTimeout takes seconds: setTimeout(60000) asks for 60,000 s, almost 17 hours.",
        (ESP32, "issues/3732", ""), Source),
    claim!("esp32-secure-settimeout-noop", ArduinoEsp32, "1.x, 2.x before PR 6562 (2022)", "WiFiClientSecure::setTimeout",
        "WiFiClientSecure::setTimeout was { return 0; }: it did nothing at all. PR 6562 (2022) made it set the socket timeouts, in seconds like WiFiClient's.",
        (ESP32, "pull/6562", ""), Source),
    claim!("esp32-settimeout-3x", ArduinoEsp32, "3.x", "NetworkClient::setTimeout",
        "From 3.0, setTimeout is Stream's: milliseconds.",
        (ESP32, "pull/6676", ""), Source),
    claim!("esp32-handshake-timeout", ArduinoEsp32, "1.0.5 and later", "WiFiClientSecure::setHandshakeTimeout(unsigned long), NetworkClientSecure in 3.x",
        "setHandshakeTimeout takes seconds: WiFiClientSecure.cpp (NetworkClientSecure.cpp in 3.x) multiplies it by 1000, and ssl_client.cpp gives up the handshake after that many milliseconds (default 120 s). The method came with PR 2044 (November 2018): older arduino-esp32 releases do not have it.",
        (ESP32, "libraries/WiFiClientSecure/src/WiFiClientSecure.cpp", "2.0.17"), Source),
    // --- esp8266 Arduino core
    claim!("esp8266-bearssl-timeouts", Esp8266, "2.6.0 to 3.1.2", "BearSSL::WiFiClientSecure, _run_until",
        "The BearSSL WiFiClientSecure gives the TLS handshake a fixed 15,000 ms and reads and writes after it 5,000 ms; setTimeout does not reach the handshake (2.x resets it in _connectSSL, 3.x does not pass it to WiFiClientSecureCtx; issues 8203 and 9273). The bound came with PR 6449, first released in 2.6.0: in 2.5.2 _run_until has no timeout, and a handshake waits for the server as long as the TCP connection stays up.",
        (ESP8266, BEARSSL_CPP, "3.1.2"), Source),
    claim!("esp8266-160mhz", Esp8266, "2.5 and later", "BearSSL WiFiClientSecure documentation",
        "The core's documentation recommends running TLS sketches at 160 MHz.",
        (ESP8266, "doc/esp8266wifi/bearssl-client-secure-class.rst", "3.1.2"), Source),
    claim!("esp8266-session", Esp8266, "2.5 and later", "BearSSL::Session, WiFiClientSecure::setSession",
        "A BearSSL::Session kept across connections resumes the TLS session; the core's maintainer measured reconnections about 80 % faster (issue 5110, PR 5160).",
        (ESP8266, "pull/5160", ""), Source),
    claim!("esp8266-issue-6247-server", Esp8266, "2.5", "WiFiServerSecure",
        "Issue 6247's 2–6 s handshakes were measured with the ESP8266 as a TLS server, not as a client.",
        (ESP8266, "issues/6247", ""), Source),
    claim!("esp8266-handshake-5s", Esp8266, "2.4", "WiFiClientSecure",
        "The core's maintainer: “SSL negotiation can take 5 seconds even at 160MHz for some websites”; long handshakes at 80 MHz can trip the watchdog.",
        (ESP8266, "issues/4898", ""), Source),
    // --- PubSubClient
    claim!("pubsubclient-socket-timeout", PubSubClient, "2.8", "PubSubClient::setSocketTimeout(uint16_t)",
        "setSocketTimeout takes seconds (MQTT_SOCKET_TIMEOUT, default 15).",
        ("knolleary/pubsubclient", "src/PubSubClient.cpp", "v2.8"), Source),
    claim!("pubsubclient-keepalive", PubSubClient, "2.8", "PubSubClient::setKeepAlive(uint16_t)",
        "setKeepAlive takes seconds (MQTT_KEEPALIVE, default 15).",
        ("knolleary/pubsubclient", "src/PubSubClient.h", "v2.8"), Source),
    // --- other clients' reconnect defaults
    claim!("mqttjs-reconnect", MqttJs, "5.x", "reconnectPeriod",
        "MQTT.js reconnects after a fixed reconnectPeriod of 1000 ms, without backoff.",
        ("mqttjs/MQTT.js", "README.md", "v5.10.1"), Source),
    claim!("aws-mqtt5-reconnect", AwsSdk, "aws-c-mqtt 0.9", "AWS_MQTT5_CLIENT_DEFAULT_MIN_RECONNECT_DELAY_MS, _MAX_RECONNECT_DELAY_MS, _MIN_CONNECTED_TIME_TO_RESET_RECONNECT_DELAY_MS",
        "The AWS IoT Device SDK v2's MQTT 5 client (aws-c-mqtt) reconnects with exponential backoff from 1,000 ms up to 120,000 ms and full jitter by default (each wait drawn between 0 and the exponential delay, s_update_reconnect_delay_for_pending_reconnect in source/v5/mqtt5_client.c), and resets the backoff after 30,000 ms connected; the defaults are defined in mqtt5_utils.h.",
        ("awslabs/aws-c-mqtt", "include/aws/mqtt/private/v5/mqtt5_utils.h", "v0.9.10"), Source),
    claim!("hivemq-reconnect", HiveMq, "1.3", "MqttClientAutoReconnect, MqttClientBuilderBase.automaticReconnect",
        "The HiveMQ MQTT Client reconnects automatically only when the builder asks for it (automaticReconnect() or automaticReconnectWithDefaultConfig(); without it, no automatic reconnect). Turned on, it waits 1 s and doubles to 120 s, with ±25 % random.",
        ("hivemq/hivemq-mqtt-client", "src/main/java/com/hivemq/client/mqtt/lifecycle/MqttClientAutoReconnect.java", "v1.3.3"), Source),
    claim!("pahoc-reconnect", PahoC, "1.3", "MQTTAsync_connectOptions.automaticReconnect, MQTTAsync_randomJitter",
        "Paho C's automatic reconnect is off by default (automaticReconnect 0); turned on, it waits 1 s doubling to 60 s, each wait a whole number of seconds drawn between the interval ÷ 1.2 and × 1.2 (−16.7 % to +20 %, not ±20 %).",
        ("eclipse/paho.mqtt.c", "src/MQTTAsyncUtils.c", "v1.3.13"), Source),
];

/// The tooltip of a claim's link: what it says and for which version.
pub fn link_title(library: Library, version: &str, subject: &str, source: &Source) -> String {
    format!(
        "{} {}, {} ({} at {})",
        library.name(),
        version,
        subject,
        source.path,
        if source.at.is_empty() {
            "GitHub"
        } else {
            source.at
        }
    )
}

/// The link a `[[id]]` marker becomes: "[source]", to the file or issue read.
pub fn anchor(library: Library, version: &str, subject: &str, source: &Source) -> String {
    format!(
        "<a class=\"source\" href=\"{}\" title=\"{}\" target=\"_blank\" rel=\"noopener\">[source]</a>",
        source.url(),
        escape_attr(&link_title(library, version, subject, source))
    )
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
