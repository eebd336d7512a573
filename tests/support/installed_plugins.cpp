#include "support/installed_plugins.h"

#include <doctest/doctest.h>

#include "mixdown/plugins/plugin_description.h"

namespace mixdown::test {

bool pluginInstalled(const std::string& uri, const std::string& package) {
  if (plugins::describePlugin(uri)) return true;
  MESSAGE("skipped: the LV2 plugin " << uri << " is not installed (Debian package " << package
                                      << ", scripts/install-test-plugins.sh installs it)");
  return false;
}

}  // namespace mixdown::test
