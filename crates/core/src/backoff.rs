//! Reconnect backoff: one device's schedule (a fleet's reconnection storm is
//! simulated by the `mqtt-lab-fleet` crate, with these policies).
//!
//! Strategies from "Exponential Backoff And Jitter" (Marc Brooker, AWS
//! Architecture Blog, 2015) and its simulator (aws-samples/aws-arch-backoff-simulator):
//! - none:         min(cap, base × factor^(k−1))
//! - full:         uniform(0, that)
//! - equal:        that / 2 + uniform(0, that / 2)
//! - decorrelated: min(cap, uniform(base, previous × 3)), previous starting at base
//!   (the blog's formula; it does not use the factor).

use crate::fields::{check_all, ChoiceSpec, FieldError, NumberSpec};
use crate::rng::Rng;
use serde::{Deserialize, Serialize};

pub const BASE: NumberSpec = NumberSpec {
    key: "base",
    label: "First delay",
    unit: "s",
    min: 0.01,
    max: 3600.0,
    step: 0.5,
    slider_max: 30.0,
    integer: false,
    default: 1.0,
};
pub const FACTOR: NumberSpec = NumberSpec {
    key: "factor",
    label: "Growth factor",
    unit: "×",
    min: 1.0,
    max: 10.0,
    step: 0.1,
    slider_max: 5.0,
    integer: false,
    default: 2.0,
};
pub const CAP: NumberSpec = NumberSpec {
    key: "cap",
    label: "Maximum delay",
    unit: "s",
    min: 0.01,
    max: 86_400.0,
    step: 1.0,
    slider_max: 600.0,
    integer: false,
    default: 120.0,
};
pub const ATTEMPTS: NumberSpec = NumberSpec {
    key: "attempts",
    label: "Attempts shown",
    unit: "",
    min: 1.0,
    max: 200.0,
    step: 1.0,
    slider_max: 30.0,
    integer: true,
    default: 10.0,
};
pub use crate::fields::SEED;
pub const DEVICES: NumberSpec = NumberSpec {
    key: "devices",
    label: "Devices in the fleet",
    unit: "",
    min: 1.0,
    max: 1_000_000.0,
    step: 100.0,
    slider_max: 100_000.0,
    integer: true,
    default: 1000.0,
};
pub const ACCEPT_RATE: NumberSpec = NumberSpec {
    key: "accept_rate",
    label: "Broker accepts at most",
    unit: "connections/s",
    min: 1.0,
    max: 1_000_000.0,
    step: 10.0,
    slider_max: 5000.0,
    integer: true,
    default: 100.0,
};
pub const FIELDS: [NumberSpec; 7] = [BASE, FACTOR, CAP, ATTEMPTS, SEED, DEVICES, ACCEPT_RATE];

pub const JITTER: ChoiceSpec = ChoiceSpec {
    key: "jitter",
    label: "Jitter",
    options: &[
        ("none", "None"),
        ("full", "Full"),
        ("equal", "Equal"),
        ("decorrelated", "Decorrelated"),
    ],
    default: "none",
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Jitter {
    None,
    Full,
    Equal,
    Decorrelated,
}

impl Jitter {
    pub const ALL: [Jitter; 4] = [
        Jitter::None,
        Jitter::Full,
        Jitter::Equal,
        Jitter::Decorrelated,
    ];

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|j| j.slug() == slug)
    }

    pub fn slug(self) -> &'static str {
        match self {
            Jitter::None => "none",
            Jitter::Full => "full",
            Jitter::Equal => "equal",
            Jitter::Decorrelated => "decorrelated",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Jitter::None => "No jitter",
            Jitter::Full => "Full jitter",
            Jitter::Equal => "Equal jitter",
            Jitter::Decorrelated => "Decorrelated jitter",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    pub base_s: f64,
    pub factor: f64,
    pub cap_s: f64,
    pub jitter: Jitter,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            base_s: BASE.default,
            factor: FACTOR.default,
            cap_s: CAP.default,
            jitter: Jitter::None,
        }
    }
}

impl Policy {
    /// The default policy with `jitter`.
    pub fn with_jitter(jitter: Jitter) -> Self {
        Self {
            jitter,
            ..Self::default()
        }
    }

    pub fn validate(&self) -> Result<(), FieldError> {
        check_all(
            &[BASE, FACTOR, CAP],
            &[self.base_s, self.factor, self.cap_s],
        )?;
        if self.cap_s < self.base_s {
            return Err(FieldError {
                key: CAP.key,
                message: format!(
                    "must be at least the first delay ({} s)",
                    crate::format::number(self.base_s, 3)
                ),
            });
        }
        Ok(())
    }

    /// The exponential ceiling before jitter: min(cap, base × factor^(k−1)).
    pub fn ceiling_s(&self, attempt: u32) -> f64 {
        let exp = attempt.saturating_sub(1).min(2000) as i32;
        (self.base_s * self.factor.powi(exp)).min(self.cap_s)
    }

    /// The delay before attempt `attempt` (1-based); `previous_s` is the delay
    /// before the previous attempt (the base for the first), used by decorrelated.
    pub fn delay_s(&self, attempt: u32, previous_s: f64, rng: &mut Rng) -> f64 {
        self.jittered(self.ceiling_s(attempt), previous_s, rng)
    }

    /// The delay for an attempt whose [`ceiling_s`](Self::ceiling_s) is `ceiling`.
    pub fn jittered(&self, ceiling: f64, previous_s: f64, rng: &mut Rng) -> f64 {
        match self.jitter {
            Jitter::None => ceiling,
            Jitter::Full => rng.uniform(0.0, ceiling),
            Jitter::Equal => {
                let half = ceiling / 2.0;
                half + rng.uniform(0.0, half)
            }
            Jitter::Decorrelated => self.cap_s.min(rng.uniform(self.base_s, previous_s * 3.0)),
        }
    }

    /// Smallest and largest possible delay before attempt `attempt`.
    pub fn bounds_s(&self, attempt: u32) -> (f64, f64) {
        match self.jitter {
            Jitter::None => (self.ceiling_s(attempt), self.ceiling_s(attempt)),
            Jitter::Full => (0.0, self.ceiling_s(attempt)),
            Jitter::Equal => (self.ceiling_s(attempt) / 2.0, self.ceiling_s(attempt)),
            Jitter::Decorrelated => {
                let exp = attempt.min(2000) as i32;
                (self.base_s, (self.base_s * 3f64.powi(exp)).min(self.cap_s))
            }
        }
    }

    /// The first attempt whose largest possible delay is the cap, if any.
    pub fn cap_reached_attempt(&self) -> Option<u32> {
        (1..=10_000).find(|&k| self.bounds_s(k).1 >= self.cap_s)
    }

    /// Whether paho-mqtt's built-in reconnect does exactly this: it waits
    /// min_delay, then doubles up to max_delay, with no jitter (paho.mqtt.python
    /// client.py, `_reconnect_wait` and `reconnect_delay_set`).
    pub fn is_paho_builtin(&self) -> bool {
        self.jitter == Jitter::None && self.factor == 2.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Attempt {
    pub attempt: u32,
    pub delay_s: f64,
    /// Time from the disconnection to this attempt.
    pub at_s: f64,
    pub min_delay_s: f64,
    pub max_delay_s: f64,
}

/// One device's schedule for `attempts` attempts, reproducible from `seed`.
pub fn schedule(policy: &Policy, attempts: u32, seed: u64) -> Result<Vec<Attempt>, FieldError> {
    policy.validate()?;
    ATTEMPTS.check(f64::from(attempts))?;
    let mut rng = Rng::new(seed);
    let mut previous = policy.base_s;
    let mut at = 0.0;
    Ok((1..=attempts)
        .map(|k| {
            let delay = policy.delay_s(k, previous, &mut rng);
            previous = delay;
            at += delay;
            let (min_delay_s, max_delay_s) = policy.bounds_s(k);
            Attempt {
                attempt: k,
                delay_s: delay,
                at_s: at,
                min_delay_s,
                max_delay_s,
            }
        })
        .collect())
}

/// Generated client code for a policy.
pub mod snippets {
    use super::{Jitter, Policy};
    use crate::content::backoff as text;
    use crate::format::plain;
    use crate::snippets::{comment, trailing};
    use crate::target::Target;

    pub fn python(p: &Policy, t: &Target) -> String {
        if p.is_paho_builtin() {
            return format!(
                "import paho.mqtt.client as mqtt\n\
                 \n\
                 def on_connect(client, userdata, flags, reason_code, properties):\n\
                 \x20   print(f\"on_connect: {{reason_code}}\")\n\
                 \n\
                 client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=\"sensor-0042\")\n\
                 client.on_connect = on_connect\n\
                 client.tls_set(ca_certs=\"{ca}\")  # {tls}\n\
                 {builtin}\
                 client.reconnect_delay_set(min_delay={min}, max_delay={max})\n\
                 client.connect_async(\"{host}\", {port})\n\
                 client.loop_forever(retry_first_connection=True)\n",
                builtin = comment("# ", text::PAHO_BUILTIN),
                tls = trailing(crate::content::snippets::TLS_PORT),
                min = plain(p.base_s),
                max = plain(p.cap_s),
                ca = t.ca_file,
                host = t.host,
                port = t.tls_port,
            );
        }
        let next_delay = match p.jitter {
            Jitter::None => "    return min(CAP_S, BASE_S * FACTOR ** (attempt - 1))\n".to_string(),
            Jitter::Full => {
                "    return random.uniform(0, min(CAP_S, BASE_S * FACTOR ** (attempt - 1)))\n"
                    .to_string()
            }
            Jitter::Equal => "    ceiling = min(CAP_S, BASE_S * FACTOR ** (attempt - 1))\n    \
                 return ceiling / 2 + random.uniform(0, ceiling / 2)\n"
                .to_string(),
            Jitter::Decorrelated => {
                "    return min(CAP_S, random.uniform(BASE_S, previous * 3))\n".to_string()
            }
        };
        format!(
            "import random\n\
             import time\n\
             import paho.mqtt.client as mqtt\n\
             \n\
             BASE_S, FACTOR, CAP_S = {base}, {factor}, {cap}\n\
             \n\
             def next_delay(attempt, previous):\n\
             \x20   \"\"\"{label} (Brooker, 'Exponential Backoff And Jitter').\"\"\"\n\
             {next_delay}\
             \n\
             def on_connect(client, userdata, flags, reason_code, properties):\n\
             \x20   print(f\"on_connect: {{reason_code}}\")\n\
             \x20   userdata[\"connected\"] = not reason_code.is_failure\n\
             \n\
             def on_disconnect(client, userdata, flags, reason_code, properties):\n\
             \x20   userdata[\"connected\"] = False\n\
             \n\
             state = {{\"connected\": False}}\n\
             client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=\"sensor-0042\",\n\
             \x20                    userdata=state, reconnect_on_failure=False)\n\
             client.on_connect = on_connect\n\
             client.on_disconnect = on_disconnect\n\
             client.tls_set(ca_certs=\"{ca}\")  # {tls}\n\
             \n\
             attempt, delay = 0, BASE_S\n\
             while True:\n\
             \x20   try:\n\
             \x20       client.connect(\"{host}\", {port}, keepalive=60)\n\
             {own_loop}\
             \x20       while client.loop(timeout=1.0) == mqtt.MQTT_ERR_SUCCESS:\n\
             \x20           if state[\"connected\"]:\n\
             \x20               attempt, delay = 0, BASE_S  # {start_over}\n\
             \x20   except OSError as err:\n\
             \x20       print(f\"connect failed: {{err}}\")\n\
             \x20   attempt += 1\n\
             \x20   delay = next_delay(attempt, delay)\n\
             \x20   print(f\"attempt {{attempt}}: retrying in {{delay:.1f}} s\")\n\
             \x20   time.sleep(delay)\n",
            own_loop = comment("        # ", text::OWN_LOOP),
            start_over = trailing(text::START_OVER),
            tls = trailing(crate::content::snippets::TLS_PORT),
            base = plain(p.base_s),
            factor = plain(p.factor),
            cap = plain(p.cap_s),
            label = p.jitter.label(),
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
    fn no_jitter_worked_example() {
        // base 1, factor 2, cap 120, 10 attempts: 1 2 4 8 16 32 64 120 120 120 = 487 s.
        let s = schedule(&Policy::with_jitter(Jitter::None), 10, 1).unwrap();
        let delays: Vec<f64> = s.iter().map(|a| a.delay_s).collect();
        assert_eq!(
            delays,
            [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 120.0, 120.0, 120.0]
        );
        assert_eq!(s.last().unwrap().at_s, 487.0);
        assert_eq!(
            Policy::with_jitter(Jitter::None).cap_reached_attempt(),
            Some(8)
        );
    }

    #[test]
    fn cap_reached_for_each_strategy() {
        // Decorrelated ceiling: 1 × 3^k ≥ 120 first at k = 5 (243).
        assert_eq!(
            Policy::with_jitter(Jitter::Decorrelated).cap_reached_attempt(),
            Some(5)
        );
        assert_eq!(
            Policy::with_jitter(Jitter::Full).cap_reached_attempt(),
            Some(8)
        );
        let flat = Policy {
            factor: 1.0,
            ..Policy::default()
        };
        assert_eq!(flat.cap_reached_attempt(), None);
    }

    #[test]
    fn cap_below_base_is_refused_on_the_cap_field() {
        let p = Policy {
            base_s: 10.0,
            cap_s: 5.0,
            ..Policy::default()
        };
        let e = schedule(&p, 5, 1).unwrap_err();
        assert_eq!(e.key, "cap");
        assert_eq!(e.message, "must be at least the first delay (10 s)");
    }

    #[test]
    fn paho_equivalence() {
        assert!(Policy::with_jitter(Jitter::None).is_paho_builtin());
        assert!(!Policy::with_jitter(Jitter::Full).is_paho_builtin());
        let s = snippets::python(
            &Policy::with_jitter(Jitter::None),
            &crate::target::Target::display(),
        );
        assert!(s.contains("client.reconnect_delay_set(min_delay=1, max_delay=120)"));
        let s = snippets::python(
            &Policy::with_jitter(Jitter::Equal),
            &crate::target::Target::display(),
        );
        assert!(s.contains("BASE_S, FACTOR, CAP_S = 1, 2, 120"));
        assert!(s.contains("return ceiling / 2 + random.uniform(0, ceiling / 2)"));
        assert!(s.contains("reconnect_on_failure=False"));
    }

    #[test]
    fn same_seed_same_schedule() {
        let p = Policy::with_jitter(Jitter::Decorrelated);
        assert_eq!(schedule(&p, 20, 77).unwrap(), schedule(&p, 20, 77).unwrap());
        assert_ne!(schedule(&p, 20, 77).unwrap(), schedule(&p, 20, 78).unwrap());
    }

    fn any_jitter() -> impl Strategy<Value = Jitter> {
        prop_oneof![
            Just(Jitter::None),
            Just(Jitter::Full),
            Just(Jitter::Equal),
            Just(Jitter::Decorrelated)
        ]
    }

    proptest! {
        #[test]
        fn schedules_stay_within_bounds(
            base in 0.01..100.0f64, factor in 1.0..10.0f64, extra in 0.0..1000.0f64,
            jitter in any_jitter(), seed in any::<u64>(), attempts in 1u32..200,
        ) {
            let p = Policy { base_s: base, factor, cap_s: base + extra, jitter };
            let s = schedule(&p, attempts, seed).unwrap();
            prop_assert_eq!(s.len(), attempts as usize);
            for a in &s {
                prop_assert!(a.delay_s >= 0.0 && a.delay_s <= p.cap_s);
                prop_assert!(a.delay_s >= a.min_delay_s - 1e-9 && a.delay_s <= a.max_delay_s + 1e-9);
                prop_assert!(a.at_s.is_finite());
            }
        }

        #[test]
        fn bad_values_give_a_field_error(
            base in prop_oneof![any::<f64>(), Just(f64::NAN), Just(-1.0)],
            cap in prop_oneof![any::<f64>(), Just(f64::INFINITY)],
            factor in any::<f64>(), seed in any::<u64>(),
        ) {
            let p = Policy { base_s: base, factor, cap_s: cap, jitter: Jitter::Full };
            match schedule(&p, 10, seed) {
                Ok(s) => prop_assert!(s.iter().all(|a| a.delay_s.is_finite())),
                Err(e) => prop_assert!(["base", "factor", "cap"].contains(&e.key)),
            }
        }
    }
}
