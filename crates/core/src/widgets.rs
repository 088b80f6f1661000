//! The widget registry: the slugs of the page contract (`?w=SLUG`) with their
//! titles and one-line descriptions. The app renders from this list and the
//! tests loop over it, so adding a widget is one line here and one view.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WidgetInfo {
    pub slug: &'static str,
    /// Built and shipped (a binary in the app's src/bin/ carries it).
    pub built: bool,
    pub title: &'static str,
    pub blurb: &'static str,
}

/// Every widget the design names, in gallery order.
pub const ALL: &[WidgetInfo] = &[
    WidgetInfo {
        built: true,
        slug: "capacity",
        title: "Broker capacity planner",
        blurb: "Connections, broker limit, memory and file descriptors for a fleet.",
    },
    WidgetInfo {
        built: true,
        slug: "reason-codes",
        title: "Reason-code explorer",
        blurb: "Every MQTT 3.1.1 and 5.0 reason code, the packets it appears in, and what to do.",
    },
    WidgetInfo {
        built: true,
        slug: "backoff",
        title: "Reconnect backoff",
        blurb: "One device's retry schedule and a whole fleet's reconnection storm.",
    },
    WidgetInfo {
        built: true,
        slug: "tls-timeout",
        title: "TLS connection time",
        blurb: "How long a constrained device takes to connect, and the timeout to set.",
    },
    WidgetInfo {
        built: true,
        slug: "broker-cost",
        title: "Public vs private broker",
        blurb: "What a private broker costs against the expected loss of a public one.",
    },
    WidgetInfo {
        built: true,
        slug: "qos",
        title: "QoS delivery simulator",
        blurb: "Delivery and duplicates when connections drop with messages in flight.",
    },
    WidgetInfo {
        built: true,
        slug: "debug",
        title: "Debugging checklist",
        blurb: "From a symptom to the likely cause, the fix and the command that confirms it.",
    },
    WidgetInfo {
        built: true,
        slug: "battery",
        title: "Network loop and battery",
        blurb: "Which network loop to use, and what really drains a battery.",
    },
    WidgetInfo {
        built: true,
        slug: "live",
        title: "Live broker",
        blurb: "Connect to a real broker over WebSocket and measure it.",
    },
    WidgetInfo {
        built: true,
        slug: "packets",
        title: "Packet inspector",
        blurb: "Paste MQTT bytes in hex, or open a saved session: every packet field by field.",
    },
    WidgetInfo {
        built: true,
        slug: "exercises",
        title: "Knowledge checks",
        blurb: "Order the steps, match the concepts, find the bug, label the flow.",
    },
];

/// Looks a widget up by its slug.
pub fn find(slug: &str) -> Option<&'static WidgetInfo> {
    ALL.iter().find(|w| w.slug == slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_unique_and_url_safe() {
        for (i, w) in ALL.iter().enumerate() {
            assert!(w.slug.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
            assert!(ALL[i + 1..].iter().all(|o| o.slug != w.slug), "{}", w.slug);
        }
        assert_eq!(
            find("capacity").map(|w| w.title),
            Some("Broker capacity planner")
        );
        assert_eq!(find("nope"), None);
    }
}
