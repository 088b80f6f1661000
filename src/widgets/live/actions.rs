//! Subscribe, publish and the round trip: the learner's actions on a
//! connected session. The subscriptions (their own filter and QoS, and the
//! list the session model keeps) sit beside the messages; the publish box,
//! with its own topic and QoS, under them (issue 21, as MQTTX Web has it).

use super::mqtt5::{PublishPropsForm, SubOptionsForm};
use super::{Page, Settings};
use crate::components::*;
use crate::live;
use leptos::prelude::*;
use mqtt_lab_core::live as core_live;
use mqtt_lab_core::live_session::Input;
use mqtt_lab_core::mqtt::client::Message;
use mqtt_lab_core::mqtt::{Properties, Protocol, Publish, QoS, Subscription};

/// Publishes; a message the learner sent is logged as sent (`log`), the
/// round trip's are not (their copies coming back are).
fn publish(page: Page, message: Message, log: bool) {
    let row = log.then(|| {
        Input::Published(Publish {
            topic: message.topic.clone(),
            payload: message.payload.clone(),
            qos: message.qos,
            retain: message.retain,
            ..Publish::default()
        })
    });
    let sent = live::publish(message);
    if let (Ok(_), Some(row)) = (&sent, row) {
        page.clock();
        page.apply(row);
    }
    page.publish_error.set(sent.err());
}

fn publish_form(s: Settings, page: Page) {
    let properties = if s.v5() {
        match s.publish_props.properties() {
            Ok(p) => p,
            Err(e) => {
                page.publish_error.set(Some(e));
                return;
            }
        }
    } else {
        Default::default()
    };
    let qos = QoS::from_u8(s.pub_qos.get_untracked().parse().unwrap_or(0)).unwrap_or_default();
    publish(
        page,
        Message {
            topic: s.pub_topic.get_untracked(),
            payload: s.payload.get_untracked().into_bytes(),
            qos,
            retain: s.retain.get_untracked(),
            properties,
        },
        true,
    );
}

fn subscribe_form(s: Settings, page: Page) {
    let o = s.sub_options;
    let v5 = s.v5();
    page.subscribe(Subscription {
        filter: s.topic.get_untracked(),
        qos: s.qos(),
        no_local: v5 && o.no_local.get_untracked(),
        retain_as_published: v5 && o.retain_as_published.get_untracked(),
        retain_handling: if v5 {
            o.retain_handling.get_untracked()
        } else {
            0
        },
    });
}

fn round_trip(s: Settings, page: Page) {
    let Ok(n) = s.round_trip_n.value() else {
        return;
    };
    let qos = QoS::from_u8(s.qos.get_untracked().parse().unwrap_or(1)).unwrap_or_default();
    page.clock();
    page.apply(Input::RoundTrip {
        n: n as u32,
        qos: qos.as_u8(),
    });
    let (topic, run) = page
        .session
        .with_untracked(|x| (x.round_trip_topic().to_string(), x.round_trip.run));
    page.subscribe(Subscription {
        filter: topic.clone(),
        qos,
        ..Subscription::default()
    });
    for i in 0..n as u32 {
        publish(
            page,
            Message {
                topic: topic.clone(),
                payload: core_live::round_trip_payload(run, i).into_bytes(),
                qos,
                retain: false,
                properties: Properties::default(),
            },
            false,
        );
    }
}

#[component]
fn SubscriptionList(settings: Settings, page: Page) -> impl IntoView {
    let protocol = move || {
        if settings.v5() {
            Protocol::V5
        } else {
            Protocol::V311
        }
    };
    let rows = move || {
        page.session.with(|x| {
            x.subscriptions
                .iter()
                .map(|row| {
                    let filter = row.sub.filter.clone();
                    let unsubscribe = filter.clone();
                    let asked = row.sub.qos.as_u8();
                    let granted = row.granted_text(protocol());
                    view! {
                        <li><code>{filter}</code> {row.options_text()} " — asked QoS " {asked} ", granted " {granted} " "
                            <button type="button" class="small secondary" on:click=move |_| {
                                page.action_error.set(live::unsubscribe(vec![unsubscribe.clone()]).err());
                                page.apply(Input::Unsubscribed(unsubscribe.clone()));
                            }>"Unsubscribe"</button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! { <ul class="subs">{rows}</ul> }
}

/// The subscriptions: a filter and QoS of their own, the session's list.
#[component]
pub fn Subscriptions(settings: Settings, page: Page) -> impl IntoView {
    let s = settings;
    let v5 = Signal::derive(move || s.v5());
    let disconnected = move || !page.connected();
    view! {
        <section aria-labelledby="live-subs-h" class="live-subs">
            <h2 id="live-subs-h">"Subscriptions"</h2>
            <TextField key="topic" label="Topic filter" text=s.topic />
            <Choice spec=&core_live::QOS selected=s.qos />
            <SubOptionsForm options=s.sub_options v5=v5 />
            <div class="exercise-actions">
                <button type="button" disabled=disconnected on:click=move |_| subscribe_form(s, page)>"Subscribe"</button>
            </div>
            <SubscriptionList settings=s page=page />
            {check_box("live-sys", "Watch $SYS/broker/clients/connected on connect", None, s.watch_sys)}
            <p class="field-error" role="alert">{move || page.action_error.get()}</p>
        </section>
    }
}

/// The publish box, under the messages: its own topic and QoS.
#[component]
pub fn PublishBox(settings: Settings, page: Page) -> impl IntoView {
    let s = settings;
    let v5 = Signal::derive(move || s.v5());
    let disconnected = move || !page.connected();
    view! {
        <section aria-label="Publish" class="live-publish">
            <div class="field-grid">
                {text_box("live-pub-topic", "Publish to topic", None, Kind::Text, s.pub_topic)}
                <Choice spec=&core_live::PUBLISH_QOS selected=s.pub_qos />
            </div>
            {text_box("live-payload", "Payload", None, Kind::Text, s.payload)}
            {check_box("live-retain", "Retain", None, s.retain)}
            <PublishPropsForm props=s.publish_props v5=v5 />
            <div class="exercise-actions">
                <button type="button" disabled=disconnected on:click=move |_| publish_form(s, page)>"Publish"</button>
            </div>
            <p class="field-error" role="alert">{move || page.publish_error.get()}</p>
        </section>
    }
}

/// Publishing to itself and counting what comes back, and how fast.
#[component]
pub fn RoundTripView(settings: Settings, page: Page) -> impl IntoView {
    let s = settings;
    let disconnected = move || !page.connected();
    view! {
        <section aria-labelledby="live-rtt-h" class="live-rtt">
            <h2 id="live-rtt-h">"Round trip"</h2>
            <NumberField input=s.round_trip_n />
            <div class="exercise-actions">
                <button type="button" disabled=disconnected on:click=move |_| round_trip(s, page)>"Publish to myself and count"</button>
            </div>
            <p class="rtt-result" role="status">{move || page.session.with(|x| {
                x.round_trip.summary().map(|t| match x.round_trip.latency_text() {
                    Some(l) => format!("{t} {l}"),
                    None => t,
                })
            })}</p>
        </section>
    }
}
