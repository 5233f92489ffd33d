// tools/initfs/tar_writer.cc — builds the deterministic ustar archive of an initfs.
#include "tools/initfs/tar_writer.h"

#include <map>

#include "lib/ustar/header.h"
#include "tools/initfs/dest_path.h"

namespace hiillos::initfs {
namespace {

constexpr uint32_t kExecutableMode = 0755;
constexpr uint32_t kFileMode = 0644;
constexpr uint32_t kDirectoryMode = 0755;

// One archive member; `file` is null for a directory.
struct Member {
  const InputFile* file = nullptr;
};

std::string FitMessage(const std::string& what) {
  return what + " does not fit a ustar header: it must split at a '/' into a part of at most " +
         std::to_string(ustar::kMaxPrefixLength) + " bytes and a last part of at most " +
         std::to_string(ustar::kMaxNameLength) + " bytes (directories count their trailing '/')";
}

// Collects files and their parent directories, sorted by path.
Expected<std::map<std::string, Member>> CollectMembers(const std::vector<InputFile>& files) {
  std::map<std::string, Member> members;
  for (const InputFile& file : files) {
    if (MaybeFailure bad = CheckDestPath(file.dest)) return *bad;
    const bool inserted = members.emplace(file.dest, Member{&file}).second;
    if (!inserted) return Failure{"duplicate destination '" + file.dest + "'"};
  }
  // Parent directories, after all files are known so conflicts are found in any input order.
  for (const InputFile& file : files) {
    for (size_t slash = file.dest.find('/'); slash != std::string::npos;
         slash = file.dest.find('/', slash + 1)) {
      const std::string parent = file.dest.substr(0, slash);
      auto [it, inserted] = members.emplace(parent, Member{});
      if (!inserted && it->second.file != nullptr) {
        return Failure{"destination '" + parent + "' is also a parent directory of '" + file.dest +
                       "'"};
      }
    }
  }
  return members;
}

MaybeFailure AppendMember(const std::string& path, const Member& member,
                          std::vector<uint8_t>& out) {
  ustar::HeaderFields fields;
  fields.path = path.data();
  fields.path_length = path.size();
  if (member.file == nullptr) {
    fields.type = ustar::EntryType::kDirectory;
    fields.mode = kDirectoryMode;
  } else {
    fields.type = ustar::EntryType::kRegular;
    fields.mode = member.file->executable ? kExecutableMode : kFileMode;
    fields.size = member.file->contents.size();
  }
  uint8_t block[ustar::kBlockSize];
  auto encoded = ustar::EncodeHeader(fields, block);
  if (!encoded.ok()) {
    const std::string what =
        member.file != nullptr ? "destination '" + path + "'" : "parent directory '" + path + "'";
    if (encoded.error() == ustar::Error::kNameTooLong) return Failure{FitMessage(what)};
    if (encoded.error() == ustar::Error::kBadNumber) {
      return Failure{what + " is larger than ustar's limit of 8 GiB - 1 bytes"};
    }
    return Failure{what + ": " + ustar::ErrorName(encoded.error())};
  }
  out.insert(out.end(), block, block + sizeof(block));
  if (member.file != nullptr) {
    const std::vector<uint8_t>& contents = member.file->contents;
    out.insert(out.end(), contents.begin(), contents.end());
    const size_t tail = contents.size() % ustar::kBlockSize;
    if (tail != 0) out.resize(out.size() + (ustar::kBlockSize - tail), 0);
  }
  return std::nullopt;
}

}  // namespace

Expected<std::vector<uint8_t>> BuildTar(const std::vector<InputFile>& files) {
  auto members = CollectMembers(files);
  if (!members.ok()) return members.failure();
  std::vector<uint8_t> out;
  for (const auto& [path, member] : members.value()) {
    if (MaybeFailure bad = AppendMember(path, member, out)) return *bad;
  }
  out.resize(out.size() + ustar::kEndMarkerSize, 0);
  return out;
}

}  // namespace hiillos::initfs
