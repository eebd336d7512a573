// The demo's reference track: another mix of the same song, the kind of
// finished record a session is held against (sessions/demo.json names it in
// "references"). Every part at its own balance (dB) and place in the stereo
// field (-1 left .. +1 right, constant power), summed; the file is then
// scaled to its recipe's peak like every track.
#include "song.h"

#include <algorithm>
#include <cmath>

namespace demo {

namespace {

struct ReferencePart {
  void (*render)(std::vector<Buffer>& channels, double sampleRateHz);
  int channelCount;
  double levelDb;
  double pan;
};

}  // namespace

void renderReference(std::vector<Buffer>& channels, double sampleRateHz) {
  // A brighter, drier balance than the demo session's: drums forward, guitars wide, lead on top.
  static const ReferencePart kParts[] = {
      {renderKick, 1, -3.0, 0.0},     {renderSnare, 1, -4.0, 0.0},     {renderHats, 1, -10.0, 0.25},
      {renderBass, 1, -4.0, 0.0},     {renderKeys, 2, -11.0, 0.0},     {renderGuitarL, 1, -9.0, -0.8},
      {renderGuitarR, 1, -9.0, 0.8},  {renderLead, 1, -3.0, 0.0}};
  const std::size_t frames = channels.front().size();
  for (const ReferencePart& part : kParts) {
    std::vector<Buffer> rendered(static_cast<std::size_t>(part.channelCount), Buffer(frames, 0.0f));
    part.render(rendered, sampleRateHz);
    double peak = 0.0;
    for (const Buffer& channel : rendered)
      for (const float sample : channel) peak = std::max(peak, static_cast<double>(std::abs(sample)));
    if (peak <= 0.0) continue;
    const double level = dbToGain(part.levelDb) / peak;
    const double angle = (part.pan + 1.0) * 3.141592653589793 / 4.0;
    const double gains[2] = {level * std::cos(angle) * std::sqrt(2.0), level * std::sin(angle) * std::sqrt(2.0)};
    for (std::size_t c = 0; c < 2; ++c) {
      const Buffer& source = rendered[part.channelCount == 2 ? c : 0];
      for (std::size_t i = 0; i < frames; ++i) channels[c][i] += static_cast<float>(source[i] * gains[c]);
    }
  }
}

}  // namespace demo
