// Embedded files in certificate PDFs through libqpdf: writing them (pdf_file.h) and reading them
// back (ExtractPdfAttachments in pdf.h).
#include "certs/pdf_file.h"

#include <exception>
#include <optional>
#include <qpdf/Buffer.hh>
#include <qpdf/Pipeline.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFEFStreamObjectHelper.hh>
#include <qpdf/QPDFEmbeddedFileDocumentHelper.hh>
#include <qpdf/QPDFFileSpecObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace kesu {

namespace {

// qpdf's messages can span lines; a Status message is one line.
std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  constexpr size_t kMax = 240;
  if (s.size() > kMax) s = s.substr(0, kMax) + "...";
  return s;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Collects a stream's decoded bytes into a string and stops (by throwing, which qpdf's
// pipeStreamData turns into a failed result) once more than `cap` bytes arrive, so a small
// compressed stream that inflates to gigabytes costs at most `cap` bytes of memory.
class CappedSink : public Pipeline {
 public:
  CappedSink(std::string* out, size_t cap)
      : Pipeline("kesu capped sink", nullptr), out_(out), cap_(cap) {}
  void write(unsigned char const* data, size_t len) override {
    if (len > cap_ - out_->size()) {
      overflow_ = true;
      throw std::length_error("embedded file larger than the limit");
    }
    out_->append(reinterpret_cast<const char*>(data), len);
  }
  void finish() override {}
  bool overflow() const { return overflow_; }

 private:
  std::string* out_;
  size_t cap_;
  bool overflow_ = false;
};

// Reads one embedded file's decoded bytes, at most `cap` of them.
Result<std::string> ReadEmbeddedFile(QPDFFileSpecObjectHelper& spec, const std::string& name,
                                     size_t cap) {
  QPDFObjectHandle stream = spec.getEmbeddedFileStream();
  if (!stream.isStream()) {
    return Status::InvalidArgument("pdf: attachment '" + name + "' has no embedded file stream");
  }
  std::string data;
  CappedSink sink(&data, cap);
  bool filtered = false;
  const bool ok = stream.pipeStreamData(&sink, &filtered, 0, qpdf_dl_generalized, true);
  if (sink.overflow()) {
    return Status::InvalidArgument("pdf: attachment '" + name + "' decodes to more than " +
                                   std::to_string(cap) + " bytes; not a kesu certificate");
  }
  if (!ok) {
    return Status::InvalidArgument("pdf: attachment '" + name +
                                   "' cannot be decoded (damaged, or an unsupported filter)");
  }
  return data;
}

// Limits for walking the /EmbeddedFiles name tree (ISO 32000-1 §7.9.6). A kesu PDF has one
// node with two entries; the limits only have to stop hostile trees early. Each node object is
// visited once, so a tree that names one kid many times (a DAG with exponentially many paths) or
// itself (a loop) costs at most kMaxNameTreeNodes visits.
constexpr int kMaxNameTreeDepth = 32;
constexpr size_t kMaxNameTreeNodes = 1000;
constexpr size_t kMaxNameTreeEntries = 10000;

struct NameTreeWalk {
  std::set<QPDFObjGen> seen;
  size_t nodes = 0;
  std::vector<std::pair<std::string, QPDFObjectHandle>> entries;  // (name, file spec)
};

Status CollectNames(QPDFObjectHandle node, int depth, NameTreeWalk* w) {
  if (depth > kMaxNameTreeDepth) {
    return Status::InvalidArgument("pdf: the /EmbeddedFiles name tree is deeper than " +
                                   std::to_string(kMaxNameTreeDepth) + " levels");
  }
  if (node.isIndirect() && !w->seen.insert(node.getObjGen()).second) return Status::Ok();
  if (++w->nodes > kMaxNameTreeNodes) {
    return Status::InvalidArgument("pdf: the /EmbeddedFiles name tree has more than " +
                                   std::to_string(kMaxNameTreeNodes) + " nodes");
  }
  if (!node.isDictionary()) return Status::Ok();
  if (QPDFObjectHandle names = node.getKey("/Names"); names.isArray()) {
    const int n = names.getArrayNItems();
    for (int i = 0; i + 1 < n; i += 2) {
      QPDFObjectHandle key = names.getArrayItem(i);
      if (!key.isString()) continue;
      if (w->entries.size() >= kMaxNameTreeEntries) {
        return Status::InvalidArgument("pdf: the /EmbeddedFiles name tree has more than " +
                                       std::to_string(kMaxNameTreeEntries) + " entries");
      }
      w->entries.emplace_back(key.getUTF8Value(), names.getArrayItem(i + 1));
    }
  }
  if (QPDFObjectHandle kids = node.getKey("/Kids"); kids.isArray()) {
    const int n = kids.getArrayNItems();
    for (int i = 0; i < n; ++i) {
      KESU_RETURN_IF_ERROR(CollectNames(kids.getArrayItem(i), depth + 1, w));
    }
  }
  return Status::Ok();
}

// The (json, p7s) attachments of a parsed PDF.
Result<std::pair<std::string, std::string>> FindAttachments(QPDF& q) {
  QPDFObjectHandle root = q.getRoot();
  QPDFObjectHandle names = root.isDictionary() ? root.getKey("/Names") : QPDFObjectHandle();
  QPDFObjectHandle tree =
      names.isDictionary() ? names.getKey("/EmbeddedFiles") : QPDFObjectHandle::newNull();
  if (!tree.isDictionary()) {
    return Status::InvalidArgument("pdf: the PDF has no embedded files (no /EmbeddedFiles)");
  }
  NameTreeWalk walk;
  KESU_RETURN_IF_ERROR(CollectNames(tree, 0, &walk));
  std::optional<std::string> json, p7s;
  size_t budget = kMaxCertificateFileBytes;
  for (auto& [key, spec_oh] : walk.entries) {
    if (!spec_oh.isDictionary()) continue;
    QPDFFileSpecObjectHelper spec(spec_oh);
    std::string name = spec.getFilename();
    if (name.empty()) name = key;
    const bool is_p7s = EndsWith(name, ".json.p7s");
    const bool is_json = !is_p7s && EndsWith(name, ".json");
    if ((!is_p7s || p7s) && (!is_json || json)) continue;
    KESU_ASSIGN_OR_RETURN(std::string data, ReadEmbeddedFile(spec, name, budget));
    budget -= data.size();
    (is_p7s ? p7s : json) = std::move(data);
  }
  if (!json) return Status::InvalidArgument("pdf: no '<id>.json' attachment in the PDF");
  if (!p7s) return Status::InvalidArgument("pdf: no '<id>.json.p7s' attachment in the PDF");
  return std::make_pair(std::move(*json), std::move(*p7s));
}

}  // namespace

namespace pdf_internal {

Result<std::string> AddEmbeddedFiles(std::string_view page_pdf,
                                     const std::vector<EmbeddedFile>& files) {
  try {
    QPDF q;
    q.setSuppressWarnings(true);
    q.processMemoryFile("page.pdf", page_pdf.data(), page_pdf.size());
    QPDFEmbeddedFileDocumentHelper efdh(q);
    for (const EmbeddedFile& f : files) {
      // createEFStream records /Params /Size and /CheckSum (MD5), and no dates.
      auto ef = QPDFEFStreamObjectHelper::createEFStream(q, std::string(f.data));
      ef.setSubtype(f.mime);
      auto spec = QPDFFileSpecObjectHelper::createFileSpec(q, f.name, ef);
      spec.setDescription(f.description);
      efdh.replaceEmbeddedFile(f.name, spec);
    }
    QPDFWriter w(q);
    w.setOutputMemory();
    w.setDeterministicID(true);
    w.write();
    std::shared_ptr<Buffer> buf = w.getBufferSharedPointer();
    return std::string(reinterpret_cast<const char*>(buf->getBuffer()), buf->getSize());
  } catch (const std::exception& e) {
    return Status::Internal("pdf: qpdf could not add the attachments: " + OneLine(e.what()));
  }
}

}  // namespace pdf_internal

Result<std::pair<std::string, std::string>> ExtractPdfAttachments(std::string_view pdf_bytes) {
  if (pdf_bytes.size() > kMaxCertificateFileBytes) {
    return Status::InvalidArgument("pdf: " + std::to_string(pdf_bytes.size()) +
                                   " bytes is larger than a certificate PDF can be (16 MiB); "
                                   "not a kesu certificate");
  }
  if (pdf_bytes.substr(0, 5) != "%PDF-") {
    return Status::InvalidArgument("pdf: not a PDF file (no %PDF- header)");
  }
  try {
    QPDF q;
    q.setSuppressWarnings(true);
    // A damaged file is refused, not repaired: recovery reconstructs the cross-reference table
    // by scanning, which can pick objects the writer never referenced.
    q.setAttemptRecovery(false);
    q.processMemoryFile("certificate.pdf", pdf_bytes.data(), pdf_bytes.size());
    auto r = FindAttachments(q);
    if (r.ok() && q.anyWarnings()) {
      return Status::InvalidArgument("pdf: the PDF is damaged (" +
                                     OneLine(q.getWarnings().front().what()) + ")");
    }
    return r;
  } catch (const std::exception& e) {
    return Status::InvalidArgument("pdf: cannot read the PDF: " + OneLine(e.what()));
  }
}

}  // namespace kesu
