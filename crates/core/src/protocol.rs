//! The protocol version, the one name for it in the whole workspace: the
//! codec, the client, the reason-code table and the pages all say
//! `Protocol` (issue 26: there were two enums for it).

/// The protocol version a session speaks (Protocol Level in CONNECT,
/// §3.1.2.2: 4 for 3.1.1, 5 for 5.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Protocol {
    V311,
    V5,
}

impl Protocol {
    pub fn level(self) -> u8 {
        match self {
            Protocol::V311 => 4,
            Protocol::V5 => 5,
        }
    }

    /// The `v` parameter of the pages: "3" or "5".
    pub fn slug(self) -> &'static str {
        match self {
            Protocol::V311 => "3",
            Protocol::V5 => "5",
        }
    }

    /// "3" is 3.1.1; anything else is 5.0, the pages' default.
    pub fn from_slug(s: &str) -> Protocol {
        if s == "3" {
            Protocol::V311
        } else {
            Protocol::V5
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Protocol::V311 => "MQTT 3.1.1",
            Protocol::V5 => "MQTT 5.0",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_levels() {
        for p in [Protocol::V311, Protocol::V5] {
            assert_eq!(Protocol::from_slug(p.slug()), p);
        }
        assert_eq!((Protocol::V311.level(), Protocol::V5.level()), (4, 5));
        assert_eq!(Protocol::from_slug("x"), Protocol::V5);
        assert_eq!(Protocol::V311.label(), "MQTT 3.1.1");
    }
}
