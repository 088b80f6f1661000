//! Talking to the page that embeds a widget (page contract): the widget's
//! height (`mqtt-lab:resize`), and the knowledge checks' results
//! (`mqtt-lab:result`, xAPI-shaped statements). Messages go to the parent
//! window only, never over the network; `public/embed.js` is the parent's side.

use leptos::prelude::*;
use mqtt_lab_core::xapi::Statement;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The window that embeds this page, if there is one.
fn parent() -> Option<web_sys::Window> {
    let own = window();
    let parent = own.parent().ok()??;
    (!js_sys::Object::is(&parent, &own)).then_some(parent)
}

fn post(message: &js_sys::Object) {
    let Some(parent) = parent() else {
        return;
    };
    // Called as the parent's own method: a host of another origin (the usual
    // case) is a cross-origin window, on which this page's
    // `Window.prototype.postMessage` (what `web_sys::Window::post_message`
    // calls) throws.
    let Ok(post_message) = js_sys::Reflect::get(&parent, &"postMessage".into()) else {
        return;
    };
    if let Some(post_message) = post_message.dyn_ref::<js_sys::Function>() {
        // "*": the messages hold nothing private (a height, a score), and the
        // host's origin is not known to the widget; embed.js checks ours.
        let _ = post_message.call2(&parent, message, &"*".into());
    }
}

fn message(kind: &str, field: &str, value: &JsValue) -> js_sys::Object {
    let m = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&m, &"type".into(), &kind.into());
    let _ = js_sys::Reflect::set(&m, &field.into(), value);
    m
}

/// Waits before posting the height again while the parent has not
/// acknowledged it: about 25 s in all, for a host page whose listener came
/// late (embed.js loaded `async`) and missed the first messages. A host that
/// listens without embed.js never acknowledges and just gets these few more.
const REPOST_MS: [u32; 8] = [100, 200, 400, 800, 1_600, 3_200, 6_400, 12_800];

/// The height reporter's state, shared by the observer, the timer and the
/// parent's messages.
#[derive(Default)]
struct Reporter {
    last: Cell<f64>,
    /// The parent answered a height with `mqtt-lab:resize-ack`: it listens,
    /// so every later change reaches it.
    acked: Cell<bool>,
    /// Reposts done, and whether one is waiting.
    reposts: Cell<usize>,
    waiting: Cell<bool>,
}

impl Reporter {
    fn send(self: &Rc<Self>, always: bool) {
        let Some(root) = document().document_element() else {
            return;
        };
        let height = root.get_bounding_client_rect().height().ceil();
        if !always && (height - self.last.get()).abs() < 0.5 {
            return;
        }
        self.last.set(height);
        post(&message("mqtt-lab:resize", "height", &height.into()));
        self.repost_later();
    }

    /// Until the parent acknowledges, the height goes out again after a
    /// growing pause, whatever the order in which the host page, its
    /// script and this frame loaded.
    fn repost_later(self: &Rc<Self>) {
        if self.acked.get() || self.waiting.get() {
            return;
        }
        let Some(&pause) = REPOST_MS.get(self.reposts.get()) else {
            return;
        };
        self.reposts.set(self.reposts.get() + 1);
        self.waiting.set(true);
        let me = Rc::clone(self);
        set_timeout(
            move || {
                me.waiting.set(false);
                if !me.acked.get() {
                    me.send(true);
                }
            },
            std::time::Duration::from_millis(pause.into()),
        );
    }
}

/// Posts `{type: "mqtt-lab:resize", height}` to the parent window whenever
/// the document's height changes, and again when the parent asks with
/// `{type: "mqtt-lab:resize-request"}` (a script that loaded after the
/// widget had settled); until the parent acknowledges a height with
/// `{type: "mqtt-lab:resize-ack"}`, it posts it again now and then.
pub fn report_height_to_parent() {
    if parent().is_none() {
        return;
    }
    let reporter = Rc::new(Reporter::default());
    reporter.last.set(-1.0);
    // Once the widget is mounted (this runs before), whether or not the
    // observer reports: Chromium runs no observer in a frame of another
    // origin out of view (the second frame of a lesson, below the first),
    // and such a frame would stay at the host's height until scrolled to.
    let first = Rc::clone(&reporter);
    set_timeout(move || first.send(false), std::time::Duration::ZERO);
    let observed = Rc::clone(&reporter);
    let on_resize = Closure::<dyn FnMut()>::new(move || observed.send(false));
    if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
        if let Some(root) = document().document_element() {
            observer.observe(&root);
        }
        // Kept for the page's life: an observer nothing refers to may be
        // collected before its first callback (a frame that never said its
        // height, issue 21).
        std::mem::forget(observer);
    }
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let from_parent = match (event.source(), parent()) {
                (Some(source), Some(parent)) => js_sys::Object::is(&source, &parent),
                _ => false,
            };
            if !from_parent {
                return;
            }
            let kind = js_sys::Reflect::get(&event.data(), &"type".into())
                .ok()
                .and_then(|t| t.as_string());
            match kind.as_deref() {
                Some("mqtt-lab:resize-request") => reporter.send(true),
                Some("mqtt-lab:resize-ack") => reporter.acked.set(true),
                _ => {}
            }
        });
    let _ =
        window().add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    // Both live as long as the page.
    on_resize.forget();
    on_message.forget();
}

/// Posts each statement as `{type: "mqtt-lab:result", statement}` to the
/// parent window, stamped with the time now.
pub fn post_results(statements: &[Statement]) {
    if statements.is_empty() || parent().is_none() {
        return;
    }
    let now: String = js_sys::Date::new_0().to_iso_string().into();
    for s in statements {
        if let Ok(statement) = js_sys::JSON::parse(&s.to_json(&now)) {
            post(&message("mqtt-lab:result", "statement", &statement));
        }
    }
}

/// Calls `apply(tab, responses)` for each `{type: "mqtt-lab:restore", tab,
/// responses}` that the parent window posts: the knowledge checks' answers of
/// one tab as their statements carried them (`responses[n]` for item n + 1,
/// `null` for one not answered), which a course saved and gives back (the
/// SCORM launch page of `scripts/scorm.sh`, from `cmi.suspend_data`).
pub fn on_restore(apply: impl Fn(String, Vec<Option<String>>) + 'static) {
    if parent().is_none() {
        return;
    }
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let from_parent = match (event.source(), parent()) {
                (Some(source), Some(parent)) => js_sys::Object::is(&source, &parent),
                _ => false,
            };
            let data = event.data();
            let field = |name: &str| js_sys::Reflect::get(&data, &name.into()).ok();
            if !from_parent
                || field("type").and_then(|t| t.as_string()).as_deref() != Some("mqtt-lab:restore")
            {
                return;
            }
            let Some(tab) = field("tab").and_then(|t| t.as_string()) else {
                return;
            };
            let Some(list) = field("responses").filter(js_sys::Array::is_array) else {
                return;
            };
            let responses = js_sys::Array::from(&list)
                .iter()
                .map(|r| r.as_string())
                .collect();
            apply(tab, responses);
        });
    let _ =
        window().add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    on_message.forget();
}
