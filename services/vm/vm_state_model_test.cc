// services/vm/vm_state_model_test.cc — random sequences of every VmState operation against a
// plain std::map model: the same operations succeed, regions stay sorted, non-overlapping and
// inside user space, charged pages equal the sum of region pages within the budget, frame
// reference counts match, and exactly the frames whose last user went are released.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <vector>

#include "lib/base/page_size.h"
#include "services/vm/vm_state.h"

namespace hiillos::vm {
namespace {

constexpr uint64_t P = kPageSize;
constexpr uint64_t kWindow = 0x100000;  // fixed maps, faults and unmaps land in 96 pages here
constexpr uint64_t kWindowPages = 96;
constexpr Pid kPids = 4;

struct ModelRegion {
  uint64_t pages;
  RegionKind kind;
  uint8_t protection;
  uint8_t max_protection;
  FrameId frame;
};

struct ModelSpace {
  uint64_t budget_pages;
  std::map<uint64_t, ModelRegion> regions;  // by start
  uint64_t Charged() const {
    uint64_t sum = 0;
    for (const auto& [start, r] : regions) sum += r.pages;
    return sum;
  }
};

bool ValidProtection(uint8_t p) {
  return CheckProtection(p) == ProtectionCheck::kOk;
}

class Model {
 public:
  std::map<Pid, ModelSpace> spaces;
  std::map<std::pair<Pid, uint64_t>, FrameId> resident;
  std::map<FrameId, uint32_t> frame_refs;
  std::multiset<FrameId> released;

  bool Free(const ModelSpace& s, uint64_t start, uint64_t pages) const {
    if (start < kUserBase || start + pages * P > kUserEnd) return false;
    for (const auto& [rs, r] : s.regions) {
      if (rs < start + pages * P && start < rs + r.pages * P) return false;
    }
    return true;
  }
  bool Fits(const ModelSpace& s, uint64_t start, uint64_t pages) const {
    return Free(s, start, pages) && s.regions.size() < kMaxRegions &&
           s.Charged() + pages <= s.budget_pages;
  }
  // The start first fit (lowest) or best fit (tightest gap, lowest among equals) picks, or 0.
  uint64_t Fit(const ModelSpace& s, uint64_t pages, uint64_t alignment, FitPolicy policy) const {
    std::vector<std::pair<uint64_t, uint64_t>> gaps;  // [start, end) between regions
    uint64_t gap_start = kUserBase;
    for (const auto& [rs, r] : s.regions) {
      gaps.push_back({gap_start, rs});
      gap_start = rs + r.pages * P;
    }
    gaps.push_back({gap_start, kUserEnd});
    uint64_t best = 0, best_gap = ~uint64_t{0};
    for (size_t i = 0; i < gaps.size(); ++i) {
      const uint64_t low = gaps[i].first + (i > 0 ? P : 0);
      const uint64_t high = gaps[i].second - (i + 1 < gaps.size() ? P : 0);
      const uint64_t candidate = (low + alignment - 1) & ~(alignment - 1);
      if (candidate >= high || high - candidate < pages * P) continue;
      if (policy == FitPolicy::kFirstFit) return candidate;
      if (gaps[i].second - gaps[i].first < best_gap) {
        best = candidate;
        best_gap = gaps[i].second - gaps[i].first;
      }
    }
    return best;
  }
  // A searched start must be free with a guard page to each neighbour and aligned.
  bool GoodSearchResult(const ModelSpace& s, uint64_t start, uint64_t pages,
                        uint64_t alignment) const {
    const uint64_t low = start > kUserBase ? start - P : start;
    const uint64_t high = start + pages * P + P <= kUserEnd ? pages + 1 : pages;
    return start % alignment == 0 && Free(s, start, pages) &&
           Free(s, low, (start - low) / P + high);
  }

  // Regions of `pid` meeting [a, a + n pages): their starts.
  std::vector<uint64_t> Meeting(const ModelSpace& s, uint64_t a, uint64_t n) const {
    std::vector<uint64_t> out;
    for (const auto& [rs, r] : s.regions) {
      if (rs < a + n * P && a < rs + r.pages * P) out.push_back(rs);
    }
    return out;
  }
  // Splits regions at a and a + n pages.
  void Carve(ModelSpace& s, uint64_t a, uint64_t n) {
    for (uint64_t cut : {a, a + n * P}) {
      for (auto& [rs, r] : s.regions) {
        if (rs < cut && cut < rs + r.pages * P) {
          ModelRegion tail = r;
          tail.pages = (rs + r.pages * P - cut) / P;
          r.pages -= tail.pages;
          s.regions[cut] = tail;
          break;
        }
      }
    }
  }
  size_t Splits(const ModelSpace& s, uint64_t a, uint64_t n, bool* splits_frame) const {
    size_t splits = 0;
    *splits_frame = false;
    for (uint64_t start : Meeting(s, a, n)) {
      const ModelRegion& r = s.regions.at(start);
      const size_t here = (start < a) + (start + r.pages * P > a + n * P);
      splits += here;
      if (here && r.kind != RegionKind::kAnonymous) *splits_frame = true;
    }
    return splits;
  }
  void Unref(FrameId frame) {
    if (--frame_refs[frame] == 0) {
      frame_refs.erase(frame);
      released.insert(frame);
    }
  }
  void ReleasePages(Pid pid, uint64_t a, uint64_t end) {
    for (auto it = resident.begin(); it != resident.end();) {
      if (it->first.first == pid && it->first.second >= a && it->first.second < end) {
        released.insert(it->second);
        it = resident.erase(it);
      } else {
        ++it;
      }
    }
  }
};

class VmModelTest : public ::testing::TestWithParam<FitPolicy> {};

void CheckAgainstModel(const VmState& vm, const Model& model) {
  for (const auto& [pid, s] : model.spaces) {
    const AddressSpace* space = vm.Space(pid);
    ASSERT_NE(space, nullptr);
    ASSERT_EQ(space->region_count(), s.regions.size()) << "pid " << pid;
    uint64_t previous_end = kUserBase;
    uint64_t sum = 0;
    size_t i = 0;
    for (const auto& [start, r] : s.regions) {
      const Region& real = space->region(i++);
      EXPECT_GE(real.start, previous_end);  // sorted, non-overlapping
      EXPECT_EQ(real.start, start);
      EXPECT_EQ(real.pages, r.pages);
      EXPECT_EQ(real.kind, r.kind);
      EXPECT_EQ(real.protection, r.protection);
      EXPECT_TRUE(ValidProtection(real.protection));
      previous_end = real.end();
      sum += real.pages;
    }
    EXPECT_LE(previous_end, kUserEnd);
    EXPECT_EQ(space->charged_pages(), sum);
    EXPECT_EQ(space->charged_pages(), s.Charged());
    EXPECT_LE(sum, s.budget_pages);
    size_t resident = 0;
    for (const auto& [key, frame] : model.resident) resident += key.first == pid;
    EXPECT_EQ(vm.ResidentPages(pid), resident);
  }
  for (const auto& [frame, refs] : model.frame_refs) EXPECT_EQ(vm.FrameRefs(frame), refs);
  for (const auto& [key, frame] : model.resident) EXPECT_EQ(vm.FrameRefs(frame), 1u);
}

TEST_P(VmModelTest, RandomOperationsMatchTheModel) {
  const FitPolicy policy = GetParam();
  auto vm = std::make_unique<VmState>(policy);
  Model model;
  std::mt19937_64 rng(policy == FitPolicy::kFirstFit ? 5 : 6);
  auto pick = [&](uint64_t n) { return rng() % n; };
  FrameId next_frame = 1;
  const uint8_t protections[] = {kProtRead, kProtRead | kProtWrite, kProtRead | kProtExecute,
                                 kProtAll, kProtWrite};
  auto random_protection = [&] { return protections[pick(5)]; };
  auto new_process = [&](Pid pid) {
    const uint64_t budget = 16 + pick(112);
    ASSERT_TRUE(vm->CreateProcess(pid, budget * P + pick(P)).ok());
    model.spaces[pid] = ModelSpace{budget, {}};
  };
  for (Pid pid = 1; pid <= kPids; ++pid) new_process(pid);
  size_t successes[9] = {};

  for (int step = 0; step < 10000; ++step) {
    const Pid pid = 1 + pick(kPids);
    ModelSpace& s = model.spaces[pid];
    uint64_t pages = 1 + pick(8);
    uint64_t fixed = kWindow + pick(kWindowPages) * P;
    const int op = static_cast<int>(pick(9));
    // Faults, unmaps and protects mostly aim inside an existing region (maybe past its end).
    if (op >= 4 && op <= 7 && !s.regions.empty() && pick(4) != 0) {
      auto it = s.regions.begin();
      std::advance(it, pick(s.regions.size()));
      const uint64_t offset = pick(it->second.pages);
      fixed = it->first + offset * P;
      pages = 1 + pick(it->second.pages - offset + (pick(4) == 0 ? 4 : 0));
    }
    const uint8_t prot = random_protection();
    const uint64_t alignment = pick(2) ? 0 : 4 * P;
    bool ok = false;
    bool model_ok = false;
    SCOPED_TRACE(testing::Message() << "step " << step << " op " << op << " pid " << pid);

    if (op <= 2) {  // map: anonymous, shared or segment; fixed or searched
      const RegionKind kind = static_cast<RegionKind>(op);
      const bool search = pick(2);
      const FrameId frame = next_frame++;
      const Placement placement{search ? 0 : fixed, alignment};
      auto r = kind == RegionKind::kAnonymous
                   ? vm->MapAnonymous(pid, pages * P, placement, prot)
                   : vm->MapFrame(pid, frame, pages * P, kind, placement, prot);
      ok = r.ok();
      const uint64_t align = alignment ? alignment : P;
      if (!ValidProtection(prot)) {
        model_ok = false;
      } else if (search) {
        const uint64_t fit = model.Fit(s, pages, align, policy);
        model_ok =
            fit != 0 && s.regions.size() < kMaxRegions && s.Charged() + pages <= s.budget_pages;
        if (ok) EXPECT_EQ(r.value(), fit);
        if (ok) EXPECT_TRUE(model.GoodSearchResult(s, r.value(), pages, align));
      } else {
        model_ok = fixed % align == 0 && model.Fits(s, fixed, pages);
      }
      if (ok && model_ok) {
        s.regions[r.value()] = ModelRegion{pages, kind, prot, kProtAll, frame};
        if (kind != RegionKind::kAnonymous) model.frame_refs[frame] = 1;
      }
    } else if (op == 3) {  // share a region of another process
      const Pid from = 1 + pick(kPids);
      ModelSpace& source = model.spaces[from];
      uint64_t address = fixed;
      if (!source.regions.empty() && pick(4) != 0) {
        auto it = source.regions.begin();
        std::advance(it, pick(source.regions.size()));
        address = it->first + pick(it->second.pages) * P;
      }
      auto r = vm->Share(from, address, pid, Placement{0, alignment}, prot);
      ok = r.ok();
      const ModelRegion* src = nullptr;
      for (const auto& [rs, region] : source.regions) {
        if (rs <= address && address < rs + region.pages * P) src = &region;
      }
      const uint64_t align = alignment ? alignment : P;
      if (src != nullptr && src->kind == RegionKind::kShared && ValidProtection(prot) &&
          (prot & ~src->protection) == 0) {
        model_ok = model.Fit(s, src->pages, align, policy) != 0 && s.regions.size() < kMaxRegions &&
                   s.Charged() + src->pages <= s.budget_pages;
      }
      if (ok && model_ok) {
        EXPECT_EQ(r.value(), model.Fit(s, src->pages, align, policy));
        EXPECT_TRUE(model.GoodSearchResult(s, r.value(), src->pages, align));
        s.regions[r.value()] = ModelRegion{src->pages, RegionKind::kShared, prot, prot, src->frame};
        model.frame_refs[src->frame]++;
      }
    } else if (op == 4 || op == 5) {  // a fault, and the server's commit of a fresh frame
      const uint64_t address = fixed + pick(P);
      const Access access = static_cast<Access>(pick(3));
      auto r = vm->Fault(pid, address, access);
      ok = r.ok();
      const uint64_t page = address & ~(P - 1);
      for (const auto& [rs, region] : s.regions) {
        if (rs <= address && address < rs + region.pages * P) {
          const uint8_t need = access == Access::kRead    ? kProtRead
                               : access == Access::kWrite ? kProtWrite
                                                          : kProtExecute;
          model_ok = region.kind == RegionKind::kAnonymous && (region.protection & need) &&
                     !model.resident.count({pid, page});
        }
      }
      if (ok && model_ok) {
        EXPECT_EQ(r.value().page, page);
        const FrameId frame = next_frame++;
        ASSERT_TRUE(vm->CommitPage(pid, page, frame).ok());
        model.resident[{pid, page}] = frame;
      }
    } else if (op == 6) {  // unmap
      auto r = vm->Unmap(pid, fixed, pages * P);
      ok = r.ok();
      bool splits_frame = false;
      const size_t splits = model.Splits(s, fixed, pages, &splits_frame);
      const std::vector<uint64_t> meeting = model.Meeting(s, fixed, pages);
      model_ok = !meeting.empty() && !splits_frame &&
                 s.regions.size() + splits - meeting.size() <= kMaxRegions;
      if (ok && model_ok) {
        model.Carve(s, fixed, pages);
        for (uint64_t start : model.Meeting(s, fixed, pages)) {
          const ModelRegion& region = s.regions[start];
          if (region.kind != RegionKind::kAnonymous) model.Unref(region.frame);
          s.regions.erase(start);
        }
        model.ReleasePages(pid, fixed, fixed + pages * P);
      }
    } else if (op == 7) {  // protect
      auto r = vm->Protect(pid, fixed, pages * P, prot);
      ok = r.ok();
      bool splits_frame = false;
      const size_t splits = model.Splits(s, fixed, pages, &splits_frame);
      uint64_t covered = 0;
      bool within_max = true;
      for (uint64_t start : model.Meeting(s, fixed, pages)) {
        const ModelRegion& region = s.regions[start];
        const uint64_t lo = std::max(start, fixed);
        const uint64_t hi = std::min(start + region.pages * P, fixed + pages * P);
        covered += (hi - lo) / P;
        within_max = within_max && (prot & ~region.max_protection) == 0;
      }
      model_ok = ValidProtection(prot) && covered == pages && !splits_frame && within_max &&
                 s.regions.size() + splits <= kMaxRegions;
      if (ok && model_ok) {
        model.Carve(s, fixed, pages);
        for (uint64_t start : model.Meeting(s, fixed, pages)) s.regions[start].protection = prot;
      }
    } else {  // teardown in random steps, then the pid starts again
      if (pick(4) != 0) continue;
      model_ok = true;
      ok = true;
      for (bool done = false; !done;) {
        auto r = vm->Teardown(pid, 1 + pick(5));
        ASSERT_TRUE(r.ok());
        done = r.value().done;
      }
      for (const auto& [start, region] : s.regions) {
        if (region.kind != RegionKind::kAnonymous) model.Unref(region.frame);
      }
      model.ReleasePages(pid, 0, ~uint64_t{0});
      model.spaces.erase(pid);
      new_process(pid);
    }

    ASSERT_EQ(ok, model_ok);
    successes[op] += ok;
    // Released frames: exactly the model's, each once.
    std::vector<FrameId> out(7);
    std::multiset<FrameId> released;
    for (size_t n; (n = vm->TakeReleased(out.data(), out.size())) > 0;) {
      released.insert(out.begin(), out.begin() + n);
    }
    ASSERT_EQ(released, model.released);
    model.released.clear();
    CheckAgainstModel(*vm, model);
    if (testing::Test::HasFailure()) return;
  }
  // Every kind of operation succeeded often enough to matter.
  for (int op = 0; op < 9; ++op) {
    std::printf("op %d: %zu successes\n", op, successes[op]);
    EXPECT_GE(successes[op], 40u) << "op " << op;
  }
}

INSTANTIATE_TEST_SUITE_P(Policies, VmModelTest,
                         ::testing::Values(FitPolicy::kFirstFit, FitPolicy::kBestFit));

}  // namespace
}  // namespace hiillos::vm
