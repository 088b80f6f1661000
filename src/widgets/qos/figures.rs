//! What the QoS page draws and says from the model and the simulation: the
//! delivery curves, their table and summary, the simulation's result lines.
//! Plain functions, tested natively; the components only wire them.

use crate::components::*;
use mqtt_lab_core::claims::content::fill;
use mqtt_lab_core::format::{number, percent, plain};
use mqtt_lab_core::qos::{self, Inputs, Outputs, Simulation};

/// A publisher's and a subscriber's QoS.
type Pair = (u8, u8);
/// Delivered % against % cut in flight on each hop.
type Curve = Vec<(f64, f64)>;

/// The Monte Carlo run's counts so far.
#[derive(Clone, Copy, PartialEq, Default, Debug)]
pub struct SimResult {
    pub messages: u64,
    pub delivered: u64,
    pub duplicates: u64,
    pub packets: u64,
    pub done: bool,
}

/// The usual pairs' delivery curves and the chosen one's, with the chosen
/// pair's delivery marked at the loss on the subscriber's hop.
pub fn delivery_chart(i: &Inputs, chosen_curve: &Curve, delivery_pct: f64) -> LineChart {
    let chosen = (i.pub_qos, i.sub_qos);
    let mut pairs = vec![(0, 0), (1, 0), (1, 1), (2, 2)];
    if !pairs.contains(&chosen) {
        pairs.push(chosen);
    }
    let tone = |p: Pair| match p.0.min(p.1) {
        0 => Tone::Danger,
        1 => Tone::Primary,
        _ => Tone::Secondary,
    };
    // Pairs whose curves coincide (1 → 1 and 2 → 2 deliver alike) are one
    // line with both names: drawn apart, one hid under the other.
    let mut lines: Vec<(Vec<Pair>, Curve)> = Vec::new();
    for p in pairs {
        let curve = if p == chosen {
            chosen_curve.clone()
        } else {
            qos::delivery_curve(i, p.0, p.1)
        };
        let same = |c: &Curve| {
            c.len() == curve.len() && c.iter().zip(&curve).all(|(a, b)| (a.1 - b.1).abs() < 1e-9)
        };
        match lines.iter_mut().find(|(_, c)| same(c)) {
            Some((names, _)) => names.push(p),
            None => lines.push((vec![p], curve)),
        }
    }
    LineChart {
        x_log10: false,
        y_log10: false,
        x_label: "Messages cut in flight, each hop (%)".into(),
        y_label: "Delivered to the subscriber (%)".into(),
        series: lines
            .into_iter()
            .map(|(names, points)| Series {
                name: names
                    .iter()
                    .map(|p| format!("{} → {}", p.0, p.1))
                    .collect::<Vec<_>>()
                    .join(" and "),
                tone: tone(names[0]),
                faint: !names.contains(&chosen),
                points,
            })
            .collect(),
        hlines: vec![],
        markers: vec![Marker {
            x: i.loss_out_pct,
            y: delivery_pct,
            label: format!("{} %", percent(delivery_pct)),
        }],
    }
}

/// The chosen pair's curve, every other point.
pub fn curve_table(i: &Inputs, curve: &Curve) -> Table {
    Table {
        headers: vec![
            "Cut in flight (%)".into(),
            format!(
                "Delivered, publish {} → subscribe {} (%)",
                i.pub_qos, i.sub_qos
            ),
        ],
        rows: curve
            .iter()
            .step_by(2)
            .map(|(x, y)| vec![number(*x, 1), percent(*y)])
            .collect(),
    }
}

pub fn summary(i: &Inputs, o: &Outputs) -> String {
    fill(
        content::qos::SUMMARY,
        &[
            ("pub", &i.pub_qos.to_string()),
            ("sub", &i.sub_qos.to_string()),
            ("delivered", &percent(o.delivery_pct)),
            ("loss", &plain(i.loss_out_pct)),
        ],
    )
}

/// "Simulated: delivered": how many of how many, and the share.
pub fn simulated_delivered(r: &SimResult) -> String {
    format!(
        "{} of {} ({} %)",
        number(r.delivered as f64, 0),
        number(r.messages as f64, 0),
        percent(r.delivered as f64 * 100.0 / r.messages.max(1) as f64)
    )
}

/// How far the finished simulation is from the model's `delivery_pct`, and
/// whether chance explains it: within two standard errors, what chance
/// gives in 95 runs of 100.
pub fn agreement(delivery_pct: f64, r: &SimResult) -> String {
    let p = delivery_pct / 100.0;
    let got = r.delivered as f64 / r.messages.max(1) as f64;
    let se = Simulation::standard_error(p, r.messages);
    let z = if se > 0.0 { (got - p).abs() / se } else { 0.0 };
    let gap = number((got - p).abs() * 100.0, 2);
    let text = if z <= 2.0 {
        content::qos::SIM_AGREES
    } else {
        content::qos::SIM_DISAGREES
    };
    fill(text, &[("gap", &gap)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(messages: u64, delivered: u64) -> SimResult {
        SimResult {
            messages,
            delivered,
            done: true,
            ..SimResult::default()
        }
    }

    #[test]
    fn the_simulation_agrees_within_two_standard_errors() {
        // p = 0.9 over 10,000 messages: standard error √(0.9 × 0.1 / 10,000) = 0.003,
        // so up to 0.006 (0.6 points) off agrees.
        assert_eq!(
            agreement(90.0, &run(10_000, 8950)),
            "The simulation is 0.5 points from the model: as close as chance allows for this many messages."
        );
        assert!(agreement(90.0, &run(10_000, 8930)).starts_with(
            "The simulation is 0.7 points from the model: further than chance usually puts it"
        ));
        // A certain delivery has no spread: any gap is none at all.
        assert_eq!(
            agreement(100.0, &run(500, 500)),
            "The simulation is 0 points from the model: as close as chance allows for this many messages."
        );
    }

    #[test]
    fn the_simulated_delivery_is_counted_and_shared() {
        assert_eq!(
            simulated_delivered(&run(10_000, 9_512)),
            "9,512 of 10,000 (95.1 %)"
        );
        // Nothing simulated yet: no division by zero.
        assert_eq!(simulated_delivered(&run(0, 0)), "0 of 0 (0.0 %)");
    }

    #[test]
    fn the_summary_names_the_pair_the_delivery_and_the_loss() {
        let i = Inputs {
            pub_qos: 1,
            sub_qos: 0,
            loss_out_pct: 12.5,
            ..Inputs::default()
        };
        let o = Outputs {
            delivery_pct: 87.5,
            ..Outputs::default()
        };
        assert_eq!(
            summary(&i, &o),
            "Publishing at QoS 1 to a QoS 0 subscription delivers 87.5 % when 12.5 % of messages are cut on each hop."
        );
    }

    #[test]
    fn the_table_takes_every_other_point_of_the_chosen_curve() {
        let i = Inputs {
            pub_qos: 2,
            sub_qos: 1,
            ..Inputs::default()
        };
        let curve = vec![(0.0, 100.0), (1.5, 99.0), (3.0, 97.26), (4.5, 95.0)];
        let t = curve_table(&i, &curve);
        assert_eq!(t.headers[1], "Delivered, publish 2 → subscribe 1 (%)");
        assert_eq!(t.rows, [["0", "100.0"], ["3", "97.3"]]);
    }

    #[test]
    fn the_chosen_pair_is_drawn_full_and_shares_the_line_of_a_pair_that_delivers_alike() {
        let i = Inputs {
            pub_qos: 2,
            sub_qos: 2,
            ..Inputs::default()
        };
        let curve = qos::delivery_curve(&i, 2, 2);
        let chart = delivery_chart(&i, &curve, 99.5);
        let lines: Vec<(&str, Tone, bool)> = chart
            .series
            .iter()
            .map(|s| (s.name.as_str(), s.tone, s.faint))
            .collect();
        assert_eq!(
            lines,
            [
                ("0 → 0", Tone::Danger, true),
                ("1 → 0", Tone::Danger, true),
                ("1 → 1", Tone::Primary, true),
                ("2 → 2", Tone::Secondary, false),
            ]
        );
        assert_eq!(chart.markers[0].label, "99.5 %");
        // A pair outside the usual four is added; publishing at QoS 0 to a
        // QoS 2 subscription delivers at QoS 0, on 0 → 0's line.
        let i = Inputs {
            pub_qos: 0,
            sub_qos: 2,
            ..i
        };
        let chart = delivery_chart(&i, &qos::delivery_curve(&i, 0, 2), 90.0);
        let chosen = chart.series.iter().find(|s| !s.faint).unwrap();
        assert_eq!(
            (chosen.name.as_str(), chosen.tone),
            ("0 → 0 and 0 → 2", Tone::Danger)
        );
    }
}
