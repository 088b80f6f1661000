//! No code outside the reason-code table says a reason code by its number
//! (issue 26: the client had `code < 0x80`, the page `0x92`). The table,
//! `crates/core/src/reason_codes.rs`, names every code
//! (`ReasonCode::PACKET_IDENTIFIER_NOT_FOUND`); everywhere else a code is a
//! `ReasonCode`, which cannot be compared with an integer at all, so what is
//! left to catch is a way around the type or a code kept as a plain number:
//!
//! - `ReasonCode(0x92)`: a code made from a literal;
//! - a comparison of an integer literal with a code: `code < 0x80`,
//!   `a.code.0 >= 0x80`, `0x99 == code`, or with any `.0` (`c.0 < 0x80`);
//! - `matches!(code, 0..=2 | 0x80)` and `match code { 0x87 => … }` over a code.
//!
//! A code is what is named so: `code`, `codes`, `granted`, `reason`, or a name
//! ending in `reason_code`, `return_code`, `reason_codes`. Packet bytes are
//! never compared through these names (`b[0] & 0xF0`, `id == 0x23`,
//! `ws_code == 1006` pass), and comments and strings are not read. The
//! scanner's own test below shows it catches each form.

use std::path::{Path, PathBuf};

/// The one file allowed to say codes by number: the table.
const TABLE: &str = "crates/core/src/reason_codes.rs";

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `text` with comments, strings and character literals blanked (newlines
/// kept, so line numbers stay), lifetimes left alone.
fn code_only(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out: Vec<char> = c.clone();
    let blank = |out: &mut Vec<char>, from: usize, to: usize| {
        for x in out.iter_mut().take(to.min(c.len())).skip(from) {
            if *x != '\n' {
                *x = ' ';
            }
        }
    };
    let mut i = 0;
    while i < c.len() {
        let next = c.get(i + 1).copied();
        if c[i] == '/' && next == Some('/') {
            let end = c[i..]
                .iter()
                .position(|&x| x == '\n')
                .map_or(c.len(), |n| i + n);
            blank(&mut out, i, end);
            i = end;
        } else if c[i] == '/' && next == Some('*') {
            let (mut depth, mut j) = (1, i + 2);
            while j < c.len() && depth > 0 {
                if c[j] == '/' && c.get(j + 1) == Some(&'*') {
                    depth += 1;
                    j += 1;
                } else if c[j] == '*' && c.get(j + 1) == Some(&'/') {
                    depth -= 1;
                    j += 1;
                }
                j += 1;
            }
            blank(&mut out, i, j);
            i = j;
        } else if c[i] == 'r'
            && (next == Some('"') || next == Some('#'))
            && !ident_char(c.get(i.wrapping_sub(1)))
        {
            // r"…" or r#"…"#
            let hashes = c[i + 1..].iter().take_while(|&&x| x == '#').count();
            if c.get(i + 1 + hashes) != Some(&'"') {
                i += 1;
                continue;
            }
            let close: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let mut j = i + 2 + hashes;
            while j < c.len() && !c[j..].starts_with(&close) {
                j += 1;
            }
            blank(&mut out, i, j + close.len());
            i = j + close.len();
        } else if c[i] == '"' {
            let mut j = i + 1;
            while j < c.len() && c[j] != '"' {
                j += if c[j] == '\\' { 2 } else { 1 };
            }
            blank(&mut out, i, j + 1);
            i = j + 1;
        } else if c[i] == '\'' {
            // '\n', '\'', 'x' are characters; 'a (no closing quote) a lifetime.
            let end = if next == Some('\\') {
                // The escaped character, then the closing quote: '\'' too.
                c[i + 3..]
                    .iter()
                    .position(|&x| x == '\'')
                    .map(|n| i + 3 + n + 1)
            } else if c.get(i + 2) == Some(&'\'') {
                Some(i + 3)
            } else {
                None
            };
            match end {
                Some(e) => {
                    blank(&mut out, i, e);
                    i = e;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    out.into_iter().collect()
}

fn ident_char(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
}

/// Whether an identifier names a reason code.
fn names_a_code(ident: &str) -> bool {
    matches!(ident, "code" | "codes" | "granted" | "reason")
        || ["reason_code", "return_code", "reason_codes"]
            .iter()
            .any(|s| ident.ends_with(s))
}

/// The integer literal starting at `i` (`0x80`, `146`, `0x80u8`), if one
/// does: not a tuple index (`.0`), not part of a name or a float (`1.0`).
fn int_literal_at(c: &[char], i: usize) -> Option<usize> {
    if !c.get(i)?.is_ascii_digit()
        || ident_char(c.get(i.wrapping_sub(1)))
        || (i > 0 && c[i - 1] == '.')
    {
        return None;
    }
    let mut j = i;
    while j < c.len() && (c[j].is_ascii_alphanumeric() || c[j] == '_') {
        j += 1;
    }
    if c.get(j) == Some(&'.') && c.get(j + 1).is_some_and(|x| x.is_ascii_digit()) {
        return None;
    }
    Some(j)
}

fn has_int_literal(c: &[char]) -> bool {
    (0..c.len()).any(|i| int_literal_at(c, i).is_some())
}

/// The operand that ends just before `end` (a path with fields, indexing and
/// calls: `a.code.0`, `s.codes[0]`, `self.code()`), as text.
fn operand_before(c: &[char], end: usize) -> String {
    let mut i = end;
    while i > 0 && c[i - 1] == ' ' {
        i -= 1;
    }
    let stop = i;
    let mut depth = 0i32;
    while i > 0 {
        let x = c[i - 1];
        match x {
            ')' | ']' => depth += 1,
            '(' | '[' if depth > 0 => depth -= 1,
            _ if depth > 0 => {}
            _ if x.is_ascii_alphanumeric() || x == '_' || x == '.' => {}
            ':' if i >= 2 && c[i - 2] == ':' => i -= 1,
            _ => break,
        }
        i -= 1;
    }
    c[i..stop].iter().collect()
}

/// The operand that starts at `start`.
fn operand_after(c: &[char], start: usize) -> String {
    let mut i = start;
    while i < c.len() && c[i] == ' ' {
        i += 1;
    }
    let from = i;
    let mut depth = 0i32;
    while i < c.len() {
        let x = c[i];
        match x {
            '(' | '[' => depth += 1,
            ')' | ']' if depth > 0 => depth -= 1,
            _ if depth > 0 => {}
            _ if x.is_ascii_alphanumeric() || x == '_' || x == '.' => {}
            ':' if c.get(i + 1) == Some(&':') => i += 1,
            _ => break,
        }
        i += 1;
    }
    c[from..i].iter().collect()
}

/// A code, or a way around its type: a name of [`names_a_code`] among the
/// operand's identifiers (outside its call arguments), or a `.0`.
fn is_code(operand: &str) -> bool {
    let mut depth = 0;
    let outer: String = operand
        .chars()
        .filter(|&x| {
            match x {
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                _ => return depth == 0,
            }
            false
        })
        .collect();
    outer.ends_with(".0")
        || outer
            .split(|x: char| !(x.is_ascii_alphanumeric() || x == '_'))
            .any(names_a_code)
}

/// The end of the bracketed group that opens at `open`.
fn group_end(c: &[char], open: usize) -> usize {
    let mut depth = 0;
    for (j, &x) in c.iter().enumerate().skip(open) {
        match x {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    c.len()
}

/// The top-level pieces of `c` split at commas (a match's arms, a macro's
/// arguments); an arm that ends in a block needs no comma.
fn top_level(c: &[char]) -> Vec<(usize, usize)> {
    let (mut out, mut from, mut depth) = (Vec::new(), 0, 0);
    for (j, &x) in c.iter().enumerate() {
        match x {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' => depth -= 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    out.push((from, j + 1));
                    from = j + 1;
                }
            }
            ',' if depth == 0 => {
                out.push((from, j));
                from = j + 1;
            }
            _ => {}
        }
    }
    out.push((from, c.len()));
    out
}

/// Every place in `source` that says a reason code by number: (line, what).
fn findings(source: &str) -> Vec<(usize, String)> {
    let text = code_only(source);
    let c: Vec<char> = text.chars().collect();
    let line = |i: usize| c[..i].iter().filter(|&&x| x == '\n').count() + 1;
    let mut found = Vec::new();
    let word_at = |i: usize, w: &str| {
        c[i..].starts_with(&w.chars().collect::<Vec<_>>())
            && !ident_char(c.get(i.wrapping_sub(1)))
            && !ident_char(c.get(i + w.len()))
    };
    for i in 0..c.len() {
        // ReasonCode(0x92)
        if word_at(i, "ReasonCode") {
            let mut j = i + "ReasonCode".len();
            if c.get(j) == Some(&'(') {
                j += 1;
                while c.get(j) == Some(&' ') {
                    j += 1;
                }
                if int_literal_at(&c, j).is_some() {
                    found.push((
                        line(i),
                        "a ReasonCode made from a number: use its name".into(),
                    ));
                }
            }
        }
        // code < 0x80, 0x99 == code
        let op_len = match (c[i], c.get(i + 1)) {
            ('=' | '!' | '<' | '>', Some('=')) => 2,
            ('<' | '>', _)
                if c.get(i + 1) != Some(&c[i]) && c.get(i.wrapping_sub(1)) != Some(&c[i]) =>
            {
                1
            }
            _ => 0,
        };
        let is_arrow = c[i] == '>' && matches!(c.get(i.wrapping_sub(1)), Some('=' | '-'));
        if op_len > 0
            && !is_arrow
            && !(c[i] == '=' && matches!(c.get(i.wrapping_sub(1)), Some('=' | '!' | '<' | '>')))
        {
            let left = operand_before(&c, i);
            let right = operand_after(&c, i + op_len);
            let lit = |s: &str| {
                let v: Vec<char> = s.chars().collect();
                int_literal_at(&v, 0) == Some(v.len())
            };
            if (lit(&right) && is_code(&left)) || (lit(&left) && is_code(&right)) {
                found.push((
                    line(i),
                    format!(
                        "{left} {} {right}",
                        &text[..].chars().skip(i).take(op_len).collect::<String>()
                    ),
                ));
            }
        }
        // matches!(code, 0..=2 | 0x80)
        if word_at(i, "matches") && c.get(i + 7) == Some(&'!') {
            let open = i + 8 + c[i + 8..].iter().take_while(|&&x| x == ' ').count();
            let close = group_end(&c, open);
            let args = top_level(&c[open + 1..close]);
            if let [(a, b), rest @ ..] = &args[..] {
                let subject: String = c[open + 1 + a..open + 1 + b].iter().collect();
                let pattern = rest
                    .first()
                    .map_or(&c[0..0], |(x, y)| &c[open + 1 + x..open + 1 + y]);
                if is_code(subject.trim()) && has_int_literal(pattern) {
                    found.push((
                        line(i),
                        format!("matches!({}, …) with a number", subject.trim()),
                    ));
                }
            }
        }
        // match code { 0x87 => … }
        if word_at(i, "match") {
            let Some(open) = c[i..].iter().position(|&x| x == '{').map(|n| i + n) else {
                continue;
            };
            let subject: String = c[i + 5..open].iter().collect();
            if !is_code(subject.trim()) {
                continue;
            }
            let close = group_end(&c, open);
            let body = &c[open + 1..close];
            for (a, b) in top_level(body) {
                let arm = &body[a..b];
                let Some(arrow) =
                    (0..arm.len().saturating_sub(1)).find(|&k| arm[k] == '=' && arm[k + 1] == '>')
                else {
                    continue;
                };
                if has_int_literal(&arm[..arrow]) {
                    found.push((
                        line(open + 1 + a),
                        format!("match {} with an arm that is a number", subject.trim()),
                    ));
                }
            }
        }
    }
    found
}

#[test]
fn no_reason_code_is_said_by_its_number_outside_the_table() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    rust_files(&root.join("crates/core/src"), &mut files);
    rust_files(&root.join("src"), &mut files);
    files.retain(|f| !f.ends_with(TABLE));
    assert!(files.len() > 80, "only {} files found", files.len());
    let mut all = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let shown = f.strip_prefix(&root).unwrap_or(f).display().to_string();
        all.extend(
            findings(&text)
                .into_iter()
                .map(|(l, what)| format!("{shown}:{l}: {what}")),
        );
    }
    assert!(
        all.is_empty(),
        "reason codes said by number outside {TABLE} (name them: ReasonCode::NOT_AUTHORIZED, code.is_failure()):\n{}",
        all.join("\n")
    );
}

/// The scanner catches each form, on the lines issue 26 found (before
/// `ReasonCode`), and leaves packet bytes, property identifiers, WebSocket
/// close codes, comments and strings alone.
#[test]
fn the_scanner_catches_each_form_and_nothing_else() {
    let caught = |src: &str| findings(src).len();
    for bad in [
        "if t == PacketType::Pubrec && a.code < 0x80 {}",
        "(PacketType::Pubrec, Some(QoS::ExactlyOnce)) if code >= 0x80 => {}",
        "(Protocol::V5, PacketType::Connack) if code == 0x99 => true,",
        "if c.code != 0 {}",
        "if 0x92 == a.code.0 {}",
        "Some(c) if c.0 >= 0x80 => {}",
        "let x = a.code.0 < 128u8;",
        "let valid = matches!(code, 0..=2 | 0x80);",
        "if matches!(self.reason, Some((0, _, PacketType::Connack))) {}",
        "match code { 0x87 => 1, _ => 2 }",
        "match e.return_code { 1 => {} _ => {} }",
        "self.send(ack(id, ReasonCode(0x92)));",
        "let g = s.codes[0].0 > 2;",
    ] {
        assert_eq!(caught(bad), 1, "not caught: {bad}");
    }
    for fine in [
        "if flags & 0xFE != 0 {}",
        "if b[0] == 0x30 && id == 0x23 {}",
        "if ws_code == 1006 && !opened {}",
        "let v = match d.kind { Byte => 1, _ => 2 };",
        "match t { 0x26 => {} _ => {} }",
        "if code == ReasonCode::SUCCESS && !code.is_failure() {}",
        "let x = vec![0x80 | 0x40, 0, 30]; let y: Vec<u8> = z;",
        "fn f<'a>(x: &'a str) -> Option<&'a str> { let c = 'x'; None }",
        "// a comment: code < 0x80\nlet s = \"code == 0x92\";",
        "let r = r#\"code < 0x80\"#;",
        "let q = '\\''; let done = code.is_failure() || q == '<';",
        "let o = out.find(|o| o.0 == 1.0);",
        "if code.0 as usize > n.len() {}",
        "let ok = granted_qos.is_some() && n >= 2;",
    ] {
        assert_eq!(findings(fine), [], "caught: {fine}");
    }
}
