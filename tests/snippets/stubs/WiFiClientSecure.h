// arduino-esp32 WiFiClientSecure (libraries/WiFiClientSecure/src/WiFiClientSecure.h).
#pragma once
#include "WiFi.h"

class WiFiClientSecure : public WiFiClient {
 public:
  void setCACert(const char* root_ca);
  // Seconds, arduino-esp32 1.0.5 and later (WiFiClientSecure.cpp: handshake_timeout * 1000).
  void setHandshakeTimeout(unsigned long handshake_timeout_seconds);
  // Before PR 6562: { return 0; }, a no-op; after it seconds; 3.x milliseconds.
  int setTimeout(uint32_t seconds_or_nothing);
};
