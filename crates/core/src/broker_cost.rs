//! Public versus private broker: what a private broker costs against the
//! expected loss of running production traffic through a public one.
//!
//! Model (stated on the page):
//! - private cost = setup hours × rate + hosting × months + upkeep hours × rate × months
//! - expected loss (public) = annual breach probability × breach cost × years
//!   (expected number of incidents times their cost)
//! - break-even probability = private cost ÷ (breach cost × years)
//! - net expected saving of going private = expected loss − private cost
//!
//! An expected value is an average over many deployments: one deployment
//! either has a breach or does not. The page says so.

use crate::fields::{check_all, FieldError, NumberSpec};
use serde::{Deserialize, Serialize};

pub const DEVICES: NumberSpec = NumberSpec {
    key: "devices",
    label: "Devices",
    unit: "",
    min: 1.0,
    max: 10_000_000.0,
    step: 10.0,
    slider_max: 5000.0,
    integer: true,
    default: 100.0,
};
/// Example figures, not quotes: a small virtual server that runs mosquitto
/// costs roughly 5–20 USD a month; managed broker plans start around tens of
/// USD a month. 50 is the issue's worked example.
pub const HOSTING: NumberSpec = NumberSpec {
    key: "hosting_usd_month",
    label: "Hosting per month",
    unit: "USD",
    min: 0.0,
    max: 1_000_000.0,
    step: 5.0,
    slider_max: 500.0,
    integer: false,
    default: 50.0,
};
pub const SETUP_HOURS: NumberSpec = NumberSpec {
    key: "setup_hours",
    label: "Setup effort",
    unit: "hours",
    min: 0.0,
    max: 10_000.0,
    step: 1.0,
    slider_max: 80.0,
    integer: false,
    default: 8.0,
};
pub const HOURLY: NumberSpec = NumberSpec {
    key: "hourly_usd",
    label: "Engineering rate",
    unit: "USD/hour",
    min: 0.0,
    max: 10_000.0,
    step: 5.0,
    slider_max: 250.0,
    integer: false,
    default: 75.0,
};
pub const MAINT_HOURS: NumberSpec = NumberSpec {
    key: "maint_hours_month",
    label: "Upkeep per month",
    unit: "hours",
    min: 0.0,
    max: 1000.0,
    step: 0.5,
    slider_max: 20.0,
    integer: false,
    default: 0.0,
};
pub const YEARS: NumberSpec = NumberSpec {
    key: "years",
    label: "Horizon",
    unit: "years",
    min: 0.25,
    max: 50.0,
    step: 0.25,
    slider_max: 10.0,
    integer: false,
    default: 3.0,
};
pub const BREACH_PCT: NumberSpec = NumberSpec {
    key: "breach_pct_year",
    label: "Chance of a breach per year",
    unit: "%",
    min: 0.0,
    max: 100.0,
    step: 0.5,
    slider_max: 100.0,
    integer: false,
    default: 10.0,
};
/// The chapter's "average breach cost: $47,000", quoted from an audit it does
/// not name; not verified. Labelled as the chapter's figure on the page.
pub const BREACH_USD: NumberSpec = NumberSpec {
    key: "breach_usd",
    label: "Cost of one breach",
    unit: "USD",
    min: 0.0,
    max: 1_000_000_000.0,
    step: 1000.0,
    slider_max: 500_000.0,
    integer: false,
    default: 47_000.0,
};
pub const FIELDS: [NumberSpec; 8] = [
    DEVICES,
    HOSTING,
    SETUP_HOURS,
    HOURLY,
    MAINT_HOURS,
    YEARS,
    BREACH_PCT,
    BREACH_USD,
];

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Inputs {
    pub devices: f64,
    pub hosting_usd_month: f64,
    pub setup_hours: f64,
    pub hourly_usd: f64,
    pub maint_hours_month: f64,
    pub years: f64,
    pub breach_pct_year: f64,
    pub breach_usd: f64,
}

impl Default for Inputs {
    fn default() -> Self {
        Self::from_values(FIELDS.map(|f| f.default))
    }
}

impl Inputs {
    pub fn from_values(v: [f64; 8]) -> Self {
        Self {
            devices: v[0],
            hosting_usd_month: v[1],
            setup_hours: v[2],
            hourly_usd: v[3],
            maint_hours_month: v[4],
            years: v[5],
            breach_pct_year: v[6],
            breach_usd: v[7],
        }
    }

    fn values(&self) -> [f64; 8] {
        [
            self.devices,
            self.hosting_usd_month,
            self.setup_hours,
            self.hourly_usd,
            self.maint_hours_month,
            self.years,
            self.breach_pct_year,
            self.breach_usd,
        ]
    }

    pub fn validate(&self) -> Result<(), FieldError> {
        check_all(&FIELDS, &self.values())
    }

    fn months(&self) -> f64 {
        self.years * 12.0
    }

    /// Private broker cost after `months` months.
    pub fn private_after(&self, months: f64) -> f64 {
        self.setup_hours * self.hourly_usd
            + (self.hosting_usd_month + self.maint_hours_month * self.hourly_usd) * months
    }

    /// Expected public-broker loss after `months` months at `pct_year` % a year.
    pub fn expected_loss_after(&self, months: f64, pct_year: f64) -> f64 {
        pct_year / 100.0 * self.breach_usd * months / 12.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Also what `compute_valid` gives when everything costs nothing (the
    /// all-zero `Outputs::default()`): private costs no more than the loss.
    #[default]
    Private,
    Public,
}

impl Verdict {
    pub fn slug(self) -> &'static str {
        match self {
            Verdict::Private => "private",
            Verdict::Public => "public",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Outputs {
    pub private_usd: f64,
    pub public_expected_loss_usd: f64,
    /// None when a breach costs nothing (no probability makes it worth it).
    pub break_even_pct_year: Option<f64>,
    pub net_saving_usd: f64,
    pub per_device_usd_month: f64,
    /// Private when it costs no more than the expected loss.
    pub verdict: Verdict,
}

pub fn compute(i: &Inputs) -> Result<Outputs, FieldError> {
    i.validate()?;
    Ok(compute_valid(i))
}

/// The arithmetic of [`compute`], for inputs already validated (or the defaults).
pub fn compute_valid(i: &Inputs) -> Outputs {
    let private = i.private_after(i.months());
    let loss = i.expected_loss_after(i.months(), i.breach_pct_year);
    let exposure = i.breach_usd * i.years;
    Outputs {
        private_usd: private,
        public_expected_loss_usd: loss,
        break_even_pct_year: (exposure > 0.0).then(|| private / exposure * 100.0),
        net_saving_usd: loss - private,
        per_device_usd_month: private / i.devices / i.months(),
        verdict: if private <= loss {
            Verdict::Private
        } else {
            Verdict::Public
        },
    }
}

/// The verdict in words, with the figures that decide it.
pub fn verdict_sentence(i: &Inputs, o: &Outputs) -> String {
    use crate::claims::content::fill;
    use crate::content::broker_cost as text;
    use crate::format::{fixed, number};
    let years = number(i.years, 2);
    let be = o
        .break_even_pct_year
        .map_or(text::BREAK_EVEN_NEVER.to_string(), |b| {
            fill(text::BREAK_EVEN_ABOVE, &[("pct", &fixed(b, 2))])
        });
    let private = number(o.private_usd, 0);
    let loss = number(o.public_expected_loss_usd, 0);
    let filled = |template: &str, ratio: &str| {
        fill(
            template,
            &[
                ("years", &years),
                ("private", &private),
                ("loss", &loss),
                ("ratio", ratio),
                ("break-even", &be),
            ],
        )
    };
    match o.verdict {
        Verdict::Private if o.private_usd > 0.0 => filled(
            text::VERDICT_PRIVATE,
            &fixed(o.public_expected_loss_usd / o.private_usd, 1),
        ),
        Verdict::Private => text::VERDICT_FREE.to_string(),
        Verdict::Public => filled(text::VERDICT_PUBLIC, ""),
    }
}

/// Cumulative cost per month for the chart: private, and the expected public
/// loss at the chosen probability, at half of it and at twice it (capped at 100 %).
pub fn monthly_curves(i: &Inputs) -> Vec<(f64, f64, f64, f64, f64)> {
    if i.validate().is_err() {
        return Vec::new();
    }
    let months = i.months().ceil().min(600.0) as u32;
    (0..=months)
        .map(|m| {
            let m = f64::from(m).min(i.months());
            (
                m,
                i.private_after(m),
                i.expected_loss_after(m, i.breach_pct_year),
                i.expected_loss_after(m, i.breach_pct_year / 2.0),
                i.expected_loss_after(m, (i.breach_pct_year * 2.0).min(100.0)),
            )
        })
        .collect()
}

pub mod snippets {
    use crate::claims::content::fill;
    use crate::content::broker_cost as text;
    use crate::snippets::{comment, trailing};
    use crate::target::Target;

    /// A minimal secure mosquitto configuration (mosquitto.conf(5)). Every
    /// comment has a line of its own: mosquitto treats only a # at the start
    /// of a line as a comment, and 2.0.11 refuses to start when a comment
    /// follows a string option such as password_file or tls_version (a
    /// boolean or number option ignores it: claim mosquitto-comments). The
    /// comments are `content/broker-cost.md`'s.
    pub fn mosquitto_conf(t: &Target) -> String {
        let files = [
            ("passwd", t.password_file.as_str()),
            ("acl", t.acl_file.as_str()),
        ];
        format!(
            "{head}\
             per_listener_settings false\n\
             {anonymous}\
             allow_anonymous false\n\
             {users}\
             password_file {passwd}\n\
             acl_file {acl}\n\
             \n\
             {tls}\
             {listener}\n\
             cafile {ca}\n\
             certfile {cert}\n\
             keyfile {key}\n\
             tls_version tlsv1.2\n\
             \n\
             {acl_example}",
            head = comment("# ", text::CONF_HEAD),
            anonymous = comment("# ", text::CONF_ANONYMOUS),
            users = comment("# ", &fill(text::CONF_USERS, &files)),
            tls = comment("# ", text::CONF_TLS),
            acl_example = comment("# ", &fill(text::CONF_ACL, &files)),
            passwd = t.password_file,
            acl = t.acl_file,
            listener = t.listener(t.tls_port),
            ca = t.broker_ca_file,
            cert = t.broker_cert_file,
            key = t.broker_key_file,
        )
    }

    /// The matching paho-mqtt 2.x client: TLS with certificate and host-name
    /// checks, a user name, and the password from the environment.
    pub fn paho_client(t: &Target) -> String {
        format!(
            "import os\n\
             import ssl\n\
             import paho.mqtt.client as mqtt\n\
             \n\
             def on_connect(client, userdata, flags, reason_code, properties):\n\
             \x20   print(f\"on_connect: {{reason_code}}\")\n\
             \x20   if not reason_code.is_failure:\n\
             \x20       client.publish(\"devices/sensor-0042/moisture\", \"45\", qos=1)\n\
             \n\
             client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=\"sensor-0042\")\n\
             client.on_connect = on_connect\n\
             client.username_pw_set(\"sensor-0042\", os.environ[\"MQTT_PASSWORD\"])  # {never}\n\
             {verify}\
             context = ssl.create_default_context(cafile=\"{ca}\")\n\
             client.tls_set_context(context)\n\
             client.connect(\"{host}\", {port}, keepalive=60)\n\
             client.loop_forever()\n",
            never = trailing(text::CLIENT_PASSWORD),
            verify = comment("# ", text::CLIENT_TLS),
            ca = t.ca_file,
            host = t.host,
            port = t.tls_port,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn issue_worked_example() {
        // Hosting 50, setup 8 h at 75, no upkeep, 3 years, 10 % a year, 47,000.
        let o = compute(&Inputs::default()).unwrap();
        assert_eq!(o.private_usd, 2400.0); // 8 × 75 + 50 × 36
        assert!((o.public_expected_loss_usd - 14_100.0).abs() < 1e-9); // 0.10 × 47,000 × 3
        let be = o.break_even_pct_year.unwrap(); // 2,400 / 141,000 = 1.702 %
        assert!((be - 1.702_127_659_574_468).abs() < 1e-12, "{be}");
        assert_eq!(crate::format::fixed(be, 2), "1.70");
        assert!((o.net_saving_usd - 11_700.0).abs() < 1e-9);
        // 2,400 / 100 devices / 36 months.
        assert!((o.per_device_usd_month - 0.666_666_666_666_666_6).abs() < 1e-12);
        assert_eq!(o.verdict, Verdict::Private);
        assert_eq!(
            verdict_sentence(&Inputs::default(), &o),
            "Private. Over 3 years a private broker costs $2,400; the expected loss of a public one is $14,100, 5.9× as much. A private broker pays for itself when the chance of a breach is above 1.70 % a year."
        );
    }

    #[test]
    fn upkeep_counts_every_month_and_can_flip_the_verdict() {
        let i = Inputs {
            maint_hours_month: 4.0,
            breach_pct_year: 1.0,
            ..Inputs::default()
        };
        let o = compute(&i).unwrap();
        // 600 + (50 + 4 × 75) × 36 = 13,200 against 0.01 × 47,000 × 3 = 1,410.
        assert_eq!(o.private_usd, 13_200.0);
        assert_eq!(o.verdict, Verdict::Public);
        // Break-even: 13,200 ÷ (47,000 × 3) = 9.36 % a year.
        assert_eq!(
            verdict_sentence(&i, &o),
            "On money alone, public: over 3 years a private broker costs $13,200 and the expected loss is $1,410; it pays for itself only above 9.36 % a year. But a public broker has no authentication, no encryption and no access control: anyone can read and send commands to your devices. Use it for tests with nothing real on it."
        );
    }

    #[test]
    fn a_free_breach_has_no_break_even() {
        let i = Inputs {
            breach_usd: 0.0,
            ..Inputs::default()
        };
        assert_eq!(compute(&i).unwrap().break_even_pct_year, None);
    }

    #[test]
    fn snippets_are_secure() {
        let t = crate::target::Target::display();
        let conf = snippets::mosquitto_conf(&t);
        assert!(conf.contains("\nallow_anonymous false\n"));
        assert!(conf.contains("\nlistener 8883\ncafile /etc/mosquitto/certs/ca.crt\n"));
        let client = snippets::paho_client(&t);
        assert!(client.contains("CallbackAPIVersion.VERSION2"));
        assert!(client.contains("os.environ[\"MQTT_PASSWORD\"]"));
    }

    proptest! {
        #[test]
        fn finite_or_a_field_error(v in proptest::array::uniform8(prop_oneof![any::<f64>(), 0.0..1e6f64, Just(f64::NAN)])) {
            let mut v = v;
            v[0] = v[0].round();
            let i = Inputs::from_values(v);
            match compute(&i) {
                Ok(o) => {
                    prop_assert!(o.private_usd.is_finite() && o.public_expected_loss_usd.is_finite());
                    prop_assert!(o.per_device_usd_month.is_finite());
                    if let Some(be) = o.break_even_pct_year {
                        // At the break-even probability the two costs are equal.
                        let at_be = i.expected_loss_after(i.years * 12.0, be);
                        prop_assert!((at_be - o.private_usd).abs() <= 1e-6 * o.private_usd.max(1.0));
                    }
                }
                Err(e) => prop_assert!(FIELDS.iter().any(|f| f.key == e.key)),
            }
            prop_assert!(monthly_curves(&i).iter().all(|r| r.1.is_finite() && r.4.is_finite()));
        }
    }
}
