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

/// Posts `{type: "mqtt-lab:resize", height}` to the parent window whenever
/// the document's height changes, and again when the parent asks with
/// `{type: "mqtt-lab:resize-request"}` (a script that loaded after the
/// widget had settled).
pub fn report_height_to_parent() {
    let last = Rc::new(Cell::new(-1.0f64));
    let send = move |always: bool| {
        let Some(root) = document().document_element() else {
            return;
        };
        let height = root.get_bounding_client_rect().height().ceil();
        if !always && (height - last.get()).abs() < 0.5 {
            return;
        }
        last.set(height);
        post(&message("mqtt-lab:resize", "height", &height.into()));
    };
    let send_changed = send.clone();
    let on_resize = Closure::<dyn FnMut()>::new(move || send_changed(false));
    if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
        if let Some(root) = document().document_element() {
            observer.observe(&root);
        }
    }
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let from_parent = match (event.source(), parent()) {
                (Some(source), Some(parent)) => js_sys::Object::is(&source, &parent),
                _ => false,
            };
            let kind = js_sys::Reflect::get(&event.data(), &"type".into())
                .ok()
                .and_then(|t| t.as_string());
            if from_parent && kind.as_deref() == Some("mqtt-lab:resize-request") {
                send(true);
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
