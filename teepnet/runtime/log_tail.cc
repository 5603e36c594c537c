#include "teepnet/runtime/log_tail.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace teepnet::runtime {

std::string ReadLogTail(const std::string& path, size_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  struct stat st {};
  std::string tail(max_bytes, '\0');
  ssize_t got = -1;
  if (::fstat(fd, &st) == 0) {
    const off_t from =
        st.st_size > static_cast<off_t>(max_bytes) ? st.st_size - static_cast<off_t>(max_bytes) : 0;
    got = ::pread(fd, tail.data(), tail.size(), from);
  }
  ::close(fd);
  if (got <= 0) return "";
  tail.resize(static_cast<size_t>(got));
  return tail;
}

}  // namespace teepnet::runtime
