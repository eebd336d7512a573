#include "mixdown/render/html_page.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <utility>

namespace mixdown::render {

namespace {

using json = nlohmann::ordered_json;

constexpr int kChartWidth = 920;
constexpr int kMaxLinePoints = 1800;  // loudness readings drawn at most (two per pixel column)

// Each chart's own colour: the page's test finds every chart by it in a screenshot.
constexpr const char* kShortTermColor = "#1f5fa8";
constexpr const char* kMomentaryColor = "#9ec0e6";
constexpr const char* kTargetColor = "#c0392b";
constexpr const char* kMixSpectrumColor = "#6a3d9a";
constexpr const char* kReferenceColor = "#8c8c8c";
constexpr const char* kPeakColor = "#2b8cbe";
constexpr const char* kReductionColor = "#e6550d";
constexpr const char* kCorrelationColor = "#2e8b57";
constexpr const char* kMonoLossColor = "#b8860b";

/** value with decimals, in the C locale, never "-0". */
std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  std::string result = text;
  if (result.front() == '-' && result.find_first_not_of("-0.") == std::string::npos) result.erase(0, 1);
  return result;
}

std::string escaped(const std::string& text) {
  std::string result;
  for (const char c : text) {
    switch (c) {
      case '&': result += "&amp;"; break;
      case '<': result += "&lt;"; break;
      case '>': result += "&gt;"; break;
      case '"': result += "&quot;"; break;
      default: result += c;
    }
  }
  return result;
}

std::optional<double> numberAt(const json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object.at(key).is_number()) return std::nullopt;
  return object.at(key).get<double>();
}

/** object[key], or null when it has none. */
const json& member(const json& object, const char* key) {
  static const json kNone;
  return object.is_object() && object.contains(key) ? object.at(key) : kNone;
}

std::string textAt(const json& object, const char* key) {
  return object.is_object() && object.contains(key) && object.at(key).is_string() ? object.at(key).get<std::string>() : "";
}

/** A figure for a table cell: the number with its unit, or a dash. */
std::string cell(const std::optional<double>& value, int decimals, const char* unit = "") {
  return value ? fixed(*value, decimals) + unit : std::string("&#8211;");
}

struct Axis {
  double low = 0.0;
  double high = 1.0;
  bool logarithmic = false;
};

/** One SVG plot: a frame with grid and labels, and what is drawn in it, in data coordinates. */
class Plot {
public:
  Plot(int height, Axis x, Axis y) : height_(height), x_(x), y_(y) {}

  double px(double value) const {
    const double at = x_.logarithmic ? (std::log10(value) - std::log10(x_.low)) / (std::log10(x_.high) - std::log10(x_.low))
                                     : (value - x_.low) / (x_.high - x_.low);
    return kLeft + std::clamp(at, 0.0, 1.0) * (kChartWidth - kLeft - kRight);
  }
  double py(double value) const {
    const double at = (value - y_.low) / (y_.high - y_.low);
    return kTop + (1.0 - std::clamp(at, 0.0, 1.0)) * (height_ - kTop - kBottom);
  }

  void grid(const std::vector<double>& xTicks, const std::string& xUnit, const std::vector<double>& yTicks,
            const std::string& yUnit) {
    for (const double tick : xTicks) {
      body_ += line(px(tick), kTop, px(tick), height_ - kBottom, "#e4e4e4", 1);
      body_ += label(px(tick), height_ - kBottom + 16, tickText(tick) + xUnit, "middle");
    }
    for (const double tick : yTicks) {
      body_ += line(kLeft, py(tick), kChartWidth - kRight, py(tick), "#e4e4e4", 1);
      body_ += label(kLeft - 6, py(tick) + 4, tickText(tick) + yUnit, "end");
    }
    body_ += "<rect x=\"" + fixed(kLeft, 1) + "\" y=\"" + fixed(kTop, 1) + "\" width=\"" +
             fixed(kChartWidth - kLeft - kRight, 1) + "\" height=\"" + fixed(height_ - kTop - kBottom, 1) +
             "\" fill=\"none\" stroke=\"#999\"/>\n";
  }

  /** A line through points; a point without a value breaks it. */
  void polyline(const std::vector<std::pair<double, std::optional<double>>>& points, const char* color, double width,
                const char* dash = nullptr) {
    std::string run;
    const auto flush = [&] {
      if (run.find(' ') != std::string::npos)
        body_ += "<polyline fill=\"none\" stroke=\"" + std::string(color) + "\" stroke-width=\"" + fixed(width, 1) + "\"" +
                 (dash ? std::string(" stroke-dasharray=\"") + dash + "\"" : std::string()) + " points=\"" + run + "\"/>\n";
      run.clear();
    };
    for (const auto& [x, y] : points) {
      if (!y) {
        flush();
        continue;
      }
      if (!run.empty()) run += ' ';
      run += fixed(px(x), 1) + "," + fixed(py(*y), 1);
    }
    flush();
  }

  /** A horizontal line across the plot at y, with a label at its right end. */
  void level(double y, const char* color, const std::string& text) {
    body_ += "<line x1=\"" + fixed(kLeft, 1) + "\" y1=\"" + fixed(py(y), 1) + "\" x2=\"" + fixed(kChartWidth - kRight, 1) +
             "\" y2=\"" + fixed(py(y), 1) + "\" stroke=\"" + color + "\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n";
    body_ += label(kChartWidth - kRight - 4, py(y) - 4, text, "end");
  }

  /** A bar from base to value between x0 and x1. */
  void bar(double x0, double x1, double base, double value, const char* color, const std::string& title) {
    const double top = std::min(py(base), py(value));
    const double bottom = std::max(py(base), py(value));
    body_ += "<rect x=\"" + fixed(px(x0) + 1, 1) + "\" y=\"" + fixed(top, 1) + "\" width=\"" +
             fixed(std::max(1.0, px(x1) - px(x0) - 2), 1) + "\" height=\"" + fixed(std::max(0.5, bottom - top), 1) +
             "\" fill=\"" + color + "\"><title>" + escaped(title) + "</title></rect>\n";
  }

  void marker(double x, double y, const char* color) {
    body_ += "<circle cx=\"" + fixed(px(x), 1) + "\" cy=\"" + fixed(py(y), 1) + "\" r=\"2.5\" fill=\"" + color + "\"/>\n";
  }

  std::string svg(const std::string& title) const {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(kChartWidth) + "\" height=\"" +
           std::to_string(height_) + "\" viewBox=\"0 0 " + std::to_string(kChartWidth) + " " + std::to_string(height_) +
           "\" role=\"img\" aria-label=\"" + escaped(title) + "\">\n" + body_ + "</svg>\n";
  }

private:
  static constexpr double kLeft = 64;
  static constexpr double kRight = 16;
  static constexpr double kTop = 10;
  static constexpr double kBottom = 28;

  static std::string tickText(double value) {
    if (std::abs(value) >= 1000) return fixed(value / 1000, value >= 10000 ? 0 : 1) + "k";
    return fixed(value, std::abs(value - std::round(value)) < 1e-9 ? 0 : 1);
  }
  static std::string line(double x1, double y1, double x2, double y2, const char* color, double width) {
    return "<line x1=\"" + fixed(x1, 1) + "\" y1=\"" + fixed(y1, 1) + "\" x2=\"" + fixed(x2, 1) + "\" y2=\"" + fixed(y2, 1) +
           "\" stroke=\"" + color + "\" stroke-width=\"" + fixed(width, 1) + "\"/>\n";
  }
  static std::string label(double x, double y, const std::string& text, const char* anchor) {
    return "<text x=\"" + fixed(x, 1) + "\" y=\"" + fixed(y, 1) + "\" text-anchor=\"" + anchor + "\">" + escaped(text) +
           "</text>\n";
  }

  int height_;
  Axis x_;
  Axis y_;
  std::string body_;
};

/** About count round steps covering [low, high]. */
std::vector<double> ticks(double low, double high, int count) {
  const double raw = (high - low) / std::max(1, count);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (const double factor : {1.0, 2.0, 5.0, 10.0})
    if (magnitude * factor >= raw) {
      step = magnitude * factor;
      break;
    }
  std::vector<double> values;
  for (double value = std::ceil(low / step) * step; value <= high + step * 1e-9; value += step) values.push_back(value);
  return values;
}

const std::vector<double> kFrequencyTicks{31.5, 63, 125, 250, 500, 1000, 2000, 4000, 8000, 16000};

std::string legend(const std::vector<std::pair<const char*, std::string>>& entries) {
  std::string html = "<p class=\"legend\">";
  for (const auto& [color, text] : entries)
    html += "<span><i style=\"background:" + std::string(color) + "\"></i>" + escaped(text) + "</span>";
  return html + "</p>\n";
}

const json* mixOutput(const json& report) {
  if (!report.contains("outputs")) return nullptr;
  for (const json& output : report.at("outputs"))
    if (textAt(output, "kind") == "mix") return &output;
  return nullptr;
}

std::string summarySection(const json& report) {
  std::string html = "<h1>" + escaped(textAt(report, "session")) +
                     (report.contains("variant") ? " <small>[" + escaped(textAt(report, "variant")) + "]</small>" : "") +
                     "</h1>\n<p class=\"meta\">mixdown " + escaped(textAt(report, "mixdown")) + " &#183; " +
                     cell(numberAt(report, "duration_s"), 2, " s") + " at " + cell(numberAt(report, "sample_rate"), 0, " Hz") +
                     " &#183; latency " + cell(numberAt(report, "latency_frames"), 0, " frames") + "</p>\n";
  if (const json* mix = mixOutput(report)) {
    html += "<table class=\"figures\"><tr><th>Integrated</th><th>Loudness range</th><th>True peak</th><th>Max short-term</th>"
            "<th>RMS</th><th>Correlation</th></tr><tr><td>" +
            cell(numberAt(*mix, "integrated_lufs"), 1, " LUFS") + "</td><td>" + cell(numberAt(*mix, "loudness_range_lu"), 1, " LU") +
            "</td><td>" + cell(numberAt(*mix, "true_peak_dbtp"), 1, " dBTP") + "</td><td>" +
            cell(numberAt(*mix, "max_short_term_lufs"), 1, " LUFS") + "</td><td>" + cell(numberAt(*mix, "rms_dbfs"), 1, " dBFS") +
            "</td><td>" + cell(numberAt(*mix, "correlation"), 2) + "</td></tr></table>\n";
  }
  if (report.contains("normalization")) {
    const json& normalization = report.at("normalization");
    html += "<p>Normalised to " + cell(numberAt(normalization, "target_lufs"), 1, " LUFS") + " under " +
            cell(numberAt(normalization, "true_peak_ceiling_dbtp"), 1, " dBTP") + ": gain " +
            cell(numberAt(normalization, "gain_db"), 2, " dB") + ", the limiter took up to " +
            cell(numberAt(normalization, "limiter_max_reduction_db"), 2, " dB") + ".</p>\n";
  }
  html += "<h2>Warnings</h2>\n";
  if (!report.contains("warnings") || report.at("warnings").empty()) return html + "<p class=\"ok\">No warnings.</p>\n";
  html += "<ul class=\"warnings\">\n";
  for (const json& warning : report.at("warnings"))
    if (warning.is_string()) html += "<li>" + escaped(warning.get<std::string>()) + "</li>\n";
  return html + "</ul>\n";
}

std::string loudnessSection(const json& report, const std::vector<analysis::LoudnessReading>& readings) {
  std::string html = "<h2>Loudness over time</h2>\n";
  if (readings.empty()) return html + "<p>The mix was not rendered.</p>\n";
  const double duration = std::max(readings.back().timeS, 1.0);
  // At most kMaxLinePoints points: each the loudest reading of its stretch (a peak is never drawn away).
  const std::size_t per = (readings.size() + kMaxLinePoints - 1) / kMaxLinePoints;
  std::vector<std::pair<double, std::optional<double>>> momentary;
  std::vector<std::pair<double, std::optional<double>>> shortTerm;
  for (std::size_t first = 0; first < readings.size(); first += per) {
    std::optional<double> loudestMomentary;
    std::optional<double> loudestShortTerm;
    const std::size_t end = std::min(readings.size(), first + per);
    for (std::size_t at = first; at < end; ++at) {
      if (readings[at].momentaryLufs) loudestMomentary = std::max(loudestMomentary.value_or(-1e9), *readings[at].momentaryLufs);
      if (readings[at].shortTermLufs) loudestShortTerm = std::max(loudestShortTerm.value_or(-1e9), *readings[at].shortTermLufs);
    }
    momentary.emplace_back(readings[end - 1].timeS, loudestMomentary);
    shortTerm.emplace_back(readings[end - 1].timeS, loudestShortTerm);
  }
  Plot plot(260, {0.0, duration, false}, {-60.0, 0.0, false});
  plot.grid(ticks(0.0, duration, 10), " s", ticks(-60.0, 0.0, 6), "");
  plot.polyline(momentary, kMomentaryColor, 1.0);
  plot.polyline(shortTerm, kShortTermColor, 2.0);
  std::vector<std::pair<const char*, std::string>> keys{{kMomentaryColor, "momentary (400 ms)"},
                                                        {kShortTermColor, "short-term (3 s)"}};
  if (report.contains("normalization") && numberAt(report.at("normalization"), "target_lufs")) {
    const double target = *numberAt(report.at("normalization"), "target_lufs");
    plot.level(target, kTargetColor, "target " + fixed(target, 1) + " LUFS");
    keys.emplace_back(kTargetColor, "target");
  }
  return html + plot.svg("loudness over time, LUFS") + legend(keys);
}

/** The 1/3-octave bands of the comparison with the references that carry a figure. */
std::vector<const json*> comparedBands(const json& references) {
  std::vector<const json*> bands;
  if (!references.is_object() || !references.contains("bands")) return bands;
  for (const json& band : references.at("bands"))
    if (numberAt(band, "low_hz") && numberAt(band, "high_hz")) bands.push_back(&band);
  return bands;
}

double centreHz(const json& band) { return std::sqrt(*numberAt(band, "low_hz") * *numberAt(band, "high_hz")); }

std::string spectrumSection(const json& report) {
  std::string html = "<h2>Spectrum against the references</h2>\n";
  const json& references = member(member(report, "insight"), "references");
  const std::vector<const json*> bands = comparedBands(references);
  if (bands.empty()) {
    const std::string skipped = textAt(member(report, "insight"), "references_skipped");
    return html + (skipped.empty() ? std::string("<p>No comparison: the session names no <code>references</code>.</p>\n")
                                   : "<p>No comparison: " + escaped(skipped) + ".</p>\n");
  }
  double loudest = -200.0;
  for (const json* band : bands)
    for (const char* key : {"mix_mid_db", "target_mid_db"})
      if (const auto value = numberAt(*band, key)) loudest = std::max(loudest, *value);
  const double top = std::ceil(loudest / 10.0) * 10.0;
  Plot plot(280, {20.0, 20000.0, true}, {top - 60.0, top, false});
  plot.grid(kFrequencyTicks, "", ticks(top - 60.0, top, 6), " dB");
  std::vector<std::pair<double, std::optional<double>>> mix;
  std::vector<std::pair<double, std::optional<double>>> target;
  for (const json* band : bands) {
    mix.emplace_back(centreHz(*band), numberAt(*band, "mix_mid_db"));
    target.emplace_back(centreHz(*band), numberAt(*band, "target_mid_db"));
  }
  plot.polyline(target, kReferenceColor, 2.0, "5 3");
  plot.polyline(mix, kMixSpectrumColor, 2.5);
  html += "<p>Mid (L+R) level per 1/3 octave, loudness-matched: the mix is " +
          cell(numberAt(references, "loudness_offset_lu"), 2, " LU") + " from the references before matching.</p>\n";
  html += plot.svg("mix spectrum against the references") +
          legend({{kMixSpectrumColor, "mix"}, {kReferenceColor, "references"}});
  if (references.contains("broad_bands")) {
    html += "<table><tr><th>Band</th><th>Mid</th><th>Side</th><th>Width</th><th>Crest</th><th>Mix correlation</th></tr>\n";
    for (const json& band : references.at("broad_bands"))
      html += "<tr><td>" + cell(numberAt(band, "low_hz"), 0) + "&#8211;" + cell(numberAt(band, "high_hz"), 0) + " Hz</td><td>" +
              cell(numberAt(band, "mid_diff_db"), 1, " dB") + "</td><td>" + cell(numberAt(band, "side_diff_db"), 1, " dB") +
              "</td><td>" + cell(numberAt(band, "width_diff_db"), 1, " dB") + "</td><td>" +
              cell(numberAt(band, "crest_diff_db"), 1, " dB") + "</td><td>" + cell(numberAt(band, "mix_correlation"), 2) +
              "</td></tr>\n";
    html += "</table>\n<p class=\"note\">Mix minus references: positive is more in the mix.</p>\n";
  }
  return html;
}

std::string stereoSection(const json& report) {
  std::string html = "<h2>Stereo field and mono fold-down per band</h2>\n";
  const json& references = member(member(report, "insight"), "references");
  const std::vector<const json*> bands = comparedBands(references);
  if (bands.empty()) return html + "<p>Measured with the references: the session names none.</p>\n";
  Plot correlation(220, {20.0, 20000.0, true}, {-1.0, 1.0, false});
  correlation.grid(kFrequencyTicks, "", {-1.0, -0.5, 0.0, 0.5, 1.0}, "");
  Plot monoLoss(200, {20.0, 20000.0, true}, {-6.0, 0.0, false});
  monoLoss.grid(kFrequencyTicks, "", {-6.0, -4.0, -2.0, 0.0}, " dB");
  for (const json* band : bands) {
    const double low = *numberAt(*band, "low_hz");
    const double high = *numberAt(*band, "high_hz");
    const std::string range = fixed(low, 0) + "-" + fixed(high, 0) + " Hz";
    if (const auto value = numberAt(*band, "mix_correlation"))
      correlation.bar(low, high, 0.0, *value, kCorrelationColor, range + ": correlation " + fixed(*value, 2));
    if (const auto value = numberAt(*band, "target_correlation")) correlation.marker(centreHz(*band), *value, kReferenceColor);
    if (const auto value = numberAt(*band, "mix_mono_loss_db"))
      monoLoss.bar(low, high, 0.0, std::min(0.0, *value), kMonoLossColor, range + ": mono loses " + fixed(-*value, 2) + " dB");
    if (const auto value = numberAt(*band, "target_mono_loss_db")) monoLoss.marker(centreHz(*band), std::min(0.0, *value), kReferenceColor);
  }
  return html + "<p>Left/right correlation per 1/3 octave (1: mono, 0: wide, below 0: out of phase).</p>\n" +
         correlation.svg("left/right correlation per band") +
         legend({{kCorrelationColor, "mix"}, {kReferenceColor, "references"}}) +
         "<p>What the mono fold-down loses per 1/3 octave.</p>\n" + monoLoss.svg("mono fold-down loss per band") +
         legend({{kMonoLossColor, "mix"}, {kReferenceColor, "references"}});
}

/** A heat map colour for a fraction 0..1: white to deep red. */
std::string heat(double fraction) {
  const double at = std::clamp(fraction, 0.0, 1.0);
  const auto channel = [&](int from, int to) { return static_cast<int>(std::lround(from + (to - from) * at)); };
  char text[8];
  std::snprintf(text, sizeof text, "#%02x%02x%02x", channel(0xff, 0xa5), channel(0xf5, 0x0f), channel(0xf0, 0x15));
  return text;
}

std::string maskingSection(const json& report) {
  std::string html = "<h2>Masking</h2>\n";
  const json& tracks = member(member(report, "insight"), "masking");
  if (!tracks.is_array() || tracks.empty())
    return html + "<p>The masking analysis is off: set <code>\"insight\": {\"masking\": true}</code>.</p>\n";
  std::vector<std::string> regions;
  for (const json& region : tracks.front().value("regions", json::array())) regions.push_back(textAt(region, "region"));
  constexpr int kNameWidth = 140;
  constexpr int kRowHeight = 26;
  const int cellWidth = (kChartWidth - kNameWidth - 90) / std::max<int>(1, static_cast<int>(regions.size()));
  const int height = kRowHeight * (static_cast<int>(tracks.size()) + 1) + 8;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(kChartWidth) + "\" height=\"" +
                    std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(kChartWidth) + " " + std::to_string(height) +
                    "\" role=\"img\" aria-label=\"masking heat map\">\n";
  for (std::size_t column = 0; column < regions.size(); ++column)
    svg += "<text x=\"" + std::to_string(kNameWidth + static_cast<int>(column) * cellWidth + cellWidth / 2) +
           "\" y=\"18\" text-anchor=\"middle\">" + escaped(regions[column]) + "</text>\n";
  svg += "<text x=\"" + std::to_string(kNameWidth + static_cast<int>(regions.size()) * cellWidth + 45) +
         "\" y=\"18\" text-anchor=\"middle\">all</text>\n";
  struct Pair {
    double weight;
    std::string text;
  };
  std::vector<Pair> pairs;
  for (std::size_t row = 0; row < tracks.size(); ++row) {
    const json& track = tracks[row];
    const std::string name = textAt(track, "track");
    const int y = kRowHeight * (static_cast<int>(row) + 1);
    svg += "<text x=\"" + std::to_string(kNameWidth - 8) + "\" y=\"" + std::to_string(y + 17) + "\" text-anchor=\"end\">" +
           escaped(name) + "</text>\n";
    const json& trackRegions = track.value("regions", json::array());
    for (std::size_t column = 0; column < trackRegions.size() && column < regions.size(); ++column) {
      const json& region = trackRegions[column];
      const std::optional<double> fraction = numberAt(region, "masked_fraction");
      std::string title = name + ", " + regions[column];
      if (fraction) {
        title += ": masked " + fixed(*fraction * 100, 0) + "% of its audible time";
        const json& maskers = region.value("maskers", json::array());
        if (!maskers.empty() && numberAt(maskers.front(), "share"))
          title += ", mostly by " + textAt(maskers.front(), "track") + " (" + fixed(*numberAt(maskers.front(), "share") * 100, 0) + "%)";
      } else {
        title += ": not audible";
      }
      const int x = kNameWidth + static_cast<int>(column) * cellWidth;
      svg += "<rect x=\"" + std::to_string(x + 1) + "\" y=\"" + std::to_string(y + 1) + "\" width=\"" +
             std::to_string(cellWidth - 2) + "\" height=\"" + std::to_string(kRowHeight - 2) + "\" fill=\"" +
             (fraction ? heat(*fraction) : std::string("#f4f4f4")) + "\"><title>" + escaped(title) + "</title></rect>\n";
      svg += "<text x=\"" + std::to_string(x + cellWidth / 2) + "\" y=\"" + std::to_string(y + 17) + "\" text-anchor=\"middle\"" +
             (fraction && *fraction > 0.55 ? " fill=\"#fff\"" : "") + ">" + (fraction ? fixed(*fraction * 100, 0) + "%" : "&#8211;") +
             "</text>\n";
    }
    const std::optional<double> overall = numberAt(track, "masked_fraction");
    svg += "<text x=\"" + std::to_string(kNameWidth + static_cast<int>(regions.size()) * cellWidth + 45) + "\" y=\"" +
           std::to_string(y + 17) + "\" text-anchor=\"middle\">" + (overall ? fixed(*overall * 100, 0) + "%" : "&#8211;") +
           "</text>\n";
    for (const json& masker : track.value("maskers", json::array())) {
      const std::optional<double> share = numberAt(masker, "share");
      if (!overall || !share) continue;
      pairs.push_back({*overall * *share, name + " masked by " + textAt(masker, "track") + ": " + fixed(*overall * 100, 0) +
                                              "% of its audible time, " + fixed(*share * 100, 0) + "% of it by " +
                                              textAt(masker, "track")});
    }
  }
  svg += "</svg>\n";
  std::stable_sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) { return a.weight > b.weight; });
  html += "<p>Share of each track's audible time in each region where the other tracks mask it.</p>\n" + svg +
          "<h3>Worst pairs</h3>\n<ol>\n";
  for (std::size_t at = 0; at < pairs.size() && at < 8; ++at) html += "<li>" + escaped(pairs[at].text) + "</li>\n";
  return html + "</ol>\n";
}

std::string levelsSection(const json& report) {
  std::string html = "<h2>Tracks and buses</h2>\n";
  if (!report.contains("nodes") || report.at("nodes").empty()) return html;
  const json& nodes = report.at("nodes");
  constexpr int kNameWidth = 150;
  constexpr int kRowHeight = 22;
  constexpr int kPeakWidth = 440;
  constexpr int kReductionLeft = kNameWidth + kPeakWidth + 90;
  constexpr int kReductionWidth = kChartWidth - kReductionLeft - 70;
  constexpr double kFloorDb = -60.0;
  constexpr double kMostReductionDb = 24.0;
  const int height = kRowHeight * (static_cast<int>(nodes.size()) + 1) + 6;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(kChartWidth) + "\" height=\"" +
                    std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(kChartWidth) + " " + std::to_string(height) +
                    "\" role=\"img\" aria-label=\"peaks and gain reduction\">\n";
  svg += "<text x=\"" + std::to_string(kNameWidth) + "\" y=\"15\">output peak (dBFS, from -60)</text>\n<text x=\"" +
         std::to_string(kReductionLeft) + "\" y=\"15\">most gain reduction (dB, to 24)</text>\n";
  for (std::size_t row = 0; row < nodes.size(); ++row) {
    const json& node = nodes[row];
    const int y = kRowHeight * (static_cast<int>(row) + 1);
    svg += "<text x=\"" + std::to_string(kNameWidth - 8) + "\" y=\"" + std::to_string(y + 15) + "\" text-anchor=\"end\">" +
           escaped(textAt(node, "name")) + " <tspan fill=\"#888\">" + escaped(textAt(node, "kind")) + "</tspan></text>\n";
    svg += "<rect x=\"" + std::to_string(kNameWidth) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" +
           std::to_string(kPeakWidth) + "\" height=\"" + std::to_string(kRowHeight - 6) + "\" fill=\"#f1f1f1\"/>\n";
    if (const auto peak = numberAt(node, "output_peak_dbfs")) {
      const double width = kPeakWidth * std::clamp((*peak - kFloorDb) / -kFloorDb, 0.0, 1.0);
      svg += "<rect x=\"" + std::to_string(kNameWidth) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" + fixed(width, 1) +
             "\" height=\"" + std::to_string(kRowHeight - 6) + "\" fill=\"" + (*peak > 0.0 ? kTargetColor : kPeakColor) + "\"/>\n";
    }
    svg += "<text x=\"" + std::to_string(kNameWidth + kPeakWidth + 6) + "\" y=\"" + std::to_string(y + 15) + "\">" +
           cell(numberAt(node, "output_peak_dbfs"), 1) + "</text>\n";
    if (const auto reduction = numberAt(node, "max_gain_reduction_db")) {
      const double width = kReductionWidth * std::clamp(*reduction / kMostReductionDb, 0.0, 1.0);
      std::string title;
      for (const json& stage : node.value("dynamics", json::array()))
        title += (title.empty() ? "" : ", ") + textAt(stage, "name") + " " + cell(numberAt(stage, "max_gain_reduction_db"), 1, " dB");
      svg += "<rect x=\"" + std::to_string(kReductionLeft) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" + fixed(width, 1) +
             "\" height=\"" + std::to_string(kRowHeight - 6) + "\" fill=\"" + kReductionColor + "\"><title>" + escaped(title) +
             "</title></rect>\n<text x=\"" + fixed(kReductionLeft + width + 6, 1) + "\" y=\"" + std::to_string(y + 15) + "\">" +
             fixed(*reduction, 1) + "</text>\n";
    }
  }
  return html + svg + "</svg>\n";
}

std::string outputsSection(const json& report) {
  std::string html = "<h2>Outputs</h2>\n<table><tr><th>File</th><th>Integrated</th><th>True peak</th><th>Sample peak</th>"
                     "<th>RMS</th><th>Range</th><th>Clipped</th></tr>\n";
  for (const json& output : report.value("outputs", json::array()))
    html += "<tr><td>" + escaped(textAt(output, "file")) + "</td><td>" + cell(numberAt(output, "integrated_lufs"), 1, " LUFS") +
            "</td><td>" + cell(numberAt(output, "true_peak_dbtp"), 1, " dBTP") + "</td><td>" +
            cell(numberAt(output, "sample_peak_dbfs"), 1, " dBFS") + "</td><td>" + cell(numberAt(output, "rms_dbfs"), 1, " dBFS") +
            "</td><td>" + cell(numberAt(output, "loudness_range_lu"), 1, " LU") + "</td><td>" +
            cell(numberAt(output, "clipped_samples"), 0) + "</td></tr>\n";
  return html + "</table>\n";
}

constexpr const char* kStyle =
    "body{font-family:sans-serif;font-size:14px;color:#222;background:#fff;margin:24px auto;max-width:940px;padding:0 10px}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}"
    "h3{font-size:15px}small{color:#666}.meta,.note{color:#666}.ok{color:#2e7d32}"
    "table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ddd;padding:4px 8px;text-align:right}"
    "th:first-child,td:first-child{text-align:left}th{background:#f6f6f6}"
    ".figures td{font-size:16px}ul.warnings li{color:#a04000}"
    "svg{display:block;font-size:11px;fill:#333}.legend span{margin-right:16px}"
    ".legend i{display:inline-block;width:10px;height:10px;margin-right:5px}";

}  // namespace

std::string htmlPage(const json& report, const std::vector<analysis::LoudnessReading>& mixLoudness) {
  return std::string("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>") +
         escaped(textAt(report, "session")) + " &#8211; mixdown</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n" +
         summarySection(report) + loudnessSection(report, mixLoudness) + spectrumSection(report) + maskingSection(report) +
         levelsSection(report) + stereoSection(report) + outputsSection(report) + "</body>\n</html>\n";
}

}  // namespace mixdown::render
