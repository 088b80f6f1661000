//! MQTT Lab core: every number, table and rule the widgets show.
//!
//! No web dependencies, no clock and no global randomness: each model is
//! `Inputs` (serde, with defaults) → validation into a [`fields::FieldError`]
//! that names the field → a pure function to `Outputs`. Nothing here panics on
//! any input; property tests in each module feed extreme values.

pub mod backoff;
pub mod battery;
pub mod broker_cost;
pub mod capacity;
pub mod checks;
pub mod claims;
/// The content files (`content/<slug>.md`), rendered at build time
/// (`build.rs`): `content::qos::EXPLAIN` is the part `<!-- part: explain -->`
/// of `content/qos.md`, `content::qos::INTRO` its short text `intro:`.
pub mod content {
    include!(concat!(env!("OUT_DIR"), "/content.rs"));
}
pub mod debug;
pub mod exercises;
pub mod fields;
pub mod format;
pub mod ink;
pub mod inspect;
pub mod integrations;
pub mod live;
pub mod live_session;
pub mod mqtt;
pub mod protocol;
pub mod qos;
pub mod qos_flow;
pub mod reason_codes;
pub mod reconnect;
pub mod rng;
pub mod snippets;
pub mod spec_anchors;
pub mod target;
pub mod tls_timeout;
pub mod topic_tree;
pub mod widgets;
pub mod xapi;
