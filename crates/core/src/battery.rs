//! Network-loop strategy and battery life.
//!
//! The chapter's two figures: life = capacity ÷ current. And a duty-cycle
//! model: a device that wakes every `interval_s`, is active for `active_s` at
//! `active_ma`, and sleeps at `sleep_ma` in between draws on average
//! (active_ma × active_s + sleep_ma × (interval_s − active_s)) ÷ interval_s;
//! its life is the usable capacity (rated × (1 − derating)) over that average.

use crate::fields::{check_all, ChoiceSpec, FieldError, NumberSpec};
use serde::Serialize;

pub const CAPACITY: NumberSpec = NumberSpec {
    key: "capacity_mah",
    label: "Battery capacity",
    unit: "mAh",
    min: 1.0,
    max: 1_000_000.0,
    step: 100.0,
    slider_max: 20_000.0,
    integer: false,
    default: 3000.0,
};
/// The chapter's "loop_forever(): continuous CPU → 180 mA".
pub const BUSY: NumberSpec = NumberSpec {
    key: "busy_ma",
    label: "Always-on current (the chapter's loop_forever figure)",
    unit: "mA",
    min: 0.001,
    max: 10_000.0,
    step: 1.0,
    slider_max: 500.0,
    integer: false,
    default: 180.0,
};
/// The chapter's "loop_start() equivalent (event-driven): 20 mA average".
pub const IDLE: NumberSpec = NumberSpec {
    key: "idle_ma",
    label: "Lower average current (the chapter's loop_start figure)",
    unit: "mA",
    min: 0.001,
    max: 10_000.0,
    step: 1.0,
    slider_max: 500.0,
    integer: false,
    default: 20.0,
};
/// Example values for an ESP32 waking to publish over Wi-Fi and TLS. The chip
/// alone: receive 95–100 mA, transmit 240 mA (802.11b, +19.5 dBm) (Espressif,
/// ESP32 Series Datasheet v3.x, RF current consumption, 3.3 V, 25 °C); 120 mA
/// is this tool's assumption for a mix of both, and a board draws more. A
/// wake-up with Wi-Fi association, a TLS handshake and a publish lasts
/// seconds (see the TLS widget).
pub const ACTIVE_MA: NumberSpec = NumberSpec {
    key: "active_ma",
    label: "Current while awake",
    unit: "mA",
    min: 0.0,
    max: 10_000.0,
    step: 5.0,
    slider_max: 300.0,
    integer: false,
    default: 120.0,
};
pub const ACTIVE_S: NumberSpec = NumberSpec {
    key: "active_s",
    label: "Awake time per wake-up",
    unit: "s",
    min: 0.0,
    max: 86_400.0,
    step: 0.5,
    slider_max: 30.0,
    integer: false,
    default: 3.0,
};
/// ESP32 chip in deep sleep with the RTC timer and RTC memory: 10 µA (ESP32
/// Series Datasheet v3.x, power consumption by power modes); a development
/// board's regulator and USB-serial chip can add milliamps.
pub const SLEEP_MA: NumberSpec = NumberSpec {
    key: "sleep_ma",
    label: "Current while asleep",
    unit: "mA",
    min: 0.0,
    max: 10_000.0,
    step: 0.01,
    slider_max: 5.0,
    integer: false,
    default: 0.01,
};
pub const INTERVAL_S: NumberSpec = NumberSpec {
    key: "interval_s",
    label: "Wake every",
    unit: "s",
    min: 0.1,
    max: 31_536_000.0,
    step: 10.0,
    slider_max: 3600.0,
    integer: false,
    default: 300.0,
};
/// Not all rated capacity is usable: a regulator stops below its dropout
/// voltage before the cell's rated cut-off, and cells self-discharge a few
/// percent a month. 20 % is this tool's conservative assumption.
pub const DERATING: NumberSpec = NumberSpec {
    key: "derating_pct",
    label: "Capacity you cannot use",
    unit: "%",
    min: 0.0,
    max: 99.0,
    step: 1.0,
    slider_max: 50.0,
    integer: false,
    default: 20.0,
};
pub const FIELDS: [NumberSpec; 8] = [
    CAPACITY, BUSY, IDLE, ACTIVE_MA, ACTIVE_S, SLEEP_MA, INTERVAL_S, DERATING,
];

pub const STRATEGY: ChoiceSpec = ChoiceSpec {
    key: "strategy",
    label: "Network loop",
    options: &[
        ("loop_forever", "loop_forever()"),
        ("loop_start", "loop_start()"),
        ("loop", "loop() in your own loop"),
    ],
    default: "loop_start",
};

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Inputs {
    pub capacity_mah: f64,
    pub busy_ma: f64,
    pub idle_ma: f64,
    pub active_ma: f64,
    pub active_s: f64,
    pub sleep_ma: f64,
    pub interval_s: f64,
    pub derating_pct: f64,
}

impl Inputs {
    pub fn from_values(v: [f64; 8]) -> Self {
        Self {
            capacity_mah: v[0],
            busy_ma: v[1],
            idle_ma: v[2],
            active_ma: v[3],
            active_s: v[4],
            sleep_ma: v[5],
            interval_s: v[6],
            derating_pct: v[7],
        }
    }

    pub fn validate(&self) -> Result<(), FieldError> {
        check_all(
            &FIELDS,
            &[
                self.capacity_mah,
                self.busy_ma,
                self.idle_ma,
                self.active_ma,
                self.active_s,
                self.sleep_ma,
                self.interval_s,
                self.derating_pct,
            ],
        )?;
        if self.active_s > self.interval_s {
            return Err(FieldError {
                key: ACTIVE_S.key,
                message: format!(
                    "must not exceed the wake interval ({} s)",
                    crate::format::number(self.interval_s, 2)
                ),
            });
        }
        if self.active_ma == 0.0 && self.sleep_ma == 0.0 {
            return Err(FieldError {
                key: SLEEP_MA.key,
                message: "a device drawing no current at all never runs down: enter a sleep or awake current".into(),
            });
        }
        Ok(())
    }
}

impl Default for Inputs {
    fn default() -> Self {
        Self::from_values(FIELDS.map(|f| f.default))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Outputs {
    pub busy_hours: f64,
    pub event_hours: f64,
    /// event_hours ÷ busy_hours (= busy_ma ÷ idle_ma).
    pub ratio: f64,
    pub average_ma: f64,
    pub duty_cycle_hours: f64,
}

/// Hours a battery lasts at a steady average current.
pub fn life_hours(capacity_mah: f64, average_ma: f64) -> f64 {
    capacity_mah / average_ma
}

pub fn compute(i: &Inputs) -> Result<Outputs, FieldError> {
    i.validate()?;
    let busy_hours = life_hours(i.capacity_mah, i.busy_ma);
    let event_hours = life_hours(i.capacity_mah, i.idle_ma);
    let average_ma =
        (i.active_ma * i.active_s + i.sleep_ma * (i.interval_s - i.active_s)) / i.interval_s;
    let usable = i.capacity_mah * (1.0 - i.derating_pct / 100.0);
    Ok(Outputs {
        busy_hours,
        event_hours,
        ratio: event_hours / busy_hours,
        average_ma,
        duty_cycle_hours: life_hours(usable, average_ma),
    })
}

/// Battery life against the wake interval, 10 s to a day: (interval in s,
/// life in hours), for the chart and its table.
pub fn life_curve(i: &Inputs) -> Vec<(f64, f64)> {
    if i.validate().is_err() {
        return Vec::new();
    }
    [
        10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 21_600.0, 43_200.0,
        86_400.0,
    ]
    .into_iter()
    .filter(|&s| s >= i.active_s)
    .filter_map(|interval_s| {
        compute(&Inputs { interval_s, ..*i })
            .ok()
            .map(|o| (interval_s, o.duty_cycle_hours))
    })
    .collect()
}

pub mod snippets {
    use crate::claims::content::fill;
    use crate::content::battery as text;
    use crate::snippets::{comment, trailing};
    use crate::target::Target;

    /// A paho-mqtt 2.x program for each network-loop strategy, complete and
    /// runnable: the sensor reading is a stand-in function. The comments are
    /// `content/battery.md`'s.
    pub fn python(strategy: &str, t: &Target) -> String {
        let connect = format!(
            "{plain}\
             client.connect(\"{host}\", {port}, keepalive=60)\n",
            plain = comment(
                "# ",
                &fill(text::PLAIN_PORT, &[("port", &t.port.to_string())])
            ),
            host = t.host,
            port = t.port
        );
        // The sensor reading the programs publish: a stand-in for a driver.
        let read_moisture = format!(
            "def read_moisture():\n    return \"45\"  # {}\n\n",
            trailing(text::SENSOR_DRIVER)
        );
        match strategy {
            "loop_forever" => format!(
                "{what}\
                 import paho.mqtt.client as mqtt\n\
                 \n\
                 def on_connect(client, userdata, flags, reason_code, properties):\n\
                 \x20   client.subscribe(\"farm/+/moisture\", qos=1)\n\
                 \n\
                 def on_message(client, userdata, msg):\n\
                 \x20   print(msg.topic, msg.payload.decode(\"utf-8\", \"replace\"))\n\
                 \n\
                 client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=\"logger-1\")\n\
                 client.on_connect = on_connect\n\
                 client.on_message = on_message\n\
                 {connect}\
                 {blocks}\
                 client.loop_forever()\n",
                what = comment("# ", text::LOOP_FOREVER_WHAT),
                blocks = comment("# ", text::LOOP_FOREVER_BLOCKS),
            ),
            "loop" => format!(
                "{what}\
                 import paho.mqtt.client as mqtt\n\
                 \n\
                 {read_moisture}\
                 client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=\"sensor-0042\")\n\
                 {connect}\
                 \n\
                 info = client.publish(\"farm/sensor01/moisture\", read_moisture(), qos=1)\n\
                 while not info.is_published():\n\
                 \x20   client.loop(timeout=0.1)  # {traffic}\n\
                 {disconnect}\
                 client.disconnect()\n\
                 {power_down}",
                what = comment("# ", text::LOOP_WHAT),
                traffic = trailing(text::LOOP_TRAFFIC),
                disconnect = comment("# ", text::LOOP_DISCONNECT),
                power_down = comment("# ", text::LOOP_POWER_DOWN),
            ),
            _ => format!(
                "{what}\
                 import time\n\
                 import paho.mqtt.client as mqtt\n\
                 \n\
                 {read_moisture}\
                 client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=\"sensor-0042\")\n\
                 {connect}\
                 client.loop_start()  # {thread}\n\
                 \n\
                 while True:\n\
                 \x20   client.publish(\"farm/sensor01/moisture\", read_moisture(), qos=1)\n\
                 \x20   time.sleep(60)  # {radio}\n",
                what = comment("# ", text::LOOP_START_WHAT),
                thread = trailing(text::LOOP_START_THREAD),
                radio = trailing(text::LOOP_START_RADIO),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn chapter_figures_corrected() {
        let o = compute(&Inputs::default()).unwrap();
        // 3000 / 180 = 16.67 h (the chapter says 16 h); 3000 / 20 = 150 h.
        assert_eq!(crate::format::fixed(o.busy_hours, 1), "16.7");
        assert_eq!(o.event_hours, 150.0);
        // 150 / 16.67 = 9.0 (the chapter says 9.4×).
        assert!((o.ratio - 9.0).abs() < 1e-12);
        assert_eq!(crate::format::fixed(o.ratio, 1), "9.0");
    }

    #[test]
    fn duty_cycle_by_hand() {
        let o = compute(&Inputs::default()).unwrap();
        // (120 mA × 3 s + 0.01 mA × 297 s) / 300 s = 1.2099 mA.
        assert!((o.average_ma - 1.2099).abs() < 1e-12, "{}", o.average_ma);
        // 3000 × 0.8 / 1.2099 = 1983.6 h (82.6 days).
        assert!((o.duty_cycle_hours - 2400.0 / 1.2099).abs() < 1e-9);
    }

    #[test]
    fn awake_longer_than_the_interval_is_refused() {
        let i = Inputs {
            active_s: 400.0,
            ..Inputs::default()
        };
        assert_eq!(compute(&i).unwrap_err().key, "active_s");
        let i = Inputs {
            active_ma: 0.0,
            sleep_ma: 0.0,
            ..Inputs::default()
        };
        assert_eq!(compute(&i).unwrap_err().key, "sleep_ma");
    }

    #[test]
    fn waking_less_often_lasts_longer() {
        let c = life_curve(&Inputs::default());
        assert!(c.len() > 5);
        assert!(c.windows(2).all(|w| w[1].1 > w[0].1));
    }

    #[test]
    fn snippets_per_strategy() {
        let t = crate::target::Target::display();
        assert!(snippets::python("loop_forever", &t).contains("client.loop_forever()"));
        assert!(snippets::python("loop_start", &t).contains("client.loop_start()"));
        assert!(snippets::python("loop", &t).contains("client.loop(timeout=0.1)"));
        for s in ["loop_forever", "loop_start", "loop"] {
            assert!(snippets::python(s, &t).contains("CallbackAPIVersion.VERSION2"));
        }
    }

    proptest! {
        #[test]
        fn finite_or_refused(v in proptest::array::uniform8(prop_oneof![any::<f64>(), 0.0..1e5f64, Just(f64::NAN)])) {
            let i = Inputs::from_values(v);
            match compute(&i) {
                Ok(o) => {
                    prop_assert!(o.average_ma.is_finite() && o.average_ma > 0.0);
                    prop_assert!(o.duty_cycle_hours.is_finite() && o.busy_hours.is_finite() && o.ratio.is_finite());
                    // The average lies between the sleep and the awake current.
                    let (lo, hi) = (i.sleep_ma.min(i.active_ma), i.sleep_ma.max(i.active_ma));
                    prop_assert!(o.average_ma >= lo - 1e-9 && o.average_ma <= hi + 1e-9);
                }
                Err(e) => prop_assert!(FIELDS.iter().any(|f| f.key == e.key)),
            }
        }
    }
}
