//! The shell: gallery or one widget (`?w=SLUG`), embed mode (`embed=1`) with
//! the resize message, the colour theme (`theme=`), the share control, and the
//! notices for parameters that did not parse.

use crate::components::copy;
use crate::url_state::{page_address, use_url, UrlState};
use leptos::prelude::*;
use mqtt_lab_core::widgets::{self, Parts, WidgetInfo, ALL, PARTS, THEME};
use wasm_bindgen::JsCast;

fn check_theme(text: &str) -> Result<(), String> {
    THEME.parse(text).map(|_| ()).map_err(|e| {
        format!(
            "{}; without it the page follows your system's setting",
            e.message
        )
    })
}

/// The widget a binary carries, with the page that shows it (passed in, so
/// that the gallery's binary does not link it).
#[derive(Clone, Copy)]
pub struct Carried {
    pub slug: &'static str,
    pub view: crate::View,
    pub page: fn(&'static WidgetInfo, bool, crate::View) -> AnyView,
}

/// The shell around the gallery or the widget this binary carries.
pub fn app(widget: Option<Carried>) -> impl IntoView {
    let url = UrlState::from_location();
    provide_context(url);
    let embed = url.get("embed").is_some_and(|v| v == "1" || v == "true");
    url.text(THEME.key, "", check_theme);
    let slug = url.get("w");
    let selected = slug.as_deref().and_then(widgets::find);
    if let (Some(s), None) = (&slug, selected) {
        url.notice(format!(
            "There is no widget called “{s}”; here is the list of all widgets."
        ));
    }
    if embed {
        crate::embed::report_height_to_parent();
    }
    // A frame shows the optional parts the author chose in the Share panel.
    let parts = if embed {
        let raw = url.get(PARTS.key);
        Parts::embed(raw.as_deref()).unwrap_or_else(|why| {
            url.notice(format!(
                "Ignored parts={}: {why}. Showing the controls, results and figures only.",
                raw.unwrap_or_default()
            ));
            Parts::COMPACT
        })
    } else {
        Parts::PAGE
    };
    provide_context(parts);

    let body = match (selected, widget) {
        (Some(info), Some(carried)) if carried.slug == info.slug => {
            (carried.page)(info, embed, carried.view)
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
    url.write_back(&["w", "embed", PARTS.key]);

    let notices = move || {
        url.notices
            .get()
            .into_iter()
            .map(|n| view! { <li>{n}</li> })
            .collect_view()
    };
    // The status region is there from the start (so that what appears in it
    // is announced) and holds a plain list (WCAG 1.3.1).
    let notice_list = view! {
        <div role="status" aria-label="Notices about the address">
            <Show when=move || !url.notices.with(Vec::is_empty)>
                <ul class="notices">{notices}</ul>
            </Show>
        </div>
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
            view! {
                <li class="card">
                    <h2><a href=format!("?w={}", w.slug)>{w.title}</a></h2>
                    <p>{w.blurb}</p>
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

/// One widget's page: its title, the share control (not when embedded), the widget.
pub fn widget_page(info: &'static WidgetInfo, embed: bool, view: crate::View) -> AnyView {
    view! {
        {(!embed).then(|| view! { <nav class="crumbs"><a href="?">"All widgets"</a></nav> })}
        <article class="widget" aria-labelledby="widget-title">
            <div class="widget-head">
                <h1 id="widget-title">{info.title}</h1>
                {(!embed).then(|| view! { <Share info=info /> })}
            </div>
            {view()}
        </article>
    }
    .into_any()
}

/// The permalink of the current state and the embed code for it, each with a
/// copy button; on paper, the permalink as text. The form is static markup
/// (a typed view of it would cost every page's bundle several KB); its
/// values are kept current by one effect, its buttons served by one handler.
#[component]
fn Share(info: &'static WidgetInfo) -> impl IntoView {
    let url = use_url();
    let link = Signal::derive(move || format!("{}?{}", page_address(), url.query(&["w"])));
    // The frame's colours, chosen here rather than typed into the address:
    // the page's own `theme` to start with, else the reader's system setting.
    let theme = RwSignal::new(
        url.get(THEME.key)
            .and_then(|t| THEME.parse(&t).ok())
            .unwrap_or(""),
    );
    // What the frame shows besides controls, results and figures: nothing
    // more unless ticked (an embed as small as the lesson needs).
    let parts = RwSignal::new(Parts::COMPACT);
    Effect::new(move || {
        let page = page_address();
        let dir = page.rsplit_once('/').map_or(page.as_str(), |(dir, _)| dir);
        let script = format!("{dir}/public/embed.js");
        set_value("share-link", &link.get());
        set_value("share-theme", theme.get());
        let themed = widgets::with_param(&link.get(), THEME.key, theme.get());
        let framed = widgets::with_param(&themed, PARTS.key, &parts.get().param());
        set_value(
            "share-embed",
            &widgets::embed_snippet(&framed, info, &script),
        );
    });
    let on_change = move |ev: web_sys::Event| {
        let Some(target) = ev.target() else {
            return;
        };
        let id = target
            .dyn_ref::<web_sys::Element>()
            .map(|e| e.id())
            .unwrap_or_default();
        if id == "share-theme" {
            let picked = field_prop(&id, "value").and_then(|v| v.as_string());
            theme.set(THEME.parse(&picked.unwrap_or_default()).unwrap_or(""));
        } else if id.starts_with("share-part-") {
            let ticked = |part: &str| {
                field_prop(&format!("share-part-{part}"), "checked").is_some_and(|v| v.is_truthy())
            };
            parts.set(Parts {
                explain: ticked("explain"),
                code: ticked("code"),
                link: false,
            });
        }
    };
    // A copy button names the field it copies; its status line is "FIELD-status".
    let on_click = |ev: web_sys::MouseEvent| {
        let Some(button) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let Some(field) = button.get_attribute("data-copy") else {
            return;
        };
        let text = field_prop(&field, "value")
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        copy(text, move |said| {
            if let Some(status) = document().get_element_by_id(&format!("{field}-status")) {
                status.set_text_content(Some(said));
            }
        });
    };
    view! {
        <details class="share">
            <summary>"Share or embed"</summary>
            <div class="share-body" on:click=on_click on:change=on_change>
                <div class="share-fields" inner_html=share_form()></div>
                <p class="share-note">{widgets::embed_note(info.slug)}</p>
            </div>
        </details>
        <p class="print-only">"Online: " {move || link.get()}</p>
    }
}

/// A property (`value`, `checked`) of the Share form's field `id`.
fn field_prop(id: &str, prop: &str) -> Option<wasm_bindgen::JsValue> {
    let field = document().get_element_by_id(id)?;
    js_sys::Reflect::get(&field, &prop.into()).ok()
}

fn set_value(id: &str, value: &str) {
    if let Some(field) = document().get_element_by_id(id) {
        let _ = js_sys::Reflect::set(&field, &"value".into(), &value.into());
    }
}

/// The Share panel's form: the link, the frame's colours and parts, and the
/// embed code.
fn share_form() -> String {
    let parts: String = widgets::OPTIONAL_PARTS
        .iter()
        .map(|(name, label)| {
            format!(r#"<label class="check"><input type="checkbox" id="share-part-{name}"> {label}</label>"#)
        })
        .collect();
    format!(
        r#"<label for="share-link">Link to this state</label>
<div class="share-row"><input id="share-link" type="text" readonly><button type="button" data-copy="share-link">Copy link</button></div>
<p class="copy-status" role="status" id="share-link-status"></p>
<label for="share-theme">Colours in the frame</label>
<select id="share-theme"><option value="">As the reader's system is set</option><option value="light">Light, for a light course page</option><option value="dark">Dark, for a dark course page</option></select>
<fieldset class="share-parts"><legend>The frame shows the controls, results and figures; also show</legend>{parts}</fieldset>
<label for="share-embed">Embed code for a course page</label>
<textarea id="share-embed" readonly rows="4" spellcheck="false"></textarea>
<div class="share-row"><button type="button" data-copy="share-embed">Copy embed code</button></div>
<p class="copy-status" role="status" id="share-embed-status"></p>"#
    )
}
