//! Every statement the app makes about how a library or broker behaves, with
//! the version and class it holds for and where it can be read.
//!
//! Texts refer to a claim with a marker `[[id]]`; the app renders the marker
//! as a link to the source ([`link_html`], [`segments`]). A test scans every
//! text of the app and fails when one names a library without a marker for
//! a claim about that library (see the tests below). Claims whose `check` is
//! [`Check::Oracle`] are also asked of the real system by the snippet suite
//! (`tests/snippets/`, run by `scripts/test.sh`): paho-mqtt and mosquitto on
//! loopback, or a fake broker for what mosquitto cannot be made to send.

mod table;
pub use table::*;

pub fn find(id: &str) -> Option<&'static Claim> {
    CLAIMS.iter().find(|c| c.id == id)
}

/// What a page needs of a claim to link it to its source. Derived from
/// [`CLAIMS`] at compile time, so that the statements (long texts for the
/// tests and for people reading this file) stay out of the WebAssembly:
/// every page links its claims, and only this table is looked up there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub id: &'static str,
    pub library: Library,
    pub version: &'static str,
    pub subject: &'static str,
    pub source: Source,
}

pub const LINKS: [Link; CLAIMS.len()] = {
    let mut out = [Link {
        id: "",
        library: Library::Paho,
        version: "",
        subject: "",
        source: Source {
            repo: "",
            path: "",
            at: "",
        },
    }; CLAIMS.len()];
    let mut i = 0;
    while i < CLAIMS.len() {
        let c = &CLAIMS[i];
        out[i] = Link {
            id: c.id,
            library: c.library,
            version: c.version,
            subject: c.subject,
            source: c.source,
        };
        i += 1;
    }
    out
};

fn find_link(id: &str) -> Option<&'static Link> {
    LINKS.iter().find(|l| l.id == id)
}

/// A piece of a text: words, or a reference to a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    Text(&'a str),
    Claim(&'static Link),
}

/// Splits a text at its `[[id]]` markers. An unknown id is kept as text
/// (the tests make sure there is none).
pub fn segments(text: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("[[") {
        let Some(len) = rest[start + 2..].find("]]") else {
            break;
        };
        let id = &rest[start + 2..start + 2 + len];
        match find_link(id) {
            Some(c) => {
                if start > 0 {
                    out.push(Segment::Text(&rest[..start]));
                }
                out.push(Segment::Claim(c));
            }
            None => out.push(Segment::Text(&rest[..start + 4 + len])),
        }
        rest = &rest[start + 4 + len..];
    }
    if !rest.is_empty() {
        out.push(Segment::Text(rest));
    }
    out
}

/// The tooltip of a claim's link: what it says and for which version.
pub fn title(c: &Link) -> String {
    link_title(c.library, c.version, c.subject, &c.source)
}

/// An HTML text with its markers turned into source links.
pub fn link_html(html: &str) -> String {
    segments(html)
        .into_iter()
        .map(|s| match s {
            Segment::Text(t) => t.to_string(),
            Segment::Claim(c) => anchor(c.library, c.version, c.subject, &c.source),
        })
        .collect()
}

/// A text with its markers removed (for places that cannot show a link).
pub fn plain(text: &str) -> String {
    segments(text)
        .into_iter()
        .map(|s| match s {
            Segment::Text(t) => t,
            Segment::Claim(_) => "",
        })
        .collect::<String>()
        .replace(" .", ".")
        .replace(" ,", ",")
}

/// The widgets' texts (`content/<slug>.md`) and their renderer; here because
/// they are the texts whose markers this table answers.
pub mod content;

#[cfg(test)]
mod tests;
