#pragma once
// A plugin run alone as a render would run it, to see whether it is safe:
// instantiated and activated at 48 kHz with blocks of 1024 frames (mono
// plugins on one channel, others on two), every control at its default,
// 1 s of silence, then 1 s of seeded white noise at -6 dBFS peak, reset
// (deactivate, activate) and one more noise block, then destroyed. What it
// measures: the latency it reports after the warm-up and whether it changed,
// whether every output sample was finite, and the output's peak for the
// silence and for the noise. Meant to run in a watched child process
// (`mixdown plugins check`): a crash or hang is the watcher's to report.

#include <string>

namespace mixdown::plugins {

struct PluginExercise {
  int latencyFrames = 0;
  bool latencyChanged = false;  // the latency read after the noise differs from the one after the warm-up
  bool finite = true;           // no NaN or infinity came out
  double silencePeakDbfs = 0.0; // -inf when the silence stayed silent
  double noisePeakDbfs = 0.0;
};

/** Runs the installed plugin of uri as above; throws std::runtime_error when it cannot be hosted or refuses to instantiate. */
PluginExercise exercisePlugin(const std::string& uri);

}  // namespace mixdown::plugins
