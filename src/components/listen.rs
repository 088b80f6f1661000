//! Listeners that a component adds to something that outlives it (a media
//! query, an observed element): removed, with their closures, when the
//! component goes away, so a page that swaps views (the gallery, the live
//! page's panels) does not keep calling into unmounted components.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Calls `f` on every `event` at `target` while the calling component lives.
pub fn listen(target: &web_sys::EventTarget, event: &'static str, f: impl FnMut() + 'static) {
    let closure = Closure::<dyn FnMut()>::new(f);
    if target
        .add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())
        .is_ok()
    {
        let kept = SendWrapper::new((target.clone(), closure));
        on_cleanup(move || {
            let (target, closure) = kept.take();
            let _ =
                target.remove_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
        });
    }
}

/// Calls `f` with each new content size of `element` while the calling
/// component lives.
pub fn observe_size(element: &web_sys::Element, mut f: impl FnMut(f64, f64) + 'static) {
    let closure = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        if let Some(entry) = entries.get(0).dyn_ref::<web_sys::ResizeObserverEntry>() {
            let rect = entry.content_rect();
            f(rect.width(), rect.height());
        }
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(closure.as_ref().unchecked_ref()) {
        observer.observe(element);
        let kept = SendWrapper::new((observer, closure));
        on_cleanup(move || kept.take().0.disconnect());
    }
}
