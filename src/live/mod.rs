//! The browser side of the live broker: a WebSocket transport (subprotocol
//! `mqtt`, binary frames) and timers around the core's sans-I/O client.
//! Reconnects use the backoff widget's core policy. Callbacks never run while
//! the runtime is borrowed, so a handler may call back into this module.

use gloo_timers::callback::{Interval, Timeout};
use mqtt_lab_core::backoff::{Jitter, Policy};
use mqtt_lab_core::mqtt::{Client, Event, Options};
use mqtt_lab_core::reason_codes::{self as rc, Retry, Version};
use mqtt_lab_core::rng::Rng;
use std::cell::RefCell;
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Disconnected,
    Connecting,
    Connected,
    Reconnecting,
    Failed,
}

impl Status {
    pub fn slug(self) -> &'static str {
        match self {
            Status::Disconnected => "disconnected",
            Status::Connecting => "connecting",
            Status::Connected => "connected",
            Status::Reconnecting => "reconnecting",
            Status::Failed => "failed",
        }
    }
}

/// What the runtime reports to the page.
#[derive(Debug, Clone)]
pub enum Notice {
    Status(Status, String),
    Mqtt(Event),
}

type Handler = Rc<dyn Fn(Notice)>;

struct Socket {
    ws: WebSocket,
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
    protocol: Version,
    client: Client,
    socket: Option<Socket>,
    ticker: Option<Interval>,
    retry: Option<Timeout>,
    attempt: u32,
    previous_delay_s: f64,
    rng: Rng,
    stopped: bool,
    /// Stopped because the broker refused us in a way retrying cannot fix.
    failed: bool,
    handler: Handler,
}

thread_local! {
    static RUNTIME: RefCell<Option<Runtime>> = const { RefCell::new(None) };
}

fn now_ms() -> u64 {
    crate::yield_now::now_ms().max(0.0) as u64
}

/// Runs `f` on the runtime, then delivers the notices it produced, after the borrow ends.
fn with_runtime(f: impl FnOnce(&mut Runtime) -> Vec<Notice>) {
    let (notices, handler) = RUNTIME.with(|cell| {
        let Ok(mut guard) = cell.try_borrow_mut() else {
            return (Vec::new(), None);
        };
        match guard.as_mut() {
            Some(rt) => (f(rt), Some(rt.handler.clone())),
            None => (Vec::new(), None),
        }
    });
    if let Some(h) = handler {
        for n in notices {
            h(n);
        }
    }
}

impl Runtime {
    fn flush(&mut self) {
        while let Some(bytes) = self.client.poll_transmit() {
            if let Some(s) = &self.socket {
                if s.ws.ready_state() == WebSocket::OPEN {
                    let _ = s.ws.send_with_u8_array(&bytes);
                }
            }
        }
    }

    /// Turns the client's events into notices, closing the socket when the
    /// connection is over.
    fn drain(&mut self) -> Vec<Notice> {
        let mut out = Vec::new();
        while let Some(e) = self.client.poll_event() {
            match &e {
                Event::Connected { .. } => {
                    self.attempt = 0;
                    self.previous_delay_s = RECONNECT.base_s;
                    out.push(Notice::Status(Status::Connected, String::new()));
                }
                Event::Refused { code } => {
                    let retry =
                        rc::find(self.protocol, *code).map_or(Retry::WithBackoff, |c| c.retry);
                    if retry == Retry::No {
                        self.stopped = true;
                        self.failed = true;
                        out.push(Notice::Status(Status::Failed, format!("The broker refused the connection ({}): retrying cannot help until that is fixed.", describe(self.protocol, *code))));
                    }
                    self.close_socket();
                }
                Event::KeepaliveTimeout
                | Event::ProtocolError(_)
                | Event::ServerDisconnect { .. } => self.close_socket(),
                _ => {}
            }
            out.push(Notice::Mqtt(e));
        }
        self.flush();
        out
    }

    fn close_socket(&mut self) {
        if let Some(s) = &self.socket {
            let _ = s.ws.close();
        }
    }

    fn open(&mut self) -> Vec<Notice> {
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
                return vec![Notice::Status(
                    Status::Failed,
                    format!("The browser could not open this WebSocket: {why}"),
                )];
            }
        };
        ws.set_binary_type(BinaryType::Arraybuffer);
        let on_open = Closure::<dyn FnMut(JsValue)>::new(|_| {
            with_runtime(|rt| {
                rt.client.connect(now_ms());
                rt.flush();
                Vec::new()
            })
        });
        let on_message = Closure::<dyn FnMut(JsValue)>::new(|ev: JsValue| {
            let Some(data) = ev.dyn_ref::<MessageEvent>().map(|m| m.data()) else {
                return;
            };
            if data.is_instance_of::<js_sys::ArrayBuffer>() {
                let bytes = js_sys::Uint8Array::new(&data).to_vec();
                with_runtime(|rt| {
                    rt.client.receive(&bytes, now_ms());
                    rt.drain()
                });
            } else {
                with_runtime(|rt| {
                    rt.close_socket();
                    vec![Notice::Mqtt(Event::ProtocolError(
                        "the broker sent a text frame; MQTT over WebSocket uses binary frames"
                            .into(),
                    ))]
                });
            }
        });
        let on_close = Closure::<dyn FnMut(JsValue)>::new(|ev: JsValue| {
            let code = ev.dyn_ref::<CloseEvent>().map_or(0, |c| c.code());
            with_runtime(|rt| rt.closed(code));
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
            _callbacks: vec![on_open, on_message, on_close, on_error],
        });
        let status = if self.attempt == 0 {
            Status::Connecting
        } else {
            Status::Reconnecting
        };
        vec![Notice::Status(status, format!("Opening {}…", self.url))]
    }

    fn closed(&mut self, ws_code: u16) -> Vec<Notice> {
        let was_connected = self.client.is_connected();
        self.client.connection_lost();
        if let Some(s) = self.socket.take() {
            s.detach();
        }
        if self.failed {
            // The refusal already said why; the closing socket changes nothing.
            return Vec::new();
        }
        if self.stopped {
            return vec![Notice::Status(Status::Disconnected, String::new())];
        }
        self.attempt += 1;
        let delay = RECONNECT.delay_s(self.attempt, self.previous_delay_s, &mut self.rng);
        self.previous_delay_s = delay.max(RECONNECT.base_s);
        self.retry = Some(Timeout::new((delay * 1000.0) as u32, || {
            with_runtime(Runtime::open)
        }));
        let why = if was_connected {
            "The connection was lost".to_string()
        } else if ws_code == 1006 {
            "The connection could not be made (refused, wrong port or path, no WebSocket listener, or a TLS error)".to_string()
        } else {
            format!("The connection closed (WebSocket code {ws_code})")
        };
        vec![Notice::Status(
            Status::Reconnecting,
            format!(
                "{why}; retrying in {:.1} s (attempt {}, full jitter up to {} s).",
                delay,
                self.attempt,
                RECONNECT.ceiling_s(self.attempt)
            ),
        )]
    }
}

fn describe(v: Version, code: u8) -> String {
    match rc::find(v, code) {
        Some(c) => format!("{} {}", code, c.name()),
        None => code.to_string(),
    }
}

/// Connects (replacing any previous connection).
pub fn start(url: &str, protocol: Version, options: Options, seed: u64, handler: Handler) {
    stop();
    RUNTIME.with(|cell| {
        if let Ok(mut guard) = cell.try_borrow_mut() {
            *guard = Some(Runtime {
                url: url.to_string(),
                protocol,
                client: Client::new(options),
                socket: None,
                ticker: None,
                retry: None,
                attempt: 0,
                previous_delay_s: RECONNECT.base_s,
                rng: Rng::new(seed),
                stopped: false,
                failed: false,
                handler,
            });
        }
    });
    with_runtime(|rt| {
        rt.ticker = Some(Interval::new(1000, || {
            with_runtime(|rt| {
                rt.client.tick(now_ms());
                rt.drain()
            })
        }));
        rt.open()
    });
}

/// A clean disconnect (DISCONNECT sent: the broker discards the Will).
pub fn stop() {
    with_runtime(|rt| {
        rt.stopped = true;
        rt.retry = None;
        rt.ticker = None;
        if rt.client.is_connected() {
            rt.client.disconnect(now_ms());
            rt.flush();
        }
        // Detached first: this socket's close event must not reach a later runtime.
        if let Some(s) = rt.socket.take() {
            s.detach();
            let _ = s.ws.close();
        }
        vec![Notice::Status(Status::Disconnected, String::new())]
    });
}

/// Closes the socket without DISCONNECT, as a lost connection would: the
/// broker publishes the Will, and the client reconnects with backoff.
pub fn drop_connection() {
    with_runtime(|rt| {
        rt.close_socket();
        Vec::new()
    });
}

pub fn publish(topic: &str, payload: &[u8], qos: u8, retain: bool) {
    with_runtime(|rt| {
        rt.client.publish(topic, payload, qos, retain, now_ms());
        rt.drain()
    });
}

pub fn subscribe(filter: &str, qos: u8) -> Option<u16> {
    let mut id = None;
    with_runtime(|rt| {
        id = Some(rt.client.subscribe(filter, qos, now_ms()));
        rt.drain()
    });
    id
}

pub fn unsubscribe(filter: &str) {
    with_runtime(|rt| {
        rt.client.unsubscribe(filter, now_ms());
        rt.drain()
    });
}
