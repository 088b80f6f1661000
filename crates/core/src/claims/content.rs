//! The widgets' texts as content files (`content/<slug>.md`), and the small
//! Markdown renderer that turns them into HTML at build time.
//!
//! The core's build script (`crates/core/build.rs`) includes this file by
//! path and writes one `const` per part and short text of every content file
//! into `crate::content`, so no Markdown parser reaches the bundle; the
//! core's tests read the same files through the same code
//! (`claims/tests.rs`). This file uses nothing else of the crate for that
//! reason. The syntax is documented in `docs/content.md`:
//!
//! - `<!-- part: NAME -->` starts a part (the build writes `NAME` in upper
//!   case as a constant); a file is a list of parts.
//! - `## Heading`, `### Heading`; paragraphs separated by blank lines; `- `
//!   list items; a fenced ```` ``` ```` code block (shown as typed).
//! - `::: callout Title` … `:::` a callout (`::: callout Title | label` when
//!   its accessible label differs from the title), `::: section CLASS` …
//!   `:::` a section, `::: table Label` … `:::` around a `| a | b |` table
//!   (a scrollable region with that label). Containers nest.
//! - Inline: `` `code` ``, `**strong**`, `*emphasis*`, `[text](url)`, inline
//!   HTML such as `<sup>`, claim markers `[[id]]` (kept here; the build
//!   script turns those of parts and `texts` into source links) and values `{{name}}` (filled by the widget).
//! - `<!-- texts -->` and `<!-- plain -->` start a block of short keyed
//!   texts, one `key: text` a line, continued on indented lines. A text of
//!   `texts` is inline Markdown rendered to HTML without a `<p>` (an
//!   introduction, a note); a text of `plain` is kept as typed, its lines
//!   joined by newlines (a snippet's comment, a step of a narration shown as
//!   text). Each is one constant, like a part.

/// One named part or short text of a content file, rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    /// HTML for a part or a `texts` entry; the text as typed for `plain`.
    pub html: String,
    pub kind: Kind,
}

/// What a [`Part`] is: which marker it came under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `<!-- part: NAME -->`: blocks of Markdown.
    Part,
    /// An entry of `<!-- texts -->`: one paragraph of inline Markdown.
    Text,
    /// An entry of `<!-- plain -->`: text as typed, line for line.
    Plain,
}

/// A name of a part or a key of a short text: lower case, digits and `-`.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The parts and short texts of a content file, each rendered; an error
/// names the line and what is wrong.
pub fn parts(md: &str) -> Result<Vec<Part>, String> {
    // (name, kind, lines) of each part or keyed text, in order.
    type Lines<'a> = Vec<(usize, &'a str)>;
    let mut out: Vec<(String, Kind, Lines)> = Vec::new();
    // Inside a `texts` or `plain` block: its kind.
    let mut keyed: Option<Kind> = None;
    let mut comment = false;
    for (k, line) in md.lines().enumerate() {
        let at = k + 1;
        let t = line.trim();
        let marker = t.strip_prefix("<!--").and_then(|r| r.strip_suffix("-->"));
        let marker = marker.map(str::trim);
        // Comments are for authors; the markers are comments too.
        if comment
            || (t.starts_with("<!--")
                && !marker.is_some_and(|m| m.starts_with("part:") || m == "texts" || m == "plain"))
        {
            comment = !t.ends_with("-->");
            continue;
        }
        let (name, kind, first) = match marker {
            Some("texts") => {
                keyed = Some(Kind::Text);
                continue;
            }
            Some("plain") => {
                keyed = Some(Kind::Plain);
                continue;
            }
            Some(m) => {
                keyed = None;
                (m["part:".len()..].trim(), Kind::Part, None)
            }
            None => match keyed {
                None => {
                    if let Some((_, _, lines)) = out.last_mut() {
                        lines.push((at, line));
                    } else if !t.is_empty() {
                        return Err(format!("line {at}: text before the first part"));
                    }
                    continue;
                }
                Some(kind) => {
                    if t.is_empty() {
                        continue;
                    }
                    if line.starts_with([' ', '\t']) {
                        match out.last_mut() {
                            Some((_, k, lines)) if *k == kind => lines.push((at, t)),
                            _ => return Err(format!("line {at}: a continuation without its key")),
                        }
                        continue;
                    }
                    let Some((key, text)) = line.split_once(": ") else {
                        return Err(format!("line {at}: expected “key: text”"));
                    };
                    (key, kind, Some((at, text.trim())))
                }
            },
        };
        if !valid_name(name) {
            return Err(format!("line {at}: name “{name}”"));
        }
        if out.iter().any(|(n, _, _)| n == name) {
            return Err(format!("line {at}: “{name}” twice"));
        }
        out.push((name.to_string(), kind, first.into_iter().collect()));
    }
    out.into_iter()
        .map(|(name, kind, lines)| {
            let html = match kind {
                Kind::Part => blocks(&lines)?,
                Kind::Text => inline(&lines.iter().map(|(_, l)| *l).collect::<Vec<_>>().join(" ")),
                Kind::Plain => lines.iter().map(|(_, l)| *l).collect::<Vec<_>>().join("\n"),
            };
            Ok(Part { name, html, kind })
        })
        .collect()
}

/// Replaces each `{{name}}` with its value; a name not given stays as it is,
/// and a value is not searched again. It looks for `{` only: a search for a
/// `&str` pattern would link the two-way substring searcher (about 1 KB of
/// wasm) into a page that had none (tls-timeout: BENCHMARKS.md).
pub fn fill(html: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(k) = rest.find('{') {
        out.push_str(&rest[..k]);
        rest = &rest[k..];
        let name = rest.strip_prefix("{{").and_then(|r| {
            let end = r.find('}')?;
            r[end..].starts_with("}}").then_some(&r[..end])
        });
        match name.and_then(|name| values.iter().find(|(n, _)| *n == name)) {
            Some((name, value)) => {
                out.push_str(value);
                rest = &rest[name.len() + 4..];
            }
            None => {
                out.push('{');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `{{name}}` placeholders of a text, in order.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(k) = rest.find("{{") {
        let Some(len) = rest[k + 2..].find("}}") else {
            break;
        };
        out.push(&rest[k + 2..k + 2 + len]);
        rest = &rest[k + 2 + len + 2..];
    }
    out
}

/// `<`, `>`, `&` and `"` as entities.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

enum Open {
    Callout,
    Section,
    Table,
}

fn blocks(lines: &[(usize, &str)]) -> Result<String, String> {
    let mut out = String::new();
    let mut para: Vec<&str> = Vec::new();
    let mut items: Vec<String> = Vec::new();
    let mut rows: Vec<&str> = Vec::new();
    let mut stack: Vec<(usize, Open)> = Vec::new();
    let flush =
        |out: &mut String, para: &mut Vec<&str>, items: &mut Vec<String>, rows: &mut Vec<&str>| {
            if !para.is_empty() {
                out.push_str(&format!("<p>{}</p>\n", inline(&para.join(" "))));
                para.clear();
            }
            if !items.is_empty() {
                out.push_str("<ul>\n");
                for i in items.iter() {
                    out.push_str(&format!("<li>{}</li>\n", inline(i)));
                }
                out.push_str("</ul>\n");
                items.clear();
            }
            if !rows.is_empty() {
                out.push_str(&table(rows));
                rows.clear();
            }
        };
    let mut k = 0;
    while k < lines.len() {
        let (at, line) = lines[k];
        let t = line.trim_end();
        k += 1;
        if t.starts_with("```") {
            flush(&mut out, &mut para, &mut items, &mut rows);
            let mut code = String::new();
            loop {
                let Some(&(_, l)) = lines.get(k) else {
                    return Err(format!("line {at}: code block without its closing ```"));
                };
                k += 1;
                if l.trim_end() == "```" {
                    break;
                }
                code.push_str(&escape(l));
                code.push('\n');
            }
            out.push_str(&format!(
                "<pre tabindex=\"0\" style=\"overflow-x:auto\"><code>{code}</code></pre>\n"
            ));
        } else if t == ":::" {
            flush(&mut out, &mut para, &mut items, &mut rows);
            match stack.pop() {
                Some((_, Open::Callout)) => out.push_str("</div></aside>\n"),
                Some((_, Open::Section)) => out.push_str("</section>\n"),
                Some((_, Open::Table)) => out.push_str("</div>\n"),
                None => return Err(format!("line {at}: ::: closes nothing")),
            }
        } else if let Some(rest) = t.strip_prefix("::: ") {
            flush(&mut out, &mut para, &mut items, &mut rows);
            let (kind, arg) = rest.trim().split_once(' ').unwrap_or((rest.trim(), ""));
            let arg = arg.trim();
            if arg.is_empty() {
                return Err(format!("line {at}: ::: {kind} needs a title or class"));
            }
            match kind {
                "callout" => {
                    let (title, label) = match arg.split_once(" | ") {
                        Some((t, l)) => (t.trim(), l.trim()),
                        None => (arg, arg),
                    };
                    out.push_str(&format!(
                        "<aside class=\"callout\" aria-label=\"{}\"><p class=\"callout-title\">{}</p><div class=\"callout-body\">\n",
                        escape(label),
                        inline(title)
                    ));
                    stack.push((at, Open::Callout));
                }
                "section" => {
                    out.push_str(&format!("<section class=\"{}\">", escape(arg)));
                    stack.push((at, Open::Section));
                }
                "table" => {
                    out.push_str(&format!(
                        "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"{}\">",
                        escape(arg)
                    ));
                    stack.push((at, Open::Table));
                }
                _ => return Err(format!("line {at}: unknown container “{kind}”")),
            }
        } else if t.trim().is_empty() {
            flush(&mut out, &mut para, &mut items, &mut rows);
        } else if let Some(h) = t.strip_prefix("## ") {
            flush(&mut out, &mut para, &mut items, &mut rows);
            out.push_str(&format!("<h2>{}</h2>\n", inline(h.trim())));
        } else if let Some(h) = t.strip_prefix("### ") {
            flush(&mut out, &mut para, &mut items, &mut rows);
            out.push_str(&format!("<h3>{}</h3>\n", inline(h.trim())));
        } else if let Some(item) = t.strip_prefix("- ") {
            if !para.is_empty() || !rows.is_empty() {
                flush(&mut out, &mut para, &mut items, &mut rows);
            }
            items.push(item.trim().to_string());
        } else if t.starts_with('|') {
            if !para.is_empty() || !items.is_empty() {
                flush(&mut out, &mut para, &mut items, &mut rows);
            }
            rows.push(t);
        } else if let (Some(last), true) = (items.last_mut(), para.is_empty()) {
            // A list item's continuation line.
            last.push(' ');
            last.push_str(t.trim());
        } else {
            para.push(t.trim());
        }
    }
    flush(&mut out, &mut para, &mut items, &mut rows);
    if let Some((at, _)) = stack.last() {
        return Err(format!("line {at}: ::: not closed"));
    }
    Ok(out)
}

/// A `| a | b |` table: the rows before the `|---|` line are the header.
fn table(rows: &[&str]) -> String {
    let cells = |r: &str| -> Vec<String> {
        let r = r.trim().trim_start_matches('|').trim_end_matches('|');
        r.split('|').map(|c| inline(c.trim())).collect()
    };
    let rule = rows
        .iter()
        .position(|r| r.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')));
    let (head, body) = match rule {
        Some(k) => (&rows[..k], &rows[k + 1..]),
        None => (&rows[..0], rows),
    };
    let mut out = String::from("<table class=\"text-table\">\n");
    if !head.is_empty() {
        out.push_str("<thead>");
        for r in head {
            out.push_str("<tr>");
            for c in cells(r) {
                out.push_str(&format!("<th scope=\"col\">{c}</th>"));
            }
            out.push_str("</tr>");
        }
        out.push_str("</thead>\n");
    }
    out.push_str("<tbody>\n");
    for r in body {
        out.push_str("<tr>");
        for c in cells(r) {
            out.push_str(&format!("<td>{c}</td>"));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>");
    out
}

/// Inline Markdown: code spans, strong, emphasis and links; everything else
/// (inline HTML, entities, `[[id]]`, `{{name}}`) is kept as written.
pub fn inline(text: &str) -> String {
    let mut out = String::new();
    let (mut strong, mut em) = (false, false);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            if let Some(end) = rest[1..].find('`') {
                out.push_str(&format!("<code>{}</code>", escape(&rest[1..1 + end])));
                rest = &rest[end + 2..];
                continue;
            }
        } else if rest.starts_with("[[") {
            if let Some(end) = rest.find("]]") {
                out.push_str(&rest[..end + 2]);
                rest = &rest[end + 2..];
                continue;
            }
        } else if c == '[' {
            if let Some((label, url, len)) = link(rest) {
                out.push_str(&format!(
                    "<a href=\"{}\">{}</a>",
                    url.replace('&', "&amp;"),
                    inline(label)
                ));
                rest = &rest[len..];
                continue;
            }
        } else if rest.starts_with("**") {
            out.push_str(if strong { "</strong>" } else { "<strong>" });
            strong = !strong;
            rest = &rest[2..];
            continue;
        } else if c == '*' {
            out.push_str(if em { "</em>" } else { "<em>" });
            em = !em;
            rest = &rest[1..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// `[label](url)` at the start of `s`: the label, the URL and the length.
fn link(s: &str) -> Option<(&str, &str, usize)> {
    let close = s.find("](")?;
    let end = close + 2 + s[close + 2..].find(')')?;
    let label = &s[1..close];
    (!label.contains('[')).then_some((label, &s[close + 2..end], end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_blocks_containers_and_inline_markup() {
        let md = "<!-- part: explain -->\n::: section explain\n## The model\n\nOne `a<b` and **two**\n*three* [w](?w=a&b=1) [[id]] {{n}}.\n\n- first\n  item\n- second\n\n::: callout Title | label\nBody.\n:::\n:::\n<!-- part: help -->\n::: table Defaults\n| A | B |\n| --- | --- |\n| 1 | 2 |\n:::\n```\nx < y\n```\n";
        let p = parts(md).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].name, "explain");
        assert_eq!(
            p[0].html,
            "<section class=\"explain\"><h2>The model</h2>\n<p>One <code>a&lt;b</code> and <strong>two</strong> <em>three</em> <a href=\"?w=a&amp;b=1\">w</a> [[id]] {{n}}.</p>\n<ul>\n<li>first item</li>\n<li>second</li>\n</ul>\n<aside class=\"callout\" aria-label=\"label\"><p class=\"callout-title\">Title</p><div class=\"callout-body\">\n<p>Body.</p>\n</div></aside>\n</section>\n"
        );
        assert_eq!(
            p[1].html,
            "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Defaults\"><table class=\"text-table\">\n<thead><tr><th scope=\"col\">A</th><th scope=\"col\">B</th></tr></thead>\n<tbody>\n<tr><td>1</td><td>2</td></tr>\n</tbody></table></div>\n<pre tabindex=\"0\" style=\"overflow-x:auto\"><code>x &lt; y\n</code></pre>\n"
        );
        assert_eq!(placeholders(&p[0].html), ["n"]);
        assert!(fill(&p[0].html, &[("n", "5")]).contains("[[id]] 5."));
        // Unknown names and lone braces stay; a value is not filled again.
        assert_eq!(
            fill("{{a}} {{b}} {x} {{a}", &[("a", "{{b}}"), ("b", "2")]),
            "{{b}} 2 {x} {{a}"
        );
    }

    #[test]
    fn keyed_texts_render_inline_and_plain_texts_stay_as_typed() {
        let md = "<!-- texts -->\nintro: One `a<b` and\n  **two** [[id]].\n\n<!-- an author's note -->\nnote: {{n}} s.\n<!-- plain -->\ncomment: Seconds, *not* ms\n  (default {{d}}). [[id]]\n<!-- part: link -->\nLink.\n";
        let p = parts(md).unwrap();
        let got: Vec<(&str, &str, Kind)> = p
            .iter()
            .map(|p| (p.name.as_str(), p.html.as_str(), p.kind))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "intro",
                    "One <code>a&lt;b</code> and <strong>two</strong> [[id]].",
                    Kind::Text
                ),
                ("note", "{{n}} s.", Kind::Text),
                (
                    "comment",
                    "Seconds, *not* ms\n(default {{d}}). [[id]]",
                    Kind::Plain
                ),
                ("link", "<p>Link.</p>\n", Kind::Part),
            ]
        );
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(
            parts("text").unwrap_err(),
            "line 1: text before the first part"
        );
        assert_eq!(
            parts("<!-- part: a -->\n::: callout T\nx").unwrap_err(),
            "line 2: ::: not closed"
        );
        assert_eq!(
            parts("<!-- part: a -->\n:::").unwrap_err(),
            "line 2: ::: closes nothing"
        );
        assert_eq!(
            parts("<!-- part: a -->\n::: box x\n:::").unwrap_err(),
            "line 2: unknown container “box”"
        );
        assert!(parts("<!-- part: a -->\n<!-- part: a -->").is_err());
        assert_eq!(
            parts("<!-- part: a -->\n<!-- texts -->\na: x\n<!-- plain -->\na: y").unwrap_err(),
            "line 3: “a” twice"
        );
        assert_eq!(
            parts("<!-- texts -->\nNot a key\n").unwrap_err(),
            "line 2: expected “key: text”"
        );
        assert_eq!(
            parts("<!-- texts -->\n  continued\n").unwrap_err(),
            "line 2: a continuation without its key"
        );
        assert_eq!(
            parts("<!-- plain -->\nA key: x\n").unwrap_err(),
            "line 2: name “A key”"
        );
    }
}
