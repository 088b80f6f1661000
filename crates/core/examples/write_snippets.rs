//! Writes every distinct snippet of the registry's grids, rendered for a
//! test Target, and a manifest, for the snippet suite (tests/snippets/run.py).
//!
//! cargo run -p mqtt-lab-core --example write_snippets -- OUT_DIR key=value...
//! with the keys of `Target` (host, port, tls_port, ws_port, bind, ca_file,
//! broker_ca_file, broker_cert_file, broker_key_file, password_file, acl_file).

use mqtt_lab_core::claims::{Check, CLAIMS};
use mqtt_lab_core::snippets::{all_cases, Kind};
use mqtt_lab_core::target::Target;
use std::fmt::Write as _;

fn json(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let out = args
        .next()
        .ok_or("usage: write_snippets OUT_DIR key=value...")?;
    let mut t = Target::display();
    for a in args {
        let (k, v) = a.split_once('=').ok_or(format!("not key=value: {a}"))?;
        let port = || v.parse::<u16>().map_err(|e| format!("{k}: {e}"));
        match k {
            "host" => t.host = v.into(),
            "port" => t.port = port()?,
            "tls_port" => t.tls_port = port()?,
            "ws_port" => t.ws_port = port()?,
            "bind" => t.bind = Some(v.into()),
            "ca_file" => t.ca_file = v.into(),
            "broker_ca_file" => t.broker_ca_file = v.into(),
            "broker_cert_file" => t.broker_cert_file = v.into(),
            "broker_key_file" => t.broker_key_file = v.into(),
            "password_file" => t.password_file = v.into(),
            "acl_file" => t.acl_file = v.into(),
            _ => return Err(format!("unknown key {k}")),
        }
    }
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let mut seen: Vec<(&str, String)> = Vec::new();
    let mut entries = Vec::new();
    for (e, c) in all_cases(&t) {
        if seen.iter().any(|(id, code)| *id == e.id && *code == c.code) {
            continue; // the same snippet from another grid point
        }
        seen.push((e.id, c.code.clone()));
        let ext = match c.kind {
            Kind::Python | Kind::PythonFragment => "py",
            Kind::MosquittoConf => "conf",
            Kind::Arduino => "cpp",
            Kind::Shell => "sh",
            Kind::Systemd => "conf",
        };
        let file = format!("{:03}-{}.{ext}", entries.len(), e.id.replace('.', "-"));
        std::fs::write(format!("{out}/{file}"), &c.code).map_err(|e| e.to_string())?;
        let params: Vec<String> = c
            .params
            .iter()
            .map(|(k, v)| format!("{}: {}", json(k), json(v)))
            .collect();
        let claims: Vec<String> = e.claims.iter().map(|c| json(c)).collect();
        entries.push(format!(
            "{{\"id\": {}, \"widget\": {}, \"kind\": {}, \"name\": {}, \"file\": {}, \"params\": {{{}}}, \"claims\": [{}]}}",
            json(e.id),
            json(e.widget),
            json(c.kind.slug()),
            json(&c.name),
            json(&file),
            params.join(", "),
            claims.join(", ")
        ));
    }
    let claims: Vec<String> = CLAIMS
        .iter()
        .map(|c| {
            format!(
                "{{\"id\": {}, \"library\": {}, \"version\": {}, \"oracle\": {}, \"statement\": {}}}",
                json(c.id),
                json(c.library.name()),
                json(c.version),
                c.check == Check::Oracle,
                json(c.statement)
            )
        })
        .collect();
    let manifest = format!(
        "{{\"snippets\": [\n{}\n], \"claims\": [\n{}\n]}}\n",
        entries.join(",\n"),
        claims.join(",\n")
    );
    std::fs::write(format!("{out}/manifest.json"), manifest).map_err(|e| e.to_string())?;
    println!("{} distinct snippets written to {out}", entries.len());
    Ok(())
}
