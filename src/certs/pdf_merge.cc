// See pdf_merge.h.
#include "certs/pdf_merge.h"

#include <exception>
#include <memory>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

namespace kesu::pdf_internal {

Result<std::string> MergePdfPages(const std::vector<std::string_view>& pdfs) {
  try {
    QPDF out;
    out.emptyPDF();
    QPDFPageDocumentHelper dest(out);
    // The sources must outlive the write: pages are copied lazily from them.
    std::vector<std::unique_ptr<QPDF>> sources;
    for (size_t i = 0; i < pdfs.size(); ++i) {
      auto src = std::make_unique<QPDF>();
      src->setSuppressWarnings(true);
      const std::string name = "page-" + std::to_string(i) + ".pdf";
      src->processMemoryFile(name.c_str(), pdfs[i].data(), pdfs[i].size());
      for (QPDFPageObjectHelper& page : QPDFPageDocumentHelper(*src).getAllPages()) {
        dest.addPage(page, false);
      }
      sources.push_back(std::move(src));
    }
    QPDFWriter w(out);
    w.setOutputMemory();
    w.setDeterministicID(true);
    w.write();
    std::shared_ptr<Buffer> buf = w.getBufferSharedPointer();
    return std::string(reinterpret_cast<const char*>(buf->getBuffer()), buf->getSize());
  } catch (const std::exception& e) {
    std::string msg = e.what();
    for (char& c : msg) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    return Status::Internal("pdf: qpdf could not join the pages: " + msg.substr(0, 240));
  }
}

}  // namespace kesu::pdf_internal
