//! Wiring shared by the widgets: read every numeric field at once, and keep
//! the last valid result while a field is refused (the page never goes blank
//! on a typo; the results say they are stale).

use super::NumberInput;
use leptos::prelude::*;

/// All fields' values, or `None` while any field is refused. Tracks every field.
pub fn values<const N: usize>(fields: &[NumberInput; N]) -> Option<[f64; N]> {
    let mut out = [0.0; N];
    let mut ok = true;
    for (v, f) in out.iter_mut().zip(fields) {
        // Read every field (not just up to the first error) so all are tracked.
        match f.value() {
            Ok(x) => *v = x,
            Err(_) => ok = false,
        }
    }
    ok.then_some(out)
}

/// A memo of `compute()`, holding its last `Some` value while it returns
/// `None`; `initial` is used if the very first computation fails.
pub fn last_valid<T>(
    compute: impl Fn() -> Option<T> + Send + Sync + 'static,
    initial: impl Fn() -> T + Send + Sync + 'static,
) -> Memo<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    Memo::new(move |prev: Option<&T>| {
        compute().unwrap_or_else(|| prev.cloned().unwrap_or_else(&initial))
    })
}

/// What a widget shows until its inputs first validate (the page opened with
/// a refused field): the model's defaults and their results. The defaults
/// always validate (each core model tests it), so `O::default()` is never
/// shown; it only spares the page a panic path.
pub fn defaults<I: Default, O: Default, E>(compute: fn(&I) -> Result<O, E>) -> (I, O) {
    let inputs = I::default();
    let outputs = compute(&inputs).unwrap_or_default();
    (inputs, outputs)
}
