//! Where a generated snippet connects, listens and finds its files: the one
//! type the calculators' snippet generators and the snippet registry
//! ([`crate::snippets`]) share. It lives below both, so that the registry can
//! list the calculators' generators without the calculators importing the
//! registry back (issue 26: no import circles).

use serde::Serialize;

/// Where a snippet connects, listens and finds its files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    /// The broker's host name, as clients connect to it (and as its
    /// certificate names it).
    pub host: String,
    /// Plain MQTT over TCP (unencrypted).
    pub port: u16,
    /// MQTT over TLS.
    pub tls_port: u16,
    /// MQTT over WebSocket.
    pub ws_port: u16,
    /// The address every `listener` line binds to; `None`: all interfaces.
    pub bind: Option<String>,
    /// The CA certificate a client verifies the broker with.
    pub ca_file: String,
    /// The broker's CA, certificate and key (mosquitto.conf cafile, certfile, keyfile).
    pub broker_ca_file: String,
    pub broker_cert_file: String,
    pub broker_key_file: String,
    pub password_file: String,
    pub acl_file: String,
}

impl Target {
    /// What the page shows.
    pub fn display() -> Target {
        Target {
            host: "broker.example.internal".into(),
            port: 1883,
            tls_port: 8883,
            ws_port: 9001,
            bind: None,
            ca_file: "/etc/mqtt/ca.crt".into(),
            broker_ca_file: "/etc/mosquitto/certs/ca.crt".into(),
            broker_cert_file: "/etc/mosquitto/certs/server.crt".into(),
            broker_key_file: "/etc/mosquitto/certs/server.key".into(),
            password_file: "/etc/mosquitto/passwd".into(),
            acl_file: "/etc/mosquitto/acl".into(),
        }
    }

    /// A `listener` line for `port`, bound to [`Target::bind`] if set.
    pub fn listener(&self, port: u16) -> String {
        match &self.bind {
            Some(addr) => format!("listener {port} {addr}"),
            None => format!("listener {port}"),
        }
    }
}
