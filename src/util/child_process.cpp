#include "mixdown/util/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <iostream>
#include <system_error>

#include "mixdown/util/cancellation.h"

namespace mixdown {

namespace {

constexpr int kWatchIntervalMs = 100;
constexpr int kWorkThrewStatus = 70;  // sysexits' EX_SOFTWARE

void writeAll(int descriptor, const std::string& text) noexcept {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t written = write(descriptor, text.data() + done, text.size() - done);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return;  // the parent is gone: nobody to tell
    done += static_cast<std::size_t>(written);
  }
}

[[noreturn]] void runChild(const std::function<int(std::string&)>& work, int payloadOut) noexcept {
  int status = kWorkThrewStatus;
  std::string payload;
  try {
    status = work(payload);
  } catch (...) {
    payload.clear();
  }
  writeAll(payloadOut, payload);
  close(payloadOut);
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  _exit(status);
}

/** Reads what is there (payloadIn is non-blocking); false at the end of the stream. */
bool drain(int payloadIn, std::string& payload) {
  char buffer[65536];
  for (;;) {
    const ssize_t got = read(payloadIn, buffer, sizeof buffer);
    if (got > 0) {
      payload.append(buffer, static_cast<std::size_t>(got));
      continue;
    }
    if (got == 0) return false;
    if (errno == EINTR) continue;
    return errno == EAGAIN;
  }
}

}  // namespace

ChildEnd runInChild(const std::function<int(std::string& payload)>& work, const std::function<void(pid_t child)>& watch) {
  int pipeEnds[2];
  if (pipe2(pipeEnds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
  fcntl(pipeEnds[0], F_SETFL, O_NONBLOCK);
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  const pid_t child = fork();
  if (child < 0) {
    const int error = errno;
    close(pipeEnds[0]);
    close(pipeEnds[1]);
    throw std::system_error(error, std::generic_category(), "fork");
  }
  if (child == 0) {
    close(pipeEnds[0]);
    runChild(work, pipeEnds[1]);
  }
  close(pipeEnds[1]);
  ChildEnd end;
  bool open = true;
  int forwarded = 0;
  for (;;) {
    if (open) {
      pollfd readable{pipeEnds[0], POLLIN, 0};
      if (poll(&readable, 1, kWatchIntervalMs) > 0) open = drain(pipeEnds[0], end.payload);
    } else {
      usleep(kWatchIntervalMs * 1000);
    }
    int status = 0;
    const pid_t done = waitpid(child, &status, WNOHANG);
    if (done == child) {
      if (open) drain(pipeEnds[0], end.payload);
      if (WIFEXITED(status)) end.exitStatus = WEXITSTATUS(status);
      if (WIFSIGNALED(status)) end.signal = WTERMSIG(status);
      break;
    }
    if (const int stop = cancellationSignal(); stop != 0 && stop != forwarded) {
      kill(child, stop);
      forwarded = stop;
    }
    watch(child);
  }
  close(pipeEnds[0]);
  return end;
}

}  // namespace mixdown
