//! The widget registry: the slugs of the page contract (`?w=SLUG`) with their
//! titles and one-line descriptions. It is the only list of widgets: the
//! gallery and the router render from it, `scripts/build.sh` builds one bundle
//! per entry and writes the list into index.html's loader (through
//! `examples/registry.rs`), and the browser tests loop over it. A test below
//! checks that every entry has its binary in the app's `src/bin/`, and that
//! every binary is the same line (its slug is its file name).

use crate::fields::ChoiceSpec;
use crate::format::{html_escape, json_string};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WidgetInfo {
    pub slug: &'static str,
    pub title: &'static str,
    pub blurb: &'static str,
    /// A compact frame's height in a 700 px course column, in CSS px, as
    /// `tests/e2e/lesson-layout.test.mjs` measures it (and checks this against).
    /// The embed code reserves it, so that a frame loading late, as a lazy
    /// frame does while the reader scrolls, does not push the page down.
    pub frame_height: u32,
}

/// Every widget, in gallery order.
pub const ALL: &[WidgetInfo] = &[
    WidgetInfo {
        slug: "capacity",
        title: "Broker capacity planner",
        blurb: "Connections, broker limit, memory and file descriptors for a fleet.",
        frame_height: 980,
    },
    WidgetInfo {
        slug: "reason-codes",
        title: "Reason-code explorer",
        blurb: "Every MQTT 3.1.1 and 5.0 reason code, the packets it appears in, and what to do.",
        frame_height: 3730,
    },
    WidgetInfo {
        slug: "backoff",
        title: "Reconnect backoff",
        blurb: "One device's retry schedule and a whole fleet's reconnection storm.",
        frame_height: 2740,
    },
    WidgetInfo {
        slug: "tls-timeout",
        title: "TLS connection time",
        blurb: "How long a constrained device takes to connect, and the timeout to set.",
        frame_height: 1760,
    },
    WidgetInfo {
        slug: "broker-cost",
        title: "Public vs private broker",
        blurb: "What a private broker costs against the expected loss of a public one.",
        frame_height: 1330,
    },
    WidgetInfo {
        slug: "qos",
        title: "QoS delivery simulator",
        blurb: "Delivery and duplicates when connections drop with messages in flight.",
        frame_height: 1810,
    },
    WidgetInfo {
        slug: "debug",
        title: "Debugging checklist",
        blurb: "From a symptom to the likely cause, the fix and the command that confirms it.",
        frame_height: 2110,
    },
    WidgetInfo {
        slug: "battery",
        title: "Network loop and battery",
        blurb: "Which network loop to use, and what really drains a battery.",
        frame_height: 1590,
    },
    WidgetInfo {
        slug: "live",
        title: "Live broker",
        blurb: "Connect to a real broker over WebSocket and measure it.",
        frame_height: 2870,
    },
    WidgetInfo {
        slug: "packets",
        title: "Packet inspector",
        blurb: "Paste MQTT bytes in hex, or open a saved session: every packet field by field.",
        frame_height: 1280,
    },
    WidgetInfo {
        slug: "exercises",
        title: "Knowledge checks",
        blurb: "Order the steps, match the concepts, find the bug, label the flow.",
        frame_height: 960,
    },
];

/// The binary that carries the gallery (no widget); every other binary is a slug.
pub const GALLERY_BIN: &str = "gallery";

/// Looks a widget up by its slug.
pub fn find(slug: &str) -> Option<&'static WidgetInfo> {
    ALL.iter().find(|w| w.slug == slug)
}

/// The registry's slugs as JSON, `["capacity", …]`, safe to place inside an
/// HTML `<script>` element (`<`, `>` and `&` are escaped).
pub fn registry_json() -> String {
    let slugs: Vec<String> = ALL.iter().map(|w| json_string(w.slug)).collect();
    format!("[{}]", slugs.join(","))
}

/// The element of index.html that the build fills with [`registry_json`].
pub const REGISTRY_ELEMENT: &str =
    r#"<script type="application/json" id="mqtt-lab-widgets">[]</script>"#;

/// index.html with the registry written into its [`REGISTRY_ELEMENT`], or an
/// error if the page has no such element (exactly once).
pub fn inject_registry(page: &str) -> Result<String, String> {
    if page.matches(REGISTRY_ELEMENT).count() != 1 {
        return Err(format!(
            "the page must contain {REGISTRY_ELEMENT} exactly once"
        ));
    }
    let filled = REGISTRY_ELEMENT.replace("[]", &registry_json());
    Ok(page.replacen(REGISTRY_ELEMENT, &filled, 1))
}

/// The HTML a course author pastes to embed `widget`: an iframe for the page
/// `widget_url` (a permalink, to which `embed=1` is added) titled with the
/// widget's title and as tall as its compact frame, and `embed.js`
/// (`script_url`), which sizes the frame to its content.
pub fn embed_snippet(widget_url: &str, widget: &WidgetInfo, script_url: &str) -> String {
    let separator = if widget_url.contains('?') { '&' } else { '?' };
    format!(
        "<iframe src=\"{}\" title=\"{}\" style=\"width:100%;height:{}px;border:0\" loading=\"lazy\"></iframe>\n<script src=\"{}\" async></script>",
        html_escape(&format!("{widget_url}{separator}embed=1")),
        html_escape(&format!("{} (MQTT Lab)", widget.title)),
        widget.frame_height,
        html_escape(script_url),
    )
}

/// `widget_url` with its parameter `key` set to `value` in the place of the
/// one there was (else last), or removed for an empty `value`. The Share
/// panel's choices: `theme` (`light`, `dark`, or `""` for a frame that
/// follows the reader's system setting) and [`Parts`].
pub fn with_param(widget_url: &str, key: &str, value: &str) -> String {
    let (page, query) = widget_url.split_once('?').unwrap_or((widget_url, ""));
    let set = format!("{key}={value}");
    let is_key = |p: &&str| p.split_once('=').map_or(*p, |(k, _)| k) == key;
    let mut params: Vec<&str> = Vec::new();
    let mut placed = value.is_empty();
    for p in query.split('&').filter(|p| !p.is_empty()) {
        if !is_key(&p) {
            params.push(p);
        } else if !placed {
            params.push(&set);
            placed = true;
        }
    }
    if !placed {
        params.push(&set);
    }
    if params.is_empty() {
        page.to_string()
    } else {
        format!("{page}?{}", params.join("&"))
    }
}

/// What a widget's page shows besides its controls, results and figures.
/// A page shows everything; a frame (`embed=1`) is as small as a lesson
/// needs: the explanation and the code snippets only when the author asks
/// for them (`parts=explain,code`, page contract), and never the list of
/// the address's parameters, which is for whoever builds a link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts {
    /// The model, sources, corrections of the chapter and reference tables.
    pub explain: bool,
    /// The generated code snippets.
    pub code: bool,
    /// "Link to this state": the address's parameters.
    pub link: bool,
}

/// `theme` (page contract): a light or dark page to match the host's;
/// without it the page follows the reader's system setting (so there is no
/// default slug). The shell (`src/app.rs`) and the course tools' file
/// (`integrations`) both read this one spec.
pub const THEME: ChoiceSpec = ChoiceSpec {
    key: "theme",
    label: "Colour theme",
    options: &[("light", "Light"), ("dark", "Dark")],
    default: "",
};

/// `parts`, what a frame shows besides controls, results and figures
/// ([`Parts::embed`] reads it; a test in `integrations` checks that it reads
/// every option): for the course tools, one choice each.
pub const PARTS: ChoiceSpec = ChoiceSpec {
    key: "parts",
    label: "Also in the frame",
    options: &[
        ("explain", "The explanation"),
        ("code", "The code snippets"),
        ("explain,code", "Both"),
    ],
    default: "",
};

/// One of [`Parts`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Explain,
    Code,
    Link,
}

/// The optional parts a frame can show (`parts=`), with the Share panel's labels.
pub const OPTIONAL_PARTS: [(&str, &str); 2] = [
    (
        "explain",
        "The explanation, its sources and the chapter\u{2019}s corrections",
    ),
    ("code", "The code snippets"),
];

impl Parts {
    /// A widget's own page.
    pub const PAGE: Parts = Parts {
        explain: true,
        code: true,
        link: true,
    };

    /// A frame without optional parts.
    pub const COMPACT: Parts = Parts {
        explain: false,
        code: false,
        link: false,
    };

    /// A frame's parts from `parts` (`explain,code`; absent or empty: none).
    pub fn embed(parts: Option<&str>) -> Result<Parts, String> {
        let mut shown = Parts::COMPACT;
        for name in parts.unwrap_or("").split(',').map(str::trim) {
            match name {
                "" => {}
                "explain" => shown.explain = true,
                "code" => shown.code = true,
                other => {
                    return Err(format!(
                        "there is no part called \u{201c}{other}\u{201d} (the parts are explain and code)"
                    ))
                }
            }
        }
        Ok(shown)
    }

    pub fn shows(self, part: Part) -> bool {
        match part {
            Part::Explain => self.explain,
            Part::Code => self.code,
            Part::Link => self.link,
        }
    }

    /// The value of `parts` that gives these parts in a frame.
    pub fn param(self) -> String {
        let names = [("explain", self.explain), ("code", self.code)];
        let on: Vec<&str> = names
            .iter()
            .filter(|(_, on)| *on)
            .map(|(n, _)| *n)
            .collect();
        on.join(",")
    }
}

/// What the embed code's script does for this widget's frame: it sizes
/// every frame; only the knowledge checks have results to pass on.
pub fn embed_note(slug: &str) -> &'static str {
    if slug == "exercises" {
        "The frame shows this widget with its current settings; the script sizes the frame to fit and passes the knowledge checks\u{2019} results to the page."
    } else {
        "The frame shows this widget with its current settings; the script sizes the frame to fit."
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_unique_and_url_safe() {
        for (i, w) in ALL.iter().enumerate() {
            assert!(w.slug.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
            assert!(ALL[i + 1..].iter().all(|o| o.slug != w.slug), "{}", w.slug);
            assert_ne!(w.slug, GALLERY_BIN);
        }
        assert_eq!(
            find("capacity").map(|w| w.title),
            Some("Broker capacity planner")
        );
        assert_eq!(find("nope"), None);
    }

    /// The app's `src/bin/`, next to this crate.
    fn bin_dir() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src/bin")
    }

    #[test]
    fn every_widget_has_its_binary_and_every_binary_is_in_the_registry() {
        // Every binary is the same line: its slug is its own file name
        // (`env!("CARGO_BIN_NAME")`, src/lib.rs `main!`), so a copy of the
        // gallery's binary under a widget's slug is that widget's page.
        let gallery = std::fs::read_to_string(bin_dir().join(format!("{GALLERY_BIN}.rs")))
            .expect("src/bin/gallery.rs");
        assert!(gallery.contains("mqtt_lab::main!(env!(\"CARGO_BIN_NAME\"));"));
        for w in ALL {
            let path = bin_dir().join(format!("{}.rs", w.slug));
            let source = std::fs::read_to_string(&path)
                .unwrap_or_else(|_| panic!("{} has no binary {}", w.slug, path.display()));
            assert_eq!(
                source,
                gallery,
                "{} differs from gallery.rs",
                path.display()
            );
        }
        let mut bins: Vec<String> = std::fs::read_dir(bin_dir())
            .expect("src/bin")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter_map(|f| f.strip_suffix(".rs").map(str::to_string))
            .collect();
        bins.sort();
        let mut expected: Vec<String> = ALL
            .iter()
            .map(|w| w.slug.to_string())
            .chain([GALLERY_BIN.to_string()])
            .collect();
        expected.sort();
        assert_eq!(bins, expected);
    }

    #[test]
    fn registry_json_lists_every_slug_in_order() {
        let json = registry_json();
        assert!(json.starts_with(r#"["capacity","reason-codes","backoff","#));
        // The last entry is whichever widget was added last (scripts/new-widget.sh appends).
        assert!(json.ends_with("\"]"));
        assert_eq!(json.matches('"').count(), 2 * ALL.len());
    }

    #[test]
    fn the_registry_is_written_into_the_page_once() {
        let page = format!("<head>{REGISTRY_ELEMENT}<script>loader</script></head>");
        let filled = inject_registry(&page).unwrap();
        assert_eq!(
            filled,
            format!(
                r#"<head><script type="application/json" id="mqtt-lab-widgets">{}</script><script>loader</script></head>"#,
                registry_json()
            )
        );
        assert!(inject_registry("<head></head>").is_err());
        assert!(inject_registry(&format!("{REGISTRY_ELEMENT}{REGISTRY_ELEMENT}")).is_err());
        // The page in the repository has the element.
        let index = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../index.html"),
        )
        .unwrap();
        assert!(inject_registry(&index).is_ok());
    }

    #[test]
    fn the_theme_choice_sets_replaces_or_removes_the_parameter() {
        let page = "https://e.org/mqtt/";
        let with_theme = |url: &str, theme: &str| with_param(url, "theme", theme);
        assert_eq!(
            with_theme(&format!("{page}?w=qos&pub=2"), "dark"),
            "https://e.org/mqtt/?w=qos&pub=2&theme=dark"
        );
        assert_eq!(
            with_theme(&format!("{page}?w=qos&theme=dark&sub=1"), "light"),
            "https://e.org/mqtt/?w=qos&theme=light&sub=1"
        );
        assert_eq!(
            with_theme(&format!("{page}?w=qos&theme=dark"), ""),
            "https://e.org/mqtt/?w=qos"
        );
        assert_eq!(with_theme(&format!("{page}?theme=light"), ""), page);
        // A parameter that only starts with "theme" is another one.
        assert_eq!(
            with_theme(&format!("{page}?w=x&themes=1"), ""),
            "https://e.org/mqtt/?w=x&themes=1"
        );
    }

    #[test]
    fn a_frame_shows_only_the_parts_asked_for_and_never_the_parameter_list() {
        let none = Parts {
            explain: false,
            code: false,
            link: false,
        };
        assert_eq!(Parts::COMPACT, none);
        assert_eq!(Parts::embed(None), Ok(none));
        assert_eq!(Parts::embed(Some("")), Ok(none));
        let both = Parts::embed(Some("explain, code")).unwrap();
        assert_eq!((both.explain, both.code, both.link), (true, true, false));
        assert_eq!(Parts::embed(Some("code")).unwrap().param(), "code");
        assert_eq!(both.param(), "explain,code");
        assert_eq!(none.param(), "");
        assert_eq!(
            Parts::embed(Some("explain,help")),
            Err(
                "there is no part called \u{201c}help\u{201d} (the parts are explain and code)"
                    .into()
            )
        );
        // The Share panel's choice goes into the frame's address.
        assert_eq!(
            with_param("https://e.org/?w=qos&embed=1", "parts", &both.param()),
            "https://e.org/?w=qos&embed=1&parts=explain,code"
        );
        assert_eq!(
            with_param("https://e.org/?w=qos&parts=code&pub=2", "parts", ""),
            "https://e.org/?w=qos&pub=2"
        );
        assert_eq!(OPTIONAL_PARTS.map(|(n, _)| n), ["explain", "code"]);
        assert!([Part::Explain, Part::Code, Part::Link]
            .iter()
            .all(|&p| Parts::PAGE.shows(p)));
        assert!(both.shows(Part::Code) && !both.shows(Part::Link));
    }

    #[test]
    fn only_the_knowledge_checks_mention_results() {
        for w in ALL {
            let mentions = embed_note(w.slug).contains("results");
            assert_eq!(mentions, w.slug == "exercises", "{}", w.slug);
            assert!(embed_note(w.slug).contains("sizes the frame"));
        }
    }

    #[test]
    fn embed_snippet_escapes_the_url_and_names_the_frame() {
        assert_eq!(
            embed_snippet(
                "https://example.org/widgets/mqtt/?w=capacity&devices=500",
                find("capacity").unwrap(),
                "https://example.org/widgets/mqtt/public/embed.js"
            ),
            "<iframe src=\"https://example.org/widgets/mqtt/?w=capacity&amp;devices=500&amp;embed=1\" \
             title=\"Broker capacity planner (MQTT Lab)\" style=\"width:100%;height:980px;border:0\" loading=\"lazy\"></iframe>\n\
             <script src=\"https://example.org/widgets/mqtt/public/embed.js\" async></script>"
        );
        let quoted = WidgetInfo {
            title: "A \"quoted\" <title>",
            ..ALL[0]
        };
        assert!(embed_snippet("https://e.org/", &quoted, "e.js")
            .contains("src=\"https://e.org/?embed=1\" title=\"A &quot;quoted&quot; &lt;title&gt; (MQTT Lab)\""));
    }
}
