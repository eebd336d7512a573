// Writes docs/reference.md from the parameter tables (`make reference`): the path given, or stdout.
#include <fstream>
#include <iostream>

#include "mixdown/session/reference.h"

int main(int argc, char** argv) {
  const std::string text = mixdown::session::referenceMarkdown();
  if (argc < 2) {
    std::cout << text;
    return 0;
  }
  std::ofstream file(argv[1], std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    std::cerr << "make-reference-docs: cannot write " << argv[1] << '\n';
    return 1;
  }
  return 0;
}
