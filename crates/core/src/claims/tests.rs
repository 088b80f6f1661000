//! The texts of the app against the claims table, and the snippet
//! generators against the registry, by reading the sources.

use super::*;
use crate::snippets::{self, Kind, REGISTRY};
use crate::target::Target;

mod comments;
mod corrections;
mod prose;

/// The content files (`content/<slug>.md`): their slug and text.
fn content_files() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| {
            let slug = p.file_stem().unwrap().to_string_lossy().into_owned();
            (slug, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    assert!(out.len() >= 10, "found only {} content files", out.len());
    out
}

/// A content file rendered, all its parts in order, as the page shows it;
/// each short text on a line of its own (a `plain` one's lines joined).
fn rendered(slug: &str) -> String {
    let (_, md) = content_files()
        .into_iter()
        .find(|(s, _)| s == slug)
        .unwrap_or_else(|| panic!("no content/{slug}.md"));
    content::parts(&md)
        .unwrap_or_else(|e| panic!("content/{slug}.md: {e}"))
        .into_iter()
        .map(|p| match p.kind {
            content::Kind::Part => p.html,
            content::Kind::Text => p.html + "\n",
            content::Kind::Plain => p.html.replace('\n', " ") + "\n",
        })
        .collect()
}

/// Every source file whose texts the app shows: the core's modules and the
/// app's widgets.
fn sources() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in [root.join("src"), root.join("../../src/widgets")] {
        // The directory's .rs files and those of its subdirectories (a widget
        // may be a module directory, like live/).
        let mut files = Vec::new();
        for entry in std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() && !dir.ends_with("src") {
                files.extend(
                    std::fs::read_dir(&path)
                        .unwrap()
                        .flatten()
                        .map(|e| e.path()),
                );
            } else {
                files.push(path);
            }
        }
        files.retain(|p| p.extension().is_some_and(|x| x == "rs"));
        files.sort();
        for f in files {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            if dir.ends_with("src") && name == "claims.rs" {
                continue; // the table itself
            }
            let text = std::fs::read_to_string(&f).unwrap();
            out.push((f.display().to_string(), text));
        }
    }
    assert!(out.len() > 20, "found only {} source files", out.len());
    out
}

/// A string literal: where it starts and its value.
#[derive(Debug)]
struct Literal {
    at: usize,
    value: String,
}

/// The string literals of a Rust source, and the byte ranges of its `{ }`
/// blocks (start of the opening brace, end of the closing one). Comments and
/// char literals are skipped; escapes are decoded as far as the texts need.
fn lex(src: &str) -> (Vec<Literal>, Vec<(usize, usize)>) {
    let b = src.as_bytes();
    let (mut lits, mut blocks, mut open) = (Vec::new(), Vec::new(), Vec::new());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'r' if (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#'))
                && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) =>
            {
                let start = i;
                let mut j = i + 1;
                let mut hashes = 0;
                while b.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                if b.get(j) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let close = format!("\"{}", "#".repeat(hashes));
                let body_start = j + 1;
                let end = src[body_start..]
                    .find(&close)
                    .map(|k| body_start + k)
                    .unwrap();
                lits.push(Literal {
                    at: start,
                    value: src[body_start..end].to_string(),
                });
                i = end + close.len();
            }
            b'"' => {
                let start = i;
                let mut v = String::new();
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        match b[i + 1] {
                            b'n' => v.push('\n'),
                            b't' => v.push('\t'),
                            b'"' => v.push('"'),
                            b'\\' => v.push('\\'),
                            b'\'' => v.push('\''),
                            b'x' => {
                                let hex = &src[i + 2..i + 4];
                                v.push(u8::from_str_radix(hex, 16).unwrap() as char);
                                i += 2;
                            }
                            b'\n' => {
                                // A line continuation: skip the newline and the indentation.
                                while i + 2 < b.len() && (b[i + 2] as char).is_whitespace() {
                                    i += 1;
                                }
                            }
                            other => v.push(other as char),
                        }
                        i += 2;
                    } else {
                        let c = src[i..].chars().next().unwrap();
                        v.push(c);
                        i += c.len_utf8();
                    }
                }
                lits.push(Literal {
                    at: start,
                    value: v,
                });
                i += 1;
            }
            b'\'' => {
                // A char literal ('x', '\n', '"'), or a lifetime ('a).
                if b.get(i + 1) == Some(&b'\\') {
                    i += src[i + 2..].find('\'').map_or(2, |k| k + 3);
                } else if b.get(i + 2) == Some(&b'\'') {
                    i += 3;
                } else {
                    let c = src[i + 1..].chars().next().unwrap_or(' ');
                    if src[i + 1 + c.len_utf8()..].starts_with('\'') {
                        i += 2 + c.len_utf8();
                    } else {
                        i += 1;
                    }
                }
            }
            b'{' => {
                open.push(i);
                i += 1;
            }
            b'}' => {
                if let Some(s) = open.pop() {
                    blocks.push((s, i + 1));
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    (lits, blocks)
}

/// The ranges of `mod NAME { … }` blocks.
fn module_ranges(src: &str, blocks: &[(usize, usize)], name: &str) -> Vec<(usize, usize)> {
    let needle = format!("mod {name} {{");
    src.match_indices(&needle)
        .filter_map(|(k, _)| {
            let brace = k + needle.len() - 1;
            blocks.iter().find(|(s, _)| *s == brace).copied()
        })
        .collect()
}

/// The texts of the app: string literals outside tests and snippet
/// generators, split into paragraphs, list items and table rows.
fn texts() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (file, src) in sources() {
        let (lits, blocks) = lex(&src);
        let mut skip = module_ranges(&src, &blocks, "tests");
        skip.extend(module_ranges(&src, &blocks, "snippets"));
        skip.extend(module_ranges(&src, &blocks, "grids"));
        for lit in lits {
            if skip.iter().any(|(s, e)| (*s..*e).contains(&lit.at)) {
                continue;
            }
            for block in lit
                .value
                .split(['\n'])
                .flat_map(|l| l.split_inclusive("</p>"))
                .flat_map(|l| l.split_inclusive("</li>"))
                .flat_map(|l| l.split_inclusive("</tr>"))
            {
                if block.split_whitespace().count() >= 6 {
                    out.push((file.clone(), block.to_string()));
                }
            }
        }
    }
    // The content files, rendered: one paragraph, list item or table row a line.
    for (slug, _) in content_files() {
        for line in rendered(&slug).lines() {
            for block in line
                .split_inclusive("</p>")
                .flat_map(|l| l.split_inclusive("</li>"))
                .flat_map(|l| l.split_inclusive("</tr>"))
            {
                if block.split_whitespace().count() >= 6 {
                    out.push((format!("content/{slug}.md"), block.to_string()));
                }
            }
        }
    }
    out
}

/// Texts that name a library as a thing to run, not for how it behaves;
/// each is reviewed here.
const NAMES_ONLY: &[&str] = &[
    // The live widget's introduction (content/live.md, intro:).
    "Connect this page to a real broker (your own, a classroom one, or mosquitto on your laptop)",
    // The capacity snippet's systemd drop-in (content/capacity.md, files-unit-then:).
    "then: systemctl daemon-reload && systemctl restart mosquitto",
];

/// The libraries a text names (markers aside).
fn named(text: &str) -> Vec<Library> {
    if NAMES_ONLY.iter().any(|n| text.contains(n)) {
        return Vec::new();
    }
    let text = &plain(text);
    let lower = text.to_ascii_lowercase();
    let at = |needle: &str| -> Vec<usize> { lower.match_indices(needle).map(|(k, _)| k).collect() };
    let before = |k: usize| lower[..k].chars().last().unwrap_or(' ');
    let after = |k: usize, len: usize| lower[k + len..].chars().next().unwrap_or(' ');
    let mut out = Vec::new();
    // paho, but not Paho C, and not inside a name like paho.mqtt.client.
    if at("paho")
        .into_iter()
        .any(|k| !text[k..].starts_with("Paho C") && before(k) != '.' && after(k, 4) != '.')
    {
        out.push(Library::Paho);
    }
    // mosquitto, but not mosquitto_sub and the like, mosquitto.conf or a host name.
    if at("mosquitto")
        .into_iter()
        .any(|k| !matches!(after(k, 9), '_' | '.') && before(k) != '.')
    {
        out.push(Library::Mosquitto);
    }
    if lower.contains("arduino-esp32") {
        out.push(Library::ArduinoEsp32);
    }
    if [
        "esp8266 core",
        "esp8266 arduino core",
        "esp8266/arduino",
        "bearssl",
    ]
    .iter()
    .any(|n| lower.contains(n))
    {
        out.push(Library::Esp8266);
    }
    for (needle, lib) in [
        ("PubSubClient", Library::PubSubClient),
        ("MQTT.js", Library::MqttJs),
        ("AWS IoT", Library::AwsSdk),
        ("aws-c-mqtt", Library::AwsSdk),
        ("HiveMQ", Library::HiveMq),
        ("Paho C", Library::PahoC),
        ("CPython", Library::CPython),
    ] {
        if text.contains(needle) && !out.contains(&lib) {
            out.push(lib);
        }
    }
    out
}

#[test]
fn claims_have_unique_ids_a_version_a_statement_and_a_source() {
    for (k, c) in CLAIMS.iter().enumerate() {
        assert!(
            CLAIMS[k + 1..].iter().all(|o| o.id != c.id),
            "duplicate {}",
            c.id
        );
        assert!(
            c.id.chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-'),
            "{}",
            c.id
        );
        assert!(
            !c.version.is_empty() && !c.subject.is_empty() && c.statement.ends_with('.'),
            "{}",
            c.id
        );
        assert!(
            c.source.repo.contains('/') && !c.source.path.is_empty(),
            "{}",
            c.id
        );
        let issue = c.source.path.starts_with("issues/") || c.source.path.starts_with("pull/");
        assert_eq!(
            c.source.at.is_empty(),
            issue,
            "{}: a file needs the tag it was read at",
            c.id
        );
        assert!(
            c.source.url().starts_with("https://github.com/"),
            "{}",
            c.id
        );
    }
}

#[test]
fn every_marker_in_the_texts_names_a_claim_in_the_table() {
    let mut n = 0;
    let content = content_files()
        .into_iter()
        .map(|(slug, md)| (format!("content/{slug}.md"), md));
    for (file, src) in sources().into_iter().chain(content) {
        for (k, _) in src.match_indices("[[") {
            let Some(len) = src[k + 2..].find("]]") else {
                continue;
            };
            let id = &src[k + 2..k + 2 + len];
            if id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !id.is_empty()
            {
                assert!(
                    find(id).is_some(),
                    "{file}: [[{id}]] is not in claims::CLAIMS"
                );
                n += 1;
            }
        }
    }
    assert!(n >= 40, "only {n} markers found");
}

/// The build script links the markers of parts and `texts` entries as
/// `link_html` would on the page (so the pages need neither), and leaves
/// those of `plain` entries for the page or the snippet.
#[test]
fn the_build_links_markers_as_the_page_did() {
    let md = |slug: &str| {
        content_files()
            .into_iter()
            .find(|(s, _)| s == slug)
            .unwrap()
            .1
    };
    let part = |slug: &str, name: &str| {
        content::parts(&md(slug))
            .unwrap()
            .into_iter()
            .find(|p| p.name == name)
            .unwrap()
            .html
    };
    for (built, slug, name) in [
        (crate::content::capacity::EXPLAIN, "capacity", "explain"),
        (crate::content::battery::EXPLAIN, "battery", "explain"),
        (
            crate::content::tls_timeout::KEEPALIVE_NOTE,
            "tls-timeout",
            "keepalive-note",
        ),
        (
            crate::content::debug::MISSING_NETWORK_LOOP_EXPLANATION,
            "debug",
            "missing-network-loop-explanation",
        ),
    ] {
        let typed = part(slug, name);
        assert!(typed.contains("[["), "{slug} {name} cites no claim");
        if name.ends_with("explanation") {
            assert_eq!(built, typed, "a plain entry keeps its markers");
        } else {
            assert_eq!(built, link_html(&typed), "{slug} {name}");
            assert!(!built.contains("[[") && built.contains("class=\"source\""));
        }
    }
}

/// Issue 22: a content file that cites a claim the table lacks fails here,
/// with the file and the id; so does one that does not render.
#[test]
fn every_content_file_renders_and_cites_only_claims_in_the_table() {
    let mut n = 0;
    for (slug, md) in content_files() {
        let parts = content::parts(&md).unwrap_or_else(|e| panic!("content/{slug}.md: {e}"));
        assert!(!parts.is_empty(), "content/{slug}.md has no part");
        for (k, _) in md.match_indices("[[") {
            let id = &md[k + 2..k + 2 + md[k + 2..].find("]]").unwrap_or(0)];
            assert!(
                find(id).is_some(),
                "content/{slug}.md: [[{id}]] is not in claims::CLAIMS (crates/core/src/claims.rs)"
            );
            n += 1;
        }
    }
    assert!(n >= 30, "only {n} markers in the content files");
}

/// Issue 22: a claim that no text, snippet or widget uses is either dead or
/// missing its text. Uses are a marker `[[id]]` in a content file or a
/// source, or the id as a string (a snippet's `claims`, a table's entry).
#[test]
fn every_claim_is_used_by_content_a_snippet_or_a_widget() {
    let mut haystack = String::new();
    for (_, src) in sources() {
        haystack.push_str(&src);
    }
    for (_, md) in content_files() {
        haystack.push_str(&md);
    }
    let unused: Vec<&str> = CLAIMS
        .iter()
        .map(|c| c.id)
        .filter(|id| {
            !haystack.contains(&format!("[[{id}]]")) && !haystack.contains(&format!("\"{id}\""))
        })
        .collect();
    assert!(unused.is_empty(), "claims used nowhere: {unused:?}");
}

#[test]
fn every_text_that_names_a_library_refers_to_a_claim_about_it() {
    let mut missing = Vec::new();
    let mut checked = 0;
    for (file, text) in texts() {
        let libs = named(&text);
        if libs.is_empty() {
            continue;
        }
        checked += 1;
        let cited: Vec<Library> = segments(&text)
            .into_iter()
            .filter_map(|s| match s {
                Segment::Claim(c) => Some(c.library),
                Segment::Text(_) => None,
            })
            .collect();
        for lib in libs {
            if !cited.contains(&lib) {
                missing.push(format!(
                    "{file}: names {} without a claim about it: {text}",
                    lib.name()
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} texts:\n{}",
        missing.len(),
        missing.join("\n\n")
    );
    assert!(checked >= 20, "only {checked} texts name a library");
}

/// An introduction is shown as it is (`Intro`), without source links.
#[test]
fn introductions_cite_no_claim() {
    for (slug, md) in content_files() {
        for p in content::parts(&md).unwrap() {
            if p.name == "intro" {
                assert!(
                    !p.html.contains("[["),
                    "content/{slug}.md intro: {}",
                    p.html
                );
            }
        }
    }
}

#[test]
fn the_library_scan_finds_what_it_should() {
    assert_eq!(
        named("paho-mqtt resends it, and the broker logs it, as it always does."),
        [Library::Paho]
    );
    assert_eq!(
        named("mosquitto_sub -h test.mosquitto.org -t '#' -v shows all traffic there"),
        []
    );
    assert_eq!(
        named("Paho C (MQTTAsync) reconnects after a second and doubles it"),
        [Library::PahoC]
    );
    assert_eq!(
        named("mosquitto 2.0.11 closes the connection without a DISCONNECT"),
        [Library::Mosquitto]
    );
    let (lits, blocks) = lex("fn a() { let s = \"x \\\n  y\"; let r = r#\"q \"z\" \"#; let c = '\"'; }\nmod tests { const T: &str = \"t\"; }");
    let values: Vec<&str> = lits.iter().map(|l| l.value.as_str()).collect();
    assert_eq!(values, ["x y", "q \"z\" ", "t"]);
    assert_eq!(blocks.len(), 2);
}

#[test]
fn markers_render_as_source_links_and_unknown_ids_stay_text() {
    let html = link_html("Dropped [[mosquitto-takeover]]. [[nope]]");
    assert!(html.starts_with("Dropped <a class=\"source\" href=\"https://github.com/eclipse/mosquitto/blob/v2.0.15/src/handle_connect.c\""), "{html}");
    assert!(html.ends_with(". [[nope]]"));
    assert_eq!(plain("It closes [[mosquitto-takeover]]."), "It closes.");
}

/// A generator a module's `snippets` defines but the registry does not call
/// would run untested: every `pub fn` there must be called from the registry's
/// grids, and no code that imports paho lives outside a `snippets` module.
#[test]
fn every_snippet_generator_is_in_the_registry() {
    let registry = include_str!("../snippets.rs");
    let mut generators = 0;
    for (file, src) in sources() {
        if !file.contains("crates/core") || file.ends_with("snippets.rs") {
            continue;
        }
        let (lits, blocks) = lex(&src);
        let ranges = module_ranges(&src, &blocks, "snippets");
        for (s, e) in &ranges {
            let body = &src[*s..*e];
            let tests = module_ranges(body, &lex(body).1, "tests");
            for (k, _) in body.match_indices("pub fn ") {
                if tests.iter().any(|(ts, te)| (*ts..*te).contains(&k)) {
                    continue;
                }
                let name: String = body[k + 7..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let module = file.rsplit('/').next().unwrap().trim_end_matches(".rs");
                let helper = ["packet_of", "paho_value"].contains(&name.as_str());
                assert!(
                    helper || registry.contains(&format!("{module}::snippets::{name}(")),
                    "{file}: snippets::{name} is not called by the registry (crates/core/src/snippets.rs)"
                );
                generators += 1;
            }
        }
        for lit in lits {
            if lit.value.contains("import paho") {
                assert!(
                    ranges.iter().any(|(s, e)| (*s..*e).contains(&lit.at)),
                    "{file}: paho code outside a snippets module"
                );
            }
        }
    }
    assert!(generators >= 14, "found only {generators} generators");
}

#[test]
fn registry_ids_are_unique_every_entry_has_cases_and_its_claims_exist() {
    let t = Target::display();
    for (k, e) in REGISTRY.iter().enumerate() {
        assert!(REGISTRY[k + 1..].iter().all(|o| o.id != e.id), "{}", e.id);
        assert_eq!(
            snippets::entry_claims(e).len(),
            e.claims.len(),
            "{}: unknown claim",
            e.id
        );
        assert!(crate::widgets::find(e.widget).is_some(), "{}", e.id);
        let cases = (e.cases)(&t);
        assert!(!cases.is_empty(), "{}", e.id);
        for c in &cases {
            assert!(
                !c.code.contains("[["),
                "{} {}: a marker in code would be copied",
                e.id,
                c.name
            );
        }
    }
}

/// Issue 13, points 5, 7 and 8, as far as text can tell (the suite starts
/// mosquitto and runs the clients): no comment after an option, 8883 always
/// with certificates on both sides, no promise of TLS session tickets.
#[test]
fn snippets_keep_comments_on_their_own_lines_and_tls_on_the_tls_port() {
    let t = Target::display();
    for (e, c) in snippets::all_cases(&t) {
        let where_ = format!("{} / {}", e.id, c.name);
        match c.kind {
            Kind::MosquittoConf => {
                for line in c.code.lines() {
                    assert!(
                        line.starts_with('#') || !line.contains('#'),
                        "{where_}: comment after an option: {line}"
                    );
                }
                if c.code.contains(&format!("listener {}", t.tls_port)) {
                    for key in ["cafile ", "certfile ", "keyfile "] {
                        assert!(c.code.contains(key), "{where_}: TLS port without {key}");
                    }
                }
            }
            Kind::Python => {
                if c.code.contains(&format!(", {})", t.tls_port))
                    || c.code.contains(&format!(", {},", t.tls_port))
                {
                    assert!(c.code.contains("tls_set"), "{where_}: 8883 without TLS");
                }
                assert!(!c.code.contains("session tickets"), "{where_}");
                assert!(
                    !c.code.contains("8883") || c.code.contains("tls_set"),
                    "{where_}"
                );
            }
            _ => {}
        }
    }
}
