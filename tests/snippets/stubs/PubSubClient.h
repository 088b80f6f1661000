// PubSubClient 2.8 (knolleary/pubsubclient, src/PubSubClient.h).
#pragma once
#include "Arduino.h"

class PubSubClient {
 public:
  explicit PubSubClient(Client& client);
  PubSubClient& setServer(const char* domain, uint16_t port);
  PubSubClient& setKeepAlive(uint16_t keep_alive_seconds);
  PubSubClient& setSocketTimeout(uint16_t timeout_seconds);
  bool connect(const char* id);
  bool connected();
  bool loop();
};
