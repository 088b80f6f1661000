//! What the backoff page draws and says, from a schedule or the fleet's
//! outcomes: the charts, their data tables and summaries, the result texts.
//! Plain functions, tested natively; the components only wire them.

use crate::components::*;
use mqtt_lab_core::backoff::{Attempt, Jitter, Policy};
use mqtt_lab_core::claims::content::fill;
use mqtt_lab_core::format::number;
use mqtt_lab_fleet::{FleetOutcome, HORIZON_S};

/// Each strategy's outcome, in the order they were simulated.
pub type Fleet = [(Jitter, FleetOutcome)];

/// The order the strategies are simulated in: the selected one first, so
/// that its numbers arrive first, then the others in [`Jitter::ALL`]'s order.
pub fn run_order(selected: Jitter) -> Vec<Jitter> {
    let mut order = vec![selected];
    order.extend(Jitter::ALL.into_iter().filter(|j| *j != selected));
    order
}

/// A strategy's colour, the same in the storm and the recovery chart.
pub fn tone(j: Jitter) -> Tone {
    match j {
        Jitter::None => Tone::Danger,
        Jitter::Full => Tone::Primary,
        Jitter::Equal => Tone::Secondary,
        Jitter::Decorrelated => Tone::Warning,
    }
}

/// From the disconnection to the last attempt shown, in seconds.
pub fn total_wait_s(schedule: &[Attempt]) -> f64 {
    schedule.last().map_or(0.0, |a| a.at_s)
}

/// "Delay reaches the cap at attempt": its number, or never (factor 1).
pub fn cap_reached_text(attempt: Option<u32>) -> String {
    attempt.map_or("never (factor 1)".to_string(), |k| k.to_string())
}

/// The delays, with the band of the possible ones under jitter, and the cap.
pub fn schedule_chart(p: &Policy, s: &[Attempt]) -> LineChart {
    let pts = |f: fn(&Attempt) -> f64| {
        s.iter()
            .map(|a| (f64::from(a.attempt), f(a)))
            .collect::<Vec<_>>()
    };
    let mut series = vec![Series {
        name: format!("Delay, {}", p.jitter.label()),
        points: pts(|a| a.delay_s),
        tone: Tone::Primary,
        faint: false,
    }];
    if p.jitter != Jitter::None {
        series.push(Series {
            name: "Largest possible".into(),
            points: pts(|a| a.max_delay_s),
            tone: Tone::Muted,
            faint: true,
        });
        series.push(Series {
            name: "Smallest possible".into(),
            points: pts(|a| a.min_delay_s),
            tone: Tone::Muted,
            faint: true,
        });
    }
    LineChart {
        x_log10: false,
        y_log10: false,
        x_label: "Attempt".into(),
        y_label: "Delay before it (s)".into(),
        series,
        hlines: vec![HLine {
            y: p.cap_s,
            label: format!("Cap {} s", number(p.cap_s, 2)),
            tone: Tone::Danger,
        }],
        markers: vec![],
    }
}

pub fn schedule_table(s: &[Attempt]) -> Table {
    Table {
        headers: [
            "Attempt",
            "Delay (s)",
            "At (s)",
            "Smallest (s)",
            "Largest (s)",
        ]
        .map(String::from)
        .to_vec(),
        rows: s
            .iter()
            .map(|a| {
                vec![
                    a.attempt.to_string(),
                    number(a.delay_s, 2),
                    number(a.at_s, 2),
                    number(a.min_delay_s, 2),
                    number(a.max_delay_s, 2),
                ]
            })
            .collect(),
    }
}

/// The first twelve delays and the total wait.
pub fn schedule_summary(s: &[Attempt]) -> String {
    let delays: Vec<String> = s.iter().take(12).map(|a| number(a.delay_s, 1)).collect();
    let more = if s.len() > 12 { ", …" } else { "" };
    fill(
        content::backoff::SCHEDULE_SUMMARY,
        &[
            ("delays", &format!("{}{more}", delays.join(", "))),
            ("total_s", &number(total_wait_s(s), 1)),
        ],
    )
}

/// The outcome of strategy `j`, once simulated.
pub fn outcome_of(fleet: &Fleet, j: Jitter) -> Option<&FleetOutcome> {
    fleet.iter().find(|(k, _)| *k == j).map(|(_, o)| o)
}

/// The storm chart's (and the devices' chart's) end, in whole seconds: the
/// selected strategy's storm until it is done, and 10 s at least. Drawn with
/// the others, the jittered storms (over in 15-35 s) were squeezed against
/// the axis of the herd's 487 s (issue 21); the recovery bars compare them.
pub fn storm_end_s(fleet: &Fleet, selected: Jitter) -> usize {
    outcome_of(fleet, selected)
        .and_then(|o| o.all_connected_s)
        .unwrap_or(HORIZON_S)
        .max(10.0)
        .ceil() as usize
}

/// The selected strategy's attempts per second, against the broker's rate.
pub fn storm_chart(
    selected: Jitter,
    outcome: Option<&FleetOutcome>,
    end_s: usize,
    accept_rate: f64,
) -> LineChart {
    LineChart {
        x_log10: false,
        y_log10: false,
        x_label: "Seconds after the broker restart".into(),
        y_label: "Attempts per second".into(),
        series: outcome
            .map(|o| Series {
                name: selected.label().into(),
                points: o
                    .attempts_per_second
                    .iter()
                    .take(end_s + 1)
                    .enumerate()
                    .map(|(t, &n)| (t as f64, f64::from(n)))
                    .collect(),
                tone: tone(selected),
                faint: false,
            })
            .into_iter()
            .collect(),
        hlines: vec![HLine {
            y: accept_rate,
            label: "Broker admits per second".into(),
            tone: Tone::Muted,
        }],
        markers: vec![],
    }
}

/// The storm chart's summary: the selected strategy's peak against the rate.
pub fn storm_summary(selected: Jitter, outcome: Option<&FleetOutcome>, accept_rate: f64) -> String {
    outcome.map_or_else(String::new, |o| {
        let (text, all_s) = match o.all_connected_s {
            Some(t) => (content::backoff::STORM_SUMMARY, number(t, 1)),
            None => (content::backoff::STORM_SUMMARY_NOT_ALL, String::new()),
        };
        fill(
            text,
            &[
                ("strategy", selected.label()),
                ("peak", &number(o.peak_attempts_per_s as f64, 0)),
                ("rate", &number(accept_rate, 0)),
                ("all_s", &all_s),
            ],
        )
    })
}

/// Every strategy's time until the whole fleet is back, side by side, the
/// selected one in its colour.
pub fn recovery_chart(fleet: &Fleet, selected: Jitter) -> BarChart {
    BarChart {
        x_label: "Seconds until every device is connected".into(),
        rows: Jitter::ALL
            .iter()
            .filter_map(|&j| outcome_of(fleet, j).map(|o| (j, o)))
            .map(|(j, o)| BarRow {
                label: j.label().into(),
                segments: vec![(
                    "Until all connected".into(),
                    o.all_connected_s.unwrap_or(HORIZON_S),
                    if j == selected { tone(j) } else { Tone::Muted },
                )],
                note: o
                    .all_connected_s
                    .map_or("over 1 h".into(), |s| format!("{} s", number(s, 1))),
            })
            .collect(),
        line: None,
    }
}

/// The recovery chart's summary: when each strategy had all connected.
pub fn recovery_summary(fleet: &Fleet) -> String {
    fleet
        .iter()
        .map(|(j, o)| match o.all_connected_s {
            Some(t) => fill(
                content::backoff::RECOVERY_SUMMARY_ITEM,
                &[("strategy", j.label()), ("all_s", &number(t, 0))],
            ),
            None => fill(
                content::backoff::RECOVERY_SUMMARY_ITEM_NOT_ALL,
                &[("strategy", j.label())],
            ),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The storm's and the recovery chart's data table: every strategy's figures.
pub fn strategies_table(fleet: &Fleet) -> Table {
    let over_an_hour = |t: Option<f64>| t.map_or("over 1 h".into(), |t| number(t, 1));
    Table {
        headers: [
            "Strategy",
            "Peak attempts/s",
            "Attempts",
            "Refused",
            "99 % connected (s)",
            "All connected (s)",
        ]
        .map(String::from)
        .to_vec(),
        rows: fleet
            .iter()
            .map(|(j, o)| {
                vec![
                    j.label().to_string(),
                    number(o.peak_attempts_per_s as f64, 0),
                    number(o.total_attempts as f64, 0),
                    number(o.refused_attempts as f64, 0),
                    over_an_hour(o.p99_connected_s),
                    over_an_hour(o.all_connected_s),
                ]
            })
            .collect(),
    }
}

/// "Fleet: all connected after": when all were, and 99 % of them.
pub fn all_connected_text(o: &FleetOutcome) -> String {
    match (o.p99_connected_s, o.all_connected_s) {
        (p99, Some(all)) => format!(
            "{} s (99 % at {} s)",
            number(all, 1),
            number(p99.unwrap_or(all), 1)
        ),
        (Some(p99), None) => format!("over 1 h (99 % at {} s)", number(p99, 1)),
        (None, None) => "over 1 h".to_string(),
    }
}

/// Trace `i`'s device, numbered from 1, in a fleet of `devices`.
pub fn device_name(i: u32, devices: u32) -> String {
    format!(
        "device {}",
        number(f64::from(mqtt_lab_fleet::traced_device(i, devices) + 1), 0)
    )
}

/// The traced devices' every CONNECT and its CONNACK (0x00 admitted, 0x9F
/// Connection rate exceeded), on the storm chart's time axis.
pub fn devices_chart(traces: &[Vec<(f64, bool)>], devices: u32, end_s: usize) -> Timeline {
    Timeline {
        x_label: "Seconds after the broker restart".into(),
        x_max: end_s as f64,
        // Short lane names: the label area is narrow (the table names them fully).
        lanes: (0..traces.len() as u32)
            .map(|i| device_name(i, devices).replace("device ", "#"))
            .collect(),
        events: traces
            .iter()
            .enumerate()
            .flat_map(|(lane, t)| t.iter().map(move |&(x, ok)| (x, lane, ok)))
            .collect(),
    }
}

pub fn devices_table(traces: &[Vec<(f64, bool)>], devices: u32) -> Table {
    Table {
        headers: vec!["Device".into(), "CONNECT at (s) → CONNACK".into()],
        rows: traces
            .iter()
            .enumerate()
            .map(|(d, t)| {
                let attempts = t
                    .iter()
                    .map(|&(x, ok)| {
                        format!(
                            "{} → {}",
                            number(x, 2),
                            if ok { "0x00 admitted" } else { "0x9F refused" }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                vec![device_name(d as u32, devices), attempts]
            })
            .collect(),
    }
}

pub fn devices_summary(traces: &[Vec<(f64, bool)>]) -> String {
    let tries: usize = traces.iter().map(Vec::len).sum();
    fill(
        content::backoff::DEVICES_SUMMARY,
        &[
            ("devices", &traces.len().to_string()),
            ("attempts", &tries.to_string()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(attempt: u32, delay_s: f64, at_s: f64) -> Attempt {
        Attempt {
            attempt,
            delay_s,
            at_s,
            min_delay_s: delay_s / 2.0,
            max_delay_s: delay_s,
        }
    }

    /// Doubling from 1 s to a 120 s cap: 1, 2, 4, … 64, then 120 from attempt 8.
    fn doubling(n: u32) -> Vec<Attempt> {
        let mut at = 0.0;
        (1..=n)
            .map(|k| {
                let d = (2f64.powi(k as i32 - 1)).min(120.0);
                at += d;
                attempt(k, d, at)
            })
            .collect()
    }

    fn outcome(peak: u64, p99: Option<f64>, all: Option<f64>) -> FleetOutcome {
        FleetOutcome {
            peak_attempts_per_s: peak,
            total_attempts: 5500,
            refused_attempts: 4500,
            p99_connected_s: p99,
            all_connected_s: all,
            attempts_per_second: vec![0, 1000, 0, 900, 0, 0],
            traces: vec![],
        }
    }

    #[test]
    fn the_strategy_chosen_is_simulated_first_then_the_others_in_order() {
        assert_eq!(
            run_order(Jitter::Equal),
            [
                Jitter::Equal,
                Jitter::None,
                Jitter::Full,
                Jitter::Decorrelated
            ]
        );
        assert_eq!(run_order(Jitter::None), Jitter::ALL);
    }

    #[test]
    fn the_schedule_summary_lists_twelve_delays_then_an_ellipsis() {
        // 1+2+4+8+16+32+64 = 127 s, then 120 s per attempt: 487 s after 10 attempts.
        assert_eq!(
            schedule_summary(&doubling(10)),
            "Delays in seconds: 1, 2, 4, 8, 16, 32, 64, 120, 120, 120; 487 s in all."
        );
        // 13 attempts: 127 + 6 × 120 = 847 s; the thirteenth delay is not listed.
        assert_eq!(
            schedule_summary(&doubling(13)),
            "Delays in seconds: 1, 2, 4, 8, 16, 32, 64, 120, 120, 120, 120, 120, …; 847 s in all."
        );
        // Delays are rounded to 0.1 s, the total as well.
        assert_eq!(
            schedule_summary(&[attempt(1, 0.26, 0.26), attempt(2, 1.04, 1.3)]),
            "Delays in seconds: 0.3, 1; 1.3 s in all."
        );
        assert_eq!(total_wait_s(&[]), 0.0);
    }

    #[test]
    fn the_schedule_table_has_a_row_per_attempt_to_two_decimals() {
        let t = schedule_table(&[attempt(1, 1.0, 1.0), attempt(2, 2.345, 3.345)]);
        assert_eq!(t.headers[2], "At (s)");
        assert_eq!(
            t.rows,
            [
                ["1", "1", "1", "0.5", "1"],
                ["2", "2.35", "3.35", "1.17", "2.35"]
            ]
        );
    }

    #[test]
    fn the_schedule_chart_draws_the_jitter_band_only_with_jitter() {
        let s = doubling(3);
        let none = schedule_chart(&Policy::default(), &s);
        assert_eq!(none.series.len(), 1);
        assert_eq!(none.series[0].points, [(1.0, 1.0), (2.0, 2.0), (3.0, 4.0)]);
        assert_eq!(none.hlines[0].label, "Cap 120 s");
        let full = Policy {
            jitter: Jitter::Full,
            cap_s: 7.5,
            ..Policy::default()
        };
        let chart = schedule_chart(&full, &s);
        let names: Vec<&str> = chart.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names[1..], ["Largest possible", "Smallest possible"]);
        assert_eq!(chart.series[2].points, [(1.0, 0.5), (2.0, 1.0), (3.0, 2.0)]);
        assert_eq!(
            (chart.hlines[0].y, chart.hlines[0].label.as_str()),
            (7.5, "Cap 7.5 s")
        );
    }

    #[test]
    fn the_cap_is_reached_at_an_attempt_or_never() {
        assert_eq!(cap_reached_text(Some(8)), "8");
        assert_eq!(cap_reached_text(None), "never (factor 1)");
    }

    #[test]
    fn the_storm_ends_with_the_selected_strategy_and_lasts_ten_seconds_at_least() {
        let fleet = [
            (Jitter::Full, outcome(140, Some(30.0), Some(34.9))),
            (Jitter::Equal, outcome(120, Some(5.0), Some(4.2))),
            (Jitter::None, outcome(1000, None, None)),
        ];
        assert_eq!(storm_end_s(&fleet, Jitter::Full), 35);
        assert_eq!(storm_end_s(&fleet, Jitter::Equal), 10);
        // Not all connected within the hour: the whole hour.
        assert_eq!(storm_end_s(&fleet, Jitter::None), 3600);
        // Not simulated yet: the whole hour too.
        assert_eq!(storm_end_s(&fleet, Jitter::Decorrelated), 3600);
    }

    #[test]
    fn the_storm_chart_draws_the_selected_strategy_up_to_its_end() {
        let o = outcome(1000, Some(480.0), Some(487.0));
        let chart = storm_chart(Jitter::None, Some(&o), 3, 100.0);
        assert_eq!(chart.series.len(), 1);
        assert_eq!(chart.series[0].tone, Tone::Danger);
        // Seconds 0 to 3, inclusive.
        assert_eq!(
            chart.series[0].points,
            [(0.0, 0.0), (1.0, 1000.0), (2.0, 0.0), (3.0, 900.0)]
        );
        assert_eq!(chart.hlines[0].y, 100.0);
        assert!(storm_chart(Jitter::None, None, 3, 100.0).series.is_empty());
    }

    #[test]
    fn the_storm_summary_says_the_peak_against_the_rate_and_when_all_were_back() {
        let o = outcome(1000, Some(480.0), Some(487.04));
        assert_eq!(
            storm_summary(Jitter::None, Some(&o), 100.0),
            "No jitter: at most 1,000 attempts in one second, against 100 the broker admits; all connected after 487 s."
        );
        let o = outcome(2500, Some(3000.0), None);
        assert_eq!(
            storm_summary(Jitter::Full, Some(&o), 1250.0),
            "Full jitter: at most 2,500 attempts in one second, against 1,250 the broker admits; not all connected within an hour."
        );
        assert_eq!(storm_summary(Jitter::Full, None, 100.0), "");
    }

    #[test]
    fn the_recovery_summary_names_each_strategy_in_the_order_simulated() {
        let fleet = [
            (Jitter::None, outcome(1000, Some(480.0), Some(487.0))),
            (Jitter::Full, outcome(140, Some(30.0), Some(34.9))),
            (Jitter::Decorrelated, outcome(140, None, None)),
        ];
        assert_eq!(
            recovery_summary(&fleet),
            "No jitter: all connected after 487 s; Full jitter: all connected after 35 s; \
             Decorrelated jitter: all connected after more than an hour"
        );
        assert_eq!(recovery_summary(&[]), "");
    }

    #[test]
    fn the_recovery_chart_colours_only_the_selected_strategy_in_the_registry_order() {
        let fleet = [
            (Jitter::Full, outcome(140, Some(30.0), Some(34.9))),
            (Jitter::None, outcome(1000, None, None)),
        ];
        let chart = recovery_chart(&fleet, Jitter::Full);
        let rows: Vec<(&str, f64, Tone, &str)> = chart
            .rows
            .iter()
            .map(|r| {
                (
                    r.label.as_str(),
                    r.segments[0].1,
                    r.segments[0].2,
                    r.note.as_str(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("No jitter", 3600.0, Tone::Muted, "over 1 h"),
                ("Full jitter", 34.9, Tone::Primary, "34.9 s"),
            ]
        );
    }

    #[test]
    fn the_strategies_table_writes_an_hour_not_reached_as_over_1_h() {
        let t = strategies_table(&[(Jitter::None, outcome(1000, Some(480.04), None))]);
        assert_eq!(
            t.rows,
            [["No jitter", "1,000", "5,500", "4,500", "480", "over 1 h"]]
        );
    }

    #[test]
    fn all_connected_says_when_99_percent_were() {
        assert_eq!(
            all_connected_text(&outcome(0, Some(480.0), Some(487.0))),
            "487 s (99 % at 480 s)"
        );
        // All connected with no 99 % figure: the same time for both.
        assert_eq!(
            all_connected_text(&outcome(0, None, Some(12.26))),
            "12.3 s (99 % at 12.3 s)"
        );
        assert_eq!(
            all_connected_text(&outcome(0, Some(3000.0), None)),
            "over 1 h (99 % at 3,000 s)"
        );
        assert_eq!(all_connected_text(&outcome(0, None, None)), "over 1 h");
    }

    #[test]
    fn the_devices_are_named_by_their_place_in_the_fleet() {
        // 1,000 devices, 5 traced: every 200th, numbered from 1.
        let traces = vec![vec![(1.0, false), (3.5, true)], vec![(1.25, true)], vec![]];
        let chart = devices_chart(&traces, 1000, 35);
        assert_eq!(chart.lanes, ["#1", "#201", "#401"]);
        assert_eq!(chart.x_max, 35.0);
        assert_eq!(
            chart.events,
            [(1.0, 0, false), (3.5, 0, true), (1.25, 1, true)]
        );
        let table = devices_table(&traces, 10_000);
        assert_eq!(
            table.rows,
            [
                ["device 1", "1 → 0x9F refused; 3.5 → 0x00 admitted"],
                ["device 2,001", "1.25 → 0x00 admitted"],
                ["device 4,001", ""],
            ]
        );
        assert_eq!(
            devices_summary(&traces),
            "3 devices spread over the fleet made 3 connection attempts; each cross is a CONNECT \
             refused with CONNACK 0x9F (Connection rate exceeded), each dot the CONNECT that got in."
        );
    }
}
