//! Topic names and topic filters (§4.7 in both versions): what is valid, and
//! which names a filter matches. Tested against the specification's own
//! examples (§4.7.1.2, §4.7.1.3, §4.7.2).

use super::error::Rule;

/// Wildcards in a topic name: 3.1.1 [MQTT-4.7.1-1], 5.0 [MQTT-4.7.0-1];
/// in PUBLISH both also say [MQTT-3.3.2-2].
pub const NAME_RULE: Rule = Rule::both("[MQTT-3.3.2-2]");
/// Wildcards in any topic name, e.g. the Will Topic.
pub const NO_WILDCARD_IN_NAME: Rule = Rule {
    v311: "[MQTT-4.7.1-1]",
    v5: "[MQTT-4.7.0-1]",
};
/// Where `#` and `+` may stand in a filter.
pub const FILTER_RULE: Rule = Rule {
    v311: "[MQTT-4.7.1-2]",
    v5: "[MQTT-4.7.1-1]",
};

/// Whether `s` holds `+` or `#`. Both are ASCII, so a byte search is exact
/// in UTF-8 and cheaper than a char pattern, on every PUBLISH received.
pub fn has_wildcard(s: &str) -> bool {
    s.bytes().any(|b| b == b'+' || b == b'#')
}

/// A topic name as a PUBLISH carries it: not empty, no wildcards.
pub fn check_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("is empty: a topic name has at least one character");
    }
    if has_wildcard(name) {
        return Err("contains a wildcard (+ or #): only subscriptions may use them");
    }
    Ok(())
}

/// A topic filter as SUBSCRIBE carries it: `#` alone in the last level, `+`
/// alone in its level; a shared subscription `$share/NAME/filter` (5.0
/// §4.8.2) has a share name without `/`, `+` or `#`, and a valid filter.
pub fn check_filter(filter: &str) -> Result<(), &'static str> {
    if filter.is_empty() {
        return Err("is empty: a topic filter has at least one character");
    }
    let filter = match shared(filter) {
        Some(Ok((_, f))) => f,
        Some(Err(why)) => return Err(why),
        None => filter,
    };
    let levels: Vec<&str> = filter.split('/').collect();
    for (i, level) in levels.iter().enumerate() {
        if level.contains('#') && (*level != "#" || i + 1 != levels.len()) {
            return Err("has # that is not alone in the last level (sport/# is valid, sport/#/x and sport# are not)");
        }
        if level.contains('+') && *level != "+" {
            return Err("has + that is not alone in its level (sport/+/x is valid, sport+ is not)");
        }
    }
    Ok(())
}

/// `$share/NAME/filter`: the share name and the filter, or why it is invalid;
/// None when the filter is not shared.
pub fn shared(filter: &str) -> Option<Result<(&str, &str), &'static str>> {
    let rest = filter.strip_prefix("$share/")?;
    Some(match rest.split_once('/') {
        Some((name, f)) if !name.is_empty() && !has_wildcard(name) && !f.is_empty() => {
            Ok((name, f))
        }
        _ => Err(
            "is a shared subscription without a valid share name and filter ($share/NAME/filter)",
        ),
    })
}

/// Whether `filter` matches the topic name `name` (§4.7). A filter that
/// starts with a wildcard does not match names that start with `$`
/// (§4.7.2); a shared subscription matches as its filter part.
pub fn matches(filter: &str, name: &str) -> bool {
    let filter = match shared(filter) {
        Some(Ok((_, f))) => f,
        Some(Err(_)) => return false,
        None => filter,
    };
    if name.starts_with('$') && filter.starts_with(['+', '#']) {
        return false;
    }
    let mut f = filter.split('/');
    let mut n = name.split('/');
    loop {
        match (f.next(), n.next()) {
            // `#` also matches the parent level: sport/# matches sport.
            (Some("#"), _) => return true,
            (Some("+"), Some(_)) => {}
            (Some(a), Some(b)) if a == b => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_level_wildcard_examples_of_4_7_1_2() {
        for name in [
            "sport/tennis/player1",
            "sport/tennis/player1/ranking",
            "sport/tennis/player1/score/wimbledon",
        ] {
            assert!(matches("sport/tennis/player1/#", name), "{name}");
        }
        assert!(matches("sport/#", "sport"));
        assert!(check_filter("#").is_ok());
        assert!(check_filter("sport/tennis/#").is_ok());
        assert!(check_filter("sport/tennis#").is_err());
        assert!(check_filter("sport/tennis/#/ranking").is_err());
    }

    #[test]
    fn single_level_wildcard_examples_of_4_7_1_3() {
        assert!(matches("sport/tennis/+", "sport/tennis/player1"));
        assert!(matches("sport/tennis/+", "sport/tennis/player2"));
        assert!(!matches("sport/tennis/+", "sport/tennis/player1/ranking"));
        assert!(!matches("sport/+", "sport"));
        assert!(matches("sport/+", "sport/"));
        for valid in ["+", "+/tennis/#", "sport/+/player1"] {
            assert!(check_filter(valid).is_ok(), "{valid}");
        }
        assert!(check_filter("sport+").is_err());
        assert!(matches("+/+", "/finance"));
        assert!(matches("/+", "/finance"));
        assert!(!matches("+", "/finance"));
    }

    #[test]
    fn dollar_topics_examples_of_4_7_2() {
        assert!(!matches("#", "$SYS/broker/clients/connected"));
        assert!(matches("$SYS/#", "$SYS/broker/clients/connected"));
        assert!(!matches("+/monitor/Clients", "$SYS/monitor/Clients"));
        assert!(matches("$SYS/monitor/+", "$SYS/monitor/Clients"));
    }

    #[test]
    fn names_and_shared_subscriptions() {
        assert!(check_name("a/b").is_ok());
        assert!(check_name("").is_err());
        assert!(check_name("a/+").is_err());
        assert!(check_name("a/#").is_err());
        assert_eq!(shared("$share/g/a/+"), Some(Ok(("g", "a/+"))));
        assert!(check_filter("$share/g/a/+").is_ok());
        assert!(check_filter("$share//a").is_err());
        assert!(check_filter("$share/g+/a").is_err());
        assert!(check_filter("$share/g").is_err());
        assert!(matches("$share/g/a/+", "a/b"));
        assert!(!matches("a/b", "a/b/c"));
        assert!(matches("a/b", "a/b"));
    }
}
