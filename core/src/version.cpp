// core/src/version.cpp — the version of the library actually loaded.
#include <retort/version.hpp>

namespace retort {

// Compiled into the library, so a program built against older headers still learns which
// library it runs with.
const char* version() noexcept {
  return RETORT_VERSION_STRING;
}

}  // namespace retort
