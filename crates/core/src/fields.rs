//! Numeric and enumerated inputs: one description per field, shared by the
//! URL parser, the form controls and the validation of every model.

use std::fmt;

/// A numeric input: its query parameter, label, unit and allowed range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NumberSpec {
    /// Query parameter name (the page contract).
    pub key: &'static str,
    /// Label shown next to the control.
    pub label: &'static str,
    /// Unit shown after the value ("" for none).
    pub unit: &'static str,
    pub min: f64,
    pub max: f64,
    /// Slider step; also the step of the arrow keys.
    pub step: f64,
    /// Top of the slider; the text field accepts up to `max`, the slider
    /// covers the range worth exploring.
    pub slider_max: f64,
    /// Whether only whole numbers are allowed.
    pub integer: bool,
    pub default: f64,
}

/// An enumerated input: its query parameter and the allowed slugs with labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChoiceSpec {
    pub key: &'static str,
    pub label: &'static str,
    /// `(slug, label)` pairs; the slug is what the URL carries.
    pub options: &'static [(&'static str, &'static str)],
    pub default: &'static str,
}

/// Why a field's text was refused; names the field and says what is allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub key: &'static str,
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

impl NumberSpec {
    /// What the field accepts, in words: "a whole number from 0 to 1,000,000".
    pub fn allowed(&self) -> String {
        let kind = if self.integer {
            "a whole number"
        } else {
            "a number"
        };
        let unit = if self.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", self.unit)
        };
        format!(
            "{kind} from {} to {}{unit}",
            crate::format::number(self.min, 6),
            crate::format::number(self.max, 6)
        )
    }

    /// Parses and checks the text a user typed (or a query parameter).
    /// Accepts a `.` decimal point, surrounding spaces and `_`/`,` thousands
    /// separators; refuses NaN, infinities, out-of-range and fractional values
    /// for integer fields.
    pub fn parse(&self, text: &str) -> Result<f64, FieldError> {
        let err = |message: String| FieldError {
            key: self.key,
            message,
        };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(err(format!("enter {}", self.allowed())));
        }
        let cleaned: String = trimmed.chars().filter(|c| *c != '_' && *c != ',').collect();
        let value: f64 = match cleaned.parse() {
            Ok(v) => v,
            Err(_) => {
                return Err(err(format!(
                    "“{}” is not a number; enter {}",
                    shorten(trimmed),
                    self.allowed()
                )))
            }
        };
        self.check(value)
    }

    /// Checks a parsed value: finite, in range, whole where required.
    pub fn check(&self, value: f64) -> Result<f64, FieldError> {
        let err = |message: String| FieldError {
            key: self.key,
            message,
        };
        let shown = crate::format::plain(value);
        if value.is_nan() {
            return Err(err(format!("not a number; enter {}", self.allowed())));
        }
        if !value.is_finite() {
            return Err(err(format!("too large; enter {}", self.allowed())));
        }
        if value < self.min || value > self.max {
            return Err(err(format!(
                "{shown} is out of range; enter {}",
                self.allowed()
            )));
        }
        if self.integer && value.fract() != 0.0 {
            return Err(err(format!(
                "{shown} is not whole; enter {}",
                self.allowed()
            )));
        }
        Ok(value)
    }

    /// The default as the text a field starts with.
    pub fn default_text(&self) -> String {
        crate::format::plain(self.default)
    }
}

impl ChoiceSpec {
    /// Accepts one of the option slugs (case-insensitive, trimmed).
    pub fn parse(&self, text: &str) -> Result<&'static str, FieldError> {
        let wanted = text.trim();
        self.options
            .iter()
            .find(|(slug, _)| slug.eq_ignore_ascii_case(wanted))
            .map(|(slug, _)| *slug)
            .ok_or_else(|| FieldError {
                key: self.key,
                message: format!(
                    "“{}” is not one of {}",
                    shorten(wanted),
                    self.options
                        .iter()
                        .map(|(s, _)| *s)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })
    }
}

/// The seed of a reproducible simulation (any whole number a JavaScript page
/// can hold exactly: up to 2^53 − 1).
pub const SEED: NumberSpec = NumberSpec {
    key: "seed",
    label: "Random seed",
    unit: "",
    min: 0.0,
    max: 9_007_199_254_740_991.0,
    step: 1.0,
    slider_max: 1000.0,
    integer: true,
    default: 42.0,
};

/// Keeps messages short when someone pastes a novel into a field.
fn shorten(text: &str) -> String {
    const MAX: usize = 24;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let head: String = text.chars().take(MAX).collect();
        format!("{head}…")
    }
}

/// Validates every numeric field of a model against its spec.
pub fn check_all(specs: &[NumberSpec], values: &[f64]) -> Result<(), FieldError> {
    for (spec, value) in specs.iter().zip(values) {
        spec.check(*value)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEVICES: NumberSpec = NumberSpec {
        key: "devices",
        label: "Devices",
        unit: "",
        min: 0.0,
        max: 1_000_000.0,
        step: 1.0,
        slider_max: 10_000.0,
        integer: true,
        default: 1000.0,
    };

    #[test]
    fn accepts_plain_and_separated_numbers() {
        assert_eq!(DEVICES.parse("1000"), Ok(1000.0));
        assert_eq!(DEVICES.parse(" 12,500 "), Ok(12500.0));
        assert_eq!(DEVICES.parse("1_000"), Ok(1000.0));
        assert_eq!(DEVICES.parse("1e3"), Ok(1000.0));
    }

    #[test]
    fn refuses_bad_text_with_a_message_naming_the_field() {
        let e = DEVICES.parse("abc").unwrap_err();
        assert_eq!(e.key, "devices");
        assert_eq!(
            e.message,
            "“abc” is not a number; enter a whole number from 0 to 1,000,000"
        );
        assert_eq!(
            DEVICES.parse("-5").unwrap_err().message,
            "-5 is out of range; enter a whole number from 0 to 1,000,000"
        );
        assert_eq!(
            DEVICES.parse("1e400").unwrap_err().message,
            "too large; enter a whole number from 0 to 1,000,000"
        );
        assert_eq!(
            DEVICES.parse("2.5").unwrap_err().message,
            "2.5 is not whole; enter a whole number from 0 to 1,000,000"
        );
        assert!(DEVICES.parse("NaN").is_err());
        assert!(DEVICES.parse("inf").is_err());
        assert!(DEVICES
            .parse("")
            .unwrap_err()
            .message
            .starts_with("enter a whole"));
    }

    #[test]
    fn long_text_is_shortened_in_messages() {
        let e = DEVICES.parse(&"x".repeat(500)).unwrap_err();
        assert!(e.message.chars().count() < 100, "{}", e.message);
    }

    #[test]
    fn choice_parses_slugs_only() {
        const C: ChoiceSpec = ChoiceSpec {
            key: "jitter",
            label: "Jitter",
            options: &[("none", "None"), ("full", "Full")],
            default: "none",
        };
        assert_eq!(C.parse("FULL"), Ok("full"));
        assert_eq!(
            C.parse("half").unwrap_err().message,
            "“half” is not one of none, full"
        );
    }
}
