//! `?w=live`: a real broker over MQTT-over-WebSocket, feeding the calculators.

use crate::components::*;
use crate::live::{self, Notice, Status};
use crate::url_state::use_url;
use leptos::prelude::*;
use mqtt_lab_core::format::number;
use mqtt_lab_core::live as core_live;
use mqtt_lab_core::mqtt::client::Message;
use mqtt_lab_core::mqtt::packet::{describe_code, PacketType};
use mqtt_lab_core::mqtt::{Event, LastWill, Options, Protocol, QoS, Subscription};
use std::rc::Rc;

mod inspector;
mod log;
mod mqtt5;
mod topics;
mod trickle;
use inspector::LiveInspector;
use log::{LogEntry, MessageLog, MessageLogView};
use mqtt5::{PublishProps, PublishPropsForm, SubOptions, SubOptionsForm};
use mqtt_lab_core::topic_tree::TopicTree;
use topics::TopicsView;

#[derive(Clone, PartialEq)]
struct SubscriptionRow {
    /// What was asked (filter, QoS and the MQTT 5 options), renewed on reconnect.
    sub: Subscription,
    packet_id: Option<u16>,
    granted: Option<u8>,
}

/// The round-trip test: messages published to ourselves and seen back.
#[derive(Clone, PartialEq, Default)]
struct RoundTrip {
    run: u32,
    sent: u32,
    qos: u8,
    /// seen[i]: message i came back at least once.
    seen: Vec<bool>,
    received: u32,
    duplicates: u32,
}

fn check_url(t: &str) -> Result<(), String> {
    core_live::parse_ws_url(t).map(|_| ())
}
fn check_client_id(t: &str) -> Result<(), String> {
    if t.chars().count() > 128 {
        Err("keep client ids short (at most 128 characters)".into())
    } else {
        Ok(())
    }
}
fn random_id() -> String {
    format!(
        "mqtt-lab-{:06x}",
        (js_sys::Math::random() * 16_777_215.0) as u32
    )
}

#[component]
pub fn Live() -> impl IntoView {
    let url = use_url();
    let broker_url = url.text("url", "ws://127.0.0.1:9001", check_url);
    let version = url.choice(&core_live::VERSION);
    // Empty unless chosen: a random id used when empty stays out of the URL, so
    // two people opening the same link do not take over each other's session.
    let client_id = url.text("client_id", "", check_client_id);
    let fallback_id = StoredValue::new(random_id());
    let effective_id = move || {
        let id = client_id.get_untracked();
        if id.trim().is_empty() {
            fallback_id.get_value()
        } else {
            id.trim().to_string()
        }
    };
    let topic = url.text("topic", "mqtt-lab/demo", |t| {
        if t.trim().is_empty() {
            Err("enter a topic".into())
        } else {
            Ok(())
        }
    });
    let qos = url.choice(&core_live::QOS);
    // Never in the URL, the history or storage.
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let keepalive = NumberInput::local(&core_live::KEEPALIVE);
    let round_trip_n = NumberInput::local(&core_live::ROUND_TRIP);
    let clean_start = RwSignal::new(true);
    let will_topic = RwSignal::new(String::new());
    let will_payload = RwSignal::new("offline".to_string());
    let will_retain = RwSignal::new(false);
    let payload = RwSignal::new("{\"moisture\": 45}".to_string());
    let retain = RwSignal::new(false);
    let watch_sys = RwSignal::new(true);

    let status = RwSignal::new(Status::Disconnected);
    let status_text = RwSignal::new(String::new());
    // The last CONNACK or DISCONNECT code, with the table it belongs to.
    let reason = RwSignal::new(None::<(u8, Protocol, PacketType)>);
    let connect_ms = RwSignal::new(None::<u64>);
    // What the broker announced in its CONNACK.
    let broker_limits = RwSignal::new(None::<String>);
    let received = RwSignal::new(0u64);
    let log = MessageLog::new();
    let subs = RwSignal::new(Vec::<SubscriptionRow>::new());
    let sys_clients = RwSignal::new(None::<u64>);
    let rtt = RwSignal::new(RoundTrip::default());
    let form_error = RwSignal::new(None::<String>);
    let action_error = RwSignal::new(None::<String>);

    let url_error = Signal::derive(move || core_live::parse_ws_url(&broker_url.get()).err());
    let page_https = window().location().protocol().is_ok_and(|p| p == "https:");
    let url_warnings = Signal::derive(move || {
        core_live::parse_ws_url(&broker_url.get())
            .ok()
            .map(|u| core_live::warnings(&u, page_https))
    });
    let protocol = move || {
        if version.get_untracked() == "3" {
            Protocol::V311
        } else {
            Protocol::V5
        }
    };
    let rtt_topic = move || format!("mqtt-lab/rtt/{}", effective_id());
    let qos_of = |q: u8| QoS::from_u8(q).unwrap_or_default();

    let sub_options = SubOptions::new();
    let publish_props = PublishProps::new();
    let tree = RwSignal::new(TopicTree::default());
    let v5 = Signal::derive(move || version.get() != "3");
    let subscribe_with = move |sub: Subscription| {
        let result = live::subscribe(vec![sub.clone()]);
        action_error.set(result.as_ref().err().cloned());
        subs.update(|s| {
            s.retain(|x| x.sub.filter != sub.filter);
            s.push(SubscriptionRow {
                sub,
                packet_id: result.ok(),
                granted: None,
            });
        });
    };
    let subscribe_to = move |filter: String, q: u8| {
        subscribe_with(Subscription {
            filter,
            qos: qos_of(q),
            ..Subscription::default()
        })
    };

    // Events come in batches (one per slice of decoding): counters, the log
    // and the round trip are updated once per batch, not once per message.
    let on_events = move |batch: Vec<Event>| {
        let mut messages = Vec::new();
        for e in batch {
            match e {
                Event::Connected {
                    elapsed_ms,
                    session_present,
                    assigned_client_id,
                    lost_in_flight,
                    limits,
                } => {
                    connect_ms.set(Some(elapsed_ms));
                    broker_limits.set(Some(core_live::limits_text(protocol(), &limits)));
                    reason.set(Some((0, protocol(), PacketType::Connack)));
                    let mut text = if session_present {
                        "Connected; the broker kept your session.".to_string()
                    } else {
                        "Connected.".to_string()
                    };
                    if let Some(id) = assigned_client_id {
                        text.push_str(&format!(" The broker assigned the client id “{id}”."));
                    }
                    if lost_in_flight > 0 {
                        text.push_str(&format!(" The broker had no session: {lost_in_flight} QoS 1/2 messages in flight were lost."));
                    }
                    status_text.set(text);
                    // Subscriptions belong to the session: renew them on every connect.
                    for s in subs.get_untracked() {
                        subscribe_with(s.sub);
                    }
                    if watch_sys.get_untracked() {
                        subscribe_to("$SYS/broker/clients/connected".into(), 0);
                    }
                }
                Event::Refused {
                    code,
                    protocol: table,
                    ..
                } => reason.set(Some((code, table, PacketType::Connack))),
                Event::ServerDisconnect { code, .. } => {
                    reason.set(Some((code, protocol(), PacketType::Disconnect)))
                }
                Event::Subscribed {
                    packet_id, codes, ..
                } => subs.update(|s| {
                    if let Some(x) = s.iter_mut().find(|x| x.packet_id == Some(packet_id)) {
                        x.granted = codes.first().copied();
                    }
                }),
                Event::Message(p) => messages.push(p),
                Event::Ignored(why) => status_text.set(format!("Set aside: {why}.")),
                Event::Unsubscribed { .. }
                | Event::Delivered { .. }
                | Event::Timeout(_)
                | Event::ProtocolError(_) => {}
            }
        }
        if messages.is_empty() {
            return;
        }
        let first = received.get_untracked() + 1;
        received.update(|n| *n += messages.len() as u64);
        let rtt_topic = rtt_topic();
        let mut rows = Vec::with_capacity(messages.len().min(log::LOG_MAX));
        let skip = messages.len().saturating_sub(log::LOG_MAX);
        tree.update(|t| {
            for m in &messages {
                t.add(&m.topic, m.retain);
            }
        });
        rtt.update(|r| {
            for (i, m) in messages.iter().enumerate() {
                if m.topic == "$SYS/broker/clients/connected" {
                    sys_clients.set(
                        std::str::from_utf8(&m.payload)
                            .ok()
                            .and_then(|t| t.trim().parse().ok()),
                    );
                }
                if m.topic == rtt_topic {
                    if let Some(i) = core_live::round_trip_index(&m.payload, r.run) {
                        match r.seen.get_mut(i) {
                            Some(seen) if *seen => r.duplicates += 1,
                            Some(seen) => {
                                *seen = true;
                                r.received += 1;
                            }
                            None => {}
                        }
                    }
                }
                if i >= skip {
                    rows.push(LogEntry::new(first + i as u64, m));
                }
            }
        });
        if skip > 0 {
            log.trickle.count(skip as u64);
        }
        log.add(rows);
    };

    // The packet inspector looks at the wire log after every notice.
    let wire_tick = RwSignal::new(0u64);
    let handler: Rc<dyn Fn(Notice)> = Rc::new(move |n: Notice| {
        match n {
            Notice::Status(s, text) => {
                status.set(s);
                status_text.set(text);
            }
            Notice::Events(batch) => on_events(batch),
        }
        wire_tick.update(|t| *t += 1);
    });
    let handler = StoredValue::new_local(handler);

    let options = move || -> Result<Options, String> {
        let keepalive_s = keepalive
            .value()
            .map_err(|_| "Fix the keepalive first.".to_string())?;
        let will = (!will_topic.get_untracked().trim().is_empty()).then(|| LastWill {
            topic: will_topic.get_untracked().trim().to_string(),
            payload: will_payload.get_untracked().into_bytes(),
            qos: qos_of(qos.get_untracked().parse().unwrap_or(0)),
            retain: will_retain.get_untracked(),
            ..LastWill::default()
        });
        let o = Options {
            protocol: protocol(),
            client_id: effective_id(),
            clean_start: clean_start.get_untracked(),
            keep_alive_s: keepalive_s as u16,
            username: Some(username.get_untracked()).filter(|u| !u.is_empty()),
            password: Some(password.get_untracked().into_bytes()).filter(|p| !p.is_empty()),
            will,
            session_expiry_s: if clean_start.get_untracked() { 0 } else { 3600 },
            ..Options::default()
        };
        // The codec's own check: e.g. 3.1.1 allows no password without a user name.
        mqtt_lab_core::mqtt::Client::check(&o)
            .map_err(|e| format!("This CONNECT would break a rule: {e}."))?;
        Ok(o)
    };

    let connect = move |_| {
        form_error.set(None);
        let Ok(u) = core_live::parse_ws_url(&broker_url.get_untracked()) else {
            form_error.set(Some("Fix the broker URL first.".into()));
            return;
        };
        if let (Some(blocked), _) = core_live::warnings(&u, page_https) {
            status.set(Status::Failed);
            status_text.set(blocked);
            return;
        }
        let options = match options() {
            Ok(o) => o,
            Err(e) => {
                form_error.set(Some(e));
                return;
            }
        };
        reason.set(None);
        connect_ms.set(None);
        broker_limits.set(None);
        let seed = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64;
        handler.with_value(|h| live::start(&broker_url.get_untracked(), options, seed, h.clone()));
    };

    let publish = move |topic: String, payload: Vec<u8>, q: u8, retain: bool, properties| {
        let r = live::publish(Message {
            topic,
            payload,
            qos: qos_of(q),
            retain,
            properties,
        });
        action_error.set(r.err());
    };
    let publish_form = move |_| {
        let properties = if v5.get_untracked() {
            match publish_props.properties() {
                Ok(p) => p,
                Err(e) => {
                    action_error.set(Some(e));
                    return;
                }
            }
        } else {
            Default::default()
        };
        publish(
            topic.get_untracked(),
            payload.get_untracked().into_bytes(),
            qos.get_untracked().parse().unwrap_or(0),
            retain.get_untracked(),
            properties,
        );
    };
    let subscribe_form = move |_| {
        let o = sub_options;
        let v5 = v5.get_untracked();
        subscribe_with(Subscription {
            filter: topic.get_untracked(),
            qos: qos_of(qos.get_untracked().parse().unwrap_or(0)),
            no_local: v5 && o.no_local.get_untracked(),
            retain_as_published: v5 && o.retain_as_published.get_untracked(),
            retain_handling: if v5 {
                o.retain_handling.get_untracked()
            } else {
                0
            },
        })
    };

    let run_round_trip = move |_| {
        let Ok(n) = round_trip_n.value() else { return };
        let q: u8 = qos.get_untracked().parse().unwrap_or(1);
        let run = rtt.get_untracked().run + 1;
        rtt.set(RoundTrip {
            run,
            sent: n as u32,
            qos: q,
            seen: vec![false; n as usize],
            received: 0,
            duplicates: 0,
        });
        let t = rtt_topic();
        subscribe_to(t.clone(), q);
        for i in 0..n as u32 {
            publish(
                t.clone(),
                core_live::round_trip_payload(run, i).into_bytes(),
                q,
                false,
                Default::default(),
            );
        }
    };

    let connected = move || status.get() == Status::Connected;
    let reason_link = move || {
        reason.get().map(|(code, table, packet)| {
            let v = if table == Protocol::V311 { "3" } else { "5" };
            view! { <a href=format!("?w=reason-codes&v={v}&code={code}")>{describe_code(table, packet, code)}</a> }
        })
    };
    let sub_rows = move || {
        subs.get()
            .into_iter()
            .map(|s| {
                let filter = s.sub.filter.clone();
                let asked = s.sub.qos.as_u8();
                let mut options = Vec::new();
                if s.sub.no_local {
                    options.push("No Local".to_string());
                }
                if s.sub.retain_as_published {
                    options.push("Retain As Published".to_string());
                }
                if s.sub.retain_handling > 0 {
                    options.push(format!("Retain Handling {}", s.sub.retain_handling));
                }
                let options = if options.is_empty() { String::new() } else { format!(" ({})", options.join(", ")) };
                let granted = match s.granted {
                    None if s.packet_id.is_none() => "not sent".to_string(),
                    None => "waiting for SUBACK".to_string(),
                    Some(c) if c >= 0x80 => format!("refused ({})", describe_code(protocol(), PacketType::Suback, c)),
                    Some(g) if g < asked => format!("QoS {g}: downgraded from {asked}"),
                    Some(g) => format!("QoS {g}"),
                };
                view! {
                    <li><code>{filter.clone()}</code> {options} " — asked QoS " {asked} ", granted " {granted} " "
                        <button type="button" class="small secondary" on:click=move |_| {
                            action_error.set(live::unsubscribe(vec![filter.clone()]).err());
                            let f = filter.clone();
                            subs.update(|x| x.retain(|y| y.sub.filter != f));
                        }>"Unsubscribe"</button>
                    </li>
                }
            })
            .collect_view()
    };
    let rtt_result = move || {
        rtt.with(|r| {
            (r.run > 0).then(|| {
                format!(
                    "Round trip {}: {} of {} delivered at QoS {}, {} duplicates. The QoS simulator predicts 100 % with no connection drops.",
                    r.run, r.received, r.sent, r.qos, r.duplicates
                )
            })
        })
    };

    view! {
        <p class="intro">
            "Connect this page to a real broker (your own, a classroom one, or mosquitto on your laptop) over MQTT-over-WebSocket, and watch reason codes, QoS, retained messages, the Will and reconnection happen."
        </p>
        <div class="widget-grid">
            <section class="inputs" aria-label="Connection">
                <TextField key="url" label="Broker WebSocket URL" text=broker_url error=url_error placeholder="ws://127.0.0.1:9001" />
                {move || url_warnings.get().map(|(blocked, w)| view! {
                    <div class="warnings" role="alert">
                        {blocked.map(|b| view! { <p class="problem">{b}</p> })}
                        {w.into_iter().map(|t| view! { <p class="warning">{t}</p> }).collect_view()}
                    </div>
                })}
                <Choice spec=&core_live::VERSION selected=version />
                <TextField key="client_id" label="Client id (empty: a random one)" text=client_id placeholder=fallback_id.get_value() />
                {text_box("live-user", "User name", None, Kind::Text, username)}
                {text_box("live-pass", "Password (never stored or put in the address)", None, Kind::Password, password)}
                <NumberField input=keepalive />
                {check_box("live-clean", "Clean start (off: keep the session for an hour)", None, clean_start)}
                <details class="overrides">
                    <summary>"Last Will"</summary>
                    {text_box("will-topic", "Will topic (empty: no Will)", None, Kind::Text, will_topic)}
                    {text_box("will-payload", "Will payload", None, Kind::Text, will_payload)}
                    {check_box("will-retain", "Retain the Will", None, will_retain)}
                </details>
                <p class="field-error">{move || form_error.get()}</p>
                <div class="exercise-actions">
                    <button type="button" on:click=connect>"Connect"</button>
                    <button type="button" class="secondary" on:click=move |_| live::stop()>"Disconnect"</button>
                    <button type="button" class="secondary" on:click=move |_| live::drop_connection() disabled=move || !connected()>"Drop the connection (sends the Will)"</button>
                </div>
            </section>
            <div>
                <Results stale=Signal::derive(|| false)>
                    <ResultOutput label="Status" name="status" value=Signal::derive(move || status.get().slug().to_string()) text=Signal::derive(move || status.get().slug().to_string()) />
                    <ResultOutput label="Reason code" name="reason-code"
                        value=Signal::derive(move || reason.get().map(|(c, _, _)| c.to_string()).unwrap_or_default())
                        text=Signal::derive(move || reason.get().map(|(c, _, _)| format!("{c} (0x{c:02X})")).unwrap_or_else(|| "—".into())) />
                    <ResultOutput label="Connect time (WebSocket open to CONNACK)" name="connect-ms"
                        value=Signal::derive(move || connect_ms.get().map(|m| m.to_string()).unwrap_or_default())
                        text=Signal::derive(move || connect_ms.get().map(|m| format!("{m} ms")).unwrap_or_else(|| "—".into())) />
                    <ResultOutput label="Messages received" name="messages-received" value=Signal::derive(move || received.get().to_string()) text=Signal::derive(move || number(received.get() as f64, 0)) />
                </Results>
                <p class="status-text" role="status">{move || status_text.get()}</p>
                <p>{reason_link}</p>
                {move || broker_limits.get().map(|t| view! { <p class="broker-limits"><strong>"Broker's limits (CONNACK): "</strong>{t}</p> })}
                <ul class="feeds">
                    {move || connect_ms.get().map(|m| view! { <li><a href=format!("?w=tls-timeout&device=desktop&rtt_ms={m}")>"Use " {m} " ms as the round trip in the TLS estimator"</a></li> })}
                    {move || sys_clients.get().map(|n| view! { <li>"$SYS/broker/clients/connected: " {n} " — " <a href=format!("?w=capacity&devices={n}")>"plan capacity for this many clients"</a></li> })}
                </ul>
            </div>
        </div>
        <section aria-label="Subscribe and publish" class="live-actions">
            <h2>"Subscribe and publish"</h2>
            <TextField key="topic" label="Topic" text=topic />
            <Choice spec=&core_live::QOS selected=qos />
            {check_box("live-sys", "Watch $SYS/broker/clients/connected on connect", None, watch_sys)}
            <SubOptionsForm options=sub_options v5=v5 />
            <div class="exercise-actions">
                <button type="button" disabled=move || !connected() on:click=subscribe_form>"Subscribe"</button>
            </div>
            <ul class="subs">{sub_rows}</ul>
            <p class="field-error" role="alert">{move || action_error.get()}</p>
            {text_box("live-payload", "Payload", None, Kind::Text, payload)}
            {check_box("live-retain", "Retain", None, retain)}
            <PublishPropsForm props=publish_props v5=v5 />
            <div class="exercise-actions">
                <button type="button" disabled=move || !connected() on:click=publish_form>"Publish"</button>
            </div>
            <h2>"Round trip"</h2>
            <NumberField input=round_trip_n />
            <div class="exercise-actions">
                <button type="button" disabled=move || !connected() on:click=run_round_trip>"Publish to myself and count"</button>
            </div>
            <p class="rtt-result" role="status">{rtt_result}</p>
        </section>
        <MessageLogView log=log />
        <TopicsView tree=tree />
        <LiveInspector tick=wire_tick />
        <Prose html=EXPLAIN />
    }
}

const EXPLAIN: &str = r#"<section class="explain"><h2>How it works</h2>
<p>The page speaks MQTT itself: a sans-I/O MQTT 3.1.1 and 5.0 client in the core crate turns your actions into packets and the broker's bytes into events, over a WebSocket with the subprotocol <code>mqtt</code>. Keepalive pings go out exactly when the keepalive is due (the client tells the page when to wake it); a lost connection is retried with full-jitter exponential backoff from 1 s up to 16 s (the backoff widget's code). A refusal that retrying cannot fix (bad credentials, not authorised, banned) stops the retries. Incoming packets larger than 256 KiB, or malformed ones, end the connection with a message instead of breaking the page; payloads are always shown as text, never as markup.</p>
<h2>A broker on your machine</h2>
<p>With mosquitto 2.0 (Debian 12 and Ubuntu 22.04 ship 2.0.11, whose quirks this recipe covers [[mosquitto-websockets-alone]]), save this as <code>mqtt-lab.conf</code>, run <code>mosquitto -c mqtt-lab.conf -v</code>, and connect to <code>ws://127.0.0.1:9001</code>:</p>
<pre tabindex="0" style="overflow-x:auto"><code># mqtt-lab.conf: a broker for trying MQTT Lab on this machine
# MQTT over TCP, from this machine only
listener 1883 127.0.0.1
# MQTT over WebSocket for the page: ws://127.0.0.1:9001
listener 9001 127.0.0.1
protocol websockets
# No user names or passwords: for your own machine only
allow_anonymous true
</code></pre>
<p>All three parts are needed. From 2.0, once a listener is defined, mosquitto refuses every client without a password file unless <code>allow_anonymous true</code> is set (they get 135, Not authorized) [[mosquitto-anonymous-default]]; and 2.0.11 will not start with WebSocket listeners alone (“Unable to start any listening sockets”), so the TCP listener on 1883 is needed too [[mosquitto-websockets-alone]]. What it opens: port 1883 to this machine only, and port 9001, which mosquitto 2.0.11 opens on every network interface despite the 127.0.0.1 [[mosquitto-websockets-bind]]. Anyone who can reach your machine can use the broker without a password while it runs: stop it when you are done, or block 9001 in your firewall. If 1883 is taken by a broker running as a service, stop that one or put another port in the first listener line.</p>
<h2>Link to this state</h2>
<p>Parameters: <code>url</code>, <code>v</code> (3 or 5), <code>client_id</code>, <code>topic</code>, <code>qos</code>. Credentials never go in the address, and connecting always takes a click.</p>
</section>"#;
