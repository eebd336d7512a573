#include "mixdown/io/track_source_reader.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "mixdown/io/clip_stream.h"
#include "mixdown/dsp/resampler.h"
#include "mixdown/io/sound_file.h"

namespace mixdown::io {
namespace {

struct ClipPlan {
  ClipReadSpec spec;
  std::int64_t startFrame = 0;  // session frame of the clip's first frame
  std::int64_t frames = 0;      // session frames the clip lasts
  int channels = 0;             // selected source channels, 1 or 2
  double fadeInFrames = 0.0;    // session frames, fractional
  double fadeOutFrames = 0.0;

  std::int64_t endFrame() const noexcept { return startFrame + frames; }
};

ClipPlan planClip(const ClipReadSpec& clip, int sessionRate) {
  const SoundFile file = SoundFile::openRead(clip.file);
  const SF_INFO& info = file.info();
  ClipPlan plan;
  plan.spec = clip;
  plan.startFrame = clip.atFrame;
  plan.frames = TrackSourceReader::clipFrames(clip, info.frames, info.samplerate, sessionRate);
  plan.channels = static_cast<int>(ClipStream::resolveChannels(clip, info.channels).size());
  plan.fadeInFrames = clip.fadeInS * sessionRate;
  plan.fadeOutFrames = clip.fadeOutS * sessionRate;
  return plan;
}

}  // namespace

struct TrackSourceReader::State {
  std::vector<ClipPlan> clips;  // by start frame, not overlapping
  int sessionRate = 0;
  int outputChannels = 0;
  int maxBlockFrames = 0;
  std::int64_t endFrame = 0;
  std::unique_ptr<ClipStream> active;  // the clip whose file is open, if any
  std::size_t activeIndex = 0;
  AudioBuffer clipAudio;              // 2 x maxBlockFrames
  std::vector<double> frameGains;     // maxBlockFrames

  void readChunk(std::int64_t startFrame, AudioBlock out);
  void playClip(std::size_t index, std::int64_t firstFrame, AudioBlock out);
};

TrackSourceReader::TrackSourceReader(std::vector<ClipReadSpec> clips, int sessionRate, int outputChannels,
                                     int maxBlockFrames)
    : state_(std::make_unique<State>()) {
  if (sessionRate <= 0) throw std::invalid_argument("TrackSourceReader: sessionRate must be positive");
  if (outputChannels != 1 && outputChannels != 2) {
    throw std::invalid_argument("TrackSourceReader: outputChannels must be 1 or 2");
  }
  if (maxBlockFrames <= 0) throw std::invalid_argument("TrackSourceReader: maxBlockFrames must be positive");
  State& state = *state_;
  state.sessionRate = sessionRate;
  state.outputChannels = outputChannels;
  state.maxBlockFrames = maxBlockFrames;
  state.clipAudio = AudioBuffer(2, maxBlockFrames);
  state.frameGains.resize(static_cast<std::size_t>(maxBlockFrames));
  for (const ClipReadSpec& clip : clips) state.clips.push_back(planClip(clip, sessionRate));
  std::stable_sort(state.clips.begin(), state.clips.end(),
                   [](const ClipPlan& a, const ClipPlan& b) { return a.startFrame < b.startFrame; });
  for (std::size_t i = 1; i < state.clips.size(); ++i) {
    if (state.clips[i].startFrame < state.clips[i - 1].endFrame()) {
      throw std::invalid_argument("TrackSourceReader: clips of " + quotedPath(state.clips[i - 1].spec.file) +
                                  " and " + quotedPath(state.clips[i].spec.file) + " overlap");
    }
  }
  for (const ClipPlan& plan : state.clips) state.endFrame = std::max(state.endFrame, plan.endFrame());
}

TrackSourceReader::~TrackSourceReader() = default;

std::int64_t TrackSourceReader::endFrame() const noexcept { return state_->endFrame; }

int TrackSourceReader::channels() const noexcept { return state_->outputChannels; }

void TrackSourceReader::read(std::int64_t startFrame, AudioBlock out) {
  if (out.channels() != state_->outputChannels) {
    throw std::invalid_argument("TrackSourceReader::read: block has the wrong channel count");
  }
  out.clear();
  for (int offset = 0; offset < out.frames(); offset += state_->maxBlockFrames) {
    const int frames = std::min(state_->maxBlockFrames, out.frames() - offset);
    state_->readChunk(startFrame + offset, out.slice(offset, frames));
  }
}

void TrackSourceReader::State::readChunk(std::int64_t startFrame, AudioBlock out) {
  const std::int64_t endOfChunk = startFrame + out.frames();
  // Close the open clip once the read has moved off it (it ended, or the caller jumped).
  if (active) {
    const ClipPlan& plan = clips[activeIndex];
    if (plan.endFrame() <= startFrame || plan.startFrame >= endOfChunk) active.reset();
  }
  // Clips are sorted and disjoint, so their ends are sorted too.
  auto first = std::partition_point(clips.begin(), clips.end(),
                                    [startFrame](const ClipPlan& plan) { return plan.endFrame() <= startFrame; });
  for (auto it = first; it != clips.end() && it->startFrame < endOfChunk; ++it) {
    if (it->frames == 0) continue;
    const std::int64_t from = std::max(startFrame, it->startFrame);
    const std::int64_t to = std::min(endOfChunk, it->endFrame());
    playClip(static_cast<std::size_t>(it - clips.begin()), from - it->startFrame,
             out.slice(static_cast<int>(from - startFrame), static_cast<int>(to - from)));
  }
}

void TrackSourceReader::State::playClip(std::size_t index, std::int64_t firstFrame, AudioBlock out) {
  const ClipPlan& plan = clips[index];
  if (!active || activeIndex != index || active->position() != firstFrame) {
    active.reset();  // one file open at a time
    active = std::make_unique<ClipStream>(plan.spec, sessionRate, firstFrame, plan.frames, plan.channels);
    activeIndex = index;
  }
  const int frames = out.frames();
  const AudioBlock source = clipAudio.block(plan.channels, frames);
  active->read(source);
  if (firstFrame + frames >= plan.frames) active.reset();  // the clip ends here: release its file

  // Most chunks lie outside both fades: one constant gain, and a plain copy when it is unity
  // (float(double(x) * 1.0) == x, so the copy is what the general path would give).
  const bool inFadeIn = plan.fadeInFrames > 0.0 && static_cast<double>(firstFrame) < plan.fadeInFrames;
  const bool inFadeOut =
      plan.fadeOutFrames > 0.0 && static_cast<double>(plan.frames - (firstFrame + frames)) < plan.fadeOutFrames;
  if (!inFadeIn && !inFadeOut && plan.channels == outputChannels) {
    const double gain = plan.spec.gain;
    for (int c = 0; c < outputChannels; ++c) {
      const float* input = source.channel(c);
      float* output = out.channel(c);
      if (gain == 1.0) std::copy(input, input + frames, output);
      else
        for (int frame = 0; frame < frames; ++frame) output[frame] = static_cast<float>(input[frame] * gain);
    }
    return;
  }

  // Linear fades in session time: 0 at the clip's start rising to 1 after fadeInS;
  // 1 falling to 0 at the clip's end (one past its last frame). They multiply where they meet.
  for (int frame = 0; frame < frames; ++frame) {
    const auto clipFrame = static_cast<double>(firstFrame + frame);
    double gain = plan.spec.gain;
    if (plan.fadeInFrames > 0.0) gain *= std::min(1.0, clipFrame / plan.fadeInFrames);
    if (plan.fadeOutFrames > 0.0) {
      gain *= std::min(1.0, (static_cast<double>(plan.frames) - clipFrame) / plan.fadeOutFrames);
    }
    frameGains[static_cast<std::size_t>(frame)] = gain;
  }

  const auto gainAt = [this](int frame) { return frameGains[static_cast<std::size_t>(frame)]; };
  if (plan.channels == outputChannels) {
    for (int c = 0; c < outputChannels; ++c) {
      const float* input = source.channel(c);
      float* output = out.channel(c);
      for (int frame = 0; frame < frames; ++frame) output[frame] = static_cast<float>(input[frame] * gainAt(frame));
    }
  } else if (plan.channels == 1) {  // mono clip on a stereo track: the same signal in both channels
    const float* input = source.channel(0);
    for (int frame = 0; frame < frames; ++frame) {
      const auto sample = static_cast<float>(input[frame] * gainAt(frame));
      out.channel(0)[frame] = sample;
      out.channel(1)[frame] = sample;
    }
  } else {  // stereo clip on a mono track: the average of its two channels
    const float* left = source.channel(0);
    const float* right = source.channel(1);
    float* output = out.channel(0);
    for (int frame = 0; frame < frames; ++frame) {
      output[frame] = static_cast<float>(0.5 * (static_cast<double>(left[frame]) + right[frame]) * gainAt(frame));
    }
  }
}

std::int64_t TrackSourceReader::clipFrames(const ClipReadSpec& clip, std::int64_t sourceFrames, int sourceRate,
                                           int sessionRate) {
  const std::int64_t fromFrame = ClipStream::firstSourceFrame(clip, sourceRate);
  const std::int64_t restSourceFrames = std::max<std::int64_t>(0, sourceFrames - fromFrame);
  const std::int64_t restSessionFrames = dsp::Resampler::outputFrameCount(restSourceFrames, sourceRate, sessionRate);
  if (!clip.durationS) return restSessionFrames;
  return std::clamp<std::int64_t>(std::llround(*clip.durationS * sessionRate), 0, restSessionFrames);
}

}  // namespace mixdown::io
