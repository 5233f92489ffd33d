// lib/fat32/file_data.cc — file contents: reading, writing (with allocation) and truncation.
#include "lib/fat32/file_system.h"

#include "lib/fat32/layout.h"

namespace hiillos::fat32 {
namespace {

// Walks one file's chain forward, cluster by cluster, allocating past its end on request,
// starting from the remembered position when it is on the way. A chain cannot hold more
// clusters than the volume has, so reaching that index means it loops: kChainLoop.
template <typename Hint>
class ChainCursor {
 public:
  ChainCursor(FatTable& fat, Node& node, Hint& hint) : fat_(fat), node_(node), hint_(hint) {}

  Result<uint32_t, Error> Seek(uint32_t index, bool allocate) {
    const Geometry& g = fat_.geometry();
    if (node_.first_cluster == 0) {
      if (!allocate) return Err(Error::kChainTooShort);
      node_.first_cluster = TRY(fat_.Allocate(0));
    }
    if (!g.IsValidCluster(node_.first_cluster)) return Err(Error::kBadCluster);
    if (cluster_ == 0 || index < index_) {
      cluster_ = node_.first_cluster;
      index_ = 0;
      if (hint_.first_cluster == node_.first_cluster && hint_.index <= index &&
          hint_.free_generation == fat_.free_generation()) {
        cluster_ = hint_.cluster;
        index_ = hint_.index;
      }
    }
    while (index_ < index) {
      if (index_ + 1 >= g.cluster_count) return Err(Error::kChainLoop);
      uint32_t next = TRY(fat_.Next(cluster_));
      if (next == 0) {
        if (!allocate) return Err(Error::kChainTooShort);
        next = TRY(fat_.Allocate(cluster_));
      }
      cluster_ = next;
      ++index_;
    }
    hint_ = {node_.first_cluster, index_, cluster_, fat_.free_generation()};
    return cluster_;
  }

 private:
  FatTable& fat_;
  Node& node_;
  Hint& hint_;
  uint32_t cluster_ = 0;
  uint32_t index_ = 0;
};

void Copy(uint8_t* to, const uint8_t* from, size_t count) {
  for (size_t i = 0; i < count; ++i) to[i] = from[i];
}

// Frees the clusters of `node`'s chain that a file of `size` bytes does not need.
Result<void, Error> TrimChain(FatTable& fat, Node& node, uint32_t size) {
  if (node.first_cluster == 0) return {};
  if (!fat.geometry().IsValidCluster(node.first_cluster)) return Err(Error::kBadCluster);
  const uint32_t bytes = fat.geometry().bytes_per_cluster;
  const uint32_t keep = size / bytes + (size % bytes != 0 ? 1 : 0);
  if (keep == 0) {
    TRY(fat.FreeChain(node.first_cluster));
    node.first_cluster = 0;
    return {};
  }
  const uint32_t last = TRY(fat.Walk(node.first_cluster, keep - 1));
  const uint32_t rest = TRY(fat.Next(last));
  if (rest == 0) return {};
  TRY(fat.Set(last, kFatEndOfChain));
  return fat.FreeChain(rest);
}

}  // namespace

Result<size_t, Error> FileSystem::Read(const Node& file, uint64_t offset, uint8_t* out,
                                       size_t length) {
  if (file.is_directory()) return Err(Error::kIsADirectory);
  if (offset >= file.size || length == 0) return size_t{0};
  if (length > file.size - offset) length = static_cast<size_t>(file.size - offset);
  const Geometry& g = geometry();
  Node node = file;
  ChainCursor cursor(fat_, node, chain_hint_);
  uint8_t sector[kSectorSize];
  size_t done = 0;
  while (done < length) {
    const uint64_t position = offset + done;
    const uint32_t cluster =
        TRY(cursor.Seek(static_cast<uint32_t>(position / g.bytes_per_cluster), false));
    const uint32_t in_cluster = static_cast<uint32_t>(position % g.bytes_per_cluster);
    const uint64_t first =
        static_cast<uint64_t>(g.ClusterSector(cluster)) + in_cluster / kSectorSize;
    const uint32_t in_sector = in_cluster % kSectorSize;
    const size_t remaining = length - done;
    if (in_sector == 0 && remaining >= kSectorSize) {
      const uint32_t left_in_cluster = g.sectors_per_cluster - in_cluster / kSectorSize;
      const uint32_t whole = static_cast<uint32_t>(remaining / kSectorSize);
      const uint32_t count = whole < left_in_cluster ? whole : left_in_cluster;
      TRY(device_.Read(first, count, out + done));
      done += static_cast<size_t>(count) * kSectorSize;
    } else {
      TRY(device_.Read(first, 1, sector));
      const size_t chunk = Min<size_t>(kSectorSize - in_sector, remaining);
      Copy(out + done, sector + in_sector, chunk);
      done += chunk;
    }
  }
  return done;
}

Result<void, Error> FileSystem::WriteRange(Node& file, uint32_t offset, const uint8_t* data,
                                           uint32_t length) {
  const Geometry& g = geometry();
  ChainCursor cursor(fat_, file, chain_hint_);
  uint8_t sector[kSectorSize];
  uint32_t done = 0;
  while (done < length) {
    const uint32_t position = offset + done;
    const uint32_t cluster = TRY(cursor.Seek(position / g.bytes_per_cluster, true));
    const uint32_t in_cluster = position % g.bytes_per_cluster;
    const uint64_t first =
        static_cast<uint64_t>(g.ClusterSector(cluster)) + in_cluster / kSectorSize;
    const uint32_t in_sector = in_cluster % kSectorSize;
    const uint32_t remaining = length - done;
    if (data != nullptr && in_sector == 0 && remaining >= kSectorSize) {
      const uint32_t left_in_cluster = g.sectors_per_cluster - in_cluster / kSectorSize;
      const uint32_t whole = remaining / kSectorSize;
      const uint32_t count = whole < left_in_cluster ? whole : left_in_cluster;
      TRY(device_.Write(first, count, data + done));
      done += count * kSectorSize;
      continue;
    }
    const uint32_t chunk = Min<uint32_t>(kSectorSize - in_sector, remaining);
    if (chunk != kSectorSize) TRY(device_.Read(first, 1, sector));
    for (uint32_t i = 0; i < chunk; ++i) sector[in_sector + i] = data ? data[done + i] : 0;
    TRY(device_.Write(first, 1, sector));
    done += chunk;
  }
  if (offset + length > file.size) file.size = offset + length;
  return {};
}

Result<void, Error> FileSystem::CheckChain(Node& file) {
  if (file.chain_checked || file.first_cluster == 0) return {};
  if (!geometry().IsValidCluster(file.first_cluster)) return Err(Error::kBadCluster);
  TRY(fat_.ChainLength(file.first_cluster));
  file.chain_checked = true;
  return {};
}

Error FileSystem::Abandon(Node& file, Node& grown, Error error) {
  grown.size = file.size;
  if (auto trimmed = TrimChain(fat_, grown, file.size); !trimmed.ok()) return trimmed.error();
  if (auto stored = StoreEntry(grown); !stored.ok()) return stored.error();
  file = grown;
  if (auto synced = Sync(); !synced.ok()) return synced.error();
  return error;
}

Result<size_t, Error> FileSystem::Write(Node& file, uint64_t offset, const uint8_t* data,
                                        size_t length) {
  if (file.is_directory()) return Err(Error::kIsADirectory);
  if (offset > kMaxFileSize || length > kMaxFileSize - offset) return Err(Error::kFileTooLarge);
  if (length == 0) return size_t{0};
  TRY(CheckChain(file));
  Node updated = file;
  auto written = [&]() -> Result<void, Error> {
    if (offset > updated.size) {
      TRY(WriteRange(updated, updated.size, nullptr, static_cast<uint32_t>(offset) - updated.size));
    }
    return WriteRange(updated, static_cast<uint32_t>(offset), data, static_cast<uint32_t>(length));
  }();
  if (!written.ok()) return Err(Abandon(file, updated, written.error()));
  updated.modified = updated.accessed = clock_.NowUnixSeconds();
  TRY(StoreEntry(updated));
  TRY(Sync());
  file = updated;
  return length;
}

Result<void, Error> FileSystem::Truncate(Node& file, uint32_t size) {
  if (file.is_directory()) return Err(Error::kIsADirectory);
  TRY(CheckChain(file));
  Node updated = file;
  if (size > updated.size) {
    auto grown = WriteRange(updated, updated.size, nullptr, size - updated.size);
    if (!grown.ok()) return Err(Abandon(file, updated, grown.error()));
  } else {
    TRY(TrimChain(fat_, updated, size));
    updated.size = size;
  }
  updated.modified = updated.accessed = clock_.NowUnixSeconds();
  TRY(StoreEntry(updated));
  TRY(Sync());
  file = updated;
  return {};
}

}  // namespace hiillos::fat32
