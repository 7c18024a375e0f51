// See record_issue.h.
#include "certs/record_issue.h"

#include <algorithm>
#include <filesystem>

#include "certs/crypto.h"
#include "certs/ledger_index.h"
#include "crypto/sha256.h"
#include "devices/discovery.h"

namespace kesu {

using nlohmann::json;

namespace {

RecordItem ItemFromDevice(const DeviceInfo& d) {
  RecordItem i;
  i.path = d.path;
  i.model = d.model;
  i.serial = d.serial;
  i.capacity = std::to_string(d.size) + " bytes";
  i.media = MediaTypeName(d.media);
  if (i.media == "unknown") i.media.clear();
  i.transport = TransportName(d.transport);
  i.measured = true;
  return i;
}

Result<RecordItem> DescribeItem(Env* env, const std::string& path) {
  auto d = DescribeTarget(env, path);
  if (!d.ok()) return d.status().WithContext("--device " + path);
  return ItemFromDevice(*d);
}

// The subject a certificate's chain is looked up by: the serial, else the path.
std::string KeyOf(const RecordItem& i) { return i.serial.empty() ? i.path : i.serial; }

Result<IssuedCertificate> IssueContent(Env* env, const DocumentContent& content,
                                       const CertificateSetup& setup, const certs::Signer& signer,
                                       const std::vector<ExtraFile>& extra, json* doc_out) {
  CertificateContext ctx = setup.context;
  KESU_ASSIGN_OR_RETURN(ctx.id, certs::NewUuid());
  ctx.issued_ms = env->NowUnixMillis();
  ctx.signer = certs::Summarize(signer.cert.get());
  KESU_ASSIGN_OR_RETURN(json doc, BuildDocument(content, ctx));
  IssuedCertificate out;
  KESU_RETURN_IF_ERROR(IssueDocument(env, doc, setup.options, signer, extra, &out));
  if (doc_out != nullptr) *doc_out = std::move(doc);
  return out;
}

// A work order (clause 3-10 ②) must allow the physical method today (instruction erase, not
// overdue, the method on it) and name every device; kRefused (exit 3) otherwise.
Status CheckRecordOnOrder(Env* env, const Method& m, const std::vector<RecordItem>& items,
                          const CertificateSetup& setup) {
  if (!setup.work_order) return Status::Ok();
  const WorkOrder& o = *setup.work_order;
  KESU_RETURN_IF_ERROR(CheckOrderAllowsErasure(o, m.id, TodayLocal(env), setup.allow_overdue));
  for (const RecordItem& i : items) {
    TargetName t;
    t.serial = i.serial;
    t.path = i.path;
    KESU_RETURN_IF_ERROR(CheckTargetOnOrder(o, t));
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<RecordItem>> GatherItems(Env* env, const DeviceSource& src) {
  // One drive that reports no serial may be given the serial printed on its label.
  const bool label_serial = src.device_paths.size() == 1 && !src.typed.serial.empty() &&
                            src.typed.model.empty() && src.batch_file.empty();
  if (label_serial) {
    KESU_ASSIGN_OR_RETURN(RecordItem i, DescribeItem(env, src.device_paths.front()));
    if (!i.serial.empty() && i.serial != src.typed.serial) {
      return Status::InvalidArgument("--serial " + src.typed.serial + " differs from the serial " +
                                     i.serial + " that " + i.path + " reports; leave --serial out");
    }
    i.serial_typed = i.serial.empty();
    i.serial = src.typed.serial;
    return std::vector<RecordItem>{i};
  }
  const int ways = (src.device_paths.empty() ? 0 : 1) + (src.batch_file.empty() ? 0 : 1) +
                   (src.typed.serial.empty() && src.typed.model.empty() ? 0 : 1);
  if (ways > 1) {
    return Status::InvalidArgument(
        "give the devices one way: --device PATH, --serial S --model M, or --batch FILE.csv");
  }
  std::vector<RecordItem> items;
  if (!src.batch_file.empty()) {
    KESU_ASSIGN_OR_RETURN(std::string text, env->ReadFile(src.batch_file));
    return ParseBatchCsv(text, src.batch_file);
  }
  for (const std::string& p : src.device_paths) {
    KESU_ASSIGN_OR_RETURN(RecordItem i, DescribeItem(env, p));
    items.push_back(std::move(i));
  }
  if (!src.typed.serial.empty() || !src.typed.model.empty()) {
    if (src.typed.serial.empty()) {
      return Status::InvalidArgument("--model given without --serial; give --serial S");
    }
    if (!src.typed.media.empty() && !MediaTypeFromName(src.typed.media)) {
      return Status::InvalidArgument("--media " + src.typed.media +
                                     ": unknown media type (use hdd, ssd, nvme, usb-flash, "
                                     "memory-card, external-usb-hdd)");
    }
    items.push_back(src.typed);
  }
  return items;
}

Status ReadPhotos(Env* env, const std::vector<std::string>& paths,
                  std::vector<PhotoEvidence>* evidence, std::vector<ExtraFile>* extra) {
  size_t n = 0;
  for (const std::string& p : paths) {
    auto bytes = env->ReadFile(p);
    if (!bytes.ok()) return bytes.status().WithContext("--photo");
    PhotoEvidence e;
    e.name = std::filesystem::path(p).filename().string();
    e.sha256 = Sha256Hex(*bytes);
    e.size = bytes->size();
    extra->push_back(
        {"photo-" + std::to_string(++n) + "-" + SanitizeFileComponent(e.name), std::move(*bytes)});
    evidence->push_back(std::move(e));
  }
  return Status::Ok();
}

Result<std::optional<json>> CustodyChainForWork(Env* env, const std::string& cert_dir,
                                                const std::string& subject) {
  KESU_ASSIGN_OR_RETURN(std::vector<LedgerDocument> docs, ReadLedgerDocuments(env, cert_dir, ""));
  const bool tracked = std::any_of(docs.begin(), docs.end(), [](const LedgerDocument& d) {
    return d.kind == DocumentKind::kCustodyEvent;
  });
  if (!tracked) return std::optional<json>();
  return std::optional<json>(CustodyChain(subject, CustodyEventsFor(subject, docs), true));
}

Result<IssuedDocuments> IssueRecord(Env* env, const RecordRequest& req,
                                    const CertificateSetup& setup,
                                    const SignerLoader& load_signer) {
  const Method& m = *req.method;
  if (m.kind != MethodKind::kRecord || !m.record) {
    return Status::InvalidArgument("method " + m.id + " is not a physical (record) method");
  }
  RecordInput in = req.input;
  KESU_ASSIGN_OR_RETURN(in.items, GatherItems(env, req.devices));
  const bool documents = m.record->kind == "shred" && m.id == "document-shred";
  if (documents && !in.items.empty()) {
    return Status::InvalidArgument(
        "document-shred records paper documents, not devices; give "
        "--batch-id, --description and --weight or --boxes");
  }
  if (!documents && in.items.empty()) {
    return Status::InvalidArgument(
        "no device: give --device PATH, --serial S --model M, or "
        "--batch FILE.csv");
  }
  KESU_RETURN_IF_ERROR(CheckRecordOnOrder(env, m, in.items, setup));
  in.agreed_methods = setup.context.agreed_methods;
  if (in.operator_name.empty() && setup.context.operator_name) {
    in.operator_name = *setup.context.operator_name;
  }
  std::vector<ExtraFile> extra;
  KESU_RETURN_IF_ERROR(ReadPhotos(env, req.photo_paths, &in.photos, &extra));
  json custody = json::array();
  for (const RecordItem& i : in.items) {
    KESU_ASSIGN_OR_RETURN(std::optional<json> chain,
                          CustodyChainForWork(env, setup.options.cert_dir, KeyOf(i)));
    if (chain) custody.push_back(*chain);
  }
  KESU_ASSIGN_OR_RETURN(DocumentContent content, BuildRecordContent(m, in, custody));
  KESU_ASSIGN_OR_RETURN(const certs::Signer signer, load_signer());
  IssuedDocuments out;
  KESU_ASSIGN_OR_RETURN(IssuedCertificate ic,
                        IssueContent(env, content, setup, signer, extra, &out.content));
  out.warnings = content.errors;
  for (const std::string& w : ic.warnings) out.warnings.push_back(w);
  out.docs.push_back(std::move(ic));
  return out;
}

Result<IssuedDocuments> IssueCustody(Env* env, const CustodyRequest& req,
                                     const CertificateSetup& setup,
                                     const SignerLoader& load_signer) {
  CustodyInput in = req.input;
  if (in.subject.empty())
    return Status::InvalidArgument(
        "give the SUBJECT: a serial, a device "
        "path or a batch id");
  if (in.by.empty()) return Status::InvalidArgument("give --by NAME: who handled it");
  if (req.subject_is_device) {
    KESU_ASSIGN_OR_RETURN(in.device, DescribeItem(env, in.subject));
  } else {
    in.device.serial = "";
  }
  KESU_ASSIGN_OR_RETURN(in.items, GatherItems(env, req.items));
  KESU_ASSIGN_OR_RETURN(std::vector<LedgerDocument> docs,
                        ReadLedgerDocuments(env, setup.options.cert_dir, ""));
  std::vector<ChainEvent> events = CustodyEventsFor(in.subject, docs);
  if (!in.device.serial.empty() && in.device.serial != in.subject) {
    for (ChainEvent& e : CustodyEventsFor(in.device.serial, docs)) events.push_back(e);
  }
  std::sort(events.begin(), events.end(),
            [](const ChainEvent& a, const ChainEvent& b) { return a.seq < b.seq; });
  events.erase(std::unique(events.begin(), events.end(),
                           [](const ChainEvent& a, const ChainEvent& b) { return a.seq == b.seq; }),
               events.end());
  const json chain = CustodyChain(in.subject, events, false);
  if (in.at_ms == 0) in.at_ms = env->NowUnixMillis();
  const DocumentContent content = BuildCustodyContent(in, chain);
  KESU_ASSIGN_OR_RETURN(const certs::Signer signer, load_signer());
  IssuedDocuments out;
  KESU_ASSIGN_OR_RETURN(IssuedCertificate ev,
                        IssueContent(env, content, setup, signer, {}, &out.content));
  out.warnings = content.errors;
  for (const std::string& w : ev.warnings) out.warnings.push_back(w);
  const std::string event_id = ev.id;
  out.docs.push_back(std::move(ev));
  if (in.event == CustodyEvent::kReceived) {
    KESU_ASSIGN_OR_RETURN(IssuedCertificate rc, IssueContent(env, BuildReceiptContent(in, event_id),
                                                             setup, signer, {}, nullptr));
    for (const std::string& w : rc.warnings) out.warnings.push_back(w);
    out.docs.push_back(std::move(rc));
  }
  return out;
}

Result<json> ShowCustody(Env* env, const std::string& cert_dir, const std::string& trust_pem,
                         const std::string& subject) {
  KESU_ASSIGN_OR_RETURN(std::vector<LedgerDocument> docs,
                        ReadLedgerDocuments(env, cert_dir, trust_pem));
  json chain = CustodyChain(subject, CustodyEventsFor(subject, docs), false);
  json problems = json::array();
  for (const LedgerDocument& d : docs) {
    if (!d.problem.empty()) problems.push_back(d.problem);
  }
  chain["problems"] = problems;
  return chain;
}

}  // namespace kesu
