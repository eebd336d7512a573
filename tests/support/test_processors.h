#pragma once
// Processors for graph tests: a pure delay that declares its latency, and one
// that subtracts its key, so alignment shows as doubling or as silence.

#include <memory>

#include "mixdown/dsp/delay_line.h"
#include "mixdown/dsp/processor.h"
#include "mixdown/graph/processor_factory.h"
#include "mixdown/session/model.h"

namespace mixdown::test {

constexpr int kTestLatencyFrames = 24;  // half a period of 1 kHz at 48 kHz

class LatentProcessor final : public Processor {
public:
  void prepare(const ProcessSpec& spec) override { delay_ = dsp::DelayLine(spec.channels, kTestLatencyFrames); }
  void reset() noexcept override { delay_.reset(); }
  void process(AudioBlock io, ConstAudioBlock, std::int64_t) noexcept override { delay_.process(io); }
  ProcessorProperties properties(int inputChannels) const noexcept override { return {inputChannels, kTestLatencyFrames}; }

private:
  dsp::DelayLine delay_;
};

class KeyNullProcessor final : public Processor {
public:
  void prepare(const ProcessSpec&) override {}
  void reset() noexcept override {}
  void process(AudioBlock io, ConstAudioBlock key, std::int64_t) noexcept override {
    for (int channel = 0; channel < io.channels(); ++channel) io.array(channel) -= key.array(0);
  }
};

/** Inserts named "latent" become LatentProcessor, "null" KeyNullProcessor, the rest the real thing. */
inline std::unique_ptr<Processor> makeTestProcessor(const session::Insert& insert) {
  if (insert.name == "latent") return std::make_unique<LatentProcessor>();
  if (insert.name == "null") return std::make_unique<KeyNullProcessor>();
  return graph::makeProcessor(insert);
}

}  // namespace mixdown::test
