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
use mqtt_lab_core::live as core_live;
use mqtt_lab_core::live_session::{Effect, Input, LiveSession, Status};
use mqtt_lab_core::mqtt::{QoS, Subscription};
use std::rc::Rc;

mod actions;
mod connection;
mod inspector;
mod log;
mod mqtt5;
mod topics;
mod trickle;
use actions::SubscribePublish;
use connection::{ConnectionForm, ConnectionResults};
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
    topic: RwSignal<String>,
    qos: RwSignal<&'static str>,
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
            topic: url.text("topic", "mqtt-lab/demo", |t| {
                if t.trim().is_empty() {
                    Err("enter a topic".into())
                } else {
                    Ok(())
                }
            }),
            qos: url.choice(&core_live::QOS),
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
    action_error: RwSignal<Option<String>>,
    /// The runtime's callback into this page (set once the page exists).
    handler: StoredValue<Option<Handler>, LocalStorage>,
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

    fn subscribe(self, sub: Subscription) {
        let sent = live::subscribe(vec![sub.clone()]);
        self.action_error.set(sent.as_ref().err().cloned());
        self.apply(Input::Subscribing(sub, sent));
    }

    fn connected(self) -> bool {
        self.session.with(|s| s.status == Status::Connected)
    }
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
        handler: StoredValue::new_local(None),
    };
    // The runtime's notices go to the model; the inspector looks at the wire
    // log after each.
    let handler: Handler = Rc::new(move |n: Notice| {
        page.apply(match n {
            Notice::Status(s, text) => Input::Status(s, text),
            Notice::Events(batch) => Input::Events(batch),
        });
        page.wire_tick.update(|t| *t += 1);
    });
    page.handler.set_value(Some(handler));
    view! {
        <p class="intro">
            "Connect this page to a real broker (your own, a classroom one, or mosquitto on your laptop) over MQTT-over-WebSocket, and watch reason codes, QoS, retained messages, the Will and reconnection happen."
        </p>
        <div class="widget-grid">
            <ConnectionForm settings=settings page=page />
            <ConnectionResults settings=settings page=page />
        </div>
        <SubscribePublish settings=settings page=page />
        <MessageLogView log=page.log />
        <TopicsView session=session />
        <LiveInspector tick=page.wire_tick />
        <Optional part=Part::Explain><Prose html=content::live::EXPLAIN /></Optional>
        <Optional part=Part::Link><Prose html=with_parameters(content::live::LINK, [
            Param::Text("url", ""), Param::Choice(&core_live::VERSION), Param::Text("client_id", ""),
            Param::Text("topic", ""), Param::Choice(&core_live::QOS),
        ]) /></Optional>
    }
}
