// Automation of processor parameters, built from session JSON by the factory:
// every automatable parameter of every type is wired (it holds still, then
// moves), automated processors do not depend on the block split, constant
// automation changes no bit, a gain follows its curve at every frame, and an
// EQ peak swept over the band stays stable and centred on its automation.

#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <cmath>
#include <complex>
#include <numbers>
#include <random>

#include "mixdown/dsp/automated_processor.h"
#include "mixdown/graph/processor_factory.h"
#include "mixdown/session/params.h"
#include "support/sample_inserts.h"

using nlohmann::json;
using namespace mixdown;

namespace {

constexpr double kRate = 48000.0;

using test::insertOf;

/** Stereo noise whose level steps between -6, -40 and -20 dBFS every 0.05 s, so thresholds matter. */
std::vector<std::vector<float>> steppedNoise(int frames, unsigned seed) {
  std::mt19937 generator(seed);
  std::vector<std::vector<float>> channels(2, std::vector<float>(static_cast<size_t>(frames)));
  const double levels[] = {0.5, 0.01, 0.1};
  for (int frame = 0; frame < frames; ++frame) {
    const double level = levels[(frame / 2400) % 3];
    for (auto& channel : channels)
      channel[static_cast<size_t>(frame)] =
          static_cast<float>(level * (2.0 * static_cast<double>(generator()) / 4294967296.0 - 1.0));
  }
  return channels;
}

/** Runs a fresh processor for parameters over input in blocks of the given sizes (cycled), from session frame 0. */
std::vector<std::vector<float>> run(const json& parameters, const std::vector<std::vector<float>>& input,
                                    const std::vector<int>& blocks) {
  auto processor = graph::makeProcessor(insertOf(parameters));
  const int frames = static_cast<int>(input[0].size());
  const int channels = processor->properties(static_cast<int>(input.size())).outputChannels;
  processor->prepare(ProcessSpec{kRate, 4096, channels});
  processor->reset();
  AudioBuffer buffer(2, frames);
  AudioBlock all = buffer.block(channels, frames);
  for (int channel = 0; channel < channels; ++channel) {
    const auto& source = input[std::min(static_cast<size_t>(channel), input.size() - 1)];
    std::copy(source.begin(), source.end(), all.channel(channel));
  }
  for (int position = 0, index = 0; position < frames; ++index) {
    const int count = std::min(blocks[static_cast<size_t>(index) % blocks.size()], frames - position);
    processor->process(all.slice(position, count), {}, position);
    position += count;
  }
  std::vector<std::vector<float>> out;
  for (int channel = 0; channel < channels; ++channel) out.emplace_back(all.channel(channel), all.channel(channel) + frames);
  return out;
}

/** Where an automatable number sits in an insert: a JSON pointer and its table's field. */
struct Automatable {
  json::json_pointer pointer;
  const session::FieldSpec* field;
};

/** Every automatable number of the insert's table (bands included) that this renderer automates. */
std::vector<Automatable> automatables(const json& parameters) {
  std::vector<Automatable> found;
  const std::string type = parameters.at("type").get<std::string>();
  auto collect = [&](const session::ObjectSpec& table, const json& object, const std::string& prefix) {
    // A highpass or lowpass has no gain, and above 12 dB/oct no q (a Butterworth filter).
    const std::string bandType = object.value("type", "");
    const bool passFilter = bandType == "highpass" || bandType == "lowpass";
    const bool butterworth = passFilter && object.value("slope_db_oct", 12) > 12;
    for (const auto& field : table.fields) {
      if (!field.value.automatable) continue;
      if ((passFilter && field.key == "gain_db") || (butterworth && field.key == "q")) continue;
      if (!field.automationNotRendered.empty()) continue;  // refused at validation (check_renderable_test)
      if (!object.contains(field.key) && field.defaultValue.is_null()) continue;  // an absent optional filter
      found.push_back({json::json_pointer(prefix + "/" + field.key), &field});
    }
  };
  collect(*session::processorSpec(type), parameters, "");
  if (parameters.contains("bands")) {
    const auto& table = type == "eq" ? session::eqBandSpec() : session::dynamicEqBandSpec();
    for (size_t band = 0; band < parameters["bands"].size(); ++band)
      collect(table, parameters["bands"][band], "/bands/" + std::to_string(band));
  }
  return found;
}

/** The value at pointer, else the field's default. */
double valueAt(const json& parameters, const Automatable& where) {
  return parameters.contains(where.pointer) ? parameters.at(where.pointer).get<double>()
                                            : where.field->defaultValue.get<double>();
}

/** A clearly different value in the field's range: halfway to the far end of the range (capped for open ranges). */
double movedValue(double value, const session::ValueSpec& spec) {
  const double top = std::min(spec.maximum, value + 24.0);
  const double bottom = std::max(spec.minimum, value - 24.0);
  return top - value >= value - bottom ? value + 0.5 * (top - value) : value - 0.5 * (value - bottom);
}

double maxAbsDifference(const std::vector<std::vector<float>>& a, const std::vector<std::vector<float>>& b,
                        size_t first, size_t last) {
  double largest = 0.0;
  for (size_t channel = 0; channel < a.size(); ++channel)
    for (size_t frame = first; frame < last; ++frame)
      largest = std::max(largest, std::abs(static_cast<double>(a[channel][frame]) - b[channel][frame]));
  return largest;
}

}  // namespace

TEST_CASE("graph: every automatable processor parameter holds its first value, then moves the output") {
  const auto input = steppedNoise(24000, 3);
  for (const json& parameters : test::sampleInserts()) {
    const auto still = run(parameters, input, {4096});
    for (const Automatable& where : automatables(parameters)) {
      const double first = valueAt(parameters, where);
      const double moved = movedValue(first, where.field->value);
      json automated = parameters;
      // Holds for 0.1 s (4800 frames, a stride boundary), then moves over 0.1 s and stays.
      automated[where.pointer] = {{"points", {{0.0, first}, {0.1, first}, {0.2, moved}}}};
      INFO(parameters.at("type").get<std::string>() << where.pointer.to_string() << ": " << first << " -> " << moved);
      const auto output = run(automated, input, {4096});
      CHECK(maxAbsDifference(output, still, 0, 4800) == 0.0);
      CHECK(maxAbsDifference(output, still, 4800, 24000) > 1e-4);
    }
  }
}

TEST_CASE("graph: automated processors give the same output whatever the block split") {
  const auto input = steppedNoise(20000, 4);
  for (const json& parameters : test::sampleInserts()) {
    json automated = parameters;
    for (const Automatable& where : automatables(parameters)) {
      const double first = valueAt(parameters, where);
      const double moved = movedValue(first, where.field->value);
      automated[where.pointer] = {{"points", {{0.01, first}, {0.2, moved}, {0.3, moved}, {0.3, first}}},
                                  {"curve", "smooth"}};
    }
    INFO(automated.dump());
    const auto whole = run(automated, input, {4096});
    CHECK(run(automated, input, {1, 17, 512, 3, 1000, 64, 31, 33}) == whole);
  }
}

TEST_CASE("graph: automation that never moves leaves every processor's output unchanged, bit for bit") {
  const auto input = steppedNoise(12000, 5);
  for (const json& parameters : test::sampleInserts()) {
    json constant = parameters;
    for (const Automatable& where : automatables(parameters)) {
      const double value = valueAt(parameters, where);
      constant[where.pointer] = {{"points", {{0.0, value}, {0.1, value}}}};
    }
    INFO(constant.dump());
    CHECK(run(constant, input, {333}) == run(parameters, input, {4096}));
  }
}

TEST_CASE("graph: a gain insert automated from -40 to 0 dB over 2 s is within 0.05 dB of its curve at every frame") {
  const int frames = static_cast<int>(2.5 * kRate);
  const std::vector<std::vector<float>> constant(1, std::vector<float>(static_cast<size_t>(frames), 0.5f));
  const json parameters = {{"type", "gain"}, {"gain_db", {{"points", {{0.0, -40.0}, {2.0, 0.0}}}}}};
  const auto output = run(parameters, constant, {1000});
  double worstDb = 0.0;
  for (int frame = 0; frame < frames; ++frame) {
    const double timeS = frame / kRate;
    const double automatedDb = std::min(0.0, -40.0 + 20.0 * timeS);
    worstDb = std::max(worstDb, std::abs(20.0 * std::log10(output[0][static_cast<size_t>(frame)] / 0.5) - automatedDb));
  }
  MESSAGE("worst deviation from the curve: " << worstDb << " dB");
  CHECK(worstDb <= 0.05);
}

namespace {

/**
 * The biquad that maps x to y over frames [first, first + count), identified by
 * least squares from y[n] = b0 x[n] + b1 x[n-1] + b2 x[n-2] - a1 y[n-1] - a2 y[n-2],
 * and the frequency where its magnitude peaks (a fine logarithmic search).
 */
double identifiedPeakHz(const std::vector<float>& x, const std::vector<float>& y, size_t first, size_t count) {
  Eigen::MatrixXd rows(static_cast<Eigen::Index>(count), 5);
  Eigen::VectorXd targets(static_cast<Eigen::Index>(count));
  for (size_t index = 0; index < count; ++index) {
    const size_t n = first + index;
    const auto row = static_cast<Eigen::Index>(index);
    rows.row(row) << x[n], x[n - 1], x[n - 2], -static_cast<double>(y[n - 1]), -static_cast<double>(y[n - 2]);
    targets(row) = y[n];
  }
  const Eigen::VectorXd c = rows.colPivHouseholderQr().solve(targets);
  auto magnitude = [&](double frequencyHz) {
    const std::complex<double> z1 = std::polar(1.0, -2.0 * std::numbers::pi * frequencyHz / kRate);
    return std::abs((c(0) + c(1) * z1 + c(2) * z1 * z1) / (1.0 + c(3) * z1 + c(4) * z1 * z1));
  };
  double bestHz = 20.0;
  for (double octaves = 0.0; octaves < 10.0; octaves += 0.0005) {
    const double frequencyHz = 20.0 * std::pow(2.0, octaves);
    if (magnitude(frequencyHz) > magnitude(bestHz)) bestHz = frequencyHz;
  }
  return bestHz;
}

}  // namespace

TEST_CASE("graph: an EQ peak swept from 100 Hz to 10 kHz over 5 s is stable and centred on its automation") {
  // The sweep is exponential (constant octaves per second), given as 51 points
  // 0.1 s apart and interpolated linearly in Hz between them, as the format says.
  const int frames = static_cast<int>(5.5 * kRate);
  json points = json::array();
  for (int point = 0; point <= 50; ++point) points.push_back({0.1 * point, 100.0 * std::pow(100.0, point / 50.0)});
  auto automatedHz = [&](double timeS) {
    if (timeS >= 5.0) return 10000.0;
    const int segment = static_cast<int>(timeS / 0.1);
    const double from = points[static_cast<size_t>(segment)][1].get<double>();
    const double to = points[static_cast<size_t>(segment) + 1][1].get<double>();
    return from + (to - from) * (timeS - 0.1 * segment) / 0.1;
  };
  const json band = {{"type", "peak"}, {"gain_db", 12.0}, {"q", 2.0}};
  json swept = {{"type", "eq"}, {"bands", {band}}};
  swept["bands"][0]["freq_hz"] = {{"points", points}};

  std::mt19937 generator(11);
  std::vector<std::vector<float>> noise(1, std::vector<float>(static_cast<size_t>(frames)));
  for (float& sample : noise[0]) sample = static_cast<float>(0.25 * (2.0 * static_cast<double>(generator()) / 4294967296.0 - 1.0));
  const auto output = run(swept, noise, {1024});

  double sweptPeak = 0.0;
  bool finite = true;
  for (float sample : output[0]) {
    finite = finite && std::isfinite(sample);
    sweptPeak = std::max(sweptPeak, static_cast<double>(std::abs(sample)));
  }
  CHECK(finite);
  double staticPeak = 0.0;  // the loudest of the same filter held at 21 points of the sweep
  for (int point = 0; point <= 20; ++point) {
    json held = {{"type", "eq"}, {"bands", {band}}};
    held["bands"][0]["freq_hz"] = automatedHz(0.25 * point);
    const auto heldOutput = run(held, noise, {4096});
    for (float sample : heldOutput[0]) staticPeak = std::max(staticPeak, static_cast<double>(std::abs(sample)));
  }
  MESSAGE("swept peak " << 20.0 * std::log10(sweptPeak / staticPeak) << " dB against the loudest static filter");
  CHECK(20.0 * std::log10(sweptPeak / staticPeak) <= 1.0);

  // The centre at 10 times, identified from 10 ms of input and output around each.
  double worstError = 0.0;
  for (int point = 0; point < 10; ++point) {
    const double timeS = 0.25 + 0.5 * point;
    const auto centre = static_cast<size_t>(timeS * kRate);
    const double measuredHz = identifiedPeakHz(noise[0], output[0], centre - 240, 480);
    const double error = std::abs(measuredHz / automatedHz(timeS) - 1.0);
    INFO("at " << timeS << " s: automated " << automatedHz(timeS) << " Hz, measured " << measuredHz << " Hz");
    CHECK(error <= 0.03);
    worstError = std::max(worstError, error);
  }
  MESSAGE("worst centre error " << 100.0 * worstError << " %");
}
