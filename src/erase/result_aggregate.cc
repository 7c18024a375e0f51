// ResultAggregate: see result_aggregate.h.
#include "erase/result_aggregate.h"

#include "kesu/build_info.h"
#include "methods/nist.h"
#include "verify/region_digest.h"

namespace kesu {

ResultAggregate::ResultAggregate(Env* env, bool direct_io, const DeviceInfo& dev,
                                 const Method& method, const EngineOptions& opts)
    : env_(env), o_(opts) {
  r_.tool_version = KESU_VERSION;
  r_.tool_build = std::string(KESU_GIT_REV) + " " + KESU_BUILD_TYPE;
  r_.device = dev;
  r_.direct_io = direct_io;
  r_.method_id = method.id;
  r_.method_title = method.title;
  r_.method_reference = method.reference;
  r_.method_sha256 = method.file_sha256;
  r_.method_rounds = method.rounds;
  r_.method_blank = method.final_blank;
  auto [cat, reason] = NistFor(method, dev.media);
  r_.nist_category = NistCategoryName(cat);
  r_.nist_reason = reason;
  r_.start_ms = env->NowUnixMillis();
  r_.verification.mode = opts.verify.ToString();
  r_.outcome = Outcome::kFailed;
}

bool ResultAggregate::AddPass(PassOutcome po, bool last, uint64_t size) {
  const std::string pass = "pass " + std::to_string(po.record.index);
  if (r_.io_engine.empty()) r_.io_engine = po.io_engine;
  for (auto& e : po.errors) r_.errors.push_back(std::move(e));
  if (!po.record.skipped.empty()) skipped_any_ = true;
  uint64_t skipped_bytes = 0;
  for (const auto& [off, len] : po.record.skipped) skipped_bytes += len;
  if (po.write_failed) failed_ = true;
  if (po.interrupted) interrupted_ = true;
  const bool wrote_all = po.record.bytes_written + skipped_bytes == size;
  if (!po.write_failed && !po.interrupted && !wrote_all) {
    failed_ = true;
    r_.errors.push_back(pass + ": wrote " + std::to_string(po.record.bytes_written) + " of " +
                        std::to_string(size) + " bytes");
  }
  if (po.verify_ran && AddVerification(&po, last)) failed_ = true;
  const bool go_on = !po.write_failed && !po.interrupted && wrote_all;
  r_.passes.push_back(std::move(po.record));
  return go_on;
}

bool ResultAggregate::AddVerification(PassOutcome* po, bool last) {
  const std::string pass = "pass " + std::to_string(po->record.index);
  bool failed = false;
  const bool bad = po->mismatched > 0 || !po->unreadable.empty() || po->unreadable_bytes > 0;
  if (po->mismatched > 0) {
    r_.errors.push_back(pass + ": verification: " + std::to_string(po->mismatched) +
                        " bytes differ from the pattern written, first at offset " +
                        std::to_string(po->first_mismatches.front()));
  }
  for (const auto& u : po->unreadable) {
    r_.errors.push_back(pass + ": verification: unreadable " + std::to_string(u.length) +
                        " bytes at offset " + std::to_string(u.offset) + ": " + u.message);
  }
  if (!po->verify_complete && !po->interrupted && !po->write_failed) {
    failed = true;
    r_.errors.push_back(pass + ": verification read " + std::to_string(po->record.bytes_verified) +
                        " of " + std::to_string(po->planned) + " planned bytes");
  }
  if (bad) failed = true;
  if (last) {
    VerificationRecord& v = r_.verification;
    v.bytes_read = po->record.bytes_verified;
    v.bytes_planned = po->planned;
    v.mismatched_bytes = po->mismatched;
    v.first_mismatches = po->first_mismatches;
    v.unreadable = po->unreadable;
    v.content_sha256 = po->digest;
    if (po->record.bytes_verified > 0) {
      v.digest_format = kDigestFormat;
      v.digest_region_bytes = po->digest_region_bytes;
      v.digest_target_bytes = po->digest_target_bytes;
      v.leaves = std::move(po->leaves);
    }
    v.bytes_per_second = Rate(po->record.bytes_verified, po->verify_ns);
  } else if (bad) {
    if (po->mismatched > 0) {
      po->record.errors.push_back(
          {"verify", po->first_mismatches.front(), po->mismatched, 0,
           std::to_string(po->mismatched) + " bytes differ from the pattern written"});
    }
    for (const auto& u : po->unreadable) po->record.errors.push_back(u);
  }
  return failed;
}

void ResultAggregate::AddFailure(std::string message) {
  failed_ = true;
  r_.errors.push_back(std::move(message));
}

ErasureResult ResultAggregate::Finish(size_t method_passes) {
  if (failed_) return End(Outcome::kFailed);
  if (interrupted_) return End(Outcome::kInterrupted);
  if (r_.passes.size() != method_passes) {
    r_.errors.push_back("only " + std::to_string(r_.passes.size()) + " of " +
                        std::to_string(method_passes) + " passes ran");
    return End(Outcome::kFailed);
  }
  if (o_.verify.mode != VerifyMode::kNone &&
      r_.verification.bytes_read != r_.verification.bytes_planned) {
    r_.errors.push_back("verification read " + std::to_string(r_.verification.bytes_read) + " of " +
                        std::to_string(r_.verification.bytes_planned) + " planned bytes");
    return End(Outcome::kFailed);
  }
  return End(skipped_any_ ? Outcome::kPartial : Outcome::kSuccess);
}

ErasureResult ResultAggregate::End(Outcome o) {
  r_.outcome = o;
  if (o != Outcome::kSuccess) {
    // Only a completed, verified erasure reaches a category (docs/methods.md).
    r_.nist_reason = "none reached: the erasure ended " + std::string(OutcomeName(o)) +
                     "; had it completed, the method would have reached " + r_.nist_category +
                     " (" + r_.nist_reason + ")";
    r_.nist_category = NistCategoryName(NistCategory::kNone);
  }
  r_.end_ms = env_->NowUnixMillis();
  if (o_.progress) o_.progress->state = TargetProgress::kFinished;
  return r_;
}

}  // namespace kesu
