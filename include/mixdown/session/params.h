#pragma once
// The one description of the session format: every object's keys, types,
// units, ranges and defaults, and one table per processor type. The
// validator, the decoder (defaults), `mixdown schema` and docs/ all read it.

#include <cstddef>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace mixdown::session {

/** The longest time a session may name (clip times, lengths, tails, automation points): a day.
 *  Longer is a typo (a render of days no file could hold), and its frame counts stay far inside 64 bits. */
constexpr double kMaxTimeS = 86400.0;
/**
 * How large a session may be. Far beyond any real mix (a film mix has a few hundred tracks and
 * routes through a handful of buses), yet small enough that validating, planning and rendering the
 * largest session allowed stays within seconds and a few hundred megabytes.
 */
constexpr std::size_t kMaxTracks = 10000;
constexpr std::size_t kMaxBuses = 10000;
/** Strips (tracks and buses) one signal may pass through, following outputs, sends and sidechain keys. */
constexpr std::size_t kMaxRoutingDepth = 4096;
constexpr std::size_t kMaxInsertsPerStrip = 256;
constexpr std::size_t kMaxSendsPerStrip = 256;
constexpr std::size_t kMaxClipsPerTrack = 100000;
constexpr std::size_t kMaxAutomationPoints = 100000;
/** Each variant is checked as the whole session it makes. */
constexpr std::size_t kMaxVariants = 32;
/** Entries of one variant's "set". */
constexpr std::size_t kMaxVariantSets = 256;
/** Dot-separated segments of a --set or variant path (a real one has fewer than ten). */
constexpr std::size_t kMaxOverridePathSegments = 64;
// The longest file path, in bytes (Linux's PATH_MAX less its NUL): a longer one cannot be opened anyway,
// and path checks cost time with its length.
constexpr std::size_t kMaxPathBytes = 4095;

/** Reference tracks one session may name (each is read in full by every render). */
constexpr std::size_t kMaxReferences = 16;
/** The masking analysis compares every pair of tracks: beyond this many its cost grows past the render's own. */
constexpr std::size_t kMaxMaskingTracks = 256;
/** Whether insight.masking is on when the session does not say: off, since it more than doubles the time of a
    plain render (docs/insight.md gives the measured cost). */
constexpr bool kMaskingByDefault = false;

/** Render and output sample rates a session may ask for. */
constexpr int kMinSampleRateHz = 8000;
constexpr int kMaxSampleRateHz = 384000;

/** The unit of values in beats of the session's tempo (they need a "tempo"). */
inline constexpr std::string_view kBeatsUnit = "beats";

enum class ValueKind {
  Number,     // finite number within [minimum, maximum]
  Integer,    // whole number within [minimum, maximum]
  Boolean,
  String,     // free text
  Name,       // 1-64 letters, digits, space, '_', '-', '.'
  Path,       // non-empty path, relative to the session file's directory
  Choice,     // one of `choices` (strings or numbers)
  Object,     // keys of `object`
  Array,      // elements of items[0]
  Map,        // free keys (names) -> items[0]
  OneOf,      // one of `alternatives`, told apart by JSON type
  Processor,  // an insert: keys of the processor table named by its "type"
  Any,        // any JSON value (checked elsewhere)
};

struct ObjectSpec;

struct ValueSpec {
  ValueKind kind = ValueKind::Number;
  std::string unit;  // "dB", "dBFS", "Hz", "ms", "s", "LUFS", "dBTP" or "" for unitless
  double minimum = -std::numeric_limits<double>::infinity();
  double maximum = std::numeric_limits<double>::infinity();
  bool exclusiveMinimum = false;
  bool automatable = false;  // also accepts an automation object
  std::vector<nlohmann::json> choices;
  const ObjectSpec* object = nullptr;
  std::vector<ValueSpec> items;         // Array / Map: exactly one element, the item spec
  std::vector<ValueSpec> alternatives;  // OneOf
  std::size_t minItems = 0;
  std::size_t maxItems = std::numeric_limits<std::size_t>::max();
};

struct FieldSpec {
  std::string key;
  ValueSpec value;
  nlohmann::json defaultValue;  // null: required, or "not set" when absent
  bool required = false;
  std::string description;
  /** Non-empty for an automatable parameter whose automation the format allows but this
      version refuses to render: why (check_renderable names it; the schema says so). */
  std::string automationNotRendered;
};

struct ObjectSpec {
  std::string name;  // the schema's $defs name
  std::string description;
  std::vector<FieldSpec> fields;

  const FieldSpec* field(std::string_view key) const;
  /** The field's default; throws std::logic_error for a key the table lacks. */
  const nlohmann::json& defaultOf(std::string_view key) const;
};

const ObjectSpec& sessionSpec();
const ObjectSpec& tempoSpec();
const ObjectSpec& trackSpec();
const ObjectSpec& busSpec();
const ObjectSpec& clipSpec();
const ObjectSpec& sendSpec();
const ObjectSpec& masterSpec();
const ObjectSpec& loudnessSpec();
const ObjectSpec& loudnessLimiterSpec();
const ObjectSpec& outputsSpec();
const ObjectSpec& mixOutputSpec();
const ObjectSpec& stemsOutputSpec();
const ObjectSpec& variantSpec();
const ObjectSpec& insightSpec();
const ObjectSpec& maskingLimitSpec();
const ObjectSpec& automationSpec();
const ObjectSpec& sidechainSpec();
const ObjectSpec& eqBandSpec();
const ObjectSpec& dynamicEqBandSpec();

/** Every processor type's table (keys include type, name and bypass), by type. */
const std::map<std::string, ObjectSpec, std::less<>>& processorSpecs();
const ObjectSpec* processorSpec(std::string_view type);

}  // namespace mixdown::session
