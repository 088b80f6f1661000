//! Rows that arrive faster than anyone can read (a flood of messages, and the
//! packets they make) are shown a few per animation frame: building and
//! laying out hundreds of rows in one task would keep input waiting.

use leptos::prelude::*;

/// Rows moved into view per animation frame at most: 600 a second per list,
/// more than anyone reads. At 40 the rows' DOM work took so much of each
/// frame that a flood of one-packet WebSocket frames came in at about 10,000
/// messages a second; at 10, about 13,000 (BENCHMARKS.md).
const PER_FRAME: usize = 10;

/// Appends `new` to `list` and keeps the newest `max`; how many went.
fn keep_newest<T>(list: &mut Vec<T>, new: Vec<T>, max: usize) -> u64 {
    list.extend(new);
    let extra = list.len().saturating_sub(max);
    list.drain(..extra);
    extra as u64
}

/// The newest `max` rows in view, and the rows waiting to join them.
pub struct Trickle<T: Send + Sync + 'static> {
    pub rows: RwSignal<Vec<T>>,
    /// Rows that were never shown or left the view, for the newer ones.
    pub dropped: RwSignal<u64>,
    waiting: StoredValue<Vec<T>>,
    frame_requested: StoredValue<bool>,
    max: usize,
}

impl<T: Send + Sync + 'static> Clone for Trickle<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for Trickle<T> {}

impl<T: Send + Sync + 'static> Trickle<T> {
    pub fn new(max: usize) -> Self {
        Self {
            rows: RwSignal::new(Vec::new()),
            dropped: RwSignal::new(0),
            waiting: StoredValue::new(Vec::new()),
            frame_requested: StoredValue::new(false),
            max,
        }
    }

    /// Queues rows; they are shown over the next frames.
    pub fn push(self, new: Vec<T>) {
        if new.is_empty() {
            return;
        }
        let max = self.max;
        let extra = self
            .waiting
            .try_update_value(|w| keep_newest(w, new, max))
            .unwrap_or(0);
        self.count(extra);
        if !self.frame_requested.get_value() {
            self.frame_requested.set_value(true);
            request_animation_frame(move || self.show_some());
        }
    }

    fn show_some(self) {
        self.frame_requested.set_value(false);
        let next: Vec<T> = self
            .waiting
            .try_update_value(|w| w.drain(..w.len().min(PER_FRAME)).collect())
            .unwrap_or_default();
        if next.is_empty() {
            return;
        }
        let mut extra = 0;
        self.rows
            .update(|rows| extra = keep_newest(rows, next, self.max));
        self.count(extra);
        if self.waiting.with_value(|w| !w.is_empty()) {
            self.frame_requested.set_value(true);
            request_animation_frame(move || self.show_some());
        }
    }

    /// Counts rows that will never be shown.
    pub fn count(self, n: u64) {
        if n > 0 {
            self.dropped.update(|d| *d += n);
        }
    }

    pub fn clear(self) {
        self.waiting.update_value(Vec::clear);
        self.rows.set(Vec::new());
        self.dropped.set(0);
    }
}
