//! The protocol made visible: a sequence diagram of packets and one packet
//! opened field by field, shared by the live broker, the standalone packet
//! decoder and the QoS simulator.

mod detail;
mod sequence;

pub use detail::{Opened, PacketDetail};
pub use sequence::SequenceDiagram;

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|_| "could not build the file")?;
    let url =
        web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "could not build the file")?;
    let doc = leptos::prelude::document();
    let a = doc
        .create_element("a")
        .map_err(|_| "could not build the link")?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .map_err(|_| "could not build the link")?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Parses a session file with the browser's own JSON parser into the core's
/// plain struct, which `inspect::import` then checks.
pub fn read_session(text: &str) -> Result<mqtt_lab_core::inspect::SessionFile, String> {
    use mqtt_lab_core::inspect::{SessionFile, SessionPacket};
    use wasm_bindgen::JsValue;
    let root = js_sys::JSON::parse(text).map_err(|_| "not a JSON file".to_string())?;
    let get = |v: &JsValue, key: &str| {
        js_sys::Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    };
    let text_of = |v: &JsValue, key: &str| get(v, key).as_string().unwrap_or_default();
    let number_of =
        |v: &JsValue, key: &str| get(v, key).as_f64().filter(|n| *n >= 0.0).unwrap_or(0.0) as u64;
    let packets = get(&root, "packets");
    if !js_sys::Array::is_array(&packets) {
        return Err("not an MQTT Lab session file: it has no list of packets".into());
    }
    Ok(SessionFile {
        format: text_of(&root, "format"),
        protocol: text_of(&root, "protocol"),
        packets: js_sys::Array::from(&packets)
            .iter()
            .map(|p| SessionPacket {
                seq: number_of(&p, "seq"),
                at_ms: number_of(&p, "at_ms"),
                dir: text_of(&p, "dir"),
                hex: text_of(&p, "hex"),
                summary: text_of(&p, "summary"),
                error: get(&p, "error").as_string(),
            })
            .collect(),
    })
}
