//! What course tools need to know about the widgets (issue 25): every
//! widget's URL parameters with their specs, as the JSON file that the Quarto
//! extension and the pandoc filter check an author's parameters against
//! (`integrations/quarto/_extensions/mqtt-lab/widgets.json`) and that
//! `scripts/scorm.sh` checks its widget list against.
//!
//! The file is written by `cargo run -p mqtt-lab-core --example integrations`;
//! a test below fails when the committed file differs from [`params_json`], so
//! the filter cannot drift from the registry or the specs. The keys are the
//! ones each widget reads (`src/widgets/*.rs`: `url.number`, `url.choice`,
//! `url.text`); the browser test `tests/platforms/params.test.mjs` opens every
//! widget with every parameter of this list set and checks that the widget
//! took it (it writes the value back into its address).

use crate::fields::{ChoiceSpec, NumberSpec, Param, SEED};
use crate::format::json_string;
use crate::widgets::{self, PARTS, THEME};
use crate::{
    backoff, battery, broker_cost, capacity, debug, exercises, live, qos, reason_codes, tls_timeout,
};

/// Where the generated file lives, from the repository's root.
pub const PARAMS_JSON_PATH: &str = "integrations/quarto/_extensions/mqtt-lab/widgets.json";

/// The URL parameters a widget reads, in the order of its help text; empty
/// for a slug without any (or an unknown one).
pub fn parameters(slug: &str) -> Vec<Param> {
    let numbers = |specs: &'static [NumberSpec]| specs.iter().map(Param::Number);
    let choices = |specs: &[&'static ChoiceSpec]| specs.iter().map(|c| Param::Choice(c)).collect();
    match slug {
        "capacity" => numbers(&capacity::FIELDS).collect(),
        "reason-codes" => vec![
            Param::Choice(&reason_codes::VERSION),
            Param::Text("code", "decimal, or hex with 0x"),
            Param::Choice(&reason_codes::PACKET),
            Param::Text("q", "search words"),
        ],
        "backoff" => vec![
            Param::Number(&backoff::BASE),
            Param::Number(&backoff::FACTOR),
            Param::Number(&backoff::CAP),
            Param::Number(&backoff::ATTEMPTS),
            Param::Choice(&backoff::JITTER),
            Param::Number(&SEED),
            Param::Number(&backoff::DEVICES),
            Param::Number(&backoff::ACCEPT_RATE),
        ],
        "tls-timeout" => {
            let mut p: Vec<Param> = choices(&[
                &tls_timeout::DEVICE,
                &tls_timeout::TLS,
                &tls_timeout::KEX,
                &tls_timeout::RESUME,
                &tls_timeout::DNS,
            ]);
            p.extend(
                [
                    &tls_timeout::RTT,
                    &tls_timeout::WIFI,
                    &tls_timeout::LOAD,
                    &tls_timeout::SAFETY,
                    &tls_timeout::CRYPTO,
                ]
                .map(Param::Number),
            );
            p
        }
        "broker-cost" => numbers(&broker_cost::FIELDS).collect(),
        "qos" => vec![
            Param::Choice(&qos::PUB_CHOICE),
            Param::Choice(&qos::SUB_CHOICE),
            Param::Number(&qos::LOSS),
            Param::Number(&qos::LOSS_IN),
            Param::Number(&qos::LOSS_OUT),
            Param::Choice(&qos::SESSION),
            Param::Number(&qos::RETRIES),
            Param::Number(&qos::MESSAGES),
            Param::Number(&SEED),
            Param::Text("drop", "the number of the arrow to cut, from 1"),
        ],
        "debug" => choices(&debug::CHOICES),
        "battery" => std::iter::once(Param::Choice(&battery::STRATEGY))
            .chain(numbers(&battery::FIELDS))
            .collect(),
        "live" => vec![
            Param::Text("url", "a ws:// or wss:// address"),
            Param::Choice(&live::VERSION),
            Param::Text("client_id", "at most 128 characters"),
            Param::Text("topic", "a topic"),
            Param::Choice(&live::QOS),
        ],
        "packets" => vec![
            Param::Choice(&live::VERSION),
            Param::Text("hex", "the bytes"),
        ],
        "exercises" => vec![Param::Choice(&exercises::TAB)],
        _ => Vec::new(),
    }
}

/// A value the widget accepts for a free-text parameter, for the docs and
/// the browser test that checks the widget takes it.
pub fn text_example(key: &str) -> &'static str {
    match key {
        "code" => "135",
        "q" => "quota",
        "drop" => "2",
        "url" => "ws://127.0.0.1:9001",
        "client_id" => "sensor-42",
        "topic" => "lab/room-1/temperature",
        "hex" => "c000",
        _ => "",
    }
}

/// A number as JSON (finite; whole numbers without a fraction).
fn json_number(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        "null".into()
    }
}

fn param_json(p: &Param) -> String {
    match p {
        Param::Number(n) => format!(
            "{{\"key\":{},\"type\":\"number\",\"label\":{},\"unit\":{},\"min\":{},\"max\":{},\"integer\":{},\"default\":{}}}",
            json_string(n.key),
            json_string(n.label),
            json_string(n.unit),
            json_number(n.min),
            json_number(n.max),
            n.integer,
            json_number(n.default),
        ),
        Param::Choice(c) => choice_json(c),
        Param::Text(key, note) => format!(
            "{{\"key\":{},\"type\":\"text\",\"note\":{},\"example\":{}}}",
            json_string(key),
            json_string(note),
            json_string(text_example(key)),
        ),
    }
}

fn choice_json(c: &ChoiceSpec) -> String {
    let options: Vec<String> = c.options.iter().map(|(s, _)| json_string(s)).collect();
    format!(
        "{{\"key\":{},\"type\":\"choice\",\"label\":{},\"options\":[{}],\"default\":{}}}",
        json_string(c.key),
        json_string(c.label),
        options.join(","),
        json_string(c.default),
    )
}

/// The file at [`PARAMS_JSON_PATH`]: every widget of the registry, in its
/// order, with its title, its compact frame's height and its parameters, and
/// the parameters of the shell that every widget takes (`theme`, `parts`).
/// One widget a line, for readable diffs.
pub fn params_json() -> String {
    let rows: Vec<String> = widgets::ALL
        .iter()
        .map(|w| {
            let params: Vec<String> = parameters(w.slug).iter().map(param_json).collect();
            format!(
                "    {{\"slug\":{},\"title\":{},\"frame_height\":{},\"params\":[{}]}}",
                json_string(w.slug),
                json_string(w.title),
                w.frame_height,
                params.join(",")
            )
        })
        .collect();
    format!(
        "{{\n  \"generated_by\": \"cargo run -p mqtt-lab-core --example integrations (crates/core/src/integrations.rs)\",\n  \"shell\": [{}],\n  \"widgets\": [\n{}\n  ]\n}}\n",
        [choice_json(&THEME), choice_json(&PARTS)].join(","),
        rows.join(",\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    #[test]
    fn the_committed_widget_file_is_current() {
        let path = root().join(PARAMS_JSON_PATH);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == params_json(),
            "{} is stale: run `cargo run -p mqtt-lab-core --example integrations` and commit it",
            path.display()
        );
    }

    #[test]
    fn the_file_is_json_with_every_widget_and_its_specs() {
        let v: serde_json::Value = serde_json::from_str(&params_json()).unwrap();
        let list = v["widgets"].as_array().unwrap();
        assert_eq!(list.len(), widgets::ALL.len());
        let qos = list.iter().find(|w| w["slug"] == "qos").unwrap();
        let keys: Vec<&str> = qos["params"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["key"].as_str().unwrap())
            .collect();
        // The keys the qos widget reads: `pub`, not `pub_qos`.
        assert_eq!(
            keys,
            [
                "pub",
                "sub",
                "loss_pct",
                "loss_in_pct",
                "loss_out_pct",
                "session",
                "retries",
                "messages",
                "seed",
                "drop"
            ]
        );
        let base = &list.iter().find(|w| w["slug"] == "backoff").unwrap()["params"][0];
        assert_eq!(base["key"], "base");
        assert_eq!(base["type"], "number");
        assert_eq!(base["min"].as_f64(), Some(backoff::BASE.min));
        assert_eq!(base["max"].as_f64(), Some(backoff::BASE.max));
        assert_eq!(
            v["shell"][0]["options"],
            serde_json::json!(["light", "dark"])
        );
        // The seed's maximum, 2^53 - 1, is written exactly.
        assert!(params_json().contains("\"max\":9007199254740991,"));
    }

    #[test]
    fn every_parts_option_is_what_the_shell_reads() {
        for (value, _) in PARTS.options {
            let parts = widgets::Parts::embed(Some(value)).unwrap();
            assert_eq!(parts.param(), *value);
        }
    }

    #[test]
    fn the_shell_reads_theme_with_these_options() {
        // One spec serves the app and the course tools: src/app.rs has no
        // theme choice of its own.
        let app = std::fs::read_to_string(root().join("src/app.rs")).unwrap();
        assert!(app.contains("widgets::{self, Parts, WidgetInfo, ALL, PARTS, THEME}"));
        assert!(!app.contains(r#"key: "theme","#));
        assert_eq!(THEME.key, "theme");
        assert_eq!(THEME.options, &[("light", "Light"), ("dark", "Dark")]);
    }

    #[test]
    fn every_widget_takes_parameters_and_no_key_twice() {
        for w in widgets::ALL {
            let params = parameters(w.slug);
            assert!(!params.is_empty(), "{}", w.slug);
            for (i, p) in params.iter().enumerate() {
                assert!(
                    params[i + 1..].iter().all(|o| o.key() != p.key()),
                    "{}: {} twice",
                    w.slug,
                    p.key()
                );
                // The shell's own keys are not a widget's.
                assert!(
                    !["w", "embed", "theme", "parts"].contains(&p.key()),
                    "{}",
                    w.slug
                );
                if let Param::Text(key, _) = p {
                    assert!(!text_example(key).is_empty(), "{}: {key}", w.slug);
                }
            }
        }
        assert!(parameters("nope").is_empty());
    }
}
