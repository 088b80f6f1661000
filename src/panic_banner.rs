//! A WebAssembly panic stops the app; instead of a page that silently goes
//! dead, show what happened and how to recover. (No input path should panic:
//! the core's property tests and the browser tests check that.)

use wasm_bindgen::JsCast;

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys_console_error(&message);
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Ok(banner) = document.create_element("div") else {
            return;
        };
        banner.set_id("panic-banner");
        let _ = banner.set_attribute("role", "alert");
        banner.set_text_content(Some(&format!(
            "Something went wrong and this widget stopped responding. Reload the page to start again \
             (your settings are in the address bar). Details for a bug report: {message}"
        )));
        if let Some(body) = document.body() {
            let _ = body.prepend_with_node_1(banner.unchecked_ref());
        }
    }));
}

fn web_sys_console_error(message: &str) {
    let console = js_sys::Reflect::get(&js_sys::global(), &"console".into()).ok();
    if let Some(console) = console {
        if let Ok(error) = js_sys::Reflect::get(&console, &"error".into()) {
            if let Some(f) = error.dyn_ref::<js_sys::Function>() {
                let _ = f.call1(&console, &message.into());
            }
        }
    }
}
