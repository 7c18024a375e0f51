// RegionReader: exactly the planned bytes reach the consumer, also when a failed request is
// narrowed down block by block, and a misaligned plan on a direct target is refused.
#include "verify/region_reader.h"

#include <gtest/gtest.h>

#include "support/fault_env.h"
#include "support/mem_env.h"

namespace kesu {
namespace {

constexpr char kDev[] = "/dev/memdisk";

// Reports a MemEnv file as buffered (no O_DIRECT), where regions may end inside a block.
class BufferedView final : public BlockFileWrapper {
 public:
  explicit BufferedView(BlockFile* base) : BlockFileWrapper(base) {}
  bool is_block_device() const override { return false; }
  bool direct() const override { return false; }
};

struct Seen {
  uint64_t offset, length;
  bool readable;
};

class Recorder final : public RegionConsumer {
 public:
  std::vector<Seen> seen;
  void Consume(uint64_t offset, const std::byte*, size_t len) override {
    seen.push_back({offset, len, true});
  }
  void Unreadable(uint64_t offset, uint64_t len, const Status&) override {
    seen.push_back({offset, len, false});
  }
};

// Every byte reported lies inside the plan, in order, and together they cover it exactly.
void ExpectExactlyThePlan(const std::vector<Seen>& seen, const std::vector<Region>& plan) {
  std::vector<Region> got;
  for (const Seen& s : seen) {
    bool inside = false;
    for (const Region& r : plan) inside |= s.offset >= r.offset && s.offset + s.length <= r.end();
    EXPECT_TRUE(inside) << "reported [" << s.offset << ", " << s.offset + s.length
                        << ") is outside the plan";
    got.push_back({s.offset, s.length});
  }
  EXPECT_EQ(NormalizeRegions(got), NormalizeRegions(plan));
  EXPECT_EQ(PlanBytes(got), PlanBytes(plan));
}

TEST(RegionReaderTest, BlockRetryNeverReadsPastTheRegion) {
  MemEnv mem;
  FaultInjectionEnv env(&mem);
  mem.AddDevice(kDev, 16384, std::byte{0x5A});
  auto f = env.OpenBlock(kDev, {.write = false, .direct = true});
  ASSERT_TRUE(f.ok());
  BufferedView view(f->get());
  // The first block of each region cannot be read: each request fails and is retried block
  // by block; each region ends inside a block.
  env.AddRule({FaultRule::Kind::kFailRead, kDev, 0, 1});
  env.AddRule({FaultRule::Kind::kFailRead, kDev, 4096, 1});
  const std::vector<Region> plan = {{0, 1000}, {4096, 2048 + 300}};
  Recorder rec;
  RegionReader reader(&view, nullptr, {.request_bytes = 8192, .queue_depth = 4}, nullptr);
  ASSERT_TRUE(reader.Run(plan, nullptr, &rec).ok());
  ExpectExactlyThePlan(rec.seen, plan);
  ASSERT_FALSE(rec.seen.empty());
  EXPECT_FALSE(rec.seen.front().readable);
  EXPECT_EQ(rec.seen.front().length, 512u);
}

TEST(RegionReaderTest, MisalignedPlanOnADirectTargetIsRefused) {
  MemEnv env;
  env.AddDevice(kDev, 16384);
  auto f = env.OpenBlock(kDev, {.write = false, .direct = true});
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE((*f)->direct());
  Recorder rec;
  RegionReader reader(f->get(), nullptr, {}, nullptr);
  Status st = reader.Run({{0, 4096}, {8192, 1000}}, nullptr, &rec);
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_NE(st.message().find("[8192, 9192)"), std::string::npos) << st.message();
  EXPECT_TRUE(rec.seen.empty());
  // Whole blocks, and a last region ending at an unaligned end, are accepted.
  env.AddDevice(kDev, 16384 + 100);
  auto g = env.OpenBlock(kDev, {.write = false, .direct = true});
  ASSERT_TRUE(g.ok());
  RegionReader r2(g->get(), nullptr, {}, nullptr);
  const std::vector<Region> plan = {{0, 4096}, {8192, 8192 + 100}};
  ASSERT_TRUE(r2.Run(plan, nullptr, &rec).ok());
  ExpectExactlyThePlan(rec.seen, plan);
}

}  // namespace
}  // namespace kesu
