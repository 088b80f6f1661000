//! `?w=live`: a real broker over MQTT-over-WebSocket, feeding the calculators.
//!
//! What the page shows about the connection is core's `LiveSession`,
//! changed only by its `apply` (tested natively in
//! crates/core/src/live_session.rs). This module wires it to the transport
//! (src/live) and to its parts: the connection form and results
//! (connection.rs), subscribe, publish and the round trip (actions.rs), the
//! message log, the topic tree and the packet inspector.

use crate::components::*;
use crate::live::{self, Handler, Notice};
use crate::url_state::use_url;
use leptos::prelude::*;
use mqtt_lab_core::claims::content::{escape, fill};
use mqtt_lab_core::live as core_live;
use mqtt_lab_core::live_session::{Effect, Input, LiveSession, Status};
use mqtt_lab_core::mqtt::{QoS, Subscription};
use mqtt_lab_core::target::Target;
use std::rc::Rc;

mod actions;
mod connection;
mod inspector;
mod log;
mod mqtt5;
mod topics;
mod trickle;
use actions::{PublishBox, RoundTripView, Subscriptions};
use connection::{ConnectionActions, ConnectionForm, ConnectionResults};
use inspector::LiveInspector;
use log::{MessageLog, MessageLogView};
use mqtt5::{PublishProps, SubOptions};
use topics::TopicsView;

/// What the learner set: in the URL where it may be shared, local otherwise
/// (credentials never leave the page).
#[derive(Clone, Copy)]
struct Settings {
    broker_url: RwSignal<String>,
    version: RwSignal<&'static str>,
    /// Empty unless chosen: a random id used when empty stays out of the URL,
    /// so two people opening the same link do not take over each other's session.
    client_id: RwSignal<String>,
    fallback_id: StoredValue<String>,
    username: RwSignal<String>,
    password: RwSignal<String>,
    keepalive: NumberInput,
    clean_start: RwSignal<bool>,
    will_topic: RwSignal<String>,
    will_payload: RwSignal<String>,
    will_retain: RwSignal<bool>,
    /// The subscription's filter and QoS (in the address).
    topic: RwSignal<String>,
    qos: RwSignal<&'static str>,
    /// The publish box's own topic and QoS, starting at the subscription's.
    pub_topic: RwSignal<String>,
    pub_qos: RwSignal<&'static str>,
    payload: RwSignal<String>,
    retain: RwSignal<bool>,
    watch_sys: RwSignal<bool>,
    round_trip_n: NumberInput,
    sub_options: SubOptions,
    publish_props: PublishProps,
}

impl Settings {
    fn new() -> Self {
        let url = use_url();
        let topic = url.text("topic", "mqtt-lab/demo", |t| {
            if t.trim().is_empty() {
                Err("enter a topic".into())
            } else {
                Ok(())
            }
        });
        let qos = url.choice(&core_live::QOS);
        Self {
            broker_url: url.text("url", "ws://127.0.0.1:9001", |t| {
                core_live::parse_ws_url(t).map(|_| ())
            }),
            version: url.choice(&core_live::VERSION),
            client_id: url.text("client_id", "", |t| {
                if t.chars().count() > 128 {
                    Err("keep client ids short (at most 128 characters)".into())
                } else {
                    Ok(())
                }
            }),
            fallback_id: StoredValue::new(format!(
                "mqtt-lab-{:06x}",
                (js_sys::Math::random() * 16_777_215.0) as u32
            )),
            username: RwSignal::new(String::new()),
            password: RwSignal::new(String::new()),
            keepalive: NumberInput::local(&core_live::KEEPALIVE),
            clean_start: RwSignal::new(true),
            will_topic: RwSignal::new(String::new()),
            will_payload: RwSignal::new("offline".to_string()),
            will_retain: RwSignal::new(false),
            topic,
            qos,
            pub_topic: RwSignal::new(topic.get_untracked()),
            pub_qos: RwSignal::new(qos.get_untracked()),
            payload: RwSignal::new("{\"moisture\": 45}".to_string()),
            retain: RwSignal::new(false),
            watch_sys: RwSignal::new(true),
            round_trip_n: NumberInput::local(&core_live::ROUND_TRIP),
            sub_options: SubOptions::new(),
            publish_props: PublishProps::new(),
        }
    }

    fn client_id(self) -> String {
        let id = self.client_id.get_untracked();
        if id.trim().is_empty() {
            self.fallback_id.get_value()
        } else {
            id.trim().to_string()
        }
    }

    fn v5(self) -> bool {
        self.version.get() != "3"
    }

    fn qos(self) -> QoS {
        QoS::from_u8(self.qos.get_untracked().parse().unwrap_or(0)).unwrap_or_default()
    }
}

/// The page's state: the session model, the log it feeds, and the errors of
/// the learner's last actions.
#[derive(Clone, Copy)]
struct Page {
    session: RwSignal<LiveSession>,
    log: MessageLog,
    /// Changes whenever the runtime may have logged packets (the inspector).
    wire_tick: RwSignal<u64>,
    form_error: RwSignal<Option<String>>,
    /// Why the last subscribe or unsubscribe, and the last publish (from the
    /// publish box or the round trip), could not be sent: each shown beside
    /// its own form.
    action_error: RwSignal<Option<String>>,
    publish_error: RwSignal<Option<String>>,
    /// A connection button was pressed and the MQTT client has not come yet
    /// (split bundle).
    client_loading: RwSignal<bool>,
}

impl Page {
    /// Applies one input to the model and carries out what it asks.
    fn apply(self, input: Input) {
        let effects = self
            .session
            .try_update(|s| s.apply(input))
            .unwrap_or_default();
        for e in effects {
            match e {
                Effect::Subscribe(sub) => self.subscribe(sub),
                Effect::Log { rows, dropped } => {
                    if dropped > 0 {
                        self.log.trickle.count(dropped);
                    }
                    self.log.add(rows);
                }
            }
        }
    }

    /// Stamps what comes next with the page's clock. Nothing on the page
    /// shows the clock itself, so no view is told of it (a flood sends a
    /// notice per receive).
    fn clock(self) {
        self.session
            .update_untracked(|s| drop(s.apply(Input::Clock(js_sys::Date::now()))));
    }

    fn subscribe(self, sub: Subscription) {
        let sent = live::subscribe(vec![sub.clone()]);
        self.action_error.set(sent.as_ref().err().cloned());
        self.apply(Input::Subscribing(sub, sent));
    }

    /// The runtime's callback into this page: its notices go to the model;
    /// the inspector looks at the wire log after each.
    fn handler(self) -> Handler {
        Rc::new(move |n: Notice| {
            self.clock();
            self.apply(match n {
                Notice::Status(s, text) => Input::Status(s, text),
                Notice::Events(batch) => Input::Events(batch),
            });
            self.wire_tick.update(|t| *t += 1);
        })
    }

    fn connected(self) -> bool {
        self.session.with(|s| s.status == Status::Connected)
    }
}

/// The explanation, with the broker recipe the snippet suite runs where
/// `content/live.md` says `{{local-broker}}`.
fn local_broker_recipe() -> String {
    let conf = core_live::snippets::local_broker(&Target::display());
    fill(
        content::live::EXPLAIN,
        &[("local-broker", &escape(conf.trim_end()))],
    )
}

#[component]
pub fn Live() -> impl IntoView {
    let settings = Settings::new();
    let session = RwSignal::new(LiveSession::default());
    let page = Page {
        session,
        log: MessageLog::new(),
        wire_tick: RwSignal::new(0),
        form_error: RwSignal::new(None),
        action_error: RwSignal::new(None),
        publish_error: RwSignal::new(None),
        client_loading: RwSignal::new(false),
    };
    let settings_open = RwSignal::new(true);
    leptos::prelude::Effect::new(move |before: Option<Status>| {
        let now = session.with(|s| s.status);
        if before != Some(now) {
            match now {
                Status::Connected => settings_open.set(false),
                Status::Disconnected | Status::Failed => settings_open.set(true),
                Status::Connecting | Status::Reconnecting => {}
            }
        }
        now
    });
    view! {
        <Intro html=content::live::INTRO />
        // The settings fold away once connected (and open again when the
        // connection ends); subscriptions beside the conversation, the
        // publish box under it (issue 21).
        <div class="widget-grid">
            <div>
                <details class="live-settings" prop:open=move || settings_open.get()
                    on:toggle=move |ev: web_sys::Event| settings_open.set(
                        ev.target()
                            .and_then(|t| js_sys::Reflect::get(&t, &"open".into()).ok())
                            .is_some_and(|v| v.is_truthy()),
                    )>
                    <summary>"Connection settings"</summary>
                    <ConnectionForm settings=settings />
                </details>
                <ConnectionActions settings=settings page=page />
            </div>
            <ConnectionResults settings=settings page=page />
        </div>
        {below_later(settings, page)}
    }
}

crate::split_off! {
    "split-live", live_below, chunk below_chunk, later below_later;
    /// What the page shows below the connection: subscriptions, messages, the
    /// publish box, the round trip, the topic tree, the inspector and the notes. A
    /// chunk of its own in the split bundle (issue 24), so that the connection
    /// form is usable first.
    fn below(settings: Settings, page: Page) -> AnyView {
        let session = page.session;
        view! {
            <div class="live-main">
                <Subscriptions settings=settings page=page />
                <section aria-labelledby="live-messages-h" class="live-conversation">
                    <MessageLogView log=page.log />
                    <PublishBox settings=settings page=page />
                </section>
            </div>
            <RoundTripView settings=settings page=page />
            <TopicsView session=session />
            <LiveInspector tick=page.wire_tick />
            <Optional part=Part::Explain><Prose html=local_broker_recipe() /></Optional>
            <Optional part=Part::Link><Prose html=with_parameters(content::live::LINK, [
                Param::Text("url", ""), Param::Choice(&core_live::VERSION), Param::Text("client_id", ""),
                Param::Text("topic", ""), Param::Choice(&core_live::QOS),
            ]) /></Optional>
        }
        .into_any()
    }
}
