// tools/initfs/pack_command.cc — the initfs_pack command line: options, then read → tar → zstd.
#include "tools/initfs/pack_command.h"

#include <zstd.h>

#include <charconv>
#include <utility>

#include "tools/initfs/host_files.h"
#include "tools/initfs/tar_writer.h"
#include "tools/initfs/zstd_compress.h"

namespace hiillos::initfs {
namespace {

constexpr char kUsage[] =
    "usage: initfs_pack --output OUT.tar.zst [--level N] [--uncompressed OUT.tar] "
    "DEST=SRC...\n"
    "  Packs each host file SRC as DEST (a relative path such as sbin/init) into a\n"
    "  deterministic ustar archive (sorted, parent directories explicit, mtime/uid/gid 0,\n"
    "  mode 0755 for executable sources else 0644) compressed as one zstd frame\n"
    "  (default level 19, content size and checksum recorded).\n";

// Matches "--name VALUE" and "--name=VALUE"; advances *i past what it consumed.
Expected<bool> TakeOption(const std::vector<std::string>& args, size_t* i, const std::string& name,
                          std::string* value) {
  const std::string& arg = args[*i];
  if (arg == name) {
    if (*i + 1 >= args.size()) return Failure{name + " needs a value"};
    *value = args[*i + 1];
    *i += 2;
    return true;
  }
  if (arg.size() > name.size() && arg.compare(0, name.size(), name) == 0 &&
      arg[name.size()] == '=') {
    *value = arg.substr(name.size() + 1);
    *i += 1;
    return true;
  }
  return false;
}

Expected<int> ParseLevel(const std::string& text) {
  int level = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, level);
  if (text.empty() || ec != std::errc() || ptr != end || !IsValidZstdLevel(level)) {
    return Failure{"--level expects an integer from 1 to " + std::to_string(ZSTD_maxCLevel()) +
                   ", got '" + text + "'"};
  }
  return level;
}

Expected<Mapping> ParseMapping(const std::string& arg) {
  const size_t equals = arg.find('=');
  if (equals == std::string::npos) return Failure{"expected DEST=SRC, got '" + arg + "'"};
  Mapping mapping{arg.substr(0, equals), arg.substr(equals + 1)};
  if (mapping.src.empty()) return Failure{"no source file given for '" + mapping.dest + "'"};
  return mapping;
}

}  // namespace

Expected<PackOptions> ParsePackArgs(const std::vector<std::string>& args) {
  PackOptions options;
  bool options_done = false;
  std::string level_text;
  for (size_t i = 0; i < args.size();) {
    const std::string& arg = args[i];
    if (!options_done && arg.rfind("-", 0) == 0) {
      if (arg == "--") {
        options_done = true;
        ++i;
        continue;
      }
      if (arg == "--help" || arg == "-h") {
        options.help = true;
        ++i;
        continue;
      }
      const std::pair<const char*, std::string*> value_options[] = {
          {"--output", &options.output},
          {"--uncompressed", &options.uncompressed},
          {"--level", &level_text},
      };
      bool matched = false;
      for (const auto& [name, value] : value_options) {
        auto taken = TakeOption(args, &i, name, value);
        if (!taken.ok()) return taken.failure();
        matched = taken.value();
        if (matched) break;
      }
      if (!matched) return Failure{"unknown option '" + arg + "'"};
      if (!level_text.empty()) {
        auto level = ParseLevel(level_text);
        if (!level.ok()) return level.failure();
        options.level = level.value();
        level_text.clear();
      }
      continue;
    }
    auto mapping = ParseMapping(arg);
    if (!mapping.ok()) return mapping.failure();
    options.mappings.push_back(mapping.value());
    ++i;
  }
  if (options.help) return options;
  if (options.output.empty()) return Failure{"--output is required"};
  if (options.mappings.empty()) return Failure{"no DEST=SRC arguments: nothing to pack"};
  return options;
}

int RunPack(const std::vector<std::string>& args, std::ostream& err) {
  auto options = ParsePackArgs(args);
  if (!options.ok()) {
    err << "initfs_pack: error: " << options.failure().message << "\n" << kUsage;
    return kExitUsage;
  }
  if (options.value().help) {
    err << kUsage;
    return kExitOk;
  }
  const PackOptions& opts = options.value();
  auto fail = [&err](const Failure& failure) {
    err << "initfs_pack: error: " << failure.message << "\n";
    return kExitFailure;
  };

  std::vector<InputFile> files;
  for (const Mapping& mapping : opts.mappings) {
    auto file = ReadInputFile(mapping.dest, mapping.src);
    if (!file.ok()) return fail(file.failure());
    files.push_back(std::move(file.value()));
  }
  auto tar = BuildTar(files);
  if (!tar.ok()) return fail(tar.failure());
  auto compressed = CompressZstd(tar.value(), opts.level);
  if (!compressed.ok()) return fail(compressed.failure());

  if (!opts.uncompressed.empty()) {
    if (MaybeFailure bad = WriteOutputFile(opts.uncompressed, tar.value())) return fail(*bad);
  }
  if (MaybeFailure bad = WriteOutputFile(opts.output, compressed.value())) return fail(*bad);
  return kExitOk;
}

}  // namespace hiillos::initfs
