//! The connection: the form (broker, version, credentials, keepalive,
//! session, Will) with Connect, Disconnect and Drop, and what the session
//! model says of the connection (status, reason code, connect time, the
//! broker's limits, the figures that feed the calculators).

use super::{Page, Settings};
use crate::components::*;
use crate::live;
use leptos::prelude::*;
use mqtt_lab_core::format::number;
use mqtt_lab_core::live as core_live;
use mqtt_lab_core::live_session::{Input, Status};
use mqtt_lab_core::mqtt::{LastWill, Options, Protocol};

fn protocol(settings: Settings) -> Protocol {
    Protocol::from_slug(settings.version.get_untracked())
}

/// The CONNECT the form describes, or what is wrong with it.
fn options(settings: Settings) -> Result<Options, String> {
    let s = settings;
    let keepalive_s = s
        .keepalive
        .value()
        .map_err(|_| "Fix the keepalive first.".to_string())?;
    let will = (!s.will_topic.get_untracked().trim().is_empty()).then(|| LastWill {
        topic: s.will_topic.get_untracked().trim().to_string(),
        payload: s.will_payload.get_untracked().into_bytes(),
        qos: s.qos(),
        retain: s.will_retain.get_untracked(),
        ..LastWill::default()
    });
    let clean_start = s.clean_start.get_untracked();
    let o = Options {
        protocol: protocol(s),
        client_id: s.client_id(),
        clean_start,
        keep_alive_s: keepalive_s as u16,
        username: Some(s.username.get_untracked()).filter(|u| !u.is_empty()),
        password: Some(s.password.get_untracked().into_bytes()).filter(|p| !p.is_empty()),
        will,
        session_expiry_s: if clean_start { 0 } else { 3600 },
        ..Options::default()
    };
    // The codec's own check: e.g. 3.1.1 allows no password without a user name.
    mqtt_lab_core::mqtt::Client::check(&o)
        .map_err(|e| format!("This CONNECT would break a rule: {e}."))?;
    Ok(o)
}

/// The explanation's recipe for a local broker, found by its heading (the
/// text lives in content/live.md), scrolled to and focused.
fn to_recipe(ev: leptos::ev::MouseEvent) {
    use wasm_bindgen::JsCast;
    let Ok(headings) = document().query_selector_all("h2") else {
        return;
    };
    let recipe = (0..headings.length())
        .filter_map(|i| headings.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .find(|h| {
            h.text_content()
                .is_some_and(|t| t.trim() == "A broker on your machine")
        });
    if let Some(h) = recipe {
        ev.prevent_default();
        h.set_tab_index(-1);
        h.scroll_into_view();
        let _ = h.focus();
    }
}

fn page_is_https() -> bool {
    window().location().protocol().is_ok_and(|p| p == "https:")
}

/// What a connection button asks of the MQTT client.
#[derive(Clone, Copy)]
enum Action {
    Connect,
    Disconnect,
    Drop,
}

crate::split_off! {
    "split-live", live_below, chunk client_chunk, later client_later;
    /// Carries out `action`. The MQTT client, its codec and the session
    /// model's `apply` come in the chunk with the part below the connection
    /// (issue 24): nothing above it calls them but this.
    fn client(settings: Settings, page: Page, action: Action) {
        page.client_loading.set(false);
        match action {
            Action::Connect => connect(settings, page),
            Action::Disconnect => live::stop(),
            Action::Drop => live::drop_connection(),
        }
    }
}

/// What a connection button does: at once, or (split bundle) once the
/// client has come, saying so meanwhile.
fn act(settings: Settings, page: Page, action: Action) {
    page.client_loading.set(true);
    client_later(settings, page, action, move || {
        page.client_loading.set(false);
        page.form_error.set(Some(
            "The MQTT client could not be loaded. Check the connection and reload the page.".into(),
        ));
    });
}

fn connect(settings: Settings, page: Page) {
    page.form_error.set(None);
    let url = settings.broker_url.get_untracked();
    let Ok(u) = core_live::parse_ws_url(&url) else {
        page.form_error
            .set(Some("Fix the broker URL first.".into()));
        return;
    };
    if let (Some(blocked), _) = core_live::warnings(&u, page_is_https()) {
        page.apply(Input::Status(Status::Failed, blocked));
        return;
    }
    let options = match options(settings) {
        Ok(o) => o,
        Err(e) => {
            page.form_error.set(Some(e));
            return;
        }
    };
    page.apply(Input::Connect {
        protocol: options.protocol,
        round_trip_topic: format!("mqtt-lab/rtt/{}", options.client_id),
        watch_sys: settings.watch_sys.get_untracked(),
    });
    let seed = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64;
    live::start(&url, options, seed, page.handler());
}

#[component]
pub fn ConnectionForm(settings: Settings) -> impl IntoView {
    let s = settings;
    let url_error = Signal::derive(move || core_live::parse_ws_url(&s.broker_url.get()).err());
    let url_warnings = move || {
        core_live::parse_ws_url(&s.broker_url.get())
            .ok()
            .map(|u| core_live::warnings(&u, page_is_https()))
    };
    view! {
        <section class="inputs" aria-label="Connection">
            <TextField key="url" label="Broker WebSocket URL" text=s.broker_url error=url_error placeholder="ws://127.0.0.1:9001" />
            {move || url_warnings().map(|(blocked, w)| view! {
                <div class="warnings" role="alert">
                    {blocked.map(|b| view! { <p class="problem">{b}</p> })}
                    {w.into_iter().map(|t| view! { <p class="warning">{t}</p> }).collect_view()}
                </div>
            })}
            <Choice spec=&core_live::VERSION selected=s.version />
            <TextField key="client_id" label="Client id (empty: a random one)" text=s.client_id placeholder=s.fallback_id.get_value() />
            {text_box("live-user", "User name", None, Kind::Text, s.username)}
            {text_box("live-pass", "Password (never stored or put in the address)", None, Kind::Password, s.password)}
            <NumberField input=s.keepalive />
            {check_box("live-clean", "Clean start (off: keep the session for an hour)", None, s.clean_start)}
            <details class="overrides">
                <summary>"Last Will"</summary>
                {text_box("will-topic", "Will topic (empty: no Will)", None, Kind::Text, s.will_topic)}
                {text_box("will-payload", "Will payload", None, Kind::Text, s.will_payload)}
                {check_box("will-retain", "Retain the Will", None, s.will_retain)}
            </details>
        </section>
    }
}

/// Connect (not while connected or connecting), Disconnect and Drop: in
/// view when the settings are folded away.
#[component]
pub fn ConnectionActions(settings: Settings, page: Page) -> impl IntoView {
    let busy = move || {
        page.session
            .with(|s| matches!(s.status, Status::Connected | Status::Connecting))
    };
    view! {
        <p class="field-error">{move || page.form_error.get()}</p>
        // Beside the buttons: on a phone the status line is a screen further down.
        <p class="hint" aria-live="polite">{move || page.client_loading.get().then_some("Loading the MQTT client…")}</p>
        <div class="exercise-actions">
            <button type="button" disabled=busy on:click=move |_| act(settings, page, Action::Connect)>"Connect"</button>
            <button type="button" class="secondary" on:click=move |_| act(settings, page, Action::Disconnect)>"Disconnect"</button>
            <button type="button" class="secondary" on:click=move |_| act(settings, page, Action::Drop) disabled=move || !page.connected()>"Drop the connection (sends the Will)"</button>
        </div>
    }
}

#[component]
pub fn ConnectionResults(settings: Settings, page: Page) -> impl IntoView {
    let session = page.session;
    let failed = move || session.with(|s| s.status == Status::Failed);
    let status = move || session.with(|s| s.status.slug().to_string());
    let reason = move || session.with(|s| s.reason);
    let connect_ms = move || session.with(|s| s.connect_ms);
    let received = move || session.with(|s| s.received);
    // QoS at work across reconnects (issue 23): what this page sent again,
    // and copies that arrived again.
    let resent = move || session.with(|s| s.resent);
    let twice = move || session.with(|s| (s.arrived_twice, s.arrived_twice_qos1));
    let reason_link = move || {
        reason().map(|(code, table, packet)| {
            let v = if table == Protocol::V311 { "3" } else { "5" };
            view! { <a href=format!("?w=reason-codes&v={v}&code={}", code.0)>{code.describe(table, packet)}</a> }
        })
    };
    view! {
        <div>
            <Results stale=Signal::derive(|| false)>
                <ResultOutput label="Status" name="status" value=Signal::derive(status) text=Signal::derive(status) />
                <ResultOutput label="Reason code" name="reason-code"
                    value=Signal::derive(move || reason().map(|(c, _, _)| c.0.to_string()).unwrap_or_default())
                    text=Signal::derive(move || reason().map(|(c, _, _)| format!("{0} (0x{0:02X})", c.0)).unwrap_or_else(|| "—".into())) />
                <ResultOutput label="Connect time (WebSocket open to CONNACK)" name="connect-ms"
                    value=Signal::derive(move || connect_ms().map(|m| m.to_string()).unwrap_or_default())
                    text=Signal::derive(move || connect_ms().map(|m| format!("{m} ms")).unwrap_or_else(|| "—".into())) />
                <ResultOutput label="Messages received" name="messages-received" value=Signal::derive(move || received().to_string()) text=Signal::derive(move || number(received() as f64, 0)) />
                <ResultOutput label="Resent by this page (DUP 1, after a reconnect)" name="resent" value=Signal::derive(move || resent().to_string()) text=Signal::derive(move || number(resent() as f64, 0)) />
                <ResultOutput label="Arrived twice (QoS 1: shown again; QoS 2: recognised, shown once)" name="arrived-twice"
                    value=Signal::derive(move || twice().0.to_string())
                    text=Signal::derive(move || {
                        let (all, qos1) = twice();
                        if all == 0 { "0".to_string() } else { format!("{} ({} at QoS 1, {} at QoS 2)", number(all as f64, 0), number(qos1 as f64, 0), number((all - qos1) as f64, 0)) }
                    }) />
            </Results>
            <p class="status-text" class:failed=failed role="status">{move || session.with(|s| s.status_text.clone())}</p>
            // A connection that failed (first attempts are not retried): what to
            // do next, beside what went wrong.
            {move || failed().then(|| view! {
                <p class="failed-actions">
                    <a href="#local-broker" on:click=to_recipe>"Run a broker on your machine"</a>
                    <button type="button" on:click=move |_| act(settings, page, Action::Connect)>"Retry"</button>
                </p>
            })}
            <p>{reason_link}</p>
            {move || session.with(|s| s.broker_limits.clone()).map(|t| view! { <p class="broker-limits"><strong>"Broker's limits (CONNACK): "</strong>{t}</p> })}
            <ul class="feeds">
                {move || connect_ms().map(|m| view! { <li><a href=format!("?w=tls-timeout&device=desktop&rtt_ms={m}")>"Use " {m} " ms as the round trip in the TLS estimator"</a></li> })}
                {move || session.with(|s| s.sys_clients).map(|(n, retained)| view! {
                    <li>
                        "$SYS/broker/clients/connected: " {n}
                        {retained.then(|| view! { " " <Sourced text="(a retained value: the broker's last $SYS update, which may be from before you connected; mosquitto updates $SYS every sys_interval, 10 s by default [[mosquitto-sys-interval]])" /> })}
                        " — " <a href=format!("?w=capacity&devices={n}")>"plan capacity for this many clients"</a>
                    </li>
                })}
            </ul>
        </div>
    }
}
