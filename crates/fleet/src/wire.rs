//! A fleet run as numbers, for a Web Worker (crates/fleet-worker): the page
//! posts a job ([`job`]) as a `Float64Array`, the worker runs it whole
//! ([`run_job`]) and posts the outcome back the same way ([`outcome`]).
//! Every value is an f64 that holds it exactly (counts up to 2^32, seeds up to
//! 2^53 - 1, the field's maximum), so the page shows what the same run in the
//! page would have shown, to the bit.

use crate::{simulate_fleet, FleetOutcome, TRACED};
use mqtt_lab_core::backoff::{Jitter, Policy};

/// The job for one strategy: the policy, the fleet, its admission rate and the seed.
pub fn job(policy: &Policy, devices: u32, accept_rate: f64, seed: u64) -> Vec<f64> {
    let jitter = Jitter::ALL
        .iter()
        .position(|j| *j == policy.jitter)
        .unwrap_or(0);
    vec![
        jitter as f64,
        policy.base_s,
        policy.factor,
        policy.cap_s,
        f64::from(devices),
        accept_rate,
        seed as f64,
    ]
}

/// Runs a job whole; an empty reply for a job that is not one (wrong length,
/// out of range: [`FleetSim::new`](crate::FleetSim::new) checks the fields).
pub fn run_job(job: &[f64]) -> Vec<f64> {
    let &[jitter, base_s, factor, cap_s, devices, accept_rate, seed] = job else {
        return Vec::new();
    };
    let Some(&jitter) = Jitter::ALL.get(jitter as usize).filter(|_| whole(jitter)) else {
        return Vec::new();
    };
    if !whole(devices) || devices > f64::from(u32::MAX) || !whole(seed) {
        return Vec::new();
    }
    let policy = Policy {
        base_s,
        factor,
        cap_s,
        jitter,
    };
    simulate_fleet(&policy, devices as u32, accept_rate, seed as u64)
        .map(|o| encode(&o))
        .unwrap_or_default()
}

/// A count or a seed: not negative, not NaN, no fraction.
fn whole(x: f64) -> bool {
    x >= 0.0 && x.fract() == 0.0
}

/// The outcome as numbers: the three counts; the two times (NaN: none); the
/// per-second attempts, counted; the traces, each counted, as (time,
/// admitted 1 or 0) pairs.
fn encode(o: &FleetOutcome) -> Vec<f64> {
    let mut v = vec![
        o.peak_attempts_per_s as f64,
        o.total_attempts as f64,
        o.refused_attempts as f64,
        o.p99_connected_s.unwrap_or(f64::NAN),
        o.all_connected_s.unwrap_or(f64::NAN),
        o.attempts_per_second.len() as f64,
    ];
    v.extend(o.attempts_per_second.iter().map(|&n| f64::from(n)));
    v.push(o.traces.len() as f64);
    for trace in &o.traces {
        v.push(trace.len() as f64);
        for &(t, admitted) in trace {
            v.extend([t, f64::from(u8::from(admitted))]);
        }
    }
    v
}

/// The outcome a worker sent back; None for anything else (empty: the job
/// was refused; cut short, or longer than its counts say).
pub fn outcome(reply: &[f64]) -> Option<FleetOutcome> {
    let mut at = reply.iter().copied();
    let mut next = || at.next();
    let count = |x: f64| whole(x).then_some(x as usize);
    let time = |x: f64| (!x.is_nan()).then_some(x);
    let peak_attempts_per_s = next()? as u64;
    let total_attempts = next()? as u64;
    let refused_attempts = next()? as u64;
    let p99_connected_s = time(next()?);
    let all_connected_s = time(next()?);
    let seconds = count(next()?)?;
    if seconds > reply.len() {
        return None;
    }
    let attempts_per_second = (0..seconds)
        .map(|_| next().map(|n| n as u32))
        .collect::<Option<Vec<_>>>()?;
    let traced = count(next()?)?;
    if traced > TRACED as usize {
        return None;
    }
    let mut traces = Vec::with_capacity(traced);
    for _ in 0..traced {
        let n = count(next()?)?;
        if n > reply.len() {
            return None;
        }
        traces.push(
            (0..n)
                .map(|_| Some((next()?, next()? == 1.0)))
                .collect::<Option<Vec<_>>>()?,
        );
    }
    next().is_none().then_some(FleetOutcome {
        peak_attempts_per_s,
        total_attempts,
        refused_attempts,
        p99_connected_s,
        all_connected_s,
        attempts_per_second,
        traces,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FleetSim;

    /// The page's way: in slices of ten buckets, as the backoff page runs it.
    fn in_slices(policy: &Policy, devices: u32, rate: f64, seed: u64) -> FleetOutcome {
        let mut sim = FleetSim::new(policy, devices, rate, seed).unwrap();
        while !sim.advance(10) {}
        sim.outcome().clone()
    }

    #[test]
    fn a_job_run_whole_and_sent_back_is_the_run_in_slices_to_the_bit() {
        for jitter in Jitter::ALL {
            let policy = Policy::with_jitter(jitter);
            let reply = run_job(&job(&policy, 5000, 100.0, 7));
            assert_eq!(
                outcome(&reply),
                Some(in_slices(&policy, 5000, 100.0, 7)),
                "{jitter:?}"
            );
        }
    }

    #[test]
    fn the_herd_without_jitter_comes_back_with_its_hand_worked_times() {
        // As fleet_without_jitter_is_a_thundering_herd: 1,000 devices, 100 admitted
        // a round, rounds at 1, 3, 7, ... 487 s; the first second holds none.
        let reply = run_job(&job(&Policy::with_jitter(Jitter::None), 1000, 100.0, 1));
        let o = outcome(&reply).unwrap();
        assert_eq!(o.peak_attempts_per_s, 1000);
        assert_eq!(o.all_connected_s, Some(487.0));
        assert_eq!(o.attempts_per_second[..2], [0, 1000]);
        // Five traced devices, 0, 200, ... 800: device 0 is among the first round's
        // 100, device 200 among the third round's (at 7 s), refused at 1 and 3 s.
        assert_eq!(o.traces.len(), 5);
        assert_eq!(o.traces[0], vec![(1.0, true)]);
        assert_eq!(o.traces[1], vec![(1.0, false), (3.0, false), (7.0, true)]);
    }

    #[test]
    fn a_time_never_reached_travels_as_none() {
        // 10,000 devices at 1 a second: at most 3,601 connect within the hour.
        let reply = run_job(&job(&Policy::with_jitter(Jitter::Full), 10_000, 1.0, 3));
        let o = outcome(&reply).unwrap();
        assert_eq!((o.p99_connected_s, o.all_connected_s), (None, None));
        assert_eq!(o.attempts_per_second.len(), 3600);
    }

    #[test]
    fn a_job_that_is_not_one_gets_an_empty_reply() {
        let good = job(&Policy::default(), 10, 5.0, 1);
        assert!(!run_job(&good).is_empty());
        for bad in [
            vec![],
            good[..6].to_vec(),
            [good.clone(), vec![1.0]].concat(),
            [vec![4.0], good[1..].to_vec()].concat(),
            [vec![0.5], good[1..].to_vec()].concat(),
            [good[..4].to_vec(), vec![1.5, 5.0, 1.0]].concat(),
            [good[..4].to_vec(), vec![-1.0, 5.0, 1.0]].concat(),
            [good[..6].to_vec(), vec![f64::NAN]].concat(),
            // Zero devices and a NaN rate: the fields' own checks.
            [good[..4].to_vec(), vec![0.0, 5.0, 1.0]].concat(),
            [good[..4].to_vec(), vec![10.0, f64::NAN, 1.0]].concat(),
        ] {
            assert_eq!(run_job(&bad), Vec::<f64>::new(), "{bad:?}");
        }
        assert_eq!(outcome(&[]), None);
    }

    #[test]
    fn a_reply_cut_short_or_too_long_is_refused() {
        let reply = run_job(&job(&Policy::with_jitter(Jitter::Equal), 200, 20.0, 5));
        assert!(outcome(&reply).is_some());
        for n in 0..reply.len() {
            assert_eq!(outcome(&reply[..n]), None, "cut at {n}");
        }
        assert_eq!(outcome(&[reply.clone(), vec![0.0]].concat()), None);
        // Counts that are not counts.
        let mut odd = reply.clone();
        odd[5] = 1e12;
        assert_eq!(outcome(&odd), None);
        odd[5] = -1.0;
        assert_eq!(outcome(&odd), None);
    }
}
