#pragma once
// The host's URID map (LV2 urid:map and urid:unmap): one table for the whole
// process, so every plugin instance sees the same number for the same URI.
// Mapping may be called from any thread; it takes a mutex, so plugins map
// what they need in instantiate() (as the spec advises), not in run().

#include <lv2/urid/urid.h>

namespace mixdown::plugins {

/** The process-wide map: its features' data (LV2_URID_Map / LV2_URID_Unmap) outlive every instance. */
LV2_URID_Map* uridMap() noexcept;
LV2_URID_Unmap* uridUnmap() noexcept;

/** The URID of uri (mapping it first if new). */
LV2_URID mapUri(const char* uri);

}  // namespace mixdown::plugins
