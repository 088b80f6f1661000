//! The rows the core says a sequence diagram must show, as JSON, for the
//! browser tests to compare with what the page draws (issue 21: the page
//! once kept stale rows while the model was right):
//!
//! - `diagram_rows qos`: every QoS pair, both sessions, no drop and every
//!   drop point: `[{pub, sub, session, drop, names}]`, `drop` numbered from 1
//!   as the page's `drop=` parameter, `names` each row's accessible name;
//! - `diagram_rows samples`: the packets page's samples, `[{name, names}]`;
//! - `diagram_rows session FILE`: the rows of a session file (as exported by
//!   the live page), `{names}`, or the reason it is refused.

use mqtt_lab_core::inspect::{self, Row, SessionFile, SessionPacket};
use mqtt_lab_core::mqtt::Protocol;
use mqtt_lab_core::{qos, qos_flow};
use serde_json::{json, Value};
use std::process::ExitCode;

/// The lanes of the packets page and the live page.
const CLIENT_BROKER: &[&str] = &["client", "broker"];

fn names(rows: &[Row], lanes: &[&str]) -> Vec<String> {
    rows.iter().map(|r| r.text(lanes)).collect()
}

fn qos_flows() -> Value {
    let mut out = Vec::new();
    for pub_qos in 0..=2 {
        for sub_qos in 0..=2 {
            for persistent in [true, false] {
                let i = qos::Inputs {
                    pub_qos,
                    sub_qos,
                    persistent,
                    ..Default::default()
                };
                let drops = std::iter::once(None).chain((0..qos_flow::drop_points(&i)).map(Some));
                for drop in drops {
                    let f = qos_flow::flow(&i, drop);
                    out.push(json!({
                        "pub": pub_qos,
                        "sub": sub_qos,
                        "session": if persistent { "persistent" } else { "clean" },
                        "drop": drop.map(|d| d + 1),
                        "delivered": f.delivered,
                        "names": names(&f.rows, qos_flow::LANES),
                    }));
                }
            }
        }
    }
    Value::Array(out)
}

fn samples() -> Value {
    inspect::EXAMPLES
        .iter()
        .map(|(name, v, dump)| {
            let p = Protocol::from_slug(v);
            let bytes = inspect::parse_hex(dump).expect("a sample is valid hex");
            let rows = inspect::dump_rows(p, &inspect::explain(p, &bytes));
            json!({ "name": name, "names": names(&rows, CLIENT_BROKER) })
        })
        .collect()
}

fn session(path: &str) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    let s = |v: &Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
    let file = SessionFile {
        format: s(&v, "format"),
        protocol: s(&v, "protocol"),
        packets: v["packets"]
            .as_array()
            .ok_or("no list of packets")?
            .iter()
            .map(|p| SessionPacket {
                seq: p["seq"].as_u64().unwrap_or(0),
                at_ms: p["at_ms"].as_u64().unwrap_or(0),
                dir: s(p, "dir"),
                hex: s(p, "hex"),
                summary: s(p, "summary"),
                error: p["error"].as_str().map(str::to_string),
            })
            .collect(),
    };
    let (p, entries) = inspect::import(file)?;
    let t0 = entries.first().map_or(0, |e| e.at_ms);
    let rows = inspect::wire_rows(p, &entries, t0, &mut None);
    Ok(json!({ "names": names(&rows, CLIENT_BROKER) }))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["qos"] => Ok(qos_flows()),
        ["samples"] => Ok(samples()),
        ["session", path] => session(path),
        _ => Err("usage: diagram_rows qos | samples | session FILE".into()),
    };
    match out {
        Ok(v) => {
            println!("{v}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("diagram_rows: {e}");
            ExitCode::FAILURE
        }
    }
}
