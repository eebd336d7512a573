#pragma once
// Tests that render real LV2 plugins (Debian packages installed by
// scripts/install-test-plugins.sh) skip, saying so, where one is absent.

#include <string>

namespace mixdown::test {

/** URIs of the plugins the tests use. */
inline constexpr const char* kEgAmp = "http://lv2plug.in/plugins/eg-amp";                          // lv2-examples
inline constexpr const char* kX42LimiterMono = "http://gareus.org/oss/lv2/dpl#mono";               // x42-plugins
inline constexpr const char* kSwhLookaheadLimiter = "http://plugin.org.uk/swh-plugins/fastLookaheadLimiter";  // swh-lv2
inline constexpr const char* kLspLimiterMono = "http://lsp-plug.in/plugins/lv2/limiter_mono";      // lsp-plugins-lv2
inline constexpr const char* kLspSidechainCompressorStereo = "http://lsp-plug.in/plugins/lv2/sc_compressor_stereo";  // lsp-plugins-lv2
inline constexpr const char* kX42ZeroConvolverMono = "http://gareus.org/oss/lv2/zeroconvolv#Mono";  // x42-plugins

/** Whether uri is installed; when not, a MESSAGE says the test is skipped and which package brings it. */
bool pluginInstalled(const std::string& uri, const std::string& package);

}  // namespace mixdown::test
