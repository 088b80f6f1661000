//! Reconnect backoff: one device's schedule and a fleet's reconnection storm.
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
    fn jittered(&self, ceiling: f64, previous_s: f64, rng: &mut Rng) -> f64 {
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

/// Width of a simulation bucket.
pub const BUCKET_S: f64 = 0.1;
/// The simulation stops after this long even if some devices are still out.
pub const HORIZON_S: f64 = 3600.0;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FleetOutcome {
    /// Highest number of attempts in any one-second window.
    pub peak_attempts_per_s: u64,
    pub total_attempts: u64,
    pub refused_attempts: u64,
    /// Time until 99 % of the devices are connected (None: not within the horizon).
    pub p99_connected_s: Option<f64>,
    pub all_connected_s: Option<f64>,
    /// Attempts per whole second since the disconnection, for the chart.
    pub attempts_per_second: Vec<u32>,
    /// The attempts of [`TRACED`] devices spread over the fleet (see
    /// [`traced_device`]), in time order: (time in seconds, admitted?), for
    /// a diagram of each CONNECT and its CONNACK.
    pub traces: Vec<Vec<(f64, bool)>>,
}

/// Devices whose every attempt is kept for the diagram.
pub const TRACED: u32 = 5;

/// The device number (0-based) of trace `i` in a fleet of `devices`: evenly
/// spread, so that the early and the late ones are both seen.
pub fn traced_device(i: u32, devices: u32) -> u32 {
    i * (devices / TRACED.min(devices).max(1))
}

/// N devices lose the broker at t = 0 (a broker restart). Each waits its first
/// delay, then tries. The broker admits new connections through a token bucket
/// of `accept_rate` tokens per second holding at most one second's worth
/// (starting full), and refuses the rest (on MQTT 5, CONNACK 0x9F Connection
/// rate exceeded); a refused device backs off by the policy and tries again.
/// Time advances in buckets of [`BUCKET_S`]; attempts falling into the same
/// bucket are served in the order they were scheduled.
///
/// Resumable: [`FleetSim::advance`] runs a slice of buckets, so a browser can
/// spread a large simulation over several frames and never freeze input.
pub struct FleetSim {
    policy: Policy,
    devices: u32,
    accept_rate: f64,
    rng: Rng,
    /// Calendar queue: the devices due in each bucket, with their exact times.
    due: Vec<Vec<(u32, f64)>>,
    /// Emptied queues, kept for their allocations and handed to buckets as
    /// they are first scheduled into: a wave of the whole fleet moves from
    /// one buffer to the next instead of allocating and growing a new one.
    /// Their capacities add up to at most twice the fleet.
    spare: Vec<Vec<(u32, f64)>>,
    /// The capacities of `spare`, added up.
    spare_capacity: usize,
    /// [`Policy::ceiling_s`] of attempts 1, 2, ... up to the first at the
    /// cap (the factor is at least 1, so every later one is the last).
    ceilings: Vec<f64>,
    /// Every `trace_step`-th device is traced (see [`traced_device`]).
    trace_step: u32,
    attempt_no: Vec<u32>,
    previous: Vec<f64>,
    per_bucket: Vec<u32>,
    next_bucket: usize,
    tokens: f64,
    connected: u32,
    out: FleetOutcome,
    done: bool,
}

impl FleetSim {
    pub fn new(
        policy: &Policy,
        devices: u32,
        accept_rate: f64,
        seed: u64,
    ) -> Result<Self, FieldError> {
        policy.validate()?;
        DEVICES.check(f64::from(devices))?;
        ACCEPT_RATE.check(accept_rate)?;
        let buckets = (HORIZON_S / BUCKET_S).round() as usize;
        let mut sim = Self {
            policy: *policy,
            devices,
            accept_rate,
            rng: Rng::new(seed),
            due: vec![Vec::new(); buckets + 1],
            spare: Vec::new(),
            spare_capacity: 0,
            ceilings: (1..=2001)
                .map(|k| policy.ceiling_s(k))
                .scan(false, |capped, c| {
                    if *capped {
                        return None;
                    }
                    *capped = c >= policy.cap_s;
                    Some(c)
                })
                .collect(),
            trace_step: (devices / TRACED.min(devices).max(1)).max(1),
            attempt_no: vec![1; devices as usize],
            previous: vec![policy.base_s; devices as usize],
            per_bucket: vec![0; buckets],
            next_bucket: 0,
            tokens: accept_rate,
            connected: 0,
            out: FleetOutcome {
                peak_attempts_per_s: 0,
                total_attempts: 0,
                refused_attempts: 0,
                p99_connected_s: None,
                all_connected_s: None,
                attempts_per_second: Vec::new(),
                traces: vec![Vec::new(); TRACED.min(devices) as usize],
            },
            done: false,
        };
        for d in 0..devices {
            let delay = sim.policy.delay_s(1, sim.policy.base_s, &mut sim.rng);
            sim.previous[d as usize] = delay;
            let b = sim.bucket_of(delay);
            sim.due[b].push((d, delay));
        }
        Ok(sim)
    }

    /// The bucket of time `t`: `as` truncates, which for t ≥ 0 is the
    /// floor, and takes a negative or NaN time to 0 as the floor would.
    fn bucket_of(&self, t: f64) -> usize {
        ((t / BUCKET_S) as usize).min(self.per_bucket.len())
    }

    /// [`Policy::delay_s`] with the ceiling from the table.
    fn delay_s(&mut self, attempt: u32, previous_s: f64) -> f64 {
        let i = attempt.saturating_sub(1) as usize;
        let ceiling = self.ceilings.get(i).or(self.ceilings.last()).copied();
        let ceiling = ceiling.unwrap_or_else(|| self.policy.ceiling_s(attempt));
        self.policy.jittered(ceiling, previous_s, &mut self.rng)
    }

    /// Fraction of the horizon simulated so far (for a progress display).
    pub fn progress(&self) -> f64 {
        if self.done {
            1.0
        } else {
            self.next_bucket as f64 / self.per_bucket.len() as f64
        }
    }

    /// Simulates up to `max_buckets` more buckets; true once finished.
    pub fn advance(&mut self, max_buckets: usize) -> bool {
        let p99_target = (f64::from(self.devices) * 0.99).ceil() as u32;
        let end = self
            .next_bucket
            .saturating_add(max_buckets)
            .min(self.per_bucket.len());
        while !self.done && self.next_bucket < end {
            let b = self.next_bucket;
            if b > 0 {
                self.tokens = (self.tokens + self.accept_rate * BUCKET_S).min(self.accept_rate);
            }
            // A retry can fall into the bucket being served (full jitter can wait
            // almost nothing): serve the bucket until it stays empty.
            loop {
                let mut batch = std::mem::take(&mut self.due[b]);
                if batch.is_empty() {
                    break;
                }
                self.per_bucket[b] += batch.len() as u32;
                self.out.total_attempts += batch.len() as u64;
                for &(d, t) in &batch {
                    let admitted = self.tokens >= 1.0;
                    if d % self.trace_step == 0 {
                        if let Some(trace) = self.out.traces.get_mut((d / self.trace_step) as usize)
                        {
                            trace.push((t, admitted));
                        }
                    }
                    if admitted {
                        self.tokens -= 1.0;
                        self.connected += 1;
                        if self.connected == p99_target {
                            self.out.p99_connected_s = Some(t);
                        }
                        if self.connected == self.devices {
                            self.out.all_connected_s = Some(t);
                        }
                    } else {
                        self.out.refused_attempts += 1;
                        let i = d as usize;
                        self.attempt_no[i] += 1;
                        let delay = self.delay_s(self.attempt_no[i], self.previous[i]);
                        self.previous[i] = delay;
                        let next = t + delay;
                        if next < HORIZON_S {
                            let nb = self.bucket_of(next).max(b);
                            if self.due[nb].capacity() == 0 {
                                if let Some(buffer) = self.spare.pop() {
                                    self.spare_capacity -= buffer.capacity();
                                    self.due[nb] = buffer;
                                }
                            }
                            self.due[nb].push((d, next));
                        }
                    }
                }
                batch.clear();
                if self.spare_capacity + batch.capacity() <= 2 * self.devices as usize {
                    self.spare_capacity += batch.capacity();
                    self.spare.push(batch);
                }
            }
            self.next_bucket += 1;
            if self.connected == self.devices {
                self.per_bucket.truncate(self.next_bucket);
                self.done = true;
            }
        }
        if self.next_bucket >= self.per_bucket.len() {
            self.done = true;
        }
        if self.done {
            self.finish();
        }
        self.done
    }

    fn finish(&mut self) {
        let per_window = (1.0 / BUCKET_S).round() as usize;
        let mut window: u64 = 0;
        self.out.peak_attempts_per_s = 0;
        for (i, &n) in self.per_bucket.iter().enumerate() {
            window += u64::from(n);
            if i >= per_window {
                window -= u64::from(self.per_bucket[i - per_window]);
            }
            self.out.peak_attempts_per_s = self.out.peak_attempts_per_s.max(window);
        }
        self.out.attempts_per_second = self
            .per_bucket
            .chunks(per_window)
            .map(|c| c.iter().sum())
            .collect();
        self.due = Vec::new();
        self.spare = Vec::new();
        self.spare_capacity = 0;
    }

    /// The outcome; complete once [`advance`](Self::advance) returned true.
    pub fn outcome(&self) -> &FleetOutcome {
        &self.out
    }
}

/// Runs a whole fleet simulation at once (see [`FleetSim`]).
pub fn simulate_fleet(
    policy: &Policy,
    devices: u32,
    accept_rate: f64,
    seed: u64,
) -> Result<FleetOutcome, FieldError> {
    let mut sim = FleetSim::new(policy, devices, accept_rate, seed)?;
    while !sim.advance(usize::MAX) {}
    Ok(sim.out)
}

/// Generated client code for a policy.
pub mod snippets {
    use super::{Jitter, Policy};
    use crate::format::plain;
    use crate::snippets::Target;

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
                 client.tls_set(ca_certs=\"{ca}\")  # 8883 is MQTT over TLS\n\
                 # paho's own reconnect: waits min_delay, doubles after each failure up to\n\
                 # max_delay, and starts over only after a successful CONNACK. No jitter:\n\
                 # after a broker restart, a whole fleet retries in step.\n\
                 client.reconnect_delay_set(min_delay={min}, max_delay={max})\n\
                 client.connect_async(\"{host}\", {port})\n\
                 client.loop_forever(retry_first_connection=True)\n",
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
             client.tls_set(ca_certs=\"{ca}\")  # 8883 is MQTT over TLS\n\
             \n\
             attempt, delay = 0, BASE_S\n\
             while True:\n\
             \x20   try:\n\
             \x20       client.connect(\"{host}\", {port}, keepalive=60)\n\
             \x20       # Our own network loop: returns non-zero when the connection ends.\n\
             \x20       while client.loop(timeout=1.0) == mqtt.MQTT_ERR_SUCCESS:\n\
             \x20           if state[\"connected\"]:\n\
             \x20               attempt, delay = 0, BASE_S  # start over after a CONNACK, as paho does\n\
             \x20   except OSError as err:\n\
             \x20       print(f\"connect failed: {{err}}\")\n\
             \x20   attempt += 1\n\
             \x20   delay = next_delay(attempt, delay)\n\
             \x20   print(f\"attempt {{attempt}}: retrying in {{delay:.1f}} s\")\n\
             \x20   time.sleep(delay)\n",
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

    fn policy(jitter: Jitter) -> Policy {
        Policy {
            jitter,
            ..Policy::default()
        }
    }

    #[test]
    fn no_jitter_worked_example() {
        // base 1, factor 2, cap 120, 10 attempts: 1 2 4 8 16 32 64 120 120 120 = 487 s.
        let s = schedule(&policy(Jitter::None), 10, 1).unwrap();
        let delays: Vec<f64> = s.iter().map(|a| a.delay_s).collect();
        assert_eq!(
            delays,
            [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 120.0, 120.0, 120.0]
        );
        assert_eq!(s.last().unwrap().at_s, 487.0);
        assert_eq!(policy(Jitter::None).cap_reached_attempt(), Some(8));
    }

    #[test]
    fn cap_reached_for_each_strategy() {
        // Decorrelated ceiling: 1 × 3^k ≥ 120 first at k = 5 (243).
        assert_eq!(policy(Jitter::Decorrelated).cap_reached_attempt(), Some(5));
        assert_eq!(policy(Jitter::Full).cap_reached_attempt(), Some(8));
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
        assert!(policy(Jitter::None).is_paho_builtin());
        assert!(!policy(Jitter::Full).is_paho_builtin());
        let s = snippets::python(&policy(Jitter::None), &crate::snippets::Target::display());
        assert!(s.contains("client.reconnect_delay_set(min_delay=1, max_delay=120)"));
        let s = snippets::python(&policy(Jitter::Equal), &crate::snippets::Target::display());
        assert!(s.contains("BASE_S, FACTOR, CAP_S = 1, 2, 120"));
        assert!(s.contains("return ceiling / 2 + random.uniform(0, ceiling / 2)"));
        assert!(s.contains("reconnect_on_failure=False"));
    }

    #[test]
    fn fleet_without_jitter_is_a_thundering_herd() {
        let out = simulate_fleet(&policy(Jitter::None), 1000, 100.0, 1).unwrap();
        // All 1000 retry at t = 1 s, in the same instant.
        assert_eq!(out.peak_attempts_per_s, 1000);
        // 100 admitted per round; rounds at 1, 3, 7, 15, 31, 63, 127, 247, 367, 487 s.
        assert_eq!(out.all_connected_s, Some(487.0));
        assert_eq!(out.p99_connected_s, Some(487.0));
        assert_eq!(
            out.total_attempts,
            (1..=10).map(|r| 1000 - 100 * (r - 1)).sum::<u64>()
        );
        assert_eq!(out.refused_attempts, out.total_attempts - 1000);
    }

    #[test]
    fn fleet_of_three_by_hand() {
        // 3 devices, 1 admission per second, no jitter: t=1 s 3 tries, 1 in;
        // t=3 s 2 tries (bucket refilled to 1), 1 in; t=7 s the last one in.
        let out = simulate_fleet(&policy(Jitter::None), 3, 1.0, 9).unwrap();
        assert_eq!(out.total_attempts, 6);
        assert_eq!(out.refused_attempts, 3);
        assert_eq!(out.peak_attempts_per_s, 3);
        assert_eq!(out.all_connected_s, Some(7.0));
        assert_eq!(out.p99_connected_s, Some(7.0));
        assert_eq!(out.attempts_per_second[1], 3);
        assert_eq!(out.attempts_per_second[3], 2);
        assert_eq!(out.attempts_per_second[7], 1);
        // Each device's CONNECTs: admitted (CONNACK 0) or refused (0x9F); a
        // fleet of 3 traces all three.
        assert_eq!(
            out.traces,
            [
                vec![(1.0, true)],
                vec![(1.0, false), (3.0, true)],
                vec![(1.0, false), (3.0, false), (7.0, true)],
            ]
        );
    }

    #[test]
    fn traces_are_spread_over_the_fleet() {
        assert_eq!(
            (0..5).map(|i| traced_device(i, 1000)).collect::<Vec<_>>(),
            [0, 200, 400, 600, 800]
        );
        assert_eq!(
            (0..3).map(|i| traced_device(i, 3)).collect::<Vec<_>>(),
            [0, 1, 2]
        );
        // Without jitter all 1,000 try at 1 s; 100 get in per round, in the
        // order scheduled: device 0 in the first round, device 800 in the
        // ninth (rounds at 1, 3, 7, 15, 31, 63, 127, 247, 367 s).
        let out = simulate_fleet(&policy(Jitter::None), 1000, 100.0, 1).unwrap();
        assert_eq!(out.traces[0], [(1.0, true)]);
        let last: Vec<f64> = out.traces[4].iter().map(|a| a.0).collect();
        assert_eq!(last, [1.0, 3.0, 7.0, 15.0, 31.0, 63.0, 127.0, 247.0, 367.0]);
        assert!(
            out.traces[4].iter().rev().skip(1).all(|a| !a.1) && out.traces[4].last().unwrap().1
        );
    }

    #[test]
    fn fleet_of_two_with_enough_capacity_connects_at_once() {
        let out = simulate_fleet(&policy(Jitter::None), 2, 10.0, 3).unwrap();
        assert_eq!((out.total_attempts, out.refused_attempts), (2, 0));
        assert_eq!(out.all_connected_s, Some(1.0));
    }

    #[test]
    fn jitter_flattens_the_later_waves_and_speeds_recovery() {
        // The first wave is the same for all (everyone's first delay is at most
        // 1 s); afterwards the herd returns in step and jitter spreads it out.
        let late_peak = |o: &FleetOutcome| o.attempts_per_second.iter().skip(2).max().copied();
        let herd = simulate_fleet(&policy(Jitter::None), 1000, 100.0, 5).unwrap();
        assert_eq!(late_peak(&herd), Some(900));
        for j in [Jitter::Full, Jitter::Equal, Jitter::Decorrelated] {
            let out = simulate_fleet(&policy(j), 1000, 100.0, 5).unwrap();
            assert!(
                late_peak(&out).unwrap() < 700,
                "{j:?}: {:?}",
                late_peak(&out)
            );
            let all = out.all_connected_s.expect("everyone connects");
            assert!(all < 120.0, "{j:?}: {all}");
            assert_eq!(out.total_attempts - out.refused_attempts, 1000);
        }
    }

    #[test]
    fn same_seed_same_result() {
        let p = policy(Jitter::Decorrelated);
        assert_eq!(schedule(&p, 20, 77).unwrap(), schedule(&p, 20, 77).unwrap());
        assert_ne!(schedule(&p, 20, 77).unwrap(), schedule(&p, 20, 78).unwrap());
        assert_eq!(
            simulate_fleet(&p, 500, 50.0, 3).unwrap(),
            simulate_fleet(&p, 500, 50.0, 3).unwrap()
        );
    }

    #[test]
    fn the_fleets_table_of_ceilings_gives_every_attempt_its_ceiling() {
        // Capped at attempt 8; never capped (factor 1, and 1.001 until the
        // exponent stops at 2000); capped at once.
        for (base_s, factor, cap_s) in [
            (1.0, 2.0, 120.0),
            (0.5, 1.0, 60.0),
            (0.01, 1.001, 86_400.0),
            (5.0, 3.0, 5.0),
        ] {
            let policy = Policy {
                base_s,
                factor,
                cap_s,
                jitter: Jitter::None,
            };
            let mut sim = FleetSim::new(&policy, 1, 1.0, 0).unwrap();
            for k in (1..40).chain([1999, 2000, 2001, 2002, 5000, u32::MAX]) {
                assert_eq!(
                    sim.delay_s(k, 0.0),
                    policy.ceiling_s(k),
                    "{policy:?} attempt {k}"
                );
            }
        }
    }

    #[test]
    #[ignore = "benchmark, run by scripts/bench.sh"]
    fn bench_fleet_100k() {
        for jitter in Jitter::ALL {
            for rate in [100.0, 1000.0] {
                let mut times = Vec::new();
                let mut attempts = 0;
                for seed in 0..5 {
                    let t = std::time::Instant::now();
                    attempts = simulate_fleet(&policy(jitter), 100_000, rate, seed)
                        .unwrap()
                        .total_attempts;
                    times.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                times.sort_by(f64::total_cmp);
                let median = times[2];
                println!(
                    "| fleet, 100,000 devices, {}, admits {rate}/s | {median:.1} | {:.1} M attempts/s |",
                    jitter.label(),
                    attempts as f64 / median / 1000.0
                );
            }
        }
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

        #[test]
        fn fleet_accounting_adds_up(devices in 1u32..300, rate in 1.0..500.0f64, jitter in any_jitter(), seed in any::<u64>()) {
            let out = simulate_fleet(&policy(jitter), devices, rate.round(), seed).unwrap();
            let admitted = out.total_attempts - out.refused_attempts;
            prop_assert!(admitted <= u64::from(devices));
            prop_assert_eq!(out.attempts_per_second.iter().map(|&n| u64::from(n)).sum::<u64>(), out.total_attempts);
            // Everyone in exactly when the run reports an all-connected time (a herd
            // admitted one per 120 s round can need more than the hour).
            prop_assert_eq!(out.all_connected_s.is_some(), admitted == u64::from(devices));
            if jitter != Jitter::None {
                // Spread-out retries use every admission: everyone is in within the hour.
                prop_assert!(out.all_connected_s.is_some() || f64::from(devices) > rate.round() * 3600.0 / 10.0);
            }
        }
    }
}
