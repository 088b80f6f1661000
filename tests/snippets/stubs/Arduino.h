// Minimal stand-in for the Arduino core, enough for `g++ -fsyntax-only` on
// the app's sketches. Declarations only; the parameter names carry the units
// of the libraries' own sources (see TIMEOUT_UNITS in crates/core/src/tls_timeout.rs).
#pragma once
#include <stddef.h>
#include <stdint.h>

class Stream {
 public:
  virtual ~Stream() {}
  // Stream::setTimeout: milliseconds (Arduino core).
  void setTimeout(unsigned long timeout_milliseconds);
};

class Client : public Stream {
 public:
  virtual int connect(const char* host, uint16_t port) = 0;
  virtual uint8_t connected() = 0;
  virtual void stop() = 0;
};
