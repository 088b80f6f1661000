//! The browser side of the live broker: a WebSocket transport (subprotocol
//! `mqtt`, binary frames, [MQTT-6.0.0-1] to [MQTT-6.0.0-4]) and one timer
//! around the core's sans-I/O client, woken exactly when `poll_timeout`
//! says. Incoming bytes are queued and decoded in slices of about 8 ms, so a
//! flood of messages never freezes the page, and the page hears of them in
//! batches, at most ten a second. Reconnects use the backoff widget's core
//! policy; whether to reconnect at all follows the reason-code explorer
//! (core `reconnect`).
//! Callbacks never run while the runtime is borrowed, so a handler may call
//! back into this module.

use crate::yield_now::{now_ms as now_f64, Yielder, SLICE_MS};
use gloo_timers::callback::Timeout;
use mqtt_lab_core::backoff::{Jitter, Policy};
use mqtt_lab_core::format::number;
use mqtt_lab_core::mqtt::client::wire::WireEntry;
use mqtt_lab_core::mqtt::client::{Ended, Message};
use mqtt_lab_core::mqtt::{Client, Event, Options, Protocol, Subscription};
use mqtt_lab_core::reconnect::{self, Next};
use mqtt_lab_core::rng::Rng;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

/// Reconnect policy: 1 s doubling to 16 s with full jitter (backoff widget).
const RECONNECT: Policy = Policy {
    base_s: 1.0,
    factor: 2.0,
    cap_s: 16.0,
    jitter: Jitter::Full,
};

/// Bytes handed to the client at a time while draining the inbox.
const CHUNK: usize = 16 * 1024;

/// While messages stream in, the page hears of them at most once per this
/// many ms (a broker sends each packet in a WebSocket frame of its own, each
/// its own browser task): ten updates a second are as many as a person can
/// follow, and each costs a layout of the message log.
const DELIVER_MS: f64 = 100.0;

pub use mqtt_lab_core::live_session::Status;

/// What the runtime reports to the page.
#[derive(Debug, Clone)]
pub enum Notice {
    Status(Status, String),
    /// The client's events since the last batch, oldest first.
    Events(Vec<Event>),
}

pub type Handler = Rc<dyn Fn(Notice)>;

struct Socket {
    ws: WebSocket,
    /// The handshake completed (the open event came).
    opened: bool,
    // Kept alive as long as the socket can call them.
    _callbacks: Vec<Closure<dyn FnMut(JsValue)>>,
}

impl Socket {
    fn detach(&self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        self.ws.set_onerror(None);
    }
}

struct Runtime {
    url: String,
    client: Client,
    socket: Option<Socket>,
    timer: Option<(u64, Timeout)>,
    retry: Option<Timeout>,
    attempt: u32,
    previous_delay_s: f64,
    rng: Rng,
    /// No more reconnects: the learner disconnected, or retrying cannot help.
    stopped: bool,
    /// Why the last connection ended, for the reconnect message.
    ended: Option<String>,
    /// A CONNACK accepted this session's connection once: only then does a
    /// lost connection reconnect (core `reconnect::after_close`).
    connected_once: bool,
    /// When the CONNACK of the current connection came: the backoff starts
    /// over only after a connection stayed up (core `reconnect::next_attempt`).
    connected_at_ms: Option<u64>,
    /// Connections in a row that the broker closed without a CONNACK.
    without_connack: u32,
    /// The newest wire-log entry the page has been told of: pings change
    /// the log without any event, and the inspector must show them too.
    wire_told: u64,
    /// Frames as the browser delivered them, not yet copied into `inbox`.
    frames: Vec<JsValue>,
    inbox: VecDeque<Vec<u8>>,
    pumping: bool,
    batch: Vec<Event>,
    /// A delivery of `batch` waiting for [`DELIVER_MS`] to pass.
    flush: Option<Timeout>,
    last_delivery_ms: f64,
    handler: Handler,
}

thread_local! {
    static RUNTIME: RefCell<Option<Runtime>> = const { RefCell::new(None) };
    /// Which `start` the runtime came from: views of the wire log reset when it changes.
    static SESSION: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

fn now_ms() -> u64 {
    now_f64().max(0.0) as u64
}

/// Runs `f` on the runtime, then delivers the notices it produced after the
/// borrow ends; returns what `f` returned (the default without a runtime).
fn with_runtime<R: Default>(f: impl FnOnce(&mut Runtime, &mut Vec<Notice>) -> R) -> R {
    let (result, notices, handler) = RUNTIME.with(|cell| {
        let Ok(mut guard) = cell.try_borrow_mut() else {
            return (R::default(), Vec::new(), None);
        };
        match guard.as_mut() {
            Some(rt) => {
                let mut notices = Vec::new();
                let r = f(rt, &mut notices);
                (r, notices, Some(rt.handler.clone()))
            }
            None => (R::default(), Vec::new(), None),
        }
    });
    if let Some(h) = handler {
        for n in notices {
            h(n);
        }
    }
    result
}

impl Runtime {
    /// After anything the client did: send what it wants sent, act on its
    /// events, and arm the timer for its next deadline.
    fn after_io(&mut self, out: &mut Vec<Notice>) {
        while let Some(bytes) = self.client.poll_transmit() {
            if let Some(s) = &self.socket {
                if s.ws.ready_state() == WebSocket::OPEN {
                    let _ = s.ws.send_with_u8_array(&bytes);
                }
            }
        }
        while let Some(e) = self.client.poll_event() {
            match &e {
                Event::Connected { .. } => {
                    self.connected_once = true;
                    self.connected_at_ms = Some(now_ms());
                    self.without_connack = 0;
                    self.ended = None;
                    out.push(Notice::Status(Status::Connected, String::new()));
                }
                other => {
                    match reconnect::after_on(self.client.protocol(), !self.connected_once, other) {
                        Next::Continue => {}
                        Next::Retry(why) => self.ended = Some(why),
                        Next::Stop(why) => {
                            self.stopped = true;
                            self.retry = None;
                            out.push(Notice::Status(Status::Failed, why));
                        }
                    }
                }
            }
            self.batch.push(e);
        }
        if self.client.should_close() {
            self.close_socket();
        }
        self.arm_timer();
    }

    fn arm_timer(&mut self) {
        let due = self.client.poll_timeout();
        if self.timer.as_ref().map(|(d, _)| *d) == due {
            return;
        }
        self.timer = due.map(|d| {
            let wait = d.saturating_sub(now_ms()).min(u64::from(u32::MAX)) as u32;
            let t = Timeout::new(wait, || {
                with_runtime(|rt, out| {
                    rt.timer = None;
                    rt.client.handle_timeout(now_ms());
                    rt.after_io(out);
                    rt.deliver(out);
                })
            });
            (d, t)
        });
    }

    /// Hands the batch of events to the page, or, with no event, an empty
    /// batch when the wire log grew (a PINGREQ and its PINGRESP while idle).
    fn deliver(&mut self, out: &mut Vec<Notice>) {
        self.flush = None;
        let wire = self.client.wire().last_seq();
        if !self.batch.is_empty() || wire != self.wire_told {
            self.wire_told = wire;
            self.last_delivery_ms = now_f64();
            out.push(Notice::Events(std::mem::take(&mut self.batch)));
        }
    }

    /// Delivers the batch now if the last delivery is [`DELIVER_MS`] old,
    /// otherwise arms a timer for when it is (a timer alone could wait long
    /// behind a stream of WebSocket tasks).
    fn deliver_soon(&mut self, out: &mut Vec<Notice>) {
        if self.batch.is_empty() && self.client.wire().last_seq() == self.wire_told {
            return;
        }
        let wait = self.last_delivery_ms + DELIVER_MS - now_f64();
        if wait <= 0.0 {
            self.deliver(out);
        } else if self.flush.is_none() {
            self.flush = Some(Timeout::new(wait.ceil() as u32, || {
                with_runtime(|rt, out| rt.deliver(out))
            }));
        }
    }

    fn close_socket(&mut self) {
        if let Some(s) = &self.socket {
            let _ = s.ws.close();
        }
    }

    /// Decodes up to one chunk of queued bytes; whether more is queued.
    fn receive_chunk(&mut self, out: &mut Vec<Notice>) -> bool {
        for data in std::mem::take(&mut self.frames) {
            if data.is_instance_of::<js_sys::ArrayBuffer>() {
                self.inbox
                    .push_back(js_sys::Uint8Array::new(&data).to_vec());
            } else {
                self.refuse(
                    "the broker sent a text frame; MQTT travels in binary frames [MQTT-6.0.0-1]",
                    out,
                );
                self.inbox.clear();
                return false;
            }
        }
        let Some(mut bytes) = self.inbox.pop_front() else {
            return false;
        };
        // A broker sends each packet in a frame of its own: the frames queued
        // behind this one go to the client with it, up to a chunk, so that a
        // flood costs one receive per chunk, not per frame. Frame boundaries
        // mean nothing to MQTT [MQTT-6.0.0-2].
        while let Some(next) = self.inbox.front() {
            if bytes.len() + next.len() > CHUNK {
                break;
            }
            bytes.extend_from_slice(next);
            self.inbox.pop_front();
        }
        if bytes.len() > CHUNK {
            let rest = bytes.split_off(CHUNK);
            self.inbox.push_front(rest);
        }
        self.client.receive(&bytes, now_ms());
        self.after_io(out);
        if self.client.should_close() {
            // Nothing after the end of the connection is read.
            self.inbox.clear();
        }
        !self.inbox.is_empty()
    }

    fn open(&mut self, out: &mut Vec<Notice>) {
        let ws = match WebSocket::new_with_str(&self.url, "mqtt") {
            Ok(ws) => ws,
            Err(e) => {
                self.stopped = true;
                let why = e
                    .as_string()
                    .or_else(|| {
                        js_sys::Reflect::get(&e, &"message".into())
                            .ok()
                            .and_then(|m| m.as_string())
                    })
                    .unwrap_or_default();
                out.push(Notice::Status(
                    Status::Failed,
                    format!("The browser could not open this WebSocket: {why}"),
                ));
                return;
            }
        };
        ws.set_binary_type(BinaryType::Arraybuffer);
        let on_open = Closure::<dyn FnMut(JsValue)>::new(|_| {
            with_runtime(|rt, out| rt.opened(out));
        });
        // A broker sends each packet in a frame of its own, each its own
        // task: the frame is only queued here, and decoded with the others
        // that arrived meanwhile in the pump's next slice.
        let on_message = Closure::<dyn FnMut(JsValue)>::new(|ev: JsValue| {
            let data = ev.unchecked_into::<MessageEvent>().data();
            let start_pump = with_runtime(|rt, _| {
                rt.frames.push(data);
                !std::mem::replace(&mut rt.pumping, true)
            });
            if start_pump {
                wasm_bindgen_futures::spawn_local(pump());
            }
        });
        let on_close = Closure::<dyn FnMut(JsValue)>::new(|ev: JsValue| {
            let code = ev.dyn_ref::<CloseEvent>().map_or(0, |c| c.code());
            with_runtime(|rt, out| rt.closed(code, out));
        });
        let on_error = Closure::<dyn FnMut(JsValue)>::new(|_| {
            // The browser hides the reason on purpose; a close event follows.
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        ws.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        if let Some(old) = self.socket.take() {
            old.detach();
        }
        self.socket = Some(Socket {
            ws,
            opened: false,
            _callbacks: vec![on_open, on_message, on_close, on_error],
        });
        let status = if self.attempt == 0 {
            Status::Connecting
        } else {
            Status::Reconnecting
        };
        out.push(Notice::Status(status, format!("Opening {}…", self.url)));
    }

    /// Ends this connection for good with a message (a rule the broker broke
    /// at the WebSocket level).
    fn refuse(&mut self, why: &str, out: &mut Vec<Notice>) {
        self.client.note(now_ms(), why.to_string());
        self.stopped = true;
        self.close_socket();
        out.push(Notice::Status(Status::Failed, format!("Closed: {why}.")));
    }

    fn opened(&mut self, out: &mut Vec<Notice>) {
        let Some(s) = &mut self.socket else { return };
        s.opened = true;
        let chosen = s.ws.protocol();
        // The broker must answer with the subprotocol "mqtt" ([MQTT-6.0.0-4]).
        if chosen != "mqtt" {
            let got = if chosen.is_empty() {
                "none".to_string()
            } else {
                format!("“{chosen}”")
            };
            return self.refuse(
                &format!("the WebSocket server chose the subprotocol {got}, not “mqtt” [MQTT-6.0.0-4]: it is not an MQTT endpoint"),
                out,
            );
        }
        self.client
            .note(now_ms(), "WebSocket open, subprotocol mqtt");
        if let Err(e) = self.client.connect(now_ms()) {
            self.stopped = true;
            self.close_socket();
            out.push(Notice::Status(
                Status::Failed,
                format!("CONNECT not sent: {e}"),
            ));
            return;
        }
        self.after_io(out);
    }

    fn closed(&mut self, ws_code: u16, out: &mut Vec<Notice>) {
        let was_open = self.socket.as_ref().is_some_and(|s| s.opened);
        if let Some(s) = self.socket.take() {
            s.detach();
        }
        // The frames that came before the close are read before it is acted
        // on (they wait for the pump's next slice): a broker closes right
        // after a refusing CONNACK, whose code must not be lost (issue 23).
        let mut before = Vec::new();
        if !self.client.should_close() {
            for data in std::mem::take(&mut self.frames) {
                if data.is_instance_of::<js_sys::ArrayBuffer>() {
                    self.inbox
                        .push_back(js_sys::Uint8Array::new(&data).to_vec());
                }
            }
            for bytes in &self.inbox {
                before.extend_from_slice(bytes);
            }
        }
        self.frames.clear();
        self.inbox.clear();
        let ended =
            self.client
                .transport_closed(&before, now_ms(), &format!("WebSocket code {ws_code}"));
        self.timer = None;
        self.after_io(out);
        self.timer = None;
        self.deliver(out);
        let connected_for = self
            .connected_at_ms
            .take()
            .map(|t| now_ms().saturating_sub(t));
        if ended == Ended::WithoutConnack {
            self.without_connack += 1;
        }
        if self.stopped {
            return;
        }
        let why = self.ended.take().unwrap_or_else(|| {
            reconnect::close_words(
                self.client.protocol(),
                ended,
                ws_code,
                was_open,
                !self.connected_once,
            )
        });
        let why = match reconnect::after_close(
            self.connected_once,
            self.without_connack,
            ended,
            &self.url,
            why,
        ) {
            Next::Stop(text) => {
                self.stopped = true;
                out.push(Notice::Status(Status::Failed, text));
                return;
            }
            Next::Retry(why) => why,
            // after_close retries or stops; it never lets a closed connection be.
            Next::Continue => return,
        };
        let attempt = reconnect::next_attempt(self.attempt, connected_for);
        if attempt < self.attempt {
            // The connection had stayed up: the backoff starts over.
            self.previous_delay_s = RECONNECT.base_s;
        }
        self.attempt = attempt;
        let delay = RECONNECT.delay_s(self.attempt, self.previous_delay_s, &mut self.rng);
        self.previous_delay_s = delay.max(RECONNECT.base_s);
        self.retry = Some(Timeout::new((delay * 1000.0) as u32, || {
            with_runtime(|rt, out| rt.open(out))
        }));
        out.push(Notice::Status(
            Status::Reconnecting,
            format!(
                "{why} Retrying in {} s (attempt {}, full jitter up to {} s).",
                number(delay, 1),
                self.attempt,
                number(RECONNECT.ceiling_s(self.attempt), 1)
            ),
        ));
    }
}

/// Decodes queued bytes for a slice of about [`SLICE_MS`] and hands the
/// events to the page (at most every [`DELIVER_MS`]); whether bytes are left.
fn slice() -> bool {
    let start = now_f64();
    let more = loop {
        let more = with_runtime(|rt, out| rt.receive_chunk(out));
        if !more || now_f64() - start >= SLICE_MS {
            break more;
        }
    };
    with_runtime(|rt, out| {
        rt.deliver_soon(out);
        rt.pumping = more;
        more
    })
}

/// Decodes the frames that came, a slice per task, yielding to the browser
/// before each (so the first slice finds the frames already queued too).
async fn pump() {
    let yielder = Yielder::new();
    loop {
        yielder.yield_now().await;
        if !slice() {
            return;
        }
    }
}

/// Connects (replacing any previous connection).
pub fn start(url: &str, options: Options, seed: u64, handler: Handler) {
    stop();
    SESSION.with(|s| s.set(s.get() + 1));
    RUNTIME.with(|cell| {
        if let Ok(mut guard) = cell.try_borrow_mut() {
            *guard = Some(Runtime {
                url: url.to_string(),
                client: Client::new(options),
                socket: None,
                timer: None,
                retry: None,
                attempt: 0,
                previous_delay_s: RECONNECT.base_s,
                rng: Rng::new(seed),
                stopped: false,
                ended: None,
                connected_once: false,
                connected_at_ms: None,
                without_connack: 0,
                wire_told: 0,
                frames: Vec::new(),
                inbox: VecDeque::new(),
                pumping: false,
                batch: Vec::new(),
                flush: None,
                last_delivery_ms: f64::NEG_INFINITY,
                handler,
            });
        }
    });
    with_runtime(|rt, out| rt.open(out));
}

/// A clean disconnect (DISCONNECT sent: the broker discards the Will).
pub fn stop() {
    with_runtime(|rt, out| {
        rt.stopped = true;
        rt.retry = None;
        rt.timer = None;
        rt.client.disconnect(now_ms());
        rt.after_io(out);
        // Detached first: this socket's close event must not reach a later runtime.
        if let Some(s) = rt.socket.take() {
            s.detach();
            let _ = s.ws.close();
        }
        rt.client
            .connection_lost(now_ms(), "disconnected by the learner");
        rt.deliver(out);
        out.push(Notice::Status(Status::Disconnected, String::new()));
    });
}

/// Closes the socket without DISCONNECT, as a lost connection would: the
/// broker publishes the Will, and the client reconnects with backoff.
pub fn drop_connection() {
    with_runtime(|rt, _| rt.close_socket());
}

fn act<T: Default>(
    f: impl FnOnce(&mut Client, u64) -> Result<T, mqtt_lab_core::mqtt::EncodeError>,
) -> Result<T, String> {
    with_runtime(|rt, out| {
        let r = f(&mut rt.client, now_ms()).map_err(|e| e.to_string());
        rt.after_io(out);
        rt.deliver(out);
        Some(r)
    })
    .unwrap_or_else(|| Err("not connected".into()))
}

pub fn publish(m: Message) -> Result<(), String> {
    act(|c, now| c.publish(m, now))
}

pub fn subscribe(filters: Vec<Subscription>) -> Result<u16, String> {
    act(|c, now| c.subscribe(filters, now))
}

pub fn unsubscribe(filters: Vec<String>) -> Result<u16, String> {
    act(|c, now| c.unsubscribe(filters, now))
}

/// A view of the wire log: the session it belongs to, the entries after
/// `seq`, and how many entries the log dropped to stay bounded.
pub struct WireUpdate {
    pub session: u64,
    pub protocol: Protocol,
    pub entries: Vec<WireEntry>,
    pub dropped: u64,
}

pub fn wire_since(seq: u64) -> Option<WireUpdate> {
    let session = SESSION.with(|s| s.get());
    with_runtime(|rt, _| {
        let w = rt.client.wire();
        Some(WireUpdate {
            session,
            protocol: rt.client.protocol(),
            entries: w.since(seq).cloned().collect(),
            dropped: w.dropped(),
        })
    })
}

/// One entry of the wire log, while the log still holds it.
pub fn wire_entry(seq: u64) -> Option<WireEntry> {
    with_runtime(|rt, _| {
        rt.client
            .wire()
            .entries()
            .iter()
            .find(|e| e.seq == seq)
            .cloned()
    })
}

/// The session so far as an MQTT Lab session file (JSON).
pub fn export() -> Option<String> {
    with_runtime(|rt, _| {
        let entries: Vec<WireEntry> = rt.client.wire().entries().iter().cloned().collect();
        Some(mqtt_lab_core::inspect::export(
            rt.client.protocol(),
            &entries,
        ))
    })
}
