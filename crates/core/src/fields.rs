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
        let cleaned = match commas(trimmed) {
            Some(c) => c,
            None => {
                return Err(err(format!(
                    "“{}” mixes commas that cannot be thousands separators; enter {} (1.5, or 1,500 for one thousand five hundred)",
                    shorten(trimmed),
                    self.allowed()
                )))
            }
        };
        let value = match parse_decimal(&cleaned) {
            Some(v) => v,
            None => {
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

/// A query parameter as a widget's "Link to this state" list shows it
/// (`{{parameters}}` in its content file): generated from the specs, so the
/// list cannot miss or misname a field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Param {
    // References to the specs' constants, not copies of them (no size
    // difference measured: BENCHMARKS.md, "Content files").
    Number(&'static NumberSpec),
    Choice(&'static ChoiceSpec),
    /// A parameter without a spec: its key and what it holds ("" for
    /// nothing to add).
    Text(&'static str, &'static str),
}

impl Param {
    /// What the parameter takes, for the parentheses after its name: the
    /// unit, a small whole range, or the choice's slugs.
    fn takes(&self) -> String {
        match self {
            Param::Number(n) if n.unit == "%" => "percent".into(),
            Param::Number(n) if !n.unit.is_empty() && n.unit != "×" => n.unit.into(),
            // Whole numbers as integers: f64's Display would link the float
            // formatter (about 8 KB of wasm) into pages that have none.
            Param::Number(n) if n.integer && n.max - n.min <= 10.0 => {
                format!("{}–{}", n.min as i64, n.max as i64)
            }
            Param::Number(_) => String::new(),
            Param::Choice(c) => c
                .options
                .iter()
                .map(|(slug, _)| *slug)
                .collect::<Vec<_>>()
                .join(", "),
            Param::Text(_, note) => note.to_string(),
        }
    }

    pub fn key(&self) -> &'static str {
        match self {
            Param::Number(n) => n.key,
            Param::Choice(c) => c.key,
            Param::Text(key, _) => key,
        }
    }
}

/// The parameters as HTML: `<code>key</code> (what it takes)`, comma-separated.
pub fn parameters_html(params: impl IntoIterator<Item = Param>) -> String {
    params
        .into_iter()
        .map(|p| match p.takes() {
            t if t.is_empty() => format!("<code>{}</code>", p.key()),
            t => format!("<code>{}</code> ({t})", p.key()),
        })
        .collect::<Vec<_>>()
        .join(", ")
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
/// Powers of ten that are exact in an f64.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A decimal number as typed: an optional sign, digits with an optional `.`
/// fraction, an optional exponent (`e` or `E`, optional sign, digits).
/// Nothing else: no `inf`, `NaN`, hex or spaces.
///
/// Not `str::parse::<f64>`: its correctly rounded algorithm carries a
/// 10 KB table of powers of five, which was 13.8 KB of every page's brotli
/// (BENCHMARKS.md). The result equals `str::parse`'s (the nearest f64) when
/// the significant digits are at most 2^53 and the decimal exponent is within
/// ±22 (Clinger's fast path: one exact integer, one exact power of ten, one
/// rounding), which covers what a person types into these fields; otherwise
/// (longer digit strings, exponents beyond ±22) it is within a few units in
/// the last place, and beyond the f64 range it is infinite or zero as
/// `str::parse`'s.
/// `text` with its commas read (and `_` separators dropped): commas that
/// group digits in threes (`12,500`, `1,000,000`) are thousands separators;
/// a single comma that cannot be one (`1,5`, `0,25`) is a decimal comma, as
/// a student in most of Europe types it (issue 21: `1,5` s became 15 s).
/// `None` for commas that are neither (`1,5,0`, `1,50.5`).
fn commas(text: &str) -> Option<String> {
    let plain: String = text.chars().filter(|c| *c != '_').collect();
    if !plain.contains(',') {
        return Some(plain);
    }
    let (int, rest) = match plain.find(['.', 'e', 'E']) {
        Some(i) => plain.split_at(i),
        None => (plain.as_str(), ""),
    };
    let groups: Vec<&str> = int.split(',').collect();
    let head = groups[0].trim_start_matches(['-', '+']);
    let grouped = !head.is_empty() && head.len() <= 3 && groups[1..].iter().all(|g| g.len() == 3);
    if grouped {
        return Some(format!("{}{rest}", groups.concat()));
    }
    if groups.len() == 2 && !head.is_empty() && rest.is_empty() {
        return Some(format!("{}.{}", groups[0], groups[1]));
    }
    None
}

pub fn parse_decimal(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let mut i = 0;
    let negative = b.first() == Some(&b'-');
    if matches!(b.first(), Some(b'-' | b'+')) {
        i = 1;
    }
    // The significant digits as an integer (the first 19), and the power of
    // ten that scales it.
    let mut mantissa: u64 = 0;
    let mut exp10: i64 = 0;
    let mut digits = 0;
    let mut fraction = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                digits += 1;
                if mantissa < u64::MAX / 10 - 1 {
                    mantissa = mantissa * 10 + u64::from(c - b'0');
                    exp10 -= i64::from(fraction);
                } else {
                    // A digit past the 19th only scales (integer part) or is
                    // dropped (fraction): under one part in 10^18.
                    exp10 += i64::from(!fraction);
                }
            }
            b'.' if !fraction => fraction = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    if i < b.len() {
        if !matches!(b[i], b'e' | b'E') {
            return None;
        }
        i += 1;
        let sign = if b.get(i) == Some(&b'-') { -1 } else { 1 };
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let start = i;
        let mut e: i64 = 0;
        while let Some(c @ b'0'..=b'9') = b.get(i) {
            // Far past the f64 range either way; keeps the sum from overflowing.
            e = (e * 10 + i64::from(c - b'0')).min(100_000);
            i += 1;
        }
        if i == start || i < b.len() {
            return None;
        }
        exp10 += sign * e;
    }
    let mut v = mantissa as f64;
    if mantissa != 0 {
        while exp10 > 22 && v.is_finite() {
            v *= 1e22;
            exp10 -= 22;
        }
        while exp10 < -22 && v != 0.0 {
            v /= 1e22;
            exp10 += 22;
        }
        let p = POW10[exp10.unsigned_abs().min(22) as usize];
        v = if exp10 >= 0 { v * p } else { v / p };
    }
    Some(if negative { -v } else { v })
}

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

    #[test]
    fn parameters_list_units_ranges_and_choices_from_the_specs() {
        const PICK: ChoiceSpec = ChoiceSpec {
            key: "jitter",
            label: "Jitter",
            options: &[("none", "None"), ("full", "Full")],
            default: "none",
        };
        const QOS: NumberSpec = NumberSpec {
            key: "pub",
            unit: "",
            min: 0.0,
            max: 2.0,
            integer: true,
            ..SEED
        };
        const PCT: NumberSpec = NumberSpec {
            key: "alert",
            unit: "%",
            ..SEED
        };
        assert_eq!(
            parameters_html([
                Param::Number(&SEED),
                Param::Number(&QOS),
                Param::Number(&PCT),
                Param::Choice(&PICK),
                Param::Text("hex", "the bytes"),
            ]),
            "<code>seed</code>, <code>pub</code> (0–2), <code>alert</code> (percent), <code>jitter</code> (none, full), <code>hex</code> (the bytes)"
        );
    }

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

    /// Decimal text and what std's correctly rounded parser makes of it.
    fn std(t: &str) -> f64 {
        t.parse().unwrap()
    }

    #[test]
    fn decimals_parse_to_the_nearest_f64_on_the_fast_path() {
        for t in [
            "0",
            "-0",
            "+7",
            "7.5",
            ".5",
            "5.",
            "0.1",
            "0.3",
            "2.675",
            "1e3",
            "1E-3",
            "12.5e+2",
            "9007199254740992",
            "0.000001",
            "123456789012345.6",
            "1e22",
            "4.35",
            "99.99",
        ] {
            assert_eq!(parse_decimal(t), Some(std(t)), "{t}");
        }
        // 100,000 pseudo-random decimals of up to 15 significant digits and
        // exponents within ±22: bit for bit what str::parse gives.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = (x % 1_000_000_000_000_000) as f64;
            let point = (x >> 50) % 16;
            let exp = ((x >> 40) % 15) as i64 - 7;
            let s = format!("{digits}");
            let (int, frac) = s.split_at(s.len().saturating_sub(point as usize));
            let t = format!("{}.{frac}e{exp}", if int.is_empty() { "0" } else { int });
            assert_eq!(
                parse_decimal(&t).map(f64::to_bits),
                Some(std(&t).to_bits()),
                "{t}"
            );
        }
    }

    #[test]
    fn long_and_extreme_decimals_stay_within_a_few_ulps() {
        let ulps = |a: f64, b: f64| (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs();
        for t in [
            "3.14159265358979323846264338327950288",
            "123456789012345678901234567890",
            "1.7976931348623157e308",
            "2.2250738585072014e-308",
            "1e-300",
            "6.02214076e23",
            "0.000000000000000000000000001",
        ] {
            let v = parse_decimal(t).unwrap();
            assert!(ulps(v, std(t)) <= 4, "{t}: {v} vs {}", std(t));
        }
        assert_eq!(parse_decimal("1e400"), Some(f64::INFINITY));
        assert_eq!(parse_decimal("-1e400"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_decimal("1e-400"), Some(0.0));
        assert_eq!(parse_decimal(&"9".repeat(400)), Some(f64::INFINITY));
        assert_eq!(parse_decimal("1e99999999999999999999"), Some(f64::INFINITY));
    }

    #[test]
    fn only_decimal_text_is_a_number() {
        for t in [
            "", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "1 2", "0x10", "inf", "NaN", "infinity",
            "1,5", "5%", "--5", "1e5.5", "٣",
        ] {
            assert_eq!(parse_decimal(t), None, "{t:?}");
        }
    }

    #[test]
    fn accepts_plain_and_separated_numbers() {
        assert_eq!(DEVICES.parse("1000"), Ok(1000.0));
        assert_eq!(DEVICES.parse(" 12,500 "), Ok(12500.0));
        assert_eq!(DEVICES.parse("1_000"), Ok(1000.0));
        assert_eq!(DEVICES.parse("1e3"), Ok(1000.0));
        assert_eq!(DEVICES.parse("1,000,000"), Ok(1_000_000.0));
        assert_eq!(DEVICES.parse("1,500.0"), Ok(1500.0));
    }

    #[test]
    fn a_comma_that_cannot_group_thousands_is_a_decimal_comma() {
        let seconds = NumberSpec {
            key: "t",
            label: "Delay",
            unit: "s",
            min: 0.0,
            max: 100_000.0,
            step: 0.1,
            slider_max: 100.0,
            integer: false,
            default: 1.0,
        };
        // Before: "1,5" was 15 s, silently.
        assert_eq!(seconds.parse("1,5"), Ok(1.5));
        assert_eq!(seconds.parse("0,25"), Ok(0.25));
        assert_eq!(seconds.parse("-0,5").map_err(|e| e.key), Err("t"));
        // Three digits after the comma group thousands, as before.
        assert_eq!(seconds.parse("1,500"), Ok(1500.0));
        assert_eq!(seconds.parse("12,345"), Ok(12345.0));
        for bad in ["1,5,0", "1,50.5", ",5", "1,5e3"] {
            let e = seconds.parse(bad).unwrap_err();
            assert!(e.message.contains("mixes commas"), "{bad}: {}", e.message);
        }
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
