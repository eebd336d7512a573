#include "support/cli_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "support/sound_fixtures.h"

extern char** environ;

namespace mixdown::test {

namespace {

namespace fs = std::filesystem;

/** Closes a file descriptor once. */
class FileDescriptor {
public:
  explicit FileDescriptor(int descriptor = -1) : descriptor_(descriptor) {}
  ~FileDescriptor() { close(); }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const noexcept { return descriptor_; }
  void close() noexcept {
    if (descriptor_ >= 0) ::close(descriptor_);
    descriptor_ = -1;
  }

private:
  int descriptor_;
};

/** A pipe whose ends close on exec (the child gets them only through dup2). */
struct Pipe {
  Pipe() {
    std::array<int, 2> ends{};
    if (pipe2(ends.data(), O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
    readEnd = std::make_unique<FileDescriptor>(ends[0]);
    writeEnd = std::make_unique<FileDescriptor>(ends[1]);
  }
  std::unique_ptr<FileDescriptor> readEnd;
  std::unique_ptr<FileDescriptor> writeEnd;
};

/** posix_spawn's file actions, destroyed on scope exit. */
class SpawnActions {
public:
  SpawnActions() { posix_spawn_file_actions_init(&actions_); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions_); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
  posix_spawn_file_actions_t* get() noexcept { return &actions_; }

private:
  posix_spawn_file_actions_t actions_{};
};

/** Reads both pipes until both close or the deadline passes; false on timeout. */
bool drain(int outDescriptor, int errDescriptor, std::string& out, std::string& err,
           std::chrono::steady_clock::time_point deadline) {
  std::array<pollfd, 2> watched{pollfd{outDescriptor, POLLIN, 0}, pollfd{errDescriptor, POLLIN, 0}};
  std::array<std::string*, 2> sinks{&out, &err};
  int open = 2;
  std::array<char, 65536> buffer{};
  while (open > 0) {
    const auto remaining =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (remaining <= 0) return false;
    const int ready = poll(watched.data(), watched.size(), static_cast<int>(std::min<long long>(remaining, 1000)));
    if (ready < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
    }
    for (std::size_t index = 0; index < watched.size(); ++index) {
      if (watched[index].fd < 0 || watched[index].revents == 0) continue;
      const ssize_t count = read(watched[index].fd, buffer.data(), buffer.size());
      if (count > 0) {
        sinks[index]->append(buffer.data(), static_cast<std::size_t>(count));
      } else if (count == 0 || errno != EINTR) {
        watched[index].fd = -1;
        --open;
      }
    }
  }
  return true;
}

std::string fileHash(const fs::path& path) { return sha256Hex(fileBytes(path)); }

}  // namespace

std::string CommandResult::status() const {
  if (timedOut) return "timed out";
  if (signal != 0) return "signal " + std::to_string(signal);
  return "exit " + std::to_string(exitStatus);
}

CommandResult runProgram(const fs::path& program, const std::vector<std::string>& arguments,
                         const fs::path& workingDir, double timeoutS) {
  Pipe outPipe;
  Pipe errPipe;
  SpawnActions actions;
  posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(actions.get(), outPipe.writeEnd->get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(actions.get(), errPipe.writeEnd->get(), STDERR_FILENO);
  const std::string directory = workingDir.string();
  posix_spawn_file_actions_addchdir_np(actions.get(), directory.c_str());

  const std::string programText = program.string();
  std::vector<std::string> argumentStorage;
  argumentStorage.push_back(programText);
  argumentStorage.insert(argumentStorage.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& argument : argumentStorage) argv.push_back(argument.data());
  argv.push_back(nullptr);

  pid_t child = 0;
  const int spawned = posix_spawn(&child, programText.c_str(), actions.get(), nullptr, argv.data(), environ);
  if (spawned != 0) throw std::runtime_error("cannot run " + programText + ": " + std::strerror(spawned));
  outPipe.writeEnd->close();
  errPipe.writeEnd->close();

  CommandResult result;
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(timeoutS));
  if (!drain(outPipe.readEnd->get(), errPipe.readEnd->get(), result.out, result.err, deadline)) {
    result.timedOut = true;
    kill(child, SIGKILL);
  }
  int waitStatus = 0;
  struct rusage usage {};
  while (wait4(child, &waitStatus, 0, &usage) < 0)
    if (errno != EINTR) throw std::runtime_error(std::string("wait4: ") + std::strerror(errno));
  result.peakResidentKib = usage.ru_maxrss;
  if (WIFEXITED(waitStatus)) result.exitStatus = WEXITSTATUS(waitStatus);
  if (WIFSIGNALED(waitStatus)) result.signal = WTERMSIG(waitStatus);
  return result;
}

fs::path mixdownBinary() { return fs::path(MIXDOWN_BINARY); }

CommandResult runMixdown(const std::vector<std::string>& arguments, const fs::path& workingDir) {
  return runProgram(mixdownBinary(), arguments, workingDir);
}

TreeSnapshot snapshotTree(const fs::path& root) {
  TreeSnapshot snapshot;
  for (auto iterator = fs::recursive_directory_iterator(root, fs::directory_options::none);
       iterator != fs::recursive_directory_iterator(); ++iterator) {
    const fs::path& path = iterator->path();
    struct stat status {};
    if (lstat(path.c_str(), &status) != 0) continue;  // vanished while listing
    EntryState entry;
    entry.permissions = status.st_mode & 07777;
    if (S_ISREG(status.st_mode)) {
      entry.kind = 'f';
      entry.size = static_cast<std::uintmax_t>(status.st_size);
      entry.mtimeNs = static_cast<std::int64_t>(status.st_mtim.tv_sec) * 1000000000 + status.st_mtim.tv_nsec;
      entry.sha256 = fileHash(path);
    } else if (S_ISDIR(status.st_mode)) {
      // A directory's own mtime moves when a temporary file comes and goes; what
      // matters is what it holds, which the other entries record.
      entry.kind = 'd';
      if ((status.st_mode & S_IRUSR) == 0 || (status.st_mode & S_IXUSR) == 0) iterator.disable_recursion_pending();
    } else if (S_ISLNK(status.st_mode)) {
      entry.kind = 'l';
      entry.linkTarget = fs::read_symlink(path).string();
    }
    snapshot.emplace(path.lexically_relative(root).generic_string(), entry);
  }
  return snapshot;
}

std::string describeTreeChanges(const TreeSnapshot& before, const TreeSnapshot& after) {
  std::string changes;
  for (const auto& [path, entry] : after) {
    const auto found = before.find(path);
    if (found == before.end()) changes += "created: " + path + "\n";
    else if (!(found->second == entry)) changes += "changed: " + path + "\n";
  }
  for (const auto& [path, entry] : before)
    if (!after.count(path)) changes += "removed: " + path + "\n";
  return changes;
}

}  // namespace mixdown::test
