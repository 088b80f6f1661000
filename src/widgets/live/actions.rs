//! Subscribe, publish and the round trip: the learner's actions on a
//! connected session, and the subscriptions as the session model lists them.

use super::mqtt5::{PublishPropsForm, SubOptionsForm};
use super::{Page, Settings};
use crate::components::*;
use crate::live;
use leptos::prelude::*;
use mqtt_lab_core::live as core_live;
use mqtt_lab_core::live_session::Input;
use mqtt_lab_core::mqtt::client::Message;
use mqtt_lab_core::mqtt::{Properties, Protocol, QoS, Subscription};

fn publish(
    page: Page,
    topic: String,
    payload: Vec<u8>,
    qos: QoS,
    retain: bool,
    properties: Properties,
) {
    let sent = live::publish(Message {
        topic,
        payload,
        qos,
        retain,
        properties,
    });
    page.action_error.set(sent.err());
}

fn publish_form(s: Settings, page: Page) {
    let properties = if s.v5() {
        match s.publish_props.properties() {
            Ok(p) => p,
            Err(e) => {
                page.action_error.set(Some(e));
                return;
            }
        }
    } else {
        Default::default()
    };
    publish(
        page,
        s.topic.get_untracked(),
        s.payload.get_untracked().into_bytes(),
        s.qos(),
        s.retain.get_untracked(),
        properties,
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
            topic.clone(),
            core_live::round_trip_payload(run, i).into_bytes(),
            qos,
            false,
            Default::default(),
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

#[component]
pub fn SubscribePublish(settings: Settings, page: Page) -> impl IntoView {
    let s = settings;
    let v5 = Signal::derive(move || s.v5());
    let disconnected = move || !page.connected();
    view! {
        <section aria-label="Subscribe and publish" class="live-actions">
            <h2>"Subscribe and publish"</h2>
            <TextField key="topic" label="Topic" text=s.topic />
            <Choice spec=&core_live::QOS selected=s.qos />
            {check_box("live-sys", "Watch $SYS/broker/clients/connected on connect", None, s.watch_sys)}
            <SubOptionsForm options=s.sub_options v5=v5 />
            <div class="exercise-actions">
                <button type="button" disabled=disconnected on:click=move |_| subscribe_form(s, page)>"Subscribe"</button>
            </div>
            <SubscriptionList settings=s page=page />
            <p class="field-error" role="alert">{move || page.action_error.get()}</p>
            {text_box("live-payload", "Payload", None, Kind::Text, s.payload)}
            {check_box("live-retain", "Retain", None, s.retain)}
            <PublishPropsForm props=s.publish_props v5=v5 />
            <div class="exercise-actions">
                <button type="button" disabled=disconnected on:click=move |_| publish_form(s, page)>"Publish"</button>
            </div>
            <h2>"Round trip"</h2>
            <NumberField input=s.round_trip_n />
            <div class="exercise-actions">
                <button type="button" disabled=disconnected on:click=move |_| round_trip(s, page)>"Publish to myself and count"</button>
            </div>
            <p class="rtt-result" role="status">{move || page.session.with(|x| x.round_trip.summary())}</p>
        </section>
    }
}
