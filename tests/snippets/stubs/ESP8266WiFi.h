// esp8266 Arduino core 3.1 (libraries/ESP8266WiFi/src/ESP8266WiFi.h and
// WiFiClientSecureBearSSL.h): the BearSSL client as included by ESP8266WiFi.h.
#pragma once
#include "Arduino.h"

class WiFiClient : public Client {
 public:
  int connect(const char* host, uint16_t port) override;
  uint8_t connected() override;
  void stop() override;
};

namespace BearSSL {
class X509List {
 public:
  explicit X509List(const char* pem_cert);
};
class Session {
 public:
  Session();
};
class WiFiClientSecure : public WiFiClient {
 public:
  void setTrustAnchors(const X509List* ta);
  void setSession(Session* session);
  // Stream::setTimeout (milliseconds) on the wrapper: never reaches the
  // WiFiClientSecureCtx, whose handshake timeout is a fixed 15000 ms.
};
}  // namespace BearSSL
