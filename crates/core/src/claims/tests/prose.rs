//! Issue 22: every figure a content file quotes from a model is the model's.
//! Each test reads the rendered content file and asserts the sentence with
//! the numbers computed by the core, so a change of the model or of the text
//! that makes them disagree fails here. (Figures from a source are claims,
//! checked by the other tests of this module.)

use super::*;
use crate::format::{fixed, number};

/// The paragraph of `slug`'s content that contains `words`, whitespace
/// collapsed; fails when there is none.
fn sentence_with(slug: &str, words: &str) -> String {
    rendered(slug)
        .lines()
        .find(|l| l.contains(words))
        .unwrap_or_else(|| panic!("content/{slug}.md: no text with “{words}”"))
        .to_string()
}

/// The chapter's worked example (1,216 connections, a limit of 1,520), each
/// term computed by `capacity::compute` with the other terms at zero.
#[test]
fn capacity_worked_example_is_computed() {
    use crate::capacity::{compute, Inputs};
    let chapter = Inputs {
        devices: 1000.0,
        backend_services: 5.0,
        monitoring_tools: 2.0,
        alert_pct: 80.0,
        ..Inputs::default()
    };
    let only = |devices, backend_services, monitoring_tools| {
        compute(&Inputs {
            devices,
            backend_services,
            monitoring_tools,
            ..chapter
        })
        .unwrap()
        .required_connections as f64
    };
    let o = compute(&chapter).unwrap();
    let expected = format!(
        "Worked example from the chapter: {} devices, {} backend services and {} monitoring tools need {} + {} + {} = {} connections; with an alert at {} %, configure {}.",
        number(chapter.devices, 0),
        chapter.backend_services,
        chapter.monitoring_tools,
        number(only(chapter.devices, 0.0, 0.0), 0),
        number(only(0.0, chapter.backend_services, 0.0), 0),
        number(only(0.0, 0.0, chapter.monitoring_tools), 0),
        number(o.required_connections as f64, 0),
        chapter.alert_pct,
        number(o.recommended_limit as f64, 0),
    );
    assert!(
        sentence_with("capacity", "Worked example").contains(&expected),
        "content/capacity.md should say: {expected}"
    );
    // "the 20 % covers devices reconnecting", "plus 64 descriptors".
    let model = sentence_with("capacity", "Required connections =");
    assert!(model.contains("⌈devices × 1.2⌉") && model.contains("the 20 % covers"));
    assert_eq!(only(100.0, 0.0, 0.0), 120.0);
    assert_eq!(o.file_descriptors - o.recommended_limit, 64);
    assert!(model.contains("the broker limit plus 64 descriptors"));
}

/// The chapter's arithmetic: 3000 mAh ÷ 180 mA and 150 h ÷ 16.7 h; and the
/// defaults the model paragraph names (20 % derating, 120 mA awake).
#[test]
fn battery_figures_are_computed() {
    use crate::battery::{compute, Inputs, ACTIVE_MA, DERATING};
    let chapter = Inputs {
        capacity_mah: 3000.0,
        busy_ma: 180.0,
        idle_ma: 20.0,
        ..Inputs::default()
    };
    let o = compute(&chapter).unwrap();
    let expected = format!(
        "{} mAh ÷ {} mA is {} hours, not 16; and {} h ÷ {} h is {}×, not 9.4×.",
        chapter.capacity_mah,
        chapter.busy_ma,
        fixed(o.busy_hours, 1),
        o.event_hours,
        fixed(o.busy_hours, 1),
        fixed(o.ratio, 1)
    );
    assert!(
        sentence_with("battery", "The arithmetic.").contains(&expected),
        "content/battery.md should say: {expected}"
    );
    let model = sentence_with("battery", "Battery life = capacity");
    assert!(model.contains(&format!(
        "the rated capacity less {} % by default",
        DERATING.default
    )));
    assert!(model.contains(&format!("The {} mA while awake", ACTIVE_MA.default)));
}

/// "about 95 %" for a QoS 1 publisher and a QoS 0 subscriber at 5 % (the
/// default), and "about 0.2 points at 5 %" for the ignored effect.
#[test]
fn qos_figures_are_computed() {
    use crate::qos::{analytic, Inputs, LOSS};
    let i = Inputs::default();
    assert_eq!((i.pub_qos, i.sub_qos, LOSS.default), (1, 0, 5.0));
    let o = analytic(&i).unwrap();
    let callout = sentence_with("qos", "QoS 0 subscriber delivers about");
    assert!(callout.contains(&format!("delivers about {} %", o.delivery_pct.round())));
    // "of order p²": p² at 5 % is 0.25 points, said as "about 0.2".
    let p = LOSS.default / 100.0;
    assert!((p * p * 100.0 - 0.2).abs() <= 0.1, "p² in points at 5 %");
    assert!(sentence_with("qos", "an effect of order p²")
        .contains(&format!("(about 0.2 points at {} %)", LOSS.default)));
}

/// The defaults the broker-cost model paragraph quotes.
#[test]
fn broker_cost_defaults_are_the_models() {
    let d = crate::broker_cost::Inputs::default();
    let text = sentence_with("broker-cost", "Defaults: hosting of");
    for quoted in [
        format!("hosting of {} USD a month", d.hosting_usd_month),
        format!(
            "{} hours of setup at {} USD an hour",
            d.setup_hours, d.hourly_usd
        ),
        format!("upkeep {} hours", d.maint_hours_month),
        format!("The breach cost of {} USD", number(d.breach_usd, 0)),
    ] {
        assert!(
            text.contains(&quoted),
            "content/broker-cost.md should say: {quoted}"
        );
    }
}

/// A resumed handshake's crypto time: "20 % of a full handshake's".
#[test]
fn tls_resumption_fraction_is_the_models() {
    let pct = crate::tls_timeout::RESUMED_CRYPTO_FRACTION * 100.0;
    assert!(sentence_with("tls-timeout", "A resumed session skips")
        .contains(&format!("its crypto time as {pct} % of a full handshake's")));
}

/// The live page's packet bound: "larger than 256 KiB".
#[test]
fn live_packet_bound_is_the_clients() {
    let kib = crate::mqtt::client::MAX_PACKET / 1024;
    assert!(sentence_with("live", "Incoming packets larger than")
        .contains(&format!("Incoming packets larger than {kib} KiB")));
}
