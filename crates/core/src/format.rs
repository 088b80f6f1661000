//! Number formatting: machine values for `data-value` and human text.

/// Machine-readable: `.` decimal point, no separators, at most 6 decimals,
/// trailing zeros removed ("1216", "11.875", "95.5"). Non-finite gives "".
pub fn plain(value: f64) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let s = format!("{value:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Human text: thousands separators and up to `decimals` decimals, trailing
/// zeros removed ("1,216", "11.88" with 2 decimals). Non-finite gives "—".
pub fn number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "—".to_string();
    }
    let s = format!("{:.*}", decimals, value.abs());
    let (int_part, frac_part) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), f.trim_end_matches('0').to_string()),
        None => (s.clone(), String::new()),
    };
    let mut grouped = String::new();
    for (i, ch) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let negative = value < 0.0 && (grouped != "0" || !frac_part.is_empty());
    let sign = if negative { "-" } else { "" };
    if frac_part.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac_part}")
    }
}

/// Human text with a fixed number of decimals ("16.7", "9.0").
pub fn fixed(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "—".to_string();
    }
    let rounded = format!("{:.*}", decimals, value);
    let whole = rounded.split('.').next().unwrap_or("0");
    let frac = rounded.split_once('.').map(|(_, f)| f);
    let grouped = number(whole.parse::<f64>().unwrap_or(0.0).abs(), 0);
    let sign = if rounded.starts_with('-') && !rounded.trim_matches(['-', '0', '.']).is_empty() {
        "-"
    } else {
        ""
    };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
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
    }
}
