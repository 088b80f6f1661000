// arduino-esp32 1.x/2.x WiFiClient (libraries/WiFi/src/WiFiClient.h).
#pragma once
#include "Arduino.h"

class WiFiClient : public Client {
 public:
  int connect(const char* host, uint16_t port) override;
  uint8_t connected() override;
  void stop() override;
  // 1.x/2.x: seconds (hides Stream::setTimeout).
  int setTimeout(uint32_t seconds);
};
