//! Number formatting: machine values for `data-value` and human text.
//!
//! Rounding is done with integer arithmetic, not `format!("{:.2}")`: the
//! standard library's float formatting is about 13 KB of WebAssembly, and
//! pages without charts need none of it. Ties round to even, as `core::fmt`
//! does for values that are exact in binary.

/// |value| rounded to `decimals` places (at most 9): the integer part and
/// the fraction's digits, zero-padded. Exact: the float is m × 2^e, and
/// m × 10^decimals / 2^-e is rounded half to even in integers, as the
/// standard library's formatting rounds the exact binary value.
fn digits(value: f64, decimals: usize) -> (u128, String) {
    let d = decimals.min(9) as u32;
    let scale = 10u128.pow(d);
    let bits = value.abs().to_bits();
    let biased = ((bits >> 52) & 0x7FF) as i32;
    let fraction = u128::from(bits & ((1u64 << 52) - 1));
    let (m, e) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    };
    let n = if e >= 0 {
        // A whole number of 2^52 or more; beyond 2^128 it saturates.
        if e > 75 {
            u128::MAX
        } else {
            (m << e).saturating_mul(scale)
        }
    } else {
        let k = e.unsigned_abs();
        let num = m * scale; // below 2^83
        if k > 127 {
            0
        } else {
            let (q, r, half) = (num >> k, num & ((1u128 << k) - 1), 1u128 << (k - 1));
            if r > half || (r == half && q & 1 == 1) {
                q + 1
            } else {
                q
            }
        }
    };
    let frac = if d == 0 {
        String::new()
    } else {
        let f = ((n % scale) as u64).to_string(); // below 10^9
        format!("{}{f}", "0".repeat(d as usize - f.len()))
    };
    (n / scale, frac)
}

/// `n` in decimal digits. Not `n.to_string()`: the standard library's u128
/// printing is about 1.3 KB of WebAssembly on every page, and this loop uses
/// the u128 division that [`digits`] links anyway.
fn decimal(mut n: u128) -> String {
    let mut buf = [0u8; 39]; // u128::MAX has 39 digits
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf[i..].iter().map(|&b| char::from(b)).collect()
}

/// Thousands separators: 1216 → "1,216".
fn grouped(n: u128) -> String {
    let s = decimal(n);
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// "-" when `value` is negative and rounds to something other than zero.
fn sign(value: f64, int: u128, frac: &str) -> &'static str {
    if value < 0.0 && (int != 0 || frac.chars().any(|c| c != '0')) {
        "-"
    } else {
        ""
    }
}

/// Machine-readable: `.` decimal point, no separators, at most 6 decimals,
/// trailing zeros removed ("1216", "11.875", "95.5"). Non-finite gives "".
pub fn plain(value: f64) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let (int, frac) = digits(value, 6);
    let frac = frac.trim_end_matches('0');
    let sign = sign(value, int, frac);
    if frac.is_empty() {
        format!("{sign}{}", decimal(int))
    } else {
        format!("{sign}{}.{frac}", decimal(int))
    }
}

/// Human text: thousands separators and up to `decimals` decimals, trailing
/// zeros removed ("1,216", "11.88" with 2 decimals). Non-finite gives "—".
pub fn number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "—".to_string();
    }
    let (int, frac) = digits(value, decimals);
    let frac = frac.trim_end_matches('0');
    let sign = sign(value, int, frac);
    if frac.is_empty() {
        format!("{sign}{}", grouped(int))
    } else {
        format!("{sign}{}.{frac}", grouped(int))
    }
}

/// Human text with a fixed number of decimals ("16.7", "9.0").
pub fn fixed(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "—".to_string();
    }
    let (int, frac) = digits(value, decimals);
    let sign = sign(value, int, &frac);
    if frac.is_empty() {
        format!("{sign}{}", grouped(int))
    } else {
        format!("{sign}{}.{frac}", grouped(int))
    }
}

/// A share in per cent, written the same way wherever it appears: one
/// decimal, or as many more (up to three) as it takes not to round a share
/// short of 0 or 100 % to "0.0" or "100.0" ("99.97", "0.004").
pub fn percent(value: f64) -> String {
    let shown = |d: usize| fixed(value, d);
    for decimals in 1..3 {
        let text = shown(decimals);
        let zeros = fixed(0.0, decimals);
        let hundred = fixed(100.0, decimals);
        let rounded_away = (text == zeros && value != 0.0) || (text == hundred && value != 100.0);
        if !rounded_away {
            return text;
        }
    }
    shown(3)
}

/// A JSON string literal, with the quotes. Besides what JSON requires, `<`,
/// `>` and `&` are written as `\u` escapes so that the text is also safe
/// inside an HTML `<script>` element.
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c < ' ' || matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for HTML, in an element or a quoted attribute: `&`, `<`, `>` and both
/// quotes escaped.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimal_digits_equal_the_standard_librarys() {
        let mut n: u128 = 1;
        let mut cases = vec![
            0,
            9,
            10,
            99,
            100,
            u128::from(u64::MAX),
            u128::MAX,
            u128::MAX - 1,
        ];
        while let Some(m) = n.checked_mul(7) {
            cases.extend([m - 1, m, m + 1]);
            n = m;
        }
        for c in cases {
            assert_eq!(super::decimal(c), c.to_string());
        }
    }

    #[test]
    fn a_share_keeps_the_decimals_that_matter_and_no_more() {
        use super::percent;
        assert_eq!(percent(95.0), "95.0");
        assert_eq!(percent(95.04), "95.0");
        assert_eq!(percent(100.0), "100.0");
        assert_eq!(percent(0.0), "0.0");
        assert_eq!(percent(99.97), "99.97");
        assert_eq!(percent(99.9996), "100.000");
        assert_eq!(percent(0.004), "0.004");
        assert_eq!(percent(0.04), "0.04");
        assert_eq!(percent(12.345), "12.3");
        assert_eq!(percent(f64::NAN), "—");
    }

    use super::*;

    #[test]
    fn plain_values() {
        assert_eq!(plain(1216.0), "1216");
        assert_eq!(plain(11.875), "11.875");
        assert_eq!(plain(95.5), "95.5");
        assert_eq!(plain(-0.0), "0");
        assert_eq!(plain(f64::NAN), "");
        assert_eq!(plain(0.1 + 0.2), "0.3");
    }

    #[test]
    fn human_values() {
        assert_eq!(number(1216.0, 0), "1,216");
        assert_eq!(number(1_000_000.0, 2), "1,000,000");
        assert_eq!(number(11.875, 2), "11.88");
        assert_eq!(number(-1234.5, 1), "-1,234.5");
        assert_eq!(number(-0.001, 1), "0");
        assert_eq!(number(f64::INFINITY, 1), "—");
        assert_eq!(fixed(16.666, 1), "16.7");
        assert_eq!(fixed(9.0, 1), "9.0");
        assert_eq!(fixed(14100.0, 0), "14,100");
        assert_eq!(fixed(-2.26, 1), "-2.3");
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(0.05, 2), "0.05");
        assert_eq!(number(1e15, 0), "1,000,000,000,000,000");
    }

    #[test]
    fn the_same_digits_as_core_fmt() {
        // Against the standard library's own rounding, over a spread of values.
        let mut x = 0.000_37f64;
        while x < 1e12 {
            for d in [0, 1, 2, 6] {
                let ours = number(x, d);
                let std = format!("{x:.d$}");
                let (i, f) = std.split_once('.').unwrap_or((&std, ""));
                let f = f.trim_end_matches('0');
                let expected = if f.is_empty() {
                    grouped(i.parse().unwrap())
                } else {
                    format!("{}.{f}", grouped(i.parse().unwrap()))
                };
                assert_eq!(ours, expected, "{x} with {d} decimals");
            }
            x *= 1.37;
        }
    }

    #[test]
    fn html_text() {
        assert_eq!(
            html_escape(r#"a < b & "c" 'd' > e"#),
            "a &lt; b &amp; &quot;c&quot; &#39;d&#39; &gt; e"
        );
    }

    #[test]
    fn json_strings() {
        assert_eq!(json_string("Broker capacity"), r#""Broker capacity""#);
        assert_eq!(
            json_string("a \"q\" \\ b\nc\t</script>&"),
            r#""a \"q\" \\ b\nc\u0009\u003c/script\u003e\u0026""#
        );
        assert_eq!(
            json_string("Knowledge checks: “Find the bug”"),
            "\"Knowledge checks: “Find the bug”\""
        );
    }
}
