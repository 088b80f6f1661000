//! Shared controls: every widget is built from these.

mod canvas;
mod chart;
mod choice;
mod copy;
mod input;
pub mod later;
mod listen;
mod number_field;
mod prose;
mod result;
mod snippet;
mod state;
mod text_field;

pub use chart::{BarChart, BarRow, Chart, HLine, LineChart, Marker, Series, Table, Timeline, Tone};
pub use choice::Choice;
pub use copy::{copy, copy_on_click};
pub use input::{check_box, text_box, Kind};
pub use mqtt_lab_core::fields::Param;
pub use mqtt_lab_core::widgets::Part;
pub use number_field::{NumberField, NumberInput};
pub use prose::{content, with_parameters, Intro, Optional, Prose, Sourced};
pub use result::{ResultOutput, Results};
pub use snippet::CodeSnippet;
pub use state::{defaults, last_valid, values};
pub use text_field::TextField;
