//! The protocol's two words every layer shares: the version ([`Protocol`])
//! and the packet type ([`PacketType`]), one name each for the whole
//! workspace: the codec, the client, the reason-code table, the property
//! table and the pages all say these (issue 26: there were two enums for the
//! version and three for the packet type). They sit on the ground floor so
//! that the reason-code table (a model) and the codec above it both import
//! them downward.

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

/// The packet types of the fixed header (5.0 Table 2-1, 3.1.1 Table 2.1).
/// What the codec alone knows of them (who may send each, the flags each
/// must carry) is in `mqtt/types.rs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum PacketType {
    Connect = 1,
    Connack,
    Publish,
    Puback,
    Pubrec,
    Pubrel,
    Pubcomp,
    Subscribe,
    Suback,
    Unsubscribe,
    Unsuback,
    Pingreq,
    Pingresp,
    Disconnect,
    Auth,
}

impl PacketType {
    pub fn from_u8(v: u8) -> Option<PacketType> {
        use PacketType::*;
        Some(match v {
            1 => Connect,
            2 => Connack,
            3 => Publish,
            4 => Puback,
            5 => Pubrec,
            6 => Pubrel,
            7 => Pubcomp,
            8 => Subscribe,
            9 => Suback,
            10 => Unsubscribe,
            11 => Unsuback,
            12 => Pingreq,
            13 => Pingresp,
            14 => Disconnect,
            15 => Auth,
            _ => return None,
        })
    }

    // One copy for its many callers (the codec's errors, the property
    // blocks, the inspector): inlined, it made the live page larger.
    #[inline(never)]
    pub fn name(self) -> &'static str {
        use PacketType::*;
        match self {
            Connect => "CONNECT",
            Connack => "CONNACK",
            Publish => "PUBLISH",
            Puback => "PUBACK",
            Pubrec => "PUBREC",
            Pubrel => "PUBREL",
            Pubcomp => "PUBCOMP",
            Subscribe => "SUBSCRIBE",
            Suback => "SUBACK",
            Unsubscribe => "UNSUBSCRIBE",
            Unsuback => "UNSUBACK",
            Pingreq => "PINGREQ",
            Pingresp => "PINGRESP",
            Disconnect => "DISCONNECT",
            Auth => "AUTH",
        }
    }

    /// The section that defines the packet (§3.1 to §3.15).
    pub fn section(self) -> &'static str {
        use PacketType::*;
        match self {
            Connect => "3.1",
            Connack => "3.2",
            Publish => "3.3",
            Puback => "3.4",
            Pubrec => "3.5",
            Pubrel => "3.6",
            Pubcomp => "3.7",
            Subscribe => "3.8",
            Suback => "3.9",
            Unsubscribe => "3.10",
            Unsuback => "3.11",
            Pingreq => "3.12",
            Pingresp => "3.13",
            Disconnect => "3.14",
            Auth => "3.15",
        }
    }

    /// One bit per type (bit 0, the Reserved type 0, is never a packet):
    /// the tables' sets of packets (the packets a reason code or a property
    /// may appear in) are masks of these.
    pub(crate) const fn bit(self) -> u16 {
        1 << self as u16
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

    #[test]
    fn packet_types_are_their_fixed_header_numbers() {
        // Table 2-1: CONNECT is 1, AUTH 15; 0 is Reserved.
        assert_eq!(PacketType::from_u8(0), None);
        for v in 1..=15 {
            let t = PacketType::from_u8(v).unwrap();
            assert_eq!(t as u8, v, "{}", t.name());
        }
        assert_eq!(PacketType::from_u8(16), None);
        assert_eq!(PacketType::Auth.bit(), 1 << 15);
    }
}
