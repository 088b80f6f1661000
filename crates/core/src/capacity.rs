//! Broker connection capacity planner.
//!
//! Model (the chapter's formula, kept): required connections =
//! ceil(devices × 1.2) + backend services × 2 + monitoring tools × 3.
//! The 1.2 covers devices that reconnect while their old session is still
//! open, plus growth; 2 per backend service and 3 per monitoring tool are the
//! chapter's allowances (a service usually holds a publisher and a subscriber
//! connection). Integer arithmetic throughout, so the results are exact.

use crate::fields::{check_all, FieldError, NumberSpec};
use serde::{Deserialize, Serialize};

/// File descriptors the broker needs besides one per client: stdin, stdout
/// and stderr (3), the listening sockets, the log file, the persistence file
/// while it is written, the password and ACL files while they are read, and
/// the connections of bridges. 64 covers a broker with a handful of listeners
/// and bridges with room to spare; it is this tool's stated assumption, not a
/// mosquitto constant.
pub const RESERVED_FILE_DESCRIPTORS: u64 = 64;

pub const DEVICES: NumberSpec = NumberSpec {
    key: "devices",
    label: "Devices",
    unit: "",
    min: 0.0,
    max: 10_000_000.0,
    step: 10.0,
    slider_max: 20_000.0,
    integer: true,
    default: 1000.0,
};
pub const BACKEND: NumberSpec = NumberSpec {
    key: "backend",
    label: "Backend services",
    unit: "",
    min: 0.0,
    max: 100_000.0,
    step: 1.0,
    slider_max: 50.0,
    integer: true,
    default: 5.0,
};
pub const MONITORING: NumberSpec = NumberSpec {
    key: "monitoring",
    label: "Monitoring tools",
    unit: "",
    min: 0.0,
    max: 100_000.0,
    step: 1.0,
    slider_max: 20.0,
    integer: true,
    default: 2.0,
};
/// The chapter alerts at 80 % of capacity.
pub const ALERT: NumberSpec = NumberSpec {
    key: "alert",
    label: "Alert threshold",
    unit: "%",
    min: 10.0,
    max: 100.0,
    step: 1.0,
    slider_max: 100.0,
    integer: true,
    default: 80.0,
};
/// The chapter gives ~2-10 KB of session state per connection; 10 KiB (the
/// top of that range) is this tool's assumption. Real brokers vary with
/// subscriptions, queued messages and TLS buffers.
pub const SESSION_KIB: NumberSpec = NumberSpec {
    key: "session_kib",
    label: "Memory per session",
    unit: "KiB",
    min: 0.5,
    max: 10_240.0,
    step: 0.5,
    slider_max: 64.0,
    integer: false,
    default: 10.0,
};

/// The fields in form order.
pub const FIELDS: [NumberSpec; 5] = [DEVICES, BACKEND, MONITORING, ALERT, SESSION_KIB];

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Inputs {
    pub devices: f64,
    pub backend_services: f64,
    pub monitoring_tools: f64,
    pub alert_pct: f64,
    pub session_kib: f64,
}

impl Default for Inputs {
    fn default() -> Self {
        Self::from_values(FIELDS.map(|f| f.default))
    }
}

impl Inputs {
    /// Builds inputs from values in [`FIELDS`] order.
    pub fn from_values(v: [f64; 5]) -> Self {
        Self {
            devices: v[0],
            backend_services: v[1],
            monitoring_tools: v[2],
            alert_pct: v[3],
            session_kib: v[4],
        }
    }

    pub fn validate(&self) -> Result<(), FieldError> {
        check_all(
            &FIELDS,
            &[
                self.devices,
                self.backend_services,
                self.monitoring_tools,
                self.alert_pct,
                self.session_kib,
            ],
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Outputs {
    pub required_connections: u64,
    /// Broker limit that puts the required load exactly at the alert threshold.
    pub recommended_limit: u64,
    pub memory_mib: f64,
    /// Open-file limit for the broker process: the recommended limit plus
    /// [`RESERVED_FILE_DESCRIPTORS`] (size for the limit, not for today's load,
    /// since the limit is what the broker can reach).
    pub file_descriptors: u64,
}

/// ceil(devices × 1.2) + backend × 2 + monitoring × 3, exactly.
pub fn required_connections(devices: u64, backend_services: u64, monitoring_tools: u64) -> u64 {
    // ceil(d × 6 / 5) in integers; saturating so huge values cannot overflow.
    let device_share = devices.saturating_mul(6).saturating_add(4) / 5;
    device_share
        .saturating_add(backend_services.saturating_mul(2))
        .saturating_add(monitoring_tools.saturating_mul(3))
}

/// ceil(required / (alert % / 100)) in integers.
pub fn recommended_limit(required: u64, alert_pct: u64) -> u64 {
    let alert = alert_pct.clamp(1, 100);
    required.saturating_mul(100).saturating_add(alert - 1) / alert
}

pub fn compute(inputs: &Inputs) -> Result<Outputs, FieldError> {
    inputs.validate()?;
    // Validated: whole, finite and in range, so these casts are exact.
    let required = required_connections(
        inputs.devices as u64,
        inputs.backend_services as u64,
        inputs.monitoring_tools as u64,
    );
    let limit = recommended_limit(required, inputs.alert_pct as u64);
    Ok(Outputs {
        required_connections: required,
        recommended_limit: limit,
        memory_mib: required as f64 * inputs.session_kib / 1024.0,
        file_descriptors: limit + RESERVED_FILE_DESCRIPTORS,
    })
}

/// Points for the chart: required connections for device counts from 0 to
/// twice the current count (at least 10), `n` points; none for invalid inputs.
pub fn curve(inputs: &Inputs, n: usize) -> Vec<(f64, f64)> {
    if inputs.validate().is_err() {
        return Vec::new();
    }
    let top = (inputs.devices * 2.0).max(10.0);
    let n = n.max(2);
    (0..n)
        .map(|i| {
            let d = (top * i as f64 / (n - 1) as f64).round();
            let r = required_connections(
                d as u64,
                inputs.backend_services as u64,
                inputs.monitoring_tools as u64,
            );
            (d, r as f64)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn inputs(d: f64, b: f64, m: f64, a: f64, s: f64) -> Inputs {
        Inputs::from_values([d, b, m, a, s])
    }

    #[test]
    fn chapter_worked_example_1216() {
        // Chapter 31: (1000 × 1.2) + (5 × 2) + (2 × 3) = 1,216.
        let out = compute(&inputs(1000.0, 5.0, 2.0, 80.0, 10.0)).unwrap();
        assert_eq!(out.required_connections, 1216);
        // 1216 / 0.8 = 1520 exactly: at 1,216 clients the broker is at 80 %.
        assert_eq!(out.recommended_limit, 1520);
        // 1216 × 10 KiB = 12,160 KiB = 11.875 MiB.
        assert_eq!(out.memory_mib, 11.875);
        assert_eq!(out.file_descriptors, 1520 + 64);
    }

    #[test]
    fn rounding_is_up_not_nearest() {
        // 7 × 1.2 = 8.4 → 9 connections for the devices.
        assert_eq!(required_connections(7, 0, 0), 9);
        assert_eq!(required_connections(5, 0, 0), 6);
        assert_eq!(required_connections(0, 0, 0), 0);
        // 9 / 0.8 = 11.25 → 12.
        assert_eq!(recommended_limit(9, 80), 12);
        assert_eq!(recommended_limit(100, 100), 100);
        assert_eq!(recommended_limit(100, 30), 334);
    }

    #[test]
    fn invalid_inputs_name_their_field() {
        let e = compute(&inputs(-5.0, 5.0, 2.0, 80.0, 10.0)).unwrap_err();
        assert_eq!(e.key, "devices");
        let e = compute(&inputs(10.0, 5.0, 2.0, 5.0, 10.0)).unwrap_err();
        assert_eq!(e.key, "alert");
        let e = compute(&inputs(10.0, 5.0, 2.0, 80.0, f64::NAN)).unwrap_err();
        assert_eq!(e.key, "session_kib");
    }

    #[test]
    fn curve_passes_through_the_current_point() {
        let i = inputs(1000.0, 5.0, 2.0, 80.0, 10.0);
        let c = curve(&i, 21);
        assert_eq!(c.len(), 21);
        assert_eq!(c[0], (0.0, 16.0));
        assert_eq!(c[10], (1000.0, 1216.0));
        assert_eq!(c[20], (2000.0, 2416.0));
    }

    proptest! {
        #[test]
        fn never_panics_and_is_finite(
            d in prop_oneof![any::<f64>(), 0.0..=1e7f64, Just(f64::NAN), Just(f64::INFINITY), Just(-1.0)],
            b in prop_oneof![any::<f64>(), 0.0..=1e5f64],
            m in prop_oneof![any::<f64>(), 0.0..=1e5f64],
            a in prop_oneof![any::<f64>(), 10.0..=100.0f64],
            s in prop_oneof![any::<f64>(), 0.5..=10240.0f64],
        ) {
            let i = inputs(d.round(), b.round(), m.round(), a.round(), s);
            match compute(&i) {
                Ok(o) => {
                    prop_assert!(o.memory_mib.is_finite() && o.memory_mib >= 0.0);
                    prop_assert!(o.recommended_limit >= o.required_connections);
                    // The limit is tight: one less would put the load above the threshold.
                    if o.recommended_limit > 0 {
                        prop_assert!((o.recommended_limit - 1) * (i.alert_pct as u64) < o.required_connections * 100);
                    }
                }
                Err(e) => prop_assert!(FIELDS.iter().any(|f| f.key == e.key)),
            }
            let c = curve(&i, 50);
            prop_assert!(c.iter().all(|(x, y)| x.is_finite() && y.is_finite()));
            prop_assert_eq!(c.is_empty(), i.validate().is_err());
        }
    }
}

/// Generated configuration and client code that apply a result.
pub mod snippets {
    use super::Outputs;
    use crate::claims::content::fill;
    use crate::content::capacity as text;
    use crate::format::number;
    use crate::snippets::{after, comment, trailing};
    use crate::target::Target;

    /// The most open files Linux allows one process unless fs.nr_open is
    /// raised (its default, include/uapi/linux/fs.h: 1024 * 1024).
    pub const NR_OPEN_DEFAULT: u64 = 1_048_576;

    /// mosquitto.conf: a TLS listener with `max_connections` (per listener,
    /// mosquitto.conf(5); the default -1 means no limit of mosquitto's own, so
    /// the process's open-file limit is what stops it, typically 1024).
    /// Comments stand on lines of their own: mosquitto reads a # after a
    /// string option (password_file, cafile) as part of its value. The
    /// comments are `content/capacity.md`'s.
    pub fn mosquitto_conf(o: &Outputs, t: &Target) -> String {
        let req = number(o.required_connections as f64, 0);
        let limit = o.recommended_limit.to_string();
        format!(
            "{header}\
             per_listener_settings false\n\
             allow_anonymous false\n\
             password_file {passwd}\n\
             \n\
             {tls}\
             {listener}\n\
             cafile {ca}\n\
             certfile {cert}\n\
             keyfile {key}\n\
             max_connections {limit}\n\
             {over}",
            header = comment(
                "# ",
                &fill(text::CONF_HEADER, &[("req", &req), ("limit", &limit)])
            ),
            tls = comment("# ", text::CONF_TLS),
            over = comment("# ", text::CONF_OVER_LIMIT),
            listener = t.listener(t.tls_port),
            passwd = t.password_file,
            ca = t.broker_ca_file,
            cert = t.broker_cert_file,
            key = t.broker_key_file,
        )
    }

    /// The broker's open-file limit, one descriptor per connection plus the
    /// reserve: a systemd drop-in and the same for a broker started from a shell.
    pub fn file_limit(o: &Outputs) -> (String, String) {
        let fds = o.file_descriptors.to_string();
        let over = if o.file_descriptors > NR_OPEN_DEFAULT {
            comment(
                "# ",
                &fill(
                    text::FILES_OVER_NR_OPEN,
                    &[("fds", &fds), ("max", &NR_OPEN_DEFAULT.to_string())],
                ),
            )
        } else {
            String::new()
        };
        let unit = format!(
            "{head}\
             {over}\
             [Service]\n\
             LimitNOFILE={fds}\n\
             {then}",
            head = comment(
                "# ",
                &fill(
                    text::FILES_UNIT,
                    &[
                        ("reserve", &super::RESERVED_FILE_DESCRIPTORS.to_string()),
                        ("limit", &o.recommended_limit.to_string()),
                        ("fds", &fds),
                    ],
                ),
            ),
            then = comment("# ", text::FILES_UNIT_THEN),
        );
        let shell = format!(
            "{head}\
             {over}\
             ulimit -n {fds}\n\
             mosquitto -c /etc/mosquitto/mosquitto.conf\n",
            head = comment("# ", text::FILES_SHELL),
        );
        (unit, shell)
    }

    /// paho-mqtt 2.x on_connect that tells refusals that retrying fixes from
    /// those it does not. Codes: OASIS MQTT 5.0 Table 2-6; paho converts MQTT
    /// 3.1.1 return codes to these before calling a VERSION2 on_connect.
    pub fn on_connect(t: &Target) -> String {
        format!(
            "import os\n\
             import paho.mqtt.client as mqtt\n\
             \n\
             {fatal}\
             {fatal_codes}\
             {busy}\
             {busy_codes}\
             \n\
             def on_connect(client, userdata, flags, reason_code, properties):\n\
             \x20   if not reason_code.is_failure:\n\
             \x20       print(f\"Connected: {{reason_code}}\")\n\
             \x20       client.subscribe(\"fleet/+/telemetry\", qos=1)\n\
             \x20   elif reason_code in FATAL:\n\
             \x20       print(f\"Refused: {{reason_code}}. Fix the configuration; not retrying.\")\n\
             \x20       client.disconnect()  # {stops}\n\
             \x20   elif reason_code in BUSY:\n\
             \x20       print(f\"Broker at capacity: {{reason_code}}. Retrying with backoff.\")\n\
             \x20   else:\n\
             \x20       print(f\"Refused: {{reason_code}}\")\n\
             \n\
             def on_connect_fail(client, userdata):\n\
             {fail}\
             \x20   print(\"Connection failed before any CONNACK; retrying with backoff.\")\n\
             \n\
             {v311}\
             client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=\"sensor-0042\",\n\
             \x20                    protocol=mqtt.MQTTv5)\n\
             client.on_connect = on_connect\n\
             client.on_connect_fail = on_connect_fail\n\
             {login}\
             client.username_pw_set(\"sensor-0042\", os.environ[\"MQTT_PASSWORD\"])\n\
             client.tls_set(ca_certs=\"{ca}\")  # {tls}\n\
             client.reconnect_delay_set(min_delay=1, max_delay=120)\n\
             client.connect_async(\"{host}\", {port})\n\
             client.loop_forever(retry_first_connection=True)\n",
            fatal = comment("# ", text::ON_CONNECT_FATAL),
            busy = comment("# ", text::ON_CONNECT_BUSY),
            fatal_codes = after("FATAL = (133, 134, 135, 138, 140)", "#", text::FATAL_CODES),
            busy_codes = after("BUSY = (136, 137, 151, 159)", "#", text::BUSY_CODES),
            stops = trailing(text::ON_CONNECT_STOPS),
            fail = comment("    # ", text::ON_CONNECT_FAIL),
            v311 = comment("# ", text::ON_CONNECT_V311),
            login = comment("# ", text::ON_CONNECT_LOGIN),
            tls = trailing(crate::content::snippets::TLS_PORT),
            ca = t.ca_file,
            host = t.host,
            port = t.tls_port,
        )
    }

    /// Capacity monitoring on `$SYS/broker/clients/connected` against the
    /// configured limit, which the broker does not publish.
    pub fn monitor(o: &Outputs, alert_pct: f64, t: &Target) -> String {
        format!(
            "import os\n\
             import paho.mqtt.client as mqtt\n\
             \n\
             LIMIT = {limit}      # {limit_note}\n\
             ALERT_AT = {alert}  # {alert_note}\n\
             \n\
             def on_connect(client, userdata, flags, reason_code, properties):\n\
             \x20   if reason_code.is_failure:\n\
             {refused}\
             \x20       print(f\"Refused: {{reason_code}}. Fix the credentials; not retrying.\")\n\
             \x20       client.disconnect()  # {stops}\n\
             \x20       return\n\
             {interval}\
             \x20   client.subscribe(\"$SYS/broker/clients/connected\")\n\
             {maximum}\
             \n\
             def on_message(client, userdata, msg):\n\
             \x20   connected = int(msg.payload)\n\
             \x20   usage = connected / LIMIT\n\
             \x20   print(f\"{{connected}}/{{LIMIT}} connections ({{usage:.0%}})\")\n\
             \x20   if usage >= ALERT_AT:\n\
             \x20       print(\"WARNING: at the alert threshold\")\n\
             \n\
             client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=\"capacity-monitor\")\n\
             client.on_connect = on_connect\n\
             client.on_message = on_message\n\
             {login}\
             client.username_pw_set(\"capacity-monitor\", os.environ[\"MQTT_PASSWORD\"])\n\
             client.tls_set(ca_certs=\"{ca}\")  # {tls}\n\
             client.connect(\"{host}\", {port})\n\
             client.loop_forever()\n",
            limit = o.recommended_limit,
            limit_note = trailing(text::MONITOR_LIMIT),
            // Not `{:.2}`: float formatting is 4 KB brotli on the page.
            alert = crate::format::fixed(alert_pct / 100.0, 2),
            alert_note = trailing(text::MONITOR_ALERT),
            refused = comment("        # ", text::MONITOR_REFUSED),
            stops = trailing(text::MONITOR_STOPS),
            interval = comment("    # ", text::MONITOR_INTERVAL),
            maximum = comment("    # ", text::MONITOR_MAXIMUM),
            login = comment("# ", text::MONITOR_LOGIN),
            tls = trailing(crate::content::snippets::TLS_PORT),
            ca = t.ca_file,
            host = t.host,
            port = t.tls_port,
        )
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::capacity::{compute, Inputs};

        #[test]
        fn snippets_carry_the_computed_numbers() {
            let o = compute(&Inputs::default()).unwrap();
            let t = Target::display();
            let conf = mosquitto_conf(&o, &t);
            assert!(conf.contains("max_connections 1520\n"), "{conf}");
            assert!(conf.contains("1,216 expected"));
            let (unit, shell) = file_limit(&o);
            assert!(unit.contains("LimitNOFILE=1584\n"), "{unit}");
            assert!(shell.contains("ulimit -n 1584\n"));
            assert!(!unit.contains("nr_open"));
            let mon = monitor(&o, 80.0, &t);
            assert!(mon.contains("LIMIT = 1520 "));
            assert!(mon.contains("ALERT_AT = 0.80 "));
            assert!(mon.contains("{connected}/{LIMIT}"));
        }

        #[test]
        fn on_connect_uses_the_right_rate_code() {
            let s = on_connect(&Target::display());
            assert!(s.contains("CallbackAPIVersion.VERSION2"));
            assert!(s.contains("BUSY = (136, 137, 151, 159)"));
            assert_eq!(s.matches("149").count(), 1);
            assert!(s.contains("(159 = 0x9F, not 149)"));
            // Lines are indented with 4 spaces (the \x20 escapes survived).
            assert!(s.contains("\n    if not reason_code.is_failure:\n"));
        }
    }
}
