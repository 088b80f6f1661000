//! What can go wrong with bytes: a packet that breaks a rule of the
//! specification (decoding), or a packet we must not send (encoding).
//! Every error names the rule it applies, by normative tag where the
//! specification has one, otherwise by section.

use super::{Protocol, ReasonCode};
use std::fmt;

/// A rule's citation in each version: a normative tag such as
/// `[MQTT-2.1.3-1]`, or a section such as `§3.2.2.3`. The two versions number
/// their tags differently, so every rule carries both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub v311: &'static str,
    pub v5: &'static str,
}

impl Rule {
    pub const fn both(s: &'static str) -> Rule {
        Rule { v311: s, v5: s }
    }
    pub fn cite(self, p: Protocol) -> &'static str {
        match p {
            Protocol::V311 => self.v311,
            Protocol::V5 => self.v5,
        }
    }
}

/// How the specification classifies a broken rule; on MQTT 5 each class has
/// the reason code a DISCONNECT reports it with (§4.13, Table 2-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Cannot be parsed according to the specification (0x81).
    Malformed,
    /// Parses, but breaks a rule about content or order (0x82).
    ProtocolError,
    /// Larger than the Maximum Packet Size the receiver declared (0x95).
    TooLarge,
    /// A Topic Alias of 0 or above the declared maximum, or unknown (0x94).
    TopicAliasInvalid,
}

impl ErrorKind {
    /// The MQTT 5 reason code for a DISCONNECT that reports this error.
    pub fn reason_code(self) -> ReasonCode {
        match self {
            ErrorKind::Malformed => ReasonCode::MALFORMED_PACKET,
            ErrorKind::ProtocolError => ReasonCode::PROTOCOL_ERROR,
            ErrorKind::TooLarge => ReasonCode::PACKET_TOO_LARGE,
            ErrorKind::TopicAliasInvalid => ReasonCode::TOPIC_ALIAS_INVALID,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ErrorKind::Malformed => "Malformed packet",
            ErrorKind::ProtocolError => "Protocol error",
            ErrorKind::TooLarge => "Packet too large",
            ErrorKind::TopicAliasInvalid => "Topic Alias invalid",
        }
    }
}

/// A packet that breaks a rule: where (byte offset from the packet's first
/// byte, or from the start of the stream for the streaming decoder), what,
/// and which rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub offset: usize,
    pub kind: ErrorKind,
    pub what: String,
    pub rule: &'static str,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at byte {}: {}",
            self.kind.label(),
            self.offset,
            self.what
        )?;
        if !self.rule.is_empty() {
            write!(f, " ({})", self.rule)?;
        }
        Ok(())
    }
}

/// A packet this client refuses to send, before a byte of it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeError {
    pub what: String,
    pub rule: &'static str,
}

impl EncodeError {
    pub fn new(what: impl Into<String>, rule: &'static str) -> Self {
        Self {
            what: what.into(),
            rule,
        }
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.what, self.rule)
    }
}
