//! The shell: gallery or one widget (`?w=SLUG`), embed mode (`embed=1`) with
//! the resize message, and the notices for parameters that did not parse.

use crate::url_state::UrlState;
use leptos::prelude::*;
use mqtt_lab_core::widgets::{WidgetInfo, ALL};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The shell around the gallery or the widget this binary carries.
pub fn app(widget: Option<(&'static str, crate::View)>) -> impl IntoView {
    let url = UrlState::from_location();
    provide_context(url);
    let embed = url.get("embed").is_some_and(|v| v == "1" || v == "true");
    let slug = url.get("w");
    let selected = slug.as_deref().and_then(mqtt_lab_core::widgets::find);
    if let (Some(s), None) = (&slug, selected) {
        url.notice(format!(
            "There is no widget called “{s}”; here is the list of all widgets."
        ));
    }
    if embed {
        report_height_to_parent();
    }

    let body = match (selected, widget) {
        (Some(info), Some((carried, view))) if carried == info.slug => {
            view! { <WidgetPage info=info embed=embed view=view /> }.into_any()
        }
        (Some(info), _) => {
            // Only reached when a page loads the wrong bundle (index.html's
            // loader picks the right one): say so rather than show nothing.
            url.notice(format!(
                "This bundle does not contain the widget “{}”; reload the page.",
                info.slug
            ));
            view! { <Gallery /> }.into_any()
        }
        (None, _) => view! { <Gallery /> }.into_any(),
    };
    // Registered after the widget so that its parameters are known.
    url.write_back(&["w", "embed"]);

    let notices = move || {
        url.notices
            .get()
            .into_iter()
            .map(|n| view! { <li>{n}</li> })
            .collect_view()
    };
    let notice_list = view! {
        <Show when=move || !url.notices.with(Vec::is_empty)>
            <ul class="notices" role="status" aria-label="Notices about the address">
                {notices}
            </ul>
        </Show>
    };

    if embed {
        view! { <main class="embed">{notice_list} {body}</main> }.into_any()
    } else {
        view! {
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="site-header">
                <a class="brand" href="?">"MQTT Lab"</a>
                <span class="tagline">"Production MQTT client patterns, by calculation"</span>
            </header>
            <main id="main" class="page">{notice_list} {body}</main>
            <footer class="site-footer">
                <p>
                    "Models and sources are given with each widget. Where the course chapter is wrong, the widget says so and cites the specification or library source."
                </p>
            </footer>
        }
        .into_any()
    }
}

#[component]
fn Gallery() -> impl IntoView {
    let cards = ALL
        .iter()
        .map(|w| {
            let ready = w.built;
            let href = format!("?w={}", w.slug);
            view! {
                <li class="card" class:coming=!ready>
                    <h2>
                        {if ready {
                            view! { <a href=href>{w.title}</a> }.into_any()
                        } else {
                            view! { <span>{w.title}</span> }.into_any()
                        }}
                    </h2>
                    <p>{w.blurb}</p>
                    {(!ready).then(|| view! { <p class="badge">"Coming soon"</p> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <h1>"MQTT Lab"</h1>
        <p class="lead">
            "Interactive calculators for the chapter on production MQTT clients in Python: each one computes from a stated model, shows its sources, and corrects the chapter where it is wrong."
        </p>
        <ul class="gallery">{cards}</ul>
    }
}

#[component]
fn WidgetPage(info: &'static WidgetInfo, embed: bool, view: crate::View) -> impl IntoView {
    view! {
        {(!embed).then(|| view! { <nav class="crumbs"><a href="?">"All widgets"</a></nav> })}
        <article class="widget" aria-labelledby="widget-title">
            <h1 id="widget-title">{info.title}</h1>
            {view()}
        </article>
    }
}

/// Posts `{type: "mqtt-lab:resize", height}` to the parent window whenever
/// the document's height changes (page contract, embed mode).
fn report_height_to_parent() {
    let last = std::rc::Rc::new(std::cell::Cell::new(-1.0f64));
    let callback = Closure::<dyn FnMut()>::new(move || {
        let Some(root) = document().document_element() else {
            return;
        };
        let height = root.get_bounding_client_rect().height().ceil();
        if (height - last.get()).abs() < 0.5 {
            return;
        }
        last.set(height);
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &"mqtt-lab:resize".into());
        let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
        if let Ok(Some(parent)) = window().parent() {
            let _ = parent.post_message(&message, "*");
        }
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        if let Some(root) = document().document_element() {
            observer.observe(&root);
        }
    }
    // The observer lives as long as the page.
    callback.forget();
}
