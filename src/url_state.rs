//! The page contract's URL side: the query string sets the initial state; the
//! widget's state is written back with `history.replaceState`, so the address
//! bar is always a shareable permalink. A parameter that does not parse is
//! ignored with a visible notice and the default is used.

use leptos::prelude::*;
use mqtt_lab_core::fields::{ChoiceSpec, NumberSpec};

/// Read once at start-up, shared through the context.
#[derive(Clone, Copy)]
pub struct UrlState {
    initial: StoredValue<Vec<(String, String)>>,
    /// Parameters the widget owns, in the order they are written back.
    owned: StoredValue<Vec<(&'static str, Signal<String>)>>,
    pub notices: RwSignal<Vec<String>>,
}

impl UrlState {
    pub fn from_location() -> Self {
        let search = window().location().search().unwrap_or_default();
        let mut pairs = Vec::new();
        if let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) {
            let keys = js_sys::Array::from(&params.keys());
            for key in keys.iter().filter_map(|k| k.as_string()) {
                if pairs.iter().any(|(k, _): &(String, String)| *k == key) {
                    continue;
                }
                if let Some(value) = params.get(&key) {
                    pairs.push((key, value));
                }
            }
        }
        Self {
            initial: StoredValue::new(pairs),
            owned: StoredValue::new(Vec::new()),
            notices: RwSignal::new(Vec::new()),
        }
    }

    /// The raw value of a parameter as the page was opened with it.
    pub fn get(&self, key: &str) -> Option<String> {
        self.initial
            .with_value(|p| p.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
    }

    pub fn notice(&self, text: String) {
        self.notices.update(|n| n.push(text));
    }

    /// The starting value of a parameter: the URL's, if `parse` accepts it;
    /// otherwise the default, with a visible notice saying why.
    fn initial<T>(
        &self,
        key: &str,
        default: T,
        default_shown: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> T {
        let Some(raw) = self.get(key) else {
            return default;
        };
        parse(&raw).unwrap_or_else(|message| {
            let shown = if default_shown.is_empty() {
                String::new()
            } else {
                format!(", {default_shown}")
            };
            self.notice(format!(
                "Ignored {key}={raw}: {message}. Using the default{shown}."
            ));
            default
        })
    }

    /// A number field's text, starting from the URL (if it parses) or the
    /// default, and written back to the URL as it changes.
    pub fn number(&self, spec: &'static NumberSpec) -> RwSignal<String> {
        let default = spec.default_text();
        let start = self.initial(spec.key, default.clone(), &default, |raw| {
            spec.parse(raw)
                .map(|_| raw.trim().to_string())
                .map_err(|e| e.message)
        });
        let text = RwSignal::new(start);
        self.own(spec.key, text.into());
        text
    }

    /// A choice's slug, starting from the URL (if valid) or the default.
    pub fn choice(&self, spec: &'static ChoiceSpec) -> RwSignal<&'static str> {
        let start = self.initial(spec.key, spec.default, spec.default, |raw| {
            spec.parse(raw).map_err(|e| e.message)
        });
        let slug = RwSignal::new(start);
        self.own(spec.key, Signal::derive(move || slug.get().to_string()));
        slug
    }

    /// Free text (search words, a code in decimal or hex), checked by `check`:
    /// a URL value it refuses is ignored with a notice.
    pub fn text(
        &self,
        key: &'static str,
        default: &str,
        check: fn(&str) -> Result<(), String>,
    ) -> RwSignal<String> {
        let start = self.initial(key, default.to_string(), default, |raw| {
            check(raw).map(|()| raw.to_string())
        });
        let text = RwSignal::new(start);
        self.own(key, text.into());
        text
    }

    /// Registers a parameter that the widget writes back.
    pub fn own(&self, key: &'static str, value: Signal<String>) {
        self.owned.update_value(|o| o.push((key, value)));
    }

    /// The query string of the current state, without the `?`: the shell's
    /// `shell_keys` as the page was opened with them, then every parameter
    /// the widget owns (empty ones left out). Tracks the widget's state.
    pub fn query(&self, shell_keys: &[&str]) -> String {
        let Ok(params) = web_sys::UrlSearchParams::new() else {
            return String::new();
        };
        for key in shell_keys {
            if let Some(v) = self.get(key) {
                params.append(key, &v);
            }
        }
        self.owned.with_value(|owned| {
            for (key, value) in owned {
                // Empty means "not set" (an optional override, no search words).
                let value = value.get();
                if !value.is_empty() {
                    params.append(key, &value);
                }
            }
        });
        params.to_string().into()
    }

    /// Keeps the address bar in step with the widget's state. Call once, after
    /// the widget has registered its parameters.
    ///
    /// The address is written in a task of its own, after the one that
    /// updated the results: `history.replaceState` costs Chromium 0.5 ms,
    /// 2.5 ms at p95, and in the same task it held back every result by as
    /// much (capacity, input to outputs p95: 5.5 ms with it, 1.9 ms without).
    /// Typing faster than the timer fires writes the latest state once.
    pub fn write_back(self, shell_keys: &'static [&'static str]) {
        let wanted = StoredValue::new(None::<String>);
        Effect::new(move || {
            let query = self.query(shell_keys);
            let first = wanted
                .try_update_value(|w| w.replace(query).is_none())
                .unwrap_or(false);
            if first {
                gloo_timers::callback::Timeout::new(0, move || {
                    if let Some(Some(query)) = wanted.try_update_value(Option::take) {
                        replace_query(&query);
                    }
                })
                .forget();
            }
        });
    }
}

/// Puts `query` in the address bar if it is not there already.
fn replace_query(query: &str) {
    let location = window().location();
    let current = location.search().unwrap_or_default();
    let wanted = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    if current != wanted {
        // A relative URL keeps whatever sub-path the site is hosted at.
        let url = format!(
            "{}{}",
            if wanted.is_empty() { "?" } else { &wanted },
            location.hash().unwrap_or_default()
        );
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
}

/// The URL state of the current page.
pub fn use_url() -> UrlState {
    expect_context::<UrlState>()
}

/// The address of this page without query or fragment
/// (`https://course.example/widgets/mqtt/`): the base of permalinks, embed
/// snippets and result ids, whatever sub-path the site is hosted at.
pub fn page_address() -> String {
    let location = window().location();
    format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}
