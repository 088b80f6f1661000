//! The core's MQTT codec behind a line protocol, for the differential test
//! against MQTT.js's mqtt-packet (tests/diff/). One JSON request per line
//! on stdin, one JSON answer per line on stdout:
//!
//! - `{"op":"decode","v":5,"hex":"4002..."}`: `packet::decode` of exactly
//!   these bytes: `{"packet":{...},"hex":"<our re-encoding>"}` or `{"error":{...}}`.
//! - `{"op":"encode","v":5,"packet":{...}}`: `{"hex":"..."}` or `{"error":{...}}`.
//! - `{"op":"stream","v":5,"hex":"...","cuts":[3,9]}`: the streaming
//!   `Decoder` over the bytes, fed in the pieces the cut offsets make (no size
//!   limit below the protocol's): `{"packets":[...],
//!   "end":"clean"|"incomplete"|"error","error":{...}}`.
//!
//! Packets are in the harness's neutral form, named as mqtt-packet names
//! them (`cmd`, `messageId`, `granted`, `properties.userProperties`...),
//! binary fields as lower-case hex, user properties as `[name, value]` pairs
//! in wire order, subscription identifiers as a list.
//!
//! Build: `cargo build --release -p mqtt-lab-core --example codec_json`.

use mqtt_lab_core::mqtt::coding::hex;
use mqtt_lab_core::mqtt::decoder::Decoder;
use mqtt_lab_core::mqtt::{
    decode, Ack, Connack, Connect, DecodeError, Disconnect, LastWill, Packet, Properties, Protocol,
    Publish, QoS, ReasonCode, Suback, Subscribe, Subscription, Unsuback, Unsubscribe,
};
use serde_json::{json, Map, Value};
use std::io::{BufRead, Write};

fn main() {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let answer = match serde_json::from_str::<Value>(&line) {
            Ok(req) => answer(&req).unwrap_or_else(|why| json!({ "bad_request": why })),
            Err(e) => json!({ "bad_request": e.to_string() }),
        };
        // The harness waits for every answer before it sends more.
        if writeln!(out, "{answer}")
            .and_then(|()| out.flush())
            .is_err()
        {
            break;
        }
    }
}

fn answer(req: &Value) -> Result<Value, String> {
    let p = match req["v"].as_u64() {
        Some(4) => Protocol::V311,
        Some(5) => Protocol::V5,
        other => return Err(format!("v must be 4 or 5, not {other:?}")),
    };
    Ok(match req["op"].as_str() {
        Some("decode") => {
            let bytes = unhex(str_of(&req["hex"])?)?;
            match decode(p, &bytes, None) {
                Ok(packet) => {
                    // A CONNECT re-encodes in the version it names.
                    let again = packet.encode(p).map(|b| hex(&b));
                    json!({
                        "packet": to_json(&packet),
                        "hex": again.as_ref().ok(),
                        "encode_error": again.err().map(|e| e.to_string()),
                    })
                }
                Err(e) => json!({ "error": error(&e) }),
            }
        }
        Some("encode") => match from_json(&req["packet"], p)?.encode(p) {
            Ok(b) => json!({ "hex": hex(&b) }),
            Err(e) => json!({ "error": { "what": e.what, "rule": e.rule } }),
        },
        Some("stream") => {
            let bytes = unhex(str_of(&req["hex"])?)?;
            let mut cuts: Vec<usize> = match req["cuts"].as_array() {
                Some(c) => c.iter().map(|c| num(c, "cut")).collect::<Result<_, _>>()?,
                None => Vec::new(),
            };
            cuts.push(bytes.len());
            let mut d = Decoder::new(p, mqtt_lab_core::mqtt::coding::VARINT_MAX + 5);
            let mut packets = Vec::new();
            let mut end = json!({ "end": "clean" });
            let mut at = 0;
            'pieces: for cut in cuts {
                let mut input = bytes.get(at..cut).ok_or("cuts out of order")?;
                at = cut;
                while let Some(next) = d.next_packet(&mut input) {
                    match next {
                        Ok(x) => packets.push(to_json(&x.packet)),
                        Err(f) => {
                            end = json!({ "end": "error", "error": error(&f.error) });
                            break 'pieces;
                        }
                    }
                }
            }
            if end["end"] == "clean" && d.buffered() > 0 {
                end = json!({ "end": "incomplete", "buffered": d.buffered() });
            }
            end["packets"] = Value::Array(packets);
            end
        }
        other => return Err(format!("unknown op {other:?}")),
    })
}

fn error(e: &DecodeError) -> Value {
    json!({
        "offset": e.offset,
        "kind": format!("{:?}", e.kind),
        "rule": e.rule,
        "what": e.what,
    })
}

fn unhex(s: &str) -> Result<Vec<u8>, String> {
    if !s.len().is_multiple_of(2) {
        return Err("odd hex length".into());
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|e| e.to_string()))
        .collect()
}

fn str_of(v: &Value) -> Result<&str, String> {
    v.as_str()
        .ok_or_else(|| format!("expected a string, got {v}"))
}

fn num<T: TryFrom<u64>>(v: &Value, what: &str) -> Result<T, String> {
    v.as_u64()
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| format!("{what}: expected a number in range, got {v}"))
}

fn qos(v: &Value) -> Result<QoS, String> {
    QoS::from_u8(num(v, "qos")?).ok_or_else(|| format!("qos {v}"))
}

fn codes(v: &Value) -> Result<Vec<ReasonCode>, String> {
    v.as_array()
        .ok_or("expected a list of codes")?
        .iter()
        .map(|c| num(c, "code").map(ReasonCode))
        .collect()
}

fn strings(v: &Value) -> Result<Vec<String>, String> {
    v.as_array()
        .ok_or("expected a list of strings")?
        .iter()
        .map(|s| str_of(s).map(str::to_string))
        .collect()
}

/// A value of a single-valued property, to and from its JSON form.
trait Prop: Sized {
    fn to(&self) -> Value;
    fn from(v: &Value) -> Result<Self, String>;
}

macro_rules! number_prop {
    ($($t:ty),*) => {$(
        impl Prop for $t {
            fn to(&self) -> Value {
                json!(self)
            }
            fn from(v: &Value) -> Result<Self, String> {
                num(v, "property")
            }
        }
    )*};
}
number_prop!(u8, u16, u32);

impl Prop for String {
    fn to(&self) -> Value {
        json!(self)
    }
    fn from(v: &Value) -> Result<Self, String> {
        str_of(v).map(str::to_string)
    }
}

impl Prop for Vec<u8> {
    fn to(&self) -> Value {
        json!(hex(self))
    }
    fn from(v: &Value) -> Result<Self, String> {
        unhex(str_of(v)?)
    }
}

macro_rules! properties_json {
    ($($field:ident => $name:literal),* $(,)?) => {
        fn props_to(p: &Properties) -> Value {
            let mut m = Map::new();
            $( if let Some(v) = &p.$field { m.insert($name.into(), v.to()); } )*
            if !p.user_properties.is_empty() {
                m.insert("userProperties".into(), json!(p.user_properties));
            }
            if !p.subscription_identifiers.is_empty() {
                m.insert("subscriptionIdentifier".into(), json!(p.subscription_identifiers));
            }
            Value::Object(m)
        }

        fn props_from(v: &Value) -> Result<Properties, String> {
            let mut p = Properties::default();
            let Some(m) = v.as_object() else { return Ok(p) };
            for (k, v) in m {
                match k.as_str() {
                    $( $name => p.$field = Some(Prop::from(v)?), )*
                    "userProperties" => {
                        for pair in v.as_array().ok_or("userProperties: a list of pairs")? {
                            p.user_properties.push((
                                str_of(&pair[0])?.to_string(),
                                str_of(&pair[1])?.to_string(),
                            ));
                        }
                    }
                    "subscriptionIdentifier" => {
                        for id in v.as_array().ok_or("subscriptionIdentifier: a list")? {
                            p.subscription_identifiers.push(num(id, "subscription identifier")?);
                        }
                    }
                    other => return Err(format!("unknown property {other}")),
                }
            }
            Ok(p)
        }
    };
}

properties_json! {
    payload_format_indicator => "payloadFormatIndicator",
    message_expiry_interval => "messageExpiryInterval",
    content_type => "contentType",
    response_topic => "responseTopic",
    correlation_data => "correlationData",
    session_expiry_interval => "sessionExpiryInterval",
    assigned_client_identifier => "assignedClientIdentifier",
    server_keep_alive => "serverKeepAlive",
    authentication_method => "authenticationMethod",
    authentication_data => "authenticationData",
    request_problem_information => "requestProblemInformation",
    will_delay_interval => "willDelayInterval",
    request_response_information => "requestResponseInformation",
    response_information => "responseInformation",
    server_reference => "serverReference",
    reason_string => "reasonString",
    receive_maximum => "receiveMaximum",
    topic_alias_maximum => "topicAliasMaximum",
    topic_alias => "topicAlias",
    maximum_qos => "maximumQoS",
    retain_available => "retainAvailable",
    maximum_packet_size => "maximumPacketSize",
    wildcard_subscription_available => "wildcardSubscriptionAvailable",
    subscription_identifier_available => "subscriptionIdentifiersAvailable",
    shared_subscription_available => "sharedSubscriptionAvailable",
}

fn to_json(packet: &Packet) -> Value {
    let ack = |cmd: &str, a: &Ack| {
        json!({ "cmd": cmd, "messageId": a.packet_id, "reasonCode": a.code,
                "properties": props_to(&a.properties) })
    };
    let disconnect = |cmd: &str, d: &Disconnect| json!({ "cmd": cmd, "reasonCode": d.code, "properties": props_to(&d.properties) });
    match packet {
        Packet::Connect(c) => json!({
            "cmd": "connect",
            "protocolVersion": c.protocol.level(),
            "clean": c.clean_start,
            "keepalive": c.keep_alive_s,
            "properties": props_to(&c.properties),
            "clientId": c.client_id,
            "will": c.will.as_ref().map(|w| json!({
                "topic": w.topic,
                "payload": hex(&w.payload),
                "qos": w.qos.as_u8(),
                "retain": w.retain,
                "properties": props_to(&w.properties),
            })),
            "username": c.username,
            "password": c.password.as_deref().map(hex),
        }),
        Packet::Connack(c) => json!({
            "cmd": "connack",
            "sessionPresent": c.session_present,
            "reasonCode": c.code,
            "properties": props_to(&c.properties),
        }),
        Packet::Publish(x) => json!({
            "cmd": "publish",
            "dup": x.dup,
            "qos": x.qos.as_u8(),
            "retain": x.retain,
            "topic": x.topic,
            "messageId": x.packet_id,
            "properties": props_to(&x.properties),
            "payload": hex(&x.payload),
        }),
        Packet::Puback(a) => ack("puback", a),
        Packet::Pubrec(a) => ack("pubrec", a),
        Packet::Pubrel(a) => ack("pubrel", a),
        Packet::Pubcomp(a) => ack("pubcomp", a),
        Packet::Subscribe(s) => json!({
            "cmd": "subscribe",
            "messageId": s.packet_id,
            "properties": props_to(&s.properties),
            "subscriptions": s.filters.iter().map(|f| json!({
                "topic": f.filter,
                "qos": f.qos.as_u8(),
                "nl": f.no_local,
                "rap": f.retain_as_published,
                "rh": f.retain_handling,
            })).collect::<Vec<_>>(),
        }),
        Packet::Suback(s) => json!({
            "cmd": "suback",
            "messageId": s.packet_id,
            "properties": props_to(&s.properties),
            "granted": s.codes,
        }),
        Packet::Unsubscribe(u) => json!({
            "cmd": "unsubscribe",
            "messageId": u.packet_id,
            "properties": props_to(&u.properties),
            "unsubscriptions": u.filters,
        }),
        Packet::Unsuback(u) => json!({
            "cmd": "unsuback",
            "messageId": u.packet_id,
            "properties": props_to(&u.properties),
            "granted": u.codes,
        }),
        Packet::Pingreq => json!({ "cmd": "pingreq" }),
        Packet::Pingresp => json!({ "cmd": "pingresp" }),
        Packet::Disconnect(d) => disconnect("disconnect", d),
        Packet::Auth(d) => disconnect("auth", d),
    }
}

fn from_json(v: &Value, p: Protocol) -> Result<Packet, String> {
    let props = || props_from(&v["properties"]);
    let id = || num::<u16>(&v["messageId"], "messageId");
    let code = || num::<u8>(&v["reasonCode"], "reasonCode").map(ReasonCode);
    let ack = || -> Result<Ack, String> {
        Ok(Ack {
            packet_id: id()?,
            code: code()?,
            properties: props()?.into(),
        })
    };
    let disconnect = || -> Result<Disconnect, String> {
        Ok(Disconnect {
            code: code()?,
            properties: props()?.into(),
        })
    };
    let flag = |k: &str| v[k].as_bool().unwrap_or(false);
    Ok(match str_of(&v["cmd"])? {
        "connect" => Packet::Connect(Box::new(Connect {
            protocol: match v["protocolVersion"].as_u64() {
                Some(4) => Protocol::V311,
                Some(5) => Protocol::V5,
                _ => p,
            },
            clean_start: flag("clean"),
            keep_alive_s: num(&v["keepalive"], "keepalive")?,
            properties: props()?.into(),
            client_id: str_of(&v["clientId"])?.to_string(),
            will: match &v["will"] {
                Value::Null => None,
                w => Some(LastWill {
                    topic: str_of(&w["topic"])?.to_string(),
                    payload: unhex(str_of(&w["payload"])?)?,
                    qos: qos(&w["qos"])?,
                    retain: w["retain"].as_bool().unwrap_or(false),
                    properties: props_from(&w["properties"])?.into(),
                }),
            },
            username: v["username"].as_str().map(str::to_string),
            password: v["password"].as_str().map(unhex).transpose()?,
        })),
        "connack" => Packet::Connack(Connack {
            session_present: flag("sessionPresent"),
            code: code()?,
            properties: props()?.into(),
            protocol: p,
        }),
        "publish" => Packet::Publish(Publish {
            dup: flag("dup"),
            qos: qos(&v["qos"])?,
            retain: flag("retain"),
            topic: str_of(&v["topic"])?.to_string(),
            packet_id: id()?,
            properties: props()?.into(),
            payload: unhex(str_of(&v["payload"])?)?,
        }),
        "puback" => Packet::Puback(ack()?),
        "pubrec" => Packet::Pubrec(ack()?),
        "pubrel" => Packet::Pubrel(ack()?),
        "pubcomp" => Packet::Pubcomp(ack()?),
        "subscribe" => Packet::Subscribe(Subscribe {
            packet_id: id()?,
            properties: props()?.into(),
            filters: v["subscriptions"]
                .as_array()
                .ok_or("subscriptions: a list")?
                .iter()
                .map(|s| {
                    Ok(Subscription {
                        filter: str_of(&s["topic"])?.to_string(),
                        qos: qos(&s["qos"])?,
                        no_local: s["nl"].as_bool().unwrap_or(false),
                        retain_as_published: s["rap"].as_bool().unwrap_or(false),
                        retain_handling: num(&s["rh"], "rh").unwrap_or(0),
                    })
                })
                .collect::<Result<_, String>>()?,
        }),
        "suback" => Packet::Suback(Suback {
            packet_id: id()?,
            properties: props()?.into(),
            codes: codes(&v["granted"])?,
        }),
        "unsubscribe" => Packet::Unsubscribe(Unsubscribe {
            packet_id: id()?,
            properties: props()?.into(),
            filters: strings(&v["unsubscriptions"])?,
        }),
        "unsuback" => Packet::Unsuback(Unsuback {
            packet_id: id()?,
            properties: props()?.into(),
            codes: codes(&v["granted"])?,
        }),
        "pingreq" => Packet::Pingreq,
        "pingresp" => Packet::Pingresp,
        "disconnect" => Packet::Disconnect(disconnect()?),
        "auth" => Packet::Auth(disconnect()?),
        other => return Err(format!("unknown cmd {other}")),
    })
}
